//! The population profile of the comparator areas.

use serde::Serialize;

use crate::classify::Level;
use crate::ingest::Population;

/// One group's count and share of the comparator population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileRow {
    pub level: Level,
    pub group: String,
    pub population_n: u64,
    pub population_share: f64,
}

/// Counts and shares at each level, in ONS order.
pub fn population_profile(population: &Population, levels: &[Level]) -> Vec<ProfileRow> {
    let total = population.total() as f64;
    let mut rows = Vec::new();
    // A level the table cannot give is left out (the 19 categories from a table of 8).
    for &level in levels.iter().filter(|l| population.supports(**l)) {
        for (bucket, group) in level.group_labels().into_iter().enumerate() {
            let members = level.members(bucket);
            if !population.has_roma() && members == [crate::classify::EthnicGroup::Roma] {
                continue;
            }
            let n: u64 = population.count(&members).unwrap_or(0);
            rows.push(ProfileRow {
                level,
                group,
                population_n: n,
                population_share: n as f64 / total,
            });
        }
    }
    rows
}
