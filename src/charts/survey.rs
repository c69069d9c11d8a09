//! Chart specifications for the resident survey: one dot plot per question (weighted %
//! positive by ethnic group with its interval, the all-respondents figure as the marker) and
//! the sample profile (the sample against the population, before weighting).

use super::{Axis, ChartSpec, DotRow, Panel};
use crate::classify::HighLevelGroup;
use crate::survey::waves::{QuestionChange, WaveComparison};
use crate::survey::{BaseFlag, QuestionResult, SurveyReport, ALL_RESPONDENTS};

fn short(group: &str) -> String {
    // The White categories of the 8-category level, as the Race Disparity Unit shortens them.
    match group {
        "White: English, Welsh, Scottish, Northern Irish or British" => {
            return "White British".to_string()
        }
        "White: Irish" => return "White Irish".to_string(),
        "White: Gypsy or Irish Traveller, Roma or Other White" => {
            return "White other (incl. Gypsy, Traveller, Roma)".to_string()
        }
        _ => {}
    }
    HighLevelGroup::ALL
        .into_iter()
        .find(|g| g.label() == group)
        .map(|g| g.short_label().to_string())
        .unwrap_or_else(|| group.to_string())
}

/// Weighted % positive for each group with its interval; the marker is all respondents.
pub fn survey_question_chart(
    report: &SurveyReport,
    question: &QuestionResult,
    source: &str,
    caption: &str,
) -> ChartSpec {
    let overall = question
        .groups
        .iter()
        .find(|g| g.group == ALL_RESPONDENTS)
        .and_then(|g| g.proportion);
    let level = format!("{:.0}%", report.confidence * 100.0);
    ChartSpec {
        title: question.label.clone(),
        subtitle: format!(
            "Weighted % {}, with {level} intervals; n answered (under {}: suppressed)",
            question.positive, report.suppress_base
        ),
        value_legend: format!("Weighted % positive ({level} CI)"),
        reference_legend: overall.map(|_| "All respondents".to_string()),
        source: source.to_string(),
        residents: super::Residents::NotCompared,
        caption: caption.to_string(),
        axis: Axis::Share,
        panels: vec![Panel {
            title: None,
            rows: question
                .groups
                .iter()
                .map(|g| DotRow {
                    label: match g.flag {
                        BaseFlag::Caution => format!(
                            "{} (n={}, caution)",
                            short(&g.group),
                            crate::output::count_cell(g.base_n)
                        ),
                        _ => format!(
                            "{} (n={})",
                            short(&g.group),
                            crate::output::count_cell(g.base_n)
                        ),
                    },
                    value: g.proportion,
                    interval: g.ci_low.zip(g.ci_high),
                    reference: if g.group == ALL_RESPONDENTS {
                        None
                    } else {
                        overall
                    },
                    note: matches!(g.flag, BaseFlag::Suppressed | BaseFlag::Withheld)
                        .then(|| crate::disclosure::WITHHELD.to_string()),
                })
                .collect(),
        }],
    }
}

/// A question in both waves: this wave's weighted % positive for each group with its
/// interval, the earlier wave's as the marker. Groups either wave withholds show neither.
pub fn survey_change_chart(
    report: &SurveyReport,
    changes: &WaveComparison,
    question: &QuestionChange,
    source: &str,
    caption: &str,
) -> ChartSpec {
    let level = format!("{:.0}%", report.confidence * 100.0);
    let interval = |name: &str, group: &str| {
        report
            .questions
            .iter()
            .find(|q| q.name == name)
            .and_then(|q| q.groups.iter().find(|g| g.group == group))
            .and_then(|g| g.ci_low.zip(g.ci_high))
    };
    ChartSpec {
        title: format!(
            "{}: {} and {}",
            question.label, changes.previous_wave, changes.current_wave
        ),
        subtitle: format!(
            "Weighted % {} in each wave, {} with {level} intervals; a group not published in both waves shows no figures",
            question.positive, changes.current_wave
        ),
        value_legend: format!("{} ({level} CI)", changes.current_wave),
        reference_legend: Some(changes.previous_wave.clone()),
        source: source.to_string(),
        residents: super::Residents::NotCompared,
        caption: caption.to_string(),
        axis: Axis::Share,
        panels: vec![Panel {
            title: None,
            rows: question
                .groups
                .iter()
                .map(|g| {
                    let shown = g.change.is_some();
                    DotRow {
                        label: match g.change {
                            Some(c) => format!("{} ({:+.1} pts)", short(&g.group), c * 100.0),
                            None => short(&g.group),
                        },
                        value: g.current.filter(|_| shown),
                        interval: interval(&question.name, &g.group).filter(|_| shown),
                        reference: g.previous.filter(|_| shown),
                        note: (!shown).then(|| crate::disclosure::WITHHELD.to_string()),
                    }
                })
                .collect(),
        }],
    }
}

/// The sample's design-weighted share of each weighting category against the population share.
pub fn survey_profile_chart(report: &SurveyReport, source: &str, caption: &str) -> ChartSpec {
    // One panel: the renderer draws row labels once, for panels of the same rows.
    let rows: Vec<DotRow> = report
        .profile
        .iter()
        .filter(|r| r.population_share.is_some())
        .map(|r| DotRow {
            label: format!(
                "{}: {}",
                match r.variable.as_str() {
                    "ethnic_group" => "Ethnic group",
                    "age_band" => "Age",
                    "sex" => "Sex",
                    "ward" => "Ward",
                    other => other,
                },
                short(&r.category)
            ),
            value: r.design_share,
            interval: None,
            reference: r.population_share,
            note: None,
        })
        .collect();
    ChartSpec {
        title: "Who answered the survey, compared with the population".to_string(),
        subtitle: format!(
            "Share of the {} respondents (design-weighted, before raking) and of the population",
            report.respondents
        ),
        value_legend: "Respondents".to_string(),
        reference_legend: Some(
            report
                .census
                .clone()
                .map(|c| format!("Population ({c})"))
                .unwrap_or_else(|| "Population".to_string()),
        ),
        source: source.to_string(),
        residents: super::Residents::NotCompared,
        caption: caption.to_string(),
        axis: Axis::Share,
        panels: vec![Panel { title: None, rows }],
    }
}
