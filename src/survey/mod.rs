//! Resident survey analysis: weighting a survey to the population and reporting results by
//! ethnic group with intervals that account for the weights.
//!
//! A council's resident survey over-represents some people (typically older, White and female
//! residents). [`analyse`] reads the survey, rakes its design weights to population margins
//! (ethnic group, age band, sex and any other survey column, such as ward, from a tidy margins
//! file or read from Census tables: see [`margins`]), and for each question reports the
//! weighted percentage positive overall and for each high-level ethnic group, with a logit
//! interval, the unweighted base and a test of the group against everyone else. With an
//! earlier wave it also gives each group's change since then ([`waves`]).
//!
//! The reference implementation is R's `survey` package: golden values from
//! `tests/oracle/survey_oracle.R` are the bar. Method choices, all matching R:
//! - Margins are scaled to the design-weighted sample total before raking (`rake()` with
//!   population tables summing to Σ design weights), so the raked weights keep the design
//!   weights' total and mean. Proportions and standard errors do not depend on this scale.
//! - Variances are by linearisation, by default for the design `rake()` returns (each
//!   estimate's linearised values taken as residuals from the margins), or with the raked
//!   weights treated as fixed ([`Variance`]).
//! - Respondents who did not answer a weighting variable are kept in a "Not stated" category
//!   held at its design-weighted share, or dropped ([`WeightingMissing`]); a category with too
//!   few respondents is merged with a neighbour before raking ([`raking::merge_small`]).
//!   Respondents whose ethnicity is not stated count in the overall results only.

pub mod config;
pub mod estimate;
pub mod margins;
pub mod raking;
pub mod reader;
pub mod waves;

pub use config::{
    QuestionConfig, QuestionKind, RakingConfig, SurveyConfig, Variance, WeightVariable,
    WeightingMissing,
};
pub use reader::{Respondent, SurveyData};

use std::path::Path;

use serde::Serialize;

use crate::classify::{normalise_label, Classifier, HighLevelGroup};
use crate::error::{Error, Result};
use crate::ingest::csvfile::InputSource;
use margins::PopulationMargin;
use raking::Margin;

/// The label of the whole-sample row in results.
pub const ALL_RESPONDENTS: &str = "All respondents";

/// The ethnic-group margin category for respondents who did not state an ethnicity.
pub const NOT_STATED: &str = "Not stated";

/// Everything `repgap survey` reports.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyReport {
    /// The survey file's provenance.
    pub survey: InputSource,
    /// The margins' files.
    pub margin_sources: Vec<InputSource>,
    /// The Census comparator, when ethnic-group margins came from a Census table.
    pub census: Option<String>,
    pub respondents: usize,
    /// Respondents with no stated ethnic group (in the overall results only).
    /// `None` when withheld: from 1 to below the threshold.
    pub ethnicity_not_stated: Option<u64>,
    pub confidence: f64,
    pub caution_base: u64,
    pub suppress_base: u64,
    pub weighting: WeightingDiagnostics,
    pub profile: Vec<ProfileRow>,
    pub questions: Vec<QuestionResult>,
    /// Each group's change since an earlier wave, when one is configured.
    pub changes: Option<waves::WaveComparison>,
    pub warnings: Vec<String>,
}

/// How the weights came out.
#[derive(Debug, Clone, Serialize)]
pub struct WeightingDiagnostics {
    /// Weighting variables, in raking order.
    pub variables: Vec<String>,
    pub iterations: usize,
    pub converged: bool,
    pub max_iterations: usize,
    pub tolerance: f64,
    /// Largest |weighted margin − target| as a fraction of the total weight, after raking.
    pub max_deviation: f64,
    /// Trim bounds as multiples of the mean weight, if any.
    pub trim: Option<[f64; 2]>,
    pub trim_rounds: usize,
    pub within_trim_bounds: bool,
    pub design_weight_min: f64,
    pub design_weight_max: f64,
    pub weight_min: f64,
    pub weight_max: f64,
    /// Sum of the raked weights (= sum of the design weights).
    pub weight_total: f64,
    /// Kish design effect of the design weights alone.
    pub design_deff: f64,
    /// Kish design effect of the raked weights: n·Σw²/(Σw)².
    pub deff: f64,
    /// (Σw)²/Σw².
    pub effective_sample_size: f64,
    /// How the standard errors treat the raked weights.
    pub variance: Variance,
    /// Small categories merged before raking, as "variable: category → into".
    pub merged: Vec<String>,
    /// How each margin of Census areas was made: whom it counts, and when the areas' shares
    /// of a wider population were applied to the survey's, the assumption that makes.
    pub area_margins: Vec<String>,
}

/// One category of a weighting variable (or ward) in the sample and the population.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub variable: String,
    pub category: String,
    /// Respondents in the category; `None` when withheld (see [`protect_counts`]).
    pub n: Option<u64>,
    pub unweighted_share: Option<f64>,
    pub design_share: Option<f64>,
    /// `None` when withheld (a ward's; a weighting variable's equals its population share).
    pub raked_share: Option<f64>,
    /// Population share from the margins (`None` for ward).
    pub population_share: Option<f64>,
    /// Population count as given in the margins.
    pub population_count: Option<f64>,
    /// Design-weighted share − population share, in percentage points: how unrepresentative
    /// the sample is before raking.
    pub gap_pp: Option<f64>,
}

/// Whether a base is large enough to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseFlag {
    Ok,
    /// Below the caution threshold: publish with a warning.
    Caution,
    /// Below the suppression threshold: not published.
    Suppressed,
    /// Not published although the base is large enough: it would give back a withheld figure
    /// (the estimate of the only other withheld group, or a small base by subtraction).
    Withheld,
}

impl BaseFlag {
    pub fn name(self) -> &'static str {
        match self {
            BaseFlag::Ok => "",
            BaseFlag::Caution => "caution",
            BaseFlag::Suppressed => "suppressed",
            BaseFlag::Withheld => "withheld",
        }
    }
}

/// One question's results.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub name: String,
    pub label: String,
    pub column: String,
    pub kind: QuestionKind,
    /// What counts as positive, in words.
    pub positive: String,
    /// Respondents who answered.
    pub answered_n: u64,
    /// Respondents with no answer (blank, don't know, …), left out of the base.
    pub no_answer_n: u64,
    /// "All respondents" first, then each high-level ethnic group in ONS order.
    pub groups: Vec<GroupResult>,
}

/// The weighted proportion positive in one group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub group: String,
    /// Respondents in the group who answered (unweighted base); `None` when withheld.
    pub base_n: Option<u64>,
    pub flag: BaseFlag,
    /// Sum of the raked weights of the base; `None` when suppressed.
    pub weighted_base: Option<f64>,
    /// Weighted proportion positive (0–1).
    pub proportion: Option<f64>,
    /// Linearised standard error of the proportion.
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Degrees of freedom of the interval's t quantile.
    pub ci_df: Option<u64>,
    /// Group − rest of the respondents who answered (proportion difference).
    pub difference: Option<f64>,
    pub t: Option<f64>,
    pub test_df: Option<u64>,
    pub p_value: Option<f64>,
}

/// The survey read and weighted, before estimation: what [`analyse`] builds on, exposed for
/// checks against the reference implementation.
#[derive(Debug, Clone)]
pub struct WeightedSurvey {
    pub data: SurveyData,
    pub margins: Vec<Margin>,
    pub population: Vec<PopulationMargin>,
    /// Per weighting variable, each respondent's category index into `margins[k]`.
    pub categories: Vec<Vec<usize>>,
    pub outcome: raking::RakeOutcome,
    pub margin_sources: Vec<InputSource>,
    pub census: Option<String>,
    /// Small weighting categories merged into a neighbour before raking.
    pub merges: Vec<raking::Merge>,
    /// How each margin of Census areas was made (see [`WeightingDiagnostics::area_margins`]).
    pub area_margins: Vec<String>,
}

/// A Census comparator the caller has already read (`repgap run` reads its `[census]` once):
/// used instead of reading the survey's Census file again when it is the same file and areas.
#[derive(Debug, Clone, Copy)]
pub struct KnownCensus<'a> {
    pub path: &'a Path,
    pub areas: &'a [String],
    /// The comparator asked for (`None`: who the table counts).
    pub comparator: Option<crate::ingest::Comparator>,
    pub population: &'a crate::ingest::Population,
    pub source: &'a InputSource,
}

/// Read, check and weight the survey described by `config`; relative paths are taken from
/// `base_dir` (the configuration file's folder).
pub fn weight(
    config: &SurveyConfig,
    base_dir: &Path,
    known: Option<KnownCensus>,
) -> Result<WeightedSurvey> {
    let resolve = |p: &Path| {
        if p.is_relative() {
            base_dir.join(p)
        } else {
            p.to_path_buf()
        }
    };
    let classifier = match &config.mapping {
        Some(m) => crate::ingest::mapping::classifier(Some(&resolve(m)))?.0,
        None => Classifier::builtin(),
    };
    let survey_path = resolve(&config.file);

    // Margins: the tidy file first; the Census for ethnic group when the file has none.
    let mut population: Vec<PopulationMargin> = Vec::new();
    let mut margin_sources = Vec::new();
    let mut census = None;
    let mut margins_path = None;
    if let Some(m) = &config.margins {
        let path = resolve(m);
        let (found, source) = margins::read_tidy(&path, &config.weight_by)?;
        population = found;
        margin_sources.push(source);
        margins_path = Some(path);
    }
    if let Some(age) = &config.age_census {
        if config.weight_by.contains(&WeightVariable::AgeBand)
            && !population
                .iter()
                .any(|m| m.variable == WeightVariable::AgeBand)
        {
            // The bands were checked when the configuration was read.
            let bands = age.parsed_bands().unwrap_or_default();
            let (margin, source) = margins::read_age_by_single_year(
                &resolve(&age.file),
                &age.areas,
                &bands,
                crate::ingest::csvfile::ReadOptions::DETECT,
            )?;
            population.push(margin);
            margin_sources.push(source);
        }
    }
    if let Some(sex) = &config.sex_census {
        if config.weight_by.contains(&WeightVariable::Sex)
            && !population.iter().any(|m| m.variable == WeightVariable::Sex)
        {
            let (margin, source) = margins::read_sex(&resolve(&sex.file), sex)?;
            population.push(margin);
            margin_sources.push(source);
        }
    }
    // A margin of areas, and whether its shares are to be applied to the other margins' total.
    let mut area_margins = Vec::new();
    let mut area_shares = None;
    if let Some(area) = &config.area_census {
        let variable = area.weight_variable();
        if !population.iter().any(|m| m.variable == variable) {
            // The ages were checked when the configuration was read.
            let ages = area.parsed_ages().unwrap_or_default();
            let (margin, source, counted) = margins::read_areas(
                &resolve(&area.file),
                variable.clone(),
                &area.areas,
                ages.as_ref().map(|(label, band)| (label.as_str(), *band)),
                crate::ingest::csvfile::ReadOptions::DETECT,
            )?;
            let described = format!(
                "{} of {} areas in {} ({})",
                counted,
                margin.categories.len(),
                source.name,
                crate::annex::build::thousands(margin.total().round() as u64)
            );
            if area.use_shares {
                area_shares = Some((variable.clone(), described));
            } else {
                area_margins.push(format!("{}: {described}", variable.name()));
            }
            population.push(margin);
            margin_sources.push(source);
        }
    }
    if config.weight_by.contains(&WeightVariable::EthnicGroup)
        && !population
            .iter()
            .any(|m| m.variable == WeightVariable::EthnicGroup)
    {
        if let Some(c) = &config.census {
            let path = resolve(&c.file);
            let (margin, source, describe) = match known {
                Some(k)
                    if k.path == path
                        && k.areas == c.areas.as_slice()
                        && k.comparator == c.comparator() =>
                {
                    (
                        margins::census_margin(
                            k.population,
                            &k.source.name,
                            config.ethnic_weighting_level(),
                        )?,
                        k.source.clone(),
                        k.population.describe(),
                    )
                }
                _ => margins::read_census(
                    &path,
                    &c.areas,
                    c.comparator(),
                    config.ethnic_weighting_level(),
                    crate::ingest::csvfile::ReadOptions::configured(
                        c.delimiter,
                        c.header_row,
                        c.sheet.clone(),
                    ),
                )?,
            };
            population.push(margin);
            margin_sources.push(source);
            census = Some(describe);
        }
    }
    let unstated_margin = population.iter().any(|m| {
        m.variable == WeightVariable::EthnicGroup
            && m.categories
                .iter()
                .any(|c| normalise_label(c) == normalise_label(NOT_STATED))
    });
    let data = SurveyData::read(&survey_path, config, &classifier, unstated_margin)?;
    let config_path = margins_path.clone().unwrap_or_else(|| survey_path.clone());
    for v in &config.weight_by {
        if !population.iter().any(|m| m.variable == *v) {
            return Err(Error::Config {
                path: config_path.clone(),
                message: format!("no population margin for the weighting variable {}", v.name()),
                hint: "give [survey] margins = \"FILE\" with rows variable,category,count for it (ethnic_group may instead come from the [census] table, age_band from [survey.age_census])".to_string(),
            });
        }
    }
    // Raking order is weight_by order.
    population.sort_by_key(|m| config.weight_by.iter().position(|v| *v == m.variable));
    // A margin of areas' shares is met in proportion (as every margin is: targets are shares of
    // the design-weighted total), so only its total is left out of the check that follows.
    if let Some((variable, described)) = &area_shares {
        if let Some(to) = population.iter().find(|m| m.variable != *variable) {
            area_margins.push(format!(
                "{}: the areas' shares of {described}, applied to the other margins' total ({}); this assumes each area's share is the same in the survey's population",
                variable.name(),
                crate::annex::build::thousands(to.total().round() as u64),
            ));
        }
    }

    // Totals must agree.
    let totals: Vec<(String, f64)> = population
        .iter()
        .filter(|m| area_shares.as_ref().is_none_or(|(v, _)| *v != m.variable))
        .map(|m| (format!("{} ({})", m.variable.name(), m.source), m.total()))
        .collect();
    let (lo, hi) = totals
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), (_, t)| {
            (lo.min(*t), hi.max(*t))
        });
    if lo <= 0.0 || hi / lo - 1.0 > config.raking.margin_tolerance {
        return Err(Error::MarginTotals {
            totals,
            hint: format!(
                "each weighting variable's margin must describe the same population; take them from the same Census table or area (a difference of up to {}% is accepted, set by [survey.raking] margin_tolerance){}",
                config.raking.margin_tolerance * 100.0,
                if config.area_census.is_some() {
                    "; for the margin of areas, give ages = \"16+\" (the survey's ages) with a table of age by single year by area, or use_shares = true to apply the areas' shares of the table's population to the survey's"
                } else {
                    ""
                }
            ),
        });
    }

    // Match survey categories to the margins.
    let design_total: f64 = data.respondents.iter().map(|r| r.design_weight).sum();
    let mut margins_out = Vec::new();
    let mut categories = Vec::new();
    // A neighbour named for merging must be a category of its variable: a misspelt one would
    // silently fall back to the default rule.
    for (variable, pairs) in &config.raking.merge {
        let Some(pm) = population.iter().find(|m| m.variable.name() == variable) else {
            return Err(Error::Config {
                path: config_path.clone(),
                message: format!(
                    "[survey.raking.merge] names '{variable}', which is not a weighting variable"
                ),
                hint: format!(
                    "name one of weight_by: {}",
                    config
                        .weight_by
                        .iter()
                        .map(|v| v.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        for name in pairs.iter().flat_map(|(from, into)| [from, into]) {
            if !pm
                .categories
                .iter()
                .any(|c| normalise_label(c) == normalise_label(name))
            {
                return Err(Error::Config {
                    path: config_path.clone(),
                    message: format!(
                        "[survey.raking.merge] {variable}: '{name}' is not one of its categories"
                    ),
                    hint: format!("the categories are: {}", pm.categories.join(", ")),
                });
            }
        }
    }
    let mut merges = Vec::new();
    for pm in &population {
        let (mut cats, mut margin) =
            match_categories(&data, pm, margins_path.as_deref(), design_total)?;
        merges.extend(raking::merge_small(
            &mut margin,
            &mut cats,
            config.raking.min_respondents,
            pm.variable.is_ordered(),
            config
                .raking
                .merge
                .get(pm.variable.name())
                .unwrap_or(&Default::default()),
            NOT_STATED,
        ));
        categories.push(cats);
        margins_out.push(margin);
    }

    let design: Vec<f64> = data.respondents.iter().map(|r| r.design_weight).collect();
    let rc = &config.raking;
    let outcome = match rc.trim {
        Some(bounds) => raking::rake_trimmed(
            &design,
            &categories,
            &margins_out,
            rc.max_iterations,
            rc.tolerance,
            bounds,
        ),
        None => raking::rake(
            &design,
            &categories,
            &margins_out,
            rc.max_iterations,
            rc.tolerance,
        ),
    };
    if !outcome.converged {
        let total: f64 = outcome.weights.iter().sum();
        let mut failures = Vec::new();
        for (m, cats) in margins_out.iter().zip(&categories) {
            let got = raking::margin_totals(&outcome.weights, cats, m.targets.len());
            for ((c, t), g) in m.categories.iter().zip(&m.targets).zip(got) {
                let off = (g - t).abs() / total;
                if off >= rc.tolerance {
                    failures.push(format!(
                        "{} '{}': weighted share {:.4}% against a target of {:.4}% (off by {:.2e} of the total)",
                        m.variable,
                        c,
                        g / total * 100.0,
                        t / total * 100.0,
                        off
                    ));
                }
            }
        }
        return Err(Error::NotConverged {
            iterations: outcome.iterations,
            failures,
        });
    }
    Ok(WeightedSurvey {
        data,
        margins: margins_out,
        population,
        categories,
        outcome,
        margin_sources,
        census,
        merges,
        area_margins,
    })
}

/// Each respondent's category index for one margin, and the margin scaled to `total`.
fn match_categories(
    data: &SurveyData,
    pm: &PopulationMargin,
    margins_path: Option<&Path>,
    total: f64,
) -> Result<(Vec<usize>, Margin)> {
    // Survey values, by normalised key, in first-seen order.
    fn value_of<'a>(
        variable: &WeightVariable,
        ethnic_labels: &'a [String],
        r: &'a Respondent,
    ) -> &'a str {
        match variable {
            WeightVariable::EthnicGroup => r
                .ethnic_weighting
                .map_or(NOT_STATED, |g| ethnic_labels[g].as_str()),
            WeightVariable::AgeBand if r.age_band.is_empty() => NOT_STATED,
            WeightVariable::AgeBand => &r.age_band,
            WeightVariable::Sex if r.sex.is_empty() => NOT_STATED,
            WeightVariable::Sex => &r.sex,
            WeightVariable::Other(name) => r
                .others
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
                .unwrap_or(NOT_STATED),
        }
    }
    let value = |r| value_of(&pm.variable, &data.ethnic_labels, r);
    // At the high-level groups, margins may use the short forms ("Asian").
    let high = data.ethnic_labels.len() == HighLevelGroup::ALL.len();
    let key = |label: &str| -> String {
        match pm.variable {
            WeightVariable::EthnicGroup if high => margins::high_level_of(label)
                .map(|g| format!("hl{}", g.index()))
                .unwrap_or_else(|| normalise_label(label)),
            _ => normalise_label(label),
        }
    };
    let mut survey_cats: Vec<(String, String)> = Vec::new();
    // Each distinct category is keyed once, not once per respondent.
    let mut keys: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for r in &data.respondents {
        let v = value(r);
        let k = keys.entry(v).or_insert_with(|| key(v)).clone();
        if !survey_cats.iter().any(|(sk, _)| *sk == k) {
            survey_cats.push((k, v.to_string()));
        }
    }
    let margin_keys: Vec<String> = pm.categories.iter().map(|c| key(c)).collect();
    // Respondents who did not answer, when the margins have no "Not stated" of their own, are
    // kept in a category whose target is their design-weighted share of the sample.
    let not_stated_key = key(NOT_STATED);
    let kept_unstated = survey_cats.iter().any(|(k, _)| *k == not_stated_key)
        && !margin_keys
            .iter()
            .zip(&pm.counts)
            .any(|(k, c)| *k == not_stated_key && *c > 0.0);
    let unstated_share = if kept_unstated {
        data.respondents
            .iter()
            .filter(|r| value(r) == NOT_STATED)
            .map(|r| r.design_weight)
            .sum::<f64>()
            / total
    } else {
        0.0
    };
    // Categories with a zero count and no respondents are simply absent.
    let live: Vec<usize> = (0..pm.categories.len())
        .filter(|&i| !(kept_unstated && margin_keys[i] == not_stated_key))
        .filter(|&i| pm.counts[i] > 0.0 || survey_cats.iter().any(|(k, _)| *k == margin_keys[i]))
        .collect();
    let survey_only: Vec<String> = survey_cats
        .iter()
        .filter(|(k, _)| !(kept_unstated && *k == not_stated_key))
        .filter(|(k, _)| {
            !live
                .iter()
                .any(|&i| margin_keys[i] == *k && pm.counts[i] > 0.0)
        })
        .map(|(_, v)| v.clone())
        .collect();
    let margins_only: Vec<String> = live
        .iter()
        .filter(|&&i| !survey_cats.iter().any(|(k, _)| *k == margin_keys[i]))
        .map(|&i| pm.categories[i].clone())
        .collect();
    if !survey_only.is_empty() || !margins_only.is_empty() {
        let column = match &pm.variable {
            WeightVariable::EthnicGroup => &data.ethnicity_column,
            WeightVariable::AgeBand => &data.age_column,
            WeightVariable::Sex => &data.sex_column,
            WeightVariable::Other(name) => data.other_columns.get(name).unwrap_or(name),
        };
        return Err(Error::MarginCategories {
            path: data.path.clone(),
            variable: format!("{} (survey column '{column}', margins from {})", pm.variable.name(), pm.source),
            survey_only,
            margins_only,
            survey_categories: survey_cats.iter().map(|(_, v)| v.clone()).collect(),
            margin_categories: live.iter().map(|&i| pm.categories[i].clone()).collect(),
            hint: format!(
                "labels must match after ignoring case, spaces and punctuation; rename them in {} or in the survey, and merge categories with no respondents into a neighbouring one in both{}",
                margins_path.map(|p| p.display().to_string()).unwrap_or_else(|| "the margins".to_string()),
                if pm.variable == WeightVariable::EthnicGroup { " (for ethnic groups, give ethnic_group rows in the margins file to merge groups)" } else { "" }
            ),
        });
    }
    let margin_total: f64 = live.iter().map(|&i| pm.counts[i]).sum();
    // Every survey category matched a live margin category above: look each up once.
    let category: std::collections::HashMap<&str, usize> = keys
        .iter()
        .filter_map(|(v, k)| {
            live.iter()
                .position(|&i| margin_keys[i] == *k)
                .map(|at| (*v, at))
        })
        .collect();
    // The kept "Not stated" comes last, after the population's categories.
    let cats: Vec<usize> = data
        .respondents
        .iter()
        .map(|r| match category.get(value(r)) {
            Some(&c) => c,
            None => live.len(),
        })
        .collect();
    let mut categories: Vec<String> = live
        .iter()
        .map(|&i| match pm.variable {
            WeightVariable::EthnicGroup if high => margins::high_level_of(&pm.categories[i])
                .map(|g| g.label().to_string())
                .unwrap_or_else(|| pm.categories[i].clone()),
            _ => pm.categories[i].clone(),
        })
        .collect();
    let stated = total * (1.0 - unstated_share);
    let mut targets: Vec<f64> = live
        .iter()
        .map(|&i| pm.counts[i] / margin_total * stated)
        .collect();
    if kept_unstated {
        categories.push(NOT_STATED.to_string());
        targets.push(total * unstated_share);
    }
    Ok((
        cats,
        Margin {
            variable: pm.variable.name().to_string(),
            categories,
            targets,
        },
    ))
}

/// Read, weight and estimate: the whole survey analysis.
pub fn analyse(
    config: &SurveyConfig,
    base_dir: &Path,
    known: Option<KnownCensus>,
    min_cell: u64,
    round_to: u64,
) -> Result<SurveyReport> {
    let mut out = analyse_wave(config, base_dir, known, min_cell, round_to)?;
    if let Some(previous_config) = config.previous() {
        let previous = analyse_wave(&previous_config, base_dir, known, min_cell, round_to)?;
        out.warnings.extend(
            previous
                .warnings
                .iter()
                .map(|w| format!("{} wave: {w}", previous_config.wave)),
        );
        out.changes = Some(waves::compare(
            &previous,
            &out,
            &previous_config.wave,
            &config.wave,
        ));
    }
    Ok(out)
}

/// One wave read, weighted and estimated, its counts rounded as asked.
fn analyse_wave(
    config: &SurveyConfig,
    base_dir: &Path,
    known: Option<KnownCensus>,
    min_cell: u64,
    round_to: u64,
) -> Result<SurveyReport> {
    let weighted = weight(config, base_dir, known)?;
    let mut out = report(config, &weighted, min_cell);
    let design = &weighted.data.respondents;
    let equal = design
        .windows(2)
        .all(|w| w[0].design_weight == w[1].design_weight);
    round_counts(&mut out, round_to, equal);
    Ok(out)
}

/// Round every shown count of respondents to a multiple of `base` (after suppression, see
/// [`protect_counts`]), and the unweighted shares with them; `base` 1 leaves them exact.
/// Weighted estimates are not counts and stay as they are, except a design-weighted share
/// when every design weight is the same: that is the unweighted share, so it is rounded too.
pub fn round_counts(report: &mut SurveyReport, base: u64, equal_design_weights: bool) {
    if base <= 1 {
        return;
    }
    let round = |n: u64| crate::disclosure::round_count(n, base);
    let respondents = round(report.respondents as u64);
    report.respondents = respondents as usize;
    // The survey file has a row per respondent.
    report.survey.rows = round(report.survey.rows as u64) as usize;
    report.ethnicity_not_stated = report.ethnicity_not_stated.map(round);
    for row in &mut report.profile {
        row.n = row.n.map(round);
        row.unweighted_share = match row.n {
            Some(n) if respondents > 0 => Some(n as f64 / respondents as f64),
            _ => None,
        };
        if equal_design_weights {
            row.design_share = row.unweighted_share;
            row.gap_pp = match (row.design_share, row.population_share, row.gap_pp) {
                (Some(d), Some(p), Some(_)) => Some((d - p) * 100.0),
                _ => None,
            };
        }
    }
    for q in &mut report.questions {
        q.answered_n = round(q.answered_n);
        q.no_answer_n = round(q.no_answer_n);
        for g in &mut q.groups {
            g.base_n = g.base_n.map(round);
            // The degrees of freedom are the exact base less one.
            g.ci_df = None;
            g.test_df = None;
        }
    }
}

/// Withhold the respondent counts that would identify people, and every figure from them.
///
/// - A profile count (respondents in a category of a weighting variable or a ward) or a
///   question's base from 1 to below `min_cell` is withheld; so, within a variable or a
///   question, is the next smallest until the withheld counts hold at least `min_cell` between
///   them (the total is published, so one withheld count would follow by subtraction).
///   Respondents with no stated ethnic group, never shown but what "All respondents" leaves
///   of a question's groups, count as one more part.
/// - A group whose base is withheld has no estimate: its interval's degrees of freedom would
///   give the base away.
/// - When exactly one group's estimate is withheld in a question, the shown group with the
///   smallest base is withheld too: "All respondents" and the shown groups would otherwise
///   give the withheld one back.
pub fn protect_counts(profile: &mut [ProfileRow], questions: &mut [QuestionResult], min_cell: u64) {
    let small = |n: u64| crate::disclosure::is_small(n, min_cell);
    // Withhold small counts among `counts`, then the smallest others until the withheld hold
    // at least `min_cell`; returns which are withheld.
    let withhold = |counts: &[u64]| -> Vec<bool> {
        let mut withheld: Vec<bool> = counts.iter().map(|&n| small(n)).collect();
        loop {
            let hidden: u64 = counts
                .iter()
                .zip(&withheld)
                .filter(|(_, &w)| w)
                .map(|(&n, _)| n)
                .sum();
            if hidden == 0 || hidden >= min_cell {
                return withheld;
            }
            let next = (0..counts.len())
                .filter(|&i| !withheld[i] && counts[i] > 0)
                .min_by_key(|&i| (counts[i], i));
            match next {
                Some(i) => withheld[i] = true,
                None => return withheld,
            }
        }
    };
    let mut variables: Vec<String> = profile.iter().map(|r| r.variable.clone()).collect();
    variables.dedup();
    for variable in variables {
        let rows: Vec<usize> = (0..profile.len())
            .filter(|&i| profile[i].variable == variable)
            .collect();
        let counts: Vec<u64> = rows.iter().map(|&i| profile[i].n.unwrap_or(0)).collect();
        for (&i, hide) in rows.iter().zip(withhold(&counts)) {
            if hide {
                let row = &mut profile[i];
                row.n = None;
                row.unweighted_share = None;
                row.design_share = None;
                row.gap_pp = None;
                // Raked to the population, a weighting variable's raked share is the
                // population's; a ward's is the sample's.
                if row.population_share.is_none() {
                    row.raked_share = None;
                }
            }
        }
    }
    let withhold_estimate = |g: &mut GroupResult| {
        if g.flag != BaseFlag::Suppressed {
            g.flag = BaseFlag::Withheld;
        }
        g.weighted_base = None;
        g.proportion = None;
        g.se = None;
        g.ci_low = None;
        g.ci_high = None;
        g.ci_df = None;
        g.difference = None;
        g.t = None;
        g.test_df = None;
        g.p_value = None;
    };
    for q in questions {
        let mut bases: Vec<u64> = q
            .groups
            .iter()
            .skip(1)
            .map(|g| g.base_n.unwrap_or(0))
            .collect();
        // Respondents with no stated ethnic group are in "All respondents" but in no group:
        // never shown, they are what the total leaves, so a few of them count as a small
        // part like any group's.
        let all = q.groups.first().and_then(|g| g.base_n).unwrap_or(0);
        bases.push(all.saturating_sub(bases.iter().sum()));
        for (g, hide) in q.groups.iter_mut().skip(1).zip(withhold(&bases)) {
            if hide {
                g.base_n = None;
                withhold_estimate(g);
            }
        }
        let hidden = |g: &GroupResult| g.proportion.is_none() && g.base_n != Some(0);
        if q.groups.iter().skip(1).filter(|g| hidden(g)).count() == 1 {
            let partner = q
                .groups
                .iter_mut()
                .skip(1)
                .filter(|g| g.proportion.is_some())
                .min_by_key(|g| g.base_n.unwrap_or(0));
            if let Some(g) = partner {
                withhold_estimate(g);
            }
        }
    }
}

/// Build the report from a weighted survey, its counts of respondents protected with
/// threshold `min_cell` (see [`protect_counts`]).
pub fn report(config: &SurveyConfig, ws: &WeightedSurvey, min_cell: u64) -> SurveyReport {
    let respondents = &ws.data.respondents;
    let n = respondents.len();
    let weights = &ws.outcome.weights;
    let design: Vec<f64> = respondents.iter().map(|r| r.design_weight).collect();
    let total_w: f64 = weights.iter().sum();
    let total_d: f64 = design.iter().sum();
    let mut warnings = Vec::new();

    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let weighting = WeightingDiagnostics {
        variables: ws.margins.iter().map(|m| m.variable.clone()).collect(),
        iterations: ws.outcome.iterations,
        converged: ws.outcome.converged,
        max_iterations: config.raking.max_iterations,
        tolerance: config.raking.tolerance,
        max_deviation: ws.outcome.max_deviation,
        trim: config.raking.trim,
        trim_rounds: ws.outcome.trim_rounds,
        within_trim_bounds: ws.outcome.within_bounds,
        design_weight_min: min(&design),
        design_weight_max: max(&design),
        weight_min: min(weights),
        weight_max: max(weights),
        weight_total: total_w,
        design_deff: raking::kish_deff(&design),
        deff: raking::kish_deff(weights),
        effective_sample_size: raking::effective_sample_size(weights),
        variance: config.variance,
        merged: ws
            .merges
            .iter()
            .map(|m| format!("{}: {} → {}", m.variable, m.category, m.into))
            .collect(),
        area_margins: ws.area_margins.clone(),
    };
    for m in &ws.merges {
        // A count below the threshold is not shown: it would be a small count of people.
        let respondents = if (m.respondents as u64) < min_cell {
            format!("fewer than {min_cell}")
        } else {
            m.respondents.to_string()
        };
        warnings.push(format!(
            "{}: '{}' has {respondents} respondent(s), fewer than the {} a weighting category needs, so it is merged with '{}' before raking ([survey.raking] min_respondents; name the neighbour with [survey.raking.merge])",
            m.variable, m.category, config.raking.min_respondents, m.into
        ));
    }
    for (m, pm) in ws.margins.iter().zip(&ws.population) {
        let own = pm
            .categories
            .iter()
            .any(|c| normalise_label(c) == normalise_label(NOT_STATED));
        if m.categories.iter().any(|c| c == NOT_STATED) && !own {
            warnings.push(format!(
                "respondents who did not give their {} are kept in the weighting: their \"Not stated\" category is held at its design-weighted share of the sample, so they are weighted on the other variables only (set [survey] weighting_missing = \"drop\" to leave them out)",
                m.variable.replace('_', " ")
            ));
        }
    }
    if ws.data.dropped > 0 {
        // A count below the threshold is not shown: it would be a small count of people.
        let count = if (ws.data.dropped as u64) < min_cell {
            format!("fewer than {min_cell}")
        } else {
            ws.data.dropped.to_string()
        };
        warnings.push(format!(
            "{count} respondent(s) who did not answer a weighting variable are left out of every figure (weighting_missing = \"drop\")"
        ));
    }
    if !ws.outcome.within_bounds {
        warnings.push(format!(
            "the raked weights could not be kept within the trim bounds {:?} × the mean weight while meeting the margins; the margins were kept (merge small categories to reduce extreme weights)",
            config.raking.trim.unwrap_or_default()
        ));
    }
    if weighting.deff > 2.0 {
        warnings.push(format!(
            "the design effect of the weights is {:.2}: the {} respondents carry the information of about {:.0}; consider merging small weighting categories or trimming ([survey.raking] trim)",
            weighting.deff, n, weighting.effective_sample_size
        ));
    }

    // Sample profile.
    let mut profile = Vec::new();
    for ((m, cats), pm) in ws.margins.iter().zip(&ws.categories).zip(&ws.population) {
        let target_total: f64 = m.targets.iter().sum();
        let nd = raking::margin_totals(&design, cats, m.targets.len());
        let nr = raking::margin_totals(weights, cats, m.targets.len());
        for (i, c) in m.categories.iter().enumerate() {
            let count = cats.iter().filter(|&&k| k == i).count();
            let pop_share = m.targets[i] / target_total;
            let design_share = nd[i] / total_d;
            let pop_count = pm
                .categories
                .iter()
                .position(|pc| match pm.variable {
                    WeightVariable::EthnicGroup => {
                        margins::high_level_of(pc)
                            .map(|g| g.label().to_string())
                            .unwrap_or_else(|| pc.clone())
                            == *c
                    }
                    _ => pc == c,
                })
                .map(|j| pm.counts[j]);
            profile.push(ProfileRow {
                variable: m.variable.clone(),
                category: c.clone(),
                n: Some(count as u64),
                unweighted_share: Some(count as f64 / n as f64),
                design_share: Some(design_share),
                raked_share: Some(nr[i] / total_w),
                population_share: Some(pop_share),
                population_count: pop_count,
                gap_pp: Some((design_share - pop_share) * 100.0),
            });
        }
    }
    // Wards shown once: as a weighting variable above, or here.
    let ward_weighted = ws
        .margins
        .iter()
        .any(|m| normalise_label(&m.variable) == "ward");
    if !ward_weighted && respondents.iter().any(|r| r.ward.is_some()) {
        let mut wards: Vec<&str> = respondents
            .iter()
            .filter_map(|r| r.ward.as_deref())
            .collect();
        wards.sort();
        wards.dedup();
        for ward in wards {
            let sel = |r: &&Respondent| r.ward.as_deref() == Some(ward);
            let count = respondents.iter().filter(sel).count();
            let d: f64 = respondents
                .iter()
                .zip(&design)
                .filter(|(r, _)| sel(r))
                .map(|(_, w)| w)
                .sum();
            let w: f64 = respondents
                .iter()
                .zip(weights)
                .filter(|(r, _)| sel(r))
                .map(|(_, w)| w)
                .sum();
            profile.push(ProfileRow {
                variable: "ward".to_string(),
                category: if ward.is_empty() {
                    "(blank)".to_string()
                } else {
                    ward.to_string()
                },
                n: Some(count as u64),
                unweighted_share: Some(count as f64 / n as f64),
                design_share: Some(d / total_d),
                raked_share: Some(w / total_w),
                population_share: None,
                population_count: None,
                gap_pp: None,
            });
        }
    }

    // Results.
    let flag = |base: u64| {
        if base < config.suppress_base || base == 0 {
            BaseFlag::Suppressed
        } else if base < config.caution_base {
            BaseFlag::Caution
        } else {
            BaseFlag::Ok
        }
    };
    // The raking margins, for variances that know the weights were calibrated to them.
    let sizes: Vec<usize> = ws.margins.iter().map(|m| m.targets.len()).collect();
    let calibration = match config.variance {
        Variance::Calibrated => Some(estimate::Calibration::new(&ws.categories, &sizes, weights)),
        Variance::FixedWeights => None,
    };
    let mut questions = Vec::new();
    for (qi, q) in config.questions.iter().enumerate() {
        let scheme = reader::AnswerScheme::of(q);
        // Every respondent, in order: a calibrated variance needs those outside a domain too.
        let answers: Vec<Option<(bool, Option<HighLevelGroup>)>> = respondents
            .iter()
            .map(|r| r.answers[qi].map(|y| (y, r.ethnic_group)))
            .collect();
        let answered_n = answers.iter().flatten().count();
        let mut groups = Vec::new();
        let mut push =
            |label: &str, domain: Vec<Option<bool>>, test: Option<estimate::GroupTest>| {
                let base = domain.iter().flatten().count() as u64;
                let f = flag(base);
                let est = if f == BaseFlag::Suppressed {
                    None
                } else {
                    estimate::domain_proportion(weights, &domain, calibration, config.confidence)
                };
                let test = test.filter(|_| f != BaseFlag::Suppressed);
                groups.push(GroupResult {
                    group: label.to_string(),
                    base_n: Some(base),
                    flag: f,
                    weighted_base: est.map(|e| e.weighted_base),
                    proportion: est.map(|e| e.proportion),
                    se: est.map(|e| e.se),
                    ci_low: est.and_then(|e| e.interval.map(|i| i.0)),
                    ci_high: est.and_then(|e| e.interval.map(|i| i.1)),
                    ci_df: est.map(|e| e.df),
                    difference: test.map(|t| t.difference),
                    t: test.map(|t| t.t),
                    test_df: test.map(|t| t.df),
                    p_value: test.map(|t| t.p_value),
                });
            };
        push(
            ALL_RESPONDENTS,
            answers.iter().map(|a| a.map(|(y, _)| y)).collect(),
            None,
        );
        for g in HighLevelGroup::ALL {
            let domain: Vec<Option<bool>> = answers
                .iter()
                .map(|a| a.filter(|(_, e)| *e == Some(g)).map(|(y, _)| y))
                .collect();
            let test_rows: Vec<Option<(bool, bool)>> = answers
                .iter()
                .map(|a| a.map(|(y, e)| (y, e == Some(g))))
                .collect();
            let test = estimate::domain_group_vs_rest(weights, &test_rows, calibration);
            push(g.label(), domain, test);
        }
        let positive = match q.kind {
            QuestionKind::Numeric => format!("{} or more", scheme.threshold.unwrap_or_default()),
            _ => scheme.positive.join(" or "),
        };
        questions.push(QuestionResult {
            name: q.name.clone(),
            label: q.label().to_string(),
            column: q.column().to_string(),
            kind: q.kind,
            positive,
            answered_n: answered_n as u64,
            no_answer_n: (n - answered_n) as u64,
            groups,
        });
    }

    protect_counts(&mut profile, &mut questions, min_cell);
    SurveyReport {
        survey: ws.data.source.clone(),
        margin_sources: ws.margin_sources.clone(),
        census: ws.census.clone(),
        respondents: n,
        // Few respondents who did not state an ethnicity would be identified by it.
        ethnicity_not_stated: Some(
            respondents
                .iter()
                .filter(|r| r.ethnic_group.is_none())
                .count() as u64,
        )
        .filter(|&n| !crate::disclosure::is_small(n, min_cell)),
        confidence: config.confidence,
        caution_base: config.caution_base,
        suppress_base: config.suppress_base,
        weighting,
        profile,
        questions,
        changes: None,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile_row(category: &str, n: u64, population: bool) -> ProfileRow {
        ProfileRow {
            variable: "v".into(),
            category: category.into(),
            n: Some(n),
            unweighted_share: Some(0.1),
            design_share: Some(0.1),
            raked_share: Some(0.1),
            population_share: population.then_some(0.1),
            population_count: None,
            gap_pp: population.then_some(0.0),
        }
    }

    fn group(name: &str, base: u64, flag: BaseFlag) -> GroupResult {
        let shown = flag != BaseFlag::Suppressed;
        GroupResult {
            group: name.into(),
            base_n: Some(base),
            flag,
            weighted_base: shown.then_some(base as f64),
            proportion: shown.then_some(0.5),
            se: shown.then_some(0.1),
            ci_low: shown.then_some(0.3),
            ci_high: shown.then_some(0.7),
            ci_df: shown.then_some(base.saturating_sub(1)),
            difference: shown.then_some(0.0),
            t: shown.then_some(0.0),
            test_df: shown.then_some(base.saturating_sub(1)),
            p_value: shown.then_some(1.0),
        }
    }

    #[test]
    fn small_counts_and_what_gives_them_back_are_withheld() {
        // A ward of 2: withheld, and the next smallest (30) with it, since the wards add up to
        // the respondents.
        let mut profile = vec![
            profile_row("A", 2, false),
            profile_row("B", 40, false),
            profile_row("C", 30, false),
            profile_row("D", 0, false),
        ];
        let mut questions = vec![QuestionResult {
            name: "q".into(),
            label: "q".into(),
            column: "q".into(),
            kind: QuestionKind::Agree,
            positive: "Yes".into(),
            answered_n: 200,
            no_answer_n: 0,
            groups: vec![
                group(ALL_RESPONDENTS, 200, BaseFlag::Ok),
                group("Asian", 60, BaseFlag::Ok),
                group("Black", 35, BaseFlag::Caution),
                group("Mixed", 0, BaseFlag::Suppressed),
                group("White", 96, BaseFlag::Ok),
                group("Other", 9, BaseFlag::Suppressed),
            ],
        }];
        protect_counts(&mut profile, &mut questions, 5);
        let n: Vec<Option<u64>> = profile.iter().map(|r| r.n).collect();
        assert_eq!(n, vec![None, Some(40), None, Some(0)]);
        assert_eq!(
            profile[0].raked_share, None,
            "a ward's raked share is the sample's"
        );
        let g = &questions[0].groups;
        // Other's estimate is withheld (base 9 < 30); All respondents less the shown groups
        // would give it back, so Black's (the smallest shown base) goes too.
        assert_eq!(g[5].base_n, Some(9));
        assert_eq!(g[2].proportion, None);
        assert_eq!(g[2].ci_df, None);
        assert_eq!(g[2].flag, BaseFlag::Withheld);
        assert!(g[1].proportion.is_some() && g[4].proportion.is_some());
        // A base from 1 to 4 is withheld itself.
        let mut small = questions.clone();
        small[0].groups[5] = group("Other", 3, BaseFlag::Suppressed);
        protect_counts(&mut [], &mut small, 5);
        assert_eq!(small[0].groups[5].base_n, None);
        // 3 respondents with no stated ethnic group: All respondents less the groups would
        // give them, so the smallest group's base (Other, 9) is withheld with them.
        let mut unstated = questions.clone();
        unstated[0].groups[0] = group(ALL_RESPONDENTS, 200, BaseFlag::Ok);
        unstated[0].groups[5] = group("Other", 9, BaseFlag::Suppressed);
        unstated[0].groups[4] = group("White", 96, BaseFlag::Ok);
        unstated[0].groups[1] = group("Asian", 57, BaseFlag::Ok);
        protect_counts(&mut [], &mut unstated, 5);
        let bases: Vec<Option<u64>> = unstated[0].groups.iter().map(|g| g.base_n).collect();
        assert_eq!(
            bases,
            [Some(200), Some(57), Some(35), Some(0), Some(96), None]
        );
    }
}
