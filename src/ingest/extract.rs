//! Person-level extracts: a workforce (HR) extract, a recruitment file (one row per applicant),
//! workforce snapshots. One row per person.
//!
//! The columns the analyses need are resolved by role against the header once, and only those
//! are read, each into a typed column: text as a dictionary of distinct values with one code per
//! row, yes/no flags as booleans, amounts as numbers, dates as dates. Every cell that cannot be
//! read is collected and reported together, with its row, column, value and a fix. Ethnicity
//! labels are classified once per distinct label, and no other row-level value is kept: no
//! name, no free text, no column nobody asked for.

use std::path::{Path, PathBuf};

use super::csvfile::{normalise_header, ByteRange, CsvFile, CsvStream, InputSource, ReadOptions};
use super::values::{parse_amount, parse_flag, Date, NumberProblem};
use crate::classify::{Classified, Classifier};
use crate::error::{BadCell, Error, Result, UnmappedLabel};

/// The per-row lookups (interning a value, checking an id) use a fast, non-cryptographic
/// hash: the keys are the file's own values, not an attacker's.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The type a column is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Categories such as a grade, a department, a recruitment stage.
    Text,
    /// Yes/no (an outcome, full-pay relevance).
    Flag,
    /// An amount of pay or hours: zero or more; blank allowed.
    Amount,
    /// A snapshot date.
    Date,
}

/// A column an analysis reads: its name in the file, its type, and what it holds in words
/// ("hourly pay"), for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnNeed {
    pub name: String,
    pub kind: ColumnKind,
    pub what: String,
}

impl ColumnNeed {
    pub fn new(name: &str, kind: ColumnKind, what: &str) -> ColumnNeed {
        ColumnNeed {
            name: name.to_string(),
            kind,
            what: what.to_string(),
        }
    }
}

/// The ethnicity column's name when a config names none.
pub fn default_ethnicity_column() -> String {
    "ethnicity".to_string()
}

/// What to read from an extract.
#[derive(Debug, Clone)]
pub struct ExtractSpec {
    pub ethnicity_column: String,
    /// When given, empty or duplicated ids are an error.
    pub id_column: Option<String>,
    pub columns: Vec<ColumnNeed>,
    pub read: ReadOptions,
    /// A column of counts: each row is that many people (a published profile, a cohort given
    /// as numbers), not one person.
    pub count_column: Option<String>,
    /// A wide profile: a column per ethnic group holding counts (see [`wide_to_long`]).
    pub wide: bool,
}

impl ExtractSpec {
    pub fn new(ethnicity_column: &str) -> ExtractSpec {
        ExtractSpec {
            ethnicity_column: ethnicity_column.to_string(),
            id_column: None,
            columns: Vec::new(),
            read: ReadOptions::DETECT,
            count_column: None,
            wide: false,
        }
    }

    /// Ask for a column, once however many analyses need it.
    pub fn need(&mut self, column: ColumnNeed) {
        let key = (normalise_header(&column.name), column.kind);
        if !self
            .columns
            .iter()
            .any(|c| (normalise_header(&c.name), c.kind) == key)
        {
            self.columns.push(column);
        }
    }
}

/// The hint for a column the config names that the file does not have.
pub const COLUMN_HINT: &str = "columns named with --by or --outcome, or in the config ([representation] by, [likelihood] outcomes, [seniority] column, [pay_gap] columns, [recruitment] stage_column, [trends] date_column), must be columns of this file; check the spelling against the list above";

/// A text column: each distinct value once, and one code per row.
#[derive(Debug, Clone, PartialEq)]
pub struct TextColumn {
    /// The column's name as written in the file.
    pub name: String,
    /// Per row, an index into `values`.
    pub codes: Vec<u32>,
    /// Distinct values (trimmed), in the order first met.
    pub values: Vec<String>,
    /// Per distinct value: the spreadsheet row it first appears on, and how many rows hold it.
    pub first_rows: Vec<u64>,
    pub counts: Vec<u64>,
}

impl TextColumn {
    fn new(name: &str) -> TextColumn {
        TextColumn {
            name: name.to_string(),
            codes: Vec::new(),
            values: Vec::new(),
            first_rows: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// The value on row index `i` (0-based, data rows only).
    pub fn value(&self, i: usize) -> &str {
        &self.values[self.codes[i] as usize]
    }

    /// Build a column from values, one per row (rows numbered from 2, under a header).
    pub fn from_values<S: AsRef<str>>(name: &str, values: &[S]) -> TextColumn {
        let mut column = TextColumn::new(name);
        let mut index = HashMap::default();
        for (i, v) in values.iter().enumerate() {
            column.push(&mut index, v.as_ref(), i as u64 + 2);
        }
        column
    }

    /// Join `next` (a later part of the same column) on to this one, `index` being this one's.
    fn append(&mut self, next: TextColumn, index: &mut HashMap<String, u32>) {
        let mut codes = Vec::with_capacity(next.values.len());
        for (i, value) in next.values.into_iter().enumerate() {
            let code = match index.get(&value) {
                Some(&code) => code,
                None => {
                    let code = self.values.len() as u32;
                    index.insert(value.clone(), code);
                    self.values.push(value);
                    self.first_rows.push(next.first_rows[i]);
                    self.counts.push(0);
                    code
                }
            };
            self.counts[code as usize] += next.counts[i];
            codes.push(code);
        }
        self.codes
            .extend(next.codes.into_iter().map(|c| codes[c as usize]));
    }

    fn push(&mut self, index: &mut HashMap<String, u32>, value: &str, row: u64) {
        let code = match index.get(value) {
            Some(&code) => code,
            None => {
                let code = self.values.len() as u32;
                index.insert(value.to_string(), code);
                self.values.push(value.to_string());
                self.first_rows.push(row);
                self.counts.push(0);
                code
            }
        };
        self.counts[code as usize] += 1;
        self.codes.push(code);
    }
}

/// A typed column other than text.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedColumn<T> {
    pub name: String,
    pub values: Vec<T>,
}

/// A person-level extract, read by role and classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Extract {
    pub path: PathBuf,
    pub source: InputSource,
    /// The ethnicity column's name as written in the file.
    pub ethnicity_column: String,
    /// Per row, the classified ethnicity.
    pub ethnicity: Vec<Classified>,
    /// Per row, its spreadsheet row number (the header is row 1), for error messages.
    pub rows: Vec<u64>,
    /// What the reader did that the user should know (see [`CsvStream::notes`]).
    pub notes: Vec<String>,
    /// When the file gave counts of people rather than one row per person: where ("column
    /// 'Headcount'", "a column per ethnic group"). No row-level check (ids, duplicates) was
    /// possible.
    pub counts_from: Option<String>,
    /// The columns read, by kind, each under its normalised name.
    texts: Vec<(String, TextColumn)>,
    flags: Vec<(String, TypedColumn<bool>)>,
    amounts: Vec<(String, TypedColumn<Option<f64>>)>,
    dates: Vec<(String, TypedColumn<Date>)>,
}

/// The columns of a wide profile turned long (see [`wide_to_long`]).
const WIDE_ETHNICITY: &str = "ethnic group";
const WIDE_COUNT: &str = "count";

/// Headers of a wide profile's total column, checked against the sum of its groups.
const TOTAL_HEADERS: [&str; 6] = [
    "total",
    "all",
    "all staff",
    "headcount",
    "total headcount",
    "grand total",
];

/// A wide profile as councils publish one (a row per year or grade, a column per ethnic group
/// holding its count, perhaps a total) turned into the long table of counts the reader takes:
/// `keep` columns (the breakdowns the run uses), `ethnic group`, `count`. Every other column must
/// be an ethnic group (its header classified like any label, the mapping file included) or a
/// total, which must equal the row's groups: a column silently dropped would drop its people.
pub fn wide_to_long(
    path: &Path,
    read: &ReadOptions,
    classifier: &Classifier,
    keep: &[String],
) -> Result<CsvStream> {
    let file = CsvFile::open(path, read)?;
    file.require_rows("the file needs a row per year, grade or other breakdown under the header")?;
    let headers = file.headers();
    let kept: Vec<usize> = keep
        .iter()
        .map(|k| file.require_column(k, COLUMN_HINT))
        .collect::<Result<_>>()?;
    let mut groups = Vec::new();
    let mut total = None;
    let mut unknown = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        if kept.contains(&i) {
            continue;
        }
        let folded = normalise_header(header);
        if TOTAL_HEADERS.contains(&folded.as_str()) {
            total = Some(i);
        } else if classifier.classify(header).is_some() {
            groups.push(i);
        } else {
            unknown.push(header.clone());
        }
    }
    if !unknown.is_empty() || groups.is_empty() {
        return Err(Error::Unreadable {
            path: path.to_path_buf(),
            message: if groups.is_empty() {
                "no column is an ethnic group, so this is not a wide profile".to_string()
            } else {
                format!(
                    "column(s) {} are neither an ethnic group nor a column the run uses",
                    unknown.iter().map(|h| format!("'{h}'")).collect::<Vec<_>>().join(", ")
                )
            },
            hint: "in a wide profile every other column is an ethnic group (its header a label repgap knows, or mapped in a mapping file raw_label,group) or a total; name breakdown columns in by".into(),
        });
    }
    let mut long = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header: Vec<&str> = kept
        .iter()
        .map(|&i| headers[i].as_str())
        .chain([WIDE_ETHNICITY, WIDE_COUNT])
        .collect();
    let write_error = |e: csv::Error| Error::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
        hint: "this is a bug in repgap; please report it".into(),
    };
    long.write_record(&header).map_err(write_error)?;
    let mut people = 0u64;
    for row in file.rows() {
        let mut sum = 0u64;
        for &g in &groups {
            let value = row.get(g);
            let bad = |message: String| {
                Error::BadValue {
                location: crate::error::Location::cell(path, row.row, headers[g].clone()),
                value: value.to_string(),
                message,
                hint: "give each group's number of people as a whole number (0 for none); a count withheld in the published table ([c], *, <5) cannot be used: ask for the unrounded figures".into(),
            }
            };
            let n = match parse_amount(value) {
                Ok(None) => 0,
                Ok(Some(n)) if n.fract() == 0.0 => n as u64,
                Ok(Some(_)) => return Err(bad("a count of people is a whole number".into())),
                Err(_) => return Err(bad("is not a count of people".into())),
            };
            sum += n;
            let mut record: Vec<&str> = kept.iter().map(|&i| row.get(i)).collect();
            let n_text = n.to_string();
            record.extend([headers[g].as_str(), n_text.as_str()]);
            long.write_record(&record).map_err(write_error)?;
        }
        if let Some(t) = total {
            let stated = parse_amount(row.get(t)).ok().flatten();
            if stated != Some(sum as f64) {
                return Err(Error::BadValue {
                    location: crate::error::Location::cell(path, row.row, headers[t].clone()),
                    value: row.get(t).to_string(),
                    message: format!("the ethnic-group columns of this row add up to {sum}"),
                    hint: "a group column may be missing or misread: check the row against the published table".into(),
                });
            }
        }
        people += sum;
    }
    let text = long
        .into_inner()
        .map_err(|e| write_error(e.into_error().into()))?;
    let note = format!(
        "{}: read as a wide profile: {} ethnic-group columns ({}), {people} people in {} rows",
        path.display(),
        groups.len(),
        groups
            .iter()
            .map(|&g| headers[g].as_str())
            .collect::<Vec<_>>()
            .join(", "),
        file.rows().len()
    );
    CsvStream::derived(&file, text, note)
}

/// The most people a file of counts may describe: a guard against a mistaken count (a
/// population figure in the count column) filling the memory.
pub const MOST_PEOPLE: u64 = 10_000_000;

/// Each value repeated as many times as its row's count.
fn repeat_values<T: Clone>(values: &[T], times: &[usize]) -> Vec<T> {
    values
        .iter()
        .zip(times)
        .flat_map(|(v, &n)| std::iter::repeat_n(v.clone(), n))
        .collect()
}

/// Bad cells kept for the message; the rest are only counted.
const SHOWN_PROBLEMS: usize = 20;

/// A column being read.
enum Reading {
    Text(TextColumn, HashMap<String, u32>),
    Flag(Vec<bool>),
    Amount(Vec<Option<f64>>),
    Date(Vec<Date>),
}

impl Extract {
    /// Read and classify an extract. Missing columns, empty or duplicated ids (when an id column
    /// is named), a file with no data rows, unmapped ethnicity labels and cells that cannot be
    /// read are errors; each lists every problem of its kind.
    pub fn read(path: &Path, spec: &ExtractSpec, classifier: &Classifier) -> Result<Extract> {
        // Below a few megabytes a second thread costs more than it saves.
        Extract::read_in_parts(path, spec, classifier, 2, 8 << 20)
    }

    /// [`Extract::read`], parsing a file of `worth_cutting` bytes or more in up to `parts`
    /// parts side by side.
    fn read_in_parts(
        path: &Path,
        spec: &ExtractSpec,
        classifier: &Classifier,
        parts: usize,
        worth_cutting: usize,
    ) -> Result<Extract> {
        let (file, ethnicity_column, count_column) = if spec.wide {
            let kept: Vec<String> = spec.columns.iter().map(|c| c.name.clone()).collect();
            let file = wide_to_long(path, &spec.read, classifier, &kept)?;
            (
                file,
                WIDE_ETHNICITY.to_string(),
                Some(WIDE_COUNT.to_string()),
            )
        } else {
            let file = CsvStream::open(path, &spec.read)?;
            (
                file,
                spec.ethnicity_column.clone(),
                spec.count_column.clone(),
            )
        };
        let ethnicity_index = file.require_column(
            &ethnicity_column,
            "name the column that holds ethnicity with --ethnicity-column",
        )?;
        // The count column is read as an amount like any other, then each row becomes that
        // many people.
        let count_need = count_column
            .as_ref()
            .map(|c| ColumnNeed::new(c, ColumnKind::Amount, "count of people"));
        let needed = spec
            .columns
            .iter()
            .chain(count_need.as_ref())
            .map(|c| Ok((file.require_column(&c.name, COLUMN_HINT)?, c)))
            .collect::<Result<Vec<_>>>()?;
        let id_index = spec
            .id_column
            .as_ref()
            .map(|id| {
                file.require_column(
                    id,
                    "name the employee id column with --id-column, or leave it out",
                )
            })
            .transpose()?;
        let headers = file.headers().to_vec();

        // Large files are parsed in parts side by side, each part into its own columns, then
        // joined in file order: the first problem in the file is the one reported.
        let layout = Layout {
            headers: &headers,
            ethnicity: ethnicity_index,
            needed: &needed,
            id: id_index,
        };
        let ranges = file.ranges(parts, worth_cutting);
        let parts: Vec<Result<Part>> = std::thread::scope(|scope| {
            let (first, rest) = ranges.split_first().expect("one range at least");
            let later: Vec<_> = rest
                .iter()
                .map(|range| scope.spawn(|| layout.read(&file, range)))
                .collect();
            std::iter::once(layout.read(&file, first))
                .chain(later.into_iter().map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                }))
                .collect()
        });
        let mut parts = parts.into_iter();
        let mut all = parts.next().expect("one part at least")?;
        for part in parts {
            all.append(part?);
        }
        let file_rows = all.rows.len();
        if let Some((i, _)) = needed.last().filter(|_| count_need.is_some()) {
            if all.bad_total == 0 {
                all.expand_counts(path, &headers[*i])?;
            }
        }
        let Part {
            labels,
            mut readings,
            rows,
            bad,
            bad_total,
            ids,
            ..
        } = all;
        let counts_from = count_need.as_ref().map(|c| {
            readings.pop();
            if spec.wide {
                "a column per ethnic group".to_string()
            } else {
                format!("column '{}'", c.name)
            }
        });
        let needed = &needed[..spec.columns.len()];

        if let Some(id_index) = id_index {
            let mut problems = ids.problems(&rows);
            if !problems.is_empty() {
                let total = problems.len();
                problems.truncate(SHOWN_PROBLEMS);
                if total > SHOWN_PROBLEMS {
                    problems.push(format!("… and {} more", total - SHOWN_PROBLEMS));
                }
                return Err(Error::EmployeeIds {
                    path: path.to_path_buf(),
                    column: headers[id_index].clone(),
                    problems,
                });
            }
        }
        if rows.is_empty() {
            return Err(Error::NoRows {
                path: path.to_path_buf(),
                hint: "the file needs one row per person under the header".into(),
            });
        }
        let ethnicity = classify(path, &labels, classifier)?;
        if bad_total > 0 {
            return Err(Error::bad_cells(path, bad, bad_total));
        }
        let mut notes = file.notes();
        if let Some(column) = counts_from.as_ref().filter(|_| !spec.wide) {
            notes.push(format!(
                "{}: {column} gives counts: {} people in {file_rows} rows; no row-level checks (ids, duplicates) are possible",
                path.display(),
                rows.len()
            ));
        }
        let mut extract = Extract {
            path: path.to_path_buf(),
            source: file.source(file_rows),
            ethnicity_column: labels.name,
            ethnicity,
            rows,
            notes,
            counts_from,
            texts: Vec::new(),
            flags: Vec::new(),
            amounts: Vec::new(),
            dates: Vec::new(),
        };
        for (reading, &(i, need)) in readings.into_iter().zip(needed) {
            let key = normalise_header(&need.name);
            let name = headers[i].clone();
            match reading {
                Reading::Text(column, _) => extract.texts.push((key, column)),
                Reading::Flag(values) => extract.flags.push((key, TypedColumn { name, values })),
                Reading::Amount(values) => {
                    extract.amounts.push((key, TypedColumn { name, values }))
                }
                Reading::Date(values) => extract.dates.push((key, TypedColumn { name, values })),
            }
        }
        Ok(extract)
    }

    /// Number of people (data rows).
    pub fn len(&self) -> usize {
        self.ethnicity.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ethnicity.is_empty()
    }

    /// The file name only: a full path can carry a person's user name.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// A text column asked for in the [`ExtractSpec`].
    pub fn text(&self, name: &str) -> &TextColumn {
        find(&self.texts, name)
    }

    /// A yes/no column asked for in the [`ExtractSpec`].
    pub fn flag(&self, name: &str) -> &TypedColumn<bool> {
        find(&self.flags, name)
    }

    /// An amount column asked for in the [`ExtractSpec`].
    pub fn amount(&self, name: &str) -> &TypedColumn<Option<f64>> {
        find(&self.amounts, name)
    }

    /// A date column asked for in the [`ExtractSpec`].
    pub fn date(&self, name: &str) -> &TypedColumn<Date> {
        find(&self.dates, name)
    }

    /// An extract built in memory: classified people and text columns (rows numbered from 2,
    /// as under a header). For tests and for callers that hold their data already.
    pub fn from_columns(
        path: &str,
        ethnicity: Vec<Classified>,
        text_columns: Vec<TextColumn>,
    ) -> Extract {
        let n = ethnicity.len();
        assert!(text_columns.iter().all(|c| c.codes.len() == n));
        Extract {
            path: path.into(),
            source: InputSource {
                name: path.to_string(),
                rows: n,
                sha256: String::new(),
            },
            ethnicity_column: "ethnicity".into(),
            ethnicity,
            rows: (2..n as u64 + 2).collect(),
            notes: Vec::new(),
            counts_from: None,
            texts: text_columns
                .into_iter()
                .map(|c| (normalise_header(&c.name), c))
                .collect(),
            flags: Vec::new(),
            amounts: Vec::new(),
            dates: Vec::new(),
        }
    }

    /// Add a typed column built in memory (see [`Extract::from_columns`]).
    pub fn with_date(mut self, name: &str, values: Vec<Date>) -> Extract {
        assert_eq!(values.len(), self.len());
        self.dates.push((
            normalise_header(name),
            TypedColumn {
                name: name.into(),
                values,
            },
        ));
        self
    }

    /// An extract with one text column, from runs of `(value, ethnicity, how many)`.
    pub fn from_runs(path: &str, column: &str, runs: &[(&str, Classified, u64)]) -> Extract {
        let mut ethnicity = Vec::new();
        let mut values = Vec::new();
        for &(value, e, n) in runs {
            for _ in 0..n {
                ethnicity.push(e);
                values.push(value);
            }
        }
        Extract::from_columns(
            path,
            ethnicity,
            vec![TextColumn::from_values(column, &values)],
        )
    }
}

/// Where the columns an extract reads are in its file.
struct Layout<'a> {
    headers: &'a [String],
    ethnicity: usize,
    needed: &'a [(usize, &'a ColumnNeed)],
    id: Option<usize>,
}

/// The columns read from one part of a file.
struct Part {
    labels: TextColumn,
    label_index: HashMap<String, u32>,
    readings: Vec<Reading>,
    rows: Vec<u64>,
    bad: Vec<BadCell>,
    bad_total: usize,
    ids: IdCheck,
}

impl Layout<'_> {
    /// Read the records of `range` into typed columns.
    fn read(&self, file: &CsvStream, range: &ByteRange) -> Result<Part> {
        let mut part = Part {
            labels: TextColumn::new(&self.headers[self.ethnicity]),
            label_index: HashMap::default(),
            readings: self
                .needed
                .iter()
                .map(|&(i, need)| match need.kind {
                    ColumnKind::Text => {
                        Reading::Text(TextColumn::new(&self.headers[i]), HashMap::default())
                    }
                    ColumnKind::Flag => Reading::Flag(Vec::new()),
                    ColumnKind::Amount => Reading::Amount(Vec::new()),
                    ColumnKind::Date => Reading::Date(Vec::new()),
                })
                .collect(),
            rows: Vec::new(),
            bad: Vec::new(),
            bad_total: 0,
            ids: IdCheck::default(),
        };
        file.for_each_in(range, |row, record| {
            part.visit(self, row, record);
            Ok(())
        })?;
        Ok(part)
    }
}

impl Part {
    fn visit(&mut self, layout: &Layout, row: u64, record: &csv::ByteRecord) {
        self.rows.push(row);
        let field = |i: usize| -> std::borrow::Cow<'_, str> {
            match record.get(i) {
                Some(bytes) => match std::str::from_utf8(bytes) {
                    Ok(s) => std::borrow::Cow::Borrowed(s.trim()),
                    Err(_) => {
                        std::borrow::Cow::Owned(String::from_utf8_lossy(bytes).trim().to_string())
                    }
                },
                None => std::borrow::Cow::Borrowed(""),
            }
        };
        self.labels
            .push(&mut self.label_index, &field(layout.ethnicity), row);
        for (reading, &(i, need)) in self.readings.iter_mut().zip(layout.needed) {
            let value = field(i);
            let problem = match reading {
                Reading::Text(column, index) => {
                    column.push(index, &value, row);
                    None
                }
                Reading::Flag(values) => match parse_flag(&value) {
                    Some(flag) => {
                        values.push(flag);
                        None
                    }
                    None => {
                        values.push(false);
                        Some((
                            "is not a yes/no value".to_string(),
                            "use yes, y, true, 1 or x for yes; no, n, false, 0 or blank for no"
                                .to_string(),
                        ))
                    }
                },
                Reading::Amount(values) => match parse_amount(&value) {
                    Ok(v) => {
                        values.push(v);
                        None
                    }
                    Err(problem) => {
                        values.push(None);
                        Some(amount_problem(problem, &need.what))
                    }
                },
                Reading::Date(values) => match Date::parse(&value) {
                    Some(d) => {
                        values.push(d);
                        None
                    }
                    None => {
                        values.push(Date {
                            year: 0,
                            month: 0,
                            day: 0,
                        });
                        Some((
                            "is not a date".to_string(),
                            "write snapshot dates as 2022-03-31, 31/03/2022, 31 March 2022 or 31-Mar-2022 (a time after the date and Excel serial day numbers are read too)"
                                .to_string(),
                        ))
                    }
                },
            };
            if let Some((message, hint)) = problem {
                self.bad_total += 1;
                if self.bad.len() < SHOWN_PROBLEMS {
                    self.bad.push(BadCell {
                        row,
                        column: layout.headers[i].clone(),
                        value: value.to_string(),
                        message,
                        hint,
                    });
                }
            }
        }
        if let Some(i) = layout.id {
            self.ids.push(&field(i));
        }
    }

    /// Each row as as many people as its count (the last reading): whole numbers only, and
    /// at most [`MOST_PEOPLE`] in all.
    fn expand_counts(&mut self, path: &Path, column: &str) -> Result<()> {
        let Some(Reading::Amount(counts)) = self.readings.last() else {
            unreachable!("the count column is read last, as an amount");
        };
        let mut times = Vec::with_capacity(counts.len());
        let mut total = 0u64;
        for (i, count) in counts.iter().enumerate() {
            let row = self.rows[i];
            let bad = |message: &str| Error::BadValue {
                location: crate::error::Location::cell(path, row, column.to_string()),
                value: count.map(|c| c.to_string()).unwrap_or_default(),
                message: message.to_string(),
                hint: "give each row's number of people as a whole number (0 for none)".into(),
            };
            let n = match count {
                None => return Err(bad("the count of people is blank")),
                Some(c) if c.fract() != 0.0 => {
                    return Err(bad("a count of people is a whole number"))
                }
                Some(c) => *c as u64,
            };
            total += n;
            if total > MOST_PEOPLE {
                return Err(bad(&format!(
                    "the counts add up to more than {MOST_PEOPLE} people"
                )));
            }
            times.push(n as usize);
        }
        let repeat = |codes: &[u32]| -> Vec<u32> {
            codes
                .iter()
                .zip(&times)
                .flat_map(|(&c, &n)| std::iter::repeat_n(c, n))
                .collect()
        };
        let recount = |column: &mut TextColumn| {
            column.codes = repeat(&column.codes);
            column.counts = vec![0; column.values.len()];
            for &c in &column.codes {
                column.counts[c as usize] += 1;
            }
        };
        recount(&mut self.labels);
        for reading in &mut self.readings {
            match reading {
                Reading::Text(column, _) => recount(column),
                Reading::Flag(values) => *values = repeat_values(values, &times),
                Reading::Amount(values) => *values = repeat_values(values, &times),
                Reading::Date(values) => *values = repeat_values(values, &times),
            }
        }
        self.rows = repeat_values(&self.rows, &times);
        Ok(())
    }

    /// Join the next part of the file on to this one.
    fn append(&mut self, next: Part) {
        self.labels.append(next.labels, &mut self.label_index);
        for (reading, more) in self.readings.iter_mut().zip(next.readings) {
            match (reading, more) {
                (Reading::Text(column, index), Reading::Text(more, _)) => {
                    column.append(more, index)
                }
                (Reading::Flag(values), Reading::Flag(more)) => values.extend(more),
                (Reading::Amount(values), Reading::Amount(more)) => values.extend(more),
                (Reading::Date(values), Reading::Date(more)) => values.extend(more),
                _ => unreachable!("every part reads the same columns"),
            }
        }
        self.rows.extend(next.rows);
        self.bad_total += next.bad_total;
        self.bad.extend(next.bad);
        self.bad.truncate(SHOWN_PROBLEMS);
        self.ids.append(next.ids);
    }
}

/// Every id of an extract, to find the empty and the repeated ones. The ids share one buffer
/// and are compared through a hash and then byte for byte, so a million ids cost a few
/// megabytes and one sort, not a million allocations.
#[derive(Debug, Default)]
struct IdCheck {
    bytes: Vec<u8>,
    /// Where each row's id ends in `bytes`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
}

impl IdCheck {
    fn push(&mut self, id: &str) {
        use std::hash::BuildHasher;
        self.hashes
            .push(foldhash::fast::FixedState::default().hash_one(id.as_bytes()));
        self.bytes.extend_from_slice(id.as_bytes());
        self.ends.push(self.bytes.len());
    }

    fn append(&mut self, next: IdCheck) {
        let offset = self.bytes.len();
        self.bytes.extend(next.bytes);
        self.ends.extend(next.ends.into_iter().map(|e| e + offset));
        self.hashes.extend(next.hashes);
    }

    fn id(&self, i: usize) -> &[u8] {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.bytes[start..self.ends[i]]
    }

    /// Each empty id and each repeat of an earlier id, in row order (`rows` gives each row's
    /// spreadsheet number).
    fn problems(&self, rows: &[u64]) -> Vec<String> {
        let mut order: Vec<u32> = (0..self.hashes.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (self.hashes[i as usize], i));
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut start = 0;
        while start < order.len() {
            let hash = self.hashes[order[start] as usize];
            let mut end = start + 1;
            while end < order.len() && self.hashes[order[end] as usize] == hash {
                end += 1;
            }
            // Rows sharing a hash, in row order: each is a repeat of the first with its id.
            let same = &order[start..end];
            for (k, &i) in same.iter().enumerate() {
                let i = i as usize;
                let id = self.id(i);
                if id.is_empty() {
                    found.push((i, format!("row {}: the id is empty", rows[i])));
                } else if let Some(&first) = same[..k].iter().find(|&&j| self.id(j as usize) == id)
                {
                    found.push((
                        i,
                        format!(
                            "row {}: id {} was already used on row {}",
                            rows[i],
                            crate::error::quoted(&String::from_utf8_lossy(id)),
                            rows[first as usize]
                        ),
                    ));
                }
            }
            start = end;
        }
        found.sort_unstable_by_key(|(i, _)| *i);
        found.into_iter().map(|(_, p)| p).collect()
    }
}

/// The column under `name`: the analyses ask only for columns they declared in the spec, so a
/// miss is a bug in repgap, not in the data.
fn find<'a, T>(columns: &'a [(String, T)], name: &str) -> &'a T {
    let key = normalise_header(name);
    columns
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("column '{name}' was not asked for when the extract was read"))
}

fn amount_problem(problem: NumberProblem, what: &str) -> (String, String) {
    match problem {
        NumberProblem::Negative => (
            format!("{what} is negative"),
            format!("{what} must be zero or more; correct the row or remove the employee if they are not full-pay relevant"),
        ),
        NumberProblem::NotFinite => (
            format!("{what} is not a finite number (NaN or infinity)"),
            format!("give {what} as a plain number such as 15.42; a formula error in the spreadsheet can export as NaN"),
        ),
        NumberProblem::DecimalComma => (
            format!("{what} has a decimal comma"),
            format!("write {what} with a decimal point (18.58, not 18,58): save the file from a spreadsheet set to a UK locale, or replace the commas"),
        ),
        NumberProblem::TooLarge => (
            format!("{what} is larger than a billion"),
            format!("check the row: {what} this large is a mistake in the data"),
        ),
        NumberProblem::NotANumber => (
            format!("{what} is not a number"),
            "write pay as a plain number such as 15.42 (a £ sign and thousands commas are allowed)"
                .to_string(),
        ),
    }
}

/// Classify each distinct label once, or fail listing every unmapped label (alphabetically)
/// with its count, first row and the closest known label.
fn classify(path: &Path, labels: &TextColumn, classifier: &Classifier) -> Result<Vec<Classified>> {
    let meanings: Vec<Option<Classified>> = labels
        .values
        .iter()
        .map(|v| classifier.classify(v))
        .collect();
    let mut unmapped: Vec<UnmappedLabel> = meanings
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_none())
        .map(|(i, _)| UnmappedLabel {
            label: labels.values[i].clone(),
            rows: labels.counts[i] as usize,
            first_row: labels.first_rows[i],
            closest: classifier.closest(&labels.values[i]),
        })
        .collect();
    if !unmapped.is_empty() {
        unmapped.sort_by(|a, b| a.label.cmp(&b.label));
        return Err(Error::UnmappedLabels {
            path: path.to_path_buf(),
            column: labels.name.clone(),
            labels: unmapped,
        });
    }
    let meanings: Vec<Classified> = meanings
        .into_iter()
        .map(|m| m.expect("all mapped"))
        .collect();
    Ok(labels.codes.iter().map(|&c| meanings[c as usize]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::EthnicGroup;
    use std::io::Write;

    fn write(content: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content.as_bytes()).unwrap();
        f
    }

    fn spec(columns: &[(&str, ColumnKind)]) -> ExtractSpec {
        let mut spec = ExtractSpec::new("ethnicity");
        for &(name, kind) in columns {
            spec.need(ColumnNeed::new(name, kind, "hourly pay"));
        }
        spec
    }

    #[test]
    fn reads_only_the_asked_columns_typed() {
        let f = write("id,Ethnicity,grade,pay,fpr,name\n1, Indian ,A,15.42,yes,Ann\n\n2,White British,B,,no,Bob\n3,Indian,A,£1,000,y,Cy\n");
        let e = Extract::read(
            f.path(),
            &spec(&[
                ("grade", ColumnKind::Text),
                ("PAY", ColumnKind::Amount),
                ("fpr", ColumnKind::Flag),
            ]),
            &Classifier::builtin(),
        );
        // "£1,000" unquoted splits into two fields: a ragged row.
        assert!(matches!(e, Err(Error::Csv { row: 5, .. })), "{e:?}");
        let f = write("id,Ethnicity,grade,pay,fpr,name\n1, Indian ,A,15.42,yes,Ann\n\n2,White British,B,,no,Bob\n3,Indian,A,\"£1,000\",y,Cy\n");
        let e = Extract::read(
            f.path(),
            &spec(&[
                ("grade", ColumnKind::Text),
                ("PAY", ColumnKind::Amount),
                ("fpr", ColumnKind::Flag),
            ]),
            &Classifier::builtin(),
        )
        .unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e.rows, vec![2, 4, 5]);
        assert_eq!(e.ethnicity[0], Classified::Group(EthnicGroup::Indian));
        let grade = e.text("grade");
        assert_eq!(grade.values, vec!["A", "B"]);
        assert_eq!(grade.codes, vec![0, 1, 0]);
        assert_eq!(grade.counts, vec![2, 1]);
        assert_eq!(grade.first_rows, vec![2, 4]);
        assert_eq!(
            e.amount("pay").values,
            vec![Some(15.42), None, Some(1000.0)]
        );
        assert_eq!(e.flag("fpr").values, vec![true, false, true]);
        assert_eq!(e.source.rows, 3);
    }

    #[test]
    fn every_bad_cell_is_reported_together() {
        let f = write("ethnicity,pay,when\nIndian,x,2022-03-31\nIndian,-1,2022-13-01\nIndian,NaN,31/03/2022\n");
        let err = Extract::read(
            f.path(),
            &spec(&[("pay", ColumnKind::Amount), ("when", ColumnKind::Date)]),
            &Classifier::builtin(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("4 value(s) cannot be read"), "{text}");
        assert!(
            text.contains("row 2, column 'pay': hourly pay is not a number (value \"x\")"),
            "{text}"
        );
        assert!(
            text.contains("row 3, column 'pay': hourly pay is negative"),
            "{text}"
        );
        assert!(
            text.contains("row 3, column 'when': is not a date (value \"2022-13-01\")"),
            "{text}"
        );
        assert!(
            text.contains("row 4, column 'pay': hourly pay is not a finite number"),
            "{text}"
        );
        assert!(text.contains("hint: write pay as a plain number"), "{text}");
    }

    /// A file read in parts gives exactly what it gives read whole: rows, codes, first rows,
    /// counts, typed values, and the same problems in the same order.
    #[test]
    fn reading_in_parts_changes_nothing() {
        let mut text = String::from("id,ethnicity,grade,pay,left\r\n");
        let labels = ["Indian", "White British", "Arab", "Prefer not to say"];
        for i in 0..500 {
            let id = if i == 430 { 7 } else { i }; // a repeat, in the later part
            let pay = if i % 97 == 5 {
                "x".to_string()
            } else {
                format!("{}.5", 10 + i % 7)
            };
            text.push_str(&format!(
                "{id},{},G{},{pay},{}\r\n",
                labels[(i * 7) % 4],
                (i * 3) % 5,
                if i % 3 == 0 { "yes" } else { "no" }
            ));
            if i == 250 {
                text.push_str("\r\n"); // a blank line: rows stay spreadsheet rows
            }
        }
        let f = write(&text);
        let mut s = spec(&[
            ("grade", ColumnKind::Text),
            ("pay", ColumnKind::Amount),
            ("left", ColumnKind::Flag),
        ]);
        let whole =
            |s: &ExtractSpec| Extract::read_in_parts(f.path(), s, &Classifier::builtin(), 1, 0);
        let parted =
            |s: &ExtractSpec, n| Extract::read_in_parts(f.path(), s, &Classifier::builtin(), n, 0);
        assert_eq!(
            whole(&s).unwrap_err().to_string(),
            parted(&s, 3).unwrap_err().to_string()
        );
        s.columns[1].kind = ColumnKind::Text;
        s.id_column = Some("id".into());
        let err = parted(&s, 3).unwrap_err().to_string();
        assert!(
            err.contains("row 433: id \"7\" was already used on row 9"),
            "{err}"
        );
        assert_eq!(whole(&s).unwrap_err().to_string(), err);
        s.id_column = None;
        let (a, b) = (whole(&s).unwrap(), parted(&s, 3).unwrap());
        assert_eq!(a, b);
        // 500 rows, the header and one blank line.
        assert_eq!(b.rows.last(), Some(&502));
        // A ragged row in a later part is named by its spreadsheet row, as read whole.
        let ragged = write(&text.replacen("400,", "400,x,", 1));
        let read = |n| {
            Extract::read_in_parts(ragged.path(), &s, &Classifier::builtin(), n, 0)
                .unwrap_err()
                .to_string()
        };
        assert!(read(3).contains("malformed CSV at row 403"), "{}", read(3));
        assert_eq!(read(1), read(3));
        assert_eq!(b.text("grade").values.len(), 5);
    }

    #[test]
    fn duplicated_ids_and_unmapped_labels_are_listed() {
        let f = write("id,ethnicity\n1,Indian\n1,Martian\n,Martian\n");
        let mut s = spec(&[]);
        s.id_column = Some("id".into());
        let err = Extract::read(f.path(), &s, &Classifier::builtin()).unwrap_err();
        assert!(
            matches!(&err, Error::EmployeeIds { problems, .. } if problems.len() == 2),
            "{err}"
        );
        s.id_column = None;
        match Extract::read(f.path(), &s, &Classifier::builtin()).unwrap_err() {
            Error::UnmappedLabels { labels, .. } => {
                assert_eq!(labels.len(), 1);
                assert_eq!((labels[0].rows, labels[0].first_row), (2, 3));
            }
            e => panic!("{e}"),
        }
    }
}
