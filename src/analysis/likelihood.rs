//! Relative likelihood of yes/no outcomes for staff (`[likelihood]`): disciplinary, training,
//! leaving… (see [`crate::metrics::likelihood`]).

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::build::likelihood_key;
use crate::annex::workforce::likelihood_item;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::likelihood::{workforce_likelihoods, Direction};
use crate::output::to_json;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LikelihoodConfig {
    /// Yes/no columns of the workforce file (disciplinary, training, leaving, …).
    outcomes: Vec<String>,
    /// Which group's rate is on top of each ratio; as `repgap likelihood`, ethnic minorities
    /// unless stated.
    #[serde(default = "default_direction")]
    direction: Direction,
}

fn default_direction() -> Direction {
    Direction::MinorityOverWhite
}

#[derive(Debug)]
pub struct RelativeLikelihood {
    workforce: ExtractInput,
    outcomes: Vec<String>,
    direction: Direction,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<LikelihoodConfig>("likelihood", section)? else {
        return Ok(None);
    };
    Ok(Some(Box::new(RelativeLikelihood {
        workforce: plan.workforce.clone(),
        outcomes: config.outcomes,
        direction: config.direction,
    })))
}

impl Analysis for RelativeLikelihood {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(
            self.workforce.clone(),
            self.outcomes
                .iter()
                .map(|o| ColumnNeed::new(o, ColumnKind::Flag, "outcome"))
                .collect(),
        )]
    }

    fn metric_keys(&self) -> Vec<String> {
        self.outcomes.iter().map(|o| likelihood_key(o)).collect()
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let likelihoods = workforce_likelihoods(
            inputs.extract(&self.workforce),
            &self.outcomes,
            self.direction,
            settings.confidence,
            disclosure,
        );
        let evidence = likelihoods
            .iter()
            .map(|l| likelihood_item(l, &format!("'{}'", l.outcome), settings.confidence))
            .collect();
        Ok(Section {
            files: (!likelihoods.is_empty())
                .then(|| OutputFile {
                    name: "relative-likelihood.json".into(),
                    contents: to_json(&likelihoods),
                })
                .into_iter()
                .collect(),
            evidence,
            ..Section::default()
        })
    }
}
