use std::path::PathBuf;

use super::{check_threshold, emit, mark_output, parse_delimiter, Format, OutputArgs};
use crate::classify::{Classified, Classifier, Level};
use crate::ingest::csvfile::CsvFile;
use crate::output::{csv_line, text_table, to_json};

/// Show how each distinct ethnicity label in a file maps onto the Census 2021 classification.
///
/// For checking data before an analysis: every distinct label, how many rows carry it, the
/// Census 2021 category and high-level group it maps to, and for labels repgap does not know
/// the closest label it does. Exits 1 when any label is unmapped. Counts below --min-cell are
/// shown as "<N"; the output lists raw labels, so treat it as working data, not for publication.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  repgap classify datasets/demo/workforce.csv
  repgap classify hr-extract.csv --ethnicity-column 'Ethnic Origin' --mapping my-labels.csv
  repgap classify hr-extract.csv --format csv --output labels.csv")]
pub struct Args {
    /// A file with one row per person (workforce extract, survey export, …).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The column holding ethnicity labels (case-insensitive).
    #[arg(long, default_value = "ethnicity")]
    ethnicity_column: String,
    /// A mapping CSV (raw_label,group) that overrides and extends the built-in labels.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Show counts from 1 to below this as "<N" (at least 3 unless --not-for-publication).
    #[arg(long, default_value_t = 5)]
    min_cell: u64,
    /// For checking the labels of a file: allows --min-cell below 3 (0 shows every count),
    /// and the output says NOT FOR PUBLICATION on its first line.
    #[arg(long)]
    not_for_publication: bool,
    /// Field delimiter of the input.
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// The sheet of a workbook (.xlsx, .xls, .ods); the first when not given.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    check_threshold(args.min_cell, args.not_for_publication)?;
    let classifier = match &args.mapping {
        Some(path) => crate::ingest::mapping::classifier(Some(path))?.0,
        None => Classifier::builtin(),
    };
    let file = CsvFile::open(
        &args.file,
        &crate::ingest::csvfile::ReadOptions {
            delimiter: args.delimiter,
            header_row: None,
            sheet: args.sheet.clone(),
        },
    )?;
    let column = file.require_column(
        &args.ethnicity_column,
        "name the column that holds ethnicity with --ethnicity-column",
    )?;
    file.require_rows("the file needs one row per person under the header")?;
    let counts = classifier.count_labels(file.rows().iter().map(|r| (r.row, r.get(column))));
    let shown = |n: usize| {
        if n >= 1 && (n as u64) < args.min_cell {
            format!("<{}", args.min_cell)
        } else {
            n.to_string()
        }
    };
    let mut unmapped = 0;
    let records: Vec<[String; 5]> = counts
        .iter()
        .map(|c| {
            let (category, high, status) = match c.meaning {
                Some(Classified::NotStated) => {
                    (String::new(), String::new(), "not stated".to_string())
                }
                Some(meaning) => {
                    let high = Level::High
                        .bucket(meaning)
                        .map(|b| Level::High.group_labels()[b].clone())
                        .unwrap_or_default();
                    (meaning.describe(), high, "mapped".to_string())
                }
                None => {
                    unmapped += 1;
                    let closest = classifier
                        .closest(&c.label)
                        .map(|s| format!("; closest: {s}"))
                        .unwrap_or_default();
                    (
                        String::new(),
                        String::new(),
                        format!("UNMAPPED (first at row {}){closest}", c.first_row),
                    )
                }
            };
            [c.label.clone(), shown(c.rows), category, high, status]
        })
        .collect();
    let header = [
        "label",
        "rows",
        "census_2021_category",
        "high_level_group",
        "status",
    ];
    let text = match args.output.format {
        Format::Table => {
            let rows: Vec<Vec<String>> = records
                .iter()
                .map(|r| {
                    let mut r = r.to_vec();
                    if r[0].is_empty() {
                        r[0] = "(blank)".to_string();
                    }
                    r
                })
                .collect();
            text_table(&header, &[false, true, false, false, false], &rows)
        }
        Format::Csv => {
            let mut out = csv_line(&header);
            for r in &records {
                out.push_str(&csv_line(r));
            }
            out
        }
        Format::Json => to_json(
            &records
                .iter()
                .map(|r| {
                    header
                        .iter()
                        .zip(r)
                        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                        .collect::<serde_json::Map<_, _>>()
                })
                .collect::<Vec<_>>(),
        ),
    };
    let text = mark_output(
        text,
        args.output.format.extension(),
        args.min_cell,
        args.not_for_publication,
    );
    emit(&args.output, &text, std::slice::from_ref(&args.file))?;
    if unmapped > 0 {
        eprintln!(
            "repgap: {unmapped} label(s) are not recognised; add them to a mapping file (raw_label,group) and pass it with --mapping"
        );
        return Ok(1);
    }
    Ok(0)
}
