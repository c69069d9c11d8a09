//! Analyses that turn classified records and Census counts into published figures. Every figure
//! is a record with its numerator, denominator, interval and suppression state, so the CSV, JSON
//! and terminal outputs always agree.

pub mod areas;
pub mod cells;
pub mod change;
pub mod groups;
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

/// One share with its Wilson interval, withheld when its count is: a point of a seniority
/// ladder (label = grade) or of a trend (label = snapshot date).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SharePoint {
    pub label: String,
    /// The denominator: people placeable at the series' level (or the headcount); `None` when
    /// withheld, and the share and interval with it.
    pub n: Option<u64>,
    pub count: Option<u64>,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub suppressed: Option<crate::disclosure::Withheld>,
}

impl SharePoint {
    /// `x` of `n`, each as published; the share only when both are shown.
    pub fn new(
        label: String,
        x: crate::disclosure::Count,
        n: crate::disclosure::Count,
        confidence: f64,
    ) -> SharePoint {
        let shown = !x.withheld;
        let share_shown = shown && !n.withheld;
        let interval = crate::stats::wilson_interval(x.n, n.n, confidence).filter(|_| share_shown);
        SharePoint {
            label,
            n: n.shown(),
            count: x.shown(),
            share: (share_shown && n.n > 0).then(|| x.n as f64 / n.n as f64),
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
            suppressed: crate::disclosure::Withheld::when(x.withheld),
        }
    }
}
