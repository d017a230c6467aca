//! `kpi completions SHELL`: prints a completion script generated from the clap command, so
//! that it cannot miss a subcommand or a flag.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::console::Console;
use crate::error::CliError;

/// Runs `kpi completions`.
pub fn run(args: &CompletionsArgs, console: &mut Console) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kpi", &mut script);
    console.print(&String::from_utf8_lossy(&script))
}
