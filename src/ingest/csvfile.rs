//! Reading a CSV file the way every repgap reader needs it: a clear error for an empty file, a
//! header-only file, a wrong delimiter or a ragged row, and row numbers that match what a
//! spreadsheet shows (the header is row 1). [`CsvStream`] visits records without copying them
//! (for the large person-level extracts); [`CsvFile`] keeps every field (for small tables).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One data row and its spreadsheet row number. The fields share one buffer (two allocations
/// a row, not one a field).
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u64,
    text: String,
    /// Where each field ends in `text`.
    ends: Vec<u32>,
}

impl Row {
    fn from_record(row: u64, record: &csv::ByteRecord) -> Row {
        let mut text = String::with_capacity(record.as_slice().len());
        let mut ends = Vec::with_capacity(record.len());
        for field in record {
            text.push_str(&String::from_utf8_lossy(field));
            ends.push(text.len() as u32);
        }
        Row { row, text, ends }
    }

    /// The field at `index`, untrimmed; an absent field reads as empty.
    fn raw(&self, index: usize) -> &str {
        match self.ends.get(index) {
            Some(&end) => {
                let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
                &self.text[start as usize..end as usize]
            }
            None => "",
        }
    }

    /// The field at `index`, trimmed; an absent field reads as empty.
    pub fn get(&self, index: usize) -> &str {
        self.raw(index).trim()
    }

    /// Every field, as written.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.raw(i))
    }
}

/// What identifies an input in a report's provenance: its file name (never the full path,
/// which can carry a person's user name), its data rows and the SHA-256 of its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InputSource {
    pub name: String,
    pub rows: usize,
    pub sha256: String,
}

impl InputSource {
    pub fn new(path: &Path, bytes: &[u8], rows: usize) -> InputSource {
        use sha2::{Digest, Sha256};
        InputSource {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            rows,
            sha256: Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        }
    }
}

/// Headers are matched after folding case and runs of whitespace (Nomis headers can carry line
/// breaks).
pub fn normalise_header(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A part of a CSV file's data (after any byte order mark) made of whole lines, and the
/// spreadsheet line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: usize,
    pub end: usize,
    pub first_line: u64,
}

/// Parse a delimiter given as one character or as `tab`.
pub fn parse_delimiter(value: &str) -> std::result::Result<u8, String> {
    match value {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        v if v.len() == 1 && v.is_ascii() => Ok(v.as_bytes()[0]),
        v => Err(format!(
            "{v:?} is not a single character; use e.g. \";\" or \"tab\""
        )),
    }
}

/// A field delimiter as a config gives it: one character, or "tab".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(pub u8);

impl<'de> serde::Deserialize<'de> for Delimiter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_delimiter(&text)
            .map(Delimiter)
            .map_err(serde::de::Error::custom)
    }
}

/// How to read a table file where detection could guess wrong: an input's configuration (or
/// the command line) can fix the delimiter and the header row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// `None`: detected (commas, semicolons, tabs or vertical bars).
    pub delimiter: Option<u8>,
    /// The header's row as a spreadsheet numbers it; `None`: the first row as wide as the
    /// table with most of its fields filled (title rows above it are skipped).
    pub header_row: Option<u64>,
    /// The sheet of a workbook; `None`: the first.
    pub sheet: Option<String>,
}

impl ReadOptions {
    /// What an input's configuration says (`delimiter`, `header_row`).
    pub fn configured(
        delimiter: Option<Delimiter>,
        header_row: Option<u64>,
        sheet: Option<String>,
    ) -> ReadOptions {
        ReadOptions {
            delimiter: delimiter.map(|d| d.0),
            header_row,
            sheet,
        }
    }

    /// Everything detected.
    pub const DETECT: ReadOptions = ReadOptions {
        delimiter: None,
        header_row: None,
        sheet: None,
    };

    /// A fixed delimiter, the header detected.
    pub fn delimited(delimiter: u8) -> ReadOptions {
        ReadOptions {
            delimiter: Some(delimiter),
            ..ReadOptions::DETECT
        }
    }
}

/// A CSV file opened and checked (not empty, a plausible delimiter) with its header read. The
/// records are visited one at a time by [`CsvStream::for_each`] without copying their fields,
/// so a reader that needs three columns of a fourteen-column extract never allocates the other
/// eleven.
#[derive(Debug)]
pub struct CsvStream {
    /// The file as messages name it (with the sheet, for a workbook).
    path: PathBuf,
    /// The file itself, as provenance names it.
    file: PathBuf,
    /// The file's text as UTF-8 (see [`super::text::decode`]).
    bytes: Vec<u8>,
    /// The file as read, when decoding changed it (the provenance hashes the file itself).
    original: Option<Vec<u8>>,
    /// Where the header line starts.
    start: usize,
    /// The header's row as a spreadsheet numbers it.
    header_line: u64,
    delimiter: u8,
    headers: Vec<String>,
    /// What the reader did that the user should know (title rows skipped, an encoding other
    /// than UTF-8, notes below the table left out).
    notes: std::sync::Mutex<Vec<String>>,
    /// Blank lines of a one-column file read as rows with an empty value.
    blank_records: std::sync::atomic::AtomicU64,
}

impl CsvStream {
    pub fn open(path: &Path, options: &ReadOptions) -> Result<CsvStream> {
        let file = path.to_path_buf();
        let raw = std::fs::read(path).map_err(|source| Error::io(path, source))?;
        let mut notes = Vec::new();
        let (decoded, delimiter, path) = if super::workbook::is_workbook(&raw) {
            let (text, sheet, others) =
                super::workbook::sheet_as_csv(path, &raw, options.sheet.as_deref())?;
            notes.push(format!("{}: read sheet '{sheet}'", path.display()));
            let decoded = super::text::Decoded {
                text,
                skip: 0,
                encoding: super::text::Encoding::Utf8,
                original: Some(raw),
            };
            // Messages name the sheet with the file, and the others when the first was taken
            // for want of a name: the table may be on another.
            let named = if options.sheet.is_none() && !others.is_empty() {
                PathBuf::from(format!(
                    "{} (sheet {sheet}; other sheets, chosen with sheet = \"…\" or --sheet: {})",
                    path.display(),
                    others.join(", ")
                ))
            } else {
                PathBuf::from(format!("{} (sheet {sheet})", path.display()))
            };
            (decoded, Some(b','), named)
        } else {
            if let Some(sheet) = &options.sheet {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    message: format!("sheet = '{sheet}' is given, but this is not a workbook"),
                    hint: "leave out sheet for a CSV or text file".into(),
                });
            }
            (
                super::text::decode(path, raw)?,
                options.delimiter,
                path.to_path_buf(),
            )
        };
        let path = path.as_path();
        let skip = decoded.skip;
        let bytes = decoded.text;
        // The text after any byte order mark.
        let body = &bytes[skip..];
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        if decoded.encoding != super::text::Encoding::Utf8 {
            notes.push(format!(
                "{}: read as {} text",
                path.display(),
                decoded.encoding.name()
            ));
        }
        let delimiter = match delimiter {
            None => super::text::sniff_delimiter(body),
            Some(given) => {
                if options.header_row.is_none() {
                    check_given_delimiter(path, body, given)?;
                }
                given
            }
        };
        let header_line =
            match options.header_row {
                Some(0) => return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    message: "header_row = 0: rows are numbered from 1".into(),
                    hint:
                        "give the header's row as the spreadsheet numbers it, e.g. header_row = 3"
                            .into(),
                }),
                Some(row) => row,
                None => super::text::find_header(body, delimiter),
            };
        let start = skip
            + line_start(body, header_line).ok_or_else(|| Error::Unreadable {
                path: path.to_path_buf(),
                message: format!("header_row = {header_line}, but the file has fewer rows"),
                hint: "give the row the column names are on, as the spreadsheet numbers it".into(),
            })?;
        if header_line > 1 {
            notes.push(format!(
                "{}: the column names are on row {header_line}; the {} row(s) above them (a title or notes) are not read",
                path.display(),
                header_line - 1
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(&bytes[start..]);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| csv_error(path, e, header_line))?
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if let [header] = headers.as_slice() {
            let other = super::text::DELIMITERS
                .iter()
                .map(|&(d, _, _)| d)
                .find(|&d| d != b',' && d != delimiter && header.contains(d as char));
            if let Some(used) = other {
                return Err(wrong_delimiter(path, header, used));
            }
        }
        Ok(CsvStream {
            path: path.to_path_buf(),
            file,
            bytes,
            original: decoded.original,
            start,
            header_line,
            delimiter,
            headers,
            notes: std::sync::Mutex::new(notes),
            blank_records: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// A table built from `file` (a wide profile turned long, say): UTF-8 comma-separated
    /// `text` with its header on line 1, named, hashed and noted as `file` was.
    pub fn derived(file: &CsvFile, text: Vec<u8>, note: String) -> Result<CsvStream> {
        let from = &file.stream;
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_slice());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(&from.path, e, 1))?
            .iter()
            .map(String::from)
            .collect();
        let mut notes = from.notes();
        notes.push(note);
        Ok(CsvStream {
            path: from.path.clone(),
            file: from.file.clone(),
            original: Some(from.original.clone().unwrap_or_else(|| from.bytes.clone())),
            bytes: text,
            start: 0,
            header_line: 1,
            delimiter: b',',
            headers,
            notes: std::sync::Mutex::new(notes),
            blank_records: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// What the reader did that the user should know, once the records have been read.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let blanks = self
            .blank_records
            .load(std::sync::atomic::Ordering::Relaxed);
        if blanks > 0 {
            notes.push(format!(
                "{}: {blanks} blank line(s) read as empty cells (in a file of one column, a blank line is a row whose value is empty)",
                self.path.display()
            ));
        }
        notes
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Call `visit` with each data record and its spreadsheet row number, skipping records
    /// whose fields are all blank (the empty lines at the end of an export). Returns how many
    /// records were visited.
    pub fn for_each(
        &self,
        visit: impl FnMut(u64, &csv::ByteRecord) -> Result<()>,
    ) -> Result<usize> {
        self.for_each_in(
            &ByteRange {
                start: 0,
                end: self.bytes.len() - self.start,
                first_line: self.header_line,
            },
            visit,
        )
    }

    /// The data cut into up to `parts` ranges of whole lines, to be read side by side. Only a
    /// large file with no quote character is cut: a quoted field can hold a line break, and then
    /// a line is not always a record.
    /// Files shorter than `worth_cutting` bytes are one range.
    pub fn ranges(&self, parts: usize, worth_cutting: usize) -> Vec<ByteRange> {
        let bytes = &self.bytes[self.start..];
        let whole = ByteRange {
            start: 0,
            end: bytes.len(),
            first_line: self.header_line,
        };
        if parts < 2 || bytes.len() < worth_cutting || bytes.contains(&b'"') {
            return vec![whole];
        }
        let mut ranges = Vec::new();
        let (mut start, mut line) = (0usize, self.header_line);
        for k in 1..parts {
            let target = (bytes.len() * k / parts).max(start);
            let Some(cut) = bytes[target..].iter().position(|&b| b == b'\n') else {
                break;
            };
            let cut = target + cut + 1;
            ranges.push(ByteRange {
                start,
                end: cut,
                first_line: line,
            });
            line += bytes[start..cut].iter().filter(|&&b| b == b'\n').count() as u64;
            start = cut;
        }
        ranges.push(ByteRange {
            start,
            end: bytes.len(),
            first_line: line,
        });
        ranges
    }

    /// [`CsvStream::for_each`] over one range from [`CsvStream::ranges`]; the first range holds
    /// the header.
    pub fn for_each_in(
        &self,
        range: &ByteRange,
        mut visit: impl FnMut(u64, &csv::ByteRecord) -> Result<()>,
    ) -> Result<usize> {
        let bytes = &self.bytes[self.start..][..range.end];
        let with_header = range.start == 0;
        // Record lengths are checked here, against the header, in every range alike.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(with_header)
            .flexible(true)
            .from_reader(&bytes[range.start..]);
        // A record's row is the line it starts on (blank lines count, as in a spreadsheet),
        // found by counting newlines up to its byte offset.
        let mut counted = (range.start, range.first_line);
        let mut line_at = |offset: u64| {
            let mut offset = (range.start + offset as usize).min(bytes.len());
            // csv reports the offset before the blank lines it skipped.
            while offset < bytes.len() && matches!(bytes[offset], b'\n' | b'\r') {
                offset += 1;
            }
            counted.1 += bytes[counted.0..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted.0 = offset;
            counted.1
        };
        if with_header {
            // Read now, so that the reader's position is after it (see the blank lines below).
            reader
                .byte_headers()
                .map_err(|e| csv_error(&self.path, e, self.header_line))?;
        }
        let mut record = csv::ByteRecord::new();
        let mut visited = 0;
        // In a file of one column a blank line is a record: an empty cell, which the reader
        // would skip (a person with no stated ethnicity, say, would vanish from the counts).
        let one_column = self.headers.len() == 1;
        let mut blank = csv::ByteRecord::new();
        blank.push_field(b"");
        let newlines = |from: usize, to: usize| {
            bytes[from.min(bytes.len())..to.min(bytes.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
        };
        // Where the last record's text ends (its terminator left out), and the line after it.
        let content_end = |from: usize, to: usize| {
            let mut e = to.min(bytes.len());
            while e > from && matches!(bytes[e - 1], b'\n' | b'\r') {
                e -= 1;
            }
            e
        };
        let (mut last_end, mut next_line) = if with_header {
            let end = content_end(range.start, range.start + reader.position().byte() as usize);
            (Some(end), range.first_line + newlines(range.start, end) + 1)
        } else {
            (None, range.first_line)
        };
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => {
                    if one_column {
                        // Blank lines after the last record: every newline after its text but
                        // its own terminator.
                        let blanks = match last_end {
                            Some(end) => newlines(end, bytes.len()).saturating_sub(1),
                            None => newlines(range.start, bytes.len()),
                        };
                        for k in 0..blanks {
                            visit(next_line + k, &blank)?;
                        }
                        visited += blanks as usize;
                        self.count_blank_records(blanks);
                    }
                    return Ok(visited);
                }
                Ok(true) => {}
                Err(e) => {
                    let row = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
                    return Err(csv_error(&self.path, e, row));
                }
            }
            let start = record.position().map_or(0, |p| p.byte());
            let row = line_at(start);
            if one_column {
                // The blank lines the reader skipped before this record.
                let blanks = row.saturating_sub(next_line);
                for k in 0..blanks {
                    visit(next_line + k, &blank)?;
                }
                visited += blanks as usize;
                self.count_blank_records(blanks);
                let mut begin = range.start + start as usize;
                while begin < bytes.len() && matches!(bytes[begin], b'\n' | b'\r') {
                    begin += 1;
                }
                let end = content_end(begin, range.start + reader.position().byte() as usize);
                next_line = row + newlines(begin, end) + 1;
                last_end = Some(end);
            } else if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue; // a row of empty cells at the end of an export
            }
            if record.len() != self.headers.len() {
                let offset = record.position().map_or(0, |p| p.byte() as usize);
                if self.is_footer(range.start + offset) {
                    self.note_footer(row);
                    return Ok(visited);
                }
                return Err(Error::Csv {
                    path: self.path.clone(),
                    row,
                    message: format!(
                        "it has {} fields but the header has {}",
                        record.len(),
                        self.headers.len()
                    ),
                });
            }
            visit(row, &record)?;
            visited += 1;
        }
    }

    /// Whether everything from `offset` (in the data after the header) on is notes below the
    /// table, such as a Nomis download's footer: set apart by a blank line, and no later record
    /// as wide as the header. A short row inside the table is an error, never dropped.
    fn is_footer(&self, offset: usize) -> bool {
        let data = &self.bytes[self.start..];
        let offset = offset.min(data.len());
        // The reader's offset is before the blank lines it skipped.
        let blank_before = data[offset..]
            .iter()
            .take_while(|&&b| matches!(b, b'\n' | b'\r'))
            .filter(|&&b| b == b'\n')
            .count()
            >= 1;
        if !blank_before || self.headers.len() < 2 {
            return false;
        }
        let rest = &data[offset..];
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(rest);
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => return true,
                Ok(true) if record.len() == self.headers.len() && self.headers.len() > 1 => {
                    return false
                }
                Ok(true) => {}
                Err(_) => return false,
            }
        }
    }

    fn count_blank_records(&self, n: u64) {
        if n > 0 {
            self.blank_records
                .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn note_footer(&self, row: u64) {
        self.notes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!(
            "{}: the rows from row {row} on are notes below the table, not data, and are not read",
            self.path.display()
        ));
    }

    /// The file's provenance, once the number of data `rows` is known.
    pub fn source(&self, rows: usize) -> InputSource {
        InputSource::new(
            &self.file,
            self.original.as_ref().unwrap_or(&self.bytes),
            rows,
        )
    }

    /// The index of the column called `name` (case and whitespace folded).
    pub fn find_column(&self, name: &str) -> Option<usize> {
        let wanted = normalise_header(name);
        self.headers
            .iter()
            .position(|h| normalise_header(h) == wanted)
    }

    pub fn require_column(&self, name: &str, hint: &str) -> Result<usize> {
        self.find_column(name)
            .ok_or_else(|| self.missing_column(name, hint))
    }

    pub fn missing_column(&self, name: &str, hint: &str) -> Error {
        let wanted = normalise_header(name);
        let closest = self
            .headers
            .iter()
            // A header of a megabyte is no one's column name, and comparing it would take
            // time in proportion to its length.
            .filter(|h| h.len() <= crate::classify::LONGEST_COMPARED)
            .map(|h| (strsim::jaro_winkler(&wanted, &normalise_header(h)), h))
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, h)| h.clone());
        Error::MissingColumn {
            path: self.path.clone(),
            column: name.to_string(),
            available: self.headers.clone(),
            closest,
            hint: hint.to_string(),
        }
    }
}

/// A delimiter given that the file's first line does not use, where it uses the one the file's
/// rows agree on: an error saying so, rather than a header looked for among rows split the
/// wrong way.
fn check_given_delimiter(path: &Path, text: &[u8], given: u8) -> Result<()> {
    let used = super::text::sniff_delimiter(text);
    let first = text
        .split(|&b| b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(&[]);
    if used != given && !first.contains(&given) && first.contains(&used) {
        return Err(wrong_delimiter(path, &String::from_utf8_lossy(first), used));
    }
    Ok(())
}

/// The error for a file that uses the delimiter `used` where another was given.
fn wrong_delimiter(path: &Path, header: &str, used: u8) -> Error {
    let (_, name, flag) = super::text::DELIMITERS
        .into_iter()
        .find(|&(d, _, _)| d == used)
        .expect("only a delimiter repgap detects is named");
    Error::WrongDelimiter {
        path: path.to_path_buf(),
        header: header.trim().to_string(),
        delimiter_name: name,
        delimiter_flag: flag.to_string(),
    }
}

/// Where line `line` (1-based) starts in `bytes`, if the file has that many lines.
fn line_start(bytes: &[u8], line: u64) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    let mut seen = 1;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return (i + 1 < bytes.len()).then_some(i + 1);
            }
        }
    }
    None
}

fn csv_error(path: &Path, e: csv::Error, row: u64) -> Error {
    Error::Csv {
        path: path.to_path_buf(),
        row,
        // Record lengths are checked against the header by the reader itself.
        message: e.to_string(),
    }
}

/// A CSV file read into memory with every field as text: for the small inputs (Census tables,
/// mappings, registers, margins) whose every column is used.
#[derive(Debug)]
pub struct CsvFile {
    stream: CsvStream,
    rows: Vec<Row>,
    source: InputSource,
}

impl CsvFile {
    pub fn open(path: &Path, options: &ReadOptions) -> Result<CsvFile> {
        let stream = CsvStream::open(path, options)?;
        let mut rows = Vec::new();
        stream.for_each(|row, record| {
            rows.push(Row::from_record(row, record));
            Ok(())
        })?;
        let source = stream.source(rows.len());
        Ok(CsvFile {
            stream,
            rows,
            source,
        })
    }

    /// The file's provenance (name, data rows, SHA-256).
    pub fn source(&self) -> &InputSource {
        &self.source
    }

    /// What the reader did that the user should know (see [`CsvStream::notes`]).
    pub fn notes(&self) -> Vec<String> {
        self.stream.notes()
    }

    pub fn path(&self) -> &Path {
        self.stream.path()
    }

    pub fn headers(&self) -> &[String] {
        self.stream.headers()
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn records(&self) -> impl Iterator<Item = Result<&Row>> {
        self.rows.iter().map(Ok)
    }

    /// Fail with [`Error::NoRows`] when the file has a header only.
    pub fn require_rows(&self, hint: &str) -> Result<()> {
        if self.rows.is_empty() {
            return Err(Error::NoRows {
                path: self.path().to_path_buf(),
                hint: hint.to_string(),
            });
        }
        Ok(())
    }

    /// The index of the column called `name` (case and whitespace folded).
    pub fn find_column(&self, name: &str) -> Option<usize> {
        self.stream.find_column(name)
    }

    pub fn require_column(&self, name: &str, hint: &str) -> Result<usize> {
        self.stream.require_column(name, hint)
    }

    pub fn missing_column(&self, name: &str, hint: &str) -> Error {
        self.stream.missing_column(name, hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(content: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn strips_bom_and_numbers_rows_like_a_spreadsheet() {
        let f = write(b"\xEF\xBB\xBFid,Ethnicity\n1, Indian \n\n2,Arab\n");
        let csv = CsvFile::open(f.path(), &ReadOptions::delimited(b',')).unwrap();
        assert_eq!(csv.headers(), ["id", "Ethnicity"]);
        assert_eq!(csv.find_column("ETHNICITY"), Some(1));
        assert_eq!(csv.rows()[0].get(1), "Indian");
        assert_eq!(csv.rows()[1].row, 4);
    }

    #[test]
    fn semicolon_file_is_named_as_such() {
        let f = write(b"id;ethnicity\n1;Indian\n");
        let err = CsvFile::open(f.path(), &ReadOptions::delimited(b',')).unwrap_err();
        assert!(matches!(
            err,
            Error::WrongDelimiter {
                delimiter_name: "semicolons",
                ..
            }
        ));
        assert!(CsvFile::open(f.path(), &ReadOptions::delimited(b';')).is_ok());
    }

    #[test]
    fn blank_lines_of_a_one_column_file_are_empty_cells() {
        let rows = |text: &[u8]| {
            let f = write(text);
            let csv = CsvFile::open(f.path(), &ReadOptions::DETECT).unwrap();
            let rows: Vec<(u64, String)> = csv
                .rows()
                .iter()
                .map(|r| (r.row, r.get(0).to_string()))
                .collect();
            (rows, csv.notes())
        };
        let (read, notes) = rows(b"ethnicity\nIndian\n\nArab\n\n\n");
        let expected: Vec<(u64, String)> = [(2, "Indian"), (3, ""), (4, "Arab"), (5, ""), (6, "")]
            .iter()
            .map(|&(r, v)| (r, v.to_string()))
            .collect();
        assert_eq!(read, expected);
        assert!(
            notes[0].contains("3 blank line(s) read as empty cells"),
            "{notes:?}"
        );
        // CRLF, quoted labels with commas, a blank line first and at the end.
        let (read, _) = rows(
            b"ethnicity\r\n\r\n\"Asian, Asian British or Asian Welsh: Indian\"\r\nArab\r\n\r\n",
        );
        let values: Vec<(u64, &str)> = read.iter().map(|(r, v)| (*r, v.as_str())).collect();
        assert_eq!(
            values,
            [
                (2, ""),
                (3, "Asian, Asian British or Asian Welsh: Indian"),
                (4, "Arab"),
                (5, "")
            ]
        );
        // A header with only blank lines under it.
        assert_eq!(rows(b"ethnicity\n\n\n").0.len(), 2);
        // Read in parts side by side, the same rows.
        let mut text = String::from("ethnicity\n");
        for i in 0..300 {
            text.push_str(if i % 7 == 0 { "\n" } else { "Indian\n" });
        }
        text.push('\n');
        let f = write(text.as_bytes());
        let stream = CsvStream::open(f.path(), &ReadOptions::DETECT).unwrap();
        let collect = |ranges: Vec<ByteRange>| {
            let mut out = Vec::new();
            for range in &ranges {
                stream
                    .for_each_in(range, |row, r| {
                        out.push((row, r.get(0).map(<[u8]>::to_vec)));
                        Ok(())
                    })
                    .unwrap();
            }
            out
        };
        let whole = collect(stream.ranges(1, 0));
        assert_eq!(whole.len(), 301);
        assert_eq!(
            whole
                .iter()
                .filter(|(_, v)| v.as_deref() == Some(&b""[..]))
                .count(),
            44
        );
        assert_eq!(collect(stream.ranges(3, 0)), whole);
        // In a file of several columns a blank line is still nothing.
        let f = write(b"id,ethnicity\n1,Indian\n\n2,Arab\n\n");
        assert_eq!(
            CsvFile::open(f.path(), &ReadOptions::DETECT)
                .unwrap()
                .rows()
                .len(),
            2
        );
    }

    #[test]
    fn ragged_row_names_its_row() {
        let f = write(b"a,b\n1,2\n3\n");
        let err = CsvFile::open(f.path(), &ReadOptions::delimited(b',')).unwrap_err();
        assert!(matches!(err, Error::Csv { row: 3, .. }), "{err}");
    }

    #[test]
    fn missing_column_suggests_the_closest() {
        let f = write(b"employee_id,ethnic_origin\n1,x\n");
        let csv = CsvFile::open(f.path(), &ReadOptions::delimited(b',')).unwrap();
        match csv.missing_column("ethnicity", "h") {
            Error::MissingColumn {
                closest, available, ..
            } => {
                assert_eq!(closest.as_deref(), Some("ethnic_origin"));
                assert_eq!(available.len(), 2);
            }
            e => panic!("{e}"),
        }
    }
}
