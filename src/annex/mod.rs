//! The evidence annex: recommendations of the action plan, grouped by EFLG module, each with the
//! charts, tables and one-sentence findings that speak to it; then methods, data quality and
//! provenance. Written as one self-contained HTML file (inline SVG and CSS, no scripts, no
//! external requests) and as Markdown. Every piece of input text is escaped. Nothing here reads
//! a clock or a path: the same [`Annex`] always renders to the same bytes.
//!
//! Both formats come from one [`Document`], laid out once from the [`Annex`]; the
//! [`MarkupWriter`]s [`Markdown`] and [`Html`] differ only in how they spell its parts.

pub mod build;
pub mod change;
pub mod document;
pub mod groups;
pub mod markup;
pub mod survey;
pub mod word;
pub mod workforce;

pub use build::{
    by_key, headline_level, known_metric_keys, likelihood_evidence, profile_evidence,
    representation_evidence, representation_finding,
};
pub use document::Document;
pub use markup::{Html, Markdown, MarkupWriter};

use std::collections::BTreeMap;

use crate::ingest::csvfile::InputSource;
use crate::register::{EflgModule, Recommendation, Status};
use crate::text::capitalise;

/// A small data table shown under a chart (and standing alone where there is no chart).
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A chart as the annex shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The SVG document, inlined into the HTML.
    pub svg: String,
    /// File names (relative to the annex folder) of the PNG, SVG and CSV written beside it.
    pub png: String,
    pub svg_file: String,
    pub data_file: String,
    pub alt: String,
}

/// One analysis output, addressed by its metric key.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub key: String,
    pub title: String,
    pub finding: String,
    pub figure: Option<Figure>,
    pub table: DataTable,
}

/// One input file's provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    pub role: String,
    pub source: InputSource,
}

/// Everything the annex shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    pub title: String,
    pub run_date: String,
    pub version: String,
    pub register: Vec<Recommendation>,
    pub evidence: Vec<Evidence>,
    pub methods: Vec<(String, String)>,
    pub data_quality: Vec<(String, String)>,
    pub inputs: Vec<InputFile>,
    pub config: String,
}

impl Annex {
    fn evidence(&self, key: &str) -> Option<&Evidence> {
        self.evidence.iter().find(|e| e.key == key)
    }

    /// Recommendations that cite `key`, in register order.
    pub fn cited_by(&self, key: &str) -> Vec<&Recommendation> {
        self.register
            .iter()
            .filter(|r| r.evidence.iter().any(|k| k == key))
            .collect()
    }

    fn without_evidence(&self) -> Vec<&Recommendation> {
        self.register
            .iter()
            .filter(|r| r.evidence.is_empty())
            .collect()
    }

    fn unlinked_evidence(&self) -> Vec<&Evidence> {
        self.evidence
            .iter()
            .filter(|e| self.cited_by(&e.key).is_empty())
            .collect()
    }

    fn status_counts(&self) -> BTreeMap<EflgModule, [usize; 4]> {
        let mut counts: BTreeMap<EflgModule, [usize; 4]> =
            EflgModule::ALL.iter().map(|m| (*m, [0; 4])).collect();
        for r in &self.register {
            counts.get_mut(&r.module).expect("all modules")[r.status as usize] += 1;
        }
        counts
    }

    fn summary_table(&self) -> DataTable {
        let mut header = vec!["Module".to_string(), "Recommendations".to_string()];
        header.extend(Status::ALL.iter().map(|s| capitalise(s.label())));
        let mut rows: Vec<Vec<String>> = self
            .status_counts()
            .iter()
            .map(|(m, c)| {
                let mut row = vec![
                    format!("{}. {}", m.number(), m.name()),
                    c.iter().sum::<usize>().to_string(),
                ];
                row.extend(c.iter().map(|n| n.to_string()));
                row
            })
            .collect();
        let mut total = vec!["All modules".to_string(), self.register.len().to_string()];
        total.extend(Status::ALL.iter().map(|s| {
            self.register
                .iter()
                .filter(|r| r.status == *s)
                .count()
                .to_string()
        }));
        rows.push(total);
        DataTable {
            caption: "Recommendations by module and status".to_string(),
            header,
            rows,
        }
    }

    fn provenance_table(&self) -> DataTable {
        DataTable {
            caption: format!("Inputs of this run (repgap {})", self.version),
            header: ["Input", "File", "Data rows", "SHA-256"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: self
                .inputs
                .iter()
                .map(|i| {
                    vec![
                        i.role.clone(),
                        i.source.name.clone(),
                        i.source.rows.to_string(),
                        i.source.sha256.clone(),
                    ]
                })
                .collect(),
        }
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    escape_markup(text, false)
}

/// Escape text for XML (HTML or a Word part) element content and attribute values. Control
/// characters are dropped: XML 1.0 does not allow them, nor HTML. With `line_breaks`, a line
/// break is written as a reference, so it stays a line break inside an attribute.
pub fn escape_markup(text: &str, line_breaks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' if line_breaks => out.push_str("&#10;"),
            '\n' | '\t' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape text so Markdown shows it literally (and raw HTML in it stays inert).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '<' | '>' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The annex as Markdown.
pub fn markdown(annex: &Annex) -> String {
    Markdown.write(&Document::from_annex(annex))
}

/// The annex as one self-contained HTML page.
pub fn html(annex: &Annex) -> String {
    Html.write(&Document::from_annex(annex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
        assert_eq!(
            escape_markdown("<b>*x*</b> | [y]"),
            "\\<b\\>\\*x\\*\\</b\\> \\| \\[y\\]"
        );
    }
}
