//! The `kpi` command: parse the arguments, run the subcommand, report errors, exit. Only this
//! file opens stdout and stderr; the command writes through the [`Console`] it is lent.

mod cli;
mod cmd;
mod console;
mod diag;
mod error;
mod git;
mod load;
mod month;
mod output;
mod project;
mod scaffold;
#[cfg(feature = "send")]
mod send;
mod settings;
mod terminal;
mod write;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::console::Console;
use crate::error::CliError;

/// The allocator: see the `mimalloc` feature in `Cargo.toml`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut console = Console::new(io::stdout(), io::stderr());
    // A shell asking for completions (`COMPLETE=bash kpi -- kpi explain ch`) gets them and
    // nothing else: the words are a command line being typed, not one to run.
    if let Some(answer) = cmd::completions::answer(std::env::args_os().collect()) {
        return match answer.and_then(|text| console.print(&text)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => report(error, &mut console),
        };
    }
    let cli = cli::Cli::parse();
    match cmd::run(cli, &mut console) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(error, &mut console),
    }
}

/// Says why the command failed on stderr, and gives the exit code: 2 for a wrong command
/// line, 1 for anything else.
fn report(error: CliError, console: &mut Console) -> ExitCode {
    match error {
        CliError::Invalid(diagnostics) => {
            console.show(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            if errors > 1 {
                console.say(&format!("error: {errors} problems found"));
            }
            ExitCode::from(1)
        }
        CliError::Failed(failure) => {
            console.say(&format!("error: {failure}"));
            ExitCode::from(1)
        }
        CliError::Reported => ExitCode::from(1),
        CliError::Usage(usage) => {
            console.say(&format!("error: {usage}"));
            ExitCode::from(2)
        }
    }
}
