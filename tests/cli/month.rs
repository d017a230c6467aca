//! The month reported by default: the latest month with a value computed from data, so that
//! a budget filled to December does not make every command report a month without actuals.
//! Actuals run to October 2026 and the budget (`budget`, the target series of `mrr`) to
//! December; every value below is read off `DATA` by hand.

use crate::support::{Project, git};

const DATA: &str = "period,actual,budget\n\
                    2026-08,100,90\n\
                    2026-09,110,105\n\
                    2026-10,120,125\n\
                    2026-11,,130\n\
                    2026-12,,140\n";

/// MRR judged against the budget series; `plan`, a metric of the budget alone, is itself
/// the target series of `reach`, so that a metric used only as a target series is passed
/// over too.
fn project() -> Project {
    let kpi = |formula: &str, series: &str| {
        format!(
            "name = \"K\"\ncategory = \"business\"\nkind = \"kpi\"\nunit = \"number\"\n\
             formula = \"{formula}\"\ndirection = \"higher_is_better\"\n\
             [target]\nvalue = \"{series}\"\n"
        )
    };
    Project::new()
        .file("data.csv", DATA)
        .file("kpi.toml", "metrics = [\"m\"]\ndata = [\"data.csv\"]\n")
        .file(
            "m/mrr.toml",
            &(kpi("actual", "budget")
                + "[inputs.actual]\nunit = \"number\"\n[inputs.budget]\nunit = \"number\"\n"),
        )
        .file("m/reach.toml", &kpi("actual * 2", "plan"))
        .file(
            "m/plan.toml",
            "name = \"P\"\ncategory = \"business\"\nkind = \"metric\"\nunit = \"number\"\n\
             formula = \"budget * 2\"\n",
        )
}

const NOTE: &str = "note: 2026-12 holds only target series; reporting 2026-10\n";

#[test]
fn eval_reports_the_latest_month_with_actuals_not_the_budgets() {
    let project = project();
    for args in [
        &["eval", "--format", "json"][..],
        &["eval", "--format", "json", "--period", "latest"],
    ] {
        let run = project.run(args).code(0);
        assert_eq!(run.stderr, NOTE, "{args:?}");
        let json = run.json();
        assert_eq!(json["period"], "2026-10");
        // October: actual 120 against the budget 125, September's 110 before it.
        let mrr = &json["metrics"][0];
        assert_eq!(mrr["id"], "mrr");
        assert_eq!(mrr["value"], 120.0);
        assert_eq!(mrr["previous"], 110.0);
        assert_eq!(mrr["target"], 125.0);
        assert_eq!(mrr["status"], "off_target");
    }
    // A month named is taken as it is, budget-only or not, without a note.
    let run = project
        .run(&["eval", "--format", "json", "--period", "2026-12"])
        .code(0);
    assert_eq!(run.stderr, "");
    assert_eq!(run.json()["period"], "2026-12");
    assert_eq!(run.json()["metrics"][0]["value"], serde_json::Value::Null);
}

#[test]
fn explain_report_and_data_pull_take_the_same_month() {
    let project = project();
    let run = project.run(&["explain", "mrr"]).code(0);
    assert_eq!(run.stderr, NOTE);
    assert!(run.stdout.contains("period:   2026-10\n"), "{}", run.stdout);
    assert!(run.stdout.contains("result:   120\n"), "{}", run.stdout);
    assert!(run.stdout.contains("target:   125"), "{}", run.stdout);
    let latest = project
        .run(&["explain", "mrr", "--period", "latest"])
        .code(0);
    assert_eq!(latest.stdout, run.stdout);

    let run = project.run(&["report", "--format", "md"]).code(0);
    assert_eq!(run.stderr, NOTE);
    assert!(run.stdout.contains("October 2026"), "{}", run.stdout);
    assert!(!run.stdout.contains("December 2026"), "{}", run.stdout);
    let latest = project
        .run(&["report", "--format", "md", "--period", "latest"])
        .code(0);
    assert_eq!(latest.stdout, run.stdout);

    // `data pull` writes every month, and says which one the others report.
    let run = project.run(&["data", "pull"]).code(0);
    assert_eq!(run.stdout, DATA);
    assert_eq!(
        run.stderr,
        "note: 2026-12 holds only target series; reporting 2026-10 by default\n"
    );
}

#[test]
fn diff_compares_the_latest_month_with_actuals() {
    let project = project();
    let root = project.join("");
    git(&root, &["init", "-q"]);
    git(&root, &["add", "."]);
    git(&root, &["commit", "-q", "-m", "base"]);
    for args in [
        &["diff", "--base", "HEAD", "--format", "json"][..],
        &[
            "diff", "--base", "HEAD", "--format", "json", "--period", "latest",
        ],
    ] {
        let run = project.run(args).code(0);
        assert_eq!(run.stderr, NOTE, "{args:?}");
        assert_eq!(run.json()["period"], "2026-10");
    }
}

#[test]
fn a_later_month_without_any_value_read_is_passed_over_and_named() {
    let project = project().file(
        "data.csv",
        "period,actual,budget\n2026-09,110,105\n2026-10,120,125\n2026-11,,\n",
    );
    let run = project.run(&["eval", "--format", "json"]).code(0);
    assert_eq!(
        run.stderr,
        "note: 2026-11 has no value computed from data; reporting 2026-10\n"
    );
    assert_eq!(run.json()["period"], "2026-10");
}

#[test]
fn a_period_that_is_neither_a_month_nor_latest_is_refused() {
    let run = project().run(&["eval", "--period", "newest"]).code(2);
    assert!(
        run.stderr.contains(
            "`newest` is not a month: expected `YYYY-MM`, for example `2026-10`; or a quarter (`2026-Q3`), a year (`2026`), or `latest` (the default)"
        ),
        "{}",
        run.stderr
    );
}
