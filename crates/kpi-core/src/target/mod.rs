//! Targets: the model of a definition's `[target]` table, the rule in force for a month and
//! where its level comes from, the status of a value against it, and the pace from a
//! baseline towards it. The table is read and checked by [`check`].
//!
//! Callers never read a definition's numbers to judge a value: they ask
//! `Evaluation::judge` for the value, the target in force ([`Target::at`], resolved to
//! numbers) and its status ([`Status::of`], the one status function). The model imports
//! nothing but periods and numbers, so that definitions, evaluation and reports can all
//! depend on it without a circle.

use std::fmt;

use serde::Serialize;

use crate::direction::Direction;
use crate::numbers::short;
use crate::period::Period;
use crate::source::{Location, SameMeaning};

/// A level in force in one month, resolved to numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Level {
    /// One number: the target to reach, or the warning level not to pass.
    Number(f64),
    /// An inclusive range `[low, high]`, for `direction = "within"`.
    Range(f64, f64),
}

impl Level {
    /// Whether `value` meets this level: at least as good as a number by `direction`, or
    /// inside a range (both ends included).
    pub fn met_by(self, value: f64, direction: Direction) -> bool {
        match self {
            Level::Number(bound) => direction.at_least_as_good(value, bound),
            Level::Range(low, high) => low <= value && value <= high,
        }
    }

    /// The numbers the level spans: one, or both ends of a range.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Level::Number(v) => (v, v),
            Level::Range(low, high) => (low, high),
        }
    }
}

impl fmt::Display for Level {
    /// Numbers in their shortest form (`19.5`, `[95, 105]`; `1e300` when huge, see
    /// [`crate::numbers::short`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Level::Number(v) => f.write_str(&short(*v)),
            Level::Range(low, high) => write!(f, "[{}, {}]", short(*low), short(*high)),
        }
    }
}

/// A level as written in a definition: a number, a range, or the name of a series (an
/// input or a metric) whose value each month is the level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Spec {
    /// `value = 21`.
    Number(f64),
    /// `value = [95, 105]`.
    Range(f64, f64),
    /// `value = "budget_mrr"`.
    Series(String),
}

impl Spec {
    /// The level itself, when it does not depend on a series.
    pub fn fixed(&self) -> Option<Level> {
        match *self {
            Spec::Number(v) => Some(Level::Number(v)),
            Spec::Range(low, high) => Some(Level::Range(low, high)),
            Spec::Series(_) => None,
        }
    }

    /// The name of the series, when the level follows one.
    pub fn series(&self) -> Option<&str> {
        match self {
            Spec::Series(name) => Some(name),
            _ => None,
        }
    }

    /// The level in a month, given `series`, the value of a named series that month.
    fn resolve(&self, series: &impl Fn(&str) -> Option<f64>) -> Option<Level> {
        match self {
            Spec::Series(name) => series(name).map(Level::Number),
            _ => self.fixed(),
        }
    }
}

impl fmt::Display for Spec {
    /// As written, with numbers in their shortest form: `19.5`, `[95, 105]`, `budget_mrr`
    /// (a number or a range as its [`Level`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Spec::Number(v) => Level::Number(v).fmt(f),
            Spec::Range(low, high) => Level::Range(low, high).fmt(f),
            Spec::Series(ref name) => f.write_str(name),
        }
    }
}

/// One entry of `[[target.schedule]]`: levels in force from a month until the next entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The first month the entry is in force.
    pub from: Period,
    /// The target.
    pub value: Spec,
    /// The warning level; without it, the entry has no warning band.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Spec>,
}

/// A series a target names, and where: checked against every definition by the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRef {
    /// The input or metric named.
    pub name: String,
    /// Where it is named.
    pub location: Location,
}

/// A KPI's objective: the `[target]` table of a definition, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// The target in force before the first schedule entry (always, without a schedule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Spec>,
    /// The level past which the metric is off target rather than at risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<Spec>,
    /// Levels in force from given months on, in order of `from`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<Step>,
    /// Where the metric stood when the target was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// When the baseline was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_period: Option<Period>,
    /// When the target should be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Period>,
    /// Every series named, with where.
    #[serde(skip)]
    pub series: Vec<SeriesRef>,
}

impl SameMeaning for Target {
    /// The levels, schedule, baseline and deadline; not where the series they name are
    /// written (`series` only locates names the levels already hold), so a target following
    /// a series equals another following the same series, and a schedule equals another with
    /// the same entries.
    fn same_meaning(&self, other: &Self) -> bool {
        self.value == other.value
            && self.warning == other.warning
            && self.schedule == other.schedule
            && self.baseline == other.baseline
            && self.baseline_period == other.baseline_period
            && self.deadline == other.deadline
    }
}

/// Which part of a `[target]` table is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The table's own `value` and `warning` (before the first schedule entry, if any).
    Fixed,
    /// The schedule entry in force from this month.
    Schedule(Period),
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
    pub value: &'a Spec,
    /// The warning level, if the rule has one.
    pub warning: Option<&'a Spec>,
}

/// The target in force for one month, its levels resolved to numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InForce<'a> {
    /// The rule that applies.
    pub rule: Rule<'a>,
    /// The target level; none when it follows a series that has no value this month.
    pub value: Option<Level>,
    /// The warning level; none without one, or when its series has no value this month.
    pub warning: Option<Level>,
}

/// Where the target in force comes from: the one classification that `kpi eval`,
/// `kpi explain` and reports each put in their own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSource<'a> {
    /// The table's own `value`, a number or a range, in a table without schedule.
    Fixed,
    /// The table's own `value`, a number or a range, before the schedule's first entry
    /// (in force from `first`).
    BeforeSchedule {
        /// The month of the schedule's first entry.
        first: Period,
    },
    /// The schedule entry in force from `from`, a number or a range.
    Schedule {
        /// The first month of the entry.
        from: Period,
    },
    /// The table's own `value` names a series, whose value each month is the level.
    Series {
        /// The input or metric named.
        name: &'a str,
        /// The month of the schedule's first entry, when the table has a schedule.
        before: Option<Period>,
    },
    /// The schedule entry in force from `from` names a series.
    ScheduleSeries {
        /// The first month of the entry.
        from: Period,
        /// The input or metric named.
        name: &'a str,
    },
}

impl<'a> LevelSource<'a> {
    /// As `kpi eval` writes it in `target_source`: the series' id when the level follows
    /// one, else `fixed` (the table's own `value`, before a schedule too) or `schedule`.
    pub fn key(self) -> &'a str {
        match self {
            Self::Series { name, .. } | Self::ScheduleSeries { name, .. } => name,
            Self::Fixed | Self::BeforeSchedule { .. } => "fixed",
            Self::Schedule { .. } => "schedule",
        }
    }
}

impl Target {
    /// The rule in force in `period` for a metric going in `direction`: the last schedule
    /// entry whose `from` is not after it; before the first, the table's own `value` and
    /// `warning` (none without a `value`).
    pub fn at(&self, period: Period, direction: Direction) -> Option<Rule<'_>> {
        let rule = |origin, value, warning| Rule {
            target: self,
            direction,
            origin,
            value,
            warning,
        };
        // Entries are sorted by `from` (checked when the definition is loaded).
        let in_force = self.schedule.partition_point(|s| s.from <= period);
        match in_force.checked_sub(1).map(|i| &self.schedule[i]) {
            Some(step) => Some(rule(
                Origin::Schedule(step.from),
                &step.value,
                step.warning.as_ref(),
            )),
            None => Some(rule(
                Origin::Fixed,
                self.value.as_ref()?,
                self.warning.as_ref(),
            )),
        }
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
    /// The rule's levels in one month; `series` gives a named series' value that month.
    pub fn resolve(self, series: impl Fn(&str) -> Option<f64>) -> InForce<'a> {
        InForce {
            rule: self,
            value: self.value.resolve(&series),
            warning: self.warning.and_then(|w| w.resolve(&series)),
        }
    }

    /// Where the target level comes from.
    pub fn source(&self) -> LevelSource<'a> {
        let first = self.target.schedule.first().map(|s| s.from);
        match (self.value.series(), self.origin) {
            (Some(name), Origin::Schedule(from)) => LevelSource::ScheduleSeries { from, name },
            (Some(name), Origin::Fixed) => LevelSource::Series {
                name,
                before: first,
            },
            (None, Origin::Schedule(from)) => LevelSource::Schedule { from },
            (None, Origin::Fixed) => match first {
                Some(first) => LevelSource::BeforeSchedule { first },
                None => LevelSource::Fixed,
            },
        }
    }

    /// Whether the target or the warning level follows a series.
    pub fn follows_series(&self) -> bool {
        self.value.series().is_some() || self.warning.is_some_and(|w| w.series().is_some())
    }

    /// Whether the levels are those of `other` (a new schedule entry with the same levels
    /// changes nothing a reader sees).
    pub fn same_levels(&self, other: &Rule<'_>) -> bool {
        self.value == other.value && self.warning == other.warning
    }
}

impl<'a> InForce<'a> {
    /// Where the target comes from, as `kpi eval` reports it (see [`LevelSource::key`]).
    pub fn source(&self) -> &'a str {
        self.rule.source().key()
    }

    /// The first series the rule names that has no value this month: the target is then
    /// unknown, and the status `no_target`.
    pub fn missing_series(&self) -> Option<&str> {
        fn missing(spec: Option<&Spec>, level: Option<Level>) -> Option<&str> {
            spec.and_then(Spec::series).filter(|_| level.is_none())
        }
        missing(Some(self.rule.value), self.value)
            .or_else(|| missing(self.rule.warning, self.warning))
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
    /// level) is at risk; else off target. `lower_is_better` is the mirror image. `within`:
    /// inside the target range (ends included) is on target; else inside the warning range
    /// is at risk; else off target. No value is `no_data`, whatever the target; no target in
    /// force, or one following a series without value this month, is `no_target`.
    pub fn of(value: Option<f64>, target: Option<&InForce<'_>>) -> Self {
        let Some(v) = value else {
            return Self::NoData;
        };
        let Some(target) = target.filter(|t| t.missing_series().is_none()) else {
            return Self::NoTarget;
        };
        let Some(value) = target.value else {
            return Self::NoTarget;
        };
        let direction = target.rule.direction;
        if value.met_by(v, direction) {
            Self::OnTarget
        } else if target.warning.is_some_and(|w| w.met_by(v, direction)) {
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

/// A value judged against the target in force: what every view of a month shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement<'a> {
    /// The value, when there is one.
    pub value: Option<f64>,
    /// The target in force, when there is one.
    pub target: Option<InForce<'a>>,
    /// Where the value stands against it ([`Status::of`]).
    pub status: Status,
}

impl<'a> Judgement<'a> {
    /// Judges `value` against `target`.
    pub fn new(value: Option<f64>, target: Option<InForce<'a>>) -> Self {
        Judgement {
            value,
            target,
            status: Status::of(value, target.as_ref()),
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

pub(crate) mod check;

#[cfg(test)]
mod tests {
    use super::check::tests::load;
    use super::*;
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Within};

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    fn target(body: &str, direction: Direction) -> Target {
        load(body, direction).unwrap()
    }

    /// The status of `v` against `t` in `period`; `series` gives series values.
    fn status_in(t: &Target, d: Direction, period: &str, v: f64, series: Option<f64>) -> Status {
        let in_force = t.at(p(period), d).map(|r| r.resolve(|_| series));
        Status::of(Some(v), in_force.as_ref())
    }

    fn status(t: &Target, d: Direction, v: f64) -> Status {
        status_in(t, d, "2026-01", v, None)
    }

    #[test]
    fn one_classification_of_where_the_level_comes_from() {
        let source = |body: &str, month: &str| {
            let target = load(body, Up).unwrap();
            let rule = target.at(p(month), Up).unwrap();
            (
                format!("{:?}", rule.source()),
                rule.source().key().to_string(),
            )
        };
        let expect = |source: LevelSource<'_>| (format!("{source:?}"), source.key().to_string());
        let schedule = "[[target.schedule]]\nfrom = \"2026-04\"\nvalue = \"budget\"\n";
        let from = p("2026-04");
        assert_eq!(
            source("value = 10\n", "2026-01"),
            expect(LevelSource::Fixed)
        );
        assert_eq!(
            source(&format!("value = 10\n{schedule}"), "2026-01"),
            expect(LevelSource::BeforeSchedule { first: from })
        );
        assert_eq!(
            source(&format!("value = 10\n{schedule}"), "2026-05"),
            expect(LevelSource::ScheduleSeries {
                from,
                name: "budget"
            })
        );
        assert_eq!(
            source("value = \"plan\"\n", "2026-05"),
            expect(LevelSource::Series {
                name: "plan",
                before: None
            })
        );
        let numbers = "value = 10\n[[target.schedule]]\nfrom = \"2026-04\"\nvalue = 12\n";
        assert_eq!(
            source(numbers, "2026-04"),
            expect(LevelSource::Schedule { from })
        );
        assert_eq!(expect(LevelSource::Schedule { from }).1, "schedule");
        assert_eq!(
            expect(LevelSource::BeforeSchedule { first: from }).1,
            "fixed"
        );
    }

    #[test]
    fn higher_is_better_at_the_boundaries() {
        let t = target("value = 90\nwarning = 70\n", Up);
        let s = |v| status(&t, Up, v);
        assert_eq!(s(90.0), Status::OnTarget);
        assert_eq!(s(95.0), Status::OnTarget);
        assert_eq!(s(89.999), Status::AtRisk);
        assert_eq!(s(70.0), Status::AtRisk);
        assert_eq!(s(69.999), Status::OffTarget);
    }

    #[test]
    fn lower_is_better_at_the_boundaries() {
        let t = target("value = 5\nwarning = 7.0\n", Down);
        let s = |v| status(&t, Down, v);
        assert_eq!(s(5.0), Status::OnTarget);
        assert_eq!(s(4.0), Status::OnTarget);
        assert_eq!(s(5.001), Status::AtRisk);
        assert_eq!(s(7.0), Status::AtRisk);
        assert_eq!(s(7.001), Status::OffTarget);
    }

    #[test]
    fn without_warning_short_is_off_target() {
        assert_eq!(
            status(&target("value = 10", Up), Up, 9.0),
            Status::OffTarget
        );
        assert_eq!(
            status(&target("value = 10", Down), Down, 11.0),
            Status::OffTarget
        );
    }

    #[test]
    fn no_value_and_no_target() {
        let t = target("value = 10", Up);
        let in_force = t.at(p("2026-01"), Up).map(|r| r.resolve(|_| None));
        assert_eq!(Status::of(None, in_force.as_ref()), Status::NoData);
        assert_eq!(Status::of(Some(1.0), None), Status::NoTarget);
        assert_eq!(Status::of(None, None), Status::NoData);
    }

    const SCHEDULE: &str = "value = 18\nwarning = 16\n\
        [[target.schedule]]\nfrom = \"2026-04\"\nvalue = 19.5\nwarning = 17\n\
        [[target.schedule]]\nfrom = \"2026-10\"\nvalue = 21\n";

    #[test]
    fn the_rule_in_force_is_the_last_entry_not_after_the_month() {
        let t = target(SCHEDULE, Up);
        let rule = |period| t.at(p(period), Up).unwrap();
        let levels = |period| {
            let r = rule(period);
            (r.origin, r.value.clone(), r.warning.cloned())
        };
        let n = Spec::Number;
        assert_eq!(levels("2026-03"), (Origin::Fixed, n(18.0), Some(n(16.0))));
        assert_eq!(
            levels("2026-04"),
            (Origin::Schedule(p("2026-04")), n(19.5), Some(n(17.0)))
        );
        assert_eq!(
            levels("2026-09"),
            (Origin::Schedule(p("2026-04")), n(19.5), Some(n(17.0)))
        );
        // An entry without warning has no warning band.
        assert_eq!(
            levels("2026-10"),
            (Origin::Schedule(p("2026-10")), n(21.0), None)
        );
        assert_eq!(levels("2031-01").0, Origin::Schedule(p("2026-10")));
        // 18.5 is on target before April, at risk from April, off target from October.
        let s = |period| status_in(&t, Up, period, 18.5, None);
        assert_eq!(
            [s("2026-03"), s("2026-04"), s("2026-10")],
            [Status::OnTarget, Status::AtRisk, Status::OffTarget]
        );
    }

    #[test]
    fn a_schedule_without_value_has_no_target_before_its_first_entry() {
        let t = target("[[target.schedule]]\nfrom = \"2026-04\"\nvalue = 3\n", Up);
        assert!(t.at(p("2026-03"), Up).is_none());
        assert_eq!(status_in(&t, Up, "2026-04", 3.0, None), Status::OnTarget);
    }

    #[test]
    fn a_series_gives_the_level_and_its_absence_no_target() {
        let t = target("value = \"budget\"\nwarning = 90\n", Up);
        assert_eq!(t.series[0].name, "budget");
        assert_eq!(
            (t.series[0].location.line, t.series[0].location.column),
            (2, 9)
        );
        assert_eq!(
            status_in(&t, Up, "2026-01", 100.0, Some(100.0)),
            Status::OnTarget
        );
        assert_eq!(
            status_in(&t, Up, "2026-01", 99.0, Some(100.0)),
            Status::AtRisk
        );
        assert_eq!(
            status_in(&t, Up, "2026-01", 89.0, Some(100.0)),
            Status::OffTarget
        );
        // No value for the series this month: no target, whatever the value.
        assert_eq!(status_in(&t, Up, "2026-01", 100.0, None), Status::NoTarget);
        let in_force = t.at(p("2026-01"), Up).unwrap().resolve(|_| None);
        assert_eq!(in_force.missing_series(), Some("budget"));
    }

    #[test]
    fn a_range_includes_both_ends() {
        let t = target("value = [95, 105]\nwarning = [90, 110]\n", Within);
        let s = |v| status(&t, Within, v);
        assert_eq!([s(95.0), s(100.0), s(105.0)], [Status::OnTarget; 3]);
        assert_eq!([s(94.9), s(90.0), s(105.1), s(110.0)], [Status::AtRisk; 4]);
        assert_eq!([s(89.9), s(110.1)], [Status::OffTarget; 2]);
        let no_warning = target("value = [95, 105]", Within);
        assert_eq!(status(&no_warning, Within, 94.0), Status::OffTarget);
    }

    #[test]
    fn pace_follows_a_straight_line() {
        // The seed article's example: trials from 18 to 21 a week by the end of the year.
        let t = target(
            "value = 21\nbaseline = 18\nbaseline_period = \"2026-01\"\ndeadline = \"2026-12\"\n",
            Up,
        );
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
        let t = target(
            "value = 20\nbaseline = 10\nbaseline_period = \"2026-01\"\n",
            Up,
        );
        let pace = t
            .pace_line(20.0, Up)
            .unwrap()
            .pace(15.0, p("2026-05"))
            .unwrap();
        assert_eq!(
            (pace.progress, pace.expected, pace.ahead),
            (0.5, None, None)
        );
        assert!(target("value = 20", Up).pace_line(20.0, Up).is_none());
    }
}
