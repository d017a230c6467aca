//! `kpi man`: the man page, generated from the clap command (`clap_mangen`), printed as roff
//! or written as one page per command.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::error::CliError;

/// Runs `kpi man`.
pub fn run(args: &ManArgs) -> Result<(), CliError> {
    let command = Cli::command();
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(crate::error::write_failed)?;
            crate::output::print(&String::from_utf8_lossy(&page))
        }
        Some(dir) => write_pages(command, dir),
    }
}

/// Writes `kpi.1` and `kpi-<command>.1` for every subcommand (`kpi-data-pull.1` too), as
/// `git` ships its pages.
fn write_pages(command: clap::Command, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Failed(format!("cannot create `{}`: {e}", dir.display())))?;
    clap_mangen::generate_to(command, dir)
        .map_err(|e| CliError::Failed(format!("cannot write into `{}`: {e}", dir.display())))?;
    crate::output::stderr(&format!("wrote the man pages into {}", dir.display()));
    Ok(())
}
