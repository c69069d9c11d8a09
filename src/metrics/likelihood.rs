//! Relative likelihood of an outcome for White and ethnic minority staff, after the NHS
//! Workforce Race Equality Standard (WRES) indicators 2–4 (appointment from shortlisting,
//! entering a formal disciplinary process, accessing non-mandatory training) and leaving.
//!
//! The ratio is rate(numerator group) ÷ rate(denominator group) with a Katz log interval. Which
//! group is on top is a stated choice — NHS WRES puts White staff on top for appointment and
//! training and ethnic minority staff on top for disciplinary; the Social Care WRES always puts
//! ethnic minority staff on top — and every output says which, and what a value above 1 means.
//! As in WRES, "White" includes the White minorities, and staff with no stated ethnicity are
//! reported separately. Flags: NHS England's non-adverse range 0.80–1.25, and the four-fifths
//! rule (the lower rate is below 80% of the higher).

use serde::Serialize;

use super::cells;
use super::tabulate::ClassifiedKey;
use crate::classify::{comparison_group, Classified, Level, COMPARISON_GROUPS};
use crate::disclosure::{Cell, Count, Disclosure, Withheld};
use crate::ingest::Extract;
use crate::stats::relative_risk_katz;

/// Read a yes/no outcome value: yes, y, true, 1, x / no, n, false, 0, blank.
pub use crate::ingest::values::parse_flag as parse_outcome_flag;

/// The relative likelihood of each yes/no outcome column of the extract (read as flags).
pub fn workforce_likelihoods(
    workforce: &Extract,
    outcomes: &[String],
    direction: Direction,
    confidence: f64,
    disclosure: &dyn Disclosure,
) -> Vec<Likelihood> {
    let everyone = cells::everyone(workforce, disclosure);
    outcomes
        .iter()
        .map(|name| {
            let column = workforce.flag(name);
            let flags: Vec<u32> = column.values.iter().map(|&v| u32::from(v)).collect();
            let dimension = format!("flag {}", column.name);
            cells::dimension(workforce, &dimension, &flags, disclosure);
            let records: Vec<(Classified, bool)> = workforce
                .ethnicity
                .iter()
                .copied()
                .zip(column.values.iter().copied())
                .collect();
            let outcome = Outcome {
                disclosure,
                base: everyone.clone(),
                dimension,
                yes: vec![1],
                no: vec![0],
            };
            relative_likelihood_in(
                "staff",
                &column.name,
                &records,
                direction,
                confidence,
                &outcome,
            )
        })
        .collect()
}

/// Who an outcome's rates are about, as the run's disclosure control sees them: the people
/// counted (`base`), and the attribute whose codes `yes` / `no` say whether each had the
/// outcome.
pub struct Outcome<'a> {
    pub disclosure: &'a dyn Disclosure,
    pub base: Cell,
    pub dimension: String,
    pub yes: Vec<u32>,
    pub no: Vec<u32>,
}

impl Outcome<'_> {
    /// The published (people, with the outcome, without it) of the group with `ethnicity`
    /// codes, which holds `n` people of whom `e` had the outcome.
    fn counts(&self, ethnicity: &[u32], n: u64, e: u64) -> [Count; 3] {
        let group = self
            .base
            .clone()
            .with(cells::ETHNICITY, ethnicity.iter().copied());
        let yes = group
            .clone()
            .with(&self.dimension, self.yes.iter().copied());
        let no = group.clone().with(&self.dimension, self.no.iter().copied());
        let d = self.disclosure;
        [
            d.denominator(&group, n),
            d.count(&yes, e),
            d.count(&no, n - e),
        ]
    }

    /// Those with the outcome are split by the compared groups: if one group (nearly) fills
    /// them, the split is withheld.
    fn split(&self, groups: &[&[u32]], events: u64) {
        let all: Vec<u32> = groups.iter().flat_map(|g| g.iter().copied()).collect();
        let yes = |codes: &[u32]| {
            self.base
                .clone()
                .with(cells::ETHNICITY, codes.iter().copied())
                .with(&self.dimension, self.yes.iter().copied())
        };
        let total = yes(&all);
        self.disclosure.count(&total, events);
        let parts: Vec<Cell> = groups.iter().map(|g| yes(g)).collect();
        self.disclosure.distribution(&total, &parts);
    }
}

/// Which group's rate is the numerator of the ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// White ÷ ethnic minorities (NHS WRES indicators 2 and 4).
    WhiteOverMinority,
    /// Ethnic minorities ÷ White (NHS WRES indicator 3; every Social Care WRES indicator).
    MinorityOverWhite,
}

impl Direction {
    /// Which rate is on top and what above 1 means, for `people` ("staff", "applicants").
    pub fn describe(self, outcome: &str, people: &str) -> String {
        match self {
            Direction::WhiteOverMinority => format!(
                "White ÷ ethnic minorities (excluding White minorities): above 1 means White {people} are more likely to have the outcome '{outcome}'"
            ),
            Direction::MinorityOverWhite => format!(
                "ethnic minorities (excluding White minorities) ÷ White: above 1 means ethnic minority {people} are more likely to have the outcome '{outcome}'"
            ),
        }
    }
}

/// One group's rate of the outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRate {
    pub group: String,
    pub n: Option<u64>,
    pub events: Option<u64>,
    pub rate: Option<f64>,
}

/// The relative likelihood of one outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Likelihood {
    pub outcome: String,
    /// Who the rates are about: "staff", or "applicants" for recruitment.
    pub people: String,
    /// Which groups are compared: "White and ethnic minorities (excluding White minorities)",
    /// or "White British and GROUP" for the per-group ratios.
    pub comparison: String,
    pub direction: Direction,
    pub direction_text: String,
    /// The White group (White, or White British in the per-group ratios).
    pub white: GroupRate,
    /// The minority group compared with it.
    pub minority: GroupRate,
    /// Staff with no stated ethnicity (or a label too coarse to place), reported separately;
    /// `None` when too few to show.
    pub not_placed_n: Option<u64>,
    pub relative_likelihood: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// The lower rate is below four-fifths of the higher.
    pub four_fifths_flag: Option<bool>,
    /// Within NHS England's non-adverse range 0.80–1.25.
    pub non_adverse: Option<bool>,
    pub suppressed: Option<Withheld>,
    /// Each other group against White British (White minorities, Asian, Black, Mixed, Other),
    /// in the same direction.
    pub by_group: Vec<Likelihood>,
}

/// `(staff, staff with the outcome)` of one group.
type Counts = (u64, u64);

struct Comparison<'a> {
    outcome: &'a str,
    people: &'a str,
    comparison: String,
    direction_text: String,
    labels: [String; 2],
    /// As published: (people, with the outcome, without it) of each group.
    published: [[Count; 3]; 2],
    not_placed: Count,
}

fn compare(c: Comparison, direction: Direction, confidence: f64) -> Likelihood {
    // Rates and the ratio come from the counts as published (rounded, when the run rounds).
    let counts: [Counts; 2] = [0, 1].map(|b| (c.published[b][0].n, c.published[b][1].n));
    // A group's events are withheld when they, or the people without the event, are: either
    // with the group size shown would give the other away.
    let hidden: Vec<bool> = c
        .published
        .iter()
        .map(|p| p[1].withheld || p[2].withheld)
        .collect();
    let rate = |b: usize| GroupRate {
        group: c.labels[b].clone(),
        n: c.published[b][0].shown(),
        events: (!hidden[b]).then_some(counts[b].1),
        rate: (!hidden[b] && !c.published[b][0].withheld && counts[b].0 > 0)
            .then(|| counts[b].1 as f64 / counts[b].0 as f64),
    };
    let (top, bottom) = match direction {
        Direction::WhiteOverMinority => (0, 1),
        Direction::MinorityOverWhite => (1, 0),
    };
    let suppressed = Withheld::when(
        hidden[0] || hidden[1] || c.published[0][0].withheld || c.published[1][0].withheld,
    );
    let rr = if suppressed.is_some() {
        None
    } else {
        relative_risk_katz(
            counts[top].1,
            counts[top].0,
            counts[bottom].1,
            counts[bottom].0,
            confidence,
        )
    };
    let rates = (rate(0).rate, rate(1).rate);
    Likelihood {
        outcome: c.outcome.to_string(),
        people: c.people.to_string(),
        comparison: c.comparison,
        direction,
        direction_text: c.direction_text,
        white: rate(0),
        minority: rate(1),
        not_placed_n: c.not_placed.shown(),
        relative_likelihood: rr.map(|r| r.ratio),
        ci_low: rr.and_then(|r| r.interval).map(|i| i.0),
        ci_high: rr.and_then(|r| r.interval).map(|i| i.1),
        four_fifths_flag: match rates {
            (Some(w), Some(m)) if suppressed.is_none() && w.max(m) > 0.0 => {
                Some(w.min(m) / w.max(m) < 0.8)
            }
            _ => None,
        },
        non_adverse: rr.map(|r| (0.8..=1.25).contains(&r.ratio)),
        suppressed,
        by_group: Vec::new(),
    }
}

/// Compute the relative likelihood of an outcome for staff from `(ethnicity, had the outcome)`
/// pairs: White (including White minorities) against ethnic minorities (excluding White
/// minorities), and each other group against White British. The counts are protected as one
/// table of their own.
pub fn relative_likelihood(
    outcome: &str,
    records: &[(Classified, bool)],
    direction: Direction,
    confidence: f64,
    min_cell: u64,
) -> Likelihood {
    let result: Result<Likelihood, std::convert::Infallible> =
        crate::disclosure::protected(min_cell, |disclosure| {
            let ethnicity: Vec<u32> = records
                .iter()
                .map(|(e, _)| ClassifiedKey::encode(*e).0)
                .collect();
            let flags: Vec<u32> = records.iter().map(|(_, v)| u32::from(*v)).collect();
            disclosure.dimension("records", cells::ETHNICITY, &ethnicity);
            disclosure.dimension("records", "outcome", &flags);
            let outcome_cells = Outcome {
                disclosure,
                base: Cell::of("records"),
                dimension: "outcome".into(),
                yes: vec![1],
                no: vec![0],
            };
            Ok(relative_likelihood_in(
                "staff",
                outcome,
                records,
                direction,
                confidence,
                &outcome_cells,
            ))
        });
    match result {
        Ok(l) => l,
        Err(never) => match never {},
    }
}

/// [`relative_likelihood`] for `people` ("staff", "applicants"), who are named in every
/// direction text and finding, with the counts declared to the run's disclosure control as
/// `cells` describes them.
pub fn relative_likelihood_in(
    people: &str,
    outcome: &str,
    records: &[(Classified, bool)],
    direction: Direction,
    confidence: f64,
    cells: &Outcome,
) -> Likelihood {
    let (mut counts, mut not_placed) = ([(0u64, 0u64); 2], 0u64);
    let mut groups = [(0u64, 0u64); COMPARISON_GROUPS.len()];
    let mut not_in_group = 0u64;
    for &(ethnicity, event) in records {
        match Level::White.bucket(ethnicity) {
            Some(b) => {
                counts[b].0 += 1;
                counts[b].1 += u64::from(event);
            }
            None => not_placed += 1,
        }
        match comparison_group(ethnicity) {
            Some(g) => {
                groups[g].0 += 1;
                groups[g].1 += u64::from(event);
            }
            None => not_in_group += 1,
        }
    }
    let labels = Level::White.group_labels();
    let white_level: Vec<Vec<u32>> = (0..2)
        .map(|b| self::cells::ethnicity_codes(|c| Level::White.bucket(c) == Some(b)))
        .collect();
    let by_comparison: Vec<Vec<u32>> = (0..COMPARISON_GROUPS.len())
        .map(|g| self::cells::ethnicity_codes(|c| comparison_group(c) == Some(g)))
        .collect();
    let not_placed = cells.disclosure.count(
        &cells.base.clone().with(
            self::cells::ETHNICITY,
            self::cells::ethnicity_codes(|c| Level::White.bucket(c).is_none()),
        ),
        not_placed,
    );
    let not_in_group = cells.disclosure.count(
        &cells.base.clone().with(
            self::cells::ETHNICITY,
            self::cells::ethnicity_codes(|c| comparison_group(c).is_none()),
        ),
        not_in_group,
    );
    let published = [
        cells.counts(&white_level[0], counts[0].0, counts[0].1),
        cells.counts(&white_level[1], counts[1].0, counts[1].1),
    ];
    cells.split(
        &[&white_level[0], &white_level[1]],
        counts[0].1 + counts[1].1,
    );
    let group_counts: Vec<[Count; 3]> = (0..COMPARISON_GROUPS.len())
        .map(|g| cells.counts(&by_comparison[g], groups[g].0, groups[g].1))
        .collect();
    let group_codes: Vec<&[u32]> = by_comparison.iter().map(Vec::as_slice).collect();
    cells.split(&group_codes, groups.iter().map(|g| g.1).sum());
    let mut main = compare(
        Comparison {
            outcome,
            people,
            comparison: "White and ethnic minorities (excluding White minorities)".into(),
            direction_text: direction.describe(outcome, people),
            labels: [labels[0].clone(), labels[1].clone()],
            published,
            not_placed,
        },
        direction,
        confidence,
    );
    main.by_group = (1..COMPARISON_GROUPS.len())
        .map(|g| {
            let group = COMPARISON_GROUPS[g];
            let (top, bottom) = match direction {
                Direction::WhiteOverMinority => ("White British", group),
                Direction::MinorityOverWhite => (group, "White British"),
            };
            compare(
                Comparison {
                    outcome,
                    people,
                    comparison: format!("White British and {group}"),
                    direction_text: format!(
                        "{top} ÷ {bottom}: above 1 means {top} {people} are more likely to have the outcome '{outcome}'"
                    ),
                    labels: ["White British".into(), group.to_string()],
                    published: [group_counts[0], group_counts[g]],
                    not_placed: not_in_group,
                },
                direction,
                confidence,
            )
        })
        .collect();
    main
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::EthnicGroup;

    fn records(
        white: (u64, u64),
        minority: (u64, u64),
        not_stated: u64,
    ) -> Vec<(Classified, bool)> {
        let mut out = Vec::new();
        for i in 0..white.0 {
            // White minorities count as White, as in WRES.
            let g = if i % 4 == 0 {
                EthnicGroup::OtherWhite
            } else {
                EthnicGroup::WhiteBritish
            };
            out.push((Classified::Group(g), i < white.1));
        }
        for i in 0..minority.0 {
            out.push((Classified::Group(EthnicGroup::Indian), i < minority.1));
        }
        out.extend((0..not_stated).map(|_| (Classified::NotStated, true)));
        out
    }

    /// DOMAIN check: 40/200 vs 10/100 → 2.0 (95% CI 1.04404–3.83126).
    #[test]
    fn white_over_minority_worked_example() {
        let l = relative_likelihood(
            "appointed",
            &records((200, 40), (100, 10), 7),
            Direction::WhiteOverMinority,
            0.95,
            5,
        );
        assert!((l.relative_likelihood.unwrap() - 2.0).abs() < 1e-12);
        assert!((l.ci_low.unwrap() - 1.0440429898469923).abs() < 1e-9);
        assert!((l.ci_high.unwrap() - 3.8312598608475046).abs() < 1e-9);
        assert_eq!(l.not_placed_n, Some(7));
        assert_eq!(l.four_fifths_flag, Some(true));
        assert_eq!(l.non_adverse, Some(false));
        assert!(l
            .direction_text
            .contains("above 1 means White staff are more likely"));
    }

    /// DOMAIN check the other way round: 10/75 minority vs 12/225 White → 2.5.
    #[test]
    fn minority_over_white_worked_example() {
        let l = relative_likelihood(
            "disciplined",
            &records((225, 12), (75, 10), 0),
            Direction::MinorityOverWhite,
            0.95,
            5,
        );
        assert!((l.relative_likelihood.unwrap() - 2.5).abs() < 1e-12);
        assert!((l.ci_low.unwrap() - 1.1261564003469628).abs() < 1e-9);
    }

    #[test]
    fn flags() {
        assert_eq!(parse_outcome_flag(" Yes "), Some(true));
        assert_eq!(parse_outcome_flag(""), Some(false));
        assert_eq!(parse_outcome_flag("maybe"), None);
    }

    #[test]
    fn small_counts_suppress_the_ratio() {
        let l = relative_likelihood(
            "disciplined",
            &records((225, 12), (75, 3), 0),
            Direction::MinorityOverWhite,
            0.95,
            5,
        );
        assert_eq!(l.suppressed, Some(Withheld));
        assert_eq!(l.minority.events, None);
        assert_eq!(l.minority.rate, None);
        assert_eq!(l.minority.n, Some(75));
        assert_eq!(l.relative_likelihood, None);
        assert_eq!(l.four_fifths_flag, None);
        // 3 of the 12 White staff disciplined are White minorities (withheld in the per-group
        // comparison): with the White British 9 shown, White's 12 would give them away.
        assert_eq!(l.white.events, None);
        assert_eq!(l.by_group[0].minority.events, None);
        assert_eq!(l.by_group[0].white.events, Some(9));
    }

    /// Per-group ratios against White British: 40/200 White British vs 10/100 Indian gives the
    /// DOMAIN worked example again; the Other White staff are White in the main ratio only.
    #[test]
    fn each_group_against_white_british() {
        let mut records = Vec::new();
        for i in 0..200 {
            records.push((Classified::Group(EthnicGroup::WhiteBritish), i < 40));
        }
        for i in 0..100 {
            records.push((Classified::Group(EthnicGroup::Indian), i < 10));
        }
        for i in 0..3 {
            records.push((Classified::Group(EthnicGroup::African), i < 1));
        }
        // The arithmetic, with nothing withheld (a threshold of 1).
        let l = relative_likelihood("appointed", &records, Direction::WhiteOverMinority, 0.95, 1);
        assert_eq!(l.by_group.len(), 5);
        let asian = &l.by_group[1];
        assert_eq!(
            asian.comparison,
            "White British and Asian, Asian British or Asian Welsh"
        );
        assert!((asian.relative_likelihood.unwrap() - 2.0).abs() < 1e-12);
        assert!((asian.ci_low.unwrap() - 1.0440429898469923).abs() < 1e-9);
        assert!(asian.direction_text.starts_with("White British ÷ Asian"));
        // Three Black staff: too few to show. Ethnic minorities' 11 appointed less Asian's 10
        // would give away the one Black appointment, so one of those is withheld too: the
        // Asian count (the smaller), keeping the comparison of all ethnic minorities.
        let l = relative_likelihood("appointed", &records, Direction::WhiteOverMinority, 0.95, 5);
        assert_eq!(l.minority.events, Some(11));
        assert_eq!(l.by_group[1].minority.events, None);
        assert_eq!(l.by_group[1].relative_likelihood, None);
        assert_eq!(l.by_group[2].suppressed, Some(Withheld));
        assert_eq!(l.by_group[2].minority.n, None);
        // No White minorities: nothing to compare, nothing suppressed.
        assert_eq!(l.by_group[0].relative_likelihood, None);
        assert_eq!(l.by_group[0].minority.n, Some(0));
    }
}
