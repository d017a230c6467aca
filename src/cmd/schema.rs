//! `kpi schema [--config | --objective]`: prints the JSON Schema of definition files, of
//! `kpi.toml` or of objective files, for editors (Taplo, Even Better TOML). `docs/*.schema.json` are this output.

use crate::console::Console;
use crate::error::CliError;

/// Runs `kpi schema`; `config`: the schema of `kpi.toml`, `objective`: of objective files,
/// rather than of definitions.
pub fn run(config: bool, objective: bool, console: &mut Console) -> Result<(), CliError> {
    console.print(&if objective {
        kpi_core::schema::objective()
    } else if config {
        kpi_core::schema::config()
    } else {
        kpi_core::schema::definition()
    })
}
