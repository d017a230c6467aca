//! `kpi diff`: what the definitions changed since a git revision do to one month's values
//! and statuses, over the same data: for a pull request's review.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kpi_core::diagnostic::MonthUse;
use kpi_core::input::InputDecl;
use kpi_core::target::Level;
use kpi_core::{Catalog, Evaluation, Metric, Status, evaluate};
use serde::Serialize;

use crate::cli::DiffFormat;
use crate::console::Console;
use crate::error::{CliError, Failure};
use crate::output::number;
use crate::settings::Diff as Settings;
use crate::{git, load};

/// The JSON output.
#[derive(Serialize)]
struct Diff<'a> {
    period: String,
    base: &'a str,
    changes: Vec<Changed>,
}

/// One metric whose definition, value or status differs.
#[derive(Serialize)]
struct Changed {
    id: String,
    change: Change,
    /// The top-level keys that differ (for `changed`).
    fields: Vec<&'static str>,
    before: Option<Side>,
    after: Option<Side>,
    #[serde(skip)]
    decimals: u8,
}

/// How a metric differs between the two sides.
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

impl Change {
    /// The machine name, as in the JSON output.
    fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Affected => "affected",
        }
    }
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
    let data = console.shown(load::data(sources, &inputs(&before, &after))?);
    // The month follows the definitions as they are now.
    let chosen = load::month(&after, &data, month.period, MonthUse::Compare)?;
    console.show(chosen.note.as_slice());
    let (e_before, e_after) = (evaluate(&before, &data), evaluate(&after, &data));
    let diff = Diff {
        period: chosen.period.to_string(),
        base: &settings.base,
        changes: changes(&e_before, &e_after, chosen.t),
    };
    match settings.format {
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff)
                .map_err(|e| Failure::Output(std::io::Error::other(e)))?;
            text.push('\n');
            console.print(&text)
        }
        DiffFormat::Markdown => console.print(&markdown(&diff)),
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
fn inputs(before: &Catalog, after: &Catalog) -> Vec<(String, InputDecl)> {
    let mut inputs: BTreeMap<String, InputDecl> = BTreeMap::new();
    for (name, decl) in after.inputs().iter().chain(before.inputs()) {
        inputs.entry(name.clone()).or_insert_with(|| decl.clone());
    }
    inputs.into_iter().collect()
}

/// Every metric that is added, removed, changed or affected, sorted by id.
fn changes(before: &Evaluation<'_>, after: &Evaluation<'_>, t: usize) -> Vec<Changed> {
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
            decimals: new.or(old).map_or(2, |m| m.decimals),
        });
    }
    changes
}

/// A table for a pull-request comment or a job summary.
fn markdown(diff: &Diff<'_>) -> String {
    let mut out = format!(
        "### KPI changes against `{}`, {}\n\n",
        diff.base.replace('`', "'"),
        diff.period
    );
    if diff.changes.is_empty() {
        out.push_str("No metric's definition, value or status changes.\n");
        return out;
    }
    out.push_str("| Metric | Change | Value | Status |\n|:-------|:-------|:------|:-------|\n");
    for c in &diff.changes {
        let what = if c.fields.is_empty() {
            c.change.as_str().to_string()
        } else {
            let fields: Vec<String> = c.fields.iter().map(|f| format!("`{f}`")).collect();
            format!("{}: {}", c.change.as_str(), fields.join(", "))
        };
        let value = |s: &Option<Side>| match s {
            Some(s) => number(s.value, c.decimals),
            None => "—".into(),
        };
        let status = |s: &Option<Side>| match s {
            Some(s) => s.status.as_str().replace('_', " "),
            None => "—".into(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {what} | {} → {} | {} → {} |",
            c.id,
            value(&c.before),
            value(&c.after),
            status(&c.before),
            status(&c.after)
        );
    }
    out
}
