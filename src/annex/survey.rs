//! Annex evidence for the resident survey: who answered against the population, how the
//! weighting went, and the weighted results by ethnic group for each question.

use super::workforce::EvidenceItem;
use super::{DataTable, Evidence};
use crate::charts::{
    pct_text as pct, survey_change_chart, survey_profile_chart, survey_question_chart,
};
use crate::output::{
    p_value, survey_changes_csv, survey_profile_csv, survey_results_csv, survey_weighting_csv,
};
use crate::survey::waves::{ChangeAssessment, QuestionChange, WaveComparison};
use crate::survey::{BaseFlag, QuestionResult, SurveyReport, ALL_RESPONDENTS};

pub const PROFILE_KEY: &str = "survey.sample_profile";
pub const WEIGHTING_KEY: &str = "survey.weighting";

pub fn results_key(question: &str) -> String {
    format!("survey.results.{}", super::build::slug(question))
}

pub fn change_key(question: &str) -> String {
    format!("survey.change.{}", super::build::slug(question))
}

/// Every key a survey with these question names produces (with an earlier wave, the changes).
pub fn survey_keys(questions: &[String], waves: bool) -> Vec<String> {
    let mut keys = vec![PROFILE_KEY.to_string(), WEIGHTING_KEY.to_string()];
    keys.extend(questions.iter().map(|q| results_key(q)));
    if waves {
        keys.extend(questions.iter().map(|q| change_key(q)));
    }
    keys
}

fn one_question(report: &SurveyReport, q: &QuestionResult) -> SurveyReport {
    SurveyReport {
        questions: vec![q.clone()],
        ..report.clone()
    }
}

pub fn survey_evidence(report: &SurveyReport) -> Vec<EvidenceItem> {
    let mut items = Vec::new();
    let w = &report.weighting;

    // Sample profile: the largest gap before weighting.
    let worst = report
        .profile
        .iter()
        .filter_map(|r| r.gap_pp.map(|g| (r, g)))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    let finding = match worst {
        Some((r, g)) => format!(
            "Of {} respondents, the largest gap from the population before weighting is {}: {} of the sample against {} of residents ({:+.1} percentage points). After raking, every weighting margin matches the population.",
            report.respondents,
            r.category,
            r.design_share.map(pct).unwrap_or_default(),
            r.population_share.map(pct).unwrap_or_default(),
            g
        ),
        None => format!("{} respondents.", report.respondents),
    };
    let rows = report
        .profile
        .iter()
        .map(|r| {
            vec![
                r.variable.clone(),
                r.category.clone(),
                crate::output::count_cell(r.n),
                r.design_share
                    .map(pct)
                    .unwrap_or_else(|| crate::disclosure::WITHHELD.into()),
                r.raked_share
                    .map(pct)
                    .unwrap_or_else(|| crate::disclosure::WITHHELD.into()),
                r.population_share.map(pct).unwrap_or_default(),
                r.gap_pp.map(|g| format!("{g:+.1}")).unwrap_or_default(),
            ]
        })
        .collect();
    // The survey's population is its margins', not the run's comparator.
    let population = report
        .census
        .clone()
        .unwrap_or_else(|| "population margins as given".to_string());
    let mut chart = survey_profile_chart(report, "", "");
    chart.residents = crate::charts::Residents::Other(population.clone());
    let alt = format!("Chart of the sample's make-up against the population. {finding}");
    items.push((
        Evidence {
            key: PROFILE_KEY.into(),
            title: "Resident survey: who answered".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: "Respondents by weighting variable: sample before and after raking, and the population".into(),
                header: [
                    "Variable",
                    "Category",
                    "Respondents",
                    "Sample (design-weighted)",
                    "Sample (raked)",
                    "Population",
                    "Gap before weighting (pp)",
                ]
                .map(String::from)
                .to_vec(),
                rows,
            },
        },
        Some((chart, alt)),
        Some(survey_profile_csv(report)),
    ));

    // Weighting diagnostics: a table, no chart.
    let finding = format!(
        "Raked to the population on {} ({}, {} iterations{}); weights range from {:.2} to {:.2}; Kish design effect {:.2}, so the {} respondents carry the precision of an effective sample of {:.0}.",
        w.variables.join(", "),
        if w.converged { "converged" } else { "not converged" },
        w.iterations,
        if w.trim_rounds > 0 {
            format!(", trimmed to {:?} times the mean weight", w.trim.unwrap_or_default())
        } else {
            String::new()
        },
        w.weight_min,
        w.weight_max,
        w.deff,
        report.respondents,
        w.effective_sample_size
    );
    let row = |a: &str, b: String| vec![a.to_string(), b];
    items.push((
        Evidence {
            key: WEIGHTING_KEY.into(),
            title: "Resident survey: weighting".into(),
            finding,
            figure: None,
            table: DataTable {
                caption: "Raking (iterative proportional fitting) diagnostics".into(),
                header: vec!["Diagnostic".into(), "Value".into()],
                rows: vec![
                    row("Weighting variables", w.variables.join(", ")),
                    row(
                        "Iterations (cap)",
                        format!("{} ({})", w.iterations, w.max_iterations),
                    ),
                    row("Converged", if w.converged { "yes" } else { "no" }.into()),
                    row(
                        "Design weights",
                        format!("{:.3} to {:.3}", w.design_weight_min, w.design_weight_max),
                    ),
                    row(
                        "Final weights",
                        format!("{:.3} to {:.3}", w.weight_min, w.weight_max),
                    ),
                    row(
                        "Design effect (Kish): design weights",
                        format!("{:.3}", w.design_deff),
                    ),
                    row(
                        "Design effect (Kish): final weights",
                        format!("{:.3}", w.deff),
                    ),
                    row(
                        "Effective sample size",
                        format!("{:.1}", w.effective_sample_size),
                    ),
                    row(
                        "Small categories merged before raking",
                        if w.merged.is_empty() {
                            "none".into()
                        } else {
                            w.merged.join("; ")
                        },
                    ),
                    row(
                        "Margins of areas",
                        if w.area_margins.is_empty() {
                            "none".into()
                        } else {
                            w.area_margins.join("; ")
                        },
                    ),
                    row(
                        "Standard errors",
                        match w.variance {
                            crate::survey::Variance::Calibrated => {
                                "calibrated: they account for the weights being raked to the margins".into()
                            }
                            crate::survey::Variance::FixedWeights => {
                                "the raked weights treated as fixed".into()
                            }
                        },
                    ),
                ],
            },
        },
        None,
        Some(survey_weighting_csv(report)),
    ));

    // One item per question.
    let conf = format!("{:.0}%", report.confidence * 100.0);
    for q in &report.questions {
        let overall = q.groups.iter().find(|g| g.group == ALL_RESPONDENTS);
        let mut finding = match overall.and_then(|g| g.proportion.zip(g.ci_low.zip(g.ci_high))) {
            Some((p, (lo, hi))) => format!(
                "{} of residents ({conf} CI {} to {}) answered {} to '{}'.",
                pct(p),
                pct(lo),
                pct(hi),
                q.positive,
                q.label
            ),
            None => format!("No overall figure for '{}'.", q.label),
        };
        let differ: Vec<String> = q
            .groups
            .iter()
            .filter(|g| g.group != ALL_RESPONDENTS && g.proportion.is_some())
            .filter(|g| g.p_value.is_some_and(|p| p < 0.05))
            .map(|g| {
                format!(
                    "{} {} ({:+.1} points against everyone else, p = {})",
                    residents(&g.group),
                    g.proportion.map(pct).unwrap_or_default(),
                    g.difference.unwrap_or_default() * 100.0,
                    p_value(g.p_value)
                )
            })
            .collect();
        if differ.is_empty() {
            finding.push_str(
                " No group differs from the rest of the sample beyond what chance would explain.",
            );
        } else {
            finding.push_str(&format!(
                " Groups that differ from the rest of the sample: {}.",
                differ.join("; ")
            ));
        }
        if q.groups.iter().any(|g| g.flag == BaseFlag::Caution) {
            finding.push_str(&format!(
                " Bases under {} are marked caution.",
                report.caution_base
            ));
        }
        let rows = q
            .groups
            .iter()
            .map(|g| {
                let shown = g.proportion.is_some();
                vec![
                    g.group.clone(),
                    crate::output::count_cell(g.base_n),
                    if shown {
                        g.proportion.map(pct).unwrap_or_default()
                    } else {
                        crate::disclosure::WITHHELD.into()
                    },
                    match (g.ci_low, g.ci_high) {
                        (Some(a), Some(b)) if shown => format!("{} to {}", pct(a), pct(b)),
                        _ => String::new(),
                    },
                    if shown {
                        p_value(g.p_value)
                    } else {
                        String::new()
                    },
                    g.flag.name().to_string(),
                ]
            })
            .collect();
        let mut chart = survey_question_chart(report, q, "", "");
        chart.residents = crate::charts::Residents::Other(population.clone());
        let alt = format!(
            "Chart of the weighted share answering {} by ethnic group. {finding}",
            q.positive
        );
        items.push((
            Evidence {
                key: results_key(&q.name),
                title: format!("Resident survey: {}", q.label),
                finding,
                figure: None,
                table: DataTable {
                    caption: format!(
                        "Weighted % answering {}; logit intervals as R's svyciprop; test of each group against the rest as R's svyttest; bases under {} suppressed",
                        q.positive, report.suppress_base
                    ),
                    header: vec![
                        "Group".into(),
                        "Respondents".into(),
                        "Weighted %".into(),
                        format!("{conf} CI"),
                        "p (group vs rest)".into(),
                        "Base".into(),
                    ],
                    rows,
                },
            },
            Some((chart, alt)),
            Some(survey_results_csv(&one_question(report, q))),
        ));
    }
    if let Some(changes) = &report.changes {
        for q in &changes.questions {
            items.push(change_item(report, changes, q));
        }
    }
    items
}

/// The people a group's row speaks of, in a finding.
fn residents(group: &str) -> String {
    if group == ALL_RESPONDENTS {
        return "residents".to_string();
    }
    crate::classify::Level::High
        .bucket_of_label(group)
        .map(|b| crate::classify::Level::High.people_phrase(b, "residents"))
        .unwrap_or_else(|| format!("{group} residents"))
}

/// Points of a proportion difference, signed: "+3.2".
fn points(d: f64) -> String {
    format!("{:+.1}", d * 100.0)
}

/// One question's change between the waves: finding, chart and table.
fn change_item(
    report: &SurveyReport,
    changes: &WaveComparison,
    q: &QuestionChange,
) -> EvidenceItem {
    let conf = format!("{:.0}%", report.confidence * 100.0);
    let (then, now) = (&changes.previous_wave, &changes.current_wave);
    let describe = |g: &crate::survey::waves::GroupChange| -> Option<String> {
        let (p1, p2, d) = (g.previous?, g.current?, g.change?);
        let (lo, hi) = (g.ci_low?, g.ci_high?);
        Some(format!(
            "{} of {} in {now} against {} in {then} ({} points, {conf} CI {} to {})",
            pct(p2),
            residents(&g.group),
            pct(p1),
            points(d),
            points(lo),
            points(hi)
        ))
    };
    let mut finding = match q.overall().and_then(|g| describe(g).zip(g.assessment)) {
        Some((text, ChangeAssessment::NoClearChange)) => format!(
            "'{}': {text}, no clear change beyond what sampling would explain.",
            q.label
        ),
        Some((text, a)) => format!("'{}': {text}, {} than in {then}.", q.label, a.words()),
        None => format!("'{}': no overall figure in both waves.", q.label),
    };
    let moved: Vec<String> = q
        .groups
        .iter()
        .filter(|g| g.group != ALL_RESPONDENTS)
        .filter(|g| {
            matches!(
                g.assessment,
                Some(ChangeAssessment::Higher | ChangeAssessment::Lower)
            )
        })
        .filter_map(describe)
        .collect();
    if moved.is_empty() {
        finding.push_str(" No group's share changed beyond what sampling would explain.");
    } else {
        finding.push_str(&format!(
            " Groups whose share changed beyond what sampling would explain: {}.",
            moved.join("; ")
        ));
    }
    if q.groups.iter().any(|g| g.flag == BaseFlag::Caution) {
        finding.push_str(&format!(
            " Bases under {} in either wave are marked caution.",
            report.caution_base
        ));
    }
    let rows = q
        .groups
        .iter()
        .map(|g| {
            let shown = g.change.is_some();
            // Each wave's figure where that wave publishes it.
            let cell = |v: Option<f64>| {
                v.map(pct)
                    .unwrap_or_else(|| crate::disclosure::WITHHELD.to_string())
            };
            vec![
                g.group.clone(),
                cell(g.previous),
                cell(g.current),
                g.change.map(points).unwrap_or_default(),
                match (g.ci_low, g.ci_high) {
                    (Some(a), Some(b)) => format!("{} to {}", points(a), points(b)),
                    _ => String::new(),
                },
                if shown {
                    p_value(g.p_value)
                } else {
                    String::new()
                },
                match (g.assessment, g.flag) {
                    (Some(a), BaseFlag::Caution) => format!("{} (caution)", a.words()),
                    (Some(a), _) => a.words().to_string(),
                    (None, _) => "not published in both waves".to_string(),
                },
            ]
        })
        .collect();
    let chart = survey_change_chart(report, changes, q, "", "");
    let alt = format!(
        "Chart of the weighted share answering {} by ethnic group in {now}, with the {then} figure as a marker. {finding}",
        q.positive
    );
    let one = WaveComparison {
        questions: vec![q.clone()],
        ..changes.clone()
    };
    (
        Evidence {
            key: change_key(&q.name),
            title: format!("Resident survey: change since {then}: {}", q.label),
            finding,
            figure: None,
            table: DataTable {
                caption: format!(
                    "Weighted % answering {} in each wave and the change in percentage points; {conf} intervals for the change from the two waves' standard errors; a group not published in both waves shows no change",
                    q.positive
                ),
                header: vec![
                    "Group".into(),
                    format!("{then} %"),
                    format!("{now} %"),
                    "Change (points)".into(),
                    format!("{conf} CI"),
                    "p".into(),
                    "Assessment".into(),
                ],
                rows,
            },
        },
        Some((chart, alt)),
        Some(survey_changes_csv(&one)),
    )
}
