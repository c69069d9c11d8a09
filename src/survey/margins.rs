//! Population margins for the weighting variables: a tidy `variable,category,count` file (age
//! band and sex, and ethnic group when the Census table is not used) and the Census table for
//! ethnic group at the five high-level groups.

use std::collections::HashSet;
use std::path::Path;

use super::config::WeightVariable;
use crate::classify::{normalise_label, HighLevelGroup, Level};
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

/// Ethnic-group margins at `level` from a Census table.
pub fn read_census(
    path: &Path,
    areas: &[String],
    comparator: Option<crate::ingest::Comparator>,
    level: Level,
    read: ReadOptions,
) -> Result<(PopulationMargin, InputSource, String)> {
    let table = CensusTable::read(path, read)?;
    let population = table.select(areas, comparator)?;
    Ok((
        census_margin(&population, &table.source.name, level)?,
        table.source,
        population.describe(),
    ))
}

/// Ethnic-group margins at `level` (the five high-level groups, the 8 or the 19 categories)
/// from a population already read; an error when the table does not give that level.
pub fn census_margin(
    population: &Population,
    source: &str,
    level: Level,
) -> Result<PopulationMargin> {
    let mut counts = Vec::new();
    for group in 0..level.group_count() {
        let n = population.count(&level.members(group)).ok_or_else(|| Error::Unreadable {
            path: population.source.clone(),
            message: format!(
                "the table does not give the {}: it counts '{}' together",
                level.describe(),
                level.group_labels()[group]
            ),
            hint: format!(
                "weight at a level the table gives ([survey] ethnic_level = \"{}\"), or use a table of the 19 categories",
                population.finest_level().name()
            ),
        })?;
        counts.push(n as f64);
    }
    Ok(PopulationMargin {
        variable: WeightVariable::EthnicGroup,
        categories: level.group_labels(),
        counts,
        source: source.to_string(),
    })
}

/// Sex margins from a Census table crossing ethnic group with sex (RM032), its other variables
/// cut to `sex`'s comparator as [`CensusTable::select`] cuts them.
pub fn read_sex(
    path: &Path,
    sex: &crate::ingest::CensusConfig,
) -> Result<(PopulationMargin, InputSource)> {
    let table = CensusTable::read(
        path,
        ReadOptions::configured(sex.delimiter, sex.header_row, sex.sheet.clone()),
    )?;
    let counts = table.counts_by_variable(&sex.areas, "sex", sex.comparator())?;
    Ok((
        PopulationMargin {
            variable: WeightVariable::Sex,
            categories: counts.iter().map(|(c, _)| c.clone()).collect(),
            counts: counts.iter().map(|&(_, n)| n as f64).collect(),
            source: table.source.name.clone(),
        },
        table.source,
    ))
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

/// A Census table in the Nomis bulk layout: one row per area, found by its code.
struct AreaTable<'a> {
    path: &'a Path,
    file: CsvFile,
    code_col: usize,
    name_col: Option<usize>,
    hint: &'static str,
}

impl<'a> AreaTable<'a> {
    fn open(path: &'a Path, read: &ReadOptions, hint: &'static str) -> Result<AreaTable<'a>> {
        let file = CsvFile::open(path, read)?;
        let code_col = file
            .find_column("geography code")
            .or_else(|| file.find_column("area_code"))
            .ok_or_else(|| Error::BadValue {
                location: Location::file(path),
                value: file.headers().join(","),
                message: "no 'geography code' column: this does not look like a Nomis table".into(),
                hint: hint.into(),
            })?;
        let name_col = file
            .find_column("geography")
            .or_else(|| file.find_column("area_name"));
        Ok(AreaTable {
            path,
            file,
            code_col,
            name_col,
            hint,
        })
    }

    /// The row of each area code, in the order given.
    fn rows(&self, areas: &[String]) -> Result<Vec<&crate::ingest::csvfile::Row>> {
        areas
            .iter()
            .map(|a| {
                self.file
                    .rows()
                    .iter()
                    .find(|r| r.get(self.code_col).eq_ignore_ascii_case(a.trim()))
                    .ok_or_else(|| Error::BadValue {
                        location: Location::file(self.path),
                        value: a.clone(),
                        message: format!("the area {a} is not in the table"),
                        hint: "name areas by their code as the table's 'geography code' column gives them (e.g. E07000092)".into(),
                    })
            })
            .collect()
    }

    fn count(&self, row: &crate::ingest::csvfile::Row, column: usize) -> Result<f64> {
        let raw = row.get(column);
        raw.replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or_else(|| Error::BadValue {
                location: Location::cell(self.path, row.row, self.file.headers()[column].clone()),
                value: raw.to_string(),
                message: "the count is not a number".into(),
                hint: "the table's counts must be whole numbers".into(),
            })
    }

    /// The columns counting one year of age, as (column, age, open top).
    fn single_years(&self) -> Result<SingleYears> {
        let mut years: Vec<(usize, u32, bool)> = self
            .file
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
                location: Location::file(self.path),
                value: self
                    .file
                    .headers()
                    .iter()
                    .take(6)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                message: "no column counts a single year of age ('Age: Aged 16 years', …)".into(),
                hint: self.hint.into(),
            });
        }
        Ok(SingleYears { years, top })
    }

    /// The people of `row` whose age is in `band` (`label` names it in errors).
    fn people_aged(
        &self,
        row: &crate::ingest::csvfile::Row,
        years: &SingleYears,
        label: &str,
        band: AgeBand,
    ) -> Result<f64> {
        let last = band.to.unwrap_or(u32::MAX);
        // Every year of the band must be a column of its own, or in the open top column.
        if let Some(t) = years.top {
            if band.to.is_some_and(|to| to >= t) {
                return Err(Error::Config {
                    path: self.path.to_path_buf(),
                    message: format!("the age band '{label}' ends at or above {t}, where the table's last column counts everyone aged {t} and over"),
                    hint: format!("end the top band open, e.g. \"{}+\"", band.from),
                });
            }
        }
        let mut total = 0.0;
        for &(c, age, open) in &years.years {
            let inside = if open {
                last == u32::MAX && age >= band.from
            } else {
                age >= band.from && age <= last
            };
            if inside {
                total += self.count(row, c)?;
            }
        }
        Ok(total)
    }

    /// The column counting everyone ("Age: Total", "… Total: All usual residents").
    fn total_column(&self) -> Option<usize> {
        self.file.headers().iter().position(|h| {
            let h = normalise_label(h);
            h.split(' ').any(|w| w == "total")
                || h.contains("all usual residents")
                || h.contains("all categories")
        })
    }
}

/// The single-year-of-age columns of a table.
struct SingleYears {
    years: Vec<(usize, u32, bool)>,
    /// The age of the open top column ("Aged 100 years and over").
    top: Option<u32>,
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
    let table = AreaTable::open(path, &read, "give a Census table of age by single year, such as TS007 from Nomis (one row per area, a column per year of age)")?;
    let years = table.single_years()?;
    let rows = table.rows(areas)?;
    let mut counts = Vec::new();
    for (label, band) in bands {
        let mut total = 0.0;
        for row in &rows {
            total += table.people_aged(row, &years, label, *band)?;
        }
        counts.push(total);
    }
    Ok((
        PopulationMargin {
            variable: WeightVariable::AgeBand,
            categories: bands.iter().map(|(label, _)| label.clone()).collect(),
            counts,
            source: table.file.source().name.clone(),
        },
        table.file.source().clone(),
    ))
}

/// A margin whose categories are Census areas (wards, districts): one row of the table per
/// area. With `ages`, each area's residents of those ages from a table of age by single year
/// (TS007 by ward); without, the table's total column (all usual residents in TS021 or TS022).
/// Categories are the areas' names, without the "(Rushmoor)" Nomis adds to tell wards of the
/// same name apart when the names stay distinct without it; survey values may also give codes.
/// Also returns whom each area's count is of ("residents aged 16+", "all usual residents").
pub fn read_areas(
    path: &Path,
    variable: WeightVariable,
    areas: &[String],
    ages: Option<(&str, AgeBand)>,
    read: ReadOptions,
) -> Result<(PopulationMargin, InputSource, String)> {
    let table = AreaTable::open(path, &read, "give a Census table with one row per area, such as TS007 (age by single year) or TS022 by ward from Nomis")?;
    let rows = table.rows(areas)?;
    let (counts, counted) = match ages {
        Some((label, band)) => {
            let years = table.single_years()?;
            let counts = rows
                .iter()
                .map(|row| table.people_aged(row, &years, label, band))
                .collect::<Result<Vec<_>>>()?;
            (counts, format!("residents aged {label}"))
        }
        None => {
            let column = table.total_column().ok_or_else(|| Error::BadValue {
                location: Location::file(path),
                value: table.file.headers().iter().take(6).cloned().collect::<Vec<_>>().join(", "),
                message: "no column counts everyone in an area (a 'Total' or 'All usual residents' column)".into(),
                hint: "give a Census table with a total column, or ages = \"16+\" with a table of age by single year (TS007)".into(),
            })?;
            let counts = rows
                .iter()
                .map(|row| table.count(row, column))
                .collect::<Result<Vec<_>>>()?;
            // "Ethnic group (detailed): Total: All usual residents" counts all usual residents.
            let header = &table.file.headers()[column];
            let header = header.strip_suffix("; measures: Value").unwrap_or(header);
            let counted = match header.rsplit(':').next().map(str::trim) {
                Some(last) if !last.is_empty() && !last.eq_ignore_ascii_case("total") => {
                    last.to_lowercase()
                }
                _ => format!("the people counted in '{}'", header.trim()),
            };
            (counts, counted)
        }
    };
    // A margin of no one has no shares to weight to.
    if counts.iter().sum::<f64>() <= 0.0 {
        return Err(Error::BadValue {
            location: Location::file(path),
            value: areas.join(", "),
            message: format!("the areas count no one ({counted}: 0 in every area)"),
            hint: "check the area codes and that the table counts people in each area (a total column, or single years of age with ages = \"16+\")".into(),
        });
    }
    let names: Vec<String> = rows
        .iter()
        .map(|r| match table.name_col {
            Some(c) if !r.get(c).trim().is_empty() => r.get(c).trim().to_string(),
            _ => r.get(table.code_col).trim().to_string(),
        })
        .collect();
    let short: Vec<String> = names.iter().map(|n| without_qualifier(n)).collect();
    let distinct = {
        let mut keys: Vec<String> = short.iter().map(|n| normalise_label(n)).collect();
        keys.sort();
        keys.dedup();
        keys.len() == short.len()
    };
    Ok((
        PopulationMargin {
            variable,
            categories: if distinct { short } else { names },
            counts,
            source: table.file.source().name.clone(),
        },
        table.file.source().clone(),
        counted,
    ))
}

/// An area name without the parenthesised qualifier that tells apart areas of the same name
/// ("Fernhill (Rushmoor)" → "Fernhill").
fn without_qualifier(name: &str) -> String {
    match name
        .trim()
        .strip_suffix(')')
        .and_then(|n| n.rsplit_once(" ("))
    {
        Some((base, _)) if !base.trim().is_empty() => base.trim().to_string(),
        _ => name.trim().to_string(),
    }
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

    /// Two areas of a table of age by single year, in the Nomis bulk layout, summed by hand.
    #[test]
    fn an_area_margin_counts_the_ages_asked_for_in_each_area() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ts007-wards.csv");
        std::fs::write(
            &path,
            "date,geography,geography code,Age: Total,Age: Aged 15 years,Age: Aged 16 years,Age: Aged 17 years,Age: Aged 15 to 17 years,Age: Aged 18 years and over\n\
             2021,Fernhill (Rushmoor),E05008993,100,3,4,5,12,88\n\
             2021,Empress,E05008992,50,1,2,3,6,44\n",
        )
        .unwrap();
        let areas = ["E05008993".to_string(), "E05008992".to_string()];
        let band = parse_age_band("16+").unwrap();
        let (margin, _, counted) = read_areas(
            &path,
            WeightVariable::Other("ward".into()),
            &areas,
            Some(("16+", band)),
            ReadOptions::DETECT,
        )
        .unwrap();
        assert_eq!(margin.categories, ["Fernhill", "Empress"]);
        // 4 + 5 + 88 and 2 + 3 + 44: the grouped 15-to-17 column is not counted again.
        assert_eq!(margin.counts, [97.0, 49.0]);
        assert_eq!(counted, "residents aged 16+");
        let (all, _, counted) = read_areas(
            &path,
            WeightVariable::Other("ward".into()),
            &areas,
            None,
            ReadOptions::DETECT,
        )
        .unwrap();
        assert_eq!(all.counts, [100.0, 50.0]);
        assert_eq!(counted, "the people counted in 'Age: Total'");
        // Ages no one in the table is: an error, not a margin of no one.
        let err = read_areas(
            &path,
            WeightVariable::Other("ward".into()),
            &areas,
            Some(("80+", parse_age_band("80+").unwrap())),
            ReadOptions::DETECT,
        )
        .unwrap_err();
        assert!(err.to_string().contains("the areas count no one"), "{err}");
    }

    /// The 19 categories counted 1, 2, …, 19 in ONS order: at the 8 categories, White British
    /// is 13, White Irish 14 and Gypsy or Irish Traveller, Roma or Other White 15 + 16 + 17.
    #[test]
    fn census_margins_come_at_the_level_asked_for() {
        let counts: [u64; 19] = std::array::from_fn(|i| i as u64 + 1);
        let population = Population::of_categories(
            "ts021.csv".into(),
            crate::ingest::CensusEdition::Census2021,
            vec![("E07000092".into(), "Rushmoor".into())],
            counts,
        );
        let eight = census_margin(&population, "ts021.csv", Level::EightCategories).unwrap();
        assert_eq!(
            eight.categories[3],
            "White: English, Welsh, Scottish, Northern Irish or British"
        );
        // Asian 1–5, Black 6–8, Mixed 9–12, White British, Irish, the other White, Other 18, 19.
        assert_eq!(eight.counts, [15.0, 21.0, 42.0, 13.0, 14.0, 48.0, 37.0]);
        let high = census_margin(&population, "ts021.csv", Level::High).unwrap();
        assert_eq!(high.total(), 190.0);
        assert_eq!(
            census_margin(&population, "ts021.csv", Level::Detailed)
                .unwrap()
                .counts
                .len(),
            19
        );
    }

    #[test]
    fn area_names_lose_the_qualifier_nomis_adds() {
        assert_eq!(without_qualifier("Fernhill (Rushmoor)"), "Fernhill");
        assert_eq!(without_qualifier("St John's (Rushmoor)"), "St John's");
        assert_eq!(without_qualifier("Aldershot Park"), "Aldershot Park");
        assert_eq!(without_qualifier("(Rushmoor)"), "(Rushmoor)");
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
