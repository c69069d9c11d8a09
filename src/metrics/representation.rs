//! Representation of each ethnic group in the workforce against the local population.
//!
//! For group g with `x` staff out of `n` who declared an ethnicity placeable at the level, and
//! a population share `p` from the Census (treated as fixed: it is a count of everyone, not a
//! sample):
//! - workforce share `x/n` with a Wilson score interval;
//! - gap = (x/n − p) × 100 percentage points; ratio = (x/n) / p, its interval the Wilson
//!   interval divided by p;
//! - exact two-sided binomial test of H0: share = p (R `binom.test`);
//! - assessment from the interval, never from the point estimate: under-represented when the
//!   whole interval lies below p, over-represented when it lies above, otherwise in line;
//! - for each table, Pearson's chi-square goodness-of-fit test of the declared staff against the
//!   population shares, with suppressed groups pooled into one category so that the test
//!   statistic cannot reveal a withheld count.
//!
//! Staff whose ethnicity is not stated are counted (declaration rate) and left out of every
//! denominator; so are staff whose label is too coarse for the level (e.g. "Asian" at the
//! detailed level, "BME" at any level but the White / ethnic minorities split).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::cells;
use super::tabulate::{tabulate, BreakdownKey, ClassifiedKey, CountsByValue, BLANK_VALUE};
use crate::classify::{Classified, EthnicGroup, Level};
use crate::disclosure::{Cell, Disclosure, Withheld};
use crate::error::{Error, Location, Result};
use crate::ingest::{Extract, Population, TextColumn};
use crate::stats::{
    binomial_test_two_sided, chi_square_goodness_of_fit, wilson_interval, ChiSquareTest,
};

/// What to compute.
#[derive(Debug, Clone)]
pub struct RepresentationOptions {
    /// Levels to report, in output order.
    pub levels: Vec<Level>,
    /// Text columns of the extract to repeat the analysis within.
    pub breakdowns: Vec<String>,
    /// Two-sided confidence level of intervals, e.g. 0.95.
    pub confidence: f64,
    /// Counts from 1 to below this are suppressed; 0 or 1 turns suppression off.
    pub min_cell: u64,
    /// The order of some breakdowns' values (keyed by the breakdown column as named in
    /// `breakdowns`), lowest grade first; every value in the data must be listed. Other
    /// breakdowns are ordered naturally ("Grade 2" before "Grade 10").
    pub orders: BTreeMap<String, Vec<String>>,
}

impl Default for RepresentationOptions {
    fn default() -> Self {
        RepresentationOptions {
            levels: vec![Level::High],
            breakdowns: Vec::new(),
            confidence: 0.95,
            min_cell: 5,
            orders: BTreeMap::new(),
        }
    }
}

/// The values of a breakdown column in reporting order: the configured order, or natural.
pub(crate) fn ordered_values<'a>(
    path: &std::path::Path,
    column: &TextColumn,
    by_value: &'a CountsByValue,
    order: Option<&Vec<String>>,
) -> Result<Vec<&'a BreakdownKey>> {
    let Some(order) = order else {
        return Ok(by_value.keys().collect());
    };
    if let Some(missing) = by_value.keys().find(|k| !order.contains(&k.0)) {
        let raw = if missing.0 == BLANK_VALUE {
            ""
        } else {
            missing.0.as_str()
        };
        let row = column
            .values
            .iter()
            .position(|v| v == raw)
            .map(|i| column.first_rows[i])
            .unwrap_or(0);
        return Err(Error::BadValue {
            location: Location::cell(path, row, column.name.clone()),
            value: missing.0.clone(),
            message: format!("is not in the configured order of '{}'", column.name),
            hint: format!(
                "add it to the order, lowest first ([representation.order] in the config, or --order); the order has: {}",
                order.join(", ")
            ),
        });
    }
    Ok(order
        .iter()
        .filter_map(|v| {
            by_value
                .get_key_value(&BreakdownKey(v.clone()))
                .map(|(k, _)| k)
        })
        .collect())
}

/// Refuse a breakdown by a column whose values are nearly unique to a person (an id, a date of
/// birth, a name): more values than `people / min_cell`, and most of them held by one person
/// alone, so that each row of the breakdown would show that person's ethnic group. A column
/// with no more than twice the threshold in values is not refused: a small workforce's few
/// grades are a grouping, and their counts are withheld like any small count.
fn refuse_identifier(workforce: &Extract, column: &TextColumn, min_cell: u64) -> Result<()> {
    let people = workforce.len() as u64;
    let values = column.values.len() as u64;
    let alone = column.counts.iter().filter(|&&n| n == 1).count() as u64;
    // An identifier has many values: a handful (a small workforce's grades) is a grouping,
    // whose small counts are withheld like any other. Saturating: a huge threshold is not an
    // overflow.
    let many = values > min_cell.saturating_mul(2);
    if min_cell < 2 || !many || values.saturating_mul(min_cell) <= people || alone * 2 <= values {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "'{}' in {} has {values} different values for {people} people: a breakdown by it would show nearly one person per value and reveal each one's ethnic group (at most {} values can be shown with {min_cell} or more people each)",
            column.name,
            workforce.file_name(),
            people / min_cell,
        ),
        "break down by a column that groups people, such as grade or department, or group the column's values first",
    ))
}

/// Whether a group's workforce share is in line with its population share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Assessment {
    #[serde(rename = "under-represented")]
    UnderRepresented,
    #[serde(rename = "over-represented")]
    OverRepresented,
    #[serde(rename = "in line")]
    InLine,
}

impl Assessment {
    pub fn as_str(self) -> &'static str {
        match self {
            Assessment::UnderRepresented => "under-represented",
            Assessment::OverRepresented => "over-represented",
            Assessment::InLine => "in line",
        }
    }
}

/// One group in one table. Optional figures are `None` when suppressed or undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepresentationRow {
    /// `all`, or `COLUMN=value` for a breakdown.
    pub breakdown: String,
    pub level: Level,
    pub group: String,
    /// Staff in the group.
    pub workforce_n: Option<u64>,
    /// Share of staff placed in a group at this level (0–1).
    pub workforce_share: Option<f64>,
    pub workforce_ci_low: Option<f64>,
    pub workforce_ci_high: Option<f64>,
    /// Usual residents in the group (public Census figure; never suppressed).
    pub population_n: u64,
    pub population_share: f64,
    /// Workforce share minus population share, in percentage points.
    pub gap_pp: Option<f64>,
    /// Workforce share divided by population share (1 = proportional).
    pub ratio: Option<f64>,
    pub ratio_ci_low: Option<f64>,
    pub ratio_ci_high: Option<f64>,
    /// Exact two-sided binomial test of workforce share = population share.
    pub p_value: Option<f64>,
    pub assessment: Option<Assessment>,
    pub suppressed: Option<Withheld>,
}

/// One breakdown value at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepresentationTable {
    pub breakdown: String,
    pub level: Level,
    /// Everyone in this breakdown value; `None` when withheld.
    pub headcount: Option<u64>,
    /// Ethnicity not stated (prefer not to say, unknown, blank); `None` when withheld.
    pub not_stated_n: Option<u64>,
    /// Stated, but too coarse to place in a group at this level; `None` when withheld.
    pub unplaced_n: Option<u64>,
    /// The denominator of the shares: staff placed in a group at this level; `None` when
    /// withheld, and every share of the table with it.
    pub declared_n: Option<u64>,
    /// (headcount − not stated) / headcount; `None` when either is withheld.
    pub declaration_rate: Option<f64>,
    /// Why each withheld table-level count (`headcount`, `not_stated_n`, `unplaced_n`,
    /// `declared_n`) is withheld.
    pub suppressed_counts: BTreeMap<&'static str, Withheld>,
    pub chi_square: Option<ChiSquareTest>,
    pub notes: Vec<String>,
    pub rows: Vec<RepresentationRow>,
}

/// Everything `repgap representation` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepresentationReport {
    pub workforce_file: String,
    pub comparator: String,
    /// The residents compared with, in a sentence ("residents aged 16 and over").
    pub residents: String,
    pub census_year: u32,
    pub population_total: u64,
    pub confidence: f64,
    pub interval_method: &'static str,
    pub test_method: &'static str,
    pub min_cell: u64,
    pub denominator_rule: &'static str,
    pub notes: Vec<String>,
    pub tables: Vec<RepresentationTable>,
}

pub const DENOMINATOR_RULE: &str = "shares are of staff who stated an ethnicity that can be placed in a group at the level shown; staff whose ethnicity is not stated are excluded from every denominator and reported in the declaration rate";

/// The groups reported at a level, as bucket indices: with a Census 2011 comparator Roma are
/// not separate (they were counted in Other White).
fn reported_buckets(level: Level, has_roma: bool) -> Vec<usize> {
    (0..level.group_count())
        .filter(|&b| has_roma || level != Level::Detailed || b != EthnicGroup::Roma.index())
        .collect()
}

fn bucket_of(level: Level, classified: Classified, has_roma: bool) -> Option<usize> {
    let classified = match classified {
        Classified::Group(EthnicGroup::Roma) if !has_roma => {
            Classified::Group(EthnicGroup::OtherWhite)
        }
        other => other,
    };
    level.bucket(classified)
}

/// A table before disclosure control: raw counts per reported group.
struct RawTable {
    breakdown: String,
    level: Level,
    /// Global cell ids of the table's headcount, not-stated, unplaced and declared counts
    /// (the first two shared by every level of the same breakdown value).
    headcount: usize,
    not_stated: usize,
    unplaced: usize,
    declared: usize,
    /// (bucket, global cell id); the counts are in the run's list of counts.
    cells: Vec<(usize, usize)>,
}

pub fn representation(
    workforce: &Extract,
    population: &Population,
    options: &RepresentationOptions,
    disclosure: &dyn Disclosure,
) -> Result<RepresentationReport> {
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(Error::usage(
            format!("confidence {} is not between 0 and 1", options.confidence),
            "give the confidence level as a fraction, e.g. --confidence 0.95",
        ));
    }
    if options.levels.is_empty() {
        return Err(Error::usage(
            "no level to report",
            "pass --level detailed, high, white-british or white",
        ));
    }
    if let Some(level) = options.levels.iter().find(|l| !population.supports(**l)) {
        return Err(unsupported_level(population, *level, &options.levels));
    }
    let has_roma = population.has_roma();
    // Breakdown sets: everyone, then each breakdown column's values.
    let mut sets: Vec<(Option<String>, CountsByValue)> = vec![(None, tabulate(workforce, None)?)];
    for name in &options.breakdowns {
        let column = workforce.text(name);
        sets.push((
            Some(column.name.clone()),
            tabulate(workforce, Some(column))?,
        ));
    }

    // Every count, and the cell it is to the run's disclosure control.
    let everyone = cells::everyone(workforce, disclosure);
    let dimensions: Vec<Option<String>> = sets
        .iter()
        .map(|(column, _)| {
            column
                .as_ref()
                .map(|c| cells::text_dimension(workforce, workforce.text(c), disclosure))
        })
        .collect();
    let mut counts: Vec<u64> = Vec::new();
    let mut specs: Vec<Cell> = Vec::new();
    let mut cell = |n: u64, spec: Cell| {
        counts.push(n);
        specs.push(spec);
        counts.len() - 1
    };
    let mut raw_tables: Vec<RawTable> = Vec::new();
    let mut lookup: HashMap<(usize, BreakdownKey, Level), usize> = HashMap::new();
    for (set_index, (column, by_value)) in sets.iter().enumerate() {
        let values = match set_index {
            0 => by_value.keys().collect(),
            i => {
                let name = &options.breakdowns[i - 1];
                ordered_values(
                    &workforce.path,
                    workforce.text(name),
                    by_value,
                    options.orders.get(name),
                )?
            }
        };
        for value in values {
            let by_label = &by_value[value];
            let headcount_n: u64 = by_label.values().sum();
            let not_stated_n: u64 = by_label
                .iter()
                .filter(|(key, _)| key.decode() == Classified::NotStated)
                .map(|(_, n)| n)
                .sum();
            let within = match (&dimensions[set_index], column) {
                (Some(dim), Some(name)) => everyone
                    .clone()
                    .with(dim, cells::value_code(workforce.text(name), &value.0)),
                _ => everyone.clone(),
            };
            let headcount = cell(headcount_n, within.clone());
            let not_stated = cell(
                not_stated_n,
                within.clone().with(
                    cells::ETHNICITY,
                    cells::ethnicity_codes(|c| c == Classified::NotStated),
                ),
            );
            for &level in &options.levels {
                let mut per_bucket: BTreeMap<usize, u64> = BTreeMap::new();
                let mut unplaced_n = 0;
                for (key, &n) in by_label {
                    let classified = ClassifiedKey::decode(*key);
                    match (classified, bucket_of(level, classified, has_roma)) {
                        (Classified::NotStated, _) => {}
                        (_, None) => unplaced_n += n,
                        (_, Some(b)) => *per_bucket.entry(b).or_default() += n,
                    }
                }
                let unplaced = cell(
                    unplaced_n,
                    within.clone().with(
                        cells::ETHNICITY,
                        cells::ethnicity_codes(|c| {
                            c != Classified::NotStated && bucket_of(level, c, has_roma).is_none()
                        }),
                    ),
                );
                let declared = cell(
                    per_bucket.values().sum(),
                    within.clone().with(
                        cells::ETHNICITY,
                        cells::ethnicity_codes(|c| bucket_of(level, c, has_roma).is_some()),
                    ),
                );
                let cells = reported_buckets(level, has_roma)
                    .into_iter()
                    .map(|b| {
                        let n = per_bucket.get(&b).copied().unwrap_or(0);
                        let spec = within.clone().with(
                            cells::ETHNICITY,
                            cells::ethnicity_codes(|c| bucket_of(level, c, has_roma) == Some(b)),
                        );
                        (b, cell(n, spec))
                    })
                    .collect();
                lookup.insert((set_index, value.clone(), level), raw_tables.len());
                raw_tables.push(RawTable {
                    breakdown: match column {
                        None => "all".to_string(),
                        Some(c) => format!("{c}={}", value.0),
                    },
                    level,
                    headcount,
                    not_stated,
                    unplaced,
                    declared,
                    cells,
                });
            }
        }
    }

    // After the breakdowns' values are checked against their orders, whose errors say more.
    for name in &options.breakdowns {
        refuse_identifier(workforce, workforce.text(name), options.min_cell)?;
    }
    // Declared staff are the denominators of every share in their table.
    let denominators: std::collections::HashSet<usize> =
        raw_tables.iter().map(|t| t.declared).collect();
    let published: Vec<crate::disclosure::Count> = counts
        .iter()
        .zip(&specs)
        .enumerate()
        .map(|(i, (&n, spec))| {
            if denominators.contains(&i) {
                disclosure.denominator(spec, n)
            } else {
                disclosure.count(spec, n)
            }
        })
        .collect();
    let reasons: Vec<Option<Withheld>> = published
        .iter()
        .map(|c| Withheld::when(c.withheld))
        .collect();
    // Every figure is computed from the counts as published (rounded, when the run rounds).
    let counts: Vec<u64> = published.iter().map(|c| c.n).collect();
    // Each table's groups split its declared staff: a row that one group (nearly) fills is
    // withheld whole.
    for raw in &raw_tables {
        let parts: Vec<Cell> = raw.cells.iter().map(|c| specs[c.1].clone()).collect();
        disclosure.distribution(&specs[raw.declared], &parts);
    }

    let population_total = population.total() as f64;
    let tables: Vec<RepresentationTable> = raw_tables
        .iter()
        .map(|raw| {
            build_table(
                raw,
                &counts,
                &reasons,
                population,
                population_total,
                options,
            )
        })
        .collect();

    let mut notes = population.warnings.clone();
    if let Some(from) = &workforce.counts_from {
        notes.push(format!(
            "the workforce file gives numbers of people ({from}), not one row per person, so no row-level checks (ids, duplicates) were possible"
        ));
    }
    notes.push(match tables.first().map(|t| (t.not_stated_n, t.headcount)) {
        Some((Some(not_stated), Some(headcount))) => format!(
            "{not_stated} of {headcount} staff have no stated ethnicity and are excluded from the shares"
        ),
        _ => "staff with no stated ethnicity are excluded from the shares (their number is withheld to protect individuals)".to_string(),
    });
    Ok(RepresentationReport {
        // The file name only: a full path can carry a person's user name.
        workforce_file: workforce.file_name(),
        comparator: population.describe(),
        residents: population.comparator.residents(),
        census_year: population.edition.year(),
        population_total: population.total(),
        confidence: options.confidence,
        interval_method: "Wilson score interval",
        test_method: "exact two-sided binomial test against the population share; chi-square goodness of fit per table",
        min_cell: options.min_cell,
        denominator_rule: DENOMINATOR_RULE,
        notes,
        tables,
    })
}

/// A group's share of staff against its share of residents: the statistics of every row that
/// compares the workforce with the population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareAgainstPopulation {
    pub share: f64,
    /// The Wilson interval of the share.
    pub low: f64,
    pub high: f64,
    pub gap_pp: f64,
    /// Exact two-sided binomial test of share = population share.
    pub p_value: f64,
    /// From the interval, never the point estimate alone.
    pub assessment: Assessment,
}

impl ShareAgainstPopulation {
    /// `None` when there is no one to take a share of.
    pub fn of(
        n: u64,
        declared: u64,
        population_share: f64,
        confidence: f64,
    ) -> Option<ShareAgainstPopulation> {
        let (low, high) = wilson_interval(n, declared, confidence)?;
        let share = n as f64 / declared as f64;
        Some(ShareAgainstPopulation {
            share,
            low,
            high,
            gap_pp: (share - population_share) * 100.0,
            p_value: binomial_test_two_sided(n, declared, population_share),
            assessment: if high < population_share {
                Assessment::UnderRepresented
            } else if low > population_share {
                Assessment::OverRepresented
            } else {
                Assessment::InLine
            },
        })
    }
}

/// A level the comparator's table cannot give (the 19 categories from a table of 8): named,
/// with the levels it can give and the tables that give the level asked for.
pub fn unsupported_level(population: &Population, level: Level, asked: &[Level]) -> Error {
    let supported: Vec<&str> = Level::ALL
        .into_iter()
        .filter(|l| population.supports(*l))
        .map(|l| l.name())
        .collect();
    let keep: Vec<String> = asked
        .iter()
        .filter(|l| population.supports(**l))
        .map(|l| format!("\"{}\"", l.name()))
        .collect();
    Error::usage(
        format!(
            "the comparator ({}) is counted in {} ethnic groups, which cannot give level {} ({}); it gives {}",
            population.describe(),
            population.part_count(),
            level.name(),
            level.describe(),
            supported.join(", ")
        ),
        format!(
            "report the levels it gives (levels = [{}]), or compare with a table of the 19 categories (TS021 for all residents, RM032 for an age range)",
            if keep.is_empty() { "\"high\"".to_string() } else { keep.join(", ") }
        ),
    )
}

fn build_table(
    raw: &RawTable,
    counts: &[u64],
    reasons: &[Option<Withheld>],
    population: &Population,
    population_total: f64,
    options: &RepresentationOptions,
) -> RepresentationTable {
    let labels = raw.level.group_labels();
    let declared = counts[raw.declared];
    // A share, its interval and every test over a withheld denominator would give it away.
    let denominator_shown = reasons[raw.declared].is_none();
    let mut rows = Vec::new();
    let mut shown_observed = Vec::new();
    let mut shown_shares = Vec::new();
    let mut pooled = (0u64, 0.0f64, false);
    let mut notes = Vec::new();
    for &(bucket, cell) in &raw.cells {
        // As published: rounded when the run rounds.
        let n = counts[cell];
        // The levels were checked against the population before any table was built.
        let population_n: u64 = population.count(&raw.level.members(bucket)).unwrap_or(0);
        let population_share = population_n as f64 / population_total;
        let suppressed = reasons[cell];
        let mut row = RepresentationRow {
            breakdown: raw.breakdown.clone(),
            level: raw.level,
            group: labels[bucket].clone(),
            workforce_n: None,
            workforce_share: None,
            workforce_ci_low: None,
            workforce_ci_high: None,
            population_n,
            population_share,
            gap_pp: None,
            ratio: None,
            ratio_ci_low: None,
            ratio_ci_high: None,
            p_value: None,
            assessment: None,
            suppressed,
        };
        if suppressed.is_some() {
            pooled = (pooled.0, pooled.1 + population_share, true);
        } else {
            shown_observed.push(n);
            shown_shares.push(population_share);
            row.workforce_n = Some(n);
            if let Some(s) =
                ShareAgainstPopulation::of(n, declared, population_share, options.confidence)
                    .filter(|_| denominator_shown)
            {
                row.workforce_share = Some(s.share);
                row.workforce_ci_low = Some(s.low);
                row.workforce_ci_high = Some(s.high);
                row.gap_pp = Some(s.gap_pp);
                row.p_value = Some(s.p_value);
                row.assessment = Some(s.assessment);
                if population_share > 0.0 {
                    row.ratio = Some(s.share / population_share);
                    row.ratio_ci_low = Some(s.low / population_share);
                    row.ratio_ci_high = Some(s.high / population_share);
                }
            }
        }
        rows.push(row);
    }
    if pooled.2 {
        // The withheld groups hold what the shown ones leave of the declared staff (with
        // rounded counts, the shown ones can hold more than the rounded total: then none).
        pooled.0 = declared.saturating_sub(shown_observed.iter().sum());
        shown_observed.push(pooled.0);
        shown_shares.push(pooled.1);
        notes.push("chi-square test pools the suppressed groups into one category".to_string());
    }
    // Groups with no residents cannot enter the test.
    let (observed, shares): (Vec<u64>, Vec<f64>) = shown_observed
        .into_iter()
        .zip(shown_shares)
        .filter(|(_, p)| *p > 0.0)
        .unzip();
    let chi_square = chi_square_goodness_of_fit(&observed, &shares).filter(|_| denominator_shown);
    if let Some(test) = &chi_square {
        if test.min_expected < 5.0 {
            notes.push(format!(
                "the smallest expected count is {:.1}: with expected counts below 5 the chi-square p-value is approximate",
                test.min_expected
            ));
        }
    }
    if !denominator_shown {
        notes.push(
            "the number of staff in this table who stated an ethnicity that can be placed at this level is withheld to protect individuals, and with it the shares and the test"
                .to_string(),
        );
    } else if declared == 0 {
        notes.push(
            "no staff in this table stated an ethnicity that can be placed at this level"
                .to_string(),
        );
    }
    let shown = |cell: usize| reasons[cell].is_none().then_some(counts[cell]);
    let suppressed_counts = [
        ("headcount", raw.headcount),
        ("not_stated_n", raw.not_stated),
        ("unplaced_n", raw.unplaced),
        ("declared_n", raw.declared),
    ]
    .into_iter()
    .filter_map(|(name, cell)| reasons[cell].map(|r| (name, r)))
    .collect();
    RepresentationTable {
        breakdown: raw.breakdown.clone(),
        level: raw.level,
        headcount: shown(raw.headcount),
        not_stated_n: shown(raw.not_stated),
        unplaced_n: shown(raw.unplaced),
        declared_n: shown(raw.declared),
        declaration_rate: match (shown(raw.headcount), shown(raw.not_stated)) {
            (Some(h), Some(s)) if h > 0 => Some((h - s) as f64 / h as f64),
            _ => None,
        },
        suppressed_counts,
        chi_square: chi_square.filter(|_| denominator_shown),
        notes,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Refused: more values than people ÷ threshold, most held by one person alone.
    #[test]
    fn identifier_rule_boundary() {
        let wf = |values: &[&str]| {
            Extract::from_columns(
                "x.csv",
                vec![Classified::NotStated; values.len()],
                vec![TextColumn::from_values("team", values)],
            )
        };
        let two = wf(&["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"]);
        assert!(refuse_identifier(&two, two.text("team"), 5).is_ok());
        // Four people in two grades of two: too few to show, but not an identifier.
        let tiny = wf(&["a", "a", "b", "b"]);
        assert!(refuse_identifier(&tiny, tiny.text("team"), 5).is_ok());
        let three = wf(&["a", "a", "a", "a", "a", "b", "c", "d", "e", "f"]);
        let err = refuse_identifier(&three, three.text("team"), 2).unwrap_err();
        assert!(
            err.to_string().contains("6 different values for 10 people"),
            "{err}"
        );
        // Six values are not "many" at a threshold of 5 (no more than 2 × 5): a grouping.
        assert!(refuse_identifier(&three, three.text("team"), 5).is_ok());
        assert!(refuse_identifier(&three, three.text("team"), 0).is_ok());
        // A threshold as large as a u64 neither overflows nor refuses.
        assert!(refuse_identifier(&three, three.text("team"), u64::MAX).is_ok());
        // Six people in four grades, three of them alone (a case the suite's random
        // workforces produce): a grouping, not an identifier.
        let grades = wf(&["a", "a", "a", "b", "c", "d"]);
        assert!(refuse_identifier(&grades, grades.text("team"), 3).is_ok());
    }
}
