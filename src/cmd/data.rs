//! `kpi data pull`: run every source and write the monthly table that evaluation sees, so
//! that the data behind a committed report can be committed beside it.

use kpi_core::Dataset;
use kpi_core::diagnostic::MonthUse;

use crate::console::Console;
use crate::error::CliError;
use crate::settings::Pull;
use crate::{load, month, write};

/// Runs `kpi data pull`.
pub fn pull(settings: Pull, console: &mut Console) -> Result<(), CliError> {
    // The data is read for the inputs the definitions declare, so definitions come first.
    let catalog = console.shown(load::catalog(&settings.definitions, false)?);
    let sources = settings.sources.required()?;
    let data = console.shown(load::data(sources, catalog.inputs())?);
    if let Some((grain, end)) = settings.longer {
        // The rolled-up table, through the period named, which the data must hold.
        let (rolled, t) = month::roll_up(&data, catalog.inputs(), grain, end)?;
        let through = rolled.through(t);
        return write_csv(&through, &settings, console);
    }
    write_csv(&data, &settings, console)?;
    // Every month is written; when later months hold only target series (a budget), say
    // which month the other commands report by default, as they would.
    let chosen = load::month(&catalog, &data, None, MonthUse::Pull)?;
    if chosen.passed_over {
        console.show(chosen.note.as_slice());
    }
    Ok(())
}

/// Writes `data`'s monthly table where `--output` says, streamed into a file or to stdout.
fn write_csv(data: &Dataset, settings: &Pull, console: &mut Console) -> Result<(), CliError> {
    write::stream_with(settings.output.as_deref(), console, |out| {
        data.write_csv(out)
    })
}
