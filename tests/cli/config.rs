//! `kpi.toml`: defaults for folders and data, replaced (not extended) by flags.

use crate::support::{Project, inputs, metric};

fn project() -> Project {
    Project::new()
        .file("std/x.toml", &(metric("a * 2", "") + &inputs(&["a"])))
        .file("team/x.toml", &metric("a * 3", ""))
        .file("data/2026.csv", "period,a\n2026-01,5\n")
        .file("other.csv", "period,a\n2026-01,7\n")
        .file(
            "kpi.toml",
            "metrics = [\"std\", \"team\"]\ndata = [\"data/2026.csv\"]\n",
        )
}

#[test]
fn runs_with_no_flag() {
    let json = project().run(&["eval", "--format", "json"]).code(0).json();
    // team/x.toml overrides std/x.toml: 5 * 3.
    assert_eq!(json["metrics"][0]["value"], 15.0);
}

#[test]
fn a_flag_replaces_the_file_value() {
    let json = project()
        .run(&[
            "eval",
            "--format",
            "json",
            "--metrics",
            "std",
            "--data",
            "other.csv",
        ])
        .code(0)
        .json();
    assert_eq!(json["metrics"][0]["value"], 14.0);
}

#[test]
fn paths_are_relative_to_the_config_file() {
    let p = project();
    let config = p.join("kpi.toml");
    let elsewhere = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["eval", "--format", "csv", "--config"])
        .arg(&config)
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8(output.stdout).unwrap().contains(",15,"));
}

#[test]
fn unknown_key_is_an_error() {
    let run = project()
        .file("kpi.toml", "metric = [\"std\"]\n")
        .run(&["eval"])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:1:1: unknown key `metric`\n  |\n1 | metric = [\"std\"]\n  | ^^^^^^\n  = help: did you mean `metrics`?\n"
    );
}
