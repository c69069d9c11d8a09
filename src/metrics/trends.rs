//! Trends across workforce snapshots (e.g. 31 March 2021 and 31 March 2022): each group's share
//! of staff who declared an ethnicity at each date with a Wilson interval, the change between
//! consecutive snapshots in percentage points with Newcombe's hybrid score interval for the
//! difference of two independent proportions, and the declaration rate over time.
//!
//! The snapshots are treated as independent samples. They are not — many staff are in both —
//! and for a stable workforce the interval is then conservative (too wide), never too narrow.

use serde::Serialize;

use super::cells;
use crate::classify::{Classified, HighLevelGroup, Level};
use crate::disclosure::{Cell, Count, Disclosure};
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
    disclosure: &dyn Disclosure,
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

    // Each snapshot's counts are cells of the run's disclosure control: the snapshots are a
    // population (one per file), the snapshot date an attribute.
    let everyone = cells::everyone(workforce, disclosure);
    let snapshot_of: std::collections::BTreeMap<&SnapshotDate, u32> =
        snapshots.keys().zip(0u32..).collect();
    let codes: Vec<u32> = column.values.iter().map(|d| snapshot_of[d]).collect();
    cells::dimension(workforce, SNAPSHOT, &codes, disclosure);
    let at = |t: usize| everyone.clone().with(SNAPSHOT, [t as u32]);
    let of = |t: usize, keep: &dyn Fn(Classified) -> bool| {
        at(t).with(cells::ETHNICITY, cells::ethnicity_codes(keep))
    };
    let mut headcounts = Vec::with_capacity(k);
    // Per snapshot: [stated, not stated, minority, White-level n, Asian, Black, Mixed, White,
    // Other, high-level n], as published.
    let mut published: Vec<Vec<Count>> = Vec::with_capacity(k);
    for (t, v) in values.iter().enumerate() {
        headcounts.push(disclosure.count(&at(t), v[0]));
        let stated = of(t, &|c| c != Classified::NotStated);
        let white_level = of(t, &|c| Level::White.bucket(c).is_some());
        let high_level = of(t, &|c| Level::High.bucket(c).is_some());
        let minority = of(t, &|c| Level::White.bucket(c) == Some(1));
        let mut row = vec![
            disclosure.count(&stated, v[1]),
            disclosure.count(&of(t, &|c| c == Classified::NotStated), v[0] - v[1]),
            disclosure.count(&minority, v[8]),
            disclosure.count(&white_level, v[7]),
        ];
        let groups: Vec<Cell> = (0..5)
            .map(|h| of(t, &|c| Level::High.bucket(c) == Some(h)))
            .collect();
        row.extend(
            groups
                .iter()
                .enumerate()
                .map(|(h, g)| disclosure.count(g, v[2 + h])),
        );
        row.push(disclosure.count(&high_level, v[2..7].iter().sum()));
        disclosure.distribution(&high_level, &groups);
        disclosure.distribution(
            &white_level,
            &[of(t, &|c| Level::White.bucket(c) == Some(0)), minority],
        );
        published.push(row);
    }
    let series = |group: String, xs: Vec<Count>, ns: Vec<Count>| {
        let points: Vec<super::SharePoint> = (0..k)
            .map(|t| super::SharePoint::new(dates[t].clone(), xs[t], ns[t], confidence))
            .collect();
        let (xs, ns): (Vec<u64>, Vec<u64>) = xs.iter().zip(&ns).map(|(x, n)| (x.n, n.n)).unzip();
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
    let column_of = |i: usize| -> Vec<Count> { published.iter().map(|row| row[i]).collect() };
    let mut all = vec![series(
        "Declaration rate (ethnicity stated)".into(),
        // Withheld too when few staff did not state an ethnicity, which would identify them.
        published
            .iter()
            .map(|row| Count {
                withheld: row[0].withheld || row[1].withheld,
                ..row[0]
            })
            .collect(),
        headcounts.clone(),
    )];
    all.push(series(
        Level::White.group_labels()[1].clone(),
        column_of(2),
        column_of(3),
    ));
    for h in HighLevelGroup::ALL {
        all.push(series(
            h.label().to_string(),
            column_of(4 + h.index()),
            column_of(9),
        ));
    }
    Ok(TrendReport {
        dates,
        headcounts: headcounts.iter().map(|c| c.shown()).collect(),
        confidence,
        series: all,
    })
}

/// The attribute telling the snapshots apart.
const SNAPSHOT: &str = "snapshot";

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
        let t = crate::disclosure::protected(5, |d| trends(&wf, "snapshot", 0.95, d)).unwrap();
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
        assert!(
            crate::disclosure::protected(5, |d| trends(&single, "snapshot", 0.95, d))
                .unwrap_err()
                .to_string()
                .contains("single snapshot")
        );
    }
}
