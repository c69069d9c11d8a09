//! The `[survey]` section of a configuration file: which file, which columns, which margins,
//! how to rake and which questions to report.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ingest::CensusConfig;

/// How to analyse a resident survey. Relative paths are taken from the folder of the
/// configuration file (the `base_dir` given to [`super::analyse`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    /// The survey export: one row per respondent.
    pub file: PathBuf,
    #[serde(default = "crate::ingest::extract::default_ethnicity_column")]
    pub ethnicity_column: String,
    /// A mapping CSV (raw_label,group) laid over the built-in ethnicity labels.
    pub mapping: Option<PathBuf>,
    #[serde(default = "default_age_column")]
    pub age_column: String,
    #[serde(default = "default_sex_column")]
    pub sex_column: String,
    /// An optional ward (area) column, shown in the sample profile (and weighted by when
    /// `weight_by` names "ward").
    pub ward_column: Option<String>,
    /// The survey column of each other weighting variable, e.g. `tenure = "Q21 Tenure"`; a
    /// variable not named here is read from the column of its own name.
    #[serde(default)]
    pub variable_columns: std::collections::BTreeMap<String, String>,
    /// An optional design-weight column; every weight is 1 without it.
    pub weight_column: Option<String>,
    /// The weighting variables, raked in this order.
    #[serde(default = "default_weight_by")]
    pub weight_by: Vec<WeightVariable>,
    /// The level the ethnic-group margin is weighted at: "high" (the 5 groups, the default),
    /// "eight-categories" (White split into White British, White Irish and Other White, as
    /// RM038 gives for residents aged 16 and over) or "detailed" (the 19 categories). Results
    /// are reported by high-level group at any level.
    #[serde(default = "default_ethnic_level")]
    pub ethnic_level: String,
    /// Tidy margins `variable,category,count` (age_band and sex rows, and ethnic_group rows
    /// unless the Census gives them).
    pub margins: Option<PathBuf>,
    /// Age-band margins from a Census table of age by single year (TS007), cut into the
    /// survey's bands; used when the margins file has no age_band rows.
    pub age_census: Option<AgeCensusConfig>,
    /// Sex margins from a Census table crossing ethnic group with sex (and age, to cut it to
    /// the survey's residents: RM032 with comparator = "aged-16-plus"); used when the margins
    /// file has no sex rows. Keys as `[census]`.
    pub sex_census: Option<CensusConfig>,
    /// A margin whose categories are Census areas (wards, districts), read from a table with
    /// one row per area; used when the margins file has no rows for its variable.
    pub area_census: Option<AreaCensusConfig>,
    /// The Census table for ethnic-group margins; in a full run config, `[census]` is used when
    /// this is absent and the margins file has no ethnic_group rows.
    pub census: Option<CensusConfig>,
    #[serde(default)]
    pub raking: RakingConfig,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    /// How standard errors and intervals treat the raked weights.
    #[serde(default)]
    pub variance: Variance,
    /// What to do with respondents who did not answer a weighting variable (blank, "Prefer
    /// not to say", …).
    #[serde(default)]
    pub weighting_missing: WeightingMissing,
    /// Bases (answering respondents) below this are flagged "caution".
    #[serde(default = "default_caution_base")]
    pub caution_base: u64,
    /// Bases below this are suppressed: no estimate is published.
    #[serde(default = "default_suppress_base")]
    pub suppress_base: u64,
    pub questions: Vec<QuestionConfig>,
    /// This wave's name in comparisons with an earlier one, e.g. "2025".
    #[serde(default = "default_wave")]
    pub wave: String,
    /// An earlier wave of the same survey, to report each group's change since.
    pub previous_wave: Option<PreviousWaveConfig>,
}

/// `[survey.previous_wave]`: an earlier wave of the same survey (the same questions and
/// columns), weighted as this one is, to its own margins when given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousWaveConfig {
    /// The earlier wave's export: one row per respondent, the same columns.
    pub file: PathBuf,
    /// Its name, e.g. "2022".
    #[serde(default = "default_previous_wave")]
    pub wave: String,
    /// Its own tidy margins, when the population it was weighted to differs; by default the
    /// same margins as this wave.
    pub margins: Option<PathBuf>,
    /// Its design-weight column, when named differently.
    pub weight_column: Option<String>,
}

impl SurveyConfig {
    /// The configuration of the earlier wave: this one with its file, and its margins and
    /// weight column where it names its own.
    pub fn previous(&self) -> Option<SurveyConfig> {
        let previous = self.previous_wave.as_ref()?;
        Some(SurveyConfig {
            file: previous.file.clone(),
            margins: previous.margins.clone().or_else(|| self.margins.clone()),
            weight_column: previous
                .weight_column
                .clone()
                .or_else(|| self.weight_column.clone()),
            wave: previous.wave.clone(),
            previous_wave: None,
            ..self.clone()
        })
    }

    /// Every file the survey reads, as written (relative to the configuration's folder): the
    /// survey, its margins and Census tables, and the earlier wave's.
    pub fn input_files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = vec![&self.file];
        files.extend(self.margins.as_deref());
        files.extend(self.mapping.as_deref());
        files.extend(self.census.as_ref().map(|c| c.file.as_path()));
        files.extend(self.age_census.as_ref().map(|c| c.file.as_path()));
        files.extend(self.sex_census.as_ref().map(|c| c.file.as_path()));
        files.extend(self.area_census.as_ref().map(|c| c.file.as_path()));
        if let Some(previous) = &self.previous_wave {
            files.push(&previous.file);
            files.extend(previous.margins.as_deref());
        }
        files
    }

    /// The level the ethnic-group margin is weighted at (checked with the configuration).
    pub fn ethnic_weighting_level(&self) -> crate::classify::Level {
        crate::classify::Level::parse(&self.ethnic_level).unwrap_or(crate::classify::Level::High)
    }

    /// The survey column a weighting variable is read from.
    pub fn column_of<'a>(&'a self, v: &'a WeightVariable) -> &'a str {
        match v {
            WeightVariable::EthnicGroup => &self.ethnicity_column,
            WeightVariable::AgeBand => &self.age_column,
            WeightVariable::Sex => &self.sex_column,
            WeightVariable::Other(name) => match self.variable_columns.get(name) {
                Some(column) => column,
                None if crate::classify::normalise_label(name) == "ward" => {
                    self.ward_column.as_deref().unwrap_or(name)
                }
                None => name,
            },
        }
    }

    /// The weighting variables beyond ethnic group, age band and sex, in raking order.
    pub fn other_variables(&self) -> impl Iterator<Item = &str> {
        self.weight_by.iter().filter_map(|v| match v {
            WeightVariable::Other(name) => Some(name.as_str()),
            _ => None,
        })
    }
}

/// A weighting variable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub enum WeightVariable {
    EthnicGroup,
    AgeBand,
    Sex,
    /// Any other survey column with a population margin: ward, disability, tenure, … Its
    /// values are matched to the margin's categories as written.
    Other(String),
}

impl WeightVariable {
    pub fn name(&self) -> &str {
        match self {
            WeightVariable::EthnicGroup => "ethnic_group",
            WeightVariable::AgeBand => "age_band",
            WeightVariable::Sex => "sex",
            WeightVariable::Other(name) => name,
        }
    }

    /// A variable by name: the three built in by any usual spelling, anything else as written.
    pub fn parse(name: &str) -> WeightVariable {
        match crate::classify::normalise_label(name).as_str() {
            "ethnic group" | "ethnicity" => WeightVariable::EthnicGroup,
            "age band" | "age" => WeightVariable::AgeBand,
            "sex" | "gender" => WeightVariable::Sex,
            _ => WeightVariable::Other(name.trim().to_string()),
        }
    }

    /// Whether its categories have an order, so that a small one merges with one beside it.
    pub fn is_ordered(&self) -> bool {
        *self == WeightVariable::AgeBand
    }
}

impl From<String> for WeightVariable {
    fn from(name: String) -> WeightVariable {
        WeightVariable::parse(&name)
    }
}

impl From<WeightVariable> for String {
    fn from(v: WeightVariable) -> String {
        v.name().to_string()
    }
}

/// `[survey.age_census]`: age-band margins from a Census table of age by single year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeCensusConfig {
    /// The table, e.g. TS007 "Age by single year" from Nomis.
    pub file: PathBuf,
    /// Area codes, summed.
    pub areas: Vec<String>,
    /// The survey's age bands, as its age column writes them ("16-34", …, "75+"). Their ages
    /// are the population: bands from 16 describe residents aged 16 and over.
    pub bands: Vec<String>,
}

impl AgeCensusConfig {
    /// The bands read as ranges of ages; a message when one is not a range, or two overlap
    /// (a resident counted twice would double a margin).
    pub fn parsed_bands(
        &self,
    ) -> std::result::Result<Vec<(String, super::margins::AgeBand)>, String> {
        let parsed = self
            .bands
            .iter()
            .map(|b| {
                super::margins::parse_age_band(b)
                    .map(|band| (b.clone(), band))
                    .ok_or_else(|| format!("the age band '{b}' is not a range of ages"))
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        for (i, (a, x)) in parsed.iter().enumerate() {
            for (b, y) in &parsed[i + 1..] {
                let (x_end, y_end) = (x.to.unwrap_or(u32::MAX), y.to.unwrap_or(u32::MAX));
                if x.from <= y_end && y.from <= x_end {
                    return Err(format!("the age bands '{a}' and '{b}' overlap"));
                }
            }
        }
        Ok(parsed)
    }
}

/// `[survey.area_census]`: a weighting variable whose categories are Census areas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaCensusConfig {
    /// The weighting variable (a name in `weight_by`); its survey values name the areas, by
    /// name ("Fernhill" for "Fernhill (Rushmoor)") or code.
    #[serde(default = "default_area_variable")]
    pub variable: String,
    /// The table: one row per area, in the Nomis bulk layout (TS007 or TS022 by ward, …).
    pub file: PathBuf,
    /// The areas' codes: every area the survey covers, one category each.
    pub areas: Vec<String>,
    /// The ages counted, e.g. "16+", from a table of age by single year (TS007): the survey's
    /// population in each area. Without it the table's total column is used.
    pub ages: Option<String>,
    /// Take each area's share of the table's population and apply it to the other margins'
    /// total: for a table of a wider population than the survey's (all usual residents where
    /// the survey is of those aged 16 and over). It assumes the areas' shares are the same in
    /// both, and the outputs say so.
    #[serde(default)]
    pub use_shares: bool,
}

impl AreaCensusConfig {
    /// The weighting variable, as `weight_by` names it.
    pub fn weight_variable(&self) -> WeightVariable {
        WeightVariable::parse(&self.variable)
    }

    /// The ages as a band; a message when they are not a range of ages.
    pub fn parsed_ages(
        &self,
    ) -> std::result::Result<Option<(String, super::margins::AgeBand)>, String> {
        self.ages
            .as_ref()
            .map(|a| {
                super::margins::parse_age_band(a)
                    .map(|band| (a.clone(), band))
                    .ok_or_else(|| format!("ages = '{a}' is not a range of ages"))
            })
            .transpose()
    }
}

fn default_area_variable() -> String {
    "ward".to_string()
}

/// The area codes of a Census section, trimmed; a message when empty or one is named twice.
fn distinct_areas(areas: &[String]) -> std::result::Result<(), String> {
    let mut codes: Vec<String> = areas.iter().map(|a| a.trim().to_uppercase()).collect();
    codes.sort();
    codes.dedup();
    if codes.is_empty() || codes.len() != areas.len() || codes.iter().any(|c| c.is_empty()) {
        return Err(format!("areas {areas:?} is empty or names an area twice"));
    }
    Ok(())
}

/// Respondents with no answer to a weighting variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightingMissing {
    /// Kept, in a "Not stated" category of the variable whose target is its design-weighted
    /// share of the sample: they are weighted on the other variables only, and the stated
    /// categories share the rest of the total in the population's proportions.
    #[default]
    Keep,
    /// Left out of the whole analysis (the survey's tables say how many).
    Drop,
}

/// How the variance of an estimate treats the raked weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variance {
    /// The weights were calibrated to the margins: each estimate's linearised values are
    /// taken as residuals from the margins, as R's `survey` does for the design `rake()`
    /// returns. What an analyst gets by default after `rake()`.
    #[default]
    Calibrated,
    /// The raked weights treated as fixed design weights, as for
    /// `svydesign(ids = ~1, weights = ~raked_weight)`.
    FixedWeights,
}

impl Variance {
    pub fn describe(self) -> &'static str {
        match self {
            Variance::Calibrated => "linearisation variance of the raked design: each estimate's linearised values are residuals from the raking margins, so the variance accounts for the weights having been calibrated to them (as R's survey package does for the design rake() returns)",
            Variance::FixedWeights => "linearisation variance with the raked weights treated as fixed design weights (as R's survey package does for svydesign(ids = ~1, weights = ~raked_weight)); it ignores that the weights were calibrated to the margins",
        }
    }
}

/// Raking controls.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RakingConfig {
    /// The cap on full raking cycles (one adjustment to every margin).
    #[serde(default = "default_max_iterations")]
    pub max_iterations: usize,
    /// Converged when every weighted margin is within this of its target, as a fraction of the
    /// total weight.
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Margins may differ in total by this fraction (published tables round); beyond it the
    /// margins are an error.
    #[serde(default = "default_margin_tolerance")]
    pub margin_tolerance: f64,
    /// Optional weight bounds `[lower, upper]` as multiples of the mean weight, e.g. `[0.2, 5]`.
    pub trim: Option<[f64; 2]>,
    /// A weighting category with fewer respondents than this is merged with a neighbour
    /// before raking (0 merges nothing).
    #[serde(default = "default_min_respondents")]
    pub min_respondents: usize,
    /// Per weighting variable, the neighbour each small category merges into, e.g.
    /// `age_band = { "85+" = "75-84" }`; without one, an age band merges with the smaller of
    /// the bands beside it, and another variable's small categories merge with each other.
    #[serde(default)]
    pub merge: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

impl Default for RakingConfig {
    fn default() -> Self {
        RakingConfig {
            max_iterations: default_max_iterations(),
            tolerance: default_tolerance(),
            margin_tolerance: default_margin_tolerance(),
            trim: None,
            min_respondents: default_min_respondents(),
            merge: Default::default(),
        }
    }
}

/// One question to report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionConfig {
    /// A short key, used in outputs and metric keys (e.g. `satisfied_council`).
    pub name: String,
    /// The survey column; defaults to `name`.
    pub column: Option<String>,
    /// The wording shown in tables and charts; defaults to `name`.
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    /// The answers counted as positive (labels or codes). Defaults: top-two box for `agree`
    /// and `satisfied`, "Yes" for `yes-no`.
    #[serde(default)]
    pub positive: Vec<Answer>,
    /// Every valid answer, for `scale` questions (labels or codes).
    pub answers: Option<Vec<Answer>>,
    /// Answers that mean "no answer" (besides a blank cell); default: don't know, not sure,
    /// prefer not to say, refused, not applicable.
    pub missing: Option<Vec<Answer>>,
    /// For `numeric` questions: a value at or above this is positive.
    pub threshold: Option<f64>,
}

impl QuestionConfig {
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }

    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// What kind of answers a question has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Strongly agree, Tend to agree, Neither agree nor disagree, Tend to disagree, Strongly
    /// disagree.
    Agree,
    /// Very satisfied, Fairly satisfied, Neither satisfied nor dissatisfied, Fairly
    /// dissatisfied, Very dissatisfied.
    Satisfied,
    /// Any list of answers given in `answers` (e.g. codes 1–5).
    Scale,
    /// Yes or No.
    YesNo,
    /// A number; positive at or above `threshold`.
    Numeric,
}

/// An answer written in the config as text or as a number code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Integer(i64),
    Number(f64),
}

impl Answer {
    pub fn text(&self) -> String {
        match self {
            Answer::Text(s) => s.clone(),
            Answer::Integer(i) => i.to_string(),
            Answer::Number(x) => x.to_string(),
        }
    }
}

fn default_ethnic_level() -> String {
    "high".to_string()
}
fn default_wave() -> String {
    "this wave".to_string()
}
fn default_previous_wave() -> String {
    "previous wave".to_string()
}
fn default_age_column() -> String {
    "age_band".to_string()
}
fn default_sex_column() -> String {
    "sex".to_string()
}
fn default_weight_by() -> Vec<WeightVariable> {
    vec![
        WeightVariable::EthnicGroup,
        WeightVariable::AgeBand,
        WeightVariable::Sex,
    ]
}
fn default_max_iterations() -> usize {
    100
}
fn default_tolerance() -> f64 {
    1e-10
}
fn default_min_respondents() -> usize {
    20
}
fn default_margin_tolerance() -> f64 {
    0.001
}
fn default_confidence() -> f64 {
    0.95
}
fn default_caution_base() -> u64 {
    50
}
fn default_suppress_base() -> u64 {
    30
}

/// A file holding a `[survey]` table: a full `repgap run` config or a survey-only file.
/// Other tables are ignored, except `[census]`, used when `[survey]` names no Census file.
#[derive(Debug, Deserialize)]
struct SurveyFile {
    survey: Option<SurveyConfig>,
    census: Option<CensusConfig>,
}

impl SurveyConfig {
    /// Read the `[survey]` section of `path`. Returns the config and the folder its relative
    /// paths are taken from.
    pub fn load(path: &Path) -> Result<(SurveyConfig, PathBuf)> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
        let config = Self::parse(&text, path)?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        Ok((config, base))
    }

    pub fn parse(text: &str, path: &Path) -> Result<SurveyConfig> {
        let config_error = |message: String, hint: &str| Error::Config {
            path: path.to_path_buf(),
            message,
            hint: hint.to_string(),
        };
        let file: SurveyFile = toml::from_str(text).map_err(|e| {
            let hint = crate::plan::toml_hint(text, &e);
            config_error(
                e.to_string().trim().to_string(),
                if hint.contains("backslash") {
                    &hint
                } else {
                    "see the example in datasets/demo/repgap.toml ([survey] section) and docs/FORMATS.md"
                },
            )
        })?;
        let mut config = file.survey.ok_or_else(|| {
            config_error(
                "the file has no [survey] section".to_string(),
                "add a [survey] section naming the survey file, the margins and the questions",
            )
        })?;
        if config.census.is_none() {
            config.census = file.census;
        }
        config.validate(path)?;
        Ok(config)
    }

    /// Checks that need no data: levels, thresholds, question definitions.
    pub fn validate(&self, path: &Path) -> Result<()> {
        let bad = |message: String, hint: &str| {
            Err(Error::Config {
                path: path.to_path_buf(),
                message,
                hint: hint.to_string(),
            })
        };
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return bad(
                format!(
                    "[survey] confidence {} is not between 0 and 1",
                    self.confidence
                ),
                "give a fraction such as 0.95",
            );
        }
        if let Some(age) = &self.age_census {
            if let Err(message) = age.parsed_bands() {
                return bad(
                    format!("[survey.age_census] bands: {message}"),
                    "write age bands as the survey's age column does, e.g. bands = [\"16-34\", \"35-54\", \"55-74\", \"75+\"], each age in one band",
                );
            }
            if let Err(message) = distinct_areas(&age.areas) {
                return bad(
                    format!("[survey.age_census] {message}"),
                    "name each area once by its code, e.g. areas = [\"E07000092\"]; several are summed",
                );
            }
        }
        if let Some(sex) = &self.sex_census {
            sex.check_comparator(path, "survey.sex_census")?;
            if let Err(message) = distinct_areas(&sex.areas) {
                return bad(
                    format!("[survey.sex_census] {message}"),
                    "name each area once by its code, e.g. areas = [\"E07000092\"]; several are summed",
                );
            }
        }
        if let Some(area) = &self.area_census {
            if let Err(message) = distinct_areas(&area.areas) {
                return bad(
                    format!("[survey.area_census] {message}"),
                    "name each area of the survey once by its code, e.g. areas = [\"E05008989\", \"E05008990\"]",
                );
            }
            if let Err(message) = area.parsed_ages() {
                return bad(
                    format!("[survey.area_census] {message}"),
                    "give the survey's ages as a range, e.g. ages = \"16+\" or \"16-64\"",
                );
            }
            if !matches!(area.weight_variable(), WeightVariable::Other(_)) {
                return bad(
                    format!(
                        "[survey.area_census] variable = '{}' is not a variable of areas",
                        area.variable
                    ),
                    "name the survey's area variable, e.g. variable = \"ward\"; ethnic group, age band and sex have margins of their own",
                );
            }
            if !self.weight_by.contains(&area.weight_variable()) {
                return bad(
                    format!(
                        "[survey.area_census] gives the margin of '{}', which is not in weight_by",
                        area.variable
                    ),
                    &format!(
                        "add \"{}\" to [survey] weight_by, or remove [survey.area_census]",
                        area.variable
                    ),
                );
            }
        }
        if !matches!(
            crate::classify::Level::parse(&self.ethnic_level),
            Some(
                crate::classify::Level::High
                    | crate::classify::Level::EightCategories
                    | crate::classify::Level::Detailed
            )
        ) {
            return bad(
                format!(
                    "[survey] ethnic_level = '{}' is not a level the survey can be weighted at",
                    self.ethnic_level
                ),
                "give \"high\" (the 5 groups), \"eight-categories\" or \"detailed\" (the 19 categories)",
            );
        }
        if let Some(previous) = &self.previous_wave {
            if previous.file == self.file {
                return bad(
                    format!(
                        "[survey.previous_wave] file is {}, the same file as this wave",
                        previous.file.display()
                    ),
                    "name the earlier wave's export, e.g. file = \"survey-2022.csv\"",
                );
            }
            if previous.wave.trim().is_empty()
                || crate::classify::normalise_label(&previous.wave)
                    == crate::classify::normalise_label(&self.wave)
            {
                return bad(
                    format!(
                        "the waves are both named '{}' (or one is empty)",
                        self.wave
                    ),
                    "name each wave, e.g. [survey] wave = \"2025\" and [survey.previous_wave] wave = \"2022\"",
                );
            }
        }
        if self.weight_by.is_empty() {
            return bad(
                "[survey] weight_by is empty".to_string(),
                "list the weighting variables, e.g. weight_by = [\"ethnic_group\", \"age_band\", \"sex\"]",
            );
        }
        if self.questions.is_empty() {
            return bad(
                "[survey] has no questions".to_string(),
                "add [[survey.questions]] tables with name, column and type",
            );
        }
        if self.raking.max_iterations == 0
            || self.raking.tolerance.is_nan()
            || self.raking.tolerance <= 0.0
        {
            return bad(
                "[survey.raking] max_iterations and tolerance must be positive".to_string(),
                "the defaults are max_iterations = 100, tolerance = 1e-10",
            );
        }
        if let Some([lower, upper]) = self.raking.trim {
            if !((0.0..1.0).contains(&lower) && upper > 1.0) {
                return bad(
                    format!("[survey.raking] trim = [{lower}, {upper}] is not a valid pair of bounds"),
                    "bounds are multiples of the mean weight: lower below 1, upper above 1, e.g. trim = [0.2, 5]",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for q in &self.questions {
            if !seen.insert(q.name.as_str()) {
                return bad(
                    format!("question name '{}' is used twice", q.name),
                    "give every [[survey.questions]] a distinct name",
                );
            }
            match q.kind {
                QuestionKind::Scale if q.answers.is_none() || q.positive.is_empty() => return bad(
                    format!(
                        "question '{}' has type \"scale\" but no answers or positive list",
                        q.name
                    ),
                    "list every valid answer, e.g. answers = [1, 2, 3, 4, 5], positive = [4, 5]",
                ),
                QuestionKind::Numeric if q.threshold.is_none() => {
                    return bad(
                        format!(
                            "question '{}' has type \"numeric\" but no threshold",
                            q.name
                        ),
                        "give threshold = N: values at or above N count as positive",
                    )
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = r#"
        [census]
        file = "census.csv"
        areas = ["E07000092"]
        [workforce]
        file = "hr.csv"
        [survey]
        file = "survey.csv"
        margins = "margins.csv"
        [[survey.questions]]
        name = "fair"
        type = "scale"
        answers = [1, 2, 3, 4, 5]
        positive = [4, 5]
    "#;

    #[test]
    fn a_run_config_carries_the_survey_and_its_census() {
        let s = SurveyConfig::parse(RUN, Path::new("cfg/repgap.toml")).unwrap();
        assert_eq!(s.census.as_ref().unwrap().areas, ["E07000092"]);
        assert_eq!(s.weight_by.len(), 3);
        assert_eq!(
            s.questions[0].positive,
            [Answer::Integer(4), Answer::Integer(5)]
        );
    }

    #[test]
    fn a_scale_question_needs_its_answers() {
        let bad = RUN.replace("answers = [1, 2, 3, 4, 5]", "");
        let err = SurveyConfig::parse(&bad, Path::new("s.toml")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains("no answers or positive list"),
            "{err}"
        );
    }
}
