//! Which residents a workforce is compared with, and how a cross-tabulated Census table's other
//! variables (age, sex, economic activity, gender identity…) are cut or summed to give them.
//!
//! A table that crosses ethnic group with age (RM032, DC2101EW) can give any age range whose
//! ends fall on its band edges; a table of residents aged 16 and over (RM038, RM018) gives the
//! 16+ population by summing its other variable; economic activity (RM018) gives the
//! economically active. A variable the comparator does not restrict is read at its total, or
//! summed over its categories when the table has no total.

use serde::Serialize;

use crate::classify::normalise_label;

/// The residents a workforce is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "comparator")]
pub enum Comparator {
    AllResidents,
    AgedSixteenPlus,
    /// Residents aged `from` to `to` inclusive (16–64 unless configured).
    WorkingAge {
        from: u32,
        to: u32,
    },
    /// Economically active residents aged 16 and over (in work or looking for work).
    EconomicallyActive,
}

/// The comparator as a config or the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComparatorName {
    AllResidents,
    #[serde(rename = "aged-16-plus")]
    AgedSixteenPlus,
    WorkingAge,
    EconomicallyActive,
}

impl ComparatorName {
    pub const NAMES: [&'static str; 4] = [
        "all-residents",
        "aged-16-plus",
        "working-age",
        "economically-active",
    ];

    pub fn parse(name: &str) -> Option<ComparatorName> {
        let all = [
            ComparatorName::AllResidents,
            ComparatorName::AgedSixteenPlus,
            ComparatorName::WorkingAge,
            ComparatorName::EconomicallyActive,
        ];
        Self::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name.trim()))
            .map(|i| all[i])
    }

    /// The comparator, with the age range for working age (16–64 when not given); the error
    /// says what is wrong with the ages.
    pub fn with_ages(self, ages: Option<[u32; 2]>) -> Result<Comparator, String> {
        if ages.is_some() && self != ComparatorName::WorkingAge {
            return Err("ages are for comparator = \"working-age\" only".to_string());
        }
        Ok(match self {
            ComparatorName::AllResidents => Comparator::AllResidents,
            ComparatorName::AgedSixteenPlus => Comparator::AgedSixteenPlus,
            ComparatorName::WorkingAge => {
                let [from, to] = ages.unwrap_or([16, 64]);
                if from > to || to > 120 {
                    return Err(format!(
                        "ages {from} to {to} are not a range of ages (from the lower to the upper, both included)"
                    ));
                }
                Comparator::WorkingAge { from, to }
            }
            ComparatorName::EconomicallyActive => Comparator::EconomicallyActive,
        })
    }
}

impl Comparator {
    /// The people compared with, for titles and methods: "usual residents aged 16 and over".
    pub fn people(self) -> String {
        match self {
            Comparator::AllResidents => "usual residents".to_string(),
            Comparator::AgedSixteenPlus => "usual residents aged 16 and over".to_string(),
            Comparator::WorkingAge { from, to } => {
                format!("working-age residents ({from}\u{2013}{to})")
            }
            Comparator::EconomicallyActive => {
                "economically active residents aged 16 and over".to_string()
            }
        }
    }

    /// The residents in a sentence ("against 14.9% of residents aged 16 and over"): plain
    /// "residents" for all usual residents.
    pub fn residents(self) -> String {
        match self {
            Comparator::AllResidents => "residents".to_string(),
            Comparator::AgedSixteenPlus => "residents aged 16 and over".to_string(),
            Comparator::WorkingAge { from, to } => {
                format!("working-age residents ({from}\u{2013}{to})")
            }
            Comparator::EconomicallyActive => "economically active residents".to_string(),
        }
    }

    /// The comparator as a config names it, and its ages (see [`ComparatorName::with_ages`]).
    pub fn name_only(self) -> ComparatorName {
        match self {
            Comparator::AllResidents => ComparatorName::AllResidents,
            Comparator::AgedSixteenPlus => ComparatorName::AgedSixteenPlus,
            Comparator::WorkingAge { .. } => ComparatorName::WorkingAge,
            Comparator::EconomicallyActive => ComparatorName::EconomicallyActive,
        }
    }

    pub fn age_range(self) -> Option<[u32; 2]> {
        match self {
            Comparator::WorkingAge { from, to } => Some([from, to]),
            _ => None,
        }
    }

    /// The name a config uses.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::AllResidents => "all-residents",
            Comparator::AgedSixteenPlus => "aged-16-plus",
            Comparator::WorkingAge { .. } => "working-age",
            Comparator::EconomicallyActive => "economically-active",
        }
    }

    /// The ages the comparator covers: `(from, to)`, `to` `None` for no upper limit.
    pub fn ages(self) -> (u32, Option<u32>) {
        match self {
            Comparator::AllResidents => (0, None),
            Comparator::AgedSixteenPlus | Comparator::EconomicallyActive => (16, None),
            Comparator::WorkingAge { from, to } => (from, Some(to)),
        }
    }
}

/// What a table's variable other than area and ethnic group is, for choosing its categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    Age,
    EconomicActivity,
    /// Any other (sex, gender identity, …): read at its total or summed.
    Other,
}

impl VariableKind {
    pub fn of(name: &str) -> VariableKind {
        let key = normalise_label(name);
        if key.contains("economic activity") {
            VariableKind::EconomicActivity
        } else if key == "age" || key.starts_with("age ") {
            VariableKind::Age
        } else {
            VariableKind::Other
        }
    }
}

/// Variables the Census asks only of residents aged 16 and over: a table crossing ethnic group
/// with one of them counts residents aged 16 and over.
const ASKED_OF_SIXTEEN_PLUS: [&str; 11] = [
    "gender identity",
    "sexual orientation",
    "economic activity",
    "occupation",
    "industry",
    "socio economic",
    "qualification",
    "hours worked",
    "armed forces",
    "veteran",
    "travel to work",
];

/// Whether a table with these variables counts only residents aged 16 and over.
pub fn counts_sixteen_plus(variables: &[String]) -> bool {
    variables.iter().any(|v| {
        let key = normalise_label(v);
        ASKED_OF_SIXTEEN_PLUS.iter().any(|w| key.contains(w))
    })
}

/// A category of a variable, as far as choosing categories goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// "All persons", "Total", "All categories: Age".
    Total,
    /// "Does not apply": 0 for usual residents of the table's population.
    DoesNotApply,
    /// Ages `from` to `to` inclusive (`to` `None`: and over).
    Ages(u32, Option<u32>),
    Other,
}

/// What a category label of a variable of `kind` is.
pub fn category(kind: VariableKind, label: &str) -> Category {
    let key = normalise_label(label);
    if key == "total"
        || key.starts_with("total ")
        || key.starts_with("all ")
        || key.ends_with(" total")
    {
        return Category::Total;
    }
    if key == "does not apply" {
        return Category::DoesNotApply;
    }
    if kind == VariableKind::Age {
        if let Some((from, to)) = age_band(label) {
            return Category::Ages(from, to);
        }
    }
    Category::Other
}

/// Reads an age band: "Age 16 to 17", "Aged 24 years and under", "Aged under 1 year",
/// "Aged 65 years and over", "Age 15", "Aged 90+".
pub fn age_band(label: &str) -> Option<(u32, Option<u32>)> {
    // "90+" would lose its plus to the normalising.
    let key = normalise_label(&label.replace('+', " and over"));
    let words: Vec<&str> = key
        .split(' ')
        .filter(|w| !matches!(*w, "age" | "aged" | "ages" | "year" | "years" | "old"))
        .collect();
    let number = |w: &str| w.parse::<u32>().ok();
    match words.as_slice() {
        [n] => number(n).map(|n| (n, Some(n))),
        ["under", n] => Some((0, Some(number(n)?.checked_sub(1)?))),
        [n, "and", "under"] => Some((0, Some(number(n)?))),
        [n, "and", "over"] | [n, "or", "over"] | [n, "and", "older"] => Some((number(n)?, None)),
        [a, "to", b] | [a, b] => {
            let (a, b) = (number(a)?, number(b)?);
            (a <= b).then_some((a, Some(b)))
        }
        _ => None,
    }
}

/// Describes an age band as a table writes it in a message: "16–17", "85+".
pub fn describe_band((from, to): (u32, Option<u32>)) -> String {
    match to {
        Some(to) if to == from => from.to_string(),
        Some(to) => format!("{from}\u{2013}{to}"),
        None => format!("{from}+"),
    }
}

/// The bands (indices into `bands`) that together cover exactly `from` to `to`, none
/// overlapping; `None` when the bands do not split at those ages.
pub fn tile(bands: &[(u32, Option<u32>)], from: u32, to: Option<u32>) -> Option<Vec<usize>> {
    // From each start age, try the bands that start there, longest first, and backtrack: tables
    // offer overlapping bands (a 16–24 beside 16–17 and 18–24) and any one tiling will do.
    fn cover(
        bands: &[(u32, Option<u32>)],
        at: u32,
        to: Option<u32>,
        chosen: &mut Vec<usize>,
    ) -> bool {
        let mut starting: Vec<usize> = (0..bands.len()).filter(|&i| bands[i].0 == at).collect();
        starting.sort_by_key(|&i| std::cmp::Reverse(bands[i].1.unwrap_or(u32::MAX)));
        for i in starting {
            let end = bands[i].1;
            let fits = match (end, to) {
                (_, None) => true,
                (Some(e), Some(t)) => e <= t,
                (None, Some(_)) => false,
            };
            if !fits {
                continue;
            }
            chosen.push(i);
            let done = match (end, to) {
                (None, None) => true,
                (Some(e), Some(t)) if e == t => true,
                // A band ending at the largest age there is leaves nothing to cover after it.
                (Some(e), _) => e
                    .checked_add(1)
                    .is_some_and(|next| cover(bands, next, to, chosen)),
                (None, Some(_)) => false,
            };
            if done {
                return true;
            }
            chosen.pop();
        }
        false
    }
    let mut chosen = Vec::new();
    cover(bands, from, to, &mut chosen).then_some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_as_the_census_writes_them() {
        assert_eq!(age_band("Age 16 to 17"), Some((16, Some(17))));
        assert_eq!(age_band("Aged 24 years and under"), Some((0, Some(24))));
        assert_eq!(age_band("Aged under 1 year"), Some((0, Some(0))));
        assert_eq!(age_band("Aged 1 year"), Some((1, Some(1))));
        assert_eq!(age_band("Age 15"), Some((15, Some(15))));
        assert_eq!(age_band("Aged 65 years and over"), Some((65, None)));
        assert_eq!(age_band("Age 85 and over"), Some((85, None)));
        assert_eq!(age_band("Aged 25 to 34 years"), Some((25, Some(34))));
        assert_eq!(age_band("Aged 90+"), Some((90, None)));
        assert_eq!(age_band("Aged 16-24"), Some((16, Some(24))));
        assert_eq!(age_band("Working age"), None);
        assert_eq!(
            category(VariableKind::Age, "All categories: Age"),
            Category::Total
        );
        assert_eq!(
            category(VariableKind::Other, "All persons"),
            Category::Total
        );
        assert_eq!(
            category(VariableKind::Other, "Does not apply"),
            Category::DoesNotApply
        );
    }

    #[test]
    fn bands_tile_a_range_only_at_their_edges() {
        let dc2101 = [
            (0, Some(4)),
            (5, Some(7)),
            (8, Some(9)),
            (10, Some(14)),
            (15, Some(15)),
            (16, Some(17)),
            (18, Some(19)),
            (20, Some(24)),
            (25, Some(49)),
            (50, Some(64)),
            (65, None),
        ];
        assert_eq!(tile(&dc2101, 16, Some(64)), Some(vec![5, 6, 7, 8, 9]));
        assert_eq!(tile(&dc2101, 16, None), Some(vec![5, 6, 7, 8, 9, 10]));
        assert_eq!(tile(&dc2101, 0, None).map(|t| t.len()), Some(11));
        assert_eq!(tile(&dc2101, 18, Some(60)), None);
        assert_eq!(tile(&dc2101, 17, Some(64)), None);
        // Overlapping bands: any tiling.
        let overlapping = [
            (16, Some(24)),
            (16, Some(17)),
            (18, Some(30)),
            (25, Some(30)),
        ];
        assert_eq!(tile(&overlapping, 16, Some(30)), Some(vec![0, 3]));
        assert_eq!(tile(&overlapping, 16, Some(24)), Some(vec![0]));
        assert_eq!(tile(&overlapping, 18, Some(24)), None);
        // A band to the largest age there is: no overflow looking past it.
        assert_eq!(tile(&[(0, Some(u32::MAX))], 0, None), None);
        assert_eq!(
            tile(&[(0, Some(u32::MAX))], 0, Some(u32::MAX)),
            Some(vec![0])
        );
    }

    #[test]
    fn tables_of_sixteen_plus_are_known_by_their_variables() {
        assert!(counts_sixteen_plus(&[
            "Gender identity (4 categories)".into()
        ]));
        assert!(counts_sixteen_plus(&[
            "Economic activity status (12 categories)".into()
        ]));
        assert!(!counts_sixteen_plus(&["Sex (2 categories)".into()]));
        assert_eq!(
            VariableKind::of("Age (C) (5 categories)"),
            VariableKind::Age
        );
        assert_eq!(VariableKind::of("Age"), VariableKind::Age);
        assert_eq!(VariableKind::of("Sex"), VariableKind::Other);
    }
}
