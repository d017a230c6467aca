//! The bundled example (`examples/saas/`), run as the README tells a newcomer to: its report
//! in both formats and its evaluation are pinned as snapshots, so any change to the numbers,
//! the layout or the wording shows up as a reviewed diff.

use std::path::Path;
use std::process::Command;

fn kpi(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("kpi runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
