//! Writers that spell a [`Document`] as Markdown or as HTML. The walk over the document, and
//! the escaping of every piece of text in it, is written once, as the default method
//! [`MarkupWriter::write`]; each syntax implements only the primitives in which it differs
//! (how a heading, a table row or a figure is spelled). A new part of the annex therefore
//! reaches both formats at once, escaped the same way.

use std::fmt::Write;

use super::document::{Block, Document, Inline};
use super::{escape_html, escape_markdown, Figure};

/// One markup syntax. Primitives that take `&str` text receive it already escaped by
/// [`MarkupWriter::escape`], unless their documentation says otherwise; each appends to `out`.
pub trait MarkupWriter {
    /// Make input text show literally in this syntax.
    fn escape(&self, text: &str) -> String;

    /// Strong emphasis around escaped text.
    fn strong(&self, text: &str) -> String;

    /// A metric key, given raw: code spans in each syntax quote differently.
    fn key(&self, key: &str) -> String;

    /// A link with escaped `text` to the heading with anchor `id` (raw).
    fn anchor(&self, text: &str, id: &str) -> String;

    /// What comes before the first block; `title` is escaped.
    fn begin(&self, _out: &mut String, _title: &str) {}

    /// What comes after the last block.
    fn end(&self, _out: &mut String) {}

    /// A heading of rendered inline `text`; `id` is raw.
    fn heading(&self, out: &mut String, level: usize, text: &str, id: Option<&str>);

    fn paragraph(&self, out: &mut String, text: &str);

    /// A finding reads as a paragraph unless the syntax can set it apart.
    fn finding(&self, out: &mut String, text: &str) {
        self.paragraph(out, text);
    }

    /// Links to the main sections as `(raw anchor, escaped text)`. Nothing by default: only a
    /// syntax whose anchors the document controls can link to them.
    fn contents(&self, _out: &mut String, _entries: &[(&str, String)]) {}

    /// `standalone`: the list is a whole section's content (see [`Block::DefinitionList`]).
    fn definition_list_start(&self, out: &mut String, standalone: bool);
    fn definition(&self, out: &mut String, term: &str, description: &str);
    fn definition_list_end(&self, out: &mut String);

    /// A whole bulleted list, so that a syntax can leave out an empty one.
    fn list(&self, out: &mut String, items: &[String]);

    fn table_start(&self, out: &mut String, caption: &str);
    fn table_header(&self, out: &mut String, cells: &[String]);
    /// A data row; its first cell names the row.
    fn table_row(&self, out: &mut String, cells: &[String]);
    fn table_end(&self, out: &mut String);

    /// A chart with its downloads, given raw: the SVG is markup to inline as it is, and the
    /// file paths are link targets, which each syntax quotes its own way. The writer escapes
    /// the alt text and `evidence_for` itself.
    fn figure(&self, out: &mut String, id: &str, figure: &Figure, evidence_for: &str);

    /// Verbatim `text` (raw: each syntax has its own way to keep it inert), after an escaped
    /// `title`.
    fn code(&self, out: &mut String, title: &str, level: usize, language: &str, text: &str);

    /// Inline spans, escaped and spelled in this syntax.
    fn inlines(&self, spans: &[Inline]) -> String {
        spans
            .iter()
            .map(|span| match span {
                Inline::Text(t) => self.escape(t),
                Inline::Strong(t) => self.strong(&self.escape(t)),
                Inline::Key(k) => self.key(k),
                Inline::Anchor { text, id } => self.anchor(&self.escape(text), id),
            })
            .collect()
    }

    /// The document, block by block.
    fn write(&self, doc: &Document) -> String {
        let mut out = String::new();
        self.begin(&mut out, &self.escape(&doc.title));
        for block in &doc.blocks {
            match block {
                Block::Heading { level, text, id } => {
                    self.heading(&mut out, *level, &self.inlines(text), id.as_deref())
                }
                Block::Paragraph(spans) => self.paragraph(&mut out, &self.inlines(spans)),
                Block::Finding(spans) => self.finding(&mut out, &self.inlines(spans)),
                Block::Contents(entries) => {
                    let entries: Vec<(&str, String)> = entries
                        .iter()
                        .map(|(id, text)| (id.as_str(), self.escape(text)))
                        .collect();
                    self.contents(&mut out, &entries);
                }
                Block::DefinitionList { items, standalone } => {
                    self.definition_list_start(&mut out, *standalone);
                    for (term, description) in items {
                        self.definition(&mut out, &self.escape(term), &self.escape(description));
                    }
                    self.definition_list_end(&mut out);
                }
                Block::List(items) => {
                    let items: Vec<String> = items.iter().map(|i| self.escape(i)).collect();
                    self.list(&mut out, &items);
                }
                Block::Table(table) => {
                    let escape_all =
                        |cells: &[String]| cells.iter().map(|c| self.escape(c)).collect::<Vec<_>>();
                    self.table_start(&mut out, &self.escape(&table.caption));
                    self.table_header(&mut out, &escape_all(&table.header));
                    for row in &table.rows {
                        self.table_row(&mut out, &escape_all(row));
                    }
                    self.table_end(&mut out);
                }
                Block::Figure {
                    id,
                    figure,
                    evidence_for,
                } => self.figure(&mut out, id, figure, evidence_for),
                Block::Code {
                    title,
                    level,
                    language,
                    text,
                } => self.code(&mut out, &self.escape(title), *level, language, text),
            }
        }
        self.end(&mut out);
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// CommonMark, readable as plain text too.
pub struct Markdown;

impl MarkupWriter for Markdown {
    fn escape(&self, text: &str) -> String {
        escape_markdown(text)
    }

    fn strong(&self, text: &str) -> String {
        format!("**{text}**")
    }

    // Keys are slugs (letters, digits, `_` and `.`), which a code span shows literally; the
    // parentheses set the key off from the title when the file is read as plain text.
    fn key(&self, key: &str) -> String {
        format!("(`{key}`)")
    }

    fn anchor(&self, text: &str, _id: &str) -> String {
        text.to_string()
    }

    fn heading(&self, out: &mut String, level: usize, text: &str, _id: Option<&str>) {
        let _ = writeln!(out, "{} {text}\n", "#".repeat(level));
    }

    fn paragraph(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "{text}\n");
    }

    fn definition_list_start(&self, _out: &mut String, _standalone: bool) {}

    // CommonMark has no definition lists: a bulleted list with bold labels reads the same.
    fn definition(&self, out: &mut String, term: &str, description: &str) {
        let _ = writeln!(out, "- **{term}:** {description}");
    }

    fn definition_list_end(&self, out: &mut String) {
        out.push('\n');
    }

    fn list(&self, out: &mut String, items: &[String]) {
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }

    fn table_start(&self, out: &mut String, caption: &str) {
        let _ = writeln!(out, "*{caption}*\n");
    }

    fn table_header(&self, out: &mut String, cells: &[String]) {
        self.table_row(out, cells);
        let _ = writeln!(out, "|{}", "---|".repeat(cells.len()));
    }

    fn table_row(&self, out: &mut String, cells: &[String]) {
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }

    fn table_end(&self, out: &mut String) {
        out.push('\n');
    }

    // The chart itself is the PNG; the paths are file names repgap made, written as they are.
    fn figure(&self, out: &mut String, _id: &str, f: &Figure, evidence_for: &str) {
        let _ = writeln!(out, "![{}]({})\n", self.escape(&f.alt), f.png);
        let _ = writeln!(
            out,
            "Chart: [{}]({}) · [SVG]({}) · [data]({}). Evidence for: {}.\n",
            f.png,
            f.png,
            f.svg_file,
            f.data_file,
            self.escape(evidence_for)
        );
    }

    // A fence inside the text would end the code block early; three quotes read the same.
    fn code(&self, out: &mut String, title: &str, _level: usize, language: &str, text: &str) {
        let _ = write!(out, "{title}:\n\n```{language}\n");
        out.push_str(&text.replace("```", "'''"));
        if !text.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("```\n");
    }
}

// ---------------------------------------------------------------------------------------------
// HTML

/// One self-contained page: inline CSS and SVG, no scripts, no external requests.
pub struct Html;

const CSS: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#212121;max-width:72rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}\
h1{font-size:1.9rem}h2{font-size:1.5rem;border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.25rem;margin-top:2rem}h4{font-size:1.05rem}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}\
th,td{border:1px solid #9e9e9e;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#e8f1f8}\
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#424242}\
.finding{background:#f5f5f5;border-left:4px solid #0072b2;padding:.5rem .75rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}\
pre{background:#f5f5f5;padding:.75rem;overflow-x:auto}a{color:#005a8c}";

/// Make a plotters SVG an accessible image: role, a label, and its own text hidden from
/// assistive technology (the alt text says the same, better).
pub(super) fn accessible_svg(svg: &str, id: &str, alt: &str) -> String {
    let svg = svg
        .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .trim_start();
    let body = svg.strip_prefix("<svg").unwrap_or(svg);
    format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\"{}",
        body.replacen(
            '>',
            &format!("><title id=\"{id}-title\">{}</title>", escape_html(alt)),
            1
        )
    )
}

impl MarkupWriter for Html {
    fn escape(&self, text: &str) -> String {
        escape_html(text)
    }

    fn strong(&self, text: &str) -> String {
        format!("<strong>{text}</strong>")
    }

    fn key(&self, key: &str) -> String {
        format!("<code>{}</code>", escape_html(key))
    }

    fn anchor(&self, text: &str, id: &str) -> String {
        format!("<a href=\"#{}\">{text}</a>", escape_html(id))
    }

    fn begin(&self, out: &mut String, title: &str) {
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        );
    }

    fn end(&self, out: &mut String) {
        out.push_str("</main>\n</body>\n</html>\n");
    }

    fn heading(&self, out: &mut String, level: usize, text: &str, id: Option<&str>) {
        match id {
            Some(id) => {
                let _ = writeln!(
                    out,
                    "<h{level} id=\"{}\">{text}</h{level}>",
                    escape_html(id)
                );
            }
            None => {
                let _ = writeln!(out, "<h{level}>{text}</h{level}>");
            }
        }
    }

    fn paragraph(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "<p>{text}</p>");
    }

    fn finding(&self, out: &mut String, text: &str) {
        let _ = writeln!(out, "<p class=\"finding\">{text}</p>");
    }

    fn contents(&self, out: &mut String, entries: &[(&str, String)]) {
        out.push_str("<nav aria-label=\"Contents\"><ul>");
        for (id, text) in entries {
            let _ = write!(out, "<li><a href=\"#{}\">{text}</a></li>", escape_html(id));
        }
        out.push_str("</ul></nav>\n");
    }

    fn definition_list_start(&self, out: &mut String, standalone: bool) {
        out.push_str(if standalone { "<dl>\n" } else { "<dl>" });
    }

    fn definition(&self, out: &mut String, term: &str, description: &str) {
        let _ = write!(out, "<dt>{term}</dt><dd>{description}</dd>");
    }

    fn definition_list_end(&self, out: &mut String) {
        out.push_str("</dl>\n");
    }

    // An empty <ul> would be announced as a list by screen readers, with nothing in it.
    fn list(&self, out: &mut String, items: &[String]) {
        if items.is_empty() {
            return;
        }
        out.push_str("<ul>");
        for item in items {
            let _ = write!(out, "<li>{item}</li>");
        }
        out.push_str("</ul>\n");
    }

    fn table_start(&self, out: &mut String, caption: &str) {
        let _ = write!(out, "<table><caption>{caption}</caption>");
    }

    fn table_header(&self, out: &mut String, cells: &[String]) {
        out.push_str("<thead><tr>");
        for c in cells {
            let _ = write!(out, "<th scope=\"col\">{c}</th>");
        }
        out.push_str("</tr></thead><tbody>");
    }

    // The first cell names the row, so it is a row header for screen readers.
    fn table_row(&self, out: &mut String, cells: &[String]) {
        out.push_str("<tr>");
        for (i, c) in cells.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{c}</th>");
            } else {
                let _ = write!(out, "<td>{c}</td>");
            }
        }
        out.push_str("</tr>");
    }

    fn table_end(&self, out: &mut String) {
        out.push_str("</tbody></table>\n");
    }

    fn figure(&self, out: &mut String, id: &str, f: &Figure, evidence_for: &str) {
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>Evidence for: {}. Download: <a href=\"{}\">PNG</a>, <a href=\"{}\">SVG</a>, <a href=\"{}\">data (CSV)</a>.</figcaption></figure>",
            accessible_svg(&f.svg, &escape_html(id), &f.alt),
            escape_html(evidence_for),
            escape_html(&f.png),
            escape_html(&f.svg_file),
            escape_html(&f.data_file)
        );
    }

    fn code(&self, out: &mut String, title: &str, level: usize, _language: &str, text: &str) {
        let _ = writeln!(
            out,
            "<h{level}>{title}</h{level}>\n<pre><code>{}</code></pre>",
            escape_html(text)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annex::DataTable;

    const HOSTILE: &str = "<b>*x*</b>";

    /// A document with hostile text in every place text can go.
    fn hostile_document() -> Document {
        let h = || HOSTILE.to_string();
        Document {
            title: h(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: vec![Inline::Text(h()), Inline::Strong(h())],
                    id: Some("a".into()),
                },
                Block::Contents(vec![("a".into(), h())]),
                Block::Paragraph(vec![Inline::Anchor {
                    text: h(),
                    id: "a".into(),
                }]),
                Block::Finding(vec![Inline::Text(h())]),
                Block::DefinitionList {
                    items: vec![(h(), h())],
                    standalone: true,
                },
                Block::List(vec![h()]),
                Block::Table(DataTable {
                    caption: h(),
                    header: vec![h()],
                    rows: vec![vec![h(), h()]],
                }),
                Block::Figure {
                    id: "a".into(),
                    figure: Figure {
                        svg: "<svg></svg>".into(),
                        png: "c.png".into(),
                        svg_file: "c.svg".into(),
                        data_file: "c.csv".into(),
                        alt: h(),
                    },
                    evidence_for: h(),
                },
                Block::Code {
                    title: h(),
                    level: 3,
                    language: "toml".into(),
                    text: h(),
                },
            ],
        }
    }

    #[test]
    fn every_piece_of_text_is_escaped() {
        let doc = hostile_document();
        let html = Html.write(&doc);
        // HTML shows all 17 places text goes; Markdown has no page title or contents, and
        // keeps the configuration verbatim.
        assert!(!html.contains("<b>"), "{html}");
        assert_eq!(html.matches("&lt;b&gt;").count(), 17);
        let md = Markdown.write(&doc);
        // The configuration sits in a fenced code block, where it is inert and shown as is.
        assert_eq!(md.matches(HOSTILE).count(), 1, "{md}");
        assert_eq!(md.matches("\\<b\\>\\*x\\*\\</b\\>").count(), 14, "{md}");
    }

    #[test]
    fn svg_gets_role_and_title() {
        let svg = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = accessible_svg(svg, "c1", "A <b> chart");
        assert!(out.starts_with("<svg role=\"img\" aria-labelledby=\"c1-title\""));
        assert!(out.contains("<title id=\"c1-title\">A &lt;b&gt; chart</title>"));
    }
}
