//! The representation table in CSV and text.

use super::{count_cell, csv_line, figure_cell, fixed, p_value, text_table};
use crate::disclosure::WITHHELD;
use crate::metrics::RepresentationReport;

/// The CSV contract (docs/FORMATS.md): exactly these columns, in this order.
pub const REPRESENTATION_COLUMNS: [&str; 16] = [
    "breakdown",
    "level",
    "group",
    "workforce_n",
    "workforce_share",
    "workforce_ci_low",
    "workforce_ci_high",
    "population_n",
    "population_share",
    "gap_pp",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "p_value",
    "assessment",
    "suppressed",
];

pub fn representation_csv(report: &RepresentationReport) -> String {
    let mut out = csv_line(&REPRESENTATION_COLUMNS);
    for table in &report.tables {
        for r in &table.rows {
            let withheld = r.suppressed.is_some() || table.declared_n.is_none();
            let f = |text: String| figure_cell(text, withheld);
            out.push_str(&csv_line(&[
                r.breakdown.clone(),
                r.level.name().to_string(),
                r.group.clone(),
                count_cell(r.workforce_n),
                f(fixed(r.workforce_share, 6)),
                f(fixed(r.workforce_ci_low, 6)),
                f(fixed(r.workforce_ci_high, 6)),
                r.population_n.to_string(),
                fixed(Some(r.population_share), 6),
                f(fixed(r.gap_pp, 4)),
                f(fixed(r.ratio, 4)),
                f(fixed(r.ratio_ci_low, 4)),
                f(fixed(r.ratio_ci_high, 4)),
                f(p_value(r.p_value)),
                f(r.assessment
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default()),
                r.suppressed
                    .map(|s| s.marker().to_string())
                    .unwrap_or_default(),
            ]));
        }
    }
    out
}

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_default()
}

pub fn representation_table(report: &RepresentationReport) -> String {
    let confidence = format!("{:.0}%", report.confidence * 100.0);
    let mut out = format!(
        "Representation by ethnic group: workforce ({}) against {}\n",
        report.workforce_file, report.comparator
    );
    out.push_str(&format!(
        "Shares exclude staff with no stated ethnicity; {confidence} Wilson intervals; [c] marks a figure withheld to protect individuals (counts below {}, and others that would reveal them).\n",
        report.min_cell
    ));
    for table in &report.tables {
        let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| WITHHELD.into());
        out.push_str(&format!(
            "\n[{} · {}] {} staff, {} placed in a group, {} not stated (declaration rate {})",
            table.breakdown,
            table.level,
            count(table.headcount),
            count(table.declared_n),
            count(table.not_stated_n),
            table
                .declaration_rate
                .map(|r| percent(Some(r)))
                .unwrap_or_else(|| WITHHELD.into())
        ));
        if let Some(chi) = &table.chi_square {
            out.push_str(&format!(
                "; chi-square {:.2} on {} df, p = {}",
                chi.statistic,
                chi.df,
                p_value(Some(chi.p_value))
            ));
        }
        out.push('\n');
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|r| {
                let suppressed = r.suppressed.is_some();
                vec![
                    r.group.clone(),
                    if suppressed {
                        WITHHELD.to_string()
                    } else {
                        r.workforce_n.map(|n| n.to_string()).unwrap_or_default()
                    },
                    percent(r.workforce_share),
                    match (r.workforce_ci_low, r.workforce_ci_high) {
                        (Some(l), Some(h)) => format!("{:.1}–{:.1}%", l * 100.0, h * 100.0),
                        _ => String::new(),
                    },
                    percent(Some(r.population_share)),
                    r.gap_pp.map(|g| format!("{g:+.1}")).unwrap_or_default(),
                    fixed(r.ratio, 2),
                    r.assessment
                        .map(|a| a.as_str().to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let ci_header = format!("{confidence} CI");
        out.push_str(&text_table(
            &[
                "group",
                "staff",
                "share",
                &ci_header,
                "residents",
                "gap pp",
                "ratio",
                "assessment",
            ],
            &[false, true, true, true, true, true, true, false],
            &rows,
        ));
        for note in &table.notes {
            out.push_str(&format!("note: {note}\n"));
        }
    }
    if !report.notes.is_empty() {
        out.push('\n');
        for note in &report.notes {
            out.push_str(&format!("note: {note}\n"));
        }
    }
    out
}
