//! `kpi send` with the `send` feature: the secrets read, the addresses parsed, the report
//! built as `kpi report` builds it, then the email (`kpi report --format email`'s message) and
//! the Slack message composed and sent, or printed with `--dry-run`.

use std::str::FromStr;

use kpi_core::delivery::{Located, fill_subject};
use kpi_core::diagnostic::ConfigProblem;
use kpi_core::{Diagnostic, Problem};
use kpi_report::{EmailRenderer, Envelope};
use lettre::message::Mailbox;

use crate::cmd::report;
use crate::console::Console;
use crate::error::{CliError, Failure, SendError, SmtpTrouble};
use crate::send::scrub;
use crate::send::slack::{self, Webhook};
use crate::send::smtp::{self, Server};
use crate::settings;
use crate::terminal::escape;

/// A channel's URL, read from the variable `[delivery]` names.
struct Secret<T> {
    /// The key and the variable, located.
    variable: Located<String>,
    /// What the URL says; `None` in a dry run when the variable is not set.
    value: Option<T>,
    /// The strings to keep out of every message.
    secrets: Vec<String>,
}

/// Runs `kpi send`.
pub fn run(settings: settings::Send, console: &mut Console) -> Result<(), CliError> {
    let dry = settings.dry_run;
    let d = &settings.delivery;
    let smtp = d
        .smtp
        .as_ref()
        .map(|v| secret("smtp", v, dry, Server::parse, smtp_secrets))
        .transpose()?;
    let slack = d
        .slack
        .as_ref()
        .map(|v| secret("slack", v, dry, Webhook::parse, |w, _| w.secrets()))
        .transpose()?;
    let from = d.from.as_ref().map(|a| mailbox("from", a)).transpose()?;
    let to =
        d.to.iter()
            .map(|a| mailbox("to", a))
            .collect::<Result<Vec<_>, _>>()?;
    let cc =
        d.cc.iter()
            .map(|a| mailbox("cc", a))
            .collect::<Result<Vec<_>, _>>()?;

    // Templates are parsed first: a broken override is reported before any data is read.
    let renderer = EmailRenderer::new(&settings.templates)?;
    let report = report::build(
        &report::Inputs {
            month: &settings.month,
            notes: settings.notes.as_deref(),
            title: settings.title.clone(),
            style: settings.style,
            with_descriptions: false,
        },
        console,
    )?;
    let subject = fill_subject(&settings.subject, &settings.company, &report.period_label);
    let strings = |list: &[Mailbox]| list.iter().map(ToString::to_string).collect();
    let message = match &from {
        Some(from) if smtp.is_some() => Some(
            renderer
                .render(
                    &report,
                    &Envelope {
                        subject: subject.clone(),
                        from: Some(from.to_string()),
                        to: strings(&to),
                        cc: strings(&cc),
                        date: None,
                    },
                )?
                .message,
        ),
        _ => None,
    };
    let blocks = slack
        .as_ref()
        .map(|_| slack::message(&report, d.link.as_ref().map(|l| l.value.as_str())));
    if dry {
        let email = smtp.as_ref().zip(message.as_deref());
        let mut text = "dry run: nothing is sent\n".to_string();
        if let (Some((smtp, bytes)), Some(from)) = (email, &from) {
            text.push_str(&dry_email(smtp, from, &to, &cc, &subject, bytes.len()));
        }
        if let (Some(slack), Some(blocks)) = (&slack, &blocks) {
            text.push_str(&dry_slack(slack, blocks));
        }
        return console.print(&text);
    }
    let mut failures = Vec::new();
    if let (Some(smtp), Some(bytes), Some(from)) = (&smtp, &message, &from) {
        let recipients = recipients(&to, &cc);
        match mail(smtp, from, &recipients, bytes, d.timeout) {
            Ok(sent) => console.print(&format!(
                "sent the report for {} by email to {} through {}\n",
                report.period_label,
                listed(&sent),
                server_name(smtp)
            ))?,
            Err(e) => failures.push(e),
        }
    }
    if let (Some(slack), Some(blocks)) = (&slack, &blocks) {
        match post(slack, blocks, d.timeout) {
            Ok(host) => console.print(&format!(
                "posted the report for {} to Slack through {host}\n",
                report.period_label
            ))?,
            Err(e) => failures.push(e),
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failure::Send(failures).into())
    }
}

/// Reads the variable `located` names and its URL with `parse`. Unset, it is an error
/// located at the key, except in a dry run, which needs no secret.
fn secret<T>(
    key: &'static str,
    located: &Located<String>,
    dry: bool,
    parse: fn(&str) -> Result<T, &'static str>,
    secrets: fn(&T, &str) -> Vec<String>,
) -> Result<Secret<T>, CliError> {
    let name = &located.value;
    let text = match std::env::var(name) {
        Ok(text) if !text.trim().is_empty() => text,
        _ if dry => {
            return Ok(Secret {
                variable: located.clone(),
                value: None,
                secrets: Vec::new(),
            });
        }
        _ => {
            return Err(Diagnostic::error(
                Problem::Config(ConfigProblem::DeliveryVariableUnset {
                    key,
                    variable: name.clone(),
                }),
                Some(located.location.clone()),
            )
            .into());
        }
    };
    let value = parse(&text).map_err(|why| {
        Failure::Send(vec![SendError::BadUrl {
            key,
            variable: name.clone(),
            at: located.location.to_string(),
            why,
        }])
    })?;
    let secrets = secrets(&value, &text);
    Ok(Secret {
        variable: located.clone(),
        value: Some(value),
        secrets,
    })
}

/// What an SMTP URL holds that must never be shown: the URL, the password as given and
/// percent-decoded.
fn smtp_secrets(server: &Server, text: &str) -> Vec<String> {
    let mut secrets = vec![text.trim().to_string()];
    if let Some(password) = server.password() {
        secrets.push(password.to_string());
    }
    if let Ok(url) = url::Url::parse(text.trim())
        && let Some(password) = url.password()
    {
        secrets.push(password.to_string());
    }
    secrets
}

/// An address of `[delivery]` (or `--to`) as the mail library reads it.
fn mailbox(key: &str, address: &Located<String>) -> Result<Mailbox, CliError> {
    Mailbox::from_str(&address.value).map_err(|e| {
        let place = if address.location.path.as_os_str() == "--to" {
            "given to `--to`".to_string()
        } else {
            format!("`{key}` at {}", address.location)
        };
        Failure::Send(vec![SendError::Address {
            text: address.value.clone(),
            place,
            why: e.to_string(),
        }])
        .into()
    })
}

/// Every recipient, `to` then `cc`, each once.
fn recipients(to: &[Mailbox], cc: &[Mailbox]) -> Vec<lettre::Address> {
    let mut all: Vec<lettre::Address> = Vec::new();
    for m in to.iter().chain(cc) {
        if !all.contains(&m.email) {
            all.push(m.email.clone());
        }
    }
    all
}

/// `host:port` of the SMTP server.
fn server_name(smtp: &Secret<Server>) -> String {
    smtp.value
        .as_ref()
        .map(|s| format!("{}:{}", s.host, s.port))
        .unwrap_or_default()
}

/// `` `a@x`, `b@x` ``.
fn listed<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sends the email; the recipients it went to, or why it did not go to all of them.
fn mail(
    smtp: &Secret<Server>,
    from: &Mailbox,
    recipients: &[lettre::Address],
    bytes: &[u8],
    timeout: std::time::Duration,
) -> Result<Vec<lettre::Address>, SendError> {
    let server = smtp.value.as_ref().expect("not a dry run");
    let server_name = server_name(smtp);
    let at = smtp.variable.location.to_string();
    let variable = smtp.variable.value.clone();
    let clean = |text: &str| scrub(text, &smtp.secrets);
    let outcome =
        smtp::send(server, &from.email, recipients, bytes, timeout).map_err(|trouble| {
            let trouble = match trouble {
                SmtpTrouble::At {
                    step,
                    timeout,
                    tls,
                    said,
                } => SmtpTrouble::At {
                    step,
                    timeout,
                    tls,
                    said: clean(&said),
                },
                other => other,
            };
            SendError::Smtp {
                at: at.clone(),
                variable: variable.clone(),
                server: server_name.clone(),
                trouble,
                seconds: timeout.as_secs(),
            }
        })?;
    if outcome.refused.is_empty() {
        return Ok(outcome.sent);
    }
    Err(SendError::Refused {
        at,
        variable,
        server: server_name,
        refused: outcome
            .refused
            .iter()
            .map(|(who, said)| (who.to_string(), clean(said)))
            .collect(),
        sent: outcome.sent.iter().map(|a| a.to_string()).collect(),
    })
}

/// Posts the Slack message; the webhook's host.
fn post(
    slack: &Secret<Webhook>,
    blocks: &serde_json::Value,
    timeout: std::time::Duration,
) -> Result<String, SendError> {
    let webhook = slack.value.as_ref().expect("not a dry run");
    webhook.post(blocks, timeout).map_err(|trouble| {
        let trouble = match trouble {
            crate::error::WebhookTrouble::Status { code, said } => {
                crate::error::WebhookTrouble::Status {
                    code,
                    said: escape(&scrub(&said, &slack.secrets)).into_owned(),
                }
            }
            crate::error::WebhookTrouble::Connect(said) => {
                crate::error::WebhookTrouble::Connect(scrub(&said, &slack.secrets))
            }
            other => other,
        };
        SendError::Webhook {
            at: slack.variable.location.to_string(),
            variable: slack.variable.value.clone(),
            host: webhook.host.clone(),
            trouble,
            seconds: timeout.as_secs(),
        }
    })?;
    Ok(webhook.host.clone())
}

/// What a dry run says of the email.
fn dry_email(
    smtp: &Secret<Server>,
    from: &Mailbox,
    to: &[Mailbox],
    cc: &[Mailbox],
    subject: &str,
    size: usize,
) -> String {
    let through = match &smtp.value {
        Some(_) => format!("{} (`{}`)", server_name(smtp), smtp.variable.value),
        None => format!("the server in `{}`, which is not set", smtp.variable.value),
    };
    let names = |list: &[Mailbox]| {
        list.iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!("\nemail through {through}\n");
    text.push_str(&format!("From: {}\n", escape(&from.to_string())));
    text.push_str(&format!("To: {}\n", escape(&names(to))));
    if !cc.is_empty() {
        text.push_str(&format!("Cc: {}\n", escape(&names(cc))));
    }
    text.push_str(&format!("Subject: {}\n", escape(subject)));
    text.push_str(&format!(
        "({size} bytes: the Markdown report as text, the HTML report as HTML)\n"
    ));
    text
}

/// What a dry run says of the Slack message: where, and the JSON.
fn dry_slack(slack: &Secret<Webhook>, blocks: &serde_json::Value) -> String {
    let through = match &slack.value {
        Some(w) => format!("{} (`{}`)", w.host, slack.variable.value),
        None => format!(
            "the webhook in `{}`, which is not set",
            slack.variable.value
        ),
    };
    format!(
        "\nSlack through {through}\n{}\n",
        serde_json::to_string_pretty(blocks).expect("JSON values serialise")
    )
}
