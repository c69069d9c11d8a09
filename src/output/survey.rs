//! Resident survey results in CSV and as text tables (JSON is the [`SurveyReport`] itself).

use super::{count_cell, csv_line, figure_cell, fixed, p_value, text_table};
use crate::survey::waves::WaveComparison;
use crate::survey::{BaseFlag, SurveyReport};

/// Columns of the results CSV (docs/FORMATS.md).
pub const SURVEY_RESULTS_COLUMNS: [&str; 16] = [
    "question",
    "question_label",
    "positive",
    "group",
    "base_n",
    "base_flag",
    "weighted_base",
    "proportion",
    "se",
    "ci_low",
    "ci_high",
    "ci_df",
    "difference_vs_rest",
    "t",
    "test_df",
    "p_value",
];

/// Columns of the sample-profile CSV.
pub const SURVEY_PROFILE_COLUMNS: [&str; 9] = [
    "variable",
    "category",
    "n",
    "unweighted_share",
    "design_share",
    "raked_share",
    "population_share",
    "population_count",
    "gap_pp",
];

pub fn survey_results_csv(report: &SurveyReport) -> String {
    let mut out = csv_line(&SURVEY_RESULTS_COLUMNS);
    for q in &report.questions {
        for g in &q.groups {
            out.push_str(&csv_line(&[
                q.name.clone(),
                q.label.clone(),
                q.positive.clone(),
                g.group.clone(),
                count_cell(g.base_n),
                g.flag.name().to_string(),
                fixed(g.weighted_base, 4),
                fixed(g.proportion, 6),
                fixed(g.se, 6),
                fixed(g.ci_low, 6),
                fixed(g.ci_high, 6),
                g.ci_df.map(|d| d.to_string()).unwrap_or_default(),
                fixed(g.difference, 6),
                fixed(g.t, 4),
                g.test_df.map(|d| d.to_string()).unwrap_or_default(),
                p_value(g.p_value),
            ]));
        }
    }
    out
}

/// Columns of the changes CSV: each group's change since the earlier wave.
pub const SURVEY_CHANGES_COLUMNS: [&str; 16] = [
    "question",
    "question_label",
    "positive",
    "group",
    "previous_wave",
    "current_wave",
    "previous_base_n",
    "current_base_n",
    "previous_proportion",
    "current_proportion",
    "change",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "assessment",
];

pub fn survey_changes_csv(changes: &WaveComparison) -> String {
    let mut out = csv_line(&SURVEY_CHANGES_COLUMNS);
    for q in &changes.questions {
        for g in &q.groups {
            out.push_str(&csv_line(&[
                q.name.clone(),
                q.label.clone(),
                q.positive.clone(),
                g.group.clone(),
                changes.previous_wave.clone(),
                changes.current_wave.clone(),
                count_cell(g.previous_base_n),
                count_cell(g.current_base_n),
                fixed(g.previous, 6),
                fixed(g.current, 6),
                fixed(g.change, 6),
                fixed(g.se, 6),
                fixed(g.ci_low, 6),
                fixed(g.ci_high, 6),
                p_value(g.p_value),
                match (g.flag, g.assessment) {
                    (BaseFlag::Suppressed | BaseFlag::Withheld, _) | (_, None) => {
                        "not published in both waves".to_string()
                    }
                    (_, Some(a)) => a.words().to_string(),
                },
            ]));
        }
    }
    out
}

pub fn survey_profile_csv(report: &SurveyReport) -> String {
    let mut out = csv_line(&SURVEY_PROFILE_COLUMNS);
    for r in &report.profile {
        out.push_str(&csv_line(&[
            r.variable.clone(),
            r.category.clone(),
            count_cell(r.n),
            figure_cell(fixed(r.unweighted_share, 6), r.n.is_none()),
            figure_cell(fixed(r.design_share, 6), r.n.is_none()),
            figure_cell(fixed(r.raked_share, 6), r.n.is_none()),
            fixed(r.population_share, 6),
            r.population_count
                .map(|c| c.to_string())
                .unwrap_or_default(),
            fixed(r.gap_pp, 2),
        ]));
    }
    out
}

/// The weighting diagnostics as `measure,value` rows.
pub fn survey_weighting_csv(report: &SurveyReport) -> String {
    let w = &report.weighting;
    let mut out = csv_line(&["measure", "value"]);
    let rows: Vec<(&str, String)> = vec![
        ("respondents", report.respondents.to_string()),
        ("weighting_variables", w.variables.join(" ")),
        ("iterations", w.iterations.to_string()),
        (
            "converged",
            if w.converged { "yes" } else { "no" }.to_string(),
        ),
        ("max_iterations", w.max_iterations.to_string()),
        ("tolerance", format!("{:e}", w.tolerance)),
        ("max_deviation", format!("{:e}", w.max_deviation)),
        (
            "trim",
            w.trim.map(|[l, u]| format!("{l} {u}")).unwrap_or_default(),
        ),
        ("trim_rounds", w.trim_rounds.to_string()),
        (
            "within_trim_bounds",
            if w.within_trim_bounds { "yes" } else { "no" }.to_string(),
        ),
        ("design_weight_min", fixed(Some(w.design_weight_min), 6)),
        ("design_weight_max", fixed(Some(w.design_weight_max), 6)),
        ("weight_min", fixed(Some(w.weight_min), 6)),
        ("weight_max", fixed(Some(w.weight_max), 6)),
        ("weight_total", fixed(Some(w.weight_total), 6)),
        ("design_deff", fixed(Some(w.design_deff), 6)),
        ("deff", fixed(Some(w.deff), 6)),
        (
            "effective_sample_size",
            fixed(Some(w.effective_sample_size), 2),
        ),
        ("merged", w.merged.join("; ")),
        ("area_margins", w.area_margins.join("; ")),
        (
            "variance",
            match w.variance {
                crate::survey::Variance::Calibrated => "calibrated",
                crate::survey::Variance::FixedWeights => "fixed-weights",
            }
            .to_string(),
        ),
    ];
    for (k, v) in rows {
        out.push_str(&csv_line(&[k.to_string(), v]));
    }
    out
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}", x * 100.0)).unwrap_or_default()
}

/// Terminal tables: weighting, sample profile, then one table per question.
pub fn survey_table(report: &SurveyReport) -> String {
    let w = &report.weighting;
    let mut out = format!(
        "Resident survey: {} respondents ({})\nWeighting: raked on {} to {}; {} iteration(s), {}; weights {:.3}–{:.3}; design effect {:.3}, effective sample size {:.1}\n\n",
        report.respondents,
        report.survey.name,
        w.variables.join(", "),
        report
            .census
            .clone()
            .unwrap_or_else(|| report.margin_sources.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")),
        w.iterations,
        if w.converged { "converged" } else { "NOT converged" },
        w.weight_min,
        w.weight_max,
        w.deff,
        w.effective_sample_size,
    );
    out.push_str("Sample profile (% of respondents)\n");
    let rows: Vec<Vec<String>> = report
        .profile
        .iter()
        .map(|r| {
            vec![
                r.variable.clone(),
                r.category.clone(),
                count_cell(r.n),
                figure_cell(pct(r.unweighted_share), r.n.is_none()),
                figure_cell(pct(r.design_share), r.n.is_none()),
                figure_cell(pct(r.raked_share), r.n.is_none()),
                pct(r.population_share),
                fixed(r.gap_pp, 1),
            ]
        })
        .collect();
    out.push_str(&text_table(
        &[
            "variable",
            "category",
            "n",
            "unweighted",
            "design",
            "raked",
            "population",
            "gap pp",
        ],
        &[false, false, true, true, true, true, true, true],
        &rows,
    ));
    let level = format!("{:.0}% CI", report.confidence * 100.0);
    for q in &report.questions {
        out.push_str(&format!(
            "\n{} ({}; positive: {}; {} answered, {} no answer)\n",
            q.label, q.name, q.positive, q.answered_n, q.no_answer_n
        ));
        let rows: Vec<Vec<String>> = q
            .groups
            .iter()
            .map(|g| {
                let ci = match (g.ci_low, g.ci_high) {
                    (Some(l), Some(h)) => format!("{:.1}–{:.1}", l * 100.0, h * 100.0),
                    _ => String::new(),
                };
                vec![
                    g.group.clone(),
                    count_cell(g.base_n),
                    pct(g.proportion),
                    ci,
                    g.difference
                        .map(|d| format!("{:+.1}", d * 100.0))
                        .unwrap_or_default(),
                    p_value(g.p_value),
                    match g.flag {
                        BaseFlag::Ok => String::new(),
                        BaseFlag::Caution => format!("caution: base under {}", report.caution_base),
                        BaseFlag::Suppressed => {
                            format!("suppressed: base under {}", report.suppress_base)
                        }
                        BaseFlag::Withheld => {
                            "withheld: it would give back another group's figures".to_string()
                        }
                    },
                ]
            })
            .collect();
        out.push_str(&text_table(
            &[
                "group",
                "base",
                "% positive",
                level.as_str(),
                "vs rest (pp)",
                "p",
                "note",
            ],
            &[false, true, true, true, true, true, false],
            &rows,
        ));
    }
    if let Some(changes) = &report.changes {
        out.push_str(&changes_table(changes, &level));
    }
    for warning in &report.warnings {
        out.push_str(&format!("\nwarning: {warning}\n"));
    }
    out
}

/// One terminal table per question: each group's change since the earlier wave.
fn changes_table(changes: &WaveComparison, level: &str) -> String {
    let mut out = format!(
        "\nChange since {} ({} respondents, {}), in percentage points\n",
        changes.previous_wave, changes.previous_respondents, changes.previous_survey.name
    );
    let previous = format!("{} %", changes.previous_wave);
    let current = format!("{} %", changes.current_wave);
    for q in &changes.questions {
        out.push_str(&format!("\n{} ({})\n", q.label, q.name));
        let rows: Vec<Vec<String>> = q
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.group.clone(),
                    pct(g.previous),
                    pct(g.current),
                    g.change
                        .map(|d| format!("{:+.1}", d * 100.0))
                        .unwrap_or_default(),
                    match (g.ci_low, g.ci_high) {
                        (Some(l), Some(h)) => format!("{:+.1} to {:+.1}", l * 100.0, h * 100.0),
                        _ => String::new(),
                    },
                    p_value(g.p_value),
                    match g.assessment {
                        Some(a) if g.flag == BaseFlag::Caution => {
                            format!("{} (caution: small base)", a.words())
                        }
                        Some(a) => a.words().to_string(),
                        None => "not published in both waves".to_string(),
                    },
                ]
            })
            .collect();
        out.push_str(&text_table(
            &[
                "group",
                previous.as_str(),
                current.as_str(),
                "change",
                level,
                "p",
                "assessment",
            ],
            &[false, true, true, true, true, true, false],
            &rows,
        ));
    }
    out
}
