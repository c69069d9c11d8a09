//! Disclosure control attacked from the outside, with nothing of repgap's own code: random
//! small workforces (with an applicants file and two snapshots) go through `repgap run` with
//! every analysis on, and an attacker reads every output file and works out, by linear
//! programming, the range of every count the outputs withhold.
//!
//! For each population (the workforce, the applicants, each snapshot) the attacker's unknowns
//! are the numbers of people of each combination of the attributes the outputs reveal: ethnic
//! category (the 19 Census 2021 categories, the five high-level groups given alone, "BME" and
//! not stated), grade, department, each yes/no outcome, full-pay relevant, bonus received, pay
//! quarter, recruitment stage. No output counts people by two of these attributes besides
//! ethnicity, so each category's people are described by one count per attribute value, the
//! values of an attribute adding up to the category's total (the full cross-classification
//! projects onto exactly these counts). Every published count is an equation, every share a
//! pair of inequalities, and what the outputs reveal beyond counts adds bounds: a pay figure
//! shown only for 10 or more, a note saying "fewer than 10", quarter sizes that follow from
//! the total, a "fewer than 5" in the annex. The attacker also tries the published mean pay
//! of a group whose size is withheld: hourly pay is in pence, so the mean at full precision
//! gives the size away when only one size in the range the counts allow is a denominator of it.
//! Hourly rates are distinct, so no tied pay is split across a quarter boundary.
//!
//! Checked against the generator's truth: every published count and statement is true; each
//! withheld count of 1 to `min_cell` − 1 people of an ethnic group (or with no stated
//! ethnicity), and each such count the outputs give away as a difference (people without an
//! outcome, without a bonus), can be anything from 0 to `min_cell`; a row that one group fills
//! but for fewer than `min_cell` people leaves "the others" able to reach `min_cell`; no
//! withheld count above 0 is determined; no statistic is shown over a withheld count. Each
//! finding names what gives it away: the published counts alone, or the first statement
//! without which it does not happen.
//!
//! The default run checks 10 workforces, two at a time (about 20 s in a debug build on two
//! cores). Environment:
//! - `REPGAP_ATTACKER_CASES=200`: check more workforces;
//! - `REPGAP_ATTACKER_CASE=17`: check only the one a finding names;
//! - `REPGAP_ATTACKER_KEEP=DIR`: keep each case's inputs and outputs in `DIR/case-N`;
//! - `REPGAP_ATTACKER_EXPLAIN=N`: explain the first N findings of each case (default 6);
//! - `REPGAP_ATTACKER_INTEGER=1`: whole people only (branch and bound; much slower).
//!
//! Run it alone with `cargo test --test integration test_attacker -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde_json::Value;

use crate::workdir::{parse_csv, Workdir};

// ---------------------------------------------------------------------------------------------
// A deterministic generator (SplitMix64): the same case index gives the same workforce
// everywhere.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// From `lo` to `hi`, both included.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|&w| w > 0.0).unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// The classification, as docs/FORMATS.md describes it. An ethnic "class" is what a label says:
// one of the 19 categories (0–18, ONS order), a high-level group alone (19–23), an aggregate
// such as "BME" (24: some group other than White), or not stated (25).

const CATEGORIES: [&str; 19] = [
    "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Asian, Asian British or Asian Welsh: Chinese",
    "Asian, Asian British or Asian Welsh: Indian",
    "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian, Asian British or Asian Welsh: Other Asian",
    "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller",
    "White: Roma",
    "White: Other White",
    "Other ethnic group: Arab",
    "Other ethnic group: Any other ethnic group",
];
const HIGH: [&str; 5] = [
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
];
const CATEGORY_HIGH: [usize; 19] = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4];
const WHITE_HIGH: usize = 3;
const WHITE_BRITISH: usize = 12;
const HIGH_ALONE: usize = 19;
const BME: usize = 24;
const NOT_STATED: usize = 25;
const CLASSES: usize = 26;
const EVERYONE: u32 = (1 << CLASSES) - 1;
const NS: u32 = 1 << NOT_STATED;
const MINORITY_LABEL: &str = "Ethnic minorities (excluding White minorities)";
const OTHERS_LABEL: &str = "All other ethnic groups combined";
const WHITE_ALL_LABEL: &str = "White (all White groups)";
const COMPARISON: [&str; 6] = [
    "White British",
    "White minorities",
    HIGH[0],
    HIGH[1],
    HIGH[2],
    HIGH[4],
];
const SHORT: [&str; CLASSES] = [
    "Bangladeshi",
    "Chinese",
    "Indian",
    "Pakistani",
    "Other Asian",
    "African",
    "Caribbean",
    "Other Black",
    "White and Asian",
    "White and Black African",
    "White and Black Caribbean",
    "Other Mixed",
    "White British",
    "Irish",
    "Gypsy or Irish Traveller",
    "Roma",
    "Other White",
    "Arab",
    "Any other",
    "Asian (alone)",
    "Black (alone)",
    "Mixed (alone)",
    "White (alone)",
    "Other (alone)",
    "BME",
    "not stated",
];

fn high_of(c: usize) -> Option<usize> {
    match c {
        0..=18 => Some(CATEGORY_HIGH[c]),
        19..=23 => Some(c - HIGH_ALONE),
        _ => None,
    }
}

/// White (0) or ethnic minorities excluding White minorities (1).
fn white_level(c: usize) -> Option<usize> {
    match (high_of(c), c) {
        (Some(h), _) => Some(usize::from(h != WHITE_HIGH)),
        (None, BME) => Some(1),
        _ => None,
    }
}

/// White British (0) or all other ethnic groups combined (1).
fn white_british_level(c: usize) -> Option<usize> {
    match c {
        WHITE_BRITISH => Some(0),
        0..=18 => Some(1),
        c if c == HIGH_ALONE + WHITE_HIGH => None,
        19..=24 => Some(1),
        _ => None,
    }
}

/// The pay gap and per-group likelihood groups: White British, White minorities, Asian,
/// Black, Mixed, Other.
fn comparison(c: usize) -> Option<usize> {
    match (c, high_of(c)) {
        (WHITE_BRITISH, _) => Some(0),
        (0..=18, Some(WHITE_HIGH)) => Some(1),
        (_, Some(WHITE_HIGH)) | (_, None) => None,
        (_, Some(h)) => Some([2, 3, 4, 0, 5][h]),
    }
}

fn mask(keep: impl Fn(usize) -> bool) -> u32 {
    (0..CLASSES).filter(|&c| keep(c)).map(|c| 1 << c).sum()
}

/// The people a published group label stands for. The same label means the same people in
/// every output ("White" at the high level and in the White / ethnic minorities split alike).
fn label_mask(label: &str) -> Option<u32> {
    if let Some(i) = CATEGORIES.iter().position(|l| *l == label) {
        return Some(1 << i);
    }
    if let Some(h) = HIGH.iter().position(|l| *l == label) {
        return Some(mask(|c| high_of(c) == Some(h)));
    }
    Some(match label {
        "White British" => 1 << WHITE_BRITISH,
        "White minorities" => mask(|c| comparison(c) == Some(1)),
        MINORITY_LABEL => mask(|c| white_level(c) == Some(1)),
        OTHERS_LABEL => mask(|c| white_british_level(c) == Some(1)),
        WHITE_ALL_LABEL => mask(|c| white_level(c) == Some(0)),
        "Not known" => mask(|c| comparison(c).is_none()),
        _ => return None,
    })
}

/// The staff placed in a group at `level` (the denominator of its shares).
fn declared_mask(level: &str) -> u32 {
    match level {
        "detailed" => mask(|c| c < HIGH_ALONE),
        "high" => mask(|c| high_of(c).is_some()),
        "white-british" => mask(|c| white_british_level(c).is_some()),
        "white" => mask(|c| white_level(c).is_some()),
        other => panic!("unknown level {other}"),
    }
}

fn unplaced_mask(level: &str) -> u32 {
    EVERYONE & !NS & !declared_mask(level)
}

// ---------------------------------------------------------------------------------------------
// The truth: a generated workforce, its applicants and its snapshots.

#[derive(Debug, Clone)]
struct Person {
    class: usize,
    grade: usize,
    dept: usize,
    flags: Vec<bool>,
    fpr: bool,
    hourly: f64,
    bonus: f64,
    quarter: Option<usize>,
}

struct Case {
    index: usize,
    seed: u64,
    min_cell: u64,
    grades: Vec<String>,
    depts: Vec<String>,
    outcomes: Vec<String>,
    bonus: bool,
    reference: &'static str,
    fallback: &'static str,
    people: Vec<Person>,
    /// (class, stage): 0 applied, 1 shortlisted, 2 appointed.
    applicants: Vec<(usize, usize)>,
    dates: Vec<String>,
    snapshots: Vec<Vec<usize>>,
}

const MIN_GROUP_SIZE: u64 = 10;

/// The pay figures' group size as repgap applies it: the configured one, and more than the
/// threshold (so that "fewer than" it leaves a withheld count room to reach the threshold).
fn pay_group_size(min_cell: u64) -> u64 {
    MIN_GROUP_SIZE.max(min_cell + 1)
}
const OUTCOMES: [&str; 3] = [
    "entered_disciplinary",
    "non_mandatory_training",
    "left_in_period",
];
const DEPARTMENTS: [&str; 4] = ["Housing", "Finance", "Planning", "Environmental Services"];

/// Weights per class: mostly White British, some of each minority, a few not stated, and in
/// some workforces a few labels too coarse to place.
fn class_weights(rng: &mut Rng, white_british: f64, coarse: bool) -> [f64; CLASSES] {
    // Percentages, roughly a town in the south of England.
    let mut w = [
        0.6, 1.0, 3.0, 1.5, 2.5, 2.0, 1.0, 0.4, 1.0, 0.5, 0.8, 0.6, 0.0, 1.5, 0.3, 0.4, 6.0, 0.5,
        0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
    ];
    let minorities = 0.3 + rng.unit() * 1.4;
    for x in w.iter_mut() {
        *x *= minorities * (0.4 + rng.unit() * 1.2);
    }
    w[WHITE_BRITISH] = white_british * 100.0;
    w[NOT_STATED] = 1.0 + rng.unit() * 10.0;
    if coarse {
        w[HIGH_ALONE] = 1.0;
        w[HIGH_ALONE + 1] = 0.5;
        w[HIGH_ALONE + WHITE_HIGH] = 1.0;
        w[BME] = 0.6;
    }
    w
}

fn generate(index: usize) -> Case {
    let seed = 0x00A7_7AC4_E500_0000 ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed);
    let min_cell = match index % 6 {
        2 => 3,
        4 => 10,
        _ => 5,
    };
    let n = rng.range(20, 150);
    let k = rng.range(3, 5);
    let d = rng.range(2, 4);
    let grades: Vec<String> = (1..=k).map(|g| format!("Grade {g}")).collect();
    let depts: Vec<String> = DEPARTMENTS[..d].iter().map(|s| s.to_string()).collect();
    let outcomes: Vec<String> = OUTCOMES[..rng.range(1, 2) + usize::from(rng.chance(0.15))]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let outcome_rates = [0.03 + rng.unit() * 0.1, 0.5, 0.12];
    let coarse = rng.chance(0.35);
    let white_british = 0.55 + rng.unit() * 0.4;
    let weights = class_weights(&mut rng, white_british, coarse);
    let grade_weights: Vec<f64> = (0..k).map(|g| (k - g) as f64 + 1.0).collect();
    let all_fpr = rng.chance(0.2);
    let bonus = rng.chance(0.5);
    let mut pence = BTreeSet::new();
    let mut people: Vec<Person> = (0..n)
        .map(|i| {
            // Every grade and department has someone.
            let grade = if i < k {
                i
            } else {
                rng.weighted(&grade_weights)
            };
            let dept = if i < d { i } else { rng.range(0, d - 1) };
            // Distinct hourly rates in pence: no tied pay at a quarter boundary.
            let mut p = (1050.0 + 280.0 * grade as f64 + rng.unit() * 400.0).round() as u64;
            while !pence.insert(p) {
                p += 1;
            }
            Person {
                class: rng.weighted(&weights),
                grade,
                dept,
                flags: outcomes
                    .iter()
                    .map(|o| {
                        let at = OUTCOMES.iter().position(|x| x == o).unwrap();
                        rng.chance(outcome_rates[at])
                    })
                    .collect(),
                fpr: all_fpr || rng.chance(0.9),
                hourly: p as f64 / 100.0,
                bonus: if bonus && rng.chance(0.35) {
                    (100 + rng.range(0, 1900)) as f64
                } else {
                    0.0
                },
                quarter: None,
            }
        })
        .collect();
    // Often a grade (usually the top one) that one group nearly fills.
    if rng.chance(0.5) {
        let g = if rng.chance(0.7) {
            k - 1
        } else {
            rng.range(0, k - 1)
        };
        let keep = rng.unit() * 0.15;
        for p in people.iter_mut().filter(|p| p.grade == g) {
            if !rng.chance(keep) {
                p.class = WHITE_BRITISH;
            }
        }
    }
    // Pay quarters by rank, as the documented rule says.
    let mut ranked: Vec<usize> = (0..n).filter(|&i| people[i].fpr).collect();
    ranked.sort_by(|&a, &b| people[a].hourly.total_cmp(&people[b].hourly));
    let sizes = quarter_sizes(ranked.len());
    let mut at = 0;
    for (q, size) in sizes.iter().enumerate() {
        for &i in &ranked[at..at + size] {
            people[i].quarter = Some(q);
        }
        at += size;
    }
    let white_british = 0.45 + rng.unit() * 0.35;
    let app_weights = class_weights(&mut rng, white_british, coarse);
    let applicants = (0..rng.range(20, 200))
        .map(|_| (rng.weighted(&app_weights), rng.weighted(&[0.65, 0.25, 0.1])))
        .collect();
    // Two snapshots of nearly the same people: the later one the workforce a little changed,
    // the earlier one that with some leavers and joiners and more not stated.
    let mut later: Vec<usize> = people
        .iter()
        .filter(|_| !rng.chance(0.06))
        .map(|p| p.class)
        .collect();
    for _ in 0..n / 20 {
        later.push(rng.weighted(&weights));
    }
    let mut earlier = Vec::new();
    for &c in &later {
        if !rng.chance(0.08) {
            earlier.push(if rng.chance(0.08) { NOT_STATED } else { c });
        }
    }
    for _ in 0..n / 15 {
        earlier.push(rng.weighted(&weights));
    }
    let (reference, fallback) = match rng.range(0, 9) {
        0 => ("white", "none"),
        1 => ("white-british", "none"),
        _ => ("white-british", "white"),
    };
    Case {
        index,
        seed,
        min_cell,
        grades,
        depts,
        outcomes,
        bonus,
        reference,
        fallback,
        people,
        applicants,
        dates: vec!["2025-03-31".into(), "2026-03-31".into()],
        snapshots: vec![earlier, later],
    }
}

/// Lower, lower middle, upper middle, upper: a remainder of 1 goes to the lower quarter, 2 to
/// the lower and upper middle, 3 to the lower, lower middle and upper middle.
fn quarter_sizes(n: usize) -> [usize; 4] {
    let (base, r) = (n / 4, n % 4);
    [
        base + usize::from(r >= 1),
        base + usize::from(r >= 3),
        base + usize::from(r >= 2),
        base,
    ]
}

fn label_of(class: usize, rng: &mut Rng) -> String {
    match class {
        0..=18 => CATEGORIES[class].to_string(),
        19..=23 => HIGH[class - HIGH_ALONE].to_string(),
        BME => "BME".to_string(),
        _ if rng.chance(0.5) => String::new(),
        _ => "Prefer not to say".to_string(),
    }
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

fn write_inputs(case: &Case, wd: &Workdir) {
    let mut rng = Rng(case.seed ^ 0x1abe1);
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut header = vec!["employee_id", "ethnicity", "grade", "department"];
    header.extend(case.outcomes.iter().map(String::as_str));
    header.extend(["hourly_pay", "full_pay_relevant", "bonus_12m"]);
    let rows = case
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![
                format!("E{:05}", i + 1),
                label_of(p.class, &mut rng),
                case.grades[p.grade].clone(),
                case.depts[p.dept].clone(),
            ];
            row.extend(p.flags.iter().map(|&f| yes(f)));
            row.push(format!("{:.2}", p.hourly));
            row.push(yes(p.fpr));
            row.push(if p.bonus > 0.0 {
                format!("{:.0}", p.bonus)
            } else {
                String::new()
            });
            row
        })
        .collect();
    wd.write("workforce.csv", &csv_text(&header, rows));
    let stages = ["applied", "shortlisted", "appointed"];
    let rows = case
        .applicants
        .iter()
        .enumerate()
        .map(|(i, &(c, s))| {
            vec![
                format!("A{:05}", i + 1),
                label_of(c, &mut rng),
                stages[s].to_string(),
            ]
        })
        .collect();
    wd.write(
        "applicants.csv",
        &csv_text(&["applicant_id", "ethnicity", "stage"], rows),
    );
    let mut rows = Vec::new();
    for (date, classes) in case.dates.iter().zip(&case.snapshots) {
        for (i, &c) in classes.iter().enumerate() {
            rows.push(vec![
                date.clone(),
                format!("P{:05}", i + 1),
                label_of(c, &mut rng),
            ]);
        }
    }
    wd.write(
        "snapshots.csv",
        &csv_text(&["snapshot_date", "employee_id", "ethnicity"], rows),
    );
    wd.copy_fixture("census2021-tidy.csv");
    let list = |v: &[String]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let bonus = if case.bonus {
        "bonus_column = \"bonus_12m\"\n"
    } else {
        ""
    };
    wd.write(
        "repgap.toml",
        &format!(
            r#"output_dir = "out"
[census]
file = "census2021-tidy.csv"
areas = ["E07000092"]
[workforce]
file = "workforce.csv"
ethnicity_column = "ethnicity"
id_column = "employee_id"
[representation]
levels = ["high", "detailed", "white-british", "white"]
by = ["grade", "department"]
confidence = 0.95
min_cell = {min_cell}
[representation.order]
grade = [{grades}]
[likelihood]
outcomes = [{outcomes}]
direction = "minority-over-white"
[seniority]
column = "grade"
[pay_gap]
hourly_pay_column = "hourly_pay"
full_pay_relevant_column = "full_pay_relevant"
{bonus}reference = "{reference}"
fallback = "{fallback}"
min_group_size = {MIN_GROUP_SIZE}
[recruitment]
file = "applicants.csv"
ethnicity_column = "ethnicity"
stage_column = "stage"
direction = "white-over-minority"
[trends]
file = "snapshots.csv"
ethnicity_column = "ethnicity"
date_column = "snapshot_date"
[annex]
run_date = "2026-03-31"
"#,
            min_cell = case.min_cell,
            grades = list(&case.grades),
            outcomes = list(&case.outcomes),
            reference = case.reference,
            fallback = case.fallback,
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// What the attacker reads: counts of people of a population, each a set of classes and one
// attribute value.

const WORKFORCE: usize = 0;
const APPLICANTS: usize = 1;
/// Snapshot `t` is population `SNAPSHOT + t`.
const SNAPSHOT: usize = 2;
/// Recruitment stages as bits: applied, shortlisted, appointed.
const APPLIED: u8 = 1;
const SHORTLISTED: u8 = 2;
const APPOINTED: u8 = 4;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
enum Attr {
    All,
    Grade(usize),
    Dept(usize),
    /// (outcome, had it)
    Flag(usize, bool),
    Fpr(bool),
    /// Full-pay relevant and received a bonus (or not).
    Bonus(bool),
    /// Full-pay relevant and ranked into the quarter.
    Quarter(usize),
    /// The furthest stage is one of these bits.
    Stage(u8),
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
struct Cell {
    pop: usize,
    classes: u32,
    attr: Attr,
}

impl Cell {
    fn new(pop: usize, classes: u32, attr: Attr) -> Cell {
        Cell { pop, classes, attr }
    }

    /// Counts people of some ethnic groups only: small counts of it are protected.
    fn by_group(&self) -> bool {
        self.classes != EVERYONE
    }
}

fn describe(case: &Case, cell: &Cell) -> String {
    let pop = match cell.pop {
        WORKFORCE => "workforce".to_string(),
        APPLICANTS => "applicants".to_string(),
        s => format!("snapshot {}", case.dates[s - SNAPSHOT]),
    };
    let classes = if cell.classes == EVERYONE {
        "everyone".to_string()
    } else {
        (0..CLASSES)
            .filter(|c| cell.classes >> c & 1 == 1)
            .map(|c| SHORT[c])
            .collect::<Vec<_>>()
            .join("+")
    };
    let attr = match cell.attr {
        Attr::All => String::new(),
        Attr::Grade(g) => format!(" · {}", case.grades[g]),
        Attr::Dept(d) => format!(" · {}", case.depts[d]),
        Attr::Flag(o, b) => format!(" · {}={}", case.outcomes[o], b),
        Attr::Fpr(b) => format!(" · full-pay relevant={b}"),
        Attr::Bonus(b) => format!(" · full-pay relevant, bonus={b}"),
        Attr::Quarter(q) => format!(" · pay quarter {}", QUARTERS[q]),
        Attr::Stage(s) => format!(" · stage bits {s:03b}"),
    };
    format!("{pop}: {classes}{attr}")
}

fn truth(case: &Case, cell: &Cell) -> f64 {
    let of = |class: usize| cell.classes >> class & 1 == 1;
    let n = match cell.pop {
        WORKFORCE => case
            .people
            .iter()
            .filter(|p| of(p.class))
            .filter(|p| match cell.attr {
                Attr::All => true,
                Attr::Grade(g) => p.grade == g,
                Attr::Dept(d) => p.dept == d,
                Attr::Flag(o, b) => p.flags[o] == b,
                Attr::Fpr(b) => p.fpr == b,
                Attr::Bonus(b) => p.fpr && (p.bonus > 0.0) == b,
                Attr::Quarter(q) => p.quarter == Some(q),
                Attr::Stage(_) => panic!("no stage in the workforce"),
            })
            .count(),
        APPLICANTS => case
            .applicants
            .iter()
            .filter(|(c, _)| of(*c))
            .filter(|(_, s)| match cell.attr {
                Attr::All => true,
                Attr::Stage(bits) => bits >> s & 1 == 1,
                other => panic!("applicants have no {other:?}"),
            })
            .count(),
        s => {
            assert_eq!(cell.attr, Attr::All);
            case.snapshots[s - SNAPSHOT]
                .iter()
                .filter(|&&c| of(c))
                .count()
        }
    };
    n as f64
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Le,
    Ge,
}

/// `Σ coefficient × cell  op  rhs`.
#[derive(Clone, Debug)]
struct Lin {
    terms: Vec<(Cell, f64)>,
    op: Op,
    rhs: f64,
}

/// What the outputs say: true when any one alternative (all its inequalities) holds.
struct Statement {
    alternatives: Vec<Vec<Lin>>,
    source: String,
}

/// A row split by ethnic group: if one part holds all but fewer than `min_cell` of the total,
/// the others must be able to reach `min_cell`.
struct Row {
    total: Cell,
    parts: Vec<Cell>,
    source: String,
}

/// A published mean hourly pay of a group (pay in pence, so the mean times the group's size is
/// a whole number of pence), and its median (a half-penny median needs an even size).
struct MeanPay {
    cell: Cell,
    mean: f64,
    median: Option<f64>,
    source: String,
}

/// A count as a CSV or JSON cell has it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Shown(f64),
    Withheld,
    Empty,
}

impl Field {
    fn csv(text: &str) -> Field {
        match text.trim() {
            "[c]" => Field::Withheld,
            "" => Field::Empty,
            t => Field::Shown(
                t.parse()
                    .unwrap_or_else(|_| panic!("not a count or marker: {t:?}")),
            ),
        }
    }

    /// A JSON count: `null` is withheld.
    fn json(v: &Value) -> Field {
        match v {
            Value::Null => Field::Withheld,
            v => Field::Shown(v.as_f64().unwrap_or_else(|| panic!("not a count: {v}"))),
        }
    }

    fn shown(self) -> bool {
        matches!(self, Field::Shown(_))
    }
}

fn stat_csv(text: &str) -> Option<f64> {
    match text.trim() {
        "" | "[c]" => None,
        t => Some(t.parse().unwrap_or_else(|_| panic!("not a number: {t:?}"))),
    }
}

/// Everything the attacker gathered from the outputs of one run.
#[derive(Default)]
struct Reading {
    min_cell: u64,
    shown: BTreeMap<Cell, (f64, String)>,
    /// Every count the outputs speak of, with where first.
    seen: BTreeMap<Cell, String>,
    /// Counts the outputs give away as a difference of two they show side by side.
    implicit: BTreeMap<Cell, String>,
    statements: Vec<Statement>,
    rows: Vec<Row>,
    means: Vec<MeanPay>,
    problems: Vec<String>,
}

/// A JSON share is `x / n` to full precision; a CSV share has 6 decimals.
const JSON_TOLERANCE: f64 = 1e-9;
const CSV_TOLERANCE: f64 = 5.000_001e-7;

impl Reading {
    /// A count as published. `documented_small`: the column's documentation says an empty
    /// cell means fewer than `min_cell`.
    fn count(&mut self, cell: Cell, field: Field, documented_small: bool, source: &str) {
        match field {
            Field::Shown(v) => {
                self.seen.entry(cell).or_insert_with(|| source.to_string());
                match self.shown.get(&cell) {
                    Some((old, at)) if (old - v).abs() > 1e-9 => {
                        let problem = format!(
                            "[inconsistent] {source} shows {v}, {at} shows {old} for the same count"
                        );
                        self.problems.push(problem);
                    }
                    Some(_) => {}
                    None => {
                        self.shown.insert(cell, (v, source.to_string()));
                    }
                }
            }
            Field::Withheld => {
                self.seen.entry(cell).or_insert_with(|| source.to_string());
            }
            Field::Empty if documented_small => {
                self.seen.entry(cell).or_insert_with(|| source.to_string());
                self.bound(
                    cell,
                    Op::Le,
                    (self.min_cell - 1) as f64,
                    &format!("{source}: empty, documented as fewer than the threshold"),
                );
            }
            Field::Empty => {}
        }
    }

    fn implicit(&mut self, cell: Cell, source: &str) {
        self.implicit
            .entry(cell)
            .or_insert_with(|| source.to_string());
    }

    fn statement(&mut self, alternatives: Vec<Vec<Lin>>, source: &str) {
        self.statements.push(Statement {
            alternatives,
            source: source.to_string(),
        });
    }

    fn bound(&mut self, cell: Cell, op: Op, rhs: f64, source: &str) {
        self.statement(
            vec![vec![Lin {
                terms: vec![(cell, 1.0)],
                op,
                rhs,
            }]],
            source,
        );
    }

    fn either(&mut self, a: (Cell, Op, f64), b: (Cell, Op, f64), source: &str) {
        let lin = |(cell, op, rhs): (Cell, Op, f64)| {
            vec![Lin {
                terms: vec![(cell, 1.0)],
                op,
                rhs,
            }]
        };
        self.statement(vec![lin(a), lin(b)], source);
    }

    /// `num / den` was published as `share` (to within `tolerance`).
    fn share(&mut self, num: Cell, den: Cell, share: Option<f64>, tolerance: f64, source: &str) {
        let Some(r) = share else { return };
        let lin = |r: f64, op| Lin {
            terms: vec![(num, 1.0), (den, -r)],
            op,
            rhs: 0.0,
        };
        self.statement(
            vec![vec![lin(r + tolerance, Op::Le), lin(r - tolerance, Op::Ge)]],
            &format!("{source}: share {r}"),
        );
    }

    /// A statistic computed from counts must not be shown when any of them is withheld.
    fn statistic_needs(&mut self, shown: bool, counts: &[Field], source: &str) {
        if shown && counts.iter().any(|f| !f.shown()) {
            self.problems.push(format!(
                "[statistic over a withheld count] {source}: shown while a count it is computed from is withheld"
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the outputs.

/// The levels as chart titles describe them.
const LEVELS: [(&str, &str); 4] = [
    ("detailed", "19 Census 2021 categories"),
    ("high", "5 high-level groups"),
    (
        "white-british",
        "White British and all other ethnic groups combined",
    ),
    (
        "white",
        "White and ethnic minorities (excluding White minorities)",
    ),
];
const QUARTERS: [&str; 4] = ["Lower", "Lower middle", "Upper middle", "Upper"];
const DECLARATION: &str = "Declaration rate (ethnicity stated)";

fn breakdown_attr(case: &Case, breakdown: &str) -> Attr {
    if breakdown == "all" {
        return Attr::All;
    }
    let (column, value) = breakdown.split_once('=').expect("COLUMN=value");
    match column {
        "grade" => Attr::Grade(
            case.grades
                .iter()
                .position(|g| g == value)
                .unwrap_or_else(|| panic!("unknown grade {value}")),
        ),
        "department" => Attr::Dept(
            case.depts
                .iter()
                .position(|d| d == value)
                .unwrap_or_else(|| panic!("unknown department {value}")),
        ),
        other => panic!("unknown breakdown column {other}"),
    }
}

fn group(label: &str) -> u32 {
    label_mask(label).unwrap_or_else(|| panic!("unknown group label {label:?}"))
}

/// One representation row: its count and share (of the table's declared staff).
#[allow(clippy::too_many_arguments)]
fn representation_row(
    r: &mut Reading,
    case: &Case,
    breakdown: &str,
    level: &str,
    label: &str,
    n: Field,
    share: Option<f64>,
    statistics_shown: bool,
    tolerance: f64,
    source: &str,
) -> Cell {
    let attr = breakdown_attr(case, breakdown);
    let cell = Cell::new(WORKFORCE, group(label), attr);
    let declared = Cell::new(WORKFORCE, declared_mask(level), attr);
    let source = format!("{source} {breakdown} · {level} · {label}");
    r.count(cell, n, false, &source);
    r.share(cell, declared, share, tolerance, &source);
    r.statistic_needs(statistics_shown, &[n], &source);
    cell
}

fn read_representation_json(r: &mut Reading, case: &Case, v: &Value) {
    let file = "representation.json";
    for note in v["notes"].as_array().unwrap() {
        let note = note.as_str().unwrap();
        if let Some((ns, rest)) = note.split_once(" of ") {
            if let Some((all, _)) = rest.split_once(" staff have no stated ethnicity") {
                let src = format!("{file} note");
                let everyone = Cell::new(WORKFORCE, EVERYONE, Attr::All);
                r.count(everyone, Field::Shown(all.parse().unwrap()), false, &src);
                let not_stated = Cell::new(WORKFORCE, NS, Attr::All);
                r.count(not_stated, Field::Shown(ns.parse().unwrap()), false, &src);
            }
        }
    }
    for t in v["tables"].as_array().unwrap() {
        let breakdown = t["breakdown"].as_str().unwrap();
        let level = t["level"].as_str().unwrap();
        let attr = breakdown_attr(case, breakdown);
        let src = format!("{file} {breakdown} · {level}");
        let headcount = Cell::new(WORKFORCE, EVERYONE, attr);
        let not_stated = Cell::new(WORKFORCE, NS, attr);
        let declared = Cell::new(WORKFORCE, declared_mask(level), attr);
        let fields = [
            Field::json(&t["headcount"]),
            Field::json(&t["not_stated_n"]),
            Field::json(&t["unplaced_n"]),
            Field::json(&t["declared_n"]),
        ];
        r.count(headcount, fields[0], false, &format!("{src} headcount"));
        r.count(not_stated, fields[1], false, &format!("{src} not_stated_n"));
        let unplaced = Cell::new(WORKFORCE, unplaced_mask(level), attr);
        r.count(unplaced, fields[2], false, &format!("{src} unplaced_n"));
        r.count(declared, fields[3], false, &format!("{src} declared_n"));
        let rate = t["declaration_rate"].as_f64();
        let stated = Cell::new(WORKFORCE, EVERYONE & !NS, attr);
        r.share(stated, headcount, rate, JSON_TOLERANCE, &src);
        r.statistic_needs(
            rate.is_some(),
            &fields[..2],
            &format!("{src} declaration_rate"),
        );
        r.statistic_needs(
            !t["chi_square"].is_null(),
            &fields[3..],
            &format!("{src} chi_square"),
        );
        for note in t["notes"].as_array().unwrap() {
            let note = note.as_str().unwrap();
            let small = format!("fewer than {} staff in this table stated", r.min_cell);
            if note.starts_with(&small) {
                let max = (r.min_cell - 1) as f64;
                r.bound(declared, Op::Le, max, &format!("{src} note {note:?}"));
            }
        }
        let mut parts = Vec::new();
        for row in t["rows"].as_array().unwrap() {
            let stats = [
                "workforce_share",
                "workforce_ci_low",
                "workforce_ci_high",
                "gap_pp",
                "ratio",
                "ratio_ci_low",
                "ratio_ci_high",
                "p_value",
                "assessment",
            ]
            .iter()
            .any(|k| !row[*k].is_null());
            let n = Field::json(&row["workforce_n"]);
            parts.push(representation_row(
                r,
                case,
                breakdown,
                level,
                row["group"].as_str().unwrap(),
                n,
                row["workforce_share"].as_f64(),
                stats,
                JSON_TOLERANCE,
                file,
            ));
            // Shares are over the declared staff.
            r.statistic_needs(stats, &fields[3..], &format!("{src} row statistics"));
        }
        r.rows.push(Row {
            total: declared,
            parts,
            source: src,
        });
    }
}

/// `(population, base, with the outcome, without it)` of a likelihood's outcome.
fn outcome_cells(case: &Case, outcome: &str) -> (usize, Attr, Attr, Attr) {
    match outcome {
        "shortlisted from application" => (
            APPLICANTS,
            Attr::All,
            Attr::Stage(SHORTLISTED | APPOINTED),
            Attr::Stage(APPLIED),
        ),
        "appointed from shortlisting" => (
            APPLICANTS,
            Attr::Stage(SHORTLISTED | APPOINTED),
            Attr::Stage(APPOINTED),
            Attr::Stage(SHORTLISTED),
        ),
        o => {
            let i = case
                .outcomes
                .iter()
                .position(|x| x == o)
                .unwrap_or_else(|| panic!("unknown outcome {o}"));
            (
                WORKFORCE,
                Attr::All,
                Attr::Flag(i, true),
                Attr::Flag(i, false),
            )
        }
    }
}

/// The two groups a likelihood row compares, and who is "not placed" in it.
fn comparison_groups(comparison_text: &str) -> (u32, u32, u32) {
    if comparison_text == "White and ethnic minorities (excluding White minorities)" {
        return (
            group("White"),
            group(MINORITY_LABEL),
            mask(|c| white_level(c).is_none()),
        );
    }
    let other = comparison_text
        .strip_prefix("White British and ")
        .unwrap_or_else(|| panic!("unknown comparison {comparison_text}"));
    (
        group("White British"),
        group(other),
        mask(|c| comparison(c).is_none()),
    )
}

struct Side {
    n: Field,
    events: Field,
    rate: Option<f64>,
}

/// One likelihood row; returns the two groups' event cells.
#[allow(clippy::too_many_arguments)]
fn likelihood_row(
    r: &mut Reading,
    case: &Case,
    outcome: &str,
    comparison_text: &str,
    sides: [Side; 2],
    not_placed: Field,
    ratio_shown: bool,
    tolerance: f64,
    documented_small: bool,
    source: &str,
) -> [Cell; 2] {
    let (pop, base, event, no_event) = outcome_cells(case, outcome);
    let (white, minority, unplaced) = comparison_groups(comparison_text);
    let src = format!("{source} {outcome} · {comparison_text}");
    let mut events = [Cell::new(pop, 0, event); 2];
    for (i, (side, classes)) in sides.iter().zip([white, minority]).enumerate() {
        let n = Cell::new(pop, classes, base);
        let e = Cell::new(pop, classes, event);
        let side_src = format!("{src} {}", ["white", "minority"][i]);
        r.count(n, side.n, false, &format!("{side_src}_n"));
        r.count(e, side.events, false, &format!("{side_src}_events"));
        r.share(e, n, side.rate, tolerance, &format!("{side_src}_rate"));
        r.statistic_needs(
            side.rate.is_some(),
            &[side.n, side.events],
            &format!("{side_src}_rate"),
        );
        r.implicit(
            Cell::new(pop, classes, no_event),
            &format!("{side_src}: n − events"),
        );
        events[i] = e;
    }
    r.count(
        Cell::new(pop, unplaced, base),
        not_placed,
        documented_small,
        &format!("{src} not_placed_n"),
    );
    let all: Vec<Field> = sides.iter().flat_map(|s| [s.n, s.events]).collect();
    r.statistic_needs(ratio_shown, &all, &format!("{src} relative likelihood"));
    events
}

fn read_likelihood_json(r: &mut Reading, case: &Case, l: &Value, source: &str) {
    let outcome = l["outcome"].as_str().unwrap();
    let (pop, _, event, _) = outcome_cells(case, outcome);
    let mut comparison_events = Vec::new();
    for (depth, l) in std::iter::once(l)
        .chain(l["by_group"].as_array().unwrap().iter())
        .enumerate()
    {
        let side = |s: &Value| Side {
            n: Field::json(&s["n"]),
            events: Field::json(&s["events"]),
            rate: s["rate"].as_f64(),
        };
        let shown = [
            "relative_likelihood",
            "ci_low",
            "ci_high",
            "four_fifths_flag",
        ]
        .iter()
        .any(|k| !l[*k].is_null());
        let events = likelihood_row(
            r,
            case,
            outcome,
            l["comparison"].as_str().unwrap(),
            [side(&l["white"]), side(&l["minority"])],
            Field::json(&l["not_placed_n"]),
            shown,
            JSON_TOLERANCE,
            false,
            source,
        );
        if depth == 0 {
            let total = Cell::new(pop, mask(|c| white_level(c).is_some()), event);
            r.implicit(
                total,
                &format!("{source} {outcome}: events of placed people"),
            );
            r.rows.push(Row {
                total,
                parts: events.to_vec(),
                source: format!("{source} {outcome} events, White / ethnic minorities"),
            });
        } else {
            if depth == 1 {
                comparison_events.push(events[0]);
            }
            comparison_events.push(events[1]);
        }
    }
    let total = Cell::new(pop, mask(|c| comparison(c).is_some()), event);
    r.implicit(
        total,
        &format!("{source} {outcome}: events of grouped people"),
    );
    r.rows.push(Row {
        total,
        parts: comparison_events,
        source: format!("{source} {outcome} events by group"),
    });
}

fn read_likelihood_csv(
    r: &mut Reading,
    case: &Case,
    rows: &[BTreeMap<String, String>],
    file: &str,
) {
    for row in rows {
        let side = |prefix: &str| Side {
            n: Field::csv(&row[&format!("{prefix}_n")]),
            events: Field::csv(&row[&format!("{prefix}_events")]),
            rate: stat_csv(&row[&format!("{prefix}_rate")]),
        };
        let shown = [
            "relative_likelihood",
            "ci_low",
            "ci_high",
            "four_fifths_flag",
        ]
        .iter()
        .any(|k| stat_csv_text(&row[*k]));
        likelihood_row(
            r,
            case,
            &row["outcome"],
            &row["comparison"],
            [side("white"), side("minority")],
            Field::csv(&row["not_placed_n"]),
            shown,
            CSV_TOLERANCE,
            // "empty when fewer than min_cell"
            true,
            file,
        );
    }
}

/// A text figure is shown (neither empty nor the marker).
fn stat_csv_text(text: &str) -> bool {
    !matches!(text.trim(), "" | "[c]")
}

#[allow(clippy::too_many_arguments)]
fn seniority_point(
    r: &mut Reading,
    case: &Case,
    label: &str,
    grade: &str,
    n: Field,
    count: Field,
    share: Option<f64>,
    statistics_shown: bool,
    tolerance: f64,
    documented_small: bool,
    source: &str,
) {
    let level = if label == MINORITY_LABEL {
        "white"
    } else {
        "high"
    };
    let attr = breakdown_attr(case, &format!("grade={grade}"));
    let cell = Cell::new(WORKFORCE, group(label), attr);
    let declared = Cell::new(WORKFORCE, declared_mask(level), attr);
    let src = format!("{source} {grade} · {label}");
    r.count(cell, count, false, &format!("{src} count"));
    r.count(declared, n, documented_small, &format!("{src} n"));
    r.share(cell, declared, share, tolerance, &src);
    r.statistic_needs(statistics_shown, &[count, n], &format!("{src} share"));
}

#[allow(clippy::too_many_arguments)]
fn trend_point(
    r: &mut Reading,
    case: &Case,
    label: &str,
    date: &str,
    n: Field,
    count: Field,
    share: Option<f64>,
    statistics_shown: bool,
    tolerance: f64,
    documented_small: bool,
    source: &str,
) {
    let t = case
        .dates
        .iter()
        .position(|d| d == date)
        .unwrap_or_else(|| panic!("unknown snapshot {date}"));
    let pop = SNAPSHOT + t;
    let (counted, of) = match label {
        DECLARATION => (EVERYONE & !NS, EVERYONE),
        MINORITY_LABEL => (group(label), declared_mask("white")),
        l => (group(l), declared_mask("high")),
    };
    let cell = Cell::new(pop, counted, Attr::All);
    let den = Cell::new(pop, of, Attr::All);
    let src = format!("{source} {date} · {label}");
    r.count(cell, count, false, &format!("{src} count"));
    r.count(den, n, documented_small, &format!("{src} n"));
    r.share(cell, den, share, tolerance, &src);
    r.statistic_needs(statistics_shown, &[count, n], &format!("{src} share"));
}

/// One pay gap row (the reference, a group, or all other groups combined).
struct PayRow {
    label: String,
    n: Field,
    mean: Option<f64>,
    median: Option<f64>,
    bonus_proportion: Option<f64>,
    bonus_gap_shown: bool,
    note: String,
}

fn pay_row(
    r: &mut Reading,
    row: &PayRow,
    reference: Option<&str>,
    has_bonus: bool,
    tolerance: f64,
    source: &str,
) {
    let fpr = |classes| Cell::new(WORKFORCE, classes, Attr::Fpr(true));
    let bonus = |classes| Cell::new(WORKFORCE, classes, Attr::Bonus(true));
    let classes = group(&row.label);
    let cell = fpr(classes);
    let src = format!("{source} {}", row.label);
    let size = pay_group_size(r.min_cell) as f64;
    // pay-gap.csv: "empty when 1 to below the disclosure threshold".
    r.count(cell, row.n, true, &format!("{src} n"));
    r.share(bonus(classes), cell, row.bonus_proportion, tolerance, &src);
    r.statistic_needs(
        row.bonus_proportion.is_some(),
        &[row.n],
        &format!("{src} bonus_proportion"),
    );
    if has_bonus {
        // Recipients and the others: shown as a proportion, bounded by the bonus gaps.
        r.implicit(bonus(classes), &format!("{src}: bonus recipients"));
        r.implicit(
            Cell::new(WORKFORCE, classes, Attr::Bonus(false)),
            &format!("{src}: n − bonus recipients"),
        );
    }
    let reference_cells = reference.map(|l| (fpr(group(l)), bonus(group(l))));
    let aggregate = row.label == OTHERS_LABEL;
    let wb = 1 << WHITE_BRITISH;
    if let Some(mean) = row.mean {
        r.bound(cell, Op::Ge, size, &format!("{src}: pay shown"));
        if aggregate {
            r.bound(fpr(wb), Op::Ge, size, &format!("{src}: pay shown"));
        }
        r.means.push(MeanPay {
            cell,
            mean,
            median: row.median,
            source: src.clone(),
        });
    }
    let fewer = format!(
        "fewer than {} full-pay relevant employees",
        pay_group_size(r.min_cell)
    );
    if row.note.starts_with(&fewer) {
        r.bound(
            cell,
            Op::Le,
            size - 1.0,
            &format!("{src}: note {:?}", row.note),
        );
    } else if row.note == "no full-pay relevant employees" {
        r.count(cell, Field::Shown(0.0), false, &format!("{src}: note"));
    } else if row.note.contains(&format!("combined have {fewer}")) {
        r.either(
            (fpr(wb), Op::Le, size - 1.0),
            (cell, Op::Le, size - 1.0),
            &format!("{src}: note {:?}", row.note),
        );
    }
    if !has_bonus {
        return;
    }
    // Bonus gaps need the minimum group size of recipients and of non-recipients, in the
    // group and in its comparator. Not shown says only that one of the four is smaller, which
    // bounds none of them.
    let no_bonus = |classes| Cell::new(WORKFORCE, classes, Attr::Bonus(false));
    let comparator = if aggregate {
        Some(wb)
    } else {
        reference.map(group)
    };
    let Some(comparator) = comparator else { return };
    let _ = reference_cells;
    if row.bonus_gap_shown {
        for c in [
            bonus(classes),
            no_bonus(classes),
            bonus(comparator),
            no_bonus(comparator),
        ] {
            r.bound(c, Op::Ge, size, &format!("{src}: bonus gap shown"));
        }
    }
}

fn pay_notes(r: &mut Reading, case: &Case, notes: &[String], source: &str) {
    let fpr = |label: &str| Cell::new(WORKFORCE, group(label), Attr::Fpr(true));
    let label = |config: &str| match config {
        "white" => WHITE_ALL_LABEL,
        _ => "White British",
    };
    let max = (pay_group_size(r.min_cell) - 1) as f64;
    for note in notes {
        let src = format!("{source}: note {note:?}");
        if note.starts_with("No reference group has") {
            r.bound(fpr(label(case.reference)), Op::Le, max, &src);
            if case.fallback != "none" {
                r.bound(fpr(label(case.fallback)), Op::Le, max, &src);
            }
        } else if let Some((who, _)) = note.split_once(" has fewer than ") {
            r.bound(fpr(who), Op::Le, max, &src);
        } else if note.starts_with("Pay quarters are not shown") {
            // No quarter is published: nothing to bound.
        } else if note.contains("fewer than") {
            r.problems
                .push(format!("[unrecognised] {source}: note {note:?}"));
        }
    }
}

fn read_pay_json(r: &mut Reading, case: &Case, p: &Value) {
    let file = "workforce-deep-dive.json pay_gap";
    let everyone = |attr| Cell::new(WORKFORCE, EVERYONE, attr);
    let total = Field::json(&p["full_pay_relevant_n"]);
    r.count(
        everyone(Attr::Fpr(true)),
        total,
        false,
        &format!("{file} full_pay_relevant_n"),
    );
    let excluded = Field::json(&p["not_full_pay_relevant_n"]);
    r.count(
        everyone(Attr::Fpr(false)),
        excluded,
        false,
        &format!("{file} not_full_pay_relevant_n"),
    );
    let not_known = Cell::new(WORKFORCE, group("Not known"), Attr::Fpr(true));
    let unknown = Field::json(&p["unknown_ethnicity_n"]);
    r.count(
        not_known,
        unknown,
        false,
        &format!("{file} unknown_ethnicity_n"),
    );
    let share = p["unknown_ethnicity_share"].as_f64();
    r.share(
        not_known,
        everyone(Attr::Fpr(true)),
        share,
        JSON_TOLERANCE,
        file,
    );
    r.statistic_needs(
        share.is_some(),
        &[total, unknown],
        &format!("{file} unknown_ethnicity_share"),
    );
    let placed = Cell::new(
        WORKFORCE,
        mask(|c| comparison(c).is_some()),
        Attr::Fpr(true),
    );
    r.implicit(placed, &format!("{file}: full-pay relevant in a group"));
    let has_bonus = p["has_bonus"].as_bool().unwrap();
    let reference = p["reference"].as_str();
    let notes: Vec<String> = p["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    pay_notes(r, case, &notes, file);
    let json_row =
        |v: &Value, label: &str, n: &Value, mean: &Value, median: &Value, bonus: &Value| PayRow {
            label: label.to_string(),
            n: Field::json(n),
            mean: mean.as_f64(),
            median: median.as_f64(),
            bonus_proportion: bonus.as_f64(),
            bonus_gap_shown: !v["mean_bonus_gap_pct"].is_null()
                || !v["median_bonus_gap_pct"].is_null(),
            note: v["note"].as_str().unwrap_or("").to_string(),
        };
    if let Some(label) = reference {
        let row = json_row(
            &Value::Null,
            label,
            &p["reference_n"],
            &p["reference_mean_hourly"],
            &p["reference_median_hourly"],
            &p["reference_bonus_proportion"],
        );
        pay_row(r, &row, None, has_bonus, JSON_TOLERANCE, file);
        // A reference is chosen only with 10 or more.
        let cell = Cell::new(WORKFORCE, group(label), Attr::Fpr(true));
        r.bound(
            cell,
            Op::Ge,
            MIN_GROUP_SIZE as f64,
            &format!("{file}: reference {label}"),
        );
    }
    for v in p["rows"].as_array().unwrap() {
        let label = v["group"].as_str().unwrap();
        let row = json_row(
            v,
            label,
            &v["n"],
            &v["mean_hourly"],
            &v["median_hourly"],
            &v["bonus_proportion"],
        );
        pay_row(r, &row, reference, has_bonus, JSON_TOLERANCE, file);
    }
    let a = &p["aggregate"];
    let row = json_row(
        a,
        OTHERS_LABEL,
        &a["n"],
        &a["mean_hourly"],
        &a["median_hourly"],
        &a["bonus_proportion"],
    );
    pay_row(r, &row, reference, has_bonus, JSON_TOLERANCE, file);
    // White British's mean follows from the aggregate's gap.
    if let (Some(mean), Some(gap)) = (a["mean_hourly"].as_f64(), a["mean_gap_pct"].as_f64()) {
        r.means.push(MeanPay {
            cell: Cell::new(WORKFORCE, 1 << WHITE_BRITISH, Attr::Fpr(true)),
            mean: mean / (1.0 - gap / 100.0),
            median: None,
            source: format!("{file} aggregate mean and gap (White British mean)"),
        });
    }
    // The groups of full-pay relevant employees side by side.
    let comparison_parts: Vec<Cell> = COMPARISON
        .iter()
        .map(|l| Cell::new(WORKFORCE, group(l), Attr::Fpr(true)))
        .collect();
    r.rows.push(Row {
        total: placed,
        parts: comparison_parts,
        source: format!("{file} groups of full-pay relevant employees"),
    });
    let mut sizes = Vec::new();
    for (q, quarter) in p["quarters"].as_array().unwrap().iter().enumerate() {
        assert_eq!(quarter["quarter"].as_str().unwrap(), QUARTERS[q]);
        let size = Cell::new(WORKFORCE, EVERYONE, Attr::Quarter(q));
        let size_field = Field::json(&quarter["size"]);
        let src = format!("{file} {} quarter", QUARTERS[q]);
        r.count(size, size_field, false, &format!("{src} size"));
        sizes.push(size);
        let mut parts = Vec::new();
        for s in quarter["shares"].as_array().unwrap() {
            let label = s["group"].as_str().unwrap();
            let cell = Cell::new(WORKFORCE, group(label), Attr::Quarter(q));
            let count = Field::json(&s["count"]);
            let share = s["share"].as_f64();
            r.count(cell, count, false, &format!("{src} {label}"));
            r.share(cell, size, share, JSON_TOLERANCE, &format!("{src} {label}"));
            r.statistic_needs(
                share.is_some(),
                &[count, size_field],
                &format!("{src} {label} share"),
            );
            parts.push(cell);
        }
        r.rows.push(Row {
            total: size,
            parts,
            source: src,
        });
    }
    quarter_rule(r, &sizes);
}

/// The quarter sizes follow from the number of full-pay relevant employees: the upper has
/// ⌊n/4⌋, each other one or one more, lower ≥ upper middle ≥ lower middle.
fn quarter_rule(r: &mut Reading, sizes: &[Cell]) {
    // No quarters are published when one would be smaller than the threshold.
    if sizes.len() < 4 {
        return;
    }
    let lin = |a: Cell, b: Cell, op: Op, rhs: f64| Lin {
        terms: vec![(a, 1.0), (b, -1.0)],
        op,
        rhs,
    };
    let (lower, lower_middle, upper_middle, upper) = (sizes[0], sizes[1], sizes[2], sizes[3]);
    let mut all = Vec::new();
    for q in [lower, lower_middle, upper_middle] {
        all.push(lin(q, upper, Op::Ge, 0.0));
        all.push(lin(q, upper, Op::Le, 1.0));
    }
    all.push(lin(lower, upper_middle, Op::Ge, 0.0));
    all.push(lin(upper_middle, lower_middle, Op::Ge, 0.0));
    r.statement(vec![all], "pay quarter sizes (documented rule)");
}

fn read_pay_gap_csv(r: &mut Reading, case: &Case, rows: &[BTreeMap<String, String>], file: &str) {
    let has_bonus = case.bonus;
    let reference = rows
        .iter()
        .find(|row| row["note"] == "reference group")
        .map(|row| row["group"].clone());
    for row in rows {
        let pay = PayRow {
            label: row["group"].clone(),
            n: Field::csv(&row["n"]),
            mean: stat_csv(&row["mean_hourly"]),
            // 4 decimals: too coarse for the pence attack, which uses the JSON.
            median: None,
            bonus_proportion: stat_csv(&row["bonus_proportion"]),
            bonus_gap_shown: stat_csv_text(&row["mean_bonus_gap_pct"])
                || stat_csv_text(&row["median_bonus_gap_pct"]),
            note: row["note"].clone(),
        };
        let is_reference = row["note"] == "reference group";
        pay_row_csv(
            r,
            &pay,
            if is_reference {
                None
            } else {
                reference.as_deref()
            },
            has_bonus,
            file,
        );
        if stat_csv_text(&row["unknown_ethnicity_share"]) {
            let not_known = Cell::new(WORKFORCE, group("Not known"), Attr::Fpr(true));
            let total = Cell::new(WORKFORCE, EVERYONE, Attr::Fpr(true));
            let share = stat_csv(&row["unknown_ethnicity_share"]);
            r.share(not_known, total, share, CSV_TOLERANCE, file);
        }
    }
}

/// A CSV pay row: as the JSON row, but its 4-decimal means only bound the size.
fn pay_row_csv(
    r: &mut Reading,
    row: &PayRow,
    reference: Option<&str>,
    has_bonus: bool,
    file: &str,
) {
    let before = r.means.len();
    pay_row(r, row, reference, has_bonus, CSV_TOLERANCE, file);
    r.means.truncate(before);
}

fn read_quarters_csv(r: &mut Reading, rows: &[BTreeMap<String, String>], file: &str) {
    for row in rows {
        let q = QUARTERS
            .iter()
            .position(|x| *x == row["quarter"])
            .unwrap_or_else(|| panic!("unknown quarter {}", row["quarter"]));
        let size = Cell::new(WORKFORCE, EVERYONE, Attr::Quarter(q));
        let src = format!("{file} {} quarter", QUARTERS[q]);
        let size_field = Field::csv(&row["quarter_size"]);
        // "empty when fewer than min_cell"
        r.count(size, size_field, true, &format!("{src} size"));
        let label = &row["group"];
        let cell = Cell::new(WORKFORCE, group(label), Attr::Quarter(q));
        let count = Field::csv(&row["count"]);
        r.count(cell, count, false, &format!("{src} {label}"));
        let share = stat_csv(&row["share"]);
        r.share(cell, size, share, CSV_TOLERANCE, &src);
        r.statistic_needs(
            share.is_some(),
            &[count, size_field],
            &format!("{src} {label} share"),
        );
    }
}

fn read_deep_dive(r: &mut Reading, case: &Case, v: &Value) {
    let file = "workforce-deep-dive.json";
    if !v["pay_gap"].is_null() {
        read_pay_json(r, case, &v["pay_gap"]);
    }
    let s = &v["seniority"];
    for series in s["series"].as_array().unwrap() {
        let label = series["group"].as_str().unwrap();
        let mut complete = true;
        for p in series["points"].as_array().unwrap() {
            let (n, count) = (Field::json(&p["n"]), Field::json(&p["count"]));
            complete &= n.shown() && count.shown();
            let stats = !p["share"].is_null() || !p["ci_low"].is_null();
            let share = p["share"].as_f64();
            let grade = p["label"].as_str().unwrap();
            let src = format!("{file} seniority");
            seniority_point(
                r,
                case,
                label,
                grade,
                n,
                count,
                share,
                stats,
                JSON_TOLERANCE,
                false,
                &src,
            );
        }
        if !series["trend"].is_null() && !complete {
            r.problems.push(format!(
                "[statistic over a withheld count] {file} seniority {label}: trend test shown with a withheld count"
            ));
        }
    }
    let t = &v["trends"];
    let dates: Vec<&str> = t["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(dates, case.dates, "snapshot dates");
    for (i, h) in t["headcounts"].as_array().unwrap().iter().enumerate() {
        let cell = Cell::new(SNAPSHOT + i, EVERYONE, Attr::All);
        r.count(
            cell,
            Field::json(h),
            false,
            &format!("{file} trends headcount {}", dates[i]),
        );
    }
    for series in t["series"].as_array().unwrap() {
        let label = series["group"].as_str().unwrap();
        let points = series["points"].as_array().unwrap();
        for p in points {
            let (n, count) = (Field::json(&p["n"]), Field::json(&p["count"]));
            let stats = !p["share"].is_null() || !p["ci_low"].is_null();
            let share = p["share"].as_f64();
            let date = p["label"].as_str().unwrap();
            let src = format!("{file} trends");
            trend_point(
                r,
                case,
                label,
                date,
                n,
                count,
                share,
                stats,
                JSON_TOLERANCE,
                false,
                &src,
            );
        }
        for (c, change) in series["changes"].as_array().unwrap().iter().enumerate() {
            let shown = !change["change_pp"].is_null() || !change["ci_low_pp"].is_null();
            let needs: Vec<Field> = points[c..c + 2]
                .iter()
                .flat_map(|p| [Field::json(&p["n"]), Field::json(&p["count"])])
                .collect();
            r.statistic_needs(shown, &needs, &format!("{file} trends {label} change"));
        }
    }
    for (i, date) in dates.iter().enumerate() {
        let pop = SNAPSHOT + i;
        r.implicit(
            Cell::new(pop, NS, Attr::All),
            &format!("{file} trends {date}: not stated"),
        );
        let high: Vec<Cell> = HIGH
            .iter()
            .map(|l| Cell::new(pop, group(l), Attr::All))
            .collect();
        r.rows.push(Row {
            total: Cell::new(pop, declared_mask("high"), Attr::All),
            parts: high,
            source: format!("{file} trends {date} high-level groups"),
        });
        r.rows.push(Row {
            total: Cell::new(pop, declared_mask("white"), Attr::All),
            parts: vec![
                Cell::new(pop, group("White"), Attr::All),
                Cell::new(pop, group(MINORITY_LABEL), Attr::All),
            ],
            source: format!("{file} trends {date} White / ethnic minorities"),
        });
    }
    let rec = &v["recruitment"];
    let everyone = |attr| Cell::new(APPLICANTS, EVERYONE, attr);
    r.count(
        everyone(Attr::All),
        Field::json(&rec["applicants"]),
        false,
        &format!("{file} applicants"),
    );
    let shortlisted = everyone(Attr::Stage(SHORTLISTED | APPOINTED));
    r.count(
        shortlisted,
        Field::json(&rec["shortlisted"]),
        false,
        &format!("{file} shortlisted"),
    );
    let appointed = everyone(Attr::Stage(APPOINTED));
    r.count(
        appointed,
        Field::json(&rec["appointed"]),
        false,
        &format!("{file} appointed"),
    );
    for key in ["shortlisting", "appointment"] {
        read_likelihood_json(r, case, &rec[key], &format!("{file} recruitment"));
    }
}

fn read_csv(r: &mut Reading, case: &Case, name: &str, text: &str) {
    let rows: Vec<BTreeMap<String, String>> = parse_csv(text)
        .into_iter()
        .map(|row| row.into_iter().collect())
        .collect();
    let header = text.lines().next().unwrap_or("");
    let starts = |h: &str| header.starts_with(h);
    if starts("breakdown,level,group,workforce_n") {
        for row in &rows {
            let stats = [
                "workforce_share",
                "workforce_ci_low",
                "gap_pp",
                "ratio",
                "p_value",
                "assessment",
            ]
            .iter()
            .any(|k| stat_csv_text(&row[*k]));
            representation_row(
                r,
                case,
                &row["breakdown"],
                &row["level"],
                &row["group"],
                Field::csv(&row["workforce_n"]),
                stat_csv(&row["workforce_share"]),
                stats,
                CSV_TOLERANCE,
                name,
            );
        }
    } else if starts("outcome,comparison,direction,white_n") {
        read_likelihood_csv(r, case, &rows, name);
    } else if starts("column,grade_rank,grade,group,n,count") {
        for row in &rows {
            let stats = ["share", "ci_low", "ci_high"]
                .iter()
                .any(|k| stat_csv_text(&row[*k]));
            seniority_point(
                r,
                case,
                &row["group"],
                &row["grade"],
                Field::csv(&row["n"]),
                Field::csv(&row["count"]),
                stat_csv(&row["share"]),
                stats,
                CSV_TOLERANCE,
                // "empty ... when fewer than min_cell"
                true,
                name,
            );
            if stat_csv_text(&row["trend_z"]) && !(Field::csv(&row["count"]).shown()) {
                r.problems.push(format!(
                    "[statistic over a withheld count] {name} {} {}: trend test shown with a withheld count",
                    row["grade"], row["group"]
                ));
            }
        }
    } else if starts("group,reference,n,mean_hourly") {
        read_pay_gap_csv(r, case, &rows, name);
    } else if starts("quarter,quarter_size,group,count") {
        read_quarters_csv(r, &rows, name);
    } else if starts("group,date,n,count,share") {
        for row in &rows {
            let stats = ["share", "ci_low", "ci_high"]
                .iter()
                .any(|k| stat_csv_text(&row[*k]));
            trend_point(
                r,
                case,
                &row["group"],
                &row["date"],
                Field::csv(&row["n"]),
                Field::csv(&row["count"]),
                stat_csv(&row["share"]),
                stats,
                CSV_TOLERANCE,
                // "n empty ... when fewer than min_cell"
                true,
                name,
            );
        }
    } else if starts("comparator,level,group,population_n") {
        // Census residents: public, no staff.
    } else {
        r.problems.push(format!(
            "[unread output] {name}: a CSV the attacker does not know: {header}"
        ));
    }
}

/// Text as a reader sees it: no tags, entities decoded, no table bars or Markdown escapes,
/// single spaces.
fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '|' => out.push(' '),
            c => out.push(c),
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&apos;", "'")
        .replace("\\[", "[")
        .replace("\\]", "]");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every "fewer than N" in the annex's text and charts: what it bounds.
fn read_text(r: &mut Reading, case: &Case, name: &str, text: &str, reference: Option<&str>) {
    let text = plain_text(text);
    let mc = r.min_cell;
    let max = (mc - 1) as f64;
    let fpr_max = (pay_group_size(r.min_cell) - 1) as f64;
    let needle = "fewer than ";
    let mut from = 0;
    while let Some(at) = text[from..].find(needle) {
        let i = from + at;
        from = i + needle.len();
        let before = &text[..i];
        let after = &text[from..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        let Ok(n) = digits.parse::<u64>() else {
            continue;
        };
        let rest = &after[digits.len()..];
        let context = format!(
            "{name}: \"…{}{needle}{n}{}…\"",
            before
                .chars()
                .rev()
                .take(60)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>(),
            rest.chars().take(40).collect::<String>()
        );
        let src = format!("annex {context}");
        let everyone = |attr| Cell::new(WORKFORCE, EVERYONE, attr);
        let applicants = |attr| Cell::new(APPLICANTS, EVERYONE, attr);
        let date_before = case
            .dates
            .iter()
            .position(|d| before.ends_with(&format!("{d}: ")));
        let quarter_before = (0..4)
            .rev()
            .find(|&q| before.ends_with(&format!("{} quarter (", QUARTERS[q])));
        let recognised = if n == mc && before.trim_end().ends_with("(reference)") {
            match reference {
                Some(l) => r.bound(
                    Cell::new(WORKFORCE, group(l), Attr::Fpr(true)),
                    Op::Le,
                    max,
                    &src,
                ),
                None => r.problems.push(format!("[unrecognised] {context}")),
            }
            true
        } else if n == mc
            && rest.starts_with(" full-pay relevant employees")
            && before.contains("Ethnicity is not known for")
            && before.ends_with(" of ")
        {
            r.bound(everyone(Attr::Fpr(true)), Op::Le, max, &src);
            true
        } else if n == mc && rest.starts_with(" not full-pay relevant") {
            r.bound(everyone(Attr::Fpr(false)), Op::Le, max, &src);
            true
        } else if n == mc && rest.starts_with(" employees)") && quarter_before.is_some() {
            r.bound(
                everyone(Attr::Quarter(quarter_before.unwrap())),
                Op::Le,
                max,
                &src,
            );
            true
        } else if n == mc && rest.starts_with(" applicants") {
            r.bound(applicants(Attr::All), Op::Le, max, &src);
            true
        } else if n == mc && rest.starts_with(" shortlisted") {
            r.bound(
                applicants(Attr::Stage(SHORTLISTED | APPOINTED)),
                Op::Le,
                max,
                &src,
            );
            true
        } else if n == mc && rest.starts_with(" appointed") {
            r.bound(applicants(Attr::Stage(APPOINTED)), Op::Le, max, &src);
            true
        } else if n == mc && rest.starts_with(" staff") && date_before.is_some() {
            let pop = SNAPSHOT + date_before.unwrap();
            r.bound(Cell::new(pop, EVERYONE, Attr::All), Op::Le, max, &src);
            true
        } else if n == mc && before.ends_with("Share of the ") && rest.starts_with(" staff") {
            // A representation chart's subtitle, under its title "… by ethnic group (LEVEL)".
            let level = before
                .rsplit_once("by ethnic group (")
                .and_then(|(_, title)| {
                    LEVELS
                        .iter()
                        .find(|(_, d)| title.starts_with(d))
                        .map(|(l, _)| *l)
                });
            let base = rest[" staff".len()..]
                .split_once(" who stated an ethnicity")
                .map(|(b, _)| b.trim());
            match (level, base) {
                (Some(level), Some(base)) => {
                    let breakdown = match base.strip_prefix("in ") {
                        None => "all".to_string(),
                        Some(b) => b.replacen(' ', "=", 1),
                    };
                    let attr = breakdown_attr(case, &breakdown);
                    r.bound(
                        Cell::new(WORKFORCE, declared_mask(level), attr),
                        Op::Le,
                        max,
                        &src,
                    );
                }
                _ => r.problems.push(format!("[unrecognised] {context}")),
            }
            true
        } else if n == mc
            && rest.starts_with(" staff who stated an ethnicity")
            && before.ends_with(", for ")
        {
            // A representation chart's alternative text: the same figure as its subtitle.
            true
        } else if n == mc && rest.starts_with(" employees, and every count in it") {
            // The pay gap's note that no quarter is published.
            true
        } else if n == mc && rest.starts_with(" staff in this table stated") {
            // The representation tables' note, read from representation.json.
            true
        } else if n == mc && rest.starts_with(" of a grade") && before.ends_with("all but ") {
            // The methods: what group disclosure is.
            true
        } else if n == pay_group_size(r.min_cell)
            && rest.starts_with(" full-pay relevant employees")
        {
            // "No figures for A; B (fewer than 10 full-pay relevant employees)."
            if let Some(list) = before
                .rsplit_once("No figures for ")
                .and_then(|(_, l)| l.strip_suffix(" ("))
            {
                for label in list.split("; ") {
                    let cell = Cell::new(WORKFORCE, group(label), Attr::Fpr(true));
                    r.bound(cell, Op::Le, fpr_max, &src);
                }
            }
            // Otherwise a row's note or the reference note, read from the JSON.
            true
        } else {
            false
        };
        if !recognised {
            r.problems.push(format!("[unrecognised] {context}"));
        }
    }
}

/// Each table sheet of a workbook (after the cover, contents and notes) as CSV text: the
/// header row and the rows under it, `[x]` read as the empty cell it stands for.
fn workbook_tables(path: &Path) -> Vec<(String, String)> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let mut tables = Vec::new();
    for sheet in book.sheet_names().to_vec().into_iter().skip(3) {
        let range = book.worksheet_range(&sheet).unwrap();
        let mut writer = csv::Writer::from_writer(Vec::new());
        for row in range.rows().skip(2) {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::String(s) if s == "[x]" => String::new(),
                    Data::Float(x) => format!("{x}"),
                    other => other.to_string(),
                })
                .collect();
            writer.write_record(&cells).unwrap();
        }
        tables.push((
            sheet,
            String::from_utf8(writer.into_inner().unwrap()).unwrap(),
        ));
    }
    tables
}

fn read_outputs(r: &mut Reading, case: &Case, out: &Path) {
    let json = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(name)).unwrap()).unwrap()
    };
    // The JSON first: the pay gap's reference group names a row of the annex.
    read_representation_json(r, case, &json("representation.json"));
    let deep = json("workforce-deep-dive.json");
    read_deep_dive(r, case, &deep);
    for l in json("relative-likelihood.json").as_array().unwrap() {
        read_likelihood_json(r, case, l, "relative-likelihood.json");
    }
    let reference = deep["pay_gap"]["reference"].as_str();
    let mut files = Vec::new();
    walk(out, &mut files);
    files.sort();
    for path in files {
        let name = path.strip_prefix(out).unwrap().display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "csv" => read_csv(r, case, &name, &std::fs::read_to_string(&path).unwrap()),
            // The workbook: every table sheet read as the CSV it holds.
            "xlsx" => {
                for (sheet, csv) in workbook_tables(&path) {
                    read_csv(r, case, &format!("{name} sheet {sheet}"), &csv);
                }
            }
            // The Word annex: its body, read as the HTML is.
            "docx" => read_text(
                r,
                case,
                &name,
                &crate::workdir::word_document_xml(&path),
                reference,
            ),
            "md" | "html" | "svg" => read_text(
                r,
                case,
                &name,
                &std::fs::read_to_string(&path).unwrap(),
                reference,
            ),
            // Read above; images draw the SVGs; the list of files repgap wrote.
            "json"
                if [
                    "representation.json",
                    "workforce-deep-dive.json",
                    "relative-likelihood.json",
                ]
                .contains(&name.as_str()) => {}
            "png" => {}
            _ if name == ".repgap-files" => {}
            _ => r.problems.push(format!("[unread output] {name}")),
        }
    }
}

/// A copy of the case's folder, inputs and outputs, for a look by hand.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The attack: one linear programme per population.

type Expr = Vec<(usize, f64)>;

struct Constraint {
    expr: Expr,
    op: Op,
    rhs: f64,
}

struct Model {
    pop: usize,
    atoms: Vec<Attr>,
    /// Classes no published count tells apart are one unknown.
    merged: Vec<u32>,
    vars: usize,
    base: Vec<Constraint>,
    /// Statements with several alternatives: every combination is tried.
    choices: Vec<Vec<Vec<Constraint>>>,
    /// Points known to be consistent with everything published (the truth, and every
    /// optimum found): a range they already cover needs no programme.
    pool: Vec<Vec<f64>>,
    programmes: usize,
    /// Unknowns the published zeros fix at 0 (left out of every constraint).
    zero: Vec<bool>,
    /// Whole people only (REPGAP_ATTACKER_INTEGER=1): slower, and at least as strong.
    integer: bool,
    /// Whole-number searches stopped at their time limit.
    stopped: usize,
    /// Whole-number searches that failed, answered by the relaxation.
    fallbacks: usize,
}

impl Model {
    fn new(case: &Case, pop: usize, masks: &BTreeSet<u32>) -> Model {
        let atoms: Vec<Attr> = match pop {
            WORKFORCE => {
                let mut a = vec![Attr::All];
                a.extend((0..case.grades.len()).map(Attr::Grade));
                a.extend((0..case.depts.len()).map(Attr::Dept));
                for o in 0..case.outcomes.len() {
                    a.extend([Attr::Flag(o, false), Attr::Flag(o, true)]);
                }
                a.extend([
                    Attr::Fpr(false),
                    Attr::Fpr(true),
                    Attr::Bonus(false),
                    Attr::Bonus(true),
                ]);
                a.extend((0..4).map(Attr::Quarter));
                a
            }
            APPLICANTS => vec![
                Attr::All,
                Attr::Stage(APPLIED),
                Attr::Stage(SHORTLISTED),
                Attr::Stage(APPOINTED),
            ],
            _ => vec![Attr::All],
        };
        let mut by_signature: BTreeMap<Vec<bool>, u32> = BTreeMap::new();
        for c in 0..CLASSES {
            let signature: Vec<bool> = masks.iter().map(|m| m >> c & 1 == 1).collect();
            *by_signature.entry(signature).or_default() |= 1 << c;
        }
        let mut merged: Vec<u32> = by_signature.into_values().collect();
        merged.sort_by_key(|m| m.trailing_zeros());
        let vars = merged.len() * atoms.len();
        let mut model = Model {
            pop,
            atoms,
            merged,
            vars,
            base: Vec::new(),
            choices: Vec::new(),
            pool: Vec::new(),
            programmes: 0,
            zero: vec![false; vars],
            integer: std::env::var("REPGAP_ATTACKER_INTEGER").is_ok_and(|v| v == "1"),
            stopped: 0,
            fallbacks: 0,
        };
        model.structure(case);
        model
    }

    /// Unknowns in a sum that is 0 (or at most 0) with positive coefficients are 0: take them
    /// out of every constraint, again until none is left. A smaller programme, the same
    /// answers.
    fn presolve(&mut self) {
        loop {
            let mut found = false;
            for c in &self.base {
                let zero_sum = matches!(c.op, Op::Eq | Op::Le) && c.rhs == 0.0;
                if zero_sum && !c.expr.is_empty() && c.expr.iter().all(|&(_, x)| x > 0.0) {
                    for &(v, _) in &c.expr {
                        found |= !self.zero[v];
                        self.zero[v] = true;
                    }
                }
            }
            if !found {
                break;
            }
            let zero = &self.zero;
            let keep = |c: &mut Constraint| {
                c.expr.retain(|&(v, _)| !zero[v]);
                !c.expr.is_empty()
            };
            self.base.retain_mut(keep);
            for choice in &mut self.choices {
                for alt in choice.iter_mut() {
                    alt.retain_mut(keep);
                }
            }
        }
    }

    fn var(&self, merged: usize, attr: Attr) -> usize {
        merged * self.atoms.len() + self.atoms.iter().position(|a| *a == attr).unwrap()
    }

    /// Each class's people: the values of each attribute add up to the class's total, and
    /// bonus and quarter split the full-pay relevant.
    fn structure(&mut self, case: &Case) {
        let groups: Vec<Vec<Attr>> = match self.pop {
            WORKFORCE => {
                let mut g = vec![
                    (0..case.grades.len()).map(Attr::Grade).collect::<Vec<_>>(),
                    (0..case.depts.len()).map(Attr::Dept).collect(),
                    vec![Attr::Fpr(false), Attr::Fpr(true)],
                ];
                for o in 0..case.outcomes.len() {
                    g.push(vec![Attr::Flag(o, false), Attr::Flag(o, true)]);
                }
                g
            }
            APPLICANTS => vec![vec![
                Attr::Stage(APPLIED),
                Attr::Stage(SHORTLISTED),
                Attr::Stage(APPOINTED),
            ]],
            _ => vec![],
        };
        for m in 0..self.merged.len() {
            let total = self.var(m, Attr::All);
            for parts in &groups {
                let mut expr: Expr = parts.iter().map(|&a| (self.var(m, a), 1.0)).collect();
                expr.push((total, -1.0));
                self.base.push(Constraint {
                    expr,
                    op: Op::Eq,
                    rhs: 0.0,
                });
            }
            if self.pop == WORKFORCE {
                let fpr = self.var(m, Attr::Fpr(true));
                for parts in [
                    vec![Attr::Bonus(false), Attr::Bonus(true)],
                    (0..4).map(Attr::Quarter).collect(),
                ] {
                    let mut expr: Expr = parts.iter().map(|&a| (self.var(m, a), 1.0)).collect();
                    expr.push((fpr, -1.0));
                    self.base.push(Constraint {
                        expr,
                        op: Op::Eq,
                        rhs: 0.0,
                    });
                }
            }
        }
    }

    fn cell(&self, cell: &Cell) -> Expr {
        assert_eq!(cell.pop, self.pop);
        let attrs: Vec<Attr> = match cell.attr {
            Attr::Stage(bits) => [APPLIED, SHORTLISTED, APPOINTED]
                .into_iter()
                .filter(|b| bits & b != 0)
                .map(Attr::Stage)
                .collect(),
            a => vec![a],
        };
        let mut expr = Vec::new();
        for (m, &classes) in self.merged.iter().enumerate() {
            let inside = classes & cell.classes;
            assert!(inside == 0 || inside == classes, "classes merged wrongly");
            if inside != 0 {
                expr.extend(attrs.iter().map(|&a| (self.var(m, a), 1.0)));
            }
        }
        expr
    }

    fn expr(&self, terms: &[(Cell, f64)]) -> Expr {
        let mut sum: BTreeMap<usize, f64> = BTreeMap::new();
        for (cell, k) in terms {
            for (v, x) in self.cell(cell) {
                *sum.entry(v).or_default() += k * x;
            }
        }
        sum.into_iter().filter(|(_, x)| *x != 0.0).collect()
    }

    fn constraint(&self, lin: &Lin) -> Constraint {
        Constraint {
            expr: self.expr(&lin.terms),
            op: lin.op,
            rhs: lin.rhs,
        }
    }

    fn value(point: &[f64], expr: &Expr) -> f64 {
        expr.iter().map(|&(v, x)| point[v] * x).sum()
    }

    fn pool_range(&self, expr: &Expr) -> (f64, f64) {
        let whole = |p: &&Vec<f64>| !self.integer || p.iter().all(|x| (x - x.round()).abs() < EPS);
        self.pool
            .iter()
            .filter(whole)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                let v = Model::value(p, expr);
                (lo.min(v), hi.max(v))
            })
    }

    /// The least (or greatest) value of `objective` consistent with everything published;
    /// NaN when nothing is.
    /// The programme for `objective` under every base constraint and `chosen`; `None` when
    /// a constraint left empty by the presolve is violated (no consistent point).
    fn programme(
        &self,
        objective: &Expr,
        maximise: bool,
        chosen: &[&Constraint],
        integer: bool,
    ) -> Option<(Problem, Vec<microlp::Variable>)> {
        let direction = if maximise {
            OptimizationDirection::Maximize
        } else {
            OptimizationDirection::Minimize
        };
        let mut problem = Problem::new(direction);
        let mut coefficients = vec![0.0; self.vars];
        for &(v, x) in objective {
            coefficients[v] += x;
        }
        let vars: Vec<_> = coefficients
            .iter()
            .zip(&self.zero)
            .map(|(&c, &zero)| match (integer, zero) {
                (_, true) => problem.add_var(c, (0.0, 0.0)),
                (true, false) => problem.add_integer_var(c, (0, i32::MAX)),
                (false, false) => problem.add_var(c, (0.0, f64::INFINITY)),
            })
            .collect();
        for c in self.base.iter().chain(chosen.iter().copied()) {
            if c.expr.is_empty() {
                let holds = match c.op {
                    Op::Eq => c.rhs.abs() <= EPS,
                    Op::Le => c.rhs >= -EPS,
                    Op::Ge => c.rhs <= EPS,
                };
                if !holds {
                    return None;
                }
                continue;
            }
            let op = match c.op {
                Op::Eq => ComparisonOp::Eq,
                Op::Le => ComparisonOp::Le,
                Op::Ge => ComparisonOp::Ge,
            };
            let expr: Vec<_> = c.expr.iter().map(|&(v, x)| (vars[v], x)).collect();
            problem.add_constraint(expr.as_slice(), op, c.rhs);
        }
        if integer {
            problem.set_time_limit(std::time::Duration::from_secs(5));
        }
        Some((problem, vars))
    }

    /// Stops early once `need` says the best so far settles the question.
    fn optimise(
        &mut self,
        objective: &Expr,
        maximise: bool,
        extra: &[&Constraint],
        need: &dyn Fn(f64) -> bool,
    ) -> f64 {
        let combinations: usize = self.choices.iter().map(Vec::len).product();
        let mut best: Option<f64> = None;
        for k in 0..combinations {
            if best.is_some_and(|b| !need(b)) {
                break;
            }
            let mut chosen: Vec<&Constraint> = extra.to_vec();
            let mut rest = k;
            for choice in &self.choices {
                chosen.extend(&choice[rest % choice.len()]);
                rest /= choice.len();
            }
            self.programmes += 1;
            let this = &*self;
            let solve = |integer: bool| {
                this.programme(objective, maximise, &chosen, integer)
                    .map(|(problem, vars)| (problem.solve(), vars))
            };
            let attempt = if this.integer {
                // microlp's whole-number search can fail an internal assertion; the relaxation
                // then answers (a weaker attacker for that programme).
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| solve(true))).ok()
            } else {
                None
            };
            let fell_back = this.integer && attempt.is_none();
            let answer = attempt.unwrap_or_else(|| solve(false));
            self.fallbacks += usize::from(fell_back);
            let Some((result, vars)) = answer else {
                continue;
            };
            match result {
                Ok(solution) => {
                    if *solution.stop_reason() == microlp::StopReason::Limit {
                        // The best whole-number point found: a bound, not the optimum.
                        self.stopped += 1;
                    }
                    let v = solution.objective();
                    self.pool
                        .push(vars.iter().map(|&x| solution.var_value(x)).collect());
                    best = Some(match best {
                        Some(b) if maximise => b.max(v),
                        Some(b) => b.min(v),
                        None => v,
                    });
                }
                Err(microlp::Error::Unbounded) => {
                    return if maximise {
                        f64::INFINITY
                    } else {
                        f64::NEG_INFINITY
                    };
                }
                Err(microlp::Error::Infeasible) => {}
                Err(e) => panic!("linear programme failed: {e}"),
            }
        }
        best.unwrap_or(f64::NAN)
    }

    /// The range of `expr`: exact where `need` says the pool does not already settle it.
    fn range(
        &mut self,
        expr: &Expr,
        need_low: impl Fn(f64) -> bool,
        need_high: impl Fn(f64) -> bool,
    ) -> (f64, f64) {
        let (mut lo, mut hi) = self.pool_range(expr);
        if need_low(lo) {
            lo = self.optimise(expr, false, &[], &need_low);
        }
        if need_high(hi) {
            hi = self.optimise(expr, true, &[], &need_high);
        }
        (lo, hi)
    }
}

#[derive(Default, Debug)]
struct Tally {
    workforces: usize,
    min_cell: u64,
    people: usize,
    withheld: usize,
    small_withheld: usize,
    implicit_small: usize,
    dominated_rows: usize,
    means_tried: usize,
    narrowed: usize,
    determined: usize,
    programmes: usize,
    stopped: usize,
    fallbacks: usize,
    problems: usize,
    run_seconds: f64,
    attack_seconds: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.workforces += o.workforces;
        self.people += o.people;
        self.withheld += o.withheld;
        self.small_withheld += o.small_withheld;
        self.implicit_small += o.implicit_small;
        self.dominated_rows += o.dominated_rows;
        self.means_tried += o.means_tried;
        self.narrowed += o.narrowed;
        self.determined += o.determined;
        self.programmes += o.programmes;
        self.stopped += o.stopped;
        self.fallbacks += o.fallbacks;
        self.problems += o.problems;
        self.run_seconds += o.run_seconds;
        self.attack_seconds += o.attack_seconds;
    }
}

const EPS: f64 = 1e-6;

fn holds(case: &Case, lin: &Lin) -> bool {
    let lhs: f64 = lin.terms.iter().map(|(c, k)| k * truth(case, c)).sum();
    match lin.op {
        Op::Eq => (lhs - lin.rhs).abs() <= EPS,
        Op::Le => lhs <= lin.rhs + EPS,
        Op::Ge => lhs >= lin.rhs - EPS,
    }
}

/// Whole numbers of pence over `n` people give this mean (published to the penny) and this
/// median, if any.
fn mean_fits(mean: f64, median: Option<f64>, n: u64) -> bool {
    // Some total of whole pence over n rounds to the published mean.
    let low = ((mean - 0.005) * n as f64 * 100.0 - 1e-6).ceil();
    let high = ((mean + 0.005) * n as f64 * 100.0 + 1e-6).floor();
    if low > high {
        return false;
    }
    // A median that is half a penny is the mean of two middle people: n is even.
    let half_penny = median.is_some_and(|m| {
        let x = m * 100.0;
        (x - x.round()).abs() > 0.25
    });
    !(half_penny && n % 2 == 1)
}

/// One population's part of a reading, from which models with some or all statements are built.
struct Population<'a> {
    case: &'a Case,
    pop: usize,
    masks: BTreeSet<u32>,
    shown: Vec<(Cell, f64)>,
    statements: Vec<&'a Statement>,
}

impl Population<'_> {
    /// The attacker's model with the published counts and the statements `chosen` (indices
    /// into `statements`).
    fn model(&self, chosen: &[usize]) -> Model {
        let case = self.case;
        let mut model = Model::new(case, self.pop, &self.masks);
        for (cell, v) in &self.shown {
            let c = model.constraint(&Lin {
                terms: vec![(*cell, 1.0)],
                op: Op::Eq,
                rhs: *v,
            });
            model.base.push(c);
        }
        let mut multiple: Vec<Vec<Vec<Constraint>>> = Vec::new();
        let shown: BTreeSet<Cell> = self.shown.iter().map(|(c, _)| *c).collect();
        let mut seen = BTreeSet::new();
        for &i in chosen {
            let statement = self.statements[i];
            // A true statement about shown counts only adds nothing.
            let cells = statement
                .alternatives
                .iter()
                .flatten()
                .flat_map(|l| &l.terms);
            if cells.clone().all(|(c, _)| shown.contains(c)) {
                continue;
            }
            let alternatives: Vec<Vec<Constraint>> = statement
                .alternatives
                .iter()
                .map(|alt| alt.iter().map(|l| model.constraint(l)).collect())
                .collect();
            if !seen.insert(format!(
                "{:?}",
                alternatives
                    .iter()
                    .map(|a| a
                        .iter()
                        .map(|c| (&c.expr, c.op, c.rhs.to_bits()))
                        .collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            )) {
                continue;
            }
            if alternatives.len() == 1 {
                model.base.extend(alternatives.into_iter().next().unwrap());
            } else {
                multiple.push(alternatives);
            }
        }
        // The truth is consistent with everything (a check of the attacker, too).
        let truth_point: Vec<f64> = (0..model.vars)
            .map(|v| {
                let (m, a) = (v / model.atoms.len(), model.atoms[v % model.atoms.len()]);
                truth(case, &Cell::new(self.pop, model.merged[m], a))
            })
            .collect();
        for c in &model.base {
            let lhs = Model::value(&truth_point, &c.expr);
            let ok = match c.op {
                Op::Eq => (lhs - c.rhs).abs() <= EPS,
                Op::Le => lhs <= c.rhs + EPS,
                Op::Ge => lhs >= c.rhs - EPS,
            };
            assert!(
                ok,
                "case {}: the attacker's model contradicts the truth",
                case.index
            );
        }
        model.pool.push(truth_point);
        model.presolve();
        // Alternatives that contradict the rest are dropped; a statement left with one is
        // plain.
        for alternatives in multiple {
            let mut possible = Vec::new();
            for alt in alternatives {
                let refs: Vec<&Constraint> = alt.iter().collect();
                if !model
                    .optimise(&Vec::new(), false, &refs, &|_| true)
                    .is_nan()
                {
                    possible.push(alt);
                }
            }
            match possible.len() {
                0 => panic!("no alternative of a true statement is possible"),
                1 => model.base.extend(possible.into_iter().next().unwrap()),
                _ => model.choices.push(possible),
            }
        }
        model
    }

    /// What gives a finding away: the published counts alone, or the first statement (in
    /// reading order) without which it does not happen.
    fn explain(&self, fails: impl Fn(&mut Model) -> bool) -> String {
        if fails(&mut self.model(&[])) {
            return "by the published counts alone".to_string();
        }
        let (mut ok, mut bad) = (0, self.statements.len());
        while bad - ok > 1 {
            let mid = (ok + bad) / 2;
            let chosen: Vec<usize> = (0..mid).collect();
            if fails(&mut self.model(&chosen)) {
                bad = mid;
            } else {
                ok = mid;
            }
        }
        let culprit = &self.statements[bad - 1].source;
        if fails(&mut self.model(&[bad - 1])) {
            format!("by the counts with: {culprit}")
        } else {
            format!("by the counts and earlier statements with: {culprit}")
        }
    }
}

/// Findings explained per case (REPGAP_ATTACKER_EXPLAIN): the first few.
fn explained_per_case() -> usize {
    std::env::var("REPGAP_ATTACKER_EXPLAIN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

fn attack(case: &Case, r: Reading) -> (Tally, Vec<String>) {
    let mc = case.min_cell as f64;
    let mut problems = r.problems.clone();
    let mut tally = Tally {
        workforces: 1,
        people: case.people.len(),
        min_cell: case.min_cell,
        ..Tally::default()
    };
    let small = |cell: &Cell, t: f64| cell.by_group() && t >= 1.0 && t < mc;
    // Every published count is true, and none is a small count of a group.
    for (cell, (v, source)) in &r.shown {
        let t = truth(case, cell);
        if (t - v).abs() > EPS {
            problems.push(format!(
                "[false count] {source}: shows {v}, the truth is {t} ({})",
                describe(case, cell)
            ));
        } else if small(cell, t) {
            problems.push(format!(
                "[small count shown] {source}: {t} ({})",
                describe(case, cell)
            ));
        }
    }
    // Every statement is true; a false one is reported and not used.
    let mut statements: Vec<&Statement> = Vec::new();
    for s in &r.statements {
        if s.alternatives
            .iter()
            .any(|alt| alt.iter().all(|l| holds(case, l)))
        {
            statements.push(s);
        } else {
            let values: Vec<String> = s
                .alternatives
                .iter()
                .flatten()
                .flat_map(|l| &l.terms)
                .map(|(c, _)| format!("{} = {}", describe(case, c), truth(case, c)))
                .collect();
            problems.push(format!(
                "[false statement] {}: the truth is {}",
                s.source,
                values.join(", ")
            ));
        }
    }
    let mut explained = 0;
    let pops: BTreeSet<usize> = r.seen.keys().map(|c| c.pop).collect();
    for pop in pops {
        let in_pop = |c: &Cell| c.pop == pop;
        let mut masks: BTreeSet<u32> = [EVERYONE].into();
        masks.extend(r.seen.keys().filter(|c| in_pop(c)).map(|c| c.classes));
        masks.extend(r.implicit.keys().filter(|c| in_pop(c)).map(|c| c.classes));
        let mine: Vec<&Statement> = statements
            .iter()
            .copied()
            .filter(|s| {
                let pops_of: BTreeSet<usize> = s
                    .alternatives
                    .iter()
                    .flatten()
                    .flat_map(|l| &l.terms)
                    .map(|(c, _)| c.pop)
                    .collect();
                assert!(
                    pops_of.len() <= 1,
                    "a statement spans populations: {}",
                    s.source
                );
                pops_of.contains(&pop)
            })
            .collect();
        for s in &mine {
            for l in s.alternatives.iter().flatten() {
                masks.extend(l.terms.iter().map(|(c, _)| c.classes));
            }
        }
        for row in r.rows.iter().filter(|row| in_pop(&row.total)) {
            masks.extend(
                std::iter::once(&row.total)
                    .chain(&row.parts)
                    .map(|c| c.classes),
            );
        }
        let population = Population {
            case,
            pop,
            masks,
            shown: r
                .shown
                .iter()
                .filter(|(c, (v, _))| in_pop(c) && (truth(case, c) - v).abs() <= EPS)
                .map(|(c, (v, _))| (*c, *v))
                .collect(),
            statements: mine,
        };
        let all: Vec<usize> = (0..population.statements.len()).collect();
        let mut model = population.model(&all);
        let mut explain = |fails: &dyn Fn(&mut Model) -> bool| {
            explained += 1;
            if explained > explained_per_case() {
                String::new()
            } else {
                format!("; {}", population.explain(fails))
            }
        };
        // Withheld counts, and counts given away as differences.
        let mut targets: Vec<(Cell, &String, bool)> = Vec::new();
        for (cell, source) in r.seen.iter().filter(|(c, _)| in_pop(c)) {
            if !r.shown.contains_key(cell) {
                targets.push((*cell, source, true));
            }
        }
        for (cell, source) in r.implicit.iter().filter(|(c, _)| in_pop(c)) {
            if !r.shown.contains_key(cell) && !r.seen.contains_key(cell) {
                targets.push((*cell, source, false));
            }
        }
        for (cell, source, withheld) in targets {
            let t = truth(case, &cell);
            let expr = model.cell(&cell);
            if withheld {
                tally.withheld += 1;
            }
            if small(&cell, t) {
                if withheld {
                    tally.small_withheld += 1;
                } else {
                    tally.implicit_small += 1;
                }
                let narrowed = |m: &mut Model| {
                    let (lo, hi) = m.range(&expr, |lo| lo > EPS, |hi| hi < mc - EPS);
                    lo > EPS || hi < mc - EPS
                };
                if narrowed(&mut model) {
                    let (lo, hi) = model.range(&expr, |_| true, |_| true);
                    tally.narrowed += 1;
                    let why = explain(&narrowed);
                    problems.push(format!(
                        "[narrowed] {source} ({}): true value {t}, an attacker's range [{lo:.3}, {hi:.3}] (must reach 0 and {mc}){why}",
                        describe(case, &cell)
                    ));
                }
            } else if withheld && t > 0.0 {
                let determined = |m: &mut Model| {
                    let (lo, hi) = m.pool_range(&expr);
                    hi - lo <= EPS && {
                        let (lo, hi) = m.range(&expr, |_| true, |_| true);
                        hi - lo <= EPS
                    }
                };
                if determined(&mut model) {
                    tally.determined += 1;
                    let why = explain(&determined);
                    problems.push(format!(
                        "[determined] {source} ({}): true value {t}, worked out exactly{why}",
                        describe(case, &cell)
                    ));
                }
            }
        }
        // Rows that one group fills but for a few.
        for row in r.rows.iter().filter(|row| in_pop(&row.total)) {
            let total = truth(case, &row.total);
            let values: Vec<f64> = row.parts.iter().map(|p| truth(case, p)).collect();
            let top = values.iter().cloned().fold(0.0, f64::max);
            if total <= 0.0 || total - top >= mc {
                continue;
            }
            tally.dominated_rows += 1;
            for (part, _) in row.parts.iter().zip(&values).filter(|&(_, &v)| v == top) {
                let expr = model.expr(&[(row.total, 1.0), (*part, -1.0)]);
                let revealed =
                    |m: &mut Model| m.range(&expr, |_| false, |hi| hi < mc - EPS).1 < mc - EPS;
                if revealed(&mut model) {
                    let hi = model.range(&expr, |_| false, |_| true).1;
                    tally.narrowed += 1;
                    let why = explain(&revealed);
                    problems.push(format!(
                        "[group disclosure] {}: {} holds {top} of {total}; an attacker's most for the others is {hi:.3} (must reach {mc}){why}",
                        row.source,
                        describe(case, part)
                    ));
                }
            }
        }
        // Mean pay in pence over a withheld size.
        for m in r.means.iter().filter(|m| in_pop(&m.cell)) {
            if r.shown.contains_key(&m.cell) {
                continue;
            }
            tally.means_tried += 1;
            let t = truth(case, &m.cell) as u64;
            let expr = model.cell(&m.cell);
            let (lo, hi) = model.range(&expr, |_| true, |_| true);
            let (lo, hi) = (
                (lo - EPS).ceil().max(1.0) as u64,
                (hi + EPS).floor().min(100_000.0) as u64,
            );
            let fits: Vec<u64> = (lo..=hi)
                .filter(|&n| mean_fits(m.mean, m.median, n))
                .collect();
            assert!(
                fits.contains(&t),
                "case {}: the mean of {} does not fit its true size {t} (the attack is wrong)",
                case.index,
                m.source
            );
            // Only a mean that narrows what the counts allow gives a size away: a size the
            // published counts already pin is not withheld, and whether a withheld count is
            // pinned is the counts' check above.
            if fits.len() == 1 && lo < hi {
                tally.determined += 1;
                problems.push(format!(
                    "[determined by mean pay] {} ({}): the mean {} is a whole number of pence over {t} people and over no other size from {lo} to {hi}, the range the counts allow",
                    m.source,
                    describe(case, &m.cell),
                    m.mean
                ));
            }
        }
        tally.programmes += model.programmes;
        tally.stopped += model.stopped;
        tally.fallbacks += model.fallbacks;
    }
    tally.problems = problems.len();
    (tally, problems)
}

fn check(index: usize) -> (Tally, Vec<String>) {
    let case = generate(index);
    let wd = Workdir::new();
    write_inputs(&case, &wd);
    let started = std::time::Instant::now();
    wd.run(&["run", "repgap.toml", "--output-dir", "out"]).ok();
    let ran = started.elapsed();
    if let Ok(keep) = std::env::var("REPGAP_ATTACKER_KEEP") {
        let to = Path::new(&keep).join(format!("case-{index}"));
        copy_tree(&wd.path(""), &to);
    }
    let mut reading = Reading {
        min_cell: case.min_cell,
        ..Reading::default()
    };
    read_outputs(&mut reading, &case, &wd.path("out"));
    let (mut tally, problems) = attack(&case, reading);
    tally.run_seconds = ran.as_secs_f64();
    tally.attack_seconds = (started.elapsed() - ran).as_secs_f64();
    let problems = problems
        .into_iter()
        .map(|p| {
            format!(
                "case {} (seed {:#018x}, {} staff, min_cell {}): {p}",
                case.index,
                case.seed,
                case.people.len(),
                case.min_cell
            )
        })
        .collect();
    (tally, problems)
}

#[test]
fn no_withheld_count_can_be_worked_out_from_every_output() {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    };
    let cases: Vec<usize> = match env("REPGAP_ATTACKER_CASE") {
        Some(one) => vec![one],
        None => (0..env("REPGAP_ATTACKER_CASES").unwrap_or(10)).collect(),
    };
    // Two at a time: most of a case is the run of the binary.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(&index) = cases.get(at) else { break };
                // A case that panics is a finding too; the others still run.
                let result = std::panic::catch_unwind(|| check(index)).unwrap_or_else(|e| {
                    let message = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    let tally = Tally {
                        workforces: 1,
                        ..Tally::default()
                    };
                    (tally, vec![format!("case {index}: [panic] {message}")])
                });
                results.lock().unwrap().insert(index, result);
            });
        }
    });
    let mut total = Tally::default();
    let mut problems = Vec::new();
    for (index, (tally, found)) in results.into_inner().unwrap() {
        eprintln!(
            "case {index}: {} staff, min_cell {}, {} withheld counts ({} small), {} small differences, {} dominated rows, {} programmes, {} problems; run {:.1} s, attack {:.1} s",
            tally.people,
            tally.min_cell,
            tally.withheld,
            tally.small_withheld,
            tally.implicit_small,
            tally.dominated_rows,
            tally.programmes,
            found.len(),
            tally.run_seconds,
            tally.attack_seconds
        );
        total.add(&tally);
        problems.extend(found);
    }
    eprintln!(
        "attacker: {} workforces, {} withheld counts checked ({} small), {} small counts given by differences, {} dominated rows, {} mean pay figures tried, {} linear programmes; {} narrowed below the protection range, {} determined, {} problems in all",
        total.workforces,
        total.withheld,
        total.small_withheld,
        total.implicit_small,
        total.dominated_rows,
        total.means_tried,
        total.programmes,
        total.narrowed,
        total.determined,
        problems.len()
    );
    if total.stopped + total.fallbacks > 0 {
        eprintln!(
            "attacker: {} whole-number searches stopped at their time limit (their findings may be too strict), {} failed and were answered by the relaxation",
            total.stopped, total.fallbacks
        );
    }
    for p in &problems {
        eprintln!("{p}");
    }
    assert!(
        problems.is_empty(),
        "{} problems; the first: {}",
        problems.len(),
        problems[0]
    );
}
