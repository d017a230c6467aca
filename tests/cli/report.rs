//! `kpi report` through the real binary: both formats written with `--output`, format
//! inference, and a failing render that must leave an existing report untouched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::listing;

/// The edge-case fixture shared with the `kpi-report` snapshot tests.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/kpi-report/tests/fixtures/edge")
}

/// Runs `kpi report` on the fixture for 2026-03 with extra arguments, in `dir` (so that no
/// `kpi.toml` is picked up).
fn kpi_report(dir: &Path, extra: &[&str]) -> Output {
    let fixture = fixture();
    Command::new(env!("CARGO_BIN_EXE_kpi"))
        .current_dir(dir)
        .arg("report")
        .arg("--period")
        .arg("2026-03")
        .arg("--data")
        .arg(fixture.join("data.csv"))
        .arg("--metrics")
        .arg(fixture.join("metrics"))
        .args(extra)
        .output()
        .expect("the kpi binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn writes_markdown_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = kpi_report(
        dir.path(),
        &["--output", "2026-03.md", "--title", "Acme & Co"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("wrote 2026-03.md"));
    let text = fs::read_to_string(dir.path().join("2026-03.md")).unwrap();
    assert!(text.starts_with("# Acme & Co — March 2026\n"), "{text}");
    assert!(text.contains(
        "| Visit-to-signup conversion | 3.1% | 2.8% | ▲ +0.3\u{a0}pp (+10.7%) better | ≥\u{a0}3.0% | 🟢 on target | 110%, ahead of pace | ▁▂▃·▅▆█ |\n"
    ));
    assert!(text.contains(
        "| First response time | 3\u{a0}min\u{a0}12\u{a0}s | 3\u{a0}min\u{a0}5\u{a0}s |"
    ));
    assert!(text.contains(r#"| Sign-ups \<script\>alert("x")\</script\> \| A&B \\ C | 434 |"#));
    assert_eq!(listing(dir.path()), ["2026-03.md"]);
}

#[test]
fn writes_html_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = kpi_report(dir.path(), &["--output", "2026-03.html"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = fs::read_to_string(dir.path().join("2026-03.html")).unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("<h1>KPI report</h1>"));
    assert!(text.contains("Sign-ups &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | A&amp;B"));
    // Self-contained: no script, no external stylesheet, image or font.
    for forbidden in ["<script", "<link", "<img", "src=", "url(", "@import"] {
        assert!(!text.contains(forbidden), "{forbidden}");
    }
    assert!(text.contains("<svg class=\"chart\""));
    assert!(text.contains("@media print"));
    // The same inputs give the same bytes.
    let again = kpi_report(dir.path(), &["--format", "html"]);
    assert_eq!(again.stdout, text.as_bytes());
}

#[test]
fn without_output_the_report_goes_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = kpi_report(dir.path(), &["--format", "md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("# KPI report — March 2026")
    );
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn the_format_must_be_known_and_agree_with_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &[],
            "error: no format: pass `--format html`, `--format md` or `--format email`",
        ),
        (
            &["--output", "r.txt"],
            "error: cannot tell the format from `r.txt`",
        ),
        (
            &["--output", "r.html", "--format", "md"],
            "error: `--format md` does not match the extension of `r.html`",
        ),
    ];
    for (args, message) in cases {
        let out = kpi_report(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).starts_with(message),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_failing_render_leaves_the_existing_report_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    // `valeu` is not a field of the model: strict mode fails on the first row.
    fs::write(templates.join("row.md.hbs"), "| {{name}} | {{valeu}} |\n").unwrap();
    let reports = dir.path().join("reports");
    fs::create_dir(&reports).unwrap();
    let existing = b"# last month's report\n\nkept byte for byte\n";
    fs::write(reports.join("2026-03.md"), existing).unwrap();

    let out = kpi_report(
        dir.path(),
        &["--output", "reports/2026-03.md", "--templates", "templates"],
    );
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains(
            "error: templates/row.md.hbs:1:14: `valeu` is not a field of the report model"
        ),
        "{message}"
    );
    assert_eq!(fs::read(reports.join("2026-03.md")).unwrap(), existing);
    assert_eq!(listing(&reports), ["2026-03.md"]);
}

#[test]
fn a_template_override_replaces_the_built_in_one_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("row.md.hbs"),
        "- {{name}}: {{value}} ({{status.label}})\n",
    )
    .unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "mine"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("- First response time: 3\u{a0}min\u{a0}12\u{a0}s (off target)\n"),
        "{text}"
    );
    // The other templates are still the built-in ones.
    assert!(text.contains("## Details"));
}

#[test]
fn a_missing_templates_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: templates folder `nowhere` does not exist"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_template_linking_outside_its_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(dir.path().join("secret.txt"), "{{title}}").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), templates.join("row.md.hbs"))
        .unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "templates"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("links outside the templates folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn kpi_toml_gives_the_title_and_the_templates() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    fs::create_dir_all(project.join("look")).unwrap();
    fs::write(
        project.join("kpi.toml"),
        "title = \"Acme monthly\"\ntemplates = \"look\"\n",
    )
    .unwrap();
    fs::write(project.join("look/row.md.hbs"), "* {{id}}\n").unwrap();
    let out = kpi_report(
        dir.path(),
        &["--config", "project/kpi.toml", "--format", "md"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# Acme monthly — March 2026\n"), "{text}");
    assert!(text.contains("\n* churn\n"), "{text}");
    // A flag replaces the file's value.
    let out = kpi_report(
        dir.path(),
        &[
            "--config",
            "project/kpi.toml",
            "--format",
            "md",
            "--title",
            "Flag",
        ],
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("# Flag — March 2026\n")
    );
}

#[test]
fn a_missing_field_inside_if_is_an_error_too() {
    // Handlebars' own `if` treats a missing field as false; the report's `if` refuses it.
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("row.md.hbs"),
        "| {{name}} |{{#if pase}} {{pace.label}}{{/if}}\n",
    )
    .unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "templates"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error: templates/row.md.hbs:1:13: `pase` is not a field of the report model"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_output_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = kpi_report(dir.path(), &["--output", "reports/2026/2026-03.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("reports/2026/2026-03.md").is_file());
}

#[test]
fn a_broken_template_is_reported_before_the_data_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("row.md.hbs"), "| {{name} |\n").unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "templates"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr(&out);
    assert!(
        stderr.starts_with("error: templates/row.md.hbs:1:"),
        "{stderr}"
    );
    assert!(!stderr.contains("note: evaluating"), "{stderr}");
}

/// The renderer parses only the built-in templates a report calls (issue 22), found in the
/// parsed templates: one no Markdown template calls is still there for an override that does.
#[test]
fn an_override_may_call_a_built_in_partial_the_format_does_not_use() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("report.md.hbs"), "<<{{> style.css}}>>").unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "mine"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let css =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/style.css.hbs"))
            .unwrap();
    // The style sheet has no `{{`: it comes out as its own text, byte for byte.
    assert!(!css.contains("{{"));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("<<{css}>>"));
}

/// An override is checked on every run even when the report never calls it, as before the
/// renderer learned to skip the built-in templates it does not reach.
#[test]
fn a_broken_override_no_report_calls_is_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("mine");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("style.css.hbs"),
        "body {\n  color: {{red;\n}\n",
    )
    .unwrap();
    let out = kpi_report(dir.path(), &["--format", "md", "--templates", "mine"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr(&out);
    assert!(
        stderr.starts_with("error: mine/style.css.hbs:2:"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A report's rows reach a template one at a time (the renderer serialises each as `{{#each
/// rows}}` comes to it): an override still sees every row in order, with `@index`, `@first`,
/// `@last`, block parameters, `../` and `@root`.
#[test]
fn an_override_walks_the_rows_as_handlebars_does() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(
        templates.join("report.md.hbs"),
        "{{#each sections}}{{#each families}}{{#each rows as |r i|}}{{i}}{{#if @first}}<{{/if}}{{#if @last}}>{{/if}} {{{r.id}}} {{{id}}} {{../name}} {{@root.period}}\n{{/each}}{{/each}}{{/each}}",
    )
    .unwrap();
    let out = kpi_report(dir.path(), &["--templates", "templates", "--format", "md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // KPIs then metrics, families by name, rows by id: read off the fixture's definitions.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0<> revenue revenue business 2026-03\n\
         0< churn churn customer 2026-03\n\
         1 conversion conversion customer 2026-03\n\
         2> nps nps customer 2026-03\n\
         0<> weird weird marketing 2026-03\n\
         0<> response_time response_time support 2026-03\n\
         0< avg_basket avg_basket business 2026-03\n\
         1 log_orders log_orders business 2026-03\n\
         2> revenue_per_visit revenue_per_visit business 2026-03\n\
         0< active active marketing 2026-03\n\
         1> visits_total visits_total marketing 2026-03\n"
    );
}
