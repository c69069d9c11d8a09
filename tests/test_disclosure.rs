//! Disclosure control checked from the outside: an adversary who knows every shown figure,
//! every denominator and how the tables nest (grades add up to the whole workforce, categories
//! to their high-level group, the binary splits to the groups they combine) solves any equation
//! with a single unknown, over and over. No withheld count may fall out.

use std::collections::HashMap;
use std::path::PathBuf;

use proptest::prelude::*;
use repgap::classify::{Classified, EthnicGroup};
use repgap::ingest::{CensusEdition, Extract, Population, TextColumn};
use repgap::metrics::{representation, RepresentationOptions};
use serde_json::Value;

use crate::workdir::{fixture, Workdir};

/// (breakdown, level, group). A table's own counts are cells too, under the groups
/// `#headcount` and `#not_stated` (level `*`: the same at every level), `#unplaced` and
/// `#declared`.
pub(crate) type Cell = (String, String, String);

/// `cells[0]` = the sum of the other cells.
struct Equation {
    cells: Vec<Cell>,
}

const TABLE_COUNTS: [(&str, &str); 4] = [
    ("headcount", "#headcount"),
    ("not_stated_n", "#not_stated"),
    ("unplaced_n", "#unplaced"),
    ("declared_n", "#declared"),
];

fn table_cell(t: &Value, group: &str) -> Cell {
    let level = if matches!(group, "#headcount" | "#not_stated") {
        "*".to_string()
    } else {
        s(&t["level"])
    };
    (s(&t["breakdown"]), level, group.to_string())
}

/// Shown counts of a representation report (JSON form): `None` where withheld.
fn shown_counts(report: &Value) -> HashMap<Cell, Option<u64>> {
    let mut shown = HashMap::new();
    for t in report["tables"].as_array().unwrap() {
        for r in t["rows"].as_array().unwrap() {
            let key = (s(&t["breakdown"]), s(&t["level"]), s(&r["group"]));
            shown.insert(key, r["workforce_n"].as_u64());
        }
        for (field, group) in TABLE_COUNTS {
            shown.insert(table_cell(t, group), t[field].as_u64());
        }
    }
    shown
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

fn equations(report: &Value, shown: &HashMap<Cell, Option<u64>>) -> Vec<Equation> {
    let tables = report["tables"].as_array().unwrap();
    let mut equations = Vec::new();
    for t in tables {
        let mut cells = vec![table_cell(t, "#declared")];
        cells.extend(
            t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| (s(&t["breakdown"]), s(&t["level"]), s(&r["group"]))),
        );
        equations.push(Equation { cells });
        equations.push(Equation {
            cells: ["#headcount", "#not_stated", "#unplaced", "#declared"]
                .iter()
                .map(|g| table_cell(t, g))
                .collect(),
        });
    }
    let breakdowns: Vec<String> = tables
        .iter()
        .map(|t| s(&t["breakdown"]))
        .filter(|b| b != "all")
        .collect();
    let keys: Vec<Cell> = shown.keys().cloned().collect();
    let in_table = |b: &str, level: &str, keep: &dyn Fn(&str) -> bool| -> Vec<Cell> {
        keys.iter()
            .filter(|(b2, l2, g2)| b2 == b && l2 == level && !g2.starts_with('#') && keep(g2))
            .cloned()
            .collect()
    };
    for (b, level, group) in &keys {
        let head = (b.clone(), level.clone(), group.clone());
        let mut with_head = |parts: Vec<Cell>| {
            if !parts.is_empty() {
                let mut cells = vec![head.clone()];
                cells.extend(parts);
                equations.push(Equation { cells });
            }
        };
        if b == "all" {
            with_head(
                breakdowns
                    .iter()
                    .map(|g| (g.clone(), level.clone(), group.clone()))
                    .filter(|k| shown.contains_key(k))
                    .collect(),
            );
        }
        if group.starts_with('#') {
            continue;
        }
        match (level.as_str(), group.as_str()) {
            ("high", _) => with_head(in_table(b, "detailed", &|g| {
                g.starts_with(&format!("{group}: "))
            })),
            ("white-british", "White British") => with_head(in_table(b, "detailed", &|g| {
                g == EthnicGroup::WhiteBritish.label()
            })),
            ("white", "White") => with_head(in_table(b, "high", &|g| g == "White")),
            ("white", _) => with_head(in_table(b, "high", &|g| g != "White")),
            _ => {}
        }
    }
    equations
}

/// The withheld cells an adversary can work out.
pub(crate) fn recoverable(report: &Value) -> Vec<Cell> {
    let shown = shown_counts(report);
    let equations = equations(report, &shown);
    let mut values = shown.clone();
    loop {
        let mut progress = false;
        for eq in &equations {
            let unknown: Vec<&Cell> = eq.cells.iter().filter(|c| values[*c].is_none()).collect();
            if unknown.len() != 1 {
                continue;
            }
            let target = unknown[0].clone();
            let parts: u64 = eq.cells[1..].iter().filter_map(|c| values[c]).sum();
            let value = if target == eq.cells[0] {
                parts
            } else {
                values[&eq.cells[0]].unwrap() - parts
            };
            values.insert(target, Some(value));
            progress = true;
        }
        if !progress {
            break;
        }
    }
    shown
        .into_iter()
        .filter(|(k, v)| v.is_none() && values[k].is_some())
        .map(|(k, _)| k)
        .collect()
}

#[test]
fn fixture_breakdown_tables_from_the_binary_cannot_be_undone() {
    let wd = Workdir::new();
    let census = fixture("census2021-tidy.csv");
    let workforce = fixture("workforce-small.csv");
    let out = wd
        .run(&[
            "representation",
            "--census",
            census.to_str().unwrap(),
            "--area",
            "E07000092",
            "--workforce",
            workforce.to_str().unwrap(),
            "--level",
            "high,detailed,white-british,white",
            "--by",
            "grade",
            "--format",
            "json",
        ])
        .ok();
    let report: Value = serde_json::from_str(&out).unwrap();
    let withheld = shown_counts(&report)
        .values()
        .filter(|v| v.is_none())
        .count();
    assert!(withheld > 0, "the fixture should need suppression");
    assert_eq!(recoverable(&report), Vec::<Cell>::new());
}

fn population() -> Population {
    let mut counts = [0u64; 19];
    for (i, c) in counts.iter_mut().enumerate() {
        *c = 500 + 97 * i as u64;
    }
    counts[EthnicGroup::WhiteBritish.index()] = 70_000;
    Population::of_categories(
        PathBuf::from("census.csv"),
        CensusEdition::Census2021,
        vec![("E1".into(), "Town".into())],
        counts,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_workforces_cannot_be_undone_by_subtraction(
        staff in proptest::collection::vec((0usize..22, 0usize..4), 5..160),
        min_cell in 3u64..11,
    ) {
        // (ethnicity, grade) of each member of staff.
        let records: Vec<(Classified, String)> = staff
            .iter()
            .map(|&(g, grade)| (
                // 19 is a second chance of White British (the common group); 20+ not stated.
                match g {
                    0..=18 => Classified::Group(EthnicGroup::ALL[g]),
                    19 => Classified::Group(EthnicGroup::WhiteBritish),
                    _ => Classified::NotStated,
                },
                format!("G{grade}"),
            ))
            .collect();
        let grades: Vec<&str> = records.iter().map(|r| r.1.as_str()).collect();
        let workforce = Extract::from_columns(
            "hr.csv",
            records.iter().map(|r| r.0).collect(),
            vec![TextColumn::from_values("grade", &grades)],
        );
        let options = RepresentationOptions {
            levels: repgap::classify::Level::ALL.to_vec(),
            breakdowns: vec!["grade".into()],
            confidence: 0.95,
            min_cell,
            orders: Default::default(),
        };
        let report = repgap::disclosure::protected(min_cell, |d| representation(&workforce, &population(), &options, d)).unwrap();
        let report = serde_json::to_value(report).unwrap();
        // Every count from 1 to below the threshold is withheld; every shown count is true.
        for t in report["tables"].as_array().unwrap() {
            let level = repgap::classify::Level::parse(t["level"].as_str().unwrap()).unwrap();
            let breakdown = t["breakdown"].as_str().unwrap();
            for r in t["rows"].as_array().unwrap() {
                let bucket = level.group_labels().iter().position(|g| g == r["group"].as_str().unwrap()).unwrap();
                let truth = records
                    .iter()
                    .filter(|rec| breakdown == "all" || breakdown == format!("grade={}", rec.1))
                    .filter(|rec| level.bucket(rec.0) == Some(bucket))
                    .count() as u64;
                match r["workforce_n"].as_u64() {
                    Some(n) => prop_assert_eq!(n, truth),
                    None => prop_assert!(truth == 0 || !r["suppressed"].is_null()),
                }
                if (1..min_cell).contains(&truth) {
                    prop_assert!(r["workforce_n"].is_null(), "{} {} = {} shown", breakdown, r["group"], truth);
                }
            }
        }
        // The same for each table's headcount, not-stated, unplaced and declared counts.
        for t in report["tables"].as_array().unwrap() {
            let level = repgap::classify::Level::parse(t["level"].as_str().unwrap()).unwrap();
            let breakdown = t["breakdown"].as_str().unwrap();
            let people: Vec<Classified> = records
                .iter()
                .filter(|rec| breakdown == "all" || breakdown == format!("grade={}", rec.1))
                .map(|rec| rec.0)
                .collect();
            let not_stated = people.iter().filter(|&&e| e == Classified::NotStated).count() as u64;
            let declared = people.iter().filter(|&&e| level.bucket(e).is_some()).count() as u64;
            let truths = [
                ("headcount", people.len() as u64),
                ("not_stated_n", not_stated),
                ("unplaced_n", people.len() as u64 - not_stated - declared),
                ("declared_n", declared),
            ];
            for (field, truth) in truths {
                match t[field].as_u64() {
                    Some(n) => prop_assert_eq!(n, truth, "{} {}", breakdown, field),
                    None => prop_assert!(!t["suppressed_counts"][field].is_null(), "{} {} withheld with no reason", breakdown, field),
                }
                if (1..min_cell).contains(&truth) {
                    prop_assert!(t[field].is_null(), "{} {} = {} shown", breakdown, field, truth);
                }
            }
        }
        let recovered = recoverable(&report);
        prop_assert!(recovered.is_empty(), "recovered {:?}", recovered);
    }
}
