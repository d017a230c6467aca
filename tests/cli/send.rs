//! `kpi send`, end to end, against real servers on 127.0.0.1 that the tests start: an SMTP
//! server (`tests/servers/smtp_server.py`, aiosmtpd) with STARTTLS or TLS from the start on a
//! certificate made for the test and password authentication, which stores what it receives;
//! and an HTTP server (`tests/servers/webhook_server.py`) that records the Slack webhook's JSON
//! and answers a chosen status. The received message is read back with Python's `email`
//! package (`tests/mail/inspect.py`), a MIME parser independent of lettre. kpi trusts
//! the test's root through `SSL_CERT_FILE`, as it would a company's private root. Nothing is
//! skipped: without Python and aiosmtpd these tests fail, saying how to install them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{Project, Run, churn_kpi};

const PASSWORD: &str = "pa55:w0rd/9d1e";
const TOKEN: &str = "XyZtOkEn0123456789";

/// The Python that runs the test servers: `KPI_TEST_PYTHON` (scripts/test sets it), else
/// `python3`; it must have aiosmtpd.
fn python() -> String {
    let python = std::env::var("KPI_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "`{python}` cannot import aiosmtpd, which the SMTP test server needs: run the tests with \
         `scripts/test` (which installs it), or `pip install aiosmtpd==1.4.6`, or set \
         KPI_TEST_PYTHON to a Python that has it"
    );
    python
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/servers")
        .join(name)
}

/// A test server: its process (killed when dropped), its port and its folder.
struct Server {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Server {
    /// Starts `script` with `args` after its folder, and waits for its `PORT n` line.
    fn start(name: &str, args: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python())
            .arg(script(name))
            .arg(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the test server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} did not start (said {line:?})"));
        Server { child, port, dir }
    }

    /// An SMTP server: STARTTLS (or TLS from the start), user `kpi` with [`PASSWORD`],
    /// refusing the `reject` recipients.
    fn smtp(implicit_tls: bool, reject: &[&str]) -> Server {
        let mut args = vec!["--user", "kpi", "--password", PASSWORD];
        if implicit_tls {
            args.push("--implicit-tls");
        }
        for r in reject {
            args.extend(["--reject", r]);
        }
        Server::start("smtp_server.py", &args)
    }

    /// A webhook answering `status` with `body`.
    fn webhook(status: u16, body: &str) -> Server {
        Server::start(
            "webhook_server.py",
            &["--status", &status.to_string(), "--body", body],
        )
    }

    /// The SMTP URL with `password`.
    fn smtp_url(&self, scheme: &str, password: &str) -> String {
        let encoded: String = password
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("{scheme}://kpi:{encoded}@127.0.0.1:{}", self.port)
    }

    fn webhook_url(&self) -> String {
        format!("http://127.0.0.1:{}/services/T0/B0/{TOKEN}", self.port)
    }

    /// The test root the server's certificate is signed by.
    fn root(&self) -> String {
        self.dir.path().join("root.crt").display().to_string()
    }

    /// The messages received: each envelope (JSON) and the message parsed by Python.
    fn messages(&self) -> Vec<(Value, Value)> {
        let dir = self.dir.path().join("messages");
        let mut n = 1;
        let mut out = Vec::new();
        while dir.join(format!("{n}.eml")).exists() {
            let envelope = std::fs::read_to_string(dir.join(format!("{n}.json"))).unwrap();
            out.push((
                serde_json::from_str(&envelope).unwrap(),
                parse_email(&dir.join(format!("{n}.eml"))),
            ));
            n += 1;
        }
        out
    }

    /// The webhook's requests.
    fn requests(&self) -> Vec<Value> {
        let mut n = 1;
        let mut out = Vec::new();
        while let Ok(text) = std::fs::read_to_string(self.dir.path().join(format!("{n}.json"))) {
            out.push(serde_json::from_str(&text).unwrap());
            n += 1;
        }
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The message parsed by Python's `email` package (`tests/mail/inspect.py`).
fn parse_email(path: &Path) -> Value {
    crate::email::inspect(&std::fs::read(path).unwrap())
}

/// A project with churn off target in 2026-10 and a `[delivery]` table with `extra`.
fn project(delivery: &str) -> Project {
    Project::new()
        .file(
            "kpi.toml",
            &format!(
                "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\ntitle = \"Acme — KPIs\"\n\
                 company = \"Acmé\"\n\n[delivery]\n{delivery}"
            ),
        )
        .file(
            "metrics.d/churn.toml",
            &churn_kpi().replace(
                "name = \"Some KPI\"",
                "name = \"Churn <rate> & co\"\nowner = \"Growth team\"",
            ),
        )
        .file(
            "data.csv",
            "period,customers_lost,customers_start\n2026-09,4,100\n2026-10,9,100\n",
        )
}

const EMAIL: &str = "from = \"KPI reports <kpi@acme.test>\"\n\
                     to = [\"ceo@acme.test\", \"Léa Martin <lea@acme.test>\"]\n\
                     cc = [\"finance@acme.test\"]\nsmtp = \"KPI_TEST_SMTP\"\n";

/// Runs `kpi send` with the servers' URLs and the test root; checks that no secret shows.
fn send(project: &Project, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["send"];
    all.extend(args);
    let run = project.run_with(&all, env, None);
    for secret in [PASSWORD, "pa55%3Aw0rd", TOKEN, "/services/"] {
        assert!(!run.stdout.contains(secret), "{secret} in {}", run.stdout);
        assert!(!run.stderr.contains(secret), "{secret} in {}", run.stderr);
    }
    run
}

#[test]
fn sends_the_report_by_email_over_starttls_with_a_password() {
    let smtp = Server::smtp(false, &[]);
    let url = smtp.smtp_url("smtp", PASSWORD);
    let run = send(
        &project(EMAIL),
        &[],
        &[("KPI_TEST_SMTP", &url), ("SSL_CERT_FILE", &smtp.root())],
    )
    .code(0);
    assert_eq!(
        run.stdout,
        format!(
            "sent the report for October 2026 by email to `ceo@acme.test`, `lea@acme.test`, \
             `finance@acme.test` through 127.0.0.1:{}\n",
            smtp.port
        )
    );
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "one message, to every recipient");
    let (envelope, email) = &messages[0];
    assert_eq!(envelope["mail_from"], "kpi@acme.test");
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["ceo@acme.test", "lea@acme.test", "finance@acme.test"])
    );
    assert_eq!(envelope["tls"], true, "STARTTLS before anything else");
    assert_eq!(envelope["authenticated"], true);
    // Headers, the subject decoded from RFC 2047 by Python.
    assert_eq!(email["headers"]["Subject"], "Acmé KPIs — October 2026");
    assert!(email["raw_subject"].as_str().unwrap().contains("=?utf-8?"));
    assert_eq!(email["headers"]["From"], "KPI reports <kpi@acme.test>");
    assert_eq!(
        email["to"],
        serde_json::json!(["ceo@acme.test", "lea@acme.test"])
    );
    assert!(
        email["headers"]["To"]
            .as_str()
            .unwrap()
            .contains("Léa Martin")
    );
    assert_eq!(email["cc"], serde_json::json!(["finance@acme.test"]));
    assert_eq!(email["headers"]["Date"], "Sun, 01 Nov 2026 08:00:00 +0000");
    assert_eq!(email["headers"]["MIME-Version"], "1.0");
    assert_eq!(email["defects"], serde_json::json!([]));
    // The parts: the Markdown report as text, the email's HTML with its images (the message
    // `kpi report --format email` writes, tests/cli/email.rs).
    assert_eq!(email["structure"][0], "multipart/alternative");
    let parts = email["parts"].as_array().unwrap();
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[0]["charset"], "utf-8");
    let text = parts[0]["text"].as_str().unwrap();
    assert!(text.starts_with("# Acme — KPIs — October 2026\n"), "{text}");
    assert!(text.contains("Churn \\<rate\\> & co"), "{text}");
    assert_eq!(parts[1]["content_type"], "text/html");
    let html = parts[1]["text"].as_str().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("Churn &lt;rate&gt; &amp; co"));
    assert!(!html.contains("<svg"), "charts are images");
    let images = &parts[2..];
    assert!(!images.is_empty());
    for image in images {
        assert_eq!(image["content_type"], "image/png");
        let cid = image["content_id"].as_str().unwrap();
        let cid = cid.trim_start_matches('<').trim_end_matches('>');
        assert!(html.contains(&format!("src=\"cid:{cid}\"")), "{cid}");
    }
}

#[test]
fn sends_over_tls_from_the_start_in_french_and_the_same_bytes_each_time() {
    let smtp = Server::smtp(true, &[]);
    let url = smtp.smtp_url("smtps", PASSWORD);
    let env = [
        ("KPI_TEST_SMTP", url.as_str()),
        ("SSL_CERT_FILE", &smtp.root()),
    ];
    let project = project(EMAIL);
    send(&project, &["--locale", "fr"], &env).code(0);
    send(&project, &["--locale", "fr"], &env).code(0);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2);
    let (envelope, email) = &messages[0];
    assert_eq!(envelope["tls"], true);
    assert_eq!(
        email["headers"]["Subject"],
        "Indicateurs Acmé — octobre 2026"
    );
    let bytes = |n: u32| std::fs::read(smtp.dir.path().join(format!("messages/{n}.eml"))).unwrap();
    assert_eq!(bytes(1), bytes(2), "the same inputs give the same message");
}

#[test]
fn a_refused_password_is_one_located_error_without_the_secret() {
    let smtp = Server::smtp(false, &[]);
    let url = smtp.smtp_url("smtp", "wrong-pa55:w0rd/9d1e");
    let run = send(
        &project(EMAIL),
        &[],
        &[("KPI_TEST_SMTP", &url), ("SSL_CERT_FILE", &smtp.root())],
    )
    .code(1);
    assert_eq!(
        run.stderr,
        format!(
            "note: evaluating 2026-10, the latest month in the data\n\
             error: kpi.toml:10:8: cannot send the email through 127.0.0.1:{} (the SMTP server \
             in `KPI_TEST_SMTP`): it refused the user name and password: 535 5.7.8 \
             Authentication credentials invalid; the message was sent to no one\n",
            smtp.port
        )
    );
    assert!(!run.stderr.contains("wrong-pa55"));
    assert!(smtp.messages().is_empty());
}

#[test]
fn a_refused_recipient_among_several_is_named_and_the_others_get_the_message() {
    let smtp = Server::smtp(false, &["lea@acme.test"]);
    let url = smtp.smtp_url("smtp", PASSWORD);
    let run = send(
        &project(EMAIL),
        &[],
        &[("KPI_TEST_SMTP", &url), ("SSL_CERT_FILE", &smtp.root())],
    )
    .code(1);
    assert_eq!(
        run.stderr,
        format!(
            "note: evaluating 2026-10, the latest month in the data\n\
             error: kpi.toml:10:8: 127.0.0.1:{} (the SMTP server in `KPI_TEST_SMTP`) refused 1 of \
             3 recipients: `lea@acme.test` (550 5.1.1 <lea@acme.test>: Recipient address \
             rejected: User unknown); the message was sent to the 2 others: `ceo@acme.test`, \
             `finance@acme.test`\n",
            smtp.port
        )
    );
    // What the error says is what the server received.
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].0["rcpt_tos"],
        serde_json::json!(["ceo@acme.test", "finance@acme.test"])
    );
}

#[test]
fn every_recipient_refused_means_sent_to_no_one() {
    let smtp = Server::smtp(false, &["ceo@acme.test"]);
    let url = smtp.smtp_url("smtp", PASSWORD);
    let run = send(
        &project(EMAIL),
        &["--to", "ceo@acme.test"],
        &[("KPI_TEST_SMTP", &url), ("SSL_CERT_FILE", &smtp.root())],
    )
    .code(1);
    assert!(
        run.stderr.contains("refused 1 of 1 recipient: `ceo@acme.test` (550 5.1.1 <ceo@acme.test>: Recipient address rejected: User unknown); the message was sent to no one\n"),
        "{}",
        run.stderr
    );
    assert!(smtp.messages().is_empty());
}

#[test]
fn to_replaces_the_recipients_and_drops_the_copies() {
    let smtp = Server::smtp(false, &[]);
    let url = smtp.smtp_url("smtp", PASSWORD);
    send(
        &project(EMAIL),
        &["--to", "me@acme.test"],
        &[("KPI_TEST_SMTP", &url), ("SSL_CERT_FILE", &smtp.root())],
    )
    .code(0);
    let messages = smtp.messages();
    assert_eq!(
        messages[0].0["rcpt_tos"],
        serde_json::json!(["me@acme.test"])
    );
    assert_eq!(messages[0].1["to"], serde_json::json!(["me@acme.test"]));
    assert_eq!(messages[0].1["cc"], serde_json::json!([]));
    // A flag's address is checked before any data is read, and said to be the flag's.
    let run = project(EMAIL)
        .run(&["send", "--dry-run", "--to", "me@acme.test,nobody"])
        .code(1);
    assert!(
        run.stderr
            .starts_with("error: `nobody` (given to `--to`) is not an email address: "),
        "{}",
        run.stderr
    );
}

#[test]
fn no_server_is_one_located_error() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("smtps://kpi:pa55%3Aw0rd%2F9d1e@127.0.0.1:{port}");
    let hook = format!("http://127.0.0.1:{port}/services/T0/B0/{TOKEN}");
    let run = send(
        &project(&format!("{EMAIL}{SLACK}")),
        &[],
        &[("KPI_TEST_SMTP", &url), ("KPI_TEST_SLACK", &hook)],
    )
    .code(1);
    assert_eq!(
        run.stderr,
        format!(
            "note: evaluating 2026-10, the latest month in the data\n\
             error: kpi.toml:10:8: cannot send the email through 127.0.0.1:{port} (the SMTP \
             server in `KPI_TEST_SMTP`): cannot connect: connection refused; the message was \
             sent to no one\n\
             error: kpi.toml:11:9: cannot post to Slack through 127.0.0.1:{port} (the webhook \
             in `KPI_TEST_SLACK`): cannot connect: connection refused\n"
        )
    );
}

#[test]
fn a_certificate_from_an_unknown_root_is_refused() {
    let smtp = Server::smtp(false, &[]);
    let url = smtp.smtp_url("smtp", PASSWORD);
    // The system's roots only: the test's root is not among them.
    let other = tempfile::tempdir().unwrap();
    let run = send(
        &project(EMAIL),
        &[],
        &[
            ("KPI_TEST_SMTP", &url),
            (
                "SSL_CERT_FILE",
                other.path().join("none.crt").to_str().unwrap(),
            ),
        ],
    )
    .code(1);
    assert!(
        run.stderr.contains("the TLS handshake failed: ") && run.stderr.contains("`SSL_CERT_FILE`"),
        "{}",
        run.stderr
    );
    assert!(
        smtp.messages().is_empty(),
        "nothing sent, not even the password"
    );
}

const SLACK: &str = "slack = \"KPI_TEST_SLACK\"\nlink = \"https://kpi.acme.test/2026-10.html\"\n";

#[test]
fn posts_the_month_the_counts_and_what_needs_attention_to_slack() {
    let hook = Server::webhook(200, "ok");
    let url = hook.webhook_url();
    let run = send(&project(SLACK), &[], &[("KPI_TEST_SLACK", &url)]).code(0);
    assert_eq!(
        run.stdout,
        format!(
            "posted the report for October 2026 to Slack through 127.0.0.1:{}\n",
            hook.port
        )
    );
    let requests = hook.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request["path"], format!("/services/T0/B0/{TOKEN}"));
    assert_eq!(request["content_type"], "application/json; charset=utf-8");
    let body = &request["json"];
    let blocks = body["blocks"].as_array().unwrap();
    let text = |i: usize| blocks[i]["text"]["text"].as_str().unwrap().to_string();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(text(0), "Acme — KPIs — October 2026");
    assert_eq!(
        text(1),
        "1 KPI · 🟢 *0* on target · 🟡 *0* at risk · 🔴 *1* off target · ⚪ *0* no data"
    );
    assert_eq!(text(2), "*Needs attention*");
    // Name (Slack's control characters escaped), value, target, change, owner.
    assert_eq!(
        text(3),
        "🔴 *Churn &lt;rate&gt; &amp; co* — 9.0% (target ≤\u{a0}5.0%) · off target\n\
         Change: ▲ +5.0\u{a0}pp (+125.0%) worse\nOwner: Growth team"
    );
    assert_eq!(
        text(4),
        "<https://kpi.acme.test/2026-10.html|Read the full report>"
    );
    assert_eq!(blocks.len(), 5);
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .starts_with("Acme — KPIs — October 2026: ")
    );
}

#[test]
fn a_webhook_answering_500_is_one_located_error_without_the_token() {
    let hook = Server::webhook(500, &format!("internal_error for {TOKEN}"));
    let url = hook.webhook_url();
    let run = send(&project(SLACK), &[], &[("KPI_TEST_SLACK", &url)]).code(1);
    assert_eq!(
        run.stderr,
        format!(
            "note: evaluating 2026-10, the latest month in the data\n\
             error: kpi.toml:7:9: cannot post to Slack through 127.0.0.1:{} (the webhook in \
             `KPI_TEST_SLACK`): the webhook answered 500: internal_error for …\n",
            hook.port
        )
    );
    assert_eq!(hook.requests().len(), 1);
}

#[test]
fn a_webhook_answering_404_is_an_error_too() {
    let hook = Server::webhook(404, "no_service");
    let url = hook.webhook_url();
    let run = send(&project(SLACK), &[], &[("KPI_TEST_SLACK", &url)]).code(1);
    assert!(
        run.stderr
            .ends_with("the webhook answered 404: no_service\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn dry_run_says_what_would_go_where_and_sends_nothing() {
    let smtp = Server::smtp(false, &[]);
    let hook = Server::webhook(200, "ok");
    let (smtp_url, hook_url) = (smtp.smtp_url("smtp", PASSWORD), hook.webhook_url());
    let project = project(&format!("{EMAIL}{SLACK}"));
    let env = [
        ("KPI_TEST_SMTP", smtp_url.as_str()),
        ("KPI_TEST_SLACK", hook_url.as_str()),
        ("SSL_CERT_FILE", &smtp.root()),
    ];
    let run = send(&project, &["--dry-run"], &env).code(0);
    let head = format!(
        "dry run: nothing is sent\n\nemail through 127.0.0.1:{} (`KPI_TEST_SMTP`)\n\
         From: KPI reports <kpi@acme.test>\n\
         To: ceo@acme.test, Léa Martin <lea@acme.test>\nCc: finance@acme.test\n\
         Subject: Acmé KPIs — October 2026\n",
        smtp.port
    );
    assert!(run.stdout.starts_with(&head), "{}", run.stdout);
    let slack = format!(
        "\nSlack through 127.0.0.1:{} (`KPI_TEST_SLACK`)\n",
        hook.port
    );
    let at = run.stdout.find(&slack).expect("the Slack part");
    let json: Value = serde_json::from_str(&run.stdout[at + slack.len()..]).unwrap();
    assert_eq!(
        json["blocks"][0]["text"]["text"],
        "Acme — KPIs — October 2026"
    );
    assert!(smtp.messages().is_empty());
    assert!(hook.requests().is_empty());
    // Without the secrets, a dry run still says what it would do.
    let run = send(&project, &["--dry-run"], &[]).code(0);
    assert!(
        run.stdout
            .contains("email through the server in `KPI_TEST_SMTP`, which is not set\n")
            && run
                .stdout
                .contains("Slack through the webhook in `KPI_TEST_SLACK`, which is not set\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn configuration_mistakes_are_located_and_show_no_secret() {
    // A URL where the variable's name belongs: its line is not shown.
    let run = project(&format!(
        "{}smtp = \"smtps://kpi:{PASSWORD}@mail.acme.test\"\n",
        EMAIL.replace("smtp = \"KPI_TEST_SMTP\"\n", "")
    ))
    .run(&["send", "--dry-run"])
    .code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:10:8: `smtp` takes the name of an environment variable, not a URL\n  \
         = help: credentials never live in files: put the URL in an environment variable and \
         write its name, `smtp = \"KPI_SMTP_URL\"`\n"
    );
    // An unset variable.
    let run = project(EMAIL).run(&["send"]).code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:10:8: `smtp` names the environment variable `KPI_TEST_SMTP`, which is \
         not set\n  = help: set it to the SMTP server's URL: `export \
         KPI_TEST_SMTP=smtps://user:password@smtp.example.com:465` (or `smtp://…:587` for \
         STARTTLS)\n"
    );
    // A variable that holds no SMTP URL: said without its value.
    let run = send(
        &project(EMAIL),
        &[],
        &[(
            "KPI_TEST_SMTP",
            "https://kpi:pa55%3Aw0rd%2F9d1e@mail.acme.test",
        )],
    )
    .code(1);
    assert!(
        run.stderr.ends_with(
            "error: kpi.toml:10:8: `KPI_TEST_SMTP` (`smtp` of `[delivery]`) does not hold an SMTP \
             URL (`smtps://user:password@host:465`, or `smtp://user:password@host:587` for \
             STARTTLS): its scheme is neither `smtp` nor `smtps`\n"
        ),
        "{}",
        run.stderr
    );
    // Values that are not addresses, an unknown placeholder, a link that is no web address:
    // all at once.
    let run = Project::new()
        .file(
            "kpi.toml",
            "[delivery]\nsubject = \"{{compnay}} {{month}}\"\nfrom = \"kpi\"\n\
             to = [\"a@acme.test\", 3]\nsmtp = \"KPI_TEST_SMTP\"\nlink = \"javascript:x\"\n",
        )
        .run(&["send", "--dry-run"])
        .code(1);
    insta::assert_snapshot!(run.stderr);
    // An unknown key, with the closest.
    let run = Project::new()
        .file(
            "kpi.toml",
            "[delivery]\nslack = \"KPI_TEST_SLACK\"\nlinks = \"x\"\n",
        )
        .run(&["send", "--dry-run"])
        .code(1);
    insta::assert_snapshot!("unknown_key", run.stderr);
}

#[test]
fn a_subject_naming_the_company_needs_one() {
    let run = Project::new()
        .file(
            "kpi.toml",
            "[delivery]\nfrom = \"kpi@acme.test\"\nto = \"a@acme.test\"\nsmtp = \"KPI_TEST_SMTP\"\n",
        )
        .run(&["send", "--dry-run"])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: kpi.toml:1:1: `subject` uses `{{company}}` and kpi.toml has no `company`\n  \
         |\n1 | [delivery]\n  | ^^^^^^^^^^\n  = help: add `company = \"Acme\"` at the top of \
         kpi.toml, or write a `subject` in `[delivery]`\n"
    );
    let run = Project::new()
        .file("kpi.toml", "title = \"x\"\n")
        .run(&["send"])
        .code(2);
    assert!(
        run.stderr.contains("has no `[delivery]` table"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_server_that_never_answers_is_a_timeout_at_the_configured_limit() {
    // Listeners that take connections (the kernel's backlog) and never say a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let smtp = format!("smtps://kpi:pa55%3Aw0rd%2F9d1e@127.0.0.1:{port}");
    let hook = format!("http://127.0.0.1:{port}/services/T0/B0/{TOKEN}");
    let project = project(&format!("{EMAIL}{SLACK}timeout = 1\n"));
    let started = std::time::Instant::now();
    let run = send(
        &project,
        &[],
        &[("KPI_TEST_SMTP", &smtp), ("KPI_TEST_SLACK", &hook)],
    )
    .code(1);
    assert_eq!(
        run.stderr,
        format!(
            "note: evaluating 2026-10, the latest month in the data\n\
             error: kpi.toml:10:8: cannot send the email through 127.0.0.1:{port} (the SMTP \
             server in `KPI_TEST_SMTP`): it did not answer within 1 second; the message was \
             sent to no one\n\
             error: kpi.toml:11:9: cannot post to Slack through 127.0.0.1:{port} (the webhook \
             in `KPI_TEST_SLACK`): it did not answer within 1 second\n"
        )
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    drop(silent);
}
