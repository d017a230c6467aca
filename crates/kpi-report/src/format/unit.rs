//! Values, changes and plain numbers formatted for a metric's unit, in a [`Style`].

use kpi_core::Unit;

use super::{Style, duration, grouped, money};

/// A value in its unit: `12,345` (count, number, score), `€12,345.68` (currency, with a
/// currency set; without one, no symbol), `42.5%` (percent, `42,5 %` in French), `3 min 12 s`
/// (seconds). Amounts of money have at most the currency's minor-unit digits (CLDR: `¥1,235`,
/// `€12.35` even with more `decimals`).
pub fn value(style: &Style, v: f64, unit: Unit, decimals: u8) -> String {
    let symbols = &style.words().numbers;
    let decimals = match unit {
        Unit::Currency => style.money_decimals(decimals),
        _ => decimals,
    };
    match unit {
        Unit::Percent => format!("{}{}", grouped(v, decimals, symbols), symbols.percent),
        Unit::Seconds => duration(v, decimals, symbols),
        Unit::Currency => match style.currency_symbol() {
            Some(symbol) => money(v, decimals, symbol, symbols),
            None => grouped(v, decimals, symbols),
        },
        Unit::Count | Unit::Number | Unit::Score => grouped(v, decimals, symbols),
        Unit::Boolean => yes_no(style, v),
    }
}

/// A yes/no value with its mark, as reports show it: `✓ Yes` for any value but 0 (formulas
/// give 1 for true), `✗ No`.
fn yes_no(style: &Style, v: f64) -> String {
    let words = &style.words().objectives;
    if v != 0.0 {
        format!("✓ {}", words.yes)
    } else {
        format!("✗ {}", words.no)
    }
}

/// A difference between two values in their unit, always signed: `+1,200`, `-0.5 pp` (a
/// change of a percentage is in percentage points: `pp`, `pt` in French), `+1 min 3 s`, `0`
/// when it rounds to nothing.
pub fn change(style: &Style, delta: f64, unit: Unit, decimals: u8) -> String {
    let words = style.words();
    let text = match unit {
        Unit::Percent => {
            let number = grouped(delta, decimals, &words.numbers);
            let shown: f64 = number
                .replace(words.numbers.group, "")
                .replace(words.numbers.decimal, ".")
                .parse()
                .unwrap_or(delta);
            format!(
                "{number}{}{}",
                words.numbers.unit_space,
                (words.points)(shown)
            )
        }
        // A yes/no changes from one word to the other; callers show the two values instead.
        Unit::Boolean => return String::new(),
        _ => value(style, delta, unit, decimals),
    };
    signed(text)
}

/// A relative change, `0.123` → `+12.3%` (`+12,3 %` in French).
pub fn relative(style: &Style, ratio: f64) -> String {
    let symbols = &style.words().numbers;
    signed(format!(
        "{}{}",
        grouped(ratio * 100.0, 1, symbols),
        symbols.percent
    ))
}

/// A number as a formula would hold it, without grouping and without trailing zeros, to at
/// most six decimals: `1234.5`, `0.3`, `-2`; `1e300` from [`super::LARGE`] on.
pub fn plain(v: f64) -> String {
    if let Some(text) = super::scientific(v) {
        return text;
    }
    let text = format!("{v:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".into(),
        t => t.into(),
    }
}

/// `text` with a `+` in front unless it is negative or shows zero.
fn signed(text: String) -> String {
    if text.starts_with('-') || is_zero(&text) {
        text
    } else {
        format!("+{text}")
    }
}

/// Whether a formatted number shows zero (none of its digits is other than `0`).
fn is_zero(text: &str) -> bool {
    !text.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Currency;
    use crate::locale::Locale;

    const EN: Style = Style {
        locale: Locale::En,
        currency: None,
        grain: kpi_core::data::rollup::Grain::Month,
    };

    fn fr() -> Style {
        Style {
            locale: Locale::Fr,
            currency: Currency::new("EUR"),
            ..EN
        }
    }

    /// With no-break spaces shown as `_` and narrow ones as `^`, to read the tests.
    fn show(text: String) -> String {
        text.replace('\u{a0}', "_").replace('\u{202f}', "^")
    }

    #[test]
    fn values_per_unit() {
        assert_eq!(value(&EN, 42.5, Unit::Percent, 1), "42.5%");
        assert_eq!(value(&EN, 12_345.678, Unit::Currency, 2), "12,345.68");
        assert_eq!(value(&EN, 12_345.0, Unit::Count, 0), "12,345");
        assert_eq!(show(value(&EN, 192.0, Unit::Seconds, 0)), "3_min_12_s");
        assert_eq!(value(&EN, -12.0, Unit::Score, 0), "-12");
        let usd = Style {
            currency: Currency::new("USD"),
            ..EN
        };
        assert_eq!(value(&usd, 6.0, Unit::Currency, 2), "$6.00");
        assert_eq!(value(&usd, 1_234_567.5, Unit::Currency, 2), "$1,234,567.50");
    }

    #[test]
    fn french_values() {
        assert_eq!(show(value(&fr(), 55.0, Unit::Percent, 1)), "55,0_%");
        assert_eq!(
            show(value(&fr(), 1_234_567.5, Unit::Currency, 2)),
            "1^234^567,50_€"
        );
        assert_eq!(show(value(&fr(), 7238.0, Unit::Count, 0)), "7^238");
    }

    #[test]
    fn signed_changes() {
        assert_eq!(show(change(&EN, 2.5, Unit::Percent, 1)), "+2.5_pp");
        assert_eq!(change(&EN, -1200.0, Unit::Count, 0), "-1,200");
        assert_eq!(show(change(&EN, 63.0, Unit::Seconds, 0)), "+1_min_3_s");
        assert_eq!(change(&EN, 0.001, Unit::Number, 2), "0.00");
        assert_eq!(relative(&EN, 0.123), "+12.3%");
        assert_eq!(relative(&EN, -0.5), "-50.0%");
        assert_eq!(relative(&EN, 0.0), "0.0%");
        let usd = Style {
            currency: Currency::new("USD"),
            ..EN
        };
        assert_eq!(change(&usd, 6.0, Unit::Currency, 2), "+$6.00");
    }

    #[test]
    fn french_changes_use_points() {
        assert_eq!(show(change(&fr(), 0.3, Unit::Percent, 1)), "+0,3_pt");
        assert_eq!(show(change(&fr(), -1.96, Unit::Percent, 1)), "-2,0_pts");
        assert_eq!(show(change(&fr(), -1.5, Unit::Percent, 1)), "-1,5_pt");
        assert_eq!(show(relative(&fr(), 0.123)), "+12,3_%");
        assert_eq!(show(change(&fr(), 6.0, Unit::Currency, 2)), "+6,00_€");
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(plain(1234.5), "1234.5");
        assert_eq!(plain(0.1 + 0.2), "0.3");
        assert_eq!(plain(-2.0), "-2");
        assert_eq!(plain(-0.0000001), "0");
        assert_eq!(plain(100.0), "100");
        assert_eq!(plain(-1e300), "-1e300");
    }
}
