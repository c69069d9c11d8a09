//! CSV for the workforce deep-dive: seniority ladder, pay gap, pay quarters and trends. Column
//! meanings are documented in docs/FORMATS.md. A withheld figure, and every figure computed from
//! it, is `[c]`; an empty cell is a figure that is not defined.

use super::{csv_line, figure_cell, fixed, p_value};
use crate::metrics::paygap::{PayGapReport, PayGapRow};
use crate::metrics::seniority::SeniorityReport;
use crate::metrics::trends::TrendReport;

use super::count_cell as count;

pub const SENIORITY_COLUMNS: [&str; 14] = [
    "column",
    "grade_rank",
    "grade",
    "group",
    "n",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "population_share",
    "trend_z",
    "trend_chi_square",
    "trend_p_value",
    "suppressed",
];

pub fn seniority_csv(report: &SeniorityReport) -> String {
    let mut out = csv_line(&SENIORITY_COLUMNS);
    for s in &report.series {
        // The trend test is withheld when any count of its series is.
        let trend_withheld = s.points.iter().any(|p| p.suppressed.is_some());
        let t = |text: String| figure_cell(text, trend_withheld);
        for (rank, p) in s.points.iter().enumerate() {
            let f = |text: String| figure_cell(text, p.suppressed.is_some());
            out.push_str(&csv_line(&[
                report.column.clone(),
                (rank + 1).to_string(),
                p.label.clone(),
                s.group.clone(),
                count(p.n),
                count(p.count),
                f(fixed(p.share, 6)),
                f(fixed(p.ci_low, 6)),
                f(fixed(p.ci_high, 6)),
                fixed(Some(s.population_share), 6),
                t(fixed(s.trend.map(|t| t.z), 4)),
                t(fixed(s.trend.map(|t| t.chi_square), 4)),
                t(p_value(s.trend.map(|t| t.p_value))),
                p.suppressed
                    .map(|r| r.marker().to_string())
                    .unwrap_or_default(),
            ]));
        }
    }
    out
}

pub const PAY_GAP_COLUMNS: [&str; 12] = [
    "group",
    "reference",
    "n",
    "mean_hourly",
    "median_hourly",
    "mean_gap_pct",
    "median_gap_pct",
    "bonus_proportion",
    "mean_bonus_gap_pct",
    "median_bonus_gap_pct",
    "unknown_ethnicity_share",
    "note",
];

pub fn pay_gap_csv(report: &PayGapReport) -> String {
    let mut out = csv_line(&PAY_GAP_COLUMNS);
    let line = |r: &PayGapRow, reference: &str, mean: Option<f64>, median: Option<f64>| {
        csv_line(&[
            r.group.clone(),
            reference.to_string(),
            count(r.n),
            fixed(mean, 4),
            fixed(median, 4),
            fixed(r.mean_gap_pct, 2),
            fixed(r.median_gap_pct, 2),
            fixed(r.bonus_proportion, 6),
            fixed(r.mean_bonus_gap_pct, 2),
            fixed(r.median_bonus_gap_pct, 2),
            fixed(report.unknown_ethnicity_share, 6),
            r.note.clone().unwrap_or_default(),
        ])
    };
    let reference = report.reference.clone().unwrap_or_default();
    let reference_row = PayGapRow {
        group: reference.clone(),
        n: report.reference_n,
        mean_hourly: report.reference_mean_hourly,
        median_hourly: report.reference_median_hourly,
        mean_gap_pct: None,
        median_gap_pct: None,
        bonus_proportion: report.reference_bonus_proportion,
        mean_bonus_gap_pct: None,
        median_bonus_gap_pct: None,
        note: Some("reference group".into()),
    };
    if report.reference.is_some() {
        out.push_str(&line(
            &reference_row,
            &reference,
            reference_row.mean_hourly,
            reference_row.median_hourly,
        ));
    }
    for r in &report.rows {
        out.push_str(&line(r, &reference, r.mean_hourly, r.median_hourly));
    }
    let a = &report.aggregate;
    out.push_str(&line(a, "White British", a.mean_hourly, a.median_hourly));
    out
}

pub const PAY_QUARTER_COLUMNS: [&str; 6] = [
    "quarter",
    "quarter_size",
    "group",
    "count",
    "share",
    "suppressed",
];

pub fn pay_quarters_csv(report: &PayGapReport) -> String {
    let mut out = csv_line(&PAY_QUARTER_COLUMNS);
    for q in &report.quarters {
        for s in &q.shares {
            out.push_str(&csv_line(&[
                q.quarter.clone(),
                count(q.size),
                s.group.clone(),
                figure_cell(fixed(s.count, 2), s.suppressed.is_some()),
                figure_cell(fixed(s.share, 6), s.suppressed.is_some()),
                s.suppressed
                    .map(|r| r.marker().to_string())
                    .unwrap_or_default(),
            ]));
        }
    }
    out
}

pub const TREND_COLUMNS: [&str; 12] = [
    "group",
    "date",
    "n",
    "count",
    "share",
    "ci_low",
    "ci_high",
    "change_from",
    "change_pp",
    "change_ci_low_pp",
    "change_ci_high_pp",
    "suppressed",
];

pub fn trends_csv(report: &TrendReport) -> String {
    let mut out = csv_line(&TREND_COLUMNS);
    for s in &report.series {
        for (t, p) in s.points.iter().enumerate() {
            let change = t.checked_sub(1).map(|c| &s.changes[c]);
            let f = |text: String| figure_cell(text, p.suppressed.is_some());
            // A change is withheld when either of its snapshots' counts is.
            let change_withheld =
                p.suppressed.is_some() || (t > 0 && s.points[t - 1].suppressed.is_some());
            let c = |text: String| figure_cell(text, change.is_some() && change_withheld);
            out.push_str(&csv_line(&[
                s.group.clone(),
                p.label.clone(),
                count(p.n),
                count(p.count),
                f(fixed(p.share, 6)),
                f(fixed(p.ci_low, 6)),
                f(fixed(p.ci_high, 6)),
                change.map(|c| c.from.clone()).unwrap_or_default(),
                c(fixed(change.and_then(|c| c.change_pp), 2)),
                c(fixed(change.and_then(|c| c.ci_low_pp), 2)),
                c(fixed(change.and_then(|c| c.ci_high_pp), 2)),
                p.suppressed
                    .map(|r| r.marker().to_string())
                    .unwrap_or_default(),
            ]));
        }
    }
    out
}
