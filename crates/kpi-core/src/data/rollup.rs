//! Months combined into longer periods — quarters, years, the year to date — by each input's
//! own rule, its `aggregate` (`sum`, `count`: the months added; `mean`, `min`, `max`; `first`,
//! `last`: the first or last month's), so that a metric over a longer period is its formula
//! evaluated once on the rolled-up inputs, never an average of monthly values.
//!
//! An input without `aggregate` is not rolled up: it has no value in a longer period, and the
//! reason says to declare how months combine. A month of the period without a value (or
//! outside the data) leaves the rolled-up input without one, named in the reason: a partial
//! quarter is never silently smaller.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::Dataset;

use crate::input::{Aggregate, InputDecl};
use crate::period::Period;

pub use crate::period::Grain;

/// Why a rolled-up input has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The input declares no `aggregate`: how its months combine is not said.
    NoAggregate,
    /// A month of the period has no value for it (the first such month).
    Month(Period),
}

impl Dataset {
    /// The data rolled up into consecutive periods of `grain`, from the one holding the first
    /// month to the one holding the last; each period is named by its last month, so that
    /// targets in force and pace are read there and `prev` reaches the period before.
    pub fn rolled_up(&self, inputs: &[(String, Arc<InputDecl>)], grain: Grain) -> Dataset {
        let first = grain.start_of(self.months[0]);
        let last = *self.months.last().expect("data is never empty");
        let mut periods = Vec::new();
        let mut start = first;
        while start <= last {
            let end = start
                .add_months(i64::from(grain.months()) - 1)
                .expect("within the calendar");
            periods.push((start, end));
            start = end.add_months(1).expect("within the calendar");
        }
        self.combined(inputs, &periods, grain.months())
    }

    /// The year to date of each month: January of its year to the month, rolled up; the
    /// months are this dataset's own.
    pub fn year_to_date(&self, inputs: &[(String, Arc<InputDecl>)]) -> Dataset {
        let periods: Vec<(Period, Period)> = self
            .months
            .iter()
            .map(|&m| (Period::new(m.year(), 1).expect("January"), m))
            .collect();
        self.combined(inputs, &periods, 1)
    }

    /// The periods up to and including `t`: a table through the period asked for.
    pub fn through(&self, t: crate::index::MonthIndex) -> Dataset {
        let n = t.get() + 1;
        let mut cut = self.clone();
        cut.months.truncate(n);
        cut.present.truncate(n);
        for column in cut.columns.values_mut() {
            column.truncate(n);
        }
        cut
    }

    /// Why input `name` has no value in period `t` of a rolled-up dataset, if that is why.
    pub fn gap(&self, name: &str, t: usize) -> Option<&Gap> {
        self.gaps.get(&(name.to_string(), t))
    }

    /// A dataset of one row per period `(first month, last month)`, named by its last month,
    /// `step` months apart.
    fn combined(
        &self,
        inputs: &[(String, Arc<InputDecl>)],
        periods: &[(Period, Period)],
        step: u32,
    ) -> Dataset {
        let mut columns = BTreeMap::new();
        let mut gaps = HashMap::new();
        let present: Vec<bool> = periods
            .iter()
            .map(|&(from, to)| months(from, to).any(|m| self.has_month(m)))
            .collect();
        for (name, decl) in inputs {
            let Some(column) = self.columns.get(name) else {
                continue;
            };
            let mut rolled = vec![f64::NAN; periods.len()];
            for (t, &(from, to)) in periods.iter().enumerate() {
                if !present[t] {
                    continue;
                }
                let Some(aggregate) = decl.aggregate else {
                    gaps.insert((name.clone(), t), Gap::NoAggregate);
                    continue;
                };
                let mut values = Vec::with_capacity(step.max(12) as usize);
                for month in months(from, to) {
                    let value = self
                        .month_index(month)
                        .filter(|&i| self.present[i.get()])
                        .map(|i| column[i.get()])
                        .filter(|v| !v.is_nan());
                    match value {
                        Some(v) => values.push(v),
                        None => {
                            gaps.insert((name.clone(), t), Gap::Month(month));
                            values.clear();
                            break;
                        }
                    }
                }
                if !values.is_empty() {
                    rolled[t] = combine(aggregate, &values);
                }
            }
            columns.insert(name.clone(), rolled);
        }
        Dataset {
            months: periods.iter().map(|&(_, to)| to).collect(),
            present,
            columns,
            error_cells: HashMap::new(),
            warnings: Vec::new(),
            missing: None,
            gaps,
            step,
        }
    }

    /// Whether some source holds `month`.
    fn has_month(&self, month: Period) -> bool {
        self.month_index(month)
            .is_some_and(|i| self.present[i.get()])
    }
}

/// The months from `from` to `to`, both included.
fn months(from: Period, to: Period) -> impl Iterator<Item = Period> {
    let n = to.months_since(from).max(-1) + 1;
    (0..n).filter_map(move |k| from.add_months(k))
}

/// Monthly values combined by an input's rule: a count of rows is the sum of the monthly
/// counts.
fn combine(aggregate: Aggregate, values: &[f64]) -> f64 {
    match aggregate {
        Aggregate::Sum | Aggregate::Count => values.iter().sum(),
        Aggregate::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Aggregate::Min => values.iter().copied().fold(f64::INFINITY, f64::min),
        Aggregate::Max => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Aggregate::First => values[0],
        Aggregate::Last => values[values.len() - 1],
    }
}
