//! Why a command failed, worded in one place: the binary's error type, its kinds (a wrong
//! command line, a failed operation) and every message the binary itself writes about them.
//! Messages about definitions and data are `kpi_core::Diagnostic`s, worded in the core; `main`
//! prints these errors and maps each kind to an exit code.

use std::fmt;
use std::io;
use std::path::PathBuf;

use kpi_core::Diagnostic;
use kpi_core::diagnostic::os_reason;
use kpi_core::limits::MAX_DEFINITION_BYTES;
use kpi_report::{Format, ReportError};

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Definitions or data are invalid (exit 1): the diagnostics say why.
    Invalid(Vec<Diagnostic>),
    /// Something went wrong with the input or the files (exit 1).
    Failed(Failure),
    /// The command line, or the project it runs in, is wrong (exit 2).
    Usage(Usage),
    /// The command has already said what went wrong, on stdout (exit 1): `kpi test` when an
    /// example failed.
    Reported,
}

/// A command line that cannot run as given, or a project that does not say enough.
#[derive(Debug)]
pub enum Usage {
    /// `kpi init --config FILE`.
    InitWithConfig,
    /// `--config` without a file, outside `kpi schema`.
    ConfigWithoutFile,
    /// `--config FILE` names no file.
    ConfigMissing(PathBuf),
    /// `--config` names a folder.
    ConfigIsAFolder(PathBuf),
    /// `kpi new` without `--dir` and without a `kpi.toml`.
    NoProjectForNew,
    /// `kpi new` without `--dir`, and this `kpi.toml` names no `metrics` folder.
    NoOwnFolder(PathBuf),
    /// `kpi new --objective` without `--dir` in a project whose `kpi.toml` names no
    /// `objectives` folder.
    NoObjectivesFolder(PathBuf),
    /// Neither `kpi.toml`, nor `--metrics`, `--library` or a `metrics.d` folder.
    NoDefinitions,
    /// The command needs data and no source is given.
    NoData,
    /// `kpi new` with an id that is not one.
    InvalidId(String),
    /// `COMPLETE=<shell>` names no shell the completion engine knows.
    UnknownShell(String),
    /// `kpi explain` with an id the catalog does not have, and the closest it has.
    UnknownMetric {
        /// The id asked for.
        id: String,
        /// The closest id defined, if any is close.
        closest: Option<String>,
    },
    /// `--format` says one format and the extension of `--output` another.
    FormatMismatch {
        /// The format of the flag.
        flag: Format,
        /// The output file.
        output: PathBuf,
    },
    /// No `--format`, and the extension of `--output` names no format.
    FormatUnknown(PathBuf),
    /// Neither `--format` nor `--output`.
    NoFormat,
    /// `--format email` in a build without the `email` feature.
    #[cfg_attr(feature = "email", allow(dead_code))]
    EmailNotBuilt,
    /// `--base` looks like a flag.
    NotARevision(String),
    /// `--base` names no commit of the repository.
    NotACommit(String),
    /// `git` could not read the revision.
    Revision {
        /// The revision given.
        rev: String,
        /// Why.
        error: GitError,
    },
    /// A folder of templates or notes that does not exist.
    Report(ReportError),
    /// `kpi send` in a project whose `kpi.toml` (if any) has no `[delivery]`.
    NoDelivery(Option<PathBuf>),
}

/// An operation that failed.
#[derive(Debug)]
pub enum Failure {
    /// A file `kpi new` would write exists.
    Exists(PathBuf),
    /// `--period 2026-Q3`: no month of the period in the data.
    PeriodNotInData {
        /// The period as written.
        label: String,
        /// The data's first month.
        first: kpi_core::Period,
        /// Its last month.
        last: kpi_core::Period,
    },
    /// `kpi explain --why` on a change that cannot be split.
    NoAttribution {
        /// The metric.
        id: String,
        /// Why.
        why: String,
    },
    /// A folder could not be created.
    CreateFolder(PathBuf, io::Error),
    /// A file could not be written; `kept`: the file existed and is left as it was.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        error: WriteError,
        /// Whether the file existed before.
        kept: bool,
    },
    /// Files could not be written into a folder.
    WriteInto(PathBuf, io::Error),
    /// Writing to stdout failed (a closed pipe, a full disk).
    Output(io::Error),
    /// Files `kpi init` would write exist already, named as the user wrote the folder.
    InitTaken(Vec<PathBuf>),
    /// A folder `kpi init` would use is a file.
    InitNotAFolder(PathBuf),
    /// A folder `kpi init` would write into is a symbolic link to nothing.
    InitDanglingLink {
        /// The link, named as the user wrote the folder.
        path: PathBuf,
        /// What it points to.
        target: PathBuf,
    },
    /// `kpi init` could not make a folder or write a file, and removed what it had written.
    InitUndone {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        error: WriteError,
    },
    /// `git ls-tree` failed on a folder at a revision.
    GitList {
        /// The folder, with a trailing `/`.
        folder: String,
        /// The revision.
        rev: String,
        /// Why.
        error: GitError,
    },
    /// `git cat-file` failed on a file at a revision.
    GitRead {
        /// The file.
        path: String,
        /// The revision.
        rev: String,
        /// Why.
        error: GitError,
    },
    /// A definition file at a revision is larger than definitions may be.
    GitTooLarge {
        /// The file.
        path: String,
        /// The revision.
        rev: String,
    },
    /// A definition file at a revision is not UTF-8.
    GitNotText {
        /// The file.
        path: String,
        /// The revision.
        rev: String,
    },
    /// The report could not be rendered.
    Report(ReportError),
    /// `kpi send` failed to send by email, to Slack, or both.
    Send(Vec<SendError>),
    /// `kpi check` in strict mode found warnings (shown above).
    Strict {
        /// How many.
        warnings: usize,
        /// Whether `--strict` asked for it (else `strict = true` in `kpi.toml`).
        by_flag: bool,
    },
}

/// Why `kpi send` could not send. No variant holds a URL or a password: the words of a
/// server or library are scrubbed of them before they get here.
// Only `kpi send` with the `send` feature makes most of these.
#[cfg_attr(not(feature = "send"), allow(dead_code))]
#[derive(Debug)]
pub enum SendError {
    /// A `kpi` built without the `send` feature.
    #[cfg_attr(feature = "send", allow(dead_code))]
    NotBuilt,
    /// An address the mail library cannot read.
    Address {
        /// The address as written.
        text: String,
        /// Where it is written: `` `to` at kpi.toml:5:6 ``, `` `--to` ``.
        place: String,
        /// The library's reason.
        why: String,
    },
    /// `smtp` or `slack` names a variable that holds no URL of the right kind.
    BadUrl {
        /// `smtp` or `slack`.
        key: &'static str,
        /// The variable.
        variable: String,
        /// Where `[delivery]` names it: `kpi.toml:9:8`.
        at: String,
        /// What is wrong, without the URL.
        why: &'static str,
    },
    /// The SMTP server could not be used.
    Smtp {
        /// Where `[delivery] smtp` is written: `kpi.toml:9:8`.
        at: String,
        /// The variable that holds its URL.
        variable: String,
        /// `host:port`.
        server: String,
        /// What happened.
        trouble: SmtpTrouble,
        /// The seconds it had for each step.
        seconds: u64,
    },
    /// The SMTP server refused some recipients (or all), and took the message for the others.
    Refused {
        /// Where `[delivery] smtp` is written: `kpi.toml:9:8`.
        at: String,
        /// The variable that holds its URL.
        variable: String,
        /// `host:port`.
        server: String,
        /// Each refused recipient with the server's words.
        refused: Vec<(String, String)>,
        /// The recipients the message was sent to.
        sent: Vec<String>,
    },
    /// The Slack webhook could not be used.
    Webhook {
        /// Where `[delivery] slack` is written: `kpi.toml:10:9`.
        at: String,
        /// The variable that holds its URL.
        variable: String,
        /// The webhook's host (its path holds the secret token).
        host: String,
        /// What happened.
        trouble: WebhookTrouble,
        /// The seconds it had to answer.
        seconds: u64,
    },
}

/// The step of an SMTP session that failed.
// Only `kpi send` with the `send` feature makes most of these.
#[cfg_attr(not(feature = "send"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpStep {
    /// Connecting, TLS, the greeting.
    Connect,
    /// Authentication.
    Auth,
    /// `MAIL FROM`.
    Sender,
    /// `RCPT TO`, when the connection itself failed.
    Recipients,
    /// `DATA` and the message.
    Message,
}

/// What went wrong with the SMTP server, in its own words.
// Only `kpi send` with the `send` feature makes most of these.
#[cfg_attr(not(feature = "send"), allow(dead_code))]
#[derive(Debug)]
pub enum SmtpTrouble {
    /// A step failed.
    At {
        /// Which.
        step: SmtpStep,
        /// It timed out.
        timeout: bool,
        /// TLS failed.
        tls: bool,
        /// The server's (or the network's) words.
        said: String,
    },
    /// A `smtp://` server that offers no STARTTLS.
    NoStarttls,
}

impl SmtpTrouble {
    /// The failure of `step` with lettre's error.
    #[cfg(feature = "send")]
    pub fn at(step: SmtpStep, error: &lettre::transport::smtp::Error) -> SmtpTrouble {
        use std::error::Error as _;
        // A read past its timeout is `WouldBlock` on Unix, which lettre's `is_timeout` does
        // not count; a failed handshake is a rustls error inside an I/O error.
        let (mut timeout, mut tls) = (error.is_timeout(), error.is_tls());
        let mut source = error.source();
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<io::Error>() {
                timeout |= matches!(
                    io.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                );
                tls |= io
                    .get_ref()
                    .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some());
            }
            tls |= e.downcast_ref::<rustls::Error>().is_some();
            source = e.source();
        }
        SmtpTrouble::At {
            step,
            timeout,
            tls,
            said: SmtpTrouble::words(error),
        }
    }

    /// The server's words (`550 5.1.1 no such user`), or the network's, without the system's
    /// error code.
    #[cfg(feature = "send")]
    pub fn words(error: &lettre::transport::smtp::Error) -> String {
        use std::error::Error as _;
        let mut source = error.source();
        let mut io = None;
        let mut last = None;
        while let Some(e) = source {
            if let Some(e) = e.downcast_ref::<io::Error>() {
                io = Some(os_reason(e));
            }
            last = Some(e.to_string());
            source = e.source();
        }
        let said = match (error.status(), io) {
            (Some(code), _) => format!("{code} {}", last.unwrap_or_default()),
            (None, Some(io)) => io,
            (None, None) => last.unwrap_or_else(|| error.to_string()),
        };
        kpi_core::diagnostic::without_os_code(said.trim())
    }
}

/// What went wrong with the Slack webhook.
// Only `kpi send` with the `send` feature makes most of these.
#[cfg_attr(not(feature = "send"), allow(dead_code))]
#[derive(Debug)]
pub enum WebhookTrouble {
    /// It answered with an error status.
    Status {
        /// The status code.
        code: u16,
        /// Its body, cut short.
        said: String,
    },
    /// It could not be reached.
    Connect(String),
    /// It did not answer in time.
    Timeout,
    /// The URL is `http://` to a host other than this machine.
    Unencrypted,
}

/// Why `git` gave no answer.
#[derive(Debug)]
pub enum GitError {
    /// `git` could not be started.
    Spawn(io::Error),
    /// `git` failed and said this (its stderr's first line, possibly empty).
    Said(String),
}

/// Why a file could not be written: the cause, worded for `cannot write `path`: …`.
#[derive(Debug)]
pub enum WriteError {
    /// A folder on the way is a file (`create_dir_all` says "File exists").
    NotAFolder(PathBuf),
    /// The output names a folder.
    IsAFolder,
    /// The output exists as something that is neither a file, a device nor a FIFO.
    Unsupported(SpecialFile),
    /// The output is a symbolic link whose target does not exist.
    DanglingLink(PathBuf),
    /// A folder on the way is a symbolic link whose target does not exist.
    FolderLinksToNothing {
        /// The link.
        link: PathBuf,
        /// What it points to.
        target: PathBuf,
    },
    /// Any other error of the system.
    Io(io::Error),
}

/// Kinds of files an output cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    /// A block device (a disk).
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else the system has.
    Other,
}

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Usage::InitWithConfig => f.write_str(
                "`kpi init` writes a new `kpi.toml` and reads none: leave out `--config`",
            ),
            Usage::ConfigWithoutFile => {
                f.write_str("`--config` needs a file: `--config kpi.toml`")
            }
            Usage::ConfigIsAFolder(path) => write!(
                f,
                "config file `{}` is a folder: give the `kpi.toml` in it, `--config {}`",
                path.display(),
                path.join("kpi.toml").display()
            ),
            Usage::ConfigMissing(path) => {
                write!(f, "config file `{}` does not exist", path.display())
            }
            Usage::NoProjectForNew => f.write_str(
                "no `kpi.toml` here to say where definitions go: pass `--dir DIR`, or run `kpi init` to start a project",
            ),
            Usage::NoObjectivesFolder(config) => write!(
                f,
                "`{}` names no `objectives` folder: add `objectives = \"objectives\"` to it, or pass `--dir DIR`",
                config.display()
            ),
            Usage::NoOwnFolder(config) => write!(
                f,
                "`{}` names no `metrics` folder for the project's own definitions: pass `--dir DIR`, or add `metrics = [\"team\"]` to it",
                config.display()
            ),
            Usage::NoDefinitions => f.write_str(
                "no `kpi.toml` in this folder, and no `metrics.d` folder of definitions: run `kpi init` to start a project here, or pass `--library all` (the standard definitions) or `--metrics DIR`",
            ),
            Usage::NoData => f.write_str(
                "no data: pass `--data FILE`, or set `data = [...]` or `[[sources]]` in kpi.toml",
            ),
            Usage::InvalidId(id) => write!(
                f,
                "`{id}` is not a valid metric id: start with a lowercase letter, then use `a-z`, `0-9` and `_`"
            ),
            Usage::UnknownShell(shell) => write!(
                f,
                "`{VAR}={shell}` names no shell that kpi completes: use `bash`, `elvish`, `fish`, `powershell` or `zsh`, or unset `{VAR}` to run the command",
                VAR = "COMPLETE"
            ),
            Usage::UnknownMetric { id, closest } => {
                write!(f, "no metric `{id}`")?;
                match closest {
                    Some(closest) => write!(f, " (did you mean `{closest}`?)"),
                    None => Ok(()),
                }
            }
            Usage::FormatMismatch { flag, output } => write!(
                f,
                "`--format {}` does not match the extension of `{}`; drop `--format` or change the file name",
                format_flag(*flag),
                output.display()
            ),
            Usage::FormatUnknown(output) => write!(
                f,
                "cannot tell the format from `{}`: pass `--format html`, `--format md` or `--format email`, or name the file `.html`, `.md` or `.eml`",
                output.display()
            ),
            Usage::NoFormat => f.write_str(
                "no format: pass `--format html`, `--format md` or `--format email` (or `--output FILE.html` / `FILE.md` / `FILE.eml`)",
            ),
            Usage::EmailNotBuilt => f.write_str(
                "this `kpi` was built without email reports (cargo feature `email`): install `kpi` with its default features (`cargo install --locked --path .`, without `--no-default-features`), or add `--features email`",
            ),
            Usage::NotARevision(rev) => write!(f, "`{rev}` is not a git revision"),
            Usage::NotACommit(rev) => write!(
                f,
                "`{rev}` is not a commit of this git repository: give a branch, a tag or a commit, such as `origin/main` (run `git fetch` first in a shallow clone)"
            ),
            Usage::Revision { rev, error } => {
                write!(f, "cannot read git revision `{rev}`: {error}")
            }
            Usage::Report(error) => error.fmt(f),
            Usage::NoDelivery(Some(config)) => write!(
                f,
                "`{}` has no `[delivery]` table to say where the report goes: add one with `smtp`, `from` and `to`, or `slack` (see docs/reports.md, \"Sending\")",
                config.display()
            ),
            Usage::NoDelivery(None) => f.write_str(
                "no `kpi.toml` here to say where the report goes: `kpi send` reads its `[delivery]` table (see docs/reports.md, \"Sending\")",
            ),
        }
    }
}

/// How `--format` spells a report format.
fn format_flag(format: Format) -> &'static str {
    match format {
        Format::Html => "html",
        Format::Markdown => "md",
        Format::Email => "email",
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::PeriodNotInData { label, first, last } => write!(
                f,
                "the data holds no month of {label}: it runs from {first} to {last}"
            ),
            Failure::NoAttribution { id, why } => {
                write!(f, "the change of `{id}` cannot be split: {why}")
            }
            Failure::Exists(path) => {
                write!(
                    f,
                    "`{}` already exists; it is left untouched",
                    path.display()
                )
            }
            Failure::CreateFolder(path, error) => {
                write!(
                    f,
                    "cannot create `{}`: {}",
                    path.display(),
                    os_reason(error)
                )
            }
            Failure::Write { path, error, kept } => {
                write!(f, "cannot write `{}`: {error}", path.display())?;
                if *kept {
                    f.write_str("; it is left as it was")?;
                }
                Ok(())
            }
            Failure::WriteInto(dir, error) => {
                write!(
                    f,
                    "cannot write into `{}`: {}",
                    dir.display(),
                    os_reason(error)
                )
            }
            Failure::Output(error) => write!(f, "cannot write the output: {}", os_reason(error)),
            Failure::InitTaken(paths) => {
                let names: Vec<String> =
                    paths.iter().map(|p| format!("`{}`", p.display())).collect();
                let one = paths.len() == 1;
                write!(
                    f,
                    "{} already exist{}: `kpi init` never overwrites a file, and wrote nothing; move {} away, or start the project in another folder",
                    names.join(", "),
                    if one { "s" } else { "" },
                    if one { "it" } else { "them" },
                )
            }
            Failure::InitNotAFolder(path) => write!(
                f,
                "`{}` is a file, not a folder: `kpi init` wrote nothing",
                path.display()
            ),
            Failure::InitDanglingLink { path, target } => write!(
                f,
                "`{}` is a symbolic link to `{}`, which does not exist: `kpi init` wrote nothing; remove the link, or make the folder it points to",
                path.display(),
                target.display()
            ),
            Failure::InitUndone { path, error } => write!(
                f,
                "cannot write `{}`: {error}; `kpi init` removed what it had written",
                path.display()
            ),
            Failure::GitList { folder, rev, error } => {
                write!(f, "cannot list `{folder}` at `{rev}`: {error}")
            }
            Failure::GitRead { path, rev, error } => {
                write!(f, "cannot read `{path}` at `{rev}`: {error}")
            }
            Failure::GitTooLarge { path, rev } => write!(
                f,
                "`{rev}:{path}` is larger than {} KiB",
                MAX_DEFINITION_BYTES / 1024
            ),
            Failure::GitNotText { path, rev } => write!(f, "`{rev}:{path}` is not UTF-8 text"),
            Failure::Report(error) => error.fmt(f),
            Failure::Send(errors) => {
                for (i, error) in errors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\nerror: ")?;
                    }
                    error.fmt(f)?;
                }
                Ok(())
            }
            Failure::Strict { warnings, by_flag } => write!(
                f,
                "strict mode turned {warnings} warning{} into a failure ({})",
                if *warnings == 1 { "" } else { "s" },
                if *by_flag {
                    "`--strict`"
                } else {
                    "`strict = true` in kpi.toml"
                }
            ),
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::NotBuilt => f.write_str(
                "this `kpi` was built without sending (cargo feature `send`): install it with its default features (`cargo install --locked --path .`, without `--no-default-features`), or add `--features send`",
            ),
            SendError::Address { text, place, why } => write!(
                f,
                "`{text}` ({place}) is not an email address: {why}; write `name@example.com` or `Name <name@example.com>`"
            ),
            SendError::BadUrl {
                key,
                variable,
                at,
                why,
            } => {
                let expected = match *key {
                    "smtp" => {
                        "an SMTP URL (`smtps://user:password@host:465`, or `smtp://user:password@host:587` for STARTTLS)"
                    }
                    _ => "a Slack incoming webhook's URL (`https://hooks.slack.com/services/…`)",
                };
                write!(
                    f,
                    "{at}: `{variable}` (`{key}` of `[delivery]`) does not hold {expected}: {why}"
                )
            }
            SendError::Smtp {
                at,
                variable,
                server,
                trouble,
                seconds,
            } => {
                write!(
                    f,
                    "{at}: cannot send the email through {server} (the SMTP server in `{variable}`): "
                )?;
                match trouble {
                    SmtpTrouble::At { timeout: true, .. } => write!(
                        f,
                        "it did not answer within {seconds} second{}; the message was sent to no one",
                        if *seconds == 1 { "" } else { "s" }
                    ),
                    trouble => trouble.fmt(f),
                }
            }
            SendError::Refused {
                at,
                variable,
                server,
                refused,
                sent,
            } => {
                let total = refused.len() + sent.len();
                let names: Vec<String> = refused
                    .iter()
                    .map(|(who, said)| format!("`{who}` ({said})"))
                    .collect();
                write!(
                    f,
                    "{at}: {server} (the SMTP server in `{variable}`) refused {} of {total} recipient{}: {}; ",
                    refused.len(),
                    if total == 1 { "" } else { "s" },
                    names.join(", ")
                )?;
                let others: Vec<String> = sent.iter().map(|s| format!("`{s}`")).collect();
                match others.len() {
                    0 => f.write_str("the message was sent to no one"),
                    1 => write!(f, "the message was sent to the other one, {}", others[0]),
                    n => write!(f, "the message was sent to the {n} others: {}", others.join(", ")),
                }
            }
            SendError::Webhook {
                at,
                variable,
                host,
                trouble,
                seconds,
            } => {
                write!(
                    f,
                    "{at}: cannot post to Slack through {host} (the webhook in `{variable}`): "
                )?;
                match trouble {
                    WebhookTrouble::Timeout => write!(
                        f,
                        "it did not answer within {seconds} second{}",
                        if *seconds == 1 { "" } else { "s" }
                    ),
                    trouble => trouble.fmt(f),
                }
            }
        }
    }
}

impl fmt::Display for SmtpTrouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SmtpTrouble::NoStarttls => f.write_str(
                "it does not offer STARTTLS, and kpi never sends a password or a report unencrypted: use `smtps://` if the server takes TLS from the start (port 465)",
            ),
            SmtpTrouble::At { timeout: true, .. } => {
                f.write_str("it did not answer in time; the message was sent to no one")
            }
            SmtpTrouble::At {
                step: SmtpStep::Connect,
                tls: true,
                said,
                ..
            } => write!(
                f,
                "the TLS handshake failed: {said} (a server whose certificate a private root signs needs that root in `SSL_CERT_FILE`)"
            ),
            SmtpTrouble::At { step, said, .. } => {
                let what = match step {
                    SmtpStep::Connect => "cannot connect",
                    SmtpStep::Auth => "it refused the user name and password",
                    SmtpStep::Sender => "it refused the sender",
                    SmtpStep::Recipients => "the connection failed while naming the recipients",
                    SmtpStep::Message => "it refused the message",
                };
                write!(f, "{what}: {said}; the message was sent to no one")
            }
        }
    }
}

impl fmt::Display for WebhookTrouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookTrouble::Status { code, said } if said.is_empty() => {
                write!(f, "the webhook answered {code}")
            }
            WebhookTrouble::Status { code, said } => {
                write!(f, "the webhook answered {code}: {said}")
            }
            WebhookTrouble::Connect(said) => write!(f, "cannot connect: {said}"),
            WebhookTrouble::Timeout => f.write_str("it did not answer in time"),
            WebhookTrouble::Unencrypted => f.write_str(
                "its URL is `http://` to another machine, which would send the webhook's token in clear: use `https://`",
            ),
        }
    }
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GitError::Spawn(error) => write!(f, "cannot run `git`: {}", os_reason(error)),
            GitError::Said(message) => f.write_str(message),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotAFolder(path) => write!(
                f,
                "`{}` is a file, not a folder: choose another output folder",
                path.display()
            ),
            WriteError::IsAFolder => write!(f, "it is a folder: give the path of a file"),
            WriteError::Unsupported(kind) => {
                let kind = match kind {
                    SpecialFile::BlockDevice => "block device",
                    SpecialFile::Socket => "socket",
                    SpecialFile::Other => "special file",
                };
                write!(f, "it is a {kind}, not a file: give the path of a file")
            }
            WriteError::DanglingLink(target) => write!(
                f,
                "it is a symbolic link to `{}`, which does not exist",
                target.display()
            ),
            WriteError::FolderLinksToNothing { link, target } => write!(
                f,
                "`{}` is a symbolic link to `{}`, which does not exist: make the folder it points to, or remove the link",
                link.display(),
                target.display()
            ),
            WriteError::Io(e) => f.write_str(&os_reason(e)),
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

impl From<kpi_core::Diagnostics> for CliError {
    fn from(d: kpi_core::Diagnostics) -> Self {
        CliError::Invalid(d.0)
    }
}

impl From<Diagnostic> for CliError {
    fn from(d: Diagnostic) -> Self {
        CliError::Invalid(vec![d])
    }
}

impl From<Usage> for CliError {
    fn from(usage: Usage) -> Self {
        CliError::Usage(usage)
    }
}

impl From<SendError> for CliError {
    fn from(error: SendError) -> Self {
        CliError::Failed(Failure::Send(vec![error]))
    }
}

impl From<Failure> for CliError {
    fn from(failure: Failure) -> Self {
        CliError::Failed(failure)
    }
}

/// A folder of templates that does not exist, or notes that are not a folder, is a wrong
/// command line (exit 2); any other report error is a failure (exit 1).
impl From<ReportError> for CliError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::MissingTemplates { .. } | ReportError::NotesNotAFolder { .. } => {
                CliError::Usage(Usage::Report(e))
            }
            e => CliError::Failed(Failure::Report(e)),
        }
    }
}
