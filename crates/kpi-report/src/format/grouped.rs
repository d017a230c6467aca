//! Decimal numbers with thousands separators, as a locale writes them: `1,234,567.89`,
//! `1 234 567,89`.

use crate::locale::Symbols;

/// `value` rounded to `decimals` digits (halves away from zero, as people round: 72.5 → 73),
/// with the locale's separator between groups of three digits, its decimal separator, and a
/// leading `-` when negative. A value that rounds to zero is never shown as `-0`. From
/// [`super::LARGE`] on, scientific notation (with the locale's decimal separator).
pub fn grouped(value: f64, decimals: u8, symbols: &Symbols) -> String {
    // The engine never yields a non-finite value, but a product of two (a percentage of a
    // huge ratio) can overflow; it must never print as `inf`.
    if !value.is_finite() {
        return "—".into();
    }
    // 300 grouped digits are noise, and too wide for a table cell.
    if let Some(text) = super::scientific_in(value, symbols) {
        return text;
    }
    let factor = 10f64.powi(i32::from(decimals));
    let whole = (value.abs() * factor).round();
    let text = match digits(whole, decimals) {
        Some(text) => text,
        None => {
            let scaled = whole / factor;
            // Beyond 2^53 the scaling is not exact; such values have no fraction to round
            // anyway.
            let rounded = if scaled.is_finite() {
                scaled
            } else {
                value.abs()
            };
            format!("{:.*}", usize::from(decimals), rounded)
        }
    };
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(text.len() + int.len() + 4);
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push_str(symbols.group);
        }
        out.push(digit);
    }
    if let Some(frac) = frac {
        out.push_str(symbols.decimal);
        out.push_str(frac);
    }
    out
}

/// `whole` / 10^`decimals` written with `decimals` decimals, as `{:.*}` writes the double
/// nearest to it, without Rust's exact-decimal machinery (Dragon4 on bignums for most
/// values): `whole` a whole number below 2⁵¹ and `decimals` at most 15.
///
/// Why it is the same text: the double q nearest to whole / 10^d is within 2⁻⁵³·q of it,
/// and q < 2⁵¹ / 10^d makes that less than 10^-d / 4, so q rounded to d decimals is whole /
/// 10^d, never a tie; its digits are those of `whole`, with the point d places from the end.
fn digits(whole: f64, decimals: u8) -> Option<String> {
    if !(0.0..2_251_799_813_685_248.0).contains(&whole) || decimals > 15 {
        return None;
    }
    // Exact: a whole number below 2⁵¹.
    let digits = (whole as u64).to_string();
    let d = usize::from(decimals);
    if d == 0 {
        return Some(digits);
    }
    let mut text = String::with_capacity(digits.len().max(d + 1) + 2);
    if digits.len() <= d {
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', d - digits.len()));
        text.push_str(&digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - d);
        text.push_str(int);
        text.push('.');
        text.push_str(frac);
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::grouped;

    /// The text `{:.*}` gives, the way `grouped` wrote every value before its fast path.
    fn reference(value: f64, decimals: u8) -> String {
        let factor = 10f64.powi(i32::from(decimals));
        let scaled = (value.abs() * factor).round() / factor;
        let rounded = if scaled.is_finite() {
            scaled
        } else {
            value.abs()
        };
        format!("{:.*}", usize::from(decimals), rounded)
    }

    /// The digits are those `{:.*}` writes, for values at every scale, halves and near
    /// halves, and every number of decimals, up to the bound and past it.
    #[test]
    fn digits_are_what_rust_writes() {
        for bits in crate::lcg::values(11, 300_000) {
            let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
            let scale = [1.0, 100.0, 1e4, 1e7, 1e10, 1e13, 1e15][(bits % 7) as usize];
            let decimals = ((bits >> 3) % 17) as u8;
            for v in [
                unit * scale,
                (unit * scale * 200.0).round() / 200.0,
                -unit * scale,
            ] {
                let factor = 10f64.powi(i32::from(decimals));
                let whole = (v.abs() * factor).round();
                if let Some(text) = super::digits(whole, decimals) {
                    assert_eq!(text, reference(v, decimals), "{v:e}, {decimals} decimals");
                }
            }
        }
        for (v, d) in [
            (0.0, 3),
            (0.05, 1),
            (0.004, 2),
            (1e-9, 6),
            (2_251_799_813_685_247.0, 0),
        ] {
            let whole = (f64::abs(v) * 10f64.powi(d)).round();
            let d = u8::try_from(d).expect("small");
            assert_eq!(super::digits(whole, d).expect("in range"), reference(v, d));
        }
    }
    use crate::locale::Locale;

    fn en(v: f64, d: u8) -> String {
        grouped(v, d, &Locale::En.words().numbers)
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(en(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(en(12_345.0, 0), "12,345");
        assert_eq!(en(999.0, 0), "999");
        assert_eq!(en(1000.0, 0), "1,000");
        assert_eq!(en(100_000.0, 1), "100,000.0");
        assert_eq!(en(0.5, 0), "1");
        assert_eq!(en(2.5, 0), "3");
        assert_eq!(en(72.5, 0), "73");
        assert_eq!(en(0.25, 1), "0.3");
    }

    #[test]
    fn negative_numbers_and_zero() {
        assert_eq!(en(-1234.5, 1), "-1,234.5");
        assert_eq!(en(-0.001, 2), "0.00");
        assert_eq!(en(-2.5, 0), "-3");
        assert_eq!(en(-0.0, 0), "0");
        assert_eq!(en(0.0, 3), "0.000");
    }

    #[test]
    fn french_groups_with_a_narrow_no_break_space() {
        let fr = |v: f64, d: u8| grouped(v, d, &Locale::Fr.words().numbers);
        assert_eq!(fr(1_234_567.5, 2), "1\u{202f}234\u{202f}567,50");
        assert_eq!(fr(-1234.5, 1), "-1\u{202f}234,5");
        assert_eq!(fr(999.25, 1), "999,3");
    }

    #[test]
    fn huge_numbers_are_scientific() {
        assert_eq!(en(1e300, 2), "1e300");
        assert_eq!(en(-1.5e20, 0), "-1.5e20");
        assert_eq!(en(999_999_999_999_999.0, 0), "999,999,999,999,999");
        let fr = |v: f64, d: u8| grouped(v, d, &Locale::Fr.words().numbers);
        assert_eq!(fr(-1.5e20, 0), "-1,5e20");
        assert_eq!(fr(1e300, 2), "1e300");
    }
}
