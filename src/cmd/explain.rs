//! `kpi explain`: how one metric's value is computed for one month, down through every
//! metric it uses.

use std::collections::HashSet;
use std::fmt::Write as _;

use kpi_core::target::{Level, LevelSource, Spec};
use kpi_core::{Cell, Evaluation, InForce, MetricIndex, MonthIndex, evaluate};

mod rollup;
mod why;

use crate::console::Console;
use crate::error::CliError;
use crate::month;
use crate::output::exact;
use crate::settings::Explain;
use crate::terminal;

/// How deep the dependency tree is shown; deeper levels are summarised.
const MAX_DEPTH: usize = 12;

fn show(cell: &Cell) -> String {
    match cell {
        Ok(v) => exact(*v),
        Err(_) => "?".into(),
    }
}

/// Runs `kpi explain`.
pub fn run(settings: Explain, console: &mut Console) -> Result<(), CliError> {
    if let Some((grain, end)) = settings.month.longer {
        return rollup::run(settings, grain, end, console);
    }
    let loaded = month::load(&settings.month, console)?;
    let catalog = &loaded.catalog;
    let m = month::metric(catalog, &settings.id)?;
    let e = evaluate(catalog, &loaded.data);
    let t = loaded.t;
    if let Some(why) = &settings.why {
        return console.print(&why::explain(&e, m, t, why)?);
    }
    let metric = catalog.metric_at(m);
    let cell = e.cell(m, t);
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", metric.id, terminal::escape(&metric.name));
    let _ = writeln!(out, "period:   {}", loaded.period);
    let _ = writeln!(out, "kind:     {} ({})", metric.kind.as_str(), metric.unit);
    let _ = writeln!(out, "formula:  {}", metric.formula.text);
    let _ = writeln!(out, "values:   {}", e.substitute(m, t, |_, c| show(c)));
    match &cell {
        Ok(v) => {
            let _ = writeln!(out, "result:   {}", exact(*v));
        }
        Err(reason) => {
            let _ = writeln!(out, "result:   no value ({reason})");
        }
    }
    let judged = e.judge(m, t);
    if let Some(target) = &judged.target {
        let mut line = String::from("target:   ");
        match target.value {
            Some(v) => {
                let _ = write!(line, "{v}");
            }
            None => line.push_str("none this month"),
        }
        if let Some(w) = target.warning {
            let _ = write!(line, " (warning {w})");
        }
        let _ = write!(line, ", {}", target.rule.direction.phrase());
        let _ = writeln!(out, "{line}");
        if let Some(rule) = rule(&e, target, t) {
            let _ = writeln!(out, "rule:     {rule}");
        }
        if let Ok(v) = &cell
            && let Some(pace) = e.pace_line(m, t).and_then(|l| l.pace(*v, loaded.period))
        {
            let _ = write!(
                out,
                "progress: {} % of the way from baseline to target",
                kpi_report::format::fixed(pace.progress * 100.0, 1)
            );
            if let (Some(expected), Some(ahead)) = (pace.expected, pace.ahead) {
                let side = if ahead { "ahead of" } else { "behind" };
                let _ = write!(out, "; {side} the pace ({} expected)", exact(expected));
            }
            out.push('\n');
        }
    } else if let Some(first) = metric.target.as_ref().and_then(|t| t.schedule.first()) {
        let _ = writeln!(
            out,
            "target:   none before {}, the schedule's first entry",
            first.from
        );
    }
    let _ = writeln!(out, "status:   {}", judged.status.as_str());
    let mut lines = String::new();
    let mut seen = HashSet::new();
    dependencies(&e, m, t, 1, &mut seen, &mut lines);
    if !lines.is_empty() {
        let _ = write!(out, "\nuses:\n{lines}");
    }
    console.print(&out)
}

/// Which rule of the target applied, when there is more to say than its numbers: a
/// schedule entry (`schedule entry from 2026-04: 19.5, warning 17`), the table's own value
/// before a schedule, or a series and its value this month.
fn rule(e: &Evaluation<'_>, target: &InForce<'_>, t: MonthIndex) -> Option<String> {
    let rule = target.rule;
    let level = |spec: &Spec, resolved: Option<Level>| match (spec, resolved) {
        (Spec::Series(name), Some(v)) => format!("series `{name}` = {v}"),
        (Spec::Series(name), None) => match e.lookup(name, t, 0) {
            Err(reason) => format!("series `{name}` has no value ({reason})"),
            Ok(_) => format!("series `{name}`"),
        },
        (spec, _) => spec.to_string(),
    };
    let mut levels = level(rule.value, target.value);
    if let Some(w) = rule.warning {
        let _ = write!(levels, ", warning {}", level(w, target.warning));
    }
    match rule.source() {
        LevelSource::Schedule { from } | LevelSource::ScheduleSeries { from, .. } => {
            Some(format!("schedule entry from {from}: {levels}"))
        }
        LevelSource::BeforeSchedule { first }
        | LevelSource::Series {
            before: Some(first),
            ..
        } => Some(format!(
            "[target] value, before the schedule's first entry ({first}): {levels}"
        )),
        LevelSource::Series { before: None, .. } => Some(levels),
        LevelSource::Fixed => rule.follows_series().then_some(levels),
    }
}

/// Lists what metric `m` reads in month `t`, recursing into metrics.
fn dependencies(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    depth: usize,
    seen: &mut HashSet<(MetricIndex, MonthIndex)>,
    out: &mut String,
) {
    let indent = "  ".repeat(depth);
    let catalog = e.catalog();
    let metric = catalog.metric_at(m);
    let mut listed = HashSet::new();
    for reference in &metric.formula.references {
        if !listed.insert((reference.name.clone(), reference.months)) {
            continue;
        }
        let cell = e.lookup(&reference.name, t, reference.months);
        let label = if reference.months == 0 {
            reference.name.clone()
        } else {
            format!("prev({}, {})", reference.name, reference.months)
        };
        let value = match &cell {
            Ok(v) => exact(*v),
            Err(reason) => format!("no value ({reason})"),
        };
        let Some(dep) = catalog.metric_index(&reference.name) else {
            let _ = writeln!(out, "{indent}{label} = {value}  [input]");
            continue;
        };
        let Some(dep_t) = t.back(reference.months as usize) else {
            let _ = writeln!(out, "{indent}{label} = {value}  [metric]");
            continue;
        };
        let dep_metric = catalog.metric_at(dep);
        let _ = writeln!(
            out,
            "{indent}{label} = {value}  [metric: {} = {}]",
            dep_metric.formula.text,
            e.substitute(dep, dep_t, |_, c| show(c))
        );
        if depth >= MAX_DEPTH {
            let _ = writeln!(out, "{indent}  …");
        } else if seen.insert((dep, dep_t)) && e.data().is_present(dep_t) {
            dependencies(e, dep, dep_t, depth + 1, seen, out);
        }
    }
}
