//! The `kpi` command: parse the arguments, run the subcommand, report errors, exit.

mod cli;
mod cmd;
mod diag;
mod error;
mod git;
mod output;
mod project;
mod scaffold;
mod write;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(),
    }
}
