//! Annex evidence for the workforce deep-dive: the seniority ladder, the ethnicity pay gap and
//! pay quarters, recruitment, and trends across snapshots. Each item is the evidence (finding and
//! table), its chart with alt text, and the chart's data as CSV.

use super::build::likelihood_evidence;
use super::{DataTable, Evidence};
use crate::charts::{self, pct_text as pct, Axis, ChartSpec, DotRow, Panel};
use crate::metrics::likelihood::Likelihood;
use crate::metrics::paygap::PayGapReport;
use crate::metrics::recruitment::RecruitmentReport;
use crate::metrics::seniority::SeniorityReport;
use crate::metrics::trends::TrendReport;
use crate::output::{
    count_cell, likelihood_csv, pay_gap_csv, pay_quarters_csv, seniority_csv, trends_csv,
};
use crate::text::capitalise;

pub const PAY_GAP_KEY: &str = "workforce.pay_gap";
pub const PAY_QUARTERS_KEY: &str = "workforce.pay_quarters";
pub const TRENDS_KEY: &str = "workforce.trends";
pub const SHORTLISTING_KEY: &str = "recruitment.shortlisting";
pub const APPOINTMENT_KEY: &str = "recruitment.appointment";

pub fn seniority_key(column: &str) -> String {
    format!("workforce.seniority.by_{}", super::build::slug(column))
}

/// Evidence, its chart with alt text, and the chart's data as CSV.
pub type EvidenceItem = (Evidence, Option<(ChartSpec, String)>, Option<String>);

fn spec(title: String, subtitle: String, value_legend: String, axis: Axis) -> ChartSpec {
    ChartSpec {
        title,
        subtitle,
        value_legend,
        reference_legend: None,
        source: String::new(),
        residents: crate::charts::Residents::NotCompared,
        caption: String::new(),
        panels: Vec::new(),
        axis,
    }
}

/// How a sentence names a comparison group's staff.
fn group_people(group: &str) -> String {
    match crate::classify::COMPARISON_GROUPS
        .iter()
        .position(|g| *g == group)
    {
        Some(0) => "White British staff".into(),
        Some(1) => "staff from the White minorities".into(),
        Some(2) => "Asian staff".into(),
        Some(3) => "Black staff".into(),
        Some(4) => "staff from Mixed or Multiple ethnic groups".into(),
        Some(5) => "staff from the Other ethnic group".into(),
        _ => format!("{group} staff"),
    }
}

/// A signed change in percentage points; near zero, two decimals so "-0.0" never appears.
fn signed_pp(v: f64) -> String {
    if v.abs() < 0.05 {
        format!("{v:+.2}")
    } else {
        format!("{v:+.1}")
    }
}

/// A short panel title: side by side, the full Census labels would collide.
fn panel_title(group: &str) -> String {
    crate::classify::HighLevelGroup::ALL
        .iter()
        .find(|h| h.label() == group)
        .map(|h| h.short_label().to_string())
        .unwrap_or_else(|| {
            group
                .replace("(excluding White minorities)", "(excl. White minorities)")
                .replace(" (ethnicity stated)", "")
        })
}

fn or_suppressed(x: Option<f64>) -> String {
    x.map(pct)
        .unwrap_or_else(|| crate::disclosure::WITHHELD.into())
}

pub fn seniority_evidence(report: &SeniorityReport) -> EvidenceItem {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let minority = &report.series[0];
    let shown: Vec<_> = minority
        .points
        .iter()
        .filter(|p| p.share.is_some())
        .collect();
    let mut finding = match (shown.first(), shown.last()) {
        (Some(lo), Some(hi)) if shown.len() > 1 => format!(
            "Ethnic minority staff (excluding White minorities) are {} of staff at {} and {} at {} (residents: {}).",
            pct(lo.share.unwrap_or_default()),
            lo.label,
            pct(hi.share.unwrap_or_default()),
            hi.label,
            pct(minority.population_share)
        ),
        _ => "Too few grades can be shown without identifying people to describe the ladder.".to_string(),
    };
    if let Some(t) = minority.trend {
        let direction = if t.z < 0.0 { "falls" } else { "rises" };
        finding.push_str(&format!(
            " Cochran–Armitage test for a trend across the {} grades: Z = {:.2}, p = {}; {}",
            report.grades.len(),
            t.z,
            crate::output::p_value(Some(t.p_value)),
            if t.p_value < 0.05 {
                format!("the share {direction} with seniority beyond what chance would explain.")
            } else {
                "no clear trend with seniority.".to_string()
            }
        ));
    }
    let mut chart = spec(
        format!("Ethnic group of staff by {}, lowest first", report.column),
        format!(
            "Share of staff at each {} who stated an ethnicity, {conf} confidence intervals; comparator: {}",
            report.column, report.comparator
        ),
        format!("Share of staff ({conf} CI)"),
        Axis::Share,
    );
    chart.reference_legend = Some("Share of residents".into());
    chart.residents = crate::charts::Residents::Comparator;
    // Short panel titles, and no White panel: side by side, long titles would collide, and
    // the White share is the complement of the first panel (it stays in the table).
    chart.panels = report
        .series
        .iter()
        .filter(|s| s.group != crate::classify::HighLevelGroup::White.label())
        .map(|s| Panel {
            title: Some(panel_title(&s.group)),
            rows: s
                .points
                .iter()
                .map(|p| DotRow {
                    label: p.label.clone(),
                    value: p.share,
                    interval: p.ci_low.zip(p.ci_high),
                    reference: Some(s.population_share),
                    note: p.suppressed.map(|_| crate::disclosure::WITHHELD.into()),
                })
                .collect(),
        })
        .collect();
    let alt = format!(
        "Ladder chart of each ethnic group's share of staff at each {}, lowest first, against its share of residents. {}",
        report.column,
        minority
            .points
            .iter()
            .map(|p| format!("{}: {}", p.label, or_suppressed(p.share)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut header = vec!["Group".to_string()];
    header.extend(report.grades.iter().cloned());
    header.push("Residents".into());
    header.push("Trend p".into());
    let rows = report
        .series
        .iter()
        .map(|s| {
            let mut row = vec![s.group.clone()];
            row.extend(s.points.iter().map(|p| match (p.share, p.count) {
                (Some(share), Some(c)) => {
                    format!("{} ({c} of {})", pct(share), p.n.unwrap_or_default())
                }
                _ if p.n == Some(0) => "no staff".into(),
                _ => crate::disclosure::WITHHELD.into(),
            }));
            row.push(pct(s.population_share));
            row.push(crate::output::p_value(s.trend.map(|t| t.p_value)));
            row
        })
        .collect();
    (
        Evidence {
            key: seniority_key(&report.column),
            title: format!("Seniority: ethnic groups by {}", report.column),
            finding,
            figure: None,
            table: DataTable {
                caption: format!(
                    "Share of staff at each {} (count of declared staff at that level)",
                    report.column
                ),
                header,
                rows,
            },
        },
        Some((chart, alt)),
        Some(seniority_csv(report)),
    )
}

pub fn pay_gap_evidence(report: &PayGapReport) -> EvidenceItem {
    let reference = report.reference.clone().unwrap_or_else(|| "none".into());
    let gap_text = |g: f64| {
        if g >= 0.0 {
            format!("{g:.1}% less")
        } else {
            format!("{:.1}% more", -g)
        }
    };
    let mut finding = String::new();
    let agg = &report.aggregate;
    if let (Some(mean), Some(median)) = (agg.mean_gap_pct, agg.median_gap_pct) {
        finding.push_str(&format!(
            "Staff from all other ethnic groups combined are paid {} per hour than White British staff on average (mean), and {} at the median.",
            gap_text(mean),
            gap_text(median)
        ));
    }
    let largest = report
        .rows
        .iter()
        .filter_map(|r| r.median_gap_pct.map(|g| (r, g)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((r, g)) = largest {
        finding.push_str(&format!(
            " The largest median gap against {reference} is for {}: {}.",
            group_people(&r.group),
            gap_text(g)
        ));
    }
    let withheld: Vec<&str> = report
        .rows
        .iter()
        .filter(|r| r.mean_gap_pct.is_none())
        .map(|r| r.group.as_str())
        .collect();
    if !withheld.is_empty() {
        finding.push_str(&format!(
            " No figures for {} (fewer than {} full-pay relevant employees).",
            withheld.join("; "),
            report.min_group_size
        ));
    }
    finding.push_str(&format!(
        " Ethnicity is not known for {} of {} full-pay relevant employees.",
        report
            .unknown_ethnicity_share
            .map(pct)
            .unwrap_or_else(|| "a few".to_string()),
        count_cell(report.full_pay_relevant_n)
    ));
    for note in &report.notes {
        finding.push(' ');
        finding.push_str(note);
    }
    let mut chart = spec(
        format!("Hourly pay of each ethnic group relative to {reference} staff"),
        format!(
            "Full-pay relevant employees; 1 = the {reference} figure; below 1 = paid less (gap = 1 − ratio); groups under {} not shown",
            report.min_group_size
        ),
        "Pay ÷ reference group pay".into(),
        Axis::Ratio,
    );
    chart.reference_legend = Some(format!("{reference} (1)"));
    let ratio = |gap: Option<f64>| gap.map(|g| 1.0 - g / 100.0);
    let panel = |title: &str, pick: fn(&crate::metrics::paygap::PayGapRow) -> Option<f64>| Panel {
        title: Some(title.to_string()),
        rows: report
            .rows
            .iter()
            .chain(std::iter::once(&report.aggregate))
            .map(|r| DotRow {
                label: r.group.clone(),
                value: ratio(pick(r)),
                interval: None,
                reference: Some(1.0),
                note: pick(r).is_none().then(|| "not reported".to_string()),
            })
            .collect(),
    };
    chart.panels = vec![
        panel("Mean hourly pay", |r| r.mean_gap_pct),
        panel("Median hourly pay", |r| r.median_gap_pct),
    ];
    let alt = format!(
        "Chart of mean and median hourly pay of each ethnic group relative to {reference} staff. {}",
        report
            .rows
            .iter()
            .chain(std::iter::once(&report.aggregate))
            .map(|r| match (r.mean_gap_pct, r.median_gap_pct) {
                (Some(a), Some(b)) => format!("{}: mean gap {a:.1}%, median gap {b:.1}%", r.group),
                _ => format!("{}: not reported", r.group),
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    let money = |x: Option<f64>| x.map(|v| format!("£{v:.2}")).unwrap_or_default();
    let gap = |x: Option<f64>| x.map(|v| format!("{v:.1}%")).unwrap_or_default();
    let mut rows = vec![vec![
        format!("{reference} (reference)"),
        count_cell(report.reference_n),
        money(report.reference_mean_hourly),
        money(report.reference_median_hourly),
        String::new(),
        String::new(),
        report
            .reference_bonus_proportion
            .map(pct)
            .unwrap_or_default(),
        String::new(),
    ]];
    rows.extend(
        report
            .rows
            .iter()
            .chain(std::iter::once(&report.aggregate))
            .map(|r| {
                vec![
                    r.group.clone(),
                    r.n.map(|n| n.to_string())
                        .unwrap_or_else(|| crate::disclosure::WITHHELD.into()),
                    money(r.mean_hourly),
                    money(r.median_hourly),
                    gap(r.mean_gap_pct),
                    gap(r.median_gap_pct),
                    r.bonus_proportion.map(pct).unwrap_or_default(),
                    r.note.clone().unwrap_or_default(),
                ]
            }),
    );
    (
        Evidence {
            key: PAY_GAP_KEY.into(),
            title: "Ethnicity pay gap".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: format!(
                    "Hourly pay of full-pay relevant employees; gap = (reference − group) ÷ reference; the last row compares all other groups with White British ({} not full-pay relevant left out)",
                    count_cell(report.not_full_pay_relevant_n)
                ),
                header: [
                    "Group",
                    "Employees",
                    "Mean hourly pay",
                    "Median hourly pay",
                    "Mean gap",
                    "Median gap",
                    "Received a bonus",
                    "Note",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
        },
        Some((chart, alt)),
        Some(pay_gap_csv(report)),
    )
}

pub fn pay_quarters_evidence(report: &PayGapReport) -> EvidenceItem {
    let total = report
        .full_pay_relevant_n
        .map(|n| n as f64)
        .unwrap_or(f64::NAN);
    let overall: Vec<f64> = (0..report.quarters.first().map(|q| q.shares.len()).unwrap_or(0))
        .map(|g| {
            report
                .quarters
                .iter()
                .map(|q| q.shares[g].count.unwrap_or(f64::NAN))
                .sum::<f64>()
                / total
        })
        .collect();
    let lower = &report.quarters[0];
    let upper = &report.quarters[3];
    let wb = |q: &crate::metrics::paygap::PayQuarter| q.shares[0].share;
    let finding = match (wb(lower), wb(upper)) {
        (Some(l), Some(u)) => format!(
            "White British employees are {} of the lower pay quarter and {} of the upper pay quarter; every other group's share of each quarter is in the table.",
            pct(l),
            pct(u)
        ),
        _ => "Quarter shares are suppressed where they would identify people; see the table.".into(),
    };
    let mut chart = spec(
        "Ethnic group of full-pay relevant employees in each pay quarter".into(),
        "Employees ranked by hourly pay and cut into four equal quarters; tied pay at a boundary split in proportion".into(),
        "Share of the quarter".into(),
        Axis::Share,
    );
    chart.reference_legend = Some("Share of all full-pay relevant employees".into());
    chart.panels = report
        .quarters
        .iter()
        .map(|q| Panel {
            title: Some(format!(
                "{} quarter ({} employees)",
                q.quarter,
                count_cell(q.size)
            )),
            rows: q
                .shares
                .iter()
                .enumerate()
                .map(|(g, s)| DotRow {
                    label: s.group.clone(),
                    value: s.share,
                    interval: None,
                    reference: overall.get(g).copied().filter(|v| v.is_finite()),
                    note: s.suppressed.map(|_| crate::disclosure::WITHHELD.into()),
                })
                .collect(),
        })
        .collect();
    let alt = format!(
        "Chart of each ethnic group's share of the four pay quarters. {}",
        report
            .quarters
            .iter()
            .map(|q| format!(
                "{} quarter: White British {}",
                q.quarter,
                or_suppressed(q.shares[0].share)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut header = vec!["Group".to_string()];
    header.extend(
        report
            .quarters
            .iter()
            .map(|q| format!("{} quarter", q.quarter)),
    );
    let groups = report.quarters[0].shares.len();
    let rows = (0..groups)
        .map(|g| {
            let mut row = vec![report.quarters[0].shares[g].group.clone()];
            row.extend(
                report
                    .quarters
                    .iter()
                    .map(|q| or_suppressed(q.shares[g].share)),
            );
            row
        })
        .collect();
    (
        Evidence {
            key: PAY_QUARTERS_KEY.into(),
            title: "Pay quarters by ethnic group".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: "Each group's share of each pay quarter".into(),
                header,
                rows,
            },
        },
        Some((chart, alt)),
        Some(pay_quarters_csv(report)),
    )
}

/// A relative likelihood's evidence, its chart and the chart's data: the one place either is
/// built. `subject` names the outcome in the chart's alt text ("being shortlisted", "'left'").
pub fn likelihood_item(l: &Likelihood, subject: &str, confidence: f64) -> EvidenceItem {
    let item = likelihood_evidence(l, confidence);
    let alt = format!(
        "Chart of the relative likelihood of {subject} with its interval. {}",
        item.finding
    );
    (
        item,
        Some((
            charts::likelihood_chart(std::slice::from_ref(l), confidence),
            alt,
        )),
        Some(likelihood_csv(std::slice::from_ref(l))),
    )
}

pub fn recruitment_evidence(report: &RecruitmentReport, confidence: f64) -> Vec<EvidenceItem> {
    let mut items: Vec<EvidenceItem> = [
        (&report.shortlisting, SHORTLISTING_KEY),
        (&report.appointment, APPOINTMENT_KEY),
    ]
    .into_iter()
    .map(|(l, key)| {
        let mut item = likelihood_item(l, &format!("being {}", l.outcome), confidence);
        item.0.key = key.to_string();
        item.0.title = format!("Recruitment: {}", l.outcome);
        item
    })
    .collect();
    let context = format!(
        " {} applicants, {} shortlisted, {} appointed.",
        count_cell(report.applicants),
        count_cell(report.shortlisted),
        count_cell(report.appointed)
    );
    for (item, _, _) in &mut items {
        item.finding.push_str(&context);
    }
    items
}

pub fn trends_evidence(report: &TrendReport) -> EvidenceItem {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let (first, last) = (
        report.dates.first().cloned().unwrap_or_default(),
        report.dates.last().cloned().unwrap_or_default(),
    );
    let minority = &report.series[1];
    let declaration = &report.series[0];
    let describe = |s: &crate::metrics::trends::TrendSeries, what: &str| {
        let change = s.changes.last();
        match (
            s.points.first().and_then(|p| p.share),
            s.points.last().and_then(|p| p.share),
            change.and_then(|c| c.ci_low_pp.zip(c.ci_high_pp)),
        ) {
            (Some(a), Some(b), Some((lo, hi))) => format!(
                "{} {} on {first} and {} on {last}; the latest change is {} percentage points ({conf} CI {} to {}){}.",
                capitalise(what),
                pct(a),
                pct(b),
                signed_pp(change.and_then(|c| c.change_pp).unwrap_or_default()),
                signed_pp(lo),
                signed_pp(hi),
                if lo > 0.0 || hi < 0.0 { "" } else { ", which may be chance" }
            ),
            _ => format!("{} cannot be compared without identifying people.", capitalise(what)),
        }
    };
    let finding = format!(
        "{} {}",
        describe(
            minority,
            "ethnic minority staff (excluding White minorities) were"
        ),
        describe(declaration, "the declaration rate was")
    );
    let mut chart = spec(
        "Ethnic minority staff over time".into(),
        format!(
            "Share of staff who stated an ethnicity at each snapshot ({}), {conf} confidence intervals as vertical bars",
            report
                .dates
                .iter()
                .zip(&report.headcounts)
                .map(|(d, n)| format!("{d}: {} staff", count_cell(*n)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("Share of staff who stated an ethnicity ({conf} CI)"),
        Axis::Trend,
    );
    // Lines for the minority groups; the declaration rate and the White share (near 90% and
    // 80%) would squash them, and are in the finding and the table.
    chart.panels = report
        .series
        .iter()
        .skip(1)
        .filter(|s| s.group != crate::classify::HighLevelGroup::White.label())
        .map(|s| Panel {
            title: Some(panel_title(&s.group)),
            rows: s
                .points
                .iter()
                .map(|p| DotRow {
                    label: p.label.clone(),
                    value: p.share,
                    interval: p.ci_low.zip(p.ci_high),
                    reference: None,
                    note: p.suppressed.map(|_| crate::disclosure::WITHHELD.into()),
                })
                .collect(),
        })
        .collect();
    let alt = format!("Chart of each group's share of staff at each snapshot. {finding}");
    let mut header = vec!["Group".to_string()];
    header.extend(report.dates.iter().cloned());
    header.push("Latest change (pp)".into());
    header.push(format!("{conf} CI (Newcombe)"));
    let rows = report
        .series
        .iter()
        .map(|s| {
            let mut row = vec![s.group.clone()];
            row.extend(s.points.iter().map(|p| or_suppressed(p.share)));
            let c = s.changes.last();
            row.push(
                c.and_then(|c| c.change_pp)
                    .map(signed_pp)
                    .unwrap_or_default(),
            );
            row.push(
                c.and_then(|c| c.ci_low_pp.zip(c.ci_high_pp))
                    .map(|(a, b)| format!("{} to {}", signed_pp(a), signed_pp(b)))
                    .unwrap_or_default(),
            );
            row
        })
        .collect();
    (
        Evidence {
            key: TRENDS_KEY.into(),
            title: "Trends across workforce snapshots".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: "Share at each snapshot; change between the last two snapshots".into(),
                header,
                rows,
            },
        },
        Some((chart, alt)),
        Some(trends_csv(report)),
    )
}
