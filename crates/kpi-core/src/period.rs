//! Calendar months (`YYYY-MM`), the unit of time of every KPI report, and the grains
//! months combine into: quarters and years.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// A calendar month. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

/// The length of the periods a dataset holds: months as read, or longer periods rolled up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grain {
    /// One month: the data as read.
    #[default]
    Month,
    /// Three months, from January, April, July or October.
    Quarter,
    /// A calendar year.
    Year,
}

impl Grain {
    /// How many months it spans.
    pub fn months(self) -> u32 {
        match self {
            Grain::Month => 1,
            Grain::Quarter => 3,
            Grain::Year => 12,
        }
    }

    /// The grain of periods `step` months long.
    pub fn of_step(step: u32) -> Grain {
        match step {
            3 => Grain::Quarter,
            12 => Grain::Year,
            _ => Grain::Month,
        }
    }

    /// The period in a sentence of a message: `month`, `quarter`, `year`.
    pub fn noun(self) -> &'static str {
        match self {
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }

    /// How many periods make a year: the step back to the same period a year earlier.
    pub fn per_year(self) -> usize {
        (12 / self.months()) as usize
    }

    /// The period ending in month `end` as `--period` and rolled-up tables write it:
    /// `2026-09`, `2026-Q3`, `2026`.
    pub fn label(self, end: Period) -> String {
        match self {
            Grain::Month => end.to_string(),
            Grain::Quarter => format!("{}-Q{}", end.year(), end.month().div_ceil(3)),
            Grain::Year => end.year().to_string(),
        }
    }

    /// The first month of the period that holds `month`.
    pub fn start_of(self, month: Period) -> Period {
        let first = match self {
            Grain::Month => month.month(),
            Grain::Quarter => (month.month() - 1) / 3 * 3 + 1,
            Grain::Year => 1,
        };
        Period::new(month.year(), first).expect("a month of the year")
    }
}

/// Why a text is not a `YYYY-MM` period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a month: expected `YYYY-MM`, for example `2026-10`")]
pub struct PeriodError {
    /// The text that was given.
    pub text: String,
}

impl Period {
    /// The month `month` (1–12) of `year`, if it exists.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        (1000..=9999)
            .contains(&year)
            .then_some(Self { year, month })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// Months since year 0, so that differences count calendar months.
    pub(crate) fn ordinal(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// How many months `self` is after `earlier` (negative if before).
    pub fn months_since(self, earlier: Period) -> i64 {
        self.ordinal() - earlier.ordinal()
    }

    /// The month `n` months later (`n` may be negative), if it is a representable period.
    pub fn add_months(self, n: i64) -> Option<Self> {
        let ordinal = self.ordinal().checked_add(n)?;
        let year = i32::try_from(ordinal.div_euclid(12)).ok()?;
        let month = u32::try_from(ordinal.rem_euclid(12)).ok()? + 1;
        Self::new(year, month)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError {
            text: text.to_string(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return Err(err());
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let (year, month) = (&text[..4], &text[5..]);
        if !digits(year) || !digits(month) {
            return Err(err());
        }
        let year = year.parse().map_err(|_| err())?;
        let month = month.parse().map_err(|_| err())?;
        Self::new(year, month).ok_or_else(err)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_displays() {
        assert_eq!(p("2026-10").to_string(), "2026-10");
        assert_eq!(p("2026-01").month(), 1);
    }

    #[test]
    fn rejects_non_months() {
        for bad in [
            "Oct 2026", "2026-13", "2026-00", "2026-1", "26-10", "2026/10", " 2026-10", "+026-10",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_calendar_months() {
        assert_eq!(p("2026-01").months_since(p("2025-11")), 2);
        assert_eq!(p("2026-01").add_months(-1), Some(p("2025-12")));
        assert_eq!(p("2025-12").add_months(1), Some(p("2026-01")));
        assert_eq!(p("2025-12").add_months(-120), Some(p("2015-12")));
        assert!(p("2026-01") < p("2026-02"));
    }
}
