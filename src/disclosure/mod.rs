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

/// Compute figures that publish counts, protected as one whole: `compute` runs once to declare
/// its counts and once, after they are protected together, to publish them.
pub fn protected<T, E>(
    min_cell: u64,
    compute: impl Fn(&dyn Disclosure) -> Result<T, E>,
) -> Result<T, E> {
    let recorder = Recorder::new(min_cell);
    compute(&recorder)?;
    compute(&protect(&recorder.into_ledger(), min_cell))
}
