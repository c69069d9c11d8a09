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
    for &level in levels {
        for (bucket, group) in level.group_labels().into_iter().enumerate() {
            let members = level.members(bucket);
            if !population.has_roma() && members == [crate::classify::EthnicGroup::Roma] {
                continue;
            }
            let n: u64 = members.iter().map(|g| population.counts[g.index()]).sum();
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
