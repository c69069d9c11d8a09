//! Census 2021 TS022 "Ethnic group (detailed)": 287 categories, each the answer to one of the
//! questionnaire's six sections (Asian; Black of African background; Black or Caribbean
//! background; Mixed; White; Other) with its write-in. Each rolls up to one of the 19
//! categories — the section's tick box when the answer is one ("Asian …: Indian or British
//! Indian" is Indian), else the section's "Other" (an Afghan answer under Asian is Other Asian).
//!
//! ONS publishes no lookup file, so the rule was derived from and is checked against the
//! published TS021 counts of the 10 Greater Manchester districts (`tests/test_census.rs`):
//! every category agrees to within the few people Census perturbation moves.

use crate::classify::{normalise_label, EthnicGroup, HighLevelGroup};

/// The sections of the detailed table, as its labels begin.
const SECTIONS: [(&str, Section); 6] = [
    ("asian asian british or asian welsh", Section::Asian),
    (
        "black black british black welsh of african background",
        Section::BlackAfrican,
    ),
    (
        "black black british black welsh or caribbean background",
        Section::BlackCaribbean,
    ),
    ("mixed or multiple ethnic groups", Section::Mixed),
    ("white", Section::White),
    ("other ethnic group", Section::Other),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Asian,
    BlackAfrican,
    BlackCaribbean,
    Mixed,
    White,
    Other,
}

impl Section {
    fn high_level(self) -> HighLevelGroup {
        match self {
            Section::Asian => HighLevelGroup::Asian,
            Section::BlackAfrican | Section::BlackCaribbean => HighLevelGroup::Black,
            Section::Mixed => HighLevelGroup::Mixed,
            Section::White => HighLevelGroup::White,
            Section::Other => HighLevelGroup::Other,
        }
    }

    /// The category of an answer in this section (normalised).
    fn category(self, answer: &str) -> EthnicGroup {
        use EthnicGroup::*;
        match (self, answer) {
            (Section::Asian, "bangladeshi british bangladeshi") => Bangladeshi,
            (Section::Asian, "chinese") => Chinese,
            (Section::Asian, "indian or british indian") => Indian,
            (Section::Asian, "pakistani or british pakistani") => Pakistani,
            (Section::Asian, _) => OtherAsian,
            (Section::BlackAfrican, _) => African,
            (Section::BlackCaribbean, "caribbean") => Caribbean,
            (Section::BlackCaribbean, "african unspecified") => African,
            (Section::BlackCaribbean, _) => OtherBlack,
            (Section::Mixed, "white and asian unspecified") => WhiteAndAsian,
            (Section::Mixed, "white and black african") => WhiteAndBlackAfrican,
            (Section::Mixed, "white and black caribbean") => WhiteAndBlackCaribbean,
            (Section::Mixed, _) => OtherMixed,
            (Section::White, "english welsh scottish northern irish or british" | "cornish") => {
                WhiteBritish
            }
            (Section::White, "irish") => WhiteIrish,
            (Section::White, "gypsy or irish traveller" | "other traveller") => {
                GypsyOrIrishTraveller
            }
            (Section::White, "roma") => Roma,
            (Section::White, _) => OtherWhite,
            (Section::Other, "arab") => Arab,
            (Section::Other, _) => AnyOther,
        }
    }
}

/// What a label of the detailed table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailedLabel {
    /// A section alone: the table's subtotal of the high-level group.
    Section(HighLevelGroup),
    /// An answer, and the category it rolls up to.
    Answer(EthnicGroup),
    /// Not a label of the detailed table.
    Unknown,
}

fn section_of(label: &str) -> Option<(Section, Option<String>)> {
    let (head, answer) = match label.split_once(':') {
        Some((head, answer)) => (head, Some(normalise_label(answer))),
        None => (label, None),
    };
    let head = normalise_label(head);
    SECTIONS
        .iter()
        .find(|(name, _)| *name == head)
        .map(|(_, section)| (*section, answer))
}

/// Whether a label can only come from the detailed table: one of its two Black sections,
/// which the 19-category tables do not have.
pub fn is_detailed(label: &str) -> bool {
    matches!(
        section_of(label),
        Some((Section::BlackAfrican | Section::BlackCaribbean, _))
    )
}

/// A label of the detailed table ("Asian, Asian British or Asian Welsh: Afghan").
pub fn detailed_label(label: &str) -> DetailedLabel {
    match section_of(label) {
        Some((section, None)) => DetailedLabel::Section(section.high_level()),
        Some((section, Some(answer))) => DetailedLabel::Answer(section.category(&answer)),
        None => DetailedLabel::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_roll_up_to_their_section_s_tick_box_or_its_other() {
        let roll = |l: &str| match detailed_label(l) {
            DetailedLabel::Answer(g) => Some(g),
            _ => None,
        };
        use EthnicGroup::*;
        assert_eq!(
            roll("Asian, Asian British or Asian Welsh: Indian or British Indian"),
            Some(Indian)
        );
        assert_eq!(
            roll("Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)"),
            Some(OtherAsian)
        );
        assert_eq!(
            roll("Other ethnic group: Nepali (includes Gurkha)"),
            Some(AnyOther)
        );
        assert_eq!(
            roll("Other ethnic group: Indian or British Indian"),
            Some(AnyOther)
        );
        assert_eq!(
            roll("Black, Black British, Black Welsh of African background: Arab"),
            Some(African)
        );
        assert_eq!(
            roll("Black, Black British, Black Welsh or Caribbean background: African unspecified"),
            Some(African)
        );
        assert_eq!(
            roll("Black, Black British, Black Welsh or Caribbean background: Somali"),
            Some(OtherBlack)
        );
        assert_eq!(
            roll("Mixed or Multiple ethnic groups: White and Asian (unspecified)"),
            Some(WhiteAndAsian)
        );
        assert_eq!(
            roll("Mixed or Multiple ethnic groups: White and South Asian"),
            Some(OtherMixed)
        );
        assert_eq!(roll("White: Cornish"), Some(WhiteBritish));
        assert_eq!(roll("White: Other Traveller"), Some(GypsyOrIrishTraveller));
        assert_eq!(roll("White: Polish"), Some(OtherWhite));
        assert_eq!(roll("Other ethnic group: Arab"), Some(Arab));
        assert_eq!(
            detailed_label("Asian, Asian British or Asian Welsh"),
            DetailedLabel::Section(HighLevelGroup::Asian)
        );
        assert_eq!(
            detailed_label("Total: All usual residents"),
            DetailedLabel::Unknown
        );
        assert!(is_detailed(
            "Black, Black British, Black Welsh of African background: Somali"
        ));
        assert!(!is_detailed("White: Irish"));
    }
}
