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

/// One age band of a survey, both ends included; `None` at the top for "75+".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBand {
    pub from: u32,
    pub to: Option<u32>,
}

/// Read an age band as surveys write them: "16-34", "16–34", "16 to 34", "75+", "75 and over".
pub fn parse_age_band(label: &str) -> Option<AgeBand> {
    let text = label.trim().to_lowercase().replace(['–', '—'], "-");
    let number = |s: &str| s.trim().parse::<u32>().ok();
    for open in ["+", " and over", " or over", " plus", " and older"] {
        if let Some(from) = text.strip_suffix(open) {
            return Some(AgeBand {
                from: number(from)?,
                to: None,
            });
        }
    }
    let (from, to) = text.split_once('-').or_else(|| text.split_once(" to "))?;
    let (from, to) = (number(from)?, number(to)?);
    (from <= to).then_some(AgeBand { from, to: Some(to) })
}

/// A single year of age a Census age column counts: `Some((age, open))`, `open` for the last
/// ("Aged 100 years and over"); `None` for totals and groupings ("Aged 5 to 9 years").
fn single_year(header: &str) -> Option<(u32, bool)> {
    let h = header.trim();
    let h = h.strip_suffix("; measures: Value").unwrap_or(h);
    let h = h.rsplit_once("Age: ").map_or(h, |(_, rest)| rest).trim();
    let h = h.strip_prefix("Aged ").unwrap_or(h).to_lowercase();
    if h == "under 1 year" {
        return Some((0, false));
    }
    if let Some(n) = h.strip_suffix(" years and over") {
        return n.trim().parse().ok().map(|n| (n, true));
    }
    let n = h
        .strip_suffix(" years")
        .or_else(|| h.strip_suffix(" year"))?;
    n.trim().parse().ok().map(|n| (n, false))
}

/// Age-band margins from a Census table of age by single year (TS007, Nomis bulk layout: one
/// row per area, a column per single year among grouped columns), for `areas` summed, cut into
/// the survey's `bands` (checked with the configuration: ranges that do not overlap). The
/// bands' ages are the population: bands from 16 describe residents
/// aged 16 and over, as an ethnic-group margin from RM038 does.
pub fn read_age_by_single_year(
    path: &Path,
    areas: &[String],
    bands: &[(String, AgeBand)],
    read: ReadOptions,
) -> Result<(PopulationMargin, InputSource)> {
    let file = CsvFile::open(path, &read)?;
    let hint = "give a Census table of age by single year, such as TS007 from Nomis (one row per area, a column per year of age)";
    let code_col = file
        .find_column("geography code")
        .or_else(|| file.find_column("area_code"))
        .ok_or_else(|| Error::BadValue {
            location: Location::file(path),
            value: file.headers().join(","),
            message: "no 'geography code' column: this does not look like a Nomis table".into(),
            hint: hint.into(),
        })?;
    let mut years: Vec<(usize, u32, bool)> = file
        .headers()
        .iter()
        .enumerate()
        .filter_map(|(c, h)| single_year(h).map(|(age, open)| (c, age, open)))
        .collect();
    // TS007 also has "Aged 85 years and over" as a grouping beside 85, 86, …: only the
    // highest open column counts single people once.
    let top = years.iter().filter(|y| y.2).map(|y| y.1).max();
    years.retain(|y| !y.2 || Some(y.1) == top);
    if years.is_empty() {
        return Err(Error::BadValue {
            location: Location::file(path),
            value: file
                .headers()
                .iter()
                .take(6)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            message: "no column counts a single year of age ('Age: Aged 16 years', …)".into(),
            hint: hint.into(),
        });
    }
    let rows: Vec<&crate::ingest::csvfile::Row> = areas
        .iter()
        .map(|a| {
            file.rows()
                .iter()
                .find(|r| r.get(code_col).eq_ignore_ascii_case(a.trim()))
                .ok_or_else(|| Error::BadValue {
                    location: Location::file(path),
                    value: a.clone(),
                    message: format!("the area {a} is not in the table"),
                    hint: "name areas by their code as the table's 'geography code' column gives them (e.g. E07000092)".into(),
                })
        })
        .collect::<Result<_>>()?;
    let mut counts = Vec::new();
    for (label, band) in bands {
        let last = band.to.unwrap_or(u32::MAX);
        // Every year of the band must be a column of its own, or in the open top column.
        if let Some(t) = top {
            if band.to.is_some_and(|to| to >= t) {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    message: format!("the age band '{label}' ends at or above {t}, where the table's last column counts everyone aged {t} and over"),
                    hint: format!("end the top band open, e.g. \"{}+\"", band.from),
                });
            }
        }
        let mut total = 0.0;
        for row in &rows {
            for &(c, age, open) in &years {
                let inside = if open {
                    last == u32::MAX && age >= band.from
                } else {
                    age >= band.from && age <= last
                };
                if inside {
                    let raw = row.get(c);
                    total += raw
                        .replace(',', "")
                        .parse::<f64>()
                        .map_err(|_| Error::BadValue {
                            location: Location::cell(path, row.row, file.headers()[c].clone()),
                            value: raw.to_string(),
                            message: "the count is not a number".into(),
                            hint: "the table's counts must be whole numbers".into(),
                        })?;
                }
            }
        }
        counts.push(total);
    }
    Ok((
        PopulationMargin {
            variable: WeightVariable::AgeBand,
            categories: bands.iter().map(|(label, _)| label.clone()).collect(),
            counts,
            source: file.source().name.clone(),
        },
        file.source().clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_read_as_surveys_write_them() {
        let band = |from, to| Some(AgeBand { from, to });
        assert_eq!(parse_age_band("16-34"), band(16, Some(34)));
        assert_eq!(parse_age_band("16 – 34"), band(16, Some(34)));
        assert_eq!(parse_age_band("16 to 34"), band(16, Some(34)));
        assert_eq!(parse_age_band("75+"), band(75, None));
        assert_eq!(parse_age_band("75 and over"), band(75, None));
        assert_eq!(parse_age_band("34-16"), None);
        assert_eq!(parse_age_band("Young"), None);
    }

    #[test]
    fn census_age_columns_are_single_years_or_the_open_top() {
        assert_eq!(
            single_year("Age: Aged under 1 year; measures: Value"),
            Some((0, false))
        );
        assert_eq!(
            single_year("Age: Aged 1 year; measures: Value"),
            Some((1, false))
        );
        assert_eq!(
            single_year("Age: Aged 16 years; measures: Value"),
            Some((16, false))
        );
        assert_eq!(
            single_year("Age: Aged 100 years and over; measures: Value"),
            Some((100, true))
        );
        assert_eq!(single_year("Age: Aged 5 to 9 years; measures: Value"), None);
        assert_eq!(
            single_year("Age: Aged 4 years and under; measures: Value"),
            None
        );
        assert_eq!(single_year("Age: Total; measures: Value"), None);
    }
}
