//! Workforce representation against the comparator: each group's share of staff who stated an
//! ethnicity, at every level asked for, overall and within each breakdown, with the
//! declaration rate (see [`mod@crate::metrics::representation`] for the statistics).

use super::{Analysis, ExtractInput, Inputs, OutputFile, PlanContext, Section, Settings};
use crate::annex::build::{level_key, representation_keys};
use crate::annex::{by_key, headline_level};
use crate::charts;
use crate::classify::Level;
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::RepresentationReport;
use crate::output::{representation_csv, representation_table, to_json};

#[derive(Debug)]
pub struct Representation {
    workforce: ExtractInput,
    levels: Vec<Level>,
    by: Vec<String>,
}

/// Representation always runs; its settings are the run-wide `[representation]` section.
pub fn build(
    _section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    Ok(Some(Box::new(Representation {
        workforce: plan.workforce.clone(),
        levels: plan.settings.levels.clone(),
        by: plan.settings.by.clone(),
    })))
}

impl Analysis for Representation {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(
            self.workforce.clone(),
            self.by
                .iter()
                .map(|c| ColumnNeed::new(c, ColumnKind::Text, "breakdown"))
                .collect(),
        )]
    }

    fn metric_keys(&self) -> Vec<String> {
        representation_keys(&self.levels, &self.by)
    }

    fn run(
        &self,
        inputs: &Inputs,
        settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let workforce = inputs.extract(&self.workforce);
        let report = crate::metrics::representation(
            workforce,
            &inputs.population,
            &crate::metrics::RepresentationOptions {
                levels: self.levels.clone(),
                breakdowns: self.by.clone(),
                confidence: settings.confidence,
                min_cell: settings.min_cell,
                orders: settings.orders.clone(),
            },
            disclosure,
        )?;
        let evidence = crate::annex::representation_evidence(&report, &self.levels, &self.by)
            .into_iter()
            .map(|(e, chart)| {
                let data = chart
                    .as_ref()
                    .map(|_| chart_data(&e.key, &report, &self.levels, &self.by));
                (e, chart, data)
            })
            .collect();
        let overall = RepresentationReport {
            tables: report
                .tables
                .iter()
                .filter(|t| t.breakdown == "all")
                .cloned()
                .collect(),
            ..report.clone()
        };
        Ok(Section {
            files: vec![
                OutputFile {
                    name: "representation.csv".into(),
                    contents: representation_csv(&report),
                },
                OutputFile {
                    name: "representation.json".into(),
                    contents: to_json(&report),
                },
            ],
            evidence,
            methods: methods(&report),
            data_quality: data_quality(&report, &self.levels),
            summary: Some(representation_table(&overall)),
            ..Section::default()
        })
    }
}

/// The figures a chart draws, in the documented CSV layout of their table.
fn chart_data(key: &str, report: &RepresentationReport, levels: &[Level], by: &[String]) -> String {
    let headline = headline_level(levels);
    let keep = |t: &crate::metrics::RepresentationTable| {
        if let Some(column) = by.iter().find(|c| by_key(c) == key) {
            t.level == headline && t.breakdown.starts_with(&format!("{column}="))
        } else {
            t.breakdown == "all" && level_key(t.level, headline) == key
        }
    };
    let subset = RepresentationReport {
        tables: report.tables.iter().filter(|t| keep(t)).cloned().collect(),
        ..report.clone()
    };
    representation_csv(&subset)
}

fn methods(report: &RepresentationReport) -> Vec<(String, String)> {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    vec![
        ("Comparator".into(), format!("{} (total {}); the Census count is treated as fixed", report.comparator, report.population_total)),
        ("Declaration rule".into(), report.denominator_rule.to_string()),
        ("Intervals".into(), format!("{conf} Wilson score intervals for shares; ratio intervals are the Wilson interval divided by the population share")),
        ("Assessment".into(), "under-represented when the whole interval lies below the population share, over-represented when it lies above, otherwise in line".into()),
        ("Tests".into(), "exact two-sided binomial test of each group's share against its population share (as R's binom.test); chi-square goodness-of-fit test per table, with withheld groups pooled into one category".into()),
        ("Classification".into(), "Census 2021 ethnic group classification (19 categories, 5 high-level groups), in ONS order; ethnic minorities include White minorities unless stated".into()),
    ]
}

fn data_quality(report: &RepresentationReport, levels: &[Level]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for level in levels {
        if let Some(t) = report
            .tables
            .iter()
            .find(|t| t.breakdown == "all" && t.level == *level)
        {
            let count = |n: Option<u64>| {
                n.map(|n| n.to_string())
                    .unwrap_or_else(|| "withheld to protect individuals".to_string())
            };
            if *level == levels[0] {
                out.push(("Headcount".into(), count(t.headcount)));
                out.push((
                    "Ethnicity not stated".into(),
                    format!(
                        "{} ({})",
                        count(t.not_stated_n),
                        t.declaration_rate
                            .map(|r| format!("declaration rate {}", charts::pct_text(r)))
                            .unwrap_or_default()
                    ),
                ));
            }
            out.push((
                format!("Stated but not placeable at the {} level", level.name()),
                format!("{} (e.g. a label naming only a high-level group, or an aggregate such as BME); excluded from that level's shares", count(t.unplaced_n)),
            ));
        }
    }
    out.push((
        "Excluded rows".into(),
        "none: rows with unmapped labels, empty or duplicated ids stop the run with an error"
            .into(),
    ));
    for note in &report.notes {
        out.push(("Note".into(), note.clone()));
    }
    out
}
