//! Builds one metric's [`Row`]: its value and change, target, status, pace, trend and
//! details.

use std::cmp::Ordering;

use kpi_core::objective::progress::{Basis, kpi_progress};
use kpi_core::target::Level;
use kpi_core::{
    Direction, Evaluation, InForce, Judgement, Kind, Metric, MetricIndex, MonthIndex, Period,
    Status, Unit,
};

use super::detail_chart::line_chart;
use super::names;
use super::options::Options;
use super::target::target_view;
use super::view::{Change, Details, Missing, PaceView, Row, StatusView, Trend, Verdict, Versus};
use super::why::why_line;
use super::window::{TREND_MONTHS, window};
use super::years_to_date::YearToDate;
use crate::chart;
use crate::format::Style;
use crate::formula_values;
use crate::locale::Labels;
use crate::prose::prose;

/// Which of a row's costly parts are drawn and written: a report rendered as it goes builds
/// a row once per loop that reads it, each time with only what that loop shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parts {
    /// The trend's unicode sparkline (`trend.spark`).
    pub(crate) spark: bool,
    /// The trend's SVG (`trend.svg`).
    pub(crate) sparkline: bool,
    /// The details' chart, its caption and legend (`details.chart`, `details.chart_caption`,
    /// `details.chart_legend`).
    pub(crate) chart: bool,
    /// The details' words: summary, description and the formula with its values
    /// (`details.summary`, `details.description`, `details.substituted`).
    pub(crate) prose: bool,
    /// Why it moved (`why`): its attribution.
    pub(crate) why: bool,
    /// The months of the trend without a value and why (`details.missing`).
    pub(crate) missing: bool,
}

impl Parts {
    /// Every part.
    pub(crate) const ALL: Parts = Parts {
        spark: true,
        sparkline: true,
        chart: true,
        prose: true,
        why: true,
        missing: true,
    };

    /// No costly part: what the report's summary and columns read, and whether a row needs
    /// attention.
    pub(crate) const NONE: Parts = Parts {
        spark: false,
        sparkline: false,
        chart: false,
        prose: false,
        why: false,
        missing: false,
    };

    /// What the list of what needs attention reads of a row besides: why it moved and why
    /// it has no value.
    pub(crate) const ATTENTION: Parts = Parts {
        why: true,
        missing: true,
        ..Parts::NONE
    };

    /// The parts a loop needs that reads the `fields` of each row its renderer found (every
    /// part when it may read anything): each field's name, and its first two names joined
    /// by a dot, or its name and `.*` for a field read whole (`details.chart`,
    /// `trend.*`).
    pub(crate) fn reading(fields: Option<&[String]>) -> Parts {
        let Some(fields) = fields else {
            return Parts::ALL;
        };
        let reads = |field: &str, names: &[&str]| crate::fields::reads(fields, field, names);
        Parts {
            spark: reads("trend", &["spark"]),
            sparkline: reads("trend", &["svg"]),
            chart: reads("details", &["chart", "chart_caption", "chart_legend"]),
            prose: reads("details", &["summary", "description", "substituted"]),
            why: fields.iter().any(|f| f == "why"),
            missing: reads("details", &["missing"]),
        }
    }
}

/// Metric `m`'s row, with `parts` built (the others left empty).
pub(super) fn row(
    e: &Evaluation<'_>,
    ytd: Option<YearToDate>,
    m: MetricIndex,
    t: MonthIndex,
    options: &Options<'_>,
    parts: Parts,
) -> Row {
    let style = &options.style;
    let words = style.words();
    let labels = &words.labels;
    let metric = e.catalog().metric_at(m);
    let period = e.data().month(t);
    let grain = e.data().grain();
    // The same period a year earlier: 12 months, 4 quarters back; a year's is the previous
    // period, already shown.
    let per_year = Some(grain.per_year()).filter(|&n| n > 1);
    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
    let show = |v: Option<f64>| v.map_or_else(|| "—".to_string(), fmt);
    let Judgement {
        value,
        target,
        status,
    } = e.judge(m, t);
    let previous = t.back(1).and_then(|p| e.value(m, p));
    let pace = value
        .zip(e.pace_line(m, t))
        .and_then(|(v, line)| line.pace(v, period));
    // Last year's line behind this year's: as `[report] chart_year_ago` says, else when the
    // data has more than a year (13 months, 5 quarters); never in an annual report.
    let year_ago_line =
        per_year.is_some_and(|n| options.chart_year_ago.unwrap_or(e.months().len() > n));
    let chart = parts
        .chart
        .then(|| line_chart(e, m, t, style, year_ago_line))
        .flatten();
    let (start, values) = window(e, m, t, TREND_MONTHS);
    let month = |p: Period| style.month(p);
    let missing = start
        .through(t)
        .zip(&values)
        .filter(|(_, v)| parts.missing && v.is_none())
        .map(|(i, _)| {
            let p = e.data().month(i);
            Missing {
                period: grain.label(p),
                label: style.period(p),
                reason: names::reason(e, &e.reason(m, i), words, &month),
            }
        })
        .collect();
    Row {
        // Numbered by the report, once its sections are sorted.
        number: 0,
        id: metric.id.clone(),
        // Decided by the section, once every row is built.
        progress_column: true,
        family_progress_column: true,
        name: metric.name_in(words.code).to_string(),
        owner: metric.owner.clone(),
        comment: options.notes.and_then(|n| n.comment(metric)),
        kind: metric.kind,
        unit: metric.unit,
        // A yes/no metric's target says which answer is good: no direction to read.
        direction: metric
            .direction
            .filter(|_| metric.unit != Unit::Boolean)
            .map(|d| match d {
                Direction::HigherIsBetter => labels.higher_is_better,
                Direction::LowerIsBetter => labels.lower_is_better,
                Direction::Within => match (value, target.as_ref().and_then(|t| t.value)) {
                    (Some(v), Some(Level::Range(low, high))) if v < low || v > high => {
                        labels.outside_range
                    }
                    _ => labels.inside_is_better,
                },
            }),
        value: show(value),
        why: parts.why.then(|| why_line(e, m, t, style)).flatten(),
        of_total: share(e, m, t)
            .map(|(_, done, total)| (words.objectives.of_total)(&fmt(done), &fmt(total))),
        previous: show(previous),
        year_ago: per_year.and_then(|n| t.back(n)).and_then(|earlier| {
            let before = e.value(m, earlier)?;
            Some(Versus {
                value: fmt(before),
                before: None,
                change: value
                    .filter(|_| metric.unit != Unit::Boolean)
                    .and_then(|v| change(style, metric, target.as_ref(), v, before)),
            })
        }),
        year_to_date: ytd
            .and_then(|ytd| Some((ytd.now?, ytd.year_before)))
            .map(|(now, before)| Versus {
                value: fmt(now),
                before: before.map(fmt),
                change: before
                    .filter(|_| metric.unit != Unit::Boolean)
                    .and_then(|b| change(style, metric, target.as_ref(), now, b)),
            }),
        // A yes/no value changes from one answer to the other: the two values say it.
        change: value
            .zip(previous)
            .filter(|_| metric.unit != Unit::Boolean)
            .and_then(|(v, p)| change(style, metric, target.as_ref(), v, p)),
        target: target.map(|target| target_view(e, m, t, &target, style)),
        status: yes_no_status(status_view(status, labels), metric.unit, labels),
        progress: pace
            .map(|p| p.progress * 100.0)
            .or_else(|| share(e, m, t).map(|(share, _, _)| share * 100.0))
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
            from: grain.label(e.data().month(start)),
            to: grain.label(period),
            spark: if parts.spark {
                chart::spark(&values)
            } else {
                String::new()
            },
            svg: if parts.sparkline {
                chart::sparkline_svg(&values)
            } else {
                String::new()
            },
        },
        details: Details {
            summary: parts
                .prose
                .then(|| metric.summary_in(words.code).and_then(prose))
                .flatten(),
            description: parts
                .prose
                .then(|| metric.description_in(words.code).and_then(prose))
                .flatten(),
            formula: metric.formula.text.clone(),
            substituted: if parts.prose {
                formula_values::substitute(e, m, t, style)
            } else {
                String::new()
            },
            missing,
            chart: chart.as_ref().map(|c| c.svg.clone()),
            chart_caption: chart.as_ref().map(|c| c.caption.clone()),
            chart_legend: chart.map(|c| c.legend).unwrap_or_default(),
        },
    }
}

/// A count of things done towards a total (`9 of 12`): the share done, and the two counts.
pub(super) fn share(e: &Evaluation<'_>, m: MetricIndex, t: MonthIndex) -> Option<(f64, f64, f64)> {
    let metric = e.catalog().metric_at(m);
    if metric.unit != Unit::Count || metric.kind != Kind::Kpi {
        return None;
    }
    match kpi_progress(e, m, t, 1.0).progress {
        Ok((share, Basis::Share { done, total })) => Some((share, done, total)),
        _ => None,
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
        (None, _) => Some(Verdict::Unchanged),
        (Some(up), Direction::HigherIsBetter) if up => Some(Verdict::Better),
        (Some(up), Direction::LowerIsBetter) if !up => Some(Verdict::Better),
        (Some(_), Direction::Within) => {
            let Some(Level::Range(low, high)) = target.and_then(|t| t.value) else {
                return None;
            };
            // How far outside the range a value is; 0 inside.
            let outside = |x: f64| (low - x).max(x - high).max(0.0);
            match outside(v).partial_cmp(&outside(p))? {
                Ordering::Less => Some(Verdict::Better),
                Ordering::Greater => Some(Verdict::Worse),
                Ordering::Equal => None,
            }
        }
        _ => Some(Verdict::Worse),
    });
    // Left out when last month was zero, or so small that the ratio is not finite.
    let ratio = delta / p.abs();
    Some(Change {
        arrow,
        absolute,
        relative: (ratio * 100.0).is_finite().then(|| style.relative(ratio)),
        verdict_label: verdict.map(|v| match v {
            Verdict::Better => labels.better,
            Verdict::Worse => labels.worse,
            Verdict::Unchanged => labels.unchanged,
        }),
        verdict,
    })
}

/// A yes/no metric's target is met or not: its status says so in words (`met`, `not met`);
/// the key, for styles and machines, stays `on_target` or `off_target`.
pub(super) fn yes_no_status(mut view: StatusView, unit: Unit, labels: &Labels) -> StatusView {
    if unit == Unit::Boolean {
        match view.status {
            Status::OnTarget => view.label = labels.met,
            Status::OffTarget | Status::AtRisk => view.label = labels.not_met,
            Status::NoTarget | Status::NoData => {}
        }
    }
    view
}

pub(super) fn status_view(status: Status, labels: &Labels) -> StatusView {
    let icon = match status {
        Status::OnTarget => "🟢",
        Status::AtRisk => "🟡",
        Status::OffTarget => "🔴",
        Status::NoTarget => "",
        Status::NoData => "⚪",
    };
    StatusView {
        key: status.as_str(),
        status,
        label: labels.status(status),
        icon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_core::data::{Inputs, SourceSpec};
    use kpi_core::{Catalog, Dataset, evaluate};
    use serde_json::Value;

    /// A row built for the fields a loop reads (`Parts::reading`) holds, on each path the
    /// loop reads, what the row built whole holds: for every metric and month of the edge
    /// fixture, and every field and field of a field of its rows, each read alone, as
    /// the renderer's analysis names them (`trend`, `trend.spark`, `details.*`).
    #[test]
    fn a_row_built_for_what_a_loop_reads_holds_it_as_the_whole_row_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge");
        let catalog = Catalog::load(&[dir.join("metrics")]).unwrap();
        let sources = [SourceSpec::csv(dir.join("data.csv"))];
        let data = Dataset::load(&sources, Inputs::Declared(catalog.inputs())).unwrap();
        let e = evaluate(&catalog, &data);
        let options = Options::default();
        let mut reads = 0;
        for t in data.month_indexes() {
            for m in catalog.metric_indexes() {
                let whole = serde_json::to_value(row(&e, None, m, t, &options, Parts::ALL));
                let Value::Object(whole) = whole.unwrap() else {
                    panic!("a row is an object")
                };
                for (name, value) in &whole {
                    let mut paths = vec![(format!("{name}.*"), None)];
                    if let Value::Object(inner) = value {
                        let deeper = inner.keys().map(|k| (format!("{name}.{k}"), Some(k)));
                        paths.extend(deeper);
                    }
                    for (path, inner) in paths {
                        let fields = [name.clone(), path.clone()];
                        let parts = Parts::reading(Some(&fields));
                        let built = row(&e, None, m, t, &options, parts);
                        let built = serde_json::to_value(built).unwrap();
                        let (got, want) = match inner {
                            Some(k) => (&built[name][k], &value[k]),
                            None => (&built[name], value),
                        };
                        assert_eq!(got, want, "{path} of {m:?} in {t:?}");
                        reads += 1;
                    }
                }
            }
        }
        // Every metric and month, each with its trend's and details' fields.
        assert!(reads > 1000, "{reads}");
        assert_eq!(Parts::reading(None), Parts::ALL);
        let nothing: [String; 0] = [];
        assert_eq!(Parts::reading(Some(&nothing)), Parts::NONE);
    }
}
