//! The command line: argument parsing and dispatch. Nothing outside this module sees clap.
//! One file per subcommand, each with an `Args` struct (whose doc comments are the `--help`
//! text) and a `run` function.

mod census;
mod classify;
mod init;
mod likelihood;
mod representation;
mod run;
mod survey;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::classify::Classifier;
use crate::disclosure::publication;
use crate::error::Error;
use crate::ingest::{ColumnNeed, Extract, ExtractSpec};
use crate::output::write_atomic;

const EXIT_CODES: &str = "\
Exit status: 0 success; 1 a problem with the input data (the message names the file, row and
column); 2 a problem with the command line or configuration.

Privacy: workforce rows are special category personal data. repgap writes aggregates only and
suppresses counts below --min-cell (default 5), with secondary suppression so that no withheld
count can be recovered by subtraction.";

#[derive(Debug, Parser)]
#[command(
    name = "repgap",
    version,
    about = "Representation gaps by ethnicity: a workforce compared with the local population (Census 2021 or 2011).",
    after_help = EXIT_CODES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Census(census::Args),
    Classify(classify::Args),
    Init(init::Args),
    Likelihood(likelihood::Args),
    Representation(representation::Args),
    Run(run::Args),
    Survey(survey::Args),
}

/// Output formats every command offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for reading in a terminal.
    Table,
    /// Comma-separated values, columns as documented in docs/FORMATS.md.
    Csv,
    /// JSON with the same records plus table-level figures.
    Json,
}

impl Format {
    /// The file extension of the format, for marking an output (see [`StatsArgs::mark`]).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// Options every command that writes a result shares.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format csv: begin with a byte order mark, so that Excel on Windows opens the
    /// file as UTF-8.
    #[arg(long)]
    pub excel_csv: bool,
}

/// Options of the commands that read a workforce extract.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkforceArgs {
    /// The workforce extract: one row per employee.
    #[arg(long, value_name = "FILE")]
    pub workforce: PathBuf,
    /// The column holding ethnicity (case-insensitive).
    #[arg(long, default_value = "ethnicity")]
    pub ethnicity_column: String,
    /// The employee id column; when given, empty or duplicated ids are an error.
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// A mapping CSV (raw_label,group) that overrides and extends the built-in labels.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Field delimiter of the workforce file (detected when not given: commas, semicolons,
    /// tabs or vertical bars).
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The row the column names are on (detected when not given: title rows above them are
    /// skipped).
    #[arg(long, value_name = "ROW")]
    pub header_row: Option<u64>,
    /// The sheet of a workbook (.xlsx, .xls, .ods); the first when not given.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// A column of counts: each row is that many people (a published profile, a cohort such
    /// as councillors or a graduate intake), not one person.
    #[arg(long, value_name = "COLUMN")]
    pub count_column: Option<String>,
    /// A wide profile as councils publish one: a column per ethnic group holding its count
    /// (headers such as "White British", "Asian"), a row per year or grade (--by), and
    /// perhaps a total column, which is checked.
    #[arg(long, conflicts_with = "count_column")]
    pub wide: bool,
}

impl WorkforceArgs {
    /// Read and classify the workforce with the `columns` a command needs, typed.
    pub fn read(&self, columns: Vec<ColumnNeed>) -> Result<Extract, Error> {
        let classifier = match &self.mapping {
            Some(path) => crate::ingest::mapping::classifier(Some(path))?.0,
            None => Classifier::builtin(),
        };
        let mut spec = ExtractSpec::new(&self.ethnicity_column);
        spec.id_column = self.id_column.clone();
        spec.count_column = self.count_column.clone();
        spec.wide = self.wide;
        spec.read = crate::ingest::csvfile::ReadOptions {
            delimiter: self.delimiter,
            header_row: self.header_row,
            sheet: self.sheet.clone(),
        };
        for c in columns {
            spec.need(c);
        }
        let extract = Extract::read(&self.workforce, &spec, &classifier)?;
        warn(&extract.notes);
        Ok(extract)
    }

    /// The files read, which outputs must never replace.
    pub fn inputs(&self) -> Vec<PathBuf> {
        std::iter::once(self.workforce.clone())
            .chain(self.mapping.clone())
            .collect()
    }
}

/// Options of the commands that compute intervals and suppress small counts.
#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// Two-sided confidence level of intervals.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Withhold counts of people from 1 to below this (at least 3 unless
    /// --not-for-publication).
    #[arg(long, default_value_t = 5)]
    pub min_cell: u64,
    /// For checking figures against the raw data: allows --min-cell below 3, and the output
    /// says NOT FOR PUBLICATION on its first line.
    #[arg(long)]
    pub not_for_publication: bool,
    /// Round every count shown to the nearest multiple of this, after suppression (e.g. 5);
    /// shares and tests are computed from the rounded counts. 1 keeps counts exact.
    #[arg(long, default_value_t = 1, value_name = "BASE", value_parser = parse_round_to)]
    pub round_to: u64,
}

/// Parse `--round-to`: a whole number of at least 1.
pub fn parse_round_to(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(0) => Err("counts cannot be rounded to a multiple of 0; use 5 (or 10) to round, or 1 to keep counts exact".into()),
        Ok(base) => Ok(base),
        Err(_) => Err(format!("{value:?} is not a whole number; use e.g. 5")),
    }
}

/// `--min-cell` below 3 only with `--not-for-publication`.
pub fn check_threshold(min_cell: u64, not_for_publication: bool) -> Result<(), Error> {
    match publication::refuse_threshold(min_cell, !not_for_publication) {
        None => Ok(()),
        Some(why) => Err(Error::usage(
            format!("--min-cell {min_cell}: {why}"),
            format!(
                "use --min-cell {} or more; to check figures against the raw data, add --not-for-publication and the output will say {} on its first line",
                publication::SMALLEST_PUBLISHED_THRESHOLD,
                publication::NOT_FOR_PUBLICATION
            ),
        )),
    }
}

/// `text` as a command writes it: marked NOT FOR PUBLICATION when it is; `kind` is the
/// output's file extension ("csv", "json", "txt").
pub fn mark_output(text: String, kind: &str, min_cell: u64, not_for_publication: bool) -> String {
    if !not_for_publication {
        return text;
    }
    let marked = publication::mark(
        &format!("output.{kind}"),
        text.into_bytes(),
        &publication::banner(min_cell),
    );
    String::from_utf8(marked).expect("marking keeps UTF-8")
}

impl StatsArgs {
    pub fn validate(&self) -> Result<(), Error> {
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(Error::usage(
                format!("--confidence {} is not between 0 and 1", self.confidence),
                "give a fraction such as 0.95 or 0.99",
            ));
        }
        check_threshold(self.min_cell, self.not_for_publication)
    }

    /// `text` as written (see [`mark_output`]).
    pub fn mark(&self, text: String, kind: &str) -> String {
        mark_output(text, kind, self.min_cell, self.not_for_publication)
    }
}

pub use crate::ingest::csvfile::parse_delimiter;

/// Who the workforce is compared with, for the commands that read a Census table.
#[derive(Debug, Clone, clap::Args)]
pub struct ComparatorArgs {
    /// Who to compare with: all-residents, aged-16-plus, working-age or economically-active.
    /// Without it, whoever the table counts (all usual residents in TS021, residents aged 16
    /// and over in RM038).
    #[arg(long, value_name = "NAME", value_parser = parse_comparator)]
    pub comparator: Option<crate::ingest::ComparatorName>,
    /// The ages of working age, both included: FROM-TO (16-64 when not given).
    #[arg(long, value_name = "FROM-TO", value_parser = parse_ages)]
    pub ages: Option<[u32; 2]>,
}

impl ComparatorArgs {
    /// The comparator asked for; a usage error for ages that do not go with it.
    pub fn comparator(&self) -> Result<Option<crate::ingest::Comparator>, Error> {
        let name = match (self.comparator, self.ages) {
            (Some(name), _) => name,
            (None, Some(_)) => crate::ingest::ComparatorName::WorkingAge,
            (None, None) => return Ok(None),
        };
        name.with_ages(self.ages)
            .map(Some)
            .map_err(|message| Error::usage(message, "write --comparator working-age --ages 16-64"))
    }
}

fn parse_comparator(name: &str) -> Result<crate::ingest::ComparatorName, String> {
    crate::ingest::ComparatorName::parse(name).ok_or_else(|| {
        format!(
            "'{name}' is not a comparator; use one of {}",
            crate::ingest::ComparatorName::NAMES.join(", ")
        )
    })
}

fn parse_ages(text: &str) -> Result<[u32; 2], String> {
    let bad = || format!("'{text}' is not an age range; write FROM-TO, e.g. 16-64");
    let (from, to) = text.split_once(['-', ',']).ok_or_else(bad)?;
    let from = from.trim().parse().map_err(|_| bad())?;
    let to = to.trim().parse().map_err(|_| bad())?;
    Ok([from, to])
}

/// Write command output to `--output` or standard output.
pub fn emit(output: &OutputArgs, text: &str, inputs: &[PathBuf]) -> Result<(), Error> {
    if output.excel_csv && output.format != Format::Csv {
        return Err(Error::usage(
            "--excel-csv is for CSV output",
            "add --format csv, or leave out --excel-csv",
        ));
    }
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if output.excel_csv {
        bytes.extend_from_slice(&crate::output::UTF8_BOM);
    }
    bytes.extend_from_slice(text.as_bytes());
    match &output.output {
        Some(path) => write_atomic(path, &bytes, inputs),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&bytes).and_then(|_| stdout.flush()) {
                // `repgap ... | head` is not a failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(source) => Err(Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source,
                }),
                Ok(()) => Ok(()),
            }
        }
    }
}

/// Print warnings to standard error, where they do not mix with data on standard output.
pub fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("repgap: warning: {w}");
    }
}

/// Run the command line and return the process exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    crate::output::interrupt::remove_unfinished_on_interrupt();
    let result = match cli.command {
        Command::Census(args) => census::run(args),
        Command::Init(args) => init::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Likelihood(args) => likelihood::run(args),
        Command::Representation(args) => representation::run(args),
        Command::Run(args) => run::run(args),
        Command::Survey(args) => survey::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("repgap: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            err.downcast_ref::<Error>()
                .map(Error::exit_code)
                .unwrap_or(1)
        }
    }
}
