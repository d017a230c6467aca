//! `kpi completions`, `kpi man` and the examples at the end of every `--help`.

use crate::support::Project;

/// Every subcommand, written out here rather than read from the binary, so that a command
/// missing from `--help` is caught too.
const COMMANDS: &[&str] = &[
    "init",
    "check",
    "list",
    "eval",
    "explain",
    "test",
    "diff",
    "new",
    "report",
    "data",
    "schema",
    "completions",
    "man",
];

/// The names listed under `Commands:` in `kpi --help`, `help` left out.
fn listed_commands(help: &str) -> Vec<String> {
    help.split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn help_lists_every_command_and_ends_with_examples() {
    let project = Project::new();
    let help = project.run(&["--help"]).code(0).stdout;
    let mut listed = listed_commands(&help);
    listed.sort();
    let mut expected: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    expected.sort();
    assert_eq!(listed, expected);
    let mut invocations: Vec<Vec<&str>> = vec![vec![]];
    invocations.extend(COMMANDS.iter().map(|c| vec![*c]));
    invocations.push(vec!["data", "pull"]);
    for mut args in invocations {
        args.push("--help");
        let run = project.run(&args).code(0);
        let (_, examples) = run
            .stdout
            .rsplit_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("`kpi {}` has no examples:\n{}", args.join(" "), run.stdout));
        // The section is last, and each line shows a `kpi` command line.
        let lines: Vec<&str> = examples.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(
            (1..=2).contains(&lines.len()) || args.len() == 1,
            "{examples}"
        );
        for line in lines {
            assert!(
                line.trim_start().starts_with("kpi "),
                "`{line}` in {args:?}"
            );
        }
    }
}

#[test]
fn completion_scripts_name_every_command() {
    let project = Project::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = project.run(&["completions", shell]).code(0).stdout;
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} misses `{command}`");
        }
        // Flags of subcommands are completed too.
        for flag in ["period", "base", "library", "templates"] {
            // fish spells a long flag `-l period`, the others `--period`.
            let spelt = match shell {
                "fish" => format!("-l {flag}"),
                _ => format!("--{flag}"),
            };
            assert!(script.contains(&spelt), "{shell} misses `{spelt}`");
        }
    }
    let bash = project.run(&["completions", "bash"]).stdout;
    assert!(bash.contains("complete -F _kpi"), "{bash}");
    let run = project.run(&["completions", "tcsh"]).code(2);
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
}

#[test]
fn completions_need_no_project() {
    // A broken kpi.toml is not read: completion is set up once, anywhere.
    let project = Project::new().file("kpi.toml", "not toml [");
    project.run(&["completions", "fish"]).code(0);
    project.run(&["man"]).code(0);
}

#[test]
fn man_page_is_roff_listing_every_command() {
    let project = Project::new();
    let page = project.run(&["man"]).code(0).stdout;
    assert!(page.contains(".TH kpi 1"), "{page}");
    let subcommands = page
        .split(".SH SUBCOMMANDS")
        .nth(1)
        .expect("a SUBCOMMANDS section");
    for command in COMMANDS {
        // roff escapes the hyphen: `kpi\-check(1)`.
        assert!(
            subcommands.contains(&format!("kpi\\-{command}(1)")),
            "`{command}` missing"
        );
    }
    assert!(page.contains("Examples:"));
}

#[test]
fn man_dir_writes_one_page_per_command() {
    let project = Project::new();
    let run = project.run(&["man", "--dir", "man1"]).code(0);
    assert!(run.stdout.is_empty());
    let mut expected: Vec<String> = COMMANDS.iter().map(|c| format!("kpi-{c}.1")).collect();
    expected.extend(["kpi.1".to_string(), "kpi-data-pull.1".to_string()]);
    for page in &expected {
        let text = std::fs::read_to_string(project.join(&format!("man1/{page}")))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
    let check = std::fs::read_to_string(project.join("man1/kpi-check.1")).unwrap();
    assert!(check.contains("\\-\\-metrics"), "{check}");
}
