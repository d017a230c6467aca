//! The report model: everything a template shows, computed and formatted in Rust from an
//! [`Evaluation`]. Templates receive it as it is (serialised), so this file is also the list
//! of fields a restyled template may use (see `docs/reports.md`).
//!
//! Order is stable from month to month: KPIs, then metrics; within each, families sorted by
//! name (the definitions' `category`, whatever the language); within a family, metrics sorted
//! by id. Every word comes from the locale's table ([`crate::locale`]) and every number is
//! written by the report's [`Style`].

use std::cmp::Ordering;
use std::collections::BTreeMap;

use kpi_core::target::{Level, Origin, Spec};
use kpi_core::{
    Direction, Evaluation, InForce, Judgement, Kind, LevelSource, Metric, Period, Status,
};
use serde::Serialize;

use crate::attention::{self, Attention};
use crate::chart::{self, LineChart, Mark};
use crate::format::Style;
use crate::formula_values;
use crate::locale::{Caption, CaptionTarget, Labels, LevelKind, TargetChange, TargetSource};
use crate::notes::{Markup, Notes};

/// How many months the trend of a row covers, the month reported included.
pub const TREND_MONTHS: usize = 12;
/// How many months a KPI's detailed chart covers.
pub const CHART_MONTHS: usize = 24;

/// How a report is written: its title, language, currency and the month's notes.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The title; the locale's default (`KPI report`) when none.
    pub title: Option<String>,
    /// The language and currency numbers are written in.
    pub style: Style,
    /// The month's commentary, if the project keeps notes and the month has a file.
    pub notes: Option<&'a Notes>,
}

/// A monthly report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The title.
    pub title: String,
    /// The language, `en` or `fr` (for `<html lang>`).
    pub lang: &'static str,
    /// The month reported, `YYYY-MM`.
    pub period: String,
    /// The month reported in words: `October 2026`, `octobre 2026`.
    pub period_label: String,
    /// The month before, `YYYY-MM`, which the changes compare against.
    pub previous_period: String,
    /// The month before in words.
    pub previous_period_label: String,
    /// `compared with September 2026`.
    pub compared: String,
    /// The fixed words of the report in its language (`labels.value`, `labels.on_target`…).
    pub labels: &'static Labels,
    /// How the KPIs stand.
    pub summary: Summary,
    /// The month's summary from the notes (the text before their first `## ` heading), or
    /// null.
    pub notes: Option<Markup>,
    /// The KPIs that need attention: off target, then at risk, then behind pace, then
    /// without data; never one on target.
    pub attention: Vec<Attention>,
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
    /// `13 KPIs`, `1 KPI` (`13 KPI` in French).
    pub kpis_label: String,
    /// `7 other metrics`, `1 other metric`.
    pub metrics_label: String,
}

/// The KPIs or the metrics.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `kpi` or `metric`.
    pub kind: &'static str,
    /// `KPIs` or `Metrics`, in the report's language.
    pub title: &'static str,
    /// The families, sorted by name.
    pub families: Vec<Family>,
}

/// The rows of one family (a definition's `category`).
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    /// The family's name, as written in the definitions (`customer`).
    pub name: String,
    /// The family's name for readers: the locale's name of a standard family (`Clients`),
    /// else as written.
    pub label: String,
    /// Its metrics, sorted by id.
    pub rows: Vec<Row>,
}

/// One metric's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The metric id, `[a-z][a-z0-9_]*` (safe in anchors).
    pub id: String,
    /// The human name, in the report's language when the definition has a translation.
    pub name: String,
    /// Who answers for it, or null.
    pub owner: Option<String>,
    /// This month's comment from the notes (their `## <id>` section), or null.
    pub comment: Option<Markup>,
    /// `kpi` or `metric`.
    pub kind: &'static str,
    /// The unit, as written in definitions (`percent`, `seconds`…).
    pub unit: &'static str,
    /// `higher is better`, `lower is better` (in the report's language), or null.
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
    /// Progress from baseline to target, such as `40%`, when the target has a baseline.
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
    /// The difference relative to last month, `+3.2%`; null when last month was zero.
    pub relative: Option<String>,
    /// `better`, `worse` or `unchanged` by the metric's direction (for CSS classes); null
    /// without direction.
    pub verdict: Option<&'static str>,
    /// The verdict in the report's language (`en amélioration`); null without direction.
    pub verdict_label: Option<&'static str>,
}

/// The target in force in the month reported, formatted.
#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    /// The target with the side that is good: `≥ 90.0%`, `≤ 2 min`; a range,
    /// `95.0% – 105.0%`; `—` when it follows a series that has no value this month.
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
    /// When the baseline was measured, in words (`October 2025`).
    pub baseline_period: Option<String>,
    /// When the target is due, in words (`December 2026`).
    pub deadline: Option<String>,
}

/// A status, as text (for reading and accessibility) and as a key (for colour).
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `on_target`, `at_risk`, `off_target`, `no_target` or `no_data`: for CSS classes.
    pub key: &'static str,
    /// `on target`, `at risk`, `off target`, `no target`, `no data`, in the report's
    /// language.
    pub label: &'static str,
    /// A coloured mark for the Markdown report: `🟢`, `🟡`, `🔴`, `⚪`, or empty.
    pub icon: &'static str,
}

/// Pace against the straight line from baseline to target.
#[derive(Debug, Clone, Serialize)]
pub struct PaceView {
    /// Whether the value is at or ahead of the line, by the metric's direction.
    pub ahead: bool,
    /// `ahead of pace` or `behind pace`, in the report's language.
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
    /// What it measures, trimmed, in the report's language when the definition has a
    /// translation; null when the definition has none.
    pub description: Option<String>,
    /// The formula, as written.
    pub formula: String,
    /// The formula with this month's values in place of its inputs and metrics, written as
    /// the report writes them (`1,601.89 / 432.53`; `?` for a missing one).
    pub substituted: String,
    /// Every month of the trend without a value, and why.
    pub missing: Vec<Missing>,
    /// An inline SVG line chart of up to 24 months with the target and warning level in
    /// force each month (lines, steps or bands) and the pace line when the metric has them
    /// (trusted markup generated by this crate); null when no month of the chart has a value.
    pub chart: Option<String>,
    /// What the chart shows, in words, for its caption; null without chart.
    pub chart_caption: Option<String>,
    /// The legend under the chart: one entry per line or band drawn, each with the CSS class
    /// of its key (`target`, `warning`, `pace`, `target band`, `warning band`) and its label
    /// in the report's language (`target ≥ 21.0%`).
    pub chart_legend: Vec<LegendEntry>,
}

/// An entry of a chart's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    /// The CSS class of its key: `target`, `warning`, `pace`, `target band`, `warning band`.
    pub key: &'static str,
    /// What it shows, in the report's language.
    pub label: String,
}

impl LegendEntry {
    fn new(key: &'static str, label: String) -> Self {
        Self { key, label }
    }
}

/// A month without a value, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    /// The month, `YYYY-MM`.
    pub period: String,
    /// The month in words, `March 2026`.
    pub label: String,
    /// Why there is no value, such as ``input `visits` has no value for March 2026``.
    pub reason: String,
}

impl Report {
    /// Builds the report of month `t` of the evaluation's data, in English, titled `title`.
    pub fn build(e: &Evaluation<'_>, t: usize, title: &str) -> Report {
        Self::build_with(
            e,
            t,
            &Options {
                title: Some(title.to_string()),
                ..Options::default()
            },
        )
    }

    /// Builds the report of month `t` of the evaluation's data as `options` say.
    pub fn build_with(e: &Evaluation<'_>, t: usize, options: &Options<'_>) -> Report {
        let style = options.style;
        let words = style.words();
        let period = e.months()[t];
        let previous_period = period.add_months(-1).unwrap_or(period);
        let mut summary = Summary::default();
        let mut kpis: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        let mut metrics: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
        for (m, metric) in e.catalog().metrics().iter().enumerate() {
            let row = row(e, m, t, options);
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
        (summary.kpis_label, summary.metrics_label) = (words.counts)(summary.kpis, summary.metrics);
        let section = |kind, title, families: BTreeMap<&str, Vec<Row>>| Section {
            kind,
            title,
            families: families
                .into_iter()
                .map(|(name, rows)| Family {
                    name: name.to_string(),
                    label: words.family(name).to_string(),
                    rows,
                })
                .collect(),
        };
        let sections: Vec<Section> = [
            section("kpi", words.labels.kpis, kpis),
            section("metric", words.labels.metrics, metrics),
        ]
        .into_iter()
        .filter(|s| !s.families.is_empty())
        .collect();
        let previous_label = style.month(previous_period);
        Report {
            title: options
                .title
                .clone()
                .unwrap_or_else(|| words.default_title.to_string()),
            lang: words.code,
            period: period.to_string(),
            period_label: style.month(period),
            previous_period: previous_period.to_string(),
            compared: (words.compared)(&previous_label),
            previous_period_label: previous_label,
            labels: &words.labels,
            summary,
            notes: options.notes.and_then(Notes::summary),
            attention: attention::list(&sections),
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

fn row(e: &Evaluation<'_>, m: usize, t: usize, options: &Options<'_>) -> Row {
    let style = &options.style;
    let words = style.words();
    let labels = &words.labels;
    let metric = &e.catalog().metrics()[m];
    let period = e.months()[t];
    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
    let show = |v: Option<f64>| v.map_or_else(|| "—".to_string(), fmt);
    let Judgement {
        value,
        target,
        status,
    } = e.judge(m, t);
    let previous = t.checked_sub(1).and_then(|p| e.value(m, p));
    let pace = value
        .zip(e.pace_line(m, t))
        .and_then(|(v, line)| line.pace(v, period));
    let chart = line_chart(e, m, t, style);
    let (start, values) = window(e, m, t, TREND_MONTHS);
    let month = |p: Period| style.month(p);
    let missing = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| {
            let p = e.months()[start + i];
            Missing {
                period: p.to_string(),
                label: style.month(p),
                reason: (words.reason)(&e.reason(m, start + i), &month),
            }
        })
        .collect();
    Row {
        id: metric.id.clone(),
        name: metric.name_in(words.code).to_string(),
        owner: metric.owner.clone(),
        comment: options.notes.and_then(|n| n.comment(&metric.id)),
        kind: metric.kind.as_str(),
        unit: metric.unit.as_str(),
        direction: metric.direction.map(|d| match d {
            Direction::HigherIsBetter => labels.higher_is_better,
            Direction::LowerIsBetter => labels.lower_is_better,
            Direction::Within => labels.inside_is_better,
        }),
        value: show(value),
        previous: show(previous),
        change: value
            .zip(previous)
            .and_then(|(v, p)| change(style, metric, target.as_ref(), v, p)),
        target: target.map(|target| target_view(e, m, t, &target, style)),
        status: status_view(status, labels),
        progress: pace
            .map(|p| p.progress * 100.0)
            .filter(|p| p.is_finite())
            .map(|p| format!("{}{}", style.number(p, 0), words.numbers.percent)),
        pace: pace.and_then(|p| {
            let ahead = p.ahead?;
            Some(PaceView {
                ahead,
                label: if ahead {
                    labels.ahead_of_pace
                } else {
                    labels.behind_pace
                },
                expected: fmt(p.expected?),
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
                .description_in(words.code)
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            formula: metric.formula.text.clone(),
            substituted: formula_values::substitute(e, m, t, style),
            missing,
            chart: chart.as_ref().map(|c| c.svg.clone()),
            chart_caption: chart.as_ref().map(|c| c.caption.clone()),
            chart_legend: chart.map(|c| c.legend).unwrap_or_default(),
        },
    }
}

/// The target in force in month `t`, formatted, with where it comes from and whether it
/// changed this month, in the report's language.
fn target_view(
    e: &Evaluation<'_>,
    m: usize,
    t: usize,
    target: &InForce<'_>,
    style: &Style,
) -> TargetView {
    let metric = &e.catalog().metrics()[m];
    let words = style.words();
    let nbsp = words.numbers.unit_space;
    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
    let rule = target.rule;
    let value = target.value.map_or_else(
        || "—".to_string(),
        |level| match (level, rule.direction) {
            (Level::Number(v), Direction::LowerIsBetter) => format!("≤{nbsp}{}", fmt(v)),
            (Level::Number(v), _) => format!("≥{nbsp}{}", fmt(v)),
            (range, _) => fmt_level(style, metric, range),
        },
    );
    let table = rule.target;
    let month = |p: Period| style.month(p);
    let source = match rule.source() {
        LevelSource::ScheduleSeries { from, name } => {
            Some(TargetSource::ScheduleSeries(month(from), name))
        }
        LevelSource::Series { name, .. } => Some(TargetSource::Series(name)),
        LevelSource::Schedule { from } => Some(TargetSource::Schedule(month(from))),
        LevelSource::BeforeSchedule { first } => Some(TargetSource::BeforeSchedule(month(first))),
        LevelSource::Fixed => None,
    };
    TargetView {
        value,
        warning: target.warning.map(|w| fmt_level(style, metric, w)),
        source: source.map(|s| (words.target_source)(&s)),
        missing: target
            .missing_series()
            .and_then(|name| e.lookup(name, t, 0).err())
            .map(|reason| (words.reason)(&reason, &month)),
        change: target_change(metric, e.months()[t], style),
        baseline: table.baseline.map(fmt),
        baseline_period: table.baseline_period.map(month),
        deadline: table.deadline.map(month),
    }
}

/// A level as the definition's author wrote it, in the locale's numbers: `19.5` (`19,5`),
/// `95 – 105`, `budget_mrr`.
fn spec_text(spec: &Spec, style: &Style) -> String {
    let decimal = style.words().numbers.decimal;
    let number = |v: f64| kpi_core::numbers::short(v).replacen('.', decimal, 1);
    match spec {
        Spec::Number(v) => number(*v),
        Spec::Range(low, high) => format!("{} – {}", number(*low), number(*high)),
        Spec::Series(name) => name.clone(),
    }
}

/// The change of target rule from the month before `period` to `period`, in words, when
/// its levels differ: numbers are shown as the definition's author wrote them (`target
/// raised from 19.5 to 21 this month`), in the locale's numbers.
fn target_change(metric: &Metric, period: Period, style: &Style) -> Option<String> {
    let now = metric.target_at(period)?;
    let before = period.add_months(-1).and_then(|p| metric.target_at(p));
    let text = |spec: &Spec| spec_text(spec, style);
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
    Some((style.words().target_change)(&change))
}

/// A level of `metric`, formatted: one value, or a range `95.0% – 105.0%`.
fn fmt_level(style: &Style, metric: &Metric, level: Level) -> String {
    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
    match level {
        Level::Number(v) => fmt(v),
        Level::Range(low, high) => format!("{} – {}", fmt(low), fmt(high)),
    }
}

/// The change from `p` to `v` as the reader sees it: between the two values rounded to the
/// decimals shown, so that `18.2 %` next to `18.2 %` is never `+0.1 pp`. None when it is not a
/// finite number (two huge values of opposite signs). For a metric kept within a range, the
/// change is better when it brings the value closer to this month's target range, worse
/// when it takes it further, and has no verdict when both values are inside.
fn change(
    style: &Style,
    metric: &Metric,
    target: Option<&InForce<'_>>,
    v: f64,
    p: f64,
) -> Option<Change> {
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
    let labels = &style.words().labels;
    let absolute = style.change(delta, metric.unit, metric.decimals);
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
        relative: (ratio * 100.0).is_finite().then(|| style.relative(ratio)),
        verdict_label: verdict.map(|v| match v {
            "better" => labels.better,
            "worse" => labels.worse,
            _ => labels.unchanged,
        }),
        verdict,
    })
}

fn status_view(status: Status, labels: &Labels) -> StatusView {
    let (label, icon) = match status {
        Status::OnTarget => (labels.on_target, "🟢"),
        Status::AtRisk => (labels.at_risk, "🟡"),
        Status::OffTarget => (labels.off_target, "🔴"),
        Status::NoTarget => (labels.no_target, ""),
        Status::NoData => (labels.no_data, "⚪"),
    };
    StatusView {
        key: status.as_str(),
        label,
        icon,
    }
}

/// The chart of a metric's details: the SVG, its caption in words and its legend.
struct DetailChart {
    svg: String,
    caption: String,
    legend: Vec<LegendEntry>,
}

/// The chart of the last months of metric `m`, with the target and warning level in force
/// each month and the pace line when it has them; none when no month of the chart has a
/// value.
fn line_chart(e: &Evaluation<'_>, m: usize, t: usize, style: &Style) -> Option<DetailChart> {
    let metric = &e.catalog().metrics()[m];
    let (start, values) = window(e, m, t, CHART_MONTHS);
    if values.iter().all(Option::is_none) {
        return None;
    }
    let targets: Vec<Option<InForce<'_>>> = (start..=t).map(|i| e.target(m, i)).collect();
    let mark = |level: Option<Level>, spec: Option<&Spec>| {
        Some(Mark {
            level: level?,
            series: spec?.series().is_some(),
        })
    };
    let mut chart = LineChart {
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
        style: *style,
        caption: None,
    };
    let name = metric.name_in(style.words().code);
    let (caption, legend) = chart_words(name, &chart, &targets, style);
    chart.caption = Some(caption.clone());
    Some(DetailChart {
        svg: chart::line_chart(&chart),
        caption,
        legend,
    })
}

/// What the chart draws, in words (`Churn month by month against the target (solid line)
/// and the warning level (dotted).`), and its legend: one entry per kind of line, named
/// with the level in force in the last month when it does not change.
fn chart_words(
    name: &str,
    chart: &LineChart,
    targets: &[Option<InForce<'_>>],
    style: &Style,
) -> (String, Vec<LegendEntry>) {
    let words = style.words();
    let labels = &words.labels;
    let nbsp = words.numbers.unit_space;
    let level = |level: Level| {
        let fmt = |v: f64| style.value(v, chart.unit, chart.decimals);
        match level {
            Level::Number(v) => fmt(v),
            Level::Range(low, high) => format!("{} – {}", fmt(low), fmt(high)),
        }
    };
    let series = targets.iter().flatten().find_map(|t| t.rule.value.series());
    let changes = |marks: &[Option<Mark>]| marks.windows(2).any(|w| w[0] != w[1]);
    let last = |marks: &[Option<Mark>]| marks.iter().rev().flatten().next().map(|m| m.level);
    let mut legend = Vec::new();
    let target = match (last(&chart.targets), series) {
        (None, _) => None,
        (Some(range @ Level::Range(..)), _) => {
            legend.push(LegendEntry::new(
                "target band",
                format!("{} {}", labels.target_range, level(range)),
            ));
            Some(CaptionTarget::Range)
        }
        (_, Some(series)) => {
            legend.push(LegendEntry::new(
                "target",
                format!(
                    "{} {}",
                    labels.target_word,
                    (words.target_source)(&TargetSource::Series(series))
                ),
            ));
            Some(CaptionTarget::Series(series))
        }
        _ if changes(&chart.targets) => {
            legend.push(LegendEntry::new("target", labels.target_each_month.into()));
            Some(CaptionTarget::Steps)
        }
        (Some(value), _) => {
            let lower = targets
                .iter()
                .flatten()
                .any(|t| t.rule.direction == Direction::LowerIsBetter);
            let side = if lower { "≤" } else { "≥" };
            legend.push(LegendEntry::new(
                "target",
                format!("{} {side}{nbsp}{}", labels.target_word, level(value)),
            ));
            Some(CaptionTarget::Fixed)
        }
    };
    let warning_band = last(&chart.warnings).map(|w| {
        let band = matches!(w, Level::Range(..));
        let label = if band {
            format!("{} {}", labels.warning_range, level(w))
        } else if changes(&chart.warnings) {
            labels.warning_each_month.into()
        } else {
            format!("{} {}", labels.warning, level(w))
        };
        let key = if band { "warning band" } else { "warning" };
        legend.push(LegendEntry::new(key, label));
        band
    });
    let pace = chart.pace_drawn();
    if pace {
        legend.push(LegendEntry::new("pace", labels.pace.into()));
    }
    let caption = (words.chart_caption)(&Caption {
        name,
        target,
        warning_band: target.and(warning_band),
        pace,
    });
    (caption, legend)
}
