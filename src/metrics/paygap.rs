//! Ethnicity pay gap, after the UK government's "Ethnicity pay reporting: guidance for
//! employers" (2023), which builds on the gender pay gap regulations (SI 2017/172).
//!
//! From the ordinary hourly pay of full-pay relevant employees:
//! - for each group, mean gap = (mean_ref − mean_group) / mean_ref × 100 and the median gap the
//!   same way, where the reference is White British (or, when configured or as a fallback, all
//!   White groups). A positive gap means the group is paid less than the reference;
//! - the aggregate gap between White British and all other ethnic groups combined;
//! - pay quarters (reg. 13): rank everyone by hourly pay and cut the list into four sections of
//!   (so far as possible) equal size. A remainder goes to the lower quarter first, then the
//!   upper middle, then the lower middle (the distribution in the government's worked
//!   guidance). Employees on the same hourly rate who straddle a boundary are split so that each
//!   group's proportion among them is the same on both sides (reg. 13(2)), which can leave
//!   fractional counts;
//! - bonus gaps among those who received a bonus, and the proportion of each group receiving one;
//! - the proportion of employees whose ethnicity is not known.
//!
//! Groups below the minimum group size (default 10, after the 2025 consultation) have no gap
//! reported (and no quarter boundaries, which are individual employees' pay). Every count of
//! employees (group sizes, bonus recipients, quarter sizes and each group's count in each
//! quarter) is a cell of the run's disclosure control, protected with every other table of the
//! same workforce. For that, each employee is placed in the quarter of their rank; a tied block
//! that straddles a boundary is still published split in proportion.

use serde::Serialize;

use super::cells;
use super::tabulate::ClassifiedKey;
use crate::classify::{comparison_group, Classified, Level, COMPARISON_GROUPS};
use crate::disclosure::{round_figure, Cell, Count, Disclosure, Withheld};
use crate::error::{BadCell, Error, Result};
use crate::ingest::{ColumnKind, ColumnNeed, Extract};
use crate::stats::median_sorted;

/// Which columns of the workforce file hold pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HourlyPaySource {
    /// A column of ordinary hourly pay.
    Hourly(String),
    /// Ordinary pay for the pay period and the hours worked in that same period.
    PayAndHours { pay: String, hours: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayColumns {
    pub hourly: HourlyPaySource,
    /// A yes/no column: is the employee full-pay relevant? Absent: everyone is.
    pub full_pay_relevant: Option<String>,
    /// Bonus pay received in the 12 months to the snapshot date.
    pub bonus: Option<String>,
}

impl PayColumns {
    /// The columns to read, typed.
    pub fn needs(&self) -> Vec<ColumnNeed> {
        let mut needs = match &self.hourly {
            HourlyPaySource::Hourly(c) => {
                vec![ColumnNeed::new(c, ColumnKind::Amount, "hourly pay")]
            }
            HourlyPaySource::PayAndHours { pay, hours } => vec![
                ColumnNeed::new(pay, ColumnKind::Amount, "pay"),
                ColumnNeed::new(hours, ColumnKind::Amount, "hours"),
            ],
        };
        needs.extend(
            self.full_pay_relevant
                .iter()
                .map(|c| ColumnNeed::new(c, ColumnKind::Flag, "full-pay relevant")),
        );
        needs.extend(
            self.bonus
                .iter()
                .map(|c| ColumnNeed::new(c, ColumnKind::Amount, "bonus pay")),
        );
        needs
    }
}

/// The group pay is compared against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayReference {
    WhiteBritish,
    /// All White groups (White British and the White minorities).
    White,
}

impl PayReference {
    pub fn label(self) -> &'static str {
        match self {
            PayReference::WhiteBritish => "White British",
            PayReference::White => "White (all White groups)",
        }
    }

    fn contains(self, ethnicity: Classified) -> bool {
        match self {
            PayReference::WhiteBritish => comparison_group(ethnicity) == Some(0),
            PayReference::White => Level::White.bucket(ethnicity) == Some(0),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PayGapOptions {
    pub reference: PayReference,
    /// Used when the reference group is below `min_group_size`; `None`: report no gaps.
    pub fallback: Option<PayReference>,
    pub min_group_size: u64,
    /// Disclosure threshold for quarter counts.
    pub min_cell: u64,
}

impl Default for PayGapOptions {
    fn default() -> Self {
        PayGapOptions {
            reference: PayReference::WhiteBritish,
            fallback: Some(PayReference::White),
            min_group_size: 10,
            min_cell: 5,
        }
    }
}

/// One full-pay relevant employee's pay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PayRecord {
    /// The employee's row among the extract's data rows (0-based).
    pub row: usize,
    pub ethnicity: Classified,
    pub hourly: f64,
    /// `None` when the file has no bonus column.
    pub bonus: Option<f64>,
}

/// One group's pay figures. Pay and gap figures are `None` below the minimum group size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayGapRow {
    pub group: String,
    /// `None` when from 1 to below the disclosure threshold.
    pub n: Option<u64>,
    pub mean_hourly: Option<f64>,
    pub median_hourly: Option<f64>,
    /// (reference − group) / reference × 100: positive means the group is paid less.
    pub mean_gap_pct: Option<f64>,
    pub median_gap_pct: Option<f64>,
    pub bonus_proportion: Option<f64>,
    pub mean_bonus_gap_pct: Option<f64>,
    pub median_bonus_gap_pct: Option<f64>,
    /// Why figures are missing, in words.
    pub note: Option<String>,
}

/// One group's share of a pay quarter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterShare {
    pub group: String,
    /// May be fractional where tied pay straddles a boundary.
    pub count: Option<f64>,
    pub share: Option<f64>,
    pub suppressed: Option<Withheld>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayQuarter {
    pub quarter: String,
    /// Employees in the quarter; `None` when too few to show.
    pub size: Option<u64>,
    pub shares: Vec<QuarterShare>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayGapReport {
    /// Counts of employees; each `None` when too few to show.
    pub full_pay_relevant_n: Option<u64>,
    pub not_full_pay_relevant_n: Option<u64>,
    /// Ethnicity not stated, or too coarse to place in a group (e.g. "White" alone).
    pub unknown_ethnicity_n: Option<u64>,
    pub unknown_ethnicity_share: Option<f64>,
    /// The reference group actually used; `None` when no reference was large enough.
    pub reference: Option<String>,
    pub reference_n: Option<u64>,
    pub reference_mean_hourly: Option<f64>,
    pub reference_median_hourly: Option<f64>,
    pub reference_bonus_proportion: Option<f64>,
    pub min_group_size: u64,
    /// Counts of employees from 1 to below this are withheld.
    pub min_cell: u64,
    pub rows: Vec<PayGapRow>,
    /// White British against all other ethnic groups combined.
    pub aggregate: PayGapRow,
    pub quarters: Vec<PayQuarter>,
    pub has_bonus: bool,
    pub notes: Vec<String>,
}

/// The quarter names, lowest first.
pub const QUARTERS: [&str; 4] = ["Lower", "Lower middle", "Upper middle", "Upper"];
pub const UNKNOWN_GROUP: &str = "Not known";

/// The pay of full-pay relevant employees, from the extract's typed pay columns (read as
/// amounts, so negative and non-numeric pay was refused on reading). A full-pay relevant
/// employee with no pay, or with hours of zero, is an error naming every such cell. Employees who
/// are not full-pay relevant are left out (and counted).
pub fn pay_records(workforce: &Extract, columns: &PayColumns) -> Result<(Vec<PayRecord>, u64)> {
    let relevant = columns
        .full_pay_relevant
        .as_ref()
        .map(|c| &workforce.flag(c).values);
    let bonus = columns.bonus.as_ref().map(|c| &workforce.amount(c).values);
    let mut problems: Vec<BadCell> = Vec::new();
    let mut total_problems = 0usize;
    let mut problem = |i: usize, column: &str, value: &str, message: &str, hint: &str| {
        total_problems += 1;
        if problems.len() < 20 {
            problems.push(BadCell {
                row: workforce.rows[i],
                column: column.to_string(),
                value: value.to_string(),
                message: message.to_string(),
                hint: hint.to_string(),
            });
        }
    };
    const NOT_A_NUMBER: &str =
        "write pay as a plain number such as 15.42 (a £ sign and thousands commas are allowed)";
    let mut records = Vec::with_capacity(workforce.len());
    let mut excluded = 0;
    for i in 0..workforce.len() {
        if relevant.is_some_and(|r| !r[i]) {
            excluded += 1;
            continue;
        }
        let hourly = match &columns.hourly {
            HourlyPaySource::Hourly(c) => {
                let column = workforce.amount(c);
                column.values[i].or_else(|| {
                    problem(
                        i,
                        &column.name,
                        "",
                        "hourly pay is not a number",
                        NOT_A_NUMBER,
                    );
                    None
                })
            }
            HourlyPaySource::PayAndHours { pay, hours } => {
                let (pay, hours) = (workforce.amount(pay), workforce.amount(hours));
                match (pay.values[i], hours.values[i]) {
                    (Some(_), Some(0.0)) => {
                        problem(
                            i,
                            &hours.name,
                            "0",
                            "hours of zero cannot give an hourly rate",
                            "give the hours worked in the pay period, or mark the employee as not full-pay relevant",
                        );
                        None
                    }
                    (Some(p), Some(h)) => Some(p / h),
                    (p, h) => {
                        if p.is_none() {
                            problem(i, &pay.name, "", "pay is not a number", NOT_A_NUMBER);
                        }
                        if h.is_none() {
                            problem(i, &hours.name, "", "hours is not a number", NOT_A_NUMBER);
                        }
                        None
                    }
                }
            }
        };
        if let Some(hourly) = hourly {
            records.push(PayRecord {
                row: i,
                ethnicity: workforce.ethnicity[i],
                hourly,
                // A blank bonus is no bonus.
                bonus: bonus.map(|b| b[i].unwrap_or(0.0)),
            });
        }
    }
    if total_problems > 0 {
        return Err(Error::bad_cells(&workforce.path, problems, total_problems));
    }
    Ok((records, excluded))
}

/// Hourly pay no one is paid: below half the National Living Wage (£12.21 an hour from
/// April 2025) or above £300 an hour. Outside it, the pay or hours column is almost always
/// for another period (annual pay over weekly hours gives about £1,000 an hour).
pub const PLAUSIBLE_HOURLY: (f64, f64) = (6.10, 300.0);

/// Warnings for the analyst (never published: they point at rows) about hourly pay outside
/// [`PLAUSIBLE_HOURLY`], with the rows and the likely cause.
pub fn implausible_pay(
    workforce: &Extract,
    records: &[PayRecord],
    columns: &PayColumns,
) -> Vec<String> {
    let (low, high) = PLAUSIBLE_HOURLY;
    let rows = |keep: &dyn Fn(f64) -> bool| -> Vec<u64> {
        records
            .iter()
            .filter(|r| keep(r.hourly))
            .map(|r| workforce.rows[r.row])
            .collect()
    };
    let listed = |rows: &[u64]| {
        let shown: Vec<String> = rows.iter().take(8).map(|r| r.to_string()).collect();
        let more = rows.len().saturating_sub(8);
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let source = match &columns.hourly {
        HourlyPaySource::Hourly(c) => format!("column '{c}'"),
        HourlyPaySource::PayAndHours { pay, hours } => format!("columns '{pay}' ÷ '{hours}'"),
    };
    let mut warnings = Vec::new();
    let above = rows(&|h| h > high);
    if !above.is_empty() {
        warnings.push(format!(
            "{}: {} full-pay relevant employee(s) have hourly pay above £{high:.0} from {source} (rows {}): the pay is probably for a longer period than the hours (annual pay over weekly hours gives about £1,000 an hour); give pay and hours for the same period, or hourly pay",
            workforce.path.display(),
            above.len(),
            listed(&above)
        ));
    }
    let below = rows(&|h| h < low);
    if !below.is_empty() {
        warnings.push(format!(
            "{}: {} full-pay relevant employee(s) have hourly pay below £{low:.2}, half the National Living Wage, from {source} (rows {}): the hours are probably for a longer period than the pay, or the pay is for part of the period; check those rows, or mark employees on reduced pay as not full-pay relevant",
            workforce.path.display(),
            below.len(),
            listed(&below)
        ));
    }
    warnings
}

struct Summary {
    n: u64,
    mean: Option<f64>,
    median: Option<f64>,
    bonus_n: u64,
    bonus_mean: Option<f64>,
    bonus_median: Option<f64>,
}

/// A mean or median of pay as published: to the penny. At full precision, a mean of pay in
/// pence times the group's size must be a whole number of pence, which only one size may
/// satisfy, and a median of half a penny says the size is even: either would narrow a withheld
/// size. To the penny, every size fits.
fn penny(mean: f64) -> f64 {
    (mean * 100.0).round() / 100.0
}

fn summarise<'a>(records: impl Iterator<Item = &'a PayRecord>) -> Summary {
    let mut pay: Vec<f64> = Vec::new();
    let mut bonus: Vec<f64> = Vec::new();
    for r in records {
        pay.push(r.hourly);
        if let Some(b) = r.bonus.filter(|&b| b > 0.0) {
            bonus.push(b);
        }
    }
    pay.sort_unstable_by(f64::total_cmp);
    bonus.sort_unstable_by(f64::total_cmp);
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    Summary {
        n: pay.len() as u64,
        mean: mean(&pay),
        median: median_sorted(&pay),
        bonus_n: bonus.len() as u64,
        bonus_mean: mean(&bonus),
        bonus_median: median_sorted(&bonus),
    }
}

/// A pay gap in per cent, to 2 decimals as published: at full precision, a gap and a mean to
/// the penny would give the other mean at full precision, and with it a withheld group size.
fn gap(reference: Option<f64>, group: Option<f64>) -> Option<f64> {
    match (reference, group) {
        (Some(r), Some(g)) if r > 0.0 => Some(((r - g) / r * 100.0 * 100.0).round() / 100.0),
        _ => None,
    }
}

/// The people a pay gap report counts, as the run's disclosure control sees them: the
/// population of `rows` people (the whole extract, `everyone`) of whom the records are the
/// full-pay relevant ones.
pub struct PayCells<'a> {
    pub disclosure: &'a dyn Disclosure,
    pub everyone: Cell,
    pub rows: usize,
}

/// The attributes a pay gap declares: full-pay relevant, bonus received, pay quarter.
const FULL_PAY_RELEVANT: &str = "full-pay relevant";
const BONUS: &str = "bonus received";
const QUARTER: &str = "pay quarter";

/// The ethnicity pay gap report for full-pay relevant employees, its counts protected as one
/// table of their own (see [`pay_gap_in`] for a run).
pub fn pay_gap(records: &[PayRecord], excluded: u64, options: &PayGapOptions) -> PayGapReport {
    let records: Vec<PayRecord> = records
        .iter()
        .enumerate()
        .map(|(row, r)| PayRecord { row, ..*r })
        .collect();
    let rows = records.len() + excluded as usize;
    let result: std::result::Result<PayGapReport, std::convert::Infallible> =
        crate::disclosure::protected(options.min_cell, |disclosure| {
            let mut ethnicity = vec![ClassifiedKey::encode(Classified::NotStated).0; rows];
            for r in &records {
                ethnicity[r.row] = ClassifiedKey::encode(r.ethnicity).0;
            }
            disclosure.dimension("pay records", cells::ETHNICITY, &ethnicity);
            Ok(pay_gap_in(
                &records,
                excluded,
                options,
                &PayCells {
                    disclosure,
                    everyone: Cell::of("pay records"),
                    rows,
                },
            ))
        });
    match result {
        Ok(report) => report,
        Err(never) => match never {},
    }
}

/// The ethnicity pay gap report for full-pay relevant employees, every count declared to the
/// run's disclosure control as `cells` describes them.
pub fn pay_gap_in(
    records: &[PayRecord],
    excluded: u64,
    options: &PayGapOptions,
    cells: &PayCells,
) -> PayGapReport {
    let total = records.len() as u64;
    let has_bonus = records.iter().any(|r| r.bonus.is_some());
    let mut notes = Vec::new();
    let disclosure = cells.disclosure;
    // The attributes: full-pay relevant, bonus received, pay quarter (by rank).
    let population = &cells.everyone.population;
    let mut relevant = vec![0u32; cells.rows];
    let mut bonus = vec![0u32; cells.rows];
    for r in records {
        relevant[r.row] = 1;
        bonus[r.row] = u32::from(r.bonus.is_some_and(|b| b > 0.0));
    }
    let quarter = quarter_of_rank(records, cells.rows);
    disclosure.dimension(population, FULL_PAY_RELEVANT, &relevant);
    disclosure.dimension(population, BONUS, &bonus);
    disclosure.dimension(population, QUARTER, &quarter);
    let relevant_cell = cells.everyone.clone().with(FULL_PAY_RELEVANT, [1]);
    let group_cell = |keep: &dyn Fn(Classified) -> bool| {
        relevant_cell
            .clone()
            .with(cells::ETHNICITY, cells::ethnicity_codes(keep))
    };
    // A group's size, and its bonus recipients and non-recipients (the bonus proportion over a
    // shown size gives both away).
    let bonus_gaps_shown = |s: &Summary| {
        s.bonus_n >= options.min_group_size && s.n - s.bonus_n >= options.min_group_size
    };
    // A group's published size, and its published bonus recipients when they, the size and
    // the non-recipients are all shown.
    let counted = |keep: &dyn Fn(Classified) -> bool, s: &Summary| -> (Count, Option<u64>) {
        let group = group_cell(keep);
        let n = disclosure.count(&group, s.n);
        // Pay figures are shown only for groups of at least `min_group_size`, and a note says
        // when a group is smaller: either tells an attacker something of a withheld size.
        let size = options.min_group_size;
        let within = |n: u64| {
            if n >= size {
                (size, None)
            } else {
                (0, Some(size - 1))
            }
        };
        let (at_least, at_most) = within(s.n);
        disclosure.bounded(&group, at_least, at_most);
        if !has_bonus {
            return (n, None);
        }
        let bonus = group.clone().with(BONUS, [1]);
        let yes = disclosure.count(&bonus, s.bonus_n);
        let no_bonus = group.with(BONUS, [0]);
        let no = disclosure.count(&no_bonus, s.n - s.bonus_n);
        // Bonus gaps are shown only when both recipients and non-recipients reach the size
        // (see `bonus_gaps_shown`); that tells an attacker both are at least that. When they are
        // not shown, either may be the smaller, which bounds neither.
        if bonus_gaps_shown(s) {
            disclosure.bounded(&bonus, size, None);
            disclosure.bounded(&no_bonus, size, None);
        }
        let shown = !(n.withheld || yes.withheld || no.withheld);
        (n, shown.then_some(yes.n))
    };
    let size_of = |reference: PayReference| {
        records
            .iter()
            .filter(|r| reference.contains(r.ethnicity))
            .count() as u64
    };
    let reference = if size_of(options.reference) >= options.min_group_size {
        Some(options.reference)
    } else {
        match options.fallback {
            Some(f) if size_of(f) >= options.min_group_size => {
                notes.push(format!(
                    "{} has fewer than {} full-pay relevant employees, so {} is the reference group instead.",
                    options.reference.label(),
                    options.min_group_size,
                    f.label()
                ));
                Some(f)
            }
            _ => {
                notes.push(format!(
                    "No reference group has {} or more full-pay relevant employees, so no pay gaps are reported.",
                    options.min_group_size
                ));
                None
            }
        }
    };
    let ref_summary = reference
        .map(|r| summarise(records.iter().filter(move |x| r.contains(x.ethnicity))))
        .unwrap_or_else(|| summarise(std::iter::empty()));
    // From the counts as published (rounded, when the run rounds).
    let bonus_proportion = |n: Count, recipients: Option<u64>| {
        recipients
            .filter(|_| has_bonus && n.n > 0)
            .map(|r| r as f64 / n.n as f64)
    };
    let (ref_n, ref_bonus_shown) = match reference {
        Some(r) => counted(&|c| r.contains(c), &ref_summary),
        None => (
            Count {
                n: 0,
                withheld: false,
            },
            None,
        ),
    };

    let row = |group: &str, s: Summary, (n, bonus_shown): (Count, Option<u64>)| -> PayGapRow {
        let big_enough = s.n >= options.min_group_size && reference.is_some();
        let bonus_ok = big_enough && bonus_gaps_shown(&s) && bonus_gaps_shown(&ref_summary);
        // A withheld size of 0 gets the note of a small one: "none" would give it away.
        let note = if s.n == 0 && !n.withheld {
            Some("no full-pay relevant employees".to_string())
        } else if s.n < options.min_group_size {
            Some(format!(
                "fewer than {} full-pay relevant employees: no pay figures reported",
                options.min_group_size
            ))
        } else if reference.is_none() {
            Some("no reference group large enough".to_string())
        } else {
            None
        };
        PayGapRow {
            group: group.to_string(),
            n: n.shown(),
            mean_hourly: s.mean.map(penny).filter(|_| big_enough),
            median_hourly: s.median.map(penny).filter(|_| big_enough),
            mean_gap_pct: gap(ref_summary.mean, s.mean).filter(|_| big_enough),
            median_gap_pct: gap(ref_summary.median, s.median).filter(|_| big_enough),
            bonus_proportion: bonus_proportion(n, bonus_shown).filter(|_| big_enough),
            mean_bonus_gap_pct: gap(ref_summary.bonus_mean, s.bonus_mean).filter(|_| bonus_ok),
            median_bonus_gap_pct: gap(ref_summary.bonus_median, s.bonus_median)
                .filter(|_| bonus_ok),
            note,
        }
    };

    let rows: Vec<PayGapRow> = COMPARISON_GROUPS
        .iter()
        .enumerate()
        .filter(|(i, _)| match reference {
            Some(PayReference::WhiteBritish) | None => *i != 0,
            Some(PayReference::White) => *i > 1,
        })
        .map(|(i, label)| {
            let s = summarise(
                records
                    .iter()
                    .filter(|r| comparison_group(r.ethnicity) == Some(i)),
            );
            let published = counted(&|c| comparison_group(c) == Some(i), &s);
            row(label, s, published)
        })
        .collect();

    // The aggregate is always White British against everyone else whose ethnicity is known.
    let wb = summarise(
        records
            .iter()
            .filter(|r| Level::WhiteBritish.bucket(r.ethnicity) == Some(0)),
    );
    let others = summarise(
        records
            .iter()
            .filter(|r| Level::WhiteBritish.bucket(r.ethnicity) == Some(1)),
    );
    let (others_n, others_bonus_shown) =
        counted(&|c| Level::WhiteBritish.bucket(c) == Some(1), &others);
    let aggregate = {
        let ok = wb.n >= options.min_group_size && others.n >= options.min_group_size;
        let bonus_ok = ok && bonus_gaps_shown(&wb) && bonus_gaps_shown(&others);
        PayGapRow {
            group: "All other ethnic groups combined".to_string(),
            n: others_n.shown(),
            mean_hourly: others.mean.map(penny).filter(|_| ok),
            median_hourly: others.median.map(penny).filter(|_| ok),
            mean_gap_pct: gap(wb.mean, others.mean).filter(|_| ok),
            median_gap_pct: gap(wb.median, others.median).filter(|_| ok),
            bonus_proportion: bonus_proportion(others_n, others_bonus_shown).filter(|_| ok),
            mean_bonus_gap_pct: gap(wb.bonus_mean, others.bonus_mean).filter(|_| bonus_ok),
            median_bonus_gap_pct: gap(wb.bonus_median, others.bonus_median).filter(|_| bonus_ok),
            note: (!ok).then(|| {
                format!(
                    "White British or all other groups combined have fewer than {} full-pay relevant employees",
                    options.min_group_size
                )
            }),
        }
    };

    let unknown = records
        .iter()
        .filter(|r| comparison_group(r.ethnicity).is_none())
        .count() as u64;
    let total_n = disclosure.denominator(&relevant_cell, total);
    let excluded_n = disclosure.count(
        &cells.everyone.clone().with(FULL_PAY_RELEVANT, [0]),
        excluded,
    );
    let unknown_n = disclosure.count(&group_cell(&|c| comparison_group(c).is_none()), unknown);
    // The groups of full-pay relevant employees, side by side.
    let parts: Vec<Cell> = (0..COMPARISON_GROUPS.len())
        .map(|g| group_cell(&|c| comparison_group(c) == Some(g)))
        .collect();
    let placed = group_cell(&|c| comparison_group(c).is_some());
    disclosure.count(&placed, total - unknown);
    disclosure.distribution(&placed, &parts);
    let quarters = pay_quarters(records, cells);
    if quarters.is_empty() && total > 0 {
        notes.push(format!(
            "Pay quarters are not shown: a quarter would hold fewer than {} employees, and every count in it would be small.",
            disclosure.min_cell()
        ));
    }
    PayGapReport {
        full_pay_relevant_n: total_n.shown(),
        not_full_pay_relevant_n: excluded_n.shown(),
        unknown_ethnicity_n: unknown_n.shown(),
        // The share of a withheld count, or over a withheld total, would give it away.
        unknown_ethnicity_share: (total_n.n > 0 && !total_n.withheld && !unknown_n.withheld)
            .then(|| unknown_n.n as f64 / total_n.n as f64),
        reference: reference.map(|r| r.label().to_string()),
        reference_n: ref_n.shown().filter(|_| reference.is_some()),
        reference_mean_hourly: ref_summary.mean.map(penny),
        reference_median_hourly: ref_summary.median.map(penny),
        reference_bonus_proportion: bonus_proportion(ref_n, ref_bonus_shown),
        min_group_size: options.min_group_size,
        min_cell: options.min_cell,
        rows,
        aggregate,
        quarters,
        has_bonus,
        notes,
    }
}

/// Sizes of the four quarters, lowest first: equal where possible, a remainder going to the
/// lower, then upper middle, then lower middle quarter.
pub fn quarter_sizes(n: usize) -> [usize; 4] {
    let base = n / 4;
    let mut sizes = [base; 4];
    for &q in [0usize, 2, 1].iter().take(n % 4) {
        sizes[q] += 1;
    }
    sizes
}

/// Each employee's quarter by rank (ties in row order): the quarter the run's disclosure control
/// counts them in; 4 for everyone not among `records`.
fn quarter_of_rank(records: &[PayRecord], rows: usize) -> Vec<u32> {
    let mut sorted: Vec<&PayRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.hourly.total_cmp(&b.hourly).then(a.row.cmp(&b.row)));
    let sizes = quarter_sizes(sorted.len());
    let mut quarter = vec![4u32; rows];
    let mut at = 0;
    for (q, &size) in sizes.iter().enumerate() {
        for r in &sorted[at..at + size] {
            quarter[r.row] = q as u32;
        }
        at += size;
    }
    quarter
}

/// Each group's share of each pay quarter, with tied rates split in proportion (reg. 13(2)).
fn pay_quarters(records: &[PayRecord], cells: &PayCells) -> Vec<PayQuarter> {
    // The sizes follow from the number of full-pay relevant employees; a quarter of fewer than
    // the threshold would cap every count in it below the threshold, withheld or not: then no
    // quarter is published.
    if quarter_sizes(records.len())
        .iter()
        .any(|&s| (s as u64) < cells.disclosure.min_cell())
    {
        return Vec::new();
    }
    let groups = COMPARISON_GROUPS.len() + 1;
    let group_of = |r: &PayRecord| comparison_group(r.ethnicity).unwrap_or(groups - 1);
    let mut sorted: Vec<&PayRecord> = records.iter().collect();
    // Order within a block of equal pay does not matter: a block is split by its make-up.
    sorted.sort_unstable_by(|a, b| a.hourly.total_cmp(&b.hourly));
    let sizes = quarter_sizes(sorted.len());
    let bounds: Vec<usize> = sizes
        .iter()
        .scan(0, |acc, s| {
            let start = *acc;
            *acc += s;
            Some(start)
        })
        .chain(std::iter::once(sorted.len()))
        .collect();
    let mut counts = vec![vec![0.0f64; groups]; 4];
    let mut start = 0;
    while start < sorted.len() {
        // A block of equal hourly rates.
        let mut end = start + 1;
        while end < sorted.len() && sorted[end].hourly == sorted[start].hourly {
            end += 1;
        }
        let block = (end - start) as f64;
        let mut composition = vec![0.0; groups];
        for r in &sorted[start..end] {
            composition[group_of(r)] += 1.0;
        }
        for q in 0..4 {
            let overlap = end.min(bounds[q + 1]).saturating_sub(start.max(bounds[q]));
            if overlap > 0 {
                for g in 0..groups {
                    counts[q][g] += overlap as f64 * composition[g] / block;
                }
            }
        }
        start = end;
    }
    // Whole people by rank, for the disclosure control.
    let ranked = quarter_of_rank(records, cells.rows);
    let mut whole = vec![vec![0u64; groups]; 4];
    for r in records {
        whole[ranked[r.row] as usize][group_of(r)] += 1;
    }
    let group_codes = |g: usize| {
        cells::ethnicity_codes(|c| match comparison_group(c) {
            Some(i) => i == g,
            None => g == groups - 1,
        })
    };
    let relevant = cells.everyone.clone().with(FULL_PAY_RELEVANT, [1]);
    let disclosure = cells.disclosure;
    // As published: rounded like every other count when the run rounds (people tied at a
    // quarter's boundary are shared between quarters, so a count can hold a fraction).
    let count = |q: usize, g: usize| round_figure(counts[q][g], disclosure.rounding());
    (0..4)
        .map(|q| {
            let in_quarter = relevant.clone().with(QUARTER, [q as u32]);
            let size = disclosure.denominator(&in_quarter, sizes[q] as u64);
            // The sizes follow from the number of full-pay relevant employees by a published
            // rule, so one shown size tells the total within 3: an attacker knows them all.
            disclosure.bounded(&in_quarter, sizes[q] as u64, Some(sizes[q] as u64));
            let parts: Vec<Cell> = (0..groups)
                .map(|g| in_quarter.clone().with(cells::ETHNICITY, group_codes(g)))
                .collect();
            let published: Vec<Count> = parts
                .iter()
                .enumerate()
                .map(|(g, cell)| disclosure.count(cell, whole[q][g]))
                .collect();
            disclosure.distribution(&in_quarter, &parts);
            PayQuarter {
                quarter: QUARTERS[q].to_string(),
                size: size.shown(),
                shares: (0..groups)
                    .map(|g| {
                        let withheld = published[g].withheld;
                        QuarterShare {
                            group: COMPARISON_GROUPS
                                .get(g)
                                .copied()
                                .unwrap_or(UNKNOWN_GROUP)
                                .to_string(),
                            count: (!withheld).then_some(count(q, g)),
                            // A share over a withheld quarter size would give the size away.
                            share: (!withheld && size.n > 0 && !size.withheld)
                                .then(|| count(q, g) / size.n as f64),
                            suppressed: Withheld::when(withheld),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quarters of `records`, protected on their own.
    fn quarters(records: &[PayRecord], min_cell: u64) -> Vec<PayQuarter> {
        let options = PayGapOptions {
            min_cell,
            ..PayGapOptions::default()
        };
        pay_gap(records, 0, &options).quarters
    }
    use crate::classify::EthnicGroup;

    fn rec(g: EthnicGroup, hourly: f64) -> PayRecord {
        PayRecord {
            row: 0,
            ethnicity: Classified::Group(g),
            hourly,
            bonus: None,
        }
    }

    #[test]
    fn remainders_go_lower_then_upper_middle_then_lower_middle() {
        assert_eq!(quarter_sizes(8), [2, 2, 2, 2]);
        assert_eq!(quarter_sizes(9), [3, 2, 2, 2]);
        assert_eq!(quarter_sizes(10), [3, 2, 3, 2]);
        assert_eq!(quarter_sizes(11), [3, 3, 3, 2]);
        assert_eq!(quarter_sizes(3), [1, 1, 1, 0]);
    }

    /// Worked by hand: eight employees, quarters of two. Four are tied at £10 in ranks 2–5
    /// (three White British, one Asian), straddling three quarters; each side gets the block's
    /// mix (¾ White British, ¼ Asian) in proportion to its overlap.
    #[test]
    fn tied_pay_is_split_in_proportion() {
        use EthnicGroup::{Indian, WhiteBritish as Wb};
        let records = vec![
            rec(Wb, 9.0),
            rec(Wb, 10.0),
            rec(Indian, 10.0),
            rec(Wb, 10.0),
            rec(Wb, 10.0),
            rec(Indian, 12.0),
            rec(Wb, 13.0),
            rec(Wb, 14.0),
        ];
        let q = quarters(&records, 0);
        let share = |q: &PayQuarter, g: usize| q.shares[g].share.unwrap();
        // Lower: rank 1 (WB) + one tied place → WB 1.75, Asian 0.25.
        assert!((share(&q[0], 0) - 0.875).abs() < 1e-12);
        assert!((share(&q[0], 2) - 0.125).abs() < 1e-12);
        // Lower middle: two tied places → WB 1.5, Asian 0.5.
        assert!((share(&q[1], 0) - 0.75).abs() < 1e-12);
        assert!((q[1].shares[2].count.unwrap() - 0.5).abs() < 1e-12);
        // Upper middle: one tied place + the Asian employee on £12.
        assert!((share(&q[2], 2) - 0.625).abs() < 1e-12);
        assert!((share(&q[3], 0) - 1.0).abs() < 1e-12);
        assert_eq!(q[3].size, Some(2));
        for quarter in &q {
            let total: f64 = quarter.shares.iter().map(|s| s.share.unwrap()).sum();
            assert!((total - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn split_quarter_counts_below_the_threshold_are_small() {
        // With tied pay split across a boundary: 9 White British and 1 Indian on £10, then 10
        // more White British above. Quarters of 5: the Lower holds 4.5 White British and 0.5
        // Indian — both fewer than 5 people, so both withheld.
        use EthnicGroup::{Indian, WhiteBritish as Wb};
        let mut records = vec![rec(Indian, 10.0)];
        records.extend((0..9).map(|_| rec(Wb, 10.0)));
        records.extend((0..10).map(|i| rec(Wb, 11.0 + i as f64)));
        let q = quarters(&records, 5);
        assert_eq!(q[0].shares[0].count, None);
        assert_eq!(q[0].shares[2].count, None);
        // Withheld for being small itself, not only to protect the Indian 0.5.
        assert_eq!(q[0].shares[0].suppressed, Some(Withheld));
        assert_eq!(q[1].shares[0].suppressed, Some(Withheld));
    }

    /// Worked by hand: White British £10, £12, £14, £20 (mean 14, median 13); Indian £9, £11,
    /// £13 (mean 11, median 11). Mean gap (14 − 11)/14 = 21.428571%, median gap 2/13 = 15.384615%.
    #[test]
    fn mean_and_median_gaps() {
        use EthnicGroup::{Indian, WhiteBritish as Wb};
        let records: Vec<PayRecord> = [(Wb, 10.0), (Wb, 12.0), (Wb, 14.0), (Wb, 20.0)]
            .into_iter()
            .chain([(Indian, 9.0), (Indian, 11.0), (Indian, 13.0)])
            .map(|(g, p)| rec(g, p))
            .collect();
        let options = PayGapOptions {
            min_group_size: 3,
            min_cell: 0,
            ..Default::default()
        };
        let report = pay_gap(&records, 0, &options);
        let asian = &report.rows[1];
        assert_eq!(asian.group, COMPARISON_GROUPS[2]);
        assert!((asian.mean_gap_pct.unwrap() - 300.0 / 14.0).abs() <= 0.005 + 1e-9);
        assert!((asian.median_gap_pct.unwrap() - 200.0 / 13.0).abs() <= 0.005 + 1e-9);
        assert_eq!(report.reference.as_deref(), Some("White British"));
        assert!((report.aggregate.mean_gap_pct.unwrap() - 300.0 / 14.0).abs() <= 0.005 + 1e-9);
        // Black staff: none, so no figures and a note.
        assert_eq!(report.rows[2].mean_gap_pct, None);
        assert!(report.rows[2].note.is_some());
    }

    #[test]
    fn small_reference_falls_back_and_says_so() {
        use EthnicGroup::{Indian, OtherWhite, WhiteBritish as Wb};
        let records: Vec<PayRecord> = (0..4)
            .map(|i| rec(Wb, 10.0 + i as f64))
            .chain((0..8).map(|i| rec(OtherWhite, 11.0 + i as f64)))
            .chain((0..12).map(|i| rec(Indian, 9.0 + i as f64)))
            .collect();
        let report = pay_gap(&records, 0, &PayGapOptions::default());
        assert_eq!(
            report.reference.as_deref(),
            Some("White (all White groups)")
        );
        assert!(report.notes[0].contains("White British has fewer than 10"));
        // With White as the reference the White groups are not compared against themselves.
        assert!(report.rows.iter().all(|r| !r.group.starts_with("White")));
        let no_fallback = PayGapOptions {
            fallback: None,
            ..Default::default()
        };
        let report = pay_gap(&records, 0, &no_fallback);
        assert_eq!(report.reference, None);
        assert!(report.rows.iter().all(|r| r.mean_gap_pct.is_none()));
    }

    #[test]
    fn bonus_gaps_use_those_who_received_one() {
        use EthnicGroup::{Indian, WhiteBritish as Wb};
        // `per_group` of each group; 10 White British and 12 Indian receive a bonus.
        let records = |per_group: usize| {
            let mut records = Vec::new();
            for i in 0..per_group {
                records.push(PayRecord {
                    row: 0,
                    ethnicity: Classified::Group(Wb),
                    hourly: 15.0,
                    bonus: Some(if i < 10 { 100.0 + i as f64 } else { 0.0 }),
                });
                records.push(PayRecord {
                    row: 0,
                    ethnicity: Classified::Group(Indian),
                    hourly: 14.0,
                    bonus: Some(if i < 12 { 90.0 } else { 0.0 }),
                });
            }
            records
        };
        let report = pay_gap(&records(30), 0, &PayGapOptions::default());
        let asian = &report.rows[1];
        assert!((asian.bonus_proportion.unwrap() - 0.4).abs() < 1e-12);
        assert!((report.reference_bonus_proportion.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        // Mean of 100..=109 is 104.5: (104.5 − 90)/104.5.
        assert!((asian.mean_bonus_gap_pct.unwrap() - 14.5 / 104.5 * 100.0).abs() <= 0.005 + 1e-9);
        assert!((asian.median_bonus_gap_pct.unwrap() - 14.5 / 104.5 * 100.0).abs() <= 0.005 + 1e-9);
        // With 20 of each, 8 Indian staff had no bonus: fewer than 10, so no bonus gap (shown,
        // it would tell that at least 10 had none).
        let report = pay_gap(&records(20), 0, &PayGapOptions::default());
        assert_eq!(report.rows[1].mean_bonus_gap_pct, None);
        assert!((report.rows[1].bonus_proportion.unwrap() - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_mean_is_published_to_the_penny() {
        assert_eq!(penny(14.731_818_181_818_18), 14.73);
        assert_eq!(penny(17.2261), 17.23);
    }
}
