//! The seniority pipeline: each group's share of staff at each grade, lowest grade first, with a
//! Cochran–Armitage test for a linear trend across grades (scores 1, 2, … in grade order).
//!
//! Two kinds of series: ethnic minorities (excluding White minorities) against White staff, as
//! in NHS WRES indicator 1, and each of the five high-level groups. A grade's denominator is the
//! staff there whose ethnicity can be placed at that level. Counts from 1 to below the threshold
//! are suppressed, with secondary suppression over every relation a reader could use: the
//! groups of a grade sum to its declared headcount, a group's grades sum to its published
//! total, and the minority count of a grade is the sum of its Asian, Black, Mixed and Other
//! counts. The trend test uses every count: it publishes a statistic, not a count.

use serde::Serialize;

use super::representation::{
    ordered_values, representation, RepresentationOptions, RepresentationTable,
};
use super::tabulate::tabulate;
use crate::classify::{HighLevelGroup, Level};
use crate::disclosure::{Count, Disclosure};
use crate::error::{Error, Result};
use crate::ingest::{Extract, Population};
use crate::stats::{cochran_armitage, TrendTest};

/// One group's share at each grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LadderSeries {
    pub group: String,
    pub level: Level,
    pub population_share: f64,
    /// One point per grade, labelled with the grade.
    pub points: Vec<super::SharePoint>,
    pub trend: Option<TrendTest>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeniorityReport {
    pub column: String,
    pub grades: Vec<String>,
    pub confidence: f64,
    pub min_cell: u64,
    pub comparator: String,
    /// Ethnic minorities (excluding White minorities) first, then the five high-level groups.
    pub series: Vec<LadderSeries>,
}

/// The seniority ladder of the text column `grade`, in `order` when given (every grade in the
/// data must be listed) or else in natural order ("Grade 2" before "Grade 10").
///
/// Its counts are the cells of the workforce's representation tables by `grade` at the high and
/// White / ethnic minority levels, so the run protects them as one: the ladder and those tables
/// show and withhold the same counts. A trend test over a series with a withheld count is
/// withheld too: a statistic printed to several decimals inverts to the counts it is made of.
pub fn seniority(
    workforce: &Extract,
    population: &Population,
    grade: &str,
    order: Option<&Vec<String>>,
    confidence: f64,
    disclosure: &dyn Disclosure,
) -> Result<SeniorityReport> {
    let protected = representation(
        workforce,
        population,
        &RepresentationOptions {
            levels: vec![Level::High, Level::White],
            breakdowns: vec![grade.to_string()],
            confidence,
            min_cell: disclosure.min_cell(),
            orders: order
                .map(|o| (grade.to_string(), o.clone()))
                .into_iter()
                .collect(),
        },
        disclosure,
    )?;
    let column = workforce.text(grade);
    let by_value = tabulate(workforce, Some(column))?;
    let grades = ordered_values(&workforce.path, column, &by_value, order)?;
    let k = grades.len();
    let table = |g: usize, level: Level| -> Result<&RepresentationTable> {
        let breakdown = format!("{}={}", column.name, grades[g].0);
        protected
            .tables
            .iter()
            .find(|t| t.level == level && t.breakdown == breakdown)
            .ok_or_else(|| {
                Error::usage(
                    format!(
                        "the protected tables have no {breakdown} at the {} level",
                        level.name()
                    ),
                    "report this as a bug in repgap",
                )
            })
    };
    let scores: Vec<f64> = (1..=k).map(|s| s as f64).collect();
    // Each grade's count and denominator are read from the representation tables as they are
    // published (withheld or rounded alike): every share and the trend test are computed from
    // those, so none gives back a withheld or exact count.
    let series = |group: String, level: Level, bucket: usize| -> Result<LadderSeries> {
        let population_total: u64 = population.total();
        // Every Census table gives the high-level groups and the White split.
        let population_count: u64 = population.count(&level.members(bucket)).unwrap_or(0);
        let mut points = Vec::with_capacity(k);
        let (mut x, mut n) = (vec![0u64; k], vec![0u64; k]);
        for (g, grade) in grades.iter().enumerate() {
            let t = table(g, level)?;
            let row = t.rows.get(bucket);
            x[g] = row.and_then(|r| r.workforce_n).unwrap_or(0);
            n[g] = t.declared_n.unwrap_or(0);
            let count = Count {
                n: x[g],
                withheld: row.is_none_or(|r| r.suppressed.is_some()),
            };
            let denominator = Count {
                n: n[g],
                withheld: t.declared_n.is_none(),
            };
            points.push(super::SharePoint::new(
                grade.0.clone(),
                count,
                denominator,
                confidence,
            ));
        }
        let complete = points.iter().all(|p| p.count.is_some() && p.n.is_some());
        Ok(LadderSeries {
            group,
            level,
            population_share: population_count as f64 / population_total.max(1) as f64,
            trend: cochran_armitage(&x, &n, &scores).filter(|_| complete),
            points,
        })
    };
    let mut all = vec![series(
        Level::White.group_labels()[1].clone(),
        Level::White,
        1,
    )?];
    for h in HighLevelGroup::ALL {
        all.push(series(h.label().to_string(), Level::High, h.index())?);
    }
    Ok(SeniorityReport {
        column: column.name.clone(),
        grades: grades.iter().map(|g| g.0.clone()).collect(),
        confidence,
        min_cell: disclosure.min_cell(),
        comparator: population.describe(),
        series: all,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classified, EthnicGroup};
    use crate::disclosure::Withheld;
    use crate::ingest::census::CensusEdition;

    fn workforce(rows: &[(&str, EthnicGroup, u64)]) -> Extract {
        let runs: Vec<_> = rows
            .iter()
            .map(|&(grade, g, n)| (grade, Classified::Group(g), n))
            .collect();
        Extract::from_runs("hr.csv", "grade", &runs)
    }

    fn population() -> Population {
        let mut counts = [0u64; 19];
        counts[EthnicGroup::WhiteBritish.index()] = 800;
        counts[EthnicGroup::Indian.index()] = 150;
        counts[EthnicGroup::African.index()] = 50;
        Population::of_categories(
            "census.csv".into(),
            CensusEdition::Census2021,
            vec![("E1".into(), "Town".into())],
            counts,
        )
    }

    /// By hand: minority staff 10/50, 6/40, 3/30 in grades A < B < C (order given, not
    /// alphabetical); the same counts as the first oracle case's opening groups.
    #[test]
    fn ladder_shares_follow_the_configured_order() {
        use EthnicGroup::{Indian, WhiteBritish as Wb};
        let wf = workforce(&[
            ("C", Wb, 27),
            ("C", Indian, 3),
            ("A", Wb, 40),
            ("A", Indian, 10),
            ("B", Wb, 34),
            ("B", Indian, 6),
        ]);
        let order = vec!["A".to_string(), "B".to_string(), "C".to_string()];
        let report = crate::disclosure::protected(5, |d| {
            seniority(&wf, &population(), "grade", Some(&order), 0.95, d)
        })
        .unwrap();
        assert_eq!(report.grades, order);
        let minority = &report.series[0];
        assert!((minority.population_share - 0.2).abs() < 1e-12);
        assert_eq!(minority.points[0].share, Some(0.2));
        // 3 of 30 is below 5: withheld, and the next smallest grade (6 of 40) with it, because
        // the whole-workforce total is published elsewhere.
        assert_eq!(minority.points[2].count, None);
        assert_eq!(minority.points[2].suppressed, Some(Withheld));
        assert_eq!(minority.points[1].suppressed, Some(Withheld));
        assert_eq!(minority.points[1].share, None);
        assert_eq!(minority.points[0].count, Some(10));
        // The Asian series has the same counts and is withheld the same way.
        assert_eq!(report.series[1].points[1].count, None);
        // The trend test over withheld counts would give them away (its z to 4 decimals
        // inverts to the sum of rank × count): withheld.
        assert_eq!(minority.trend, None);
        // By hand, the test the full counts give is negative; it is what is withheld.
        let full = cochran_armitage(&[10, 6, 3], &[50, 40, 30], &[1.0, 2.0, 3.0]).unwrap();
        assert!(full.z < 0.0);
    }

    #[test]
    fn a_grade_missing_from_the_order_names_its_row() {
        let wf = workforce(&[
            ("A", EthnicGroup::WhiteBritish, 3),
            ("Z", EthnicGroup::Indian, 1),
        ]);
        let err = crate::disclosure::protected(5, |d| {
            seniority(
                &wf,
                &population(),
                "grade",
                Some(&vec!["A".into()]),
                0.95,
                d,
            )
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("row 5") && text.contains("\"Z\""), "{text}");
    }
}
