//! The larger SVG line chart of a KPI's details: up to 24 months of values against the
//! target, the warning level and the pace line, with axes labelled in the metric's unit.

use std::fmt::Write as _;

use kpi_core::data::rollup::Grain;
use kpi_core::target::Level;
use kpi_core::{PaceLine, Period, Unit};

use super::scale::{Scale, nice_ticks};
use super::{Tenths, polyline, runs};
use crate::escape::xml;
use crate::format::Style;

// The chart is drawn in a 480-unit-wide box with 16-unit text: scaled to the 350 pixels a
// phone of 390 gives it, text is still over 11 pixels high.
pub(super) const WIDTH: f64 = 480.0;
pub(super) const HEIGHT: f64 = 220.0;
const FONT: f64 = 16.0;
/// Room on the right for half of the last month's label, so that it is never cut.
const RIGHT: f64 = 26.0;
/// Room above the plot for the unit of the vertical axis.
const TOP: f64 = 30.0;
/// Room below the plot for two lines of month labels (month, and year where it changes).
const BOTTOM: f64 = 46.0;
/// The width of a character of tick label, about 0.55 of the text size.
const CHAR: f64 = 9.0;

/// A straight line's two ends, as `(month index, value)`.
type Segment = ((f64, f64), (f64, f64));

/// What the line chart shows.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// The months on the horizontal axis, consecutive.
    pub months: Vec<Period>,
    /// One value per month, `None` where there is none.
    pub values: Vec<Option<f64>>,
    /// The value of the same month a year earlier, drawn faintly behind: empty for none.
    pub year_ago: Vec<Option<f64>>,
    /// The unit of the values, which picks the vertical axis' unit and labels.
    pub unit: Unit,
    /// The metric's decimals.
    pub decimals: u8,
    /// The target in force each month, one per month: `None` in a month without target.
    pub targets: Vec<Option<Mark>>,
    /// The warning level in force each month, one per month.
    pub warnings: Vec<Option<Mark>>,
    /// The pace line from baseline to target, drawn where it crosses the months shown.
    pub pace: Option<PaceLine>,
    /// How numbers and months are written.
    pub style: Style,
    /// What the chart draws, in words: its accessible name (else `values of the last n
    /// months`).
    pub caption: Option<String>,
}

/// A target or warning level in force in one month, as the chart draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// The level: a number, or a range drawn as a band.
    pub level: Level,
    /// Whether it follows a series: a line from month to month rather than steps.
    pub series: bool,
}

impl LineChart {
    /// Whether the pace line is drawn: it crosses the months shown.
    pub fn pace_drawn(&self) -> bool {
        self.pace_segment().is_some()
    }

    /// The pace line's two ends within the months shown, as `(month index, value)`.
    fn pace_segment(&self) -> Option<Segment> {
        let line = self.pace?;
        let (start, end) = (line.baseline_period?, line.deadline?);
        let first = *self.months.first()?;
        let last = *self.months.last()?;
        let from = if start > first { start } else { first };
        let to = if end < last { end } else { last };
        if from > to {
            return None;
        }
        // A quarter's or a year's point sits at its last month.
        let step = f64::from(self.style.grain.months());
        let at = |p: Period| p.months_since(first) as f64 / step;
        Some((
            (at(from), line.expected(from)?),
            (at(to), line.expected(to)?),
        ))
    }
}

/// The vertical axis: its title (the unit: `%`, `€`, `min`) and the factor its tick labels
/// divide values by (durations are labelled in seconds, minutes or hours by their size).
fn axis(chart: &LineChart, largest: f64) -> (String, f64) {
    let labels = &chart.style.words().labels;
    match chart.unit {
        Unit::Percent => ("%".into(), 1.0),
        Unit::Currency => (
            chart
                .style
                .currency_symbol()
                .unwrap_or(labels.axis_amount)
                .to_string(),
            1.0,
        ),
        Unit::Count => (labels.axis_count.into(), 1.0),
        Unit::Score => (labels.axis_score.into(), 1.0),
        Unit::Number | Unit::Boolean => (String::new(), 1.0),
        Unit::Seconds if largest >= 7200.0 => ("h".into(), 3600.0),
        Unit::Seconds if largest >= 120.0 => ("min".into(), 60.0),
        Unit::Seconds => ("s".into(), 1.0),
    }
}

/// The chart as an inline SVG element.
pub fn line_chart(chart: &LineChart) -> String {
    let pace = chart.pace_segment();
    let frame = frame(chart, pace);
    let mut svg = open(chart);
    grid(&mut svg, &frame);
    month_labels(&mut svg, chart, &frame.x);
    // Reference levels: warning, target, pace (named in the legend under the chart).
    for (class, marks) in [("warning", &chart.warnings), ("target", &chart.targets)] {
        svg.push_str(&levels(class, marks, frame.left, &frame.x, &frame.y));
    }
    if let Some(segment) = pace {
        pace_line(&mut svg, segment, &frame);
    }
    year_ago_line(&mut svg, chart, &frame);
    value_lines(&mut svg, chart, &frame);
    svg.push_str("</svg>");
    svg
}

/// Where the chart draws: the scales of both axes, the vertical axis' ticks (in values) with
/// their labels, the left margin their labels need, and the axis' title.
struct Frame {
    x: Scale,
    y: Scale,
    left: f64,
    ticks: Vec<f64>,
    tick_labels: Vec<String>,
    title: String,
}

/// The frame that fits every value, level and the pace line's ends between nice ticks.
fn frame(chart: &LineChart, pace: Option<Segment>) -> Frame {
    let n = chart.months.len();
    let mut shown: Vec<f64> = chart
        .values
        .iter()
        .chain(&chart.year_ago)
        .flatten()
        .copied()
        .collect();
    for mark in chart.targets.iter().chain(&chart.warnings).flatten() {
        let (low, high) = mark.level.bounds();
        shown.extend([low, high]);
    }
    if let Some(((_, a), (_, b))) = pace {
        shown.extend([a, b]);
    }
    let lo = shown.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (title, factor) = axis(chart, lo.abs().max(hi.abs()));
    // Ticks are nice numbers in the axis' unit (minutes, say), placed back in values.
    let (ticks, decimals) = nice_ticks(lo / factor, hi / factor, 5);
    let tick_labels: Vec<String> = ticks
        .iter()
        .map(|&t| xml(&chart.style.number(t, decimals)))
        .collect();
    let ticks: Vec<f64> = ticks
        .iter()
        .map(|t| (t * factor).clamp(-f64::MAX, f64::MAX))
        .collect();
    let widest = tick_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    let left = (12.0 + widest as f64 * CHAR).clamp(40.0, 200.0);
    let x = Scale {
        d0: 0.0,
        d1: n.saturating_sub(1) as f64,
        r0: left,
        r1: WIDTH - RIGHT,
    };
    let y = Scale {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        r0: HEIGHT - BOTTOM,
        r1: TOP,
    };
    Frame {
        x,
        y,
        left,
        ticks,
        tick_labels,
        title,
    }
}

/// The opening `<svg>` tag, named by the chart's caption.
fn open(chart: &LineChart) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH:.0} {HEIGHT:.0}\" font-size=\"{FONT:.0}\" role=\"img\" aria-label=\"{}\">",
        // The caption holds the metric's name: `=` escaped too, as Handlebars does, so that
        // no user text reads as an attribute even to a naive filter.
        xml(&chart
            .caption
            .clone()
            .unwrap_or_else(|| (chart.style.words().period.chart_label)(chart.months.len())))
        .replace('=', "&#x3D;")
    )
}

/// The horizontal grid and the vertical axis' labels, and the axis' unit above them.
fn grid(svg: &mut String, frame: &Frame) {
    let Frame {
        y,
        left,
        ticks,
        tick_labels,
        title,
        ..
    } = frame;
    svg.push_str("<g class=\"grid\">");
    for (&tick, label) in ticks.iter().zip(tick_labels) {
        let ty = Tenths(y.at(tick));
        let _ = write!(
            svg,
            "<line x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>",
            Tenths(*left),
            Tenths(WIDTH - RIGHT),
            Tenths(left - 6.0),
            Tenths(ty.0 + 5.0),
        );
    }
    svg.push_str("</g>");
    if !title.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"2.0\" y=\"{}\">{}</text>",
            Tenths(TOP - 12.0),
            xml(title)
        );
    }
}

/// The month labels (`Aug`; `Q3` in a quarterly report, the year in an annual one): about
/// six, evenly spaced, counted back from the period reported; the year under the first one
/// and wherever it changes.
fn month_labels(svg: &mut String, chart: &LineChart, x: &Scale) {
    let n = chart.months.len();
    let every = n.div_ceil(6).max(1);
    svg.push_str("<g class=\"months\">");
    let mut year = None;
    for (i, month) in chart.months.iter().enumerate() {
        if (n - 1 - i).is_multiple_of(every) {
            let mx = Tenths(x.at(i as f64));
            let words = chart.style.words();
            let label = match chart.style.grain {
                Grain::Month => words.months_short[month.month() as usize - 1].to_string(),
                Grain::Quarter => format!("{}{}", words.quarter, month.month().div_ceil(3)),
                Grain::Year => month.year().to_string(),
            };
            let _ = write!(
                svg,
                "<text x=\"{mx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                Tenths(HEIGHT - BOTTOM + 20.0),
                xml(&label)
            );
            // A year's label is its year: no second line.
            if chart.style.grain != Grain::Year && year != Some(month.year()) {
                let _ = write!(
                    svg,
                    "<text x=\"{mx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    Tenths(HEIGHT - BOTTOM + 39.0),
                    month.year()
                );
                year = Some(month.year());
            }
        }
    }
    svg.push_str("</g>");
}

/// The pace line between its two ends, `(month index, value)`.
fn pace_line(svg: &mut String, ((i0, v0), (i1, v1)): Segment, frame: &Frame) {
    let Frame { x, y, .. } = frame;
    let _ = write!(
        svg,
        "<g class=\"pace\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/></g>",
        Tenths(x.at(i0)),
        Tenths(y.at(v0)),
        Tenths(x.at(i1)),
        Tenths(y.at(v1))
    );
}

/// The values: lines broken at missing months, a dot per month.
/// Last year's values, month for month, as a faint line without points behind this year's.
fn year_ago_line(svg: &mut String, chart: &LineChart, frame: &Frame) {
    let Frame { x, y, .. } = frame;
    let runs: Vec<_> = runs(&chart.year_ago)
        .into_iter()
        .filter(|run| run.len() > 1)
        .collect();
    if runs.is_empty() {
        return;
    }
    svg.push_str("<g class=\"year-ago\">");
    for run in runs {
        polyline(svg, run.iter().map(|&(i, v)| (x.at(i as f64), y.at(v))));
    }
    svg.push_str("</g>");
}

fn value_lines(svg: &mut String, chart: &LineChart, frame: &Frame) {
    let Frame { x, y, .. } = frame;
    svg.push_str("<g class=\"values\">");
    for run in runs(&chart.values) {
        if run.len() > 1 {
            polyline(svg, run.iter().map(|&(i, v)| (x.at(i as f64), y.at(v))));
        }
        for &(i, v) in &run {
            let _ = write!(
                svg,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.0\"/>",
                Tenths(x.at(i as f64)),
                Tenths(y.at(v))
            );
        }
    }
    svg.push_str("</g>");
}

/// One level (`target` or `warning`) over the months: a straight line when it is the same
/// number every month (as most targets are); otherwise, for each run of months that have
/// one, a line that steps half-way between two months where the level changes, goes
/// straight from month to month where it follows a series, and, for a range, a band
/// between two such lines. The legend under the chart names them.
fn levels(class: &str, marks: &[Option<Mark>], left: f64, x: &Scale, y: &Scale) -> String {
    let first = marks.first().copied().flatten();
    if let Some(
        mark @ Mark {
            level: Level::Number(v),
            series: false,
        },
    ) = first
        && marks.iter().all(|m| *m == Some(mark))
    {
        let ly = Tenths(y.at(v));
        return format!(
            "<g class=\"{class}\"><line x1=\"{}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\"/></g>",
            Tenths(left),
            Tenths(WIDTH - RIGHT),
        );
    }
    let runs = runs(
        &marks
            .iter()
            .map(|m| m.map(|m| (m.level, m.series)))
            .collect::<Vec<_>>(),
    );
    let Some(last_run) = runs.last() else {
        return String::new();
    };
    let band = matches!(last_run[0].1.0, Level::Range(..));
    let mut out = format!("<g class=\"{class}{}\">", if band { " band" } else { "" });
    // Half the distance between two months: where a step is drawn, and how wide a level
    // in force for a single month is.
    let half = if marks.len() > 1 {
        (x.at(1.0) - x.at(0.0)) / 2.0
    } else {
        8.0
    };
    for run in &runs {
        // A fixed level holds for the whole of its months, so its line reaches half-way to
        // the next month (where a step would be); a series is a line through its months.
        let edge = |end: fn(Level) -> f64| -> Vec<(f64, f64)> {
            let (i0, (level0, series0)) = run[0];
            let &(last, (level, series)) = run.last().expect("a run is never empty");
            let x0 = x.at(i0 as f64);
            let x1 = x.at(last as f64);
            let single = run.len() == 1;
            let start = if series0 && !single {
                x0
            } else {
                (x0 - half).max(left)
            };
            let mut points = vec![(start, y.at(end(level0)))];
            for pair in run.windows(2) {
                let ((i, (before, was_series)), (j, (now, is_series))) = (pair[0], pair[1]);
                let (vb, vn) = (end(before), end(now));
                if was_series && is_series {
                    points.push((x.at(j as f64), y.at(vn)));
                } else if vb != vn {
                    let mid = (x.at(i as f64) + x.at(j as f64)) / 2.0;
                    points.push((mid, y.at(vb)));
                    points.push((mid, y.at(vn)));
                }
            }
            let stop = if series && !single {
                x1
            } else {
                (x1 + half).min(WIDTH - RIGHT)
            };
            points.push((stop, y.at(end(level))));
            points.dedup();
            points
        };
        let high = edge(|l| l.bounds().1);
        let text = |points: &[(f64, f64)]| {
            points
                .iter()
                .map(|&(px, py)| format!("{},{}", Tenths(px), Tenths(py)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        if band {
            let mut outline = high;
            outline.extend(edge(|l| l.bounds().0).into_iter().rev());
            let _ = write!(out, "<polygon points=\"{}\"/>", text(&outline));
        } else {
            let _ = write!(out, "<polyline points=\"{}\"/>", text(&high));
        }
    }
    out.push_str("</g>");
    out
}

/// The chart of a yes/no metric: not a line between 0 and 1 but a strip of months, each cell
/// filled when the month met its target (`met`), struck when it did not, left empty without
/// a value or a target; the same frame and month labels as the line chart.
pub fn strip_chart(chart: &LineChart, met: &[Option<bool>]) -> String {
    let n = chart.months.len();
    let left = 12.0;
    let x = Scale {
        d0: 0.0,
        d1: n.saturating_sub(1) as f64,
        r0: left + 14.0,
        r1: WIDTH - RIGHT,
    };
    let mut svg = open(chart);
    month_labels(&mut svg, chart, &x);
    // Cells as wide as a month's share of the strip, with a gap between them.
    let step = if n > 1 {
        (x.r1 - x.r0) / (n - 1) as f64
    } else {
        40.0
    };
    let width = (step * 0.8).clamp(4.0, 40.0);
    let (top, bottom) = (TOP + 30.0, HEIGHT - BOTTOM - 30.0);
    svg.push_str("<g class=\"strip\">");
    for (i, cell) in met.iter().enumerate() {
        let class = match cell {
            Some(true) => "met",
            Some(false) => "not-met",
            None => "none",
        };
        let _ = write!(
            svg,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"/>",
            Tenths(x.at(i as f64) - width / 2.0),
            Tenths(top),
            Tenths(width),
            Tenths(bottom - top),
        );
    }
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    fn fixed(v: f64) -> Option<Mark> {
        Some(Mark {
            level: Level::Number(v),
            series: false,
        })
    }

    fn months(n: usize) -> Vec<Period> {
        let start: Period = "2026-01".parse().unwrap();
        (0..n)
            .map(|i| start.add_months(i as i64).unwrap())
            .collect()
    }

    #[test]
    fn draws_values_target_and_pace() {
        let chart = LineChart {
            months: months(4),
            values: vec![Some(10.0), Some(20.0), None, Some(40.0)],
            year_ago: Vec::new(),
            unit: Unit::Percent,
            decimals: 1,
            targets: vec![fixed(50.0); 4],
            warnings: vec![fixed(30.0); 4],
            pace: Some(PaceLine {
                baseline: 10.0,
                baseline_period: Some("2026-01".parse().unwrap()),
                deadline: Some("2026-12".parse().unwrap()),
                goal: 50.0,
                direction: kpi_core::Direction::HigherIsBetter,
            }),
            style: Style::default(),
            caption: None,
        };
        let svg = line_chart(&chart);
        // Ticks 10, 20, ..., 50 between y = 174 and y = 30; two-character labels leave the
        // smallest left margin, 40; the plot ends 26 units before the right edge, at 454.
        assert!(svg.contains(">50</text>"), "{svg}");
        assert!(
            svg.contains("<g class=\"target\"><line x1=\"40.0\" y1=\"30.0\" x2=\"454.0\""),
            "{svg}"
        );
        // The unit names the axis; lines carry no text that a data line could cover.
        assert!(
            svg.contains("<text class=\"axis\" x=\"2.0\" y=\"18.0\">%</text>"),
            "{svg}"
        );
        assert!(!svg.contains(">target"), "{svg}");
        // The pace line runs from the baseline to 2026-04's expected value 10 + 40 * 3 / 11.
        let expected_y = 174.0 - (40.0 * 3.0 / 11.0) / 40.0 * 144.0;
        assert!(
            svg.contains(&format!("<g class=\"pace\"><line x1=\"40.0\" y1=\"174.0\" x2=\"454.0\" y2=\"{expected_y:.1}\"/>")),
            "{svg}"
        );
        // The gap breaks the line: one polyline of two points, and a lone dot.
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("r=\"3.0\"").count(), 3);
        // Every month is labelled, the year once, under the first.
        assert!(svg.contains("<text x=\"454.0\" y=\"194.0\" text-anchor=\"middle\">Apr</text>"));
        assert_eq!(svg.matches(">2026</text>").count(), 1);
    }

    #[test]
    fn durations_are_labelled_in_minutes_and_french_months() {
        let chart = LineChart {
            months: months(2),
            values: vec![Some(430.0), Some(438.0)],
            year_ago: Vec::new(),
            unit: Unit::Seconds,
            decimals: 0,
            targets: vec![None; 2],
            warnings: vec![None; 2],
            pace: None,
            style: Style {
                locale: Locale::Fr,
                ..Style::default()
            },
            caption: None,
        };
        let svg = line_chart(&chart);
        assert!(svg.contains(">min</text>"), "{svg}");
        // 430 s to 438 s is 7.17 to 7.3 min: (7.3 - 7.17) / 5 = 0.027 rounds up to a step of
        // 0.05, so the ticks run from 7.15 to 7.30 (written the French way).
        assert!(
            svg.contains(">7,15</text>") && svg.contains(">7,30</text>"),
            "{svg}"
        );
        assert!(
            svg.contains(">janv.</text>") && svg.contains(">févr.</text>"),
            "{svg}"
        );
        assert!(
            svg.contains("aria-label=\"valeurs des 2 derniers mois\""),
            "{svg}"
        );
    }

    #[test]
    fn pace_outside_the_months_shown_is_left_out() {
        let chart = LineChart {
            months: months(3),
            values: vec![Some(1.0); 3],
            year_ago: Vec::new(),
            unit: Unit::Count,
            decimals: 0,
            targets: vec![fixed(2.0); 3],
            warnings: vec![None; 3],
            pace: Some(PaceLine {
                baseline: 1.0,
                baseline_period: Some("2027-01".parse().unwrap()),
                deadline: Some("2027-06".parse().unwrap()),
                goal: 2.0,
                direction: kpi_core::Direction::HigherIsBetter,
            }),
            style: Style::default(),
            caption: None,
        };
        assert!(!line_chart(&chart).contains("class=\"pace\""));
    }

    /// Values 10 to 40 over four months: ticks 10 to 40 map to y = 174 to 30 (4.8 a unit),
    /// and the months to x = 40, 178, 316, 454 (half a month is 69).
    fn chart_with(targets: Vec<Option<Mark>>, warnings: Vec<Option<Mark>>) -> String {
        line_chart(&LineChart {
            months: months(4),
            values: vec![Some(10.0), Some(20.0), Some(30.0), Some(40.0)],
            year_ago: Vec::new(),
            unit: Unit::Percent,
            decimals: 0,
            targets,
            warnings,
            pace: None,
            style: Style::default(),
            caption: None,
        })
    }

    #[test]
    fn a_target_that_changes_steps_half_way_between_months() {
        // 20 for two months, then 30: y(20) = 126, y(30) = 78.
        let svg = chart_with(
            vec![fixed(20.0), fixed(20.0), fixed(30.0), fixed(30.0)],
            vec![fixed(15.0), fixed(15.0), None, None],
        );
        assert!(
            svg.contains("<g class=\"target\"><polyline points=\"40.0,126.0 247.0,126.0 247.0,78.0 454.0,78.0\"/></g>"),
            "{svg}"
        );
        // The warning ends where its last month ends, half-way to the next: 178 + 69.
        assert!(
            svg.contains("<g class=\"warning\"><polyline points=\"40.0,150.0 247.0,150.0\"/></g>"),
            "{svg}"
        );
    }

    #[test]
    fn a_series_is_a_line_through_its_months() {
        let series = |v| {
            Some(Mark {
                level: Level::Number(v),
                series: true,
            })
        };
        // No value for the first month; then 20, 25, 30 at x = 178, 316, 454.
        let svg = chart_with(
            vec![None, series(20.0), series(25.0), series(30.0)],
            vec![None; 4],
        );
        assert!(
            svg.contains(
                "<g class=\"target\"><polyline points=\"178.0,126.0 316.0,102.0 454.0,78.0\"/>"
            ),
            "{svg}"
        );
        assert!(!svg.contains("class=\"warning"), "{svg}");
    }

    #[test]
    fn a_range_is_a_band() {
        let range = |low, high| {
            Some(Mark {
                level: Level::Range(low, high),
                series: false,
            })
        };
        let svg = chart_with(vec![range(20.0, 30.0); 4], vec![range(15.0, 35.0); 4]);
        // The high edge left to right, then the low edge back.
        assert!(
            svg.contains("<g class=\"target band\"><polygon points=\"40.0,78.0 454.0,78.0 454.0,126.0 40.0,126.0\"/></g>"),
            "{svg}"
        );
        // The warning band is drawn first, under the target band; neither carries text (the
        // legend under the chart names them).
        let warning = svg.find("class=\"warning band\"").unwrap();
        assert!(warning < svg.find("class=\"target band\"").unwrap());
        assert!(
            svg.contains("<g class=\"warning band\"><polygon points=\"40.0,54.0 454.0,54.0 454.0,150.0 40.0,150.0\"/></g>"),
            "{svg}"
        );
    }
}
