//! Values, changes and plain numbers formatted for a metric's unit.

use kpi_core::Unit;

use super::{duration, grouped};

/// A value in its unit: `12,345` (count), `12,345.67` (currency, number, score: no currency
/// symbol, as definitions do not name the currency), `42.5 %` (percent), `3 min 12 s`
/// (seconds).
pub fn value(v: f64, unit: Unit, decimals: u8) -> String {
    match unit {
        Unit::Percent => format!("{} %", grouped(v, decimals)),
        Unit::Seconds => duration(v, decimals),
        Unit::Currency | Unit::Count | Unit::Number | Unit::Score => grouped(v, decimals),
    }
}

/// A difference between two values in their unit, always signed: `+1,200`, `-0.5 pp` (a
/// change of a percentage is in percentage points), `+1 min 3 s`, `0` when it rounds to
/// nothing.
pub fn change(delta: f64, unit: Unit, decimals: u8) -> String {
    let text = match unit {
        Unit::Percent => format!("{} pp", grouped(delta, decimals)),
        _ => value(delta, unit, decimals),
    };
    if text.starts_with('-') || is_zero(&text) {
        text
    } else {
        format!("+{text}")
    }
}

/// A relative change, `0.123` → `+12.3 %`.
pub fn relative(ratio: f64) -> String {
    let text = format!("{} %", grouped(ratio * 100.0, 1));
    if text.starts_with('-') || is_zero(&text) {
        text
    } else {
        format!("+{text}")
    }
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

/// Whether a formatted number shows zero (all its digits are `0`).
fn is_zero(text: &str) -> bool {
    !text.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_per_unit() {
        assert_eq!(value(42.5, Unit::Percent, 1), "42.5 %");
        assert_eq!(value(12_345.678, Unit::Currency, 2), "12,345.68");
        assert_eq!(value(12_345.0, Unit::Count, 0), "12,345");
        assert_eq!(value(192.0, Unit::Seconds, 0), "3 min 12 s");
        assert_eq!(value(-12.0, Unit::Score, 0), "-12");
    }

    #[test]
    fn signed_changes() {
        assert_eq!(change(2.5, Unit::Percent, 1), "+2.5 pp");
        assert_eq!(change(-1200.0, Unit::Count, 0), "-1,200");
        assert_eq!(change(63.0, Unit::Seconds, 0), "+1 min 3 s");
        assert_eq!(change(0.001, Unit::Number, 2), "0.00");
        assert_eq!(relative(0.123), "+12.3 %");
        assert_eq!(relative(-0.5), "-50.0 %");
        assert_eq!(relative(0.0), "0.0 %");
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
