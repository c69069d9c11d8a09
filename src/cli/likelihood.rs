use super::{emit, Format, OutputArgs, StatsArgs, WorkforceArgs};
use crate::ingest::{ColumnKind, ColumnNeed};
use crate::metrics::likelihood::{workforce_likelihoods, Direction, Likelihood};
use crate::output::{likelihood_csv, likelihood_rows, text_table, to_json};

/// Relative likelihood of an outcome for White and ethnic minority staff (NHS WRES style).
///
/// Each --outcome names a yes/no column of the workforce file (e.g. entered a formal
/// disciplinary process, accessed non-mandatory training, left in the period). For each: the
/// rate in White staff (including White minorities) and in ethnic minority staff (excluding
/// White minorities), the ratio in the stated --direction with a Katz 95% interval, NHS
/// England's non-adverse range (0.80–1.25) and the four-fifths flag. Yes: yes, y, true, 1, x;
/// no: no, n, false, 0 or blank. Small counts suppress the ratio.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap likelihood --workforce datasets/demo/workforce-synthetic.csv \\
      --outcome disciplinary --direction minority-over-white
  repgap likelihood --workforce hr.csv --outcome training --outcome left_in_year --format csv")]
pub struct Args {
    #[command(flatten)]
    workforce: WorkforceArgs,
    /// A yes/no column of the workforce file; repeat for several outcomes.
    #[arg(long = "outcome", value_name = "COLUMN", required = true)]
    outcomes: Vec<String>,
    /// Which group's rate is on top of the ratio.
    #[arg(long, value_enum, default_value_t = DirectionArg::MinorityOverWhite)]
    direction: DirectionArg,
    #[command(flatten)]
    stats: StatsArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Which group's rate is on top of the ratio (the library's [`Direction`], for clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DirectionArg {
    /// White ÷ ethnic minorities (NHS WRES indicators 2 and 4).
    WhiteOverMinority,
    /// Ethnic minorities ÷ White (NHS WRES indicator 3; every Social Care WRES indicator).
    MinorityOverWhite,
}

impl From<DirectionArg> for Direction {
    fn from(d: DirectionArg) -> Direction {
        match d {
            DirectionArg::WhiteOverMinority => Direction::WhiteOverMinority,
            DirectionArg::MinorityOverWhite => Direction::MinorityOverWhite,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    args.stats.validate()?;
    let workforce = args.workforce.read(
        args.outcomes
            .iter()
            .map(|c| ColumnNeed::new(c, ColumnKind::Flag, "outcome"))
            .collect(),
    )?;
    let results: Vec<Likelihood> = crate::disclosure::protected_rounded(
        args.stats.min_cell,
        args.stats.round_to,
        |disclosure| {
            Ok::<_, std::convert::Infallible>(workforce_likelihoods(
                &workforce,
                &args.outcomes,
                args.direction.into(),
                args.stats.confidence,
                disclosure,
            ))
        },
    )
    .unwrap_or_else(|never| match never {});
    let text = match args.output.format {
        Format::Json => to_json(&results),
        Format::Csv => likelihood_csv(&results),
        Format::Table => {
            let mut out = String::new();
            for l in &results {
                out.push_str(&format!(
                    "{}: relative likelihood {}\n",
                    l.outcome, l.direction_text
                ));
                let rows: Vec<Vec<String>> = likelihood_rows(std::slice::from_ref(l))
                    .into_iter()
                    .map(|r| {
                        let ci = if r[11].is_empty() {
                            String::new()
                        } else {
                            format!("{}–{}", r[11], r[12])
                        };
                        vec![
                            r[1].clone(),
                            r[3].clone(),
                            r[4].clone(),
                            r[5].clone(),
                            r[6].clone(),
                            r[7].clone(),
                            r[8].clone(),
                            r[10].clone(),
                            ci,
                            r[13].clone(),
                            r[14].clone(),
                            r[15].clone(),
                        ]
                    })
                    .collect();
                out.push_str(&text_table(
                    &[
                        "comparison (first group, second group)",
                        "n",
                        "events",
                        "rate",
                        "n",
                        "events",
                        "rate",
                        "ratio",
                        "95% CI",
                        "4/5 flag",
                        "0.80–1.25",
                        "suppressed",
                    ],
                    &[
                        false, true, true, true, true, true, true, true, true, true, true, false,
                    ],
                    &rows,
                ));
                out.push_str(&format!(
                    "{} staff not placed in a group are reported separately.\n\n",
                    crate::output::count_cell(l.not_placed_n)
                ));
            }
            out
        }
    };
    let text = args.stats.mark(text, args.output.format.extension());
    emit(&args.output, &text, &args.workforce.inputs())?;
    Ok(0)
}
