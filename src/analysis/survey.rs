//! The resident survey (`[survey]`): the sample profile, the weighting diagnostics and each
//! question's weighted results by ethnic group (see [`crate::survey`]). The survey reads its own
//! file and margins; its ethnic-group margins reuse the run's Census table when it is the same.

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::InputFile;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{CensusConfig, ColumnNeed};
use crate::output::{
    survey_changes_csv, survey_profile_csv, survey_results_csv, survey_weighting_csv, to_json,
};
use crate::survey::{KnownCensus, SurveyConfig};

#[derive(Debug)]
pub struct ResidentSurvey {
    config: SurveyConfig,
    /// The run's `[census]` file (resolved) and areas, to reuse what the run has read.
    census_file: std::path::PathBuf,
    census_areas: Vec<String>,
    census_comparator: Option<crate::ingest::Comparator>,
    config_dir: std::path::PathBuf,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(section) = section else {
        return Ok(None);
    };
    Ok(Some(Box::new(ResidentSurvey {
        config: survey_config(section, plan)?,
        census_file: plan.resolve(plan.census_file),
        census_areas: plan.census_areas.to_vec(),
        census_comparator: plan.census_comparator,
        config_dir: plan.config_dir().to_path_buf(),
    })))
}

/// The `[survey]` section, validated, with the run's Census when it names none.
fn survey_config(section: toml::Value, plan: &PlanContext) -> Result<SurveyConfig> {
    let mut config: SurveyConfig = plan.parse("survey", section)?;
    // Paths in the survey section stay as written and are taken from the config's folder by
    // the survey reader; so is the run's [census] file here.
    if config.census.is_none() {
        config.census = Some(CensusConfig {
            file: plan.census_file.to_path_buf(),
            areas: plan.census_areas.to_vec(),
            delimiter: plan
                .census_read
                .delimiter
                .map(crate::ingest::csvfile::Delimiter),
            header_row: plan.census_read.header_row,
            sheet: plan.census_read.sheet.clone(),
            comparator: plan.census_comparator.map(|c| c.name_only()),
            ages: plan.census_comparator.and_then(|c| c.age_range()),
        });
    }
    config.validate(plan.config_path)?;
    Ok(config)
}

impl Analysis for ResidentSurvey {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        Vec::new()
    }

    fn reads(&self) -> Vec<std::path::PathBuf> {
        self.config
            .input_files()
            .into_iter()
            .map(|p| self.config_dir.join(p))
            .collect()
    }

    fn metric_keys(&self) -> Vec<String> {
        let names: Vec<String> = self
            .config
            .questions
            .iter()
            .map(|q| q.name.clone())
            .collect();
        crate::annex::survey::survey_keys(&names, self.config.previous_wave.is_some())
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        // Respondents are a population of their own, linked to no workforce table: their
        // counts are protected within the survey's tables (see `survey::protect_counts`).
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let report = crate::survey::analyse(
            &self.config,
            &self.config_dir,
            Some(KnownCensus {
                path: &self.census_file,
                areas: &self.census_areas,
                comparator: self.census_comparator,
                population: &inputs.population,
                source: &inputs.census.source,
            }),
            settings.min_cell,
            disclosure.rounding(),
        )?;
        let mut provenance = vec![InputFile {
            role: "Resident survey".into(),
            source: report.survey.clone(),
        }];
        if let Some(changes) = &report.changes {
            provenance.push(InputFile {
                role: format!("Resident survey, {} wave", changes.previous_wave),
                source: changes.previous_survey.clone(),
            });
        }
        let mut files = vec![
            OutputFile {
                name: "survey-results.csv".into(),
                contents: survey_results_csv(&report),
            },
            OutputFile {
                name: "survey-profile.csv".into(),
                contents: survey_profile_csv(&report),
            },
            OutputFile {
                name: "survey-weighting.csv".into(),
                contents: survey_weighting_csv(&report),
            },
            OutputFile {
                name: "survey.json".into(),
                contents: to_json(&report),
            },
        ];
        if let Some(changes) = &report.changes {
            files.push(OutputFile {
                name: "survey-changes.csv".into(),
                contents: survey_changes_csv(changes),
            });
        }
        let mut methods = vec![("Resident survey".into(), format!("design weights raked (iterative proportional fitting) to the population margins; proportions as R's survey package's svymean, svyciprop(method = \"logit\") intervals and svyttest of each group against the rest, with the {}. Each question tests five groups: with many tests, expect about one in twenty p-values under 0.05 by chance alone", report.weighting.variance.describe()))];
        if let Some(changes) = &report.changes {
            methods.push((
                "Resident survey: change between waves".into(),
                format!("the {} and {} waves are independent samples, each weighted to its margins; a change is the difference of the two weighted proportions, its standard error the square root of the sum of their variances, its interval the difference ± the normal quantile × that standard error (as R's svycontrast on the waves stacked as strata of one design); a change is shown only where both waves publish the group's estimate", changes.previous_wave, changes.current_wave),
            ));
        }
        provenance.extend(report.margin_sources.iter().map(|m| InputFile {
            role: "Survey margins".into(),
            source: m.clone(),
        }));
        Ok(Section {
            files,
            evidence: crate::annex::survey::survey_evidence(&report),
            methods,
            inputs: provenance,
            warnings: report.warnings.clone(),
            ..Section::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Settings;
    use std::path::{Path, PathBuf};

    #[test]
    fn a_run_config_carries_the_survey_and_its_census() {
        let section: toml::Table = toml::from_str(
            "file = 'survey.csv'\nmargins = 'margins.csv'\n[[questions]]\nname = 'fair'\ntype = 'scale'\nanswers = [1, 2, 3, 4, 5]\npositive = [4, 5]\n",
        )
        .unwrap();
        let settings = Settings {
            confidence: 0.95,
            min_cell: 5,
            publish: true,
            round_to: 1,
            levels: vec![crate::classify::Level::High],
            by: vec![],
            orders: Default::default(),
        };
        let workforce = ExtractInput {
            role: "Workforce extract",
            path: "cfg/hr.csv".into(),
            ethnicity_column: "ethnicity".into(),
            id_column: None,
            read: Default::default(),
            count_column: None,
            wide: false,
        };
        let plan = PlanContext {
            config_path: Path::new("cfg/repgap.toml"),
            settings: &settings,
            workforce: &workforce,
            census_file: Path::new("census.csv"),
            census_areas: &["E07000092".to_string()],
            census_read: Default::default(),
            census_comparator: None,
        };
        let survey = survey_config(toml::Value::Table(section), &plan).unwrap();
        // Survey paths stay as written: analyse() resolves them against the config's folder.
        assert_eq!(survey.file, PathBuf::from("survey.csv"));
        assert_eq!(survey.census.unwrap().file, PathBuf::from("census.csv"));
    }
}
