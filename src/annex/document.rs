//! The annex as a document: headings, paragraphs, lists, tables and figures, in reading order,
//! built once from an [`Annex`]. Deciding what the annex says, and in what order, happens here
//! and only here, so the HTML and the Markdown cannot drift apart; the writers in
//! [`super::markup`] only decide how each part is spelled. The model holds plain, unescaped text:
//! escaping is the writers' job, because each syntax escapes differently.

use std::collections::BTreeMap;

use super::{Annex, DataTable, Evidence, Figure};
use crate::register::{EflgModule, Recommendation};

/// The whole annex, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title of the page (HTML puts it in `<title>`; the first block repeats it as the
    /// top-level heading).
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One part of the document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading. `id` is the anchor HTML gives it, so that the contents and cross-references
    /// can point at it; Markdown renderers make their own anchors and ignore it.
    Heading {
        level: usize,
        text: Vec<Inline>,
        id: Option<String>,
    },
    Paragraph(Vec<Inline>),
    /// A paragraph stating what an analysis found: HTML sets it apart from the prose around it.
    Finding(Vec<Inline>),
    /// Links to the main sections, as `(anchor, text)`. Only HTML shows it; a Markdown viewer
    /// builds its own outline from the headings.
    Contents(Vec<(String, String)>),
    /// Labelled values, as `(label, value)`. `standalone` marks a list that is a whole
    /// section's content (methods, data quality) rather than the fields of one item; HTML starts
    /// such a list on a line of its own.
    DefinitionList {
        items: Vec<(String, String)>,
        standalone: bool,
    },
    /// A bulleted list of plain items. An empty list still ends the text before it (a blank
    /// line in Markdown) but shows nothing.
    List(Vec<String>),
    Table(DataTable),
    /// A chart with its downloads. `id` anchors the chart's accessible title in HTML;
    /// `evidence_for` names the recommendations it supports.
    Figure {
        id: String,
        figure: Figure,
        evidence_for: String,
    },
    /// Text shown exactly as it is (the configuration file), introduced by `title`. HTML makes
    /// the title a heading at `level`.
    Code {
        title: String,
        level: usize,
        language: String,
        text: String,
    },
}

/// A span of text inside a heading or paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(String),
    /// The metric key of an analysis, shown after its title so readers can find the key the
    /// register cites.
    Key(String),
    /// A link to a heading of this document by its anchor. Markdown keeps only the text: the
    /// anchors are HTML's, and a Markdown renderer would not know them.
    Anchor {
        text: String,
        id: String,
    },
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
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

/// An empty register field shows as a dash, so a reader can tell "left blank" from "lost".
fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "—"
    } else {
        s
    }
}

/// An HTML anchor for a recommendation: its id with anything but ASCII letters and digits
/// turned into hyphens, so any id the register uses makes a valid fragment.
fn recommendation_anchor(r: &Recommendation) -> String {
    format!(
        "rec-{}",
        r.id.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    )
}

/// Where an analysis was first shown in full: the recommendation's id and the anchor of the
/// analysis's heading there.
struct FirstShown {
    recommendation: String,
    anchor: String,
}

/// Collects blocks, and the main sections for the contents as they are opened.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    sections: Vec<(String, String)>,
}

impl Builder {
    fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    fn heading(&mut self, level: usize, text: Vec<Inline>, id: Option<String>) {
        self.push(Block::Heading { level, text, id });
    }

    fn paragraph(&mut self, s: impl Into<String>) {
        self.push(Block::Paragraph(vec![text(s)]));
    }

    /// A main section: a second-level heading that the contents link to.
    fn section(&mut self, id: &str, title: impl Into<String>) {
        let title = title.into();
        self.sections.push((id.to_string(), title.clone()));
        self.heading(2, vec![text(title)], Some(id.to_string()));
    }

    /// An analysis in full: heading, finding, chart and table. `context` (the anchor of the
    /// section it appears in) keeps its anchor unique when it appears twice.
    fn evidence(&mut self, annex: &Annex, e: &Evidence, level: usize, context: &str) -> String {
        let id = format!("{context}-{}", e.key.replace('.', "-"));
        self.heading(level, evidence_title(e), Some(id.clone()));
        self.push(Block::Finding(vec![
            Inline::Strong("Finding:".into()),
            text(format!(" {}", e.finding)),
        ]));
        if let Some(f) = &e.figure {
            let cited: Vec<&str> = annex
                .cited_by(&e.key)
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            self.push(Block::Figure {
                id: id.clone(),
                figure: f.clone(),
                evidence_for: if cited.is_empty() {
                    "no recommendation yet".to_string()
                } else {
                    cited.join(", ")
                },
            });
        }
        self.push(Block::Table(e.table.clone()));
        id
    }

    /// Each EFLG module's recommendations with the evidence they cite, then the gaps both ways.
    fn recommendations(&mut self, annex: &Annex) {
        let doc = self;
        // Each analysis is shown in full under the first recommendation that cites it; later
        // citations repeat only the finding and point back there.
        let mut shown: BTreeMap<&str, FirstShown> = BTreeMap::new();
        for module in EflgModule::ALL {
            doc.section(
                &format!("module-{}", module.number()),
                format!("Module {}: {}", module.number(), module.name()),
            );
            let recs: Vec<&Recommendation> = annex
                .register
                .iter()
                .filter(|r| r.module == module)
                .collect();
            if recs.is_empty() {
                doc.paragraph("No recommendations under this module.");
            }
            for r in recs {
                let rid = recommendation_anchor(r);
                doc.heading(
                    3,
                    vec![text(format!("{}: {}", r.id, r.recommendation))],
                    Some(rid.clone()),
                );
                doc.push(Block::DefinitionList {
                    items: recommendation_fields(r)
                        .iter()
                        .map(|(label, value)| (label.to_string(), or_dash(value).to_string()))
                        .collect(),
                    standalone: false,
                });
                if r.evidence.is_empty() {
                    doc.paragraph("No evidence linked yet.");
                }
                for key in &r.evidence {
                    let Some(e) = annex.evidence(key) else {
                        continue;
                    };
                    if let Some(first) = shown.get(key.as_str()) {
                        doc.heading(4, evidence_title(e), None);
                        doc.push(Block::Finding(vec![
                            Inline::Strong("Finding:".into()),
                            text(format!(" {} The chart and table are under ", e.finding)),
                            Inline::Anchor {
                                text: first.recommendation.clone(),
                                id: first.anchor.clone(),
                            },
                            text("."),
                        ]));
                    } else {
                        let anchor = doc.evidence(annex, e, 4, &rid);
                        shown.insert(
                            key.as_str(),
                            FirstShown {
                                recommendation: r.id.clone(),
                                anchor,
                            },
                        );
                    }
                }
            }
        }

        doc.section("gaps", "Recommendations with no evidence yet");
        let none = annex.without_evidence();
        if none.is_empty() {
            doc.paragraph("Every recommendation has evidence linked.");
        }
        doc.push(Block::List(
            none.iter()
                .map(|r| format!("{}: {}", r.id, r.recommendation))
                .collect(),
        ));

        doc.section("unlinked", "Evidence linked to no recommendation");
        let unlinked = annex.unlinked_evidence();
        if unlinked.is_empty() {
            doc.paragraph("Every analysis is linked to at least one recommendation.");
        }
        for e in unlinked {
            doc.evidence(annex, e, 3, "unlinked");
        }
    }
}

/// An analysis's heading: its title, then its key.
fn evidence_title(e: &Evidence) -> Vec<Inline> {
    vec![text(format!("{} ", e.title)), Inline::Key(e.key.clone())]
}

impl Document {
    /// Lay out the annex: summary, then each EFLG module's recommendations with the evidence
    /// they cite, then the gaps both ways, methods, data quality and provenance.
    pub fn from_annex(annex: &Annex) -> Document {
        let mut doc = Builder::default();
        doc.heading(1, vec![text(&annex.title)], None);
        doc.paragraph(format!(
            "Generated by repgap {} on {}. Figures about staff are aggregates; [c] marks a figure withheld to protect individuals (see Methods, Disclosure control).",
            annex.version, annex.run_date
        ));
        // The contents go here, once every section is known.
        let contents_at = doc.blocks.len();

        doc.section("summary", "Summary");
        doc.push(Block::Table(annex.summary_table()));

        if annex.register.is_empty() {
            // No register: the evidence on its own, not four empty modules.
            doc.section("evidence", "Evidence");
            doc.paragraph("No recommendations register was given, so the evidence stands on its own. Add a [register] file to the configuration to show each analysis under the recommendations it supports.");
            for e in annex.unlinked_evidence() {
                doc.evidence(annex, e, 3, "evidence");
            }
        } else {
            doc.recommendations(annex);
        }

        for (id, title, items) in [
            ("methods", "Methods", &annex.methods),
            ("data-quality", "Data quality", &annex.data_quality),
        ] {
            doc.section(id, title);
            doc.push(Block::DefinitionList {
                items: items.clone(),
                standalone: true,
            });
        }

        doc.section("provenance", "Provenance");
        doc.push(Block::Table(annex.provenance_table()));
        doc.push(Block::Code {
            title: "Configuration used".into(),
            level: 3,
            language: "toml".into(),
            text: annex.config.clone(),
        });

        let Builder {
            mut blocks,
            sections,
        } = doc;
        blocks.insert(contents_at, Block::Contents(sections));
        Document {
            title: annex.title.clone(),
            blocks,
        }
    }
}
