//! Numbers too large for their digits to mean anything, in scientific notation (the rule is
//! `kpi_core::numbers`', shared with the core's own texts), and fixed decimals without `-0`.

pub use kpi_core::numbers::{LARGE, scientific};

use crate::locale::Symbols;

/// [`scientific`] with the locale's decimal separator in the mantissa: `1.5e20`, `1,5e20`.
pub fn scientific_in(value: f64, symbols: &Symbols) -> Option<String> {
    scientific(value).map(|text| text.replacen('.', symbols.decimal, 1))
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
    fn fixed_digits_without_negative_zero() {
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.0, 0), "0");
        assert_eq!(fixed(-0.05, 1), "-0.1");
        assert_eq!(fixed(1234.5, 2), "1234.50");
        assert_eq!(fixed(-2e300, 1), "-2e300");
    }
}
