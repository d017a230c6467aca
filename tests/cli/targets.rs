//! Targets over time, end to end: a schedule before, at and after each step, a target from a
//! budget series with a month missing, a range at both ends, every `kpi check` error about
//! targets, the JSON and CSV fields, `kpi list` and `kpi explain`, and the reports (the note
//! in the month a target changes, the chart's steps and band, an earlier month re-rendered
//! with its own targets). Every expected status is worked out by hand in a comment.

use serde_json::{Value, json};

use crate::support::{Project, Run, inputs};

/// Stickiness, higher is better: 18 (warning 16), from 2026-04 19.5 (warning 17), from
/// 2026-10 21 without warning: the schedule of the issue.
const STICKINESS: &str = r#"name = "Stickiness"
category = "engagement"
kind = "kpi"
unit = "percent"
formula = "dau / mau * 100"
direction = "higher_is_better"

[target]
value = 18
warning = 16

[[target.schedule]]
from = "2026-04"
value = 19.5
warning = 17

[[target.schedule]]
from = "2026-10"
value = 21
"#;

/// MRR against finance's budget (an input), at risk down to a floor (a metric, 95 % of the
/// budget).
const MRR: &str = r#"name = "MRR"
category = "business"
kind = "kpi"
unit = "currency"
formula = "mrr_actual"
direction = "higher_is_better"

[target]
value = "budget_mrr"
warning = "budget_floor"
"#;

const FLOOR: &str = r#"name = "Budget floor"
category = "business"
kind = "metric"
unit = "currency"
formula = "budget_mrr * 0.95"
"#;

/// Uptime kept within 95–105 % of plan, at risk within 90–110 %.
const WITHIN: &str = r#"name = "Capacity use"
category = "quality"
kind = "kpi"
unit = "percent"
formula = "used"
direction = "within"

[target]
value = [95, 105]
warning = [90, 110]
"#;

/// Stickiness over six months (dau / mau * 100 = 17, 19.5, 16.5, 19, 20, 21; June to August
/// are in no file).
fn stickiness() -> Project {
    Project::new()
        .file(
            "metrics.d/stickiness.toml",
            &(STICKINESS.to_string() + &inputs(&["dau", "mau"])),
        )
        .file(
            "data.csv",
            "period,dau,mau\n\
             2026-03,170,1000\n\
             2026-04,195,1000\n\
             2026-05,165,1000\n\
             2026-09,190,1000\n\
             2026-10,200,1000\n\
             2026-11,210,1000\n",
        )
}

/// The one metric of `kpi eval --format json` for `period`.
fn eval_json(project: &Project, period: &str, id: &str) -> Value {
    let run = project
        .run(&[
            "eval", "--data", "data.csv", "--period", period, "--format", "json",
        ])
        .code(0);
    let json = run.json();
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {json}"))
        .clone()
}

/// `(target, warning, target_source, status)` of a metric in a month.
fn levels(project: &Project, period: &str, id: &str) -> (Value, Value, Value, Value) {
    let m = eval_json(project, period, id);
    (
        m["target"].clone(),
        m["warning"].clone(),
        m["target_source"].clone(),
        m["status"].clone(),
    )
}

#[test]
fn a_schedule_before_at_and_after_each_step() {
    let p = stickiness();
    let at = |period| levels(&p, period, "stickiness");
    // March, before the first entry: the table's own 18, warning 16; 17 is at risk.
    assert_eq!(
        at("2026-03"),
        (json!(18.0), json!(16.0), json!("fixed"), json!("at_risk"))
    );
    // April, the first entry's month: 19.5 is reached exactly, on target (ends included).
    assert_eq!(
        at("2026-04"),
        (
            json!(19.5),
            json!(17.0),
            json!("schedule"),
            json!("on_target")
        )
    );
    // May, after it: 16.5 is below the new warning 17 (at risk under the old 16): off target.
    assert_eq!(
        at("2026-05"),
        (
            json!(19.5),
            json!(17.0),
            json!("schedule"),
            json!("off_target")
        )
    );
    // September, the month before the second step: 19 is at risk against 19.5.
    assert_eq!(
        at("2026-09"),
        (
            json!(19.5),
            json!(17.0),
            json!("schedule"),
            json!("at_risk")
        )
    );
    // October, the second entry's month, which has no warning: 20 misses 21 and there is no
    // band to be at risk in: off target.
    assert_eq!(
        at("2026-10"),
        (
            json!(21.0),
            Value::Null,
            json!("schedule"),
            json!("off_target")
        )
    );
    // November, after it: 21 reaches it.
    assert_eq!(
        at("2026-11"),
        (
            json!(21.0),
            Value::Null,
            json!("schedule"),
            json!("on_target")
        )
    );
}

#[test]
fn a_schedule_without_value_has_no_target_before_its_first_entry() {
    let definition = STICKINESS.replace("value = 18\nwarning = 16\n", "");
    let p = stickiness().file(
        "metrics.d/stickiness.toml",
        &(definition + &inputs(&["dau", "mau"])),
    );
    assert_eq!(
        levels(&p, "2026-03", "stickiness"),
        (Value::Null, Value::Null, Value::Null, json!("no_target"))
    );
    assert_eq!(levels(&p, "2026-04", "stickiness").3, json!("on_target"));
    let run = p
        .run(&[
            "explain",
            "stickiness",
            "--data",
            "data.csv",
            "--period",
            "2026-03",
        ])
        .code(0);
    assert!(
        run.stdout
            .contains("target:   none before 2026-04, the schedule's first entry\n"),
        "{}",
        run.stdout
    );
    // The report notes the first target in its month.
    let april = report(&p, "data.csv", "2026-04", "md");
    assert!(
        april.contains("- Note: target set to 19.5 this month\n"),
        "{april}"
    );
    assert!(!report(&p, "data.csv", "2026-05", "md").contains("- Note:"));
}

/// MRR and its budget over four months; finance has no budget for February.
fn budget() -> Project {
    Project::new()
        .file(
            "metrics.d/mrr.toml",
            &(MRR.to_string() + &inputs(&["mrr_actual", "budget_mrr"])),
        )
        .file("metrics.d/budget_floor.toml", FLOOR)
        .file(
            "data.csv",
            "period,mrr_actual,budget_mrr\n\
             2026-01,1000,1000\n\
             2026-02,1000,\n\
             2026-03,960,1000\n\
             2026-04,940,1000\n",
        )
}

#[test]
fn a_budget_series_with_a_missing_month() {
    let p = budget();
    let at = |period| levels(&p, period, "mrr");
    // January: 1000 meets the budget of 1000 exactly.
    assert_eq!(
        at("2026-01"),
        (
            json!(1000.0),
            json!(950.0),
            json!("budget_mrr"),
            json!("on_target")
        )
    );
    // February: no budget, so no target (and no floor), but the value is still there.
    let february = eval_json(&p, "2026-02", "mrr");
    assert_eq!(february["value"], json!(1000.0));
    assert_eq!(february["reason"], Value::Null);
    assert_eq!(
        at("2026-02"),
        (
            Value::Null,
            Value::Null,
            json!("budget_mrr"),
            json!("no_target")
        )
    );
    // March: 960 misses 1000 but stays above the floor 1000 * 0.95 = 950: at risk.
    assert_eq!(at("2026-03").3, json!("at_risk"));
    // April: 940 is below 950: off target.
    assert_eq!(at("2026-04").3, json!("off_target"));

    let run = p
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-02", "--format", "csv",
        ])
        .code(0);
    assert_eq!(
        run.stdout,
        "id,name,kind,category,unit,value,previous,target,warning,target_source,status,reason\n\
         budget_floor,Budget floor,metric,business,currency,,950,,,,no_data,input `budget_mrr` has no value for 2026-02\n\
         mrr,MRR,kpi,business,currency,1000,1000,,,budget_mrr,no_target,\n"
    );

    let explain = |period| {
        p.run(&["explain", "mrr", "--data", "data.csv", "--period", period])
            .code(0)
            .stdout
    };
    let march = explain("2026-03");
    assert!(
        march.contains("target:   1000 (warning 950), higher is better\n"),
        "{march}"
    );
    assert!(
        march.contains(
            "rule:     series `budget_mrr` = 1000, warning series `budget_floor` = 950\n"
        ),
        "{march}"
    );
    assert!(march.contains("status:   at_risk\n"), "{march}");
    let february = explain("2026-02");
    assert!(
        february.contains(
            "rule:     series `budget_mrr` has no value (input `budget_mrr` has no value for 2026-02)"
        ),
        "{february}"
    );
    assert!(february.contains("status:   no_target\n"), "{february}");
}

#[test]
fn a_range_at_each_end_on_both_sides() {
    // Each month's value, and its status against [95, 105] with warning [90, 110].
    let cases = [
        ("2026-01", "89.9", "off_target"),
        ("2026-02", "90", "at_risk"),
        ("2026-03", "94.9", "at_risk"),
        ("2026-04", "95", "on_target"),
        ("2026-05", "105", "on_target"),
        ("2026-06", "105.1", "at_risk"),
        ("2026-07", "110", "at_risk"),
        ("2026-08", "110.1", "off_target"),
    ];
    let mut csv = String::from("period,used\n");
    for (period, value, _) in cases {
        csv.push_str(&format!("{period},{value}\n"));
    }
    let p = Project::new()
        .file(
            "metrics.d/capacity.toml",
            &(WITHIN.to_string() + &inputs(&["used"])),
        )
        .file("data.csv", &csv);
    for (period, value, status) in cases {
        assert_eq!(
            levels(&p, period, "capacity"),
            (
                json!([95.0, 105.0]),
                json!([90.0, 110.0]),
                json!("fixed"),
                json!(status)
            ),
            "{period}: {value}"
        );
    }
    let run = p
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-06", "--format", "csv",
        ])
        .code(0);
    assert_eq!(
        run.stdout.lines().nth(1).unwrap(),
        "capacity,Capacity use,kpi,quality,percent,105.1,105,\"[95, 105]\",\"[90, 110]\",fixed,at_risk,"
    );
    let run = p
        .run(&[
            "explain", "capacity", "--data", "data.csv", "--period", "2026-04",
        ])
        .code(0);
    assert!(
        run.stdout
            .contains("target:   [95, 105] (warning [90, 110]), inside the range is better\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_says_which_rule_applied() {
    let p = stickiness();
    let explain = |period| {
        p.run(&[
            "explain",
            "stickiness",
            "--data",
            "data.csv",
            "--period",
            period,
        ])
        .code(0)
        .stdout
    };
    let september = explain("2026-09");
    assert!(
        september.contains(
            "target:   19.5 (warning 17), higher is better\n\
             rule:     schedule entry from 2026-04: 19.5, warning 17\n"
        ),
        "{september}"
    );
    assert!(explain("2026-03").contains(
        "rule:     [target] value, before the schedule's first entry (2026-04): 18, warning 16\n"
    ));
    assert!(explain("2026-10").contains("rule:     schedule entry from 2026-10: 21\n"));
}

#[test]
fn list_shows_the_target_table_as_written() {
    let run = stickiness().run(&["list", "--format", "json"]).code(0);
    assert_eq!(
        run.json()[0]["target"],
        json!({"value": 18.0, "warning": 16.0, "schedule": [
            {"from": "2026-04", "value": 19.5, "warning": 17.0},
            {"from": "2026-10", "value": 21.0}
        ]})
    );
    let run = budget().run(&["list", "--format", "json"]).code(0);
    assert_eq!(
        run.json()[1]["target"],
        json!({"value": "budget_mrr", "warning": "budget_floor"})
    );
    let run = Project::new()
        .file(
            "metrics.d/capacity.toml",
            &(WITHIN.to_string() + &inputs(&["used"])),
        )
        .run(&["list", "--format", "json"])
        .code(0);
    assert_eq!(run.json()[0]["direction"], "within");
    assert_eq!(
        run.json()[0]["target"],
        json!({"value": [95.0, 105.0], "warning": [90.0, 110.0]})
    );
    let run = stickiness().run(&["list"]).code(0);
    assert!(
        run.stdout
            .contains("≥ 18, 19.5 from 2026-04, 21 from 2026-10"),
        "{}",
        run.stdout
    );
}

/// `kpi check` of a project holding `definition` as `metrics.d/x.toml`, beside MRR, its
/// budget and floor: fails, and its stderr.
fn check_error(definition: &str) -> String {
    let run: Run = budget()
        .file("metrics.d/x.toml", definition)
        .run(&["check"])
        .code(1);
    assert_eq!(run.stdout, "");
    run.stderr
}

/// A KPI `x` over input `budget_mrr` with `direction` and the given `[target]` body.
fn with_target(direction: &str, target: &str) -> String {
    format!(
        "name = \"X\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"number\"\nformula = \"budget_mrr * 2\"\n\
         direction = \"{direction}\"\n\n[target]\n{target}"
    )
}

#[test]
fn check_errors() {
    let step =
        |from: &str, level: &str| format!("\n[[target.schedule]]\nfrom = \"{from}\"\n{level}");
    let cases = [
        (
            "schedule_out_of_order",
            with_target(
                "higher_is_better",
                &format!(
                    "value = 1\n{}{}",
                    step("2026-10", "value = 3\n"),
                    step("2026-04", "value = 2\n")
                ),
            ),
        ),
        (
            "schedule_repeated",
            with_target(
                "higher_is_better",
                &format!(
                    "{}{}",
                    step("2026-04", "value = 2\n"),
                    step("2026-04", "value = 3\n")
                ),
            ),
        ),
        (
            "schedule_warning_side",
            with_target(
                "lower_is_better",
                &format!(
                    "value = 5\nwarning = 7\n{}",
                    step("2026-04", "value = 4\nwarning = 3\n")
                ),
            ),
        ),
        (
            "unknown_series",
            with_target("higher_is_better", "value = \"budget_mr\"\n"),
        ),
        (
            "series_is_the_metric",
            with_target("higher_is_better", "value = \"x\"\n"),
        ),
        (
            "range_reversed",
            with_target("within", "value = [105, 95]\n"),
        ),
        (
            "warning_range_outside",
            with_target("within", "value = [95, 105]\nwarning = [90, 104]\n"),
        ),
        (
            "range_without_within",
            with_target("higher_is_better", "value = [95, 105]\n"),
        ),
        (
            "within_without_range",
            with_target(
                "within",
                &format!("value = [1, 2]\n{}", step("2026-04", "value = 3\n")),
            ),
        ),
        (
            "not_a_level",
            with_target("higher_is_better", "value = true\n"),
        ),
        (
            "target_without_value",
            with_target(
                "higher_is_better",
                "baseline = 3\nbaseline_period = \"2026-01\"\n",
            ),
        ),
        (
            "baseline_on_a_range",
            with_target(
                "within",
                "value = [1, 2]\nbaseline = 3\nbaseline_period = \"2026-01\"\n",
            ),
        ),
    ];
    for (name, definition) in cases {
        insta::assert_snapshot!(name, check_error(&definition));
    }
}

#[test]
fn a_target_series_that_depends_on_the_metric_names_the_cycle() {
    // `x`'s target follows `plan`, which is computed from `x` a month earlier.
    let run = budget()
        .file(
            "metrics.d/x.toml",
            &with_target("higher_is_better", "value = \"plan\"\n"),
        )
        .file(
            "metrics.d/plan.toml",
            "name = \"Plan\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"number\"\n\
             formula = \"step_up * 1.1\"\n",
        )
        .file(
            "metrics.d/step_up.toml",
            "name = \"Step\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"number\"\n\
             formula = \"prev(x)\"\n",
        )
        .run(&["check"])
        .code(1);
    insta::assert_snapshot!("series_cycle", run.stderr);
}

/// Stickiness, MRR against its budget and the capacity range over the same eight months,
/// for the reports.
fn reporting() -> Project {
    Project::new()
        .file(
            "metrics.d/stickiness.toml",
            &(STICKINESS.to_string() + &inputs(&["dau", "mau"])),
        )
        .file(
            "metrics.d/mrr.toml",
            &(MRR.to_string() + &inputs(&["mrr_actual", "budget_mrr"])),
        )
        .file("metrics.d/budget_floor.toml", FLOOR)
        .file(
            "metrics.d/capacity.toml",
            &(WITHIN.to_string() + &inputs(&["used"])),
        )
        .file(
            "data.csv",
            "period,dau,mau,mrr_actual,budget_mrr,used\n\
             2026-03,170,1000,1000,,89\n\
             2026-04,195,1000,1010,1000,96\n\
             2026-05,165,1000,1020,1040,104\n\
             2026-06,180,1000,1080,1080,107\n\
             2026-07,185,1000,1100,1120,101\n\
             2026-08,188,1000,1110,1160,99\n\
             2026-09,190,1000,1200,1200,100\n\
             2026-10,200,1000,1250,1240,98\n\
             2026-11,210,1000,1270,1280,97\n",
        )
}

fn report(project: &Project, data: &str, period: &str, format: &str) -> String {
    project
        .run(&[
            "report", "--data", data, "--period", period, "--format", format,
        ])
        .code(0)
        .stdout
}

/// The Markdown table row of `name`.
fn row<'a>(report: &'a str, name: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.starts_with(&format!("| {name} |")))
        .unwrap_or_else(|| panic!("no row {name} in\n{report}"))
}

#[test]
fn the_markdown_report_notes_a_target_change_in_its_month_only() {
    let p = reporting();
    let october = report(&p, "data.csv", "2026-10", "md");
    assert!(
        october.contains("- Note: target raised from 19.5 to 21 this month\n"),
        "{october}"
    );
    assert_eq!(october.matches("- Note:").count(), 1, "{october}");
    // 20 against 21 with no warning band.
    assert!(row(&october, "Stickiness").contains("| ≥\u{a0}21.0% | 🔴 off target |"));
    let november = report(&p, "data.csv", "2026-11", "md");
    assert!(!november.contains("Note:"), "{november}");
    assert!(!november.contains("target raised"), "{november}");
    // The first step, in April.
    let april = report(&p, "data.csv", "2026-04", "md");
    assert!(
        april.contains("- Note: target raised from 18 to 19.5 this month\n"),
        "{april}"
    );
    assert!(
        april
            .contains("- Target: ≥\u{a0}19.5%, warning at 17.0%; schedule entry from April 2026\n")
    );
    // The budget: a March without budget shows no target and says why.
    let march = report(&p, "data.csv", "2026-03", "md");
    assert!(row(&march, "MRR").contains("| — | no target |"), "{march}");
    assert!(
        march.contains(
            // No id and no backtick: an input without `name` is its id, humanised and quoted.
            "- Target: —; following “budget mrr”: no value for “budget mrr” in March 2026\n"
        ),
        "{march}"
    );
    // A range: 89 is below the warning range [90, 110].
    assert!(row(&march, "Capacity use").contains("| 95.0% – 105.0% | 🔴 off target |"));
    // A change is better when it brings the value closer to the range: 89 to 96 (7 / 89 =
    // 7.9 %); worse when it takes it further out: 104 to 107 (3 / 104 = 2.9 %); neither
    // when both are inside: 98 to 97.
    assert!(row(&april, "Capacity use").contains("| ▲ +7.0\u{a0}pp (+7.9%) better |"));
    let june = report(&p, "data.csv", "2026-06", "md");
    assert!(row(&june, "Capacity use").contains("| ▲ +3.0\u{a0}pp (+2.9%) worse |"));
    assert!(row(&november, "Capacity use").contains("| ▼ -1.0\u{a0}pp (-1.0%) |"));
}

#[test]
fn re_rendering_an_earlier_month_keeps_its_statuses() {
    // September's report, as committed then (data up to September)...
    let p = reporting();
    let full = std::fs::read_to_string(p.join("data.csv")).unwrap();
    let until_september: String = full
        .lines()
        .filter(|l| !l.starts_with("2026-10") && !l.starts_with("2026-11"))
        .map(|l| format!("{l}\n"))
        .collect();
    let p = p.file("september.csv", &until_september);
    let then = report(&p, "september.csv", "2026-09", "md");
    // ...and re-rendered after October's target of 21 came into force: the same bytes.
    let now = report(&p, "data.csv", "2026-09", "md");
    assert_eq!(then, now);
    // 19 against September's 19.5 (warning 17) is at risk, not off target against 21.
    assert!(
        row(&now, "Stickiness").contains("| ≥\u{a0}19.5% | 🟡 at risk |"),
        "{now}"
    );
    // MRR met September's budget of 1200; capacity 100 is inside [95, 105].
    assert!(
        row(&now, "MRR").contains("| ≥\u{a0}1,200.00 | 🟢 on target |"),
        "{now}"
    );
    assert!(row(&now, "Capacity use").contains("🟢 on target"), "{now}");
}

#[test]
fn the_html_chart_draws_steps_a_budget_line_and_a_band() {
    let html = report(&reporting(), "data.csv", "2026-11", "html");
    // The chart figures only: the rest of the page is pinned by the example's snapshot.
    let figures: Vec<&str> = html
        .split("<figure class=\"chart\">")
        .skip(1)
        .map(|f| f.split("</figure>").next().unwrap())
        .collect();
    insta::assert_snapshot!("charts", figures.join("\n---\n"));
}

#[test]
fn a_change_of_warning_alone_is_noted_too() {
    let definition = STICKINESS
        .replace("value = 19.5\nwarning = 17\n", "value = 18\nwarning = 17\n")
        .replace("value = 21\n", "value = 18\n");
    let p = stickiness().file(
        "metrics.d/stickiness.toml",
        &(definition + &inputs(&["dau", "mau"])),
    );
    let note = |period| {
        report(&p, "data.csv", period, "md")
            .lines()
            .find(|l| l.starts_with("- Note: "))
            .map(str::to_string)
    };
    assert_eq!(
        note("2026-04").as_deref(),
        Some("- Note: warning level raised from 16 to 17 this month")
    );
    assert_eq!(note("2026-05"), None);
    assert_eq!(
        note("2026-10").as_deref(),
        Some("- Note: warning level removed this month")
    );
}
