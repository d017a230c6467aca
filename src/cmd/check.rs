//! `kpi check`: load and validate every definition (and data, when given) and say so.

use kpi_core::Kind;

use crate::console::Console;
use crate::error::CliError;
use crate::load;
use crate::settings::{Check, Definitions};

/// Runs `kpi check`.
pub fn run(settings: Check, console: &mut Console) -> Result<(), CliError> {
    let catalog = console.shown(load::catalog(&settings.definitions, true)?);
    let kpis = catalog
        .metrics()
        .iter()
        .filter(|m| m.kind == Kind::Kpi)
        .count();
    let metrics = catalog.metrics().len() - kpis;
    let mut summary = format!(
        "ok: {kpis} KPI{}, {metrics} metric{} and {} input{} from {}",
        plural(kpis),
        plural(metrics),
        catalog.inputs().len(),
        plural(catalog.inputs().len()),
        from(&settings.definitions),
    );
    if !settings.sources.is_empty() {
        let sources = settings.sources.required()?;
        let data = console.shown(load::data(sources, catalog.inputs())?);
        console.show(
            data.missing_inputs()
                .map(std::slice::from_ref)
                .unwrap_or_default(),
        );
        let months = data.present().iter().filter(|&&p| p).count();
        summary.push_str(&format!("; data: {months} month{}", plural(months)));
    }
    console.say(&summary);
    Ok(())
}

/// Where the definitions came from: `the standard library and 2 directories`.
fn from(definitions: &Definitions) -> String {
    let dirs = definitions.dirs.len();
    let directories = format!("{dirs} director{}", if dirs == 1 { "y" } else { "ies" });
    match (definitions.library.is_some(), dirs) {
        (true, 0) => "the standard library".to_string(),
        (true, _) => format!("the standard library and {directories}"),
        (false, _) => directories,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
