//! The unicode sparkline: one block character per month.

use super::extent;

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Marks a month without a value: a gap that, unlike a space, survives the trimming of
/// Markdown table cells.
pub const GAP: char = '·';

/// One character per value, from `▁` (the smallest) to `█` (the largest), [`GAP`] for a
/// missing value. When every value is the same, they are all `▄`.
pub fn spark(values: &[Option<f64>]) -> String {
    let Some((lo, hi)) = extent(values.iter().flatten().copied()) else {
        return values.iter().map(|_| GAP).collect();
    };
    values
        .iter()
        .map(|v| match v {
            None => GAP,
            Some(_) if hi == lo => BLOCKS[3],
            Some(v) => {
                let level = ((v - lo) / (hi - lo) * 7.0).round() as usize;
                BLOCKS[level.min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spark;

    #[test]
    fn scales_between_smallest_and_largest() {
        let v: Vec<Option<f64>> = (0..8).map(|i| Some(f64::from(i))).collect();
        assert_eq!(spark(&v), "▁▂▃▄▅▆▇█");
        assert_eq!(spark(&[Some(10.0), None, Some(20.0)]), "▁·█");
        assert_eq!(spark(&[Some(5.0), Some(5.0)]), "▄▄");
        assert_eq!(spark(&[None, None]), "··");
        assert_eq!(spark(&[]), "");
    }
}
