//! Workforce (HR) extracts: one row per employee.
//!
//! Only three things are taken from a row: the ethnicity label, the employee id (when a column
//! is named, to catch duplicated or anonymous rows) and the columns asked for as breakdowns
//! (grade, department, …). Nothing else is kept in memory, and no row-level value ever reaches an
//! output: the metrics stage sees counts only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::csvfile::{CsvFile, InputSource};
use crate::classify::{Classified, Classifier};
use crate::error::{Error, Result};

/// How to read a workforce file.
#[derive(Debug, Clone)]
pub struct WorkforceOptions {
    pub ethnicity_column: String,
    pub id_column: Option<String>,
    /// Columns carried for breakdowns, in the order asked for.
    pub breakdown_columns: Vec<String>,
    pub delimiter: u8,
}

impl Default for WorkforceOptions {
    fn default() -> Self {
        WorkforceOptions {
            ethnicity_column: "ethnicity".to_string(),
            id_column: None,
            breakdown_columns: Vec::new(),
            delimiter: b',',
        }
    }
}

/// One employee, reduced to what the analyses need.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkforceRecord {
    /// Spreadsheet row number (header = 1), for error messages.
    pub row: u64,
    pub ethnicity: Classified,
    /// Values of the breakdown columns, in [`Workforce::breakdown_columns`] order.
    pub breakdowns: Vec<String>,
}

/// A workforce extract, classified.
#[derive(Debug, Clone)]
pub struct Workforce {
    pub path: PathBuf,
    /// The ethnicity column's name as written in the file.
    pub ethnicity_column: String,
    /// Breakdown column names as written in the file.
    pub breakdown_columns: Vec<String>,
    pub records: Vec<WorkforceRecord>,
    pub source: InputSource,
}

impl Workforce {
    /// Read and classify a workforce file. Unmapped labels, missing columns and (when an id
    /// column is named) empty or duplicated ids are errors.
    pub fn read(
        path: &Path,
        options: &WorkforceOptions,
        classifier: &Classifier,
    ) -> Result<Workforce> {
        let file = CsvFile::open(path, options.delimiter)?;
        let ethnicity_col = file.require_column(
            &options.ethnicity_column,
            "name the column that holds ethnicity with --ethnicity-column",
        )?;
        let breakdown_cols = options
            .breakdown_columns
            .iter()
            .map(|name| {
                file.require_column(
                    name,
                    "columns named with --by or --outcome, or in the config ([representation] by, [likelihood] outcomes, [seniority] column, [pay_gap] columns, [recruitment] stage_column, [trends] date_column), must be columns of this file; check the spelling against the list above",
                )
            })
            .collect::<Result<Vec<usize>>>()?;
        if let Some(id) = &options.id_column {
            let id_col = file.require_column(
                id,
                "name the employee id column with --id-column, or leave it out",
            )?;
            check_ids(&file, id_col)?;
        }
        file.require_rows("the workforce file needs one row per employee under the header")?;
        let labels: Vec<(u64, &str)> = file
            .rows()
            .iter()
            .map(|r| (r.row, r.get(ethnicity_col)))
            .collect();
        let ethnicity_column = file.headers()[ethnicity_col].clone();
        let classified =
            classifier.classify_all(path, &ethnicity_column, labels.iter().copied())?;
        let records = file
            .rows()
            .iter()
            .zip(classified)
            .map(|(row, ethnicity)| WorkforceRecord {
                row: row.row,
                ethnicity,
                breakdowns: breakdown_cols
                    .iter()
                    .map(|&c| row.get(c).to_string())
                    .collect(),
            })
            .collect();
        Ok(Workforce {
            path: path.to_path_buf(),
            ethnicity_column,
            breakdown_columns: breakdown_cols
                .iter()
                .map(|&c| file.headers()[c].clone())
                .collect(),
            records,
            source: file.source().clone(),
        })
    }
}

#[cfg(test)]
impl Workforce {
    /// A workforce with one carried column, from runs of `(value, ethnicity, how many)`; rows
    /// are numbered from 2, as under a header in a file.
    pub(crate) fn from_runs(
        path: &str,
        column: &str,
        runs: &[(&str, Classified, u64)],
    ) -> Workforce {
        let mut records = Vec::new();
        for &(value, ethnicity, n) in runs {
            for _ in 0..n {
                records.push(WorkforceRecord {
                    row: records.len() as u64 + 2,
                    ethnicity,
                    breakdowns: vec![value.to_string()],
                });
            }
        }
        Workforce {
            path: path.into(),
            ethnicity_column: "ethnicity".into(),
            breakdown_columns: vec![column.into()],
            records,
            source: Default::default(),
        }
    }
}

/// Empty and duplicated ids would make headcounts wrong; list every one so they can be fixed.
fn check_ids(file: &CsvFile, id_col: usize) -> Result<()> {
    const SHOWN: usize = 20;
    let mut first_seen: HashMap<&str, u64> = HashMap::new();
    let mut problems = Vec::new();
    for row in file.rows() {
        let id = row.get(id_col);
        if id.is_empty() {
            problems.push(format!("row {}: the id is empty", row.row));
        } else if let Some(first) = first_seen.get(id) {
            problems.push(format!(
                "row {}: id {id:?} was already used on row {first}",
                row.row
            ));
        } else {
            first_seen.insert(id, row.row);
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    if problems.len() > SHOWN {
        let more = problems.len() - SHOWN;
        problems.truncate(SHOWN);
        problems.push(format!("… and {more} more"));
    }
    Err(Error::EmployeeIds {
        path: file.path().to_path_buf(),
        column: file.headers()[id_col].clone(),
        problems,
    })
}
