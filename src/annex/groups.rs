//! Annex evidence for the detailed groups: who the residents in each group are (the answers of
//! the detailed table), and the workforce against them.

use super::build::thousands;
use super::workforce::EvidenceItem;
use super::{DataTable, Evidence};
use crate::charts::{pct_text as pct, Axis, ChartSpec, DotRow, Panel};
use crate::metrics::groups::{GroupSpec, GroupsReport};
use crate::output::{count_cell, detailed_groups_csv, groups_csv};

pub const DETAILED_GROUPS_KEY: &str = "census.detailed_groups";
pub const GROUPS_KEY: &str = "workforce.representation.groups";

/// Residents in each group, answer by answer.
pub fn detailed_groups_evidence(
    comparator: &str,
    specs: &[GroupSpec],
    answers: &[Vec<u64>],
    total: u64,
) -> EvidenceItem {
    let sentences: Vec<String> = specs
        .iter()
        .zip(answers)
        .map(|(spec, counts)| {
            let sum: u64 = counts.iter().sum();
            let parts: Vec<String> = spec
                .census
                .iter()
                .zip(counts)
                .map(|(label, n)| format!("{} \"{label}\"", thousands(*n)))
                .collect();
            format!(
                "{} residents ({}) are {}: {}.",
                thousands(sum),
                pct(sum as f64 / total as f64),
                spec.name,
                parts.join(" and ")
            )
        })
        .collect();
    let finding = format!(
        "Of the {} residents ({comparator}), {}",
        thousands(total),
        sentences.join(" ")
    );
    let mut rows = Vec::new();
    for (spec, counts) in specs.iter().zip(answers) {
        for (label, n) in spec.census.iter().zip(counts) {
            rows.push(vec![
                spec.name.clone(),
                label.clone(),
                n.to_string(),
                pct(*n as f64 / total as f64),
            ]);
        }
        let sum: u64 = counts.iter().sum();
        rows.push(vec![
            spec.name.clone(),
            "Total".into(),
            sum.to_string(),
            pct(sum as f64 / total as f64),
        ]);
    }
    (
        Evidence {
            key: DETAILED_GROUPS_KEY.into(),
            title: "Detailed ethnic groups among residents".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: format!("Residents in each group by answer: {comparator}"),
                header: ["Group", "Census answer", "Residents", "Share"]
                    .map(String::from)
                    .to_vec(),
                rows,
            },
        },
        None,
        Some(detailed_groups_csv(comparator, specs, answers, total)),
    )
}

/// The workforce against residents, group by group.
pub fn groups_evidence(report: &GroupsReport) -> EvidenceItem {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let specs = &report.rows[..report.rows.len().saturating_sub(1)];
    let sentences: Vec<String> = specs
        .iter()
        .map(|r| match (r.workforce_share, r.workforce_ci_low, r.workforce_ci_high) {
            (Some(share), Some(lo), Some(hi)) => format!(
                "{} staff ({}) are {} of staff who stated an ethnicity ({conf} CI {} to {}) against {} of residents: {}.",
                r.group,
                r.labels.join(", "),
                pct(share),
                pct(lo),
                pct(hi),
                pct(r.population_share),
                r.assessment.map(|a| a.as_str()).unwrap_or("in line")
            ),
            _ => format!(
                "Figures for {} staff are withheld to protect individuals; they are {} of residents.",
                r.group,
                pct(r.population_share)
            ),
        })
        .collect();
    let finding = sentences.join(" ");
    let chart = ChartSpec {
        title: "Detailed ethnic groups in the workforce compared with residents".into(),
        subtitle: format!(
            "Share of the {} staff who stated an ethnicity, with {conf} confidence intervals; comparator: {}",
            count_cell(report.declared_n),
            report.comparator
        ),
        value_legend: format!("Workforce share ({conf} CI)"),
        reference_legend: Some(format!("Residents (Census {})", report.census_year)),
        // Not the run's comparator: the detailed table's residents of all ages.
        source: String::new(),
        residents: crate::charts::Residents::Other(report.comparator.clone()),
        caption: String::new(),
        axis: Axis::Share,
        panels: vec![Panel {
            title: None,
            rows: report
                .rows
                .iter()
                .map(|r| DotRow {
                    label: r.group.clone(),
                    value: r.workforce_share,
                    interval: r.workforce_ci_low.zip(r.workforce_ci_high),
                    reference: Some(r.population_share),
                    note: r.suppressed.map(|_| "suppressed".to_string()),
                })
                .collect(),
        }],
    };
    let alt = format!(
        "Chart of detailed ethnic groups in the workforce against residents ({}). {finding}",
        report.comparator
    );
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.group.clone(),
                r.labels.join(", "),
                count_cell(r.workforce_n),
                r.workforce_share.map(pct).unwrap_or_default(),
                r.workforce_ci_low
                    .zip(r.workforce_ci_high)
                    .map(|(lo, hi)| format!("{} to {}", pct(lo), pct(hi)))
                    .unwrap_or_default(),
                pct(r.population_share),
                r.gap_pp.map(|g| format!("{g:+.1}")).unwrap_or_default(),
                r.assessment
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    (
        Evidence {
            key: GROUPS_KEY.into(),
            title: "Workforce representation: detailed groups".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: format!("Workforce in detailed groups against {}", report.comparator),
                header: [
                    "Group",
                    "Workforce labels",
                    "Staff",
                    "Share of staff",
                    &format!("{conf} CI"),
                    "Share of residents",
                    "Gap (pp)",
                    "Assessment",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
        },
        Some((chart, alt)),
        Some(groups_csv(report)),
    )
}
