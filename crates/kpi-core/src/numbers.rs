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
    let mut text = Vec::with_capacity(40);
    push_round_trip(value, &mut text);
    // In a string of its own length: appending lays a number out with room to spare (see
    // `push_decimal`), and a report keeps hundreds of thousands of these.
    String::from_utf8(text.as_slice().to_vec()).expect("a number is written in ASCII")
}

/// [`round_trip`], appended to `out` as bytes (ASCII): `kpi data pull` writes millions of
/// numbers into text it never needs to check as UTF-8.
pub fn push_round_trip(value: f64, out: &mut Vec<u8>) {
    if value == 0.0 {
        out.push(b'0');
    } else if value.is_finite() && (value.abs() >= LARGE || value.abs() < SMALL) {
        write_display(out, format_args!("{value:e}"));
    } else if let Some((mantissa, decimals)) = few_decimals(value.abs()) {
        if value < 0.0 {
            out.push(b'-');
        }
        push_decimal(mantissa, decimals, out);
    } else {
        write_display(out, format_args!("{value}"));
    }
}

fn write_display(out: &mut Vec<u8>, args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    out.write_fmt(args).expect("a vector takes any bytes");
}

/// Powers of ten that a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `value` (positive, finite) as `mantissa / 10^decimals` with the fewest decimals, when the
/// mantissa is under 10¹⁵; `None` otherwise.
///
/// This is the text Rust's `{}` writes (its shortest form that reads back), without the exact
/// decimal expansion it works through: a mantissa under 10¹⁵ is exact in a double and so is
/// 10^k (k ≤ 22), so `mantissa / 10^k == value` says, with one correctly rounded division,
/// that the decimal reads back as `value`. It is the shortest: a form with fewer decimals
/// would have been found first, one with more has more digits; and no other form with as many
/// decimals reads back, as two numbers 10^-k apart cannot both round to a double whose
/// spacing (under a fifth of 10^-k for such a mantissa) is smaller. `value × 10^k` is rounded
/// once when multiplied, by far less than the distance from the mantissa to a half, so
/// `round` finds it. Everything else (17 significant digits: `0.30000000000000004`) goes
/// through `{}`; a test compares both on millions of numbers.
fn few_decimals(value: f64) -> Option<(u64, usize)> {
    // Data mostly has two decimals or fewer: two are tried first, one test where the search
    // from none took three. When `m / 10^k` reads back as `value` for k < 2, so does
    // `(m · 10^(2-k)) / 100` (the same number), and `value × 100` rounds to that mantissa
    // (under 10¹⁵ its error is far below a half); so two decimals read back whenever fewer do,
    // and then fewer do exactly when the mantissa ends in zeros, which are dropped. When two
    // do not, fewer do not either, and the search goes on from three.
    match reads_back(value, 2) {
        Some((mantissa, true)) => Some(match () {
            () if mantissa % 100 == 0 => (mantissa / 100, 0),
            () if mantissa % 10 == 0 => (mantissa / 10, 1),
            () => (mantissa, 2),
        }),
        Some((_, false)) => search(value, 3),
        // `value × 100` is too large for the test: every count of decimals, from none.
        None => search(value, 0),
    }
}

/// The mantissa of `value` with `decimals` decimals, and whether it reads back as `value`;
/// `None` when `value × 10^decimals` is 10¹⁵ or more.
fn reads_back(value: f64, decimals: usize) -> Option<(u64, bool)> {
    let power = POW10[decimals];
    let scaled = value * power;
    if scaled >= 1e15 {
        return None;
    }
    // The nearest whole number: `scaled + 0.5` is exact under 2⁵², and the conversion
    // truncates (one instruction, where `round` is a call into libm).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mantissa = (scaled + 0.5) as u64;
    // Under 10¹⁵: exact in a double.
    #[allow(clippy::cast_precision_loss)]
    Some((mantissa, mantissa as f64 / power == value))
}

/// [`few_decimals`]' search, from `from` decimals on: the fewest that read back, until the
/// mantissa would reach 10¹⁵.
fn search(value: f64, from: usize) -> Option<(u64, usize)> {
    for decimals in from..POW10.len() {
        if let (mantissa, true) = reads_back(value, decimals)? {
            return Some((mantissa, decimals));
        }
    }
    None
}

/// `mantissa / 10^decimals` written out: `12345, 2` is `123.45`, `5, 3` is `0.005`.
fn push_decimal(mantissa: u64, decimals: usize, out: &mut Vec<u8>) {
    // Laid out in a buffer as written (`94868.51`, `0.05`: the buffer's zeros are the leading
    // ones), then appended whole and cut to length: a copy of a fixed size is a few moves,
    // where copying each piece is a call to `memcpy` per piece, per number.
    const WIDTH: usize = 32;
    let digits = mantissa.checked_ilog10().map_or(1, |d| d as usize + 1);
    let point = usize::from(decimals > 0);
    let total = if digits > decimals {
        digits + point
    } else {
        decimals + 2
    };
    debug_assert!(
        total <= WIDTH,
        "a mantissa under 10^15, at most 22 decimals"
    );
    let mut buffer = [b'0'; WIDTH];
    if decimals > 0 {
        buffer[total - 1 - decimals] = b'.';
    }
    let (mut rest, mut at) = (mantissa, total);
    for k in 0..digits {
        at -= 1;
        if point == 1 && k == decimals {
            at -= 1;
        }
        // A digit: `rest % 10` is under 10.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (rest % 10) as u8;
        buffer[at] = b'0' + digit;
        rest /= 10;
    }
    let end = out.len() + total;
    out.extend_from_slice(&buffer);
    out.truncate(end);
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

    /// What `round_trip` wrote before it had a fast path: Rust's own forms.
    fn round_trip_by_format(value: f64) -> String {
        if value == 0.0 {
            return "0".into();
        }
        if value.is_finite() && (value.abs() >= LARGE || value.abs() < SMALL) {
            return format!("{value:e}");
        }
        value.to_string()
    }

    #[test]
    #[allow(clippy::excessive_precision)] // A double whose shortest forms tie, written exactly.
    fn decimals_are_written_as_rust_writes_them() {
        let mut lcg = crate::lcg::Lcg::new(0x2545_f491_4f6c_dd1d);
        let mut next = move || lcg.next();
        let mut checked = 0;
        let mut check = |value: f64| {
            assert_eq!(round_trip(value), round_trip_by_format(value), "{value:e}");
            checked += 1;
        };
        for _ in 0..400_000 {
            let r = next();
            // Decimals as data holds them: up to 15 digits, 0 to 20 decimals, either sign.
            let digits = (r >> 60) + 1;
            let mantissa = (r >> 4) % 10u64.pow(u32::try_from(digits).unwrap());
            let decimals = usize::try_from((r >> 32) % 21).unwrap();
            #[allow(clippy::cast_precision_loss)]
            let value = mantissa as f64 / POW10[decimals];
            check(if r & 1 == 0 { value } else { -value });
            // Sums of them, which have 17 digits as often as not.
            check(value + 0.1);
            check(value * 3.0);
            // Any double at all.
            check(f64::from_bits(next()));
        }
        // The edges: the bounds of the fast form and of the exponent forms, halves, exact ties
        // of `{}` and its neighbours.
        for value in [
            1e-5,
            1e15,
            999_999_999_999_999.0,
            999_999_999_999_999.9,
            99_999_999_999_999.95,
            0.1 + 0.2,
            859_317_565_415.906_25,
            0.5,
            2.5,
            1.0 / 3.0,
            9_007_199_254_740_993.0,
            123_456_789_012_345.6,
            0.000_012_345_678_901_234_5,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::EPSILON,
        ] {
            for value in [value, -value, value.next_up(), value.next_down()] {
                check(value);
            }
        }
        assert!(checked > 1_600_000);
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
