//! `kpi eval`: every metric's value for one month, as a table, JSON or CSV.

use std::cell::RefCell;

use serde::Serialize;

use kpi_core::attribution::{Attribution, Operand, OperandKind, attribute};
use kpi_core::data::rollup::Grain;
use kpi_core::objective::progress::{NoProgress, progress};
use kpi_core::objective::{ObjectiveStatus, Objectives};
use kpi_core::target::Level;
use kpi_core::{
    Catalog, Cell, Dataset, Evaluation, Kind, MonthIndex, Period, Reason, Status, Unit, evaluate,
};
use kpi_report::Locale;

use crate::cli::EvalFormat;
use crate::console::Console;
use crate::error::CliError;
use crate::load;
use crate::month;
use crate::output::{csv_field, table};
use crate::settings::Eval;

/// The JSON document `kpi eval --format json` prints.
#[derive(Serialize)]
#[serde(bound(serialize = ""))] // The rows are serialised as a list, not as `R`.
struct Report<'a, R: Iterator<Item = Row<'a>>> {
    period: String,
    metrics: Streamed<R>,
    objectives: Vec<ObjectiveRow<'a>>,
}

/// One objective's progress and status in the month.
#[derive(Serialize)]
struct ObjectiveRow<'a> {
    id: &'a str,
    name: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    /// The weighted mean of its KPIs' progress, 0 to 1; null when no KPI has a value.
    progress: Option<f64>,
    status: ObjectiveStatus,
    kpis: Vec<MemberRow<'a>>,
    /// How many of its KPIs have no value this month.
    without_value: usize,
}

/// One KPI of an objective.
#[derive(Serialize)]
struct MemberRow<'a> {
    id: &'a str,
    /// 0 to 1; null without a value (or without a target in force).
    progress: Option<f64>,
    weight: f64,
    status: Status,
    /// Why it has no progress: `no_value` or `no_target`.
    reason: Option<NoProgress>,
}

fn objective_rows<'a>(
    e: &Evaluation<'_>,
    objectives: &'a Objectives,
    t: MonthIndex,
) -> Vec<ObjectiveRow<'a>> {
    objectives
        .iter()
        .map(|o| {
            let p = progress(e, o, t);
            ObjectiveRow {
                id: &o.id,
                name: &o.name,
                owner: o.owner.as_deref(),
                due: o.due.map(|d| d.to_string()),
                progress: p.progress,
                status: p.status,
                kpis: o
                    .kpis
                    .iter()
                    .zip(&p.kpis)
                    .map(|(member, k)| MemberRow {
                        id: &member.id,
                        progress: k.progress.ok().map(|(p, _)| p),
                        weight: member.weight,
                        status: k.status,
                        reason: k.progress.err(),
                    })
                    .collect(),
                without_value: p.without_value,
            }
        })
        .collect()
}

/// One metric's result for the month.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    category: &'a str,
    unit: Unit,
    value: Option<f64>,
    previous: Option<f64>,
    /// The target in force this month: a number, `[low, high]`, or null.
    target: Option<Level>,
    /// The warning level in force this month, in the same shapes.
    warning: Option<Level>,
    /// `fixed`, `schedule` or the id of the series the target follows; null without target.
    target_source: Option<&'a str>,
    status: Status,
    reason: Option<String>,
    /// The same month a year earlier; null with `year_ago_reason` when it has no value.
    year_ago: Option<f64>,
    year_ago_reason: Option<String>,
    /// From January to this month, each input rolled up by its `aggregate` and the formula
    /// evaluated once on them; null with `year_to_date_reason`.
    year_to_date: Option<f64>,
    year_to_date_reason: Option<String>,
    /// The same span a year earlier.
    year_to_date_year_ago: Option<f64>,
    year_to_date_year_ago_reason: Option<String>,
    /// The change since the previous month split among the formula's operands; null when it
    /// cannot be (`attribution_reason` says why).
    attribution: Option<Vec<Share>>,
    attribution_reason: Option<String>,
    #[serde(skip)]
    decimals: u8,
}

/// One operand's share of a metric's change.
#[derive(Serialize)]
struct Share {
    /// As the formula reads it: `customers_lost`, `prev(mrr)`, `prev(mrr, 2)`.
    operand: String,
    kind: OperandKind,
    before: f64,
    after: f64,
    contribution: f64,
}

/// A value with the reason it has none: `(value, reason)`.
fn split_cell(cell: Cell) -> (Option<f64>, Option<String>) {
    match cell {
        Ok(v) => (Some(v), None),
        Err(reason) => (None, Some(reason.to_string())),
    }
}

/// The cell of metric `m` a year before period `t` (`per_year` periods back), or why there is
/// none.
fn a_year_before(
    e: &Evaluation<'_>,
    m: kpi_core::MetricIndex,
    t: MonthIndex,
    per_year: usize,
) -> Cell {
    match t.back(per_year) {
        Some(earlier) => e.cell(m, earlier),
        None => Err(Reason::NoData {
            period: e
                .data()
                .month(t)
                .add_months(-12)
                .unwrap_or(e.data().month(t)),
            grain: e.data().grain(),
        }),
    }
}

/// What the rows compare with: each metric's year to date (for a month), and how many
/// periods make a year.
struct Compared {
    ytd: Option<Vec<YearToDate>>,
    per_year: usize,
}

/// A metric's year to date in the month reported and a year before, each a value or why not.
struct YearToDate {
    now: (Option<f64>, Option<String>),
    year_before: (Option<f64>, Option<String>),
}

/// Every metric's [`YearToDate`] in month `t` of `data`, from an evaluation of its year to
/// date that is dropped before the month's own: a 100 000-metric evaluation over ten years is
/// 96 MB, and holding both at once was the peak of `kpi eval`.
fn years_to_date(catalog: &Catalog, data: &Dataset, t: MonthIndex) -> Vec<YearToDate> {
    let to_date = data.year_to_date(catalog.inputs());
    let ytd = evaluate(catalog, &to_date);
    catalog
        .metric_indexes()
        .map(|m| YearToDate {
            now: split_cell(ytd.cell(m, t)),
            year_before: split_cell(a_year_before(&ytd, m, t, 12)),
        })
        .collect()
}

/// Each metric's row, made as it is asked for: `kpi eval --format json` writes each before
/// making the next.
fn rows<'a>(
    e: &'a Evaluation<'_>,
    compared: Compared,
    t: MonthIndex,
) -> impl Iterator<Item = Row<'a>> {
    let mut ytd = compared.ytd.map(Vec::into_iter);
    e.catalog()
        .metric_indexes()
        .zip(e.catalog().metrics())
        .map(move |(m, metric)| {
            let judged = e.judge(m, t);
            let target = judged.target;
            let (attribution, attribution_reason) = match t.back(1) {
                Some(before) => match attribute(e, m, t, before) {
                    Ok(split) => (Some(shares(&split)), None),
                    Err(why) => (None, Some(why.to_string())),
                },
                None => (None, Some("no month before it in the data".to_string())),
            };
            let (year_ago, year_ago_reason) = split_cell(a_year_before(e, m, t, compared.per_year));
            let only_months = || {
                (
                    None,
                    Some("a year to date is computed for a month".to_string()),
                )
            };
            let (
                (year_to_date, year_to_date_reason),
                (year_to_date_year_ago, year_to_date_year_ago_reason),
            ) = match ytd.as_mut().and_then(Iterator::next) {
                Some(YearToDate { now, year_before }) => (now, year_before),
                None => (only_months(), only_months()),
            };
            Row {
                id: &metric.id,
                name: &metric.name,
                kind: metric.kind,
                category: &metric.category,
                unit: metric.unit,
                value: judged.value,
                previous: t.back(1).and_then(|p| e.value(m, p)),
                target: target.and_then(|t| t.value),
                warning: target.and_then(|t| t.warning),
                target_source: target.map(|t| t.source()),
                status: judged.status,
                reason: e.cell(m, t).err().map(|r| r.to_string()),
                year_ago,
                year_ago_reason,
                year_to_date,
                year_to_date_reason,
                year_to_date_year_ago,
                year_to_date_year_ago_reason,
                attribution,
                attribution_reason,
                decimals: metric.decimals,
            }
        })
}

/// The shares of an attribution, as JSON writes them.
fn shares(split: &Attribution) -> Vec<Share> {
    split
        .operands
        .iter()
        .map(|o| Share {
            operand: operand_text(o),
            kind: o.kind,
            before: o.before,
            after: o.after,
            contribution: o.contribution,
        })
        .collect()
}

/// An operand as a formula reads it: `customers_lost`, `prev(mrr)`, `prev(mrr, 2)`.
pub fn operand_text(o: &Operand) -> String {
    match o.months {
        0 => o.name.clone(),
        1 => format!("prev({})", o.name),
        k => format!("prev({}, {k})", o.name),
    }
}

/// Runs `kpi eval`.
pub fn run(settings: Eval, console: &mut Console) -> Result<(), CliError> {
    if let Some((grain, end)) = settings.month.longer {
        return longer(settings, grain, end, console);
    }
    let loaded = month::load(&settings.month, console)?;
    let objectives = load::objectives(&settings.month.definitions, &loaded.catalog)?;
    let compared = Compared {
        ytd: Some(years_to_date(&loaded.catalog, &loaded.data, loaded.t)),
        per_year: 12,
    };
    let evaluation = evaluate(&loaded.catalog, &loaded.data);
    let rows = rows(&evaluation, compared, loaded.t);
    let objectives = || objective_rows(&evaluation, &objectives, loaded.t);
    let written = output(
        &settings,
        loaded.period.to_string(),
        rows,
        objectives,
        console,
    );
    // The process ends with the command: freeing 100 000 definitions and their evaluations
    // one allocation at a time costs more (7 % of the run) than the system taking the memory
    // back at exit.
    std::mem::forget(evaluation);
    std::mem::forget(loaded);
    written
}

/// `kpi eval --period 2026-Q3` (or `2026`): every input rolled up over the quarter (or the
/// year) by its `aggregate`, each formula evaluated once on them; compared with the period
/// before and the same period a year earlier.
fn longer(
    settings: Eval,
    grain: Grain,
    end: Period,
    console: &mut Console,
) -> Result<(), CliError> {
    let month::LoadedPeriod {
        catalog,
        rolled,
        label,
        t,
        ..
    } = month::load_period(&settings.month, grain, end, console)?;
    let objectives = load::objectives(&settings.month.definitions, &catalog)?;
    let evaluation = evaluate(&catalog, &rolled);
    let compared = Compared {
        ytd: None,
        per_year: (12 / grain.months()) as usize,
    };
    let rows = rows(&evaluation, compared, t);
    let objectives = || objective_rows(&evaluation, &objectives, t);
    output(&settings, label, rows, objectives, console)
}

/// Writes the rows of period `label` in the format asked for; JSON is written as it is
/// serialised, never held whole.
fn output<'a>(
    settings: &Eval,
    label: String,
    rows: impl Iterator<Item = Row<'a>>,
    objectives: impl FnOnce() -> Vec<ObjectiveRow<'a>>,
    console: &mut Console,
) -> Result<(), CliError> {
    match settings.format {
        EvalFormat::Json => {
            let report = Report {
                period: label,
                metrics: Streamed(RefCell::new(Some(rows))),
                objectives: objectives(),
            };
            console.print_with(|out| {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                std::io::Write::write_all(out, b"\n")
            })
        }
        EvalFormat::Csv => console.print(&csv(&rows.collect::<Vec<_>>())),
        EvalFormat::Table => {
            let locale = settings.locale.clone()?;
            console.print(&columns(&label, &rows.collect::<Vec<_>>(), locale))
        }
    }
}

/// A list serialised as its items are made, each dropped once written: the rows of 100 000
/// metrics held at once were 65 MB.
struct Streamed<I>(RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().ok_or_else(|| {
            <S::Error as serde::ser::Error>::custom("a streamed list is written once")
        })?;
        serializer.collect_seq(items)
    }
}

/// One metric a row, under a header; numbers written out plainly, whatever the locale.
fn csv(rows: &[Row<'_>]) -> String {
    let plain = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    // A range is written `[low, high]`, quoted for its comma.
    let level = |l: Option<Level>| l.map_or_else(String::new, |l| csv_field(&l.to_string()));
    let mut out = String::from(
        "id,name,kind,category,unit,value,previous,target,warning,target_source,status,reason\n",
    );
    for r in rows {
        let fields = [
            csv_field(r.id),
            csv_field(r.name),
            r.kind.as_str().into(),
            csv_field(r.category),
            r.unit.as_str().into(),
            plain(r.value),
            plain(r.previous),
            level(r.target),
            level(r.warning),
            csv_field(r.target_source.unwrap_or("")),
            r.status.as_str().into(),
            csv_field(r.reason.as_deref().unwrap_or("")),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// The month, then aligned columns with numbers as the locale writes them (`1,601.89`,
/// `1 601,89`); the machine outputs never change with it.
fn columns(period: &str, rows: &[Row<'_>], locale: Locale) -> String {
    let style = kpi_report::Style {
        locale,
        ..kpi_report::Style::default()
    };
    let number = |v: Option<f64>, decimals: u8| {
        v.map_or_else(|| "—".to_string(), |v| style.number(v, decimals))
    };
    let mut cells = vec![
        [
            "id", "kind", "value", "previous", "target", "status", "reason",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in rows {
        cells.push(vec![
            r.id.into(),
            r.kind.as_str().into(),
            number(r.value, r.decimals),
            number(r.previous, r.decimals),
            r.target.map_or_else(String::new, |t| match t {
                Level::Number(v) => number(Some(v), r.decimals),
                Level::Range(low, high) => format!(
                    "{}–{}",
                    number(Some(low), r.decimals),
                    number(Some(high), r.decimals)
                ),
            }),
            r.status.as_str().into(),
            r.reason.clone().unwrap_or_default(),
        ]);
    }
    format!("{period}\n{}", table(&cells))
}
