//! Shell completion, through clap_complete's engine: `kpi completions SHELL` prints a short
//! script that the shell sources; on each <TAB> it calls `kpi` back with `COMPLETE=<shell>`
//! and the words typed so far, and [`answer`] completes them from the clap command itself
//! (so no subcommand, flag or value can be missed) and, for `kpi explain` and `kpi new`,
//! with the metric ids of the project: the one `--config` names on the line being typed,
//! else the current folder's.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Shells, Zsh};
use kpi_core::library::Selection;

use crate::cli::{Cli, CompletionsArgs, ListArgs, ListFormat, MetricsArgs};
use crate::console::Console;
use crate::error::{CliError, Failure, Usage};
use crate::load;
use crate::project::Project;
use crate::settings;

/// The environment variable through which a shell asks for completions.
const VAR: &str = "COMPLETE";

/// Runs `kpi completions`: the script that registers the completion of `kpi` in `shell`.
pub fn run(args: &CompletionsArgs, console: &mut Console) -> Result<(), CliError> {
    console.print(&registration(adapter(args.shell))?)
}

/// The answer to a shell that asks, when `COMPLETE` names one (`COMPLETE=bash kpi -- kpi
/// explain ch`): the completions of the last of `args`' words after `--`, or the script
/// when no word is given (`source <(COMPLETE=bash kpi)`). `None` when nothing asks: the
/// command line is then one to run.
pub fn answer(args: Vec<OsString>) -> Option<Result<String, CliError>> {
    let shell = std::env::var(VAR)
        .ok()
        .filter(|s| !s.is_empty() && s != "0")?;
    let shells = Shells::builtins();
    let Some(adapter) = shells.completer(&shell) else {
        return Some(Err(Usage::UnknownShell(shell).into()));
    };
    let words: Vec<OsString> = match args.iter().position(|a| a == "--") {
        Some(escape) => args[escape + 1..].to_vec(),
        None => Vec::new(),
    };
    if words.is_empty() {
        return Some(registration(adapter));
    }
    let mut command = command(scope(&words));
    let current_dir = std::env::current_dir().ok();
    let mut buf = Vec::new();
    let written = adapter.write_complete(&mut command, words, current_dir.as_deref(), &mut buf);
    Some(
        written
            .map(|()| String::from_utf8_lossy(&buf).into_owned())
            .map_err(|e| CliError::Failed(Failure::Output(e))),
    )
}

/// The completion adapter of `shell`.
fn adapter(shell: Shell) -> &'static dyn EnvCompleter {
    match shell {
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        _ => &Bash,
    }
}

/// The script that makes `adapter`'s shell call this binary, by its full path (so that it
/// works whatever `PATH` the shell has), to complete `kpi`.
fn registration(adapter: &dyn EnvCompleter) -> Result<String, CliError> {
    let completer = std::env::current_exe()
        .map(|path| path.display().to_string())
        .unwrap_or_else(|_| "kpi".to_string());
    let mut script = Vec::new();
    adapter
        .write_registration(VAR, "kpi", "kpi", &completer, &mut script)
        .map_err(|e| CliError::Failed(Failure::Output(e)))?;
    Ok(String::from_utf8_lossy(&script).into_owned())
}

/// Where definitions come from, as the words typed so far say (`--config`, `--library`,
/// `--metrics`), the word being completed left out.
#[derive(Debug, Clone, Default, PartialEq)]
struct Scope {
    config: Option<PathBuf>,
    library: Option<Selection>,
    metrics: Vec<PathBuf>,
}

/// The [`Scope`] of `words` (the program's name first, the word being completed last).
fn scope(words: &[OsString]) -> Scope {
    let typed: Vec<String> = words
        .iter()
        .take(words.len().saturating_sub(1))
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    let mut scope = Scope::default();
    let mut i = 0;
    while i < typed.len() {
        let (flag, inline) = match typed[i].split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (typed[i].as_str(), None),
        };
        let step = if inline.is_some() { 1 } else { 2 };
        match (flag, inline.or_else(|| typed.get(i + 1).cloned())) {
            ("--config", Some(v)) => scope.config = Some(PathBuf::from(v)),
            ("--metrics", Some(v)) => scope.metrics.push(PathBuf::from(v)),
            ("--library", Some(v)) => scope.library = v.parse().ok(),
            _ => {
                i += 1;
                continue;
            }
        }
        i += step;
    }
    scope
}

/// The command line with metric ids for `kpi explain ID` and `kpi new ID`, read from the
/// project of `scope` when asked.
fn command(scope: Scope) -> clap::Command {
    let ids = ArgValueCandidates::new(move || metric_ids(&scope));
    Cli::command()
        .mut_subcommand("explain", |c| c.mut_arg("id", |a| a.add(ids.clone())))
        .mut_subcommand("new", |c| c.mut_arg("id", |a| a.add(ids)))
}

/// The ids of the definitions in force in `scope`, each with its name; none when the
/// project cannot be read (completion says nothing rather than an error under the prompt).
fn metric_ids(scope: &Scope) -> Vec<CompletionCandidate> {
    let Ok(project) = Project::open(scope.config.as_deref()) else {
        return Vec::new();
    };
    let args = ListArgs {
        metrics: MetricsArgs {
            library: scope.library.clone(),
            metrics: scope.metrics.clone(),
        },
        objectives: false,
        format: ListFormat::Table,
    };
    let definitions = settings::List::resolve(&project, &args).definitions;
    let Ok(catalog) = load::catalog(&definitions, false) else {
        return Vec::new();
    };
    catalog
        .value
        .metrics()
        .iter()
        .map(|m| CompletionCandidate::new(&m.id).help(Some(m.name.clone().into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_scope_is_read_from_the_words_typed() {
        assert_eq!(scope(&words("kpi explain ")), Scope::default());
        let s = scope(&words(
            "kpi --config a/kpi.toml explain --metrics=m --metrics n ch",
        ));
        assert_eq!(s.config, Some(PathBuf::from("a/kpi.toml")));
        assert_eq!(s.metrics, [PathBuf::from("m"), PathBuf::from("n")]);
        // The word being completed is not a value yet.
        assert_eq!(scope(&words("kpi explain --config")).config, None);
    }
}
