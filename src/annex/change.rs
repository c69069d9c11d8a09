//! Annex evidence for the change between two censuses.

use super::build::thousands;
use super::workforce::EvidenceItem;
use super::{DataTable, Evidence};
use crate::charts::{pct_text as pct, Axis, ChartSpec, DotRow, Panel};
use crate::classify::Level;
use crate::metrics::change::{ChangeReport, ChangeRow};
use crate::output::change_csv;

pub const CHANGE_KEY: &str = "census.change_since_2011";

fn points(pp: f64) -> String {
    format!("{} points", crate::metrics::change::signed_points(pp))
}

pub fn change_evidence(report: &ChangeReport, areas: &str) -> EvidenceItem {
    let finest = report.rows.last().map(|r| r.level).unwrap_or(Level::High);
    let rows: Vec<&ChangeRow> = report.rows.iter().filter(|r| r.level == finest).collect();
    let wb = rows
        .iter()
        .find(|r| r.group == crate::classify::EthnicGroup::WhiteBritish.label());
    let rise = rows
        .iter()
        .filter(|r| Some(*r) != wb)
        .max_by(|a, b| a.change_pp.total_cmp(&b.change_pp));
    let (a, b) = (report.earlier_year, report.later_year);
    let mut finding = format!(
        "Between Census {a} and Census {b}, {areas} went from {} to {} residents.",
        thousands(report.earlier_total),
        thousands(report.later_total)
    );
    if let Some(wb) = wb {
        finding.push_str(&format!(
            " The White British share went from {} to {} ({}).",
            pct(wb.earlier_share),
            pct(wb.later_share),
            points(wb.change_pp)
        ));
    }
    if let Some(r) = rise {
        finding.push_str(&format!(
            " The largest rise was in {}, from {} to {} ({}).",
            r.group,
            pct(r.earlier_share),
            pct(r.later_share),
            points(r.change_pp)
        ));
    }
    finding.push_str(&format!(
        " How the years are made comparable: {}.",
        report.harmonisations.join("; ")
    ));
    let chart = ChartSpec {
        title: format!("Residents by ethnic group, Census {a} and Census {b}"),
        subtitle: format!(
            "Share of residents ({}), {a} marked; {}",
            finest.describe(),
            report.later
        ),
        value_legend: format!("Census {b}"),
        reference_legend: Some(format!("Census {a}")),
        source: report.later.clone(),
        caption: String::new(),
        axis: Axis::Share,
        panels: vec![Panel {
            title: None,
            rows: rows
                .iter()
                .map(|r| DotRow {
                    label: r.group.clone(),
                    value: Some(r.later_share),
                    interval: None,
                    reference: Some(r.earlier_share),
                    note: None,
                })
                .collect(),
        }],
    };
    let alt = format!(
        "Chart of each ethnic group's share of residents at Census {a} and Census {b}. {}",
        rows.iter()
            .map(|r| format!(
                "{}: {} to {}",
                r.group,
                pct(r.earlier_share),
                pct(r.later_share)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let table_rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.level.name().to_string(),
                r.group.clone(),
                r.earlier_n.to_string(),
                pct(r.earlier_share),
                r.later_n.to_string(),
                pct(r.later_share),
                crate::metrics::change::signed_points(r.change_pp),
            ]
        })
        .collect();
    (
        Evidence {
            key: CHANGE_KEY.into(),
            title: format!("Change since Census {a}"),
            finding,
            figure: None,
            table: DataTable {
                caption: format!(
                    "Residents by ethnic group: {} and {}",
                    report.earlier, report.later
                ),
                header: vec![
                    "Level".into(),
                    "Group".into(),
                    format!("Residents {a}"),
                    format!("Share {a}"),
                    format!("Residents {b}"),
                    format!("Share {b}"),
                    "Change (pp)".into(),
                ],
                rows: table_rows,
            },
        },
        Some((chart, alt)),
        Some(change_csv(report)),
    )
}
