//! Reading a survey export: one row per respondent.
//!
//! Only the weighting variables, the design weight, the ward and the answers to the configured
//! questions are taken from a row; each answer is reduced at once to positive / not positive /
//! no answer. Unknown answers, bad design weights and respondents without a value for a
//! weighting variable are errors that list the rows concerned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::config::{QuestionConfig, QuestionKind, SurveyConfig, WeightVariable, WeightingMissing};
use crate::classify::{normalise_label, Classified, Classifier, HighLevelGroup, Level};
use crate::error::{Error, Location, Result, UnknownAnswer};
use crate::ingest::csvfile::{CsvFile, InputSource, ReadOptions};

/// One respondent, reduced to what the analyses need.
#[derive(Debug, Clone, PartialEq)]
pub struct Respondent {
    /// Spreadsheet row number (header = 1).
    pub row: u64,
    /// The high-level ethnic group, `None` when not stated (or only "ethnic minority").
    pub ethnic_group: Option<HighLevelGroup>,
    /// The group weighted by, at `[survey] ethnic_level` (the high-level group by default):
    /// an index into [`SurveyData::ethnic_labels`]; `None` when not stated.
    pub ethnic_weighting: Option<usize>,
    pub age_band: String,
    pub sex: String,
    pub ward: Option<String>,
    /// The other weighting variables' values, as (variable, value), "" for no answer.
    pub others: Vec<(String, String)>,
    pub design_weight: f64,
    /// One entry per configured question: `Some(true)` positive, `Some(false)` answered but not
    /// positive, `None` no answer.
    pub answers: Vec<Option<bool>>,
}

/// A survey export, read and checked.
#[derive(Debug, Clone)]
pub struct SurveyData {
    pub path: PathBuf,
    pub respondents: Vec<Respondent>,
    pub source: InputSource,
    /// Column names as written in the file, for messages.
    pub ethnicity_column: String,
    pub age_column: String,
    pub sex_column: String,
    /// The ethnic groups weighted by, at `[survey] ethnic_level`.
    pub ethnic_labels: Vec<String>,
    /// Respondents left out because they did not answer a weighting variable
    /// (`weighting_missing = "drop"`).
    pub dropped: usize,
    /// The other weighting variables' columns as written in the file, by variable.
    pub other_columns: BTreeMap<String, String>,
}

const AGREE: [&str; 5] = [
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
];
const SATISFIED: [&str; 5] = [
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
];
const DEFAULT_MISSING: [&str; 7] = [
    "Don't know",
    "Dont know",
    "Not sure",
    "Prefer not to say",
    "Refused",
    "Not applicable",
    "N/A",
];

/// Values of a weighting variable that mean no answer, besides a question's
/// [`DEFAULT_MISSING`] answers.
const NO_ANSWER: [&str; 5] = [
    "Prefer not to answer",
    "Prefer not to disclose",
    "Not stated",
    "Not known",
    "Unknown",
];

/// Whether a weighting variable's value means no answer: blank, or one of the missing
/// answers.
pub fn is_no_answer(value: &str) -> bool {
    let v = crate::classify::normalise_label(value);
    v.is_empty()
        || DEFAULT_MISSING
            .iter()
            .chain(&NO_ANSWER)
            .any(|m| crate::classify::normalise_label(m) == v)
}

/// An answer that is not one of a question's valid answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unrecognised;

/// A question's answers, resolved from its config.
#[derive(Debug, Clone)]
pub struct AnswerScheme {
    /// Valid answers as shown to users (empty for numeric questions).
    pub allowed: Vec<String>,
    pub positive: Vec<String>,
    pub missing: Vec<String>,
    pub threshold: Option<f64>,
}

impl AnswerScheme {
    pub fn of(q: &QuestionConfig) -> AnswerScheme {
        let list = |v: &Option<Vec<super::config::Answer>>| {
            v.as_ref()
                .map(|a| a.iter().map(|x| x.text()).collect::<Vec<_>>())
        };
        let positive: Vec<String> = q.positive.iter().map(|a| a.text()).collect();
        let missing = list(&q.missing)
            .unwrap_or_else(|| DEFAULT_MISSING.iter().map(|s| s.to_string()).collect());
        let (allowed, default_positive): (Vec<String>, Vec<&str>) = match q.kind {
            QuestionKind::Agree => (
                AGREE.iter().map(|s| s.to_string()).collect(),
                AGREE[..2].to_vec(),
            ),
            QuestionKind::Satisfied => (
                SATISFIED.iter().map(|s| s.to_string()).collect(),
                SATISFIED[..2].to_vec(),
            ),
            QuestionKind::YesNo => (vec!["Yes".into(), "No".into()], vec!["Yes"]),
            QuestionKind::Scale => (list(&q.answers).unwrap_or_default(), vec![]),
            QuestionKind::Numeric => (vec![], vec![]),
        };
        let allowed = match (q.kind, list(&q.answers)) {
            (QuestionKind::Agree | QuestionKind::Satisfied | QuestionKind::YesNo, Some(a)) => a,
            _ => allowed,
        };
        AnswerScheme {
            allowed,
            positive: if positive.is_empty() {
                default_positive.iter().map(|s| s.to_string()).collect()
            } else {
                positive
            },
            missing,
            threshold: q.threshold,
        }
    }

    /// `Ok(Some(positive))`, `Ok(None)` for no answer, `Err(Unrecognised)` for an unknown
    /// answer.
    pub fn score(&self, raw: &str) -> std::result::Result<Option<bool>, Unrecognised> {
        let value = normalise_label(raw);
        if value.is_empty() || self.missing.iter().any(|m| normalise_label(m) == value) {
            return Ok(None);
        }
        if let Some(threshold) = self.threshold {
            return raw
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(|x| Some(x >= threshold))
                .ok_or(Unrecognised);
        }
        fn yes_no(v: &str) -> &str {
            match v {
                "y" | "yes" | "true" => "yes",
                "n" | "no" | "false" => "no",
                other => other,
            }
        }
        let same = |a: &str| {
            let a = normalise_label(a);
            a == value || (self.allowed.len() == 2 && yes_no(&a) == yes_no(&value))
        };
        if !self.allowed.iter().any(|a| same(a)) {
            return Err(Unrecognised);
        }
        Ok(Some(self.positive.iter().any(|p| same(p))))
    }
}

fn parse_weight(raw: &str) -> Option<f64> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|w| w.is_finite() && *w > 0.0)
}

/// Up to this many rows are listed in a message.
const SHOWN_ROWS: usize = 10;

fn row_list(rows: &[u64]) -> String {
    let mut shown: Vec<String> = rows.iter().take(SHOWN_ROWS).map(u64::to_string).collect();
    if rows.len() > SHOWN_ROWS {
        shown.push(format!("… and {} more", rows.len() - SHOWN_ROWS));
    }
    shown.join(", ")
}

impl SurveyData {
    /// Read and check a survey file as `config` describes it. Respondents must have a value for
    /// every weighting variable — except a not-stated ethnicity when `unstated_margin` says the
    /// ethnic-group margins have a "Not stated" category; `ethnic_group` values are classified
    /// with `classifier`.
    pub fn read(
        path: &Path,
        config: &SurveyConfig,
        classifier: &Classifier,
        unstated_margin: bool,
    ) -> Result<SurveyData> {
        let file = CsvFile::open(path, &ReadOptions::DETECT)?;
        let hint = "name the survey's columns in the [survey] section (ethnicity_column, age_column, sex_column, ward_column, weight_column, and each question's column)";
        let eth_col = file.require_column(&config.ethnicity_column, hint)?;
        let weighting = |v: WeightVariable| config.weight_by.contains(&v);
        let other_cols: Vec<(String, usize)> = config
            .other_variables()
            .map(|name| {
                let v = WeightVariable::Other(name.to_string());
                Ok((
                    name.to_string(),
                    file.require_column(config.column_of(&v), hint)?,
                ))
            })
            .collect::<Result<_>>()?;
        let age_col = if weighting(WeightVariable::AgeBand) {
            Some(file.require_column(&config.age_column, hint)?)
        } else {
            file.find_column(&config.age_column)
        };
        let sex_col = if weighting(WeightVariable::Sex) {
            Some(file.require_column(&config.sex_column, hint)?)
        } else {
            file.find_column(&config.sex_column)
        };
        let ward_col = config
            .ward_column
            .as_ref()
            .map(|c| file.require_column(c, hint))
            .transpose()?;
        let weight_col = config
            .weight_column
            .as_ref()
            .map(|c| file.require_column(c, hint))
            .transpose()?;
        let question_cols = config
            .questions
            .iter()
            .map(|q| file.require_column(q.column(), hint))
            .collect::<Result<Vec<usize>>>()?;
        file.require_rows("the survey file needs one row per respondent under the header")?;
        let header = |c: usize| file.headers()[c].clone();

        // Ethnicity, through the classifier (unmapped labels are an error listing each).
        let labels: Vec<(u64, &str)> = file
            .rows()
            .iter()
            .map(|r| (r.row, r.get(eth_col)))
            .collect();
        let classified = classifier.classify_all(path, &header(eth_col), labels.iter().copied())?;
        let groups: Vec<Option<HighLevelGroup>> = classified
            .iter()
            .map(|&c| Level::High.bucket(c).map(|i| HighLevelGroup::ALL[i]))
            .collect();
        // An aggregate such as "BME" is a stated ethnicity that names no high-level group:
        // weighting it as "not stated" would be a silent misclassification.
        if weighting(WeightVariable::EthnicGroup) {
            let aggregate: Vec<u64> = file
                .rows()
                .iter()
                .zip(&classified)
                .filter(|(_, c)| **c == Classified::MinorityExcludingWhite)
                .map(|(r, _)| r.row)
                .collect();
            if let Some(&first) = aggregate.first() {
                let value = file
                    .rows()
                    .iter()
                    .find(|r| r.row == first)
                    .map(|r| r.get(eth_col).to_string())
                    .unwrap_or_default();
                return Err(Error::BadValue {
                    location: Location::cell(path, first, header(eth_col)),
                    value,
                    message: format!(
                        "{} respondent(s) have an aggregate ethnicity that names no high-level group, so they cannot be weighted to the Census (rows {})",
                        aggregate.len(),
                        row_list(&aggregate)
                    ),
                    hint: "map the label to a group in a mapping file ([survey] mapping), or take ethnic_group out of [survey] weight_by".into(),
                });
            }
        }

        // Weighting finer than the high-level groups needs each respondent placed at that
        // level: "White" alone cannot be weighted to White British or Other White.
        let level = config.ethnic_weighting_level();
        let weighting_groups: Vec<Option<usize>> =
            classified.iter().map(|&c| level.bucket(c)).collect();
        if weighting(WeightVariable::EthnicGroup) {
            let broad: Vec<&crate::ingest::csvfile::Row> = file
                .rows()
                .iter()
                .zip(groups.iter().zip(&weighting_groups))
                .filter(|(_, (g, w))| g.is_some() && w.is_none())
                .map(|(r, _)| r)
                .collect();
            if let Some(first) = broad.first() {
                let rows: Vec<u64> = broad.iter().map(|r| r.row).collect();
                return Err(Error::BadValue {
                    location: Location::cell(path, first.row, header(eth_col)),
                    value: first.get(eth_col).to_string(),
                    message: format!(
                        "{} respondent(s) have an ethnicity too broad to place among the {} the survey is weighted by (rows {})",
                        rows.len(),
                        level.describe(),
                        row_list(&rows)
                    ),
                    hint: "weight at the high-level groups ([survey] ethnic_level = \"high\"), or map the label to a category in a mapping file ([survey] mapping)".into(),
                });
            }
        }

        // A weighting variable with no answer ("Prefer not to say", blank) is kept as "Not
        // stated" or, with weighting_missing = "drop", the respondent is left out.
        let unanswered = |r: &crate::ingest::csvfile::Row, ethnic: Option<HighLevelGroup>| {
            (weighting(WeightVariable::EthnicGroup) && !unstated_margin && ethnic.is_none())
                || [
                    (age_col, WeightVariable::AgeBand),
                    (sex_col, WeightVariable::Sex),
                ]
                .iter()
                .any(|(col, var)| {
                    weighting(var.clone()) && col.is_some_and(|c| is_no_answer(r.get(c)))
                })
                || other_cols.iter().any(|(_, c)| is_no_answer(r.get(*c)))
        };
        let keep: Vec<bool> = file
            .rows()
            .iter()
            .zip(&groups)
            .map(|(r, g)| config.weighting_missing == WeightingMissing::Keep || !unanswered(r, *g))
            .collect();
        let dropped = keep.iter().filter(|k| !**k).count();
        if dropped == keep.len() {
            return Err(Error::BadValue {
                location: Location::file(path),
                value: String::new(),
                message: "every respondent lacks an answer to a weighting variable, so none is left to weight".to_string(),
                hint: "set [survey] weighting_missing = \"keep\" to keep them in a \"Not stated\" category, or check the survey's columns".to_string(),
            });
        }

        // Design weights: positive numbers.
        let mut weights = vec![1.0; file.rows().len()];
        if let Some(col) = weight_col {
            let bad: Vec<&crate::ingest::csvfile::Row> = file
                .rows()
                .iter()
                .filter(|r| parse_weight(r.get(col)).is_none())
                .collect();
            if let Some(first) = bad.first() {
                let rows: Vec<u64> = bad.iter().map(|r| r.row).collect();
                let value = first.get(col);
                let what = if value.is_empty() {
                    "is missing"
                } else if value.parse::<f64>().is_ok() {
                    "is zero or negative"
                } else {
                    "is not a number"
                };
                return Err(Error::BadValue {
                    location: Location::cell(path, first.row, header(col)),
                    value: value.to_string(),
                    message: format!(
                        "the design weight {what}; {} row(s) have a weight that is not a positive number (rows {})",
                        rows.len(),
                        row_list(&rows)
                    ),
                    hint: "design weights must be positive numbers such as 1 or 1.25 (use a dot for decimals); remove respondents with no weight or give them one".to_string(),
                });
            }
            for (w, r) in weights.iter_mut().zip(file.rows()) {
                *w = parse_weight(r.get(col)).expect("checked");
            }
        }

        // Answers.
        let mut scored: Vec<Vec<Option<bool>>> =
            vec![Vec::with_capacity(question_cols.len()); file.rows().len()];
        for (q, &col) in config.questions.iter().zip(&question_cols) {
            let scheme = AnswerScheme::of(q);
            let mut unknown: BTreeMap<String, (usize, Vec<u64>)> = BTreeMap::new();
            // Score each distinct answer once: normalising labels dominates the run otherwise.
            let mut seen: std::collections::HashMap<
                &str,
                std::result::Result<Option<bool>, Unrecognised>,
            > = std::collections::HashMap::new();
            for (r, out) in file.rows().iter().zip(scored.iter_mut()) {
                let answer = r.get(col);
                let result = *seen.entry(answer).or_insert_with(|| scheme.score(answer));
                match result {
                    Ok(v) => out.push(v),
                    Err(Unrecognised) => {
                        let e = unknown.entry(r.get(col).to_string()).or_default();
                        e.0 += 1;
                        if e.1.len() < 5 {
                            e.1.push(r.row);
                        }
                        out.push(None);
                    }
                }
            }
            if !unknown.is_empty() {
                let mut allowed = scheme.allowed.clone();
                if q.kind == QuestionKind::Numeric {
                    allowed = vec![format!(
                        "a number (positive at or above {})",
                        scheme.threshold.unwrap_or_default()
                    )];
                }
                allowed.push(format!("no answer: blank, {}", scheme.missing.join(", ")));
                return Err(Error::UnknownAnswers {
                    path: path.to_path_buf(),
                    column: header(col),
                    question: q.name.clone(),
                    answers: unknown
                        .into_iter()
                        .map(|(value, (rows, first_rows))| UnknownAnswer { value, rows, first_rows })
                        .collect(),
                    allowed,
                    hint: format!(
                        "correct the answers in the file, or list them for question '{}' in the config: answers = [...] (valid answers), positive = [...] or missing = [...] (answers that mean no answer)",
                        q.name
                    ),
                });
            }
        }

        let respondents = file
            .rows()
            .iter()
            .zip(groups.into_iter().zip(weighting_groups))
            .zip(weights)
            .zip(scored)
            .zip(&keep)
            .filter(|(_, keep)| **keep)
            .map(
                |((((r, (ethnic_group, ethnic_weighting)), design_weight), answers), _)| {
                    // No answer reads as "" whatever its wording: weighting keys it as not stated.
                    let value = |col: Option<usize>| {
                        col.map(|c| r.get(c))
                            .filter(|v| !is_no_answer(v))
                            .unwrap_or_default()
                            .to_string()
                    };
                    Respondent {
                        row: r.row,
                        ethnic_group,
                        ethnic_weighting,
                        age_band: value(age_col),
                        sex: value(sex_col),
                        ward: ward_col.map(|c| r.get(c).to_string()),
                        others: other_cols
                            .iter()
                            .map(|(name, c)| (name.clone(), value(Some(*c))))
                            .collect(),
                        design_weight,
                        answers,
                    }
                },
            )
            .collect();
        Ok(SurveyData {
            path: path.to_path_buf(),
            respondents,
            source: file.source().clone(),
            ethnicity_column: header(eth_col),
            ethnic_labels: level.group_labels(),
            age_column: age_col
                .map(header)
                .unwrap_or_else(|| config.age_column.clone()),
            sex_column: sex_col
                .map(header)
                .unwrap_or_else(|| config.sex_column.clone()),
            dropped,
            other_columns: other_cols
                .iter()
                .map(|(name, c)| (name.clone(), header(*c)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_answer_is_blank_or_a_refusal_in_any_spelling() {
        for v in [
            "",
            " ",
            "Prefer not to say",
            "PREFER NOT TO SAY",
            "not stated",
            "N/A",
            "Unknown",
        ] {
            assert!(is_no_answer(v), "{v:?}");
        }
        for v in ["Female", "16-34", "Not Known Elsewhere", "Other"] {
            assert!(!is_no_answer(v), "{v:?}");
        }
    }
    use crate::survey::config::Answer;

    fn question(kind: QuestionKind) -> QuestionConfig {
        QuestionConfig {
            name: "q".into(),
            column: None,
            label: None,
            kind,
            positive: vec![],
            answers: None,
            missing: None,
            threshold: None,
        }
    }

    #[test]
    fn scores_agreement_text_ignoring_case_and_punctuation() {
        let s = AnswerScheme::of(&question(QuestionKind::Agree));
        assert_eq!(s.score("strongly AGREE"), Ok(Some(true)));
        assert_eq!(s.score("Tend to disagree"), Ok(Some(false)));
        assert_eq!(s.score("Don’t know"), Ok(None));
        assert_eq!(s.score(""), Ok(None));
        assert_eq!(s.score("Agree a lot"), Err(Unrecognised));
    }

    #[test]
    fn scores_codes_and_numbers() {
        let mut q = question(QuestionKind::Scale);
        q.answers = Some((1..=5).map(Answer::Integer).collect());
        q.positive = vec![Answer::Integer(4), Answer::Integer(5)];
        let s = AnswerScheme::of(&q);
        assert_eq!(s.score("5"), Ok(Some(true)));
        assert_eq!(s.score("2"), Ok(Some(false)));
        assert_eq!(s.score("6"), Err(Unrecognised));
        let mut n = question(QuestionKind::Numeric);
        n.threshold = Some(7.0);
        let s = AnswerScheme::of(&n);
        assert_eq!(s.score("7"), Ok(Some(true)));
        assert_eq!(s.score("6.5"), Ok(Some(false)));
        assert_eq!(s.score("seven"), Err(Unrecognised));
        let yn = AnswerScheme::of(&question(QuestionKind::YesNo));
        assert_eq!(yn.score("Y"), Ok(Some(true)));
        assert_eq!(yn.score("no"), Ok(Some(false)));
    }
}
