//! Trends across workforce snapshots (e.g. 31 March 2021 and 31 March 2022): each group's share
//! of staff who declared an ethnicity at each date with a Wilson interval, the change between
//! consecutive snapshots in percentage points with Newcombe's hybrid score interval for the
//! difference of two independent proportions, and the declaration rate over time.
//!
//! The snapshots are treated as independent samples. They are not — many staff are in both —
//! and for a stable workforce the interval is then conservative (too wide), never too narrow.

use serde::Serialize;

use crate::classify::{HighLevelGroup, Level};
use crate::disclosure::{suppress, Constraint, SuppressionReason};
use crate::error::{Error, Location, Result};
use crate::ingest::Workforce;
use crate::stats::newcombe_difference_interval;

/// A calendar date, parsed from `2022-03-31`, `31/03/2022` (UK order) or `31 March 2022`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SnapshotDate {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for SnapshotDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl SnapshotDate {
    pub fn parse(value: &str) -> Option<SnapshotDate> {
        let v = value.trim();
        let num = |s: &str| s.trim().parse::<u32>().ok();
        let (year, month, day) = if let [y, m, d] = v.split('-').collect::<Vec<_>>()[..] {
            (num(y)?, num(m)?, num(d)?)
        } else if let [d, m, y] = v.split('/').collect::<Vec<_>>()[..] {
            (num(y)?, num(m)?, num(d)?)
        } else if let [d, m, y] = v.split_whitespace().collect::<Vec<_>>()[..] {
            let m = m.to_lowercase();
            let month = MONTHS
                .iter()
                .position(|name| m.len() >= 3 && name.starts_with(&m))?;
            (num(y)?, month as u32 + 1, num(d)?)
        } else {
            return None;
        };
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let valid = (1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days[month as usize - 1];
        valid.then_some(SnapshotDate { year, month, day })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendChange {
    pub from: String,
    pub to: String,
    /// Later share − earlier share, in percentage points.
    pub change_pp: Option<f64>,
    pub ci_low_pp: Option<f64>,
    pub ci_high_pp: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendSeries {
    pub group: String,
    /// One point per snapshot, labelled with its date.
    pub points: Vec<super::SharePoint>,
    pub changes: Vec<TrendChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendReport {
    pub dates: Vec<String>,
    pub headcounts: Vec<u64>,
    pub confidence: f64,
    /// The declaration rate first, then ethnic minorities (excluding White minorities), then
    /// the five high-level groups.
    pub series: Vec<TrendSeries>,
}

/// Trends from a workforce file holding several snapshots, told apart by the date in breakdown
/// column `date` (an index into [`Workforce::breakdown_columns`]).
pub fn trends(
    workforce: &Workforce,
    date: usize,
    confidence: f64,
    min_cell: u64,
) -> Result<TrendReport> {
    // Per snapshot: headcount, stated, [5 high-level], White-level n, minority.
    let mut snapshots: std::collections::BTreeMap<SnapshotDate, [u64; 9]> = Default::default();
    for r in &workforce.records {
        let raw = &r.breakdowns[date];
        let d = SnapshotDate::parse(raw).ok_or_else(|| Error::BadValue {
            location: Location::cell(
                &workforce.path,
                r.row,
                workforce.breakdown_columns[date].clone(),
            ),
            value: raw.clone(),
            message: "is not a date".into(),
            hint: "write snapshot dates as 2022-03-31, 31/03/2022 or 31 March 2022".into(),
        })?;
        let s = snapshots.entry(d).or_default();
        s[0] += 1;
        if r.ethnicity != crate::classify::Classified::NotStated {
            s[1] += 1;
        }
        if let Some(h) = Level::High.bucket(r.ethnicity) {
            s[2 + h] += 1;
        }
        if let Some(w) = Level::White.bucket(r.ethnicity) {
            s[7] += 1;
            s[8] += u64::from(w == 1);
        }
    }
    if snapshots.len() < 2 {
        return Err(Error::BadValue {
            location: Location::cell(&workforce.path, 2, workforce.breakdown_columns[date].clone()),
            value: snapshots.keys().next().map(|d| d.to_string()).unwrap_or_default(),
            message: "the file holds a single snapshot date, so there is no trend".into(),
            hint: "put two or more snapshots in the file (e.g. 31 March 2021 and 31 March 2022), one row per employee per snapshot".into(),
        });
    }
    let dates: Vec<String> = snapshots.keys().map(|d| d.to_string()).collect();
    let values: Vec<[u64; 9]> = snapshots.values().copied().collect();
    let k = values.len();

    // Group counts per snapshot: [minority, Asian, Black, Mixed, White, Other]; each snapshot's
    // high-level groups sum to its published declared total, and minority + White to the
    // White-level total.
    let cell = |t: usize, g: usize| t * 6 + g;
    let counts: Vec<u64> = values
        .iter()
        .flat_map(|v| [v[8], v[2], v[3], v[4], v[5], v[6]])
        .collect();
    let mut constraints = Vec::new();
    for t in 0..k {
        constraints.push(Constraint {
            total: None,
            parts: (1..6).map(|g| cell(t, g)).collect(),
        });
        constraints.push(Constraint {
            total: None,
            parts: vec![cell(t, 0), cell(t, 4)],
        });
    }
    let reasons = suppress(&counts, &constraints, min_cell);

    let series = |group: String,
                  xs: Vec<u64>,
                  ns: Vec<u64>,
                  hidden: Vec<Option<SuppressionReason>>| {
        let points: Vec<super::SharePoint> = (0..k)
            .map(|t| super::SharePoint::new(dates[t].clone(), xs[t], ns[t], confidence, hidden[t]))
            .collect();
        let changes = (1..k)
            .map(|t| {
                let shown = hidden[t].is_none() && hidden[t - 1].is_none();
                let ci =
                    newcombe_difference_interval(xs[t], ns[t], xs[t - 1], ns[t - 1], confidence)
                        .filter(|_| shown);
                TrendChange {
                    from: dates[t - 1].clone(),
                    to: dates[t].clone(),
                    change_pp: match (points[t].share, points[t - 1].share) {
                        (Some(b), Some(a)) => Some((b - a) * 100.0),
                        _ => None,
                    },
                    ci_low_pp: ci.map(|c| c.0 * 100.0),
                    ci_high_pp: ci.map(|c| c.1 * 100.0),
                }
            })
            .collect();
        TrendSeries {
            group,
            points,
            changes,
        }
    };
    let small = |x: u64| (x >= 1 && x < min_cell).then_some(SuppressionReason::Primary);
    let mut all = vec![series(
        "Declaration rate (ethnicity stated)".into(),
        values.iter().map(|v| v[1]).collect(),
        values.iter().map(|v| v[0]).collect(),
        // Withheld when few staff did not state an ethnicity, which would identify them.
        values.iter().map(|v| small(v[0] - v[1])).collect(),
    )];
    all.push(series(
        Level::White.group_labels()[1].clone(),
        values.iter().map(|v| v[8]).collect(),
        values.iter().map(|v| v[7]).collect(),
        (0..k).map(|t| reasons[cell(t, 0)]).collect(),
    ));
    for h in HighLevelGroup::ALL {
        all.push(series(
            h.label().to_string(),
            values.iter().map(|v| v[2 + h.index()]).collect(),
            values.iter().map(|v| v[2..7].iter().sum()).collect(),
            (0..k).map(|t| reasons[cell(t, 1 + h.index())]).collect(),
        ));
    }
    Ok(TrendReport {
        dates,
        headcounts: values.iter().map(|v| v[0]).collect(),
        confidence,
        series: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classified, EthnicGroup};

    #[test]
    fn dates_in_three_forms() {
        let d = SnapshotDate {
            year: 2022,
            month: 3,
            day: 31,
        };
        assert_eq!(SnapshotDate::parse("2022-03-31"), Some(d));
        assert_eq!(SnapshotDate::parse("31/03/2022"), Some(d));
        assert_eq!(SnapshotDate::parse("31 March 2022"), Some(d));
        assert_eq!(SnapshotDate::parse("31 Mar 2022"), Some(d));
        assert_eq!(SnapshotDate::parse("2022-02-30"), None);
        assert_eq!(SnapshotDate::parse("03/31/2022"), None);
        assert_eq!(SnapshotDate::parse("March 2022"), None);
        assert_eq!(d.to_string(), "2022-03-31");
    }

    fn snapshot_file(rows: &[(&str, Classified, u64)]) -> Workforce {
        Workforce::from_runs("snapshots.csv", "snapshot", rows)
    }

    /// Minority staff 48 of 80 declared in 2021 and 56 of 70 in 2022 (the first Newcombe
    /// oracle case, reversed): change +20.0 pp, interval 5.24 to 33.39 pp
    /// (tests/oracle/workforce_stats_expected.csv).
    #[test]
    fn change_with_newcombe_interval() {
        let wb = Classified::Group(EthnicGroup::WhiteBritish);
        let indian = Classified::Group(EthnicGroup::Indian);
        let wf = snapshot_file(&[
            ("31/03/2021", wb, 32),
            ("31/03/2021", indian, 48),
            ("31/03/2021", Classified::NotStated, 20),
            ("2022-03-31", wb, 14),
            ("2022-03-31", indian, 56),
            ("2022-03-31", Classified::NotStated, 10),
        ]);
        let t = trends(&wf, 0, 0.95, 5).unwrap();
        assert_eq!(t.dates, vec!["2021-03-31", "2022-03-31"]);
        assert_eq!(t.headcounts, vec![100, 80]);
        let declaration = &t.series[0];
        assert_eq!(declaration.points[0].share, Some(0.8));
        assert_eq!(declaration.points[1].share, Some(0.875));
        let minority = &t.series[1];
        let change = &minority.changes[0];
        assert!((change.change_pp.unwrap() - 20.0).abs() < 1e-9);
        assert!((change.ci_low_pp.unwrap() - 5.243147240236498).abs() < 1e-7);
        assert!((change.ci_high_pp.unwrap() - 33.38726540369061).abs() < 1e-7);
    }

    #[test]
    fn bad_date_names_the_cell() {
        let wb = Classified::Group(EthnicGroup::WhiteBritish);
        let wf = snapshot_file(&[("2021-03-31", wb, 2), ("31st March", wb, 1)]);
        let err = trends(&wf, 0, 0.95, 5).unwrap_err().to_string();
        assert!(
            err.contains("row 4") && err.contains("'snapshot'") && err.contains("\"31st March\""),
            "{err}"
        );
        let single = snapshot_file(&[("2021-03-31", wb, 2)]);
        assert!(trends(&single, 0, 0.95, 5)
            .unwrap_err()
            .to_string()
            .contains("single snapshot"));
    }
}
