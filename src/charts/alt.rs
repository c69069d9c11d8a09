//! Alternative text for charts, generated from the figures they show.

use crate::classify::Level;
use crate::metrics::{RepresentationReport, RepresentationTable};
use crate::output::ProfileRow;

pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// "Asian staff are 9.8% of the workforce (95% CI 7.3–13.2%) against 14.7% of residents."
pub fn representation_alt_text(
    report: &RepresentationReport,
    table: &RepresentationTable,
) -> String {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let mut sentences = vec![format!(
        "Chart of the workforce by ethnic group against residents ({}), for {} staff who stated an ethnicity.",
        report.comparator,
        table
            .declared_n
            .map(|n| n.to_string())
            .unwrap_or_else(|| crate::disclosure::WITHHELD.to_string())
    )];
    for row in &table.rows {
        let bucket = table.level.bucket_of_label(&row.group).unwrap_or(0);
        let who = table.level.people_phrase(bucket, "staff");
        match (
            row.workforce_share,
            row.workforce_ci_low,
            row.workforce_ci_high,
        ) {
            (Some(share), Some(lo), Some(hi)) => sentences.push(format!(
                "{who} are {} of the workforce ({conf} CI {}–{}) against {} of {}.",
                pct(share),
                pct(lo).trim_end_matches('%'),
                pct(hi),
                pct(row.population_share),
                report.residents
            )),
            _ => sentences.push(format!(
                "Figures for {} are suppressed to protect individuals; they are {} of {}.",
                lower_first(&who),
                pct(row.population_share),
                report.residents
            )),
        }
    }
    sentences.join(" ")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if s.starts_with("Staff") => f.to_lowercase().collect::<String>() + c.as_str(),
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

pub fn breakdown_alt_text(column: &str, tables: &[&RepresentationTable]) -> String {
    let mut sentences = vec![format!(
        "Chart of the share of each ethnic group among staff in each {column}; the table below gives every figure."
    )];
    let Some(first) = tables.first() else {
        return sentences.join(" ");
    };
    let level = first.level;
    for i in 0..first.rows.len() {
        let bucket = level.bucket_of_label(&first.rows[i].group).unwrap_or(0);
        let shown: Vec<(String, f64)> = tables
            .iter()
            .filter_map(|t| {
                t.rows[i].workforce_share.map(|s| {
                    (
                        t.breakdown
                            .split_once('=')
                            .map(|x| x.1)
                            .unwrap_or("")
                            .to_string(),
                        s,
                    )
                })
            })
            .collect();
        let who = level.people_phrase(bucket, "staff");
        if shown.is_empty() {
            sentences.push(format!("{who}: suppressed in every {column}."));
            continue;
        }
        let low = shown.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        let high = shown.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        let hidden = tables.len() - shown.len();
        sentences.push(format!(
            "{who}: from {} ({}) to {} ({}){}.",
            pct(low.1),
            low.0,
            pct(high.1),
            high.0,
            if hidden > 0 {
                format!("; suppressed in {hidden} {column} values")
            } else {
                String::new()
            }
        ));
    }
    sentences.join(" ")
}

pub fn profile_alt_text(comparator: &str, level: Level, rows: &[ProfileRow]) -> String {
    let parts: Vec<String> = rows
        .iter()
        .filter(|r| r.level == level)
        .map(|r| {
            format!(
                "{} {}",
                level.chart_label(level.bucket_of_label(&r.group).unwrap_or(0)),
                pct(r.population_share)
            )
        })
        .collect();
    format!(
        "Chart of residents by ethnic group, {comparator}: {}.",
        parts.join("; ")
    )
}
