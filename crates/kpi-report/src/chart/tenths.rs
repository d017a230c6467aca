//! A coordinate printed with one decimal, exactly as `format!("{:.1}", v)` prints it, without
//! Rust's exact-decimal machinery in the common case: a chart prints about a hundred
//! coordinates, and a 100 000-metric report spent a tenth of its time in `{:.1}`.

use std::fmt;

/// `v` written as `{:.1}` writes it: rounded to the nearest tenth (an exact tie to the even
/// digit), with a `-` for any negative number, `-0.0` included.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tenths(pub(crate) f64);

impl Tenths {
    /// The text, written into the end of `buf`, when the fast path holds: `v` finite, its
    /// tenths below 10⁹, and not within 10⁻⁶ tenths of a tie between two of them.
    fn digits(self, buf: &mut [u8; 16]) -> Option<&str> {
        let v = self.0;
        let x = v.abs() * 10.0;
        // Below 10⁹, `x` is within 2⁻²⁴ of the exact v × 10: unless it lies within 10⁻⁶ of
        // a half, the exact value rounds to the same whole number as `x`. Near a half (an
        // exact tie such as 0.25 among them), and for large or non-finite values, Rust's
        // own formatting decides.
        let floor = x.floor();
        let frac = x - floor;
        if x.is_nan() || x >= 1e9 || (frac - 0.5).abs() < 1e-6 {
            return None;
        }
        // Exact: a whole number below 10⁹ + 1, written from its last digit.
        let mut n = (if frac > 0.5 { floor + 1.0 } else { floor }) as u64;
        let mut at = buf.len();
        let mut put = |b: u8| {
            at -= 1;
            buf[at] = b;
        };
        put(b'0' + (n % 10) as u8);
        put(b'.');
        n /= 10;
        loop {
            put(b'0' + (n % 10) as u8);
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if v.is_sign_negative() {
            put(b'-');
        }
        Some(std::str::from_utf8(&buf[at..]).expect("digits, a point and a sign are ASCII"))
    }

    /// Appends the text to `out`.
    pub(crate) fn push(self, out: &mut String) {
        let mut buf = [0; 16];
        match self.digits(&mut buf) {
            Some(text) => out.push_str(text),
            None => {
                use fmt::Write as _;
                let _ = write!(out, "{:.1}", self.0);
            }
        }
    }
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 16];
        match self.digits(&mut buf) {
            Some(text) => f.write_str(text),
            None => write!(f, "{:.1}", self.0),
        }
    }
}

/// Writes `<polyline points="x,y x,y …"/>` into `svg`.
pub(super) fn polyline(svg: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    svg.push_str("<polyline points=\"");
    for (i, (x, y)) in points.enumerate() {
        if i > 0 {
            svg.push(' ');
        }
        Tenths(x).push(svg);
        svg.push(',');
        Tenths(y).push(svg);
    }
    svg.push_str("\"/>");
}

#[cfg(test)]
mod tests {
    use super::Tenths;
    use crate::lcg::values;

    fn check(v: f64) {
        let expected = format!("{v:.1}");
        assert_eq!(
            Tenths(v).to_string(),
            expected,
            "{v:e} ({:#x})",
            v.to_bits()
        );
        let mut pushed = String::from("<");
        Tenths(v).push(&mut pushed);
        assert_eq!(pushed[1..], expected, "{v:e} ({:#x})", v.to_bits());
    }

    #[test]
    fn writes_what_rust_writes() {
        // Edges: zeros, ties (exact and not), halves just either side, large and special values.
        for v in [
            0.0,
            -0.0,
            0.05,
            -0.05,
            0.25,
            -0.25,
            0.35,
            0.45,
            1.25,
            2.5,
            2.55,
            9.95,
            9.96,
            99.95,
            0.04,
            -0.04,
            0.0499999,
            123.45,
            1e8,
            99_999_999.95,
            1e9,
            1e10,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            check(v);
            check(v.next_up());
            check(v.next_down());
        }
        // Random values at every scale a chart meets, and random bit patterns.
        for bits in values(7, 200_000) {
            let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
            let scale = [1.0, 10.0, 480.0, 1e4, 1e6, 2e9][(bits % 6) as usize];
            let v = (unit - 0.3) * scale;
            check(v);
            // Tenths and twentieths: ties and near-ties, the hard cases.
            check((v * 20.0).round() / 20.0);
            check(f64::from_bits(bits));
        }
    }
}
