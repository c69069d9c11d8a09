//! Recruitment (`[recruitment]`): the relative likelihood of shortlisting from application and
//! of appointment from shortlisting, from a file of applicants (see
//! [`crate::metrics::recruitment`]).

use std::path::PathBuf;

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, JsonPart, OutputFile, PlanContext, Section, Settings};
use crate::annex::workforce::{recruitment_evidence, APPOINTMENT_KEY, SHORTLISTING_KEY};
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::likelihood::Direction;
use crate::metrics::recruitment::recruitment;
use crate::output::likelihood_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecruitmentConfig {
    /// One row per applicant with the furthest stage reached (applied, shortlisted, appointed).
    file: PathBuf,
    #[serde(default = "crate::ingest::extract::default_ethnicity_column")]
    ethnicity_column: String,
    #[serde(default = "default_stage_column")]
    stage_column: String,
    /// NHS WRES indicator 2 puts White applicants on top.
    #[serde(default = "default_direction")]
    direction: Direction,
    /// The field delimiter; detected when not given.
    delimiter: Option<crate::ingest::csvfile::Delimiter>,
    /// The row the column names are on; detected when not given.
    header_row: Option<u64>,
    /// The sheet of a workbook; the first when not given.
    sheet: Option<String>,
}

fn default_stage_column() -> String {
    "stage".to_string()
}
fn default_direction() -> Direction {
    Direction::WhiteOverMinority
}

#[derive(Debug)]
pub struct Recruitment {
    applicants: ExtractInput,
    stage_column: String,
    direction: Direction,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<RecruitmentConfig>("recruitment", section)? else {
        return Ok(None);
    };
    Ok(Some(Box::new(Recruitment {
        applicants: ExtractInput {
            role: "Recruitment extract",
            path: plan.resolve(&config.file),
            ethnicity_column: config.ethnicity_column,
            id_column: None,
            count_column: None,
            wide: false,
            read: crate::ingest::csvfile::ReadOptions::configured(
                config.delimiter,
                config.header_row,
                config.sheet,
            ),
        },
        stage_column: config.stage_column,
        direction: config.direction,
    })))
}

impl Analysis for Recruitment {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(
            self.applicants.clone(),
            vec![ColumnNeed::new(
                &self.stage_column,
                ColumnKind::Text,
                "recruitment stage",
            )],
        )]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![SHORTLISTING_KEY.into(), APPOINTMENT_KEY.into()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let report = recruitment(
            inputs.extract(&self.applicants),
            &self.stage_column,
            self.direction,
            settings.confidence,
            disclosure,
        )?;
        Ok(Section {
            files: vec![OutputFile {
                name: "recruitment.csv".into(),
                contents: likelihood_csv(&[report.shortlisting.clone(), report.appointment.clone()]),
            }],
            json_parts: vec![JsonPart {
                file: super::DEEP_DIVE_JSON,
                key: "recruitment",
                value: serde_json::to_value(&report).expect("a report serialises"),
            }],
            evidence: recruitment_evidence(&report, settings.confidence),
            methods: vec![("Recruitment".into(), "relative likelihood of shortlisting from application and of appointment from shortlisting (NHS WRES indicator 2), Katz log intervals, each group also against White British".into())],
            ..Section::default()
        })
    }
}
