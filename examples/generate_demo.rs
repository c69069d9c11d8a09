//! Generates the SYNTHETIC demo workforce in `datasets/demo/`.
//!
//! Nobody in this file exists. The generator draws a district-council-sized workforce (420
//! staff) whose ethnic mix is plausible for Rushmoor and its neighbours, with a deliberate
//! under-representation of Asian (mostly Nepali) staff in senior grades, a mix of the label
//! spellings real HR systems hold, and some staff who did not state an ethnicity. It is seeded,
//! so the same command always writes the same file:
//!
//!     cargo run --example generate_demo -- datasets/demo/workforce-synthetic.csv
//!
//! It also writes, beside it, the pay columns' companions (full-pay relevant, bonus), a
//! synthetic recruitment extract (`recruitment-synthetic.csv`, one row per applicant with the
//! furthest stage reached) and two synthetic snapshots of the workforce a year apart
//! (`workforce-snapshots-synthetic.csv`).
//!
//! A second argument sets the number of staff (default 420), for benchmarks; then only the
//! workforce file is written.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 20_210_601;
const STAFF: usize = 420;

/// (labels an HR system might hold for the group, weight in the workforce, is ethnic minority)
const GROUPS: &[(&[&str], f64, bool)] = &[
    (
        &["White British", "White - British", "White: English"],
        780.0,
        false,
    ),
    (&["White Irish", "Irish"], 10.0, true),
    (&["Gypsy or Irish Traveller"], 2.0, true),
    (
        &["White - Any other White background", "Other White"],
        42.0,
        true,
    ),
    (&["Asian or Asian British - Indian", "Indian"], 20.0, true),
    (&["Asian or Asian British - Pakistani"], 8.0, true),
    (&["Asian or Asian British - Bangladeshi"], 3.0, true),
    (&["Chinese"], 4.0, true),
    (
        &[
            "Asian or Asian British - Any other Asian background",
            "Nepalese",
            "Gurkha",
        ],
        52.0,
        true,
    ),
    (
        &["Black or Black British - African", "Black African"],
        12.0,
        true,
    ),
    (&["Black or Black British - Caribbean"], 6.0, true),
    (&["Any other Black background"], 3.0, true),
    (&["Mixed - White and Asian"], 6.0, true),
    (&["Mixed - White and Black African"], 3.0, true),
    (&["Mixed - White and Black Caribbean"], 5.0, true),
    (&["Mixed - Any other mixed background"], 4.0, true),
    (&["Arab"], 1.0, true),
    (&["Any other ethnic group"], 10.0, true),
];

const NOT_STATED: &[&str] = &["Prefer not to say", "Not known", ""];
const DEPARTMENTS: &[&str] = &[
    "Customer Services",
    "Environmental Services",
    "Finance",
    "Housing",
    "Planning",
    "Corporate",
];
/// Grade, weight, annual full-time salary range (GBP).
const GRADES: &[(&str, f64, (f64, f64))] = &[
    ("Grade 1", 14.0, (22_400.0, 23_500.0)),
    ("Grade 2", 16.0, (23_500.0, 25_000.0)),
    ("Grade 3", 18.0, (25_000.0, 28_000.0)),
    ("Grade 4", 16.0, (28_000.0, 32_000.0)),
    ("Grade 5", 13.0, (32_000.0, 37_000.0)),
    ("Grade 6", 10.0, (37_000.0, 44_000.0)),
    ("Grade 7", 7.0, (44_000.0, 53_000.0)),
    ("Grade 8", 4.0, (53_000.0, 68_000.0)),
    ("Chief Officer", 2.0, (75_000.0, 120_000.0)),
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> f64) -> &'a T {
    let total: f64 = items.iter().map(&weight).sum();
    let mut x = rng.random::<f64>() * total;
    for item in items {
        x -= weight(item);
        if x <= 0.0 {
            return item;
        }
    }
    items.last().expect("non-empty")
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "datasets/demo/workforce-synthetic.csv".to_string());
    let staff: usize = std::env::args()
        .nth(2)
        .map(|n| n.parse().expect("staff count"))
        .unwrap_or(STAFF);
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    // Flags come from a second stream so that adding them left every other column unchanged.
    let mut flags_rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let mut pay_rng = ChaCha8Rng::seed_from_u64(SEED + 2);
    let mut current: Vec<(String, String)> = Vec::new();
    let mut out = csv::Writer::from_path(&path).expect("can write the output file");
    out.write_record([
        "employee_id",
        "ethnicity",
        "grade",
        "department",
        "fte",
        "annual_salary_fte",
        "hourly_pay",
        "start_date",
        "leave_date",
        "entered_disciplinary",
        "non_mandatory_training",
        "left_in_period",
        "full_pay_relevant",
        "bonus_12m",
    ])
    .unwrap();
    for i in 0..staff {
        let stated = rng.random::<f64>() >= 0.07;
        let (label, minority) = if stated {
            let (labels, _, minority) = pick(&mut rng, GROUPS, |g| g.1);
            (labels[rng.random_range(0..labels.len())], *minority)
        } else {
            (NOT_STATED[rng.random_range(0..NOT_STATED.len())], false)
        };
        // Ethnic minority staff are drawn towards lower grades: the pattern the analysis should find.
        let (grade, _, (low, high)) = pick(&mut rng, GRADES, |g| {
            let rank = GRADES.iter().position(|x| x.0 == g.0).unwrap() as f64;
            if minority {
                g.1 * (1.25 - 0.1 * rank).max(0.3)
            } else {
                g.1
            }
        });
        let department = DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())];
        let fte = if rng.random::<f64>() < 0.75 {
            1.0
        } else {
            [0.5, 0.6, 0.8][rng.random_range(0..3)]
        };
        let salary = (low + rng.random::<f64>() * (high - low)).round();
        // 37 hours a week, 52.143 weeks a year.
        let hourly = salary / (37.0 * 52.143);
        let start_year = 2026 - rng.random_range(0..25);
        let start = format!(
            "{start_year}-{:02}-{:02}",
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        );
        let leave = if rng.random::<f64>() < 0.1 {
            format!(
                "2026-{:02}-{:02}",
                rng.random_range(1..=3),
                rng.random_range(1..=28)
            )
        } else {
            String::new()
        };
        let yes_no =
            |p: f64, rng: &mut ChaCha8Rng| if rng.random::<f64>() < p { "yes" } else { "no" };
        // Illustrative disparities: more disciplinary cases and less training for minority staff.
        let disciplinary = yes_no(if minority { 0.06 } else { 0.02 }, &mut flags_rng);
        let training = yes_no(if minority { 0.22 } else { 0.32 }, &mut flags_rng);
        let left = if leave.is_empty() { "no" } else { "yes" };
        // A few staff on reduced pay (e.g. long-term sick leave) are not full-pay relevant; a
        // minority of staff received a one-off honorarium in the year.
        let full_pay = yes_no(0.97, &mut pay_rng);
        let bonus = if pay_rng.random::<f64>() < if minority { 0.12 } else { 0.18 } {
            format!(
                "{:.0}",
                250.0 + (pay_rng.random::<f64>() * 10.0).floor() * 50.0
            )
        } else {
            String::new()
        };
        current.push((format!("E{:05}", 10_001 + i), label.to_string()));
        out.write_record([
            format!("E{:05}", 10_001 + i),
            label.to_string(),
            grade.to_string(),
            department.to_string(),
            format!("{fte:.1}"),
            format!("{salary:.0}"),
            format!("{hourly:.2}"),
            start,
            leave,
            disciplinary.to_string(),
            training.to_string(),
            left.to_string(),
            full_pay.to_string(),
            bonus,
        ])
        .unwrap();
    }
    out.flush().unwrap();
    eprintln!("wrote {staff} synthetic staff to {path}");
    if std::env::args().nth(2).is_none() {
        let folder = std::path::Path::new(&path)
            .parent()
            .unwrap_or(std::path::Path::new("."));
        write_recruitment(&folder.join("recruitment-synthetic.csv"));
        write_snapshots(&folder.join("workforce-snapshots-synthetic.csv"), &current);
    }
}

fn stated_label(
    rng: &mut ChaCha8Rng,
    minority_boost: f64,
    not_stated: f64,
) -> (&'static str, bool) {
    if rng.random::<f64>() < not_stated {
        return (NOT_STATED[rng.random_range(0..NOT_STATED.len())], false);
    }
    let (labels, _, minority) = pick(
        rng,
        GROUPS,
        |g| if g.2 { g.1 * minority_boost } else { g.1 },
    );
    (labels[rng.random_range(0..labels.len())], *minority)
}

/// 900 applicants over the year: more diverse than the workforce, and (illustratively) less
/// likely to be shortlisted and appointed when from an ethnic minority.
fn write_recruitment(path: &std::path::Path) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 3);
    let mut out = csv::Writer::from_path(path).expect("can write the recruitment file");
    out.write_record(["applicant_id", "vacancy", "ethnicity", "stage"])
        .unwrap();
    for i in 0..900 {
        let (label, minority) = stated_label(&mut rng, 1.8, 0.05);
        let (shortlist, appoint) = if minority { (0.26, 0.16) } else { (0.32, 0.27) };
        let stage = if rng.random::<f64>() >= shortlist {
            "applied"
        } else if rng.random::<f64>() < appoint {
            "appointed"
        } else {
            "shortlisted"
        };
        out.write_record([
            format!("A{:05}", 50_001 + i),
            format!("V{:03}", 1 + rng.random_range(0..60)),
            label.to_string(),
            stage.to_string(),
        ])
        .unwrap();
    }
    out.flush().unwrap();
    eprintln!("wrote 900 synthetic applicants to {}", path.display());
}

/// Two snapshots a year apart: 31 March 2025 (a smaller, less diverse workforce with a lower
/// declaration rate) and 31 March 2026 (the demo workforce itself).
fn write_snapshots(path: &std::path::Path, current: &[(String, String)]) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 4);
    let mut out = csv::Writer::from_path(path).expect("can write the snapshots file");
    out.write_record(["snapshot_date", "employee_id", "ethnicity"])
        .unwrap();
    for i in 0..405 {
        let (label, _) = stated_label(&mut rng, 0.8, 0.12);
        out.write_record(["31/03/2025", &format!("P{:05}", 10_001 + i), label])
            .unwrap();
    }
    for (id, label) in current {
        out.write_record(["31/03/2026", id, label]).unwrap();
    }
    out.flush().unwrap();
    eprintln!("wrote two synthetic snapshots to {}", path.display());
}
