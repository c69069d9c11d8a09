//! Change since the last census (`[change]`): the comparator areas' ethnic make-up at Census
//! 2011 and Census 2021, harmonised (see [`crate::metrics::change`]).

use std::path::PathBuf;

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::change::{change_evidence, CHANGE_KEY};
use crate::annex::InputFile;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::csvfile::ReadOptions;
use crate::ingest::{CensusConfig, CensusTable, ColumnNeed, Comparator, ComparatorName};
use crate::metrics::change::change;
use crate::output::change_csv;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeConfig {
    /// The earlier census's table (Census 2011: QS201EW, KS201EW, DC2101EW).
    earlier: PathBuf,
    /// The later census's table; the run's `[census]` table when not given.
    later: Option<PathBuf>,
    /// The areas, in both tables; the `[census]` areas when not given.
    areas: Option<Vec<String>>,
    /// Who is compared at both censuses; the `[census]` comparator when `later` is not given,
    /// else whoever the tables count.
    comparator: Option<ComparatorName>,
    ages: Option<[u32; 2]>,
}

#[derive(Debug)]
pub struct Change {
    earlier: PathBuf,
    later: Option<PathBuf>,
    areas: Vec<String>,
    comparator: Option<Comparator>,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(config) = plan.section::<ChangeConfig>("change", section)? else {
        return Ok(None);
    };
    // The comparator and its ages are checked as [census]'s are.
    let as_census = CensusConfig {
        file: config.earlier.clone(),
        areas: Vec::new(),
        comparator: config.comparator,
        ages: config.ages,
        delimiter: None,
        header_row: None,
        sheet: None,
    };
    as_census.check_comparator(plan.config_path, "change")?;
    let comparator = match (&config.later, as_census.comparator()) {
        (_, Some(c)) => Some(c),
        (None, None) => plan.census_comparator,
        (Some(_), None) => None,
    };
    Ok(Some(Box::new(Change {
        earlier: plan.resolve(&config.earlier),
        later: config.later.as_deref().map(|p| plan.resolve(p)),
        areas: config.areas.unwrap_or_else(|| plan.census_areas.to_vec()),
        comparator,
    })))
}

impl Analysis for Change {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        Vec::new()
    }

    fn reads(&self) -> Vec<PathBuf> {
        std::iter::once(self.earlier.clone())
            .chain(self.later.clone())
            .collect()
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![CHANGE_KEY.to_string()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        _settings: &Settings,
        // Census counts, published by the ONS already: nothing here describes a person.
        _disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let earlier_table = CensusTable::read(&self.earlier, ReadOptions::DETECT)?;
        let earlier = earlier_table.select(&self.areas, self.comparator)?;
        let mut sources = vec![InputFile {
            role: format!("Census {} table", earlier.edition.year()),
            source: earlier_table.source.clone(),
        }];
        let later = match &self.later {
            Some(path) => {
                let table = CensusTable::read(path, ReadOptions::DETECT)?;
                let later = table.select(&self.areas, self.comparator)?;
                sources.push(InputFile {
                    role: format!("Census {} table", later.edition.year()),
                    source: table.source.clone(),
                });
                later
            }
            None => inputs.population.clone(),
        };
        let report = change(&earlier, &later)?;
        let areas = later
            .areas
            .iter()
            .map(|(_, name)| name.as_str())
            .collect::<Vec<_>>()
            .join(" and ");
        let evidence = change_evidence(&report, &areas);
        Ok(Section {
            files: vec![OutputFile {
                name: "census-change.csv".into(),
                contents: change_csv(&report),
            }],
            evidence: vec![evidence],
            methods: vec![(
                "Change since the last census".into(),
                format!(
                    "each group's share of residents at both censuses ({} and {}) and the change in percentage points; Census counts are counts of everyone, so no interval is shown. Harmonised: {}",
                    report.earlier,
                    report.later,
                    report.harmonisations.join("; ")
                ),
            )],
            inputs: sources,
            warnings: earlier
                .warnings
                .iter()
                .filter(|w| !w.contains("no Roma category"))
                .cloned()
                .collect(),
            ..Section::default()
        })
    }
}
