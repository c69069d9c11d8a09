//! The recommendations register: the council's action plan after a peer challenge.
//!
//! One row per recommendation, columns `id, module, recommendation, response, actions, lead,
//! due, status, evidence`. `module` is one of the four modules of the Equality Framework for
//! Local Government (LGA, 2021), by full name, the shorter forms councils use, or 1–4; `status`
//! one of not started / in progress / complete / not taken forward; `evidence` a `;`-separated
//! list of metric keys naming the analyses that speak to the recommendation.

use std::path::Path;

use serde::Serialize;

use crate::classify::normalise_label;
use crate::error::{Error, Location, Result};
use crate::ingest::csvfile::{CsvFile, InputSource, ReadOptions};

/// The four EFLG 2021 modules, in framework order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum EflgModule {
    Communities,
    Leadership,
    Services,
    Workforce,
}

impl EflgModule {
    pub const ALL: [EflgModule; 4] = [
        EflgModule::Communities,
        EflgModule::Leadership,
        EflgModule::Services,
        EflgModule::Workforce,
    ];

    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The EFLG 2021 name.
    pub fn name(self) -> &'static str {
        match self {
            EflgModule::Communities => "Understanding and working with your communities",
            EflgModule::Leadership => "Leadership, partnership and organisational commitment",
            EflgModule::Services => "Responsive services and customer care",
            EflgModule::Workforce => "Diverse and engaged workforce",
        }
    }

    fn spellings(self) -> &'static [&'static str] {
        match self {
            EflgModule::Communities => &[
                "Understanding and working with your communities",
                "Communities",
                "Understanding your communities",
            ],
            EflgModule::Leadership => &[
                "Leadership, partnership and organisational commitment",
                "Leadership and organisational commitment",
                "Leadership",
            ],
            EflgModule::Services => &[
                "Responsive services and customer care",
                "Services",
                "Customer care",
            ],
            EflgModule::Workforce => &[
                "Diverse and engaged workforce",
                "A diverse and engaged workforce",
                "Workforce",
            ],
        }
    }

    pub fn parse(text: &str) -> Option<EflgModule> {
        let key = normalise_label(text);
        let key = key.strip_prefix("module ").unwrap_or(&key);
        EflgModule::ALL.into_iter().find(|m| {
            key == m.number().to_string() || m.spellings().iter().any(|s| normalise_label(s) == key)
        })
    }
}

/// Progress on a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    InProgress,
    Complete,
    NotTakenForward,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Complete,
        Status::NotTakenForward,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Complete => "complete",
            Status::NotTakenForward => "not taken forward",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match normalise_label(text).as_str() {
            "not started" | "notstarted" | "not yet started" | "to do" | "todo" | "planned" => {
                Some(Status::NotStarted)
            }
            "in progress" | "inprogress" | "ongoing" | "on going" | "underway" | "under way"
            | "started" => Some(Status::InProgress),
            "complete" | "completed" | "done" | "achieved" | "closed" => Some(Status::Complete),
            "not taken forward"
            | "not progressed"
            | "not being taken forward"
            | "declined"
            | "rejected"
            | "not accepted" => Some(Status::NotTakenForward),
            _ => None,
        }
    }
}

/// One recommendation and the council's response to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub id: String,
    pub module: EflgModule,
    pub recommendation: String,
    pub response: String,
    pub actions: String,
    pub lead: String,
    pub due: String,
    pub status: Status,
    /// Metric keys, in the order given.
    pub evidence: Vec<String>,
}

pub const REGISTER_COLUMNS: [&str; 9] = [
    "id",
    "module",
    "recommendation",
    "response",
    "actions",
    "lead",
    "due",
    "status",
    "evidence",
];

/// Read a register, checking modules, statuses, ids and metric keys against `known_keys`.
/// Returns the recommendations and the file's provenance.
pub fn read_register(
    path: &Path,
    known_keys: &[String],
) -> Result<(Vec<Recommendation>, InputSource)> {
    let file = CsvFile::open(path, &ReadOptions::DETECT)?;
    let hint = "the register needs the columns id, module, recommendation, response, actions, lead, due, status, evidence";
    let cols: Vec<usize> = REGISTER_COLUMNS
        .iter()
        .map(|c| file.require_column(c, hint))
        .collect::<Result<_>>()?;
    file.require_rows("add one row per recommendation")?;
    let header = |i: usize| file.headers()[cols[i]].clone();
    let mut out: Vec<Recommendation> = Vec::new();
    for row in file.rows() {
        let get = |i: usize| row.get(cols[i]).to_string();
        let bad = |i: usize, message: String, hint: String| Error::BadValue {
            location: Location::cell(path, row.row, header(i)),
            value: get(i),
            message,
            hint,
        };
        let id = get(0);
        if id.is_empty() {
            return Err(bad(
                0,
                "the recommendation id is empty".into(),
                "give every recommendation a short id such as R1".into(),
            ));
        }
        if let Some(first) = out.iter().find(|r| r.id == id) {
            return Err(bad(
                0,
                format!("id {} is used twice", first.id),
                "give every recommendation its own id".into(),
            ));
        }
        let module = EflgModule::parse(&get(1)).ok_or_else(|| {
            bad(
                1,
                format!("recommendation {id}: not a module of the Equality Framework for Local Government"),
                format!(
                    "use 1–4 or one of: {}",
                    EflgModule::ALL.iter().map(|m| format!("'{}'", m.name())).collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let status = Status::parse(&get(7)).ok_or_else(|| {
            bad(
                7,
                format!("recommendation {id}: not a status repgap knows"),
                format!(
                    "use one of: {}",
                    Status::ALL
                        .iter()
                        .map(|s| s.label())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let evidence: Vec<String> = get(8)
            .split(';')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        for key in &evidence {
            if !known_keys.contains(key) {
                return Err(bad(
                    8,
                    format!("recommendation {id}: unknown metric key '{key}'"),
                    format!(
                        "use metric keys separated by ';'; this run produces: {}",
                        known_keys.join(", ")
                    ),
                ));
            }
        }
        out.push(Recommendation {
            id,
            module,
            recommendation: get(2),
            response: get(3),
            actions: get(4),
            lead: get(5),
            due: get(6),
            status,
            evidence,
        });
    }
    Ok((out, file.source().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_by_name_short_form_and_number() {
        assert_eq!(
            EflgModule::parse("A diverse and engaged workforce"),
            Some(EflgModule::Workforce)
        );
        assert_eq!(
            EflgModule::parse("Leadership and organisational commitment"),
            Some(EflgModule::Leadership)
        );
        assert_eq!(EflgModule::parse("3"), Some(EflgModule::Services));
        assert_eq!(EflgModule::parse("Module 1"), Some(EflgModule::Communities));
        assert_eq!(EflgModule::parse("Finance"), None);
    }

    #[test]
    fn statuses_in_common_spellings() {
        assert_eq!(Status::parse("In Progress"), Some(Status::InProgress));
        assert_eq!(Status::parse("in-progress"), Some(Status::InProgress));
        assert_eq!(Status::parse("Completed"), Some(Status::Complete));
        assert_eq!(Status::parse("Not started"), Some(Status::NotStarted));
        assert_eq!(
            Status::parse("not taken forward"),
            Some(Status::NotTakenForward)
        );
        assert_eq!(Status::parse("maybe"), None);
    }
}
