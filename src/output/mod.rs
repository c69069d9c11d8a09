//! Writing results: CSV (the documented contract in `docs/FORMATS.md`), JSON and a plain-text
//! table for the terminal. A single file is written atomically (a temporary file in the same
//! folder, then a rename); a folder of outputs is written whole or not at all ([`write_folder`]);
//! neither ever over an input.

mod folder;
mod likelihood;
mod profile;
mod representation;
mod survey;
mod workforce;

pub use folder::{write_folder, MANIFEST};
pub use likelihood::{likelihood_csv, likelihood_rows, LIKELIHOOD_COLUMNS};
pub use profile::{population_profile, ProfileRow};
pub use representation::{representation_csv, representation_table, REPRESENTATION_COLUMNS};
pub use survey::{
    survey_profile_csv, survey_results_csv, survey_table, survey_weighting_csv,
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

/// A p-value readable at any size: 6 decimals, or scientific notation below 0.0001.
pub fn p_value(value: Option<f64>) -> String {
    match value {
        Some(p) if p != 0.0 && p < 1e-4 => format!("{p:.3e}"),
        Some(p) => format!("{p:.6}"),
        None => String::new(),
    }
}

/// One CSV record, quoted as needed, ending in a newline.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(fields.iter().map(|f| f.as_ref()))
        .expect("in-memory write");
    String::from_utf8(writer.into_inner().expect("in-memory write")).expect("utf-8")
}

/// A count of people in running text: the number, or "fewer than N" when it is withheld for
/// being small (or withheld to protect another figure).
pub fn people(n: Option<u64>, min_cell: u64) -> String {
    match n {
        Some(n) => n.to_string(),
        None => format!("fewer than {min_cell}"),
    }
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
    tmp.write_all(contents).map_err(write_error)?;
    tmp.as_file().sync_all().map_err(write_error)?;
    tmp.persist(path).map_err(|e| write_error(e.error))?;
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
