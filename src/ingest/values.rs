//! Reading one cell as a typed value: yes/no flags, amounts of money or hours, and dates. Each
//! parser says what is wrong in words a user can act on; the reader adds the file, row and
//! column.

use serde::Serialize;

/// Read a yes/no value: yes, y, true, 1, x / no, n, false, 0, blank.
pub fn parse_flag(value: &str) -> Option<bool> {
    // Called once per row and flag column: compare without allocating a lower-cased copy.
    let v = value.trim();
    let is = |word: &str| v.eq_ignore_ascii_case(word);
    if ["yes", "y", "true", "1", "x"].into_iter().any(is) {
        Some(true)
    } else if v.is_empty() || ["no", "n", "false", "0"].into_iter().any(is) {
        Some(false)
    } else {
        None
    }
}

/// Why a number cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberProblem {
    NotANumber,
    /// NaN or infinite: no amount of pay or hours.
    NotFinite,
    Negative,
    /// `18,58`: a comma before the last one or two digits is a decimal comma, not a thousands
    /// separator; read as one it would make £18.58 into £1,858.
    DecimalComma,
    /// Above [`LARGEST_AMOUNT`]: no one's pay or hours.
    TooLarge,
}

/// The largest amount read (a billion): anything larger is a mistake in the data (`1e308`),
/// and would overflow the sums of a mean.
pub const LARGEST_AMOUNT: f64 = 1e9;

/// Whether `raw` (a £ sign and spaces already removed) uses commas only between groups of
/// three digits before any decimal point: `1,650.00` yes, `18,58` and `1.234,56` no.
fn commas_group_thousands(raw: &str) -> bool {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    if fraction.contains(',') {
        return false;
    }
    let whole = whole.trim_start_matches('-');
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Read an amount such as `15.42`, `£1,650.00` or ` 37.5 `: a pound sign, thousands commas and
/// spaces are allowed. Blank is `Ok(None)`; what blank means is up to the analysis.
pub fn parse_amount(value: &str) -> Result<Option<f64>, NumberProblem> {
    let raw = value.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let parsed = if raw
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        raw.parse::<f64>()
    } else {
        let unsigned: String = raw.chars().filter(|c| !matches!(c, '£' | ' ')).collect();
        if unsigned.contains(',') && !commas_group_thousands(&unsigned) {
            return Err(NumberProblem::DecimalComma);
        }
        unsigned.replace(',', "").parse::<f64>()
    };
    match parsed {
        Ok(v) if !v.is_finite() => Err(NumberProblem::NotFinite),
        Ok(v) if v > LARGEST_AMOUNT => Err(NumberProblem::TooLarge),
        Ok(v) if v < 0.0 => Err(NumberProblem::Negative),
        Ok(v) => Ok(Some(v)),
        Err(_) => Err(NumberProblem::NotANumber),
    }
}

/// A calendar date, parsed from `2022-03-31`, `31/03/2022` (UK order) or `31 March 2022`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Date {
    pub fn parse(value: &str) -> Option<Date> {
        let v = value.trim();
        let num = |s: &str| s.trim().parse::<u32>().ok();
        let (year, month, day) = if let [y, m, d] = v.split('-').collect::<Vec<_>>()[..] {
            (num(y)?, num(m)?, num(d)?)
        } else if let [d, m, y] = v.split('/').collect::<Vec<_>>()[..] {
            (num(y)?, num(m)?, num(d)?)
        } else if let [d, m, y] = v.split_whitespace().collect::<Vec<_>>()[..] {
            let m = m.to_lowercase();
            let month = MONTHS
                .iter()
                .position(|name| m.len() >= 3 && name.starts_with(&m))?;
            (num(y)?, month as u32 + 1, num(d)?)
        } else {
            return None;
        };
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let valid = (1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days[month as usize - 1];
        valid.then_some(Date { year, month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_three_forms() {
        let d = Date {
            year: 2022,
            month: 3,
            day: 31,
        };
        assert_eq!(Date::parse("2022-03-31"), Some(d));
        assert_eq!(Date::parse("31/03/2022"), Some(d));
        assert_eq!(Date::parse("31 March 2022"), Some(d));
        assert_eq!(Date::parse("31 Mar 2022"), Some(d));
        assert_eq!(Date::parse("2022-02-30"), None);
        assert_eq!(Date::parse("03/31/2022"), None);
        assert_eq!(Date::parse("March 2022"), None);
        assert_eq!(d.to_string(), "2022-03-31");
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag(" Yes "), Some(true));
        assert_eq!(parse_flag(""), Some(false));
        assert_eq!(parse_flag("maybe"), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("15.42"), Ok(Some(15.42)));
        assert_eq!(parse_amount(" £1,650.00 "), Ok(Some(1650.0)));
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("-12.00"), Err(NumberProblem::Negative));
        assert_eq!(parse_amount("twelve"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_amount("NaN"), Err(NumberProblem::NotFinite));
        assert_eq!(parse_amount("inf"), Err(NumberProblem::NotFinite));
        assert_eq!(parse_amount("-inf"), Err(NumberProblem::NotFinite));
        assert_eq!(parse_amount("1e308"), Err(NumberProblem::TooLarge));
        assert_eq!(parse_amount("1e3"), Ok(Some(1000.0)));
        // A decimal comma is never read as a thousands separator.
        assert_eq!(parse_amount("18,58"), Err(NumberProblem::DecimalComma));
        assert_eq!(parse_amount("1.234,56"), Err(NumberProblem::DecimalComma));
        assert_eq!(parse_amount("£46,016.00"), Ok(Some(46016.0)));
        assert_eq!(parse_amount("1,234,567"), Ok(Some(1234567.0)));
        assert_eq!(parse_amount("12,34,567"), Err(NumberProblem::DecimalComma));
    }
}
