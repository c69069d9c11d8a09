//! Census population by ethnic group.
//!
//! Reads three layouts, told apart by their headers:
//! - the **Nomis bulk download** (`date,geography,geography code,` then one column per group;
//!   total and high-level subtotal columns are recognised and never added to the categories;
//!   a cross-tabulated table such as DC2101EW names each column's other variables too:
//!   `Sex: All persons; Age: Age 16 to 17; Ethnic Group: White: Irish; measures: Value`);
//! - the **ONS custom-dataset download** (long: area code, area name, a code and label pair
//!   for each variable — ethnic group, and age, sex, gender identity… in a cross-tabulated
//!   table such as RM032 or RM038 — then `Observation`);
//! - the **tidy** layout `area_code,area_name,ethnic_group,count` (a `value` column and
//!   `… (number)` / `… (percent)` labels, as some packaged copies use, are accepted too).
//!
//! Census 2021 labels (19 categories, or the 8 of the cross-tabulated tables) and Census 2011
//! labels (18: no Roma) are all accepted. A table's ethnic groups are held as *parts*, each a
//! set of the 19 categories (one each in TS021; Asian, Black… whole in RM038), so every figure
//! knows which of the 19 it covers and a level the table cannot give is refused, not guessed.
//! Census 2021 counts are perturbed for disclosure control, so a table's own total may differ
//! from the sum of its categories by a few people: the sum of the categories is used, and a
//! large difference is reported as a warning, not an error.

mod comparator;
mod detailed;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use comparator::{age_band, Comparator, ComparatorName};
use comparator::{Category, VariableKind};

use super::csvfile::{normalise_header, CsvFile, Delimiter, InputSource, ReadOptions, Row};
use crate::classify::{
    normalise_label, Classified, Classifier, EthnicGroup, HighLevelGroup, Level,
};
use crate::error::{Error, Location, Result};

/// Which Census table and which of its areas (summed) make the comparator, as a config names
/// them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusConfig {
    pub file: std::path::PathBuf,
    #[serde(default)]
    pub areas: Vec<String>,
    /// Who the workforce is compared with; what the table counts when not given.
    pub comparator: Option<ComparatorName>,
    /// The age range of a working-age comparator, `[16, 64]` when not given.
    pub ages: Option<[u32; 2]>,
    /// The field delimiter; detected when not given.
    pub delimiter: Option<Delimiter>,
    /// The row the column names are on; detected when not given.
    pub header_row: Option<u64>,
    /// The sheet of a workbook; the first when not given.
    pub sheet: Option<String>,
}

impl CensusConfig {
    /// The comparator asked for (`None`: what the table counts); checked when the config is
    /// read (see [`CensusConfig::check_comparator`]).
    pub fn comparator(&self) -> Option<Comparator> {
        self.comparator.and_then(|c| c.with_ages(self.ages).ok())
    }

    /// An error for ages given without a working-age comparator, or not a range.
    pub fn check_comparator(&self, config: &Path, section: &str) -> Result<()> {
        let problem = match self.comparator {
            Some(c) => c.with_ages(self.ages).err(),
            None if self.ages.is_some() => {
                Some("ages are for comparator = \"working-age\" only".to_string())
            }
            None => None,
        };
        match problem {
            Some(message) => Err(Error::Config {
                path: config.to_path_buf(),
                message: format!("[{section}] {message}"),
                hint: "write e.g. comparator = \"working-age\" and ages = [16, 64] (both included)"
                    .to_string(),
            }),
            None => Ok(()),
        }
    }
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

/// A set of the 19 categories: one ethnic group of a Census table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct GroupSet(u32);

impl GroupSet {
    pub fn of(groups: impl IntoIterator<Item = EthnicGroup>) -> GroupSet {
        GroupSet(groups.into_iter().fold(0, |bits, g| bits | 1 << g.index()))
    }

    pub fn contains(self, group: EthnicGroup) -> bool {
        self.0 & (1 << group.index()) != 0
    }

    pub fn is_within(self, other: GroupSet) -> bool {
        self.0 & other.0 == self.0
    }

    pub fn overlaps(self, other: GroupSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn union(self, other: GroupSet) -> GroupSet {
        GroupSet(self.0 | other.0)
    }

    pub fn groups(self) -> impl Iterator<Item = EthnicGroup> {
        EthnicGroup::ALL
            .into_iter()
            .filter(move |g| self.contains(*g))
    }

    /// The label a Census table gives the set: the category's, the high-level group's, or the
    /// categories' joined.
    pub fn label(self) -> String {
        let groups: Vec<EthnicGroup> = self.groups().collect();
        if let [g] = groups.as_slice() {
            return g.label();
        }
        if let Some(h) = HighLevelGroup::ALL
            .into_iter()
            .find(|h| GroupSet::of(h.categories()) == self)
        {
            return h.label().to_string();
        }
        if self == GroupSet::of(WHITE_OTHER_THAN_BRITISH_OR_IRISH) {
            return "White: Gypsy or Irish Traveller, Roma or Other White".to_string();
        }
        groups
            .iter()
            .map(|g| g.label())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

impl Serialize for GroupSet {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

/// The 8-category tables' "White: Gypsy or Irish Traveller, Roma or Other White".
const WHITE_OTHER_THAN_BRITISH_OR_IRISH: [EthnicGroup; 3] = [
    EthnicGroup::GypsyOrIrishTraveller,
    EthnicGroup::Roma,
    EthnicGroup::OtherWhite,
];

/// One area of a Census table.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusArea {
    pub code: String,
    pub name: String,
    /// The table's own total for the area, where it has one.
    pub reported_total: Option<u64>,
    /// The first row the area was read from.
    pub row: u64,
}

/// A variable a table crosses ethnic group with (age, sex, gender identity…).
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub name: String,
    kind: VariableKind,
    /// Its categories as the table labels them, in the order first met.
    pub categories: Vec<String>,
}

/// One count: an area, one of the table's ethnic groups, one category of each variable.
#[derive(Debug, Clone)]
struct Observation {
    area: usize,
    part: usize,
    categories: Vec<u16>,
    n: u64,
}

/// Every area in a Census file.
#[derive(Debug, Clone)]
pub struct CensusTable {
    pub path: PathBuf,
    pub layout: CensusLayout,
    pub edition: CensusEdition,
    pub areas: Vec<CensusArea>,
    /// The table's ethnic groups, each a set of the 19 categories.
    pub parts: Vec<GroupSet>,
    /// The variables the table crosses ethnic group with (none for TS021).
    pub variables: Vec<Variable>,
    observations: Vec<Observation>,
    /// A detailed table's answers (TS022's 287), as labelled, each rolled up into a part …
    pub answers: Vec<String>,
    /// … and each area's count of each: (area, answer, count).
    answer_counts: Vec<(usize, usize, u64)>,
    /// Whether the table counts only residents aged 16 and over (its variables are asked only
    /// of them: gender identity, economic activity…).
    pub sixteen_plus: bool,
    pub source: InputSource,
    /// What the reader did that the user should know (see [`CsvFile::notes`]).
    pub notes: Vec<String>,
}

/// The comparator population: one area or several summed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Population {
    pub source: PathBuf,
    pub edition: CensusEdition,
    /// Which residents: all, aged 16 and over, working age, economically active.
    pub comparator: Comparator,
    /// `(code, name)` of each area summed, in the order asked for.
    pub areas: Vec<(String, String)>,
    /// The table's ethnic groups (sets of the 19 categories, in ONS order) …
    parts: Vec<GroupSet>,
    /// … and the residents in each: read through [`Population::count`], which knows which
    /// sets of categories the table can give.
    counts: Vec<u64>,
    /// Notes for the user (e.g. a table total that differs from the sum of its categories).
    pub warnings: Vec<String>,
}

impl Population {
    /// All usual residents counted in the 19 categories (Roma 0 in a Census 2011 table).
    pub fn of_categories(
        source: PathBuf,
        edition: CensusEdition,
        areas: Vec<(String, String)>,
        counts: [u64; 19],
    ) -> Population {
        Population {
            source,
            edition,
            comparator: Comparator::AllResidents,
            areas,
            parts: EthnicGroup::ALL
                .iter()
                .map(|g| GroupSet::of([*g]))
                .collect(),
            counts: counts.to_vec(),
            warnings: Vec::new(),
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// How many ethnic groups the table counts (19 in TS021, 7 in RM038 less Does not apply).
    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    /// The table's groups and their residents.
    pub fn parts(&self) -> impl Iterator<Item = (GroupSet, u64)> + '_ {
        self.parts.iter().copied().zip(self.counts.iter().copied())
    }

    /// Residents in `members` (categories of the 19); `None` when the table cannot tell, as
    /// for Indian alone in a table that counts Asian as one group.
    pub fn count(&self, members: &[EthnicGroup]) -> Option<u64> {
        let wanted = GroupSet::of(members.iter().copied());
        let mut n = 0;
        for (part, count) in self.parts.iter().zip(&self.counts) {
            if part.is_within(wanted) {
                n += count;
            } else if part.overlaps(wanted) {
                return None;
            }
        }
        Some(n)
    }

    /// Whether every group of `level` can be counted in this population.
    pub fn supports(&self, level: Level) -> bool {
        (0..level.group_count()).all(|b| self.count(&level.members(b)).is_some())
    }

    /// The most detailed level the population gives: the 19 categories, the 8, or the 5.
    pub fn finest_level(&self) -> Level {
        [Level::Detailed, Level::EightCategories, Level::High]
            .into_iter()
            .find(|l| self.supports(*l))
            .unwrap_or(Level::WhiteBritish)
    }

    /// A short description for subtitles and methods text: "Census 2021 usual residents,
    /// Rushmoor (E07000092)", "Census 2021 usual residents aged 16 and over, …".
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .areas
            .iter()
            .map(|(code, name)| format!("{name} ({code})"))
            .collect();
        // The wards of a borough: their number and the first few names.
        let areas = if names.len() > 3 {
            let first: Vec<&str> = self.areas.iter().take(3).map(|(_, n)| n.as_str()).collect();
            format!(
                "{} areas ({}, and {} more)",
                names.len(),
                first.join(", "),
                names.len() - 3
            )
        } else {
            names.join(" + ")
        };
        format!(
            "Census {} {}, {}",
            self.edition.year(),
            self.comparator.people(),
            areas
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

struct Built {
    areas: Vec<CensusArea>,
    parts: Vec<GroupSet>,
    variables: Vec<Variable>,
    observations: Vec<Observation>,
    answers: Vec<String>,
    answer_counts: Vec<(usize, usize, u64)>,
}

/// A long table with two rows of one group for one area is not a table of ethnic group by
/// area: say what it is (a detailed table such as TS022) and what to use instead, rather than
/// to remove rows.
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

impl CensusTable {
    /// Read a Census file, detecting its layout.
    pub fn read(path: &Path, options: ReadOptions) -> Result<CensusTable> {
        let file = CsvFile::open(path, &options)?;
        let classifier = Classifier::builtin();
        let normalised: Vec<String> = file.headers().iter().map(|h| normalise_header(h)).collect();
        let has = |name: &str| normalised.iter().any(|h| h == name);
        let edition = detect_edition(&file);
        let (layout, built) = if has("geography code") {
            (
                CensusLayout::NomisWide,
                read_nomis(&file, &classifier, edition)?,
            )
        } else if has("mnemonic") {
            (
                CensusLayout::NomisWeb,
                read_nomis_web(&file, &classifier, edition)?,
            )
        } else if has("observation") {
            let built =
                read_ons_long(&file, &classifier, edition).map_err(|e| diagnose(&file, e))?;
            (CensusLayout::OnsLong, built)
        } else if has("ethnic_group") || has("ethnic group") {
            let built = read_tidy(&file, &classifier, edition).map_err(|e| diagnose(&file, e))?;
            (CensusLayout::Tidy, built)
        } else {
            return Err(Error::UnknownCensusLayout {
                path: path.to_path_buf(),
                header: file.headers().join(","),
            });
        };
        if built.areas.is_empty() {
            return Err(Error::NoRows {
                path: path.to_path_buf(),
                hint:
                    "the file has no area with ethnic-group counts; check it is the full download"
                        .to_string(),
            });
        }
        let names: Vec<String> = built.variables.iter().map(|v| v.name.clone()).collect();
        Ok(CensusTable {
            path: path.to_path_buf(),
            layout,
            edition,
            areas: built.areas,
            parts: built.parts,
            sixteen_plus: comparator::counts_sixteen_plus(&names),
            variables: built.variables,
            observations: built.observations,
            answers: built.answers,
            answer_counts: built.answer_counts,
            source: file.source().clone(),
            notes: file.notes(),
        })
    }

    /// Who the table counts when no comparator is asked for.
    pub fn default_comparator(&self) -> Comparator {
        if self.sixteen_plus {
            Comparator::AgedSixteenPlus
        } else {
            Comparator::AllResidents
        }
    }

    /// Each area's residents, as the table counts them by default.
    pub fn area_totals(&self) -> Vec<u64> {
        let mut totals = vec![0; self.areas.len()];
        if let Ok(accepted) = self.accepted_categories(self.default_comparator()) {
            for o in &self.observations {
                if o.categories
                    .iter()
                    .enumerate()
                    .all(|(v, &c)| accepted[v][c as usize])
                {
                    totals[o.area] += o.n;
                }
            }
        }
        totals
    }

    /// The categories of each variable that make up `comparator`; an error when the table
    /// cannot give it.
    fn accepted_categories(&self, comparator: Comparator) -> Result<Vec<Vec<bool>>> {
        let path = self.path.clone();
        let cannot = |message: String, hint: &str| Error::Unreadable {
            path: path.clone(),
            message,
            hint: hint.to_string(),
        };
        let has_age = self.variables.iter().any(|v| v.kind == VariableKind::Age);
        let has_activity = self
            .variables
            .iter()
            .any(|v| v.kind == VariableKind::EconomicActivity);
        let (from, to) = comparator.ages();
        if comparator == Comparator::EconomicallyActive && !has_activity {
            return Err(cannot(
                format!("the table has no economic activity, so it cannot give {}", comparator.people()),
                "use Census 2021 RM018 \"Economic activity status by ethnic group\" (ONS custom dataset) for the same areas, or choose another comparator",
            ));
        }
        if !has_age {
            if self.sixteen_plus && from < 16 {
                return Err(cannot(
                    format!(
                        "the table counts residents aged 16 and over (it crosses ethnic group with {}, asked only of them), so it cannot give all usual residents",
                        self.variables.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(" and ")
                    ),
                    "set comparator = \"aged-16-plus\" in [census] (--comparator aged-16-plus), or use a table of all usual residents (Census 2021 TS021)",
                ));
            }
            if (!self.sixteen_plus && from > 0) || to.is_some() {
                return Err(cannot(
                    format!(
                        "the table counts {} by ethnic group with no age, so it cannot give {}",
                        if self.sixteen_plus { "residents aged 16 and over" } else { "usual residents of all ages" },
                        comparator.people()
                    ),
                    "use a table crossing ethnic group with age (Census 2021 RM032 \"Ethnic group by sex by age\", Census 2011 DC2101EW), or for residents aged 16 and over a table of them (RM038, RM018)",
                ));
            }
        }
        let mut accepted = Vec::new();
        for variable in &self.variables {
            let kinds: Vec<Category> = variable
                .categories
                .iter()
                .map(|c| comparator::category(variable.kind, c))
                .collect();
            // A category that heads others ("Economically active: …") is their subtotal.
            let subtotal: Vec<bool> = variable
                .categories
                .iter()
                .map(|c| {
                    let head = format!("{}:", c.trim());
                    variable
                        .categories
                        .iter()
                        .any(|o| o.trim().starts_with(&head))
                })
                .collect();
            let total = kinds.iter().position(|k| *k == Category::Total);
            let everything = |kinds: &[Category]| -> Vec<bool> {
                match total {
                    Some(t) => (0..kinds.len()).map(|i| i == t).collect(),
                    None => kinds
                        .iter()
                        .zip(&subtotal)
                        .map(|(k, s)| *k != Category::DoesNotApply && !s)
                        .collect(),
                }
            };
            let chosen = match variable.kind {
                VariableKind::Age if from == 0 && to.is_none() && total.is_some() => {
                    everything(&kinds)
                }
                VariableKind::Age => {
                    let bands: Vec<(usize, (u32, Option<u32>))> = kinds
                        .iter()
                        .enumerate()
                        .filter_map(|(i, k)| match k {
                            Category::Ages(a, b) => Some((i, (*a, *b))),
                            _ => None,
                        })
                        .collect();
                    let just_bands: Vec<(u32, Option<u32>)> = bands.iter().map(|b| b.1).collect();
                    let tiles = comparator::tile(&just_bands, from, to).ok_or_else(|| {
                        let mut sorted = just_bands.clone();
                        sorted.sort();
                        sorted.dedup();
                        cannot(
                            format!(
                                "the age bands of '{}' do not split at ages {}: the bands are {}",
                                variable.name,
                                comparator::describe_band((from, to)),
                                sorted.iter().map(|b| comparator::describe_band(*b)).collect::<Vec<_>>().join(", ")
                            ),
                            "set ages in [census] (--ages) to ages at the edges of the bands, e.g. ages = [16, 64], or download the table with single years of age",
                        )
                    })?;
                    let mut chosen = vec![false; kinds.len()];
                    for t in tiles {
                        chosen[bands[t].0] = true;
                    }
                    chosen
                }
                VariableKind::EconomicActivity if comparator == Comparator::EconomicallyActive => {
                    let chosen: Vec<bool> = variable
                        .categories
                        .iter()
                        .zip(&subtotal)
                        .map(|(c, s)| {
                            let key = normalise_label(c);
                            !s && key.starts_with("economically active")
                        })
                        .collect();
                    if !chosen.contains(&true) {
                        return Err(cannot(
                            format!(
                                "no category of '{}' says \"Economically active\": its categories are {}",
                                variable.name,
                                variable.categories.join("; ")
                            ),
                            "use the ONS download of RM018 whose categories start \"Economically active\" or \"Economically inactive\"",
                        ));
                    }
                    chosen
                }
                _ => everything(&kinds),
            };
            accepted.push(chosen);
        }
        Ok(accepted)
    }

    /// Sum the areas asked for (codes or names) into one comparator population: `comparator`
    /// (`None`: who the table counts).
    pub fn select(
        &self,
        requests: &[String],
        comparator: Option<Comparator>,
    ) -> Result<Population> {
        let comparator = comparator.unwrap_or_else(|| self.default_comparator());
        let chosen = self.chosen_areas(requests)?;
        let accepted = self.accepted_categories(comparator)?;
        let mut by_area = vec![vec![0u64; self.parts.len()]; self.areas.len()];
        for o in &self.observations {
            if o.categories
                .iter()
                .enumerate()
                .all(|(v, &c)| accepted[v][c as usize])
            {
                by_area[o.area][o.part] += o.n;
            }
        }
        let mut counts = vec![0u64; self.parts.len()];
        let mut warnings = Vec::new();
        for &i in &chosen {
            let area = &self.areas[i];
            let sum: u64 = by_area[i].iter().sum();
            if sum == 0 {
                return Err(Error::ZeroPopulation {
                    path: self.path.clone(),
                    area: format!("{} ({})", area.name, area.code),
                });
            }
            if let Some(reported) = area
                .reported_total
                .filter(|_| comparator == self.default_comparator())
            {
                let diff = sum.abs_diff(reported);
                if diff as f64 > 0.001 * reported as f64 && diff > 10 {
                    warnings.push(format!(
                        "{} ({}): the table's total is {reported} but its categories sum to {sum}; the sum is used",
                        area.name, area.code
                    ));
                }
            }
            for (c, n) in counts.iter_mut().zip(&by_area[i]) {
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
            comparator,
            areas: chosen
                .iter()
                .map(|&i| (self.areas[i].code.clone(), self.areas[i].name.clone()))
                .collect(),
            parts: self.parts.clone(),
            counts,
            warnings,
        })
    }

    /// Residents in the areas asked for who gave any of `answers`, labels of a detailed table
    /// (TS022) as the table writes them (case and punctuation aside).
    pub fn answer_count(&self, requests: &[String], answers: &[String]) -> Result<u64> {
        if self.answers.is_empty() {
            return Err(Error::Unreadable {
                path: self.path.clone(),
                message: "the table has no detailed ethnic groups".to_string(),
                hint: "name a detailed table (Census 2021 TS022 \"Ethnic group (detailed)\", Nomis bulk or ONS custom dataset) for the groups".to_string(),
            });
        }
        let chosen = self.chosen_areas(requests)?;
        let mut wanted = Vec::new();
        for answer in answers {
            let key = normalise_label(answer);
            let found = self
                .answers
                .iter()
                .position(|a| normalise_label(a) == key)
                .ok_or_else(|| {
                    // "Asian: Nepali" is nearest the answers that hold "Nepali".
                    let asked = normalise_label(answer.rsplit(':').next().unwrap_or(answer));
                    let mut scored: Vec<(f64, &String)> = self
                        .answers
                        .iter()
                        .map(|a| {
                            let label = normalise_label(a);
                            let holds = if label.contains(&asked) { 1.0 } else { 0.0 };
                            (holds + strsim::jaro_winkler(&key, &label), a)
                        })
                        .collect();
                    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                    Error::Unreadable {
                        path: self.path.clone(),
                        message: format!("the table has no detailed group '{answer}'"),
                        hint: format!(
                            "use a label exactly as the table writes it; the closest are: {}",
                            scored
                                .iter()
                                .take(3)
                                .map(|(_, a)| format!("\"{a}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                })?;
            wanted.push(found);
        }
        Ok(self
            .answer_counts
            .iter()
            .filter(|(area, answer, _)| chosen.contains(area) && wanted.contains(answer))
            .map(|(_, _, n)| n)
            .sum())
    }

    /// The areas asked for, by code or name (`all`: every area of the table).
    pub fn chosen_areas(&self, requests: &[String]) -> Result<Vec<usize>> {
        if requests.len() == 1 && requests[0].trim().eq_ignore_ascii_case("all") {
            return Ok((0..self.areas.len()).collect());
        }
        let mut chosen: Vec<usize> = Vec::new();
        if requests.is_empty() {
            if self.areas.len() == 1 {
                chosen.push(0);
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
                .position(|a| a.code.eq_ignore_ascii_case(request.trim()))
                .or_else(|| {
                    self.areas
                        .iter()
                        .position(|a| normalise_label(&a.name) == wanted)
                })
                .ok_or_else(|| self.unknown_area(request))?;
            if !chosen.contains(&area) {
                chosen.push(area);
            }
        }
        Ok(chosen)
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

/// Census 2021 has a Roma category and Census 2011 does not: a table that mentions Roma
/// anywhere (a column or a label, even with a count of 0) uses the 2021 classification.
fn detect_edition(file: &CsvFile) -> CensusEdition {
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

fn read_nomis(file: &CsvFile, classifier: &Classifier, edition: CensusEdition) -> Result<Built> {
    let code_col = file.require_column("geography code", LAYOUT_HINT)?;
    let name_col = file.require_column("geography", LAYOUT_HINT)?;
    read_wide(file, classifier, edition, code_col, name_col, nomis_header)
}

/// A table downloaded from Nomis's web pages: metadata rows above (skipped by the reader), the
/// areas' names in the first column, their codes under `mnemonic`, and a column per category
/// headed by the category alone (`Asian, Asian British or Asian Welsh: Bangladeshi`).
fn read_nomis_web(
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
fn read_ons_long(file: &CsvFile, classifier: &Classifier, edition: CensusEdition) -> Result<Built> {
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

fn read_tidy(file: &CsvFile, classifier: &Classifier, edition: CensusEdition) -> Result<Built> {
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
