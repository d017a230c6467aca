//! Builds the line chart of a metric's details, with its caption and legend.

use kpi_core::target::{Level, Spec};
use kpi_core::{Direction, Evaluation, InForce, MetricIndex, MonthIndex, Status, Unit};

use super::names::reader_name;
use super::view::{LegendEntry, LegendKey};
use super::window::{CHART_MONTHS, window};
use crate::chart::{self, LineChart, Mark};
use crate::format::Style;
use crate::locale::{Caption, CaptionTarget, TargetSource};

/// The chart of a metric's details: the SVG, its caption in words and its legend.
pub(super) struct DetailChart {
    pub(super) svg: String,
    pub(super) caption: String,
    pub(super) legend: Vec<LegendEntry>,
}

/// The chart of the last months of metric `m`, with the target and warning level in force
/// each month and the pace line when it has them; none when no month of the chart has a
/// value.
pub(super) fn line_chart(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    style: &Style,
    options_year_ago: bool,
) -> Option<DetailChart> {
    let metric = e.catalog().metric_at(m);
    let (start, values) = window(e, m, t, CHART_MONTHS);
    if values.iter().all(Option::is_none) {
        return None;
    }
    let targets: Vec<Option<InForce<'_>>> = start.through(t).map(|i| e.target(m, i)).collect();
    let mark = |level: Option<Level>, spec: Option<&Spec>| {
        Some(Mark {
            level: level?,
            series: spec?.series().is_some(),
        })
    };
    // Last year's line, when the report asks for it and the data has a year before the chart.
    let per_year = e.data().grain().per_year();
    let year_ago = if options_year_ago {
        start
            .through(t)
            .map(|i| i.back(per_year).and_then(|earlier| e.value(m, earlier)))
            .collect()
    } else {
        Vec::new()
    };
    let mut chart = LineChart {
        months: e.months()[start.get()..=t.get()].to_vec(),
        values,
        year_ago,
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
    if metric.unit == Unit::Boolean {
        // Met or not, month by month: a strip, with its caption and no lines to name.
        let met: Vec<Option<bool>> = start
            .through(t)
            .map(|i| match e.judge(m, i).status {
                Status::OnTarget => Some(true),
                Status::OffTarget | Status::AtRisk => Some(false),
                Status::NoTarget | Status::NoData => None,
            })
            .collect();
        let caption = (style.words().objectives.strip_caption)(name, &style.words().period);
        chart.caption = Some(caption.clone());
        return Some(DetailChart {
            svg: chart::strip_chart(&chart, &met),
            caption,
            legend: Vec::new(),
        });
    }
    let (caption, legend) = chart_words(e, name, &chart, &targets, style);
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
    e: &Evaluation<'_>,
    name: &str,
    chart: &LineChart,
    targets: &[Option<InForce<'_>>],
    style: &Style,
) -> (String, Vec<LegendEntry>) {
    let words = style.words();
    let labels = &words.labels;
    let level = |level: Level| style.level(level, chart.unit, chart.decimals);
    let series = targets
        .iter()
        .flatten()
        .find_map(|t| t.rule.value.series())
        .map(|s| reader_name(e, s, words));
    let changes = |marks: &[Option<Mark>]| marks.windows(2).any(|w| w[0] != w[1]);
    let last = |marks: &[Option<Mark>]| marks.iter().rev().flatten().next().map(|m| m.level);
    let mut legend = Vec::new();
    let target = match (last(&chart.targets), series.as_deref()) {
        (None, _) => None,
        (Some(range @ Level::Range(..)), _) => {
            legend.push(LegendEntry::new(
                LegendKey::TargetBand,
                format!("{} {}", labels.target_range, level(range)),
            ));
            Some(CaptionTarget::Range)
        }
        (_, Some(series)) => {
            legend.push(LegendEntry::new(
                LegendKey::Target,
                format!(
                    "{} {}",
                    labels.target_word,
                    (words.target_source)(&TargetSource::Series(series))
                ),
            ));
            Some(CaptionTarget::Series(series))
        }
        _ if changes(&chart.targets) => {
            legend.push(LegendEntry::new(
                LegendKey::Target,
                labels.target_each_month.into(),
            ));
            Some(CaptionTarget::Steps)
        }
        (Some(value), _) => {
            let lower = targets
                .iter()
                .flatten()
                .any(|t| t.rule.direction == Direction::LowerIsBetter);
            let direction = if lower {
                Direction::LowerIsBetter
            } else {
                Direction::HigherIsBetter
            };
            let value = style.target_level(value, direction, chart.unit, chart.decimals);
            legend.push(LegendEntry::new(
                LegendKey::Target,
                format!("{} {value}", labels.target_word),
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
        let key = if band {
            LegendKey::WarningBand
        } else {
            LegendKey::Warning
        };
        legend.push(LegendEntry::new(key, label));
        band
    });
    let pace = chart.pace_drawn();
    if pace {
        legend.push(LegendEntry::new(LegendKey::Pace, labels.pace.into()));
    }
    if chart.year_ago.iter().flatten().count() > 1 {
        legend.push(LegendEntry::new(LegendKey::YearAgo, labels.year_ago.into()));
    }
    let caption = (words.chart_caption)(&Caption {
        name,
        target,
        warning_band: target.and(warning_band),
        pace,
        period: &words.period,
    });
    (caption, legend)
}
