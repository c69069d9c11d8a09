//! The label mapping file (`raw_label,group`): a council's own ethnicity labels, laid over the
//! built-in table. The `group` column may use any label the built-in table knows, e.g.
//! `Asian: Other Asian`, `H` or `Not stated`.

use std::path::Path;

use super::csvfile::{CsvFile, InputSource, ReadOptions};
use crate::classify::Classifier;
use crate::error::{Error, Location, Result};

/// The built-in labels with the mapping file at `path` (if any) laid over them, and the
/// mapping file's provenance.
pub fn classifier(mapping: Option<&Path>) -> Result<(Classifier, Option<InputSource>)> {
    let builtin = Classifier::builtin();
    let Some(path) = mapping else {
        return Ok((builtin, None));
    };
    let mut classifier = builtin.clone();
    let file = CsvFile::open(path, &ReadOptions::DETECT)?;
    let raw_col = file.require_column(
        "raw_label",
        "the mapping file needs the columns raw_label,group",
    )?;
    let group_col = file.require_column(
        "group",
        "the mapping file needs the columns raw_label,group",
    )?;
    let group_name = file.headers()[group_col].to_string();
    for record in file.rows() {
        let raw = record.get(raw_col);
        let group = record.get(group_col);
        let Some(meaning) = builtin.classify(group) else {
            return Err(Error::BadValue {
                location: Location::cell(path, record.row, group_name.clone()),
                value: group.to_string(),
                message: "is not a group repgap knows".to_string(),
                hint: format!(
                    "use a Census 2021 label such as 'Asian, Asian British or Asian Welsh: Other Asian', a short form such as 'Other Asian', or 'Not stated'{}",
                    builtin.closest(group).map(|c| format!("; closest known label: '{c}'")).unwrap_or_default()
                ),
            });
        };
        classifier.add_label(raw, meaning);
    }
    Ok((classifier, Some(file.source().clone())))
}
