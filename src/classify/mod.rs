//! Ethnicity classifications, held as data.
//!
//! The reporting frame is the Census 2021 classification for England and Wales: 19 categories in
//! 5 high-level groups (ONS, "Ethnic group classification", Census 2021). Every input — Census
//! 2011 labels, NHS data dictionary ethnic category codes, and the free text HR systems hold — is
//! mapped onto it by [`Classifier`]. Labels that say "not stated" are *not* a group: they are
//! counted for the declaration rate and left out of every share's denominator.
//!
//! Wording follows the Race Disparity Unit and ONS style guides: no "BAME"/"BME" in outputs,
//! "ethnic minorities" includes the White minorities, and groups are listed in ONS order.

mod aliases;
mod classifier;

pub use classifier::{normalise_label, Classifier, LabelCount, LONGEST_COMPARED};

use serde::Serialize;
use std::fmt;

/// The 5 high-level groups of the Census 2021 classification, in ONS order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum HighLevelGroup {
    Asian,
    Black,
    Mixed,
    White,
    Other,
}

impl HighLevelGroup {
    pub const ALL: [HighLevelGroup; 5] = [
        HighLevelGroup::Asian,
        HighLevelGroup::Black,
        HighLevelGroup::Mixed,
        HighLevelGroup::White,
        HighLevelGroup::Other,
    ];

    /// The exact Census 2021 label.
    pub fn label(self) -> &'static str {
        match self {
            HighLevelGroup::Asian => "Asian, Asian British or Asian Welsh",
            HighLevelGroup::Black => "Black, Black British, Black Welsh, Caribbean or African",
            HighLevelGroup::Mixed => "Mixed or Multiple ethnic groups",
            HighLevelGroup::White => "White",
            HighLevelGroup::Other => "Other ethnic group",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The short form used in chart labels ("Asian: Indian").
    pub fn short_label(self) -> &'static str {
        match self {
            HighLevelGroup::Asian => "Asian",
            HighLevelGroup::Black => "Black",
            HighLevelGroup::Mixed => "Mixed",
            HighLevelGroup::White => "White",
            HighLevelGroup::Other => "Other",
        }
    }

    /// The detailed categories in this group, in ONS order.
    pub fn categories(self) -> impl Iterator<Item = EthnicGroup> {
        EthnicGroup::ALL
            .into_iter()
            .filter(move |g| g.high_level() == self)
    }
}

/// The 19 categories of the Census 2021 classification, in ONS order. The discriminant + 1 is
/// the ONS custom-dataset code (1 Bangladeshi … 13 White British … 19 Any other ethnic group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EthnicGroup {
    Bangladeshi,
    Chinese,
    Indian,
    Pakistani,
    OtherAsian,
    African,
    Caribbean,
    OtherBlack,
    WhiteAndAsian,
    WhiteAndBlackAfrican,
    WhiteAndBlackCaribbean,
    OtherMixed,
    WhiteBritish,
    WhiteIrish,
    GypsyOrIrishTraveller,
    Roma,
    OtherWhite,
    Arab,
    AnyOther,
}

impl EthnicGroup {
    pub const ALL: [EthnicGroup; 19] = [
        EthnicGroup::Bangladeshi,
        EthnicGroup::Chinese,
        EthnicGroup::Indian,
        EthnicGroup::Pakistani,
        EthnicGroup::OtherAsian,
        EthnicGroup::African,
        EthnicGroup::Caribbean,
        EthnicGroup::OtherBlack,
        EthnicGroup::WhiteAndAsian,
        EthnicGroup::WhiteAndBlackAfrican,
        EthnicGroup::WhiteAndBlackCaribbean,
        EthnicGroup::OtherMixed,
        EthnicGroup::WhiteBritish,
        EthnicGroup::WhiteIrish,
        EthnicGroup::GypsyOrIrishTraveller,
        EthnicGroup::Roma,
        EthnicGroup::OtherWhite,
        EthnicGroup::Arab,
        EthnicGroup::AnyOther,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The ONS custom-dataset category code (1–19).
    pub fn ons_code(self) -> u32 {
        self as u32 + 1
    }

    pub fn from_ons_code(code: u32) -> Option<EthnicGroup> {
        EthnicGroup::ALL
            .get((code as usize).checked_sub(1)?)
            .copied()
    }

    pub fn high_level(self) -> HighLevelGroup {
        use EthnicGroup::*;
        match self {
            Bangladeshi | Chinese | Indian | Pakistani | OtherAsian => HighLevelGroup::Asian,
            African | Caribbean | OtherBlack => HighLevelGroup::Black,
            WhiteAndAsian | WhiteAndBlackAfrican | WhiteAndBlackCaribbean | OtherMixed => {
                HighLevelGroup::Mixed
            }
            WhiteBritish | WhiteIrish | GypsyOrIrishTraveller | Roma | OtherWhite => {
                HighLevelGroup::White
            }
            Arab | AnyOther => HighLevelGroup::Other,
        }
    }

    /// The category's own label, without its high-level group.
    pub fn category_label(self) -> &'static str {
        use EthnicGroup::*;
        match self {
            Bangladeshi => "Bangladeshi",
            Chinese => "Chinese",
            Indian => "Indian",
            Pakistani => "Pakistani",
            OtherAsian => "Other Asian",
            African => "African",
            Caribbean => "Caribbean",
            OtherBlack => "Other Black",
            WhiteAndAsian => "White and Asian",
            WhiteAndBlackAfrican => "White and Black African",
            WhiteAndBlackCaribbean => "White and Black Caribbean",
            OtherMixed => "Other Mixed or Multiple ethnic groups",
            WhiteBritish => "English, Welsh, Scottish, Northern Irish or British",
            WhiteIrish => "Irish",
            GypsyOrIrishTraveller => "Gypsy or Irish Traveller",
            Roma => "Roma",
            OtherWhite => "Other White",
            Arab => "Arab",
            AnyOther => "Any other ethnic group",
        }
    }

    /// The exact Census 2021 label, `High-level group: category`.
    pub fn label(self) -> String {
        format!("{}: {}", self.high_level().label(), self.category_label())
    }
}

/// What a raw label says about a person's ethnicity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Classified {
    /// One of the 19 categories.
    Group(EthnicGroup),
    /// Only the high-level group is known (e.g. "Asian", "Mixed").
    HighLevel(HighLevelGroup),
    /// An aggregate label such as "BAME" or "BME": some group other than White, which one is
    /// unknown. Usable only for the White vs ethnic minorities (excluding White minorities) split.
    MinorityExcludingWhite,
    /// White other than White British, which White category unknown: a label spanning two
    /// White categories ("Gypsy/Roma/Traveller" is Gypsy or Irish Traveller, and Roma).
    WhiteMinority,
    /// Not stated, prefer not to say, unknown or blank: not an ethnic group.
    NotStated,
}

impl Classified {
    /// A short description used in `repgap classify` output.
    pub fn describe(self) -> String {
        match self {
            Classified::Group(g) => g.label(),
            Classified::HighLevel(h) => format!("{} (high-level group only)", h.label()),
            Classified::MinorityExcludingWhite => {
                "Ethnic minorities (excluding White minorities), group not known".to_string()
            }
            Classified::WhiteMinority => {
                "White minorities (White other than British), category not known".to_string()
            }
            Classified::NotStated => "Not stated".to_string(),
        }
    }
}

/// The groups the ethnicity pay gap and the per-group relative likelihoods compare: White British
/// (the usual reference) and every other group on its own, with the White minorities (Irish,
/// Gypsy or Irish Traveller, Roma, Other White) kept apart from White British, as the ethnicity
/// pay reporting guidance asks (no bare White vs non-White split).
pub const COMPARISON_GROUPS: [&str; 6] = [
    "White British",
    "White minorities",
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "Other ethnic group",
];

/// The index into [`COMPARISON_GROUPS`] of a classified label; `None` when not stated or too
/// coarse to place (e.g. "White" alone, or "BME").
pub fn comparison_group(classified: Classified) -> Option<usize> {
    let high = |h: HighLevelGroup| match h {
        HighLevelGroup::Asian => Some(2),
        HighLevelGroup::Black => Some(3),
        HighLevelGroup::Mixed => Some(4),
        HighLevelGroup::Other => Some(5),
        HighLevelGroup::White => None,
    };
    match classified {
        Classified::Group(EthnicGroup::WhiteBritish) => Some(0),
        Classified::Group(g) if g.high_level() == HighLevelGroup::White => Some(1),
        Classified::Group(g) => high(g.high_level()),
        Classified::HighLevel(h) => high(h),
        Classified::WhiteMinority => Some(1),
        Classified::MinorityExcludingWhite | Classified::NotStated => None,
    }
}

/// The level at which groups are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The 19 Census 2021 categories.
    Detailed,
    /// The 5 high-level groups.
    High,
    /// White British vs all other ethnic groups combined.
    WhiteBritish,
    /// White (including White minorities) vs ethnic minorities (excluding White minorities).
    White,
    /// The 8 categories of Census 2021's cross-tabulated tables (RM018, RM038…): the 5
    /// high-level groups with White split into White British, White Irish, and Gypsy or Irish
    /// Traveller, Roma or Other White.
    EightCategories,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::High,
        Level::Detailed,
        Level::EightCategories,
        Level::WhiteBritish,
        Level::White,
    ];

    /// The name used on the command line and in the `level` output column.
    pub fn name(self) -> &'static str {
        match self {
            Level::Detailed => "detailed",
            Level::High => "high",
            Level::WhiteBritish => "white-british",
            Level::White => "white",
            Level::EightCategories => "eight-categories",
        }
    }

    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Levels named in a list (command line or config), each once, in the order given; the
    /// error is the first name that is not a level.
    pub fn parse_list<S: AsRef<str>>(names: &[S]) -> Result<Vec<Level>, String> {
        let mut levels = Vec::new();
        for name in names {
            let level = Level::parse(name.as_ref()).ok_or_else(|| name.as_ref().to_string())?;
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
        Ok(levels)
    }

    /// Group labels at this level, in ONS order.
    pub fn group_labels(self) -> Vec<String> {
        match self {
            Level::Detailed => EthnicGroup::ALL.iter().map(|g| g.label()).collect(),
            Level::High => HighLevelGroup::ALL
                .iter()
                .map(|h| h.label().to_string())
                .collect(),
            Level::WhiteBritish => {
                vec![
                    "White British".to_string(),
                    "All other ethnic groups combined".to_string(),
                ]
            }
            Level::White => vec![
                "White".to_string(),
                "Ethnic minorities (excluding White minorities)".to_string(),
            ],
            Level::EightCategories => EIGHT_CATEGORIES.iter().map(|l| l.to_string()).collect(),
        }
    }

    /// A short label for charts: detailed categories as "Asian: Indian".
    pub fn chart_label(self, bucket: usize) -> String {
        match self {
            Level::Detailed => {
                let g = EthnicGroup::ALL[bucket];
                format!("{}: {}", g.high_level().short_label(), g.category_label())
            }
            _ => self.group_labels()[bucket].clone(),
        }
    }

    /// How a sentence names the people in a group ("Asian staff", "Staff from any other ethnic
    /// group"), following the Race Disparity Unit's style guide.
    pub fn people_phrase(self, bucket: usize, people: &str) -> String {
        let cap = crate::text::capitalise;
        match self {
            Level::High => match HighLevelGroup::ALL[bucket] {
                HighLevelGroup::Mixed => {
                    cap(&format!("{people} from Mixed or Multiple ethnic groups"))
                }
                HighLevelGroup::Other => cap(&format!("{people} from the Other ethnic group")),
                h => format!("{} {people}", h.short_label()),
            },
            Level::Detailed => match EthnicGroup::ALL[bucket] {
                EthnicGroup::WhiteBritish => format!("White British {people}"),
                EthnicGroup::WhiteIrish => format!("White Irish {people}"),
                EthnicGroup::OtherMixed => cap(&format!(
                    "{people} from Other Mixed or Multiple ethnic groups"
                )),
                EthnicGroup::AnyOther => cap(&format!("{people} from any other ethnic group")),
                g => format!("{} {people}", g.category_label()),
            },
            Level::WhiteBritish if bucket == 0 => format!("White British {people}"),
            Level::WhiteBritish => cap(&format!("{people} from all other ethnic groups combined")),
            Level::White if bucket == 0 => format!("White {people}"),
            Level::White => cap(&format!(
                "{people} from ethnic minorities (excluding White minorities)"
            )),
            Level::EightCategories => match bucket {
                3 => format!("White British {people}"),
                4 => format!("White Irish {people}"),
                5 => cap(&format!(
                    "{people} from the Gypsy or Irish Traveller, Roma or Other White groups"
                )),
                b => Level::High.people_phrase(EIGHT_TO_HIGH[b], people),
            },
        }
    }

    /// The bucket whose label is `label`.
    pub fn bucket_of_label(self, label: &str) -> Option<usize> {
        self.group_labels().iter().position(|l| l == label)
    }

    /// A phrase naming the level, for titles.
    pub fn describe(self) -> &'static str {
        match self {
            Level::Detailed => "19 Census 2021 categories",
            Level::High => "5 high-level groups",
            Level::WhiteBritish => "White British and all other ethnic groups combined",
            Level::White => "White and ethnic minorities (excluding White minorities)",
            Level::EightCategories => "8 Census 2021 categories",
        }
    }

    pub fn group_count(self) -> usize {
        match self {
            Level::Detailed => 19,
            Level::High => 5,
            Level::WhiteBritish | Level::White => 2,
            Level::EightCategories => 7,
        }
    }

    /// The index of the group a classified label falls in at this level; `None` when the label
    /// says too little to place it (e.g. "Asian" at the detailed level) or is not stated.
    pub fn bucket(self, classified: Classified) -> Option<usize> {
        match (self, classified) {
            (_, Classified::NotStated) => None,
            (Level::Detailed, Classified::Group(g)) => Some(g.index()),
            (Level::Detailed, _) => None,
            (Level::High, Classified::Group(g)) => Some(g.high_level().index()),
            (Level::High, Classified::HighLevel(h)) => Some(h.index()),
            (Level::High, Classified::MinorityExcludingWhite) => None,
            (Level::High, Classified::WhiteMinority) => Some(HighLevelGroup::White.index()),
            (Level::WhiteBritish, Classified::WhiteMinority) => Some(1),
            (Level::White, Classified::WhiteMinority) => Some(0),
            (Level::WhiteBritish, Classified::Group(g)) => {
                Some(usize::from(g != EthnicGroup::WhiteBritish))
            }
            (Level::WhiteBritish, Classified::HighLevel(HighLevelGroup::White)) => None,
            (Level::WhiteBritish, Classified::HighLevel(_)) => Some(1),
            (Level::WhiteBritish, Classified::MinorityExcludingWhite) => Some(1),
            (Level::White, Classified::Group(g)) => {
                Some(usize::from(g.high_level() != HighLevelGroup::White))
            }
            (Level::White, Classified::HighLevel(h)) => {
                Some(usize::from(h != HighLevelGroup::White))
            }
            (Level::White, Classified::MinorityExcludingWhite) => Some(1),
            (Level::EightCategories, Classified::Group(g)) => Some(eight_bucket(g)),
            (Level::EightCategories, Classified::HighLevel(HighLevelGroup::White)) => None,
            (Level::EightCategories, Classified::HighLevel(h)) => {
                EIGHT_TO_HIGH.iter().position(|&b| b == h.index())
            }
            (Level::EightCategories, Classified::WhiteMinority) => None,
            (Level::EightCategories, Classified::MinorityExcludingWhite) => None,
        }
    }

    /// Which Census 2021 categories make up each group at this level (for population counts).
    pub fn members(self, group: usize) -> Vec<EthnicGroup> {
        EthnicGroup::ALL
            .into_iter()
            .filter(|g| self.bucket(Classified::Group(*g)) == Some(group))
            .collect()
    }
}

/// The labels of the 8-category classification's 7 groups (its eighth is "Does not apply"),
/// in ONS order.
const EIGHT_CATEGORIES: [&str; 7] = [
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Gypsy or Irish Traveller, Roma or Other White",
    "Other ethnic group",
];

/// The high-level group of each of the 8 categories' groups (the three White ones share one).
const EIGHT_TO_HIGH: [usize; 7] = [0, 1, 2, 3, 3, 3, 4];

fn eight_bucket(group: EthnicGroup) -> usize {
    match group {
        EthnicGroup::WhiteBritish => 3,
        EthnicGroup::WhiteIrish => 4,
        g if g.high_level() == HighLevelGroup::White => 5,
        g => match g.high_level() {
            HighLevelGroup::Other => 6,
            h => h.index(),
        },
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ons_codes_follow_table_order() {
        assert_eq!(
            EthnicGroup::from_ons_code(1),
            Some(EthnicGroup::Bangladeshi)
        );
        assert_eq!(
            EthnicGroup::from_ons_code(13),
            Some(EthnicGroup::WhiteBritish)
        );
        assert_eq!(EthnicGroup::from_ons_code(19), Some(EthnicGroup::AnyOther));
        assert_eq!(EthnicGroup::from_ons_code(0), None);
        assert_eq!(EthnicGroup::from_ons_code(20), None);
    }

    #[test]
    fn high_level_groups_have_the_census_sizes() {
        let sizes: Vec<usize> = HighLevelGroup::ALL
            .iter()
            .map(|h| h.categories().count())
            .collect();
        assert_eq!(sizes, vec![5, 3, 4, 5, 2]);
    }

    #[test]
    fn exact_census_2021_labels() {
        assert_eq!(
            EthnicGroup::WhiteBritish.label(),
            "White: English, Welsh, Scottish, Northern Irish or British"
        );
        assert_eq!(
            EthnicGroup::OtherBlack.label(),
            "Black, Black British, Black Welsh, Caribbean or African: Other Black"
        );
    }

    #[test]
    fn binary_levels_place_white_minorities_correctly() {
        let irish = Classified::Group(EthnicGroup::WhiteIrish);
        assert_eq!(Level::WhiteBritish.bucket(irish), Some(1));
        assert_eq!(Level::White.bucket(irish), Some(0));
        assert_eq!(
            Level::WhiteBritish.bucket(Classified::MinorityExcludingWhite),
            Some(1)
        );
        assert_eq!(
            Level::Detailed.bucket(Classified::MinorityExcludingWhite),
            None
        );
        assert_eq!(
            Level::WhiteBritish.bucket(Classified::HighLevel(HighLevelGroup::White)),
            None
        );
        assert_eq!(Level::High.bucket(Classified::NotStated), None);
        assert_eq!(Level::White.members(0).len(), 5);
        assert_eq!(Level::WhiteBritish.members(1).len(), 18);
    }
}
