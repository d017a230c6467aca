//! The metrics' years to date: each input rolled up from January by its `aggregate`, and
//! every metric evaluated on them, in the period reported and a year before.

use kpi_core::data::rollup::Grain;
use kpi_core::{Catalog, Dataset, MonthIndex, evaluate};

/// A metric's year to date in the month reported and the same month a year before.
#[derive(Debug, Clone, Copy)]
pub(super) struct YearToDate {
    pub(super) now: Option<f64>,
    pub(super) year_before: Option<f64>,
}

/// Each metric's year to date (inputs rolled up from January by their `aggregate`) in period
/// `t` and a year before, for a monthly report (a quarter's or a year's compares with the
/// same period a year earlier only): what a report of period `t` shows of it, taken from the
/// definitions and the data alone.
///
/// It takes an evaluation of its own (every metric in every month): taken before the month's
/// evaluation and handed to the report in its [`Options`](super::Options), that evaluation is freed before
/// the month's is made, rather than both being held at once, the peak of a large report.
#[derive(Debug, Clone)]
pub struct YearsToDate {
    pub(super) t: MonthIndex,
    pub(super) values: Option<Vec<YearToDate>>,
}

impl YearsToDate {
    /// The years to date of period `t` of `data`.
    pub fn of(catalog: &Catalog, data: &Dataset, t: MonthIndex) -> YearsToDate {
        let values = (data.grain() == Grain::Month).then(|| {
            let data = data.year_to_date(catalog.inputs());
            let ytd = evaluate(catalog, &data);
            let year_before = t.back(12);
            catalog
                .metric_indexes()
                .map(|m| YearToDate {
                    now: ytd.value(m, t),
                    year_before: year_before.and_then(|p| ytd.value(m, p)),
                })
                .collect()
        });
        YearsToDate { t, values }
    }
}
