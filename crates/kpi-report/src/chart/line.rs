//! The larger SVG line chart of a KPI's details: up to 24 months of values against the
//! target, the warning level and the pace line, with axes labelled in the metric's unit.

use std::fmt::Write as _;

use kpi_core::{Period, Unit};

use super::runs;
use super::scale::{Scale, nice_ticks};
use crate::escape::xml;
use crate::format::Style;

// The chart is drawn in a 480-unit-wide box with 16-unit text: scaled to the 350 pixels a
// phone of 390 gives it, text is still over 11 pixels high.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const FONT: f64 = 16.0;
/// Room on the right for half of the last month's label, so that it is never cut.
const RIGHT: f64 = 26.0;
/// Room above the plot for the unit of the vertical axis.
const TOP: f64 = 30.0;
/// Room below the plot for two lines of month labels (month, and year where it changes).
const BOTTOM: f64 = 46.0;
/// The width of a character of tick label, about 0.55 of the text size.
const CHAR: f64 = 9.0;

/// What the line chart shows.
#[derive(Debug, Clone)]
pub struct LineChart {
    /// The months on the horizontal axis, consecutive.
    pub months: Vec<Period>,
    /// One value per month, `None` where there is none.
    pub values: Vec<Option<f64>>,
    /// The unit of the values, which picks the vertical axis' unit and labels.
    pub unit: Unit,
    /// The metric's decimals.
    pub decimals: u8,
    /// The target, drawn as a line.
    pub target: Option<f64>,
    /// The warning level, drawn as a line.
    pub warning: Option<f64>,
    /// The pace line from baseline to target: `(baseline period, baseline, deadline,
    /// target)`.
    pub pace: Option<(Period, f64, Period, f64)>,
    /// How numbers and months are written.
    pub style: Style,
}

impl LineChart {
    /// The pace line's two ends within the months shown, as `(month index, value)`.
    fn pace_segment(&self) -> Option<((f64, f64), (f64, f64))> {
        let (start, baseline, end, target) = self.pace?;
        let first = *self.months.first()?;
        let last = *self.months.last()?;
        let span = end.months_since(start);
        if span <= 0 {
            return None;
        }
        let from = if start > first { start } else { first };
        let to = if end < last { end } else { last };
        if from > to {
            return None;
        }
        // A weighted mean of baseline and target (as `Target::pace` computes it), which
        // cannot overflow the way `baseline + (target - baseline) * …` can.
        let expected = |p: Period| {
            let f = p.months_since(start).clamp(0, span) as f64 / span as f64;
            (baseline * (1.0 - f) + target * f).clamp(-f64::MAX, f64::MAX)
        };
        let at = |p: Period| p.months_since(first) as f64;
        Some(((at(from), expected(from)), (at(to), expected(to))))
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
        Unit::Number => (String::new(), 1.0),
        Unit::Seconds if largest >= 7200.0 => ("h".into(), 3600.0),
        Unit::Seconds if largest >= 120.0 => ("min".into(), 60.0),
        Unit::Seconds => ("s".into(), 1.0),
    }
}

/// The chart as an inline SVG element.
pub fn line_chart(chart: &LineChart) -> String {
    let n = chart.months.len();
    let pace = chart.pace_segment();
    let mut shown: Vec<f64> = chart.values.iter().flatten().copied().collect();
    shown.extend(chart.target);
    shown.extend(chart.warning);
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

    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH:.0} {HEIGHT:.0}\" font-size=\"{FONT:.0}\" role=\"img\" aria-label=\"{}\">",
        xml(&(chart.style.words().chart_label)(n))
    );
    // Horizontal grid and vertical axis labels, and the axis' unit above them.
    svg.push_str("<g class=\"grid\">");
    for (&tick, label) in ticks.iter().zip(&tick_labels) {
        let ty = y.at(tick);
        let _ = write!(
            svg,
            "<line x1=\"{left:.1}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
            WIDTH - RIGHT,
            left - 6.0,
            ty + 5.0,
        );
    }
    svg.push_str("</g>");
    if !title.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"2.0\" y=\"{:.1}\">{}</text>",
            TOP - 12.0,
            xml(&title)
        );
    }
    // Month labels: about six, evenly spaced, counted back from the month reported; the year
    // under the first one and wherever it changes.
    let every = n.div_ceil(6).max(1);
    svg.push_str("<g class=\"months\">");
    let mut year = None;
    for (i, month) in chart.months.iter().enumerate() {
        if (n - 1 - i).is_multiple_of(every) {
            let mx = x.at(i as f64);
            let _ = write!(
                svg,
                "<text x=\"{mx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                HEIGHT - BOTTOM + 20.0,
                xml(chart.style.words().months_short[month.month() as usize - 1])
            );
            if year != Some(month.year()) {
                let _ = write!(
                    svg,
                    "<text x=\"{mx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    HEIGHT - BOTTOM + 39.0,
                    month.year()
                );
                year = Some(month.year());
            }
        }
    }
    svg.push_str("</g>");
    // Reference lines: warning, target, pace (named in the legend under the chart).
    for (class, level) in [("warning", chart.warning), ("target", chart.target)] {
        if let Some(level) = level {
            let ly = y.at(level);
            let _ = write!(
                svg,
                "<g class=\"{class}\"><line x1=\"{left:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\"/></g>",
                WIDTH - RIGHT,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

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
            target: Some(50.0),
            warning: Some(30.0),
            pace: Some((
                "2026-01".parse().unwrap(),
                10.0,
                "2026-12".parse().unwrap(),
                50.0,
            )),
            style: Style::default(),
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
            unit: Unit::Seconds,
            decimals: 0,
            target: None,
            warning: None,
            pace: None,
            style: Style {
                locale: Locale::Fr,
                currency: None,
            },
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
            unit: Unit::Count,
            decimals: 0,
            target: Some(2.0),
            warning: None,
            pace: Some((
                "2027-01".parse().unwrap(),
                1.0,
                "2027-06".parse().unwrap(),
                2.0,
            )),
            style: Style::default(),
        };
        assert!(!line_chart(&chart).contains("class=\"pace\""));
    }
}
