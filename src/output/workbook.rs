//! The run's tables as one accessible Excel workbook (`tables.xlsx`), following the Government
//! Statistical Service guidance "Releasing statistics in spreadsheets": a cover sheet, a
//! contents sheet, a notes sheet, then one table per sheet with its title in cell A1, numbers
//! stored as numbers (shares with a percentage format), `[c]` for a withheld figure and `[x]`
//! for one that is not available, no merged cells and no empty rows inside a table.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, Table, TableColumn, TableStyle, Workbook, XlsxError,
};

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

/// A name Excel accepts for a table: letters, digits and underscores, starting with a letter.
fn table_name(sheet: &str) -> String {
    let clean: String = sheet
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("Table_{clean}")
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
    sheet.write_string(1, 0, "Each sheet's name is a link to it.")?;
    for (i, t) in tables.iter().enumerate() {
        let row = i as u32 + 3;
        sheet.write_url_with_text(
            row,
            0,
            format!("internal:'{}'!A1", t.name).as_str(),
            &t.name,
        )?;
        sheet.write_string(row, 1, &t.title)?;
    }
    if !tables.is_empty() {
        sheet.add_table(
            2,
            0,
            2 + tables.len() as u32,
            1,
            &Table::new()
                .set_name("Table_Contents")
                .set_columns(&[
                    TableColumn::new().set_header("Sheet"),
                    TableColumn::new().set_header("Table"),
                ])
                .set_style(TableStyle::Light1)
                .set_autofilter(false),
        )?;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 100)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Notes")?;
    sheet.write_string_with_format(0, 0, "Notes", &heading)?;
    sheet.write_string(
        1,
        0,
        "How the tables were made: the comparator, the methods and the suppression rule.",
    )?;
    for (i, (term, text)) in cover.notes.iter().enumerate() {
        let row = i as u32 + 3;
        sheet.write_string(row, 0, format!("Note {}", i + 1))?;
        sheet.write_string(row, 1, term)?;
        sheet.write_string(row, 2, text)?;
    }
    let notes_table = Table::new()
        .set_name("Table_Notes")
        .set_columns(&[
            TableColumn::new().set_header("Note number"),
            TableColumn::new().set_header("Note title"),
            TableColumn::new().set_header("Note text"),
        ])
        .set_style(TableStyle::Light1)
        .set_autofilter(false);
    if !cover.notes.is_empty() {
        sheet.add_table(2, 0, 2 + cover.notes.len() as u32, 2, &notes_table)?;
    }
    sheet.set_column_width(0, 14)?;
    sheet.set_column_width(1, 32)?;
    sheet.set_column_width(2, 120)?;

    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&t.name)?;
        sheet.write_string_with_format(0, 0, &t.title, &heading)?;
        sheet.write_string(
            1,
            0,
            "[c]: withheld to protect individuals. [x]: does not apply or not available. Methods, the comparator and the suppression rule are on the Notes sheet.",
        )?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(t.csv.trim_start_matches('\u{feff}').as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().filter_map(|r| r.ok()).collect();
        let Some((header, rows)) = records.split_first() else {
            continue;
        };
        let headers: Vec<&str> = header.iter().collect();
        // Each column as wide as its header or its widest value, within reason.
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for (r, record) in rows.iter().enumerate() {
            let row = r as u32 + 3;
            for (c, value) in record.iter().enumerate() {
                let col = c as u16;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(value.chars().count().min(60));
                }
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
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 + 3.0).clamp(10.0, 63.0))?;
        }
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(*h))
            .collect();
        let last_col = headers.len().saturating_sub(1) as u16;
        if rows.is_empty() {
            // Excel's tables need a row of data: the header alone, as plain bold cells.
            for (c, h) in headers.iter().enumerate() {
                sheet.write_string_with_format(2, c as u16, *h, &bold)?;
            }
        } else {
            // A named Excel table: screen readers announce its header for each cell, and
            // the name (in the Name Box) finds it.
            sheet.add_table(
                2,
                0,
                2 + rows.len() as u32,
                last_col,
                &Table::new()
                    .set_name(table_name(&t.name))
                    .set_columns(&columns)
                    .set_style(TableStyle::Light1),
            )?;
        }
        sheet.set_freeze_panes(3, 0)?;
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
