//! The standard library (`metrics.d/`, built into the binary): every contracted id and formula
//! exists, the committed catalogue `docs/metrics.md` is what `kpi list --format markdown`
//! prints, the example passes `kpi check`, and every standard metric evaluates to values
//! computed by hand, through the copy built into the binary (run from a scratch folder outside
//! the repository), which gives the same values as the files, whole or selected.

use std::path::Path;
use std::process::Command;

use crate::support::Project;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn kpi_in_root(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("kpi runs")
}

/// The contract: ids and formulas, from the issue that asked for the library.
const CONTRACT: [(&str, &str, &str); 18] = [
    (
        "customer_satisfaction",
        "satisfied_responses / survey_responses * 100",
        "customer",
    ),
    (
        "retention_rate",
        "(customers_end - new_customers) / customers_start * 100",
        "customer",
    ),
    (
        "churn_rate",
        "customers_lost / customers_start * 100",
        "customer",
    ),
    (
        "trial_conversion_rate",
        "trial_conversions / trial_users * 100",
        "customer",
    ),
    (
        "customer_lifetime_value",
        "arpu * avg_customer_lifetime_months",
        "customer",
    ),
    (
        "customer_acquisition_cost",
        "sales_marketing_spend / new_customers",
        "customer",
    ),
    (
        "dau_mau_ratio",
        "daily_active_users / monthly_active_users * 100",
        "engagement",
    ),
    (
        "avg_session_duration",
        "total_session_seconds / sessions",
        "engagement",
    ),
    (
        "actions_per_session",
        "user_actions / sessions",
        "engagement",
    ),
    (
        "test_velocity",
        "automated_tests_run + manual_tests_run",
        "quality",
    ),
    (
        "defect_detection_efficiency",
        "defects_found_internal / (defects_found_internal + defects_found_by_users) * 100",
        "quality",
    ),
    (
        "support_escalation_rate",
        "escalated_tickets / support_tickets * 100",
        "quality",
    ),
    (
        "mrr",
        "avg_revenue_per_account * paying_customers",
        "business",
    ),
    (
        "new_product_revenue_share",
        "new_product_revenue / revenue * 100",
        "business",
    ),
    ("arpu", "revenue / active_users", "business"),
    (
        "nps",
        "(promoters - detractors) / nps_responses * 100",
        "business",
    ),
    (
        "romi",
        "(marketing_revenue - marketing_spend) / marketing_spend * 100",
        "marketing",
    ),
    (
        "sales_conversion_rate",
        "deals_won / leads * 100",
        "marketing",
    ),
];

#[test]
fn every_contracted_definition_exists() {
    let output = kpi_in_root(&["list", "--format", "json"]);
    assert!(output.status.success());
    let files: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let built_in = Project::new()
        .run(&["list", "--library", "all", "--format", "json"])
        .code(0)
        .json();
    for (listed, source) in [(&files, "metrics.d/"), (&built_in, "library:")] {
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), CONTRACT.len());
        for (id, formula, family) in CONTRACT {
            let m = listed
                .iter()
                .find(|m| m["id"] == id)
                .unwrap_or_else(|| panic!("{id}"));
            assert_eq!(m["formula"], formula, "{id}");
            assert_eq!(m["category"], family, "{id}");
            assert_eq!(m["source"], format!("{source}{id}.toml"));
            if m["kind"] == "kpi" {
                assert!(
                    m["target"]["warning"].is_number(),
                    "{id} has a warning level"
                );
            }
        }
    }
    // The same definitions, but for where they come from.
    let without_source = |v: &serde_json::Value| {
        let mut v = v.clone();
        for m in v.as_array_mut().unwrap() {
            m.as_object_mut().unwrap().remove("source");
        }
        v
    };
    assert_eq!(without_source(&files), without_source(&built_in));
}

#[test]
fn descriptions_speak_to_the_team() {
    for entry in std::fs::read_dir(root().join("metrics.d")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        for word in ["seed", "article", "example's", "fernwood", "team folder"] {
            assert!(!text.contains(word), "{}: {word}", path.display());
        }
    }
}

#[test]
fn library_and_example_pass_check() {
    let output = kpi_in_root(&["check"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = kpi_in_root(&["check", "--config", "examples/saas/kpi.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn committed_catalogue_matches_the_command() {
    let output = kpi_in_root(&["list", "--format", "markdown"]);
    assert!(output.status.success());
    let committed = std::fs::read_to_string(root().join("docs/metrics.md")).unwrap();
    assert!(
        committed == String::from_utf8(output.stdout).unwrap(),
        "docs/metrics.md is stale: run `cargo run -- list --format markdown > docs/metrics.md`"
    );
    // The copy built into the binary is the same catalogue.
    let run = Project::new()
        .run(&["list", "--library", "all", "--format", "markdown"])
        .code(0);
    assert!(committed == run.stdout);
}

/// Every input of the library, one month; `survey_responses` is empty in 2026-02 and
/// `sessions` is 0 there.
const DATA: &str = "\
period,satisfied_responses,survey_responses,customers_start,customers_end,new_customers,customers_lost,trial_conversions,trial_users,avg_customer_lifetime_months,sales_marketing_spend,daily_active_users,monthly_active_users,total_session_seconds,sessions,user_actions,automated_tests_run,manual_tests_run,defects_found_internal,defects_found_by_users,escalated_tickets,support_tickets,avg_revenue_per_account,paying_customers,new_product_revenue,revenue,active_users,promoters,detractors,nps_responses,marketing_revenue,marketing_spend,deals_won,leads
2026-01,3,4,200,210,20,10,30,120,40,5000,150,600,96000,400,2800,900,100,45,5,12,160,50,210,1500,12000,400,50,10,80,45000,9000,9,300
2026-02,8,,210,215,15,10,,130,42,4500,140,560,0,0,0,950,90,0,0,0,150,51,215,1600,12500,410,55,12,90,40000,10000,7,280
";

/// `kpi eval --format json` for `period` in a scratch project with `kpi.toml` and [`DATA`].
fn eval(config: &str, period: &str) -> String {
    let project = Project::new()
        .file("kpi.toml", &format!("{config}data = [\"data.csv\"]\n"))
        .file("data.csv", DATA);
    project
        .run(&["eval", "--period", period, "--format", "json"])
        .code(0)
        .stdout
}

/// The same, with the definitions read from the repository's `metrics.d/`.
fn eval_files(period: &str) -> String {
    let metrics = root().join("metrics.d");
    eval(
        &format!("metrics = [{:?}]\n", metrics.to_str().unwrap()),
        period,
    )
}

#[test]
fn every_standard_metric_by_hand() {
    // Through the copy built into the binary; the files give the same output, byte for byte.
    let run = |period: &str| {
        let built_in = eval("library = \"all\"\n", period);
        assert_eq!(built_in, eval_files(period));
        serde_json::from_str::<serde_json::Value>(&built_in).unwrap()
    };
    let january = run("2026-01");
    let value = |json: &serde_json::Value, id: &str| {
        let m = json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap();
        (
            m["value"].as_f64(),
            m["reason"].as_str().map(str::to_string),
        )
    };
    let expect = |id: &str, expected: f64| {
        let (v, reason) = value(&january, id);
        let v = v.unwrap_or_else(|| panic!("{id}: no value, {reason:?}"));
        assert!(
            (v - expected).abs() < 1e-9 * expected.abs().max(1.0),
            "{id}: {v} != {expected}"
        );
    };
    // 3 / 4 * 100: integer cells, float division.
    expect("customer_satisfaction", 75.0);
    expect("retention_rate", (210.0 - 20.0) / 200.0 * 100.0); // 95
    expect("churn_rate", 10.0 / 200.0 * 100.0); // 5
    expect("trial_conversion_rate", 30.0 / 120.0 * 100.0); // 25
    expect("arpu", 12000.0 / 400.0); // 30
    expect("customer_lifetime_value", 30.0 * 40.0); // 1200
    expect("customer_acquisition_cost", 5000.0 / 20.0); // 250
    expect("dau_mau_ratio", 150.0 / 600.0 * 100.0); // 25
    expect("avg_session_duration", 96000.0 / 400.0); // 240
    expect("actions_per_session", 2800.0 / 400.0); // 7
    expect("test_velocity", 1000.0);
    expect("defect_detection_efficiency", 45.0 / 50.0 * 100.0); // 90
    expect("support_escalation_rate", 12.0 / 160.0 * 100.0); // 7.5
    expect("mrr", 50.0 * 210.0); // 10500
    expect("new_product_revenue_share", 1500.0 / 12000.0 * 100.0); // 12.5
    expect("nps", (50.0 - 10.0) / 80.0 * 100.0); // 50
    expect("romi", (45000.0 - 9000.0) / 9000.0 * 100.0); // 400
    expect("sales_conversion_rate", 9.0 / 300.0 * 100.0); // 3

    let february = run("2026-02");
    let reason = |id: &str| {
        let (v, reason) = value(&february, id);
        assert_eq!(v, None, "{id}");
        reason.unwrap()
    };
    assert_eq!(
        reason("customer_satisfaction"),
        "input `survey_responses` has no value for 2026-02"
    );
    assert_eq!(
        reason("trial_conversion_rate"),
        "input `trial_conversions` has no value for 2026-02"
    );
    assert_eq!(reason("avg_session_duration"), "division by zero");
    assert_eq!(reason("actions_per_session"), "division by zero");
    // 0 / (0 + 0)
    assert_eq!(reason("defect_detection_efficiency"), "division by zero");
    assert_eq!(value(&february, "support_escalation_rate").0, Some(0.0));
}

#[test]
fn a_selection_gives_the_values_of_the_files_and_brings_what_it_uses() {
    let selected: serde_json::Value = serde_json::from_str(&eval(
        "library = [\"customer_lifetime_value\", \"nps\", \"churn_rate\"]\n",
        "2026-01",
    ))
    .unwrap();
    let files: serde_json::Value = serde_json::from_str(&eval_files("2026-01")).unwrap();
    let ids: Vec<&str> = selected["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    // `customer_lifetime_value` is `arpu * avg_customer_lifetime_months`: `arpu` comes too.
    assert_eq!(
        ids,
        ["arpu", "churn_rate", "customer_lifetime_value", "nps"]
    );
    for m in selected["metrics"].as_array().unwrap() {
        let same = files["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == m["id"])
            .unwrap();
        assert_eq!(m, same);
    }
    // By hand: 12000 / 400 = 30, 10 / 200 * 100, 30 * 40, (50 - 10) / 80 * 100.
    let values: Vec<f64> = selected["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [30.0, 5.0, 1200.0, 50.0]);
}

#[test]
fn an_unknown_id_is_refused_with_a_suggestion() {
    let project = Project::new().file("kpi.toml", "library = [\"nps\", \"churn_rat\"]\n");
    let run = project.run(&["list"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:1:19: no standard metric has the id `churn_rat`\n  \
         |\n\
         1 | library = [\"nps\", \"churn_rat\"]\n  \
         |                   ^^^^^^^^^^^\n  \
         = help: did you mean `churn_rate`?\n"
    );
    let run = Project::new()
        .run(&["list", "--library", "dau_mau"])
        .code(2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'dau_mau' for '--library <all|ID,ID>': no standard metric has the id `dau_mau`; did you mean `dau_mau_ratio`?\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn problems_with_standard_definitions_name_them() {
    // A team input that contradicts a standard one.
    let project = Project::new().file(
        "team/refund_share.toml",
        &crate::support::metric(
            "refunds / revenue",
            "\n[inputs.refunds]\nunit = \"currency\"\n\n[inputs.revenue]\nunit = \"count\"\n",
        ),
    );
    let run = project
        .run(&["check", "--library", "arpu", "--metrics", "team"])
        .code(1);
    assert_eq!(
        run.stderr,
        concat!(
            "error: team/refund_share.toml:10:1: input `revenue` is declared as `count` here and as `currency` in `library:arpu.toml`\n",
            "   |\n",
            "10 | [inputs.revenue]\n",
            "   | ^^^^^^^^^^^^^^^^\n",
            "   = help: an input has one unit everywhere: make the declarations agree\n",
        )
    );
}

#[test]
fn without_a_project_a_newcomer_is_told_where_to_start() {
    let run = Project::new().run(&["list"]).code(2);
    assert_eq!(
        run.stderr,
        "error: no `kpi.toml` in this folder, and no `metrics.d` folder of definitions: run `kpi init` to start a project here, or pass `--library all` (the standard definitions) or `--metrics DIR`\n"
    );
    let run = Project::new().run(&["list", "--library", "all"]).code(0);
    assert_eq!(run.stdout.lines().count(), 19);
}
