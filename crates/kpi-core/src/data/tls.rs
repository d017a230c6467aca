//! TLS for PostgreSQL sources: the URL's `sslmode` and `sslrootcert`, read as libpq reads
//! them, and a rustls connector for the `postgres` client.
//!
//! The `postgres` crate parses `disable`, `prefer` and `require` only, and knows no
//! `sslrootcert`: both are taken out of the URL here, the client is told `require` for the
//! modes that need TLS, and what is checked of the server's certificate is this module's
//! verifier's business (libpq's rules):
//!
//! | `sslmode` | TLS | certificate checked |
//! |---|---|---|
//! | `disable` | never | — |
//! | `prefer` (the default) | when the server offers it | no |
//! | `require` | always | no; against the root when `sslrootcert` (or `~/.postgresql/root.crt`) is there, as `verify-ca` |
//! | `verify-ca` | always | signed by the root |
//! | `verify-full` | always | signed by the root, and made for the host name |

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::diagnostic::TlsProblem;
use crate::limits::MAX_CERTIFICATE_BYTES;
use crate::read::{ReadError, read_file};

/// The URL's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, certificate not checked.
    Prefer,
    /// Always TLS; the certificate is checked only against a root that is there.
    Require,
    /// Always TLS, the certificate signed by the root.
    VerifyCa,
    /// Always TLS, the certificate signed by the root and made for the host name.
    VerifyFull,
}

impl Mode {
    /// The mode the `postgres` client is told: it knows the first three only.
    pub(crate) fn client(self) -> postgres::config::SslMode {
        match self {
            Mode::Disable => postgres::config::SslMode::Disable,
            Mode::Prefer => postgres::config::SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => postgres::config::SslMode::Require,
        }
    }

    /// The mode's name in a URL.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Prefer => "prefer",
            Mode::Require => "require",
            Mode::VerifyCa => "verify-ca",
            Mode::VerifyFull => "verify-full",
        }
    }
}

/// What the URL says about TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// `sslmode`, `prefer` when not given (as libpq).
    pub(crate) mode: Mode,
    /// `sslrootcert`: the root certificates that sign the server's.
    pub(crate) root: Option<Root>,
}

/// Where the root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// A PEM file.
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's (or `SSL_CERT_FILE`'s), as libpq 16.
    System,
}

/// The URL without its `sslmode` and `sslrootcert`, and what they said. Both the URL form
/// (`postgresql://…?sslmode=verify-full`) and the key/value form (`host=… sslmode=…`) are
/// read.
pub(crate) fn split(url: &str) -> Result<(String, Settings), TlsProblem> {
    let mut mode = None;
    let mut root = None;
    let mut take = |key: &str, value: String| -> Result<bool, TlsProblem> {
        match key {
            "sslmode" => {
                mode = Some(match value.as_str() {
                    "disable" => Mode::Disable,
                    "prefer" | "allow" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    _ => return Err(TlsProblem::BadMode),
                });
                Ok(true)
            }
            "sslrootcert" => {
                root = Some(if value == "system" {
                    Root::System
                } else {
                    Root::File(PathBuf::from(value))
                });
                Ok(true)
            }
            _ => Ok(false),
        }
    };
    let kept = if url.contains("://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let mut params = Vec::new();
                for param in query.split('&') {
                    let (key, value) = param.split_once('=').unwrap_or((param, ""));
                    if !take(&decode(key), decode(value))? {
                        params.push(param);
                    }
                }
                if params.is_empty() {
                    base.to_string()
                } else {
                    format!("{base}?{}", params.join("&"))
                }
            }
            None => url.to_string(),
        }
    } else {
        // key=value pairs; values with spaces (quoted) are the client's to read, untouched.
        let mut words = Vec::new();
        for word in url.split_whitespace() {
            let taken = match word.split_once('=') {
                Some((key, value)) => take(key, value.trim_matches('\'').to_string())?,
                None => false,
            };
            if !taken {
                words.push(word);
            }
        }
        words.join(" ")
    };
    // As libpq: the system's roots are for checking the host name too, and make it the
    // default mode; a weaker one given with them is a mistake.
    let mode = match (mode, &root) {
        (None, Some(Root::System)) => Mode::VerifyFull,
        (Some(mode), Some(Root::System)) if mode != Mode::VerifyFull => {
            return Err(TlsProblem::SystemNeedsVerifyFull { mode: mode.name() });
        }
        (mode, _) => mode.unwrap_or(Mode::Prefer),
    };
    let settings = Settings { mode, root };
    Ok((kept, settings))
}

/// A URL's percent-encoded text, decoded (a malformed escape is kept as written).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The connector for `settings`, or `None` for `disable` (no TLS at all).
pub(crate) fn connector(settings: &Settings) -> Result<Option<Connector>, TlsProblem> {
    // rustls 0.23.48 deprecates the ring provider for its lack of post-quantum key exchange,
    // to steer towards aws-lc-rs; that one is a C build with cmake, for a protection (against
    // recording today's traffic to decrypt it decades later) that KPI queries do not need.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let root = settings.root.clone().or_else(|| {
        // libpq's default root file; `require` uses it only when it is there.
        let home = std::env::var_os("HOME")?;
        let path = PathBuf::from(home).join(".postgresql/root.crt");
        path.is_file().then_some(Root::File(path))
    });
    let check = match (settings.mode, root) {
        (Mode::Disable, _) => return Ok(None),
        (Mode::Prefer, _) | (Mode::Require, None) => Check::Nothing,
        (Mode::Require | Mode::VerifyCa, Some(root)) => Check::Root(roots(&root)?),
        (Mode::VerifyFull, Some(root)) => Check::RootAndName(roots(&root)?),
        (mode @ (Mode::VerifyCa | Mode::VerifyFull), None) => {
            return Err(TlsProblem::NoRoot { mode: mode.name() });
        }
    };
    let verifier: Arc<dyn ServerCertVerifier> = match check {
        Check::Nothing => Arc::new(Unchecked(provider.clone())),
        Check::Root(roots) | Check::RootAndName(roots) => {
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| TlsProblem::BadRoot {
                    reason: e.to_string(),
                })?;
            if matches!(settings.mode, Mode::VerifyFull) {
                webpki
            } else {
                Arc::new(AnyName(webpki))
            }
        }
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsProblem::BadRoot {
            reason: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Some(Connector(Arc::new(config))))
}

/// What the verifier checks of the server's certificate.
enum Check {
    /// Nothing: the connection is encrypted, the server not authenticated.
    Nothing,
    /// Signed by one of these roots.
    Root(Arc<RootCertStore>),
    /// Signed by one of these roots and made for the host name.
    RootAndName(Arc<RootCertStore>),
}

/// The root certificates `root` names.
fn roots(root: &Root) -> Result<Arc<RootCertStore>, TlsProblem> {
    match root {
        Root::File(path) => file_roots(path),
        Root::System => {
            let mut store = RootCertStore::empty();
            store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            if store.is_empty() {
                return Err(TlsProblem::NoSystemRoots);
            }
            Ok(Arc::new(store))
        }
    }
}

/// The root certificates of the PEM file at `path`.
fn file_roots(path: &std::path::Path) -> Result<Arc<RootCertStore>, TlsProblem> {
    let unreadable = |reason: String| TlsProblem::RootFile {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = read_file(path, MAX_CERTIFICATE_BYTES).map_err(|e| {
        unreadable(match e {
            ReadError::Io { error, .. } if error.kind() == io::ErrorKind::NotFound => {
                "there is no such file".into()
            }
            ReadError::Io { error, .. } => error.kind().to_string(),
            other => other.to_string(),
        })
    })?;
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| unreadable(format!("not a PEM certificate ({e})")))?;
        store
            .add(cert)
            .map_err(|e| unreadable(format!("not a certificate ({e})")))?;
    }
    if store.is_empty() {
        return Err(unreadable("it holds no `BEGIN CERTIFICATE` block".into()));
    }
    Ok(Arc::new(store))
}

/// A verifier that accepts any certificate (`prefer`, `require` without a root): the
/// handshake's signatures are still checked, so the connection is encrypted to whoever holds
/// the certificate's key.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain is checked against the roots, the host name is not. webpki checks
/// the chain before the name, so a name error means the chain was good.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The `postgres` client's TLS connector, over rustls.
#[derive(Clone)]
pub(crate) struct Connector(Arc<ClientConfig>);

impl<S> MakeTlsConnect<S> for Connector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = Stream<S>;
    type TlsConnect = Handshake;
    type Error = Failure;

    fn make_tls_connect(&mut self, domain: &str) -> Result<Handshake, Failure> {
        let name = ServerName::try_from(domain.to_string())
            .map_err(|_| Failure::Name(domain.to_string()))?;
        Ok(Handshake {
            connector: tokio_rustls::TlsConnector::from(self.0.clone()),
            name,
        })
    }
}

/// One TLS handshake, with the host name the certificate is checked against.
pub(crate) struct Handshake {
    connector: tokio_rustls::TlsConnector,
    name: ServerName<'static>,
}

impl<S> TlsConnect<S> for Handshake
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = Stream<S>;
    type Error = Failure;
    type Future = Pin<Box<dyn Future<Output = Result<Stream<S>, Failure>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        let host = host_of(&self.name);
        Box::pin(async move {
            match self.connector.connect(self.name, stream).await {
                Ok(stream) => Ok(Stream(stream)),
                Err(e) => Err(Failure::of(&e, host)),
            }
        })
    }
}

/// A server name as text.
fn host_of(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(name) => name.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => String::new(),
    }
}

/// Why a handshake failed, sorted so that the message can say what to do.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The host name is none that a certificate can be checked against.
    Name(String),
    /// The certificate was not made for this host name.
    NotForHost(String),
    /// The certificate is not signed by the root, expired, or otherwise refused.
    Untrusted(String),
    /// Anything else (the connection dropped, no common protocol version).
    Other(String),
}

impl Failure {
    /// Sorts rustls's error, which tokio-rustls hands over inside an `io::Error`.
    fn of(e: &io::Error, host: String) -> Self {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            Some(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Failure::NotForHost(host),
            Some(rustls::Error::InvalidCertificate(why)) => Failure::Untrusted(match why {
                CertificateError::UnknownIssuer => "not signed by a root of `sslrootcert`".into(),
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    "it has expired".into()
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    "it is not valid yet".into()
                }
                CertificateError::Revoked => "it was revoked".into(),
                other => format!("{other:?}"),
            }),
            Some(other) => Failure::Other(other.to_string()),
            None => Failure::Other(e.to_string()),
        }
    }

    /// What the message says.
    pub(crate) fn problem(&self) -> TlsProblem {
        match self {
            Failure::Name(host) | Failure::NotForHost(host) => {
                TlsProblem::NotForHost { host: host.clone() }
            }
            Failure::Untrusted(reason) => TlsProblem::Untrusted {
                reason: reason.clone(),
            },
            Failure::Other(reason) => TlsProblem::Handshake {
                reason: reason.clone(),
            },
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for Failure {}

/// The encrypted stream.
pub(crate) struct Stream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Stream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Stream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for Stream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        // SCRAM without channel binding: `tls-server-end-point` needs the hash that the
        // certificate's signature uses, which is more X.509 than this module reads. The
        // password is still never sent, and the channel is encrypted.
        ChannelBinding::none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_tls_settings_out_of_the_url() {
        let (url, s) =
            split("postgresql://u:p@h:5/db?sslmode=verify-full&application_name=x&sslrootcert=%2Ftmp%2Fca%20x.pem")
                .unwrap();
        assert_eq!(url, "postgresql://u:p@h:5/db?application_name=x");
        assert_eq!(s.mode, Mode::VerifyFull);
        assert_eq!(s.root, Some(Root::File(PathBuf::from("/tmp/ca x.pem"))));
        let (url, s) = split("postgresql://h/db?sslmode=require").unwrap();
        assert_eq!(
            (url.as_str(), s.mode, s.root),
            ("postgresql://h/db", Mode::Require, None)
        );
        let (url, s) = split("postgresql://h/db").unwrap();
        assert_eq!((url.as_str(), s.mode), ("postgresql://h/db", Mode::Prefer));
        let (url, s) = split("host=h sslmode=verify-ca sslrootcert=/r.pem dbname=d").unwrap();
        assert_eq!(url, "host=h dbname=d");
        assert_eq!(s.mode, Mode::VerifyCa);
        assert_eq!(s.root, Some(Root::File(PathBuf::from("/r.pem"))));
        let (_, s) = split("postgresql://h/db?sslrootcert=system").unwrap();
        assert_eq!((s.mode, s.root), (Mode::VerifyFull, Some(Root::System)));
        assert!(matches!(
            split("postgresql://h/db?sslrootcert=system&sslmode=require"),
            Err(TlsProblem::SystemNeedsVerifyFull { mode: "require" })
        ));
        assert!(matches!(
            split("postgresql://h/db?sslmode=always"),
            Err(TlsProblem::BadMode)
        ));
    }
}
