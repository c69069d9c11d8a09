//! The annex as an editable Word document (`annex.docx`), so an officer can cut it into a
//! committee paper: the same [`Document`] as the HTML and Markdown, spelled in
//! WordprocessingML by the same walk ([`MarkupWriter::write`]).
//!
//! Written by hand on the `zip` crate that the workbook writer already builds: the docx crates
//! cannot give a picture its alternative text or mark a table's header row to repeat, and both
//! are what makes the document accessible. What Word's accessibility checker looks for is here:
//! real heading styles (the navigation pane and a screen reader's outline), alt text on every
//! chart, header rows on every table, a document title and language (en-GB), and links inside
//! the document that go to their headings.
//!
//! In this writer "escaped text" is a sequence of runs (`<w:r>…</w:r>`) whose text is escaped
//! for XML; block primitives wrap runs in paragraphs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::document::{Block, Document};
use super::markup::MarkupWriter;
use super::{Annex, Figure};

/// The width a chart is placed at: the text width of an A4 page with 2.5 cm margins, which is
/// the width the PNG is drawn for (1,890 px at 300 dpi).
const CHART_WIDTH_EMU: u64 = 5_760_000;

/// The tallest a chart is placed: 21 cm of the page's 24.7 cm, leaving room for its caption.
const CHART_HEIGHT_MAX_EMU: u64 = 7_560_000;

/// The text width in twentieths of a point (16 cm), shared by a table's columns.
const TEXT_WIDTH_TWIPS: usize = 9_072;

/// One picture of the document: its relationship id, its part name and its bytes.
struct Media<'a> {
    rel_id: String,
    part: String,
    png: &'a [u8],
}

/// What the walk collects besides the body: pictures to package, and the table being written.
#[derive(Default)]
struct State<'a> {
    media: Vec<Media<'a>>,
    caption: String,
    rows: Vec<Vec<String>>,
}

/// The Word writer. `images` maps a figure's PNG path (as the annex names it) to its bytes.
pub struct Word<'a> {
    images: &'a BTreeMap<&'a str, &'a [u8]>,
    /// Each heading's anchor and the bookmark that stands for it: Word's bookmark names allow
    /// only letters, digits and underscores, and at most 40 characters.
    bookmarks: BTreeMap<String, (usize, String)>,
    state: RefCell<State<'a>>,
}

/// Escape text for a Word part; a line break inside an attribute stays a line break.
fn escape_xml(text: &str) -> String {
    super::escape_markup(text, true)
}

/// The text of runs, still escaped: what an attribute (a table's caption) needs.
fn plain(runs: &str) -> String {
    let mut out = String::new();
    let mut rest = runs;
    while let Some(start) = rest.find("<w:t xml:space=\"preserve\">") {
        rest = &rest[start + "<w:t xml:space=\"preserve\">".len()..];
        let end = rest.find("</w:t>").unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Give every run in `runs` the run properties `props`.
fn with_props(runs: &str, props: &str) -> String {
    runs.replace("<w:r>", &format!("<w:r><w:rPr>{props}</w:rPr>"))
}

/// Column widths (twentieths of a point) that share the text width. Each column gets room for
/// its longest word at least (a word broken across lines reads as two), then its share of
/// what is left in proportion to its longest cell, counted up to a line of 30 characters.
fn column_widths(rows: &[Vec<String>]) -> Vec<usize> {
    // About one character of 10-point Arial, bold included, and a cell's margins.
    const CHAR: usize = 125;
    const MARGINS: usize = 200;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let mut least = vec![3 * CHAR + MARGINS; columns];
    let mut wanted = least.clone();
    for row in rows {
        for ((least, wanted), cell) in least.iter_mut().zip(wanted.iter_mut()).zip(row) {
            let text = plain(cell);
            let word = text.split_whitespace().map(|w| w.chars().count()).max();
            *least = (*least).max(word.unwrap_or(0) * CHAR + MARGINS);
            *wanted = (*wanted).max(text.chars().count().min(30) * CHAR + MARGINS);
        }
    }
    let wanted: Vec<usize> = wanted.iter().zip(&least).map(|(w, l)| *w.max(l)).collect();
    let sum = |v: &[usize]| v.iter().sum::<usize>().max(1);
    if sum(&least) >= TEXT_WIDTH_TWIPS {
        return least
            .iter()
            .map(|l| TEXT_WIDTH_TWIPS * l / sum(&least))
            .collect();
    }
    if sum(&wanted) <= TEXT_WIDTH_TWIPS {
        return wanted
            .iter()
            .map(|w| TEXT_WIDTH_TWIPS * w / sum(&wanted))
            .collect();
    }
    let spare = TEXT_WIDTH_TWIPS - sum(&least);
    let extra: Vec<usize> = wanted.iter().zip(&least).map(|(w, l)| w - l).collect();
    least
        .iter()
        .zip(&extra)
        .map(|(l, e)| l + spare * e / sum(&extra))
        .collect()
}

/// The width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> Option<(u64, u64)> {
    if png.len() < 24 || &png[1..4] != b"PNG" {
        return None;
    }
    let width = u32::from_be_bytes(png[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(png[20..24].try_into().ok()?);
    (width > 0).then_some((width as u64, height as u64))
}

impl<'a> Word<'a> {
    pub fn new(doc: &Document, images: &'a BTreeMap<&'a str, &'a [u8]>) -> Word<'a> {
        let bookmarks = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id: Some(id), .. } => Some(id.clone()),
                _ => None,
            })
            .enumerate()
            .map(|(n, id)| (id, (n, format!("_repgap{n}"))))
            .collect();
        Word {
            images,
            bookmarks,
            state: RefCell::default(),
        }
    }

    fn styled_paragraph(&self, out: &mut String, style: &str, runs: &str) {
        let _ = write!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{runs}</w:p>"
        );
    }

    fn cell(&self, out: &mut String, runs: &str, width: usize, header: bool) {
        let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
        if header {
            out.push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8E8E8\"/>");
        }
        let runs = if header {
            with_props(runs, "<w:b/>")
        } else {
            runs.to_string()
        };
        let _ = write!(
            out,
            "</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>{runs}</w:p></w:tc>"
        );
    }
}

impl MarkupWriter for Word<'_> {
    fn escape(&self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape_xml(text)
        )
    }

    fn strong(&self, text: &str) -> String {
        with_props(text, "<w:b/>")
    }

    fn key(&self, key: &str) -> String {
        with_props(
            &self.escape(&format!("({key})")),
            "<w:rStyle w:val=\"Key\"/>",
        )
    }

    fn anchor(&self, text: &str, id: &str) -> String {
        match self.bookmarks.get(id) {
            Some((_, name)) => format!(
                "<w:hyperlink w:anchor=\"{name}\" w:history=\"1\">{}</w:hyperlink>",
                with_props(text, "<w:rStyle w:val=\"Hyperlink\"/>")
            ),
            None => text.to_string(),
        }
    }

    fn begin(&self, out: &mut String, _title: &str) {
        out.push_str(concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" ",
            "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" ",
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
            "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>"
        ));
    }

    // A4, 2.5 cm margins: the text is 16 cm wide, the width the charts are drawn for.
    fn end(&self, out: &mut String) {
        out.push_str(concat!(
            "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
            "<w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\" ",
            "w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        ));
    }

    fn heading(&self, out: &mut String, level: usize, text: &str, id: Option<&str>) {
        let level = level.clamp(1, 4);
        let _ = write!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr>"
        );
        match id.and_then(|id| self.bookmarks.get(id)) {
            Some((n, name)) => {
                let _ = write!(
                    out,
                    "<w:bookmarkStart w:id=\"{n}\" w:name=\"{name}\"/>{text}<w:bookmarkEnd w:id=\"{n}\"/>"
                );
            }
            None => out.push_str(text),
        }
        out.push_str("</w:p>");
    }

    fn paragraph(&self, out: &mut String, text: &str) {
        let _ = write!(out, "<w:p>{text}</w:p>");
    }

    fn finding(&self, out: &mut String, text: &str) {
        self.styled_paragraph(out, "Finding", text);
    }

    fn contents(&self, out: &mut String, entries: &[(&str, String)]) {
        self.styled_paragraph(out, "ContentsHeading", &self.escape("Contents"));
        for (id, text) in entries {
            self.styled_paragraph(out, "ContentsEntry", &self.anchor(text, id));
        }
    }

    fn definition_list_start(&self, _out: &mut String, _standalone: bool) {}

    fn definition(&self, out: &mut String, term: &str, description: &str) {
        let _ = write!(
            out,
            "<w:p>{}{}{description}</w:p>",
            self.strong(term),
            self.strong(&self.escape(": "))
        );
    }

    fn definition_list_end(&self, _out: &mut String) {}

    fn list(&self, out: &mut String, items: &[String]) {
        for item in items {
            self.styled_paragraph(out, "ListBullet", item);
        }
    }

    // Word puts a table's caption above it; the caption stays with the table. The table is
    // written at its end, when every cell is known and the columns can be sized to them.
    fn table_start(&self, out: &mut String, caption: &str) {
        self.styled_paragraph(out, "TableCaption", caption);
        let mut state = self.state.borrow_mut();
        state.caption = plain(caption);
        state.rows.clear();
    }

    fn table_header(&self, _out: &mut String, cells: &[String]) {
        self.state.borrow_mut().rows.push(cells.to_vec());
    }

    fn table_row(&self, _out: &mut String, cells: &[String]) {
        self.state.borrow_mut().rows.push(cells.to_vec());
    }

    // A paragraph after the table, so that two tables in a row stay two tables.
    fn table_end(&self, out: &mut String) {
        let mut state = self.state.borrow_mut();
        let rows = std::mem::take(&mut state.rows);
        let caption = std::mem::take(&mut state.caption);
        drop(state);
        let widths = column_widths(&rows);
        let _ = write!(
            out,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"RepgapTable\"/><w:tblW w:w=\"{TEXT_WIDTH_TWIPS}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/><w:tblCaption w:val=\"{caption}\"/></w:tblPr><w:tblGrid>"
        );
        for width in &widths {
            let _ = write!(out, "<w:gridCol w:w=\"{width}\"/>");
        }
        out.push_str("</w:tblGrid>");
        for (r, row) in rows.iter().enumerate() {
            // The header row repeats at the top of each page the table runs onto.
            out.push_str(if r == 0 {
                "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            } else {
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            });
            for (cell, width) in row.iter().zip(&widths) {
                self.cell(out, cell, *width, r == 0);
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl><w:p/>");
    }

    fn figure(&self, out: &mut String, id: &str, f: &Figure, evidence_for: &str) {
        let alt = escape_xml(&f.alt);
        let caption = self.escape(&format!(
            "Evidence for: {evidence_for}. The chart's files sit beside this document: {}, {} and its data, {}.",
            f.png, f.svg_file, f.data_file
        ));
        let Some((png, (width, height))) = self
            .images
            .get(f.png.as_str())
            .and_then(|png| Some((png, png_size(png)?)))
        else {
            // No picture to place: the alt text says what the chart shows.
            self.styled_paragraph(out, "Finding", &self.escape(&f.alt));
            self.styled_paragraph(out, "FigureCaption", &caption);
            return;
        };
        let mut state = self.state.borrow_mut();
        let n = state.media.len() + 1;
        let rel_id = format!("rIdChart{n}");
        state.media.push(Media {
            rel_id: rel_id.clone(),
            part: format!("media/chart{n}.png"),
            png,
        });
        // A chart taller than the page is shrunk to fit it, with its caption.
        let (cx, cy) = if CHART_WIDTH_EMU * height / width > CHART_HEIGHT_MAX_EMU {
            (CHART_HEIGHT_MAX_EMU * width / height, CHART_HEIGHT_MAX_EMU)
        } else {
            (CHART_WIDTH_EMU, CHART_WIDTH_EMU * height / width)
        };
        let name = escape_xml(id);
        let _ = write!(
            out,
            concat!(
                "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>",
                "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
                "<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\"/>",
                "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>",
                "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>",
                "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>",
                "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ),
            cx = cx,
            cy = cy,
            n = n,
            name = name,
            alt = alt,
            rel = rel_id,
        );
        drop(state);
        self.styled_paragraph(out, "FigureCaption", &caption);
    }

    fn code(&self, out: &mut String, title: &str, level: usize, _language: &str, text: &str) {
        self.heading(out, level, title, None);
        for line in text.lines() {
            self.styled_paragraph(out, "Code", &self.escape(line));
        }
    }
}

/// The styles the document uses. Built-in names (`heading 1`, `caption`, `List Bullet`) so
/// that Word treats them as its own: headings in the navigation pane and the outline.
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>",
    "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>",
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"160\" w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>",
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"240\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:pageBreakBefore/><w:spacing w:before=\"240\" w:after=\"160\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading4\"><w:name w:val=\"heading 4\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"120\"/><w:outlineLvl w:val=\"3\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Finding\"><w:name w:val=\"Finding\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:pBdr><w:left w:val=\"single\" w:sz=\"24\" w:space=\"8\" w:color=\"1D70B8\"/></w:pBdr><w:ind w:left=\"227\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"ContentsHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>",
    "<w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"ContentsEntry\"><w:name w:val=\"toc 1\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:after=\"60\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"60\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TableCaption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"FigureCaption\"><w:name w:val=\"Figure Caption\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:after=\"60\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Code\"><w:name w:val=\"Plain Text\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\" w:cs=\"Consolas\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"character\" w:styleId=\"Key\"><w:name w:val=\"Metric Key\"/><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\" w:cs=\"Consolas\"/><w:b w:val=\"0\"/><w:sz w:val=\"20\"/></w:rPr></w:style>",
    "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:rPr><w:color w:val=\"1D70B8\"/><w:u w:val=\"single\"/></w:rPr></w:style>",
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>",
    "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    "<w:style w:type=\"table\" w:styleId=\"RepgapTable\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>",
    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/>",
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/>",
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"B1B4B6\"/>",
    "</w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/><w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    "</w:styles>"
);

const NUMBERING: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>",
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>",
    "<w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>",
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
);

const SETTINGS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>",
    "<w:themeFontLang w:val=\"en-GB\"/></w:settings>"
);

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Default Extension=\"png\" ContentType=\"image/png\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>"
);

/// The package's document properties: the title (what a screen reader announces first) and
/// the run's date, not the clock's, so two runs of the same data give the same bytes.
fn core_properties(title: &str, run_date: &str) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:creator>repgap</dc:creator><dc:language>en-GB</dc:language>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = escape_xml(title),
        date = escape_xml(run_date),
    )
}

fn app_properties(version: &str) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
            "<Application>repgap {}</Application></Properties>"
        ),
        escape_xml(version)
    )
}

fn document_relationships(media: &[Media]) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
        "<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>",
        "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
    ));
    for m in media {
        let _ = write!(
            out,
            "<Relationship Id=\"{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"{}\"/>",
            m.rel_id, m.part
        );
    }
    out.push_str("</Relationships>");
    out
}

/// The annex as a Word document. `images` maps each figure's PNG path (`charts/….png`) to its
/// bytes; a figure without one is written as its alt text.
pub fn docx(annex: &Annex, images: &BTreeMap<&str, &[u8]>) -> std::io::Result<Vec<u8>> {
    let doc = Document::from_annex(annex);
    let word = Word::new(&doc, images);
    let body = word.write(&doc);
    let media = word.state.into_inner().media;

    // A fixed time stamp on every part (1980-01-01, zip's earliest): the bytes depend only on
    // the annex.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.into()),
        ("_rels/.rels".into(), ROOT_RELS.into()),
        (
            "docProps/core.xml".into(),
            core_properties(&annex.title, &annex.run_date).into_bytes(),
        ),
        (
            "docProps/app.xml".into(),
            app_properties(&annex.version).into_bytes(),
        ),
        ("word/document.xml".into(), body.into_bytes()),
        ("word/styles.xml".into(), STYLES.into()),
        ("word/numbering.xml".into(), NUMBERING.into()),
        ("word/settings.xml".into(), SETTINGS.into()),
        (
            "word/_rels/document.xml.rels".into(),
            document_relationships(&media).into_bytes(),
        ),
    ];
    let media_parts = media.iter().map(|m| (format!("word/{}", m.part), m.png));
    for (name, bytes) in parts
        .iter()
        .map(|(n, b)| (n.clone(), b.as_slice()))
        .chain(media_parts)
    {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_escaped_runs_and_styles_reach_every_run() {
        let images = BTreeMap::new();
        let doc = Document {
            title: "t".into(),
            blocks: vec![],
        };
        let w = Word::new(&doc, &images);
        let runs = w.escape("a < b & \"c\"");
        assert_eq!(
            runs,
            "<w:r><w:t xml:space=\"preserve\">a &lt; b &amp; &quot;c&quot;</w:t></w:r>"
        );
        assert_eq!(
            plain(&format!("{runs}{}", w.escape("!"))),
            "a &lt; b &amp; &quot;c&quot;!"
        );
        assert!(w
            .strong(&runs)
            .starts_with("<w:r><w:rPr><w:b/></w:rPr><w:t"));
        assert_eq!(w.escape(""), "");
        assert_eq!(escape_xml("x\u{1}\ny"), "x&#10;y");
    }

    #[test]
    fn columns_fit_their_longest_word_and_fill_the_text_width() {
        let images = BTreeMap::new();
        let doc = Document {
            title: String::new(),
            blocks: vec![],
        };
        let w = Word::new(&doc, &images);
        let row = |cells: &[&str]| cells.iter().map(|c| w.escape(c)).collect::<Vec<_>>();
        let rows = vec![
            row(&["Module", "Recommendations", "Not started", "Complete"]),
            row(&[
                "1. Understanding and working with your communities",
                "5",
                "2",
                "1",
            ]),
        ];
        let widths = column_widths(&rows);
        assert!(widths.iter().sum::<usize>() <= TEXT_WIDTH_TWIPS);
        assert!(widths.iter().sum::<usize>() > TEXT_WIDTH_TWIPS - 4);
        // "Recommendations": 15 characters and the margins.
        assert!(widths[1] >= 15 * 125 + 200, "{widths:?}");
        assert!(widths[0] > widths[2], "{widths:?}");
    }

    #[test]
    fn png_size_reads_the_header() {
        let mut png = vec![0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0, 0, 13];
        png.extend(b"IHDR");
        png.extend(1890u32.to_be_bytes());
        png.extend(1234u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((1890, 1234)));
        assert_eq!(png_size(b"GIF89a"), None);
    }
}
