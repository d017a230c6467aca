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

#[test]
fn sources_are_added_to_data_and_data_flags_replace_both() {
    let project = project()
        .file("extra.csv", "Date,b\n2026-01-03,1\n2026-01-04,2\n")
        .file(
            "std/y.toml",
            &(metric("b", "[inputs.b]\nunit = \"count\"\naggregate = \"sum\"\n")),
        )
        .file(
            "kpi.toml",
            "metrics = [\"std\", \"team\"]\ndata = [\"data/2026.csv\"]\n\n[[sources]]\ncsv = \"extra.csv\"\n",
        );
    let json = project.run(&["eval", "--format", "json"]).code(0).json();
    // x = 5 * 3 from data/2026.csv, y = 1 + 2 from extra.csv.
    assert_eq!(json["metrics"][0]["value"], 15.0);
    assert_eq!(json["metrics"][1]["value"], 3.0);
    let json = project
        .run(&["eval", "--format", "json", "--data", "other.csv"])
        .code(0)
        .json();
    assert_eq!(json["metrics"][0]["value"], 21.0);
    assert_eq!(json["metrics"][1]["reason"], "no data column for input `b`");
}

#[test]
fn every_mistake_in_sources_is_located() {
    let project = project().file(
        "kpi.toml",
        "metrics = [\"std\", \"team\"]\n\
         [[sources]]\npostgres = \"postgresql://kpi:s3cret@db.example/kpi\"\nquery = \"select 1\"\n\
         [[sources]]\ncsv = \"x.csv\"\nquery = \"q\"\n\
         [[sources]]\nsqlite = \"w.db\"\n\
         [[sources]]\ncsv = \"a.csv\"\nsqlite = \"b.db\"\n\
         [[sources]]\nperiod = \"Date\"\n\
         [[sources]]\ncsv = \"a.csv\"\nname = \"series\"\n\
         [[sources]]\npostgres = \"KPI_URL\"\nquery = \"select 1\"\ntimeout = 0\n",
    );
    let run = project.run(&["eval"]).code(1);
    // The URL and its password are never printed, not even as the line of the error.
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    assert!(!run.stderr.contains("db.example"), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
    let project = project.file(
        "kpi.toml",
        "[[sources]]\ncsv = \"a.csv\"\ndate_order = \"ymd\"\n",
    );
    let run = project.run(&["eval"]).code(1);
    assert!(
        run.stderr
            .starts_with("error: kpi.toml:3:14: unknown value `ymd` for `date_order`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unset_variable_is_named() {
    let project = project().file(
        "kpi.toml",
        "metrics = [\"std\"]\n[[sources]]\npostgres = \"KPI_TEST_UNSET_VARIABLE\"\nquery = \"select 1\"\n",
    );
    let run = project.run(&["eval"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:3:12: environment variable `KPI_TEST_UNSET_VARIABLE` is not set\n  = help: set it to the connection URL: `export KPI_TEST_UNSET_VARIABLE=postgresql://user@host/database`\n"
    );
}

/// Issue 23, item 8: `data = ["data"]` naming a folder said "cannot read `data`: Is a
/// directory (os error 21)" with no `kpi.toml` line; it is located at its entry and worded.
#[test]
fn data_naming_a_folder_is_located_at_its_kpi_toml_entry() {
    let run = Project::new()
        .file("metrics.d/churn.toml", &crate::support::churn_kpi())
        .file(
            "data/monthly.csv",
            "period,customers_lost,customers_start\n2026-10,3,100\n",
        )
        .file("kpi.toml", "metrics = [\"metrics.d\"]\ndata = [\"data\"]\n")
        .run(&["eval"])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:2:9: `data` is a folder, not a data file\n  |\n2 | data = [\"data\"]\n  |         ^^^^^^\n  = help: name each CSV file it holds, such as `data/monthly.csv`\n"
    );
}

/// `--config` naming a folder said "config file `x` does not exist"; it is named as a folder,
/// with the file meant.
#[test]
fn a_config_that_is_a_folder_is_named_as_one() {
    let project = project().file("acme/kpi.toml", "");
    let run = project.run(&["check", "--config", "acme"]).code(2);
    assert_eq!(
        run.stderr,
        "error: config file `acme` is a folder: give the `kpi.toml` in it, `--config acme/kpi.toml`\n"
    );
    let run = project.run(&["check", "--config", "nowhere.toml"]).code(2);
    assert_eq!(
        run.stderr,
        "error: config file `nowhere.toml` does not exist\n"
    );
}
