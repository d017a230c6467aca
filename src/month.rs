//! The month a command works on: definitions, then the data for their inputs, each shown
//! with its warnings as it comes (so that a warning is seen even when a later step fails),
//! then the month picked.

use std::sync::Arc;

use kpi_core::data::rollup::Grain;
use kpi_core::diagnostic::MonthUse;
use kpi_core::input::InputDecl;
use kpi_core::{Catalog, Dataset, MetricIndex, MonthIndex, Period};

use crate::console::Console;
use crate::error::{CliError, Failure, Usage};
use crate::load;
use crate::settings::Month;

/// Definitions and data loaded for one month.
pub struct Loaded {
    /// The definitions.
    pub catalog: Catalog,
    /// The data.
    pub data: Dataset,
    /// The month asked for.
    pub period: Period,
    /// Its position in the data's months.
    pub t: MonthIndex,
}

/// Loads what `month` names and picks the month: `--period`, else the month reported by
/// default, the latest with a value computed from data (said on stderr).
pub fn load(month: &Month, console: &mut Console) -> Result<Loaded, CliError> {
    debug_assert!(
        month.longer.is_none(),
        "a quarter or a year is loaded by load_period"
    );
    let sources = month.sources.required()?;
    // The data is read for the inputs the definitions declare, so definitions come first.
    let catalog = console.shown(load::catalog(&month.definitions, false)?);
    let data = console.shown(load::data(sources, catalog.inputs())?);
    let chosen = load::month(&catalog, &data, month.period, MonthUse::Evaluate)?;
    console.show(chosen.note.as_slice());
    Ok(Loaded {
        catalog,
        data,
        period: chosen.period,
        t: chosen.t,
    })
}

/// Definitions and data for a quarter or a year: the data as read, and rolled up.
pub struct LoadedPeriod {
    /// The definitions.
    pub catalog: Catalog,
    /// The data, month by month.
    pub data: Dataset,
    /// The data rolled up into periods of the grain asked for.
    pub rolled: Dataset,
    /// The period asked for, `2026-Q3` or `2026`.
    pub label: String,
    /// Its position among the rolled-up periods.
    pub t: MonthIndex,
}

/// Loads what `month` names and rolls the data up into periods of `grain`, picking the one
/// ending in month `end`; a period of which the data holds no month is an error.
pub fn load_period(
    month: &Month,
    grain: Grain,
    end: Period,
    console: &mut Console,
) -> Result<LoadedPeriod, CliError> {
    let sources = month.sources.required()?;
    let catalog = console.shown(load::catalog(&month.definitions, false)?);
    let data = console.shown(load::data(sources, catalog.inputs())?);
    let (rolled, t) = roll_up(&data, catalog.inputs(), grain, end)?;
    Ok(LoadedPeriod {
        catalog,
        data,
        rolled,
        label: grain.label(end),
        t,
    })
}

/// `data` rolled up into periods of `grain` by the rules of `inputs`, and the position of
/// the period ending in month `end`, which the data must hold a month of.
pub fn roll_up(
    data: &Dataset,
    inputs: &[(String, Arc<InputDecl>)],
    grain: Grain,
    end: Period,
) -> Result<(Dataset, MonthIndex), CliError> {
    let rolled = data.rolled_up(inputs, grain);
    match rolled.month_index(end).filter(|&t| rolled.is_present(t)) {
        Some(t) => Ok((rolled, t)),
        None => Err(Failure::PeriodNotInData {
            label: grain.label(end),
            first: data.months()[0],
            last: *data.months().last().expect("data is never empty"),
        }
        .into()),
    }
}

/// The metric `id` names, or an error naming the closest id.
pub fn metric(catalog: &Catalog, id: &str) -> Result<MetricIndex, CliError> {
    catalog.metric_index(id).ok_or_else(|| {
        let ids = catalog.metrics().iter().map(|m| m.id.as_str());
        Usage::UnknownMetric {
            id: id.to_string(),
            closest: kpi_core::suggest::closest(id, ids),
        }
        .into()
    })
}
