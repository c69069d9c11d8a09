//! Two waves of a survey: each group's change in the share positive between an earlier wave
//! and this one (e.g. before and after an action plan), with an interval.
//!
//! The waves are independent samples, each weighted to its own margins, so the variance of a
//! change is the sum of the two estimates' variances (each as [`super::Variance`] computes
//! it): SE = √(SE₁² + SE₂²), the interval change ± z·SE and the p-value two-sided from the
//! normal distribution — as R's `survey` gives with `svycontrast` on the two waves stacked as
//! strata of one design (`tests/oracle/survey_oracle.R`). A change is shown only where both
//! waves publish the group's estimate, so it gives back nothing either wave withholds.

use serde::Serialize;

use super::{BaseFlag, SurveyReport, ALL_RESPONDENTS};
use crate::ingest::csvfile::InputSource;

/// The earlier wave and the change since it, question by question.
#[derive(Debug, Clone, Serialize)]
pub struct WaveComparison {
    /// The earlier wave's name, e.g. "2022".
    pub previous_wave: String,
    /// This wave's name, e.g. "2025".
    pub current_wave: String,
    /// The earlier wave's survey file.
    pub previous_survey: InputSource,
    pub previous_respondents: usize,
    /// Kish design effect of the earlier wave's raked weights.
    pub previous_deff: f64,
    pub questions: Vec<QuestionChange>,
}

/// One question's change, for all respondents and each group.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionChange {
    pub name: String,
    pub label: String,
    pub positive: String,
    pub groups: Vec<GroupChange>,
}

/// Whether a change is beyond what sampling would explain, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAssessment {
    Higher,
    Lower,
    NoClearChange,
}

impl ChangeAssessment {
    pub fn words(self) -> &'static str {
        match self {
            ChangeAssessment::Higher => "higher",
            ChangeAssessment::Lower => "lower",
            ChangeAssessment::NoClearChange => "no clear change",
        }
    }
}

/// One group's change between the waves (proportions 0–1; the change in proportion too).
#[derive(Debug, Clone, Serialize)]
pub struct GroupChange {
    pub group: String,
    /// Respondents who answered, each wave (`None` where that wave withholds it).
    pub previous_base_n: Option<u64>,
    pub current_base_n: Option<u64>,
    pub previous: Option<f64>,
    pub current: Option<f64>,
    /// Suppressed when either wave does not publish the group's estimate; caution when either
    /// base is marked caution.
    pub flag: BaseFlag,
    /// Current − previous.
    pub change: Option<f64>,
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub assessment: Option<ChangeAssessment>,
}

/// Compare each question of `current` with the same question in `previous`.
pub fn compare(
    previous: &SurveyReport,
    current: &SurveyReport,
    previous_wave: &str,
    current_wave: &str,
) -> WaveComparison {
    let z = crate::stats::z_for_confidence(current.confidence);
    let questions = current
        .questions
        .iter()
        .map(|q| {
            let before = previous.questions.iter().find(|p| p.name == q.name);
            QuestionChange {
                name: q.name.clone(),
                label: q.label.clone(),
                positive: q.positive.clone(),
                groups: q
                    .groups
                    .iter()
                    .map(|now| {
                        let then =
                            before.and_then(|b| b.groups.iter().find(|g| g.group == now.group));
                        group_change(then, now, z)
                    })
                    .collect(),
            }
        })
        .collect();
    WaveComparison {
        previous_wave: previous_wave.to_string(),
        current_wave: current_wave.to_string(),
        previous_survey: previous.survey.clone(),
        previous_respondents: previous.respondents,
        previous_deff: previous.weighting.deff,
        questions,
    }
}

fn group_change(
    then: Option<&super::GroupResult>,
    now: &super::GroupResult,
    z: f64,
) -> GroupChange {
    let published = |g: &super::GroupResult| {
        matches!(g.flag, BaseFlag::Ok | BaseFlag::Caution)
            && g.proportion.is_some()
            && g.se.is_some()
    };
    let both = then.filter(|t| published(t) && published(now));
    let flag = match both {
        Some(t) if t.flag == BaseFlag::Caution || now.flag == BaseFlag::Caution => {
            BaseFlag::Caution
        }
        Some(_) => BaseFlag::Ok,
        None => BaseFlag::Suppressed,
    };
    let estimate = both.and_then(|t| {
        let change = now.proportion? - t.proportion?;
        let se = now.se?.hypot(t.se?);
        let (lo, hi) = (change - z * se, change + z * se);
        let p = (se > 0.0).then(|| crate::stats::normal_two_sided_p(change / se));
        let assessment = if lo > 0.0 {
            ChangeAssessment::Higher
        } else if hi < 0.0 {
            ChangeAssessment::Lower
        } else {
            ChangeAssessment::NoClearChange
        };
        Some((change, se, lo, hi, p, assessment))
    });
    let shown =
        |g: Option<&super::GroupResult>| g.filter(|g| published(g)).and_then(|g| g.proportion);
    GroupChange {
        group: now.group.clone(),
        previous_base_n: then.and_then(|t| t.base_n),
        current_base_n: now.base_n,
        previous: shown(then),
        current: shown(Some(now)),
        flag,
        change: estimate.map(|e| e.0),
        se: estimate.map(|e| e.1),
        ci_low: estimate.map(|e| e.2),
        ci_high: estimate.map(|e| e.3),
        p_value: estimate.and_then(|e| e.4),
        assessment: estimate.map(|e| e.5),
    }
}

impl QuestionChange {
    /// The all-respondents row.
    pub fn overall(&self) -> Option<&GroupChange> {
        self.groups.iter().find(|g| g.group == ALL_RESPONDENTS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::GroupResult;

    fn result(p: Option<f64>, se: f64, base: u64, flag: BaseFlag) -> GroupResult {
        GroupResult {
            group: "Asian, Asian British or Asian Welsh".into(),
            base_n: Some(base),
            flag,
            weighted_base: None,
            proportion: p,
            se: p.map(|_| se),
            ci_low: None,
            ci_high: None,
            ci_df: None,
            difference: None,
            t: None,
            test_df: None,
            p_value: None,
        }
    }

    /// Worked by hand: 0.40 (SE 0.03) then 0.52 (SE 0.04): change 0.12, SE √(0.0009 + 0.0016)
    /// = 0.05, 95% interval 0.12 ± 1.959964 × 0.05 = 0.0220 to 0.2180, z = 2.4, p = 0.016395.
    #[test]
    fn a_change_adds_the_two_waves_variances() {
        let z = crate::stats::z_for_confidence(0.95);
        let c = group_change(
            Some(&result(Some(0.40), 0.03, 120, BaseFlag::Ok)),
            &result(Some(0.52), 0.04, 90, BaseFlag::Ok),
            z,
        );
        assert!((c.change.unwrap() - 0.12).abs() < 1e-12);
        assert!((c.se.unwrap() - 0.05).abs() < 1e-12);
        assert!((c.ci_low.unwrap() - 0.0220018).abs() < 1e-6);
        assert!((c.ci_high.unwrap() - 0.2179982).abs() < 1e-6);
        assert!((c.p_value.unwrap() - 0.016395).abs() < 1e-6);
        assert_eq!(c.assessment, Some(ChangeAssessment::Higher));
        assert_eq!(c.flag, BaseFlag::Ok);
    }

    /// A group either wave withholds has no change, and the other wave's figure is not shown
    /// beside it only when that wave withholds it too.
    #[test]
    fn a_change_needs_both_waves_published() {
        let z = crate::stats::z_for_confidence(0.95);
        let c = group_change(
            Some(&result(None, 0.0, 12, BaseFlag::Suppressed)),
            &result(Some(0.52), 0.04, 90, BaseFlag::Caution),
            z,
        );
        assert_eq!(c.flag, BaseFlag::Suppressed);
        assert!(c.change.is_none() && c.se.is_none() && c.p_value.is_none());
        assert_eq!(c.previous, None);
        assert_eq!(c.current, Some(0.52));
        let c = group_change(
            Some(&result(Some(0.40), 0.03, 45, BaseFlag::Caution)),
            &result(Some(0.41), 0.04, 90, BaseFlag::Ok),
            z,
        );
        assert_eq!(c.flag, BaseFlag::Caution);
        assert_eq!(c.assessment, Some(ChangeAssessment::NoClearChange));
    }
}
