//! The analyses of a run, each a unit behind one trait.
//!
//! An [`Analysis`] says which columns of which person-level extract it reads, which metric keys
//! it offers the recommendations register, and turns the run's [`Inputs`] into a [`Section`]:
//! the tables it publishes, its annex evidence (finding, table, chart), its methods text and
//! its JSON. The run reads every input once, runs each analysis, then renders and writes; it
//! knows nothing about any one analysis.
//!
//! Adding an analysis is one new file here and one line in [`REGISTRY`]: the file parses its
//! own config section, declares its columns and keys, and computes its section.

pub mod areas;
pub mod change;
pub mod groups;
pub mod likelihood;
pub mod pay_gap;
pub mod profile;
pub mod recruitment;
pub mod representation;
pub mod seniority;
pub mod survey;
pub mod trends;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::annex::workforce::EvidenceItem;
use crate::annex::InputFile;
use crate::classify::Level;
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::ingest::{CensusTable, ColumnNeed, Extract, Population};

/// Run-wide settings every analysis shares (from `[representation]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Two-sided confidence level of intervals, e.g. 0.95.
    pub confidence: f64,
    /// Counts of people from 1 to below this are withheld.
    pub min_cell: u64,
    /// Whether the outputs may be published (see [`crate::disclosure::publication`]).
    pub publish: bool,
    /// Shown counts are rounded to a multiple of this (1: exact).
    pub round_to: u64,
    /// Representation levels, in output order.
    pub levels: Vec<Level>,
    /// Workforce columns to break the representation down by.
    pub by: Vec<String>,
    /// Value order of some breakdown columns, lowest first.
    pub orders: BTreeMap<String, Vec<String>>,
}

/// A person-level extract an analysis reads: which file, in what role, and how to read its
/// people. Two analyses naming the same input share one read of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractInput {
    /// How the file is named in provenance ("Workforce extract", "Recruitment extract", …).
    pub role: &'static str,
    pub path: PathBuf,
    pub ethnicity_column: String,
    pub id_column: Option<String>,
    /// The delimiter and header row, when the config fixes them.
    pub read: crate::ingest::csvfile::ReadOptions,
    /// A column of counts, when each row is a number of people (see [`crate::ingest::extract::ExtractSpec`]).
    pub count_column: Option<String>,
    /// A wide profile: a column per ethnic group holding counts.
    pub wide: bool,
}

/// Everything a run reads, each input once.
#[derive(Debug)]
pub struct Inputs {
    pub census: CensusTable,
    /// The comparator: the configured areas of the Census table, summed.
    pub population: Population,
    /// Every extract, read before any analysis runs.
    pub extracts: Vec<(ExtractInput, Extract)>,
}

impl Inputs {
    /// The extract read for `input`. Every analysis's inputs are read before it runs.
    pub fn extract(&self, input: &ExtractInput) -> &Extract {
        self.extracts
            .iter()
            .find(|(i, _)| i == input)
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("{} was not read before the analyses ran", input.role))
    }
}

/// A file an analysis publishes, named relative to the output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub name: String,
    pub contents: String,
}

/// The JSON document the workforce deep-dive analyses share.
pub const DEEP_DIVE_JSON: &str = "workforce-deep-dive.json";

/// A member of a JSON document several analyses share (`workforce-deep-dive.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPart {
    pub file: &'static str,
    pub key: &'static str,
    pub value: serde_json::Value,
}

/// What one analysis publishes.
#[derive(Debug, Default)]
pub struct Section {
    /// Its tables (CSV, JSON), in writing order.
    pub files: Vec<OutputFile>,
    pub json_parts: Vec<JsonPart>,
    /// Annex evidence, each with its chart and the chart's data.
    pub evidence: Vec<EvidenceItem>,
    /// Methods text: (term, description).
    pub methods: Vec<(String, String)>,
    pub data_quality: Vec<(String, String)>,
    /// Inputs it read itself, for provenance.
    pub inputs: Vec<InputFile>,
    /// Said on standard error.
    pub warnings: Vec<String>,
    /// A table for the terminal at the end of the run.
    pub summary: Option<String>,
}

/// One analysis.
pub trait Analysis: Send + Sync + std::fmt::Debug {
    /// The extracts it reads and the columns it needs from each.
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)>;
    /// Files it reads itself (besides its extracts), which outputs must never replace.
    fn reads(&self) -> Vec<PathBuf> {
        Vec::new()
    }
    /// The metric keys its evidence is filed under, for the register to cite.
    fn metric_keys(&self) -> Vec<String>;
    /// Compute its section. Every count of people it publishes goes through `disclosure`,
    /// which the run calls it with twice: to learn the counts, then to decide them (see
    /// [`crate::disclosure`]).
    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section>;
}

/// What an analysis's constructor may look at besides its own section.
#[derive(Debug)]
pub struct PlanContext<'a> {
    pub config_path: &'a Path,
    pub settings: &'a Settings,
    /// The `[workforce]` extract.
    pub workforce: &'a ExtractInput,
    /// The `[census]` table and areas, as written in the config.
    pub census_file: &'a Path,
    pub census_areas: &'a [String],
    pub census_read: crate::ingest::csvfile::ReadOptions,
    pub census_comparator: Option<crate::ingest::Comparator>,
}

impl PlanContext<'_> {
    /// The folder relative paths are taken from.
    pub fn config_dir(&self) -> &Path {
        self.config_path.parent().unwrap_or(Path::new(""))
    }

    /// `path` taken from the config file's folder when relative.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_relative() {
            self.config_dir().join(path)
        } else {
            path.to_path_buf()
        }
    }

    /// This analysis's section (`[name]`) as its typed config; `None` when the config has no
    /// such section.
    pub fn section<T: DeserializeOwned>(
        &self,
        name: &str,
        section: Option<toml::Value>,
    ) -> Result<Option<T>> {
        section.map(|s| self.parse(name, s)).transpose()
    }

    /// Parse this analysis's section (`[name]`) into its typed config.
    pub fn parse<T: DeserializeOwned>(&self, name: &str, section: toml::Value) -> Result<T> {
        section
            .try_into()
            .map_err(|e: toml::de::Error| Error::Config {
                path: self.config_path.to_path_buf(),
                message: format!("[{name}]: {}", e.message().trim()),
                hint: "see the example config in datasets/demo/repgap.toml".to_string(),
            })
    }

    /// A config error about this analysis's section.
    pub fn error(&self, message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Config {
            path: self.config_path.to_path_buf(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Builds an analysis from its config section (`None` when the section is absent); returns
/// `None` when the analysis does not run.
pub type Build = fn(Option<toml::Value>, &PlanContext) -> Result<Option<Box<dyn Analysis>>>;

/// One line per analysis: its config section (if it has one) and its constructor. The order is
/// the order of the annex.
pub const REGISTRY: &[(Option<&str>, Build)] = &[
    (None, profile::build),
    (Some("change"), change::build),
    (Some("areas"), areas::build),
    (None, representation::build),
    (Some("groups"), groups::build),
    (Some("likelihood"), likelihood::build),
    (Some("seniority"), seniority::build),
    (Some("pay_gap"), pay_gap::build),
    (Some("recruitment"), recruitment::build),
    (Some("trends"), trends::build),
    (Some("survey"), survey::build),
];

/// The config sections the registered analyses read.
pub fn sections() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().filter_map(|(section, _)| *section)
}
