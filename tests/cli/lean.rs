//! A `kpi` built without default features (`cargo test --no-default-features --test cli
//! lean`, which `.ci/run` runs): no PostgreSQL client, and a `postgres` source says which
//! feature it needs, while the other sources still work.

use crate::support::{Project, metric};

#[test]
fn lean_build_names_the_postgres_feature() {
    let project = Project::new()
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\n\n[[sources]]\npostgres = \"KPI_TEST_DB\"\nquery = \"select 1\"\n",
        )
        .file(
            "metrics.d/m_v.toml",
            &(metric("v", "") + "\n[inputs.v]\nunit = \"number\"\n"),
        )
        .file("data.csv", "period,v\n2026-10,7\n");
    let url = "postgresql://kpi:s3cret-9d1e@127.0.0.1:1/kpi";
    for command in [&["check"][..], &["eval", "--format", "json"]] {
        let run = project
            .run_with(command, &[("KPI_TEST_DB", url)], None)
            .code(1);
        assert_eq!(
            run.stderr,
            "error: kpi.toml:4:12: the PostgreSQL source `KPI_TEST_DB`: this `kpi` was built \
             without PostgreSQL sources (cargo feature `postgres`)\n  = help: install `kpi` \
             with its default features (`cargo install --locked --path .`, without \
             `--no-default-features`), or add `--features postgres`\n",
            "{command:?}"
        );
    }
    // CSV still works: 7 is the file's value.
    let run = project
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-10", "--format", "json",
        ])
        .code(0);
    assert_eq!(run.json()["metrics"][0]["value"], serde_json::json!(7.0));
}

#[test]
fn lean_build_names_the_email_feature() {
    let project = Project::new()
        .file(
            "metrics.d/m_v.toml",
            &(metric("v", "") + "\n[inputs.v]\nunit = \"number\"\n"),
        )
        .file("data.csv", "period,v\n2026-10,7\n");
    let run = project
        .run(&["report", "--data", "data.csv", "--output", "report.eml"])
        .code(2);
    assert_eq!(
        run.stderr,
        "error: this `kpi` was built without email reports (cargo feature `email`): install \
         `kpi` with its default features (`cargo install --locked --path .`, without \
         `--no-default-features`), or add `--features email`\n"
    );
    assert!(!project.join("report.eml").exists());
}

#[test]
fn lean_build_names_the_send_feature() {
    let project = Project::new().file(
        "kpi.toml",
        "company = \"Acme\"\n\n[delivery]\nslack = \"KPI_TEST_SLACK\"\n",
    );
    let run = project
        .run_with(
            &["send"],
            &[(
                "KPI_TEST_SLACK",
                "https://hooks.example.invalid/services/T/B/secret-9d1e",
            )],
            None,
        )
        .code(1);
    assert_eq!(
        run.stderr,
        "error: this `kpi` was built without sending (cargo feature `send`): install it with its \
         default features (`cargo install --locked --path .`, without `--no-default-features`), \
         or add `--features send`\n"
    );
}
