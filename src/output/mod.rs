//! Writing results: CSV (the documented contract in `docs/FORMATS.md`), JSON and a plain-text
//! table for the terminal. A single file is written atomically (a temporary file in the same
//! folder, then a rename); a folder of outputs is written whole or not at all ([`write_folder`]);
//! neither ever over an input.

mod change;
mod folder;
mod groups;
pub mod interrupt;
mod likelihood;
mod profile;
mod representation;
mod survey;
pub mod workbook;
mod workforce;

pub use change::{areas_csv, change_csv, CHANGE_COLUMNS};
/// The UTF-8 byte order mark: Excel reads a CSV that begins with it as UTF-8.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

pub use folder::{write_folder, MANIFEST};
pub use groups::{detailed_groups_csv, groups_csv, GROUPS_COLUMNS};
pub use likelihood::{likelihood_csv, likelihood_rows, LIKELIHOOD_COLUMNS};
pub use profile::{population_profile, ProfileRow};
pub use representation::{representation_csv, representation_table, REPRESENTATION_COLUMNS};
pub use survey::{
    survey_changes_csv, survey_profile_csv, survey_results_csv, survey_table, survey_weighting_csv,
    SURVEY_PROFILE_COLUMNS, SURVEY_RESULTS_COLUMNS,
};
pub use workforce::{
    pay_gap_csv, pay_quarters_csv, seniority_csv, trends_csv, PAY_GAP_COLUMNS, PAY_QUARTER_COLUMNS,
    SENIORITY_COLUMNS, TREND_COLUMNS,
};

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Format an optional figure with a fixed number of decimals; `None` is an empty cell.
pub fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

/// A count's cell: the number, or the marker of a withheld figure (a count is never
/// undefined, so `None` is always withheld).
pub fn count_cell(n: Option<u64>) -> String {
    n.map(|v| v.to_string())
        .unwrap_or_else(|| crate::disclosure::WITHHELD.to_string())
}

/// A derived figure's cell in a row whose count is withheld: the marker in place of an empty
/// cell (elsewhere an empty cell means the figure is not defined, e.g. a ratio to a population
/// share of 0).
pub fn figure_cell(text: String, withheld: bool) -> String {
    if withheld && text.is_empty() {
        crate::disclosure::WITHHELD.to_string()
    } else {
        text
    }
}

/// A p-value readable at any size: 6 decimals, or scientific notation below 0.0001.
pub fn p_value(value: Option<f64>) -> String {
    match value {
        Some(p) if p != 0.0 && p < 1e-4 => format!("{p:.3e}"),
        Some(p) => format!("{p:.6}"),
        None => String::new(),
    }
}

/// One CSV record, quoted as needed, ending in a newline, every cell made safe to open in a
/// spreadsheet ([`csv_cell`]). Every CSV repgap writes is built from these lines.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(fields.iter().map(|f| csv_cell(f.as_ref()).into_owned()))
        .expect("in-memory write");
    String::from_utf8(writer.into_inner().expect("in-memory write")).expect("utf-8")
}

/// A cell that a spreadsheet shows as the text it is. Labels in outputs come from inputs (a
/// grade, a department, an answer), and a cell beginning with `=`, `+`, `-` or `@` (or a tab or
/// carriage return before one) is run as a formula when the CSV is opened in Excel, LibreOffice
/// or Google Sheets: `=HYPERLINK(…)` can send a reader's data elsewhere. As OWASP's advice on CSV
/// injection says, such text gets a leading `'`, which the spreadsheet shows as text. Numbers
/// (`-3.2`, `-0.0125`, `-1.2e-5`) are figures, not formulas, and pass unchanged.
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number(text) => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// A plain decimal number as repgap writes figures: optional sign, digits with an optional
/// fraction, optional exponent. (Not `f64::from_str`, which also takes "inf" and "NaN".)
fn is_number(text: &str) -> bool {
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (rest, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(digits)
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("results serialise");
    text.push('\n');
    text
}

/// Write `contents` to `path` atomically, refusing to replace any of `inputs`.
pub fn write_atomic(path: &Path, contents: &[u8], inputs: &[PathBuf]) -> Result<()> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Ok(target) = path.canonicalize() {
        if inputs
            .iter()
            .filter_map(|i| i.canonicalize().ok())
            .any(|i| i == target)
        {
            return Err(Error::usage(
                format!(
                    "refusing to write {}: it is one of the inputs",
                    path.display()
                ),
                "choose another --output file; repgap never overwrites its inputs",
            ));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(write_error)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(write_error)?;
    let unfinished = interrupt::Unfinished::new(tmp.path());
    // An interrupt waits until the file is in place (or removes it before it is written).
    let held = interrupt::hold();
    tmp.write_all(contents).map_err(write_error)?;
    tmp.as_file().sync_all().map_err(write_error)?;
    tmp.persist(path).map_err(|e| write_error(e.error))?;
    drop(held);
    drop(unfinished);
    Ok(())
}

/// Lay out rows as an aligned text table; `right` marks right-aligned columns.
pub fn text_table(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i > 0 {
                out.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if i + 1 < cells.len() {
                    out.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push('\n');
        out
    };
    let mut out = line(header.to_vec());
    out.push_str(&line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    ));
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_figures() {
        assert_eq!(fixed(Some(0.28187919), 4), "0.2819");
        assert_eq!(fixed(None, 4), "");
        assert_eq!(p_value(Some(0.5)), "0.500000");
        assert_eq!(p_value(Some(1.234e-7)), "1.234e-7");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("-1e", "'-1e"),
            ("-.", "'-."),
            // Figures stay figures.
            ("-3.2", "-3.2"),
            ("-0.0125", "-0.0125"),
            ("-1.234e-7", "-1.234e-7"),
            ("+2.5", "+2.5"),
            ("-.5", "-.5"),
            ("-12", "-12"),
            // Text that does not start a formula is untouched.
            ("Grade 1", "Grade 1"),
            ("a=b", "a=b"),
            ("", ""),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
        }
        assert_eq!(
            csv_line(&["=1+2", "-0.5", "Grade, 2"]),
            "'=1+2,-0.5,\"Grade, 2\"\n"
        );
    }

    #[test]
    fn atomic_write_refuses_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, "keep").unwrap();
        let err = write_atomic(&input, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("one of the inputs"));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "keep");
        let out = dir.path().join("sub/out.csv");
        write_atomic(&out, b"ok", &[input]).unwrap();
        assert_eq!(std::fs::read_to_string(out).unwrap(), "ok");
    }
}
