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
        source: String::new(),
        residents: crate::charts::Residents::Other(format!(
            "{} and {}",
            report.earlier, report.later
        )),
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

pub const AREAS_KEY: &str = "census.area_profiles";

/// Where communities live: each area's share of residents in each group.
pub fn areas_evidence(profiles: &crate::metrics::areas::AreaProfiles) -> EvidenceItem {
    let groups = &profiles.groups;
    let k = groups.len();
    let share = |area: usize, g: usize| profiles.rows[area * k + g].population_share;
    let n_areas = profiles.totals.len();
    // Every group but the largest (White, or White British) gets a sentence.
    let largest = (0..k)
        .filter(|&g| g < profiles.level.group_count())
        .max_by(|&a, &b| profiles.overall[a].total_cmp(&profiles.overall[b]));
    let sentences: Vec<String> = (0..k)
        .filter(|&g| Some(g) != largest)
        .filter_map(|g| {
            let lo = (0..n_areas).min_by(|&a, &b| share(a, g).total_cmp(&share(b, g)))?;
            let hi = (0..n_areas).max_by(|&a, &b| share(a, g).total_cmp(&share(b, g)))?;
            Some(format!(
                "{}: {} of all residents, from {} in {} to {} in {}.",
                groups[g],
                pct(profiles.overall[g]),
                pct(share(lo, g)),
                profiles.totals[lo].1,
                pct(share(hi, g)),
                profiles.totals[hi].1
            ))
        })
        .collect();
    let finding = format!(
        "Across the {n_areas} areas ({}), the groups' shares of each area's residents: {}",
        profiles.comparator,
        sentences.join(" ")
    );
    let short = |group: &str| {
        let level = profiles.level;
        match level.bucket_of_label(group) {
            Some(b) if level == Level::High => crate::classify::HighLevelGroup::ALL[b]
                .short_label()
                .to_string(),
            Some(b) => level.chart_label(b),
            None => group.to_string(),
        }
    };
    let chart = ChartSpec {
        title: "Where communities live: each area's residents by ethnic group".into(),
        subtitle: format!(
            "Share of each area's residents; marker: all {n_areas} areas together; {}",
            profiles.comparator
        ),
        value_legend: "Share of the area's residents".into(),
        reference_legend: Some(format!("All {n_areas} areas")),
        source: String::new(),
        residents: crate::charts::Residents::Other(profiles.comparator.clone()),
        caption: String::new(),
        axis: Axis::Share,
        panels: (0..k)
            .map(|g| Panel {
                title: Some(short(&groups[g])),
                rows: (0..n_areas)
                    .map(|a| DotRow {
                        label: profiles.totals[a].1.clone(),
                        value: Some(share(a, g)),
                        interval: None,
                        reference: Some(profiles.overall[g]),
                        note: None,
                    })
                    .collect(),
            })
            .collect(),
    };
    let alt = format!("Chart of each area's residents by ethnic group. {finding}");
    let mut header = vec!["Area".to_string(), "Residents".to_string()];
    header.extend(groups.iter().cloned());
    let rows = (0..n_areas)
        .map(|a| {
            let (code, name, total) = &profiles.totals[a];
            let mut row = vec![format!("{name} ({code})"), total.to_string()];
            row.extend((0..k).map(|g| pct(share(a, g))));
            row
        })
        .collect();
    (
        Evidence {
            key: AREAS_KEY.into(),
            title: "Where communities live".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: format!(
                    "Share of each area's residents by ethnic group ({}): {}",
                    profiles.level.describe(),
                    profiles.comparator
                ),
                header,
                rows,
            },
        },
        Some((chart, alt)),
        Some(crate::output::areas_csv(profiles)),
    )
}
