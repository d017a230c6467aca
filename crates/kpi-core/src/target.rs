//! Targets: a definition's `[target]` table, the rule in force for a month, the status of a
//! value against it, and the pace from a baseline towards it.
//!
//! Callers never read a definition's numbers to judge a value: they ask for the rule in
//! force ([`Target::at`], through `Metric::target_at`), resolved to numbers by
//! `Evaluation::target`, and pass it to [`Status::of`], the one status function. This module
//! imports nothing but periods, diagnostics and source positions, so that definitions,
//! evaluation and reports can all depend on it without a circle.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Problem};
use crate::period::Period;
use crate::source::SourceFile;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Bigger values are better.
    HigherIsBetter,
    /// Smaller values are better.
    LowerIsBetter,
}

impl Direction {
    /// The direction as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher_is_better",
            Self::LowerIsBetter => "lower_is_better",
        }
    }

    /// The direction in words: `higher is better`.
    pub fn phrase(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher is better",
            Self::LowerIsBetter => "lower is better",
        }
    }

    /// Whether `value` is at least as good as `bound`.
    pub fn at_least_as_good(self, value: f64, bound: f64) -> bool {
        match self {
            Self::HigherIsBetter => value >= bound,
            Self::LowerIsBetter => value <= bound,
        }
    }
}

/// A KPI's objective: the `[target]` table of a definition, as written.
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

/// Which part of a `[target]` table is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The table's own `value` and `warning`.
    Fixed,
}

/// The rule in force for one month: the levels that apply, as written, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule<'a> {
    /// The table the rule comes from.
    pub target: &'a Target,
    /// The metric's direction.
    pub direction: Direction,
    /// Which part of the table applies.
    pub origin: Origin,
    /// The target level.
    pub value: f64,
    /// The warning level, if the rule has one.
    pub warning: Option<f64>,
}

/// The target in force for one month, its levels resolved to numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InForce<'a> {
    /// The rule that applies.
    pub rule: Rule<'a>,
    /// The target level.
    pub value: Option<f64>,
    /// The warning level.
    pub warning: Option<f64>,
}

impl Target {
    /// The rule in force in `period` for a metric going in `direction`.
    pub fn at(&self, _period: Period, direction: Direction) -> Option<Rule<'_>> {
        Some(Rule {
            target: self,
            direction,
            origin: Origin::Fixed,
            value: self.value,
            warning: self.warning,
        })
    }

    /// The straight line from the baseline to `goal`, when the table has a baseline.
    pub fn pace_line(&self, goal: f64, direction: Direction) -> Option<PaceLine> {
        Some(PaceLine {
            baseline: self.baseline?,
            baseline_period: self.baseline_period,
            deadline: self.deadline,
            goal,
            direction,
        })
    }
}

impl<'a> Rule<'a> {
    /// The rule's levels as numbers.
    pub fn resolve(self) -> InForce<'a> {
        InForce {
            rule: self,
            value: Some(self.value),
            warning: self.warning,
        }
    }
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
    /// The metric has no target this month.
    NoTarget,
    /// The metric has no value this month.
    NoData,
}

impl Status {
    /// The status of `value` against the target in force.
    ///
    /// For `higher_is_better`: `v >= t` is on target; else `v >= w` (when there is a warning
    /// level) is at risk; else off target. `lower_is_better` is the mirror image. No value
    /// is `no_data`, whatever the target; no target is `no_target`.
    pub fn of(value: Option<f64>, target: Option<&InForce<'_>>) -> Self {
        let Some(v) = value else {
            return Self::NoData;
        };
        let Some((target, in_force)) = target.and_then(|t| Some((t.value?, t))) else {
            return Self::NoTarget;
        };
        let at_least = |bound: f64| in_force.rule.direction.at_least_as_good(v, bound);
        if at_least(target) {
            Self::OnTarget
        } else if in_force.warning.is_some_and(at_least) {
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

/// The straight line from a baseline to the goal due at the deadline: the one place where
/// progress and the expected value are computed (reports draw it from here too).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaceLine {
    /// Where the metric stood when the target was set.
    pub baseline: f64,
    /// When.
    pub baseline_period: Option<Period>,
    /// When the goal is due.
    pub deadline: Option<Period>,
    /// The target to reach: the one in force at the deadline.
    pub goal: f64,
    /// Which way is better.
    pub direction: Direction,
}

impl PaceLine {
    /// The value expected in `period` on the line, when it has both ends in time: the
    /// baseline before `baseline_period`, the goal after the deadline. Always finite.
    pub fn expected(&self, period: Period) -> Option<f64> {
        let (start, end) = (self.baseline_period?, self.deadline?);
        let span = end.months_since(start);
        if span <= 0 {
            return None;
        }
        let f = period.months_since(start).clamp(0, span) as f64 / span as f64;
        // A weighted mean of baseline and goal, which stays between the two (clamped for the
        // rounding of the largest doubles), where `baseline + (goal - baseline) * f` can
        // overflow.
        Some((self.baseline * (1.0 - f) + self.goal * f).clamp(-f64::MAX, f64::MAX))
    }

    /// Progress and pace of `value` in `period`.
    pub fn pace(&self, value: f64, period: Period) -> Option<Pace> {
        // In halves: the difference of two finite doubles of opposite signs may overflow,
        // that of their halves never does (and halving is exact, so the ratio is the same).
        let progress =
            (value / 2.0 - self.baseline / 2.0) / (self.goal / 2.0 - self.baseline / 2.0);
        let expected = self.expected(period);
        let ahead = expected.map(|e| self.direction.at_least_as_good(value, e));
        progress.is_finite().then_some(Pace {
            progress,
            expected,
            ahead,
        })
    }
}

/// The `[target]` table as read from TOML, before its checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    value: Spanned<f64>,
    warning: Option<Spanned<f64>>,
    baseline: Option<Spanned<f64>>,
    baseline_period: Option<Spanned<String>>,
    deadline: Option<Spanned<String>>,
}

/// Checks a `[target]` table read from `file`: finite numbers, months, the warning on the
/// bad side of the target for `direction`, a complete baseline before the deadline. Pushes
/// every problem to `errors`; returns the target when there is none.
pub(crate) fn check(
    file: &SourceFile,
    raw: Spanned<RawTarget>,
    direction: Option<Direction>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Target> {
    let at = |span: Range<usize>| Some(file.locate(span.start, span.end));
    let before = errors.len();
    let raw = raw.into_inner();
    let finite = |key: &str, v: &Spanned<f64>, errors: &mut Vec<Diagnostic>| {
        if !v.get_ref().is_finite() {
            errors.push(Diagnostic::error(
                Problem::NotFinite { key: key.into() },
                at(v.span()),
            ));
        }
    };
    finite("value", &raw.value, errors);
    if let Some(w) = &raw.warning {
        finite("warning", w, errors);
    }
    if let Some(b) = &raw.baseline {
        finite("baseline", b, errors);
    }
    let period = |p: &Option<Spanned<String>>, errors: &mut Vec<Diagnostic>| {
        p.as_ref()
            .and_then(|p| match p.get_ref().parse::<Period>() {
                Ok(period) => Some(period),
                Err(_) => {
                    errors.push(Diagnostic::error(
                        Problem::BadPeriod {
                            text: p.get_ref().clone(),
                        },
                        at(p.span()),
                    ));
                    None
                }
            })
    };
    let baseline_period = period(&raw.baseline_period, errors);
    let deadline = period(&raw.deadline, errors);
    let value = *raw.value.get_ref();
    if let (Some(w), Some(direction)) = (&raw.warning, direction)
        && *w.get_ref() != value
        && direction.at_least_as_good(*w.get_ref(), value)
    {
        errors.push(Diagnostic::error(
            Problem::WarningWrongSide {
                warning: *w.get_ref(),
                value,
                direction: direction.phrase(),
            },
            at(w.span()),
        ));
    }
    if raw.baseline.is_some() != raw.baseline_period.is_some() {
        let span = raw
            .baseline
            .as_ref()
            .map(Spanned::span)
            .or_else(|| raw.baseline_period.as_ref().map(Spanned::span))
            .unwrap_or(0..0);
        errors.push(Diagnostic::error(Problem::BaselineIncomplete, at(span)));
    }
    if let Some(b) = &raw.baseline
        && *b.get_ref() == value
    {
        errors.push(Diagnostic::error(
            Problem::BaselineEqualsTarget { value },
            at(b.span()),
        ));
    }
    if let (Some(start), Some(end), Some(d)) = (baseline_period, deadline, &raw.deadline)
        && end <= start
    {
        errors.push(Diagnostic::error(
            Problem::DeadlineBeforeBaseline {
                deadline: end,
                baseline_period: start,
            },
            at(d.span()),
        ));
    }
    (errors.len() == before).then(|| Target {
        value,
        warning: raw.warning.map(Spanned::into_inner),
        baseline: raw.baseline.map(Spanned::into_inner),
        baseline_period,
        deadline,
    })
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

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    /// The status of `v` against `t` in force in 2026-01.
    fn status(t: &Target, direction: Direction, v: Option<f64>) -> Status {
        let in_force = t.at(p("2026-01"), direction).map(Rule::resolve);
        Status::of(v, in_force.as_ref())
    }

    #[test]
    fn higher_is_better_at_the_boundaries() {
        let t = target(90.0, Some(70.0));
        let s = |v| status(&t, Up, Some(v));
        assert_eq!(s(90.0), Status::OnTarget);
        assert_eq!(s(95.0), Status::OnTarget);
        assert_eq!(s(89.999), Status::AtRisk);
        assert_eq!(s(70.0), Status::AtRisk);
        assert_eq!(s(69.999), Status::OffTarget);
    }

    #[test]
    fn lower_is_better_at_the_boundaries() {
        let t = target(5.0, Some(7.0));
        let s = |v| status(&t, Down, Some(v));
        assert_eq!(s(5.0), Status::OnTarget);
        assert_eq!(s(4.0), Status::OnTarget);
        assert_eq!(s(5.001), Status::AtRisk);
        assert_eq!(s(7.0), Status::AtRisk);
        assert_eq!(s(7.001), Status::OffTarget);
    }

    #[test]
    fn without_warning_short_is_off_target() {
        let t = target(10.0, None);
        assert_eq!(status(&t, Up, Some(9.0)), Status::OffTarget);
        assert_eq!(status(&t, Down, Some(11.0)), Status::OffTarget);
    }

    #[test]
    fn no_value_and_no_target() {
        let t = target(10.0, None);
        assert_eq!(status(&t, Up, None), Status::NoData);
        assert_eq!(Status::of(Some(1.0), None), Status::NoTarget);
        assert_eq!(Status::of(None, None), Status::NoData);
    }

    #[test]
    fn pace_follows_a_straight_line() {
        // The seed article's example: trials from 18 to 21 a week by the end of the year.
        let t = Target {
            baseline: Some(18.0),
            baseline_period: Some(p("2026-01")),
            deadline: Some(p("2026-12")),
            ..target(21.0, None)
        };
        let line = t.pace_line(21.0, Up).unwrap();
        // Six months of eleven gone: expected 18 + 3 * 6 / 11.
        let pace = line.pace(19.0, p("2026-07")).unwrap();
        assert!((pace.expected.unwrap() - (18.0 + 18.0 / 11.0)).abs() < 1e-12);
        assert!((pace.progress - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(pace.ahead, Some(false));
        let pace = line.pace(20.0, p("2026-07")).unwrap();
        assert_eq!(pace.ahead, Some(true));
        // Past the deadline the line stays at the target; before the baseline, at the
        // baseline.
        let pace = line.pace(21.0, p("2027-03")).unwrap();
        assert_eq!((pace.expected, pace.ahead), (Some(21.0), Some(true)));
        assert_eq!(line.expected(p("2025-06")), Some(18.0));
    }

    #[test]
    fn progress_without_a_deadline_has_no_line() {
        let t = Target {
            baseline: Some(10.0),
            baseline_period: Some(p("2026-01")),
            ..target(20.0, None)
        };
        let pace = t
            .pace_line(20.0, Up)
            .unwrap()
            .pace(15.0, p("2026-05"))
            .unwrap();
        assert_eq!(
            (pace.progress, pace.expected, pace.ahead),
            (0.5, None, None)
        );
        assert!(target(20.0, None).pace_line(20.0, Up).is_none());
    }
}
