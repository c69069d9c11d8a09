//! The Census layouts, read into a table of counts by area, ethnic group and the table's other
//! variables: the Nomis bulk and web downloads (a column per category), the ONS custom dataset
//! (a row per category of every variable) and the tidy layout.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::comparator::{self, Category, VariableKind};
use super::detailed;
use super::{
    CensusArea, CensusEdition, GroupSet, Observation, Variable, WHITE_OTHER_THAN_BRITISH_OR_IRISH,
};
use crate::classify::{normalise_label, Classified, Classifier, EthnicGroup, HighLevelGroup};
use crate::error::{Error, Location, Result};
use crate::ingest::csvfile::{normalise_header, CsvFile, Row};

/// What a Census column or label stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CensusLabel {
    Category(EthnicGroup),
    /// A high-level group: a subtotal beside its categories (TS021), or one of the table's
    /// groups where its categories are not counted apart (RM038).
    Broad(HighLevelGroup),
    /// Several categories counted as one (RM038's "White: Gypsy or Irish Traveller, Roma or
    /// Other White").
    Merged(GroupSet),
    /// An answer of the detailed table (TS022), added into the category it rolls up to.
    Detailed(EthnicGroup),
    /// A total: skipped so nothing is counted twice.
    Total,
    /// "Does not apply" (always 0 for usual residents), or a percentage row.
    Ignored,
    Unknown,
}

/// What a label of a table is: a detailed table's labels are rolled up by the rule of
/// [`detailed`], never by the classifier (it would put "Other ethnic group: Indian or British
/// Indian" in Indian, where the Census puts it in Any other ethnic group).
fn table_label(classifier: &Classifier, label: &str, is_detailed: bool) -> CensusLabel {
    if !is_detailed {
        return census_label(classifier, label);
    }
    match census_label(classifier, label) {
        total @ (CensusLabel::Total | CensusLabel::Ignored) => total,
        _ => match detailed::detailed_label(label) {
            // A section's subtotal: its answers are counted instead (the two Black sections
            // are two subtotals of one high-level group).
            detailed::DetailedLabel::Section(_) => CensusLabel::Ignored,
            detailed::DetailedLabel::Answer(g) => CensusLabel::Detailed(g),
            detailed::DetailedLabel::Unknown => CensusLabel::Unknown,
        },
    }
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
    if key == "white gypsy or irish traveller roma or other white" {
        return CensusLabel::Merged(GroupSet::of(WHITE_OTHER_THAN_BRITISH_OR_IRISH));
    }
    // Census 2011 headers name a high-level subtotal "White: Total".
    let key = key.strip_suffix(" total").unwrap_or(key);
    match classifier.classify(key) {
        Some(Classified::Group(g)) => CensusLabel::Category(g),
        Some(Classified::HighLevel(h)) => CensusLabel::Broad(h),
        _ => CensusLabel::Unknown,
    }
}

fn parse_count(path: &Path, row: &Row, column: &str, value: &str) -> Result<u64> {
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
        return Ok(n);
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

/// Collects a table's counts while reading: areas, variables and their categories, and each
/// count under its ethnic label; the labels become the table's groups once all are known.
#[derive(Default)]
struct TableBuilder {
    areas: Vec<CensusArea>,
    area_index: HashMap<String, usize>,
    variables: Vec<Variable>,
    category_index: HashMap<(usize, String), u16>,
    labels: Vec<CensusLabel>,
    /// (area, label, categories) → the row it was read from. A detailed table's answers are
    /// told apart by their own labels: many add up into one category.
    seen: HashMap<(usize, SeenLabel, Vec<u16>), u64>,
    counts: Vec<(usize, usize, Vec<u16>, u64)>,
    /// A detailed table's answers, and each area's count of each.
    answers: Vec<String>,
    answer_index: HashMap<String, usize>,
    answer_counts: Vec<(usize, usize, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SeenLabel {
    Label(usize),
    Answer(usize),
}

impl TableBuilder {
    fn with_variables(names: &[String]) -> TableBuilder {
        TableBuilder {
            variables: names
                .iter()
                .map(|n| Variable {
                    name: n.clone(),
                    kind: VariableKind::of(n),
                    categories: Vec::new(),
                })
                .collect(),
            ..TableBuilder::default()
        }
    }

    fn area(&mut self, code: &str, name: &str, row: u64) -> usize {
        if let Some(&i) = self.area_index.get(code) {
            return i;
        }
        self.areas.push(CensusArea {
            code: code.to_string(),
            name: name.to_string(),
            reported_total: None,
            row,
        });
        self.area_index
            .insert(code.to_string(), self.areas.len() - 1);
        self.areas.len() - 1
    }

    fn category(&mut self, variable: usize, label: &str) -> u16 {
        let key = (variable, label.to_string());
        if let Some(&c) = self.category_index.get(&key) {
            return c;
        }
        let categories = &mut self.variables[variable].categories;
        categories.push(label.to_string());
        let c = (categories.len() - 1) as u16;
        self.category_index.insert(key, c);
        c
    }

    fn label(&mut self, label: CensusLabel) -> usize {
        match self.labels.iter().position(|l| *l == label) {
            Some(i) => i,
            None => {
                self.labels.push(label);
                self.labels.len() - 1
            }
        }
    }

    /// Add a count of `label` in area `code` at the variables' categories `at`.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        path: &Path,
        row: &Row,
        (code, name): (&str, &str),
        column: &str,
        (label, raw): (CensusLabel, &str),
        at: &[&str],
        n: u64,
    ) -> Result<()> {
        let area = self.area(code, name, row.row);
        let categories: Vec<u16> = at
            .iter()
            .enumerate()
            .map(|(v, c)| self.category(v, c))
            .collect();
        if label == CensusLabel::Total {
            // The table's own total, where the other variables are at theirs.
            let all_totals = categories.iter().enumerate().all(|(v, &c)| {
                let var = &self.variables[v];
                comparator::category(var.kind, &var.categories[c as usize]) == Category::Total
            });
            if all_totals {
                self.areas[area].reported_total = Some(n);
            }
            return Ok(());
        }
        let seen = if let CensusLabel::Detailed(_) = label {
            let next = self.answers.len();
            let answer = *self.answer_index.entry(raw.to_string()).or_insert(next);
            if answer == next {
                self.answers.push(raw.to_string());
            }
            self.answer_counts.push((area, answer, n));
            SeenLabel::Answer(answer)
        } else {
            SeenLabel::Label(self.labels.len())
        };
        let label = self.label(label);
        let seen = match seen {
            SeenLabel::Label(_) => SeenLabel::Label(label),
            answer => answer,
        };
        if let Some(first) = self.seen.insert((area, seen, categories.clone()), row.row) {
            let group = match self.labels[label] {
                CensusLabel::Detailed(_) => raw.to_string(),
                CensusLabel::Category(g) => g.label(),
                CensusLabel::Broad(h) => h.label().to_string(),
                CensusLabel::Merged(set) => set.label(),
                _ => String::new(),
            };
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, column),
                value: group,
                message: format!("area {code} already has a count for this group (row {first})"),
                hint:
                    "each area should have one count per ethnic group; remove the duplicated rows"
                        .to_string(),
            });
        }
        self.counts.push((area, label, categories, n));
        Ok(())
    }

    /// The table's groups from its labels: a high-level label is a subtotal when the table
    /// also counts any of its categories, and a group of its own otherwise.
    fn finish(self, path: &Path, edition: CensusEdition) -> Result<Built> {
        let sets: Vec<Option<GroupSet>> = self
            .labels
            .iter()
            .map(|label| match *label {
                CensusLabel::Category(g) | CensusLabel::Detailed(g) => Some(GroupSet::of([g])),
                CensusLabel::Merged(set) => Some(set),
                CensusLabel::Broad(h) => {
                    let whole = GroupSet::of(h.categories());
                    let split = self.labels.iter().any(|other| match *other {
                        CensusLabel::Category(g) | CensusLabel::Detailed(g) => whole.contains(g),
                        CensusLabel::Merged(set) => set.overlaps(whole),
                        _ => false,
                    });
                    (!split).then_some(whole)
                }
                _ => None,
            })
            .collect();
        // Groups in ONS order of their first category.
        let mut parts: Vec<GroupSet> = sets.iter().flatten().copied().collect();
        parts.sort_by_key(|p| p.groups().next().map(|g| g.index()));
        parts.dedup();
        for (i, a) in parts.iter().enumerate() {
            if let Some(b) = parts[i + 1..].iter().find(|b| a.overlaps(**b)) {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    message: format!(
                        "the table counts '{}' and '{}', which overlap",
                        a.label(),
                        b.label()
                    ),
                    hint: "use a table whose ethnic groups do not overlap (one count per person)"
                        .to_string(),
                });
            }
        }
        let part_of: Vec<Option<usize>> = sets
            .iter()
            .map(|s| s.and_then(|s| parts.iter().position(|p| *p == s)))
            .collect();
        let observations: Vec<Observation> = self
            .counts
            .into_iter()
            .filter_map(|(area, label, categories, n)| {
                part_of[label].map(|part| Observation {
                    area,
                    part,
                    categories,
                    n,
                })
            })
            .collect();
        // Every area needs a count for every category: a category missing from a truncated
        // export would otherwise be read as 0, and every share would be wrong.
        let mut present = vec![GroupSet::default(); self.areas.len()];
        for o in &observations {
            present[o.area] = present[o.area].union(parts[o.part]);
        }
        for (area, present) in self.areas.iter().zip(&present) {
            let missing: Vec<String> = EthnicGroup::ALL
                .into_iter()
                .filter(|g| !present.contains(*g))
                .filter(|g| edition == CensusEdition::Census2021 || *g != EthnicGroup::Roma)
                .map(|g| g.label())
                .collect();
            if !missing.is_empty() {
                return Err(Error::BadValue {
                    location: Location { file: path.to_path_buf(), row: Some(area.row), column: None },
                    value: area.code.clone(),
                    message: format!("area {} ({}) has no count for {} of the categories: {}", area.name, area.code, missing.len(), missing.join("; ")),
                    hint: "the table needs every ethnic group category (19 in Census 2021, 18 in 2011); check the export is complete, and write 0 where there are none".to_string(),
                });
            }
        }
        Ok(Built {
            areas: self.areas,
            parts,
            variables: self.variables,
            observations,
            answers: self.answers,
            answer_counts: self.answer_counts,
        })
    }
}

pub(super) struct Built {
    pub areas: Vec<CensusArea>,
    pub parts: Vec<GroupSet>,
    pub variables: Vec<Variable>,
    pub observations: Vec<Observation>,
    pub answers: Vec<String>,
    pub answer_counts: Vec<(usize, usize, u64)>,
}

/// A long table with two rows of one group for one area is not a table of ethnic group by
/// area: say what it is (a detailed table such as TS022) and what to use instead, rather than
/// to remove rows.
pub(super) fn diagnose(file: &CsvFile, error: Error) -> Error {
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
    if distinct <= 25 {
        return error;
    }
    Error::Unreadable {
        path: file.path().to_path_buf(),
        message: format!(
            "this is a detailed ethnic-group table ({distinct} categories, such as Census 2021 TS022), with several detailed groups in each of the 19 categories; repgap compares with the 19 categories"
        ),
        hint: "download Census 2021 TS021 \"Ethnic group\" (19 categories) for the same areas: the Nomis bulk file census2021-ts021, or the ONS custom dataset of ethnic group (20 categories) by area alone".to_string(),
    }
}

/// Census 2021 has a Roma category and Census 2011 does not: a table that mentions Roma
/// anywhere (a column or a label, even with a count of 0) uses the 2021 classification.
pub(super) fn detect_edition(file: &CsvFile) -> CensusEdition {
    // The detailed table (TS022) is Census 2021's alone.
    let mentions_roma = |text: &str| {
        normalise_label(text).split(' ').any(|w| w == "roma")
            || text
                .split_once(':')
                .is_some_and(|(_, rest)| detailed::is_detailed(rest.trim()))
            || detailed::is_detailed(text)
    };
    let in_headers = file.headers().iter().any(|h| mentions_roma(h));
    let in_rows = || file.rows().iter().any(|r| r.fields().any(mentions_roma));
    if in_headers || in_rows() {
        CensusEdition::Census2021
    } else {
        CensusEdition::Census2011
    }
}

pub(super) fn read_nomis(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
) -> Result<Built> {
    let code_col = file.require_column("geography code", LAYOUT_HINT)?;
    let name_col = file.require_column("geography", LAYOUT_HINT)?;
    read_wide(file, classifier, edition, code_col, name_col, nomis_header)
}

/// A table downloaded from Nomis's web pages: metadata rows above (skipped by the reader), the
/// areas' names in the first column, their codes under `mnemonic`, and a column per category
/// headed by the category alone (`Asian, Asian British or Asian Welsh: Bangladeshi`).
pub(super) fn read_nomis_web(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
) -> Result<Built> {
    let code_col = file.require_column("mnemonic", LAYOUT_HINT)?;
    read_wide(file, classifier, edition, code_col, 0, web_header)
}

/// A Nomis bulk header's ethnic group and the other variables' categories:
/// "Sex: All persons; Age: Age 16 to 17; Ethnic Group: White: Irish; measures: Value" →
/// ("White: Irish", [("Sex", "All persons"), ("Age", "Age 16 to 17")]). `None` for columns
/// that are not about ethnic group.
fn nomis_header(header: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let header = header.trim();
    let header = match header.rfind("; measures:") {
        Some(i) => &header[..i],
        None => header,
    };
    let mut ethnic = None;
    let mut others = Vec::new();
    for part in header.split("; ") {
        let (name, value) = part.split_once(':')?;
        if name.trim().to_lowercase().starts_with("ethnic group") {
            ethnic = Some(value.trim());
        } else {
            others.push((name.trim(), value.trim()));
        }
    }
    ethnic.map(|e| (e, others))
}

/// Strip a Nomis header down to its category: "Ethnic Group: White: Irish; measures: Value"
/// → "White: Irish".
#[cfg(test)]
fn nomis_category(header: &str) -> Option<&str> {
    nomis_header(header).map(|(e, _)| e)
}

/// A Nomis web download's column header is the category itself.
fn web_header(header: &str) -> Option<(&str, Vec<(&str, &str)>)> {
    let header = header.trim();
    (!header.is_empty()).then_some((header, Vec::new()))
}

type HeaderParts = fn(&str) -> Option<(&str, Vec<(&str, &str)>)>;

/// A column per category (and, in a cross-tabulated table, per category of each other
/// variable): `parts` gives a column's ethnic label and other categories (`None`: not one).
fn read_wide(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
    code_col: usize,
    name_col: usize,
    parts: HeaderParts,
) -> Result<Built> {
    let path = file.path();
    let rural_urban = file.find_column("rural urban");
    let mut columns: Vec<(usize, (CensusLabel, &str), Vec<&str>)> = Vec::new();
    let mut variables: Option<Vec<String>> = None;
    let mut unknown = Vec::new();
    let is_detailed = file
        .headers()
        .iter()
        .filter_map(|h| parts(h))
        .any(|(label, _)| detailed::is_detailed(label));
    for (i, header) in file.headers().iter().enumerate() {
        if i == code_col || i == name_col || Some(i) == rural_urban {
            continue;
        }
        let Some((label, others)) = parts(header) else {
            continue;
        };
        let names: Vec<String> = others.iter().map(|(n, _)| n.to_string()).collect();
        match &variables {
            None => variables = Some(names),
            Some(v) if *v != names => {
                return Err(Error::UnknownCensusColumns {
                    path: path.to_path_buf(),
                    columns: vec![header.clone()],
                    hint: format!(
                        "every column of a cross-tabulated table names the same variables ({}); check the export is one table",
                        v.join(", ")
                    ),
                });
            }
            Some(_) => {}
        }
        let census = table_label(classifier, label, is_detailed);
        match census {
            CensusLabel::Unknown => unknown.push(header.clone()),
            CensusLabel::Ignored => {}
            _ => {
                let at: Vec<&str> = others.iter().map(|(_, c)| *c).collect();
                let twice = |(l, raw): &(CensusLabel, &str)| match census {
                    CensusLabel::Total => false,
                    CensusLabel::Detailed(_) => *raw == label,
                    _ => *l == census,
                };
                if columns.iter().any(|(_, l, a)| twice(l) && *a == at) {
                    unknown.push(format!("{header} (a second column for {label})"));
                }
                columns.push((i, (census, label), at));
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownCensusColumns {
            path: path.to_path_buf(),
            columns: unknown,
            hint: "repgap reads the 19-category ethnic group table (Census 2021 TS021, Census 2011 KS201EW/QS201EW) and tables crossing it with age, sex or another variable (RM032, DC2101EW); detailed tables such as TS022 are not supported".to_string(),
        });
    }
    if !columns.iter().any(|(_, l, _)| l.0 != CensusLabel::Total) {
        return Err(Error::UnknownCensusLayout {
            path: path.to_path_buf(),
            header: file.headers().join(","),
        });
    }
    file.require_rows("add at least one area row under the header")?;
    let mut builder = TableBuilder::with_variables(&variables.unwrap_or_default());
    let mut first_row: HashMap<String, u64> = HashMap::new();
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
        if let Some(first) = first_row.insert(code.to_string(), row.row) {
            return Err(Error::BadValue {
                location: Location::cell(path, row.row, file.headers()[code_col].clone()),
                value: code.to_string(),
                message: format!("area {code} appears twice (first at row {first})"),
                hint: "keep one row per area (one date, one measure)".to_string(),
            });
        }
        let name = row.get(name_col);
        for (col, label, at) in &columns {
            let header = &file.headers()[*col];
            let n = parse_count(path, row, header, row.get(*col))?;
            builder.add(path, row, (code, name), header, *label, at, n)?;
        }
    }
    builder.finish(path, edition)
}

/// The long layouts once their columns are known: `variables` are the other variables'
/// (name, label column).
#[allow(clippy::too_many_arguments)]
fn read_long(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
    code_col: usize,
    name_col: Option<usize>,
    label_col: usize,
    count_col: usize,
    variables: &[(String, usize)],
) -> Result<Built> {
    let path = file.path();
    file.require_rows("add the rows of counts under the header")?;
    let names: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
    let mut builder = TableBuilder::with_variables(&names);
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    let mut labels: HashMap<&str, CensusLabel> = HashMap::new();
    let is_detailed = file
        .rows()
        .iter()
        .any(|r| detailed::is_detailed(r.get(label_col)));
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
        let census = *labels
            .entry(label)
            .or_insert_with(|| table_label(classifier, label, is_detailed));
        let count_header = &file.headers()[count_col];
        match census {
            CensusLabel::Unknown => {
                unknown.entry(label.to_string()).or_insert(row.row);
            }
            CensusLabel::Ignored => {
                builder.area(code, name, row.row);
            }
            _ => {
                let at: Vec<&str> = variables.iter().map(|(_, c)| row.get(*c)).collect();
                let n = parse_count(path, row, count_header, row.get(count_col))?;
                builder.add(
                    path,
                    row,
                    (code, name),
                    count_header,
                    (census, label),
                    &at,
                    n,
                )?;
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownCensusColumns {
            path: path.to_path_buf(),
            columns: unknown.iter().map(|(l, r)| format!("'{l}' (first at row {r})")).collect(),
            hint: "use Census 2021 or 2011 ethnic group labels (19, 18 or 8 categories); detailed tables such as TS022 are not supported".to_string(),
        });
    }
    builder.finish(path, edition)
}

/// An ONS custom dataset: a code and a label column for each variable, the area's first, then
/// `Observation`.
pub(super) fn read_ons_long(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
) -> Result<Built> {
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
    // Every other "X Code" column names a variable whose labels are in column "X".
    let variables: Vec<(String, usize)> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| *i != code_col && h.ends_with(" code") && !is_ethnic(h))
        .filter_map(|(_, h)| {
            let label = h.trim_end_matches(" code");
            let at = headers.iter().position(|x| x == label)?;
            Some((file.headers()[at].clone(), at))
        })
        .collect();
    read_long(
        file, classifier, edition, code_col, name_col, label_col, count_col, &variables,
    )
}

pub(super) fn read_tidy(
    file: &CsvFile,
    classifier: &Classifier,
    edition: CensusEdition,
) -> Result<Built> {
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
    read_long(
        file,
        classifier,
        edition,
        code_col,
        name_col,
        label_col,
        count_col,
        &[],
    )
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
            CensusLabel::Broad(HighLevelGroup::Asian)
        );
        assert_eq!(
            census_label(&c, "Other"),
            CensusLabel::Broad(HighLevelGroup::Other)
        );
        assert_eq!(
            census_label(&c, "White: Total"),
            CensusLabel::Broad(HighLevelGroup::White)
        );
        assert_eq!(
            census_label(&c, "White: Gypsy or Irish Traveller, Roma or Other White"),
            CensusLabel::Merged(GroupSet::of(WHITE_OTHER_THAN_BRITISH_OR_IRISH))
        );
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
