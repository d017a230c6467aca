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
