//! repgap: representation gaps by ethnicity, from a council's raw equality data.
//!
//! The pipeline runs in stages, one module each, passing plain data between them:
//! [`ingest`] (Census tables and workforce extracts) → [`classify`] (labels onto the Census 2021
//! classification) → [`metrics`] (shares, gaps, intervals, tests) with [`disclosure`] control →
//! [`output`] (CSV, JSON, terminal tables). The command-line interface lives in [`cli`] and is
//! the only part that knows about arguments.

pub mod analysis;
pub mod annex;
pub mod charts;
pub mod classify;
pub mod cli;
pub mod config;
pub mod disclosure;
pub mod error;
pub mod ingest;
pub mod metrics;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod register;
pub mod stats;
pub mod survey;
pub mod text;

pub use error::{Error, Result};
