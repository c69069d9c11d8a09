//! The seniority ladder (`[seniority]`): each group's share of staff at each grade, lowest
//! first, with a Cochran–Armitage trend test (see [`crate::metrics::seniority`]).

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, JsonPart, OutputFile, PlanContext, Section, Settings};
use crate::annex::workforce::{seniority_evidence, seniority_key};
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::seniority::seniority;
use crate::output::seniority_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeniorityConfig {
    /// The grade column of the workforce file. Its order comes from `[representation.order]`
    /// when given there, else from `order` here, else natural order ("Grade 2" before
    /// "Grade 10").
    column: String,
    order: Option<Vec<String>>,
}

#[derive(Debug)]
pub struct Seniority {
    workforce: ExtractInput,
    column: String,
    order: Option<Vec<String>>,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<SeniorityConfig>("seniority", section)? else {
        return Ok(None);
    };
    let order = plan
        .settings
        .orders
        .get(&config.column)
        .cloned()
        .or(config.order);
    Ok(Some(Box::new(Seniority {
        workforce: plan.workforce.clone(),
        column: config.column,
        order,
    })))
}

impl Analysis for Seniority {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(
            self.workforce.clone(),
            vec![ColumnNeed::new(&self.column, ColumnKind::Text, "grade")],
        )]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![seniority_key(&self.column)]
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let workforce = inputs.extract(&self.workforce);
        let report = seniority(
            workforce,
            &inputs.population,
            &self.column,
            self.order.as_ref(),
            settings.confidence,
            disclosure,
        )?;
        Ok(Section {
            files: vec![OutputFile {
                name: "seniority.csv".into(),
                contents: seniority_csv(&report),
            }],
            json_parts: vec![JsonPart {
                file: super::DEEP_DIVE_JSON,
                key: "seniority",
                value: serde_json::to_value(&report).expect("a report serialises"),
            }],
            evidence: vec![seniority_evidence(&report)],
            methods: vec![("Seniority".into(), "each group's share of declared staff at each grade, lowest first, with Wilson intervals; Cochran–Armitage test for a linear trend across grades (scores 1, 2, … in grade order; as R's prop.trend.test)".into())],
            ..Section::default()
        })
    }
}
