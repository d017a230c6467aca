//! The MIME message of an email report: `multipart/alternative` with the text part, then a
//! `multipart/related` HTML part and its images, built with lettre and made deterministic
//! (boundaries and `Message-ID` from a hash of the content, a `Date` given).

use std::str::FromStr;
use std::time::{Duration, SystemTime};

use lettre::Message;
use lettre::address::Envelope as SmtpEnvelope;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, Mailbox, Mailboxes, MultiPart, SinglePart};

use super::Envelope;
use crate::error::ReportError;

/// The sender when none is given: the message is still valid, and `kpi send` asks for one.
const DEFAULT_FROM: &str = "kpi <kpi@localhost>";

/// The sender and recipients of an email, parsed.
#[derive(Debug, Clone)]
pub struct Addresses {
    /// The sender.
    pub from: Mailbox,
    /// The recipients.
    pub to: Vec<Mailbox>,
    /// The recipients in copy.
    pub cc: Vec<Mailbox>,
}

impl Addresses {
    /// Parses `envelope`'s addresses, naming the field of one that is not an address.
    pub(super) fn parse(envelope: &Envelope) -> Result<Addresses, ReportError> {
        let one = |field: &'static str, text: &str| {
            Mailbox::from_str(text.trim()).map_err(|e| ReportError::Address {
                field,
                address: text.to_string(),
                message: e.to_string(),
            })
        };
        let from = one("from", envelope.from.as_deref().unwrap_or(DEFAULT_FROM))?;
        let to = envelope
            .to
            .iter()
            .map(|a| one("to", a))
            .collect::<Result<_, _>>()?;
        let cc = envelope
            .cc
            .iter()
            .map(|a| one("cc", a))
            .collect::<Result<_, _>>()?;
        Ok(Addresses { from, to, cc })
    }

    /// Everyone the message goes to: the recipients, then those in copy.
    pub fn recipients(&self) -> impl Iterator<Item = &Mailbox> {
        self.to.iter().chain(&self.cc)
    }
}

/// An image of the HTML part.
pub(super) struct Image {
    /// Its `Content-ID`, without angle brackets, as the HTML names it after `cid:`.
    pub(super) cid: String,
    /// The PNG file.
    pub(super) png: Vec<u8>,
}

/// What a message is made of.
pub(super) struct Parts<'a> {
    pub(super) addresses: &'a Addresses,
    pub(super) subject: &'a str,
    /// The month reported, `YYYY-MM`, which the `Message-ID` names.
    pub(super) period: &'a str,
    pub(super) date: SystemTime,
    pub(super) text: &'a str,
    pub(super) html: &'a str,
    pub(super) images: &'a [Image],
}

/// The whole message, with CRLF line ends.
pub(super) fn compose(parts: &Parts<'_>) -> Result<Vec<u8>, ReportError> {
    let Parts {
        addresses,
        subject,
        period,
        date,
        text,
        html,
        images,
    } = parts;
    let mut hash = Fnv::new();
    hash.add(subject.as_bytes());
    for mailbox in addresses.recipients() {
        hash.add(mailbox.to_string().as_bytes());
    }
    hash.add(text.as_bytes());
    hash.add(html.as_bytes());
    for image in *images {
        hash.add(image.cid.as_bytes());
        hash.add(&image.png);
    }
    let fingerprint = hash.finish();
    // `=_` never occurs in quoted-printable or base64 text, so no part can hold a boundary.
    let boundary = |kind: &str| format!("=_kpi_{kind}_{fingerprint:016x}");
    let mut related = MultiPart::related()
        .boundary(boundary("related"))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(quoted_printable(html)),
        );
    for image in *images {
        related = related.singlepart(
            Attachment::new_inline_with_name(image.cid.clone(), file_name(&image.cid)).body(
                image.png.clone(),
                ContentType::parse("image/png").expect("a MIME type"),
            ),
        );
    }
    let alternative = MultiPart::alternative()
        .boundary(boundary("alternative"))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(quoted_printable(text)),
        )
        .multipart(related);
    let domain = addresses.from.email.domain();
    let mut builder = Message::builder()
        .from(addresses.from.clone())
        .subject(*subject)
        .date(*date)
        .message_id(Some(format!("<kpi.{period}.{fingerprint:016x}@{domain}>")));
    if !addresses.to.is_empty() {
        builder = builder.mailbox(lettre::message::header::To::from(mailboxes(&addresses.to)));
    }
    if !addresses.cc.is_empty() {
        builder = builder.mailbox(lettre::message::header::Cc::from(mailboxes(&addresses.cc)));
    }
    // The envelope only matters to a transport; a message to no one is still a file.
    let mut to: Vec<_> = addresses.recipients().map(|m| m.email.clone()).collect();
    if to.is_empty() {
        to.push(addresses.from.email.clone());
    }
    let envelope = SmtpEnvelope::new(Some(addresses.from.email.clone()), to)
        .map_err(|e| ReportError::Message(e.to_string()))?;
    let message = builder
        .envelope(envelope)
        .multipart(alternative)
        .map_err(|e| ReportError::Message(e.to_string()))?;
    Ok(message.formatted())
}

fn mailboxes(list: &[Mailbox]) -> Mailboxes {
    list.iter().cloned().collect()
}

/// A text body in quoted-printable: readable in a diff, and safe from any boundary.
fn quoted_printable(text: &str) -> Body {
    Body::new_with_encoding(text.to_string(), ContentTransferEncoding::QuotedPrintable)
        .expect("any text can be quoted-printable")
}

/// The file name a mail client shows for an image: `trend.mrr@kpi` is `trend-mrr.png`.
fn file_name(cid: &str) -> String {
    let stem = cid.strip_suffix("@kpi").unwrap_or(cid);
    format!("{}.png", stem.replace('.', "-"))
}

/// 08:00 UTC on the first day after month `period` (`YYYY-MM`): when the report of a month
/// is sent. The Unix epoch for a period that does not parse, which a report never has.
pub(super) fn after_month(period: &str) -> SystemTime {
    let parsed = period
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i64>().ok()?, m.parse::<i64>().ok()?)));
    let Some((year, month)) = parsed else {
        return SystemTime::UNIX_EPOCH;
    };
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let seconds = days_from_civil(year, month, 1) * 86_400 + 8 * 3600;
    u64::try_from(seconds).map_or(SystemTime::UNIX_EPOCH, |s| {
        SystemTime::UNIX_EPOCH + Duration::from_secs(s)
    })
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// FNV-1a, 64 bits: a stable hash of the content (the standard library's may change between
/// releases), for names that must differ when the content does, not for security.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// Adds `bytes`, then a separator, so that `ab`+`c` and `a`+`bc` differ.
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{after_month, days_from_civil};
    use std::time::{Duration, SystemTime};

    #[test]
    fn days_from_civil_counts_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // 2000-03-01: 30 years with 7 leap days, plus January and February 2000.
        assert_eq!(days_from_civil(2000, 3, 1), 30 * 365 + 7 + 31 + 29);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn the_date_is_the_morning_after_the_month() {
        // 2026-11-01T08:00:00Z is 1_793_520_000 s (date -d 2026-11-01T08:00:00Z +%s).
        assert_eq!(
            after_month("2026-10"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_793_520_000)
        );
        // December rolls over to the next year: 2027-01-01T08:00:00Z.
        assert_eq!(
            after_month("2026-12"),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_798_790_400)
        );
    }
}
