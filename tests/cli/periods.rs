//! Longer periods, end to end: `kpi eval --period 2026-Q1` and `--period 2026` roll each
//! input up by its `aggregate` and evaluate each formula once on the rolled-up inputs (never
//! an average of monthly values); a month's JSON compares with the same month a year earlier
//! and the year to date; reports and `kpi diff` of a quarter or a year say so and compare with
//! the period before and the same period a year earlier. Every value is worked out by hand
//! in the comments.

use serde_json::Value;

use crate::support::{Project, Run};

/// Runs `kpi` in a project with the project's `data.csv` and `metrics.d`.
trait Kpi {
    fn kpi(&self, args: &[&str]) -> Run;
}

impl Kpi for Project {
    fn kpi(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--data", "data.csv", "--metrics", "metrics.d"]);
        self.run(&all)
    }
}

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
        .kpi(&["eval", "--period", period, "--format", "json"])
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
    let run = project.kpi(&["eval", "--period", "2027-Q1"]).code(1);
    assert!(
        run.stderr
            .contains("the data holds no month of 2027-Q1: it runs from 2025-01 to 2026-03"),
        "{}",
        run.stderr
    );
    // A report of it says the same.
    let run = project
        .kpi(&["report", "--period", "2027-Q1", "--format", "md"])
        .code(1);
    assert!(
        run.stderr
            .contains("the data holds no month of 2027-Q1: it runs from 2025-01 to 2026-03"),
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
    let run = project(DATA).kpi(&["check"]).code(0);
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
        .kpi(&["explain", "churn", "--period", "2026-Q1"])
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
        .kpi(&["report", "--period", "2026-03", "--format", "md"])
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
        .kpi(&["report", "--period", "2026-03", "--format", "html"])
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
        .kpi(&["data", "pull", "--period", "2026-Q1"])
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

/// `kpi report` of `period` in `format` (and `extra` flags) on the project's data.
fn report(project: &Project, period: &str, format: &str, extra: &[&str]) -> String {
    let args = [
        &["report", "--period", period, "--format", format][..],
        extra,
    ]
    .concat();
    project.kpi(&args).code(0).stdout
}

#[test]
fn a_quarterly_report_says_so_and_compares_quarters() {
    let project = project(DATA);
    let md = report(&project, "2026-Q1", "md", &[]);
    assert!(md.starts_with("# Quarterly KPI report — Q1 2026\n"), "{md}");
    assert!(md.contains("Changes compare with Q4 2025."), "{md}");
    // The same quarter a year earlier, and no year to date (a monthly comparison).
    assert!(
        md.contains("| Name | Value | Previous | Change | Year ago | Target | Status | Trend |"),
        "{md}"
    );
    // Churn, 2026-Q1: (4 + 5 + 6) / 200 = 7.5 %; 2025-Q4 holds no month; 2025-Q1:
    // (2 + 3 + 4) / 100 = 9.0 %, so -1.5 pp, -16.7 % of 9.0.
    let churn = md.lines().find(|l| l.starts_with("| Churn |")).unwrap();
    assert!(
        churn.starts_with("| Churn | 7.5% | — | — | 9.0%, ▼ -1.5\u{a0}pp (-16.7%) |"),
        "{churn}"
    );
    // The formula with the quarter's values, and the quarters without a value by name.
    assert!(
        md.contains("- This quarter: `15 / 200 * 100` = 7.5%"),
        "{md}"
    );
    assert!(md.contains("  - Q4 2025: no data for Q4 2025\n"), "{md}");
    // 2025-Q2 against 2025-Q1: churn 3 / 100 = 3.0 %, -6.0 pp (-66.7 %); sign-up growth
    // (60 − 30) / 30 = 100.0 %.
    let q2 = report(&project, "2025-Q2", "md", &[]);
    assert!(q2.contains("Changes compare with Q1 2025."), "{q2}");
    assert!(
        q2.contains("| Churn | 3.0% | 9.0% | ▼ -6.0\u{a0}pp (-66.7%) |"),
        "{q2}"
    );
    assert!(q2.contains("| Sign-up growth | 100.0% | — | — |"), "{q2}");
    // A month missing inside a quarter is named, by month.
    let without_may = DATA.replace("2025-05,1,100,11,99,20,1\n", "");
    let gap = report(&self::project(&without_may), "2025-Q2", "md", &[]);
    assert!(
        gap.contains("  - Q2 2025: no value for “lost” in May 2025\n"),
        "{gap}"
    );
}

#[test]
fn a_quarterly_html_report_plots_one_point_per_quarter_in_both_languages() {
    let project = project(DATA);
    let html = report(&project, "2026-Q1", "html", &[]);
    assert!(
        html.contains("<title>Quarterly KPI report — Q1 2026</title>"),
        "{html}"
    );
    // Five quarters from 2025-Q1 to 2026-Q1, each labelled on the axis, the year under the
    // first and where it changes.
    for label in [">Q1<", ">Q2<", ">Q3<", ">Q4<", ">2025<", ">2026<"] {
        assert!(html.contains(label), "{label} in {html}");
    }
    assert!(!html.contains(">Mar<"), "{html}");
    assert!(html.contains("Churn quarter by quarter"), "{html}");
    // 2026-Q1 alone has a quarter a year earlier: no year-ago line of one point.
    assert!(!html.contains("<g class=\"year-ago\">"), "{html}");
    // Two whole years: 2025's four quarters each have one a year earlier, drawn behind.
    let two = report(&self::project(&two_years()), "2025-Q4", "html", &[]);
    assert!(
        two.contains("<g class=\"year-ago\"><polyline points="),
        "{two}"
    );
    let fr = report(&project, "2026-Q1", "html", &["--locale", "fr"]);
    assert!(
        fr.contains("<title>Rapport KPI trimestriel — T1 2026</title>"),
        "{fr}"
    );
    assert!(fr.contains("par rapport à T4 2025"), "{fr}");
    assert!(fr.contains(">T1<"), "{fr}");
    assert!(fr.contains("trimestre par trimestre"), "{fr}");
    assert!(fr.contains("<dt>Ce trimestre</dt>"), "{fr}");
}

/// Two whole years: in 2024, 1 customer lost a month of 100 at the start of January and 10
/// sign-ups a month; in 2025, 2 lost of 150, 20 sign-ups.
fn two_years() -> String {
    let mut csv = String::from("period,lost,start,arpa,paying,signups,score\n");
    for (year, lost, start, signups) in [(2024, 1, 100, 10), (2025, 2, 150, 20)] {
        for month in 1..=12 {
            csv.push_str(&format!(
                "{year}-{month:02},{lost},{start},10,{},{signups},1\n",
                90 + month
            ));
        }
    }
    csv
}

#[test]
fn an_annual_report_compares_with_the_year_before() {
    let project = project(&two_years());
    let md = report(&project, "2025", "md", &[]);
    assert!(md.starts_with("# Annual KPI report — 2025\n"), "{md}");
    assert!(md.contains("Changes compare with 2024."), "{md}");
    // The year before is the period before: one comparison, no year-ago column.
    assert!(
        md.contains("| Name | Value | Previous | Change | Target | Status | Trend |"),
        "{md}"
    );
    // Churn 2025: 12 × 2 / 150 = 16.0 %; 2024: 12 × 1 / 100 = 12.0 %: +4.0 pp, +33.3 %.
    assert!(
        md.contains("| Churn | 16.0% | 12.0% | ▲ +4.0\u{a0}pp (+33.3%) |"),
        "{md}"
    );
    // MRR, a stock: December's 10 × 102 = 1,020; growth of sign-ups (240 − 120) / 120.
    assert!(
        md.contains("| MRR | 1,020.00 | 1,020.00 | = 0.00 (0.0%) |"),
        "{md}"
    );
    assert!(md.contains("| Sign-up growth | 100.0% |"), "{md}");
    assert!(md.contains("- This year: `24 / 150 * 100` = 16.0%"), "{md}");
    let html = report(&project, "2025", "html", &[]);
    assert!(html.contains("Churn year by year"), "{html}");
    // No year-ago line: last year is the point before.
    assert!(!html.contains("class=\"year-ago\""), "{html}");
}

#[test]
fn a_quarters_notes_and_targets() {
    // A KPI on a schedule: 10 % from January 2026, 8 % from March. The quarter's target is
    // the one in force in its last month, March: 7.5 % is on target against 8 %.
    let kpi = "name = \"Churn KPI\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"percent\"\n\
               formula = \"churn\"\ndirection = \"lower_is_better\"\n\n[target]\nvalue = 12\n\n\
               [[target.schedule]]\nfrom = \"2026-01\"\nvalue = 10\n\n\
               [[target.schedule]]\nfrom = \"2026-03\"\nvalue = 8\n";
    let project = project(DATA)
        .file("metrics.d/churn_kpi.toml", kpi)
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nnotes = \"notes\"\n",
        )
        .file(
            "notes/2026-Q1.md",
            "The first quarter of the new pricing.\n",
        );
    let json = project
        .run(&["eval", "--period", "2026-Q1", "--format", "json"])
        .code(0)
        .json();
    let churn = metric(&json, "churn_kpi");
    assert!(close(&churn["target"], 8.0), "{churn}");
    assert_eq!(churn["status"], "on_target");
    let md = project
        .run(&["report", "--period", "2026-Q1", "--format", "md"])
        .code(0)
        .stdout;
    assert!(md.contains("The first quarter of the new pricing."), "{md}");
    assert!(
        md.contains("| Churn KPI | 7.5% | — | — | 9.0%, ▼ -1.5\u{a0}pp (-16.7%) | ≤\u{a0}8.0% | 🟢 on target |"),
        "{md}"
    );
    // A year's report reads the year's notes, not the quarter's.
    let run = project
        .run(&["report", "--period", "2025", "--format", "md"])
        .code(0);
    assert!(!run.stdout.contains("new pricing"), "{}", run.stdout);
    // Without the folder, the note names the file that would comment the quarter.
    std::fs::remove_dir_all(project.join("notes")).unwrap();
    let run = project
        .run(&["report", "--period", "2026-Q1", "--format", "md"])
        .code(0);
    assert!(
        run.stderr
            .contains("to comment the quarter, write `notes/2026-Q1.md`"),
        "{}",
        run.stderr
    );
}

/// The email of a quarter names it in its subject and opens with the quarter's title.
#[cfg(feature = "email")]
#[test]
fn a_quarters_email() {
    let project = project(DATA);
    let email = project
        .kpi(&["report", "--period", "2026-Q1", "--format", "email"])
        .code(0)
        .stdout;
    let parsed = crate::email::inspect(email.as_bytes());
    assert!(
        parsed["headers"]["Subject"]
            .as_str()
            .unwrap()
            .contains("Q1 2026"),
        "{parsed}"
    );
    assert!(
        parsed["text"]
            .as_str()
            .unwrap()
            .starts_with("# Quarterly KPI report — Q1 2026"),
        "{parsed}"
    );
}

#[test]
fn diff_compares_a_quarter() {
    let project = project(DATA);
    crate::support::git(&project.join(""), &["init", "-q"]);
    crate::support::git(&project.join(""), &["add", "."]);
    crate::support::git(&project.join(""), &["commit", "-q", "-m", "base"]);
    // Churn per thousand: 2026-Q1's 7.5 % becomes 75.
    let churn = std::fs::read_to_string(project.join("metrics.d/churn.toml")).unwrap();
    std::fs::write(
        project.join("metrics.d/churn.toml"),
        churn.replace("lost / start * 100", "lost / start * 1000"),
    )
    .unwrap();
    let args = |format: &'static str| {
        [
            "diff", "--base", "HEAD", "--period", "2026-Q1", "--format", format,
        ]
    };
    let json = project.kpi(&args("json")).code(0).json();
    assert_eq!(json["period"], "2026-Q1");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{json}");
    assert!(close(&changes[0]["before"]["value"], 7.5), "{json}");
    assert!(close(&changes[0]["after"]["value"], 75.0), "{json}");
    let md = project.kpi(&args("markdown")).code(0).stdout;
    assert!(
        md.starts_with("### KPI changes against `HEAD`, Q1 2026\n"),
        "{md}"
    );
}

/// A quarter's and a year's Markdown reports, in both languages, pinned whole: the words of
/// each period, the comparisons and the details as readers get them.
#[test]
fn quarter_and_year_reports_in_both_languages() {
    let quarter = project(DATA);
    let year = project(&two_years());
    for locale in ["en", "fr"] {
        insta::assert_snapshot!(
            format!("quarter_md_{locale}"),
            report(&quarter, "2026-Q1", "md", &["--locale", locale])
        );
        insta::assert_snapshot!(
            format!("year_md_{locale}"),
            report(&year, "2025", "md", &["--locale", locale])
        );
    }
}

#[test]
fn explain_why_splits_a_quarters_change() {
    let project = project(DATA);
    let run = project
        .kpi(&["explain", "churn", "--why", "--period", "2025-Q2"])
        .code(0);
    // 2025-Q1: 9 lost of 100 at the start, 9.0 %; 2025-Q2: 3 of 100, 3.0 %. The customers at
    // the start did not change: the whole -6.0 pp is the customers lost's.
    assert!(
        run.stdout
            .contains("2025-Q2 against 2025-Q1: 9.0% → 3.0% (-6.0\u{a0}pp)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("├─ -6.0\u{a0}pp  lost: 9 → 3 (-6)"),
        "{}",
        run.stdout
    );
    // A year earlier than 2025-Q2 is 2024-Q2, before the data.
    let run = project
        .kpi(&[
            "explain", "churn", "--why", "--vs", "year_ago", "--period", "2025-Q2",
        ])
        .code(1);
    assert!(
        run.stderr
            .contains("the data does not reach back to 2024-Q2"),
        "{}",
        run.stderr
    );
}
