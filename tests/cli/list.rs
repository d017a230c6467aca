//! `kpi list`: the definitions in force, as JSON (contract) and as a table.

use crate::support::{Project, inputs, kpi, metric};

#[test]
fn json_lists_every_definition_sorted_by_id() {
    let run = Project::new()
        .file(
            "metrics.d/z_churn.toml",
            &(kpi("lost / start * 100", "lower_is_better", 5.0, 7.0, "")
                + &inputs(&["lost", "start"])),
        )
        .file("metrics.d/a_double.toml", &metric("z_churn * 2", ""))
        .run(&["list", "--format", "json"])
        .code(0);
    assert_eq!(
        run.json(),
        serde_json::json!([
            {"id": "a_double", "name": "Some metric", "kind": "metric", "category": "business",
             "unit": "number", "formula": "z_churn * 2", "direction": null, "target": null,
             "source": "metrics.d/a_double.toml"},
            {"id": "z_churn", "name": "Some KPI", "kind": "kpi", "category": "customer",
             "unit": "percent", "formula": "lost / start * 100", "direction": "lower_is_better",
             "target": {"value": 5.0, "warning": 7.0}, "source": "metrics.d/z_churn.toml"}
        ])
    );
}

#[test]
fn table_lists_definitions() {
    let run = Project::new()
        .file(
            "metrics.d/churn.toml",
            &(kpi("lost / start * 100", "lower_is_better", 5.0, 7.0, "")
                + &inputs(&["lost", "start"])),
        )
        .run(&["list"])
        .code(0);
    insta::assert_snapshot!("list_table", run.stdout);
}
