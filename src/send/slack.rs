//! The Slack message (`kpi send`): Block Kit JSON built from the report's model (the month,
//! the status counts, what needs attention, a link to the published report), and one POST to
//! the incoming webhook. The webhook's URL holds its secret token, so only its host is ever
//! named.

use std::sync::Arc;
use std::time::Duration;

use kpi_report::Report;
use kpi_report::model::Attention;
use serde_json::{Value, json};

use crate::error::WebhookTrouble;

/// At most this many KPIs are listed; the rest are counted (a Slack message holds at most 50
/// blocks, and a long list is read in the report).
const MAX_LISTED: usize = 15;

/// The message: a header, the counts, what needs attention, the link.
pub fn message(report: &Report, link: Option<&str>) -> Value {
    let labels = report.labels;
    let s = &report.summary;
    let heading = format!("{} — {}", report.title, report.period_label);
    let counts = format!(
        "🟢 *{}* {} · 🟡 *{}* {} · 🔴 *{}* {} · ⚪ *{}* {}",
        s.on_target,
        labels.on_target,
        s.at_risk,
        labels.at_risk,
        s.off_target,
        labels.off_target,
        s.no_data,
        labels.no_data
    );
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": heading, "emoji": true}}),
        section(&format!("{} · {counts}", escape(&s.kpis_label))),
    ];
    if report.attention.is_empty() {
        blocks.push(section(&format!("*{}*", labels.nothing_needs_attention)));
    } else {
        blocks.push(section(&format!("*{}*", labels.needs_attention)));
        for item in report.attention.iter().take(MAX_LISTED) {
            blocks.push(attention(report, item));
        }
        let more = report.attention.len().saturating_sub(MAX_LISTED);
        if more > 0 {
            blocks.push(context(&format!("+{more}")));
        }
    }
    if let Some(link) = link {
        blocks.push(section(&format!(
            "<{}|{}>",
            escape(link),
            report_words(report).read_report
        )));
    }
    json!({
        // The notification's text, shown where blocks are not (phones' previews).
        "text": format!("{heading}: {}", counts.replace('*', "")),
        "blocks": blocks,
    })
}

/// One KPI: status, name, value, target, change, owner.
fn attention(report: &Report, item: &Attention) -> Value {
    let labels = report.labels;
    let mut line = format!(
        "{} *{}* — {}",
        item.status.icon,
        escape(&item.name),
        escape(&item.value)
    );
    if let Some(target) = &item.target {
        line.push_str(&format!(" ({} {})", labels.target_word, escape(target)));
    }
    line.push_str(&format!(" · {}", item.status.label));
    if let Some(change) = &item.change {
        let mut words = format!("{} {}", change.arrow, change.absolute);
        if let Some(relative) = &change.relative {
            words.push_str(&format!(" ({relative})"));
        }
        if let Some(verdict) = change.verdict_label {
            words.push_str(&format!(" {verdict}"));
        }
        line.push_str(&format!(
            "\n{}{} {}",
            labels.change,
            labels.colon,
            escape(&words)
        ));
    }
    if let Some(reason) = &item.reason {
        line.push_str(&format!("\n{}", escape(reason)));
    }
    if let Some(owner) = &item.owner {
        line.push_str(&format!(
            "\n{}{} {}",
            labels.owner,
            labels.colon,
            escape(owner)
        ));
    }
    section(&line)
}

/// The locale's words of the report.
fn report_words(report: &Report) -> &'static kpi_report::locale::Words {
    kpi_report::Locale::from_code(report.lang)
        .unwrap_or_default()
        .words()
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})
}

fn context(text: &str) -> Value {
    json!({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
}

/// User text in Slack's `mrkdwn`: `&`, `<` and `>` are its control characters (a `<` starts
/// a link or a mention), written as entities as Slack asks.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A webhook's URL, read: its host, for messages, and whether it may be used.
pub struct Webhook {
    /// The URL, secret.
    url: String,
    /// Its host (and port when given), which messages name.
    pub host: String,
}

impl Webhook {
    /// Reads the URL; `http://` is refused unless it goes to this machine (a test server, a
    /// local relay), since it would carry the token in clear.
    pub fn parse(text: &str) -> Result<Webhook, &'static str> {
        let url = url::Url::parse(text.trim()).map_err(|_| "it is not a URL")?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("it names no host")?;
        match url.scheme() {
            "https" | "http" => {}
            _ => return Err("its scheme is not `https`"),
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        Ok(Webhook {
            url: text.trim().to_string(),
            host,
        })
    }

    /// Whether the URL would cross the network unencrypted.
    fn unencrypted(&self) -> bool {
        let Ok(url) = url::Url::parse(&self.url) else {
            return true;
        };
        let local = match url.host() {
            Some(url::Host::Domain(d)) => d == "localhost",
            Some(url::Host::Ipv4(a)) => a.is_loopback(),
            Some(url::Host::Ipv6(a)) => a.is_loopback(),
            None => false,
        };
        url.scheme() == "http" && !local
    }

    /// The secret parts of the URL, to scrub from any text that could reach a message.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.url.clone()];
        if let Ok(url) = url::Url::parse(&self.url) {
            if url.path().len() > 1 {
                secrets.push(url.path().to_string());
                secrets.extend(
                    url.path_segments()
                        .into_iter()
                        .flatten()
                        .filter(|s| s.len() >= 6)
                        .map(str::to_string),
                );
            }
            if let Some(query) = url.query() {
                secrets.push(query.to_string());
            }
        }
        secrets
    }

    /// POSTs `message`; an answer that is not 2xx is a failure with its first words.
    pub fn post(&self, message: &Value, timeout: Duration) -> Result<(), WebhookTrouble> {
        if self.unencrypted() {
            return Err(WebhookTrouble::Unencrypted);
        }
        let roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        // The `ring` provider, as for PostgreSQL (crates/kpi-core/src/data/tls.rs says why,
        // and why rustls 0.23.48's deprecation of it does not apply here).
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .root_certs(ureq::tls::RootCerts::Specific(Arc::new(roots)))
            .unversioned_rustls_crypto_provider(provider)
            .build();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .build()
            .into();
        let body = serde_json::to_vec(message).expect("JSON values serialise");
        let mut response = agent
            .post(&self.url)
            .header("Content-Type", "application/json; charset=utf-8")
            .send(&body[..])
            .map_err(|e| trouble(&e))?;
        let code = response.status().as_u16();
        if (200..300).contains(&code) {
            return Ok(());
        }
        let said = response
            .body_mut()
            .with_config()
            .limit(4096)
            .read_to_string()
            .unwrap_or_default();
        Err(WebhookTrouble::Status {
            code,
            said: first_words(&said),
        })
    }
}

/// What went wrong on the way, in words (never ureq's own text, which may quote the URL).
fn trouble(error: &ureq::Error) -> WebhookTrouble {
    match error {
        ureq::Error::Timeout(_) => WebhookTrouble::Timeout,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => WebhookTrouble::Timeout,
        ureq::Error::Io(e) => WebhookTrouble::Connect(kpi_core::diagnostic::os_reason(e)),
        ureq::Error::HostNotFound => WebhookTrouble::Connect("the host name is not known".into()),
        ureq::Error::ConnectionFailed => WebhookTrouble::Connect("the connection failed".into()),
        ureq::Error::Tls(why) => WebhookTrouble::Connect(format!("TLS failed: {why}")),
        ureq::Error::Rustls(e) => WebhookTrouble::Connect(format!("TLS failed: {e}")),
        _ => WebhookTrouble::Connect("the request failed".into()),
    }
}

/// The first line of an answer, at most 200 characters.
fn first_words(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("").trim();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
