//! Counting people by classified ethnicity within each value of a breakdown column.
//!
//! The extract already holds each text column as one integer code per row, so the counting is
//! a polars group-by on two integer columns (no strings are copied); only the few distinct
//! values are turned back into text. Everything after this point works on counts only.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::classify::{Classified, EthnicGroup, HighLevelGroup};
use crate::ingest::{Extract, TextColumn};

/// Counts of each classified label, per breakdown value.
pub type CountsByValue = BTreeMap<BreakdownKey, BTreeMap<ClassifiedKey, u64>>;

/// A breakdown value, ordered naturally ("Grade 2" before "Grade 10").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BreakdownKey(pub String);

impl Ord for BreakdownKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        natural_key(&self.0)
            .cmp(&natural_key(&other.0))
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for BreakdownKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    Number(u128),
    Text(String),
}

fn natural_key(s: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        let digit = c.is_ascii_digit();
        let mut piece = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() != digit {
                break;
            }
            piece.push(c);
            chars.next();
        }
        chunks.push(match piece.parse::<u128>() {
            Ok(n) if digit => Chunk::Number(n),
            _ => Chunk::Text(piece.to_lowercase()),
        });
    }
    chunks
}

/// A compact, orderable code for a [`Classified`] value (used as a DataFrame column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassifiedKey(pub(crate) u32);

impl ClassifiedKey {
    pub fn encode(c: Classified) -> ClassifiedKey {
        ClassifiedKey(match c {
            Classified::Group(g) => g.index() as u32,
            Classified::HighLevel(h) => 100 + h.index() as u32,
            Classified::MinorityExcludingWhite => 200,
            Classified::WhiteMinority => 201,
            Classified::NotStated => 300,
        })
    }

    pub fn decode(self) -> Classified {
        match self.0 {
            n @ 0..=18 => Classified::Group(EthnicGroup::ALL[n as usize]),
            n @ 100..=104 => Classified::HighLevel(HighLevelGroup::ALL[(n - 100) as usize]),
            200 => Classified::MinorityExcludingWhite,
            201 => Classified::WhiteMinority,
            _ => Classified::NotStated,
        }
    }
}

/// Blank breakdown values are reported under this name.
pub const BLANK_VALUE: &str = "(blank)";

/// Count people by classified label within each value of the text column `by`, or over
/// everyone when `by` is `None`.
pub fn tabulate(extract: &Extract, by: Option<&TextColumn>) -> crate::Result<CountsByValue> {
    count_codes(extract, by).map_err(|e| {
        crate::Error::usage(
            format!("counting failed: {e}"),
            "report this as a bug in repgap",
        )
    })
}

fn count_codes(extract: &Extract, by: Option<&TextColumn>) -> PolarsResult<CountsByValue> {
    let codes: Vec<u32> = extract
        .ethnicity
        .iter()
        .map(|&e| ClassifiedKey::encode(e).0)
        .collect();
    let values: Vec<u32> = match by {
        Some(column) => column.codes.clone(),
        None => vec![0; codes.len()],
    };
    let frame = DataFrame::new(
        codes.len(),
        vec![
            Column::new("value".into(), values),
            Column::new("code".into(), codes),
        ],
    )?;
    let counted = frame
        .lazy()
        .group_by([col("value"), col("code")])
        .agg([len().alias("n")])
        .collect()?;
    let value_col = counted.column("value")?.u32()?.clone();
    let code_col = counted.column("code")?.u32()?.clone();
    let n_col = counted.column("n")?.cast(&DataType::UInt64)?;
    let n_col = n_col.u64()?;
    let name = |value: u32| match by {
        Some(column) if column.values[value as usize].is_empty() => BLANK_VALUE.to_string(),
        Some(column) => column.values[value as usize].clone(),
        None => "all".to_string(),
    };
    let mut out = CountsByValue::new();
    for ((value, code), n) in value_col.iter().zip(code_col.iter()).zip(n_col.iter()) {
        if let (Some(value), Some(code), Some(n)) = (value, code, n) {
            *out.entry(BreakdownKey(name(value)))
                .or_default()
                .entry(ClassifiedKey(code))
                .or_default() += n;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_grades() {
        let mut v: Vec<BreakdownKey> = ["Grade 10", "Grade 2", "grade 1", "SMT"]
            .iter()
            .map(|s| BreakdownKey(s.to_string()))
            .collect();
        v.sort();
        let names: Vec<&str> = v.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(names, ["grade 1", "Grade 2", "Grade 10", "SMT"]);
    }

    #[test]
    fn counts_by_breakdown_value() {
        let indian = Classified::Group(EthnicGroup::Indian);
        let wf = Extract::from_columns(
            "x.csv",
            vec![indian, indian, Classified::NotStated, indian],
            vec![TextColumn::from_values("grade", &["A", "A", "B", ""])],
        );
        let all = tabulate(&wf, None).unwrap();
        assert_eq!(
            all[&BreakdownKey("all".into())][&ClassifiedKey::encode(indian)],
            3
        );
        let by = tabulate(&wf, Some(wf.text("grade"))).unwrap();
        assert_eq!(by.len(), 3);
        assert_eq!(
            by[&BreakdownKey("A".into())][&ClassifiedKey::encode(indian)],
            2
        );
        assert_eq!(
            by[&BreakdownKey(BLANK_VALUE.into())][&ClassifiedKey::encode(indian)],
            1
        );
        for c in [
            indian,
            Classified::NotStated,
            Classified::MinorityExcludingWhite,
            Classified::WhiteMinority,
            Classified::HighLevel(HighLevelGroup::Other),
        ] {
            assert_eq!(ClassifiedKey::encode(c).decode(), c);
        }
    }
}
