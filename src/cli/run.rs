use std::path::PathBuf;

use super::warn;
use crate::error::Error;
use crate::pipeline;
use crate::plan::Plan;

/// The demo configuration bundled with the source tree.
const DEMO_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/demo/repgap.toml");

/// Run every analysis named in a TOML config and write all outputs into one folder.
///
/// With no CONFIG, runs the bundled demo (a synthetic workforce against real Census 2021
/// figures for Rushmoor). Writes representation.csv, representation.json,
/// population-profile.csv and, in annex/, the evidence annex (index.html, annex.md) with every
/// chart as PNG, SVG and CSV. Everything is computed before anything is written, and the
/// output folder is then replaced whole, so a failure leaves it as it was. The output folder
/// is repgap's: a run refuses to replace one that holds files it did not write. The date on outputs comes from the config's
/// [annex] run_date or SOURCE_DATE_EPOCH when set, so reruns are byte-identical.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap run
  repgap run my-council.toml --output-dir evidence/2026-03
  SOURCE_DATE_EPOCH=1774915200 repgap run my-council.toml")]
pub struct Args {
    /// The run configuration (TOML). Default: the bundled demo config.
    #[arg(value_name = "CONFIG")]
    config: Option<PathBuf>,
    /// Write outputs here instead of the config's output_dir.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// Begin every CSV with a byte order mark, so that Excel on Windows opens it as UTF-8
    /// (also `excel_csv = true` in the config).
    #[arg(long)]
    excel_csv: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let config_path = match &args.config {
        Some(p) => p.clone(),
        None => {
            let demo = PathBuf::from(DEMO_CONFIG);
            if !demo.exists() {
                return Err(Error::usage(
                    format!(
                        "no config given and the bundled demo config is not at {}",
                        demo.display()
                    ),
                    "pass a config file: repgap run my-council.toml",
                )
                .into());
            }
            demo
        }
    };
    let mut plan = Plan::from_file(&config_path, args.output_dir)?;
    plan.excel_csv |= args.excel_csv;
    let output = pipeline::execute(&plan)?;
    warn(&output.warnings);
    warn(&pipeline::write(&output, &plan.output_dir, &plan.inputs())?);
    if let Some(log) = &plan.disclosure_log {
        if let Some(parent) = log.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        crate::output::write_atomic(log, output.withheld_log.as_bytes(), &plan.inputs())?;
        eprintln!(
            "repgap: wrote the private log of withheld figures to {} (keep it with the raw data, not the outputs)",
            log.display()
        );
    }
    print!("{}", output.summary);
    println!(
        "\nWrote {} files to {}; the evidence annex is {}",
        output.files.len(),
        plan.output_dir.display(),
        plan.output_dir.join("annex/index.html").display()
    );
    Ok(0)
}
