//! Email by SMTP: the server's URL read from its environment variable, and one session that
//! sends the message to every recipient. STARTTLS (`smtp://`, port 587 by default) or TLS from
//! the start (`smtps://`, port 465); kpi never talks to a server unencrypted, so credentials
//! and reports never cross the network in clear. Certificates are checked against the
//! system's roots (`SSL_CERT_FILE` when set, through `rustls-native-certs`).
//!
//! The session is lettre's `SmtpConnection`, driven command by command rather than through
//! `SmtpTransport::send_raw`, which gives up the whole message at the first recipient the
//! server refuses: here each `RCPT` is answered on its own, the message goes to every
//! recipient the server accepted, and the error names those it refused.

use std::time::Duration;

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Quit, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use url::Url;

use crate::error::{SmtpStep, SmtpTrouble};

/// An SMTP server, as its URL gives it.
pub struct Server {
    /// Its host name or address.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// `smtps://`: TLS from the first byte; else STARTTLS.
    pub implicit_tls: bool,
    /// The user name and password, percent-decoded.
    credentials: Option<(String, String)>,
}

impl Server {
    /// Reads `smtp://user:password@host:587` or `smtps://user:password@host:465`; the error
    /// says what is wrong without repeating the URL, which holds a password.
    pub fn parse(text: &str) -> Result<Server, &'static str> {
        let url = Url::parse(text.trim()).map_err(|_| "it is not a URL")?;
        let implicit_tls = match url.scheme() {
            "smtps" => true,
            "smtp" => false,
            _ => return Err("its scheme is neither `smtp` nor `smtps`"),
        };
        let host = match url.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            _ => return Err("it names no host"),
        };
        let port = url.port().unwrap_or(if implicit_tls { 465 } else { 587 });
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| "its user name or password is not UTF-8 once decoded")
        };
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, Some(password)) => Some((decode(user)?, decode(password)?)),
            (_, None) => return Err("it has a user name but no password"),
        };
        Ok(Server {
            host,
            port,
            implicit_tls,
            credentials,
        })
    }

    /// The password, to be kept out of every message.
    pub fn password(&self) -> Option<&str> {
        self.credentials.as_ref().map(|(_, p)| p.as_str())
    }
}

/// What the server did with the recipients.
pub struct Outcome {
    /// The recipients the message was delivered to.
    pub sent: Vec<Address>,
    /// The recipients the server refused, each with its words.
    pub refused: Vec<(Address, String)>,
}

/// Sends `message` from `from` to each of `recipients` in one session; a recipient the
/// server refuses does not stop the others.
pub fn send(
    server: &Server,
    from: &Address,
    recipients: &[Address],
    message: &[u8],
    timeout: Duration,
) -> Result<Outcome, SmtpTrouble> {
    let tls = TlsParameters::builder(server.host.clone())
        .build_rustls()
        .map_err(|e| SmtpTrouble::at(SmtpStep::Connect, &e))?;
    let hello = ClientId::default();
    let mut conn = SmtpConnection::connect(
        (server.host.as_str(), server.port),
        Some(timeout),
        &hello,
        server.implicit_tls.then_some(&tls),
        None,
    )
    .map_err(|e| SmtpTrouble::at(SmtpStep::Connect, &e))?;
    let outcome = session(&mut conn, server, &tls, &hello, from, recipients, message);
    match &outcome {
        Ok(_) => {
            let _ = conn.command(Quit);
        }
        Err(_) => conn.abort(),
    }
    outcome
}

/// The session after the greeting: STARTTLS, authentication, the envelope, the message.
fn session(
    conn: &mut SmtpConnection,
    server: &Server,
    tls: &TlsParameters,
    hello: &ClientId,
    from: &Address,
    recipients: &[Address],
    message: &[u8],
) -> Result<Outcome, SmtpTrouble> {
    if !server.implicit_tls {
        if !conn.can_starttls() {
            return Err(SmtpTrouble::NoStarttls);
        }
        conn.starttls(tls, hello)
            .map_err(|e| SmtpTrouble::at(SmtpStep::Connect, &e))?;
    }
    if let Some((user, password)) = &server.credentials {
        let credentials = Credentials::new(user.clone(), password.clone());
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
            .map_err(|e| SmtpTrouble::at(SmtpStep::Auth, &e))?;
    }
    let mut parameters = Vec::new();
    if !message.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    conn.command(Mail::new(Some(from.clone()), parameters))
        .map_err(|e| SmtpTrouble::at(SmtpStep::Sender, &e))?;
    let mut outcome = Outcome {
        sent: Vec::new(),
        refused: Vec::new(),
    };
    for to in recipients {
        match conn.command(Rcpt::new(to.clone(), Vec::new())) {
            Ok(_) => outcome.sent.push(to.clone()),
            // The server's answer to this recipient alone: the session goes on.
            Err(e) if e.status().is_some() => {
                outcome.refused.push((to.clone(), SmtpTrouble::words(&e)));
            }
            Err(e) => return Err(SmtpTrouble::at(SmtpStep::Recipients, &e)),
        }
    }
    if outcome.sent.is_empty() {
        return Ok(outcome);
    }
    conn.command(Data)
        .map_err(|e| SmtpTrouble::at(SmtpStep::Message, &e))?;
    conn.message(message)
        .map_err(|e| SmtpTrouble::at(SmtpStep::Message, &e))?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::Server;

    #[test]
    fn urls_give_the_server_and_the_way_to_encrypt() {
        let s = Server::parse("smtps://kpi%40acme.test:p%3Ass@mail.acme.test").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.implicit_tls),
            ("mail.acme.test", 465, true)
        );
        let credentials = s
            .credentials
            .as_ref()
            .map(|(u, p)| (u.as_str(), p.as_str()));
        assert_eq!(credentials, Some(("kpi@acme.test", "p:ss")));
        let s = Server::parse("smtp://u:p@127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.implicit_tls),
            ("127.0.0.1", 2525, false)
        );
        let s = Server::parse("smtp://mail.acme.test").unwrap();
        assert_eq!((s.port, s.credentials.is_none()), (587, true));
        assert!(Server::parse("http://u:p@h").is_err());
        assert!(Server::parse("u:p@h").is_err());
        assert!(Server::parse("smtp://u@h").is_err());
    }
}
