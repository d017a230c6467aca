//! The email `kpi send` sends, as RFC 5322 bytes. [`email_message`] is the one place that
//! composes it, so that the report crate's own email (`kpi report --format email`, with its
//! inline-styled HTML and PNG charts) can take its place in one line; until then it is the
//! Markdown report as `text/plain` and the HTML report as `text/html`, alternatives of each
//! other. The same inputs give the same bytes: the date comes from the month reported, and
//! the boundary and `Message-ID` from the content.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime};

use kpi_core::Period;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::error::SendError;

/// What goes into the email, already rendered and resolved.
pub struct Email<'a> {
    /// The sender, as `[delivery] from` writes it.
    pub from: &'a Mailbox,
    /// The recipients.
    pub to: &'a [Mailbox],
    /// The recipients in copy.
    pub cc: &'a [Mailbox],
    /// The subject, filled.
    pub subject: &'a str,
    /// The month reported, which dates the message.
    pub period: Period,
    /// The Markdown report, the plain-text alternative.
    pub text: &'a str,
    /// The HTML report.
    pub html: &'a str,
}

/// The message as RFC 5322 bytes: headers (UTF-8 ones encoded per RFC 2047 by lettre) and a
/// `multipart/alternative` body.
pub fn email_message(email: &Email<'_>) -> Result<Vec<u8>, SendError> {
    let digest = digest(email);
    let mut builder = Message::builder()
        .from(email.from.clone())
        .subject(email.subject)
        .date(date(email.period))
        .message_id(Some(format!(
            "<kpi-report-{}.{digest:016x}@{}>",
            email.period,
            email.from.email.domain()
        )));
    for to in email.to {
        builder = builder.to(to.clone());
    }
    for cc in email.cc {
        builder = builder.cc(cc.clone());
    }
    let body = MultiPart::alternative()
        .boundary(format!("kpi-{digest:016x}"))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.to_string()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(email.html.to_string()),
        );
    let message = builder
        .multipart(body)
        .map_err(|e| SendError::Compose(e.to_string()))?;
    Ok(message.formatted())
}

/// A hash of everything the message says, for its boundary and `Message-ID`: stable across
/// runs (`DefaultHasher::new` has fixed keys), different when anything differs.
fn digest(email: &Email<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    email.from.to_string().hash(&mut h);
    for m in email.to.iter().chain(email.cc) {
        m.to_string().hash(&mut h);
    }
    (email.subject, email.text, email.html).hash(&mut h);
    email.period.to_string().hash(&mut h);
    h.finish()
}

/// The message's date: the first day of the month after the one reported, 08:00 UTC, when
/// the month is closed and its report sent; the same every run, so the message can be
/// compared byte for byte.
pub fn date(period: Period) -> SystemTime {
    let (year, month) = match period.month() {
        12 => (period.year() + 1, 1),
        m => (period.year(), m + 1),
    };
    let days = days_from_civil(i64::from(year), i64::from(month), 1);
    let seconds = days * 86_400 + 8 * 3_600;
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// Days from 1970-01-01 to the date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 1), 20_758);
    }
}
