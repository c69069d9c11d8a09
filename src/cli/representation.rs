use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{emit, warn, ComparatorArgs, Format, OutputArgs, StatsArgs, WorkforceArgs};
use crate::classify::Level;
use crate::error::Error;
use crate::ingest::{CensusTable, ColumnKind, ColumnNeed};
use crate::metrics::{representation, RepresentationOptions};
use crate::output::{representation_csv, representation_table, to_json};

/// Compare the workforce with the local population, group by group.
///
/// For each ethnic group: staff count and share of staff who stated an ethnicity (with a Wilson
/// interval), the population count and share, the gap in percentage points, the
/// representation ratio with its interval, an exact binomial p-value, and an assessment
/// (under-represented / over-represented / in line) taken from the interval. Counts below
/// --min-cell are suppressed with everything derived from them, plus secondary suppression.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap representation --census datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv \\
      --area E07000092 --workforce datasets/demo/workforce-synthetic.csv
  repgap representation --census census.csv --area E07000092 --area E07000089 \\
      --workforce hr.csv --id-column employee_id --level high,detailed --by grade --format csv -o rep.csv")]
pub struct Args {
    /// The Census table (Nomis bulk, ONS custom dataset or tidy layout).
    #[arg(long, value_name = "FILE")]
    census: PathBuf,
    /// Area code or name to compare with; repeat to sum several areas.
    #[arg(long = "area", value_name = "CODE_OR_NAME")]
    areas: Vec<String>,
    #[command(flatten)]
    comparator: ComparatorArgs,
    #[command(flatten)]
    workforce: WorkforceArgs,
    /// Levels: detailed (19 categories), high (5 groups), eight-categories (the 8 of RM038 and
    /// RM018), white-british (White British vs all other groups combined), white (White vs
    /// ethnic minorities excluding White minorities).
    #[arg(long = "level", value_delimiter = ',', default_values_t = vec!["high".to_string()])]
    levels: Vec<String>,
    /// Repeat the analysis within each value of this workforce column (e.g. grade).
    #[arg(long = "by", value_name = "COLUMN")]
    by: Vec<String>,
    /// The order of a --by column's values, lowest first: COLUMN=VALUE,VALUE,… (every value in
    /// the data must be listed). Without it values are ordered naturally.
    #[arg(long = "order", value_name = "COLUMN=VALUES")]
    orders: Vec<String>,
    #[command(flatten)]
    stats: StatsArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn parse_levels(names: &[String]) -> Result<Vec<Level>, Error> {
    Level::parse_list(names).map_err(|name| {
        Error::usage(
            format!("unknown level {name:?}"),
            "use detailed, high, eight-categories, white-british or white",
        )
    })
}

fn parse_orders(orders: &[String], by: &[String]) -> Result<BTreeMap<String, Vec<String>>, Error> {
    let mut out = BTreeMap::new();
    for order in orders {
        let (column, values) = order.split_once('=').ok_or_else(|| {
            Error::usage(
                format!("--order {order:?} has no '='"),
                "write --order grade=\"Grade 1,Grade 2,Grade 3\"",
            )
        })?;
        let column = by
            .iter()
            .find(|b| b.eq_ignore_ascii_case(column.trim()))
            .ok_or_else(|| {
                Error::usage(
                    format!("--order names '{column}', which is not a --by column"),
                    "add --by with that column",
                )
            })?;
        out.insert(
            column.clone(),
            values.split(',').map(|v| v.trim().to_string()).collect(),
        );
    }
    Ok(out)
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let levels = parse_levels(&args.levels)?;
    args.stats.validate()?;
    let population = CensusTable::read(&args.census, crate::ingest::csvfile::ReadOptions::DETECT)?
        .select(&args.areas, args.comparator.comparator()?)?;
    let workforce = args.workforce.read(
        args.by
            .iter()
            .map(|c| ColumnNeed::new(c, ColumnKind::Text, "breakdown"))
            .collect(),
    )?;
    let options = RepresentationOptions {
        levels,
        breakdowns: args.by.clone(),
        confidence: args.stats.confidence,
        min_cell: args.stats.min_cell,
        orders: parse_orders(&args.orders, &args.by)?,
    };
    let report = crate::disclosure::protected_rounded(
        args.stats.min_cell,
        args.stats.round_to,
        |disclosure| representation(&workforce, &population, &options, disclosure),
    )?;
    warn(&population.warnings);
    let text = match args.output.format {
        Format::Table => representation_table(&report),
        Format::Csv => representation_csv(&report),
        Format::Json => to_json(&report),
    };
    let mut inputs = args.workforce.inputs();
    inputs.push(args.census.clone());
    let text = args.stats.mark(text, args.output.format.extension());
    emit(&args.output, &text, &inputs)?;
    Ok(0)
}
