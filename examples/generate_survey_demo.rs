//! Generates the SYNTHETIC demo resident survey in `datasets/demo/`.
//!
//! Nobody in this file exists. The generator draws 1,500 "respondents" who are deliberately
//! unrepresentative of Rushmoor's residents — too old, too White and too female, as postal and
//! online resident surveys usually are — with answers that differ by ethnic group and age, so
//! that weighting changes the headline figures and the group comparisons have something to
//! find. It is seeded, so the same command always writes the same file:
//!
//!     cargo run --example generate_survey_demo -- datasets/demo/survey-synthetic.csv
//!
//! The same survey three years earlier (an earlier wave, before the action plan: fewer
//! respondents, and ethnic minority residents less often agreeing that the council treats
//! residents fairly):
//!
//!     cargo run --example generate_survey_demo -- datasets/demo/survey-2022-synthetic.csv 2022

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One wave of the survey: its seed, size, identifiers and the answers' group effects.
struct Wave {
    seed: u64,
    respondents: usize,
    id_prefix: &'static str,
    /// Chance of agreeing the council treats residents fairly: Asian, Black, Mixed, White,
    /// Other.
    fair: [f64; 5],
    /// Chance of experiencing discrimination in the last 12 months, by group.
    discrimination: [f64; 5],
}

const CURRENT: Wave = Wave {
    seed: 20_210_321,
    respondents: 1500,
    id_prefix: "S",
    fair: [0.52, 0.40, 0.50, 0.66, 0.45],
    discrimination: [0.16, 0.24, 0.14, 0.05, 0.18],
};

const EARLIER: Wave = Wave {
    seed: 20_220_321,
    respondents: 1200,
    id_prefix: "P",
    fair: [0.30, 0.28, 0.40, 0.56, 0.35],
    discrimination: [0.22, 0.30, 0.16, 0.05, 0.20],
};

/// (labels a survey export might hold, weight in the sample, group key)
const ETHNICITY: &[(&[&str], f64, usize)] = &[
    (
        &[
            "White British",
            "White - English/Welsh/Scottish/Northern Irish/British",
        ],
        80.0,
        3,
    ),
    (
        &["White - Any other White background", "White Irish"],
        6.0,
        3,
    ),
    (
        &[
            "Asian or Asian British - Any other Asian background",
            "Nepalese",
        ],
        6.0,
        0,
    ),
    (
        &[
            "Asian or Asian British - Indian",
            "Asian or Asian British - Pakistani",
        ],
        2.0,
        0,
    ),
    (
        &[
            "Black or Black British - African",
            "Black or Black British - Caribbean",
        ],
        2.0,
        1,
    ),
    (
        &[
            "Mixed - White and Asian",
            "Mixed - White and Black Caribbean",
        ],
        2.5,
        2,
    ),
    (&["Arab", "Any other ethnic group"], 1.5, 4),
];
const AGES: &[(&str, f64)] = &[
    ("16-34", 12.0),
    ("35-54", 28.0),
    ("55-74", 40.0),
    ("75+", 20.0),
];
const WARDS: &[&str] = &[
    "Aldershot Park",
    "Cherrywood",
    "Cove and Southwood",
    "Empress",
    "Fernhill",
    "Knellwood",
    "Manor Park",
    "North Town",
    "Rowhill",
    "St John's",
    "St Mark's",
    "Wellington",
    "West Heath",
];
const SATISFIED: [&str; 5] = [
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
];
const AGREE: [&str; 5] = [
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|i| i.1).sum();
    let mut x = rng.random::<f64>() * total;
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

/// A five-point answer: positive (top two) with probability `p`, "Don't know" 4% of the time.
fn scale(rng: &mut ChaCha8Rng, labels: &[&'static str; 5], p: f64) -> &'static str {
    let r = rng.random::<f64>();
    if r < 0.04 {
        "Don't know"
    } else if rng.random::<f64>() < p {
        labels[rng.random_range(0..2)]
    } else {
        labels[rng.random_range(2..5)]
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "datasets/demo/survey-synthetic.csv".to_string());
    let wave = match std::env::args().nth(2).as_deref() {
        None | Some("2025") => CURRENT,
        Some("2022") => EARLIER,
        Some(other) => panic!("no demo wave {other}: give 2025 (the default) or 2022"),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(wave.seed);
    let mut out = csv::Writer::from_path(&path).expect("can write the output file");
    out.write_record([
        "respondent_id",
        "ethnicity",
        "age_band",
        "sex",
        "ward",
        "design_weight",
        "satisfied_council",
        "treats_fairly",
        "belong",
        "discrimination_12m",
        "safe_after_dark",
    ])
    .unwrap();
    let groups: Vec<((&[&str], usize), f64)> =
        ETHNICITY.iter().map(|(l, w, g)| ((*l, *g), *w)).collect();
    let ages: Vec<(&str, f64)> = AGES.to_vec();
    for i in 0..wave.respondents {
        let (labels, group) = *pick(&mut rng, &groups);
        let label = labels[rng.random_range(0..labels.len())];
        let age = *pick(&mut rng, &ages);
        let older = matches!(age, "55-74" | "75+");
        let sex = if rng.random::<f64>() < 0.6 {
            "Female"
        } else {
            "Male"
        };
        let ward = WARDS[rng.random_range(0..WARDS.len())];
        // Design weight: adults in the sampled household (one interviewed per address).
        let weight = [1.0, 2.0, 2.0, 3.0][rng.random_range(0..4)];
        // Group effects: Asian, Black, Mixed, White, Other.
        let fair = wave.fair[group];
        let belong = [0.72, 0.55, 0.58, 0.68, 0.50][group] + if older { 0.1 } else { -0.05 };
        let satisfied = [0.66, 0.55, 0.60, 0.62, 0.55][group] + if older { 0.08 } else { -0.06 };
        let discrimination = wave.discrimination[group] + if older { -0.02 } else { 0.03 };
        let discrimination = if rng.random::<f64>() < 0.03 {
            "Prefer not to say"
        } else if rng.random::<f64>() < discrimination {
            "Yes"
        } else {
            "No"
        };
        let safe = if rng.random::<f64>() < 0.05 {
            String::new()
        } else {
            let centre = if sex == "Female" { 6.0 } else { 7.0 } + if older { -0.5 } else { 0.0 };
            let v = (centre + (rng.random::<f64>() - 0.5) * 7.0)
                .round()
                .clamp(0.0, 10.0);
            format!("{v}")
        };
        out.write_record([
            format!("{}{:05}", wave.id_prefix, i + 1),
            label.to_string(),
            age.to_string(),
            sex.to_string(),
            ward.to_string(),
            format!("{weight}"),
            scale(&mut rng, &SATISFIED, satisfied).to_string(),
            scale(&mut rng, &AGREE, fair).to_string(),
            scale(&mut rng, &AGREE, belong).to_string(),
            discrimination.to_string(),
            safe,
        ])
        .unwrap();
    }
    out.flush().unwrap();
}
