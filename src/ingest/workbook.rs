//! Spreadsheet workbooks given where a table was expected.

use std::path::Path;

use crate::error::Error;

/// Whether `bytes` are a workbook rather than text: `.xlsx` and `.ods` are ZIP archives, `.xls`
/// an OLE2 compound file.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// The error for a workbook this build cannot read.
pub fn refuse(path: &Path) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        message: "this is a spreadsheet workbook (Excel or OpenDocument), not a CSV file".into(),
        hint: "save the sheet from the spreadsheet as \"CSV UTF-8 (comma delimited)\" and give that file".into(),
    }
}
