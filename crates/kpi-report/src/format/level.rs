//! A target or warning level written in the report's style: one value, a range, or a target
//! with the side that is good. Every level a report shows (in tables, attention, legends and
//! target changes) is written here, so that all of them read the same.

use kpi_core::target::Level;
use kpi_core::{Direction, Unit};

use super::Style;

/// Two ends of a range, already written: `95.0% – 105.0%`.
pub fn range(low: &str, high: &str) -> String {
    format!("{low} – {high}")
}

/// A level in its unit: one value (`90.0%`) or a range (`95.0% – 105.0%`).
pub fn level(style: &Style, level: Level, unit: Unit, decimals: u8) -> String {
    let fmt = |v: f64| style.value(v, unit, decimals);
    match level {
        Level::Number(v) => fmt(v),
        Level::Range(low, high) => range(&fmt(low), &fmt(high)),
    }
}

/// A target level with the side that is good: `≥ 90.0%`, `≤ 2 min` (for `lower_is_better`);
/// a range as [`level`] writes it. The space after the sign is the locale's unit space.
pub fn target_level(
    style: &Style,
    target: Level,
    direction: Direction,
    unit: Unit,
    decimals: u8,
) -> String {
    let nbsp = style.words().numbers.unit_space;
    let side = match (target, direction) {
        // A yes/no target is the answer that meets it: `✓ Yes`.
        _ if unit == Unit::Boolean => return level(style, target, unit, decimals),
        (Level::Range(..), _) => return level(style, target, unit, decimals),
        (Level::Number(_), Direction::LowerIsBetter) => "≤",
        (Level::Number(_), _) => "≥",
    };
    format!("{side}{nbsp}{}", level(style, target, unit, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn a_level_is_a_value_or_a_range() {
        let style = Style::default();
        assert_eq!(
            level(&style, Level::Number(90.0), Unit::Percent, 1),
            "90.0%"
        );
        assert_eq!(
            level(&style, Level::Range(95.0, 105.0), Unit::Percent, 1),
            "95.0% – 105.0%"
        );
    }

    #[test]
    fn a_target_shows_its_good_side_but_a_range_does_not() {
        let fr = Style {
            locale: Locale::Fr,
            ..Style::default()
        };
        let at = |target, direction| target_level(&fr, target, direction, Unit::Count, 0);
        assert_eq!(
            at(Level::Number(90.0), Direction::HigherIsBetter),
            "≥\u{a0}90"
        );
        assert_eq!(at(Level::Number(2.0), Direction::LowerIsBetter), "≤\u{a0}2");
        assert_eq!(at(Level::Range(1.0, 3.0), Direction::Within), "1 – 3");
    }
}
