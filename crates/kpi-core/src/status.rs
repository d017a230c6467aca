//! Targets, and the status of a value against them: on target, at risk, off target, and the
//! pace towards a target that has a baseline and a deadline.

use serde::Serialize;

use crate::definition::Direction;
use crate::period::Period;

/// A KPI's objective: the `[target]` table of a definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The value to reach.
    pub value: f64,
    /// The level past which the metric is off target rather than at risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<f64>,
    /// Where the metric stood when the target was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// When the baseline was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_period: Option<Period>,
    /// When the target should be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Period>,
}

/// Where a value stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or past the target.
    OnTarget,
    /// Short of the target but not past the warning level.
    AtRisk,
    /// Past the warning level (or short of the target when there is no warning level).
    OffTarget,
    /// The metric has no target.
    NoTarget,
    /// The metric has no value this month.
    NoData,
}

impl Status {
    /// The status of `value` against `target` for a metric going in `direction`.
    ///
    /// For `higher_is_better`: `v >= t` is on target; else `v >= w` (when there is a warning
    /// level) is at risk; else off target. `lower_is_better` is the mirror image.
    pub fn of(value: Option<f64>, target: Option<&Target>, direction: Option<Direction>) -> Self {
        let Some(v) = value else {
            return Self::NoData;
        };
        let (Some(target), Some(direction)) = (target, direction) else {
            return Self::NoTarget;
        };
        let at_least = |v: f64, bound: f64| direction.at_least_as_good(v, bound);
        if at_least(v, target.value) {
            Self::OnTarget
        } else if target.warning.is_some_and(|w| at_least(v, w)) {
            Self::AtRisk
        } else {
            Self::OffTarget
        }
    }

    /// The status as written in JSON and CSV (`on_target`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTarget => "on_target",
            Self::AtRisk => "at_risk",
            Self::OffTarget => "off_target",
            Self::NoTarget => "no_target",
            Self::NoData => "no_data",
        }
    }
}

/// Progress from baseline towards the target, and the pace expected by the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pace {
    /// `(v - baseline) / (target - baseline)`: 0 at the baseline, 1 at the target.
    pub progress: f64,
    /// The value expected this month on a straight line from baseline to target, when the
    /// target has a `baseline_period` and a `deadline`.
    pub expected: Option<f64>,
    /// Whether the value is at or ahead of that line, by the metric's direction.
    pub ahead: Option<bool>,
}

impl Target {
    /// Progress and pace of `value` in `period`, when the target has a baseline.
    pub fn pace(&self, value: f64, period: Period, direction: Direction) -> Option<Pace> {
        let baseline = self.baseline?;
        // In halves: the difference of two finite doubles of opposite signs may overflow,
        // that of their halves never does (and halving is exact, so the ratio is the same).
        let progress = (value / 2.0 - baseline / 2.0) / (self.value / 2.0 - baseline / 2.0);
        let expected = match (self.baseline_period, self.deadline) {
            (Some(start), Some(end)) => {
                let span = end.months_since(start) as f64;
                let f = (period.months_since(start) as f64).clamp(0.0, span) / span;
                // A weighted mean of baseline and target, which stays between the two.
                Some(baseline * (1.0 - f) + self.value * f).filter(|e| e.is_finite())
            }
            _ => None,
        };
        let ahead = expected.map(|e| direction.at_least_as_good(value, e));
        progress.is_finite().then_some(Pace {
            progress,
            expected,
            ahead,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};

    fn target(value: f64, warning: Option<f64>) -> Target {
        Target {
            value,
            warning,
            baseline: None,
            baseline_period: None,
            deadline: None,
        }
    }

    #[test]
    fn higher_is_better_at_the_boundaries() {
        let t = target(90.0, Some(70.0));
        let s = |v| Status::of(Some(v), Some(&t), Some(Up));
        assert_eq!(s(90.0), Status::OnTarget);
        assert_eq!(s(95.0), Status::OnTarget);
        assert_eq!(s(89.999), Status::AtRisk);
        assert_eq!(s(70.0), Status::AtRisk);
        assert_eq!(s(69.999), Status::OffTarget);
    }

    #[test]
    fn lower_is_better_at_the_boundaries() {
        let t = target(5.0, Some(7.0));
        let s = |v| Status::of(Some(v), Some(&t), Some(Down));
        assert_eq!(s(5.0), Status::OnTarget);
        assert_eq!(s(4.0), Status::OnTarget);
        assert_eq!(s(5.001), Status::AtRisk);
        assert_eq!(s(7.0), Status::AtRisk);
        assert_eq!(s(7.001), Status::OffTarget);
    }

    #[test]
    fn without_warning_short_is_off_target() {
        let t = target(10.0, None);
        assert_eq!(Status::of(Some(9.0), Some(&t), Some(Up)), Status::OffTarget);
        assert_eq!(
            Status::of(Some(11.0), Some(&t), Some(Down)),
            Status::OffTarget
        );
    }

    #[test]
    fn no_value_and_no_target() {
        let t = target(10.0, None);
        assert_eq!(Status::of(None, Some(&t), Some(Up)), Status::NoData);
        assert_eq!(Status::of(Some(1.0), None, None), Status::NoTarget);
        assert_eq!(Status::of(None, None, None), Status::NoData);
    }

    #[test]
    fn pace_follows_a_straight_line() {
        // The seed article's example: trials from 18 to 21 a week by the end of the year.
        let t = Target {
            baseline: Some(18.0),
            baseline_period: Some("2026-01".parse().unwrap()),
            deadline: Some("2026-12".parse().unwrap()),
            ..target(21.0, None)
        };
        // Six months of eleven gone: expected 18 + 3 * 6 / 11.
        let p = t.pace(19.0, "2026-07".parse().unwrap(), Up).unwrap();
        assert!((p.expected.unwrap() - (18.0 + 18.0 / 11.0)).abs() < 1e-12);
        assert!((p.progress - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.ahead, Some(false));
        let p = t.pace(20.0, "2026-07".parse().unwrap(), Up).unwrap();
        assert_eq!(p.ahead, Some(true));
        // Past the deadline the line stays at the target.
        let p = t.pace(21.0, "2027-03".parse().unwrap(), Up).unwrap();
        assert_eq!((p.expected, p.ahead), (Some(21.0), Some(true)));
    }
}
