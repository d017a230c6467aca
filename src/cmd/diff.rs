//! `kpi diff`: what the definitions changed since a git revision do to one month's (or
//! quarter's, or year's) values and statuses, over the same data: for a pull request's
//! review.

mod fields;
mod markdown;

use std::collections::BTreeMap;
use std::sync::Arc;

use kpi_core::data::rollup::Grain;
use kpi_core::diagnostic::MonthUse;
use kpi_core::input::InputDecl;
use kpi_core::target::Level;
use kpi_core::{Catalog, Evaluation, Metric, MonthIndex, Period, Status, evaluate};
use serde::Serialize;

use crate::cli::DiffFormat;
use crate::console::Console;
use crate::error::{CliError, Failure};
use crate::settings::Diff as Settings;
use crate::{git, load, month};

/// The JSON output (raw numbers and machine names), and what the Markdown is written from.
#[derive(Serialize)]
struct Diff<'a> {
    period: String,
    base: &'a str,
    changes: Vec<Changed<'a>>,
    /// The month compared (the last of a quarter or a year), for the Markdown's heading.
    #[serde(skip)]
    month: Period,
    /// The length of the period compared.
    #[serde(skip)]
    grain: Grain,
}

/// One metric whose definition, value or status differs.
#[derive(Serialize)]
struct Changed<'a> {
    id: String,
    change: Change,
    /// The top-level keys that differ (for `changed`).
    fields: Vec<&'static str>,
    before: Option<Side>,
    after: Option<Side>,
    /// Its definition at the base, for the Markdown's units and changed keys.
    #[serde(skip)]
    old: Option<&'a Metric>,
    /// Its definition now.
    #[serde(skip)]
    new: Option<&'a Metric>,
}

/// How a metric differs between the two sides (its machine name in the JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Change {
    /// Defined now, not at the base.
    Added,
    /// Defined at the base, not now.
    Removed,
    /// Its definition differs.
    Changed,
    /// Its definition is the same, and its value or status differs (through a metric or an
    /// input it uses).
    Affected,
}

/// A metric's value, status and target on one side.
#[derive(Serialize, PartialEq)]
struct Side {
    value: Option<f64>,
    status: Status,
    /// The target in force this month: a number, `[low, high]`, or null (as `kpi eval`).
    target: Option<Level>,
}

/// Runs `kpi diff`.
pub fn run(settings: Settings, console: &mut Console) -> Result<(), CliError> {
    let month = &settings.month;
    let sources = month.sources.required()?;
    let after = console.shown(load::catalog(&month.definitions, false)?);
    let before = base_catalog(&settings)?;
    let inputs = inputs(&before, &after);
    let data = console.shown(load::data(sources, &inputs)?);
    // A quarter or a year: both sides over the same data rolled up, each input by its rule
    // as the definitions are now (where only the base declares it, by the base's).
    let (data, period, t) = match month.longer {
        Some((grain, end)) => {
            let (rolled, t) = month::roll_up(&data, &inputs, grain, end)?;
            (rolled, end, t)
        }
        None => {
            // The month follows the definitions as they are now.
            let chosen = load::month(&after, &data, month.period, MonthUse::Compare)?;
            console.show(chosen.note.as_slice());
            (data, chosen.period, chosen.t)
        }
    };
    let (e_before, e_after) = (evaluate(&before, &data), evaluate(&after, &data));
    let grain = data.grain();
    let diff = Diff {
        period: grain.label(period),
        base: &settings.base,
        changes: changes(&e_before, &e_after, t),
        month: period,
        grain,
    };
    match settings.format {
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff)
                .map_err(|e| Failure::Output(std::io::Error::other(e)))?;
            text.push('\n');
            console.print(&text)
        }
        DiffFormat::Markdown => {
            let style = settings.style.clone()?;
            console.print(&markdown::markdown_table(&diff, &style))
        }
    }
}

/// The definitions as they are at the base revision: the same standard library, and the
/// project's folders read from git.
fn base_catalog(settings: &Settings) -> Result<Catalog, CliError> {
    let definitions = &settings.month.definitions;
    let mut folders = Vec::new();
    for dir in &definitions.dirs {
        folders.push(git::folder(&settings.commit, &settings.base, dir)?);
    }
    Ok(Catalog::load_files(definitions.library.as_ref(), folders)?)
}

/// One dataset serves both sides: the inputs either side declares.
fn inputs(before: &Catalog, after: &Catalog) -> Vec<(String, Arc<InputDecl>)> {
    let mut inputs: BTreeMap<String, Arc<InputDecl>> = BTreeMap::new();
    for (name, decl) in after.inputs().iter().chain(before.inputs()) {
        inputs.entry(name.clone()).or_insert_with(|| decl.clone());
    }
    inputs.into_iter().collect()
}

/// Every metric that is added, removed, changed or affected, sorted by id.
fn changes<'a>(
    before: &'a Evaluation<'_>,
    after: &'a Evaluation<'_>,
    t: MonthIndex,
) -> Vec<Changed<'a>> {
    let side = |e: &Evaluation<'_>, metric: &Metric| {
        let m = e
            .catalog()
            .metric_index(&metric.id)
            .expect("a metric of the catalog");
        let judged = e.judge(m, t);
        Side {
            value: judged.value,
            status: judged.status,
            target: judged.target.and_then(|t| t.value),
        }
    };
    let mut ids: Vec<&str> = before
        .catalog()
        .metrics()
        .iter()
        .chain(after.catalog().metrics())
        .map(|m| m.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut changes = Vec::new();
    for id in ids {
        let old = before.catalog().metric(id);
        let new = after.catalog().metric(id);
        let (change, fields) = match (old, new) {
            (None, Some(_)) => (Change::Added, Vec::new()),
            (Some(_), None) => (Change::Removed, Vec::new()),
            (Some(old), Some(new)) => {
                let fields = old.differing_keys(new);
                if !fields.is_empty() {
                    (Change::Changed, fields)
                } else if side(before, old) != side(after, new) {
                    (Change::Affected, fields)
                } else {
                    continue;
                }
            }
            (None, None) => unreachable!("the id comes from one of the catalogs"),
        };
        changes.push(Changed {
            id: id.to_string(),
            change,
            fields,
            before: old.map(|m| side(before, m)),
            after: new.map(|m| side(after, m)),
            old,
            new,
        });
    }
    changes
}
