//! `kpi schema [--config]`: prints the JSON Schema of definition files, or of `kpi.toml`,
//! for editors (Taplo, Even Better TOML). `docs/*.schema.json` are this output.

use crate::console::Console;
use crate::error::CliError;

/// Runs `kpi schema`; `config`: the schema of `kpi.toml` rather than of definitions.
pub fn run(config: bool, console: &mut Console) -> Result<(), CliError> {
    console.print(&if config {
        kpi_core::schema::config()
    } else {
        kpi_core::schema::definition()
    })
}
