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

/// Whether `text` is a time of day: `00:00`, `00:00:00`, `00:00:00.000`, `00:00:00Z`.
fn looks_like_time(text: &str) -> bool {
    let t = text.trim().trim_end_matches('Z');
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            let whole = p.split('.').next().unwrap_or("");
            !whole.is_empty()
                && whole.len() <= 2
                && p.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
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
    /// Parse a date as people and spreadsheets write it: `2022-03-31`, `31/03/2022` (UK
    /// order), `31 March 2022`, `31-Mar-2022` and `31-Mar-22` (Excel's date formats), any of
    /// them followed by a time (`31/03/2022 00:00`, `2022-03-31T00:00:00`), or an Excel serial
    /// day number (`44651`, days since 1899-12-30 as Excel counts them).
    pub fn parse(value: &str) -> Option<Date> {
        let v = value.trim();
        // A time of day after the date (an HR system's timestamp) is not part of the date.
        let v = match v.split_once(['T', ' ']) {
            Some((date, time)) if looks_like_time(time) => date,
            _ => v,
        };
        if let Some(date) = Date::from_excel_serial(v) {
            return Some(date);
        }
        let num = |s: &str| s.trim().parse::<u32>().ok();
        let month_named = |m: &str| {
            let m = m.to_lowercase();
            MONTHS
                .iter()
                .position(|name| m.len() >= 3 && name.starts_with(&m))
                .map(|i| i as u32 + 1)
        };
        let (year, month, day) = if let [y, m, d] = v.split('-').collect::<Vec<_>>()[..] {
            match (num(y), month_named(m)) {
                // 31-Mar-2022, 31-Mar-22
                (_, Some(month)) => {
                    let year = match num(d)? {
                        short @ 0..=99 if d.trim().len() == 2 => 2000 + short,
                        year => year,
                    };
                    (year, month, num(y)?)
                }
                (Some(year), None) => (year, num(m)?, num(d)?),
                (None, None) => return None,
            }
        } else if let [d, m, y] = v.split('/').collect::<Vec<_>>()[..] {
            (num(y)?, num(m)?, num(d)?)
        } else if let [d, m, y] = v.split_whitespace().collect::<Vec<_>>()[..] {
            (num(y)?, month_named(m)?, num(d)?)
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

    /// An Excel serial day number (1900 date system, as every Windows and current Mac Excel
    /// uses): day 1 is 1900-01-01, and Excel counts a 29 February 1900 that never was, so
    /// serials from 61 on are days since 1899-12-30. Only whole numbers from 1 January 1950
    /// (18264) to the year 2200 are read as dates: a year alone ("2024") would otherwise be
    /// read as a day of 1905.
    fn from_excel_serial(text: &str) -> Option<Date> {
        let whole = text.strip_suffix(".0").unwrap_or(text);
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 6 {
            return None;
        }
        let serial: i64 = whole.parse().ok()?;
        if !(18_264..=110_211).contains(&serial) {
            return None;
        }
        // Days from 1970-01-01 (1899-12-30 is 25,569 days before it), then the civil date
        // (Howard Hinnant's algorithm).
        let z = serial - 25_569 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
        Some(Date { year, month, day })
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
        // Excel's own forms: d-mmm-yyyy, d-mmm-yy, a date with a time, and serial numbers.
        assert_eq!(Date::parse("31-Mar-2022"), Some(d));
        assert_eq!(Date::parse("31-Mar-22"), Some(d));
        assert_eq!(Date::parse("31/03/2022 00:00"), Some(d));
        assert_eq!(Date::parse("2022-03-31T00:00:00"), Some(d));
        assert_eq!(Date::parse("2022-03-31 00:00:00.000"), Some(d));
        // =DATE(2022,3,31) in Excel is 44651.
        assert_eq!(Date::parse("44651"), Some(d));
        assert_eq!(Date::parse("44651.0"), Some(d));
        // 1 January 1950 is 18264 (25,569 days before 1970 less 7,305); a year alone is not
        // a serial.
        assert_eq!(
            Date::parse("18264"),
            Some(Date {
                year: 1950,
                month: 1,
                day: 1
            })
        );
        assert_eq!(Date::parse("2024"), None);
        assert_eq!(Date::parse("367"), None);
        assert_eq!(
            Date::parse("45747").map(|d| d.to_string()).as_deref(),
            Some("2025-03-31")
        );
        assert_eq!(Date::parse("60"), None);
        assert_eq!(Date::parse("44651.5"), None);
        assert_eq!(Date::parse("31/03/2022 lunchtime"), None);
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
