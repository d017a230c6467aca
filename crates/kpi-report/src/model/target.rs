//! Builds the [`TargetView`] of the target in force: its levels, where it comes from and
//! how it changed this month, in the report's language.

use kpi_core::target::{Origin, Spec};
use kpi_core::{Evaluation, InForce, LevelSource, Metric, MetricIndex, MonthIndex, Period};

use super::names::{self, reader_name};
use super::view::TargetView;
use crate::format::{self, Style};
use crate::locale::{LevelKind, TargetChange, TargetSource};

/// The target in force in month `t`, formatted, with where it comes from and whether it
/// changed this month, in the report's language.
pub(super) fn target_view(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    target: &InForce<'_>,
    style: &Style,
) -> TargetView {
    let metric = e.catalog().metric_at(m);
    let words = style.words();
    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
    let rule = target.rule;
    let value = target.value.map_or_else(
        || "—".to_string(),
        |level| style.target_level(level, rule.direction, metric.unit, metric.decimals),
    );
    let table = rule.target;
    let month = |p: Period| style.month(p);
    let series = |name: &str| reader_name(e, name, words);
    // The series' name as readers see it, which the source borrows.
    let named: String;
    let source = match rule.source() {
        LevelSource::ScheduleSeries { from, name } => {
            named = series(name);
            Some(TargetSource::ScheduleSeries(month(from), &named))
        }
        LevelSource::Series { name, .. } => {
            named = series(name);
            Some(TargetSource::Series(&named))
        }
        LevelSource::Schedule { from } => Some(TargetSource::Schedule(month(from))),
        LevelSource::BeforeSchedule { first } => Some(TargetSource::BeforeSchedule(month(first))),
        LevelSource::Fixed => None,
    };
    TargetView {
        value,
        warning: target
            .warning
            .map(|w| style.level(w, metric.unit, metric.decimals)),
        source: source.map(|s| (words.target_source)(&s)),
        missing: target
            .missing_series()
            .and_then(|name| e.lookup(name, t, 0).err())
            .map(|reason| names::reason(e, &reason, words, &month)),
        change: target_change(e, metric, e.data().month(t), style),
        baseline: table.baseline.map(fmt),
        baseline_period: table.baseline_period.map(month),
        deadline: table.deadline.map(month),
    }
}

/// A level as the definition's author wrote it, in the locale's numbers: `19.5` (`19,5`),
/// `95 – 105`; a series by its name, as readers see it.
fn spec_text(e: &Evaluation<'_>, spec: &Spec, style: &Style) -> String {
    let decimal = style.words().numbers.decimal;
    let number = |v: f64| kpi_core::numbers::short(v).replacen('.', decimal, 1);
    match spec {
        Spec::Number(v) => number(*v),
        Spec::Range(low, high) => format::range(&number(*low), &number(*high)),
        Spec::Series(name) => reader_name(e, name, style.words()),
    }
}

/// The change of target rule from the month before `period` to `period`, in words, when
/// its levels differ: numbers are shown as the definition's author wrote them (`target
/// raised from 19.5 to 21 this month`), in the locale's numbers.
fn target_change(
    e: &Evaluation<'_>,
    metric: &Metric,
    period: Period,
    style: &Style,
) -> Option<String> {
    let now = metric.target_at(period)?;
    let before = period.add_months(-1).and_then(|p| metric.target_at(p));
    let text = |spec: &Spec| spec_text(e, spec, style);
    let change = match before {
        // The first schedule entry starts this month, with no target before it.
        None if now.origin == Origin::Schedule(period) => TargetChange::TargetSet(text(now.value)),
        None => return None,
        Some(before) if now.same_levels(&before) => return None,
        Some(before) => {
            let moved = |kind: LevelKind, from: &Spec, to: &Spec| match (from, to) {
                (Spec::Number(a), Spec::Number(b)) if b > a => {
                    TargetChange::Raised(kind, text(from), text(to))
                }
                (Spec::Number(_), Spec::Number(_)) => {
                    TargetChange::Lowered(kind, text(from), text(to))
                }
                _ => TargetChange::Changed(kind, text(from), text(to)),
            };
            match (before.warning, now.warning) {
                _ if before.value != now.value => moved(LevelKind::Target, before.value, now.value),
                (Some(from), Some(to)) => moved(LevelKind::Warning, from, to),
                (Some(_), None) => TargetChange::WarningRemoved,
                (None, Some(to)) => TargetChange::WarningSet(text(to)),
                (None, None) => return None,
            }
        }
    };
    Some((style.words().target_change)(
        &change,
        &style.words().period,
    ))
}
