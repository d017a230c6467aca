//! Why a metric moved, end to end: `kpi explain --why` and eval's `attribution`, with every
//! contribution worked out by hand from the Shapley value of two operands, ½ × (the change
//! an operand makes switched first + the change it makes switched second).

use serde_json::Value;

use crate::support::{Project, inputs};

/// A metric `id` of unit `unit` with formula `formula`.
fn metric(id: &str, name: &str, formula: &str, unit: &str) -> (String, String) {
    (
        format!("metrics.d/{id}.toml"),
        format!(
            "name = \"{name}\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"{unit}\"\nformula = \"{formula}\"\n"
        ),
    )
}

fn project(metrics: &[(String, String)], declared: &[&str], csv: &str) -> Project {
    let mut project = Project::new()
        .file(
            "metrics.d/inputs.toml",
            &(metric("inputs_only", "I", "1", "number").1 + &inputs(declared)),
        )
        .file("data.csv", csv);
    for (path, text) in metrics {
        project = project.file(path, text);
    }
    project
}

fn attribution(project: &Project, period: &str, id: &str) -> Value {
    let json = project
        .run(&[
            "eval",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            period,
            "--format",
            "json",
        ])
        .code(0)
        .json();
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap()
        .clone()
}

fn contribution(metric: &Value, operand: &str) -> f64 {
    metric["attribution"]
        .as_array()
        .unwrap_or_else(|| panic!("{metric}"))
        .iter()
        .find(|o| o["operand"] == operand)
        .unwrap_or_else(|| panic!("{operand} in {metric}"))["contribution"]
        .as_f64()
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn why(project: &Project, args: &[&str]) -> String {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--why", "--data", "data.csv", "--metrics", "metrics.d"]);
    project.run(&all).code(0).stdout
}

#[test]
fn churn_between_two_months() {
    // January: 4 lost of 200 = 2 %; February: 9 of 300 = 3 %.
    // Lost alone switched: 9 / 200 = 4.5 % (+2.5); after start: 3 − 4/300 = 3 − 1.333… (+1.667):
    // ½ (2.5 + 1.6667) = 2.08333…; start: ½ ((1.3333 − 2) + (3 − 4.5)) = −1.08333…; sum +1.
    let project = project(
        &[metric("churn", "Churn", "lost / start * 100", "percent")],
        &["lost", "start"],
        "period,lost,start\n2026-01,4,200\n2026-02,9,300\n",
    );
    let churn = attribution(&project, "2026-02", "churn");
    assert!(close(
        contribution(&churn, "lost"),
        2.5 / 2.0 + (3.0 - 4.0 / 3.0) / 2.0
    ));
    assert!(close(
        contribution(&churn, "start"),
        -(2.0 - 4.0 / 3.0) / 2.0 - 1.5 / 2.0
    ));
    assert!(close(
        contribution(&churn, "lost") + contribution(&churn, "start"),
        1.0
    ));
    assert_eq!(churn["attribution"][0]["kind"], "input");
    assert_eq!(churn["attribution"][0]["before"], 4.0);
    assert_eq!(churn["attribution"][0]["after"], 9.0);
    // Shown to one decimal, +2.1 and -1.1 add up to the +1.0 shown.
    assert_eq!(
        why(&project, &["churn", "--period", "2026-02"]),
        "churn — Churn\n\
         2026-02 against 2026-01: 2.0% → 3.0% (+1.0\u{a0}pp)\n\
         ├─ +2.1\u{a0}pp  lost: 4 → 9 (+5)\n\
         └─ -1.1\u{a0}pp  start: 200 → 300 (+100)\n"
    );
}

/// LTV/CAC through CLV (ARPU × lifetime) and CAC (spend / new customers).
fn ltv_cac() -> Project {
    project(
        &[
            metric("clv", "CLV", "arpu * lifetime", "number"),
            metric("cac", "CAC", "spend / new", "number"),
            metric("ltv_cac", "LTV to CAC", "clv / cac", "number"),
        ],
        &["arpu", "lifetime", "spend", "new"],
        "period,arpu,lifetime,spend,new\n2026-01,10,20,1000,10\n2026-02,12,20,1200,8\n",
    )
}

#[test]
fn ltv_cac_down_the_tree() {
    // CLV 200 → 240, CAC 100 → 150, LTV/CAC 2 → 1.6 (−0.4).
    // CLV: ½ ((2.4 − 2) + (1.6 − 200/150)) = 0.3333…; CAC: ½ ((200/150 − 2) + (1.6 − 2.4))
    // = −0.7333….
    // CAC's 50 splits into spend ½ (20 + 25) = 22.5 and new ½ (25 + 30) = 27.5, scaled by
    // −0.7333/50: −0.33 and −0.4033. CLV's 40 is all ARPU's (lifetime did not move).
    let project = ltv_cac();
    let ratio = attribution(&project, "2026-02", "ltv_cac");
    assert!(close(contribution(&ratio, "clv"), 1.0 / 3.0));
    assert!(close(contribution(&ratio, "cac"), -0.4 - 1.0 / 3.0));
    assert_eq!(ratio["attribution"][0]["kind"], "metric");
    let cac = attribution(&project, "2026-02", "cac");
    assert!(close(contribution(&cac, "spend"), 22.5));
    assert!(close(contribution(&cac, "new"), 27.5));
    // Each level adds up, as shown, to its parent: −0.40 = −0.73 + 0.33; −0.73 = −0.40 − 0.33.
    assert_eq!(
        why(&project, &["ltv_cac", "--period", "2026-02"]),
        "ltv_cac — LTV to CAC\n\
         2026-02 against 2026-01: 2.00 → 1.60 (-0.40)\n\
         ├─ -0.73  CAC: 100.00 → 150.00 (+50.00)\n\
         │  ├─ -0.40  new: 10 → 8 (-2)\n\
         │  └─ -0.33  spend: 1,000 → 1,200 (+200)\n\
         └─ +0.33  CLV: 200.00 → 240.00 (+40.00)\n\
         \x20  ├─ +0.33  arpu: 10 → 12 (+2)\n\
         \x20  └─ 1 smaller contribution: 0.00\n"
    );
    // One level only.
    let shallow = why(
        &project,
        &["ltv_cac", "--period", "2026-02", "--depth", "1"],
    );
    assert!(!shallow.contains("arpu"), "{shallow}");
    assert_eq!(shallow.lines().count(), 4);
}

#[test]
fn a_prev_term_is_an_operand_of_its_own() {
    // Growth (mrr − prev(mrr)) / prev(mrr) × 100: 10 % in February (110 on 100), 20 % in
    // March (132 on 110). mrr 110 → 132 alone: 32 (+22), after prev: 20 − 0 (+20): 21;
    // prev(mrr) 100 → 110: ½ ((0 − 10) + (20 − 32)) = −11; sum +10.
    let project = project(
        &[metric(
            "growth",
            "Growth",
            "(mrr - prev(mrr)) / prev(mrr) * 100",
            "percent",
        )],
        &["mrr"],
        "period,mrr\n2026-01,100\n2026-02,110\n2026-03,132\n",
    );
    let growth = attribution(&project, "2026-03", "growth");
    assert!(close(contribution(&growth, "mrr"), 21.0), "{growth}");
    assert!(close(contribution(&growth, "prev(mrr)"), -11.0), "{growth}");
    let prev = &growth["attribution"][1];
    assert_eq!(prev["kind"], "prev");
    assert_eq!(
        (prev["before"].as_f64(), prev["after"].as_f64()),
        (Some(100.0), Some(110.0))
    );
    let text = why(&project, &["growth", "--period", "2026-03"]);
    assert!(
        text.contains("├─ +21.0\u{a0}pp  mrr: 110 → 132 (+22)\n"),
        "{text}"
    );
    assert!(
        text.contains("└─ -11.0\u{a0}pp  mrr, the month before: 100 → 110 (+10)\n"),
        "{text}"
    );
}

#[test]
fn a_missing_operand_gives_no_attribution_and_the_reason() {
    let project = project(
        &[metric("churn", "Churn", "lost / start * 100", "percent")],
        &["lost", "start"],
        "period,lost,start\n2026-01,4,200\n2026-02,9,300\n2026-03,5,\n",
    );
    let march = attribution(&project, "2026-03", "churn");
    assert_eq!(march["attribution"], Value::Null);
    assert_eq!(
        march["attribution_reason"],
        "no value in 2026-03 (input `start` has no value for 2026-03)"
    );
    // The first month has nothing to compare with.
    let january = attribution(&project, "2026-01", "churn");
    assert_eq!(
        january["attribution_reason"],
        "no month before it in the data"
    );
    let run = project
        .run(&[
            "explain",
            "churn",
            "--why",
            "--period",
            "2026-03",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
        ])
        .code(1);
    assert!(
        run.stderr
            .contains("the change of `churn` cannot be split: no value in 2026-03"),
        "{}",
        run.stderr
    );
}

#[test]
fn against_the_same_month_a_year_earlier() {
    // 2025-02: 3 of 100 = 3 %; 2026-02: 9 of 300 = 3 %: no change, lost +6 pp ½ ((9 − 3) +
    // (3 − 1)) = +4, start −4.
    let project = project(
        &[metric("churn", "Churn", "lost / start * 100", "percent")],
        &["lost", "start"],
        "period,lost,start\n2025-02,3,100\n2026-01,4,200\n2026-02,9,300\n",
    );
    let text = why(
        &project,
        &["churn", "--period", "2026-02", "--vs", "year_ago"],
    );
    assert_eq!(
        text,
        "churn — Churn\n\
         2026-02 against 2025-02: 3.0% → 3.0% (0.0\u{a0}pp)\n\
         ├─ +4.0\u{a0}pp  lost: 3 → 9 (+6)\n\
         └─ -4.0\u{a0}pp  start: 100 → 300 (+200)\n"
    );
    // Without the month a year earlier in the data, it says so.
    let run = project
        .run(&[
            "explain",
            "churn",
            "--why",
            "--vs",
            "year_ago",
            "--period",
            "2026-01",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
        ])
        .code(1);
    assert!(
        run.stderr
            .contains("the data does not reach back to 2025-01"),
        "{}",
        run.stderr
    );
}

#[test]
fn shapley_properties_hold_on_the_evaluated_data() {
    // a: 2 → 3, b: 5 → 7 (x, y the same numbers under other names).
    let project = project(
        &[
            metric("sum", "Sum", "a + b", "number"),
            metric("product", "Product", "a * b", "number"),
            metric("reordered", "Reordered", "b * a", "number"),
            metric("renamed", "Renamed", "x * y", "number"),
            metric("scaled", "Scaled", "a / b * 100", "number"),
            metric("rewritten", "Rewritten", "100 * a / b", "number"),
            metric("single", "Single", "a * 100", "number"),
        ],
        &["a", "b", "x", "y"],
        "period,a,b,x,y\n2026-01,2,5,2,5\n2026-02,3,7,3,7\n",
    );
    let get = |id: &str| attribution(&project, "2026-02", id);
    // a + b: each its own change.
    assert!(close(contribution(&get("sum"), "a"), 1.0));
    assert!(close(contribution(&get("sum"), "b"), 2.0));
    // a × b from 10 to 21: a ½ (5 + 7) = 6, b ½ (4 + 6) = 5: the interaction term
    // (1 × 2 = 2) split half and half.
    assert!(close(contribution(&get("product"), "a"), 6.0));
    assert!(close(contribution(&get("product"), "b"), 5.0));
    // Reordering or renaming the operands permutes the contributions.
    assert!(close(contribution(&get("reordered"), "a"), 6.0));
    assert!(close(contribution(&get("reordered"), "b"), 5.0));
    assert_eq!(get("reordered")["attribution"][0]["operand"], "b");
    assert!(close(contribution(&get("renamed"), "x"), 6.0));
    assert!(close(contribution(&get("renamed"), "y"), 5.0));
    // However the formula is written, the same split.
    for operand in ["a", "b"] {
        assert!(close(
            contribution(&get("scaled"), operand),
            contribution(&get("rewritten"), operand)
        ));
    }
    // One operand: the whole change.
    assert!(close(contribution(&get("single"), "a"), 100.0));
}
