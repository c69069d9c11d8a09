//! Change in the comparator's ethnic make-up between two censuses (2011 → 2021), at the most
//! detailed level both tables give, with the 2011 categories harmonised to 2021's.
//!
//! Census counts are counts of everyone, not samples: the change is shown without an interval,
//! and with a statement of everything that makes the two years less than comparable.

use serde::Serialize;

use crate::classify::{EthnicGroup, Level};
use crate::error::{Error, Result};
use crate::ingest::{CensusEdition, Population};

/// One group at both censuses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeRow {
    pub level: Level,
    pub group: String,
    pub earlier_n: u64,
    pub earlier_share: f64,
    pub later_n: u64,
    pub later_share: f64,
    /// Later share − earlier share, in percentage points.
    pub change_pp: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeReport {
    pub earlier: String,
    pub later: String,
    pub earlier_year: u32,
    pub later_year: u32,
    pub earlier_total: u64,
    pub later_total: u64,
    /// Each harmonisation, in words.
    pub harmonisations: Vec<String>,
    pub rows: Vec<ChangeRow>,
}

/// A change in points with its sign, "0.0" when it rounds to nothing (never "-0.0").
pub fn signed_points(pp: f64) -> String {
    let rounded = (pp * 10.0).round() / 10.0;
    if rounded == 0.0 {
        "0.0".to_string()
    } else {
        format!("{rounded:+.1}")
    }
}

/// The harmonised groups of `level`: the buckets, with Roma in Other White when either census
/// lacks it (only at the detailed level: elsewhere Roma share a group with Other White).
fn groups(level: Level, roma_apart: bool) -> Vec<(String, Vec<EthnicGroup>)> {
    let labels = level.group_labels();
    (0..level.group_count())
        .filter_map(|b| {
            let mut members = level.members(b);
            if level == Level::Detailed && !roma_apart {
                if members == [EthnicGroup::Roma] {
                    return None;
                }
                if members == [EthnicGroup::OtherWhite] {
                    members.push(EthnicGroup::Roma);
                    return Some(("White: Other White (including Roma)".to_string(), members));
                }
            }
            Some((labels[b].clone(), members))
        })
        .collect()
}

pub fn change(earlier: &Population, later: &Population) -> Result<ChangeReport> {
    if earlier.edition.year() >= later.edition.year() {
        return Err(Error::usage(
            format!(
                "the earlier table is from Census {} and the later from Census {}",
                earlier.edition.year(),
                later.edition.year()
            ),
            "give the Census 2011 table as the earlier one and the Census 2021 table as the later",
        ));
    }
    if earlier.comparator != later.comparator {
        return Err(Error::usage(
            format!(
                "the two censuses count different residents: {} and {}",
                earlier.describe(),
                later.describe()
            ),
            "compare the same residents at both censuses: set the same comparator, with tables that can give it in both years",
        ));
    }
    let earlier_codes: Vec<&String> = earlier.areas.iter().map(|(c, _)| c).collect();
    let later_codes: Vec<&String> = later.areas.iter().map(|(c, _)| c).collect();
    if earlier_codes != later_codes {
        return Err(Error::usage(
            format!(
                "the areas differ between the censuses: {} and {}",
                earlier_codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
                later_codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
            "name the same area codes in both tables (an area whose code changed between censuses had its boundary changed too, and cannot be compared directly)",
        ));
    }
    let roma_apart = earlier.has_roma() && later.has_roma();
    let mut harmonisations = vec![format!(
        "areas matched by code ({}); an area whose boundary changed between the censuses gets a new code and would not match",
        later_codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    )];
    if earlier.edition == CensusEdition::Census2011 {
        harmonisations.push(
            "Census 2011 had no Roma category: Roma wrote in under Other White, so the 2021 Roma are counted in Other White at both censuses".to_string(),
        );
        harmonisations.push(
            "the 2011 headings are read as their 2021 successors: Asian/Asian British as Asian, Asian British or Asian Welsh; Black/African/Caribbean/Black British as Black, Black British, Black Welsh, Caribbean or African; Mixed/multiple ethnic groups as Mixed or Multiple ethnic groups; the categories within them are the same".to_string(),
        );
        harmonisations.push(
            "Census 2021 counts were perturbed by a cell key method as well as record swapping; 2011 counts by record swapping alone: changes of a few people are not meaningful".to_string(),
        );
    }
    let mut levels = vec![Level::High];
    let finest = [Level::Detailed, Level::EightCategories]
        .into_iter()
        .find(|l| earlier.supports(*l) && later.supports(*l));
    match finest {
        Some(level) => levels.push(level),
        None => harmonisations.push(format!(
            "one of the tables counts {} groups and the other {}: the change is shown for the 5 high-level groups only",
            earlier.part_count(),
            later.part_count()
        )),
    }
    if finest == Some(Level::EightCategories) {
        harmonisations.push(
            "one of the tables counts the 8 categories of the cross-tabulated tables: the change is shown at those".to_string(),
        );
    }
    let (earlier_total, later_total) = (earlier.total(), later.total());
    let mut rows = Vec::new();
    for level in levels {
        for (group, members) in groups(level, roma_apart) {
            let (Some(a), Some(b)) = (earlier.count(&members), later.count(&members)) else {
                continue;
            };
            let (sa, sb) = (
                a as f64 / earlier_total as f64,
                b as f64 / later_total as f64,
            );
            rows.push(ChangeRow {
                level,
                group,
                earlier_n: a,
                earlier_share: sa,
                later_n: b,
                later_share: sb,
                change_pp: (sb - sa) * 100.0,
            });
        }
    }
    Ok(ChangeReport {
        earlier: earlier.describe(),
        later: later.describe(),
        earlier_year: earlier.edition.year(),
        later_year: later.edition.year(),
        earlier_total,
        later_total,
        harmonisations,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(edition: CensusEdition, counts: [u64; 19]) -> Population {
        Population::of_categories(
            "c.csv".into(),
            edition,
            vec![("E1".into(), "Town".into())],
            counts,
        )
    }

    /// By hand: Other White 30 and Roma 0 in 2011 (Roma not counted apart), Other White 40 and
    /// Roma 10 in 2021: Other White including Roma goes from 30 of 100 to 50 of 200, 30% to
    /// 25%, −5 points; no Roma row.
    #[test]
    fn roma_are_in_other_white_at_both_censuses() {
        let mut a = [0u64; 19];
        a[EthnicGroup::WhiteBritish.index()] = 70;
        a[EthnicGroup::OtherWhite.index()] = 30;
        let mut b = [0u64; 19];
        b[EthnicGroup::WhiteBritish.index()] = 150;
        b[EthnicGroup::OtherWhite.index()] = 40;
        b[EthnicGroup::Roma.index()] = 10;
        let report = change(
            &population(CensusEdition::Census2011, a),
            &population(CensusEdition::Census2021, b),
        )
        .unwrap();
        let detailed: Vec<&ChangeRow> = report
            .rows
            .iter()
            .filter(|r| r.level == Level::Detailed)
            .collect();
        assert_eq!(detailed.len(), 18);
        assert!(!detailed.iter().any(|r| r.group.ends_with("Roma")));
        let ow = detailed
            .iter()
            .find(|r| r.group.starts_with("White: Other White"))
            .unwrap();
        assert_eq!((ow.earlier_n, ow.later_n), (30, 50));
        assert!((ow.change_pp - -5.0).abs() < 1e-12);
        let white = report
            .rows
            .iter()
            .find(|r| r.level == Level::High && r.group == "White")
            .unwrap();
        assert_eq!((white.earlier_n, white.later_n), (100, 200));
        assert!(white.change_pp.abs() < 1e-12);
        assert!(report.harmonisations.iter().any(|h| h.contains("Roma")));
        // The later table first is refused.
        assert!(change(
            &population(CensusEdition::Census2021, b),
            &population(CensusEdition::Census2011, a)
        )
        .is_err());
    }
}
