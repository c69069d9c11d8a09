//! The ethnic profile of each small area (ward, MSOA) of the comparator: where communities
//! live. Census counts, published already: nothing here describes a person.

use serde::Serialize;

use crate::classify::Level;
use crate::error::Result;
use crate::ingest::CensusTable;
use crate::output::population_profile;

/// A named group of a detailed table's answers ("Nepali"), for the areas' profiles.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerGroup {
    pub name: String,
    pub census: Vec<String>,
}

/// One area's residents in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaShare {
    pub area_code: String,
    pub area_name: String,
    pub group: String,
    pub population_n: u64,
    /// Of the area's residents.
    pub population_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaProfiles {
    /// The areas together ("Census 2021 usual residents, 13 areas (…)").
    pub comparator: String,
    pub level: Level,
    /// The groups in order: the level's, then the named ones.
    pub groups: Vec<String>,
    /// Each group's share of all the areas' residents together.
    pub overall: Vec<f64>,
    /// Each area's residents.
    pub totals: Vec<(String, String, u64)>,
    pub rows: Vec<AreaShare>,
}

pub fn area_profiles(
    table: &CensusTable,
    requests: &[String],
    level: Level,
    named: &[AnswerGroup],
) -> Result<AreaProfiles> {
    let all = table.select(requests, None)?;
    let (mut groups, mut overall): (Vec<String>, Vec<f64>) = population_profile(&all, &[level])
        .into_iter()
        .map(|r| (r.group, r.population_share))
        .unzip();
    groups.extend(named.iter().map(|g| g.name.clone()));
    for g in named {
        overall.push(table.answer_count(requests, &g.census)? as f64 / all.total() as f64);
    }
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for i in table.chosen_areas(requests)? {
        let area = &table.areas[i];
        let code = vec![area.code.clone()];
        let one = table.select(&code, None)?;
        let total = one.total();
        totals.push((area.code.clone(), area.name.clone(), total));
        let mut counts: Vec<u64> = population_profile(&one, &[level])
            .into_iter()
            .map(|r| r.population_n)
            .collect();
        for g in named {
            counts.push(table.answer_count(&code, &g.census)?);
        }
        for (group, n) in groups.iter().zip(counts) {
            rows.push(AreaShare {
                area_code: area.code.clone(),
                area_name: area.name.clone(),
                group: group.clone(),
                population_n: n,
                population_share: n as f64 / total as f64,
            });
        }
    }
    Ok(AreaProfiles {
        comparator: all.describe(),
        level,
        groups,
        overall,
        totals,
        rows,
    })
}
