//! The comparator's population profile: residents by ethnic group at the high and detailed
//! levels (and every other level asked for), from the Census table alone.

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::build::PROFILE_KEY;
use crate::classify::Level;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnNeed, Population};
use crate::output::{csv_line, fixed, population_profile, ProfileRow};

#[derive(Debug)]
pub struct PopulationProfile;

pub fn build(_section: Option<toml::Value>, _: &PlanContext) -> Result<Option<Box<dyn Analysis>>> {
    Ok(Some(Box::new(PopulationProfile)))
}

impl Analysis for PopulationProfile {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        Vec::new()
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![PROFILE_KEY.to_string()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        // Census counts, published by the ONS already: nothing here describes a person.
        _disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let population = &inputs.population;
        // The high-level groups and the finest the table gives (the 19 categories, or 8).
        let mut levels = vec![Level::High, population.finest_level()];
        for l in &settings.levels {
            if !levels.contains(l) {
                levels.push(*l);
            }
        }
        let profile = population_profile(population, &levels);
        let csv = profile_csv(population, &profile);
        let (evidence, chart) = crate::annex::profile_evidence(population, &profile);
        Ok(Section {
            files: vec![OutputFile {
                name: "population-profile.csv".into(),
                contents: csv.clone(),
            }],
            evidence: vec![(evidence, chart, Some(csv))],
            warnings: population.warnings.clone(),
            ..Section::default()
        })
    }
}

fn profile_csv(population: &Population, profile: &[ProfileRow]) -> String {
    let mut csv = csv_line(&[
        "comparator",
        "level",
        "group",
        "population_n",
        "population_share",
    ]);
    for row in profile {
        csv.push_str(&csv_line(&[
            population.describe(),
            row.level.name().to_string(),
            row.group.clone(),
            row.population_n.to_string(),
            fixed(Some(row.population_share), 6),
        ]));
    }
    csv
}
