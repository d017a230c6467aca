//! One module per subcommand; [`run`] dispatches.

mod check;
mod completions;
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
mod test;

use crate::cli::{Cli, Command, DataCommand};
use crate::error::CliError;
use crate::project::Project;

/// Runs the subcommand.
pub fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Init(args) = &cli.command {
        if cli.config.is_some() {
            return Err(CliError::Usage(
                "`kpi init` writes a new `kpi.toml` and reads none: leave out `--config`".into(),
            ));
        }
        return init::run(args);
    }
    // Generated from the command line alone: no project is read.
    match &cli.command {
        Command::Completions(args) => return completions::run(args),
        Command::Man(args) => return man::run(args),
        Command::Schema(_) => return schema::run(cli.config.is_some()),
        _ => {}
    }
    if cli
        .config
        .as_ref()
        .is_some_and(|c| c.as_os_str().is_empty())
    {
        return Err(CliError::Usage(
            "`--config` needs a file: `--config kpi.toml`".into(),
        ));
    }
    if let Command::New(args) = &cli.command {
        // With `--dir`, a broken `kpi.toml` is no reason to refuse a new file.
        return new::run(cli.config.as_deref(), args);
    }
    let project = Project::open(cli.config.as_deref())?;
    match &cli.command {
        Command::Check(args) => check::run(&project, args),
        Command::List(args) => list::run(&project, args),
        Command::Eval(args) => eval::run(&project, args),
        Command::Explain(args) => explain::run(&project, args),
        Command::Report(args) => report::run(&project, args),
        Command::Diff(args) => diff::run(&project, args),
        Command::Test(args) => test::run(&project, args),
        Command::Data(DataCommand::Pull(args)) => data::pull(&project, args),
        Command::Init(_)
        | Command::New(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Schema(_) => unreachable!("handled above"),
    }
}
