//! Change between two censuses in CSV.

use super::{csv_line, fixed};
use crate::metrics::change::ChangeReport;

pub const CHANGE_COLUMNS: [&str; 8] = [
    "level",
    "group",
    "earlier_n",
    "earlier_share",
    "later_n",
    "later_share",
    "change_pp",
    "years",
];

pub fn change_csv(report: &ChangeReport) -> String {
    let mut out = csv_line(&CHANGE_COLUMNS);
    let years = format!("{}-{}", report.earlier_year, report.later_year);
    for r in &report.rows {
        out.push_str(&csv_line(&[
            r.level.name().to_string(),
            r.group.clone(),
            r.earlier_n.to_string(),
            fixed(Some(r.earlier_share), 6),
            r.later_n.to_string(),
            fixed(Some(r.later_share), 6),
            fixed(Some(r.change_pp), 4),
            years.clone(),
        ]));
    }
    out
}

/// Each area's residents by group.
pub fn areas_csv(profiles: &crate::metrics::areas::AreaProfiles) -> String {
    let mut out = csv_line(&[
        "area_code",
        "area_name",
        "group",
        "population_n",
        "population_share",
        "all_areas_share",
    ]);
    let groups = profiles.groups.len();
    for (i, r) in profiles.rows.iter().enumerate() {
        out.push_str(&csv_line(&[
            r.area_code.clone(),
            r.area_name.clone(),
            r.group.clone(),
            r.population_n.to_string(),
            fixed(Some(r.population_share), 6),
            fixed(Some(profiles.overall[i % groups]), 6),
        ]));
    }
    out
}
