//! A corpus of invalid inputs (`tests/corpus/`: definitions, data files and `kpi.toml` files),
//! one snapshot of the exact error text per file, so that a worse message shows up as a diff. Every case must fail with exit 1 and
//! print at least one located error; none may panic.

use crate::support::Project;

const BASE: &str = "name = \"Base\"\ncategory = \"customer\"\nkind = \"metric\"\nunit = \"number\"\n\
                    formula = \"visits + signups\"\n\n[inputs.visits]\nunit = \"count\"\n\n\
                    [inputs.signups]\nunit = \"count\"\n";

fn file_name(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn invalid_definitions() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"),
        "definitions/*.toml",
        |path| {
            let name = file_name(path);
            let project = Project::new().file("metrics.d/base.toml", BASE);
            std::fs::copy(path, project.join(&format!("metrics.d/{name}"))).unwrap();
            let run = project.run(&["check"]).code(1);
            assert!(run.stderr.starts_with("error: "), "{name}: {}", run.stderr);
            insta::assert_snapshot!(run.stderr);
        }
    );
}

#[test]
fn invalid_data() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"),
        "data/*.csv",
        |path| {
            let name = file_name(path);
            let project = Project::new().file("metrics.d/base.toml", BASE);
            std::fs::copy(path, project.join(&name)).unwrap();
            let run = project.run(&["eval", "--data", &name]).code(1);
            assert!(run.stderr.starts_with("error: "), "{name}: {}", run.stderr);
            assert_eq!(run.stdout, "");
            insta::assert_snapshot!(run.stderr);
        }
    );
}

/// The data every `kpi.toml` of the corpus reads: a wide file and a long one, whose columns
/// and names are not spelt as the inputs.
const WIDE: &str = "period,Visites,signups\n2026-01,10,2\n";
const LONG: &str = "period,indicateur,valeur\n2026-01,Visites,10\n2026-01,Inscriptions,2\n";

#[test]
fn invalid_config() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"),
        "config/*.toml",
        |path| {
            let name = file_name(path);
            // The `columns` cases read a wide and a long file whose names are not the inputs';
            // the others name a valid data file, or a folder holding one.
            let data = "period,visits,signups\n2026-10,100,10\n";
            let project = Project::new()
                .file("metrics.d/base.toml", BASE)
                .file(
                    "data.csv",
                    if name.starts_with("columns_") {
                        WIDE
                    } else {
                        data
                    },
                )
                .file("long.csv", LONG)
                .file("data/monthly.csv", data);
            std::fs::copy(path, project.join("kpi.toml")).unwrap();
            let run = if name.starts_with("columns_") {
                project.run(&["eval"]).code(1)
            } else {
                project.run(&["check", "--metrics", "metrics.d"]).code(1)
            };
            assert!(run.stderr.starts_with("error: "), "{name}: {}", run.stderr);
            assert!(!run.stderr.contains("os error"), "{name}: {}", run.stderr);
            assert_eq!(run.stdout, "");
            insta::assert_snapshot!(run.stderr);
        }
    );
}
