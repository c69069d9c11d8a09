//! The built-in table of labels repgap recognises.
//!
//! Labels are compared after [`super::normalise_label`], so this table lists each spelling once
//! and does not repeat case, punctuation, "&"/"and" or hyphen/colon/slash variants. Sources:
//! Census 2021 and 2011 labels (ONS), the NHS data dictionary "ethnic category" codes, and the
//! spellings HR systems commonly hold. A user's mapping file overrides and extends this table.

use super::{Classified, EthnicGroup, HighLevelGroup};
use EthnicGroup::*;

/// Ways a high-level group is written before a category ("Asian or Asian British - Indian").
fn prefixes(high: HighLevelGroup) -> &'static [&'static str] {
    match high {
        HighLevelGroup::Asian => &[
            "Asian",
            "Asian or Asian British",
            "Asian/Asian British",
            "Asian, Asian British or Asian Welsh",
            "Asian British",
            "Asian or Asian British or Asian Welsh",
        ],
        HighLevelGroup::Black => &[
            "Black",
            "Black or Black British",
            "Black/Black British",
            "Black/African/Caribbean/Black British",
            "Black/African/Caribbean",
            "Black, African or Caribbean",
            "Black, African, Caribbean or Black British",
            "Black, Black British, Black Welsh, Caribbean or African",
            "Black British",
        ],
        HighLevelGroup::Mixed => &[
            "Mixed",
            "Mixed or Multiple ethnic groups",
            "Mixed/multiple ethnic groups",
            "Mixed/multiple ethnic group",
            "Mixed or multiple ethnic group",
            "Mixed/multiple",
            "Mixed ethnic groups",
            "Dual heritage",
        ],
        HighLevelGroup::White => &["White"],
        HighLevelGroup::Other => &["Other ethnic group", "Other ethnic groups", "Other"],
    }
}

/// Category spellings that identify the category on their own ("Pakistani").
fn standalone(group: EthnicGroup) -> &'static [&'static str] {
    match group {
        Bangladeshi => &[
            "Bangladeshi",
            "British Bangladeshi",
            "Bangladeshi or British Bangladeshi",
        ],
        Chinese => &["Chinese", "British Chinese"],
        Indian => &["Indian", "British Indian", "Indian or British Indian"],
        Pakistani => &[
            "Pakistani",
            "British Pakistani",
            "Pakistani or British Pakistani",
        ],
        OtherAsian => &[
            "Other Asian",
            "Any other Asian background",
            "Other Asian background",
            "Asian other",
            // Census 2021 write-ins coded to Other Asian (TS022 "Ethnic group (detailed)").
            "Nepalese",
            "Nepali",
            "Gurkha",
            "Nepali (includes Gurkha)",
            "Sri Lankan",
        ],
        African => &[
            "African",
            "Black African",
            "Black British African",
            "African background",
            // Census 2021 write-ins coded to African (TS022).
            "Somali",
            "Somalilander",
            "Somali or Somalilander",
            "Nigerian",
            "Ghanaian",
            "Eritrean",
            "Ethiopian",
            "Sudanese",
            "Zimbabwean",
        ],
        Caribbean => &["Caribbean", "Black Caribbean", "Black British Caribbean"],
        OtherBlack => &[
            "Other Black",
            "Any other Black background",
            "Black other",
            "Other Black background",
            "Any other Black, Black British or Caribbean background",
            "Any other Black, African or Caribbean background",
            "Any other Black/African/Caribbean background",
        ],
        WhiteAndAsian => &["White and Asian", "Mixed White and Asian"],
        WhiteAndBlackAfrican => &["White and Black African", "Mixed White and Black African"],
        WhiteAndBlackCaribbean => &[
            "White and Black Caribbean",
            "Mixed White and Black Caribbean",
        ],
        OtherMixed => &[
            "Other Mixed",
            "Other Mixed or Multiple ethnic groups",
            "Any other Mixed background",
            "Any other Mixed or Multiple ethnic background",
            "Any other Mixed/Multiple ethnic background",
            "Other Mixed background",
            "Mixed other",
        ],
        WhiteBritish => &[
            "White British",
            "White English",
            "White Welsh",
            "White Scottish",
            "White Northern Irish",
            "White English/Welsh/Scottish/Northern Irish/British",
            "English, Welsh, Scottish, Northern Irish or British",
            "English/Welsh/Scottish/Northern Irish/British",
        ],
        WhiteIrish => &["Irish", "White Irish"],
        GypsyOrIrishTraveller => &[
            "Gypsy or Irish Traveller",
            "Gypsy",
            "Irish Traveller",
            "Traveller of Irish heritage",
            "Gypsy Traveller",
        ],
        Roma => &["Roma", "White Roma"],
        OtherWhite => &[
            "Other White",
            "Any other White background",
            "White other",
            "Other White background",
            // Census 2021 write-ins coded to Other White (TS022).
            "Polish",
            "Romanian",
            "Italian",
            "Portuguese",
            "Lithuanian",
            "Bulgarian",
            "Latvian",
            "Hungarian",
            "Spanish",
            "French",
            "German",
        ],
        Arab => &["Arab"],
        AnyOther => &[
            "Any other ethnic group",
            "Any other ethnic background",
            "Other ethnic background",
            "Any other group",
        ],
    }
}

/// Category spellings that are only unambiguous after a group prefix ("Asian - Other").
fn after_prefix(group: EthnicGroup) -> &'static [&'static str] {
    match group {
        OtherAsian | OtherBlack | OtherMixed | OtherWhite => &[
            "Other",
            "Any other",
            "Other background",
            "Any other background",
        ],
        WhiteBritish => &[
            "British",
            "English",
            "Welsh",
            "Scottish",
            "Northern Irish",
            "English or Welsh or Scottish or Northern Irish or British",
        ],
        AnyOther => &["Any other", "Any other ethnic group"],
        _ => &[],
    }
}

/// NHS data dictionary ethnic category codes (2001 classification; R Chinese sits under
/// Other there and under Asian in 2021).
const NHS_CODES: [(&str, &str, Classified); 17] = [
    ("A", "White - British", Classified::Group(WhiteBritish)),
    ("B", "White - Irish", Classified::Group(WhiteIrish)),
    (
        "C",
        "White - Any other White background",
        Classified::Group(OtherWhite),
    ),
    (
        "D",
        "Mixed - White and Black Caribbean",
        Classified::Group(WhiteAndBlackCaribbean),
    ),
    (
        "E",
        "Mixed - White and Black African",
        Classified::Group(WhiteAndBlackAfrican),
    ),
    (
        "F",
        "Mixed - White and Asian",
        Classified::Group(WhiteAndAsian),
    ),
    (
        "G",
        "Mixed - Any other mixed background",
        Classified::Group(OtherMixed),
    ),
    (
        "H",
        "Asian or Asian British - Indian",
        Classified::Group(Indian),
    ),
    (
        "J",
        "Asian or Asian British - Pakistani",
        Classified::Group(Pakistani),
    ),
    (
        "K",
        "Asian or Asian British - Bangladeshi",
        Classified::Group(Bangladeshi),
    ),
    (
        "L",
        "Asian or Asian British - Any other Asian background",
        Classified::Group(OtherAsian),
    ),
    (
        "M",
        "Black or Black British - Caribbean",
        Classified::Group(Caribbean),
    ),
    (
        "N",
        "Black or Black British - African",
        Classified::Group(African),
    ),
    (
        "P",
        "Black or Black British - Any other Black background",
        Classified::Group(OtherBlack),
    ),
    (
        "R",
        "Other Ethnic Groups - Chinese",
        Classified::Group(Chinese),
    ),
    (
        "S",
        "Other Ethnic Groups - Any other ethnic group",
        Classified::Group(AnyOther),
    ),
    ("Z", "Not stated", Classified::NotStated),
];

/// Labels spanning White categories other than White British: a White minority, category
/// unknown.
const WHITE_MINORITY: &[&str] = &[
    "Gypsy/Roma/Traveller",
    "Gypsy, Roma and Traveller",
    "Gypsy, Roma or Traveller",
    "Gypsy Roma Traveller",
    "GRT",
    "White: Gypsy, Roma or Traveller",
    "White other than British",
    "White non-British",
    "White minority",
    "White minorities",
];

const NOT_STATED: &[&str] = &[
    "",
    "Not stated",
    "Prefer not to say",
    "Prefer not to state",
    "Prefer not to disclose",
    "I prefer not to say",
    "Do not wish to disclose",
    "I do not wish to disclose my ethnic origin",
    "Not disclosed",
    "Not declared",
    "Undeclared",
    "Not known",
    "Unknown",
    "Not recorded",
    "Not specified",
    "Not given",
    "Declined",
    "Refused",
    "Information refused",
    "Withheld",
    "Does not apply",
    "N/A",
    "NA",
    "-",
    "99",
];

/// Aggregates of several groups that inputs still use. Accepted as labels; never written.
const MINORITY_AGGREGATES: &[&str] = &[
    "BAME",
    "BME",
    "Black, Asian and minority ethnic",
    "Black and minority ethnic",
    "Black, Asian and Minority Ethnic (BAME)",
    "Black and Minority Ethnic (BME)",
];

/// Every built-in (label, meaning) pair, most specific first. Normalised labels are unique;
/// a unit test in `classifier` guards that no two entries disagree.
pub(super) fn builtin() -> Vec<(String, Classified)> {
    let mut table: Vec<(String, Classified)> = Vec::new();
    for group in EthnicGroup::ALL {
        let meaning = Classified::Group(group);
        table.push((group.label(), meaning));
        for spelling in standalone(group) {
            table.push((spelling.to_string(), meaning));
        }
        for prefix in prefixes(group.high_level()) {
            for spelling in standalone(group).iter().chain(after_prefix(group)) {
                table.push((format!("{prefix}: {spelling}"), meaning));
            }
            table.push((format!("{prefix}: {}", group.category_label()), meaning));
        }
    }
    for high in HighLevelGroup::ALL {
        table.push((high.label().to_string(), Classified::HighLevel(high)));
        for prefix in prefixes(high) {
            table.push((prefix.to_string(), Classified::HighLevel(high)));
        }
    }
    for (code, description, meaning) in NHS_CODES {
        table.push((code.to_string(), meaning));
        table.push((description.to_string(), meaning));
    }
    table.push((
        "Other Ethnic Groups: Arab".to_string(),
        Classified::Group(Arab),
    ));
    for label in NOT_STATED {
        table.push((label.to_string(), Classified::NotStated));
    }
    for label in WHITE_MINORITY {
        table.push((label.to_string(), Classified::WhiteMinority));
    }
    for label in MINORITY_AGGREGATES {
        table.push((label.to_string(), Classified::MinorityExcludingWhite));
    }
    table
}
