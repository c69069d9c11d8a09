//! Statistical disclosure control for published counts.
//!
//! Ethnicity is special category personal data (UK GDPR art. 9); a table about a workforce of a
//! few hundred can identify a person, and an attacker holds every output of a run. So every
//! count of people a run publishes is protected together ([`protect`]):
//!
//! - a count from 1 to below the threshold (default 5) is withheld; zeros are shown unless they
//!   complete a disclosure;
//! - a distribution by ethnic group in which one group holds all but fewer than the threshold
//!   of a row is withheld (group disclosure);
//! - secondary cells are chosen by Gaussian elimination over every table of the run at once, so
//!   no withheld count is a linear combination of published ones;
//! - an audit by linear programming checks that the range an attacker can derive for each
//!   protected count reaches from 0 to the threshold, withholding more until it does.
//!
//! Every withheld figure is published as the one marker [`WITHHELD`] (`[c]`), whatever the
//! reason, so the marker says nothing about the value.

mod audit;
mod cells;
mod gauss;
mod protect;

pub use cells::{Cell, Count, Disclosure, Ledger, Recorder, SmallCountsOnly};
pub use protect::{protect, Protection, ProtectionSummary, Reason};

/// The marker of a withheld figure in every output: the Government Statistical Service
/// shorthand for "confidential".
pub const WITHHELD: &str = "[c]";

use serde::Serialize;

/// Why a figure is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionReason {
    /// The count is from 1 to below the threshold.
    Primary,
    /// Withheld so that a primary-suppressed count cannot be recovered by subtraction.
    Secondary,
}

impl SuppressionReason {
    /// The text written in the `suppressed` output column.
    pub fn describe(self, min_cell: u64) -> String {
        match self {
            SuppressionReason::Primary => format!("primary: fewer than {min_cell} people"),
            SuppressionReason::Secondary => {
                "secondary: protects another suppressed figure".to_string()
            }
        }
    }
}

/// Whether `n` people are too few to publish: from 1 to below the threshold. Zero is not a
/// small group of people.
pub fn is_small(n: u64, min_cell: u64) -> bool {
    n >= 1 && n < min_cell
}

/// `n` as published: `None` when it is too few people to show.
pub fn publish(n: u64, min_cell: u64) -> Option<u64> {
    (!is_small(n, min_cell)).then_some(n)
}

/// A linear relation an adversary knows: `total = sum(parts)`. `total: None` means the total is
/// itself published (e.g. the number of staff who declared an ethnicity) and never withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub total: Option<usize>,
    pub parts: Vec<usize>,
}

impl Constraint {
    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        self.total.into_iter().chain(self.parts.iter().copied())
    }
}

/// Decide which of `counts` to withhold. Returns one entry per cell.
pub fn suppress(
    counts: &[u64],
    constraints: &[Constraint],
    min_cell: u64,
) -> Vec<Option<SuppressionReason>> {
    suppress_with(counts, constraints, min_cell, &vec![true; counts.len()])
}

/// [`suppress`], where a cell whose `secondary_allowed` is false is withheld only for being
/// small itself, never to protect another (a denominator, whose withholding would take every
/// share over it too).
pub fn suppress_with(
    counts: &[u64],
    constraints: &[Constraint],
    min_cell: u64,
    secondary_allowed: &[bool],
) -> Vec<Option<SuppressionReason>> {
    let mut reasons: Vec<Option<SuppressionReason>> = counts
        .iter()
        .map(|&n| (n >= 1 && n < min_cell).then_some(SuppressionReason::Primary))
        .collect();
    loop {
        let mut changed = false;
        for constraint in constraints {
            let withheld = constraint.cells().filter(|&c| reasons[c].is_some()).count();
            if withheld != 1 {
                continue;
            }
            // The next smallest shown cell; a zero only when nothing else is left, because
            // withholding a zero next to a small count still leaves the split unknown.
            let candidate = constraint
                .cells()
                .filter(|&c| reasons[c].is_none() && secondary_allowed[c])
                .min_by_key(|&c| (counts[c] == 0, counts[c], c));
            if let Some(c) = candidate {
                reasons[c] = Some(SuppressionReason::Secondary);
                changed = true;
            }
        }
        if !changed {
            return reasons;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn single_small_cell_takes_the_next_smallest_with_it() {
        let counts = [120, 3, 0, 9, 40];
        let c = [Constraint {
            total: None,
            parts: vec![0, 1, 2, 3, 4],
        }];
        let r = suppress(&counts, &c, 5);
        assert_eq!(r[1], Some(SuppressionReason::Primary));
        assert_eq!(r[3], Some(SuppressionReason::Secondary));
        assert_eq!(r[2], None, "zero shown while a non-zero cell can protect");
        assert_eq!(r.iter().filter(|x| x.is_some()).count(), 2);
    }

    #[test]
    fn two_small_cells_need_no_secondary() {
        let counts = [100, 2, 4, 50];
        let c = [Constraint {
            total: None,
            parts: vec![0, 1, 2, 3],
        }];
        let r = suppress(&counts, &c, 5);
        assert_eq!(
            r.iter()
                .filter(|x| **x == Some(SuppressionReason::Secondary))
                .count(),
            0
        );
    }

    #[test]
    fn zero_threshold_suppresses_nothing() {
        let counts = [1, 2, 3];
        let c = [Constraint {
            total: None,
            parts: vec![0, 1, 2],
        }];
        assert!(suppress(&counts, &c, 0).iter().all(Option::is_none));
        assert!(suppress(&counts, &c, 1).iter().all(Option::is_none));
    }

    /// An adversary's view: solve every equation with exactly one unknown, repeatedly, using
    /// only the shown figures and the published totals. Returns the cells it recovers.
    fn attack(
        counts: &[u64],
        shown: &[bool],
        relations: &[(Option<u64>, Option<usize>, Vec<usize>)],
    ) -> Vec<usize> {
        let mut known: Vec<Option<u64>> = counts
            .iter()
            .zip(shown)
            .map(|(&n, &s)| s.then_some(n))
            .collect();
        let mut recovered = Vec::new();
        loop {
            let mut progress = false;
            for (published_total, total_cell, parts) in relations {
                let total = published_total.or_else(|| total_cell.and_then(|c| known[c]));
                let unknown_parts: Vec<usize> = parts
                    .iter()
                    .copied()
                    .filter(|&p| known[p].is_none())
                    .collect();
                let known_sum: u64 = parts.iter().filter_map(|&p| known[p]).sum();
                match (total, unknown_parts.as_slice()) {
                    (Some(t), [only]) => {
                        known[*only] = Some(t - known_sum);
                        recovered.push(*only);
                        progress = true;
                    }
                    (None, []) => {
                        let c = total_cell.unwrap();
                        known[c] = Some(known_sum);
                        recovered.push(c);
                        progress = true;
                    }
                    _ => {}
                }
            }
            if !progress {
                return recovered;
            }
        }
    }

    proptest! {
        /// A grid of groups × grades with its margins (group totals across grades, which are
        /// themselves cells, and published grade totals): no withheld cell can be recovered.
        #[test]
        fn suppressed_cells_cannot_be_recovered_by_subtraction(
            grid in (2usize..6, 2usize..7).prop_flat_map(|(groups, grades)| {
                proptest::collection::vec(proptest::collection::vec(0u64..12, groups), grades)
            }),
            min_cell in 2u64..8,
        ) {
            let groups = grid[0].len();
            let grades = grid.len();
            // Cells: grid[grade][group] at grade*groups+group, then group totals at the end.
            let mut counts: Vec<u64> = grid.iter().flat_map(|row| row[..groups].to_vec()).collect();
            let totals_at = counts.len();
            for g in 0..groups {
                counts.push(grid.iter().map(|row| row[g]).sum());
            }
            let mut constraints = Vec::new();
            let mut relations = Vec::new();
            for grade in 0..grades {
                let parts: Vec<usize> = (0..groups).map(|g| grade * groups + g).collect();
                let total: u64 = parts.iter().map(|&p| counts[p]).sum();
                constraints.push(Constraint { total: None, parts: parts.clone() });
                relations.push((Some(total), None, parts));
            }
            let all_parts: Vec<usize> = (0..groups).map(|g| totals_at + g).collect();
            let grand: u64 = all_parts.iter().map(|&p| counts[p]).sum();
            constraints.push(Constraint { total: None, parts: all_parts.clone() });
            relations.push((Some(grand), None, all_parts));
            for g in 0..groups {
                let parts: Vec<usize> = (0..grades).map(|grade| grade * groups + g).collect();
                constraints.push(Constraint { total: Some(totals_at + g), parts: parts.clone() });
                relations.push((None, Some(totals_at + g), parts));
            }
            let reasons = suppress(&counts, &constraints, min_cell);
            for (i, &n) in counts.iter().enumerate() {
                if n >= 1 && n < min_cell {
                    prop_assert!(reasons[i].is_some(), "cell {i} = {n} shown");
                }
            }
            let shown: Vec<bool> = reasons.iter().map(Option::is_none).collect();
            let recovered = attack(&counts, &shown, &relations);
            prop_assert!(recovered.is_empty(), "recovered cells {recovered:?} from {counts:?} shown {shown:?}");
        }
    }
}
