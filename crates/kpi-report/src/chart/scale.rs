//! Linear scales and "nice" axis ticks (steps of 1, 2 or 5 times a power of ten).

/// Maps a domain `[d0, d1]` linearly onto a range `[r0, r1]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub(crate) d0: f64,
    pub(crate) d1: f64,
    pub(crate) r0: f64,
    pub(crate) r1: f64,
}

impl Scale {
    /// The position of `v`; the middle of the range when the domain is a single point (or
    /// too narrow to divide, among the smallest doubles). Always finite for finite input.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let middle = (self.r0 + self.r1) / 2.0;
        // Halved first: the difference of two doubles of opposite signs may overflow, that of
        // their halves never does, and halving is exact (above the smallest doubles), so the
        // ratio is the same.
        let (v, d0, d1) = (v / 2.0, self.d0 / 2.0, self.d1 / 2.0);
        let position = self.r0 + (v - d0) / (d1 - d0) * (self.r1 - self.r0);
        if position.is_finite() {
            position
        } else {
            middle
        }
    }
}

/// Ticks covering `[lo, hi]`: about `count` multiples of a nice step, the first at or below
/// `lo`, the last at or above `hi`; and the decimals the step needs. When no nice step fits
/// in a double (a range near the largest double, or among the smallest), the ticks are `lo`
/// and `hi` themselves: never an infinite or NaN tick, never more than `count + 2` ticks.
pub(crate) fn nice_ticks(lo: f64, hi: f64, count: u32) -> (Vec<f64>, u8) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        // A flat series: a band around the value.
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        ((lo - pad).max(-f64::MAX), (hi + pad).min(f64::MAX))
    };
    nice(lo, hi, count).unwrap_or((vec![lo, hi], 0))
}

fn nice(lo: f64, hi: f64, count: u32) -> Option<(Vec<f64>, u8)> {
    let count = count.max(1);
    let raw = (hi - lo) / f64::from(count);
    if !raw.is_normal() {
        return None;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = match raw / magnitude {
        n if n <= 1.0 => 1.0,
        n if n <= 2.0 => 2.0,
        n if n <= 5.0 => 5.0,
        _ => 10.0,
    } * magnitude;
    if !step.is_normal() {
        return None;
    }
    let first = (lo / step).floor();
    let last = (hi / step).ceil();
    if !first.is_finite() || !last.is_finite() || last - first > f64::from(count) + 1.0 {
        return None;
    }
    let ticks: Vec<f64> = (first as i64..=last as i64)
        .map(|k| k as f64 * step)
        .collect();
    if !ticks.iter().all(|t| t.is_finite()) {
        return None;
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 9.0) as u8;
    Some((ticks, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice_and_cover_the_domain() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 0)
        );
        assert_eq!(
            nice_ticks(12.0, 87.0, 4),
            (vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0], 0)
        );
        let (ticks, decimals) = nice_ticks(0.12, 0.34, 5);
        assert_eq!(decimals, 2);
        assert_eq!(ticks.len(), 6);
        assert!((ticks[0] - 0.1).abs() < 1e-12 && (ticks[5] - 0.35).abs() < 1e-12);
        // A flat series gets a band around its value.
        assert_eq!(
            nice_ticks(50.0, 50.0, 5),
            (vec![44.0, 46.0, 48.0, 50.0, 52.0, 54.0, 56.0], 0)
        );
    }

    #[test]
    fn scale_maps_linearly() {
        let s = Scale {
            d0: 0.0,
            d1: 10.0,
            r0: 100.0,
            r1: 0.0,
        };
        assert_eq!(s.at(0.0), 100.0);
        assert_eq!(s.at(2.5), 75.0);
        let flat = Scale {
            d0: 1.0,
            d1: 1.0,
            r0: 0.0,
            r1: 10.0,
        };
        assert_eq!(flat.at(1.0), 5.0);
    }

    #[test]
    fn extremes_give_finite_ticks_and_positions() {
        for (lo, hi) in [
            (-f64::MAX, f64::MAX),
            (0.0, f64::MAX),
            (f64::MAX, f64::MAX),
            (0.0, 5e-324),
            (-5e-324, 5e-324),
            (2.225_073_858_507_201_4e-308, 2.225_073_858_507_202_4e-308),
        ] {
            let (ticks, _) = nice_ticks(lo, hi, 5);
            assert!(
                ticks.len() <= 7 && ticks.iter().all(|t| t.is_finite()),
                "{lo} {hi}: {ticks:?}"
            );
            let s = Scale {
                d0: ticks[0],
                d1: ticks[ticks.len() - 1],
                r0: 0.0,
                r1: 10.0,
            };
            for v in [lo, hi] {
                assert!(s.at(v).is_finite(), "{lo} {hi}");
            }
        }
    }
}
