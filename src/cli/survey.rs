use std::path::PathBuf;

use super::{emit, warn, Format, OutputArgs};
use crate::charts::{
    render_png, render_svg, survey_change_chart, survey_profile_chart, survey_question_chart,
};
use crate::output::{
    survey_changes_csv, survey_profile_csv, survey_results_csv, survey_table, survey_weighting_csv,
    to_json, write_folder,
};
use crate::survey::{analyse, SurveyConfig, Variance};

/// A question name made safe as part of a file name.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Weight a resident survey to the population and report results by ethnic group.
///
/// Reads the [survey] section of --config (a full repgap.toml or a survey-only file): the
/// survey export (one row per respondent), the population margins (age band and sex from a
/// variable,category,count file; ethnic group from the Census table or the same file) and the
/// questions. The design weights are raked to the margins (as R's survey::rake), and each
/// question's weighted % positive is reported overall and for each high-level ethnic group,
/// with a logit interval (svyciprop), the unweighted base and a design-based t-test of the
/// group against everyone else (svyttest). Bases under caution_base (default 50) are flagged;
/// under suppress_base (default 30) they are not published. See docs/FORMATS.md.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap survey --config datasets/demo/repgap.toml
  repgap survey --config survey.toml --format csv -o survey-results.csv
  repgap survey --config survey.toml --output-dir out/   # results, profile, weighting CSVs + JSON")]
pub struct Args {
    /// The configuration file with a [survey] section.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Write survey-results.csv, survey-profile.csv, survey-weighting.csv, survey.json,
    /// survey-changes.csv (with [survey.previous_wave]) and charts (charts/survey-profile,
    /// charts/survey-QUESTION and charts/survey-change-QUESTION, as SVG and PNG) as the whole
    /// content of DIR, replacing it all or nothing; refused when DIR holds files repgap did
    /// not write.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    output_dir: Option<PathBuf>,
    /// Withhold counts of respondents (profile counts, bases) from 1 to below this (at least 3
    /// unless --not-for-publication).
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
    /// For checking figures: allows --min-cell below 3, and the output says NOT FOR
    /// PUBLICATION on its first line.
    #[arg(long)]
    not_for_publication: bool,
    /// Round every count of respondents shown to the nearest multiple of this, after
    /// suppression (e.g. 5); 1 keeps counts exact.
    #[arg(long, default_value_t = 1, value_name = "BASE", value_parser = super::parse_round_to)]
    round_to: u64,
    /// How standard errors treat the raked weights: calibrated (the variance of the raked
    /// design, which knows the weights were calibrated to the margins) or fixed-weights (the
    /// raked weights treated as design weights). Overrides [survey] variance.
    #[arg(long, value_name = "METHOD", value_parser = ["calibrated", "fixed-weights"])]
    variance: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let (mut config, base) = SurveyConfig::load(&args.config)?;
    match args.variance.as_deref() {
        Some("calibrated") => config.variance = Variance::Calibrated,
        Some("fixed-weights") => config.variance = Variance::FixedWeights,
        _ => {}
    }
    super::check_threshold(args.min_cell, args.not_for_publication)?;
    let report = analyse(&config, &base, None, args.min_cell, args.round_to)?;
    warn(&report.warnings);
    let resolve = |p: &std::path::Path| {
        if p.is_relative() {
            base.join(p)
        } else {
            p.to_path_buf()
        }
    };
    let inputs: Vec<PathBuf> = std::iter::once(args.config.clone())
        .chain(config.input_files().into_iter().map(resolve))
        .collect();
    if let Some(dir) = &args.output_dir {
        let mut files: Vec<(String, Vec<u8>)> = [
            ("survey-results.csv", survey_results_csv(&report)),
            ("survey-profile.csv", survey_profile_csv(&report)),
            ("survey-weighting.csv", survey_weighting_csv(&report)),
            ("survey.json", to_json(&report)),
        ]
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect();
        if let Some(changes) = &report.changes {
            files.push((
                "survey-changes.csv".to_string(),
                survey_changes_csv(changes).into_bytes(),
            ));
        }
        let source = format!(
            "Source: {} ({} respondents), weighted by repgap",
            report.survey.name, report.respondents
        );
        let mut charts = vec![(
            "survey-profile".to_string(),
            survey_profile_chart(&report, &source, ""),
        )];
        for q in &report.questions {
            charts.push((
                format!("survey-{}", file_stem(&q.name)),
                survey_question_chart(&report, q, &source, ""),
            ));
        }
        if let Some(changes) = &report.changes {
            let source = format!(
                "Source: {} ({} respondents) and {} ({} respondents), weighted by repgap",
                changes.previous_survey.name,
                changes.previous_respondents,
                report.survey.name,
                report.respondents
            );
            for q in &changes.questions {
                charts.push((
                    format!("survey-change-{}", file_stem(&q.name)),
                    survey_change_chart(&report, changes, q, &source, ""),
                ));
            }
        }
        // SVG for the web, PNG at print resolution for a Word paper.
        for (name, spec) in charts {
            files.push((
                format!("charts/{name}.svg"),
                render_svg(&spec)?.into_bytes(),
            ));
            files.push((format!("charts/{name}.png"), render_png(&spec)?));
        }
        if args.not_for_publication {
            files = crate::disclosure::publication::mark_files(files, args.min_cell);
        }
        // Like a run's folder: replaced whole once everything is rendered, or left as it was.
        warn(&write_folder(dir, &files, &inputs)?);
        eprintln!("repgap: wrote survey results to {}", dir.display());
        return Ok(0);
    }
    let text = match args.output.format {
        Format::Json => to_json(&report),
        Format::Csv => survey_results_csv(&report),
        Format::Table => survey_table(&report),
    };
    let text = super::mark_output(
        text,
        args.output.format.extension(),
        args.min_cell,
        args.not_for_publication,
    );
    emit(&args.output, &text, &inputs)?;
    Ok(0)
}
