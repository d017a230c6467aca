//! Numbers too large for their digits to mean anything, in scientific notation.

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

/// `value` with `decimals` digits and no grouping (`1234.50`), in scientific notation from
/// [`LARGE`] on, never `-0.0`: a value that rounds to zero has no sign.
pub fn fixed(value: f64, decimals: u8) -> String {
    if let Some(text) = scientific(value) {
        return text;
    }
    let text = format!("{value:.*}", usize::from(decimals));
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.bytes().all(|b| b == b'0' || b == b'.') => unsigned.into(),
        _ => text,
    }
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
    fn fixed_digits_without_negative_zero() {
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.0, 0), "0");
        assert_eq!(fixed(-0.05, 1), "-0.1");
        assert_eq!(fixed(1234.5, 2), "1234.50");
        assert_eq!(fixed(-2e300, 1), "-2e300");
    }
}
