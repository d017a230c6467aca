//! [`Style`]: how one report writes numbers, the locale's way and in the project's currency.

use kpi_core::data::rollup::Grain;
use kpi_core::target::Level;
use kpi_core::{Direction, Period, Unit};

use super::{grouped, level, unit};
use crate::locale::{Locale, Words};

/// A currency, by its ISO 4217 code (`EUR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The currency of a code of three capital letters; `None` for anything else.
    pub fn new(code: &str) -> Option<Currency> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Currency(bytes))
    }

    /// The code, `EUR`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("three ASCII capitals")
    }

    /// The digits of its minor unit, as CLDR writes amounts (ISO 4217's exponent): `JPY` 0,
    /// `KWD` 3, and 2 for any currency not in [`MINOR_DIGITS`].
    pub fn minor_digits(&self) -> u8 {
        MINOR_DIGITS
            .iter()
            .find(|(code, _)| *code == self.code())
            .map_or(DEFAULT_MINOR_DIGITS, |&(_, digits)| digits)
    }
}

/// The minor-unit digits of amounts when no currency is set, and of every currency not in
/// [`MINOR_DIGITS`]: most currencies have cents.
pub(super) const DEFAULT_MINOR_DIGITS: u8 = 2;

/// The currencies whose amounts CLDR writes with other than two decimals (CLDR's
/// `currencyData` fractions, which follow ISO 4217 but for a few currencies whose minor unit
/// is no longer used: `ISK`, `IQD`...).
pub(super) const MINOR_DIGITS: &[(&str, u8)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 0),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// How numbers are written in one report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// The language.
    pub locale: Locale,
    /// The currency of `currency` metrics; without one, amounts show no symbol.
    pub currency: Option<Currency>,
    /// The length of the periods reported: the words of a monthly report, a quarterly one
    /// or an annual one.
    pub grain: Grain,
}

impl Style {
    /// The locale's words, for the report's periods.
    pub fn words(&self) -> &'static Words {
        self.locale.words_for(self.grain)
    }

    /// The reported period ending in month `end`, in words: `October 2026`, `Q3 2026`,
    /// `2026`.
    pub fn period(&self, end: Period) -> String {
        self.words().period(end, self.grain)
    }

    /// The decimals an amount of money is written with: the metric's `decimals`, but never
    /// more than the currency's minor unit has (`¥1,235`, not `¥1,234.56`), 2 without a
    /// currency.
    pub fn money_decimals(&self, decimals: u8) -> u8 {
        decimals.min(
            self.currency
                .map_or(DEFAULT_MINOR_DIGITS, |c| c.minor_digits()),
        )
    }

    /// The currency symbol, in this locale, if a currency is set.
    pub fn currency_symbol(&self) -> Option<&str> {
        self.currency
            .as_ref()
            .map(|c| self.words().currency_symbol(c.code()))
    }

    /// A number with grouped thousands: `1,234.5`, `1 234,5`.
    pub fn number(&self, v: f64, decimals: u8) -> String {
        grouped(v, decimals, &self.words().numbers)
    }

    /// A value in its unit: `42.5%`, `€1,234.50`, `3 min 12 s`.
    pub fn value(&self, v: f64, unit: Unit, decimals: u8) -> String {
        unit::value(self, v, unit, decimals)
    }

    /// A target or warning level in the unit: `90.0%`, `95.0% – 105.0%`.
    pub fn level(&self, level: Level, unit: Unit, decimals: u8) -> String {
        level::level(self, level, unit, decimals)
    }

    /// A target level with the side that is good: `≥ 90.0%`, `≤ 2 min`, `95.0% – 105.0%`.
    pub fn target_level(
        &self,
        target: Level,
        direction: Direction,
        unit: Unit,
        decimals: u8,
    ) -> String {
        level::target_level(self, target, direction, unit, decimals)
    }

    /// A signed difference in the unit: `+1,200`, `-0.5 pp`.
    pub fn change(&self, delta: f64, unit: Unit, decimals: u8) -> String {
        unit::change(self, delta, unit, decimals)
    }

    /// A signed relative change: `+12.3%`.
    pub fn relative(&self, ratio: f64) -> String {
        unit::relative(self, ratio)
    }

    /// A month in words: `October 2026`, `octobre 2026`.
    pub fn month(&self, month: Period) -> String {
        self.words().month(month)
    }
}

#[cfg(test)]
mod tests {
    use super::Currency;

    #[test]
    fn minor_digits_follow_cldr() {
        let digits = |code: &str| Currency::new(code).unwrap().minor_digits();
        assert_eq!(
            [
                digits("EUR"),
                digits("USD"),
                digits("JPY"),
                digits("KWD"),
                digits("SEK")
            ],
            [2, 2, 0, 3, 2]
        );
    }

    #[test]
    fn currency_codes() {
        assert_eq!(Currency::new("EUR").unwrap().code(), "EUR");
        for bad in ["eur", "EURO", "E1R", "", "€"] {
            assert!(Currency::new(bad).is_none(), "{bad}");
        }
    }
}
