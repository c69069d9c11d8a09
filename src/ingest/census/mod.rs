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
mod layouts;

use layouts::{detect_edition, diagnose, read_nomis, read_nomis_web, read_ons_long, read_tidy};

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use comparator::{age_band, Comparator, ComparatorName};
use comparator::{Category, VariableKind};

use super::csvfile::{normalise_header, CsvFile, Delimiter, InputSource, ReadOptions};
use crate::classify::{normalise_label, Classifier, EthnicGroup, HighLevelGroup, Level};
use crate::error::{Error, Result};

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

    /// Residents in the areas asked for by each category of one of the variables the table
    /// crosses ethnic group with (`name`: "sex" finds "Sex (2 categories)"), every ethnic group
    /// summed and the other variables cut to `comparator`'s residents (e.g. aged 16 and over,
    /// from RM032's age bands) as [`CensusTable::select`] cuts them. Categories are as the table
    /// labels them, without its total, subtotals and "Does not apply".
    pub fn counts_by_variable(
        &self,
        requests: &[String],
        name: &str,
        comparator: Option<Comparator>,
    ) -> Result<Vec<(String, u64)>> {
        let key = normalise_label(name);
        let Some(v) = self
            .variables
            .iter()
            .position(|x| normalise_label(&x.name).starts_with(&key))
        else {
            return Err(Error::Unreadable {
                path: self.path.clone(),
                message: format!(
                    "the table has no variable '{name}': it crosses ethnic group with {}",
                    if self.variables.is_empty() {
                        "nothing".to_string()
                    } else {
                        self.variables
                            .iter()
                            .map(|x| format!("'{}'", x.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                hint: format!("use a table crossing ethnic group with {name} and age, such as Census 2021 RM032 \"Ethnic group by sex by age\" (ONS custom dataset)"),
            });
        };
        let comparator = comparator.unwrap_or_else(|| self.default_comparator());
        let chosen = self.chosen_areas(requests)?;
        let accepted = self.accepted_categories(comparator)?;
        let variable = &self.variables[v];
        let kept: Vec<bool> = variable
            .categories
            .iter()
            .map(|c| {
                let head = format!("{}:", c.trim());
                comparator::category(variable.kind, c) == Category::Other
                    && !variable
                        .categories
                        .iter()
                        .any(|o| o.trim().starts_with(&head))
            })
            .collect();
        let mut counts = vec![0u64; variable.categories.len()];
        for o in &self.observations {
            let c = o.categories[v] as usize;
            if kept[c]
                && chosen.contains(&o.area)
                && o.categories
                    .iter()
                    .enumerate()
                    .all(|(w, &k)| w == v || accepted[w][k as usize])
            {
                counts[c] += o.n;
            }
        }
        Ok(variable
            .categories
            .iter()
            .zip(counts)
            .zip(&kept)
            .filter(|(_, &k)| k)
            .map(|((label, n), _)| (label.clone(), n))
            .collect())
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
                            // "Nepalese" is nearest "Nepali (includes Gurkha)": the answers'
                            // first words, then the whole labels.
                            let answer = normalise_label(a.rsplit(':').next().unwrap_or(a));
                            let first = answer.split(' ').next().unwrap_or("");
                            let word = strsim::jaro_winkler(&asked, first);
                            (holds + word + 0.1 * strsim::jaro_winkler(&key, &label), a)
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
