//! `kpi completions`, `kpi man` and the examples at the end of every `--help`.

use crate::support::{Project, inputs, metric};

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
    "send",
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

/// What the completion engine offers for the last of `words` (`kpi` first), asked as fish
/// asks (one candidate a line, a tab before its description), in `project`'s folder.
fn offered(project: &Project, words: &[&str]) -> Vec<String> {
    let args = [&["--"][..], words].concat();
    let run = project
        .run_with(&args, &[("COMPLETE", "fish")], None)
        .code(0);
    assert_eq!(run.stderr, "", "{words:?}");
    run.stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// The candidates of [`offered`] that are no flags.
fn values(project: &Project, words: &[&str]) -> Vec<String> {
    let mut values: Vec<String> = offered(project, words)
        .into_iter()
        .filter(|c| !c.starts_with('-'))
        .collect();
    values.sort();
    values
}

/// A project with two definitions of its own, written here: their ids are what `kpi
/// explain` and `kpi new` must offer.
fn two_metrics() -> Project {
    Project::new()
        .file("kpi.toml", "metrics = [\"team\"]\n")
        .file(
            "team/weekly_trials.toml",
            &metric("trials", &inputs(&["trials"])),
        )
        .file(
            "team/win_rate.toml",
            &metric("won / trials * 100", &inputs(&["won", "trials"])),
        )
}

#[test]
fn completion_scripts_call_kpi_back_in_every_shell() {
    let project = Project::new();
    let kpi = env!("CARGO_BIN_EXE_kpi");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = project.run(&["completions", shell]).code(0).stdout;
        // The shell calls this binary, by its path, with `COMPLETE=<shell>`.
        assert!(script.contains(kpi), "{shell}: {script}");
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
        assert!(script.contains(shell), "{shell}: {script}");
        // `COMPLETE=<shell> kpi` prints the same script (`source <(COMPLETE=bash kpi)`).
        let same = project.run_with(&[], &[("COMPLETE", shell)], None).code(0);
        assert_eq!(same.stdout, script, "{shell}");
    }
    let bash = project.run(&["completions", "bash"]).stdout;
    assert!(bash.contains(" -F _clap_complete_kpi kpi"), "{bash}");
    let zsh = project.run(&["completions", "zsh"]).stdout;
    assert!(
        zsh.starts_with("#compdef kpi") && zsh.contains("compdef _clap_dynamic_completer_kpi kpi"),
        "{zsh}"
    );
    let fish = project.run(&["completions", "fish"]).stdout;
    assert!(
        fish.starts_with(
            "complete --keep-order --exclusive --command kpi --arguments \"(COMPLETE=fish "
        ),
        "{fish}"
    );
    let run = project.run(&["completions", "tcsh"]).code(2);
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
    // A shell the engine does not know is a usage error that says what to do.
    let run = project
        .run_with(&["--", "kpi", ""], &[("COMPLETE", "tcsh")], None)
        .code(2);
    assert!(
        run.stderr
            .contains("`COMPLETE=tcsh` names no shell that kpi completes"),
        "{}",
        run.stderr
    );
}

#[test]
fn completion_offers_every_command_and_flag() {
    let project = Project::new();
    let mut commands = values(&project, &["kpi", ""]);
    commands.retain(|c| c != "help");
    let mut expected: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
    expected.sort();
    assert_eq!(commands, expected);
    let flags = offered(&project, &["kpi", "report", "--"]);
    for flag in [
        "--period",
        "--library",
        "--templates",
        "--locale",
        "--format",
        "--config",
    ] {
        assert!(flags.contains(&flag.to_string()), "{flag}: {flags:?}");
    }
    assert!(offered(&project, &["kpi", "diff", "--"]).contains(&"--base".to_string()));
}

#[test]
fn locale_and_format_complete_their_values_and_period_nothing() {
    let project = Project::new();
    for command in ["report", "eval"] {
        assert_eq!(
            values(&project, &["kpi", command, "--locale", ""]),
            ["en", "fr"]
        );
        assert_eq!(values(&project, &["kpi", command, "--locale", "f"]), ["fr"]);
        assert_eq!(
            offered(&project, &["kpi", command, "--locale="]),
            ["--locale=en", "--locale=fr"]
        );
        // A month is typed: no file names, no guess.
        assert_eq!(
            offered(&project, &["kpi", command, "--period", ""]),
            Vec::<String>::new()
        );
    }
    assert_eq!(
        values(&project, &["kpi", "report", "--format", ""]),
        ["email", "html", "md"]
    );
    assert_eq!(
        values(&project, &["kpi", "eval", "--format", ""]),
        ["csv", "json", "table"]
    );
    assert_eq!(
        values(&project, &["kpi", "list", "--format", ""]),
        ["json", "markdown", "table"]
    );
    assert_eq!(
        values(&project, &["kpi", "diff", "--format", ""]),
        ["json", "markdown"]
    );
    // The help still names the languages once, without a list clap would add.
    let help = project.run(&["report", "--help"]).code(0).stdout;
    assert!(!help.contains("possible values"), "{help}");
    // A wrong language is refused as before.
    let run = project.run(&["report", "--locale", "de"]).code(2);
    assert!(
        run.stderr.contains("reports are written in en or fr"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_and_new_complete_the_metric_ids_of_the_project() {
    let project = two_metrics();
    for command in ["explain", "new"] {
        assert_eq!(
            values(&project, &["kpi", command, ""]),
            ["weekly_trials", "win_rate"]
        );
        assert_eq!(values(&project, &["kpi", command, "wi"]), ["win_rate"]);
    }
    // Each id comes with its name.
    let run = project
        .run_with(
            &["--", "kpi", "explain", "we"],
            &[("COMPLETE", "fish")],
            None,
        )
        .code(0);
    assert_eq!(run.stdout, "weekly_trials\tSome metric\n");
    // The standard definitions a project uses are offered with its own.
    let project = project.file("kpi.toml", "metrics = [\"team\"]\nlibrary = [\"nps\"]\n");
    assert_eq!(
        values(&project, &["kpi", "explain", ""]),
        ["nps", "weekly_trials", "win_rate"]
    );
    // `--library` and `--metrics` on the line being typed choose the definitions.
    assert_eq!(
        values(
            &project,
            &[
                "kpi",
                "explain",
                "--metrics",
                "team",
                "--library",
                "churn_rate",
                "c"
            ]
        ),
        ["churn_rate"]
    );
}

#[test]
fn metric_ids_come_from_the_project_that_config_names() {
    let project = two_metrics().file("elsewhere/.keep", "");
    let config = project.join("kpi.toml").display().to_string();
    let elsewhere = Project::new();
    // No project in the current folder: nothing offered, nothing said.
    assert_eq!(
        values(&elsewhere, &["kpi", "explain", ""]),
        Vec::<String>::new()
    );
    assert_eq!(
        values(&elsewhere, &["kpi", "--config", &config, "explain", ""]),
        ["weekly_trials", "win_rate"]
    );
    assert_eq!(
        values(
            &elsewhere,
            &["kpi", &format!("--config={config}"), "explain", "w"]
        ),
        ["weekly_trials", "win_rate"]
    );
    // A broken project: no ids, no error under the prompt.
    let broken = Project::new().file("kpi.toml", "not toml [");
    assert_eq!(
        values(&broken, &["kpi", "explain", ""]),
        Vec::<String>::new()
    );
}

/// Runs `script` in bash, in `project`'s folder, with `kpi`'s completion loaded from `kpi
/// completions bash`; returns its output.
fn bash(project: &Project, script: &str) -> String {
    let registration = project.run(&["completions", "bash"]).code(0).stdout;
    let output = std::process::Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(format!("{registration}\n{script}"))
        .current_dir(project.join(""))
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_bash_script_completes_metric_ids_in_bash() {
    let project = two_metrics();
    // What bash does on <TAB>: set the words and call the function `complete -F` names.
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let script = format!(
            "COMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\nCOMP_TYPE=9\n\
             complete -p kpi >/dev/null || exit 3\n\
             _clap_complete_kpi kpi '{current}' '{previous}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words = quoted.join(" "),
            cword = words.len() - 1,
            current = words[words.len() - 1],
            previous = words[words.len() - 2],
        );
        let mut offered: Vec<String> = bash(&project, &script)
            .lines()
            .filter(|c| !c.is_empty() && !c.starts_with('-'))
            .map(str::to_string)
            .collect();
        offered.sort();
        offered
    };
    assert_eq!(complete("kpi explain "), ["weekly_trials", "win_rate"]);
    assert_eq!(complete("kpi new wi"), ["win_rate"]);
    assert_eq!(complete("kpi report --locale "), ["en", "fr"]);
    assert_eq!(complete("kpi report --format "), ["email", "html", "md"]);
    assert_eq!(complete("kpi exp"), ["explain"]);
}

#[test]
fn the_zsh_and_fish_scripts_complete_metric_ids_when_the_shells_are_installed() {
    let project = two_metrics();
    let installed = |shell: &str| {
        std::process::Command::new(shell)
            .arg("-c")
            .arg("exit 0")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    // The engine answers as each script asks (zsh: `_CLAP_COMPLETE_INDEX`, one a line).
    let run = project
        .run_with(
            &["--", "kpi", "explain", "w"],
            &[
                ("COMPLETE", "zsh"),
                ("_CLAP_COMPLETE_INDEX", "2"),
                ("_CLAP_IFS", "\n"),
            ],
            None,
        )
        .code(0);
    let mut ids: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["weekly_trials", "win_rate"], "{}", run.stdout);
    if installed("fish") {
        let registration = project.run(&["completions", "fish"]).code(0).stdout;
        let output = std::process::Command::new("fish")
            .arg("-c")
            .arg(format!("{registration}\ncomplete -C 'kpi explain w'"))
            .current_dir(project.join(""))
            .output()
            .expect("fish runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("weekly_trials") && text.contains("win_rate"),
            "{text}"
        );
    }
    if installed("zsh") {
        // zsh completes only at an interactive prompt: the script must at least load.
        let registration = project.run(&["completions", "zsh"]).code(0).stdout;
        let output = std::process::Command::new("zsh")
            .arg("-fc")
            .arg(format!(
                "autoload -U compinit && compinit -u\n{registration}\nprint -r -- ${{_comps[kpi]}}"
            ))
            .current_dir(project.join(""))
            .output()
            .expect("zsh runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("_clap_dynamic_completer_kpi"), "{text}");
    }
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
