//! The evidence annex: recommendations of the action plan, grouped by EFLG module, each with the
//! charts, tables and one-sentence findings that speak to it; then methods, data quality and
//! provenance. Written as one self-contained HTML file (inline SVG and CSS, no scripts, no
//! external requests) and as Markdown. Every piece of input text is escaped. Nothing here reads
//! a clock or a path: the same [`Annex`] always renders to the same bytes.

pub mod build;
pub mod survey;
pub mod workforce;

pub use build::{
    by_key, headline_level, known_metric_keys, likelihood_evidence, profile_evidence,
    representation_evidence, representation_finding,
};

use std::collections::BTreeMap;
use std::fmt::Write;

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
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
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

/// The fields of a recommendation shown under its heading, in order.
fn recommendation_fields(r: &Recommendation) -> [(&'static str, &str); 5] {
    [
        ("Response", r.response.as_str()),
        ("Actions", r.actions.as_str()),
        ("Lead", r.lead.as_str()),
        ("Due", r.due.as_str()),
        ("Status", r.status.label()),
    ]
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "—"
    } else {
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Markdown

fn md_table(out: &mut String, table: &DataTable) {
    let _ = writeln!(out, "*{}*\n", escape_markdown(&table.caption));
    let _ = writeln!(
        out,
        "| {} |",
        table
            .header
            .iter()
            .map(|h| escape_markdown(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(
        out,
        "|{}",
        table.header.iter().map(|_| "---|").collect::<String>()
    );
    for row in &table.rows {
        let _ = writeln!(
            out,
            "| {} |",
            row.iter()
                .map(|c| escape_markdown(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    out.push('\n');
}

fn md_evidence(out: &mut String, annex: &Annex, e: &Evidence, heading: &str) {
    let _ = writeln!(
        out,
        "{heading} {} (`{}`)\n",
        escape_markdown(&e.title),
        e.key
    );
    let _ = writeln!(out, "**Finding:** {}\n", escape_markdown(&e.finding));
    if let Some(f) = &e.figure {
        let _ = writeln!(out, "![{}]({})\n", escape_markdown(&f.alt), f.png);
        let cited: Vec<String> = annex
            .cited_by(&e.key)
            .iter()
            .map(|r| escape_markdown(&r.id))
            .collect();
        let _ = writeln!(
            out,
            "Chart: [{}]({}) · [SVG]({}) · [data]({}). Evidence for: {}.\n",
            f.png,
            f.png,
            f.svg_file,
            f.data_file,
            if cited.is_empty() {
                "no recommendation yet".to_string()
            } else {
                cited.join(", ")
            }
        );
    }
    md_table(out, &e.table);
}

pub fn markdown(annex: &Annex) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape_markdown(&annex.title));
    let _ = writeln!(
        out,
        "Generated by repgap {} on {}. Figures about staff are aggregates; counts below the suppression threshold are withheld.\n",
        escape_markdown(&annex.version),
        escape_markdown(&annex.run_date)
    );
    out.push_str("## Summary\n\n");
    md_table(&mut out, &annex.summary_table());
    // Each analysis is shown in full under the first recommendation that cites it.
    let mut shown: BTreeMap<&str, String> = BTreeMap::new();
    for module in EflgModule::ALL {
        let _ = writeln!(out, "## Module {}: {}\n", module.number(), module.name());
        let recs: Vec<&Recommendation> = annex
            .register
            .iter()
            .filter(|r| r.module == module)
            .collect();
        if recs.is_empty() {
            out.push_str("No recommendations under this module.\n\n");
        }
        for r in recs {
            let _ = writeln!(
                out,
                "### {}: {}\n",
                escape_markdown(&r.id),
                escape_markdown(&r.recommendation)
            );
            for (label, value) in recommendation_fields(r) {
                let _ = writeln!(out, "- **{label}:** {}", escape_markdown(or_dash(value)));
            }
            out.push('\n');
            if r.evidence.is_empty() {
                out.push_str("No evidence linked yet.\n\n");
            }
            for key in &r.evidence {
                if let Some(e) = annex.evidence(key) {
                    if let Some(first) = shown.get(key.as_str()) {
                        let _ = writeln!(
                            out,
                            "#### {} (`{}`)\n\n**Finding:** {} The chart and table are under {}.\n",
                            escape_markdown(&e.title),
                            e.key,
                            escape_markdown(&e.finding),
                            escape_markdown(first)
                        );
                    } else {
                        md_evidence(&mut out, annex, e, "####");
                        shown.insert(key.as_str(), r.id.clone());
                    }
                }
            }
        }
    }
    out.push_str("## Recommendations with no evidence yet\n\n");
    let none: Vec<&Recommendation> = annex.without_evidence();
    if none.is_empty() {
        out.push_str("Every recommendation has evidence linked.\n\n");
    }
    for r in none {
        let _ = writeln!(
            out,
            "- {}: {}",
            escape_markdown(&r.id),
            escape_markdown(&r.recommendation)
        );
    }
    out.push('\n');
    out.push_str("## Evidence linked to no recommendation\n\n");
    let unlinked = annex.unlinked_evidence();
    if unlinked.is_empty() {
        out.push_str("Every analysis is linked to at least one recommendation.\n\n");
    }
    for e in unlinked {
        md_evidence(&mut out, annex, e, "###");
    }
    for (title, items) in [
        ("Methods", &annex.methods),
        ("Data quality", &annex.data_quality),
    ] {
        let _ = writeln!(out, "## {title}\n");
        for (k, v) in items {
            let _ = writeln!(out, "- **{}:** {}", escape_markdown(k), escape_markdown(v));
        }
        out.push('\n');
    }
    out.push_str("## Provenance\n\n");
    md_table(&mut out, &provenance_table(annex));
    out.push_str("Configuration used:\n\n```toml\n");
    out.push_str(&annex.config.replace("```", "'''"));
    if !annex.config.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

fn provenance_table(annex: &Annex) -> DataTable {
    DataTable {
        caption: format!("Inputs of this run (repgap {})", annex.version),
        header: ["Input", "File", "Data rows", "SHA-256"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: annex
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

// ---------------------------------------------------------------------------------------------
// HTML

const CSS: &str = "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#212121;max-width:72rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}\
h1{font-size:1.9rem}h2{font-size:1.5rem;border-bottom:2px solid #0072b2;padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.25rem;margin-top:2rem}h4{font-size:1.05rem}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}\
th,td{border:1px solid #9e9e9e;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#e8f1f8}\
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#424242}\
.finding{background:#f5f5f5;border-left:4px solid #0072b2;padding:.5rem .75rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}\
pre{background:#f5f5f5;padding:.75rem;overflow-x:auto}a{color:#005a8c}";

fn html_table(out: &mut String, table: &DataTable) {
    let _ = write!(
        out,
        "<table><caption>{}</caption><thead><tr>",
        escape_html(&table.caption)
    );
    for h in &table.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape_html(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", escape_html(c));
            } else {
                let _ = write!(out, "<td>{}</td>", escape_html(c));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// Make a plotters SVG an accessible image: role, a label, and its own text hidden from
/// assistive technology (the alt text says the same, better).
fn accessible_svg(svg: &str, id: &str, alt: &str) -> String {
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

fn html_evidence(out: &mut String, annex: &Annex, e: &Evidence, level: usize, context: &str) {
    let id = format!("{context}-{}", e.key.replace('.', "-"));
    let _ = writeln!(
        out,
        "<h{level} id=\"{id}\">{} <code>{}</code></h{level}>",
        escape_html(&e.title),
        escape_html(&e.key)
    );
    let _ = writeln!(
        out,
        "<p class=\"finding\"><strong>Finding:</strong> {}</p>",
        escape_html(&e.finding)
    );
    if let Some(f) = &e.figure {
        let cited: Vec<String> = annex
            .cited_by(&e.key)
            .iter()
            .map(|r| escape_html(&r.id))
            .collect();
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>Evidence for: {}. Download: <a href=\"{}\">PNG</a>, <a href=\"{}\">SVG</a>, <a href=\"{}\">data (CSV)</a>.</figcaption></figure>",
            accessible_svg(&f.svg, &id, &f.alt),
            if cited.is_empty() { "no recommendation yet".to_string() } else { cited.join(", ") },
            escape_html(&f.png),
            escape_html(&f.svg_file),
            escape_html(&f.data_file)
        );
    }
    html_table(out, &e.table);
}

pub fn html(annex: &Annex) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape_html(&annex.title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape_html(&annex.title));
    let _ = writeln!(
        out,
        "<p>Generated by repgap {} on {}. Figures about staff are aggregates; counts below the suppression threshold are withheld.</p>",
        escape_html(&annex.version),
        escape_html(&annex.run_date)
    );
    out.push_str("<nav aria-label=\"Contents\"><ul>");
    out.push_str("<li><a href=\"#summary\">Summary</a></li>");
    for m in EflgModule::ALL {
        let _ = write!(
            out,
            "<li><a href=\"#module-{}\">Module {}: {}</a></li>",
            m.number(),
            m.number(),
            m.name()
        );
    }
    out.push_str("<li><a href=\"#gaps\">Recommendations with no evidence yet</a></li><li><a href=\"#unlinked\">Evidence linked to no recommendation</a></li><li><a href=\"#methods\">Methods</a></li><li><a href=\"#data-quality\">Data quality</a></li><li><a href=\"#provenance\">Provenance</a></li></ul></nav>\n");
    out.push_str("<h2 id=\"summary\">Summary</h2>\n");
    html_table(&mut out, &annex.summary_table());
    let mut shown: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for module in EflgModule::ALL {
        let _ = writeln!(
            out,
            "<h2 id=\"module-{}\">Module {}: {}</h2>",
            module.number(),
            module.number(),
            module.name()
        );
        let recs: Vec<&Recommendation> = annex
            .register
            .iter()
            .filter(|r| r.module == module)
            .collect();
        if recs.is_empty() {
            out.push_str("<p>No recommendations under this module.</p>\n");
        }
        for r in recs {
            let rid = format!(
                "rec-{}",
                r.id.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect::<String>()
            );
            let _ = writeln!(
                out,
                "<h3 id=\"{rid}\">{}: {}</h3>",
                escape_html(&r.id),
                escape_html(&r.recommendation)
            );
            out.push_str("<dl>");
            for (label, value) in recommendation_fields(r) {
                let _ = write!(
                    out,
                    "<dt>{label}</dt><dd>{}</dd>",
                    escape_html(or_dash(value))
                );
            }
            out.push_str("</dl>\n");
            if r.evidence.is_empty() {
                out.push_str("<p>No evidence linked yet.</p>\n");
            }
            for key in &r.evidence {
                if let Some(e) = annex.evidence(key) {
                    if let Some((first_id, anchor)) = shown.get(key.as_str()) {
                        let _ = writeln!(
                            out,
                            "<h4>{} <code>{}</code></h4>\n<p class=\"finding\"><strong>Finding:</strong> {} The chart and table are under <a href=\"#{anchor}\">{}</a>.</p>",
                            escape_html(&e.title),
                            escape_html(&e.key),
                            escape_html(&e.finding),
                            escape_html(first_id)
                        );
                    } else {
                        html_evidence(&mut out, annex, e, 4, &rid);
                        shown.insert(
                            key.as_str(),
                            (r.id.clone(), format!("{rid}-{}", e.key.replace('.', "-"))),
                        );
                    }
                }
            }
        }
    }
    out.push_str("<h2 id=\"gaps\">Recommendations with no evidence yet</h2>\n");
    let none: Vec<&Recommendation> = annex.without_evidence();
    if none.is_empty() {
        out.push_str("<p>Every recommendation has evidence linked.</p>\n");
    } else {
        out.push_str("<ul>");
        for r in none {
            let _ = write!(
                out,
                "<li>{}: {}</li>",
                escape_html(&r.id),
                escape_html(&r.recommendation)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2 id=\"unlinked\">Evidence linked to no recommendation</h2>\n");
    let unlinked = annex.unlinked_evidence();
    if unlinked.is_empty() {
        out.push_str("<p>Every analysis is linked to at least one recommendation.</p>\n");
    }
    for e in unlinked {
        html_evidence(&mut out, annex, e, 3, "unlinked");
    }
    for (id, title, items) in [
        ("methods", "Methods", &annex.methods),
        ("data-quality", "Data quality", &annex.data_quality),
    ] {
        let _ = writeln!(out, "<h2 id=\"{id}\">{title}</h2>\n<dl>");
        for (k, v) in items {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape_html(k),
                escape_html(v)
            );
        }
        out.push_str("</dl>\n");
    }
    out.push_str("<h2 id=\"provenance\">Provenance</h2>\n");
    html_table(&mut out, &provenance_table(annex));
    let _ = writeln!(
        out,
        "<h3>Configuration used</h3>\n<pre><code>{}</code></pre>",
        escape_html(&annex.config)
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
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

    #[test]
    fn svg_gets_role_and_title() {
        let svg = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = accessible_svg(svg, "c1", "A <b> chart");
        assert!(out.starts_with("<svg role=\"img\" aria-labelledby=\"c1-title\""));
        assert!(out.contains("<title id=\"c1-title\">A &lt;b&gt; chart</title>"));
    }
}
