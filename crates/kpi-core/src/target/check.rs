//! The `[target]` table of a definition: read from TOML and checked (levels of the right
//! shape for the direction, warnings on the bad side, schedule entries in order, a complete
//! baseline before the deadline) into a [`Target`].

use std::borrow::Cow;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use toml::Spanned;

use super::{SeriesRef, Spec, Step, Target};
use crate::diagnostic::{Diagnostic, Problem};
use crate::direction::Direction;
use crate::layers::Layers;
use crate::names::is_valid_input_name;
use crate::period::Period;

// The `[target]` table as read from TOML, before its checks. The doc comments are what
// editors show (`kpi schema`); the `schemars` attributes change no serde behaviour.
/// The objective, and the targets that replace it over time.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTarget {
    /// The objective: at or past it (as `direction` says) the status is on target.
    #[schemars(with = "Option<LevelSchema>")]
    value: Option<Spanned<toml::Value>>,
    /// Between the target and this level the status is at risk, past it off target.
    #[schemars(with = "Option<LevelSchema>")]
    warning: Option<Spanned<toml::Value>>,
    /// Targets that change over time, in order of `from`: each in force from its month until
    /// the next; before the first, `value` and `warning`.
    #[serde(default)]
    schedule: Vec<RawStep>,
    /// Where the metric stood at `baseline_period`, for progress and pace.
    #[schemars(with = "Option<f64>")]
    baseline: Option<Spanned<f64>>,
    /// The month of the baseline.
    #[schemars(with = "Option<MonthSchema>")]
    baseline_period: Option<Spanned<String>>,
    /// When the target is due, for pace.
    #[schemars(with = "Option<MonthSchema>")]
    deadline: Option<Spanned<String>>,
}

/// A target in force from a month on (`[[target.schedule]]`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawStep {
    /// The first month the entry is in force.
    #[schemars(with = "MonthSchema")]
    from: Spanned<String>,
    /// The target from that month on.
    #[schemars(with = "LevelSchema")]
    value: Spanned<toml::Value>,
    /// The warning level from that month on; without it, no warning band.
    #[schemars(with = "Option<LevelSchema>")]
    warning: Option<Spanned<toml::Value>>,
}

/// The pattern of a month, `YYYY-MM`.
const MONTH: &str = "^[0-9]{4}-(0[1-9]|1[0-2])$";

/// A target level: a number, a range `[low, high]`, or the id of an input or metric read
/// each month (a budget series). Only a schema: the level is read as a TOML value.
pub(crate) struct LevelSchema;

impl JsonSchema for LevelSchema {
    fn schema_name() -> Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number; `[low, high]` with `direction = \"within\"`; the id \
                of an input or metric that holds the level each month (a budget series); or, \
                for a yes/no metric (`unit = \"boolean\"`), the answer that meets it: `true` or \
                `false`.",
            "anyOf": [
                {"type": "number"},
                {"type": "boolean"},
                {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2
                },
                {"type": "string", "pattern": crate::names::NAME}
            ]
        })
    }
}

/// A month, `YYYY-MM`.
pub(crate) struct MonthSchema;

impl JsonSchema for MonthSchema {
    fn schema_name() -> Cow<'static, str> {
        "Month".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": MONTH, "description": "A month, `YYYY-MM`."})
    }
}

/// A level read and checked, with where it is written.
struct Written {
    spec: Spec,
    span: Range<usize>,
}

/// Checks one `[target]` table, collecting every problem.
struct Checker<'a> {
    file: &'a Layers,
    direction: Option<Direction>,
    /// Whether the metric is yes/no (`unit = "boolean"`): its levels are `true` or `false`.
    yes_no: bool,
    errors: &'a mut Vec<Diagnostic>,
    series: Vec<SeriesRef>,
}

impl Checker<'_> {
    fn error(&mut self, problem: Problem, span: Range<usize>) {
        let location = self.file.locate(span.start, span.end);
        self.errors.push(Diagnostic::error(problem, Some(location)));
    }

    fn period(&mut self, text: &Spanned<String>) -> Option<Period> {
        match text.get_ref().parse::<Period>() {
            Ok(period) => Some(period),
            Err(_) => {
                let text_value = text.get_ref().clone();
                self.error(Problem::BadPeriod { text: text_value }, text.span());
                None
            }
        }
    }

    /// A level: a finite number, a range of two in order, or a series name (kept for the
    /// catalog to resolve).
    fn level(&mut self, key: &str, raw: &Spanned<toml::Value>) -> Option<Written> {
        let span = raw.span();
        let number = |v: &toml::Value| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let spec = match raw.get_ref() {
            toml::Value::Boolean(b) if self.yes_no => Spec::Number(f64::from(u8::from(*b))),
            toml::Value::Boolean(_) => {
                self.error(Problem::BooleanLevel { key: key.into() }, span);
                return None;
            }
            _ if self.yes_no => {
                self.error(Problem::YesNoLevel { key: key.into() }, span);
                return None;
            }
            toml::Value::Integer(_) | toml::Value::Float(_) => {
                Spec::Number(number(raw.get_ref()).unwrap_or_default())
            }
            toml::Value::String(name) if is_valid_input_name(name) => {
                self.series.push(SeriesRef {
                    name: name.clone(),
                    location: self.file.locate(span.start, span.end),
                });
                Spec::Series(name.clone())
            }
            toml::Value::Array(items)
                if items.len() == 2 && items.iter().all(|i| number(i).is_some()) =>
            {
                let (low, high) = (number(&items[0])?, number(&items[1])?);
                Spec::Range(low, high)
            }
            _ => {
                self.error(Problem::BadLevel { key: key.into() }, span);
                return None;
            }
        };
        match spec {
            Spec::Number(v) if !v.is_finite() => {
                self.error(Problem::NotFinite { key: key.into() }, span);
                None
            }
            Spec::Range(low, high) if !low.is_finite() || !high.is_finite() => {
                self.error(Problem::NotFinite { key: key.into() }, span);
                None
            }
            Spec::Range(low, high) if low > high => {
                self.error(Problem::RangeReversed { low, high }, span);
                None
            }
            spec => Some(Written { spec, span }),
        }
    }

    /// A target and its warning level: shapes that fit the direction, the warning on the
    /// bad side of a number, a warning range around the target range.
    fn pair(&mut self, value: Option<&Written>, warning: Option<&Written>) {
        let Some(direction) = self.direction else {
            return;
        };
        for (key, level) in [("value", value), ("warning", warning)] {
            let Some(level) = level else { continue };
            let is_range = matches!(level.spec, Spec::Range(..));
            if direction == Direction::Within && !is_range {
                self.error(
                    Problem::WithinWithoutRange { key: key.into() },
                    level.span.clone(),
                );
            } else if direction != Direction::Within && is_range {
                let problem = Problem::RangeWithoutWithin {
                    key: key.into(),
                    direction,
                };
                self.error(problem, level.span.clone());
            }
        }
        let (Some(value), Some(warning)) = (value, warning) else {
            return;
        };
        match (&value.spec, &warning.spec) {
            (&Spec::Number(v), &Spec::Number(w))
                if direction != Direction::Within && w != v && direction.at_least_as_good(w, v) =>
            {
                let problem = Problem::WarningWrongSide {
                    warning: w,
                    value: v,
                    direction,
                };
                self.error(problem, warning.span.clone());
            }
            (&Spec::Range(low, high), &Spec::Range(w_low, w_high))
                if w_low > low || w_high < high =>
            {
                let problem = Problem::WarningRangeOutside {
                    warning: (w_low, w_high),
                    value: (low, high),
                };
                self.error(problem, warning.span.clone());
            }
            _ => {}
        }
    }
}

/// Checks a `[target]` table read from `file`: levels of the right shape for `direction`
/// (finite numbers, ranges in order, series names), warnings on the bad side or around the
/// target range, schedule entries in order of `from`, a complete baseline before the
/// deadline. Pushes every problem to `errors`; returns the target when there is none.
/// Series names are resolved later, by the catalog.
pub(crate) fn check(
    file: &Layers,
    raw: Spanned<RawTarget>,
    direction: Option<Direction>,
    yes_no: bool,
    errors: &mut Vec<Diagnostic>,
) -> Option<Target> {
    let before = errors.len();
    let table_span = raw.span();
    let raw = raw.into_inner();
    let mut c = Checker {
        file,
        direction,
        yes_no,
        errors,
        series: Vec::new(),
    };
    if yes_no {
        c.yes_no_keys(&raw);
    }
    let (value, warning) = c.own_levels(&raw, &table_span);
    let schedule = c.schedule(&raw.schedule);
    let (baseline_period, deadline) = c.baseline(&raw);
    let target = Target {
        value: value.map(|v| v.spec),
        warning: warning.map(|w| w.spec),
        schedule,
        baseline: raw.baseline.as_ref().map(|b| *b.get_ref()),
        baseline_period,
        deadline,
        series: std::mem::take(&mut c.series),
    };
    c.baseline_differs_from_goal(&target, raw.baseline.as_ref());
    (c.errors.len() == before).then_some(target)
}

/// The direction a yes/no target implies: `value = true` (or the first schedule entry's)
/// makes yes the good answer, `false` no; `None` when no level is `true` or `false`.
pub(crate) fn yes_no_direction(raw: &RawTarget) -> Option<Direction> {
    let level = raw
        .value
        .as_ref()
        .or_else(|| raw.schedule.first().map(|s| &s.value))?;
    match level.get_ref() {
        toml::Value::Boolean(true) => Some(Direction::HigherIsBetter),
        toml::Value::Boolean(false) => Some(Direction::LowerIsBetter),
        _ => None,
    }
}

impl Checker<'_> {
    /// A yes/no target is met or not: no warning level, baseline or deadline.
    fn yes_no_keys(&mut self, raw: &RawTarget) {
        let mut refuse = |key: &str, span: Option<Range<usize>>| {
            if let Some(span) = span {
                self.error(Problem::YesNoTakesNo { key: key.into() }, span);
            }
        };
        refuse("warning", raw.warning.as_ref().map(Spanned::span));
        refuse("baseline", raw.baseline.as_ref().map(Spanned::span));
        refuse(
            "baseline_period",
            raw.baseline_period.as_ref().map(Spanned::span),
        );
        refuse("deadline", raw.deadline.as_ref().map(Spanned::span));
        for step in &raw.schedule {
            refuse("warning", step.warning.as_ref().map(Spanned::span));
        }
    }

    /// The table's own `value` and `warning`: a warning needs a value, and a table needs a
    /// value or a schedule.
    fn own_levels(
        &mut self,
        raw: &RawTarget,
        table_span: &Range<usize>,
    ) -> (Option<Written>, Option<Written>) {
        let value = raw.value.as_ref().and_then(|v| self.level("value", v));
        let warning = raw.warning.as_ref().and_then(|w| self.level("warning", w));
        match (&raw.value, &raw.warning) {
            (None, Some(w)) => self.error(Problem::WarningWithoutValue, w.span()),
            (None, None) if raw.schedule.is_empty() => {
                // The `[target]` header, where the table is declared.
                let location = self.file.find(table_span.start, "[target]").map_or_else(
                    || self.file.locate(table_span.start, table_span.end),
                    |spot| spot.location(),
                );
                self.errors.push(Diagnostic::error(
                    Problem::TargetWithoutValue,
                    Some(location),
                ));
            }
            _ => {}
        }
        self.pair(value.as_ref(), warning.as_ref());
        (value, warning)
    }

    /// The `[[target.schedule]]` entries, each checked, in strictly increasing order of
    /// `from`; the entries without problems.
    fn schedule(&mut self, raw: &[RawStep]) -> Vec<Step> {
        let mut schedule = Vec::new();
        let mut previous: Option<Period> = None;
        for raw_step in raw {
            let from = self.period(&raw_step.from);
            let step_value = self.level("value", &raw_step.value);
            let step_warning = raw_step
                .warning
                .as_ref()
                .and_then(|w| self.level("warning", w));
            self.pair(step_value.as_ref(), step_warning.as_ref());
            if let (Some(from), Some(earlier)) = (from, previous) {
                if from == earlier {
                    self.error(Problem::ScheduleRepeated { from }, raw_step.from.span());
                } else if from < earlier {
                    let problem = Problem::ScheduleOutOfOrder {
                        from,
                        previous: earlier,
                    };
                    self.error(problem, raw_step.from.span());
                }
            }
            previous = from.or(previous);
            if let (Some(from), Some(value)) = (from, step_value) {
                schedule.push(Step {
                    from,
                    value: value.spec,
                    warning: step_warning.map(|w| w.spec),
                });
            }
        }
        schedule
    }

    /// The baseline: finite, not on a range, given with its month, before the deadline.
    /// Returns the baseline's month and the deadline, when they are months.
    fn baseline(&mut self, raw: &RawTarget) -> (Option<Period>, Option<Period>) {
        if let Some(b) = &raw.baseline {
            if !b.get_ref().is_finite() {
                self.error(
                    Problem::NotFinite {
                        key: "baseline".into(),
                    },
                    b.span(),
                );
            }
            if self.direction == Some(Direction::Within) {
                self.error(Problem::BaselineOnRange, b.span());
            }
        }
        let baseline_period = raw.baseline_period.as_ref().and_then(|p| self.period(p));
        let deadline = raw.deadline.as_ref().and_then(|p| self.period(p));
        if raw.baseline.is_some() != raw.baseline_period.is_some() {
            let span = raw
                .baseline
                .as_ref()
                .map(Spanned::span)
                .or_else(|| raw.baseline_period.as_ref().map(Spanned::span))
                .unwrap_or(0..0);
            self.error(Problem::BaselineIncomplete, span);
        }
        if let (Some(start), Some(end), Some(d)) = (baseline_period, deadline, &raw.deadline)
            && end <= start
        {
            let problem = Problem::DeadlineBeforeBaseline {
                deadline: end,
                baseline_period: start,
            };
            self.error(problem, d.span());
        }
        (baseline_period, deadline)
    }

    /// Progress is measured towards the target due at the deadline: a baseline equal to it
    /// leaves nothing to measure.
    fn baseline_differs_from_goal(&mut self, target: &Target, baseline: Option<&Spanned<f64>>) {
        if let (Some(b), Some(direction)) = (baseline, self.direction) {
            // Without a deadline, the last target the table sets.
            let last = target.schedule.last().map(|s| s.from);
            let due = target
                .deadline
                .or(last)
                .or(target.baseline_period)
                .and_then(|p| target.at(p, direction));
            if let Some(Spec::Number(goal)) = due.map(|r| r.value)
                && b.get_ref() == goal
            {
                self.error(Problem::BaselineEqualsTarget { value: *goal }, b.span());
            }
        }
    }
}

#[cfg(test)]
pub(in crate::target) mod tests {
    use super::*;
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Within};

    #[derive(Deserialize)]
    struct File {
        target: Spanned<RawTarget>,
    }

    /// Checks `[target]` + `body`: the target, or every message (`line:column: message`).
    fn target(body: &str, direction: Direction) -> Target {
        load(body, direction).unwrap()
    }

    pub(in crate::target) fn load(body: &str, direction: Direction) -> Result<Target, Vec<String>> {
        let file = crate::source::SourceFile::new("m/x.toml", format!("[target]\n{body}"));
        let raw: File = toml::from_str(file.text()).unwrap();
        let layers = Layers::new(std::sync::Arc::new(file));
        let mut errors = Vec::new();
        match check(&layers, raw.target, Some(direction), false, &mut errors) {
            Some(target) if errors.is_empty() => Ok(target),
            _ => Err(errors
                .iter()
                .map(|e| {
                    let at = e.location.as_ref().unwrap();
                    format!("{}:{}: {}", at.line, at.column, e.problem)
                })
                .collect()),
        }
    }

    #[test]
    fn schedule_errors() {
        let entry = |from: &str, extra: &str| {
            format!("[[target.schedule]]\nfrom = \"{from}\"\nvalue = 5\n{extra}")
        };
        let out_of_order = format!("{}{}", entry("2026-04", ""), entry("2026-01", ""));
        assert_eq!(
            load(&out_of_order, Up).unwrap_err(),
            ["6:8: schedule entry from 2026-01 comes after the entry from 2026-04"]
        );
        let repeated = format!("{}{}", entry("2026-04", ""), entry("2026-04", ""));
        assert_eq!(
            load(&repeated, Up).unwrap_err(),
            ["6:8: two schedule entries start in 2026-04"]
        );
        let wrong_side = entry("2026-04", "warning = 6\n");
        assert_eq!(
            load(&wrong_side, Up).unwrap_err(),
            [
                "5:11: warning 6 is on the wrong side of target 5 for a metric where higher is better"
            ]
        );
        assert_eq!(
            load(&entry("April", ""), Up).unwrap_err(),
            ["3:8: `April` is not a month"]
        );
        assert_eq!(
            load("warning = 3\n", Up).unwrap_err(),
            ["2:11: `warning` is given without `value`",]
        );
        assert_eq!(
            load("baseline = 3\n", Up).unwrap_err(),
            [
                "1:1: `[target]` has neither `value` nor `[[target.schedule]]` entries",
                "2:12: `baseline` and `baseline_period` go together: one is missing",
            ]
        );
    }

    #[test]
    fn range_errors() {
        assert_eq!(
            load("value = [105, 95]\n", Within).unwrap_err(),
            ["2:9: range [105, 95] is reversed"]
        );
        assert_eq!(
            load("value = [95, 105]\nwarning = [96, 110]\n", Within).unwrap_err(),
            ["3:11: warning range [96, 110] does not contain the target range [95, 105]"]
        );
        // The same ranges are fine; a warning range may share an end with the target's.
        target("value = [95, 105]\nwarning = [95, 110]\n", Within);
        assert_eq!(
            load("value = [95, 105]\n", Up).unwrap_err(),
            ["2:9: `value` is a range, but the direction is `higher_is_better`"]
        );
        assert_eq!(
            load("value = 100\nwarning = \"floor\"\n", Within).unwrap_err(),
            [
                "2:9: `value` must be a range `[low, high]`: the direction is `within`",
                "3:11: `warning` must be a range `[low, high]`: the direction is `within`",
            ]
        );
        assert_eq!(
            load(
                "value = [95, 105]\nbaseline = 90\nbaseline_period = \"2026-01\"\n",
                Within
            )
            .unwrap_err(),
            ["3:12: `baseline` is for a target to reach, not a range to stay in"]
        );
        // `true` is the target of a yes/no metric, said so.
        assert_eq!(
            load("value = true\n", Up).unwrap_err(),
            [
                "2:9: `value = true` or `false` is the target of a yes/no metric, and this one is not"
            ]
        );
        for bad in ["[1, 2, 3]", "[\"a\", 2]", "\"21 %\"", "{ a = 1 }"] {
            assert_eq!(
                load(&format!("value = {bad}\n"), Up).unwrap_err(),
                [
                    "2:9: `value` must be a number, a range `[low, high]` or the name of an input or metric"
                ],
                "{bad}"
            );
        }
        assert_eq!(
            load("value = nan\n", Up).unwrap_err(),
            ["2:9: `value` must be a finite number"]
        );
    }

    #[test]
    fn the_baseline_must_differ_from_the_target_due_at_the_deadline() {
        let body = "value = 10\nbaseline = 20\nbaseline_period = \"2026-01\"\n\
                    deadline = \"2026-12\"\n[[target.schedule]]\nfrom = \"2026-06\"\nvalue = 20\n";
        assert_eq!(
            load(body, Down).unwrap_err(),
            ["3:12: `baseline` equals the target value 20: progress cannot be measured"]
        );
        // Due at the deadline is the entry in force then, 20; 10 before June does not count.
        target(&body.replace("value = 20\n", "value = 15\n"), Down);
    }
}
