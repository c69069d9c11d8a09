//! Detailed groups (`[groups]`): a council's own groups across the 19 categories, from the
//! detailed Census table (TS022), counted in the workforce by its labels (see
//! [`crate::metrics::groups`]).

use std::path::PathBuf;

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, JsonPart, OutputFile, PlanContext, Section, Settings};
use crate::annex::groups::{
    detailed_groups_evidence, groups_evidence, DETAILED_GROUPS_KEY, GROUPS_KEY,
};
use crate::annex::InputFile;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{CensusTable, ColumnKind, ColumnNeed};
use crate::metrics::groups::{groups, GroupPopulation, GroupSpec};
use crate::output::groups_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsConfig {
    /// The detailed Census table (TS022): Nomis bulk, ONS custom dataset or tidy.
    file: PathBuf,
    /// Its areas to sum (codes or names, or "all"); the `[census]` areas when not given.
    areas: Option<Vec<String>>,
    /// How to name the areas summed ("Rushmoor" for its 13 wards).
    name: Option<String>,
    delimiter: Option<crate::ingest::csvfile::Delimiter>,
    header_row: Option<u64>,
    sheet: Option<String>,
    group: Vec<GroupSpec>,
}

#[derive(Debug)]
pub struct Groups {
    workforce: ExtractInput,
    file: PathBuf,
    areas: Vec<String>,
    name: Option<String>,
    read: crate::ingest::csvfile::ReadOptions,
    specs: Vec<GroupSpec>,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<GroupsConfig>("groups", section)? else {
        return Ok(None);
    };
    if config.group.is_empty() {
        return Err(plan.error(
            "[groups] defines no group",
            "add a [[groups.group]] with name, census (labels of the detailed table) and labels (of the workforce file)",
        ));
    }
    for spec in &config.group {
        if spec.census.is_empty() || spec.labels.is_empty() {
            return Err(plan.error(
                format!("[groups] group '{}' needs census and labels", spec.name),
                "census lists the detailed table's labels of the group, labels the workforce file's (e.g. labels = [\"Nepalese\", \"Gurkha\"])",
            ));
        }
    }
    Ok(Some(Box::new(Groups {
        workforce: plan.workforce.clone(),
        file: plan.resolve(&config.file),
        areas: config.areas.unwrap_or_else(|| plan.census_areas.to_vec()),
        name: config.name,
        read: crate::ingest::csvfile::ReadOptions::configured(
            config.delimiter,
            config.header_row,
            config.sheet,
        ),
        specs: config.group,
    })))
}

impl Analysis for Groups {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        // The labels as written: groups cut below the 19 categories the labels are read into.
        vec![(
            self.workforce.clone(),
            vec![ColumnNeed::new(
                &self.workforce.ethnicity_column,
                ColumnKind::Text,
                "detailed groups",
            )],
        )]
    }

    fn reads(&self) -> Vec<PathBuf> {
        vec![self.file.clone()]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![DETAILED_GROUPS_KEY.to_string(), GROUPS_KEY.to_string()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let table = CensusTable::read(&self.file, self.read.clone())?;
        // The detailed table counts all usual residents: it is not published by age.
        let everyone = table.select(&self.areas, None)?;
        let comparator = match &self.name {
            Some(name) => format!(
                "Census {} {}, {name}",
                everyone.edition.year(),
                everyone.comparator.people()
            ),
            None => everyone.describe(),
        };
        let mut answers = Vec::new();
        for spec in &self.specs {
            let mut counts = Vec::new();
            for label in &spec.census {
                counts.push(table.answer_count(&self.areas, std::slice::from_ref(label))?);
            }
            answers.push(counts);
        }
        let population = GroupPopulation {
            comparator: comparator.clone(),
            census_year: everyone.edition.year(),
            total: everyone.total(),
            counts: answers.iter().map(|c| c.iter().sum()).collect(),
        };
        let workforce = inputs.extract(&self.workforce);
        let report = groups(
            workforce,
            &self.specs,
            &population,
            settings.confidence,
            disclosure,
        )?;
        let residents =
            detailed_groups_evidence(&comparator, &self.specs, &answers, population.total);
        let staff = groups_evidence(&report);
        Ok(Section {
            files: vec![
                OutputFile {
                    name: "census-detailed-groups.csv".into(),
                    contents: residents.2.clone().unwrap_or_default(),
                },
                OutputFile {
                    name: "workforce-groups.csv".into(),
                    contents: groups_csv(&report),
                },
            ],
            json_parts: vec![JsonPart {
                file: super::DEEP_DIVE_JSON,
                key: "detailed_groups",
                value: serde_json::to_value(&report).expect("a report serialises"),
            }],
            evidence: vec![residents, staff],
            methods: vec![(
                "Detailed groups".into(),
                format!(
                    "residents in each group are the sum of its answers in the detailed table (Census 2021 TS022, {comparator}; all ages, as the table is published); staff are in a group by the labels of their records ({}); shares are of staff who stated an ethnicity, with Wilson intervals and an exact binomial test against the residents' share",
                    self.specs
                        .iter()
                        .map(|s| format!("{}: {}", s.name, s.labels.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )],
            inputs: vec![InputFile {
                role: "Census detailed table".into(),
                source: table.source.clone(),
            }],
            warnings: everyone.warnings.clone(),
            ..Section::default()
        })
    }
}
