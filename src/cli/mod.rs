//! The command line: argument parsing and dispatch. Nothing outside this module sees clap.
//! One file per subcommand, each with an `Args` struct (whose doc comments are the `--help`
//! text) and a `run` function.

mod census;
mod classify;
mod likelihood;
mod representation;
mod run;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Error;
use crate::output::{write_atomic, Format};

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
    Likelihood(likelihood::Args),
    Representation(representation::Args),
    Run(run::Args),
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
}

/// Parse a delimiter given as one character or as `tab`.
pub fn parse_delimiter(value: &str) -> Result<u8, String> {
    match value {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        v if v.len() == 1 && v.is_ascii() => Ok(v.as_bytes()[0]),
        v => Err(format!(
            "{v:?} is not a single character; use e.g. ';' or tab"
        )),
    }
}

/// Write command output to `--output` or standard output.
pub fn emit(output: &OutputArgs, text: &str, inputs: &[PathBuf]) -> Result<(), Error> {
    match &output.output {
        Some(path) => write_atomic(path, text.as_bytes(), inputs),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
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
    let result = match cli.command {
        Command::Census(args) => census::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Likelihood(args) => likelihood::run(args),
        Command::Representation(args) => representation::run(args),
        Command::Run(args) => run::run(args),
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
