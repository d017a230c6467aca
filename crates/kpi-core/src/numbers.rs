//! Numbers as text for people: the shortest form that reads back as the same double, and
//! scientific notation where the digits of a huge number are noise.

/// From this magnitude on, a number is shown in scientific notation: a double holds about 15
/// significant digits, so the 300 digits of `1e300` written out are noise, and they would
/// stretch a table or a line without end.
pub const LARGE: f64 = 1e15;

/// `value` as `1.23e300` (three significant digits, trailing zeros dropped: `1e300`) when
/// its magnitude is [`LARGE`] or more; `None` for an ordinary number.
pub fn scientific(value: f64) -> Option<String> {
    if !value.is_finite() || value.abs() < LARGE {
        return None;
    }
    let text = format!("{value:.2e}");
    let (mantissa, exponent) = text
        .split_once('e')
        .expect("`e` formatting has an exponent");
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    Some(format!("{mantissa}e{exponent}"))
}

/// `value` in its shortest exact form (`19.5`, `0.30000000000000004`), in scientific
/// notation from [`LARGE`] on, and `0` for either zero (never `-0`).
pub fn short(value: f64) -> String {
    if let Some(text) = scientific(value) {
        return text;
    }
    if value == 0.0 {
        return "0".into();
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_numbers_are_scientific() {
        assert_eq!(scientific(1e300).as_deref(), Some("1e300"));
        assert_eq!(scientific(-1.23456e300).as_deref(), Some("-1.23e300"));
        assert_eq!(scientific(f64::MAX).as_deref(), Some("1.8e308"));
        assert_eq!(scientific(1e15).as_deref(), Some("1e15"));
        assert_eq!(scientific(999_999_999_999_999.0), None);
        assert_eq!(scientific(f64::NAN), None);
    }

    #[test]
    fn short_forms() {
        assert_eq!(short(19.5), "19.5");
        assert_eq!(short(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(short(-0.0), "0");
        assert_eq!(short(-2e300), "-2e300");
    }
}
