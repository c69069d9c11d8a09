//! From a file's bytes to the text of a table: the encoding (UTF-8 with or without a byte
//! order mark, UTF-16 as Excel's "Unicode Text" writes it, Windows-1252 as Excel's "CSV" on a
//! Windows PC writes it), the delimiter and the header row, each detected unless the input's
//! configuration says.
//!
//! Nothing is ever replaced silently: a byte that no supported encoding gives a character to
//! is an error naming its line, since "Caf�" in a published table (and two departments merged
//! because their accented letters became the same replacement character) is worse than
//! stopping.

use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};

/// How an input was decoded, for notes and provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A file's text as UTF-8.
#[derive(Debug)]
pub struct Decoded {
    /// The text from byte `skip` on (before it, a UTF-8 byte order mark, kept so that a file
    /// that needs no decoding is never copied).
    pub text: Vec<u8>,
    pub skip: usize,
    pub encoding: Encoding,
    /// The bytes as read, when they differ from `text` (for the SHA-256 of the provenance,
    /// which is of the file itself).
    pub original: Option<Vec<u8>>,
}

/// The five bytes Windows-1252 leaves undefined: a file holding one is not Windows-1252.
const UNDEFINED_IN_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Decode `bytes`, read from `path`.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Decoded> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(&bytes[3..]) {
            Ok(_) => Ok(Decoded {
                text: bytes,
                skip: 3,
                encoding: Encoding::Utf8,
                original: None,
            }),
            Err(e) => Err(invalid_utf8(path, &bytes, 3 + e.valid_up_to())),
        };
    }
    if let Some(encoding) = utf16(&bytes) {
        let bom = usize::from(bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")) * 2;
        let codec = match encoding {
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            _ => encoding_rs::UTF_16BE,
        };
        return match codec.decode_without_bom_handling_and_without_replacement(&bytes[bom..]) {
            Some(text) => Ok(Decoded {
                text: text.into_owned().into_bytes(),
                skip: 0,
                encoding,
                original: Some(bytes),
            }),
            None => Err(Error::Unreadable {
                path: path.to_path_buf(),
                message: format!(
                    "the file looks like {} text but is not valid {}",
                    encoding.name(),
                    encoding.name()
                ),
                hint: "save it again from the spreadsheet as \"CSV UTF-8 (comma delimited)\""
                    .into(),
            }),
        };
    }
    let valid_up_to = match std::str::from_utf8(&bytes) {
        Ok(_) => {
            return Ok(Decoded {
                text: bytes,
                skip: 0,
                encoding: Encoding::Utf8,
                original: None,
            })
        }
        Err(e) => e.valid_up_to(),
    };
    // Not UTF-8. A file that is UTF-8 elsewhere (it has characters of two or more bytes that
    // decode) with one bad byte mixes encodings: reading it as Windows-1252 would turn every
    // "é" into "Ã©".
    if has_utf8_sequences(&bytes) {
        return Err(invalid_utf8(path, &bytes, valid_up_to));
    }
    if let Some(at) = bytes.iter().position(|b| UNDEFINED_IN_1252.contains(b)) {
        return Err(Error::Unreadable {
            path: path.to_path_buf(),
            message: format!(
                "line {} holds byte 0x{:02X}, which is neither UTF-8 nor Windows-1252 text",
                line_of(&bytes, at),
                bytes[at]
            ),
            hint: "save the file from the spreadsheet as \"CSV UTF-8 (comma delimited)\"".into(),
        });
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let text = match text {
        Cow::Owned(t) => t.into_bytes(),
        Cow::Borrowed(t) => t.as_bytes().to_vec(),
    };
    Ok(Decoded {
        text,
        skip: 0,
        encoding: Encoding::Windows1252,
        original: Some(bytes),
    })
}

/// UTF-16 by its byte order mark, or without one by the zero bytes of ASCII text (a table's
/// header is ASCII in practice: every other byte of its first characters is zero).
fn utf16(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(Encoding::Utf16Be);
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let zeros_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let half = head.len() / 2;
    if zeros_at(1) == half && zeros_at(0) == 0 {
        Some(Encoding::Utf16Le)
    } else if zeros_at(0) == half && zeros_at(1) == 0 {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Whether `bytes` hold at least one well-formed UTF-8 sequence of two or more bytes.
fn has_utf8_sequences(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return s.bytes().any(|b| b >= 0x80),
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                if valid.iter().any(|&b| b >= 0x80) {
                    return true;
                }
                rest = &after[e.error_len().unwrap_or(after.len()).min(after.len())..];
                if rest.is_empty() {
                    return false;
                }
            }
        }
    }
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

fn invalid_utf8(path: &Path, bytes: &[u8], at: usize) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        message: format!(
            "line {} is not valid UTF-8 (byte 0x{:02X}), while other lines are: the file mixes two encodings",
            line_of(bytes, at),
            bytes.get(at).copied().unwrap_or(0)
        ),
        hint: "open the file in a spreadsheet, correct that line's text and save it as \"CSV UTF-8 (comma delimited)\"".into(),
    }
}

/// The delimiters a table can use, in the order a tie is settled.
/// Each with what it is called and how `--delimiter` gives it.
pub const DELIMITERS: [(u8, &str, &str); 4] = [
    (b',', "commas", "','"),
    (b';', "semicolons", "';'"),
    (b'\t', "tabs", "tab"),
    (b'|', "vertical bars", "'|'"),
];

/// How many records are looked at to detect the layout.
const SAMPLE: usize = 60;

/// The fields of the first records of `text` split by `delimiter`.
fn sample(text: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    reader
        .byte_records()
        .take(SAMPLE)
        .map_while(|r| r.ok())
        .map(|r| {
            r.iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_string())
                .collect()
        })
        .collect()
}

/// The field count most records have, and how many have it (records of one blank field, the
/// empty lines, left out).
fn modal_width(records: &[Vec<String>]) -> (usize, usize) {
    let mut counts = std::collections::BTreeMap::new();
    for r in records.iter().filter(|r| !is_blank(r)) {
        *counts.entry(r.len()).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(width, n)| (n, width))
        .unwrap_or((1, 0))
}

fn is_blank(record: &[String]) -> bool {
    record.iter().all(|f| f.is_empty())
}

/// The delimiter of `text`: the one that splits most of its first records into the same
/// number of fields (two or more), commas when none does.
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut best = (b',', 0usize, 1usize);
    for (delimiter, _, _) in DELIMITERS {
        let (width, n) = modal_width(&sample(text, delimiter));
        if width >= 2 && (n > best.1 || (n == best.1 && width > best.2)) {
            best = (delimiter, n, width);
        }
    }
    best.0
}

/// The line (1-based) of the header: the first record as wide as the table whose fields are
/// mostly filled in. Title rows above it ("Leicester City Council – Workforce profile,,,,") and
/// a Nomis download's metadata rows have one or two fields filled.
pub fn find_header(text: &[u8], delimiter: u8) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    for record in reader.byte_records().take(SAMPLE) {
        let Ok(record) = record else { break };
        // The reader's position is before any blank lines it skipped: count lines to the
        // record's first character instead.
        let mut at = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        while at < text.len() && matches!(text[at], b'\n' | b'\r') {
            at += 1;
        }
        let line = text[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let fields = record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        records.push((line, fields));
    }
    // The table is the widest shape at least two records share (its header and a row): title
    // and metadata rows above it are narrower, or as wide but mostly empty.
    let mut widths = std::collections::BTreeMap::new();
    for (_, r) in records.iter().filter(|(_, r)| !is_blank(r)) {
        *widths.entry(r.len()).or_insert(0usize) += 1;
    }
    let width = widths
        .iter()
        .rev()
        .find(|&(_, &n)| n >= 2)
        .map(|(&w, _)| w)
        .unwrap_or_else(|| {
            let fields: Vec<Vec<String>> = records.iter().map(|(_, f)| f.clone()).collect();
            modal_width(&fields).0
        });
    if width < 2 {
        return records.first().map_or(1, |(line, _)| *line);
    }
    let filled = |r: &[String]| r.iter().filter(|f| !f.is_empty()).count();
    records
        .iter()
        .find(|(_, r)| r.len() == width && filled(r) * 2 > width)
        .or_else(|| records.first())
        .map_or(1, |(line, _)| *line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<(String, Encoding)> {
        decode(Path::new("t.csv"), bytes.to_vec()).map(|d| {
            (
                String::from_utf8(d.text[d.skip..].to_vec()).unwrap(),
                d.encoding,
            )
        })
    }

    #[test]
    fn encodings_excel_writes() {
        assert_eq!(
            decoded(b"\xEF\xBB\xBFa,b\n").unwrap(),
            ("a,b\n".into(), Encoding::Utf8)
        );
        // Windows-1252: é is 0xE9, ’ is 0x92, £ is 0xA3.
        assert_eq!(
            decoded(b"dept\nCaf\xE9\nAdults\x92 Social Care\n\xA346,016.00\n").unwrap(),
            (
                "dept\nCafé\nAdults’ Social Care\n£46,016.00\n".into(),
                Encoding::Windows1252
            )
        );
        // "Unicode Text": UTF-16 little-endian with a byte order mark.
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(
            "id\tethnicity\n1\tCafé\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(
            decoded(&utf16).unwrap(),
            ("id\tethnicity\n1\tCafé\n".into(), Encoding::Utf16Le)
        );
        let be: Vec<u8> = "id,x\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decoded(&be).unwrap(), ("id,x\n".into(), Encoding::Utf16Be));
    }

    #[test]
    fn nothing_is_replaced_silently() {
        // UTF-8 "Café" on one line, a Windows-1252 "’" (0x92) on another: mixed.
        let err = decoded(b"dept\nCaf\xC3\xA9\nAdults\x92\n").unwrap_err();
        assert!(
            err.to_string().contains("line 3 is not valid UTF-8"),
            "{err}"
        );
        // 0x81 is no character in Windows-1252.
        let err = decoded(b"dept\nA\x81\n").unwrap_err();
        assert!(err.to_string().contains("line 2 holds byte 0x81"), "{err}");
    }

    #[test]
    fn delimiters_and_header_rows() {
        assert_eq!(
            sniff_delimiter(b"id;ethnicity\n1;Asian, Asian British\n2;White\n"),
            b';'
        );
        assert_eq!(
            sniff_delimiter(b"id,ethnicity\n1,\"Asian; Indian\"\n"),
            b','
        );
        assert_eq!(sniff_delimiter(b"id\tethnicity\n1\tIndian\n"), b'\t');
        assert_eq!(sniff_delimiter(b"ethnicity\nIndian\n"), b',');
        let hr = b"Leicester City Council - Workforce profile,,,\nRun 31/03/2025,,,\n,,,\nEmployee,Ethnic Origin,Grade,Dept\n1,Indian,G1,HR\n2,Arab,G2,HR\n";
        assert_eq!(find_header(hr, b','), 4);
        let nomis = b"\"ethnic group (TS021)\"\n\"ONS Crown Copyright Reserved\"\n\"population:\",\"All usual residents\"\n\n\"2021 local authority\",\"mnemonic\",\"Total\",\"White\"\n\"Rushmoor\",\"E07000092\",\"99755\",\"77219\"\n";
        assert_eq!(find_header(nomis, b','), 5);
        assert_eq!(find_header(b"a,b\n1,2\n", b','), 1);
    }
}
