//! Period cells: the date forms that exports write, each read as the calendar month it falls
//! in, as written (no time-zone conversion), with a key that orders rows by their date and
//! time for the `first` and `last` aggregates. Months as spreadsheets display them
//! (`janv.-25`, `January 2025`, `01/2025`) are read too, in English and French.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime, Timelike as _};
use serde::{Deserialize, Serialize};

use crate::period::Period;

/// How a slashed date with the year last is read: `01/10/2026` is 1 October (`dmy`) or
/// 10 January (`mdy`). Never guessed from the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day, month, year: `31/10/2026`.
    Dmy,
    /// Month, day, year: `10/31/2026`.
    Mdy,
}

/// When a row's period cell says it happened: its month, and a key that orders rows within
/// the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    /// The calendar month.
    pub period: Period,
    /// Orders stamps by date and time as written: seconds since year 0, then nanoseconds.
    pub key: (i64, u32),
    /// Whether the cell gave only a month (`YYYY-MM`, `YYYY/MM`).
    pub month_only: bool,
}

/// Why a period cell is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the forms, or not a real date.
    Invalid,
    /// A slashed date with the year last, and no `date_order` to read it by.
    NeedsOrder,
}

impl Stamp {
    /// The stamp of a whole month.
    pub fn month(period: Period) -> Stamp {
        let date = NaiveDate::from_ymd_opt(period.year(), period.month(), 1)
            .expect("periods are real months");
        Stamp {
            key: (seconds(date, 0), 0),
            period,
            month_only: true,
        }
    }

    /// The stamp of a date and time (a database `date` or `timestamp`).
    pub fn at(date_time: NaiveDateTime) -> Option<Stamp> {
        let date = date_time.date();
        Some(Stamp {
            period: Period::new(date.year(), date.month())?,
            key: (
                seconds(date, date_time.num_seconds_from_midnight()),
                date_time.nanosecond(),
            ),
            month_only: false,
        })
    }
}

fn seconds(date: NaiveDate, seconds_of_day: u32) -> i64 {
    i64::from(date.num_days_from_ce()) * 86_400 + i64::from(seconds_of_day)
}

/// Reads a period cell: `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|±HH[:MM]]`,
/// `YYYY/MM/DD`, `YYYY/MM`, or with `order`, `DD/MM/YYYY` or `MM/DD/YYYY` (leading zeros
/// optional, a time may follow).
pub fn parse_stamp(cell: &str, order: Option<DateOrder>) -> Result<Stamp, DateError> {
    let text = cell.trim();
    if text.starts_with(char::is_alphabetic) {
        return spreadsheet_month(text)
            .map(Stamp::month)
            .ok_or(DateError::Invalid);
    }
    // Every form read here is ASCII, and the parsers below index bytes and slice at fixed
    // offsets: a character of several bytes would put a slice inside it (a panic), so such a
    // cell is refused before any slicing.
    if !text.is_ascii() {
        return Err(DateError::Invalid);
    }
    let (date, time) = match text.find(['T', ' ']) {
        Some(i) => (&text[..i], Some(text[i + 1..].trim_start())),
        None => (text, None),
    };
    let b = date.as_bytes();
    let (year, month, day) = if b.len() >= 7 && b[4] == b'-' {
        let year = number(&date[..4], 4)?;
        let month = number(&date[5..7], 2)?;
        match b.len() {
            7 => (year, month, None),
            10 if b[7] == b'-' => (year, month, Some(number(&date[8..], 2)?)),
            _ => return Err(DateError::Invalid),
        }
    } else if b.len() >= 7 && b[4] == b'/' && b[..4].iter().all(u8::is_ascii_digit) {
        let year = number(&date[..4], 4)?;
        let month = number(&date[5..7], 2)?;
        match b.len() {
            7 => (year, month, None),
            10 if b[7] == b'/' => (year, month, Some(number(&date[8..], 2)?)),
            _ => return Err(DateError::Invalid),
        }
    } else {
        let mut parts = date.split('/');
        let (Some(a), Some(c), y, None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Invalid);
        };
        let Some(y) = y else {
            // `01/2025`, `1/2025`: a month as spreadsheets write it.
            return match (a.len(), c.len(), time) {
                (1..=2, 4, None) => {
                    let period = Period::new(number(c, 4)? as i32, number(a, a.len())?);
                    period.map(Stamp::month).ok_or(DateError::Invalid)
                }
                _ => Err(DateError::Invalid),
            };
        };
        if !(1..=2).contains(&a.len()) || !(1..=2).contains(&c.len()) || y.len() != 4 {
            return Err(DateError::Invalid);
        }
        let (a, c, y) = (number(a, a.len())?, number(c, c.len())?, number(y, 4)?);
        match order {
            None => return Err(DateError::NeedsOrder),
            Some(DateOrder::Dmy) => (y, c, Some(a)),
            Some(DateOrder::Mdy) => (y, a, Some(c)),
        }
    };
    let year = i32::try_from(year).map_err(|_| DateError::Invalid)?;
    let period = Period::new(year, month).ok_or(DateError::Invalid)?;
    let Some(day) = day else {
        return if time.is_none() {
            Ok(Stamp::month(period))
        } else {
            Err(DateError::Invalid)
        };
    };
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Invalid)?;
    let (seconds_of_day, nanos) = match time {
        None => (0, 0),
        Some(time) => parse_time(time)?,
    };
    Ok(Stamp {
        period,
        key: (seconds(date, seconds_of_day), nanos),
        month_only: false,
    })
}

/// The months' names in English and French, lower case, without accents nor abbreviation dot,
/// with the month each names: full names and the abbreviations spreadsheets display.
const MONTH_NAMES: &[(&str, u32)] = &[
    ("jan", 1),
    ("january", 1),
    ("janv", 1),
    ("janvier", 1),
    ("feb", 2),
    ("february", 2),
    ("fev", 2),
    ("fevr", 2),
    ("fevrier", 2),
    ("mar", 3),
    ("march", 3),
    ("mars", 3),
    ("apr", 4),
    ("april", 4),
    ("avr", 4),
    ("avril", 4),
    ("may", 5),
    ("mai", 5),
    ("jun", 6),
    ("june", 6),
    ("juin", 6),
    ("jul", 7),
    ("july", 7),
    ("juil", 7),
    ("juillet", 7),
    ("aug", 8),
    ("august", 8),
    ("aou", 8),
    ("aout", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("septembre", 9),
    ("oct", 10),
    ("october", 10),
    ("octobre", 10),
    ("nov", 11),
    ("november", 11),
    ("novembre", 11),
    ("dec", 12),
    ("december", 12),
    ("decembre", 12),
];

/// The month a cell names as spreadsheets display months: a month's name or abbreviation, in
/// English or French, in any case, with or without accents and abbreviation dot, then `-` or
/// a space and the year in two digits (20YY) or four: `janv.-25`, `janvier 2025`,
/// `FÉVR. 2025`, `Jan-25`, `January 2025`.
pub fn spreadsheet_month(text: &str) -> Option<Period> {
    let name_end = text
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len());
    let (name, rest) = text.split_at(name_end);
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let year = rest.strip_prefix(['-', ' ', '\u{a0}'])?.trim_start();
    // A long name cannot be a month's: checked before the name is copied.
    if name.chars().count() > 9 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(unaccented)
        .collect();
    let month = MONTH_NAMES
        .iter()
        .find_map(|&(n, m)| (n == folded).then_some(m))?;
    let year = match year.len() {
        2 => 2000 + year.parse::<i32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Period::new(year, month)
}

/// A lower-case letter without its accent (the accents of French month names).
fn unaccented(c: char) -> char {
    match c {
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'û' | 'ù' | 'ü' => 'u',
        'à' | 'â' => 'a',
        'î' | 'ï' => 'i',
        'ô' => 'o',
        'ç' => 'c',
        other => other,
    }
}

/// What the slashed dates with the year last of one file say of their order, each kind with
/// the first cell that shows it (`T` says where a cell is).
#[derive(Debug)]
pub(crate) struct OrderEvidence<T> {
    /// The first cell that is a date day first only (`31/10/2024`).
    pub(crate) day_first: Option<T>,
    /// The first cell that is a date month first only (`10/31/2024`).
    pub(crate) month_first: Option<T>,
    /// The first and the last cell that fit both orders, and how many do.
    pub(crate) both: Option<(T, T, usize)>,
    /// Whether some cell fits neither order (`31/31/2024`).
    pub(crate) neither: bool,
}

/// The order a file's slashed dates are in, from their [`OrderEvidence`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OrderFound<T> {
    /// Day first, as the cell that fits only that order shows.
    Only(DateOrder, T),
    /// Some cells fit only day first, others only month first.
    Conflict {
        /// The first cell that is only day first.
        day: T,
        /// The first cell that is only month first.
        month: T,
    },
    /// Every cell fits both orders: the first and the last, and how many.
    Ambiguous(Option<(T, T, usize)>),
}

impl<T: Clone> OrderEvidence<T> {
    /// No cell seen yet.
    pub(crate) fn new() -> Self {
        Self {
            day_first: None,
            month_first: None,
            both: None,
            neither: false,
        }
    }

    /// Adds a cell, found at `at`, if it is a slashed date with the year last.
    pub(crate) fn add(&mut self, cell: &str, at: impl FnOnce() -> T) {
        if parse_stamp(cell, None) != Err(DateError::NeedsOrder) {
            return;
        }
        let day = parse_stamp(cell, Some(DateOrder::Dmy)).is_ok();
        let month = parse_stamp(cell, Some(DateOrder::Mdy)).is_ok();
        match (day, month) {
            (true, false) if self.day_first.is_none() => self.day_first = Some(at()),
            (false, true) if self.month_first.is_none() => self.month_first = Some(at()),
            (true, true) => {
                let here = at();
                self.both = Some(match self.both.take() {
                    Some((first, _, n)) => (first, here, n + 1),
                    None => (here.clone(), here, 1),
                });
            }
            (false, false) => self.neither = true,
            _ => {}
        }
    }

    /// Whether every cell seen fits `order`.
    pub(crate) fn all_fit(&self, order: DateOrder) -> bool {
        let other_only = match order {
            DateOrder::Dmy => &self.month_first,
            DateOrder::Mdy => &self.day_first,
        };
        other_only.is_none() && !self.neither
    }

    /// The order the cells are in.
    pub(crate) fn found(self) -> OrderFound<T> {
        match (self.day_first, self.month_first) {
            (Some(day), Some(month)) => OrderFound::Conflict { day, month },
            (Some(day), None) => OrderFound::Only(DateOrder::Dmy, day),
            (None, Some(month)) => OrderFound::Only(DateOrder::Mdy, month),
            (None, None) => OrderFound::Ambiguous(self.both),
        }
    }
}

/// `HH:MM[:SS[.f]]` then an optional `Z`, `±HH`, `±HHMM` or `±HH:MM` (ignored: the month is
/// the one written).
fn parse_time(text: &str) -> Result<(u32, u32), DateError> {
    let end = text.find(['Z', 'z', '+', '-']).unwrap_or(text.len());
    let (clock, zone) = text.split_at(end);
    check_zone(zone)?;
    let b = clock.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return Err(DateError::Invalid);
    }
    let hours = number(&clock[..2], 2)?;
    let minutes = number(&clock[3..5], 2)?;
    let (mut secs, mut nanos) = (0, 0);
    if b.len() > 5 {
        if b.len() < 8 || b[5] != b':' {
            return Err(DateError::Invalid);
        }
        secs = number(&clock[6..8], 2)?;
        if b.len() > 8 {
            let fraction = clock[8..]
                .strip_prefix(['.', ','])
                .ok_or(DateError::Invalid)?;
            if fraction.is_empty() || fraction.len() > 9 {
                return Err(DateError::Invalid);
            }
            let digits = number(fraction, fraction.len())?;
            nanos = digits * 10u32.pow(9 - fraction.len() as u32);
        }
    }
    if hours > 23 || minutes > 59 || secs > 60 {
        return Err(DateError::Invalid);
    }
    Ok((hours * 3600 + minutes * 60 + secs, nanos))
}

fn check_zone(zone: &str) -> Result<(), DateError> {
    if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        return Ok(());
    }
    let offset = &zone[1..];
    let ok = match offset.len() {
        2 => number(offset, 2).is_ok(),
        4 => number(offset, 4).is_ok(),
        5 => {
            offset.as_bytes()[2] == b':'
                && number(&offset[..2], 2).is_ok()
                && number(&offset[3..], 2).is_ok()
        }
        _ => false,
    };
    if ok { Ok(()) } else { Err(DateError::Invalid) }
}

/// `len` ASCII digits, as a number.
fn number(text: &str, len: usize) -> Result<u32, DateError> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Invalid);
    }
    text.parse().map_err(|_| DateError::Invalid)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_non_ascii_character_in_a_period_cell_is_an_error_not_a_panic() {
        for cell in [
            "2026-1é",
            "2026/1é",
            "2026-10-01 12:0é",
            "2026-10-01 12:00:0é",
        ] {
            for order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)] {
                assert_eq!(parse_stamp(cell, order), Err(DateError::Invalid), "{cell}");
            }
        }
    }

    proptest! {
        /// Any text, and any text that starts like a date, never panics the period parser.
        #[test]
        fn any_unicode_period_cell_is_read_or_refused(
            head in "(2026-1|2026/1|2026-10-01 12:0|2026-10-01 12:00:0|31/1|1/|janv\\.-|FÉVR\\. |oct|août-2|é|)",
            tail in "\\PC{0,12}",
        ) {
            let cell = format!("{head}{tail}");
            for order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)] {
                let _ = parse_stamp(&cell, order);
            }
        }
    }

    fn month(cell: &str, order: Option<DateOrder>) -> Result<String, DateError> {
        parse_stamp(cell, order).map(|s| s.period.to_string())
    }

    #[test]
    fn reads_every_form_as_its_month() {
        for cell in [
            "2026-10",
            "2026-10-01",
            "2026-10-31",
            "2026-10-31T23:59",
            "2026-10-31T23:59:59",
            "2026-10-31 23:59:59.123456",
            "2026-10-31T23:59:59Z",
            "2026-10-31T23:30:00+05:00",
            "2026-10-31T23:30:00-0800",
            "2026-10-31 23:30:00+00",
            "2026/10/31",
            "2026/10",
            " 2026-10-05 ",
        ] {
            assert_eq!(month(cell, None), Ok("2026-10".into()), "{cell}");
        }
        assert!(parse_stamp("2026-10", None).unwrap().month_only);
        assert!(!parse_stamp("2026-10-01", None).unwrap().month_only);
    }

    #[test]
    fn slashed_dates_need_an_order() {
        assert_eq!(month("01/10/2026", None), Err(DateError::NeedsOrder));
        assert_eq!(
            month("01/10/2026", Some(DateOrder::Dmy)),
            Ok("2026-10".into())
        );
        assert_eq!(
            month("01/10/2026", Some(DateOrder::Mdy)),
            Ok("2026-01".into())
        );
        assert_eq!(
            month("1/2/2026", Some(DateOrder::Dmy)),
            Ok("2026-02".into())
        );
        assert_eq!(
            month("31/12/2026 10:00", Some(DateOrder::Dmy)),
            Ok("2026-12".into())
        );
        assert_eq!(
            month("31/12/2026", Some(DateOrder::Mdy)),
            Err(DateError::Invalid)
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for cell in [
            "Oct",
            "Octo 2026",
            "Oct 26 2026",
            "Oct2026",
            "Oct-2026-01",
            "13/2026",
            "1/26",
            "2026-13",
            "2026-02-30",
            "2026-10-01T25:00",
            "2026-1",
            "2026-10-1",
            "2026-10T10:00",
            "2026-10-01T10",
            "",
            "2026-10-01X",
            "2026-10-01T10:00+5",
        ] {
            assert_eq!(
                month(cell, Some(DateOrder::Dmy)),
                Err(DateError::Invalid),
                "{cell}"
            );
        }
    }

    #[test]
    fn reads_months_as_spreadsheets_display_them() {
        for (cell, expected) in [
            ("janv.-25", "2025-01"),
            ("janv-25", "2025-01"),
            ("janvier 2025", "2025-01"),
            ("oct. 2024", "2024-10"),
            ("Jan-25", "2025-01"),
            ("Jan 2025", "2025-01"),
            ("January 2025", "2025-01"),
            ("01/2025", "2025-01"),
            ("1/2025", "2025-01"),
            ("févr.-25", "2025-02"),
            ("fevr 2025", "2025-02"),
            ("FÉVR. 2025", "2025-02"),
            ("mars-25", "2025-03"),
            ("avr.-25", "2025-04"),
            ("mai-25", "2025-05"),
            ("MAY 2025", "2025-05"),
            ("juin-25", "2025-06"),
            ("juil.-25", "2025-07"),
            ("août-25", "2025-08"),
            ("aout 2025", "2025-08"),
            ("sept.-25", "2025-09"),
            ("Sep-25", "2025-09"),
            ("nov.-25", "2025-11"),
            ("déc.-25", "2025-12"),
            ("Décembre 2025", "2025-12"),
            ("12/2025", "2025-12"),
            (" oct.-99 ", "2099-10"),
        ] {
            for order in [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)] {
                assert_eq!(month(cell, order), Ok(expected.into()), "{cell}");
            }
        }
        assert!(parse_stamp("janv.-25", None).unwrap().month_only);
    }

    #[test]
    fn the_order_of_slashed_dates_is_told_by_a_cell_that_fits_one_order_only() {
        let found = |cells: &[&str]| {
            let mut evidence = OrderEvidence::new();
            for (i, cell) in cells.iter().enumerate() {
                evidence.add(cell, || i + 1);
            }
            evidence.found()
        };
        assert_eq!(
            found(&["01/10/2024", "31/10/2024", "2024-10"]),
            OrderFound::Only(DateOrder::Dmy, 2)
        );
        assert_eq!(
            found(&["10/1/2024", "10/31/2024 09:00", "12/31/2024"]),
            OrderFound::Only(DateOrder::Mdy, 2)
        );
        assert_eq!(
            found(&["31/10/2024", "10/31/2024"]),
            OrderFound::Conflict { day: 1, month: 2 }
        );
        assert_eq!(
            found(&["01/10/2024", "Total", "02/10/2024", "03/10/2024"]),
            OrderFound::Ambiguous(Some((1, 4, 3)))
        );
        assert_eq!(found(&["2024-10-01"]), OrderFound::Ambiguous(None));
        let mut evidence = OrderEvidence::new();
        evidence.add("31/10/2024", || 1);
        assert!(evidence.all_fit(DateOrder::Dmy));
        assert!(!evidence.all_fit(DateOrder::Mdy));
        evidence.add("31/31/2024", || 2);
        assert!(!evidence.all_fit(DateOrder::Dmy));
    }

    #[test]
    fn keys_order_by_date_and_time() {
        let key = |c| parse_stamp(c, None).unwrap().key;
        assert!(key("2026-10-01") < key("2026-10-01T00:00:01"));
        assert!(key("2026-10-01T00:00:01") < key("2026-10-01T00:00:01.5"));
        assert!(key("2026-10-01T23:59:59") < key("2026-10-02"));
        assert_eq!(key("2026-10-01T10:00Z"), key("2026-10-01 10:00+02:00"));
    }
}
