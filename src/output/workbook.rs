//! The run's tables as one accessible Excel workbook (`tables.xlsx`), following the Government
//! Statistical Service guidance "Releasing statistics in spreadsheets": a cover sheet, a
//! contents sheet, a notes sheet, then one table per sheet with its title in cell A1, numbers
//! stored as numbers (shares with a percentage format), `[c]` for a withheld figure and `[x]`
//! for one that is not available, no merged cells and no empty rows inside a table.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// One table: its sheet name, title and CSV.
pub struct SheetTable {
    pub name: String,
    pub title: String,
    pub csv: String,
}

/// What the cover and notes sheets say.
pub struct Cover {
    pub title: String,
    pub published: String,
    pub source: String,
    pub notes: Vec<(String, String)>,
}

/// A column holding shares (fractions), shown as percentages.
fn is_share(header: &str) -> bool {
    header.ends_with("_share")
        || header.contains("_ci_")
        || header.ends_with("_rate")
        || header == "declaration_rate"
}

/// Text that reads as a number but is a label: a code with a leading zero ("007"), which a
/// number would lose.
fn is_code(value: &str) -> bool {
    let digits = value.trim_start_matches(['+', '-']);
    value.starts_with('+')
        || (digits.len() > 1 && digits.starts_with('0') && !digits[1..].starts_with('.'))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(stem: &str) -> String {
    let clean: String = stem
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    clean.chars().take(31).collect()
}

pub fn workbook(cover: &Cover, tables: &[SheetTable]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // Dated by the run, not the clock: two runs of the same data give the same file.
    let created = ExcelDateTime::parse_from_str(&cover.published)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(&cover.title)
            .set_creation_datetime(&created),
    );
    let heading = Format::new().set_bold().set_font_size(16);
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");

    let sheet = book.add_worksheet();
    sheet.set_name("Cover")?;
    sheet.write_string_with_format(0, 0, &cover.title, &heading)?;
    let lines = [
        format!(
            "This workbook holds the {} tables of the run, one table per sheet; the Contents sheet lists them.",
            tables.len()
        ),
        format!("Source: {}", cover.source),
        "Contact: [add the team's email address]".to_string(),
        format!("Published: {}", cover.published),
        "Withheld figures are shown as [c] (confidential: withheld to protect individuals); figures that do not apply or are not available as [x].".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, line)?;
    }
    sheet.set_column_width(0, 100)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Contents")?;
    sheet.write_string_with_format(0, 0, "Contents", &heading)?;
    sheet.write_string_with_format(1, 0, "Sheet", &bold)?;
    sheet.write_string_with_format(1, 1, "Table", &bold)?;
    for (i, t) in tables.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_url_with_text(
            row,
            0,
            format!("internal:'{}'!A1", t.name).as_str(),
            &t.name,
        )?;
        sheet.write_string(row, 1, &t.title)?;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 90)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Notes")?;
    sheet.write_string_with_format(0, 0, "Notes", &heading)?;
    sheet.write_string_with_format(1, 0, "Note", &bold)?;
    sheet.write_string_with_format(1, 1, "Text", &bold)?;
    for (i, (term, text)) in cover.notes.iter().enumerate() {
        sheet.write_string(i as u32 + 2, 0, term)?;
        sheet.write_string(i as u32 + 2, 1, text)?;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 120)?;

    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&t.name)?;
        sheet.write_string_with_format(0, 0, &t.title, &heading)?;
        sheet.write_string(
            1,
            0,
            "[c]: withheld to protect individuals. [x]: does not apply or not available.",
        )?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(t.csv.trim_start_matches('\u{feff}').as_bytes());
        let mut headers: Vec<String> = Vec::new();
        for (r, record) in reader.records().enumerate() {
            let Ok(record) = record else { continue };
            let row = r as u32 + 2;
            if r == 0 {
                headers = record.iter().map(str::to_string).collect();
                for (c, h) in headers.iter().enumerate() {
                    sheet.write_string_with_format(row, c as u16, h, &bold)?;
                    sheet.set_column_width(c as u16, (h.len() as f64 + 4.0).max(12.0))?;
                }
                continue;
            }
            for (c, value) in record.iter().enumerate() {
                let col = c as u16;
                let share = headers.get(c).is_some_and(|h| is_share(h));
                match value.trim() {
                    "" => sheet.write_string(row, col, "[x]")?,
                    v => match v.parse::<f64>() {
                        Ok(_) if is_code(v) => sheet.write_string(row, col, v)?,
                        Ok(x) if x.is_finite() && share => {
                            sheet.write_number_with_format(row, col, x, &percent)?
                        }
                        Ok(x) if x.is_finite() => sheet.write_number(row, col, x)?,
                        _ => sheet.write_string(row, col, v)?,
                    },
                };
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_leading_zeros_stay_text() {
        assert!(is_code("007"));
        assert!(is_code("+44"));
        assert!(!is_code("0"));
        assert!(!is_code("0.044041"));
        assert!(!is_code("-0.5"));
        assert!(!is_code("12"));
        assert!(!is_code("1.505e-5"));
    }
}
