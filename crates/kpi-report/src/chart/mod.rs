//! Charts drawn in Rust: the unicode sparkline of the Markdown report, and the inline SVG
//! sparkline and line chart of the HTML report. Every coordinate is printed with a fixed
//! number of decimals, so that the same values always give the same bytes.

mod line;
mod scale;
mod spark;
mod sparkline_svg;
mod tenths;

pub use line::{LineChart, Mark, line_chart, strip_chart};
pub use spark::{GAP, spark};
pub use sparkline_svg::sparkline_svg;
use tenths::{Tenths, polyline};

/// The sparkline's size in CSS pixels (its SVG's `viewBox`), for an image drawn from it.
pub const SPARK_WIDTH: u32 = sparkline_svg::WIDTH as u32;
/// See [`SPARK_WIDTH`].
pub const SPARK_HEIGHT: u32 = sparkline_svg::HEIGHT as u32;
/// The line chart's size in CSS pixels (its SVG's `viewBox`).
pub const LINE_WIDTH: u32 = line::WIDTH as u32;
/// See [`LINE_WIDTH`].
pub const LINE_HEIGHT: u32 = line::HEIGHT as u32;

/// The smallest and largest of the values present, if any.
fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The runs of consecutive present values, as `(index, value)` lists: each run is drawn as
/// one line, and a missing month breaks the line.
fn runs<T: Copy>(values: &[Option<T>]) -> Vec<Vec<(usize, T)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}
