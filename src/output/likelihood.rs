//! Relative likelihoods in CSV.

use super::{count_cell, csv_line, fixed};
use crate::metrics::likelihood::Likelihood;

/// The CSV contract (docs/FORMATS.md).
pub const LIKELIHOOD_COLUMNS: [&str; 16] = [
    "outcome",
    "comparison",
    "direction",
    "white_n",
    "white_events",
    "white_rate",
    "minority_n",
    "minority_events",
    "minority_rate",
    "not_placed_n",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "four_fifths_flag",
    "non_adverse_0_80_1_25",
    "suppressed",
];

/// One row of text fields per outcome and comparison (White and ethnic minorities first, then
/// each group against White British), in [`LIKELIHOOD_COLUMNS`] order.
pub fn likelihood_rows(results: &[Likelihood]) -> Vec<Vec<String>> {
    let flag = |b: Option<bool>| {
        b.map(|b| if b { "yes" } else { "no" }.to_string())
            .unwrap_or_default()
    };
    let n = count_cell;
    results
        .iter()
        .flat_map(|l| std::iter::once(l).chain(&l.by_group))
        .map(|l| {
            vec![
                l.outcome.clone(),
                l.comparison.clone(),
                l.direction_text.clone(),
                n(l.white.n),
                n(l.white.events),
                fixed(l.white.rate, 6),
                n(l.minority.n),
                n(l.minority.events),
                fixed(l.minority.rate, 6),
                n(l.not_placed_n),
                fixed(l.relative_likelihood, 4),
                fixed(l.ci_low, 4),
                fixed(l.ci_high, 4),
                flag(l.four_fifths_flag),
                flag(l.non_adverse),
                l.suppressed
                    .map(|s| s.marker().to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

pub fn likelihood_csv(results: &[Likelihood]) -> String {
    let mut out = csv_line(&LIKELIHOOD_COLUMNS);
    for row in likelihood_rows(results) {
        out.push_str(&csv_line(&row));
    }
    out
}
