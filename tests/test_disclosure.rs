//! Property test on the real analysis: for random workforces, no count withheld from the
//! published tables can be recovered by an adversary who knows every shown figure, every
//! denominator, and how the tables nest.

use std::collections::HashMap;
use std::path::PathBuf;

use proptest::prelude::*;
use repgap::classify::{Classified, EthnicGroup, Level};
use repgap::ingest::{CensusEdition, Population, Workforce, WorkforceRecord};
use repgap::metrics::{representation, RepresentationOptions};

type Cell = (String, Level, String);

/// `total` (a published number, or the first cell when `None`) = sum of the other cells.
struct Equation {
    total: Option<u64>,
    cells: Vec<Cell>,
}

fn solve(mut values: HashMap<Cell, Option<u64>>, equations: &[Equation]) -> HashMap<Cell, Option<u64>> {
    loop {
        let mut progress = false;
        for eq in equations {
            let unknown: Vec<&Cell> = eq.cells.iter().filter(|c| values[*c].is_none()).collect();
            if unknown.len() != 1 {
                continue;
            }
            let target = unknown[0].clone();
            let value = match eq.total {
                Some(t) => t - eq.cells.iter().filter_map(|c| values[c]).sum::<u64>(),
                None => {
                    let parts: u64 = eq.cells[1..].iter().filter_map(|c| values[c]).sum();
                    if target == eq.cells[0] {
                        parts
                    } else {
                        values[&eq.cells[0]].unwrap() - parts
                    }
                }
            };
            values.insert(target, Some(value));
            progress = true;
        }
        if !progress {
            return values;
        }
    }
}

fn population() -> Population {
    let mut counts = [0u64; 19];
    for (i, c) in counts.iter_mut().enumerate() {
        *c = 500 + 97 * i as u64;
    }
    counts[EthnicGroup::WhiteBritish.index()] = 70_000;
    Population {
        source: PathBuf::from("census.csv"),
        edition: CensusEdition::Census2021,
        areas: vec![("E1".into(), "Town".into())],
        counts,
        warnings: vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn published_tables_cannot_be_undone_by_subtraction(
        staff in proptest::collection::vec((0usize..22, 0usize..4), 5..160),
        min_cell in 3u64..11,
    ) {
        let records = staff
            .iter()
            .enumerate()
            .map(|(i, &(g, grade))| WorkforceRecord {
                row: i as u64 + 2,
                // Indices past 18 are "not stated"; White British is made common.
                ethnicity: match g {
                    0..=18 => Classified::Group(EthnicGroup::ALL[g]),
                    19 => Classified::Group(EthnicGroup::WhiteBritish),
                    _ => Classified::NotStated,
                },
                breakdowns: vec![format!("G{grade}")],
            })
            .collect();
        let workforce = Workforce {
            path: PathBuf::from("hr.csv"),
            ethnicity_column: "ethnicity".into(),
            breakdown_columns: vec!["grade".into()],
            records,
        };
        let levels = vec![Level::High, Level::Detailed, Level::WhiteBritish, Level::White];
        let options = RepresentationOptions { levels: levels.clone(), breakdowns: vec![0], confidence: 0.95, min_cell };
        let report = representation(&workforce, &population(), &options).unwrap();

        let mut shown: HashMap<Cell, Option<u64>> = HashMap::new();
        let mut truth: HashMap<Cell, u64> = HashMap::new();
        let mut equations = Vec::new();
        for t in &report.tables {
            let mut cells = Vec::new();
            for r in &t.rows {
                let key = (t.breakdown.clone(), t.level, r.group.clone());
                shown.insert(key.clone(), r.workforce_n);
                cells.push(key);
            }
            equations.push(Equation { total: Some(t.declared_n), cells });
        }
        // True counts, independently of the report, to check primary suppression.
        for t in &report.tables {
            for (bucket, label) in t.level.group_labels().into_iter().enumerate() {
                let n = workforce.records.iter()
                    .filter(|r| t.breakdown == "all" || t.breakdown == format!("grade={}", r.breakdowns[0]))
                    .filter(|r| t.level.bucket(r.ethnicity) == Some(bucket))
                    .count() as u64;
                truth.insert((t.breakdown.clone(), t.level, label), n);
            }
        }
        let breakdowns: Vec<String> = report.tables.iter().map(|t| t.breakdown.clone()).filter(|b| b != "all").collect();
        let keys: Vec<Cell> = shown.keys().cloned().collect();
        for (b, level, group) in &keys {
            if b == "all" {
                let mut cells = vec![(b.clone(), *level, group.clone())];
                cells.extend(breakdowns.iter().map(|g| (g.clone(), *level, group.clone())).filter(|k| shown.contains_key(k)));
                equations.push(Equation { total: None, cells });
            }
            let same = |l: Level, g: &str| (b.clone(), l, g.to_string());
            match level {
                Level::High => {
                    let mut cells = vec![same(Level::High, group)];
                    cells.extend(keys.iter().filter(|(b2, l2, g2)| b2 == b && *l2 == Level::Detailed && g2.starts_with(&format!("{group}: "))).cloned());
                    equations.push(Equation { total: None, cells });
                }
                Level::WhiteBritish if group == "White British" => {
                    equations.push(Equation { total: None, cells: vec![same(Level::WhiteBritish, group), same(Level::Detailed, &EthnicGroup::WhiteBritish.label())] });
                }
                Level::White if group == "White" => {
                    equations.push(Equation { total: None, cells: vec![same(Level::White, group), same(Level::High, "White")] });
                }
                Level::White => {
                    let mut cells = vec![same(Level::White, group)];
                    cells.extend(keys.iter().filter(|(b2, l2, g2)| b2 == b && *l2 == Level::High && g2 != "White").cloned());
                    equations.push(Equation { total: None, cells });
                }
                _ => {}
            }
        }
        for (key, value) in &shown {
            let n = truth[key];
            if (1..min_cell).contains(&n) {
                prop_assert!(value.is_none(), "{key:?} = {n} is shown");
            }
            if let Some(v) = value {
                prop_assert_eq!(*v, n, "{:?}", key);
            }
        }
        let solved = solve(shown.clone(), &equations);
        let recovered: Vec<&Cell> = shown.iter().filter(|(k, v)| v.is_none() && solved[*k].is_some()).map(|(k, _)| k).collect();
        prop_assert!(recovered.is_empty(), "recovered {:?}", recovered);
    }
}
