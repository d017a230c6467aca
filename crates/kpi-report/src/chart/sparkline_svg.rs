//! The inline SVG sparkline of an HTML report row.

use std::fmt::Write as _;

use super::scale::Scale;
use super::{Tenths, extent, polyline, runs};

pub(super) const WIDTH: f64 = 100.0;
pub(super) const HEIGHT: f64 = 24.0;
const PAD: f64 = 3.0;

/// A small line chart of `values`, one point per month, broken where a value is missing; the
/// last month is a dot. Drawn in `currentColor`, so CSS chooses the colour.
pub fn sparkline_svg(values: &[Option<f64>]) -> String {
    let mut svg = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {WIDTH:.0} {HEIGHT:.0}\" width=\"{WIDTH:.0}\" height=\"{HEIGHT:.0}\" role=\"img\" aria-label=\"trend over {} months\">",
        values.len()
    );
    if let Some((lo, hi)) = extent(values.iter().flatten().copied()) {
        let x = Scale {
            d0: 0.0,
            d1: values.len().saturating_sub(1) as f64,
            r0: PAD,
            r1: WIDTH - PAD,
        };
        let y = Scale {
            d0: lo,
            d1: hi,
            r0: HEIGHT - PAD,
            r1: PAD,
        };
        for run in runs(values) {
            if let [(i, v)] = run[..] {
                if i + 1 == values.len() {
                    // Drawn below as the last month's dot.
                    continue;
                }
                let _ = write!(
                    svg,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"1.5\"/>",
                    Tenths(x.at(i as f64)),
                    Tenths(y.at(v))
                );
            } else {
                polyline(
                    &mut svg,
                    run.iter().map(|&(i, v)| (x.at(i as f64), y.at(v))),
                );
            }
        }
        if let Some(Some(v)) = values.last() {
            let i = values.len() - 1;
            let _ = write!(
                svg,
                "<circle class=\"last\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>",
                Tenths(x.at(i as f64)),
                Tenths(y.at(*v))
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::sparkline_svg;

    #[test]
    fn gaps_break_the_line() {
        let svg = sparkline_svg(&[Some(0.0), Some(10.0), None, Some(5.0)]);
        assert!(
            svg.contains("<polyline points=\"3.0,21.0 34.3,3.0\"/>"),
            "{svg}"
        );
        // A lone last month is drawn once, as the last month's dot.
        assert!(svg.ends_with("<circle class=\"last\" cx=\"97.0\" cy=\"12.0\" r=\"2.5\"/></svg>"));
        assert_eq!(svg.matches("<circle").count(), 1);
        // A lone month between gaps is a small dot.
        let svg = sparkline_svg(&[Some(0.0), None, Some(5.0), None, Some(10.0)]);
        assert!(
            svg.contains("<circle cx=\"50.0\" cy=\"12.0\" r=\"1.5\"/>"),
            "{svg}"
        );
    }

    #[test]
    fn no_values_draws_nothing() {
        assert!(sparkline_svg(&[None]).ends_with("months\"></svg>"));
    }
}
