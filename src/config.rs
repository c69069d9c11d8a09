//! The `repgap run` configuration: a TOML file naming the inputs and the analyses to run.
//! Relative paths are taken from the folder that holds the configuration file, so a config and
//! its data can be moved together.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::classify::Level;
use crate::error::{Error, Result};

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
    pub likelihood: Option<LikelihoodConfig>,
    pub seniority: Option<SeniorityConfig>,
    pub pay_gap: Option<PayGapConfig>,
    pub recruitment: Option<RecruitmentConfig>,
    pub trends: Option<TrendsConfig>,
    #[serde(default)]
    pub annex: AnnexConfig,
    /// The resident survey analysis (`repgap survey`). Its paths stay as written: pass the
    /// config file's folder to [`crate::survey::analyse`].
    pub survey: Option<crate::survey::SurveyConfig>,
    /// The configuration file's own text, as read (for provenance and the annex).
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LikelihoodConfig {
    /// Yes/no columns of the workforce file (disciplinary, training, leaving, …).
    pub outcomes: Vec<String>,
    /// Which group's rate is on top of each ratio.
    pub direction: crate::metrics::likelihood::Direction,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeniorityConfig {
    /// The grade column of the workforce file. Its order comes from `[representation.order]`
    /// when given there, else from `order` here, else natural order ("Grade 2" before "Grade 10").
    pub column: String,
    pub order: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayGapConfig {
    /// Ordinary hourly pay. Or give `pay_column` and `hours_column` (pay and hours worked in
    /// the same pay period) to derive it.
    pub hourly_pay_column: Option<String>,
    pub pay_column: Option<String>,
    pub hours_column: Option<String>,
    /// Yes/no: full-pay relevant. Absent: every employee is.
    pub full_pay_relevant_column: Option<String>,
    /// Bonus pay in the 12 months to the snapshot date.
    pub bonus_column: Option<String>,
    #[serde(default = "default_reference")]
    pub reference: crate::metrics::paygap::PayReference,
    /// The reference used when `reference` is below `min_group_size`: "white" or "none".
    #[serde(default = "default_fallback")]
    pub fallback: String,
    #[serde(default = "default_min_group_size")]
    pub min_group_size: u64,
}

fn default_reference() -> crate::metrics::paygap::PayReference {
    crate::metrics::paygap::PayReference::WhiteBritish
}
fn default_fallback() -> String {
    "white".to_string()
}
fn default_min_group_size() -> u64 {
    10
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecruitmentConfig {
    /// One row per applicant with the furthest stage reached (applied, shortlisted, appointed).
    pub file: PathBuf,
    #[serde(default = "default_ethnicity_column")]
    pub ethnicity_column: String,
    #[serde(default = "default_stage_column")]
    pub stage_column: String,
    /// NHS WRES indicator 2 puts White applicants on top.
    #[serde(default = "default_recruitment_direction")]
    pub direction: crate::metrics::likelihood::Direction,
}

fn default_stage_column() -> String {
    "stage".to_string()
}
fn default_recruitment_direction() -> crate::metrics::likelihood::Direction {
    crate::metrics::likelihood::Direction::WhiteOverMinority
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendsConfig {
    /// Several workforce snapshots in one file, one row per employee per snapshot.
    pub file: PathBuf,
    #[serde(default = "default_ethnicity_column")]
    pub ethnicity_column: String,
    #[serde(default = "default_date_column")]
    pub date_column: String,
}

fn default_date_column() -> String {
    "snapshot_date".to_string()
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
pub struct CensusConfig {
    pub file: PathBuf,
    #[serde(default)]
    pub areas: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceConfig {
    pub file: PathBuf,
    #[serde(default = "default_ethnicity_column")]
    pub ethnicity_column: String,
    pub id_column: Option<String>,
    pub mapping: Option<PathBuf>,
}

fn default_ethnicity_column() -> String {
    "ethnicity".to_string()
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
    pub order: std::collections::BTreeMap<String, Vec<String>>,
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

impl RunConfig {
    /// Read a config file and resolve its relative paths against the file's folder.
    pub fn load(path: &Path) -> Result<RunConfig> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<RunConfig> {
        let mut config: RunConfig = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string().trim().to_string(),
            hint: "see the example config in datasets/demo/repgap.toml".to_string(),
        })?;
        config.text = text.to_string();
        if let Some(survey) = config.survey.as_mut() {
            if survey.census.is_none() {
                survey.census = Some(config.census.clone());
            }
            survey.validate(path)?;
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        resolve(&mut config.census.file);
        resolve(&mut config.workforce.file);
        if let Some(m) = config.workforce.mapping.as_mut() {
            resolve(m);
        }
        if let Some(r) = config.register.as_mut() {
            resolve(&mut r.file);
        }
        if let Some(r) = config.recruitment.as_mut() {
            resolve(&mut r.file);
        }
        if let Some(t) = config.trends.as_mut() {
            resolve(&mut t.file);
        }
        config.pay_gap_options(path)?;
        config.levels(path)?;
        if let Some(column) = config
            .representation
            .order
            .keys()
            .find(|c| !config.representation.by.contains(c))
        {
            return Err(Error::Config {
                path: path.to_path_buf(),
                message: format!(
                    "[representation.order] names '{column}', which is not in [representation] by"
                ),
                hint: "give an order only for columns listed in by".to_string(),
            });
        }
        Ok(config)
    }

    /// The pay columns and options, validated: hourly pay or pay and hours, not both.
    pub fn pay_gap_options(
        &self,
        path: &Path,
    ) -> Result<Option<(PayGapConfig, crate::metrics::paygap::PayGapOptions)>> {
        use crate::metrics::paygap::{PayGapOptions, PayReference};
        let Some(p) = &self.pay_gap else {
            return Ok(None);
        };
        let error = |message: &str, hint: &str| Error::Config {
            path: path.to_path_buf(),
            message: message.to_string(),
            hint: hint.to_string(),
        };
        match (&p.hourly_pay_column, &p.pay_column, &p.hours_column) {
            (Some(_), None, None) | (None, Some(_), Some(_)) => {}
            _ => {
                return Err(error(
                    "[pay_gap] needs either hourly_pay_column, or pay_column with hours_column",
                    "name the column of ordinary hourly pay, or the columns of pay and of hours worked in the same pay period",
                ))
            }
        }
        let fallback = match p.fallback.to_lowercase().as_str() {
            "white" => Some(PayReference::White),
            "none" => None,
            other => {
                return Err(error(
                    &format!("[pay_gap] fallback {other:?} is not \"white\" or \"none\""),
                    "use fallback = \"white\" (all White groups) or \"none\" (report no gaps)",
                ))
            }
        };
        if p.min_group_size < 2 {
            return Err(error(
                "[pay_gap] min_group_size must be at least 2",
                "the guidance suggests 10",
            ));
        }
        Ok(Some((
            p.clone(),
            PayGapOptions {
                reference: p.reference,
                fallback,
                min_group_size: p.min_group_size,
                min_cell: self.representation.min_cell,
            },
        )))
    }

    /// The representation levels, validated.
    pub fn levels(&self, path: &Path) -> Result<Vec<Level>> {
        self.representation
            .levels
            .iter()
            .map(|name| {
                Level::parse(name).ok_or_else(|| Error::Config {
                    path: path.to_path_buf(),
                    message: format!("unknown level {name:?} in [representation] levels"),
                    hint: "use any of \"detailed\", \"high\", \"white-british\", \"white\""
                        .to_string(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_paths_against_the_config_folder() {
        let text = r#"
            [census]
            file = "census.csv"
            areas = ["E07000092"]
            [workforce]
            file = "/abs/hr.csv"
            [representation]
            levels = ["high", "detailed"]
        "#;
        let c = RunConfig::parse(text, Path::new("cfg/run.toml")).unwrap();
        assert_eq!(c.census.file, PathBuf::from("cfg/census.csv"));
        assert_eq!(c.workforce.file, PathBuf::from("/abs/hr.csv"));
        assert_eq!(c.representation.min_cell, 5);
        assert_eq!(
            c.levels(Path::new("x")).unwrap(),
            vec![Level::High, Level::Detailed]
        );
    }

    #[test]
    fn unknown_keys_and_levels_are_config_errors() {
        let bad_key = "[census]\nfile='a'\nareaz=[]\n[workforce]\nfile='b'\n";
        let err = RunConfig::parse(bad_key, Path::new("r.toml")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("areaz"), "{err}");
        let bad_level =
            "[census]\nfile='a'\n[workforce]\nfile='b'\n[representation]\nlevels=['fine']\n";
        assert!(RunConfig::parse(bad_level, Path::new("r.toml"))
            .unwrap_err()
            .to_string()
            .contains("fine"));
    }
}
