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

/// Below this magnitude (zero aside), a number is written with an exponent: `1e-300` written
/// out would be 300 zeros.
pub const SMALL: f64 = 1e-5;

/// `value` for people: its shortest exact form (`19.5`, `0.30000000000000004`), in scientific
/// notation from [`LARGE`] on (three significant digits, see [`scientific`]), with an exponent
/// under [`SMALL`] (`-1e-300`, exact), and `0` for either zero (never `-0`).
pub fn short(value: f64) -> String {
    match scientific(value) {
        Some(text) => text,
        None => round_trip(value),
    }
}

/// `value` in the shortest text that reads back as the same double, for files read again
/// (`kpi data pull`): as [`short`], but a huge number keeps every digit it needs
/// (`1.2345678901234567e300`). Rust's `{:e}` is the shortest exact form with an exponent.
pub fn round_trip(value: f64) -> String {
    if value == 0.0 {
        return "0".into();
    }
    if value.is_finite() && (value.abs() >= LARGE || value.abs() < SMALL) {
        return format!("{value:e}");
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
        assert_eq!(short(-1e-300), "-1e-300");
        assert_eq!(short(1.2345678901234567e300), "1.23e300");
        assert_eq!(round_trip(1.2345678901234567e300), "1.2345678901234567e300");
        assert_eq!(short(0.00001), "0.00001");
        assert_eq!(short(0.000001), "1e-6");
    }

    proptest::proptest! {
        /// The round-trip form reads back as the same double, and is never long.
        #[test]
        fn short_forms_round_trip(bits in proptest::prelude::any::<u64>()) {
            let value = f64::from_bits(bits);
            proptest::prop_assume!(value.is_finite());
            let text = round_trip(value);
            proptest::prop_assert!(text.len() <= 24, "{text}");
            let back: f64 = text.parse().unwrap();
            proptest::prop_assert!(back == value || (back == 0.0 && value == 0.0), "{text}");
        }
    }
}
