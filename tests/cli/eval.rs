//! `kpi eval`: values computed by hand, in every output format, and each data error.

use crate::support::{Project, churn_kpi, inputs, metric};

/// Churn (a KPI, lower is better, target 5, warning 7) and a derived metric, over three
/// months of data with a gap in 2026-03 and an empty cell in 2026-04.
fn project() -> Project {
    Project::new()
        .file("metrics.d/churn_rate.toml", &churn_kpi())
        .file(
            "metrics.d/ratio.toml",
            &(metric("trials / visits", "") + &inputs(&["trials", "visits"])),
        )
        .file(
            "data.csv",
            "period,customers_lost,customers_start,trials,visits\n\
             2026-01,3,50,3,4\n\
             2026-02,6,100,1,0\n\
             2026-04,,120,2,8\n",
        )
}

#[test]
fn json_has_the_contracted_shape_and_values() {
    let run = project()
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-02", "--format", "json",
        ])
        .code(0);
    assert_eq!(run.stderr, "");
    let json = run.json();
    // 6 / 100 * 100 = 6, between target 5 and warning 7: at risk. January: 3 / 50 * 100 = 6
    // as well. trials / visits divides by zero in February; in January 3 / 4 = 0.75.
    // Churn's change (0) split by Shapley: lost alone 3 → 6 gives 6 / 50 * 100 = 12 (+6),
    // or after start 50 → 100, 6 instead of 3 (+3): +4.5; start the opposite, -4.5.
    assert_eq!(
        json,
        serde_json::json!({
            "period": "2026-02",
            "metrics": [
                {"id": "churn_rate", "name": "Some KPI", "kind": "kpi", "category": "customer",
                 "unit": "percent", "value": 6.0, "previous": 6.0, "target": 5.0,
                 "warning": 7.0, "target_source": "fixed", "status": "at_risk", "reason": null,
                 // The data starts in January 2026; its inputs declare no `aggregate`.
                 "year_ago": null, "year_ago_reason": "no data for 2025-02",
                 "year_to_date": null,
                 "year_to_date_reason": "input `customers_lost` has no `aggregate`: say how months combine",
                 "year_to_date_year_ago": null,
                 "year_to_date_year_ago_reason": "no data for 2025-02",
                 "attribution": [
                     {"operand": "customers_lost", "kind": "input", "before": 3.0, "after": 6.0,
                      "contribution": 4.5},
                     {"operand": "customers_start", "kind": "input", "before": 50.0,
                      "after": 100.0, "contribution": -4.5}
                 ],
                 "attribution_reason": null},
                {"id": "ratio", "name": "Some metric", "kind": "metric", "category": "business",
                 "unit": "number", "value": null, "previous": 0.75, "target": null,
                 "warning": null, "target_source": null, "status": "no_data",
                 "reason": "division by zero",
                 "year_ago": null, "year_ago_reason": "no data for 2025-02",
                 "year_to_date": null,
                 "year_to_date_reason": "input `trials` has no `aggregate`: say how months combine",
                 "year_to_date_year_ago": null,
                 "year_to_date_year_ago_reason": "no data for 2025-02",
                 "attribution": null,
                 "attribution_reason": "no value in 2026-02 (division by zero)"}
            ],
            // No `objectives` folder in kpi.toml: none.
            "objectives": []
        })
    );
}

#[test]
fn integer_cells_divide_as_floats() {
    let json = project()
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-01", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(json["metrics"][1]["value"], 0.75);
    assert_eq!(json["metrics"][1]["previous"], serde_json::Value::Null);
}

#[test]
fn latest_period_by_default_with_reasons() {
    let run = project()
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0);
    assert_eq!(
        run.stderr,
        "note: evaluating 2026-04, the latest month in the data\n"
    );
    let json = run.json();
    assert_eq!(json["period"], "2026-04");
    let churn = &json["metrics"][0];
    assert_eq!(churn["value"], serde_json::Value::Null);
    assert_eq!(
        churn["reason"],
        "input `customers_lost` has no value for 2026-04"
    );
    // 2026-03 is in no file, so there is no previous value.
    assert_eq!(churn["previous"], serde_json::Value::Null);
    assert_eq!(json["metrics"][1]["value"], 0.25);
}

#[test]
fn csv_output() {
    let run = project()
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-02", "--format", "csv",
        ])
        .code(0);
    assert_eq!(
        run.stdout,
        "id,name,kind,category,unit,value,previous,target,warning,target_source,status,reason\n\
         churn_rate,Some KPI,kpi,customer,percent,6,6,5,7,fixed,at_risk,\n\
         ratio,Some metric,metric,business,number,,0.75,,,,no_data,division by zero\n"
    );
}

#[test]
fn table_output() {
    let run = project()
        .run(&["eval", "--data", "data.csv", "--period", "2026-01"])
        .code(0);
    insta::assert_snapshot!("eval_table", run.stdout);
}

fn eval_error(csv: &str, args: &[&str]) -> String {
    let run = project()
        .file("bad.csv", csv)
        .run(&[&["eval", "--data", "bad.csv"], args].concat())
        .code(1);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn bad_csv_cell() {
    insta::assert_snapshot!(
        "bad_cell",
        eval_error("period,trials,visits\n2026-01,12 %,4\n2026-02,N/A,1\n", &[])
    );
}

#[test]
fn bad_period_in_data() {
    insta::assert_snapshot!(
        "bad_period",
        eval_error("period,trials\nQ4 2026,1\n2026-13,2\n", &[])
    );
}

#[test]
fn repeated_period() {
    insta::assert_snapshot!(
        "repeated_period",
        eval_error("period,trials\n2026-01,1\n2026-02,2\n2026-01,3\n", &[])
    );
}

#[test]
fn missing_period_names_the_range() {
    let data = "period,trials\n2026-01,1\n2026-03,2\n";
    assert_eq!(
        eval_error(data, &["--period", "2026-04"]),
        "error: period 2026-04 is not in the data, which covers 2026-01 to 2026-03\n  \
         = help: pick a month the data holds, or add its row to the data\n"
    );
    // A month inside the range that no file holds.
    assert_eq!(
        eval_error(data, &["--period", "2026-02"]),
        "error: no data source has a row for 2026-02, a gap in the data from 2026-01 to 2026-03\n  \
         = help: pick a month the data holds, or add its row to the data\n"
    );
}

#[test]
fn same_input_in_two_files() {
    let run = project()
        .file("more.csv", "period,visits\n2026-02,10\n")
        .run(&["eval", "--data", "data.csv", "--data", "more.csv"])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: more.csv:2:9: input `visits` for 2026-02 is also given in `data.csv`\n  |\n2 | 2026-02,10\n  |         ^^\n  = help: give each input of a month in one source only\n"
    );
}

#[test]
fn files_are_merged() {
    let json = project()
        .file("extra.csv", "period,visits\n2026-05,10\n")
        .file("trials.csv", "period,trials\n2026-05,4\n")
        .run(&[
            "eval",
            "--data",
            "data.csv",
            "--data",
            "extra.csv",
            "--data",
            "trials.csv",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(json["period"], "2026-05");
    assert_eq!(json["metrics"][1]["value"], 0.4);
    assert_eq!(json["metrics"][1]["previous"], 0.25);
}

#[test]
fn unknown_column_is_a_warning() {
    let run = project()
        .file(
            "typo.csv",
            "period,customers_lost,customers_start,trails,visits\n2026-01,1,10,1,2\n",
        )
        .run(&["eval", "--data", "typo.csv", "--format", "json"])
        .code(0);
    assert_eq!(
        run.stderr,
        "warning: typo.csv:1:39: `typo.csv` has a column that no definition reads, ignored: `trails`\n  |\n1 | period,customers_lost,customers_start,trails,visits\n  |                                       ^^^^^^\n  = help: to read one, map it to its input on the source, `columns = { <input> = \"...\" }`, or name it in `column = \"...\"` under `[inputs.<name>]`; to silence this, list them in `ignore = [...]` on the source\nwarning: metrics.d/ratio.toml:7:1: no data column `trials` for input `trials`\n  |\n7 | [inputs.trials]\n  | ^^^^^^^^^^^^^^^\n  = help: did you mean `trails`?\nnote: evaluating 2026-01, the latest month in the data\n"
    );
    assert_eq!(run.json()["metrics"][0]["value"], 10.0);
}

#[test]
fn usage_errors_exit_2() {
    project()
        .run(&["eval", "--data", "data.csv", "--period", "Oct 2026"])
        .code(2);
    project()
        .run(&["eval", "--data", "data.csv", "--format", "xml"])
        .code(2);
    let run = project().run(&["eval"]).code(2);
    assert!(
        run.stderr.contains("error: no data: pass `--data FILE`"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_data_file() {
    let run = project().run(&["eval", "--data", "nope.csv"]).code(1);
    assert!(
        run.stderr.starts_with("error: cannot read `nope.csv`: "),
        "{}",
        run.stderr
    );
}

#[test]
fn report_counts_read_in_the_singular() {
    let run = project()
        .run(&[
            "report", "--data", "data.csv", "--period", "2026-02", "--format", "md",
        ])
        .code(0);
    assert!(
        run.stdout.contains("of 1 KPI, 1 other metric."),
        "{}",
        run.stdout
    );
}

/// Issue 23, item 10: `^` groups from left to right and binds tighter than a unary minus, as
/// the README says: `2^3^2` = (2^3)^2 = 64 and `-2^2` = -(2^2) = -4 (values by hand; with
/// `x` = 3, `-x^2` = -9 and `x^2^0.5` = 3).
#[test]
fn power_groups_left_to_right_and_binds_tighter_than_unary_minus() {
    let cases = [
        ("a", "2^3^2 + 0 * x", 64.0),
        ("b", "-2^2 + 0 * x", -4.0),
        ("c", "-x^2", -9.0),
        ("d", "x^2^0.5", 3.0),
    ];
    let mut project = Project::new().file("data.csv", "period,x\n2026-01,3\n");
    for (id, formula, _) in cases {
        project = project.file(
            &format!("metrics.d/{id}.toml"),
            &(metric(formula, "") + &inputs(&["x"])),
        );
    }
    let json = project
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0)
        .json();
    for (i, (id, formula, value)) in cases.iter().enumerate() {
        assert_eq!(json["metrics"][i]["id"], *id);
        assert_eq!(json["metrics"][i]["value"], *value, "{formula}");
    }
}
