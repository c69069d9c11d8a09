//! Population margins for the weighting variables: a tidy `variable,category,count` file (age
//! band and sex, and ethnic group when the Census table is not used) and the Census table for
//! ethnic group at the five high-level groups.

use std::collections::HashSet;
use std::path::Path;

use super::config::WeightVariable;
use crate::classify::{normalise_label, HighLevelGroup};
use crate::error::{Error, Location, Result};
use crate::ingest::csvfile::{CsvFile, InputSource, ReadOptions};
use crate::ingest::{CensusTable, Population};

/// One variable's population counts, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationMargin {
    pub variable: WeightVariable,
    /// Category labels as written in the source.
    pub categories: Vec<String>,
    pub counts: Vec<f64>,
    /// The file the margin came from.
    pub source: String,
}

impl PopulationMargin {
    pub fn total(&self) -> f64 {
        self.counts.iter().sum()
    }
}

/// Read a tidy margins file, keeping the variables asked for.
pub fn read_tidy(
    path: &Path,
    wanted: &[WeightVariable],
) -> Result<(Vec<PopulationMargin>, InputSource)> {
    let file = CsvFile::open(path, &ReadOptions::DETECT)?;
    let hint = "the margins file has columns variable,category,count (one row per category of each weighting variable)";
    let var_col = file.require_column("variable", hint)?;
    let cat_col = file.require_column("category", hint)?;
    let count_col = file.require_column("count", hint)?;
    file.require_rows(hint)?;
    let mut margins: Vec<PopulationMargin> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let name = file.source().name.clone();
    for row in file.rows() {
        let raw_var = row.get(var_col);
        if raw_var.trim().is_empty() {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[var_col].clone()),
                value: String::new(),
                message: "the weighting variable is empty".to_string(),
                hint: "name the variable of each row: ethnic_group, age_band, sex, or a survey column such as ward".to_string(),
            });
        }
        let variable = WeightVariable::parse(raw_var);
        let category = row.get(cat_col).to_string();
        let raw_count = row.get(count_col);
        let count = raw_count
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[count_col].clone()),
                value: raw_count.to_string(),
                message: "the count is not a non-negative number".to_string(),
                hint: "give the population count of the category, e.g. 12345".to_string(),
            })?;
        if category.is_empty()
            || !seen.insert((variable.name().to_string(), normalise_label(&category)))
        {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[cat_col].clone()),
                value: category,
                message: format!("the {} category is empty or repeated", variable.name()),
                hint: "give each category of a variable exactly once".to_string(),
            });
        }
        if !wanted.contains(&variable) {
            continue;
        }
        match margins.iter_mut().find(|m| m.variable == variable) {
            Some(m) => {
                m.categories.push(category);
                m.counts.push(count);
            }
            None => margins.push(PopulationMargin {
                variable,
                categories: vec![category],
                counts: vec![count],
                source: name.clone(),
            }),
        }
    }
    Ok((margins, file.source().clone()))
}

/// Ethnic-group margins at the five high-level groups from a Census table.
pub fn read_census(
    path: &Path,
    areas: &[String],
    comparator: Option<crate::ingest::Comparator>,
    read: ReadOptions,
) -> Result<(PopulationMargin, InputSource, String)> {
    let table = CensusTable::read(path, read)?;
    let population = table.select(areas, comparator)?;
    Ok((
        census_margin(&population, &table.source.name),
        table.source,
        population.describe(),
    ))
}

/// Ethnic-group margins at the five high-level groups from a population already read.
pub fn census_margin(population: &Population, source: &str) -> PopulationMargin {
    // Every Census table gives the 5 high-level groups (the 8-category tables included).
    let counts: Vec<u64> = HighLevelGroup::ALL
        .iter()
        .map(|h| {
            let members: Vec<_> = h.categories().collect();
            population.count(&members).unwrap_or(0)
        })
        .collect();
    PopulationMargin {
        variable: WeightVariable::EthnicGroup,
        categories: HighLevelGroup::ALL
            .iter()
            .map(|g| g.label().to_string())
            .collect(),
        counts: counts.iter().map(|&c| c as f64).collect(),
        source: source.to_string(),
    }
}

/// The high-level group a margin label names (full Census label or short form).
pub fn high_level_of(label: &str) -> Option<HighLevelGroup> {
    let key = normalise_label(label);
    HighLevelGroup::ALL
        .into_iter()
        .find(|g| normalise_label(g.label()) == key || normalise_label(g.short_label()) == key)
}
