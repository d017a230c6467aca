//! Durations given in seconds, in words a reader takes in at a glance: `3 min 12 s`.

use super::grouped;

/// `seconds` as hours, minutes and seconds, leaving out zero parts: `3 min 12 s`, `1 h 2 min`,
/// `45 s`. Under a minute the seconds keep `decimals` digits (`2.5 s`); from a minute on they
/// are whole. A negative duration (a change) starts with `-`.
pub fn duration(seconds: f64, decimals: u8) -> String {
    // Hours of a huge duration would be a cast saturated at u64::MAX: say it in seconds.
    if let Some(text) = super::scientific(seconds) {
        return format!("{text} s");
    }
    let sign = if seconds < 0.0 { "-" } else { "" };
    let abs = seconds.abs();
    if abs.round() < 60.0 {
        let text = grouped(abs, decimals);
        let zero = text.bytes().all(|b| b == b'0' || b == b'.');
        let sign = if zero { "" } else { sign };
        return format!("{sign}{text} s");
    }
    // Whole seconds: at most 2^53 s, far above any duration a report shows.
    let total = abs.round() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let mut parts = Vec::with_capacity(3);
    if h > 0 {
        parts.push(format!("{} h", grouped(h as f64, 0)));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 {
        parts.push(format!("{s} s"));
    }
    format!("{sign}{}", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(duration(192.0, 0), "3 min 12 s");
        assert_eq!(duration(180.0, 0), "3 min");
        assert_eq!(duration(-1e300, 0), "-1e300 s");
        assert_eq!(duration(59.4, 0), "59 s");
        assert_eq!(duration(59.6, 0), "1 min");
        assert_eq!(duration(0.0, 0), "0 s");
    }

    #[test]
    fn hours_decimals_and_sign() {
        assert_eq!(duration(3723.0, 0), "1 h 2 min 3 s");
        assert_eq!(duration(7200.0, 0), "2 h");
        assert_eq!(duration(3_600_000.0, 0), "1,000 h");
        assert_eq!(duration(2.5, 1), "2.5 s");
        assert_eq!(duration(-75.0, 0), "-1 min 15 s");
        assert_eq!(duration(-0.2, 0), "0 s");
    }
}
