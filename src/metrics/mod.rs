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
