//! The report model: everything a template shows, computed and formatted in Rust from an
//! [`Evaluation`]. Templates receive it as it is (serialised), so this file is also the list
//! of fields a restyled template may use (see `docs/reports.md`).
//!
//! Order is stable from month to month: KPIs, then metrics; within each, families sorted by
//! name; within a family, metrics sorted by id.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use kpi_core::target::{Level, Origin, Spec};
use kpi_core::{Direction, Evaluation, InForce, Kind, Metric, Period, Status};
use serde::Serialize;

use crate::chart::{self, LineChart, Mark};
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

/// The target in force in the month reported, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The target with the side that is good: `≥ 90.0 %`, `≤ 2 min`; a range,
    /// `95.0 % – 105.0 %`; `—` when it follows a series that has no value this month.
    pub value: String,
    /// The warning level (or range), formatted; null when the rule in force has none.
    pub warning: Option<String>,
    /// Where the target comes from when it is not one fixed value: `schedule entry from
    /// 2026-04`, `before the schedule's first entry (2026-04)`, `from the series
    /// budget_mrr`.
    pub source: Option<String>,
    /// Why the target is unknown this month, when it follows a series without value:
    /// ``input `budget_mrr` has no value for 2024-11``.
    pub missing: Option<String>,
    /// The change of target that takes effect this month, only in that month: `target
    /// raised from 19.5 to 21 this month`.
    pub change: Option<String>,
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
    /// For a KPI, an inline SVG line chart of up to 24 months with the target and warning
    /// level in force each month (lines, steps or bands) and the pace line (trusted markup
    /// generated by this crate); else null.
    pub chart: Option<String>,
    /// What the chart shows, in words, for its caption; null without chart.
    pub chart_caption: Option<String>,
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
    let chart = (metric.kind == Kind::Kpi).then(|| kpi_chart(e, m, t));
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
        change: value
            .zip(previous)
            .and_then(|(v, p)| change(metric, target.as_ref(), v, p)),
        target: target.map(|target| target_view(e, m, t, &target)),
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
            chart: chart.as_ref().map(|(svg, _)| svg.clone()),
            chart_caption: chart.map(|(_, caption)| caption),
        },
    }
}

/// The target in force in month `t`, formatted, with where it comes from and whether it
/// changed this month.
fn target_view(e: &Evaluation<'_>, m: usize, t: usize, target: &InForce<'_>) -> TargetView {
    let metric = &e.catalog().metrics()[m];
    let rule = target.rule;
    let value = target.value.map_or_else(
        || "—".to_string(),
        |level| match (level, rule.direction) {
            (Level::Number(v), Direction::LowerIsBetter) => format!("≤ {}", fmt(metric, v)),
            (Level::Number(v), _) => format!("≥ {}", fmt(metric, v)),
            (range, _) => fmt_level(metric, range),
        },
    );
    let table = rule.target;
    let source = match (rule.value.series(), rule.origin) {
        (Some(series), _) => Some(format!("from the series {series}")),
        (None, Origin::Schedule(from)) => Some(format!("schedule entry from {from}")),
        (None, Origin::Fixed) => table
            .schedule
            .first()
            .map(|first| format!("before the schedule's first entry ({})", first.from)),
    };
    TargetView {
        value,
        warning: target.warning.map(|w| fmt_level(metric, w)),
        source: source.map(|s| match rule.origin {
            Origin::Schedule(from) if rule.value.series().is_some() => {
                format!("schedule entry from {from}, {s}")
            }
            _ => s,
        }),
        missing: target
            .missing_series()
            .and_then(|name| e.lookup(name, t, 0).err())
            .map(|reason| reason.to_string()),
        change: target_change(metric, e.months()[t]),
        baseline: table.baseline.map(|b| fmt(metric, b)),
        baseline_period: table.baseline_period.map(|p| p.to_string()),
        deadline: table.deadline.map(|p| p.to_string()),
    }
}

/// The change of target rule from the month before `period` to `period`, in words, when
/// its levels differ: numbers are shown as written (`target raised from 19.5 to 21 this
/// month`), as the definition's author wrote them.
fn target_change(metric: &Metric, period: Period) -> Option<String> {
    let now = metric.target_at(period)?;
    let before = period.add_months(-1).and_then(|p| metric.target_at(p));
    let Some(before) = before else {
        // The first schedule entry starts this month, with no target before it.
        return (now.origin == Origin::Schedule(period))
            .then(|| format!("target set to {} this month", now.value));
    };
    if now.same_levels(&before) {
        return None;
    }
    let moved = |what: &str, from: &Spec, to: &Spec| match (from, to) {
        (Spec::Number(a), Spec::Number(b)) => {
            let verb = if b > a { "raised" } else { "lowered" };
            format!("{what} {verb} from {from} to {to} this month")
        }
        _ => format!("{what} changed from {from} to {to} this month"),
    };
    Some(match (before.warning, now.warning) {
        _ if before.value != now.value => moved("target", before.value, now.value),
        (Some(from), Some(to)) => moved("warning level", from, to),
        (Some(_), None) => "warning level removed this month".to_string(),
        (None, Some(to)) => format!("warning level set to {to} this month"),
        (None, None) => return None,
    })
}

/// A level of `metric`, formatted: one value, or a range `95.0 % – 105.0 %`.
fn fmt_level(metric: &Metric, level: Level) -> String {
    match level {
        Level::Number(v) => fmt(metric, v),
        Level::Range(low, high) => format!("{} – {}", fmt(metric, low), fmt(metric, high)),
    }
}

/// A value of `metric`, formatted for its unit and decimals.
fn fmt(metric: &Metric, v: f64) -> String {
    format::value(v, metric.unit, metric.decimals)
}

/// The change from `p` to `v` as the reader sees it: between the two values rounded to the
/// decimals shown, so that `18.2 %` next to `18.2 %` is never `+0.1 pp`. None when it is not a
/// finite number (two huge values of opposite signs). For a metric kept within a range, the
/// change is better when it brings the value closer to this month's target range, worse
/// when it takes it further, and has no verdict when both values are inside.
fn change(metric: &Metric, target: Option<&InForce<'_>>, v: f64, p: f64) -> Option<Change> {
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
    let verdict = metric.direction.and_then(|d| match (up, d) {
        (None, _) => Some("unchanged"),
        (Some(up), Direction::HigherIsBetter) if up => Some("better"),
        (Some(up), Direction::LowerIsBetter) if !up => Some("better"),
        (Some(_), Direction::Within) => {
            let Some(Level::Range(low, high)) = target.and_then(|t| t.value) else {
                return None;
            };
            // How far outside the range a value is; 0 inside.
            let outside = |x: f64| (low - x).max(x - high).max(0.0);
            match outside(v).partial_cmp(&outside(p))? {
                Ordering::Less => Some("better"),
                Ordering::Greater => Some("worse"),
                Ordering::Equal => None,
            }
        }
        _ => Some("worse"),
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

/// The chart of a KPI's details and its caption.
fn kpi_chart(e: &Evaluation<'_>, m: usize, t: usize) -> (String, String) {
    let metric = &e.catalog().metrics()[m];
    let (start, values) = window(e, m, t, CHART_MONTHS);
    let targets: Vec<Option<InForce<'_>>> = (start..=t).map(|i| e.target(m, i)).collect();
    let mark = |level: Option<Level>, spec: Option<&Spec>| {
        Some(Mark {
            level: level?,
            series: spec?.series().is_some(),
        })
    };
    let chart = LineChart {
        months: e.months()[start..=t].to_vec(),
        values,
        unit: metric.unit,
        decimals: metric.decimals,
        targets: targets
            .iter()
            .map(|t| t.as_ref().and_then(|t| mark(t.value, Some(t.rule.value))))
            .collect(),
        warnings: targets
            .iter()
            .map(|t| t.as_ref().and_then(|t| mark(t.warning, t.rule.warning)))
            .collect(),
        pace: e.pace_line(m, t),
    };
    let caption = chart_caption(metric, &chart, &targets);
    (chart::line_chart(&chart), caption)
}

/// What the chart draws, in words: `Churn month by month against the target (solid line)
/// and the warning level (dotted).`
fn chart_caption(metric: &Metric, chart: &LineChart, targets: &[Option<InForce<'_>>]) -> String {
    let mut caption = format!("{} month by month", metric.name);
    let series = targets.iter().flatten().find_map(|t| t.rule.value.series());
    let first = chart.targets.iter().flatten().next();
    let changes = |marks: &[Option<Mark>]| marks.windows(2).any(|w| w[0] != w[1]);
    let target = match (first.map(|m| m.level), series) {
        (None, _) => None,
        (Some(Level::Range(..)), _) => Some("the target range (green band)".to_string()),
        (_, Some(series)) => Some(format!("the target from the series {series} (solid line)")),
        _ if changes(&chart.targets) => {
            Some("the target in force each month (solid line)".to_string())
        }
        _ => Some("the target (solid line)".to_string()),
    };
    let warning = chart
        .warnings
        .iter()
        .flatten()
        .next()
        .map(|m| match m.level {
            Level::Range(..) => "the warning range (amber band)",
            Level::Number(_) => "the warning level (dotted)",
        });
    if let Some(target) = target {
        caption.push_str(" against ");
        caption.push_str(&target);
        if let Some(warning) = warning {
            caption.push_str(" and ");
            caption.push_str(warning);
        }
    }
    if chart
        .pace
        .is_some_and(|p| p.baseline_period.is_some() && p.deadline.is_some())
    {
        caption.push_str(", with the pace from baseline to deadline (dashed)");
    }
    caption.push('.');
    caption
}
