//! Analyses that turn classified records and Census counts into published figures. Every figure
//! is a record with its numerator, denominator, interval and suppression state, so the CSV, JSON
//! and terminal outputs always agree.

pub mod likelihood;
pub mod paygap;
pub mod recruitment;
pub mod representation;
pub mod seniority;
pub mod tabulate;
pub mod trends;

pub use representation::{
    representation, Assessment, RepresentationOptions, RepresentationReport, RepresentationRow,
    RepresentationTable,
};

/// One share with its Wilson interval, withheld with the reason when suppressed: a point of a
/// seniority ladder (label = grade) or of a trend (label = snapshot date).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SharePoint {
    pub label: String,
    /// The denominator: people placeable at the series' level (or the headcount); `None` when
    /// too few to show, and the share and interval with it.
    pub n: Option<u64>,
    pub count: Option<u64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: Option<crate::disclosure::SuppressionReason>,
}

impl SharePoint {
    /// `x` of `n`, shown unless `suppressed`; `n` itself, and the share over it, only when it
    /// is not too few people to show.
    pub fn new(
        label: String,
        x: u64,
        n: u64,
        confidence: f64,
        min_cell: u64,
        suppressed: Option<crate::disclosure::SuppressionReason>,
    ) -> SharePoint {
        let n_shown = crate::disclosure::publish(n, min_cell);
        let shown = suppressed.is_none();
        let share_shown = shown && n_shown.is_some();
        let interval = crate::stats::wilson_interval(x, n, confidence).filter(|_| share_shown);
        SharePoint {
            label,
            n: n_shown,
            count: shown.then_some(x),
            share: (share_shown && n > 0).then(|| x as f64 / n as f64),
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
            suppressed,
        }
    }
}
