//! `kpi diff`: what the definitions changed since a git revision do to one month's values
//! and statuses, over the same data: for a pull request's review.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kpi_core::input::InputDecl;
use kpi_core::target::Level;
use kpi_core::{Catalog, Evaluation, Metric, evaluate};
use serde::Serialize;

use crate::cli::{DiffArgs, DiffFormat};
use crate::error::{CliError, write_failed};
use crate::output::{number, print};
use crate::project::Project;

/// The JSON output.
#[derive(Serialize)]
struct Diff<'a> {
    period: String,
    base: &'a str,
    changes: Vec<Change>,
}

/// One metric whose definition, value or status differs.
#[derive(Serialize)]
struct Change {
    id: String,
    /// `added`, `removed`, `changed` or `affected`.
    change: &'static str,
    /// The top-level keys that differ (for `changed`).
    fields: Vec<&'static str>,
    before: Option<Side>,
    after: Option<Side>,
    #[serde(skip)]
    decimals: u8,
}

/// A metric's value, status and target on one side.
#[derive(Serialize, PartialEq)]
struct Side {
    value: Option<f64>,
    status: &'static str,
    /// The target in force this month: a number, `[low, high]`, or null (as `kpi eval`).
    target: Option<Level>,
}

/// Runs `kpi diff`.
pub fn run(project: &Project, args: &DiffArgs) -> Result<(), CliError> {
    let commit = crate::git::resolve(&args.base)?;
    let metrics = &args.data.metrics;
    let sources = project.sources(&args.data.data);
    if sources.is_empty() {
        return Err(CliError::Usage(
            "no data: pass `--data FILE`, or set `data = [...]` or `[[sources]]` in kpi.toml"
                .into(),
        ));
    }
    let after = project.load_catalog(metrics, false)?;
    let mut folders = Vec::new();
    for dir in project.metric_dirs(metrics) {
        folders.push(crate::git::folder(&commit, &args.base, &dir)?);
    }
    let before = Catalog::load_files(project.library(metrics).as_ref(), folders)?;

    // One dataset for both sides: the inputs either side declares.
    let mut inputs: BTreeMap<String, InputDecl> = BTreeMap::new();
    for (name, decl) in after.inputs().iter().chain(before.inputs()) {
        inputs.entry(name.clone()).or_insert_with(|| decl.clone());
    }
    let inputs: Vec<(String, InputDecl)> = inputs.into_iter().collect();
    let data = project.load_data_for(&sources, &inputs)?;
    let period = match args.data.period {
        Some(p) => p,
        None => {
            let latest = data.latest().expect("loaded data holds a month");
            crate::output::stderr(&format!(
                "note: comparing {latest}, the latest month in the data"
            ));
            latest
        }
    };
    let t = data.require(period)?;
    let (e_before, e_after) = (evaluate(&before, &data), evaluate(&after, &data));
    let changes = changes(&e_before, &e_after, t);
    let diff = Diff {
        period: period.to_string(),
        base: &args.base,
        changes,
    };
    match args.format {
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff)
                .map_err(|e| write_failed(std::io::Error::other(e)))?;
            text.push('\n');
            print(&text)
        }
        DiffFormat::Markdown => print(&markdown(&diff)),
    }
}

/// Every metric that is added, removed, changed or affected, sorted by id.
fn changes(before: &Evaluation<'_>, after: &Evaluation<'_>, t: usize) -> Vec<Change> {
    let side = |e: &Evaluation<'_>, metric: &Metric| {
        let m = e
            .catalog()
            .metric_index(&metric.id)
            .expect("a metric of the catalog");
        let judged = e.judge(m, t);
        Side {
            value: judged.value,
            status: judged.status.as_str(),
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
            (None, Some(_)) => ("added", Vec::new()),
            (Some(_), None) => ("removed", Vec::new()),
            (Some(old), Some(new)) => {
                let fields = old.differing_keys(new);
                if !fields.is_empty() {
                    ("changed", fields)
                } else if side(before, old) != side(after, new) {
                    ("affected", fields)
                } else {
                    continue;
                }
            }
            (None, None) => unreachable!("the id comes from one of the catalogs"),
        };
        changes.push(Change {
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
            c.change.to_string()
        } else {
            let fields: Vec<String> = c.fields.iter().map(|f| format!("`{f}`")).collect();
            format!("{}: {}", c.change, fields.join(", "))
        };
        let value = |s: &Option<Side>| match s {
            Some(s) => number(s.value, c.decimals),
            None => "—".into(),
        };
        let status = |s: &Option<Side>| match s {
            Some(s) => s.status.replace('_', " "),
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
