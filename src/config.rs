//! The `repgap run` configuration file as written: a TOML file naming the inputs, the run-wide
//! settings and one section per analysis. This module holds the sections every run has
//! (`[census]`, `[workforce]`, `[representation]`, `[register]`, `[annex]`); each analysis
//! parses its own section (see [`crate::analysis`]). [`crate::plan::Plan`] turns both into one
//! validated, typed plan.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::ingest::CensusConfig;

/// The run-wide sections of a config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Where outputs go, relative to the current folder (overridden by `--output-dir`).
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    pub census: CensusConfig,
    pub workforce: WorkforceConfig,
    #[serde(default)]
    pub representation: RepresentationConfig,
    pub register: Option<RegisterConfig>,
    #[serde(default)]
    pub annex: AnnexConfig,
    #[serde(default)]
    pub disclosure: DisclosureConfig,
    /// Begin every CSV with a byte order mark, so Excel on Windows reads it as UTF-8
    /// ("Adults’" rather than "Adultsâ€™").
    #[serde(default)]
    pub excel_csv: bool,
}

/// The top-level keys [`RunConfig`] reads.
pub const RUN_SECTIONS: [&str; 8] = [
    "output_dir",
    "excel_csv",
    "census",
    "workforce",
    "representation",
    "register",
    "annex",
    "disclosure",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureConfig {
    /// `false` for a run that checks figures and is never published: it may use a threshold
    /// below 3, and every output says NOT FOR PUBLICATION on its first line.
    #[serde(default = "default_publish")]
    pub publish: bool,
    /// A private CSV of every withheld count and why, written outside the output folder.
    pub log: Option<PathBuf>,
    /// Round every shown count to a multiple of this (e.g. 5), after suppression; 1 keeps
    /// counts exact.
    #[serde(default = "default_round_to")]
    pub round_to: u64,
}

impl Default for DisclosureConfig {
    fn default() -> Self {
        DisclosureConfig {
            publish: default_publish(),
            log: None,
            round_to: default_round_to(),
        }
    }
}

fn default_publish() -> bool {
    true
}

fn default_round_to() -> u64 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    /// The recommendations register (action plan) CSV.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexConfig {
    /// The annex's title.
    pub title: Option<String>,
    /// The date printed on outputs (YYYY-MM-DD). When absent, `SOURCE_DATE_EPOCH` is used if
    /// set, else today's date: set one of them for byte-identical reruns.
    pub run_date: Option<String>,
}

fn default_output_dir() -> PathBuf {
    PathBuf::from("repgap-output")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceConfig {
    pub file: PathBuf,
    #[serde(default = "crate::ingest::extract::default_ethnicity_column")]
    pub ethnicity_column: String,
    pub id_column: Option<String>,
    pub mapping: Option<PathBuf>,
    /// The field delimiter; detected when not given.
    pub delimiter: Option<crate::ingest::csvfile::Delimiter>,
    /// The row the column names are on; detected when not given.
    pub header_row: Option<u64>,
    /// The sheet of a workbook; the first when not given.
    pub sheet: Option<String>,
    /// A column of counts: each row is that many people (a published profile, a cohort).
    pub count_column: Option<String>,
    /// A wide profile: a column per ethnic group holding its count, other columns breakdowns.
    #[serde(default)]
    pub wide: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepresentationConfig {
    #[serde(default = "default_levels")]
    pub levels: Vec<String>,
    #[serde(default)]
    pub by: Vec<String>,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    #[serde(default = "default_min_cell")]
    pub min_cell: u64,
    /// Value order of breakdown columns, lowest first, e.g. `grade = ["Grade 1", "Grade 2"]`.
    #[serde(default)]
    pub order: BTreeMap<String, Vec<String>>,
}

impl Default for RepresentationConfig {
    fn default() -> Self {
        RepresentationConfig {
            levels: default_levels(),
            by: Vec::new(),
            confidence: default_confidence(),
            min_cell: default_min_cell(),
            order: Default::default(),
        }
    }
}

fn default_levels() -> Vec<String> {
    vec!["high".to_string()]
}
fn default_confidence() -> f64 {
    0.95
}
fn default_min_cell() -> u64 {
    5
}
