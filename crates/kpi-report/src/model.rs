//! The report model: everything a template shows, computed and formatted in Rust from an
//! [`Evaluation`]. Templates receive it as it is (serialised), so this file is also the list
//! of fields a restyled template may use (see `docs/reports.md`).
//!
//! Order is stable from month to month: KPIs, then metrics; within each, families sorted by
//! name; within a family, metrics sorted by id.

use std::collections::BTreeMap;

use kpi_core::{Direction, Evaluation, InForce, Kind, Metric, Status};
use serde::Serialize;

use crate::chart::{self, LineChart};
use crate::format;

/// How many months the trend of a row covers, the month reported included.
pub const TREND_MONTHS: usize = 12;
/// How many months a KPI's detailed chart covers.
pub const CHART_MONTHS: usize = 24;

/// A monthly report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The title.
    pub title: String,
    /// The month reported, `YYYY-MM`.
    pub period: String,
    /// The month before, `YYYY-MM`, which the changes compare against.
    pub previous_period: String,
    /// How the KPIs stand.
    pub summary: Summary,
    /// KPIs, then metrics; a section without rows is left out.
    pub sections: Vec<Section>,
}

/// How many KPIs are in each state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// How many KPIs there are.
    pub kpis: usize,
    /// How many metrics that are not KPIs there are.
    pub metrics: usize,
    /// KPIs at or past their target.
    pub on_target: usize,
    /// KPIs short of their target but not past the warning level.
    pub at_risk: usize,
    /// KPIs past the warning level.
    pub off_target: usize,
    /// KPIs without a value this month.
    pub no_data: usize,
    /// `13 KPIs`, `1 KPI`.
    pub kpis_label: String,
    /// `7 other metrics`, `1 other metric`.
    pub metrics_label: String,
}

/// The KPIs or the metrics.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `kpi` or `metric`.
    pub kind: &'static str,
    /// `KPIs` or `Metrics`.
    pub title: &'static str,
    /// The families, sorted by name.
    pub families: Vec<Family>,
}

/// The rows of one family (a definition's `category`).
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    /// The family's name, as written in the definitions.
    pub name: String,
    /// Its metrics, sorted by id.
    pub rows: Vec<Row>,
}

/// One metric's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The metric id, `[a-z][a-z0-9_]*` (safe in anchors).
    pub id: String,
    /// The human name.
    pub name: String,
    /// `kpi` or `metric`.
    pub kind: &'static str,
    /// The unit, as written in definitions (`percent`, `seconds`…).
    pub unit: &'static str,
    /// `higher is better`, `lower is better`, or null.
    pub direction: Option<&'static str>,
    /// This month's value, formatted for its unit, or `—`.
    pub value: String,
    /// Last month's value, formatted, or `—`.
    pub previous: String,
    /// The change since last month, when both months have a value.
    pub change: Option<Change>,
    /// The objective, when the metric has one.
    pub target: Option<TargetView>,
    /// Where the value stands against the target.
    pub status: StatusView,
    /// Progress from baseline to target, such as `40 %`, when the target has a baseline.
    pub progress: Option<String>,
    /// Whether the value keeps pace with a straight line from baseline to deadline.
    pub pace: Option<PaceView>,
    /// The last months' values.
    pub trend: Trend,
    /// The details section.
    pub details: Details,
}

/// The change since last month.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `▲` up, `▼` down, `=` unchanged (at the decimals shown).
    pub arrow: &'static str,
    /// The difference in the metric's unit, signed: `+1,200`, `-0.5 pp`.
    pub absolute: String,
    /// The difference relative to last month, `+3.2 %`; null when last month was zero.
    pub relative: Option<String>,
    /// `better`, `worse` or `unchanged` by the metric's direction; null without direction.
    pub verdict: Option<&'static str>,
}

/// A target, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The target with the side that is good: `≥ 90.0 %`, `≤ 2 min`.
    pub value: String,
    /// The warning level, formatted.
    pub warning: Option<String>,
    /// The baseline, formatted.
    pub baseline: Option<String>,
    /// When the baseline was measured, `YYYY-MM`.
    pub baseline_period: Option<String>,
    /// When the target is due, `YYYY-MM`.
    pub deadline: Option<String>,
}

/// A status, as text (for reading and accessibility) and as a key (for colour).
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `on_target`, `at_risk`, `off_target`, `no_target` or `no_data`: for CSS classes.
    pub key: &'static str,
    /// `on target`, `at risk`, `off target`, `no target`, `no data`.
    pub label: &'static str,
    /// A coloured mark for the Markdown report: `🟢`, `🟡`, `🔴`, `⚪`, or empty.
    pub icon: &'static str,
}

/// Pace against the straight line from baseline to target.
#[derive(Debug, Clone, Serialize)]
pub struct PaceView {
    /// Whether the value is at or ahead of the line, by the metric's direction.
    pub ahead: bool,
    /// `ahead of pace` or `behind pace`.
    pub label: &'static str,
    /// The value expected this month on the line, formatted.
    pub expected: String,
}

/// The last months' values of a row.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The first month shown, `YYYY-MM`.
    pub from: String,
    /// The last month shown (the month reported), `YYYY-MM`.
    pub to: String,
    /// A unicode sparkline, one character per month, `·` for a month without value.
    pub spark: String,
    /// The same as an inline SVG element (trusted markup generated by this crate).
    pub svg: String,
}

/// The details of a metric: how its value is computed, and why values are missing.
#[derive(Debug, Clone, Serialize)]
pub struct Details {
    /// What it measures, trimmed; null when the definition has none.
    pub description: Option<String>,
    /// The formula, as written.
    pub formula: String,
    /// The formula with this month's values in place of its inputs and metrics (`?` for a
    /// missing one).
    pub substituted: String,
    /// Every month of the trend without a value, and why.
    pub missing: Vec<Missing>,
    /// For a KPI, an inline SVG line chart of up to 24 months with the target, the warning
    /// level and the pace line (trusted markup generated by this crate); else null.
    pub chart: Option<String>,
}

/// A month without a value, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    /// The month, `YYYY-MM`.
    pub period: String,
    /// Why there is no value, such as ``input `visits` has no value for 2026-03``.
    pub reason: String,
}

impl Report {
    /// Builds the report of month `t` of the evaluation's data.
    pub fn build(e: &Evaluation<'_>, t: usize, title: &str) -> Report {
        let period = e.months()[t];
        let previous_period = period.add_months(-1).unwrap_or(period);
        let mut summary = Summary::default();
        let mut kpis: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        let mut metrics: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        for (m, metric) in e.catalog().metrics().iter().enumerate() {
            let row = row(e, m, t);
            if metric.kind == Kind::Kpi {
                summary.kpis += 1;
                match row.status.key {
                    "on_target" => summary.on_target += 1,
                    "at_risk" => summary.at_risk += 1,
                    "off_target" => summary.off_target += 1,
                    "no_data" => summary.no_data += 1,
                    _ => {}
                }
                kpis.entry(&metric.category).or_default().push(row);
            } else {
                summary.metrics += 1;
                metrics.entry(&metric.category).or_default().push(row);
            }
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        summary.kpis_label = plural(summary.kpis, "KPI", "KPIs");
        summary.metrics_label = plural(summary.metrics, "other metric", "other metrics");
        let section = |kind, title, families: BTreeMap<&str, Vec<Row>>| Section {
            kind,
            title,
            families: families
                .into_iter()
                .map(|(name, rows)| Family {
                    name: name.to_string(),
                    rows,
                })
                .collect(),
        };
        let sections = [
            section("kpi", "KPIs", kpis),
            section("metric", "Metrics", metrics),
        ]
        .into_iter()
        .filter(|s| !s.families.is_empty())
        .collect();
        Report {
            title: title.to_string(),
            period: period.to_string(),
            previous_period: previous_period.to_string(),
            summary,
            sections,
        }
    }
}

/// The values of metric `m` over the `len` months ending with month `t`, and the first of
/// those months.
fn window(e: &Evaluation<'_>, m: usize, t: usize, len: usize) -> (usize, Vec<Option<f64>>) {
    let start = (t + 1).saturating_sub(len);
    (start, (start..=t).map(|i| e.value(m, i)).collect())
}

fn row(e: &Evaluation<'_>, m: usize, t: usize) -> Row {
    let metric = &e.catalog().metrics()[m];
    let period = e.months()[t];
    let show = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| fmt(metric, v));
    let value = e.value(m, t);
    let previous = t.checked_sub(1).and_then(|p| e.value(m, p));
    let target = e.target(m, t);
    let status = Status::of(value, target.as_ref());
    let pace = value
        .zip(e.pace_line(m, t))
        .and_then(|(v, line)| line.pace(v, period));
    let (start, values) = window(e, m, t, TREND_MONTHS);
    let missing = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| Missing {
            period: e.months()[start + i].to_string(),
            reason: e.reason(m, start + i).to_string(),
        })
        .collect();
    Row {
        id: metric.id.clone(),
        name: metric.name.clone(),
        kind: metric.kind.as_str(),
        unit: metric.unit.as_str(),
        direction: metric.direction.map(Direction::phrase),
        value: show(value),
        previous: show(previous),
        change: value.zip(previous).and_then(|(v, p)| change(metric, v, p)),
        target: target.and_then(|target| target_view(metric, &target)),
        status: status_view(status),
        progress: pace
            .map(|p| p.progress * 100.0)
            .filter(|p| p.is_finite())
            .map(|p| format!("{} %", format::grouped(p, 0))),
        pace: pace.and_then(|p| {
            let ahead = p.ahead?;
            Some(PaceView {
                ahead,
                label: if ahead {
                    "ahead of pace"
                } else {
                    "behind pace"
                },
                expected: fmt(metric, p.expected?),
            })
        }),
        trend: Trend {
            from: e.months()[start].to_string(),
            to: period.to_string(),
            spark: chart::spark(&values),
            svg: chart::sparkline_svg(&values),
        },
        details: Details {
            description: metric
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            formula: metric.formula.text.clone(),
            substituted: e.substitute(m, t, |_, cell| match cell {
                Ok(v) => format::plain(*v),
                Err(_) => "?".into(),
            }),
            missing,
            chart: (metric.kind == Kind::Kpi).then(|| kpi_chart(e, m, t)),
        },
    }
}

/// The target in force, formatted; none when its level has no value this month.
fn target_view(metric: &Metric, target: &InForce<'_>) -> Option<TargetView> {
    let value = target.value?;
    let side = match target.rule.direction {
        Direction::LowerIsBetter => "≤",
        Direction::HigherIsBetter => "≥",
    };
    let table = target.rule.target;
    Some(TargetView {
        value: format!("{side} {}", fmt(metric, value)),
        warning: target.warning.map(|w| fmt(metric, w)),
        baseline: table.baseline.map(|b| fmt(metric, b)),
        baseline_period: table.baseline_period.map(|p| p.to_string()),
        deadline: table.deadline.map(|p| p.to_string()),
    })
}

/// A value of `metric`, formatted for its unit and decimals.
fn fmt(metric: &Metric, v: f64) -> String {
    format::value(v, metric.unit, metric.decimals)
}

/// The change from `p` to `v` as the reader sees it: between the two values rounded to the
/// decimals shown, so that `18.2 %` next to `18.2 %` is never `+0.1 pp`. None when it is not a
/// finite number (two huge values of opposite signs).
fn change(metric: &Metric, v: f64, p: f64) -> Option<Change> {
    let factor = 10f64.powi(i32::from(metric.decimals));
    let shown = |x: f64| {
        let rounded = (x * factor).round() / factor;
        if rounded.is_finite() { rounded } else { x }
    };
    let (v, p) = (shown(v), shown(p));
    let delta = v - p;
    if !delta.is_finite() {
        return None;
    }
    let absolute = format::change(delta, metric.unit, metric.decimals);
    let (arrow, up) = match () {
        () if delta == 0.0 => ("=", None),
        () if delta > 0.0 => ("▲", Some(true)),
        () => ("▼", Some(false)),
    };
    let verdict = metric.direction.map(|d| match (up, d) {
        (None, _) => "unchanged",
        (Some(up), Direction::HigherIsBetter) if up => "better",
        (Some(up), Direction::LowerIsBetter) if !up => "better",
        _ => "worse",
    });
    // Left out when last month was zero, or so small that the ratio is not finite.
    let ratio = delta / p.abs();
    Some(Change {
        arrow,
        absolute,
        relative: (ratio * 100.0).is_finite().then(|| format::relative(ratio)),
        verdict,
    })
}

fn status_view(status: Status) -> StatusView {
    let (label, icon) = match status {
        Status::OnTarget => ("on target", "🟢"),
        Status::AtRisk => ("at risk", "🟡"),
        Status::OffTarget => ("off target", "🔴"),
        Status::NoTarget => ("no target", ""),
        Status::NoData => ("no data", "⚪"),
    };
    StatusView {
        key: status.as_str(),
        label,
        icon,
    }
}

fn kpi_chart(e: &Evaluation<'_>, m: usize, t: usize) -> String {
    let metric = &e.catalog().metrics()[m];
    let (start, values) = window(e, m, t, CHART_MONTHS);
    let targets: Vec<Option<InForce<'_>>> = (start..=t).map(|i| e.target(m, i)).collect();
    chart::line_chart(&LineChart {
        months: e.months()[start..=t].to_vec(),
        values,
        unit: metric.unit,
        decimals: metric.decimals,
        targets: targets.iter().map(|t| t.and_then(|t| t.value)).collect(),
        warnings: targets.iter().map(|t| t.and_then(|t| t.warning)).collect(),
        pace: e.pace_line(m, t),
    })
}
