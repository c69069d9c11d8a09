//! Small areas (`[areas]`): the ethnic profile of each ward or MSOA of the comparator, from a
//! ward-level table, so the evidence can show where communities live (see
//! [`crate::metrics::areas`]).

use std::path::PathBuf;

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::change::{areas_evidence, AREAS_KEY};
use crate::annex::InputFile;
use crate::classify::Level;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::csvfile::ReadOptions;
use crate::ingest::{CensusTable, ColumnNeed};
use crate::metrics::areas::{area_profiles, AnswerGroup};
use crate::output::areas_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreasConfig {
    /// A table of ethnic group by ward (or MSOA): TS021 or TS022 for those areas.
    file: PathBuf,
    /// The areas to show (codes or names, or "all": every area of the file).
    #[serde(default = "every_area")]
    areas: Vec<String>,
    /// How to name the areas together ("Rushmoor (13 wards)").
    name: Option<String>,
    /// The level of the groups shown ("high" unless given).
    level: Option<String>,
    /// Groups of a detailed table's answers to show too (name, census).
    #[serde(default)]
    group: Vec<AnswerGroup>,
}

fn every_area() -> Vec<String> {
    vec!["all".to_string()]
}

#[derive(Debug)]
pub struct Areas {
    file: PathBuf,
    areas: Vec<String>,
    name: Option<String>,
    level: Level,
    groups: Vec<AnswerGroup>,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<AreasConfig>("areas", section)? else {
        return Ok(None);
    };
    let level = match &config.level {
        None => Level::High,
        Some(name) => Level::parse(name).ok_or_else(|| {
            plan.error(
                format!("[areas] level {name:?} is not a level"),
                "use \"high\", \"detailed\", \"eight-categories\", \"white-british\" or \"white\"",
            )
        })?,
    };
    Ok(Some(Box::new(Areas {
        file: plan.resolve(&config.file),
        areas: config.areas,
        name: config.name,
        level,
        groups: config.group,
    })))
}

impl Analysis for Areas {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        Vec::new()
    }

    fn reads(&self) -> Vec<PathBuf> {
        vec![self.file.clone()]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![AREAS_KEY.to_string()]
    }

    fn run(
        &self,
        _inputs: &Inputs,
        _settings: &Settings,
        // Census counts, published by the ONS already: nothing here describes a person.
        _disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let table = CensusTable::read(&self.file, ReadOptions::DETECT)?;
        let all = table.select(&self.areas, None)?;
        if !all.supports(self.level) {
            return Err(crate::metrics::representation::unsupported_level(
                &all,
                self.level,
                &[self.level],
            ));
        }
        let mut profiles = area_profiles(&table, &self.areas, self.level, &self.groups)?;
        if let Some(name) = &self.name {
            profiles.comparator = format!(
                "Census {} {}, {name}",
                all.edition.year(),
                all.comparator.people()
            );
        }
        Ok(Section {
            files: vec![OutputFile {
                name: "census-areas.csv".into(),
                contents: areas_csv(&profiles),
            }],
            evidence: vec![areas_evidence(&profiles)],
            methods: vec![(
                "Small areas".into(),
                format!(
                    "each area's residents in each group as a share of the area's residents ({}), with all the areas together marked",
                    profiles.comparator
                ),
            )],
            inputs: vec![InputFile {
                role: "Census small-area table".into(),
                source: table.source.clone(),
            }],
            ..Section::default()
        })
    }
}
