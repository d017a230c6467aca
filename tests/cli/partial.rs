//! Files without `formula`: they change only the keys they give of the definition of the same
//! id in an earlier layer (the standard library or an earlier folder). Values and statuses
//! follow the changed target, `kpi check` notes each change, problems are located in the file
//! that gave the key, and a file that changes nothing earlier is an error.

use crate::support::{Project, churn_kpi};

/// Churn (`customers_lost / customers_start * 100`) of 2.5 %, 3.5 % and 5 %.
const DATA: &str = "\
period,customers_start,customers_lost
2026-01,200,5
2026-02,200,7
2026-03,200,10
";

fn statuses(project: &Project, args: &[&str]) -> Vec<(f64, f64, String)> {
    ["2026-01", "2026-02", "2026-03"]
        .iter()
        .map(|period| {
            let mut all = vec!["eval", "--format", "json", "--period", period];
            all.extend_from_slice(args);
            let json = project.run(&all).code(0).json();
            let churn = json["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == "churn_rate")
                .unwrap()
                .clone();
            (
                churn["value"].as_f64().unwrap(),
                churn["target"].as_f64().unwrap(),
                churn["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_target_changed_for_the_team() {
    let project = Project::new()
        .file(
            "kpi.toml",
            "library = [\"churn_rate\"]\nmetrics = [\"team\"]\ndata = [\"data.csv\"]\n",
        )
        .file("data.csv", DATA);
    // The standard target: 2 %, warning 5 % (lower is better).
    let standard = Project::new().file("data.csv", DATA);
    let by_default = statuses(
        &standard,
        &["--library", "churn_rate", "--data", "data.csv"],
    );
    let status =
        |rows: &[(f64, f64, String)]| -> Vec<String> { rows.iter().map(|r| r.2.clone()).collect() };
    assert_eq!(status(&by_default), ["at_risk", "at_risk", "at_risk"]);

    // The team's: 3 %, warning 4 %.
    let project = project.file("team/churn_rate.toml", "[target]\nvalue = 3\nwarning = 4\n");
    let tuned = statuses(&project, &[]);
    let values: Vec<f64> = tuned.iter().map(|r| r.0).collect();
    assert_eq!(
        values,
        [
            5.0 / 200.0 * 100.0,
            7.0 / 200.0 * 100.0,
            10.0 / 200.0 * 100.0
        ]
    );
    assert!(tuned.iter().all(|r| r.1 == 3.0), "{tuned:?}");
    // 2.5 ≤ 3; 3 < 3.5 ≤ 4; 5 > 4.
    assert_eq!(status(&tuned), ["on_target", "at_risk", "off_target"]);

    let run = project.run(&["check"]).code(0);
    assert_eq!(
        run.stderr,
        "note: team/churn_rate.toml:1:1: changes `target` of `churn_rate` (defined in `library:churn_rate.toml`)\n\
         ok: 1 KPI, 0 metrics and 2 inputs from the standard library and 1 directory; data: 3 months\n"
    );
    // Everything else is the standard definition's.
    let listed = project.run(&["list", "--format", "json"]).code(0).json();
    assert_eq!(
        listed,
        serde_json::json!([{
            "id": "churn_rate",
            "name": "Customer churn rate",
            "kind": "kpi",
            "category": "customer",
            "unit": "percent",
            "formula": "customers_lost / customers_start * 100",
            "direction": "lower_is_better",
            "target": {"value": 3.0, "warning": 4.0},
            "source": "library:churn_rate.toml",
            "changed_by": ["team/churn_rate.toml"]
        }])
    );
}

#[test]
fn a_table_is_replaced_whole_and_layers_stack() {
    // Folders only, no library: `std` defines, `team` changes the target (without warning,
    // so none is left), `local` changes the name; the target stays the team's.
    let project = Project::new()
        .file("std/churn_rate.toml", &churn_kpi())
        .file("team/churn_rate.toml", "[target]\nvalue = 3\n")
        .file("local/churn_rate.toml", "name = \"Churn\"\n")
        .file("data.csv", DATA);
    let args = [
        "--metrics",
        "std",
        "--metrics",
        "team",
        "--metrics",
        "local",
    ];
    let mut list = vec!["list", "--format", "json"];
    list.extend_from_slice(&args);
    let listed = project.run(&list).code(0).json();
    assert_eq!(listed[0]["name"], "Churn");
    assert_eq!(listed[0]["target"], serde_json::json!({"value": 3.0}));
    assert_eq!(
        listed[0]["changed_by"],
        serde_json::json!(["team/churn_rate.toml", "local/churn_rate.toml"])
    );
    let mut data = args.to_vec();
    data.extend_from_slice(&["--data", "data.csv"]);
    let rows = statuses(&project, &data);
    // No warning level: past the target is off target.
    assert_eq!(
        rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
        ["on_target", "off_target", "off_target"]
    );
    let mut check = vec!["check"];
    check.extend_from_slice(&args);
    let run = project.run(&check).code(0);
    assert_eq!(
        run.stderr,
        "note: local/churn_rate.toml:1:1: changes `name` of `churn_rate` (defined in `std/churn_rate.toml`)\n\
         note: team/churn_rate.toml:1:1: changes `target` of `churn_rate` (defined in `std/churn_rate.toml`)\n\
         ok: 1 KPI, 0 metrics and 2 inputs from 3 directories\n"
    );
}

#[test]
fn a_file_with_a_formula_still_replaces_the_definition_whole() {
    let project = Project::new()
        .file(
            "team/churn_rate.toml",
            &churn_kpi().replace("Some KPI", "Ours"),
        )
        .file("data.csv", DATA);
    let run = project
        .run(&["check", "--library", "all", "--metrics", "team"])
        .code(0);
    assert!(
        run.stderr.starts_with(
            "note: team/churn_rate.toml:1:1: `churn_rate` overrides the definition in `library:churn_rate.toml`\n"
        ),
        "{}",
        run.stderr
    );
    let rows = statuses(
        &project,
        &[
            "--library",
            "churn_rate",
            "--metrics",
            "team",
            "--data",
            "data.csv",
        ],
    );
    // The support's churn KPI: target 5, warning 7.
    assert_eq!(
        rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
        ["on_target", "on_target", "on_target"]
    );
}

#[test]
fn a_file_without_formula_that_changes_nothing_earlier() {
    // A misspelt id: the nearest id defined earlier is suggested.
    let project = Project::new().file("team/churn_rat.toml", "[target]\nvalue = 3\n");
    let run = project
        .run(&["check", "--library", "all", "--metrics", "team"])
        .code(1);
    insta::assert_snapshot!("changes_nothing_earlier", run.stderr);
    // A standard id the project does not select.
    let project = Project::new()
        .file("kpi.toml", "library = [\"nps\"]\nmetrics = [\"team\"]\n")
        .file("team/churn_rate.toml", "[target]\nvalue = 3\n");
    let run = project.run(&["check"]).code(1);
    insta::assert_snapshot!("changes_a_standard_id_not_selected", run.stderr);
    // No library, no earlier folder: a new metric needs a formula.
    let project = Project::new().file("metrics.d/signups.toml", "name = \"Sign-ups\"\n");
    let run = project.run(&["check"]).code(1);
    insta::assert_snapshot!("changes_nothing_without_library", run.stderr);
}

#[test]
fn problems_are_located_in_the_file_that_gives_the_key() {
    let project = Project::new()
        .file(
            "team/churn_rate.toml",
            "description = \"Ours.\"\n\n[target]\nvalue = 3\nwarning = 1\nwarn = 2\n",
        )
        .file("team/arpu.toml", "kind = \"kpi\"\n")
        .file("team/nps.toml", "direction = \"lower_is_better\"\n");
    let run = project
        .run(&["check", "--library", "all", "--metrics", "team"])
        .code(1);
    insta::assert_snapshot!("partial_errors_located", run.stderr);
    let project = project.file("team/churn_rate.toml", "[target]\nvalue = 3\nwarning = 1\n");
    let run = project
        .run(&["check", "--library", "all", "--metrics", "team"])
        .code(1);
    insta::assert_snapshot!("partial_meaning_errors_located", run.stderr);
}

#[test]
fn an_empty_file_changes_nothing_with_a_warning() {
    let project = Project::new().file("team/churn_rate.toml", "# to do\n");
    let run = project
        .run(&["check", "--library", "churn_rate", "--metrics", "team"])
        .code(0);
    assert_eq!(
        run.stderr,
        "warning: team/churn_rate.toml:1:1: changes no key of `churn_rate` (defined in `library:churn_rate.toml`)\n\
         \x20 = help: give the keys to change, such as `[target]` with `value` and `warning`, or remove the file\n\
         ok: 1 KPI, 0 metrics and 2 inputs from the standard library and 1 directory\n"
    );
}
