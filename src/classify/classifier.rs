//! Turning raw labels into [`Classified`] values.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{aliases, Classified};
use crate::error::{Error, Result, UnmappedLabel};

/// Lower-case, "&" → "and", every run of punctuation or whitespace → one space.
///
/// This is what makes "Asian or Asian British - Indian", "Asian/Asian British: Indian" and
/// "asian & asian british indian" compare equal without listing every spelling.
/// Write-in prompts that forms put after an answer, as normalised text.
const WRITE_IN_PROMPTS: [&str; 6] = [
    "please specify",
    "please state",
    "please describe",
    "please write in",
    "specify",
    "write in",
];

/// How close (Jaro–Winkler) a known label must be to be suggested. Typos ("Pakistanni",
/// "Carribean") score above 0.9; at 0.75 "Somali" was suggested as "Roma".
const SUGGESTION_SCORE: f64 = 0.88;

pub fn normalise_label(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for ch in raw.chars() {
        if ch == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            pending_space = true;
        } else if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Entry {
    meaning: Classified,
    /// The spelling shown to users when suggesting this entry.
    display: String,
}

/// Maps raw ethnicity labels to the Census 2021 frame: the built-in table, overridden and
/// extended by an optional user mapping file.
#[derive(Debug, Clone)]
pub struct Classifier {
    entries: HashMap<String, Entry>,
}

/// How many rows carry one distinct raw label, and what it maps to.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelCount {
    pub label: String,
    pub rows: usize,
    pub first_row: u64,
    pub meaning: Option<Classified>,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::builtin()
    }
}

/// Labels longer than this (in bytes) get no "closest known label": see [`Classifier::closest`].
pub const LONGEST_COMPARED: usize = 200;

impl Classifier {
    /// The built-in table only.
    pub fn builtin() -> Classifier {
        let mut entries = HashMap::new();
        for (label, meaning) in aliases::builtin() {
            entries.entry(normalise_label(&label)).or_insert(Entry {
                meaning,
                display: label,
            });
        }
        Classifier { entries }
    }

    /// Lay a user's label over the table: `raw` now means `meaning` (see
    /// [`crate::ingest::mapping`] for the mapping file).
    pub fn add_label(&mut self, raw: &str, meaning: Classified) {
        self.entries.insert(
            normalise_label(raw),
            Entry {
                meaning,
                display: raw.to_string(),
            },
        );
    }

    pub fn classify(&self, raw: &str) -> Option<Classified> {
        let key = normalise_label(raw);
        self.entries
            .get(&key)
            .or_else(|| {
                // A form's write-in prompt is not part of the answer: "Other (please
                // specify)" is "Other".
                WRITE_IN_PROMPTS.iter().find_map(|prompt| {
                    key.strip_suffix(prompt)
                        .map(str::trim_end)
                        .filter(|k| !k.is_empty())
                        .and_then(|k| self.entries.get(k))
                })
            })
            .map(|e| e.meaning)
    }

    /// The known label nearest to `raw` (Jaro–Winkler on normalised text), if any is close.
    pub fn closest(&self, raw: &str) -> Option<String> {
        // No known label is near this long, and comparing costs the label's length for each of
        // the hundreds of known labels: a megabyte cell would take minutes to be told "unknown".
        if raw.len() > LONGEST_COMPARED {
            return None;
        }
        let key = normalise_label(raw);
        self.entries
            .iter()
            .filter(|(k, _)| !k.is_empty() && k.len() > 1)
            .map(|(k, e)| (strsim::jaro_winkler(&key, k), k, e))
            .filter(|(score, _, _)| *score >= SUGGESTION_SCORE)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, _, e)| format!("{} (= {})", e.display, e.meaning.describe()))
    }

    /// Count distinct labels in `(row, label)` pairs and classify each.
    pub fn count_labels<'a>(
        &self,
        labels: impl IntoIterator<Item = (u64, &'a str)>,
    ) -> Vec<LabelCount> {
        let mut counts: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for (row, label) in labels {
            let entry = counts.entry(label).or_insert((0, row));
            entry.0 += 1;
        }
        counts
            .into_iter()
            .map(|(label, (rows, first_row))| LabelCount {
                label: label.to_string(),
                rows,
                first_row,
                meaning: self.classify(label),
            })
            .collect()
    }

    /// Classify every label, or fail listing each distinct unmapped label with its count and
    /// the closest known label.
    pub fn classify_all<'a>(
        &self,
        path: &Path,
        column: &str,
        labels: impl IntoIterator<Item = (u64, &'a str)> + Clone,
    ) -> Result<Vec<Classified>> {
        let unmapped: Vec<UnmappedLabel> = self
            .count_labels(labels.clone())
            .into_iter()
            .filter(|c| c.meaning.is_none())
            .map(|c| UnmappedLabel {
                closest: self.closest(&c.label),
                label: c.label,
                rows: c.rows,
                first_row: c.first_row,
            })
            .collect();
        if !unmapped.is_empty() {
            return Err(Error::UnmappedLabels {
                path: path.to_path_buf(),
                column: column.to_string(),
                labels: unmapped,
            });
        }
        // Normalise each distinct label once, not once per row.
        let mut known: HashMap<&str, Classified> = HashMap::new();
        Ok(labels
            .into_iter()
            .map(|(_, label)| {
                *known
                    .entry(label)
                    .or_insert_with(|| self.classify(label).expect("checked above"))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EthnicGroup, HighLevelGroup};
    use super::*;

    fn group(raw: &str) -> Option<Classified> {
        Classifier::builtin().classify(raw)
    }

    #[test]
    fn normalisation_folds_case_punctuation_and_ampersand() {
        assert_eq!(
            normalise_label("  Asian/Asian British:  Indian "),
            "asian asian british indian"
        );
        assert_eq!(
            normalise_label("White & Black-Caribbean"),
            "white and black caribbean"
        );
        assert_eq!(
            normalise_label("Mixed: White&Asian"),
            "mixed white and asian"
        );
        assert_eq!(normalise_label(""), "");
    }

    #[test]
    fn built_in_table_has_no_conflicting_spellings() {
        let mut seen: HashMap<String, (String, Classified)> = HashMap::new();
        let mut conflicts = Vec::new();
        for (label, meaning) in aliases::builtin() {
            let key = normalise_label(&label);
            if let Some((other, m)) = seen.get(&key) {
                if *m != meaning {
                    conflicts.push(format!("{label:?} vs {other:?}"));
                }
            } else {
                seen.insert(key, (label, meaning));
            }
        }
        assert!(conflicts.is_empty(), "conflicts: {conflicts:#?}");
    }

    #[test]
    fn census_2021_labels_map_to_themselves() {
        for g in EthnicGroup::ALL {
            assert_eq!(
                group(&g.label()),
                Some(Classified::Group(g)),
                "{}",
                g.label()
            );
        }
        for h in HighLevelGroup::ALL {
            assert_eq!(group(h.label()), Some(Classified::HighLevel(h)));
        }
    }

    #[test]
    fn census_2011_labels() {
        use EthnicGroup::*;
        let cases = [
            (
                "White: English/Welsh/Scottish/Northern Irish/British",
                WhiteBritish,
            ),
            ("White: Gypsy or Irish Traveller", GypsyOrIrishTraveller),
            ("Mixed/multiple ethnic group: Other Mixed", OtherMixed),
            (
                "Mixed/multiple ethnic groups: White and Asian",
                WhiteAndAsian,
            ),
            ("Asian/Asian British: Other Asian", OtherAsian),
            (
                "Black/African/Caribbean/Black British: Other Black",
                OtherBlack,
            ),
            ("Black/African/Caribbean/Black British: African", African),
            ("Other ethnic group: Arab", Arab),
            ("Other ethnic group: Any other ethnic group", AnyOther),
        ];
        for (label, expected) in cases {
            assert_eq!(group(label), Some(Classified::Group(expected)), "{label}");
        }
    }

    #[test]
    fn nhs_codes_and_hr_spellings() {
        use EthnicGroup::*;
        assert_eq!(group("A"), Some(Classified::Group(WhiteBritish)));
        assert_eq!(group("r"), Some(Classified::Group(Chinese)));
        assert_eq!(group("Z"), Some(Classified::NotStated));
        assert_eq!(
            group("Asian or Asian British - Indian"),
            Some(Classified::Group(Indian))
        );
        assert_eq!(group("Nepalese"), Some(Classified::Group(OtherAsian)));
        assert_eq!(group("Gurkha"), Some(Classified::Group(OtherAsian)));
        assert_eq!(group("White - Other"), Some(Classified::Group(OtherWhite)));
        assert_eq!(group("Black: Other"), Some(Classified::Group(OtherBlack)));
        assert_eq!(group("Prefer not to say"), Some(Classified::NotStated));
        assert_eq!(group("   "), Some(Classified::NotStated));
        assert_eq!(group("BME"), Some(Classified::MinorityExcludingWhite));
        assert_eq!(
            group("Asian"),
            Some(Classified::HighLevel(HighLevelGroup::Asian))
        );
        assert_eq!(group("Martian"), None);
        // "British" alone could be any group: the user must say what it means.
        assert_eq!(group("British"), None);
    }

    #[test]
    fn closest_label_is_suggested_for_typos() {
        let c = Classifier::builtin();
        let suggestion = c.closest("Pakistanni").unwrap();
        assert!(suggestion.starts_with("Pakistani"), "{suggestion}");
        // A megabyte cell is not compared (it took minutes): no suggestion, at once.
        assert_eq!(c.closest(&"Pakistanni ".repeat(100_000)), None);
        assert!(c.closest("Carribean").unwrap().starts_with("Caribbean"));
        // Suggestions that would mislead are not made.
        for far in ["Kurdish", "Turkish Cypriot", "Latin American", "Jewish"] {
            assert_eq!(c.closest(far), None, "{far}");
        }
    }

    /// Every answer of the Census 2021 and 2011 questionnaires for England and Wales, as the
    /// forms print them, and the labels councils' forms use for groups that span categories.
    #[test]
    fn every_census_questionnaire_answer_and_common_form_labels() {
        use EthnicGroup::*;
        let cases: Vec<(&str, Classified)> = vec![
            // Census 2021 (section: answer).
            ("White: English, Welsh, Scottish, Northern Irish or British", Classified::Group(WhiteBritish)),
            ("White: Irish", Classified::Group(WhiteIrish)),
            ("White: Gypsy or Irish Traveller", Classified::Group(GypsyOrIrishTraveller)),
            ("White: Roma", Classified::Group(Roma)),
            ("White: Any other White background", Classified::Group(OtherWhite)),
            ("Mixed or Multiple ethnic groups: White and Black Caribbean", Classified::Group(WhiteAndBlackCaribbean)),
            ("Mixed or Multiple ethnic groups: White and Black African", Classified::Group(WhiteAndBlackAfrican)),
            ("Mixed or Multiple ethnic groups: White and Asian", Classified::Group(WhiteAndAsian)),
            ("Mixed or Multiple ethnic groups: Any other Mixed or Multiple ethnic background", Classified::Group(OtherMixed)),
            ("Asian, Asian British or Asian Welsh: Indian", Classified::Group(Indian)),
            ("Asian, Asian British or Asian Welsh: Pakistani", Classified::Group(Pakistani)),
            ("Asian, Asian British or Asian Welsh: Bangladeshi", Classified::Group(Bangladeshi)),
            ("Asian, Asian British or Asian Welsh: Chinese", Classified::Group(Chinese)),
            ("Asian, Asian British or Asian Welsh: Any other Asian background", Classified::Group(OtherAsian)),
            ("Black, Black British, Black Welsh, Caribbean or African: Caribbean", Classified::Group(Caribbean)),
            ("Black, Black British, Black Welsh, Caribbean or African: African background", Classified::Group(African)),
            ("Black, Black British, Black Welsh, Caribbean or African: Any other Black, Black British or Caribbean background", Classified::Group(OtherBlack)),
            ("Other ethnic group: Arab", Classified::Group(Arab)),
            ("Other ethnic group: Any other ethnic group", Classified::Group(AnyOther)),
            // Census 2011.
            ("White: English/Welsh/Scottish/Northern Irish/British", Classified::Group(WhiteBritish)),
            ("Mixed/multiple ethnic groups: White and Black Caribbean", Classified::Group(WhiteAndBlackCaribbean)),
            ("Mixed/multiple ethnic groups: Any other Mixed/multiple ethnic background", Classified::Group(OtherMixed)),
            ("Asian/Asian British: Indian", Classified::Group(Indian)),
            ("Asian/Asian British: Any other Asian background", Classified::Group(OtherAsian)),
            ("Black/African/Caribbean/Black British: African", Classified::Group(African)),
            ("Black/African/Caribbean/Black British: Caribbean", Classified::Group(Caribbean)),
            ("Black/African/Caribbean/Black British: Any other Black/African/Caribbean background", Classified::Group(OtherBlack)),
            // Forms and HR systems.
            ("Black/African/Caribbean", Classified::HighLevel(HighLevelGroup::Black)),
            ("Gypsy/Roma/Traveller", Classified::WhiteMinority),
            ("Gypsy, Roma and Traveller", Classified::WhiteMinority),
            ("Somali", Classified::Group(African)),
            ("Polish", Classified::Group(OtherWhite)),
            ("Other (please specify)", Classified::HighLevel(HighLevelGroup::Other)),
            ("Any other Asian background (please specify)", Classified::Group(OtherAsian)),
            ("Mixed - Other (please state)", Classified::Group(OtherMixed)),
        ];
        let mut wrong = Vec::new();
        for (label, expected) in cases {
            if group(label) != Some(expected) {
                wrong.push(format!(
                    "{label}: {:?}, expected {expected:?}",
                    group(label)
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn unmapped_labels_are_listed_with_counts() {
        let c = Classifier::builtin();
        let rows = [
            (2, "Indian"),
            (3, "Martian"),
            (4, "Martian"),
            (5, "Whte British"),
        ];
        let err = c
            .classify_all(Path::new("hr.csv"), "ethnicity", rows)
            .unwrap_err();
        match err {
            Error::UnmappedLabels { labels, .. } => {
                assert_eq!(labels.len(), 2);
                assert_eq!(
                    (
                        labels[0].label.as_str(),
                        labels[0].rows,
                        labels[0].first_row
                    ),
                    ("Martian", 2, 3)
                );
                assert!(labels[1]
                    .closest
                    .as_deref()
                    .unwrap()
                    .starts_with("White British"));
            }
            other => panic!("unexpected {other}"),
        }
    }
}
