//! How the workforce analyses describe the people they count to the run's disclosure control
//! (see [`crate::disclosure`]): a person-level extract is a population, and its ethnicity and
//! text columns are its attributes.

use super::tabulate::ClassifiedKey;
use crate::classify::{Classified, EthnicGroup, HighLevelGroup};
use crate::disclosure::{Cell, Disclosure};
use crate::ingest::{Extract, TextColumn};

pub use crate::disclosure::ETHNICITY;

/// The population an extract's people form: one per file.
pub fn population(extract: &Extract) -> String {
    extract.path.display().to_string()
}

/// Everyone in `extract`, with their ethnicity declared as an attribute.
pub fn everyone(extract: &Extract, disclosure: &dyn Disclosure) -> Cell {
    let name = population(extract);
    let codes: Vec<u32> = extract
        .ethnicity
        .iter()
        .map(|&e| ClassifiedKey::encode(e).0)
        .collect();
    disclosure.dimension(&name, ETHNICITY, &codes);
    let mut present = codes.clone();
    present.sort_unstable();
    present.dedup();
    let labels: Vec<(u32, String)> = present
        .into_iter()
        .map(|c| (c, classified_label(ClassifiedKey(c).decode())))
        .collect();
    disclosure.labels(&name, ETHNICITY, &labels);
    Cell::of(&name)
}

/// A classified ethnicity in words, for the private log of what was withheld.
fn classified_label(c: Classified) -> String {
    match c {
        Classified::Group(g) => g.label(),
        Classified::HighLevel(h) => format!("{} (category not given)", h.label()),
        Classified::MinorityExcludingWhite => "an ethnic minority (group not given)".to_string(),
        Classified::WhiteMinority => "a White minority (category not given)".to_string(),
        Classified::NotStated => "not stated".to_string(),
    }
}

/// Declare a text column of `extract` as an attribute; returns the attribute's name.
pub fn text_dimension(
    extract: &Extract,
    column: &TextColumn,
    disclosure: &dyn Disclosure,
) -> String {
    let name = format!("column {}", column.name);
    disclosure.dimension(&population(extract), &name, &column.codes);
    let labels: Vec<(u32, String)> = column
        .values
        .iter()
        .enumerate()
        .map(|(code, value)| (code as u32, value.clone()))
        .collect();
    disclosure.labels(&population(extract), &name, &labels);
    name
}

/// Declare `codes` (one per person of `extract`) as the attribute `name`.
pub fn dimension(extract: &Extract, name: &str, codes: &[u32], disclosure: &dyn Disclosure) {
    disclosure.dimension(&population(extract), name, codes);
}

/// Every classification a label can have.
fn every_classified() -> impl Iterator<Item = Classified> {
    EthnicGroup::ALL
        .into_iter()
        .map(Classified::Group)
        .chain(HighLevelGroup::ALL.into_iter().map(Classified::HighLevel))
        .chain([
            Classified::MinorityExcludingWhite,
            Classified::WhiteMinority,
            Classified::NotStated,
        ])
}

/// The ethnicity codes of every classification for which `keep` holds.
pub fn ethnicity_codes(keep: impl Fn(Classified) -> bool) -> Vec<u32> {
    every_classified()
        .filter(|&c| keep(c))
        .map(|c| ClassifiedKey::encode(c).0)
        .collect()
}

/// The code of the value `value` of `column`, if the column holds it.
pub fn value_code(column: &TextColumn, value: &str) -> Option<u32> {
    let raw = if value == super::tabulate::BLANK_VALUE {
        ""
    } else {
        value
    };
    column
        .values
        .iter()
        .position(|v| v == raw)
        .map(|i| i as u32)
}
