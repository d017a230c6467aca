//! `kpi report --format email` through the real binary, read back by independent tools:
//! Python's `email` package parses the message (`tests/mail/inspect.py`), and doiuse-email,
//! with caniemail's data, checks the HTML part against what Gmail, Outlook for Windows and
//! Outlook.com support.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Project, inputs, metric};

/// A metric read straight from the `visits` column.
fn signups() -> String {
    metric("visits", "") + &inputs(&["visits"])
}

/// A project of one metric with data for October 2026.
fn small_project() -> Project {
    Project::new()
        .file("metrics.d/signups.toml", &signups())
        .file("data.csv", "period,visits\n2026-09,10\n2026-10,12\n")
}

/// `kpi report` on [`small_project`]'s files, with `extra` arguments.
fn report(project: &Project, extra: &[&str]) -> crate::support::Run {
    let args = [
        &["report", "--metrics", "metrics.d", "--data", "data.csv"][..],
        extra,
    ]
    .concat();
    project.run(&args)
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `kpi` at the root of the repository and returns its stdout; fails on any error.
fn kpi(args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("kpi runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The example's October report with `extra` arguments (a format at least), as bytes.
pub(crate) fn example_report(extra: &[&str]) -> Vec<u8> {
    let args = [
        &[
            "report",
            "--config",
            "examples/saas/kpi.toml",
            "--period",
            "2026-10",
        ][..],
        extra,
    ]
    .concat();
    kpi(&args)
}

/// The example's October email, with `extra` arguments, as bytes.
fn example_email(extra: &[&str]) -> Vec<u8> {
    example_report(&[&["--format", "email"][..], extra].concat())
}

/// What Python's MIME parser finds in `message` (see `tests/mail/inspect.py`).
pub(crate) fn inspect(message: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("message.eml");
    std::fs::write(&path, message).unwrap();
    let output = Command::new("python3")
        .arg(root().join("tests/mail/inspect.py"))
        .arg(&path)
        .output()
        .expect("python3 runs (the tests read emails with Python's own `email` package)");
    assert!(
        output.status.success(),
        "inspect.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("inspect.py prints JSON")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is text: {v}"))
}

/// Every `<img>` of the HTML as (cid, width, height), from its attributes.
fn images_named(html: &str) -> Vec<(String, u64, u64)> {
    html.split("<img ")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find('>').expect("a closed tag")];
            let attribute = |name: &str| {
                let start = tag
                    .find(&format!(" {name}=\""))
                    .or_else(|| tag.starts_with(&format!("{name}=\"")).then_some(0))
                    .unwrap_or_else(|| panic!("<img {tag}> has no {name}"));
                let rest = &tag[start..];
                let rest = &rest[rest.find('"').unwrap() + 1..];
                rest[..rest.find('"').unwrap()].to_string()
            };
            let src = attribute("src");
            let cid = src
                .strip_prefix("cid:")
                .unwrap_or_else(|| panic!("an image that is not attached: {src}"))
                .to_string();
            (
                cid,
                attribute("width").parse().unwrap(),
                attribute("height").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_example_email_parses_into_text_html_and_its_images() {
    let message = example_email(&[
        "--to",
        "Chief Executive <ceo@example.com>",
        "--to",
        "cfo@example.com",
    ]);
    let email = inspect(&message);
    assert_eq!(
        email["defects"],
        serde_json::json!([]),
        "{}",
        email["defects"]
    );
    // RFC 5322: CRLF line ends, lines of at most 78 characters.
    assert_eq!(email["line_ends"], "crlf");
    assert!(email["longest_line"].as_u64().unwrap() <= 78);
    let headers = &email["headers"];
    // The example's kpi.toml names its company and `[delivery]`; `--to` replaces its
    // recipients and leaves out those in copy.
    assert_eq!(str_of(headers, "Subject"), "Fernwood KPIs — October 2026");
    assert_eq!(
        str_of(headers, "To"),
        "Chief Executive <ceo@example.com>, cfo@example.com"
    );
    assert!(headers.get("Cc").is_none(), "{headers}");
    assert_eq!(
        str_of(headers, "From"),
        "Fernwood KPIs <kpi@fernwood.example>"
    );
    // The morning after the month reported, whatever the day the test runs.
    assert_eq!(str_of(headers, "Date"), "Sun, 01 Nov 2026 08:00:00 +0000");
    assert_eq!(str_of(headers, "MIME-Version"), "1.0");

    // multipart/alternative: the text, then the HTML with its images.
    let structure = &email["structure"];
    assert_eq!(structure[0], "multipart/alternative");
    assert_eq!(structure[1][0], "text/plain");
    assert_eq!(structure[1][1][0], "multipart/related");
    let related = structure[1][1][1].as_array().unwrap();
    assert_eq!(related[0], "text/html");
    assert!(related[1..].iter().all(|p| p == "image/png"), "{related:?}");

    // The text part is the Markdown report.
    let markdown = String::from_utf8(example_report(&["--format", "md"])).unwrap();
    assert_eq!(str_of(&email, "text").trim_end(), markdown.trim_end());

    // Every image the HTML names is attached, inline, once, and every attachment is named;
    // each PNG is drawn at twice the size the HTML gives it.
    let html = str_of(&email, "html");
    let named = images_named(html);
    let attached: Vec<&Value> = email["images"].as_array().unwrap().iter().collect();
    let named_cids: BTreeSet<&str> = named.iter().map(|(cid, _, _)| cid.as_str()).collect();
    let attached_cids: BTreeSet<&str> = attached.iter().map(|i| str_of(i, "cid")).collect();
    assert_eq!(named_cids, attached_cids);
    assert_eq!(
        attached.len(),
        attached_cids.len(),
        "an image attached twice"
    );
    for (cid, width, height) in &named {
        let image = attached.iter().find(|i| str_of(i, "cid") == cid).unwrap();
        assert_eq!(image["type"], "image/png");
        assert_eq!(image["disposition"], "inline");
        assert_eq!(image["width"].as_u64(), Some(2 * width), "{cid}");
        assert_eq!(image["height"].as_u64(), Some(2 * height), "{cid}");
    }
    // 17 KPIs and 6 other metrics (the report's own count): one trend image each.
    let trends = named_cids
        .iter()
        .filter(|c| c.starts_with("trend."))
        .count();
    assert_eq!(trends, 17 + 6);
    assert!(named_cids.contains("chart.mrr@kpi"));

    // What a reader must see without styles: the counts, the colours of the statuses, the
    // attention list with its figures.
    assert!(html.contains("Needs attention"));
    assert!(html.contains("Monthly recurring revenue (MRR)"));
    assert!(html.contains("€227,049"), "the MRR value");
    assert!(
        html.contains("background-color:#ffe2e0"),
        "off target's colour"
    );
    assert!(
        html.contains("background-color:#dafbe1"),
        "on target's colour"
    );
    // Under Gmail's 102 KB clip, with room to spare.
    assert!(
        html.len() < 100_000,
        "the HTML part is {} bytes",
        html.len()
    );
}

#[test]
fn the_html_part_uses_nothing_gmail_or_outlook_drops() {
    let email = inspect(&example_email(&[]));
    let html = str_of(&email, "html");
    // The rules caniemail's data gives for Gmail, Outlook for Windows and Outlook.com, kept
    // here so that a failure names the feature even without Node.
    for (feature, why) in [
        ("<svg", "inline SVG: Gmail and Outlook show none"),
        (
            "<style",
            "style sheets: Gmail drops them in many cases; inline styles only",
        ),
        ("<script", "scripts never run in mail"),
        ("<link", "external style sheets are not loaded"),
        ("var(", "CSS variables: Gmail and Outlook drop them"),
        ("display:flex", "flex layout: Gmail and Outlook drop it"),
        ("display:grid", "grid layout: Gmail and Outlook drop it"),
        ("position:", "positioning: Gmail and Outlook drop it"),
        ("url(", "CSS images: Outlook for Windows shows none"),
        ("border-radius", "Outlook for Windows draws square corners"),
        ("white-space", "Outlook for Windows ignores it"),
        (
            "src=\"http",
            "remote images are blocked until the reader allows them",
        ),
        ("data:", "data URIs: Gmail and Outlook show none"),
    ] {
        assert!(
            !html.contains(feature),
            "`{feature}` in the HTML part: {why}"
        );
    }

    // caniemail's data, through doiuse-email (installed by `npm ci --prefix tests/mail`,
    // which scripts/test runs).
    let cli = root().join("tests/mail/node_modules/doiuse-email/bin/cli.js");
    assert!(
        cli.exists(),
        "doiuse-email is not installed: run `npm ci --prefix tests/mail` (scripts/test does)"
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("email.html");
    std::fs::write(&page, html).unwrap();
    let output = Command::new("node")
        .arg(&cli)
        .arg("--email-clients=gmail.*,outlook.windows,outlook.outlook-com")
        .arg(&page)
        .output()
        .expect("node runs");
    let verdict: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "doiuse-email printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    // Only what is not supported fails; "partially supported" notes are for reading.
    assert_eq!(verdict["success"], true, "{}", verdict["errors"]);
    assert!(verdict["errors"].is_null(), "{}", verdict["errors"]);
}

#[test]
fn the_same_report_is_the_same_message_unless_dated_now() {
    let first = example_email(&[]);
    assert_eq!(first, example_email(&[]));
    let now = inspect(&example_email(&["--date", "now"]));
    let date = str_of(&now["headers"], "Date");
    assert_ne!(date, "Sun, 01 Nov 2026 08:00:00 +0000");
    // The year it is where the test runs, read from the system clock by `date`.
    let year = Command::new("date").arg("-u").arg("+%Y").output().unwrap();
    let year = String::from_utf8(year.stdout).unwrap();
    assert!(date.contains(year.trim()), "{date}");
}

#[test]
fn the_french_email_is_in_french() {
    let email = inspect(&example_email(&["--locale", "fr"]));
    assert_eq!(
        str_of(&email["headers"], "Subject"),
        "Indicateurs Fernwood — octobre 2026"
    );
    // `[delivery]`'s recipients, without `--to`.
    assert_eq!(
        str_of(&email["headers"], "To"),
        "leadership@fernwood.example"
    );
    assert_eq!(str_of(&email["headers"], "Cc"), "product@fernwood.example");
    let html = str_of(&email, "html");
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(
        html.contains("Points d&#x27;attention"),
        "the attention list's heading"
    );
    assert!(str_of(&email, "text").contains("octobre 2026"));
}

#[test]
fn an_eml_file_is_an_email_written_atomically() {
    let project = small_project();
    let run = report(&project, &["--output", "out/2026-10.eml"]).code(0);
    assert!(
        run.stderr.contains("wrote out/2026-10.eml"),
        "{}",
        run.stderr
    );
    let message = std::fs::read(project.join("out/2026-10.eml")).unwrap();
    let email = inspect(&message);
    assert_eq!(email["structure"][0], "multipart/alternative");
    // The English default subject names the report's title.
    assert_eq!(
        str_of(&email["headers"], "Subject"),
        "KPI report — October 2026"
    );
}

#[test]
fn a_recipient_that_is_no_address_is_named() {
    let project = small_project();
    let run = report(
        &project,
        &["--output", "report.eml", "--to", "ceo at example dot com"],
    )
    .code(1);
    assert!(
        run.stderr
            .contains("error: `ceo at example dot com` in `to` is not an email address"),
        "{}",
        run.stderr
    );
    assert!(!project.join("report.eml").exists());
}

#[test]
fn an_email_template_naming_an_unknown_image_fails_before_writing() {
    let project = small_project().file(
        "templates/email.html.hbs",
        "<p>{{title}}</p><img src=\"cid:chart.nothing@kpi\" width=\"1\" height=\"1\">\n",
    );
    let run = report(
        &project,
        &["--templates", "templates", "--output", "report.eml"],
    )
    .code(1);
    assert!(
        run.stderr.contains(
            "error: email image `cid:chart.nothing@kpi`: the report has no metric `nothing`"
        ),
        "{}",
        run.stderr
    );
    assert!(!project.join("report.eml").exists());
}

#[test]
fn the_format_flag_and_the_extension_must_agree() {
    let run = report(
        &small_project(),
        &["--format", "email", "--output", "report.html"],
    )
    .code(2);
    assert!(
        run.stderr
            .contains("`--format email` does not match the extension of `report.html`"),
        "{}",
        run.stderr
    );
}

/// The committed example files (`examples/saas/reports/`: October 2026's, and the third
/// quarter's Markdown) are what kpi renders today: a change of wording or layout must be
/// committed with them, by `scripts/example-reports`.
#[test]
fn the_committed_example_reports_are_current() {
    let dir: PathBuf = root().join("examples/saas/reports");
    for (file, period, format) in [
        ("2026-10.md", "2026-10", "md"),
        ("2026-10.html", "2026-10", "html"),
        ("2026-10.eml", "2026-10", "email"),
        ("2026-Q3.md", "2026-Q3", "md"),
    ] {
        let rendered = kpi(&[
            "report",
            "--config",
            "examples/saas/kpi.toml",
            "--period",
            period,
            "--format",
            format,
            "--locale",
            "en",
        ]);
        let committed = std::fs::read(dir.join(file))
            .unwrap_or_else(|e| panic!("examples/saas/reports/{file}: {e}"));
        assert!(
            committed == rendered,
            "examples/saas/reports/{file} is not what kpi renders: run scripts/example-reports and review the diff"
        );
    }
}

/// The text and HTML parts, pinned in both languages.
#[test]
fn the_example_email_parts_in_both_languages() {
    for locale in ["en", "fr"] {
        let email = inspect(&example_email(&["--locale", locale]));
        insta::assert_snapshot!(
            format!("example_email_text_{locale}"),
            str_of(&email, "text")
        );
        insta::assert_snapshot!(
            format!("example_email_html_{locale}"),
            str_of(&email, "html")
        );
    }
}

/// A company name with a line break cannot add a header: the subject stays one line.
#[test]
fn a_line_break_in_the_company_cannot_add_a_header() {
    let project = small_project().file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\ncompany = \"Acme\\r\\nBcc: evil@example.com\"\n\n[delivery]\nfrom = \"kpi@acme.example\"\nto = [\"ceo@acme.example\"]\n",
    );
    let run = project.run(&["report", "--output", "report.eml"]).code(0);
    let message = std::fs::read(project.join("report.eml")).unwrap();
    let email = inspect(&message);
    let headers = &email["headers"];
    assert!(headers.get("Bcc").is_none(), "{headers} {}", run.stderr);
    assert_eq!(
        str_of(headers, "Subject"),
        "Acme  Bcc: evil@example.com KPIs — October 2026"
    );
    assert_eq!(str_of(headers, "To"), "ceo@acme.example");
    let raw = String::from_utf8_lossy(&message);
    assert!(!raw.contains("\r\nBcc:"), "{raw}");
}
