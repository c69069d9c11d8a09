//! Chart specifications built from the analysis results.

use super::{ChartSpec, DotRow, Panel};
use crate::classify::Level;
use crate::metrics::{RepresentationReport, RepresentationRow, RepresentationTable};
use crate::output::ProfileRow;

fn dot(level: Level, row: &RepresentationRow) -> DotRow {
    let bucket = level.bucket_of_label(&row.group).unwrap_or(0);
    DotRow {
        label: level.chart_label(bucket),
        value: row.workforce_share,
        interval: row.workforce_ci_low.zip(row.workforce_ci_high),
        reference: Some(row.population_share),
        note: row.suppressed.map(|_| "suppressed".to_string()),
    }
}

fn confidence(report: &RepresentationReport) -> String {
    format!("{:.0}%", report.confidence * 100.0)
}

/// Workforce share per group with its interval, and the population share as a marker.
pub fn representation_chart(
    report: &RepresentationReport,
    table: &RepresentationTable,
    source: &str,
    caption: &str,
) -> ChartSpec {
    let base = if table.breakdown == "all" {
        String::new()
    } else {
        format!(" in {}", table.breakdown.replacen('=', " ", 1))
    };
    ChartSpec {
        title: format!("Workforce compared with residents, by ethnic group ({})", table.level.describe()),
        subtitle: format!(
            "Share of the {} staff{base} who stated an ethnicity, with {} confidence intervals; comparator: {}",
            table
                .declared_n
                .map(|n| n.to_string())
                .unwrap_or_else(|| crate::disclosure::WITHHELD.to_string()),
            confidence(report),
            report.comparator
        ),
        value_legend: format!("Workforce share ({} CI)", confidence(report)),
        reference_legend: Some(format!(
            "{} (Census {})",
            crate::text::capitalise(&report.residents),
            report.census_year
        )),
        source: source.to_string(),
        residents: super::Residents::Comparator,
        caption: caption.to_string(),
        axis: super::Axis::Share,
        panels: vec![Panel { title: None, rows: table.rows.iter().map(|r| dot(table.level, r)).collect() }],
    }
}

/// Panels are narrow: high-level groups go by their short names.
fn panel_title(level: Level, group: &str) -> String {
    let bucket = level.bucket_of_label(group).unwrap_or(0);
    match level {
        Level::High => crate::classify::HighLevelGroup::ALL[bucket]
            .short_label()
            .to_string(),
        _ => level.chart_label(bucket),
    }
}

/// One panel per group, one row per breakdown value (e.g. grade), population share marked.
pub fn breakdown_chart(
    report: &RepresentationReport,
    column: &str,
    tables: &[&RepresentationTable],
    source: &str,
    caption: &str,
) -> ChartSpec {
    let level = tables.first().map(|t| t.level).unwrap_or(Level::High);
    let prefix = format!("{column}=");
    let value_label = |t: &RepresentationTable| {
        t.breakdown
            .strip_prefix(&prefix)
            .unwrap_or(&t.breakdown)
            .to_string()
    };
    let panels = (0..tables.first().map(|t| t.rows.len()).unwrap_or(0))
        .map(|i| Panel {
            title: tables.first().map(|t| panel_title(level, &t.rows[i].group)),
            rows: tables
                .iter()
                .map(|t| DotRow {
                    label: value_label(t),
                    ..dot(level, &t.rows[i])
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: format!("Ethnic groups in the workforce by {column} ({})", level.describe()),
        subtitle: format!(
            "Share of staff in each {column} who stated an ethnicity, {} confidence intervals; marker: residents, {}",
            confidence(report),
            report.comparator
        ),
        value_legend: format!("Share of staff in the {column} ({} CI)", confidence(report)),
        reference_legend: Some(format!(
            "{} (Census {})",
            crate::text::capitalise(&report.residents),
            report.census_year
        )),
        source: source.to_string(),
        residents: super::Residents::Comparator,
        caption: caption.to_string(),
        axis: super::Axis::Share,
        panels,
    }
}

/// The comparator population's share in each group.
pub fn profile_chart(
    comparator: &str,
    level: Level,
    rows: &[ProfileRow],
    source: &str,
    caption: &str,
) -> ChartSpec {
    ChartSpec {
        title: format!("Residents by ethnic group ({})", level.describe()),
        subtitle: format!("Share of {comparator}"),
        value_legend: "Share of residents".to_string(),
        reference_legend: None,
        source: source.to_string(),
        residents: super::Residents::Comparator,
        caption: caption.to_string(),
        axis: super::Axis::Share,
        panels: vec![Panel {
            title: None,
            rows: rows
                .iter()
                .filter(|r| r.level == level)
                .map(|r| DotRow {
                    label: level.chart_label(level.bucket_of_label(&r.group).unwrap_or(0)),
                    value: Some(r.population_share),
                    interval: None,
                    reference: None,
                    note: None,
                })
                .collect(),
        }],
    }
}

/// Relative likelihood of each outcome with its interval; the marker at 1 is equal likelihood.
pub fn likelihood_chart(
    likelihoods: &[crate::metrics::likelihood::Likelihood],
    confidence: f64,
) -> ChartSpec {
    let direction = likelihoods
        .first()
        .map(|l| l.direction.describe(&l.outcome, &l.people))
        .unwrap_or_default();
    ChartSpec {
        title: "Relative likelihood of an outcome, by ethnic group".to_string(),
        subtitle: format!(
            "{}; {:.0}% Katz intervals",
            crate::text::capitalise(&direction),
            confidence * 100.0
        ),
        value_legend: format!("Relative likelihood ({:.0}% CI)", confidence * 100.0),
        reference_legend: Some("Equal likelihood (1)".to_string()),
        source: String::new(),
        residents: super::Residents::NotCompared,
        caption: String::new(),
        axis: super::Axis::Ratio,
        panels: vec![Panel {
            title: None,
            rows: likelihoods
                .iter()
                .flat_map(|l| std::iter::once(l).chain(&l.by_group))
                .map(|l| DotRow {
                    label: if likelihoods.len() > 1 {
                        format!("{}: {}", l.outcome, short_ratio_label(l))
                    } else {
                        short_ratio_label(l)
                    },
                    value: l.relative_likelihood,
                    interval: l.ci_low.zip(l.ci_high),
                    reference: Some(1.0),
                    note: if l.suppressed.is_some() {
                        Some("suppressed".to_string())
                    } else if l.relative_likelihood.is_none() {
                        Some("not defined".to_string())
                    } else {
                        None
                    },
                })
                .collect(),
        }],
    }
}

/// "White ÷ ethnic minorities", "Asian ÷ White British": the ratio a chart row shows.
fn short_ratio_label(l: &crate::metrics::likelihood::Likelihood) -> String {
    let short = |group: &str| {
        crate::classify::HighLevelGroup::ALL
            .iter()
            .find(|h| h.label() == group)
            .map(|h| h.short_label().to_string())
            .unwrap_or_else(|| group.replace(" (excluding White minorities)", ""))
            .replace("Ethnic minorities", "ethnic minorities")
    };
    let (white, other) = (short(&l.white.group), short(&l.minority.group));
    match l.direction {
        crate::metrics::likelihood::Direction::WhiteOverMinority => format!("{white} ÷ {other}"),
        crate::metrics::likelihood::Direction::MinorityOverWhite => {
            crate::text::capitalise(&format!("{other} ÷ {white}"))
        }
    }
}
