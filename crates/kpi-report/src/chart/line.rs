//! The larger SVG line chart of a KPI's details: up to 24 months of values against the
//! target, the warning level and the pace line, with axes labelled in the metric's unit.

use std::fmt::Write as _;

use kpi_core::target::Level;
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
    /// The target in force each month, one per month: `None` in a month without target.
    pub targets: Vec<Option<Mark>>,
    /// The warning level in force each month, one per month.
    pub warnings: Vec<Option<Mark>>,
    /// The pace line from baseline to target, drawn where it crosses the months shown.
    pub pace: Option<PaceLine>,
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
    // Reference levels: warning, target, pace.
    for (class, marks) in [("warning", &chart.warnings), ("target", &chart.targets)] {
        svg.push_str(&levels(class, marks, chart, &x, &y));
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

/// One level (`target` or `warning`) over the months: a straight line when it is the same
/// number every month (as most targets are); otherwise, for each run of months that have
/// one, a line that steps half-way between two months where the level changes, goes
/// straight from month to month where it follows a series, and, for a range, a band
/// between two such lines. Labelled with the level in force in the run's last month.
fn levels(class: &str, marks: &[Option<Mark>], chart: &LineChart, x: &Scale, y: &Scale) -> String {
    let label = |level: Level| {
        let text = match level {
            Level::Number(v) => format::value(v, chart.unit, chart.decimals),
            Level::Range(low, high) => format!(
                "{} – {}",
                format::value(low, chart.unit, chart.decimals),
                format::value(high, chart.unit, chart.decimals)
            ),
        };
        xml(&format!("{class} {text}"))
    };
    let first = marks.first().copied().flatten();
    if let Some(
        mark @ Mark {
            level: Level::Number(v),
            series: false,
        },
    ) = first
        && marks.iter().all(|m| *m == Some(mark))
    {
        let ly = y.at(v);
        return format!(
            "<g class=\"{class}\"><line x1=\"{LEFT:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text></g>",
            WIDTH - RIGHT,
            WIDTH - RIGHT - 2.0,
            ly - 4.0,
            label(Level::Number(v))
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
                (x0 - half).max(LEFT)
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
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
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
    // The label, at the right end of the last run: above a line or a target band, below a
    // warning band (whose top is near the target band's label).
    let &(i, (level, series)) = last_run.last().expect("a run is never empty");
    let right = if series && last_run.len() > 1 {
        x.at(i as f64)
    } else {
        (x.at(i as f64) + half).min(WIDTH - RIGHT)
    };
    let (low, high) = level.bounds();
    let ly = if band && class == "warning" {
        y.at(low) + 12.0
    } else {
        y.at(high) - 4.0
    };
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"{ly:.1}\" text-anchor=\"end\">{}</text></g>",
        right - 2.0,
        label(level)
    );
    out
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
            targets: vec![fixed(2.0); 3],
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

    /// Values 10 to 40 over four months: ticks 10 to 40 map to y = 216 to 16, and the months
    /// to x = 84, 264, 444, 624 (half a month is 90).
    fn chart_with(targets: Vec<Option<Mark>>, warnings: Vec<Option<Mark>>) -> String {
        line_chart(&LineChart {
            months: months(4),
            values: vec![Some(10.0), Some(20.0), Some(30.0), Some(40.0)],
            unit: Unit::Percent,
            decimals: 0,
            targets,
            warnings,
            pace: None,
        })
    }

    #[test]
    fn a_target_that_changes_steps_half_way_between_months() {
        // 20 for two months, then 30: y(20) = 216 - 200 / 3, y(30) = 216 - 400 / 3.
        let svg = chart_with(
            vec![fixed(20.0), fixed(20.0), fixed(30.0), fixed(30.0)],
            vec![fixed(15.0), fixed(15.0), None, None],
        );
        assert!(
            svg.contains("<g class=\"target\"><polyline points=\"84.0,149.3 354.0,149.3 354.0,82.7 624.0,82.7\"/><text x=\"622.0\" y=\"78.7\" text-anchor=\"end\">target 30 %</text></g>"),
            "{svg}"
        );
        // The warning ends where its last month ends, half-way to the next: 264 + 90.
        assert!(
            svg.contains("<g class=\"warning\"><polyline points=\"84.0,182.7 354.0,182.7\"/>"),
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
        // No value for the first month; then 20, 25, 30 at x = 264, 444, 624.
        let svg = chart_with(
            vec![None, series(20.0), series(25.0), series(30.0)],
            vec![None; 4],
        );
        assert!(
            svg.contains(
                "<g class=\"target\"><polyline points=\"264.0,149.3 444.0,116.0 624.0,82.7\"/>"
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
            svg.contains("<g class=\"target band\"><polygon points=\"84.0,82.7 624.0,82.7 624.0,149.3 84.0,149.3\"/><text x=\"622.0\" y=\"78.7\" text-anchor=\"end\">target 20 % – 30 %</text></g>"),
            "{svg}"
        );
        // The warning band is drawn first, under the target band, labelled below its low
        // edge y(15) = 182.7 (+ 12).
        let warning = svg.find("class=\"warning band\"").unwrap();
        assert!(warning < svg.find("class=\"target band\"").unwrap());
        assert!(
            svg.contains("y=\"194.7\" text-anchor=\"end\">warning 15 % – 35 %</text>"),
            "{svg}"
        );
    }
}
