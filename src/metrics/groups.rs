//! Groups the 19 categories split: a council's own groups across the classification (Nepali =
//! "Asian …: Nepali (includes Gurkha)" + "Other ethnic group: Nepali (includes Gurkha)" in Census
//! 2021 TS022), counted in the workforce by the labels staff records use ("Nepalese",
//! "Gurkha") and compared with residents with the statistics of the standard groups.
//!
//! The table is one distribution: each group, then everyone else who stated an ethnicity. Its
//! counts are protected with every other count of the run: a group's members are an attribute
//! of the people of the workforce, so no difference between this table and another gives a
//! withheld count back.

use serde::Serialize;

use super::cells;
use super::representation::{Assessment, ShareAgainstPopulation};
use crate::classify::{normalise_label, Classified};
use crate::disclosure::{Cell, Disclosure, Withheld};
use crate::error::{Error, Result};
use crate::ingest::Extract;

/// A group as a config defines it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub name: String,
    /// Labels of the detailed Census table whose residents make up the group.
    pub census: Vec<String>,
    /// Ethnicity labels of the workforce file whose staff are in the group.
    pub labels: Vec<String>,
}

/// The residents the groups are compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPopulation {
    /// "Census 2021 usual residents, Rushmoor".
    pub comparator: String,
    pub census_year: u32,
    pub total: u64,
    /// Residents in each group, in the order of the specs.
    pub counts: Vec<u64>,
}

/// One row: a group, or everyone else who stated an ethnicity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub group: String,
    /// The workforce labels counted in it (none for everyone else).
    pub labels: Vec<String>,
    pub workforce_n: Option<u64>,
    pub workforce_share: Option<f64>,
    pub workforce_ci_low: Option<f64>,
    pub workforce_ci_high: Option<f64>,
    pub population_n: u64,
    pub population_share: f64,
    pub gap_pp: Option<f64>,
    pub ratio: Option<f64>,
    pub p_value: Option<f64>,
    pub assessment: Option<Assessment>,
    pub suppressed: Option<Withheld>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupsReport {
    pub workforce_file: String,
    pub comparator: String,
    pub census_year: u32,
    pub population_total: u64,
    pub confidence: f64,
    /// Staff who stated an ethnicity: the denominator of every share; `None` when withheld.
    pub declared_n: Option<u64>,
    pub interval_method: &'static str,
    pub test_method: &'static str,
    pub notes: Vec<String>,
    pub rows: Vec<GroupRow>,
}

/// The attribute the run's disclosure control knows the groups by: 0 for no group, i + 1 for
/// the i-th.
const GROUP_DIMENSION: &str = "detailed group";

/// Which group each distinct value of the ethnicity column is in; an error for a label given
/// to two groups.
fn group_of_values(values: &[String], specs: &[GroupSpec]) -> Result<Vec<u32>> {
    let mut owner: Vec<(String, usize)> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        for label in &spec.labels {
            let key = normalise_label(label);
            if let Some((_, j)) = owner.iter().find(|(k, _)| *k == key) {
                return Err(Error::usage(
                    format!(
                        "the label '{label}' is in two groups, {} and {}",
                        specs[*j].name, spec.name
                    ),
                    "give each workforce label to one group: the groups are compared as parts of one whole",
                ));
            }
            owner.push((key, i));
        }
    }
    Ok(values
        .iter()
        .map(|v| {
            let key = normalise_label(v);
            owner
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0, |(_, i)| *i as u32 + 1)
        })
        .collect())
}

pub fn groups(
    workforce: &Extract,
    specs: &[GroupSpec],
    population: &GroupPopulation,
    confidence: f64,
    disclosure: &dyn Disclosure,
) -> Result<GroupsReport> {
    let column = workforce.text(&workforce.ethnicity_column);
    let value_group = group_of_values(&column.values, specs)?;
    let person_group: Vec<u32> = column
        .codes
        .iter()
        .map(|&c| value_group[c as usize])
        .collect();
    let mut notes = Vec::new();
    for spec in specs {
        let unmatched: Vec<&String> = spec
            .labels
            .iter()
            .filter(|l| {
                let key = normalise_label(l);
                !column.values.iter().any(|v| normalise_label(v) == key)
            })
            .collect();
        if unmatched.len() == spec.labels.len() {
            notes.push(format!(
                "no staff record uses any label of the group {} ({})",
                spec.name,
                spec.labels.join(", ")
            ));
        }
    }

    // Staff who stated an ethnicity, each group's members among them, and everyone else.
    let everyone = cells::everyone(workforce, disclosure);
    cells::dimension(workforce, GROUP_DIMENSION, &person_group, disclosure);
    let names: Vec<(u32, String)> = std::iter::once((0, "no detailed group".to_string()))
        .chain(
            specs
                .iter()
                .enumerate()
                .map(|(i, s)| (i as u32 + 1, s.name.clone())),
        )
        .collect();
    disclosure.labels(&cells::population(workforce), GROUP_DIMENSION, &names);
    let declared_spec = everyone.with(
        cells::ETHNICITY,
        cells::ethnicity_codes(|c| c != Classified::NotStated),
    );
    let stated: Vec<bool> = workforce
        .ethnicity
        .iter()
        .map(|&c| c != Classified::NotStated)
        .collect();
    let declared_n = stated.iter().filter(|s| **s).count() as u64;
    let mut parts: Vec<(Cell, u64)> = Vec::new();
    for g in 0..=specs.len() {
        // Group g + 1, and last everyone else (code 0).
        let code = if g < specs.len() { g as u32 + 1 } else { 0 };
        let n = person_group
            .iter()
            .zip(&stated)
            .filter(|(p, s)| **s && **p == code)
            .count() as u64;
        parts.push((declared_spec.clone().with(GROUP_DIMENSION, [code]), n));
    }
    let declared = disclosure.denominator(&declared_spec, declared_n);
    let published: Vec<crate::disclosure::Count> = parts
        .iter()
        .map(|(spec, n)| disclosure.count(spec, *n))
        .collect();
    let part_specs: Vec<Cell> = parts.iter().map(|(c, _)| c.clone()).collect();
    disclosure.distribution(&declared_spec, &part_specs);

    let denominator = declared.shown();
    let others_population = population
        .total
        .saturating_sub(population.counts.iter().sum::<u64>());
    let rows = published
        .iter()
        .enumerate()
        .map(|(g, count)| {
            let (group, labels, population_n) = match specs.get(g) {
                Some(spec) => (spec.name.clone(), spec.labels.clone(), population.counts[g]),
                None => (
                    "All other staff who stated an ethnicity".to_string(),
                    Vec::new(),
                    others_population,
                ),
            };
            let population_share = population_n as f64 / population.total as f64;
            let mut row = GroupRow {
                group,
                labels,
                workforce_n: count.shown(),
                workforce_share: None,
                workforce_ci_low: None,
                workforce_ci_high: None,
                population_n,
                population_share,
                gap_pp: None,
                ratio: None,
                p_value: None,
                assessment: None,
                suppressed: Withheld::when(count.withheld),
            };
            if let (Some(n), Some(d)) = (count.shown(), denominator) {
                if let Some(s) = ShareAgainstPopulation::of(n, d, population_share, confidence) {
                    row.workforce_share = Some(s.share);
                    row.workforce_ci_low = Some(s.low);
                    row.workforce_ci_high = Some(s.high);
                    row.gap_pp = Some(s.gap_pp);
                    row.p_value = Some(s.p_value);
                    row.ratio = (population_share > 0.0).then(|| s.share / population_share);
                    row.assessment = Some(s.assessment);
                }
            }
            row
        })
        .collect();
    if denominator.is_none() {
        notes.push(
            "the number of staff who stated an ethnicity is withheld to protect individuals, and with it every share".to_string(),
        );
    }
    Ok(GroupsReport {
        workforce_file: workforce.file_name(),
        comparator: population.comparator.clone(),
        census_year: population.census_year,
        population_total: population.total,
        confidence,
        declared_n: denominator,
        interval_method: "Wilson score interval",
        test_method: "exact two-sided binomial test against the population share",
        notes,
        rows,
    })
}
