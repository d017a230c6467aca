//! `kpi man`: the man page, generated from the clap command (`clap_mangen`), printed as roff
//! or written as one page per command.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::console::Console;
use crate::error::{CliError, Failure};

/// Runs `kpi man`.
pub fn run(args: &ManArgs, console: &mut Console) -> Result<(), CliError> {
    let command = Cli::command();
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(Failure::Output)?;
            console.print(&String::from_utf8_lossy(&page))
        }
        Some(dir) => {
            write_pages(command, dir)?;
            console.say(&format!("wrote the man pages into {}", dir.display()));
            Ok(())
        }
    }
}

/// Writes `kpi.1` and `kpi-<command>.1` for every subcommand (`kpi-data-pull.1` too), as
/// `git` ships its pages.
fn write_pages(command: clap::Command, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::CreateFolder(dir.to_path_buf(), e))?;
    clap_mangen::generate_to(command, dir).map_err(|e| Failure::WriteInto(dir.to_path_buf(), e))?;
    Ok(())
}
