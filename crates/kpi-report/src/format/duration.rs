//! Durations given in seconds, in words a reader takes in at a glance: `3 min 12 s`.

use super::grouped;
use crate::locale::Symbols;

/// `seconds` as hours, minutes and seconds, leaving out zero parts: `3 min 12 s`, `1 h 2 min`,
/// `45 s`, every space a no-break space so that a duration never wraps. Under a minute the
/// seconds keep `decimals` digits (`2.5 s`); from a minute on they are whole. A negative
/// duration (a change) starts with `-`.
pub fn duration(seconds: f64, decimals: u8, symbols: &Symbols) -> String {
    let space = symbols.unit_space;
    // Hours of a huge duration would be a cast saturated at u64::MAX: say it in seconds.
    if let Some(text) = super::scientific_in(seconds, symbols) {
        return format!("{text}{space}s");
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let abs = seconds.abs();
    if abs.round() < 60.0 {
        let text = grouped(abs, decimals, symbols);
        let zero = !text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        let sign = if zero { "" } else { sign };
        return format!("{sign}{text}{space}s");
    }
    // Whole seconds: at most 2^53 s, far above any duration a report shows.
    let total = abs.round() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let mut parts = Vec::with_capacity(3);
    if h > 0 {
        parts.push(format!("{}{space}h", grouped(h as f64, 0, symbols)));
    }
    if m > 0 {
        parts.push(format!("{m}{space}min"));
    }
    if s > 0 {
        parts.push(format!("{s}{space}s"));
    }
    format!("{sign}{}", parts.join(space))
}

#[cfg(test)]
mod tests {
    use super::duration;
    use crate::locale::Locale;

    /// English, with no-break spaces shown as plain ones.
    fn en(seconds: f64, decimals: u8) -> String {
        duration(seconds, decimals, &Locale::En.words().numbers).replace('\u{a0}', " ")
    }

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(en(192.0, 0), "3 min 12 s");
        assert_eq!(en(180.0, 0), "3 min");
        assert_eq!(en(-1e300, 0), "-1e300 s");
        assert_eq!(en(59.4, 0), "59 s");
        assert_eq!(en(59.6, 0), "1 min");
        assert_eq!(en(0.0, 0), "0 s");
    }

    #[test]
    fn hours_decimals_and_sign() {
        assert_eq!(en(3723.0, 0), "1 h 2 min 3 s");
        assert_eq!(en(7200.0, 0), "2 h");
        assert_eq!(en(3_600_000.0, 0), "1,000 h");
        assert_eq!(en(2.5, 1), "2.5 s");
        assert_eq!(en(-75.0, 0), "-1 min 15 s");
        assert_eq!(en(-0.2, 0), "0 s");
    }

    #[test]
    fn no_breakable_space_and_french_decimals() {
        let text = duration(3723.0, 0, &Locale::En.words().numbers);
        assert_eq!(text, "1\u{a0}h\u{a0}2\u{a0}min\u{a0}3\u{a0}s");
        assert_eq!(duration(2.5, 1, &Locale::Fr.words().numbers), "2,5\u{a0}s");
    }
}
