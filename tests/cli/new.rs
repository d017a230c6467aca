//! `kpi new`: the template passes `kpi check` once its formula is filled in, and an existing
//! file is never overwritten.

use crate::support::{Project, inputs, metric};

#[test]
fn template_passes_check_once_filled_in() {
    for kind in ["kpi", "metric"] {
        let project =
            Project::new().file("metrics.d/base.toml", &(metric("a", "") + &inputs(&["a"])));
        project
            .run(&["new", "signups", "--kind", kind, "--dir", "metrics.d"])
            .code(0);
        let path = project.join("metrics.d/signups.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&format!("kind = \"{kind}\"")));
        // Empty formula: check says what to do.
        let run = project.run(&["check"]).code(1);
        assert!(
            run.stderr.contains("the formula is empty"),
            "{}",
            run.stderr
        );
        std::fs::write(&path, text.replace("formula = \"\"", "formula = \"a * 2\"")).unwrap();
        project.run(&["check"]).code(0);
    }
}

#[test]
fn never_overwrites() {
    let project = Project::new().file("team/signups.toml", "mine\n");
    let run = project.run(&["new", "signups", "--dir", "team"]).code(1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(project.join("team/signups.toml")).unwrap(),
        "mine\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(project.join("team")).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
}

#[test]
fn rejects_bad_ids() {
    Project::new().run(&["new", "Bad-Id"]).code(2);
}

#[test]
fn writes_into_the_project_folder_never_the_library() {
    let project = Project::new().file(
        "kpi.toml",
        "library = \"all\"\nmetrics = [\"shared\", \"team\"]\n",
    );
    let run = project.run(&["new", "signups"]).code(0);
    assert_eq!(
        run.stderr,
        "wrote team/signups.toml: fill in its formula, then run `kpi check`\n"
    );
    assert_eq!(
        crate::support::listing(&project.join("")),
        ["kpi.toml", "team"]
    );
    assert_eq!(
        crate::support::listing(&project.join("team")),
        ["signups.toml"]
    );

    // A standard id: a file that changes its target, with the standard values to edit.
    let run = project.run(&["new", "nps"]).code(0);
    assert_eq!(
        run.stderr,
        "wrote team/nps.toml: it changes the standard `nps` for the team: edit the values, then run `kpi check`\n"
    );
    let text = std::fs::read_to_string(project.join("team/nps.toml")).unwrap();
    let settings: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(settings, ["[target]", "value = 30", "warning = 0"]);
    std::fs::write(
        project.join("team/nps.toml"),
        text.replace("value = 30", "value = 40"),
    )
    .unwrap();
    std::fs::remove_file(project.join("team/signups.toml")).unwrap();
    std::fs::create_dir(project.join("shared")).unwrap();
    std::fs::write(
        project.join("shared/keep.toml"),
        "description = \"ours\"\nid = \"arpu\"\n",
    )
    .unwrap();
    let run = project.run(&["check"]).code(0);
    assert!(
        run.stderr.contains(
            "note: team/nps.toml:1:1: changes `target` of `nps` (defined in `library:nps.toml`)\n"
        ),
        "{}",
        run.stderr
    );
    let listed = project.run(&["list", "--format", "json"]).code(0).json();
    let nps = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "nps")
        .unwrap();
    assert_eq!(
        nps["target"],
        serde_json::json!({"value": 40.0, "warning": 0.0})
    );

    // A standard metric (no target): the file changes its description.
    project.run(&["new", "mrr"]).code(0);
    let text = std::fs::read_to_string(project.join("team/mrr.toml")).unwrap();
    assert!(
        text.contains("\ndescription = \"\"\"\nAverage monthly subscription revenue"),
        "{text}"
    );
    project.run(&["check"]).code(0);
}

#[test]
fn without_a_project_folder_dir_is_required() {
    let project = Project::new();
    let run = project.run(&["new", "signups"]).code(2);
    assert_eq!(
        run.stderr,
        "error: no `kpi.toml` here to say where definitions go: pass `--dir DIR`, or run `kpi init` to start a project\n"
    );
    let project = Project::new().file("kpi.toml", "library = \"all\"\n");
    let run = project.run(&["new", "signups"]).code(2);
    assert_eq!(
        run.stderr,
        "error: `kpi.toml` names no `metrics` folder for the project's own definitions: pass `--dir DIR`, or add `metrics = [\"team\"]` to it\n"
    );
    assert_eq!(crate::support::listing(&project.join("")), ["kpi.toml"]);
}

#[test]
fn points_editors_at_a_schema_the_project_keeps() {
    let schema = Project::new().run(&["schema"]).code(0).stdout;
    // At the project's root, as `kpi schema > metric.schema.json` writes it.
    let project = Project::new().file("metric.schema.json", &schema);
    project.run(&["new", "signups", "--dir", "team"]).code(0);
    let text = std::fs::read_to_string(project.join("team/signups.toml")).unwrap();
    assert!(
        text.starts_with("#:schema ../metric.schema.json\n# `signups`"),
        "{text}"
    );
    // In `docs/`, as in kpi's own repository; a standard id gets it too.
    let project = Project::new().file("docs/metric.schema.json", &schema);
    project
        .run(&["new", "nps", "--dir", "metrics.d/team"])
        .code(0);
    let text = std::fs::read_to_string(project.join("metrics.d/team/nps.toml")).unwrap();
    assert_eq!(
        text.lines().next(),
        Some("#:schema ../../docs/metric.schema.json")
    );
    // None: no directive that editors could not resolve.
    let project = Project::new();
    project.run(&["new", "signups", "--dir", "team"]).code(0);
    let text = std::fs::read_to_string(project.join("team/signups.toml")).unwrap();
    assert!(!text.contains("#:schema"), "{text}");
}
