//! Longer periods, end to end: `kpi eval --period 2026-Q1` and `--period 2026` roll each
//! input up by its `aggregate` and evaluate each formula once on the rolled-up inputs (never
//! an average of monthly values); a month's JSON compares with the same month a year earlier
//! and the year to date. Every value is worked out by hand in the comments.

use serde_json::Value;

use crate::support::Project;

/// Churn (customers lost over customers at the start), MRR (a stock), growth of sign-ups
/// (with `prev`), and a ratio whose input declares no `aggregate`.
fn project(csv: &str) -> Project {
    let metric = |name: &str, formula: &str, unit: &str| {
        format!(
            "name = \"{name}\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"{unit}\"\nformula = \"{formula}\"\n"
        )
    };
    let input = |name: &str, aggregate: Option<&str>| match aggregate {
        Some(a) => format!("\n[inputs.{name}]\nunit = \"count\"\naggregate = \"{a}\"\n"),
        None => format!("\n[inputs.{name}]\nunit = \"count\"\n"),
    };
    Project::new()
        .file(
            "metrics.d/churn.toml",
            &(metric("Churn", "lost / start * 100", "percent")
                + &input("lost", Some("sum"))
                + &input("start", Some("first"))),
        )
        .file(
            "metrics.d/mrr.toml",
            &(metric("MRR", "arpa * paying", "number")
                + &input("arpa", Some("last"))
                + &input("paying", Some("last"))),
        )
        .file(
            "metrics.d/growth.toml",
            &(metric(
                "Sign-up growth",
                "(signups - prev(signups)) / prev(signups) * 100",
                "percent",
            ) + &input("signups", Some("sum"))),
        )
        .file(
            "metrics.d/ratio.toml",
            &(metric("Ratio", "score / signups", "number") + &input("score", None)),
        )
        .file("data.csv", csv)
}

const DATA: &str = "period,lost,start,arpa,paying,signups,score\n\
                    2025-01,2,100,10,90,10,1\n\
                    2025-02,3,100,10,95,10,1\n\
                    2025-03,4,100,11,97,10,1\n\
                    2025-04,1,100,11,99,20,1\n\
                    2025-05,1,100,11,99,20,1\n\
                    2025-06,1,100,12,99,20,1\n\
                    2026-01,4,200,12,100,30,1\n\
                    2026-02,5,210,13,101,30,1\n\
                    2026-03,6,220,14,102,30,1\n";

fn eval(project: &Project, period: &str) -> Value {
    project
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
        .json()
}

fn metric(json: &Value, id: &str) -> Value {
    json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {json}"))
        .clone()
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[test]
fn a_quarter_rolls_inputs_up_by_their_rule() {
    let json = eval(&project(DATA), "2026-Q1");
    assert_eq!(json["period"], "2026-Q1");
    // Churn: customers lost summed (4 + 5 + 6 = 15) over the customers at the start of the
    // quarter (January's 200): 7.5 %; never the mean of the monthly rates (2, 2.38, 2.73).
    let churn = metric(&json, "churn");
    assert!(close(&churn["value"], 15.0 / 200.0 * 100.0), "{churn}");
    // The quarter a year earlier: (2 + 3 + 4) / 100 = 9 %.
    assert!(close(&churn["year_ago"], 9.0), "{churn}");
    // The quarter before, 2025-Q4, holds no month of the data: no value, and its reason.
    assert_eq!(churn["previous"], Value::Null);
    // MRR, a stock: the last month's ARPA × paying customers, 14 × 102.
    assert!(close(&metric(&json, "mrr")["value"], 14.0 * 102.0));
    // An input without `aggregate` is not rolled up, and the reason says so.
    let ratio = metric(&json, "ratio");
    assert_eq!(ratio["value"], Value::Null);
    assert_eq!(
        ratio["reason"],
        "input `score` has no `aggregate`: say how months combine"
    );
    // A quarter has no year to date.
    assert_eq!(churn["year_to_date"], Value::Null);
    assert_eq!(
        churn["year_to_date_reason"],
        "a year to date is computed for a month"
    );
}

#[test]
fn prev_means_the_period_before_of_the_same_length() {
    // Sign-ups: 2025-Q1 30, 2025-Q2 60: growth (60 − 30) / 30 = 100 %.
    let json = eval(&project(DATA), "2025-Q2");
    assert!(close(&metric(&json, "growth")["value"], 100.0), "{json}");
    // 2025-Q1's growth reads 2024-Q4, which the data does not hold.
    assert_eq!(metric(&json, "growth")["previous"], Value::Null);
    // 2026-Q1 (90) against the quarter before, 2025-Q4, absent: no value.
    let q1 = eval(&project(DATA), "2026-Q1");
    assert_eq!(metric(&q1, "growth")["value"], Value::Null);
}

#[test]
fn a_month_missing_inside_the_period_is_named() {
    // 2025-Q2 without May: the quarter is not silently smaller.
    let without_may = DATA.replace("2025-05,1,100,11,99,20,1\n", "");
    let json = eval(&project(&without_may), "2025-Q2");
    let churn = metric(&json, "churn");
    assert_eq!(churn["value"], Value::Null);
    assert_eq!(
        churn["reason"],
        "input `lost` has no value for 2025-05, a month of the period"
    );
    // A year: the whole of 2025 lacks July to December.
    let year = eval(&project(DATA), "2025");
    assert_eq!(year["period"], "2025");
    assert_eq!(
        metric(&year, "churn")["reason"],
        "input `lost` has no value for 2025-07, a month of the period"
    );
}

#[test]
fn a_month_compares_with_a_year_earlier_and_the_year_to_date() {
    let json = eval(&project(DATA), "2026-03");
    let churn = metric(&json, "churn");
    // March 2026: 6 / 220; March 2025: 4 / 100.
    assert!(close(&churn["value"], 6.0 / 220.0 * 100.0));
    assert!(close(&churn["year_ago"], 4.0));
    // January to March: (4 + 5 + 6) / 200 (January's start) = 7.5 %; a year earlier
    // (2 + 3 + 4) / 100 = 9 %.
    assert!(close(&churn["year_to_date"], 7.5), "{churn}");
    assert!(close(&churn["year_to_date_year_ago"], 9.0), "{churn}");
    // February 2025 has no month a year earlier in the data.
    let early = eval(&project(DATA), "2025-02");
    let churn = metric(&early, "churn");
    assert_eq!(churn["year_ago"], Value::Null);
    assert_eq!(churn["year_ago_reason"], "no data for 2024-02");
    // Its year to date, January and February: (2 + 3) / 100.
    assert!(close(&churn["year_to_date"], 5.0));
}

#[test]
fn a_period_outside_the_data_and_other_commands_say_so() {
    let project = project(DATA);
    let run = project
        .run(&[
            "eval",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2027-Q1",
        ])
        .code(1);
    assert!(
        run.stderr
            .contains("the data holds no month of 2027-Q1: it runs from 2025-01 to 2026-03"),
        "{}",
        run.stderr
    );
    let run = project
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2026-Q1",
            "--format",
            "md",
        ])
        .code(2);
    assert!(
        run.stderr.contains("is read by `kpi eval` so far"),
        "{}",
        run.stderr
    );
    let run = project.run(&["eval", "--period", "2026-Q5"]).code(2);
    assert!(
        run.stderr
            .contains("`2026-Q5` is not a quarter: write `2026-Q3`"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_names_the_inputs_without_a_rule_once() {
    let run = project(DATA)
        .run(&["check", "--data", "data.csv", "--metrics", "metrics.d"])
        .code(0);
    assert_eq!(
        run.stderr
            .matches("no `aggregate`, so quarters, years and the year to date")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("note: 1 input has no `aggregate`, so quarters, years and the year to date have no value for it: `score`"),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_shows_each_month_the_rule_and_the_rolled_up_value() {
    let run = project(DATA)
        .run(&[
            "explain",
            "churn",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2026-Q1",
        ])
        .code(0);
    assert_eq!(
        run.stdout,
        "churn — Churn\n\
         period:   2026-Q1 (2026-01 to 2026-03)\n\
         formula:  lost / start * 100\n\
         inputs, month by month, and their rule:\n\
         \x20 lost (sum): 2026-01 4, 2026-02 5, 2026-03 6 → 15\n\
         \x20 start (first): 2026-01 200, 2026-02 210, 2026-03 220 → 200\n\
         values:   15 / 200 * 100\n\
         result:   7.5\n\
         status:   no_target\n"
    );
}

#[test]
fn the_monthly_report_compares_with_a_year_earlier_and_the_year_to_date() {
    let md = project(DATA)
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2026-03",
            "--format",
            "md",
        ])
        .code(0)
        .stdout;
    assert!(
        md.contains("| Name | Value | Previous | Change | Year ago | Year to date |"),
        "{md}"
    );
    // Churn, March 2026: 6 / 220 = 2.7 % shown; March 2025: 4 / 100 = 4.0 %, so -1.3 pp
    // (-32.5 % of 4.0); the year to date 15 / 200 = 7.5 % against 9 / 100 = 9.0 % a year
    // earlier: -1.5 pp (-16.7 %).
    let churn = md.lines().find(|l| l.starts_with("| Churn |")).unwrap();
    assert!(
        churn.contains("| 4.0%, ▼ -1.3\u{a0}pp (-32.5%) | 7.5%, ▼ -1.5\u{a0}pp (-16.7%) |"),
        "{churn}"
    );
}

#[test]
fn report_compare_in_kpi_toml_chooses_the_comparisons() {
    let project = project(DATA).file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\n\n[report]\ncompare = [\"year_to_date\"]\n",
    );
    let md = project
        .run(&["report", "--period", "2026-03", "--format", "md"])
        .code(0)
        .stdout;
    assert!(
        md.contains("| Name | Value | Year to date | Target |"),
        "{md}"
    );
    assert!(
        md.contains("| Churn | 2.7% | 7.5%, ▼ -1.5\u{a0}pp (-16.7%) |"),
        "{md}"
    );
    let html = project
        .run(&["report", "--period", "2026-03", "--format", "html"])
        .code(0)
        .stdout;
    assert!(!html.contains("data-label=\"Previous\""), "{html}");
    assert!(!html.contains("Year ago:"), "{html}");
    assert!(html.contains("Year to date: 7.5%"), "{html}");
    // A comparison kpi knows not is a located error with the right spelling.
    let run = project
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\n\n[report]\ncompare = [\"year_agoo\"]\n",
        )
        .run(&["check"])
        .code(1);
    assert!(run.stderr.contains("kpi.toml:4:12"), "{}", run.stderr);
    assert!(run.stderr.contains("year_ago"), "{}", run.stderr);
}

#[test]
fn charts_draw_last_years_line_from_13_months_on_unless_told_not_to() {
    // Fifteen months from 2025-01: March 2026's chart has a value a year earlier for each
    // month from January to March 2026 (January to March 2025).
    let html = project(DATA)
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2026-03",
            "--format",
            "html",
        ])
        .code(0)
        .stdout;
    assert!(
        html.contains("<g class=\"year-ago\"><polyline points="),
        "{html}"
    );
    assert!(html.contains("<span class=\"key year-ago\""), "{html}");
    let off = project(DATA)
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\n\n[report]\nchart_year_ago = false\n",
        )
        .run(&["report", "--period", "2026-03", "--format", "html"])
        .code(0)
        .stdout;
    assert!(!off.contains("class=\"year-ago\""), "{off}");
}

#[test]
fn data_pull_writes_the_rolled_up_table() {
    let run = project(DATA)
        .run(&[
            "data",
            "pull",
            "--data",
            "data.csv",
            "--metrics",
            "metrics.d",
            "--period",
            "2026-Q1",
        ])
        .code(0);
    // Each input by its rule (ARPA and paying customers: the last month; customers lost and
    // sign-ups: the sum; customers at the start: the first month); `score` has no rule; the
    // quarters the data holds no month of are left out, as months are.
    assert_eq!(
        run.stdout,
        "period,arpa,lost,paying,score,signups,start\n\
         2025-Q1,11,9,97,,30,100\n\
         2025-Q2,12,3,99,,60,100\n\
         2026-Q1,14,15,102,,90,200\n"
    );
}
