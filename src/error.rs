//! Errors a user can act on.
//!
//! Every variant carries what a council officer needs to fix their file without a programmer:
//! the file, the row (counting the header as row 1, as a spreadsheet does), the column, the
//! offending value and what would fix it. The binary maps [`Error::exit_code`] to the process
//! exit status: 1 for a problem with the data, 2 for a problem with how repgap was asked to run.

use std::fmt;
use std::path::PathBuf;

/// Where in an input file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based row number counting the header as row 1; `None` for whole-file problems.
    pub row: Option<u64>,
    pub column: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            row: None,
            column: None,
        }
    }

    pub fn cell(file: impl Into<PathBuf>, row: u64, column: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            row: Some(row),
            column: Some(column.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{}'", clip(column))?;
        }
        Ok(())
    }
}

/// An unmapped ethnicity label, with how often it occurs and the nearest label repgap knows.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmappedLabel {
    pub label: String,
    pub rows: usize,
    pub first_row: u64,
    pub closest: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}\n  hint: check the path; relative paths are taken from {}", path.display(), relative_to)]
    Io {
        path: PathBuf,
        relative_to: String,
        source: std::io::Error,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}: the file is empty\n  hint: export the table again with its header row", path.display())]
    EmptyFile { path: PathBuf },

    #[error("{}: the file has a header but no data rows\n  hint: {hint}", path.display())]
    NoRows { path: PathBuf, hint: String },

    #[error("{}: the header has a single column {}, which contains {delimiter_name}\n  hint: the file uses {delimiter_name}: pass --delimiter {delimiter_flag} (delimiter = {delimiter_flag} in a config), or give no delimiter and it is detected", path.display(), quoted(header))]
    WrongDelimiter {
        path: PathBuf,
        header: String,
        delimiter_name: &'static str,
        delimiter_flag: String,
    },

    #[error("{}: no column named '{}'{}\n  columns in the file: {}\n  hint: {hint}", path.display(), clip(column), closest.as_ref().map(|c| format!(" (did you mean '{}'?)", clip(c))).unwrap_or_default(), clip_all(available).join(", "))]
    MissingColumn {
        path: PathBuf,
        column: String,
        available: Vec<String>,
        closest: Option<String>,
        hint: String,
    },

    #[error("{location}: {message} (value {})\n  hint: {hint}", quoted(value))]
    BadValue {
        location: Location,
        value: String,
        message: String,
        hint: String,
    },

    #[error("{}: {total} value(s) cannot be read:\n{}{}\n  hint: {}", path.display(), cells.iter().map(|c| format!("    - {c}")).collect::<Vec<_>>().join("\n"), if *total > cells.len() { format!("\n    … and {} more", total - cells.len()) } else { String::new() }, distinct_hints(cells))]
    BadCells {
        path: PathBuf,
        /// The first few bad cells, in row order.
        cells: Vec<BadCell>,
        /// How many cells are bad in all.
        total: usize,
    },

    #[error("{}: {message}\n  hint: {hint}", path.display())]
    Unreadable {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("{}: malformed CSV at row {row}: {message}\n  hint: check for unbalanced quotes or a row with a different number of fields", path.display())]
    Csv {
        path: PathBuf,
        row: u64,
        message: String,
    },

    #[error("{}: cannot tell which Census layout this is\n  header: {}\n  hint: repgap reads the Nomis bulk download (columns 'geography code' and one column per ethnic group), the ONS custom-dataset download (an 'Observation' column) and the tidy layout 'area_code,area_name,ethnic_group,count'", path.display(), clip(header))]
    UnknownCensusLayout { path: PathBuf, header: String },

    #[error("{}: {} column(s) are not Census ethnic-group categories: {}\n  hint: {hint}", path.display(), columns.len(), clip_all(columns).join("; "))]
    UnknownCensusColumns {
        path: PathBuf,
        columns: Vec<String>,
        hint: String,
    },

    #[error("{}: no area matches '{}'\n  closest areas in the file: {}\n  hint: pass --area with a code (e.g. E07000092) or a name exactly as in the file", path.display(), clip(requested), clip_all(closest).join("; "))]
    UnknownArea {
        path: PathBuf,
        requested: String,
        closest: Vec<String>,
    },

    #[error("{}: area '{}' has a population of 0 across all ethnic groups\n  hint: check the area code and that the file holds counts, not percentages", path.display(), clip(area))]
    ZeroPopulation { path: PathBuf, area: String },

    #[error("{}: {} ethnicity label(s) are not recognised:\n{}\n  hint: add them to a mapping file (columns raw_label,group; e.g. \"Nepalese,Asian: Other Asian\" or \"Refused,Not stated\") and pass it with --mapping", path.display(), labels.len(), format_unmapped(labels, column))]
    UnmappedLabels {
        path: PathBuf,
        column: String,
        labels: Vec<UnmappedLabel>,
    },

    #[error("{}: {} problem(s) with the employee id column '{column}':\n{}\n  hint: every row needs a unique, non-empty id; remove duplicated rows or fix the ids, then run again", path.display(), problems.len(), problems.iter().map(|p| format!("    - {p}")).collect::<Vec<_>>().join("\n"))]
    EmployeeIds {
        path: PathBuf,
        column: String,
        problems: Vec<String>,
    },

    #[error("{}: {} answer(s) in column '{column}' (question '{question}') are not recognised:\n{}\n  allowed answers: {}\n  hint: {hint}", path.display(), answers.len(), format_answers(answers), clip_all(allowed).join("; "))]
    UnknownAnswers {
        path: PathBuf,
        column: String,
        question: String,
        answers: Vec<UnknownAnswer>,
        allowed: Vec<String>,
        hint: String,
    },

    #[error("{}: the {variable} categories of the survey and of the margins do not match\n  in the survey but not the margins: {}\n  in the margins but not the survey: {}\n  survey categories: {}\n  margin categories: {}\n  hint: {hint}", path.display(), list_or_none(survey_only), list_or_none(margins_only), clip_all(survey_categories).join("; "), clip_all(margin_categories).join("; "))]
    MarginCategories {
        path: PathBuf,
        variable: String,
        survey_only: Vec<String>,
        margins_only: Vec<String>,
        survey_categories: Vec<String>,
        margin_categories: Vec<String>,
        hint: String,
    },

    #[error("the weighting margins do not sum to the same population total: {}\n  hint: {hint}", totals.iter().map(|(v, t)| format!("{v} {t}")).collect::<Vec<_>>().join(", "))]
    MarginTotals {
        totals: Vec<(String, f64)>,
        hint: String,
    },

    #[error("raking did not converge in {iterations} iteration(s); weighted margins still differ from their targets:\n{}\n  hint: merge small categories in the survey and the margins (for example combine the smallest ethnic groups), or raise [survey.raking] max_iterations", failures.iter().map(|f| format!("    - {f}")).collect::<Vec<_>>().join("\n"))]
    NotConverged {
        iterations: usize,
        failures: Vec<String>,
    },

    #[error("{}: {message}\n  hint: {hint}", path.display())]
    Config {
        path: PathBuf,
        message: String,
        hint: String,
    },

    #[error("{message}\n  hint: {hint}")]
    Usage { message: String, hint: String },
}

/// One cell whose value cannot be read as its column's type.
#[derive(Debug, Clone, PartialEq)]
pub struct BadCell {
    pub row: u64,
    pub column: String,
    pub value: String,
    /// What is wrong, e.g. "hourly pay is not a number".
    pub message: String,
    pub hint: String,
}

impl fmt::Display for BadCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {}, column '{}': {} (value {})",
            self.row,
            clip(&self.column),
            self.message,
            quoted(&self.value)
        )
    }
}

/// Each different hint once, in the order first met.
fn distinct_hints(cells: &[BadCell]) -> String {
    let mut hints: Vec<&str> = Vec::new();
    for c in cells {
        if !hints.contains(&c.hint.as_str()) {
            hints.push(&c.hint);
        }
    }
    hints.join("; ")
}

/// A survey answer that is not one of a question's allowed answers.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownAnswer {
    pub value: String,
    pub rows: usize,
    /// The first few spreadsheet rows holding it.
    pub first_rows: Vec<u64>,
}

fn format_answers(answers: &[UnknownAnswer]) -> String {
    answers
        .iter()
        .map(|a| {
            let rows: Vec<String> = a.first_rows.iter().map(u64::to_string).collect();
            format!(
                "    - {}: {} row(s), first at row(s) {}",
                quoted(&a.value),
                a.rows,
                rows.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        clip_all(items).join("; ")
    }
}

fn format_unmapped(labels: &[UnmappedLabel], column: &str) -> String {
    labels
        .iter()
        .map(|l| {
            let closest = match &l.closest {
                Some(c) => format!("; closest known label: '{}'", clip(c)),
                None => String::new(),
            };
            format!(
                "    - {} in column '{}': {} row(s), first at row {}{closest}",
                quoted(&l.label),
                clip(column),
                l.rows,
                l.first_row
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// The process exit status: 2 for usage and configuration problems, 1 for data problems.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage { .. } | Error::Config { .. } => 2,
            _ => 1,
        }
    }

    /// A file that cannot be read, with the folder relative paths are taken from.
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            relative_to: std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|_| "the current folder".to_string()),
            source,
        }
    }

    /// One bad cell as [`Error::BadValue`]; several as [`Error::BadCells`].
    pub fn bad_cells(path: &std::path::Path, mut cells: Vec<BadCell>, total: usize) -> Error {
        if total == 1 && cells.len() == 1 {
            let c = cells.remove(0);
            Error::BadValue {
                location: Location::cell(path, c.row, c.column),
                value: c.value,
                message: c.message,
                hint: c.hint,
            }
        } else {
            Error::BadCells {
                path: path.to_path_buf(),
                cells,
                total,
            }
        }
    }

    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many characters of a value an error message shows.
const SHOWN_CHARS: usize = 80;

/// A value from a file or a config as an error message shows it: whole when short; else its
/// first 80 characters, `…` and its full length in bytes. A cell or header can be megabytes
/// long (a whole file pasted into one cell, a file with no line breaks read as one header), and
/// echoing it whole would bury the message, and the file, row and fix it gives.
pub fn clip(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}… ({} bytes)", &value[..at], value.len()).into(),
        None => value.into(),
    }
}

/// [`clip`], in quotes with escapes, for values whose spaces and invisible characters matter:
/// `"Grade 1 "`, or `"aaaa…" (1048576 bytes)`.
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{:?} ({} bytes)", format!("{}…", &value[..at]), value.len()),
        None => format!("{value:?}"),
    }
}

/// Each of a list of values, [`clip`]ped.
fn clip_all(values: &[String]) -> Vec<std::borrow::Cow<'_, str>> {
    values.iter().map(|v| clip(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_clipped_with_their_length() {
        assert_eq!(clip("Grade 1"), "Grade 1");
        assert_eq!(quoted("Grade 1 "), "\"Grade 1 \"");
        let exact = "é".repeat(80);
        assert_eq!(clip(&exact), exact);
        let long = format!("{}{}", "é".repeat(80), "x".repeat(1_000_000));
        let shown = format!("{}… (1000160 bytes)", "é".repeat(80));
        assert_eq!(clip(&long), shown);
        assert_eq!(
            quoted(&long),
            format!("\"{}…\" (1000160 bytes)", "é".repeat(80))
        );
    }

    #[test]
    fn no_error_echoes_a_megabyte() {
        let huge = "=".repeat(1 << 20);
        let errors = [
            Error::BadValue {
                location: Location::cell("hr.csv", 2, huge.clone()),
                value: huge.clone(),
                message: "not a number".into(),
                hint: "fix it".into(),
            },
            Error::bad_cells(
                std::path::Path::new("hr.csv"),
                vec![
                    BadCell {
                        row: 2,
                        column: huge.clone(),
                        value: huge.clone(),
                        message: "m".into(),
                        hint: "h".into(),
                    };
                    2
                ],
                2,
            ),
            Error::MissingColumn {
                path: "hr.csv".into(),
                column: huge.clone(),
                available: vec![huge.clone(), "grade".into()],
                closest: Some(huge.clone()),
                hint: "h".into(),
            },
            Error::WrongDelimiter {
                path: "hr.csv".into(),
                header: huge.clone(),
                delimiter_name: "semicolons",
                delimiter_flag: "';'".into(),
            },
            Error::UnknownCensusLayout {
                path: "c.csv".into(),
                header: huge.clone(),
            },
            Error::UnknownArea {
                path: "c.csv".into(),
                requested: huge.clone(),
                closest: vec![huge.clone()],
            },
            Error::UnmappedLabels {
                path: "hr.csv".into(),
                column: huge.clone(),
                labels: vec![UnmappedLabel {
                    label: huge.clone(),
                    rows: 1,
                    first_row: 2,
                    closest: Some(huge.clone()),
                }],
            },
            Error::UnknownAnswers {
                path: "s.csv".into(),
                column: "q".into(),
                question: "q".into(),
                answers: vec![UnknownAnswer {
                    value: huge.clone(),
                    rows: 1,
                    first_rows: vec![2],
                }],
                allowed: vec![huge.clone()],
                hint: "h".into(),
            },
            Error::MarginCategories {
                path: "m.csv".into(),
                variable: "sex".into(),
                survey_only: vec![huge.clone()],
                margins_only: vec![],
                survey_categories: vec![huge.clone()],
                margin_categories: vec![huge.clone()],
                hint: "h".into(),
            },
        ];
        for e in errors {
            let text = e.to_string();
            assert!(text.len() < 2_000, "{} bytes: {}", text.len(), &text[..200]);
            assert!(text.contains("(1048576 bytes)"), "{text}");
        }
    }
}
