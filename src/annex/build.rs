//! Building the annex's evidence from the analysis results: one entry per metric key, each with
//! a chart specification, a data table and a finding sentence written from the figures
//! (Race Disparity Unit style: specific groups, uncertainty stated, no "BAME").

use super::{DataTable, Evidence};
use crate::charts::{self, ChartSpec};
use crate::classify::Level;
use crate::ingest::Population;
use crate::metrics::likelihood::{Direction, Likelihood};
use crate::metrics::{Assessment, RepresentationReport, RepresentationTable};
use crate::output::ProfileRow;
use crate::text::capitalise;

pub const PROFILE_KEY: &str = "census.population_profile";
pub const DECLARATION_KEY: &str = "workforce.declaration_rate";
pub const REPRESENTATION_KEY: &str = "workforce.representation";

/// The metric key of each representation level (the headline level has the plain key).
pub fn level_key(level: Level, headline: Level) -> String {
    if level == headline {
        REPRESENTATION_KEY.to_string()
    } else {
        format!("{REPRESENTATION_KEY}.{}", level.name().replace('-', "_"))
    }
}

pub fn by_key(column: &str) -> String {
    let slug: String = column
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{REPRESENTATION_KEY}.by_{slug}")
}

/// The headline level: high-level groups when asked for, else the first level.
pub fn headline_level(levels: &[Level]) -> Level {
    if levels.contains(&Level::High) {
        Level::High
    } else {
        levels.first().copied().unwrap_or(Level::High)
    }
}

pub fn slug(column: &str) -> String {
    column
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub fn likelihood_key(outcome: &str) -> String {
    format!("workforce.relative_likelihood.{}", slug(outcome))
}

/// The metric keys of the representation evidence: the declaration rate, each level, each
/// breakdown.
pub fn representation_keys(levels: &[Level], by: &[String]) -> Vec<String> {
    let headline = headline_level(levels);
    let mut keys = vec![DECLARATION_KEY.to_string()];
    keys.extend(levels.iter().map(|l| level_key(*l, headline)));
    keys.extend(by.iter().map(|c| by_key(c)));
    keys
}

/// Every metric key a run with these levels, breakdown columns and outcomes produces.
pub fn known_metric_keys(levels: &[Level], by: &[String], outcomes: &[String]) -> Vec<String> {
    let mut keys = vec![PROFILE_KEY.to_string()];
    keys.extend(representation_keys(levels, by));
    keys.extend(outcomes.iter().map(|o| likelihood_key(o)));
    keys
}

/// Evidence for a relative likelihood: a table of the two rates and the ratio.
pub fn likelihood_evidence(l: &Likelihood, confidence: f64) -> Evidence {
    let conf = format!("{:.0}%", confidence * 100.0);
    let who = |top: bool| match (l.direction, top) {
        (Direction::WhiteOverMinority, true) | (Direction::MinorityOverWhite, false) => {
            format!("White {}", l.people)
        }
        _ => format!("ethnic minority {} (excluding White minorities)", l.people),
    };
    let finding = match (l.relative_likelihood, l.ci_low, l.ci_high) {
        (Some(rr), Some(lo), Some(hi)) => {
            let verdict = if lo > 1.0 || hi < 1.0 {
                "the interval excludes 1"
            } else {
                "the interval includes 1, so the difference may be chance"
            };
            format!(
                "{} are {rr:.2} times as likely as {} to have the outcome '{}' ({conf} CI {lo:.2} to {hi:.2}); {verdict}.",
                capitalise(&who(true)),
                who(false),
                l.outcome
            )
        }
        (Some(rr), _, _) => format!("The relative likelihood is {rr:.2}; its interval is undefined because a group had no such outcome."),
        _ if l.suppressed.is_some() => format!(
            "Figures for '{}' are suppressed: too few staff in a group had, or did not have, the outcome to show them safely.",
            l.outcome
        ),
        _ => format!("The relative likelihood for '{}' cannot be computed: a group had no such outcome.", l.outcome),
    };
    let group = |g: &crate::metrics::likelihood::GroupRate| match (g.events, g.n) {
        (Some(e), Some(n)) => format!("{} ({e} of {n})", g.group),
        (None, Some(n)) => format!("{} ({} of {n})", g.group, crate::disclosure::WITHHELD),
        _ => format!("{} (suppressed)", g.group),
    };
    let rate = |x: Option<f64>| {
        x.map(pct)
            .unwrap_or_else(|| crate::disclosure::WITHHELD.into())
    };
    let rows: Vec<Vec<String>> = std::iter::once(l)
        .chain(&l.by_group)
        .map(|c| {
            vec![
                c.direction_text
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                group(&c.white),
                rate(c.white.rate),
                group(&c.minority),
                rate(c.minority.rate),
                c.relative_likelihood
                    .map(|r| format!("{r:.2}"))
                    .unwrap_or_else(|| {
                        if c.suppressed.is_some() {
                            crate::disclosure::WITHHELD.into()
                        } else {
                            "not defined".into()
                        }
                    }),
                match (c.ci_low, c.ci_high) {
                    (Some(a), Some(b)) => format!("{a:.2} to {b:.2}"),
                    _ => String::new(),
                },
            ]
        })
        .collect();
    Evidence {
        key: likelihood_key(&l.outcome),
        title: format!("Relative likelihood: {}", l.outcome),
        finding,
        figure: None,
        table: DataTable {
            caption: format!(
                "Staff with the outcome '{}' ({} staff with no stated ethnicity reported separately)",
                l.outcome,
                l.not_placed_n
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "a few".to_string())
            ),
            header: vec![
                "Ratio".into(),
                "First group (with the outcome of staff)".into(),
                "Rate".into(),
                "Second group (with the outcome of staff)".into(),
                "Rate".into(),
                "Relative likelihood".into(),
                format!("{conf} CI"),
            ],
            rows,
        },
    }
}

/// 99759 → "99,759", as GOV.UK style writes numbers.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pct(x: f64) -> String {
    charts::pct_text(x)
}

fn representation_data(
    report: &RepresentationReport,
    tables: &[&RepresentationTable],
    caption: String,
) -> DataTable {
    let conf = format!("{:.0}% CI", report.confidence * 100.0);
    let mut header: Vec<String> = Vec::new();
    if tables.len() > 1 {
        header.push("Breakdown".into());
    }
    header.extend(
        [
            "Group",
            "Staff",
            "Share of staff",
            &conf,
            "Share of residents",
            "Gap (pp)",
            "Assessment",
        ]
        .map(String::from),
    );
    let mut rows = Vec::new();
    for t in tables {
        for r in &t.rows {
            let mut row = Vec::new();
            if tables.len() > 1 {
                row.push(
                    t.breakdown
                        .split_once('=')
                        .map(|x| x.1.to_string())
                        .unwrap_or_else(|| t.breakdown.clone()),
                );
            }
            let shown = r.suppressed.is_none();
            row.extend([
                r.group.clone(),
                if shown {
                    r.workforce_n.map(|n| n.to_string()).unwrap_or_default()
                } else {
                    crate::disclosure::WITHHELD.into()
                },
                r.workforce_share.map(pct).unwrap_or_default(),
                match (r.workforce_ci_low, r.workforce_ci_high) {
                    (Some(l), Some(h)) => format!("{} to {}", pct(l), pct(h)),
                    _ => String::new(),
                },
                pct(r.population_share),
                r.gap_pp.map(|g| format!("{g:+.1}")).unwrap_or_default(),
                r.assessment
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
            ]);
            rows.push(row);
        }
    }
    DataTable {
        caption,
        header,
        rows,
    }
}

/// The finding for one representation table.
pub fn representation_finding(
    report: &RepresentationReport,
    table: &RepresentationTable,
) -> String {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let shown = |a: Assessment| {
        let mut rows: Vec<_> = table
            .rows
            .iter()
            .filter(|r| r.assessment == Some(a))
            .collect();
        rows.sort_by(|x, y| {
            x.gap_pp
                .unwrap_or(0.0)
                .abs()
                .total_cmp(&y.gap_pp.unwrap_or(0.0).abs())
                .reverse()
        });
        rows
    };
    let suppressed = table.rows.iter().filter(|r| r.suppressed.is_some()).count();
    let describe = |r: &crate::metrics::RepresentationRow| {
        let bucket = table.level.bucket_of_label(&r.group).unwrap_or(0);
        format!(
            "{} are {} of staff who stated an ethnicity ({conf} CI {} to {}) against {} of {}",
            table.level.people_phrase(bucket, "staff"),
            pct(r.workforce_share.unwrap_or(0.0)),
            pct(r.workforce_ci_low.unwrap_or(0.0)),
            pct(r.workforce_ci_high.unwrap_or(0.0)),
            pct(r.population_share),
            report.residents
        )
    };
    let under = shown(Assessment::UnderRepresented);
    let over = shown(Assessment::OverRepresented);
    let mut sentence = match (under.first(), over.first()) {
        (Some(u), _) => format!(
            "{}: under-represented, as the whole interval lies below the population share{}.",
            describe(u),
            if under.len() > 1 { format!(" ({} groups are under-represented in all)", under.len()) } else { String::new() }
        ),
        (None, Some(o)) => format!("{}: over-represented; no group is under-represented beyond the uncertainty.", describe(o)),
        (None, None) => format!(
            "No group's share of the workforce differs from its share of {} by more than the {conf} intervals allow.",
            report.residents
        ),
    };
    if suppressed > 0 {
        sentence.push_str(&format!(
            " Figures for {suppressed} groups are suppressed to protect individuals."
        ));
    }
    sentence
}

/// The comparator's population profile, with its chart.
pub fn profile_evidence(
    population: &Population,
    profile: &[ProfileRow],
) -> (Evidence, Option<(ChartSpec, String)>) {
    // The finest level the table gives: the 19 categories, or the 8 of a cross-tabulated table.
    let finest = population.finest_level();
    let wb = profile.iter().find(|r| {
        r.level == finest && r.group == crate::classify::EthnicGroup::WhiteBritish.label()
    });
    let mut others: Vec<&ProfileRow> = profile
        .iter()
        .filter(|r| r.level == finest && Some(*r) != wb)
        .collect();
    others.sort_by_key(|r| std::cmp::Reverse(r.population_n));
    let finding = format!(
        "Of the {} {} of {}, {} are White British; the largest other groups are {}.",
        thousands(population.total()),
        population.comparator.people(),
        population
            .areas
            .iter()
            .map(|a| a.1.clone())
            .collect::<Vec<_>>()
            .join(" and "),
        wb.map(|r| pct(r.population_share)).unwrap_or_default(),
        others
            .iter()
            .take(3)
            .map(|r| format!("{} ({})", r.group, pct(r.population_share)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    (
        Evidence {
            key: PROFILE_KEY.into(),
            title: "Population profile of the comparator area".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: format!("Residents by ethnic group: {}", population.describe()),
                header: ["Level", "Group", "Residents", "Share"]
                    .map(String::from)
                    .to_vec(),
                rows: profile
                    .iter()
                    .filter(|r| r.level == Level::High || r.level == finest)
                    .map(|r| {
                        vec![
                            r.level.name().into(),
                            r.group.clone(),
                            r.population_n.to_string(),
                            pct(r.population_share),
                        ]
                    })
                    .collect(),
            },
        },
        Some((
            charts::profile_chart(&population.describe(), finest, profile, "", ""),
            charts::profile_alt_text(&population.describe(), finest, profile),
        )),
    )
}

/// The workforce's representation evidence: the declaration rate, each level and each
/// breakdown, each with the chart to draw (if any).
pub fn representation_evidence(
    report: &RepresentationReport,
    levels: &[Level],
    by: &[String],
) -> Vec<(Evidence, Option<(ChartSpec, String)>)> {
    let headline = headline_level(levels);
    let mut out = Vec::new();

    // Declaration rate.
    if let Some(all) = report
        .tables
        .iter()
        .find(|t| t.breakdown == "all" && t.level == headline)
    {
        // The counts come protected from the representation tables: a handful of people who
        // did not state their ethnicity in a small grade is withheld there, with whatever
        // would let it be recovered, so this table and representation.json agree.
        let tables: Vec<&RepresentationTable> = std::iter::once(all)
            .chain(
                report
                    .tables
                    .iter()
                    .filter(|t| t.breakdown != "all" && t.level == headline),
            )
            .collect();
        let count = |n: Option<u64>| {
            n.map(|n| n.to_string())
                .unwrap_or_else(|| crate::disclosure::WITHHELD.into())
        };
        let rows: Vec<Vec<String>> = tables
            .iter()
            .map(|t| {
                let label = if t.breakdown == "all" {
                    "All staff".to_string()
                } else {
                    t.breakdown.replacen('=', ": ", 1)
                };
                let stated = match (t.headcount, t.not_stated_n) {
                    (Some(h), Some(s)) => Some(h - s),
                    _ => None,
                };
                vec![
                    label,
                    count(t.headcount),
                    count(stated),
                    count(t.not_stated_n),
                    t.declaration_rate
                        .map(pct)
                        .unwrap_or_else(|| crate::disclosure::WITHHELD.into()),
                ]
            })
            .collect();
        out.push((
            Evidence {
                key: DECLARATION_KEY.into(),
                title: "Declaration rate".into(),
                finding: match (all.headcount, all.not_stated_n, all.declaration_rate) {
                    (Some(h), Some(s), Some(rate)) => format!(
                        "{} of staff ({} of {h}) have stated their ethnicity; the {s} who have not are left out of every share.",
                        pct(rate),
                        h - s,
                    ),
                    _ => "Staff who have not stated their ethnicity are left out of every share; their number is withheld to protect individuals.".to_string(),
                },
                figure: None,
                table: DataTable {
                    caption: "Staff who have stated their ethnicity".into(),
                    header: ["Staff", "Headcount", "Stated", "Not stated", "Declaration rate"].map(String::from).to_vec(),
                    rows,
                },
            },
            None,
        ));
    }

    // Representation at each level.
    for &level in levels {
        let Some(table) = report
            .tables
            .iter()
            .find(|t| t.breakdown == "all" && t.level == level)
        else {
            continue;
        };
        out.push((
            Evidence {
                key: level_key(level, headline),
                title: format!("Workforce representation: {}", level.describe()),
                finding: representation_finding(report, table),
                figure: None,
                table: representation_data(
                    report,
                    &[table],
                    format!("Workforce against {}", report.comparator),
                ),
            },
            Some((
                charts::representation_chart(report, table, "", ""),
                charts::representation_alt_text(report, table),
            )),
        ));
    }

    // Breakdowns.
    for column in by {
        let prefix = format!("{column}=");
        let tables: Vec<&RepresentationTable> = report
            .tables
            .iter()
            .filter(|t| t.level == headline && t.breakdown.starts_with(&prefix))
            .collect();
        if tables.is_empty() {
            continue;
        }
        // The finding uses the White British split when it was asked for: it is the one the
        // 2023 guidance asks employers to report at minimum.
        let finding_level = if levels.contains(&Level::WhiteBritish) {
            Level::WhiteBritish
        } else {
            headline
        };
        let finding_tables: Vec<&RepresentationTable> = report
            .tables
            .iter()
            .filter(|t| t.level == finding_level && t.breakdown.starts_with(&prefix))
            .collect();
        let bucket = if finding_level == Level::WhiteBritish {
            1
        } else {
            0
        };
        let shares: Vec<(String, f64)> = finding_tables
            .iter()
            .filter_map(|t| {
                t.rows
                    .get(bucket)
                    .and_then(|r| r.workforce_share)
                    .map(|s| (t.breakdown[prefix.len()..].to_string(), s))
            })
            .collect();
        let who = finding_level.people_phrase(bucket, "staff");
        let finding = match (
            shares.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
            shares.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        ) {
            (Some(lo), Some(hi)) => format!(
                "{who} make up from {} of staff who stated an ethnicity ({}) to {} ({}), across the {} values of {column} where figures can be shown.",
                pct(lo.1), lo.0, pct(hi.1), hi.0, shares.len()
            ),
            _ => format!("Figures by {column} are suppressed: the groups are too small to show."),
        };
        out.push((
            Evidence {
                key: by_key(column),
                title: format!("Workforce representation by {column}"),
                finding,
                figure: None,
                table: representation_data(
                    report,
                    &tables,
                    format!("Workforce by {column} against {}", report.comparator),
                ),
            },
            Some((
                charts::breakdown_chart(report, column, &tables, "", ""),
                charts::breakdown_alt_text(column, &tables),
            )),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(99_759), "99,759");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn metric_keys_follow_levels_and_breakdowns() {
        let keys = known_metric_keys(
            &[Level::High, Level::WhiteBritish],
            &["Grade".to_string(), "Service area".to_string()],
            &["Left in year".to_string()],
        );
        assert_eq!(
            keys,
            [
                "census.population_profile",
                "workforce.declaration_rate",
                "workforce.representation",
                "workforce.representation.white_british",
                "workforce.representation.by_grade",
                "workforce.representation.by_service_area",
                "workforce.relative_likelihood.left_in_year"
            ]
        );
    }
}
