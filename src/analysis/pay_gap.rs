//! The ethnicity pay gap (`[pay_gap]`): mean and median hourly pay gaps against a reference
//! group, pay quarters and bonus gaps (see [`crate::metrics::paygap`]).

use serde::Deserialize;

use super::{Analysis, ExtractInput, Inputs, JsonPart, OutputFile, PlanContext, Section, Settings};
use crate::annex::workforce::{
    pay_gap_evidence, pay_quarters_evidence, PAY_GAP_KEY, PAY_QUARTERS_KEY,
};
use crate::disclosure::Disclosure;
use crate::error::Result;
use crate::ingest::ColumnNeed;
use crate::metrics::paygap::{
    pay_gap_in, pay_records, HourlyPaySource, PayCells, PayColumns, PayGapOptions, PayReference,
};
use crate::output::{pay_gap_csv, pay_quarters_csv};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayGapConfig {
    /// Ordinary hourly pay. Or give `pay_column` and `hours_column` (pay and hours worked in
    /// the same pay period) to derive it.
    hourly_pay_column: Option<String>,
    pay_column: Option<String>,
    hours_column: Option<String>,
    /// Yes/no: full-pay relevant. Absent: every employee is.
    full_pay_relevant_column: Option<String>,
    /// Bonus pay in the 12 months to the snapshot date.
    bonus_column: Option<String>,
    #[serde(default = "default_reference")]
    reference: PayReference,
    /// The reference used when `reference` is below `min_group_size`.
    #[serde(default = "default_fallback")]
    fallback: Fallback,
    #[serde(default = "default_min_group_size")]
    min_group_size: u64,
}

/// What to compare with when the reference group is too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Fallback {
    /// All White groups.
    White,
    /// Report no gaps.
    None,
}

fn default_reference() -> PayReference {
    PayReference::WhiteBritish
}
fn default_fallback() -> Fallback {
    Fallback::White
}
fn default_min_group_size() -> u64 {
    10
}

#[derive(Debug)]
pub struct PayGap {
    workforce: ExtractInput,
    columns: PayColumns,
    options: PayGapOptions,
}

pub fn build(
    section: Option<toml::Value>,
    plan: &PlanContext,
) -> Result<Option<Box<dyn Analysis>>> {
    let Some(p) = plan.section::<PayGapConfig>("pay_gap", section)? else {
        return Ok(None);
    };
    let hourly = match (p.hourly_pay_column, p.pay_column, p.hours_column) {
        (Some(hourly), None, None) => HourlyPaySource::Hourly(hourly),
        (None, Some(pay), Some(hours)) => HourlyPaySource::PayAndHours { pay, hours },
        _ => {
            return Err(plan.error(
                "[pay_gap] needs either hourly_pay_column, or pay_column with hours_column",
                "name the column of ordinary hourly pay, or the columns of pay and of hours worked in the same pay period",
            ))
        }
    };
    if p.min_group_size < 2 {
        return Err(plan.error(
            "[pay_gap] min_group_size must be at least 2",
            "the guidance suggests 10",
        ));
    }
    Ok(Some(Box::new(PayGap {
        workforce: plan.workforce.clone(),
        columns: PayColumns {
            hourly,
            full_pay_relevant: p.full_pay_relevant_column,
            bonus: p.bonus_column,
        },
        options: PayGapOptions {
            reference: p.reference,
            fallback: match p.fallback {
                Fallback::White => Some(PayReference::White),
                Fallback::None => None,
            },
            // A group too small for pay figures is at most one less than this: that cap must
            // leave a withheld count room to reach the disclosure threshold.
            min_group_size: p
                .min_group_size
                .max(plan.settings.min_cell.saturating_add(1)),
            min_cell: plan.settings.min_cell,
        },
    })))
}

impl Analysis for PayGap {
    fn needs(&self) -> Vec<(ExtractInput, Vec<ColumnNeed>)> {
        vec![(self.workforce.clone(), self.columns.needs())]
    }

    fn metric_keys(&self) -> Vec<String> {
        vec![PAY_GAP_KEY.into(), PAY_QUARTERS_KEY.into()]
    }

    fn run(
        &self,
        inputs: &Inputs,
        _settings: &Settings,
        disclosure: &dyn Disclosure,
    ) -> Result<Section> {
        let workforce = inputs.extract(&self.workforce);
        let (records, excluded) = pay_records(workforce, &self.columns)?;
        let warnings = crate::metrics::paygap::implausible_pay(workforce, &records, &self.columns);
        let cells = PayCells {
            disclosure,
            everyone: crate::metrics::cells::everyone(workforce, disclosure),
            rows: workforce.len(),
        };
        let report = pay_gap_in(&records, excluded, &self.options, &cells);
        Ok(Section {
            files: vec![
                OutputFile {
                    name: "pay-gap.csv".into(),
                    contents: pay_gap_csv(&report),
                },
                OutputFile {
                    name: "pay-quarters.csv".into(),
                    contents: pay_quarters_csv(&report),
                },
            ],
            json_parts: vec![JsonPart {
                file: super::DEEP_DIVE_JSON,
                key: "pay_gap",
                value: serde_json::to_value(&report).expect("a report serialises"),
            }],
            // No quarters when one would hold fewer people than the threshold (see
            // `paygap::pay_quarters`): the pay gap's notes say so.
            evidence: std::iter::once(pay_gap_evidence(&report))
                .chain((!report.quarters.is_empty()).then(|| pay_quarters_evidence(&report)))
                .collect(),
            methods: vec![("Ethnicity pay gap".into(), "GOV.UK ethnicity pay reporting guidance (2023): ordinary hourly pay of full-pay relevant employees; gap = (reference − group) ÷ reference for means and medians; groups under the minimum size have no pay figures; pay quarters of equal size (remainder to the lower, then upper middle, then lower middle quarter), tied pay at a boundary split in proportion (SI 2017/172 reg. 13(2))".into())],
            warnings,
            ..Section::default()
        })
    }
}
