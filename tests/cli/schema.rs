//! `kpi schema`: the committed `docs/*.schema.json` are its output, every definition and
//! `kpi.toml` of the repository is valid against them, and typical mistakes are not.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Project, churn_kpi, metric};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn schema(args: &[&str]) -> Value {
    Project::new().run(args).code(0).json()
}

/// A TOML text as the JSON value a validator checks (what Taplo does in an editor).
fn json_of(toml_text: &str) -> Value {
    let table: toml::Table = toml::from_str(toml_text).expect("valid TOML");
    serde_json::to_value(table).unwrap()
}

/// The validation errors of `text` against `schema`, as text (empty: valid).
fn errors(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    let instance = json_of(text);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} at `{}`", e, e.instance_path()))
        .collect()
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn committed_schemas_are_the_commands_output() {
    let project = Project::new();
    for (args, path) in [
        (vec!["schema"], "docs/metric.schema.json"),
        (vec!["schema", "--config"], "docs/kpi.schema.json"),
    ] {
        let output = project.run(&args).code(0).stdout;
        let committed = std::fs::read_to_string(repo(path)).unwrap();
        assert!(
            output == committed,
            "`{path}` is stale: run `kpi {} > {path}`",
            args.join(" ")
        );
    }
}

#[test]
fn schemas_are_draft_2020_12() {
    for args in [
        &["schema"][..],
        &["schema", "--config"],
        &["schema", "--objective"],
    ] {
        let schema = schema(args);
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        // The schema is itself valid against the meta-schema.
        jsonschema::meta::validate(&schema).expect("a valid JSON Schema");
    }
}

#[test]
fn every_definition_and_config_of_the_repository_is_valid() {
    let definition = schema(&["schema"]);
    let config = schema(&["schema", "--config"]);
    let mut checked = 0;
    for dir in ["metrics.d", "examples/saas/metrics.d"] {
        let files = toml_files(&repo(dir));
        assert!(!files.is_empty(), "{dir}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(errors(&definition, &text), Vec::<String>::new(), "{file:?}");
            checked += 1;
        }
    }
    let text = std::fs::read_to_string(repo("examples/saas/kpi.toml")).unwrap();
    assert_eq!(errors(&config, &text), Vec::<String>::new());
    // 18 standard definitions, 8 of the example company.
    assert_eq!(checked, 26);
    let objective = schema(&["schema", "--objective"]);
    let files = toml_files(&repo("examples/saas/objectives"));
    // The example's three objectives.
    assert_eq!(files.len(), 3);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(errors(&objective, &text), Vec::<String>::new(), "{file:?}");
    }
}

#[test]
fn standard_definitions_point_editors_at_the_schema() {
    for file in toml_files(&repo("metrics.d")) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("#:schema ../docs/metric.schema.json"),
            "{file:?}"
        );
    }
}

#[test]
fn what_kpi_init_and_kpi_new_write_is_valid() {
    let definition = schema(&["schema"]);
    let config = schema(&["schema", "--config"]);
    let project = Project::new();
    project.run(&["init", "acme"]).code(0);
    let kpi_toml = std::fs::read_to_string(project.join("acme/kpi.toml")).unwrap();
    assert_eq!(errors(&config, &kpi_toml), Vec::<String>::new());
    for file in toml_files(&project.join("acme/team")) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(errors(&definition, &text), Vec::<String>::new(), "{file:?}");
    }
    for kind in ["kpi", "metric"] {
        let id = format!("new_{kind}");
        project
            .run(&["new", &id, "--kind", kind, "--dir", "team"])
            .code(0);
        let text = std::fs::read_to_string(project.join(&format!("team/{id}.toml"))).unwrap();
        assert_eq!(errors(&definition, &text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn typical_mistakes_are_rejected() {
    let schema = schema(&["schema"]);
    let valid = churn_kpi();
    assert_eq!(errors(&schema, &valid), Vec::<String>::new());
    let cases = [
        ("a misspelt key", valid.replace("formula =", "formul =")),
        (
            "a bad kind",
            valid.replace("kind = \"kpi\"", "kind = \"KPI\""),
        ),
        (
            "a bad unit",
            valid.replace("unit = \"percent\"", "unit = \"euro\""),
        ),
        (
            "a bad direction",
            valid.replace("\"lower_is_better\"", "\"up\""),
        ),
        (
            "a KPI without target",
            valid.replace("[target]\nvalue = 5\nwarning = 7\n", ""),
        ),
        (
            "a KPI without direction",
            valid.replace("direction = \"lower_is_better\"\n", ""),
        ),
        (
            "a whole definition without unit",
            valid.replace("unit = \"percent\"\n", ""),
        ),
        (
            "a misspelt key of [target]",
            valid.replace("warning = 7", "warn = 7"),
        ),
        (
            "a month that is not YYYY-MM",
            valid.replace("warning = 7", "warning = 7\ndeadline = \"2026-13\""),
        ),
        (
            "a range of three",
            valid.replace("value = 5", "value = [1, 2, 3]"),
        ),
        (
            "an input without unit",
            valid.replace(
                "[inputs.customers_lost]\nunit = \"count\"",
                "[inputs.customers_lost]",
            ),
        ),
        (
            "an example expecting text",
            valid.clone() + "\n[[examples]]\nexpect = \"none\"\n",
        ),
    ];
    for (what, text) in cases {
        assert_ne!(text, valid, "{what}: the case changes nothing");
        assert!(
            !errors(&schema, &text).is_empty(),
            "{what} is accepted:\n{text}"
        );
    }
    // A plain metric needs neither, and a file without formula (changes to a standard
    // definition) needs no key at all.
    let plain = metric("a", "");
    assert_eq!(errors(&schema, &plain), Vec::<String>::new());
    for changes in ["[target]\nvalue = 3\nwarning = 4\n", "kind = \"kpi\"\n", ""] {
        assert_eq!(errors(&schema, changes), Vec::<String>::new(), "{changes}");
    }
}

#[test]
fn typical_config_mistakes_are_rejected() {
    let schema = schema(&["schema", "--config"]);
    let valid = "library = [\"churn_rate\"]\nmetrics = [\"team\"]\n\n[[sources]]\nsqlite = \"w.db\"\nquery = \"select 1\"\n";
    assert_eq!(errors(&schema, valid), Vec::<String>::new());
    for (what, text) in [
        ("a misspelt key", valid.replace("metrics", "metric")),
        (
            "an unknown standard id",
            valid.replace("churn_rate", "churn"),
        ),
        (
            "a database source without query",
            valid.replace("query = \"select 1\"\n", ""),
        ),
        (
            "two kinds of source",
            valid.to_string() + "csv = \"data.csv\"\n",
        ),
    ] {
        assert!(
            !errors(&schema, &text).is_empty(),
            "{what} is accepted:\n{text}"
        );
    }
    assert_eq!(errors(&schema, "library = \"all\"\n"), Vec::<String>::new());
}

#[test]
fn config_flag_without_a_file_is_only_for_schema() {
    let run = Project::new().run(&["check", "--config"]).code(2);
    assert_eq!(
        run.stderr,
        "error: `--config` needs a file: `--config kpi.toml`\n"
    );
}
