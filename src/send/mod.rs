//! Sending the month's report (`kpi send`), behind the `send` feature: the SMTP session
//! (`smtp`; the message is kpi-report's email), and the Slack message and its POST (`slack`).
//! Secrets (the SMTP password, the webhook's token) are read from the environment only, and
//! [`scrub`] keeps them out of any text a server or library returns.

pub mod slack;
pub mod smtp;

/// `text` with every secret in `secrets` (those of 4 characters or more, so that a short one
/// does not blank common words) replaced by `…`.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    let mut secrets: Vec<&String> = secrets.iter().filter(|s| s.len() >= 4).collect();
    // The longest first, so that a secret holding another is removed whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
        out = out.replace(secret.as_str(), "…");
    }
    out
}
