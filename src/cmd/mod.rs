//! One module per subcommand; [`run`] dispatches, in one match: commands generated from the
//! command line alone, `init` (which writes a project and reads none), `new` (which reads
//! `kpi.toml` only without `--dir`), and the commands that open the project and resolve its
//! settings first.

mod check;
pub mod completions;
mod data;
mod diff;
mod eval;
mod explain;
mod init;
mod list;
mod man;
mod new;
mod report;
mod schema;
mod send;
mod test;

use std::path::Path;

use crate::cli::{Cli, Command, DataCommand};
use crate::console::Console;
use crate::error::{CliError, Usage};
use crate::project::Project;
use crate::settings;

/// Runs the subcommand, writing what it has to say to `console`.
pub fn run(cli: Cli, console: &mut Console) -> Result<(), CliError> {
    let config = cli.config.as_deref();
    match &cli.command {
        Command::Init(args) => match config {
            Some(_) => Err(Usage::InitWithConfig.into()),
            None => init::run(args, console),
        },
        Command::Completions(args) => completions::run(args, console),
        Command::Man(args) => man::run(args, console),
        // `--config` without a file picks the schema of `kpi.toml`.
        Command::Schema(args) => schema::run(config.is_some(), args.objective, console),
        Command::New(args) => {
            new::run(settings::New::resolve(config_file(config)?, args)?, console)
        }
        Command::Check(args) => check::run(settings::Check::resolve(&open(config)?, args), console),
        Command::List(args) => list::run(settings::List::resolve(&open(config)?, args), console),
        Command::Eval(args) => eval::run(settings::Eval::resolve(&open(config)?, args), console),
        Command::Explain(args) => {
            explain::run(settings::Explain::resolve(&open(config)?, args)?, console)
        }
        Command::Report(args) => {
            report::run(settings::Report::resolve(&open(config)?, args)?, console)
        }
        Command::Send(args) => send::run(settings::Send::resolve(&open(config)?, args)?, console),
        Command::Diff(args) => diff::run(settings::Diff::resolve(&open(config)?, args)?, console),
        Command::Test(args) => test::run(settings::Test::resolve(&open(config)?, args), console),
        Command::Data(DataCommand::Pull(args)) => {
            data::pull(settings::Pull::resolve(&open(config)?, args), console)
        }
    }
}

/// `--config FILE`; `--config` without a file is refused (only `kpi schema` takes it).
fn config_file(config: Option<&Path>) -> Result<Option<&Path>, CliError> {
    match config {
        Some(path) if path.as_os_str().is_empty() => Err(Usage::ConfigWithoutFile.into()),
        config => Ok(config),
    }
}

/// The project: `--config FILE`, else `./kpi.toml` when it exists.
fn open(config: Option<&Path>) -> Result<Project, CliError> {
    Project::open(config_file(config)?)
}
