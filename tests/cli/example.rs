//! The bundled example (`examples/saas/`), run as the README tells a newcomer to: its report
//! in both formats and its evaluation are pinned as snapshots, so any change to the numbers,
//! the layout or the wording shows up as a reviewed diff. Its data comes from three kinds of
//! source (a monthly CSV, SQLite queries, a daily CSV export); the monthly table `kpi data
//! pull` writes must evaluate exactly as the sources do.

use std::path::Path;
use std::process::Command;

use rusqlite::{Connection, OpenFlags};

/// Runs `kpi` at the root of the repository; checks that it succeeds and warns of nothing
/// (a warning would mean a column of the example that no input reads).
fn kpi(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("kpi runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

const CONFIG: [&str; 2] = ["--config", "examples/saas/kpi.toml"];

#[test]
fn example_report_markdown() {
    insta::assert_snapshot!(
        "example_report_md",
        kpi(&[&["report", "--format", "md"], &CONFIG[..]].concat())
    );
}

#[test]
fn example_report_html() {
    insta::assert_snapshot!(
        "example_report_html",
        kpi(&[&["report", "--format", "html"], &CONFIG[..]].concat())
    );
}

#[test]
fn example_report_markdown_in_french() {
    insta::assert_snapshot!(
        "example_report_md_fr",
        kpi(&[&["report", "--format", "md", "--locale", "fr"], &CONFIG[..]].concat())
    );
}

#[test]
fn example_report_html_in_french() {
    insta::assert_snapshot!(
        "example_report_html_fr",
        kpi(&[
            &["report", "--format", "html", "--locale", "fr"],
            &CONFIG[..]
        ]
        .concat())
    );
}

#[test]
fn example_evaluation() {
    insta::assert_snapshot!(
        "example_eval_csv",
        kpi(&[&["eval", "--format", "csv"], &CONFIG[..]].concat())
    );
}

#[test]
fn example_shows_every_status_and_the_missing_month() {
    let json: serde_json::Value =
        serde_json::from_str(&kpi(&[&["eval", "--format", "json"], &CONFIG[..]].concat())).unwrap();
    let statuses: Vec<&str> = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    for status in ["on_target", "at_risk", "off_target", "no_target"] {
        assert!(statuses.contains(&status), "{status} in {statuses:?}");
    }
    let march: serde_json::Value = serde_json::from_str(&kpi(&[
        &["eval", "--format", "json", "--period", "2026-03"],
        &CONFIG[..],
    ]
    .concat()))
    .unwrap();
    let csat = march["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "customer_satisfaction")
        .unwrap();
    assert_eq!(
        csat["reason"],
        "input `survey_responses` has no value for 2026-03"
    );
}

#[test]
fn example_pulled_table_evaluates_as_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    let pulled = dir.path().join("pulled.csv");
    let pulled = pulled.to_str().unwrap();
    kpi(&[&["data", "pull", "--output", pulled], &CONFIG[..]].concat());
    let from_table = kpi(&[
        "eval",
        "--data",
        pulled,
        "--metrics",
        "metrics.d",
        "--metrics",
        "examples/saas/metrics.d",
        "--format",
        "json",
    ]);
    let from_sources = kpi(&[&["eval", "--format", "json"], &CONFIG[..]].concat());
    // Every metric the same; the objectives are kpi.toml's, which the first run has not.
    let metrics =
        |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap()["metrics"].clone();
    assert_eq!(metrics(&from_table), metrics(&from_sources));
}

/// The monthly table's cell for `period` and `input`, as a number.
fn cell(table: &str, period: &str, input: &str) -> f64 {
    let mut lines = table.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = lines.next().unwrap();
    let column = header.iter().position(|h| *h == input).unwrap();
    let row = lines.find(|r| r[0] == period).unwrap();
    row[column].parse().unwrap()
}

#[test]
fn example_october_computed_by_hand_from_the_rows() {
    // October 2026 from the warehouse's order and cancellation rows, without SQL's grouping or
    // dates: each row whose time starts with `2026-10-`, added up here.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/warehouse.db");
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = db
        .prepare("select ordered_at, product, channel, first_order, amount_cents from orders")
        .unwrap();
    let mut rows = statement.query([]).unwrap();
    let (mut new_customers, mut from_trials, mut deals, mut insights_cents) = (0, 0, 0, 0i64);
    while let Some(row) = rows.next().unwrap() {
        let at: String = row.get(0).unwrap();
        if !at.starts_with("2026-10-") {
            continue;
        }
        let (product, channel): (String, String) = (row.get(1).unwrap(), row.get(2).unwrap());
        if row.get::<_, i64>(3).unwrap() == 1 {
            new_customers += 1;
            from_trials += i32::from(channel == "trial");
            deals += i32::from(channel == "sales");
        }
        if product == "insights" {
            insights_cents += row.get::<_, i64>(4).unwrap();
        }
    }
    let lost: i64 = db
        .query_row(
            "select count(*) from cancellations where cancelled_at like '2026-10-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // The values generate.py wrote for October 2026 before these inputs left data.csv.
    assert_eq!(
        (new_customers, from_trials, deals, insights_cents, lost),
        (166, 114, 52, 2_081_813, 82)
    );

    let table = kpi(&[&["data", "pull"], &CONFIG[..]].concat());
    let month = |input| cell(&table, "2026-10", input);
    assert_eq!(month("new_customers"), f64::from(new_customers));
    assert_eq!(month("trial_conversions"), f64::from(from_trials));
    assert_eq!(month("deals_won"), f64::from(deals));
    assert_eq!(month("new_product_revenue"), insights_cents as f64 / 100.0);
    assert_eq!(month("new_product_revenue"), 20818.13);
    assert_eq!(month("customers_lost"), lost as f64);

    // Trials ended, from the daily export: one line per day, `Date,Trials started,Trials ended`.
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas/exports/trials.csv"),
    )
    .unwrap();
    let ended: u32 = export
        .lines()
        .filter(|l| l.starts_with("2026-10-"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(ended, 502);
    assert_eq!(month("trial_users"), f64::from(ended));
}

/// Words of at least two parts joined by `_`, as metric ids and inputs are spelt.
fn snake_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == '\\'))
        .map(|w| w.replace('\\', ""))
        .filter(|w| {
            let parts: Vec<&str> = w.split('_').collect();
            parts.len() > 1 && parts.iter().all(|p| !p.is_empty())
        })
        .collect()
}

#[test]
fn example_reports_show_no_id_and_no_backtick_outside_code() {
    for locale in ["en", "fr"] {
        let html = kpi(&[
            &CONFIG[..],
            &["report", "--format", "html", "--locale", locale],
        ]
        .concat());
        // Reader text: the body without its code elements (formulas) and without tags, whose
        // attributes hold ids for anchors and CSS.
        let body = html.split("</style>").nth(1).unwrap();
        let mut text = String::new();
        for (i, part) in body.split("<code>").enumerate() {
            let rest = if i == 0 {
                part
            } else {
                part.split_once("</code>").unwrap().1
            };
            for (j, piece) in rest.split('<').enumerate() {
                text.push_str(if j == 0 {
                    piece
                } else {
                    piece.split_once('>').map_or("", |p| p.1)
                });
                text.push(' ');
            }
        }
        assert!(
            !text.contains('`') && !text.contains("&#x60;"),
            "{locale}: {text}"
        );
        assert_eq!(snake_words(&text), Vec::<String>::new(), "{locale}");

        let md = kpi(&[
            &CONFIG[..],
            &[
                "report",
                "--format",
                "md",
                "--locale",
                locale,
                "--with-descriptions",
            ],
        ]
        .concat());
        // Outside code spans (formulas, and code written in descriptions).
        let outside: String = md.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        assert!(!md.contains("\\`"), "{locale}: {md}");
        assert_eq!(snake_words(&outside), Vec::<String>::new(), "{locale}");
    }
}

/// `[delivery]` of the example: a dry run says what `kpi send` would send, and to whom,
/// in each language, without any secret in the environment.
#[cfg(feature = "send")]
#[test]
fn example_send_dry_run() {
    for (locale, subject) in [
        ("en", "Subject: Fernwood KPIs — October 2026\n"),
        ("fr", "Subject: Indicateurs Fernwood — octobre 2026\n"),
    ] {
        let out = kpi(&[&["send", "--dry-run", "--locale", locale], &CONFIG[..]].concat());
        assert!(out.starts_with("dry run: nothing is sent\n"), "{out}");
        for line in [
            "From: Fernwood KPIs <kpi@fernwood.example>\n",
            "To: leadership@fernwood.example\n",
            "Cc: product@fernwood.example\n",
            subject,
            "<https://kpi.fernwood.example/|",
        ] {
            assert!(out.contains(line), "{line} not in {out}");
        }
    }
}
