//! Typed positions: which metric of a catalog, which month of a dataset.
//!
//! An evaluation is a grid of metrics by months, and both axes were plain `usize`, so
//! `value(t, m)` compiled as happily as `value(m, t)`. Each axis has its own type here; the
//! numbers inside are positions in [`crate::Catalog::metrics`] and [`crate::Dataset::months`].

/// The position of a metric in its catalog (sorted by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MetricIndex(usize);

impl MetricIndex {
    /// The metric at position `i` of the catalog.
    pub const fn new(i: usize) -> Self {
        Self(i)
    }

    /// The position, to index a slice of metrics.
    pub const fn get(self) -> usize {
        self.0
    }
}

/// The position of a month among the months of a dataset (consecutive, oldest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthIndex(usize);

impl MonthIndex {
    /// The month at position `i` of the dataset.
    pub const fn new(i: usize) -> Self {
        Self(i)
    }

    /// The position, to index a slice of months.
    pub const fn get(self) -> usize {
        self.0
    }

    /// The month `months` before this one, if the data reaches that far back.
    #[must_use]
    pub fn back(self, months: usize) -> Option<Self> {
        self.0.checked_sub(months).map(Self)
    }

    /// The months from `self` to `last`, both included, oldest first.
    pub fn through(self, last: Self) -> impl DoubleEndedIterator<Item = Self> {
        (self.0..=last.0).map(Self)
    }

    /// The first `n` months, oldest first.
    pub fn first(n: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator {
        (0..n).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_back_stop_at_the_first() {
        let t = MonthIndex::new(2);
        assert_eq!(t.back(2), Some(MonthIndex::new(0)));
        assert_eq!(t.back(3), None);
        let run: Vec<usize> = MonthIndex::new(1).through(t).map(MonthIndex::get).collect();
        assert_eq!(run, [1, 2]);
        assert_eq!(MonthIndex::first(2).next_back(), Some(MonthIndex::new(1)));
    }
}
