use std::path::{Path, PathBuf};

use super::warn;
use crate::classify::{Classifier, Level};
use crate::config::RunConfig;
use crate::error::Error;
use crate::ingest::{CensusTable, Workforce, WorkforceOptions};
use crate::metrics::{representation, RepresentationOptions, RepresentationReport};
use crate::output::{
    csv_line, fixed, population_profile, representation_csv, representation_table, to_json,
    write_atomic,
};

/// The demo configuration bundled with the source tree.
const DEMO_CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/demo/repgap.toml");

/// Run every analysis named in a TOML config and write all outputs into one folder.
///
/// With no CONFIG, runs the bundled demo (a synthetic workforce against real Census 2021
/// figures for Rushmoor). Outputs: representation.csv, representation.json and
/// population-profile.csv. Everything is computed before anything is written, so a failure
/// leaves the output folder as it was.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap run
  repgap run my-council.toml --output-dir evidence/2026-03")]
pub struct Args {
    /// The run configuration (TOML). Default: the bundled demo config.
    #[arg(value_name = "CONFIG")]
    config: Option<PathBuf>,
    /// Write outputs here instead of the config's output_dir.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
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
    let config = RunConfig::load(&config_path)?;
    let levels = config.levels(&config_path)?;
    let classifier = match &config.workforce.mapping {
        Some(path) => Classifier::with_mapping_file(path)?,
        None => Classifier::builtin(),
    };
    let census = CensusTable::read(&config.census.file, b',')?;
    let population = census.select(&config.census.areas)?;
    let workforce = Workforce::read(
        &config.workforce.file,
        &WorkforceOptions {
            ethnicity_column: config.workforce.ethnicity_column.clone(),
            id_column: config.workforce.id_column.clone(),
            breakdown_columns: config.representation.by.clone(),
            delimiter: b',',
        },
        &classifier,
    )?;
    let report = representation(
        &workforce,
        &population,
        &RepresentationOptions {
            levels: levels.clone(),
            breakdowns: (0..config.representation.by.len()).collect(),
            confidence: config.representation.confidence,
            min_cell: config.representation.min_cell,
        },
    )?;
    warn(&population.warnings);

    let mut profile_csv = csv_line(&[
        "comparator",
        "level",
        "group",
        "population_n",
        "population_share",
    ]);
    let profile_levels: Vec<Level> = [Level::High, Level::Detailed]
        .into_iter()
        .chain(levels.iter().copied())
        .fold(Vec::new(), |mut v, l| {
            if !v.contains(&l) {
                v.push(l);
            }
            v
        });
    for row in population_profile(&population, &profile_levels) {
        profile_csv.push_str(&csv_line(&[
            population.describe(),
            row.level.name().to_string(),
            row.group,
            row.population_n.to_string(),
            fixed(Some(row.population_share), 6),
        ]));
    }

    let out_dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| config.output_dir.clone());
    let mut inputs = vec![
        config_path.clone(),
        config.census.file.clone(),
        config.workforce.file.clone(),
    ];
    inputs.extend(config.workforce.mapping.clone());
    let files: [(&str, String); 3] = [
        ("representation.csv", representation_csv(&report)),
        ("representation.json", to_json(&report)),
        ("population-profile.csv", profile_csv),
    ];
    for (name, contents) in &files {
        write_atomic(&out_dir.join(name), contents.as_bytes(), &inputs)?;
    }
    print_summary(
        &report,
        &out_dir,
        &files.iter().map(|f| f.0).collect::<Vec<_>>(),
    );
    Ok(0)
}

fn print_summary(report: &RepresentationReport, out_dir: &Path, files: &[&str]) {
    let overall = RepresentationReport {
        tables: report
            .tables
            .iter()
            .filter(|t| t.breakdown == "all")
            .cloned()
            .collect(),
        ..report.clone()
    };
    print!("{}", representation_table(&overall));
    println!("\nWrote {} files to {}:", files.len(), out_dir.display());
    for f in files {
        println!("  {f}");
    }
}
