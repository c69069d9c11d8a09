//! Spreadsheet workbooks (`.xlsx`, `.xls`, `.xlsb`, `.ods`) read as tables: one sheet, the first
//! or the one named, turned into the same text every other input is read from, so a workbook
//! gets the same header detection, row numbers and messages as a CSV file.

use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Result};

/// Whether `bytes` are a workbook rather than text: `.xlsx`, `.xlsb` and `.ods` are ZIP
/// archives, `.xls` an OLE2 compound file.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// One sheet of a workbook as CSV text (UTF-8, commas), with a row of text for every sheet row
/// from the first, so rows keep the numbers the spreadsheet shows. Returns the text, the
/// sheet's name and the names of the workbook's other sheets.
pub fn sheet_as_csv(
    path: &Path,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(Vec<u8>, String, Vec<String>)> {
    let unreadable = |message: String| {
        Error::Unreadable {
        path: path.to_path_buf(),
        message,
        hint: "open it in a spreadsheet and save the sheet as \"CSV UTF-8 (comma delimited)\", or check that the file is not damaged".into(),
    }
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(format!("cannot read this workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| Error::Unreadable {
                path: path.to_path_buf(),
                message: format!("the workbook has no sheet called '{wanted}'"),
                hint: format!("give one of its sheets: {}", names.join(", ")),
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheets".into()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| unreadable(format!("cannot read sheet '{name}': {e}")))?;
    // Rows above the first used one are blank lines: row numbers stay the spreadsheet's.
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut out = vec![b'\n'; first_row as usize];
    for row in range.rows() {
        let fields: Vec<String> = row.iter().map(cell_text).collect();
        // A blank row stays a blank line (a CSV writer would write it as commas).
        if fields.iter().all(String::is_empty) {
            out.push(b'\n');
            continue;
        }
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer
            .write_record(&fields)
            .map_err(|e| unreadable(e.to_string()))?;
        out.extend(writer.into_inner().map_err(|e| unreadable(e.to_string()))?);
    }
    let others = names.into_iter().filter(|n| *n != name).collect();
    Ok((out, name, others))
}

/// A cell as the text a CSV export would hold: numbers in full (no thousands separators or
/// rounding from the cell's format), dates as `2025-03-31` (with the time when it is not
/// midnight), errors as Excel shows them (`#N/A`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}
