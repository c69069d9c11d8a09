//! Census population by ethnic group.
//!
//! Reads three layouts, told apart by their headers:
//! - the **Nomis bulk download** (`date,geography,geography code,` then one column per group;
//!   total and high-level subtotal columns are recognised and never added to the categories);
//! - the **ONS custom-dataset download** (long: area code, area name, category code, category,
//!   `Observation`);
//! - the **tidy** layout `area_code,area_name,ethnic_group,count` (a `value` column and
//!   `… (number)` / `… (percent)` labels, as some packaged copies use, are accepted too).
//!
//! Census 2021 labels (19 categories) and Census 2011 labels (18: no Roma) are both accepted.
//! Census 2021 counts are perturbed for disclosure control, so a table's own total may differ
//! from the sum of its categories by a few people: the sum of the categories is used, and a
//! large difference is reported as a warning, not an error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::csvfile::{normalise_header, CsvFile, Delimiter, InputSource, ReadOptions, Row};
use crate::classify::{normalise_label, Classified, Classifier, EthnicGroup};
use crate::error::{Error, Location, Result};

/// Which Census table and which of its areas (summed) make the comparator, as a config names
/// them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusConfig {
    pub file: std::path::PathBuf,
    #[serde(default)]
    pub areas: Vec<String>,
    /// The field delimiter; detected when not given.
    pub delimiter: Option<Delimiter>,
    /// The row the column names are on; detected when not given.
    pub header_row: Option<u64>,
    /// The sheet of a workbook; the first when not given.
    pub sheet: Option<String>,
}

/// Which Census layout a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CensusLayout {
    NomisWide,
    /// A table downloaded from Nomis's query pages: metadata rows, then a column per category.
    NomisWeb,
    OnsLong,
    Tidy,
}

impl CensusLayout {
    pub fn describe(self) -> &'static str {
        match self {
            CensusLayout::NomisWide => "Nomis bulk download (wide)",
            CensusLayout::NomisWeb => "Nomis web download (wide)",
            CensusLayout::OnsLong => "ONS custom dataset (long)",
            CensusLayout::Tidy => "tidy (area_code,area_name,ethnic_group,count)",
        }
    }
}

/// The classification a table uses: 2011 has no separate Roma category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CensusEdition {
    #[serde(rename = "2021")]
    Census2021,
    #[serde(rename = "2011")]
    Census2011,
}

impl CensusEdition {
    pub fn year(self) -> u32 {
        match self {
            CensusEdition::Census2021 => 2021,
            CensusEdition::Census2011 => 2011,
        }
    }
}

/// One area's usual residents by the 19 categories (Roma is 0 and not separate in 2011).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPopulation {
    pub code: String,
    pub name: String,
    pub counts: [u64; 19],
    /// The table's own total for the area, where it has one.
    pub reported_total: Option<u64>,
    /// The first row the area was read from.
    pub row: u64,
    /// Which categories the file gave a count for (a category with no count is not a zero).
    pub present: [bool; 19],
}

impl AreaPopulation {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Every area in a Census file.
#[derive(Debug, Clone)]
pub struct CensusTable {
    pub path: PathBuf,
    pub layout: CensusLayout,
    pub edition: CensusEdition,
    pub areas: Vec<AreaPopulation>,
    pub source: InputSource,
    /// What the reader did that the user should know (see [`CsvFile::notes`]).
    pub notes: Vec<String>,
}

/// The comparator population: one area or several summed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Population {
    pub source: PathBuf,
    pub edition: CensusEdition,
    /// `(code, name)` of each area summed, in the order asked for.
    pub areas: Vec<(String, String)>,
    /// Usual residents in each of the 19 categories, in ONS order.
    pub counts: [u64; 19],
    /// Notes for the user (e.g. a table total that differs from the sum of its categories).
    pub warnings: Vec<String>,
}

impl Population {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// A short description for subtitles and methods text: "Census 2021, Rushmoor (E07000092)".
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .areas
            .iter()
            .map(|(code, name)| format!("{name} ({code})"))
            .collect();
        format!(
            "Census {} usual residents, {}",
            self.edition.year(),
            names.join(" + ")
        )
    }

    /// Whether Roma are counted separately (not in Census 2011, where they are in Other White).
    pub fn has_roma(&self) -> bool {
        self.edition == CensusEdition::Census2021
    }
}

/// What a Census column or label stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CensusLabel {
    Category(EthnicGroup),
    /// A total or high-level subtotal: skipped so nothing is counted twice.
    Total,
    Subtotal,
    /// "Does not apply" (always 0 for usual residents), or a percentage row.
    Ignored,
    Unknown,
}

fn census_label(classifier: &Classifier, label: &str) -> CensusLabel {
    let key = normalise_label(label);
    if key.ends_with(" percent") {
        return CensusLabel::Ignored;
    }
    let key = key.strip_suffix(" number").unwrap_or(&key);
    if key == "does not apply" {
        return CensusLabel::Ignored;
    }
    if key == "total"
        || key.starts_with("total ")
        || key.starts_with("all categories")
        || key.starts_with("all usual residents")
    {
        return CensusLabel::Total;
    }
    match classifier.classify(key) {
        Some(Classified::Group(g)) => CensusLabel::Category(g),
        Some(Classified::HighLevel(_)) => CensusLabel::Subtotal,
        _ => CensusLabel::Unknown,
    }
}

/// Strip a Nomis header down to its category: "Ethnic Group: White: Irish; measures: Value"
/// → "White: Irish". Returns `None` for columns that are not about ethnic group.
fn nomis_category(header: &str) -> Option<&str> {
    let header = header.trim();
    let header = match header.rfind("; measures:") {
        Some(i) => &header[..i],
        None => header,
    };
    let lower = header.to_lowercase();
    if !lower.starts_with("ethnic group") {
        return None;
    }
    let colon = header.find(':')?;
    Some(header[colon + 1..].trim())
}

fn parse_count(path: &Path, row: &Row, column: &str, value: &str) -> Result<Option<u64>> {
    let location = || Location::cell(path, row.row, column);
    let cleaned: String = value
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Err(Error::BadValue {
            location: location(),
            value: value.to_string(),
            message: "a Census count is missing".to_string(),
            hint: "fill in the count (0 if there are none); do not leave Census cells blank"
                .to_string(),
        });
    }
    if let Ok(n) = cleaned.parse::<u64>() {
        return Ok(Some(n));
    }
    // Nomis marks suppressed or unavailable cells with these.
    if matches!(cleaned.as_str(), "-" | "..") {
        return Err(Error::BadValue {
            location: location(),
            value: value.to_string(),
            message: "the count is marked as unavailable".to_string(),
            hint: "use a table where every count for the chosen areas is published".to_string(),
        });
    }
    let (message, hint) = match cleaned.parse::<f64>() {
        Ok(x) if x < 0.0 => (
            "a Census count cannot be negative",
            "check the export; counts of people are whole numbers from 0 upwards",
        ),
        Ok(_) => (
            "a Census count must be a whole number",
            "this looks like a percentage or a rounded figure; download the counts, not the percentages",
        ),
        Err(_) => (
            "a Census count must be a number",
            "remove text, footnote markers or symbols from the count column",
        ),
    };
    Err(Error::BadValue {
        location: location(),
        value: value.to_string(),
        message: message.to_string(),
        hint: hint.to_string(),
    })
}

const LAYOUT_HINT: &str = "the file needs the columns of a Nomis bulk download, an ONS custom dataset or area_code,area_name,ethnic_group,count";

/// Accumulates category counts per area while reading.
#[derive(Default)]
struct AreaAccumulator {
    order: Vec<String>,
    areas: HashMap<String, AreaPopulation>,
    seen: HashMap<(String, EthnicGroup), u64>,
}

impl AreaAccumulator {
    fn area(&mut self, code: &str, name: &str, row: u64) -> &mut AreaPopulation {
        if !self.areas.contains_key(code) {
            self.order.push(code.to_string());
        }
        self.areas
            .entry(code.to_string())
            .or_insert_with(|| AreaPopulation {
                code: code.to_string(),
                name: name.to_string(),
                counts: [0; 19],
                present: [false; 19],
                reported_total: None,
                row,
            })
    }

    fn add(
        &mut self,
        path: &Path,
        row: &Row,
        (code, name): (&str, &str),
        column: &str,
        group: EthnicGroup,
        n: u64,
    ) -> Result<()> {
        if let Some(first) = self.seen.insert((code.to_string(), group), row.row) {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, column),
                value: group.label(),
                message: format!("area {code} already has a count for this group (row {first})"),
                hint:
                    "each area should have one count per ethnic group; remove the duplicated rows"
                        .to_string(),
            });
        }
        let area = self.area(code, name, row.row);
        area.counts[group.index()] += n;
        area.present[group.index()] = true;
        Ok(())
    }

    fn finish(self) -> Vec<AreaPopulation> {
        let mut areas = self.areas;
        self.order
            .iter()
            .filter_map(|code| areas.remove(code))
            .collect()
    }
}

/// A long table with two rows of one group for one area is not a table of ethnic group by
/// area: say what it is (a detailed table such as TS022, or one crossing ethnic group with
/// another variable such as RM038) and what to use instead, rather than to remove rows.
fn diagnose(file: &CsvFile, error: Error) -> Error {
    let is_duplicate = matches!(&error, Error::BadValue { message, .. } if message.contains("already has a count"));
    if !is_duplicate {
        return error;
    }
    let headers = file.headers();
    let folded: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let ethnic = folded
        .iter()
        .position(|h| (h.contains("ethnic group") || h == "ethnic_group") && !h.ends_with("code"));
    let distinct = ethnic.map_or(0, |i| {
        file.rows()
            .iter()
            .map(|r| r.get(i))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    });
    // ONS custom datasets name each variable twice ("X Code", "X"); the first is the area.
    let variables: Vec<&String> = headers
        .iter()
        .zip(&folded)
        .filter(|(_, f)| f.ends_with(" code"))
        .map(|(h, _)| h)
        .skip(1)
        .filter(|h| !normalise_header(h).contains("ethnic group"))
        .collect();
    let hint = "download Census 2021 TS021 \"Ethnic group\" (19 categories) for the same areas: the Nomis bulk file census2021-ts021, or the ONS custom dataset of ethnic group (20 categories) by area alone".to_string();
    let message = if distinct > 25 {
        format!(
            "this is a detailed ethnic-group table ({distinct} categories, such as Census 2021 TS022), with several detailed groups in each of the 19 categories; repgap compares with the 19 categories"
        )
    } else if !variables.is_empty() {
        let names: Vec<String> = variables
            .iter()
            .map(|h| {
                h.trim_end_matches(" Code")
                    .trim_end_matches(" code")
                    .to_string()
            })
            .collect();
        format!(
            "this table crosses ethnic group with {} (each area has a row per group for each of its values); repgap reads a table of ethnic group by area alone",
            names.join(" and ")
        )
    } else {
        return error;
    };
    Error::Unreadable {
        path: file.path().to_path_buf(),
        message,
        hint,
    }
}

impl CensusTable {
    /// Read a Census file, detecting its layout.
    pub fn read(path: &Path, options: ReadOptions) -> Result<CensusTable> {
        let file = CsvFile::open(path, &options)?;
        let classifier = Classifier::builtin();
        let normalised: Vec<String> = file.headers().iter().map(|h| normalise_header(h)).collect();
        let has = |name: &str| normalised.iter().any(|h| h == name);
        let (layout, areas) = if has("geography code") {
            (CensusLayout::NomisWide, read_nomis(&file, &classifier)?)
        } else if has("mnemonic") {
            (CensusLayout::NomisWeb, read_nomis_web(&file, &classifier)?)
        } else if has("observation") {
            let areas = read_ons_long(&file, &classifier).map_err(|e| diagnose(&file, e))?;
            (CensusLayout::OnsLong, areas)
        } else if has("ethnic_group") || has("ethnic group") {
            let areas = read_tidy(&file, &classifier).map_err(|e| diagnose(&file, e))?;
            (CensusLayout::Tidy, areas)
        } else {
            return Err(Error::UnknownCensusLayout {
                path: path.to_path_buf(),
                header: file.headers().join(","),
            });
        };
        if areas.is_empty() {
            return Err(Error::NoRows {
                path: path.to_path_buf(),
                hint:
                    "the file has no area with ethnic-group counts; check it is the full download"
                        .to_string(),
            });
        }
        let edition = detect_edition(&file);
        check_complete(path, &areas, edition)?;
        Ok(CensusTable {
            path: path.to_path_buf(),
            layout,
            edition,
            areas,
            source: file.source().clone(),
            notes: file.notes(),
        })
    }

    /// Sum the areas asked for (codes or names) into one comparator population.
    pub fn select(&self, requests: &[String]) -> Result<Population> {
        let mut chosen: Vec<&AreaPopulation> = Vec::new();
        if requests.is_empty() {
            if self.areas.len() == 1 {
                chosen.push(&self.areas[0]);
            } else {
                return Err(Error::usage(
                    format!("{} holds {} areas; say which to compare with", self.path.display(), self.areas.len()),
                    format!(
                        "pass --area with a code or name, e.g. --area {}; repeat --area to sum several areas",
                        self.areas[0].code
                    ),
                ));
            }
        }
        for request in requests {
            let wanted = normalise_label(request);
            let area = self
                .areas
                .iter()
                .find(|a| a.code.eq_ignore_ascii_case(request.trim()))
                .or_else(|| {
                    self.areas
                        .iter()
                        .find(|a| normalise_label(&a.name) == wanted)
                })
                .ok_or_else(|| self.unknown_area(request))?;
            if !chosen.iter().any(|c| c.code == area.code) {
                chosen.push(area);
            }
        }
        let mut counts = [0u64; 19];
        let mut warnings = Vec::new();
        for area in &chosen {
            if area.total() == 0 {
                return Err(Error::ZeroPopulation {
                    path: self.path.clone(),
                    area: format!("{} ({})", area.name, area.code),
                });
            }
            if let Some(reported) = area.reported_total {
                let sum = area.total();
                let diff = sum.abs_diff(reported);
                if diff as f64 > 0.001 * reported as f64 && diff > 10 {
                    warnings.push(format!(
                        "{} ({}): the table's total is {reported} but its categories sum to {sum}; the sum is used",
                        area.name, area.code
                    ));
                }
            }
            for (c, n) in counts.iter_mut().zip(area.counts) {
                *c += n;
            }
        }
        if self.edition == CensusEdition::Census2011 {
            warnings.push(
                "Census 2011 has no Roma category (Roma were counted in Other White): Roma staff are compared within Other White".to_string(),
            );
        }
        Ok(Population {
            source: self.path.clone(),
            edition: self.edition,
            areas: chosen
                .iter()
                .map(|a| (a.code.clone(), a.name.clone()))
                .collect(),
            counts,
            warnings,
        })
    }

    fn unknown_area(&self, request: &str) -> Error {
        let wanted = normalise_label(request);
        let mut scored: Vec<(f64, String)> = self
            .areas
            .iter()
            .map(|a| {
                let by_code =
                    strsim::jaro_winkler(&request.trim().to_lowercase(), &a.code.to_lowercase());
                let by_name = strsim::jaro_winkler(&wanted, &normalise_label(&a.name));
                (by_code.max(by_name), format!("{} {}", a.code, a.name))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Error::UnknownArea {
            path: self.path.clone(),
            requested: request.to_string(),
            closest: scored.into_iter().take(5).map(|(_, s)| s).collect(),
        }
    }
}

/// Every area needs a count for every category of its classification: a category missing from
/// a truncated export would otherwise be read as 0, and every share would be wrong.
fn check_complete(path: &Path, areas: &[AreaPopulation], edition: CensusEdition) -> Result<()> {
    for area in areas {
        let missing: Vec<String> = EthnicGroup::ALL
            .into_iter()
            .filter(|g| !area.present[g.index()])
            .filter(|g| edition == CensusEdition::Census2021 || *g != EthnicGroup::Roma)
            .map(|g| g.label())
            .collect();
        if !missing.is_empty() {
            return Err(Error::BadValue {
                location: Location { file: path.to_path_buf(), row: Some(area.row), column: None },
                value: area.code.clone(),
                message: format!("area {} ({}) has no count for {} of the categories: {}", area.name, area.code, missing.len(), missing.join("; ")),
                hint: format!(
                    "the table needs every ethnic group category (19 in Census {}, 18 in 2011); check the export is complete, and write 0 where there are none",
                    edition.year()
                ),
            });
        }
    }
    Ok(())
}

/// Census 2021 has a Roma category and Census 2011 does not: a table that mentions Roma
/// anywhere (a column or a label, even with a count of 0) uses the 2021 classification.
fn detect_edition(file: &CsvFile) -> CensusEdition {
    let mentions_roma = |text: &str| normalise_label(text).split(' ').any(|w| w == "roma");
    let in_headers = file.headers().iter().any(|h| mentions_roma(h));
    let in_rows = || file.rows().iter().any(|r| r.fields().any(mentions_roma));
    if in_headers || in_rows() {
        CensusEdition::Census2021
    } else {
        CensusEdition::Census2011
    }
}

fn read_nomis(file: &CsvFile, classifier: &Classifier) -> Result<Vec<AreaPopulation>> {
    let code_col = file.require_column("geography code", LAYOUT_HINT)?;
    let name_col = file.require_column("geography", LAYOUT_HINT)?;
    read_wide(file, classifier, code_col, name_col, nomis_category)
}

/// A table downloaded from Nomis's web pages: metadata rows above (skipped by the reader), the
/// areas' names in the first column, their codes under `mnemonic`, and a column per category
/// headed by the category alone (`Asian, Asian British or Asian Welsh: Bangladeshi`).
fn read_nomis_web(file: &CsvFile, classifier: &Classifier) -> Result<Vec<AreaPopulation>> {
    let code_col = file.require_column("mnemonic", LAYOUT_HINT)?;
    read_wide(file, classifier, code_col, 0, web_category)
}

/// A Nomis web download's column header is the category itself.
fn web_category(header: &str) -> Option<&str> {
    let header = header.trim();
    (!header.is_empty()).then_some(header)
}

/// A column per category: `category` gives a column's category label (`None`: not one).
fn read_wide(
    file: &CsvFile,
    classifier: &Classifier,
    code_col: usize,
    name_col: usize,
    category: fn(&str) -> Option<&str>,
) -> Result<Vec<AreaPopulation>> {
    let path = file.path();
    let rural_urban = file.find_column("rural urban");
    let mut categories: Vec<(usize, EthnicGroup)> = Vec::new();
    let mut total_col = None;
    let mut unknown = Vec::new();
    for (i, header) in file.headers().iter().enumerate() {
        if i == code_col || i == name_col {
            continue;
        }
        let Some(category) = category(header) else {
            continue;
        };
        match census_label(classifier, category) {
            CensusLabel::Category(g) => {
                if let Some((_, dup)) = categories.iter().find(|(_, c)| *c == g) {
                    unknown.push(format!("{header} (a second column for {})", dup.label()));
                }
                categories.push((i, g));
            }
            CensusLabel::Total => total_col = Some(i),
            CensusLabel::Subtotal | CensusLabel::Ignored => {}
            CensusLabel::Unknown => unknown.push(header.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownCensusColumns {
            path: path.to_path_buf(),
            columns: unknown,
            hint: "repgap reads the 19-category ethnic group table (Census 2021 TS021, Census 2011 KS201EW/QS201EW); detailed tables such as TS022 are not supported".to_string(),
        });
    }
    if categories.is_empty() {
        return Err(Error::UnknownCensusLayout {
            path: path.to_path_buf(),
            header: file.headers().join(","),
        });
    }
    file.require_rows("add at least one area row under the header")?;
    let mut acc = AreaAccumulator::default();
    for row in file.rows() {
        if let Some(ru) = rural_urban {
            if !row.get(ru).eq_ignore_ascii_case("total") {
                continue; // rural/urban splits would double count the area
            }
        }
        let code = row.get(code_col);
        if code.is_empty() {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[code_col].clone()),
                value: String::new(),
                message: "the area code is empty".to_string(),
                hint: "every row needs its geography code".to_string(),
            });
        }
        if acc.areas.contains_key(code) {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[code_col].clone()),
                value: code.to_string(),
                message: format!(
                    "area {code} appears twice (first at row {})",
                    acc.areas[code].row
                ),
                hint: "keep one row per area (one date, one measure)".to_string(),
            });
        }
        let name = row.get(name_col);
        for &(col, group) in &categories {
            if let Some(n) = parse_count(path, row, &file.headers()[col], row.get(col))? {
                acc.add(path, row, (code, name), &file.headers()[col], group, n)?;
            }
        }
        let area = acc.area(code, name, row.row);
        if let Some(col) = total_col {
            area.reported_total = parse_count(path, row, &file.headers()[col], row.get(col))?;
        }
    }
    Ok(acc.finish())
}

/// Shared reader for the two long layouts once their columns are known.
fn read_long(
    file: &CsvFile,
    classifier: &Classifier,
    code_col: usize,
    name_col: Option<usize>,
    label_col: usize,
    count_col: usize,
) -> Result<Vec<AreaPopulation>> {
    let path = file.path();
    file.require_rows("add the rows of counts under the header")?;
    let mut acc = AreaAccumulator::default();
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    let mut totals: Vec<(String, u64)> = Vec::new();
    for row in file.rows() {
        let code = row.get(code_col);
        let name = name_col.map(|c| row.get(c)).unwrap_or(code);
        let label = row.get(label_col);
        if code.is_empty() {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[code_col].clone()),
                value: String::new(),
                message: "the area code is empty".to_string(),
                hint: "every row needs its area code".to_string(),
            });
        }
        let count_header = &file.headers()[count_col];
        match census_label(classifier, label) {
            CensusLabel::Category(group) => {
                if let Some(n) = parse_count(path, row, count_header, row.get(count_col))? {
                    acc.add(path, row, (code, name), count_header, group, n)?;
                }
            }
            CensusLabel::Total => {
                if let Some(n) = parse_count(path, row, count_header, row.get(count_col))? {
                    totals.push((code.to_string(), n));
                }
            }
            CensusLabel::Subtotal | CensusLabel::Ignored => {
                acc.area(code, name, row.row);
            }
            CensusLabel::Unknown => {
                unknown.entry(label.to_string()).or_insert(row.row);
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownCensusColumns {
            path: path.to_path_buf(),
            columns: unknown.iter().map(|(l, r)| format!("'{l}' (first at row {r})")).collect(),
            hint: "use Census 2021 or 2011 ethnic group labels (19 or 18 categories); detailed tables such as TS022 are not supported".to_string(),
        });
    }
    for (code, total) in totals {
        acc.area(&code, &code, 0).reported_total = Some(total);
    }
    Ok(acc.finish())
}

fn read_ons_long(file: &CsvFile, classifier: &Classifier) -> Result<Vec<AreaPopulation>> {
    let headers: Vec<String> = file.headers().iter().map(|h| normalise_header(h)).collect();
    let is_ethnic = |h: &str| h.starts_with("ethnic group");
    let code_col = headers
        .iter()
        .position(|h| h.ends_with(" code") && !is_ethnic(h))
        .ok_or_else(|| file.missing_column("<geography> Code", LAYOUT_HINT))?;
    let area_name = headers[code_col].trim_end_matches(" code").to_string();
    let name_col = headers.iter().position(|h| *h == area_name);
    let label_col = headers
        .iter()
        .position(|h| is_ethnic(h) && !h.ends_with("code"))
        .ok_or_else(|| file.missing_column("Ethnic group (20 categories)", LAYOUT_HINT))?;
    let count_col = file.require_column("observation", LAYOUT_HINT)?;
    read_long(file, classifier, code_col, name_col, label_col, count_col)
}

fn read_tidy(file: &CsvFile, classifier: &Classifier) -> Result<Vec<AreaPopulation>> {
    let headers: Vec<String> = file.headers().iter().map(|h| normalise_header(h)).collect();
    let code_col = file
        .find_column("area_code")
        .or_else(|| headers.iter().position(|h| h.ends_with("_code")))
        .ok_or_else(|| file.missing_column("area_code", LAYOUT_HINT))?;
    let name_col = file
        .find_column("area_name")
        .or_else(|| headers.iter().position(|h| h.ends_with("_name")));
    let label_col = file
        .find_column("ethnic_group")
        .or_else(|| file.find_column("ethnic group"))
        .ok_or_else(|| file.missing_column("ethnic_group", LAYOUT_HINT))?;
    let count_col = file
        .find_column("count")
        .or_else(|| file.find_column("value"))
        .ok_or_else(|| file.missing_column("count", LAYOUT_HINT))?;
    read_long(file, classifier, code_col, name_col, label_col, count_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nomis_headers_reduce_to_categories() {
        assert_eq!(
            nomis_category("Ethnic Group: White: Irish; measures: Value"),
            Some("White: Irish")
        );
        assert_eq!(
            nomis_category("Ethnic group: Asian, Asian British or Asian Welsh: Bangladeshi"),
            Some("Asian, Asian British or Asian Welsh: Bangladeshi")
        );
        assert_eq!(nomis_category("geography code"), None);
        let c = Classifier::builtin();
        assert_eq!(
            census_label(&c, "Total: All usual residents"),
            CensusLabel::Total
        );
        assert_eq!(
            census_label(&c, "All categories: Ethnic group"),
            CensusLabel::Total
        );
        assert_eq!(
            census_label(&c, "Asian, Asian British or Asian Welsh"),
            CensusLabel::Subtotal
        );
        assert_eq!(census_label(&c, "Other"), CensusLabel::Subtotal);
        assert_eq!(census_label(&c, "Does not apply"), CensusLabel::Ignored);
        assert_eq!(
            census_label(&c, "White: Irish (number)"),
            CensusLabel::Category(EthnicGroup::WhiteIrish)
        );
        assert_eq!(
            census_label(&c, "White: Irish  (percent)"),
            CensusLabel::Ignored
        );
        assert_eq!(census_label(&c, "Asian: Afghan"), CensusLabel::Unknown);
    }
}
