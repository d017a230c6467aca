//! `kpi diff`: definitions at a git revision against the working tree, over the same data, in
//! a scratch git repository. Every value below is worked out by hand from `data.csv`.

use std::process::Command;

use crate::support::{Project, Run, inputs, kpi, metric};

const DATA: &str = "period,trial_signups,a,b\n2026-07,18,1,4\n2026-08,20,3,4\n";

fn git(project: &Project, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(project.join(""))
        .output()
        .expect("git runs");
    assert!(status.status.success(), "{status:?}");
}

/// `kpi diff --base BASE --metrics m --data data.csv` and `extra` in the project.
fn diff(project: &Project, base: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "diff",
        "--base",
        base,
        "--metrics",
        "m",
        "--data",
        "data.csv",
    ];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// A repository with one commit, then working-tree changes: a target that flips a status,
/// a formula change with a dependent metric, an added and a removed metric.
fn repository() -> Project {
    let trials = |target: f64| {
        kpi("trial_signups", "higher_is_better", target, 15.0, "")
            .replace("unit = \"percent\"", "unit = \"count\"")
            + &inputs(&["trial_signups", "a", "b"])
    };
    let project = Project::new()
        .file("data.csv", DATA)
        .file("m/trials.toml", &trials(21.0))
        .file("m/ratio.toml", &metric("a / b", ""))
        .file("m/pct.toml", &metric("ratio * 2", ""))
        .file("m/old.toml", &metric("b", ""))
        .file("m/same.toml", &metric("a", ""));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("m/trials.toml"), trials(20.0)).unwrap();
    std::fs::write(project.join("m/ratio.toml"), metric("a / b * 100", "")).unwrap();
    std::fs::remove_file(project.join("m/old.toml")).unwrap();
    std::fs::write(project.join("m/new.toml"), metric("a + b", "")).unwrap();
    project
}

#[test]
fn json_lists_what_changed_sorted_by_id() {
    let project = repository();
    let run = diff(&project, "HEAD", &["--format", "json"]).code(0);
    assert_eq!(
        run.stderr,
        "note: comparing 2026-08, the latest month in the data\n"
    );
    let side = |value: f64, status: &str, target: Option<f64>| serde_json::json!({"value": value, "status": status, "target": target});
    // 2026-08: trials 20, a 3, b 4.
    let expected = serde_json::json!({
        "period": "2026-08",
        "base": "HEAD",
        "changes": [
            {"id": "new", "change": "added", "fields": [],
             "before": null, "after": side(7.0, "no_target", None)},
            {"id": "old", "change": "removed", "fields": [],
             "before": side(4.0, "no_target", None), "after": null},
            // ratio * 2: 0.75 * 2 before, 75 * 2 after.
            {"id": "pct", "change": "affected", "fields": [],
             "before": side(1.5, "no_target", None), "after": side(150.0, "no_target", None)},
            {"id": "ratio", "change": "changed", "fields": ["formula"],
             "before": side(0.75, "no_target", None), "after": side(75.0, "no_target", None)},
            // 20 is under the target 21 but above the warning 15: at risk; on target at 20.
            {"id": "trials", "change": "changed", "fields": ["target"],
             "before": side(20.0, "at_risk", Some(21.0)), "after": side(20.0, "on_target", Some(20.0))},
        ]
    });
    assert_eq!(run.json(), expected);

    // An earlier month, and the same revision as the working tree: nothing changed.
    let run = diff(
        &project,
        "HEAD",
        &["--format", "json", "--period", "2026-07"],
    )
    .code(0);
    // 2026-07: trials 18, at risk before (target 21) and after (target 20).
    assert_eq!(
        run.json()["changes"][4]["before"],
        side(18.0, "at_risk", Some(21.0))
    );
    assert_eq!(
        run.json()["changes"][4]["after"],
        side(18.0, "at_risk", Some(20.0))
    );
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "changes"]);
    let run = diff(&project, "HEAD", &["--format", "json"]).code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));
}

#[test]
fn markdown_is_a_table_for_a_pull_request() {
    let project = repository();
    let run = diff(&project, "HEAD", &[]).code(0);
    assert_eq!(
        run.stdout,
        "### KPI changes against `HEAD`, 2026-08\n\n\
         | Metric | Change | Value | Status |\n\
         |:-------|:-------|:------|:-------|\n\
         | `new` | added | — → 7.00 | — → no target |\n\
         | `old` | removed | 4.00 → — | no target → — |\n\
         | `pct` | affected | 1.50 → 150.00 | no target → no target |\n\
         | `ratio` | changed: `formula` | 0.75 → 75.00 | no target → no target |\n\
         | `trials` | changed: `target` | 20 → 20 | at risk → on target |\n"
    );
}

#[test]
fn a_bad_revision_exits_2_and_invalid_definitions_1() {
    let project = repository();
    let run = diff(&project, "no-such-branch", &[]).code(2);
    assert_eq!(
        run.stderr,
        "error: `no-such-branch` is not a commit of this git repository: give a branch, a tag or a commit, such as `origin/main` (run `git fetch` first in a shallow clone)\n"
    );
    std::fs::write(project.join("m/new.toml"), metric("a +", "")).unwrap();
    let run = diff(&project, "HEAD", &[]).code(1);
    assert!(
        run.stderr.starts_with("error: m/new.toml:5:"),
        "{}",
        run.stderr
    );
    // Invalid at the base revision: named as `REV:path`.
    std::fs::write(project.join("m/new.toml"), metric("a + b", "")).unwrap();
    std::fs::write(project.join("m/same.toml"), metric("a +", "")).unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "broken"]);
    std::fs::write(project.join("m/same.toml"), metric("a", "")).unwrap();
    let run = diff(&project, "HEAD", &[]).code(1);
    assert!(
        run.stderr.starts_with("error: HEAD:m/same.toml:5:"),
        "{}",
        run.stderr
    );
}

/// The bundled example (`examples/saas/`), copied into a scratch directory.
fn example() -> Project {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let project = Project::new();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    copy(&from, &project.join(""));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    project
}

/// Rewrites a definition file as `toml` writes it back: keys sorted, comments gone, inline
/// tables as tables, other whitespace: the same meaning, written otherwise.
fn reformat(project: &Project, path: &str) {
    let text = std::fs::read_to_string(project.join(path)).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let again = toml::to_string(&table).unwrap();
    assert_ne!(again, text, "{path} is written otherwise");
    std::fs::write(project.join(path), again).unwrap();
}

#[test]
fn the_example_against_itself_has_no_change() {
    let project = example();
    // Its `mrr` follows the budget series: the same series named in `HEAD:metrics.d/mrr.toml`
    // and in `metrics.d/mrr.toml` is the same target.
    let run = project.run(&["diff", "--base", "HEAD"]).code(0);
    assert!(
        run.stdout
            .ends_with("\n\nNo metric's definition, value or status changes.\n"),
        "{}",
        run.stdout
    );
    let run = project
        .run(&["diff", "--base", "HEAD", "--format", "json"])
        .code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));

    // Every definition file reformatted and its keys reordered: still no change.
    for entry in std::fs::read_dir(project.join("metrics.d")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        reformat(&project, &format!("metrics.d/{name}"));
    }
    let run = project
        .run(&["diff", "--base", "HEAD", "--format", "json"])
        .code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));
}
