//! The month a command works on: definitions, then the data for their inputs, each shown
//! with its warnings as it comes (so that a warning is seen even when a later step fails),
//! then the month picked.

use kpi_core::diagnostic::MonthUse;
use kpi_core::{Catalog, Dataset, MonthIndex, Period};

use crate::console::Console;
use crate::error::{CliError, Usage};
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
    if month.longer.is_some() {
        return Err(Usage::LongerPeriod.into());
    }
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
