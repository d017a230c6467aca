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
    let scaled = (value.abs() * factor).round() / factor;
    // Beyond 2^53 the scaling is not exact; such values have no fraction to round anyway.
    let rounded = if scaled.is_finite() {
        scaled
    } else {
        value.abs()
    };
    let text = format!("{:.*}", usize::from(decimals), rounded);
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

#[cfg(test)]
mod tests {
    use super::grouped;
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
