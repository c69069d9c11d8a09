//! Recruitment: the relative likelihood of being shortlisted from application and appointed
//! from shortlisting (NHS WRES indicator 2), from a file with one row per applicant and the
//! furthest stage they reached.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cells;
use super::likelihood::{relative_likelihood_in, Direction, Likelihood, Outcome};
use crate::disclosure::Disclosure;
use crate::error::{Error, Location, Result};
use crate::ingest::Extract;

/// The furthest stage an applicant reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Applied,
    Shortlisted,
    Appointed,
}

/// The stage names accepted, in order.
pub const STAGE_NAMES: [&str; 3] = ["applied", "shortlisted", "appointed"];

impl Stage {
    pub fn parse(value: &str) -> Option<Stage> {
        match value.trim().to_lowercase().as_str() {
            "applied" => Some(Stage::Applied),
            "shortlisted" => Some(Stage::Shortlisted),
            "appointed" => Some(Stage::Appointed),
            _ => None,
        }
    }
}

pub const SHORTLISTING: &str = "shortlisted from application";
pub const APPOINTMENT: &str = "appointed from shortlisting";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecruitmentReport {
    /// Totals at each stage; `None` when too few to show.
    pub applicants: Option<u64>,
    pub shortlisted: Option<u64>,
    pub appointed: Option<u64>,
    /// Every applicant: shortlisted or not.
    pub shortlisting: Likelihood,
    /// Shortlisted applicants: appointed or not.
    pub appointment: Likelihood,
}

/// Relative likelihoods from a recruitment file whose text column `stage` holds the furthest
/// stage each applicant reached. Unknown stage names are an error listing each with its count
/// and first row, and the allowed names.
pub fn recruitment(
    applicants: &Extract,
    stage: &str,
    direction: Direction,
    confidence: f64,
    disclosure: &dyn Disclosure,
) -> Result<RecruitmentReport> {
    let column = applicants.text(stage);
    // Each distinct stage name is parsed once.
    let stages: Vec<Option<Stage>> = column.values.iter().map(|v| Stage::parse(v)).collect();
    let unknown: BTreeMap<&str, (u64, u64)> = stages
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| {
            (
                column.values[i].as_str(),
                (column.first_rows[i], column.counts[i]),
            )
        })
        .collect();
    if let Some((first_value, (first_row, _))) = unknown.iter().min_by_key(|(_, (row, _))| *row) {
        let listed: Vec<String> = unknown
            .iter()
            .map(|(v, (row, n))| format!("{v:?} ({n} row(s), first at row {row})"))
            .collect();
        return Err(Error::BadValue {
            location: Location::cell(&applicants.path, *first_row, column.name.clone()),
            value: first_value.to_string(),
            message: format!("is not a recruitment stage; unknown stages: {}", listed.join(", ")),
            hint: format!(
                "give the furthest stage each applicant reached, one of: {} (an appointed applicant counts as shortlisted too)",
                STAGE_NAMES.join(", ")
            ),
        });
    }
    // Every stage is known now, so none is dropped here.
    let stages: Vec<Stage> = stages.into_iter().flatten().collect();
    let staged: Vec<(crate::classify::Classified, Stage)> = applicants
        .ethnicity
        .iter()
        .zip(&column.codes)
        .map(|(&e, &code)| (e, stages[code as usize]))
        .collect();
    let shortlisting: Vec<_> = staged
        .iter()
        .map(|&(e, s)| (e, s >= Stage::Shortlisted))
        .collect();
    let appointment: Vec<_> = staged
        .iter()
        .filter(|(_, s)| *s >= Stage::Shortlisted)
        .map(|&(e, s)| (e, s == Stage::Appointed))
        .collect();
    // The applicants are a population, their furthest stage an attribute.
    let everyone = cells::everyone(applicants, disclosure);
    let dimension = cells::text_dimension(applicants, column, disclosure);
    let codes_from = |from: Stage| -> Vec<u32> {
        (0..stages.len() as u32)
            .filter(|&c| stages[c as usize] >= from)
            .collect()
    };
    let codes_at = |at: Stage| -> Vec<u32> {
        (0..stages.len() as u32)
            .filter(|&c| stages[c as usize] == at)
            .collect()
    };
    let shortlisted_cell = everyone
        .clone()
        .with(&dimension, codes_from(Stage::Shortlisted));
    let appointed_n = appointment.iter().filter(|(_, a)| *a).count() as u64;
    let applicants_n = disclosure.count(&everyone, staged.len() as u64);
    let shortlisted_n = disclosure.count(&shortlisted_cell, appointment.len() as u64);
    let appointed = disclosure.count(
        &everyone
            .clone()
            .with(&dimension, codes_at(Stage::Appointed)),
        appointed_n,
    );
    Ok(RecruitmentReport {
        applicants: applicants_n.shown(),
        shortlisted: shortlisted_n.shown(),
        appointed: appointed.shown(),
        shortlisting: relative_likelihood_in(
            "applicants",
            SHORTLISTING,
            &shortlisting,
            direction,
            confidence,
            &Outcome {
                disclosure,
                base: everyone.clone(),
                dimension: dimension.clone(),
                yes: codes_from(Stage::Shortlisted),
                no: codes_at(Stage::Applied),
            },
        ),
        appointment: relative_likelihood_in(
            "applicants",
            APPOINTMENT,
            &appointment,
            direction,
            confidence,
            &Outcome {
                disclosure,
                base: shortlisted_cell,
                dimension,
                yes: codes_at(Stage::Appointed),
                no: codes_at(Stage::Shortlisted),
            },
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Classified, EthnicGroup};

    fn applicants(rows: &[(EthnicGroup, &str, u64)]) -> Extract {
        let runs: Vec<_> = rows
            .iter()
            .map(|&(g, stage, n)| (stage, Classified::Group(g), n))
            .collect();
        Extract::from_runs("applicants.csv", "stage", &runs)
    }

    /// By hand: White 500 applicants, 200 shortlisted of whom 40 appointed; minority 300
    /// applicants, 100 shortlisted of whom 10 appointed. Appointment from shortlisting
    /// White ÷ minority = (40/200)/(10/100) = 2.0 (Katz 1.04404–3.83126, the domain example);
    /// shortlisting = (200/500)/(100/300) = 1.2.
    #[test]
    fn appointment_from_shortlisting() {
        use EthnicGroup::{Caribbean, WhiteBritish};
        let wf = applicants(&[
            (WhiteBritish, "Applied", 300),
            (WhiteBritish, "shortlisted", 160),
            (WhiteBritish, "APPOINTED", 40),
            (Caribbean, "applied", 200),
            (Caribbean, "shortlisted", 90),
            (Caribbean, "appointed", 10),
        ]);
        let r = crate::disclosure::protected(5, |d| {
            recruitment(&wf, "stage", Direction::WhiteOverMinority, 0.95, d)
        })
        .unwrap();
        assert_eq!(
            (r.applicants, r.shortlisted, r.appointed),
            (Some(800), Some(300), Some(50))
        );
        assert!((r.appointment.relative_likelihood.unwrap() - 2.0).abs() < 1e-12);
        assert!((r.appointment.ci_high.unwrap() - 3.8312598608475046).abs() < 1e-9);
        assert!((r.shortlisting.relative_likelihood.unwrap() - 1.2).abs() < 1e-12);
        assert_eq!(r.appointment.white.n, Some(200));
        assert!(r
            .appointment
            .direction_text
            .contains("above 1 means White applicants are more likely"));
    }

    #[test]
    fn unknown_stages_are_listed_with_the_allowed_ones() {
        use EthnicGroup::WhiteBritish;
        let wf = applicants(&[
            (WhiteBritish, "applied", 2),
            (WhiteBritish, "interviewed", 3),
            (WhiteBritish, "offer", 1),
        ]);
        let err = crate::disclosure::protected(5, |d| {
            recruitment(&wf, "stage", Direction::WhiteOverMinority, 0.95, d)
        })
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("row 4"), "{text}");
        assert!(
            text.contains("\"interviewed\" (3 row(s), first at row 4)"),
            "{text}"
        );
        assert!(
            text.contains("\"offer\" (1 row(s), first at row 7)"),
            "{text}"
        );
        assert!(text.contains("applied, shortlisted, appointed"), "{text}");
    }
}
