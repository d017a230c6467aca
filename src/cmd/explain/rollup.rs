//! `kpi explain ID --period 2026-Q3` (or `2026`): each input the formula reads, month by
//! month, with its rule (`aggregate`) and the rolled-up value, then the formula with those
//! values and its result, so that a reader can check the rollup by hand; with `--why`, why
//! the quarter's value moved from the quarter before (or a year earlier).

use std::fmt::Write as _;

use kpi_core::catalog::NameRef;
use kpi_core::data::rollup::Grain;
use kpi_core::{Dataset, Period, evaluate};

use crate::console::Console;
use crate::error::CliError;
use crate::month;
use crate::output::exact;
use crate::settings::Explain;
use crate::terminal;

/// Runs `kpi explain` for a quarter or a year ending in month `end`.
pub fn run(
    settings: Explain,
    grain: Grain,
    end: Period,
    console: &mut Console,
) -> Result<(), CliError> {
    let month::LoadedPeriod {
        catalog,
        data,
        rolled,
        label,
        t,
    } = month::load_period(&settings.month, grain, end, console)?;
    let m = month::metric(&catalog, &settings.id)?;
    let start = grain.start_of(end);
    let e = evaluate(&catalog, &rolled);
    if let Some(why) = &settings.why {
        return console.print(&super::why::explain(&e, m, t, why)?);
    }
    let metric = catalog.metric_at(m);
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", metric.id, terminal::escape(&metric.name));
    let _ = writeln!(out, "period:   {label} ({start} to {end})");
    let _ = writeln!(out, "formula:  {}", metric.formula.text);
    let _ = writeln!(out, "inputs, month by month, and their rule:");
    let mut seen = Vec::new();
    for reference in &metric.formula.references {
        let name = &reference.name;
        if seen.contains(&(name, reference.months)) {
            continue;
        }
        seen.push((name, reference.months));
        let label = match reference.months {
            0 => name.clone(),
            k => format!("prev({name}, {k}), the period {k} before"),
        };
        match catalog.resolve(name) {
            Some(NameRef::Input(k)) if reference.months == 0 => {
                let rule = catalog.inputs()[k]
                    .1
                    .aggregate
                    .map_or("no aggregate", |a| a.as_str());
                let months = month_by_month(&data, name, start, end);
                let rolled_value = match e.lookup(name, t, 0) {
                    Ok(v) => exact(v),
                    Err(reason) => format!("no value ({reason})"),
                };
                let _ = writeln!(out, "  {label} ({rule}): {months} → {rolled_value}");
            }
            _ => {
                let value = match e.lookup(name, t, reference.months) {
                    Ok(v) => exact(v),
                    Err(reason) => format!("no value ({reason})"),
                };
                let _ = writeln!(out, "  {label}: {value}, evaluated over the period");
            }
        }
    }
    let show = |cell: &kpi_core::Cell| match cell {
        Ok(v) => exact(*v),
        Err(_) => "?".into(),
    };
    let _ = writeln!(out, "values:   {}", e.substitute(m, t, |_, c| show(c)));
    match e.cell(m, t) {
        Ok(v) => {
            let _ = writeln!(out, "result:   {}", exact(v));
        }
        Err(reason) => {
            let _ = writeln!(out, "result:   no value ({reason})");
        }
    }
    let judged = e.judge(m, t);
    if let Some(level) = judged.target.and_then(|t| t.value) {
        let _ = writeln!(out, "target:   {level}, the target in force in {end}");
    }
    let _ = writeln!(out, "status:   {}", judged.status.as_str());
    console.print(&out)
}

/// Input `name`'s value in each month from `start` to `end`, `—` where it has none:
/// `2026-07 76, 2026-08 81, 2026-09 83`.
fn month_by_month(data: &Dataset, name: &str, start: Period, end: Period) -> String {
    let column = data.column(name);
    let mut months = Vec::new();
    let mut at = start;
    while at <= end && months.len() < 12 {
        let value = data
            .month_index(at)
            .filter(|&i| data.is_present(i))
            .and_then(|i| column.map(|c| c[i.get()]))
            .filter(|v| !v.is_nan());
        months.push(format!(
            "{at} {}",
            value.map_or_else(|| "—".to_string(), exact)
        ));
        match at.add_months(1) {
            Some(next) => at = next,
            None => break,
        }
    }
    months.join(", ")
}
