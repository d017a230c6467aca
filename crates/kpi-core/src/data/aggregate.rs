//! How the rows of one month combine into the month's value of an input.

use crate::input::Aggregate;

/// The running state of one input in one month of one table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accumulator {
    /// Non-empty values seen.
    pub count: u32,
    sum: f64,
    /// The rounding error of `sum` so far (Neumaier's compensated summation), so that a
    /// month of amounts in cents adds up to the total a reader expects.
    compensation: f64,
    min: f64,
    max: f64,
    first: ((i64, u32), f64),
    last: ((i64, u32), f64),
    /// The first value seen, in table order, and the cell it came from.
    pub first_at: (u32, u32),
    pub second_at: (u32, u32),
}

impl Default for Accumulator {
    fn default() -> Self {
        Self {
            count: 0,
            sum: 0.0,
            compensation: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            first: ((i64::MAX, u32::MAX), f64::NAN),
            last: ((i64::MIN, 0), f64::NAN),
            first_at: (0, 0),
            second_at: (0, 0),
        }
    }
}

impl Accumulator {
    /// Adds a value from a row stamped `key`, in table order.
    #[inline]
    pub(crate) fn add(&mut self, value: f64, key: (i64, u32), at: (u32, u32)) {
        match self.count {
            0 => self.first_at = at,
            1 => self.second_at = at,
            _ => {}
        }
        self.count += 1;
        let total = self.sum + value;
        self.compensation += if self.sum.abs() >= value.abs() {
            (self.sum - total) + value
        } else {
            (value - total) + self.sum
        };
        self.sum = total;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        // Strictly earlier replaces the first; as late or later replaces the last, so that
        // ties go to file order both ways.
        if key < self.first.0 {
            self.first = (key, value);
        }
        if key >= self.last.0 {
            self.last = (key, value);
        }
    }

    /// The month's value; NaN when no value was added. `monthly` says the table already
    /// holds one row per month, whose `count` cell (a number) is the count itself.
    pub(crate) fn value(&self, aggregate: Option<Aggregate>, monthly: bool) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let sum = self.sum + self.compensation;
        let v = match aggregate {
            None | Some(Aggregate::Sum) => sum,
            Some(Aggregate::Mean) => sum / f64::from(self.count),
            Some(Aggregate::Min) => self.min,
            Some(Aggregate::Max) => self.max,
            Some(Aggregate::First) => self.first.1,
            Some(Aggregate::Last) => self.last.1,
            // A monthly table's count cell is the count; a cell that is no number (an id) is
            // a row to count.
            Some(Aggregate::Count) if monthly && sum.is_finite() => sum,
            Some(Aggregate::Count) => f64::from(self.count),
        };
        if v.is_finite() { v } else { f64::NAN }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_by_date_not_by_order() {
        let mut acc = Accumulator::default();
        for (i, (value, day)) in [(5.0, 3), (1.0, 1), (9.0, 9), (4.0, 9), (2.0, 1)]
            .into_iter()
            .enumerate()
        {
            acc.add(value, (day, 0), (i as u32, 1));
        }
        let v = |a| acc.value(Some(a), false);
        assert_eq!(v(Aggregate::Sum), 21.0);
        assert_eq!(v(Aggregate::Mean), 4.2);
        assert_eq!(v(Aggregate::Min), 1.0);
        assert_eq!(v(Aggregate::Max), 9.0);
        // Day 1 holds 1.0 then 2.0: the first is the earlier in the file.
        assert_eq!(v(Aggregate::First), 1.0);
        // Day 9 holds 9.0 then 4.0: the last is the later in the file.
        assert_eq!(v(Aggregate::Last), 4.0);
        assert_eq!(v(Aggregate::Count), 5.0);
        assert!(
            Accumulator::default()
                .value(Some(Aggregate::Count), false)
                .is_nan()
        );
    }

    #[test]
    fn sums_are_compensated() {
        // 0.1 ten times: a plain running sum gives 0.9999999999999999.
        let mut acc = Accumulator::default();
        for i in 0..10 {
            acc.add(0.1, (i, 0), (i as u32, 1));
        }
        assert_eq!(acc.value(Some(Aggregate::Sum), false), 1.0);
        assert_eq!(acc.value(Some(Aggregate::Mean), false), 0.1);
        // A large value does not swallow the small ones.
        let mut acc = Accumulator::default();
        for (i, v) in [1e16, 1.0, -1e16, 1.0].into_iter().enumerate() {
            acc.add(v, (0, 0), (i as u32, 1));
        }
        assert_eq!(acc.value(Some(Aggregate::Sum), false), 2.0);
    }
}
