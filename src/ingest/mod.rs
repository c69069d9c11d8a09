//! Reading inputs: Census tables and workforce extracts. Readers validate as they go and fail
//! with the file, row, column and value of the first problem (or every problem, where a list is
//! more useful, as for unmapped labels and duplicated ids).

pub mod census;
pub mod csvfile;
pub mod extract;
pub mod mapping;
pub mod text;
pub mod values;
pub mod workbook;

pub use census::{
    CensusConfig, CensusEdition, CensusLayout, CensusTable, Comparator, ComparatorName, GroupSet,
    Population,
};
pub use extract::{ColumnKind, ColumnNeed, Extract, ExtractSpec, TextColumn, TypedColumn};
pub use values::Date;
