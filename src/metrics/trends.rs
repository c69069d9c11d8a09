//! Trends across workforce snapshots (e.g. 31 March 2021 and 31 March 2022): each group's share
//! of staff who declared an ethnicity at each date with a Wilson interval, the change between
//! consecutive snapshots in percentage points with Newcombe's hybrid score interval for the
//! difference of two independent proportions, and the declaration rate over time.
//!
//! The snapshots are treated as independent samples. They are not — many staff are in both —
//! and for a stable workforce the interval is then conservative (too wide), never too narrow.

use serde::Serialize;

use crate::classify::{HighLevelGroup, Level};
use crate::disclosure::{publish, suppress, Constraint, SuppressionReason};
use crate::error::{Error, Location, Result};
use crate::ingest::Extract;
use crate::stats::newcombe_difference_interval;

/// A snapshot date (read by the ingest layer).
pub use crate::ingest::values::Date as SnapshotDate;

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
    /// Staff at each snapshot; `None` when too few to show.
    pub headcounts: Vec<Option<u64>>,
    pub confidence: f64,
    /// The declaration rate first, then ethnic minorities (excluding White minorities), then
    /// the five high-level groups.
    pub series: Vec<TrendSeries>,
}

/// Trends from an extract holding several snapshots, told apart by the date column `date`.
pub fn trends(
    workforce: &Extract,
    date: &str,
    confidence: f64,
    min_cell: u64,
) -> Result<TrendReport> {
    let column = workforce.date(date);
    // Per snapshot: headcount, stated, [5 high-level], White-level n, minority.
    let mut snapshots: std::collections::BTreeMap<SnapshotDate, [u64; 9]> = Default::default();
    for (&d, &ethnicity) in column.values.iter().zip(&workforce.ethnicity) {
        let s = snapshots.entry(d).or_default();
        s[0] += 1;
        if ethnicity != crate::classify::Classified::NotStated {
            s[1] += 1;
        }
        if let Some(h) = Level::High.bucket(ethnicity) {
            s[2 + h] += 1;
        }
        if let Some(w) = Level::White.bucket(ethnicity) {
            s[7] += 1;
            s[8] += u64::from(w == 1);
        }
    }
    if snapshots.len() < 2 {
        return Err(Error::BadValue {
            location: Location::cell(&workforce.path, 2, column.name.clone()),
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
            .map(|t| {
                super::SharePoint::new(
                    dates[t].clone(),
                    xs[t],
                    ns[t],
                    confidence,
                    min_cell,
                    hidden[t],
                )
            })
            .collect();
        let changes = (1..k)
            .map(|t| {
                let shown = points[t].share.is_some() && points[t - 1].share.is_some();
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
        headcounts: values.iter().map(|v| publish(v[0], min_cell)).collect(),
        confidence,
        series: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classified, EthnicGroup};

    fn snapshot_file(rows: &[(&str, Classified, u64)]) -> Extract {
        let mut ethnicity = Vec::new();
        let mut dates = Vec::new();
        for &(date, e, n) in rows {
            for _ in 0..n {
                ethnicity.push(e);
                dates.push(SnapshotDate::parse(date).expect("a date"));
            }
        }
        Extract::from_columns("snapshots.csv", ethnicity, vec![]).with_date("snapshot", dates)
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
        let t = trends(&wf, "snapshot", 0.95, 5).unwrap();
        assert_eq!(t.dates, vec!["2021-03-31", "2022-03-31"]);
        assert_eq!(t.headcounts, vec![Some(100), Some(80)]);
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
        use crate::ingest::{ColumnKind, ColumnNeed, ExtractSpec};
        use std::io::Write;
        let wb = Classified::Group(EthnicGroup::WhiteBritish);
        // Dates are read, and a bad one reported, as the file is read.
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"ethnicity,snapshot\nWhite British,2021-03-31\nWhite British,2021-03-31\nWhite British,31st March\n")
            .unwrap();
        let mut spec = ExtractSpec::new("ethnicity");
        spec.need(ColumnNeed::new(
            "snapshot",
            ColumnKind::Date,
            "snapshot date",
        ));
        let err = Extract::read(file.path(), &spec, &crate::classify::Classifier::builtin())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("row 4") && err.contains("'snapshot'") && err.contains("\"31st March\""),
            "{err}"
        );
        let single = snapshot_file(&[("2021-03-31", wb, 2)]);
        assert!(trends(&single, "snapshot", 0.95, 5)
            .unwrap_err()
            .to_string()
            .contains("single snapshot"));
    }
}
