//! `[delivery]` in `kpi.toml`: who gets the monthly report and how (`kpi send`): the subject
//! template, the sender and recipients, the names of the environment variables that hold the
//! SMTP server's and the Slack webhook's URLs (secrets never live in the file), and the
//! published report's address. Only the shape is checked here; sending is the binary's.

use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeValue;

use crate::diagnostic::{ConfigProblem, Diagnostic, Diagnostics, Problem};
use crate::source::{Location, SourceFile};

/// The placeholders a subject may use, in the order messages list them.
pub const SUBJECT_PLACEHOLDERS: [&str; 2] = ["company", "month"];

/// A value of `kpi.toml` and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is written; for the names of variables that hold secrets, a bare location
    /// (no line shown), in case a secret was written there by mistake.
    pub location: Location,
}

/// `[delivery]`, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The subject template (`{{company}}`, `{{month}}`); `None`: the report language's.
    pub subject: Option<Located<String>>,
    /// The sender, `Name <address>` or a bare address.
    pub from: Option<Located<String>>,
    /// The recipients.
    pub to: Vec<Located<String>>,
    /// The recipients in copy.
    pub cc: Vec<Located<String>>,
    /// The name of the environment variable holding the SMTP server's URL.
    pub smtp: Option<Located<String>>,
    /// The name of the environment variable holding the Slack incoming webhook's URL.
    pub slack: Option<Located<String>>,
    /// The published report's address, linked from the Slack message.
    pub link: Option<Located<String>>,
    /// How long a server (SMTP or the webhook) may take to answer each step.
    pub timeout: Duration,
    /// Where the table starts (`[delivery]`), for what it lacks.
    pub location: Location,
}

// `[delivery]` as serde reads it; its doc comments are what editors show (`kpi schema
// --config`).
/// How `kpi send` delivers the monthly report: by email (SMTP) and to Slack.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Delivery")]
pub(crate) struct RawDelivery {
    /// The email's subject: a template with `{{company}}` (the top-level `company`) and
    /// `{{month}}` (the month in words, in the report's language). Default:
    /// "{{company}} KPIs — {{month}}" ("Indicateurs {{company}} — {{month}}" in French).
    #[schemars(with = "Option<String>")]
    subject: Option<Spanned<String>>,
    /// The sender: `"KPI reports <kpi@example.com>"` or a bare address.
    #[schemars(with = "Option<String>")]
    from: Option<Spanned<String>>,
    /// The recipients: one address or a list (`kpi send --to` replaces them).
    // Read by [`recipients`] from the document: serde's untagged enums lose the spans.
    #[serde(rename = "to")]
    #[schemars(with = "Option<OneOrMany>")]
    _to: Option<serde::de::IgnoredAny>,
    /// The recipients in copy.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    cc: Vec<Spanned<String>>,
    /// The NAME of the environment variable holding the SMTP server's URL (never the URL):
    /// `smtp://user:password@host:587` (STARTTLS) or `smtps://user:password@host:465`
    /// (TLS from the start).
    #[schemars(with = "Option<String>", regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    smtp: Option<Spanned<String>>,
    /// The NAME of the environment variable holding the Slack incoming webhook's URL (never
    /// the URL).
    #[schemars(with = "Option<String>", regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    slack: Option<Spanned<String>>,
    /// The published report's address (`https://...`), linked from the Slack message.
    #[schemars(with = "Option<String>", regex(pattern = r"^https?://"))]
    link: Option<Spanned<String>>,
    /// Seconds the SMTP server or the webhook may take to answer each step (default 60).
    #[schemars(with = "Option<u32>", range(min = 1, max = 600))]
    timeout: Option<Spanned<i64>>,
}

/// `timeout` when none is given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

// Only the schema's: `to` is read from the document by [`recipients`].
/// One recipient's address, or a list: `"a@example.com"`, `["a@example.com", "b@example.com"]`.
#[derive(JsonSchema)]
#[schemars(rename = "Addresses", untagged)]
#[allow(dead_code)]
enum OneOrMany {
    /// One address.
    One(String),
    /// A list of addresses.
    Many(Vec<String>),
}

/// `to` of `[delivery]`, read from the document with the span of each address; `None` when
/// it is neither a string nor a list of strings (reported).
fn recipients(file: &SourceFile, diagnostics: &mut Diagnostics) -> Vec<Spanned<String>> {
    let Ok(table) = crate::layers::parse(file) else {
        return Vec::new();
    };
    let to = table
        .get_ref()
        .get("delivery")
        .and_then(|d| d.get_ref().as_table())
        .and_then(|d| d.get("to"));
    let Some(to) = to else {
        return Vec::new();
    };
    let string = |v: &Spanned<DeValue<'_>>| {
        v.get_ref()
            .as_str()
            .map(|s| Spanned::new(v.span(), s.to_string()))
    };
    let items: Vec<&Spanned<DeValue<'_>>> = match to.get_ref() {
        DeValue::Array(items) => items.iter().collect(),
        _ => vec![to],
    };
    let mut out = Vec::new();
    for item in items {
        match string(item) {
            Some(s) => out.push(s),
            None => diagnostics.push(Diagnostic::error(
                Problem::Config(ConfigProblem::NotAnAddress {
                    key: "to",
                    text: file.text()[item.span()].to_string(),
                }),
                Some(file.locate(item.span().start, item.span().end)),
            )),
        }
    }
    out
}

/// Checks `[delivery]`, whose table starts at `start`; every problem goes to `diagnostics`.
pub(crate) fn check(
    file: &SourceFile,
    raw: Spanned<RawDelivery>,
    diagnostics: &mut Diagnostics,
) -> Delivery {
    // Checked key by key, reported in the file's order.
    let mut found = Diagnostics::default();
    let delivery = check_keys(file, raw, &mut found);
    found
        .0
        .sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
    diagnostics.0.extend(found.0);
    delivery
}

/// Checks each key of `[delivery]`.
fn check_keys(
    file: &SourceFile,
    raw: Spanned<RawDelivery>,
    diagnostics: &mut Diagnostics,
) -> Delivery {
    let start = raw.span().start;
    let raw = raw.into_inner();
    let at = |s: &Spanned<String>| file.locate(s.span().start, s.span().end);
    let located = |s: Spanned<String>| Located {
        location: at(&s),
        value: s.into_inner(),
    };
    let to = recipients(file, diagnostics);
    let mut error = |problem: ConfigProblem, location: Location| {
        diagnostics.push(Diagnostic::error(Problem::Config(problem), Some(location)));
    };
    if let Some(subject) = &raw.subject
        && let Some(problem) = subject_problem(subject.get_ref())
    {
        error(problem, at(subject));
    }
    let addresses = raw.from.iter().map(|a| ("from", a));
    let addresses = addresses
        .chain(to.iter().map(|a| ("to", a)))
        .chain(raw.cc.iter().map(|a| ("cc", a)));
    for (key, address) in addresses {
        if !is_address(address.get_ref()) {
            let text = address.get_ref().clone();
            error(ConfigProblem::NotAnAddress { key, text }, at(address));
        }
    }
    let mut variable = |key: &'static str, value: Option<Spanned<String>>| {
        let value = value?;
        // A URL written here by mistake holds a secret: the location shows no line.
        let l = at(&value);
        let location = Location::bare(l.path, l.line, l.column);
        if !is_variable_name(value.get_ref()) {
            error(ConfigProblem::SecretInConfig { key }, location.clone());
        }
        Some(Located {
            value: value.into_inner(),
            location,
        })
    };
    let smtp = variable("smtp", raw.smtp);
    let slack = variable("slack", raw.slack);
    if let Some(link) = &raw.link
        && !is_web_address(link.get_ref())
    {
        let text = link.get_ref().clone();
        error(ConfigProblem::LinkNotWeb { text }, at(link));
    }
    let timeout = match &raw.timeout {
        Some(t) if !(1..=600).contains(t.get_ref()) => {
            error(
                ConfigProblem::SendTimeoutRange,
                file.locate(t.span().start, t.span().end),
            );
            DEFAULT_TIMEOUT
        }
        Some(t) => Duration::from_secs(t.get_ref().unsigned_abs()),
        None => DEFAULT_TIMEOUT,
    };
    Delivery {
        timeout,
        subject: raw.subject.map(located),
        from: raw.from.map(located),
        to: to.into_iter().map(located).collect(),
        cc: raw.cc.into_iter().map(located).collect(),
        smtp,
        slack,
        link: raw.link.map(located),
        location: file.locate(start, start + "[delivery]".len()),
    }
}

/// What is wrong with a subject template: a `{{name}}` that is no placeholder, or braces
/// left open.
fn subject_problem(template: &str) -> Option<ConfigProblem> {
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Some(ConfigProblem::SubjectUnclosed);
        };
        let name = after[..close].trim();
        if !SUBJECT_PLACEHOLDERS.contains(&name) {
            return Some(ConfigProblem::SubjectPlaceholder {
                name: name.to_string(),
                closest: crate::suggest::closest(name, SUBJECT_PLACEHOLDERS),
            });
        }
        rest = &after[close + 2..];
    }
    None
}

/// `template` with `{{company}}` and `{{month}}` replaced (a template checked at load).
pub fn fill_subject(template: &str, company: &str, month: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        match after[..close].trim() {
            "company" => out.push_str(company),
            "month" => out.push_str(month),
            other => {
                out.push_str("{{");
                out.push_str(other);
                out.push_str("}}");
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether `template` uses `{{company}}`.
pub fn uses_company(template: &str) -> bool {
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return false;
        };
        if after[..close].trim() == "company" {
            return true;
        }
        rest = &after[close + 2..];
    }
    false
}

/// Whether `text` looks like an email address, bare (`a@example.com`) or with a display name
/// (`Name <a@example.com>`): one `@` with something on each side and no space. The mail
/// library parses it fully when sending.
fn is_address(text: &str) -> bool {
    let text = text.trim();
    let address = match (text.rfind('<'), text.strip_suffix('>')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => text,
    };
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !address
                    .chars()
                    .any(|c| c.is_whitespace() || c == '<' || c == '>')
        }
        None => false,
    }
}

/// Whether `text` can be the name of an environment variable (and so is not a URL).
pub(crate) fn is_variable_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `text` is an `http` or `https` address with a host.
fn is_web_address(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_fill_their_placeholders() {
        let t = "{{company}} KPIs — {{ month }}";
        assert_eq!(
            fill_subject(t, "Acme", "October 2026"),
            "Acme KPIs — October 2026"
        );
        assert!(uses_company(t));
        assert!(!uses_company("KPIs {{month}}"));
        assert_eq!(subject_problem(t), None);
        assert_eq!(
            subject_problem("{{compnay}} {{month}}"),
            Some(ConfigProblem::SubjectPlaceholder {
                name: "compnay".into(),
                closest: Some("company".into())
            })
        );
        assert_eq!(
            subject_problem("{{month"),
            Some(ConfigProblem::SubjectUnclosed)
        );
    }

    #[test]
    fn addresses_have_one_at_and_no_space() {
        for ok in [
            "a@example.com",
            "KPI bot <kpi@example.com>",
            "\"A, B\" <a@b.c>",
        ] {
            assert!(is_address(ok), "{ok}");
        }
        for bad in ["", "a", "a@", "@b", "a b@c", "a@b@c", "Name <a>", "<>"] {
            assert!(!is_address(bad), "{bad}");
        }
    }

    #[test]
    fn links_are_web_addresses() {
        assert!(is_web_address("https://kpi.example.com/2026-10.html"));
        assert!(!is_web_address("ftp://x"));
        assert!(!is_web_address("https://"));
        assert!(!is_web_address("javascript:alert(1)"));
    }
}
