//! The detailed groups in CSV: residents by group, and the workforce against them.

use super::{count_cell, csv_line, figure_cell, fixed, p_value};
use crate::metrics::groups::{GroupSpec, GroupsReport};

/// Each group's residents, answer by answer of the detailed table, then its total.
pub fn detailed_groups_csv(
    comparator: &str,
    specs: &[GroupSpec],
    answers: &[Vec<u64>],
    total: u64,
) -> String {
    let mut out = csv_line(&[
        "comparator",
        "group",
        "census_label",
        "population_n",
        "population_share",
    ]);
    for (spec, counts) in specs.iter().zip(answers) {
        for (label, n) in spec.census.iter().zip(counts) {
            out.push_str(&csv_line(&[
                comparator.to_string(),
                spec.name.clone(),
                label.clone(),
                n.to_string(),
                fixed(Some(*n as f64 / total as f64), 6),
            ]));
        }
        let sum: u64 = counts.iter().sum();
        out.push_str(&csv_line(&[
            comparator.to_string(),
            spec.name.clone(),
            "Total".to_string(),
            sum.to_string(),
            fixed(Some(sum as f64 / total as f64), 6),
        ]));
    }
    out
}

pub const GROUPS_COLUMNS: [&str; 13] = [
    "group",
    "workforce_labels",
    "workforce_n",
    "workforce_share",
    "workforce_ci_low",
    "workforce_ci_high",
    "population_n",
    "population_share",
    "gap_pp",
    "ratio",
    "p_value",
    "assessment",
    "suppressed",
];

pub fn groups_csv(report: &GroupsReport) -> String {
    let mut out = csv_line(&GROUPS_COLUMNS);
    for r in &report.rows {
        let withheld = r.suppressed.is_some() || report.declared_n.is_none();
        let f = |text: String| figure_cell(text, withheld);
        out.push_str(&csv_line(&[
            r.group.clone(),
            r.labels.join("; "),
            count_cell(r.workforce_n),
            f(fixed(r.workforce_share, 6)),
            f(fixed(r.workforce_ci_low, 6)),
            f(fixed(r.workforce_ci_high, 6)),
            r.population_n.to_string(),
            fixed(Some(r.population_share), 6),
            f(fixed(r.gap_pp, 4)),
            f(fixed(r.ratio, 4)),
            f(p_value(r.p_value)),
            f(r.assessment
                .map(|a| a.as_str().to_string())
                .unwrap_or_default()),
            r.suppressed
                .map(|s| s.marker().to_string())
                .unwrap_or_default(),
        ]));
    }
    out
}
