//! Trends across workforce snapshots (`[trends]`): each group's share and the declaration rate
//! at each date, and the change between dates (see [`crate::metrics::trends`]).

use std::path::PathBuf;

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, JsonPart, OutputFile, PlanContext, Section, Settings};
use crate::annex::workforce::{trends_evidence, TRENDS_KEY};
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::trends::trends;
use crate::output::trends_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrendsConfig {
    /// Several workforce snapshots in one file, one row per employee per snapshot.
    file: PathBuf,
    #[serde(default = "crate::ingest::extract::default_ethnicity_column")]
    ethnicity_column: String,
    #[serde(default = "default_date_column")]
    date_column: String,
    /// The field delimiter; detected when not given.
    delimiter: Option<crate::ingest::csvfile::Delimiter>,
    /// The row the column names are on; detected when not given.
    header_row: Option<u64>,
    /// The sheet of a workbook; the first when not given.
    sheet: Option<String>,
}

fn default_date_column() -> String {
    "snapshot_date".to_string()
}

#[derive(Debug)]
pub struct Trends {
    snapshots: ExtractInput,
    date_column: String,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<TrendsConfig>("trends", section)? else {
        return Ok(None);
    };
    Ok(Some(Box::new(Trends {
        snapshots: ExtractInput {
            role: "Workforce snapshots",
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
        date_column: config.date_column,
    })))
}

impl Analysis for Trends {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(
            self.snapshots.clone(),
            vec![ColumnNeed::new(
                &self.date_column,
                ColumnKind::Date,
                "snapshot date",
            )],
        )]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![TRENDS_KEY.into()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let report = trends(
            inputs.extract(&self.snapshots),
            &self.date_column,
            settings.confidence,
            disclosure,
        )?;
        Ok(Section {
            files: vec![OutputFile {
                name: "trends.csv".into(),
                contents: trends_csv(&report),
            }],
            json_parts: vec![JsonPart {
                file: super::DEEP_DIVE_JSON,
                key: "trends",
                value: serde_json::to_value(&report).expect("a report serialises"),
            }],
            evidence: vec![trends_evidence(&report)],
            methods: vec![("Trends".into(), "shares at each snapshot with Wilson intervals; changes with Newcombe's hybrid score interval for independent proportions (conservative, since snapshots share most staff)".into())],
            ..Section::default()
        })
    }
}
