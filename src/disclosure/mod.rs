//! Statistical disclosure control for published counts.
//!
//! Ethnicity is special category personal data (UK GDPR art. 9); a table about a workforce of a
//! few hundred can identify a person, and an attacker holds every output of a run. So every
//! count of people a run publishes is protected together ([`protect`]):
//!
//! - a count from 1 to below the threshold (default 5) of an ethnic group (or of people with no
//!   stated ethnicity) is withheld; zeros are shown unless they complete a disclosure;
//! - a distribution by ethnic group in which one group holds all but fewer than the threshold
//!   of a row is withheld (group disclosure);
//! - further counts are withheld, the cheapest first, so that for each of those the range an
//!   attacker can derive from everything published (by linear programming over every table of
//!   the run at once, and what the outputs reveal beyond the counts) reaches from 0 to the
//!   threshold.
//!
//! Every withheld figure is published as the one marker [`WITHHELD`] (`[c]`), whatever the
//! reason, so the marker says nothing about the value; the reasons go to a private log only on
//! request. A threshold below 3 is for runs not for publication ([`publication`]).

mod audit;
mod cells;
mod protect;
pub mod publication;

pub use cells::{Cell, Count, Disclosure, Ledger, Recorder, ETHNICITY};
pub use protect::{protect, Protection, ProtectionSummary, Reason};

/// The marker of a withheld figure in every output: the Government Statistical Service
/// shorthand for "confidential".
pub const WITHHELD: &str = "[c]";

/// A withheld figure. Published as [`WITHHELD`] whatever the reason: a reason ("fewer than 5",
/// "protects another") would tell an attacker the value's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withheld;

impl Withheld {
    /// `Some(Withheld)` when `withheld`.
    pub fn when(withheld: bool) -> Option<Withheld> {
        withheld.then_some(Withheld)
    }

    /// The text written in an output in place of the figure.
    pub fn marker(self) -> &'static str {
        WITHHELD
    }
}

impl serde::Serialize for Withheld {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(WITHHELD)
    }
}

/// Whether `n` people are too few to publish: from 1 to below the threshold. Zero is not a
/// small group of people.
pub fn is_small(n: u64, min_cell: u64) -> bool {
    n >= 1 && n < min_cell
}

/// `n` rounded to the nearest multiple of `base`, halves up; `base` 0 or 1 leaves it exact.
///
/// Rounding is applied to counts already shown (after suppression), as OpenSAFELY does: a
/// further layer against differencing between runs and tables, at the cost of parts that no
/// longer add up to their totals exactly.
pub fn round_count(n: u64, base: u64) -> u64 {
    if base <= 1 {
        return n;
    }
    let down = n - n % base;
    if (n % base).saturating_mul(2) >= base {
        down.saturating_add(base)
    } else {
        down
    }
}

/// [`round_count`] for a count that can hold a fraction of a person (pay quarters share the
/// people at a quarter's boundary by their ties).
pub fn round_figure(x: f64, base: u64) -> f64 {
    if base <= 1 {
        return x;
    }
    let base = base as f64;
    (x / base + 0.5).floor() * base
}

/// Compute figures that publish counts, protected as one whole: `compute` runs once to declare
/// its counts and once, after they are protected together, to publish them.
pub fn protected<T, E>(
    min_cell: u64,
    compute: impl Fn(&dyn Disclosure) -> Result<T, E>,
) -> Result<T, E> {
    protected_rounded(min_cell, 1, compute)
}

/// [`protected`], with every shown count rounded to a multiple of `round_to` (1: exact).
pub fn protected_rounded<T, E>(
    min_cell: u64,
    round_to: u64,
    compute: impl Fn(&dyn Disclosure) -> Result<T, E>,
) -> Result<T, E> {
    let recorder = Recorder::new(min_cell);
    compute(&recorder)?;
    compute(&protect(&recorder.into_ledger(), min_cell).rounded_to(round_to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounding_to_five_by_hand() {
        let to_five: Vec<u64> = [0, 2, 3, 7, 8, 12, 13, 386]
            .iter()
            .map(|&n| round_count(n, 5))
            .collect();
        assert_eq!(to_five, [0, 0, 5, 5, 10, 10, 15, 385]);
        // Halves go up: 5 of 10 is 10, 15 is 20.
        assert_eq!(round_count(5, 10), 10);
        assert_eq!(round_count(15, 10), 20);
        assert_eq!(round_count(14, 10), 10);
        // 1 and 0 keep counts exact.
        assert_eq!(round_count(7, 1), 7);
        assert_eq!(round_count(7, 0), 7);
        // The largest count cannot overflow.
        assert_eq!(round_count(u64::MAX, 2), u64::MAX);
        assert_eq!(round_figure(7.5, 5), 10.0);
        assert_eq!(round_figure(7.49, 5), 5.0);
        assert_eq!(round_figure(9.25, 1), 9.25);
    }

    proptest! {
        /// A rounded count is the nearest multiple of the base (halves up), and rounding
        /// keeps the order of counts, so a part never exceeds its rounded total.
        #[test]
        fn rounding_is_nearest_and_keeps_order(a in 0u64..1_000_000, b in 0u64..1_000_000, base in 1u64..50) {
            let r = round_count(a, base);
            prop_assert_eq!(r % base, 0);
            prop_assert!(r.abs_diff(a) * 2 <= base);
            prop_assert!(r.abs_diff(a) * 2 < base || r > a);
            let (low, high) = (a.min(b), a.max(b));
            prop_assert!(round_count(low, base) <= round_count(high, base));
            prop_assert_eq!(round_figure(a as f64, base), r as f64);
        }
    }
}
