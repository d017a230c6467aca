//! The months a row's trend and a KPI's chart cover, and the values over them.

use kpi_core::{Evaluation, MetricIndex, MonthIndex};

/// How many months the trend of a row covers, the month reported included.
pub const TREND_MONTHS: usize = 12;
/// How many months a KPI's detailed chart covers.
pub const CHART_MONTHS: usize = 24;

/// The values of metric `m` over the `len` months ending with month `t`, and the first of
/// those months.
pub(super) fn window(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    len: usize,
) -> (MonthIndex, Vec<Option<f64>>) {
    let start = t.back(len - 1).unwrap_or(MonthIndex::new(0));
    (start, start.through(t).map(|i| e.value(m, i)).collect())
}
