//! The larger SVG line chart of a KPI's details: up to 24 months of values against the
//! target, the warning level and the pace line, with axes labelled in the metric's unit.

use std::fmt::Write as _;

use kpi_core::{PaceLine, Period, Unit};

use super::runs;
use super::scale::{Scale, nice_ticks};
use crate::escape::xml;
use crate::format;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// What the line chart shows.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// The months on the horizontal axis, consecutive.
    pub months: Vec<Period>,
    /// One value per month, `None` where there is none.
    pub values: Vec<Option<f64>>,
    /// The unit the vertical axis is labelled in.
    pub unit: Unit,
    /// The metric's decimals, for the target and warning labels.
    pub decimals: u8,
    /// The target in force each month, one per month.
    pub targets: Vec<Option<f64>>,
    /// The warning level in force each month, one per month.
    pub warnings: Vec<Option<f64>>,
    /// The pace line from baseline to target, drawn where it crosses the months shown.
    pub pace: Option<PaceLine>,
}

impl LineChart {
    /// The pace line's two ends within the months shown, as `(month index, value)`.
    fn pace_segment(&self) -> Option<((f64, f64), (f64, f64))> {
        let line = self.pace?;
        let (start, end) = (line.baseline_period?, line.deadline?);
        let first = *self.months.first()?;
        let last = *self.months.last()?;
        let from = if start > first { start } else { first };
        let to = if end < last { end } else { last };
        if from > to {
            return None;
        }
        let at = |p: Period| p.months_since(first) as f64;
        Some((
            (at(from), line.expected(from)?),
            (at(to), line.expected(to)?),
        ))
    }
}

/// The chart as an inline SVG element.
pub fn line_chart(chart: &LineChart) -> String {
    let n = chart.months.len();
    let pace = chart.pace_segment();
    let mut shown: Vec<f64> = chart.values.iter().flatten().copied().collect();
    shown.extend(chart.targets.iter().flatten());
    shown.extend(chart.warnings.iter().flatten());
    if let Some(((_, a), (_, b))) = pace {
        shown.extend([a, b]);
    }
    let lo = shown.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let (ticks, decimals) = nice_ticks(lo, hi, 5);
    let x = Scale {
        d0: 0.0,
        d1: n.saturating_sub(1) as f64,
        r0: LEFT,
        r1: WIDTH - RIGHT,
    };
    let y = Scale {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        r0: HEIGHT - BOTTOM,
        r1: TOP,
    };
    let label = |v: f64| xml(&format::value(v, chart.unit, decimals));

    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH:.0} {HEIGHT:.0}\" role=\"img\" aria-label=\"values of the last {n} months against the target\">"
    );
    // Horizontal grid and vertical axis labels.
    svg.push_str("<g class=\"grid\">");
    for &tick in &ticks {
        let ty = y.at(tick);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT:.1}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            ty + 4.0,
            label(tick)
        );
    }
    svg.push_str("</g>");
    // Month labels: about six, evenly spaced, counted back from the month reported.
    let every = n.div_ceil(6).max(1);
    svg.push_str("<g class=\"months\">");
    for (i, month) in chart.months.iter().enumerate() {
        if (n - 1 - i).is_multiple_of(every) {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{month}</text>",
                x.at(i as f64),
                HEIGHT - BOTTOM + 18.0
            );
        }
    }
    svg.push_str("</g>");
    // Axis titles, in the metric's unit.
    let _ = write!(
        svg,
        "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">month</text><text class=\"axis\" x=\"12.0\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 12.0 {:.1})\">{}</text>",
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 6.0,
        (TOP + HEIGHT - BOTTOM) / 2.0,
        (TOP + HEIGHT - BOTTOM) / 2.0,
        unit_title(chart.unit)
    );
    // Reference lines: warning, target, pace.
    for (class, levels) in [("warning", &chart.warnings), ("target", &chart.targets)] {
        if let Some(level) = constant(levels) {
            let ly = y.at(level);
            let _ = write!(
                svg,
                "<g class=\"{class}\"><line x1=\"{LEFT:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{class} {}</text></g>",
                WIDTH - RIGHT,
                WIDTH - RIGHT - 2.0,
                ly - 4.0,
                xml(&format::value(level, chart.unit, chart.decimals))
            );
        }
    }
    if let Some(((i0, v0), (i1, v1))) = pace {
        let _ = write!(
            svg,
            "<g class=\"pace\"><line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/></g>",
            x.at(i0),
            y.at(v0),
            x.at(i1),
            y.at(v1)
        );
    }
    // The values: lines broken at missing months, a dot per month.
    svg.push_str("<g class=\"values\">");
    for run in runs(&chart.values) {
        if run.len() > 1 {
            let points: Vec<String> = run
                .iter()
                .map(|&(i, v)| format!("{:.1},{:.1}", x.at(i as f64), y.at(v)))
                .collect();
            let _ = write!(svg, "<polyline points=\"{}\"/>", points.join(" "));
        }
        for &(i, v) in &run {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.0\"/>",
                x.at(i as f64),
                y.at(v)
            );
        }
    }
    svg.push_str("</g></svg>");
    svg
}

/// The level of every month, when they all have the same one.
fn constant(levels: &[Option<f64>]) -> Option<f64> {
    let first = (*levels.first()?)?;
    levels.iter().all(|l| *l == Some(first)).then_some(first)
}

/// The vertical axis title for a unit.
fn unit_title(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "percent (%)",
        Unit::Currency => "amount",
        Unit::Count => "count",
        Unit::Number => "value",
        Unit::Seconds => "duration",
        Unit::Score => "score",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            unit: Unit::Percent,
            decimals: 1,
            targets: vec![Some(50.0); 4],
            warnings: vec![Some(30.0); 4],
            pace: Some(PaceLine {
                baseline: 10.0,
                baseline_period: Some("2026-01".parse().unwrap()),
                deadline: Some("2026-12".parse().unwrap()),
                goal: 50.0,
                direction: kpi_core::Direction::HigherIsBetter,
            }),
        };
        let svg = line_chart(&chart);
        // Ticks 10, 20, ..., 50 between y = 216 and y = 16.
        assert!(svg.contains(">50 %</text>"), "{svg}");
        assert!(
            svg.contains("<g class=\"target\"><line x1=\"84.0\" y1=\"16.0\""),
            "{svg}"
        );
        // The pace line runs from the baseline to 2026-04's expected value 10 + 40 * 3 / 11.
        let expected_y = 216.0 - (40.0 * 3.0 / 11.0) / 40.0 * 200.0;
        assert!(
            svg.contains(&format!("<g class=\"pace\"><line x1=\"84.0\" y1=\"216.0\" x2=\"624.0\" y2=\"{expected_y:.1}\"/>")),
            "{svg}"
        );
        // The gap breaks the line: one polyline of two points, and a lone dot.
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("r=\"3.0\"").count(), 3);
        assert!(svg.contains(">percent (%)</text>"));
    }

    #[test]
    fn pace_outside_the_months_shown_is_left_out() {
        let chart = LineChart {
            months: months(3),
            values: vec![Some(1.0); 3],
            unit: Unit::Count,
            decimals: 0,
            targets: vec![Some(2.0); 3],
            warnings: vec![None; 3],
            pace: Some(PaceLine {
                baseline: 1.0,
                baseline_period: Some("2027-01".parse().unwrap()),
                deadline: Some("2027-06".parse().unwrap()),
                goal: 2.0,
                direction: kpi_core::Direction::HigherIsBetter,
            }),
        };
        assert!(!line_chart(&chart).contains("class=\"pace\""));
    }
}
