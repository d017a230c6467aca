//! Everything that can be wrong with definitions, data or configuration, worded in one place.
//!
//! A [`Diagnostic`] is a [`Problem`] plus where it is ([`Location`]) and how severe it is.
//! Loaders collect every diagnostic they find rather than stopping at the first one.

use std::fmt;
use std::path::PathBuf;

use crate::direction::Direction;
use crate::formula::FormulaError;
use crate::period::Period;
use crate::source::Location;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information worth knowing (a definition overridden by a later directory).
    Note,
    /// Probably a mistake, but the work can go on (an unused data column).
    Warning,
    /// The work cannot go on.
    Error,
}

/// One problem and where it is.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Where it is, when it is in a file.
    pub location: Option<Box<Location>>,
    /// What is wrong.
    pub problem: Box<Problem>,
    /// How many more places have the same problem, when it was said once for all of them.
    pub repeats: Option<Repeats>,
}

/// The same problem in more places than the one shown: said as one line, so that a file
/// with thousands of bad rows gives a short error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeats {
    /// How many more places.
    pub count: usize,
    /// The first and last line (or row) of those places.
    pub lines: (usize, usize),
    /// What each place is: `row`, `cell` or (in notes) `section`.
    pub noun: &'static str,
    /// How places are counted: `line` in a file, `row` in a database's answer.
    pub line_word: &'static str,
}

impl fmt::Display for Repeats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, last) = self.lines;
        let plural = if self.count == 1 { "" } else { "s" };
        write!(
            f,
            "… and {} more {}{plural} like it (",
            self.count, self.noun
        )?;
        if first == last {
            write!(f, "{} {first})", self.line_word)
        } else {
            write!(f, "{}s {first}–{last})", self.line_word)
        }
    }
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(problem: Problem, location: Option<Location>) -> Self {
        Self {
            severity: Severity::Error,
            location: location.map(Box::new),
            problem: Box::new(problem),
            repeats: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(problem: Problem, location: Option<Location>) -> Self {
        Self {
            severity: Severity::Warning,
            location: location.map(Box::new),
            problem: Box::new(problem),
            repeats: None,
        }
    }

    /// A note at `location`.
    pub fn note(problem: Problem, location: Option<Location>) -> Self {
        Self {
            severity: Severity::Note,
            location: location.map(Box::new),
            problem: Box::new(problem),
            repeats: None,
        }
    }

    /// Whether this diagnostic stops the work.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.problem),
            None => write!(f, "{}", self.problem),
        }
    }
}

/// A list of diagnostics, at least one of which is an error; what loaders return on failure.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

fn backticked(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn backticked_and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} and `{last}`", backticked(init)),
    }
}

/// Names listed in one message before the rest are counted.
const LISTED: usize = 30;

/// Like [`backticked`], but a long list names its first [`LISTED`] and counts the rest, so
/// that a message stays one readable line.
fn backticked_few(names: &[String]) -> String {
    if names.len() <= LISTED {
        return backticked(names);
    }
    format!(
        "{} and {} more",
        backticked(&names[..LISTED]),
        names.len() - LISTED
    )
}

/// `line 14 (`Total`), line 15 (`Moyenne`)`, the first few of a list of rows.
fn skipped_rows(rows: &[(usize, String)], line_word: &str) -> String {
    const LISTED: usize = 10;
    let listed: Vec<String> = rows
        .iter()
        .take(LISTED)
        .map(|(line, cell)| format!("{line_word} {line} (`{cell}`)"))
        .collect();
    let more = rows.len().saturating_sub(LISTED);
    if more == 0 {
        listed.join(", ")
    } else {
        format!("{} and {more} more", listed.join(", "))
    }
}

/// `: `a.csv` has no row` (or `: `a.csv` and `b.csv` have no rows`) for the sources of
/// empty data; nothing when there are none to name.
fn no_rows(sources: &[String]) -> String {
    const LISTED: usize = 30;
    match sources {
        [] => String::new(),
        [one] => format!(": {one} has no row"),
        _ => {
            let shown = sources.len().min(LISTED);
            let mut list = sources[..shown].join(", ");
            if sources.len() > shown {
                list.push_str(&format!(" and {} more", sources.len() - shown));
            }
            format!(": {list} have no rows")
        }
    }
}

/// What the system said about a file operation, in words a user can act on: never its raw
/// text, whose `(os error N)` tells them nothing. Every message about a failed read, write
/// or folder names the cause through this.
pub fn os_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let words = match error.kind() {
        K::NotFound => "it does not exist",
        K::PermissionDenied => "permission denied",
        K::AlreadyExists => "something already exists there",
        K::IsADirectory => "it is a folder, not a file",
        K::NotADirectory => "a folder on its path is a file",
        K::DirectoryNotEmpty => "the folder is not empty",
        K::StorageFull => "the disk is full",
        K::QuotaExceeded => "the disk quota is used up",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::FileTooLarge => "the file is too large for the file system",
        K::InvalidFilename => {
            "the file system refuses the name (too long, or a character it does not allow)"
        }
        K::TooManyLinks => "the folder holds too many links",
        K::ResourceBusy | K::ExecutableFileBusy => "the file is busy",
        K::CrossesDevices => "it would move a file across file systems",
        K::BrokenPipe => "the reader closed the pipe",
        K::OutOfMemory => "out of memory",
        K::TimedOut => "the operation timed out",
        K::Unsupported => "the operation is not supported here",
        _ => return without_os_code(&error.to_string()),
    };
    words.to_string()
}

/// `text` without the ` (os error N)` the standard library appends to a system error, and
/// starting in lowercase as every message does: for errors [`os_reason`] has no words for,
/// and for messages of other libraries that carry one (a database driver's connection error).
pub fn without_os_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" (os error ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " (os error ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            rest = &after[digits + 1..];
        } else {
            out.push_str(" (os error ");
            rest = after;
        }
    }
    out.push_str(rest);
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        // `Too many levels…` → `too many levels…`; an acronym (`TLS …`) stays.
        (Some(first), Some(second))
            if first.is_ascii_uppercase() && !second.is_ascii_uppercase() =>
        {
            first.to_ascii_lowercase().to_string() + &out[1..]
        }
        _ => out,
    }
}

/// What a command does with the month it picked by default, for the note that names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthUse {
    /// `kpi eval`, `explain` and `report`.
    Evaluate,
    /// `kpi diff`.
    Compare,
    /// `kpi data pull`, which writes every month and only says which one is reported.
    Pull,
    /// `kpi check --strict`, which checks the values and notes of the month.
    Check,
}

/// The note of [`Problem::DefaultMonth`].
fn default_month(period: Period, passed_over: Option<(Period, bool)>, doing: MonthUse) -> String {
    let by_default = if doing == MonthUse::Pull {
        " by default"
    } else {
        ""
    };
    match passed_over {
        Some((last, true)) => {
            format!("{last} holds only target series; reporting {period}{by_default}")
        }
        Some((last, false)) => {
            let months = if last.months_since(period) == 1 {
                format!("{last} has")
            } else {
                format!("the months after {period}, to {last}, have")
            };
            format!("{months} no value computed from data; reporting {period}{by_default}")
        }
        None => match doing {
            MonthUse::Evaluate => format!("evaluating {period}, the latest month in the data"),
            MonthUse::Compare => format!("comparing {period}, the latest month in the data"),
            MonthUse::Check => format!("checking {period}, the latest month in the data"),
            MonthUse::Pull => {
                format!("reporting {period} by default, the latest month in the data")
            }
        },
    }
}

/// What keeps a workbook source from being read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookProblem {
    /// A build without the `excel` feature.
    #[error("`{}` is a workbook, and this build of kpi reads none", path.display())]
    NotBuilt {
        /// The workbook.
        path: PathBuf,
    },
    /// A workbook protected by a password.
    #[error("`{}` is protected by a password", path.display())]
    Password {
        /// The workbook.
        path: PathBuf,
    },
    /// A damaged file, or no workbook.
    #[error("`{}` cannot be read as a workbook ({reason})", path.display())]
    Unreadable {
        /// The workbook.
        path: PathBuf,
        /// The reader's own words.
        reason: String,
    },
    /// `sheet = "..."` naming no sheet of the workbook.
    #[error("`{}` has no sheet named `{sheet}`", path.display())]
    NoSuchSheet {
        /// The workbook.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
        /// The sheet probably meant.
        closest: Option<String>,
        /// Its worksheets, in order.
        sheets: Vec<String>,
    },
    /// A workbook with chart sheets only.
    #[error("`{}` has no worksheet", path.display())]
    NoWorksheet {
        /// The workbook.
        path: PathBuf,
    },
    /// A sheet with no cell in use (or none within `range`).
    #[error("sheet `{sheet}` is empty")]
    EmptySheet {
        /// The sheet.
        sheet: String,
    },
    /// Two header cells with one name.
    #[error("column `{column}` appears twice")]
    DuplicateColumn {
        /// The name.
        column: String,
    },
}

impl WorkbookProblem {
    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Self::NotBuilt { .. } => "build kpi with its `excel` feature (on by default): `cargo install --locked kpi`, without `--no-default-features`".into(),
            Self::Password { .. } => {
                "save a copy without a password (File › Info › Protect Workbook), and read that"
                    .into()
            }
            Self::Unreadable { .. } => "open it in Excel or LibreOffice and save it again as .xlsx; a CSV file is read with `csv = ...`".into(),
            Self::NoSuchSheet { closest, sheets, .. } => {
                let listed: Vec<String> = sheets.iter().map(|s| format!("`{s}`")).collect();
                match closest {
                    Some(near) => format!(
                        "did you mean `sheet = \"{near}\"`? Its sheets: {}",
                        listed.join(", ")
                    ),
                    None => format!("its sheets: {}", listed.join(", ")),
                }
            }
            Self::NoWorksheet { .. } => "save the data in a worksheet (not a chart sheet)".into(),
            Self::EmptySheet { .. } => "give the sheet with the data: `sheet = \"...\"`".into(),
            Self::DuplicateColumn { .. } => {
                "rename one of them, so that each input reads one column".into()
            }
        }
    }
}

/// A mistake in an objective file (`objectives/<id>.toml`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectiveProblem {
    /// The file name is no valid id.
    #[error("`{id}` is not a valid objective id (the file's name)")]
    BadId {
        /// The file name without `.toml`.
        id: String,
    },
    /// `name = ""`.
    #[error("the objective's name is empty")]
    EmptyName,
    /// `kpis = []`.
    #[error("the objective lists no KPI")]
    NoKpis,
    /// An entry of `kpis` of the wrong shape.
    #[error("each entry of `kpis` is a KPI id or a table with `id` and `weight`")]
    BadEntry,
    /// An id that names no definition.
    #[error("unknown KPI `{id}`")]
    UnknownKpi {
        /// The id.
        id: String,
        /// The closest KPI id, when one is a likely typo.
        suggestion: Option<String>,
    },
    /// A plain metric listed: objectives are made of KPIs.
    #[error(
        "`{id}` is a plain metric, not a KPI: an objective is made of KPIs, which carry targets"
    )]
    NotAKpi {
        /// The id.
        id: String,
    },
    /// The same id twice.
    #[error("`{id}` is listed twice")]
    Repeated {
        /// The id.
        id: String,
        /// The line of its first entry.
        first_line: usize,
    },
    /// `weight = 0` or less (or not a finite number).
    #[error("the weight of `{id}` is {weight}: a weight is a number above 0")]
    BadWeight {
        /// The KPI.
        id: String,
        /// The weight written.
        weight: String,
    },
    /// A `[[kpis]]` table without `id`.
    #[error("a `[[kpis]]` entry has no `id`")]
    EntryWithoutId,
    /// The folder `objectives` names does not exist.
    #[error("objectives folder `{}` does not exist", path.display())]
    MissingFolder {
        /// The folder.
        path: PathBuf,
    },
    /// An unknown key in a `[[kpis]]` table.
    #[error("unknown key `{key}` in a `[[kpis]]` entry")]
    EntryKey {
        /// The key.
        key: String,
    },
}

impl ObjectiveProblem {
    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Self::BadId { .. } => "name the file with lowercase letters, digits and underscores, starting with a letter: `objectives/retain_customers.toml`".into(),
            Self::EmptyName => "write the objective as the leadership review says it: `name = \"Retain customers\"`".into(),
            Self::NoKpis => "list the KPIs it is measured by: `kpis = [\"churn_rate\", \"nps\"]`".into(),
            Self::BadEntry => "write `kpis = [\"churn_rate\", \"nps\"]`, or one `[[kpis]]` table per KPI with `id = \"mrr\"` and `weight = 2`".into(),
            Self::UnknownKpi { suggestion: Some(s), .. } => format!("did you mean `{s}`? `kpi list` lists the KPIs"),
            Self::UnknownKpi { suggestion: None, .. } => "`kpi list` lists the KPIs".into(),
            Self::NotAKpi { id } => format!("list a KPI instead, or make `{id}` one in its definition: `kind = \"kpi\"`, a `direction` and a `[target]`"),
            Self::Repeated { first_line, .. } => format!("it is already listed on line {first_line}: list each KPI once, and give it a `weight` to count it more"),
            Self::BadWeight { .. } => "give a number above 0, such as `weight = 2` (a KPI without `weight` counts 1)".into(),
            Self::EntryWithoutId => "give the KPI's id: `id = \"mrr\"`".into(),
            Self::EntryKey { .. } => "a `[[kpis]]` entry takes `id` and `weight`".into(),
            Self::MissingFolder { .. } => "make it with `kpi new --objective ID`, or remove `objectives` from kpi.toml".into(),
        }
    }
}

/// A mistake in `kpi.toml` (or in a flag that stands for one of its keys).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// `locale = "..."` that is no language code.
    #[error("`{code}` is not a locale code")]
    NotLocale {
        /// The value.
        code: String,
    },
    /// A language code reports are not written in.
    #[error("reports are not written in `{code}`")]
    NoReportLocale {
        /// The value.
        code: String,
        /// The codes reports are written in.
        known: Vec<String>,
    },
    /// `currency = "..."` that is no ISO 4217 code.
    #[error("`{code}` is not a currency code")]
    NotCurrency {
        /// The value.
        code: String,
        /// The code in capitals, when that is one.
        upper: Option<String>,
    },
    /// An item of `library` that is not a string.
    #[error("`library` is `\"all\"` or a list of standard metric ids")]
    LibraryItem,
    /// `library = "churn_rate"`: one id, not in a list.
    #[error("`library` is `\"all\"` or a list of standard metric ids")]
    LibraryOneId {
        /// The id.
        id: String,
    },
    /// `library` of another shape.
    #[error("`library` is `\"all\"` or a list of standard metric ids")]
    LibraryShape,
    /// `columns` mapping an input to an empty name.
    #[error("`columns` maps input `{input}` to an empty column name")]
    EmptyColumn {
        /// The input.
        input: String,
    },
    /// A `[[sources]]` entry with no kind key.
    #[error("a source needs one of {}", or_list(kinds))]
    SourceWithoutKind {
        /// The kinds' keys, in order: `csv`, `excel`...
        kinds: Vec<&'static str>,
        /// Each kind's key with an example value.
        examples: Vec<&'static str>,
    },
    /// A `[[sources]]` entry with several kind keys.
    #[error("a source has one of {}, not several", or_list(kinds))]
    SourceOfSeveralKinds {
        /// The kinds' keys, in order.
        kinds: Vec<&'static str>,
    },
    /// `sheet` or `range` on a source that is no workbook.
    #[error("`{key}` is for workbook sources (`excel = ...`)")]
    WorkbookKey {
        /// The key.
        key: &'static str,
    },
    /// `range` that is no range of cells.
    #[error("`{text}` is not a range of cells")]
    NotARange {
        /// The value.
        text: String,
    },
    /// A database source without `query`.
    #[error("a database source needs a `query`")]
    QueryMissing,
    /// `query` on a source that is no database.
    #[error("{} takes no `query`", source_kind(kind))]
    QueryNotTaken {
        /// The source's kind key.
        kind: &'static str,
    },
    /// `name` or `value` on a database source.
    #[error("`name` and `value` are for long CSV tables")]
    LongKeysOnDatabase,
    /// `name` without `value`, or the other way round.
    #[error("`name` and `value` go together")]
    LongKeyAlone,
    /// `timeout` on a source that is no database.
    #[error("`timeout` is for database sources")]
    TimeoutNotTaken,
    /// `timeout` out of its range.
    #[error("`timeout` must be from 1 to 86400 seconds")]
    TimeoutRange,
    /// A `[delivery]` subject with a `{{name}}` that is no placeholder.
    #[error("`{{{{{name}}}}}` is not a placeholder of `subject`")]
    SubjectPlaceholder {
        /// The name between the braces.
        name: String,
        /// The closest placeholder, if close.
        closest: Option<String>,
    },
    /// A `[delivery]` subject with `{{` never closed.
    #[error("`subject` opens `{{{{` and never closes it")]
    SubjectUnclosed,
    /// A `[delivery]` subject uses `{{company}}` and `kpi.toml` names no company.
    #[error("`subject` uses `{{{{company}}}}` and kpi.toml has no `company`")]
    SubjectWithoutCompany {
        /// Whether the subject is the language's default (no `subject` written).
        default: bool,
    },
    /// A `from`, `to` or `cc` of `[delivery]` that is no email address.
    #[error("`{text}` in `{key}` is not an email address")]
    NotAnAddress {
        /// The key.
        key: &'static str,
        /// The value.
        text: String,
    },
    /// `smtp` or `slack` of `[delivery]` holding something else than a variable's name (a
    /// URL, by mistake: never shown).
    #[error("`{key}` takes the name of an environment variable, not a URL")]
    SecretInConfig {
        /// The key.
        key: &'static str,
    },
    /// `link` of `[delivery]` that is no web address.
    #[error("`{text}` in `link` is not a web address")]
    LinkNotWeb {
        /// The value.
        text: String,
    },
    /// The variable `smtp` or `slack` of `[delivery]` names is not set.
    #[error("`{key}` names the environment variable `{variable}`, which is not set")]
    DeliveryVariableUnset {
        /// The key.
        key: &'static str,
        /// The variable.
        variable: String,
    },
    /// `timeout` of `[delivery]` out of its range.
    #[error("`timeout` of `[delivery]` must be from 1 to 600 seconds")]
    SendTimeoutRange,
    /// `kpi send` with neither `smtp` nor `slack` in `[delivery]`.
    #[error("`[delivery]` names no way to send: neither `smtp` nor `slack`")]
    NothingToSendBy,
    /// Email is to be sent and `[delivery]` lacks `from` or recipients.
    #[error("`[delivery]` has `smtp` but no `{key}`")]
    EmailWithout {
        /// `from` or `to`.
        key: &'static str,
    },
}

/// `` `a`, `b` or `c` ``.
fn or_list(words: &[&str]) -> String {
    let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The environment variable the docs suggest for `smtp` or `slack` of `[delivery]`.
fn delivery_variable(key: &str) -> &'static str {
    match key {
        "smtp" => "KPI_SMTP_URL",
        _ => "KPI_SLACK_WEBHOOK",
    }
}

/// How messages name a kind of source, by its key: `a CSV source`.
fn source_kind(key: &str) -> &'static str {
    match key {
        "csv" => "a CSV source",
        "excel" => "a workbook source",
        "sqlite" => "a SQLite source",
        _ => "a PostgreSQL source",
    }
}

impl ConfigProblem {
    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            Self::NotLocale { .. } => {
                "write a lowercase language code: `locale = \"en\"` or `locale = \"fr\"`".into()
            }
            Self::NoReportLocale { known, .. } => format!(
                "use one of {}",
                known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
            Self::NotCurrency { upper: Some(upper), .. } => {
                format!("write the code in capitals: `currency = \"{upper}\"`")
            }
            Self::NotCurrency { upper: None, .. } => {
                "write the currency's ISO 4217 code, such as `currency = \"EUR\"` or `\"USD\"`".into()
            }
            Self::LibraryItem => {
                "write each id in quotes: `library = [\"churn_rate\", \"nps\"]`".into()
            }
            Self::LibraryOneId { id } => format!("a list, even of one id: `library = [\"{id}\"]`"),
            Self::LibraryShape => "for example `library = \"all\"` or `library = [\"churn_rate\", \"nps\"]`; `kpi list --library all` lists the ids".into(),
            Self::EmptyColumn { input } => format!(
                "write the name of the column that holds it, as the header spells it: `{input} = \"...\"`"
            ),
            Self::SourceWithoutKind { examples, .. } => {
                format!("add {}", or_list(examples))
            }
            Self::SourceOfSeveralKinds { .. } => "give each in its own `[[sources]]` entry".into(),
            Self::WorkbookKey { .. } => "remove it".into(),
            Self::NotARange { .. } => {
                "write its top-left and bottom-right cells: `range = \"B3:K40\"`".into()
            }
            Self::QueryMissing => "add `query = \"select ...\"`".into(),
            Self::QueryNotTaken { .. } => "remove `query`, or read a database".into(),
            Self::LongKeysOnDatabase => {
                "a query whose columns are `period`, `input` and `value` is read as a long table"
                    .into()
            }
            Self::LongKeyAlone => {
                "give both: the column of input names and the column of values".into()
            }
            Self::TimeoutNotTaken => {
                "remove it: reading a CSV file has no time bound but its size".into()
            }
            Self::TimeoutRange => "give the seconds a query may run, 60 by default".into(),
            Self::SubjectPlaceholder { closest: Some(closest), .. } => {
                format!("did you mean `{{{{{closest}}}}}`?")
            }
            Self::SubjectPlaceholder { closest: None, .. } => {
                "a subject may use `{{company}}` and `{{month}}`".into()
            }
            Self::SubjectUnclosed => "close it with `}}`: `{{month}}`".into(),
            Self::SubjectWithoutCompany { default: true } => {
                "add `company = \"Acme\"` at the top of kpi.toml, or write a `subject` in `[delivery]`".into()
            }
            Self::SubjectWithoutCompany { default: false } => {
                "add `company = \"Acme\"` at the top of kpi.toml, or leave `{{company}}` out".into()
            }
            Self::NotAnAddress { .. } => {
                "write `name@example.com`, or `Name <name@example.com>`".into()
            }
            Self::SecretInConfig { key } => format!(
                "credentials never live in files: put the URL in an environment variable and write its name, `{key} = \"{}\"`",
                delivery_variable(key)
            ),
            Self::LinkNotWeb { .. } => {
                "write the published report's address: `link = \"https://kpi.example.com/\"`".into()
            }
            Self::DeliveryVariableUnset { key, variable } => match *key {
                "smtp" => format!(
                    "set it to the SMTP server's URL: `export {variable}=smtps://user:password@smtp.example.com:465` (or `smtp://…:587` for STARTTLS)"
                ),
                _ => format!(
                    "set it to the Slack incoming webhook's URL: `export {variable}=https://hooks.slack.com/services/…`"
                ),
            },
            Self::SendTimeoutRange => {
                "give the seconds a server may take to answer each step, 60 by default".into()
            }
            Self::NothingToSendBy => format!(
                "add `smtp = \"{}\"` or `slack = \"{}\"` to `[delivery]` in kpi.toml",
                delivery_variable("smtp"),
                delivery_variable("slack")
            ),
            Self::EmailWithout { key: "from" } => {
                "add the sender: `from = \"KPI reports <kpi@example.com>\"`".into()
            }
            Self::EmailWithout { .. } => {
                "add the recipients, `to = [\"team@example.com\"]`, or pass `--to`".into()
            }
        }
    }
}

/// What is wrong. All user-facing wording lives in this enum's `Display` and [`Problem::help`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A file or directory could not be read.
    #[error("cannot read `{}`: {error}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        error: String,
    },
    /// A data file (`data = [...]`, `--data`) that is a folder.
    #[error("`{}` is a folder, not a data file", path.display())]
    DataIsAFolder {
        /// The path.
        path: PathBuf,
    },
    /// A file is not UTF-8; its location is the first byte that is not.
    #[error("`{}` is not UTF-8 text: byte `0x{byte:02X}` here is not part of a UTF-8 character", path.display())]
    NotUtf8 {
        /// The path.
        path: PathBuf,
        /// The first byte that is not UTF-8.
        byte: u8,
    },
    /// A file is larger than the limit.
    #[error("`{}` is {size} bytes, more than the limit of {limit} bytes", path.display())]
    FileTooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A `--metrics` directory does not exist.
    #[error("definitions directory `{}` does not exist", path.display())]
    MissingDirectory {
        /// The path.
        path: PathBuf,
    },
    /// A `--metrics` path that is a file.
    #[error("`{}` is a file, not a directory of definitions", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A `--metrics` directory holds no `.toml` file.
    #[error("definitions directory `{}` holds no `.toml` file", path.display())]
    EmptyDirectory {
        /// The path.
        path: PathBuf,
    },
    /// No definition at all was loaded.
    #[error("no definitions were loaded")]
    NoDefinitions,
    /// More definitions than the limit.
    #[error("{count} definitions exceed the limit of {limit}")]
    TooManyDefinitions {
        /// How many were found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// TOML syntax or shape error, worded by the `toml` crate.
    #[error("{message}")]
    Toml {
        /// The parser's message.
        message: String,
    },
    /// `decimals` out of its range.
    #[error("`decimals` must be from 0 to 9")]
    BadDecimals,
    /// An input declared under a name formulas cannot spell.
    #[error(
        "`{name}` is not a valid input name: use letters, digits and `_`, starting with a letter"
    )]
    BadInputName {
        /// The name as written.
        name: String,
    },
    /// An example's `tolerance` below zero, or not finite.
    #[error("`tolerance` must be a number of 0 or more")]
    BadTolerance,
    /// A `[locale.<code>]` table whose code is no language code.
    #[error("`{code}` is not a locale code: use a lowercase language code such as `fr`")]
    BadLocaleCode {
        /// The code as written.
        code: String,
    },
    /// A translated name left empty.
    #[error("the `{code}` name is empty: give the name in that language, or leave the key out")]
    EmptyTranslatedName {
        /// The locale code.
        code: String,
    },
    /// A key that the format does not know.
    #[error("unknown key `{key}`")]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The closest known key.
        suggestion: Option<String>,
        /// The keys allowed here.
        expected: Vec<String>,
    },
    /// A required key that is absent.
    #[error("missing key `{key}`")]
    MissingKey {
        /// The key.
        key: String,
    },
    /// A value outside a fixed set.
    #[error("unknown value `{value}` for `{key}`")]
    UnknownValue {
        /// The key.
        key: String,
        /// The value as written.
        value: String,
        /// The closest allowed value.
        suggestion: Option<String>,
        /// The allowed values.
        expected: Vec<String>,
    },
    /// A metric id or input name that formulas read as a value (`true`, `nan`…).
    #[error("`{name}` cannot name a metric or an input: formulas read it as a value")]
    ReservedName {
        /// The name as written.
        name: String,
    },
    /// An id that does not match `^[a-z][a-z0-9_]*$`.
    #[error("`{id}` is not a valid metric id")]
    BadId {
        /// The id.
        id: String,
    },
    /// Two files in one directory define the same id.
    #[error("metric `{id}` is defined twice in the same directory (also in `{}`)", other.display())]
    DuplicateId {
        /// The id.
        id: String,
        /// The other file.
        other: PathBuf,
    },
    /// A later directory redefines an id.
    #[error("`{id}` overrides the definition in `{}`", previous.display())]
    Override {
        /// The id.
        id: String,
        /// The file whose definition is replaced.
        previous: PathBuf,
    },
    /// A file without `formula` in a later layer changes some keys of an earlier definition.
    #[error("changes {} of `{id}` (defined in `{}`)", backticked_and(keys), previous.display())]
    PartialOverride {
        /// The id.
        id: String,
        /// The keys it gives, which replace the earlier ones.
        keys: Vec<String>,
        /// The file that gives the formula.
        previous: PathBuf,
    },
    /// A file without `formula` that gives no key to change.
    #[error("changes no key of `{id}` (defined in `{}`)", previous.display())]
    ChangesNothing {
        /// The id.
        id: String,
        /// The file that gives the formula.
        previous: PathBuf,
    },
    /// A file without `formula` whose id no earlier layer defines.
    #[error("`{id}` has no `formula`, and no earlier definition of `{id}` for it to change")]
    OverridesNothing {
        /// The id.
        id: String,
        /// The closest id defined earlier.
        suggestion: Option<String>,
        /// Whether `id` is a standard definition (one the project does not select).
        standard: bool,
    },
    /// A `library` id that is not a standard definition.
    #[error("no standard metric has the id `{id}`")]
    UnknownStandardId {
        /// The id.
        id: String,
        /// The closest standard id.
        suggestion: Option<String>,
    },
    /// A standard metric loaded because a selected one uses it.
    #[error("standard metric `{id}` is loaded too: `{by}` uses it")]
    StandardDependency {
        /// The metric loaded.
        id: String,
        /// The metric whose formula uses it.
        by: String,
    },
    /// A KPI with no `[target]`.
    #[error("KPI `{id}` has no `[target]`")]
    KpiWithoutTarget {
        /// The id.
        id: String,
    },
    /// A KPI with no `direction`.
    #[error("KPI `{id}` has no `direction`")]
    KpiWithoutDirection {
        /// The id.
        id: String,
    },
    /// A metric with a target but no direction.
    #[error("`{id}` has a `[target]` but no `direction`")]
    TargetWithoutDirection {
        /// The id.
        id: String,
    },
    /// The warning level is on the good side of the target.
    #[error(
        "warning {warning} is on the wrong side of target {value} for a metric where {}",
        direction.phrase()
    )]
    WarningWrongSide {
        /// The warning level.
        warning: f64,
        /// The target.
        value: f64,
        /// The metric's direction (`higher is better` or `lower is better`).
        direction: Direction,
    },
    /// A target level that is neither a number, a range nor a series name.
    #[error("`{key}` must be a number, a range `[low, high]` or the name of an input or metric")]
    BadLevel {
        /// `value` or `warning`.
        key: String,
    },
    /// A yes/no KPI's target level that is not `true` or `false`.
    #[error("a yes/no KPI's `{key}` is `true` or `false`")]
    YesNoLevel {
        /// `value`.
        key: String,
    },
    /// `value = true` on a metric that is not yes/no.
    #[error("`{key} = true` or `false` is the target of a yes/no metric, and this one is not")]
    BooleanLevel {
        /// `value` or `warning`.
        key: String,
    },
    /// A warning, baseline or deadline on a yes/no KPI.
    #[error("a yes/no KPI is met or not met: it takes no `{key}`")]
    YesNoTakesNo {
        /// The key.
        key: String,
    },
    /// A `direction` that says the opposite of a yes/no target.
    #[error("`direction = \"{}\"` says the opposite of the yes/no target", direction.as_str())]
    YesNoDirection {
        /// The direction written.
        direction: Direction,
    },
    /// A range whose low end is above its high end.
    #[error("range [{low}, {high}] is reversed")]
    RangeReversed {
        /// The first number written.
        low: f64,
        /// The second.
        high: f64,
    },
    /// A range target on a metric whose direction is not `within`.
    #[error("`{key}` is a range, but the direction is `{}`", direction.as_str())]
    RangeWithoutWithin {
        /// `value` or `warning`.
        key: String,
        /// The direction.
        direction: Direction,
    },
    /// A number or series target on a metric whose direction is `within`.
    #[error("`{key}` must be a range `[low, high]`: the direction is `within`")]
    WithinWithoutRange {
        /// `value` or `warning`.
        key: String,
    },
    /// A warning range that does not hold the target range.
    #[error(
        "warning range [{}, {}] does not contain the target range [{}, {}]",
        warning.0, warning.1, value.0, value.1
    )]
    WarningRangeOutside {
        /// The warning range.
        warning: (f64, f64),
        /// The target range.
        value: (f64, f64),
    },
    /// A schedule entry listed after a later one.
    #[error("schedule entry from {from} comes after the entry from {previous}")]
    ScheduleOutOfOrder {
        /// This entry's month.
        from: Period,
        /// The month of the entry before it in the file.
        previous: Period,
    },
    /// Two schedule entries from the same month.
    #[error("two schedule entries start in {from}")]
    ScheduleRepeated {
        /// The month.
        from: Period,
    },
    /// A `[target]` table with no level at all.
    #[error("`[target]` has neither `value` nor `[[target.schedule]]` entries")]
    TargetWithoutValue,
    /// A `warning` beside no `value`.
    #[error("`warning` is given without `value`")]
    WarningWithoutValue,
    /// A baseline on a range target.
    #[error("`baseline` is for a target to reach, not a range to stay in")]
    BaselineOnRange,
    /// A target series that names no input or metric.
    #[error("unknown series `{name}` in the target of `{metric}`")]
    UnknownSeries {
        /// The metric whose target it is.
        metric: String,
        /// The name.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// A target series that depends on the metric it judges.
    #[error("the target of `{metric}` depends on `{metric}` itself: target → {}", chain.join(" → "))]
    TargetCycle {
        /// The metric whose target it is.
        metric: String,
        /// The series, then each metric it uses on the way, ending with `metric`.
        chain: Vec<String>,
    },
    /// A number that is not finite.
    #[error("`{key}` must be a finite number")]
    NotFinite {
        /// The key.
        key: String,
    },
    /// `baseline` given without `baseline_period` or the reverse.
    #[error("`baseline` and `baseline_period` go together: one is missing")]
    BaselineIncomplete,
    /// Baseline equal to the target: progress is undefined.
    #[error("`baseline` equals the target value {value}: progress cannot be measured")]
    BaselineEqualsTarget {
        /// The common value.
        value: f64,
    },
    /// A deadline not after the baseline period.
    #[error("`deadline` {deadline} is not after `baseline_period` {baseline_period}")]
    DeadlineBeforeBaseline {
        /// The deadline.
        deadline: Period,
        /// The baseline period.
        baseline_period: Period,
    },
    /// A `YYYY-MM` value that is not a month.
    #[error("`{text}` is not a month")]
    BadPeriod {
        /// The text.
        text: String,
    },
    /// A formula that does not parse or uses something not allowed.
    #[error("{0}")]
    Formula(FormulaError),
    /// A name in a formula that is neither an input nor a metric.
    #[error("unknown name `{name}` in the formula of `{metric}`")]
    UnknownName {
        /// The metric whose formula it is.
        metric: String,
        /// The name.
        name: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// A name given in an example that is not one the metric reads.
    #[error("`{name}` in an example of `{metric}` is not an input or metric it uses")]
    UnknownExampleName {
        /// The metric whose example it is.
        metric: String,
        /// The name as given.
        name: String,
        /// The closest name the metric reads.
        suggestion: Option<String>,
    },
    /// A key of an example's `inputs` that is neither a name nor `prev(name)` or
    /// `prev(name, k)`.
    #[error("`{key}` is not a name, `prev(name)` or `prev(name, k)`")]
    BadExampleKey {
        /// The key as written.
        key: String,
    },
    /// An example's `expect` that is neither a number nor `"no value"`.
    #[error("`expect` must be a number or \"no value\"")]
    BadExpect,
    /// A name that is both an input and a metric id.
    #[error("`{name}` is both a declared input and a metric id")]
    AmbiguousName {
        /// The name.
        name: String,
        /// The file declaring it as an input.
        input_source: PathBuf,
    },
    /// The same input declared with two units.
    #[error("input `{input}` is declared as `{unit}` here and as `{other_unit}` in `{}`", other.display())]
    InputUnitConflict {
        /// The input.
        input: String,
        /// Its unit here.
        unit: String,
        /// Its unit in the other file.
        other_unit: String,
        /// The other file.
        other: PathBuf,
    },
    /// The same input declared with two aggregates or two columns.
    #[error("input `{input}` has `{key}` `{value}` here and `{other_value}` in `{}`", other.display())]
    InputSettingConflict {
        /// The input.
        input: String,
        /// `aggregate` or `column`.
        key: &'static str,
        /// Its value here.
        value: String,
        /// Its value in the other file.
        other_value: String,
        /// The other file.
        other: PathBuf,
    },
    /// Metrics that depend on each other in a loop.
    #[error("metrics depend on each other in a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The cycle, starting and ending with the same id.
        cycle: Vec<String>,
    },
    /// A cell of a yes/no input that is not yes or no.
    #[error("cell `{cell}` for yes/no input `{input}` is not yes or no")]
    BadYesNo {
        /// The input (column header).
        input: String,
        /// The cell's text.
        cell: String,
        /// What to write instead.
        hint: String,
    },
    /// Inputs without `aggregate`: quarters, years and the year to date cannot use them.
    #[error(
        "{} {} no `aggregate`, so quarters, years and the year to date have no value for {}: {}",
        inputs.len(),
        if inputs.len() == 1 { "input has" } else { "inputs have" },
        if inputs.len() == 1 { "it" } else { "them" },
        inputs.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    )]
    NoAggregates {
        /// The inputs, by name.
        inputs: Vec<String>,
    },
    /// A data cell that is not a number.
    #[error("cell `{cell}` for input `{input}` is not a number")]
    BadNumber {
        /// The input (column header).
        input: String,
        /// The cell's text.
        cell: String,
        /// Why, and what to write instead.
        hint: String,
    },
    /// A data row whose period cell is not a month or a date.
    #[error("period `{text}` is not a month nor a date")]
    BadDataPeriod {
        /// The text.
        text: String,
    },
    /// Slashed dates with the year last, and no `date_order` to read them by: every one of
    /// them fits both orders.
    #[error("date `{cell}` can be read day first or month first{}", if *count > 1 { format!(", and so can every slashed date of the file ({count} dates, lines {} to {})", lines.0, lines.1) } else { String::new() })]
    DateOrderNeeded {
        /// The first such cell.
        cell: String,
        /// How many such cells the source has (1 when it was not counted).
        count: usize,
        /// The lines (or rows) of the first and the last.
        lines: (usize, usize),
    },
    /// A file's slashed dates read in the one order they all fit, told by a cell that fits
    /// only that one.
    #[error("slashed dates are read {}, as `{cell}` (line {line}) can only be", if *day_first { "day first" } else { "month first" })]
    DateOrderTaken {
        /// Day first (`dmy`), or month first.
        day_first: bool,
        /// The first cell that fits only that order.
        cell: String,
        /// Its line.
        line: usize,
    },
    /// A file with a slashed date that is only day first and another only month first.
    #[error("dates `{}` (line {}) and `{}` (line {}) are in different orders: the first is day first, the second month first", day.0, day.1, month.0, month.1)]
    DateOrderConflict {
        /// The first cell that can only be day first, and its line.
        day: (String, usize),
        /// The first cell that can only be month first, and its line.
        month: (String, usize),
    },
    /// A slashed date that the source's `date_order` cannot read.
    #[error("date `{cell}` cannot be read with `date_order = \"{}\"`", if *day_first { "dmy" } else { "mdy" })]
    DateNotInOrder {
        /// The cell.
        cell: String,
        /// Whether `date_order` says day first.
        day_first: bool,
        /// Whether the other order reads every slashed date of the file.
        other_reads_all: bool,
    },
    /// A row whose period cell is a word (`Sous-total`), between dated rows.
    #[error("period `{text}` is not a month nor a date, and dated rows follow it")]
    WordBetweenDates {
        /// The text.
        text: String,
    },
    /// Rows after a file's last dated row whose period cell is a word (totals, comments).
    #[error("skipped {} after the last dated row, whose period cell is no date: {}", if rows.len() == 1 { "a row".to_string() } else { format!("{} rows", rows.len()) }, skipped_rows(rows, line_word))]
    TrailingRowsSkipped {
        /// Each row's line (or a sheet's row) and period cell.
        rows: Vec<(usize, String)>,
        /// How the rows are counted: `line` in a file, `row` in a sheet.
        line_word: &'static str,
    },
    /// A tab-separated file whose numbers all have a decimal comma, read so.
    #[error(
        "numbers are read with a decimal comma: this tab-separated file writes `{cell}` (line {line}) and no number with a decimal point"
    )]
    DecimalCommaTaken {
        /// The first number with a comma.
        cell: String,
        /// Its line.
        line: usize,
    },
    /// A file whose numbers use both decimal marks.
    #[error("numbers with a decimal comma (`{}`, line {}) and with a decimal point (`{}`, line {}) in one file", comma.0, comma.1, point.0, point.1)]
    MixedDecimalMarks {
        /// The first number with a comma, and its line.
        comma: (String, usize),
        /// The first number with a point, and its line.
        point: (String, usize),
    },
    /// Two values for one input in one month, and no `aggregate` to combine them.
    #[error("input `{input}` has two values for {period} ({line_word}s {} and {})", lines.0, lines.1)]
    TwoValues {
        /// The input.
        input: String,
        /// The month.
        period: Period,
        /// The lines (or rows) of the two values.
        lines: (usize, usize),
        /// `line` in a file, `row` in a query's answer.
        line_word: &'static str,
    },
    /// The same input for the same month in two sources.
    #[error("input `{input}` for {period} is also given in {other}")]
    DuplicateCell {
        /// The input.
        input: String,
        /// The month.
        period: Period,
        /// The other source, as messages name it.
        other: String,
    },
    /// A structural problem with a CSV file (header, row length, quotes).
    #[error("{message}")]
    Csv {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
    /// A workbook that cannot be read, or a problem with one of its sheets (the location
    /// names the cell where there is one: `suivi.xlsx:KPI!D14`).
    #[error("{0}")]
    Workbook(WorkbookProblem),
    /// Error cells of a sheet (`#DIV/0!`, `#N/A`) that inputs read: missing values.
    #[error(
        "{count} error {} read as {}: {}{}",
        if *count == 1 { "cell" } else { "cells" },
        if *count == 1 { "a missing value" } else { "missing values" },
        cells.join(", "),
        if *count > cells.len() { format!(" and {} more", count - cells.len()) } else { String::new() }
    )]
    ErrorCells {
        /// How many.
        count: usize,
        /// The first few, each with its error: `KPI!D14 `#DIV/0!``.
        cells: Vec<String>,
    },
    /// A cell of a sheet that cannot be read (the location names the cell).
    #[error("column `{column}`: {message}")]
    SheetValue {
        /// The column, as its header names it.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A column that a source's settings name is not in it.
    #[error("no {what} column `{column}` in the data")]
    MissingSourceColumn {
        /// What the column was to hold: `period`, `input name`, `value`.
        what: String,
        /// The source's key that names it.
        key: String,
        /// The name given.
        column: String,
        /// The closest column name.
        suggestion: Option<String>,
    },
    /// A column (or long-table name) that a source's `columns` gives for an input is not in
    /// the source.
    #[error("{from} has no {} `{column}` for input `{input}` (mapped in `columns`)", if *long { "name" } else { "column" })]
    MissingMappedColumn {
        /// The source, as messages name it.
        from: String,
        /// The input.
        input: String,
        /// The column the mapping gives.
        column: String,
        /// The source's nearest column (or name).
        nearest: Option<String>,
        /// Whether the source is a long table, whose names are in a column of names.
        long: bool,
    },
    /// A source's `columns` maps a name that no definition declares as an input.
    #[error("`columns` maps `{input}`, which is not an input of the definitions")]
    UnknownMappedInput {
        /// The name given.
        input: String,
        /// The closest declared input.
        suggestion: Option<String>,
    },
    /// Columns (or long-table names) that no definition reads.
    #[error("{from} has {} that no definition reads, ignored: {}", if columns.len() == 1 { "a column" } else { "columns" }, backticked_few(columns))]
    UnreadColumns {
        /// The source, as messages name it.
        from: String,
        /// The columns, in source order.
        columns: Vec<String>,
    },
    /// An input whose column no source has, with a likely typo.
    #[error("no data column `{column}` for input `{input}`")]
    NoColumnForInput {
        /// The input.
        input: String,
        /// The column it reads.
        column: String,
        /// The closest unread column.
        suggestion: Option<String>,
    },
    /// Inputs that no source has a column for.
    #[error("no data column for {} {}: metrics that use {} have no value", if inputs.len() == 1 { "input" } else { "inputs" }, backticked_few(inputs), if inputs.len() == 1 { "it" } else { "them" })]
    InputsWithoutColumn {
        /// The inputs.
        inputs: Vec<String>,
    },
    /// A data file in none of the encodings read.
    #[error("`{}` is not text in UTF-8, UTF-16 or Windows-1252", path.display())]
    UnknownEncoding {
        /// The path.
        path: PathBuf,
    },
    /// A data file given as CSV that is a known kind of binary file: a workbook, a PDF, an
    /// archive.
    #[error("`{}` is {}", path.display(), kind.what(path))]
    BinaryData {
        /// The path.
        path: PathBuf,
        /// What the file is.
        kind: FileKind,
    },
    /// A database source failed: cannot connect, authentication, syntax, timeout.
    #[error("{from}: {message}")]
    Database {
        /// The source, as messages name it.
        from: String,
        /// The database's own message (never the connection URL).
        message: String,
    },
    /// A PostgreSQL source in a `kpi` built without the `postgres` feature.
    #[error("{from}: this `kpi` was built without PostgreSQL sources (cargo feature `postgres`)")]
    PostgresNotBuilt {
        /// The source, as messages name it.
        from: String,
    },
    /// A PostgreSQL source connected as a superuser.
    #[error(
        "{from}: `{variable}` connects as a superuser, which can act on the server even from a read-only query"
    )]
    PostgresSuperuser {
        /// The source, as messages name it.
        from: String,
        /// The environment variable.
        variable: String,
    },
    /// A database query that is not a query returning rows.
    #[error("{from}: the query starts with `{word}`: a source runs only a query that returns rows")]
    NotARowQuery {
        /// The source, as messages name it.
        from: String,
        /// The query's first word.
        word: String,
    },
    /// A database query that is not one query returning rows (found by the server).
    #[error("{from}: the query is not one query that returns rows")]
    NotOneRowQuery {
        /// The source, as messages name it.
        from: String,
    },
    /// A PostgreSQL server that did not complete the connection within the source's `timeout`.
    #[error("{from}: the server did not answer within {}", if *set { format!("the `timeout = {seconds}` (seconds) of the source") } else { format!("the default `timeout` of {seconds} seconds") })]
    ConnectTimeout {
        /// The source, as messages name it.
        from: String,
        /// The time allowed, in seconds.
        seconds: u64,
        /// Whether the source sets `timeout` (the problem is then located at it).
        set: bool,
    },
    /// A database query ran longer than its source's `timeout`.
    #[error("{from}: the query ran longer than {}", if *set { format!("its `timeout = {seconds}` (seconds) allows") } else { format!("the default `timeout` of {seconds} seconds") })]
    QueryTimeout {
        /// The source, as messages name it.
        from: String,
        /// The time allowed, in seconds.
        seconds: u64,
        /// Whether the source sets `timeout` (the problem is then located at it).
        set: bool,
    },
    /// A PostgreSQL URL whose user name or password holds a character that URLs reserve.
    #[error(
        "{from}: the user name or password in `{variable}` holds a `@`, `:` or `/` that is not percent-encoded, so the URL cannot be read"
    )]
    UrlReservedCharacter {
        /// The source, as messages name it.
        from: String,
        /// The environment variable.
        variable: String,
    },
    /// A variable that holds no PostgreSQL URL the client can read.
    #[error(
        "{from}: `{variable}` does not hold a PostgreSQL connection URL (`postgresql://user:password@host:5432/database`)"
    )]
    BadPostgresUrl {
        /// The source, as messages name it.
        from: String,
        /// The environment variable.
        variable: String,
    },
    /// A PostgreSQL source's TLS settings, or its TLS connection, failed.
    #[error("{from}: {problem}")]
    PostgresTls {
        /// The source, as messages name it.
        from: String,
        /// What failed.
        problem: TlsProblem,
    },
    /// A value in a query's answer that cannot be read.
    #[error("{from}, row {row}, column `{column}`: {message}")]
    DatabaseValue {
        /// The source, as messages name it.
        from: String,
        /// The row of the answer, from 1.
        row: usize,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The environment variable that should hold a connection URL is not set.
    #[error("environment variable `{variable}` is not set")]
    EnvVarUnset {
        /// Its name.
        variable: String,
    },
    /// A connection URL written in `kpi.toml` instead of the name of a variable.
    #[error("`postgres` takes the name of an environment variable, not a connection URL")]
    UrlInConfig,
    /// A `kpi.toml` setting that does not make sense.
    #[error("{0}")]
    Config(ConfigProblem),
    /// A mistake in an objective file.
    #[error("{0}")]
    Objective(ObjectiveProblem),
    /// The `notes` folder does not exist (a note: a fresh clone has none, as git keeps no
    /// empty folder), so the report has no notes.
    #[error("notes folder `{}` does not exist: the report has no notes", path.display())]
    NoNotesFolder {
        /// The folder.
        path: PathBuf,
        /// The last month of the period reported, whose notes file it would hold.
        end: Period,
        /// The length of that period: a month, a quarter, a year.
        grain: crate::period::Grain,
    },
    /// A KPI without a value in the month reported (`kpi check --strict` says it).
    #[error("KPI `{id}` has no value for {period}: {reason}")]
    KpiWithoutValue {
        /// The KPI.
        id: String,
        /// The month.
        period: Period,
        /// Why, as evaluation says it.
        reason: String,
    },
    /// A `## ` section of a month's notes whose heading is no metric id.
    #[error("notes section `## {heading}` names no metric")]
    UnknownNoteSection {
        /// The heading, as written.
        heading: String,
        /// The id it was probably meant to be.
        suggestion: Option<String>,
    },
    /// Two `## ` sections of a month's notes for the same metric.
    #[error("a second notes section for `{id}`")]
    DuplicateNoteSection {
        /// The metric id.
        id: String,
    },
    /// More problems in one source than are shown.
    #[error("… and {count} more problems in {from}")]
    MoreProblems {
        /// How many are not shown.
        count: usize,
        /// The source, as messages name it.
        from: String,
    },
    /// No data file was given.
    #[error("no data file given")]
    NoData,
    /// The data sources hold no row.
    #[error("the data holds no month{}", no_rows(sources))]
    EmptyData {
        /// The sources, as messages name them (`` `data.csv` ``, `` sqlite `w.db` ``).
        sources: Vec<String>,
    },
    /// The data's months span too long a time.
    #[error(
        "the data spans {months} months, from {first} ({first_at}) to {last} ({last_at}), more than the limit of {limit}"
    )]
    DataSpan {
        /// The first month.
        first: Period,
        /// Where a row of the first month is: `` `a.csv` line 2 ``.
        first_at: String,
        /// The last month.
        last: Period,
        /// Where a row of the last month is.
        last_at: String,
        /// How many months that is.
        months: usize,
        /// The limit.
        limit: usize,
    },
    /// The requested period lies between the first and last months, but no file holds it.
    #[error("no data source has a row for {period}, a gap in the data from {first} to {last}")]
    PeriodInGap {
        /// The requested period.
        period: Period,
        /// The first month in the data.
        first: Period,
        /// The last month in the data.
        last: Period,
    },
    /// The month a command works on, taken for want of `--period` (a note): the latest month
    /// with a value computed from data, and the later months passed over.
    #[error("{}", default_month(*period, *passed_over, *doing))]
    DefaultMonth {
        /// The month.
        period: Period,
        /// The latest month of the data when later, and whether the months passed over hold
        /// target series.
        passed_over: Option<(Period, bool)>,
        /// What the command does with it.
        doing: MonthUse,
    },
    /// The requested period is not in the data.
    #[error("period {period} is not in the data, which covers {first} to {last}")]
    PeriodNotInData {
        /// The requested period.
        period: Period,
        /// The first month in the data.
        first: Period,
        /// The last month in the data.
        last: Period,
    },
}

impl Problem {
    /// How to fix the problem, when there is something useful to say.
    pub fn help(&self) -> Option<String> {
        self.suggestion_help()
            .or_else(|| self.definition_help())
            .or_else(|| self.target_help())
            .or_else(|| self.data_help())
            .or_else(|| self.general_help())
    }

    /// The help of a name or a value not known: the closest known one, or what is known.
    fn suggestion_help(&self) -> Option<String> {
        match self {
            Problem::UnknownKey {
                suggestion: Some(s),
                ..
            }
            | Problem::UnknownValue {
                suggestion: Some(s),
                ..
            }
            | Problem::UnknownName {
                suggestion: Some(s),
                ..
            }
            | Problem::UnknownSeries {
                suggestion: Some(s),
                ..
            }
            | Problem::UnknownExampleName {
                suggestion: Some(s),
                ..
            }
            | Problem::UnknownMappedInput {
                suggestion: Some(s),
                ..
            }
            | Problem::NoColumnForInput {
                suggestion: Some(s),
                ..
            }
            | Problem::MissingSourceColumn {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            Problem::UnknownKey { expected, .. } | Problem::UnknownValue { expected, .. } => {
                Some(format!("expected one of {}", backticked(expected)))
            }
            Problem::OverridesNothing {
                id,
                suggestion: Some(s),
                ..
            } => Some(format!(
                "did you mean `{s}`? a file without `formula` changes an earlier definition of the same id (its file name, or its `id` key), and none is `{id}`"
            )),
            Problem::OverridesNothing {
                id, standard: true, ..
            } => Some(format!(
                "`{id}` is a standard metric that the project does not select: add it to `library` in `kpi.toml` (or to `--library`)"
            )),
            Problem::OverridesNothing { .. } => Some(
                "a new metric needs a `formula`; a file without one changes only the keys it gives of the definition of the same id in an earlier folder or the standard library".into(),
            ),
            Problem::ChangesNothing { .. } => Some(
                "give the keys to change, such as `[target]` with `value` and `warning`, or remove the file".into(),
            ),
            Problem::UnknownStandardId {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            Problem::UnknownStandardId { .. } => Some(
                "`kpi list --library all` lists the standard metrics".into(),
            ),
            _ => None,
        }
    }

    /// The help of a problem of definitions, their formulas and their folders.
    fn definition_help(&self) -> Option<String> {
        match self {
            Problem::UnknownName { .. } => Some(
                "declare it under `[inputs.<name>]` in a definition, or use the id of a metric"
                    .into(),
            ),
            Problem::UnknownExampleName { .. } => Some(
                "an example gives the inputs of the formula or of the metrics it uses, `prev(name)` or `prev(name, k)` of them, or the id of a metric it uses".into(),
            ),
            Problem::BadExampleKey { .. } => Some(
                "spell it as in the formula: `customers_start`, `\"prev(mrr)\"` or `\"prev(mrr, 12)\"` (quoted, as it holds brackets)".into(),
            ),
            Problem::BadExpect => Some(
                "write `expect = 2.5`, or `expect = \"no value\"` when the formula has none for these inputs".into(),
            ),
            Problem::MissingKey { key } => Some(format!(
                "add `{key} = ...`; the README lists every key of a definition"
            )),
            Problem::ReservedName { .. } => Some(
                "`true`, `false`, `inf`, `infinity` and `nan` (in any case) are reserved: choose another name, such as `nan_count`".into(),
            ),
            Problem::BadId { .. } => Some(
                "ids start with a lowercase letter and hold only `a-z`, `0-9` and `_`".into(),
            ),
            Problem::DuplicateId { .. } => {
                Some("rename one of them, or set a different `id` key".into())
            }
            Problem::KpiWithoutTarget { .. } => Some(
                "every KPI tracks an objective: add `[target]` with `value = ...`, or set `kind = \"metric\"`".into(),
            ),
            Problem::KpiWithoutDirection { .. } | Problem::TargetWithoutDirection { .. } => Some(
                "add `direction = \"higher_is_better\"` or `direction = \"lower_is_better\"`"
                    .into(),
            ),
            Problem::Formula(e) => e.help(),
            Problem::AmbiguousName { input_source, .. } => Some(format!(
                "rename the input declared in `{}` or the metric",
                input_source.display()
            )),
            Problem::InputSettingConflict { key, .. } => Some(format!(
                "an input is read one way everywhere: give `{key}` once, or the same in every file"
            )),
            Problem::InputUnitConflict { .. } => {
                Some("an input has one unit everywhere: make the declarations agree".into())
            }
            Problem::Cycle { .. } => Some(
                "a metric cannot depend on itself, even through `prev` or other metrics".into(),
            ),
            Problem::MissingDirectory { .. } | Problem::NotADirectory { .. } => {
                Some("pass an existing directory with `--metrics DIR`".into())
            }
            _ => None,
        }
    }

    /// The help of a problem of a `[target]` table.
    fn target_help(&self) -> Option<String> {
        match self {
            Problem::WarningWrongSide { .. } => Some(
                "the warning level sits between the target and the values that are clearly bad"
                    .into(),
            ),
            Problem::BadLevel { key } => Some(format!(
                "for example `{key} = 21`, `{key} = [95, 105]` (with `direction = \"within\"`) or `{key} = \"budget_mrr\"` (an input or metric id)"
            )),
            Problem::YesNoLevel { key } => Some(format!(
                "write `{key} = true` when yes is the goal (\"pricing page shipped\"), `{key} = false` when no is"
            )),
            Problem::BooleanLevel { key } => Some(format!(
                "set `unit = \"boolean\"` for a yes/no metric, or give a number: `{key} = 1`"
            )),
            Problem::YesNoTakesNo { key } => Some(format!(
                "remove `{key}`: a yes/no target has no warning band and no pace"
            )),
            Problem::YesNoDirection { .. } => Some(
                "remove `direction`: `value = true` says yes is good, `value = false` that no is".into(),
            ),
            Problem::RangeReversed { low, high } => {
                Some(format!("write the low end first: `[{high}, {low}]`"))
            }
            Problem::RangeWithoutWithin { .. } => Some(
                "set `direction = \"within\"` to keep the value inside the range, or give one number".into(),
            ),
            Problem::WithinWithoutRange { key } => Some(format!(
                "write `{key} = [low, high]`, or set `direction` to `higher_is_better` or `lower_is_better` for one number or a series"
            )),
            Problem::WarningRangeOutside { .. } => Some(
                "the warning range is the wider one: it holds the target range and the values that are only at risk".into(),
            ),
            Problem::ScheduleOutOfOrder { .. } => Some(
                "list the `[[target.schedule]]` entries in order of `from`, earliest first".into(),
            ),
            Problem::ScheduleRepeated { .. } => Some(
                "each entry is in force from its own month until the next: keep one entry per month".into(),
            ),
            Problem::TargetWithoutValue => Some(
                "add `value = ...`, or `[[target.schedule]]` entries with `from` and `value`".into(),
            ),
            Problem::WarningWithoutValue => Some(
                "add `value = ...` beside it (in force before the first schedule entry), or move the warning into a `[[target.schedule]]` entry".into(),
            ),
            Problem::BaselineOnRange => Some(
                "remove `baseline` and `baseline_period`: progress and pace are measured toward one number".into(),
            ),
            Problem::UnknownSeries { .. } => Some(
                "name an input declared under `[inputs.<name>]` in a definition, or the id of a metric".into(),
            ),
            Problem::TargetCycle { .. } => Some(
                "a target comes from outside the metric it judges: name a budget input, or a metric that does not use this one".into(),
            ),
            Problem::BaselineIncomplete => Some(
                "give both `baseline = <value>` and `baseline_period = \"YYYY-MM\"`".into(),
            ),
            Problem::BadPeriod { .. } => {
                Some("write months as `YYYY-MM`, for example `2026-10`".into())
            }
            _ => None,
        }
    }

    /// The help of a problem of data and its sources.
    fn data_help(&self) -> Option<String> {
        match self {
            Problem::ErrorCells { .. } => Some(
                "fix the formulas in the workbook, or leave the cells empty; the metrics that read them have no value for those months".into(),
            ),
            Problem::BadDataPeriod { .. } => Some(
                "write a month (`2026-10`, `10/2026`, `oct. 2026`, `janv.-26`) or a date (`2026-10-31`, `2026-10-31T09:30:00Z`, `2026/10/31`)".into(),
            ),
            Problem::DateOrderNeeded { .. } => Some(
                "say how to read it: `date_order = \"dmy\"` (day first) or `\"mdy\"` (month first) on the source in `kpi.toml`".into(),
            ),
            Problem::DateOrderTaken { day_first, .. } => Some(format!(
                "to say so, set `date_order = \"{}\"` on the source in `kpi.toml`",
                if *day_first { "dmy" } else { "mdy" }
            )),
            Problem::DateOrderConflict { .. } => Some(
                "write every date of the file in one order (or as `2026-10-31`), then set `date_order` on the source in `kpi.toml` if some still fit both".into(),
            ),
            Problem::DateNotInOrder { day_first, other_reads_all: true, .. } => Some(format!(
                "every slashed date of this file reads {}: set `date_order = \"{}\"`",
                if *day_first { "month first" } else { "day first" },
                if *day_first { "mdy" } else { "dmy" }
            )),
            Problem::DateNotInOrder { day_first, .. } => Some(format!(
                "write it {}, as `date_order` says, or as `2026-10-31`; check the day and the month",
                if *day_first { "day first" } else { "month first" }
            )),
            Problem::WordBetweenDates { text } => Some(format!(
                "write the row's month; if the row is not data (a subtotal), list its period cell on the source in `kpi.toml`: `skip = [\"{}\"]`",
                text.replace('\\', "\\\\").replace('"', "\\\"")
            )),
            Problem::TrailingRowsSkipped { .. } => Some(
                "totals and comments below the data are left out; a row between dated rows needs a date, or its period cell in `skip = [...]` on the source".into(),
            ),
            Problem::DecimalCommaTaken { .. } => Some(
                "to say so, set `decimal = \",\"` on the source in `kpi.toml`; set `decimal = \".\"` if the commas separate thousands".into(),
            ),
            Problem::MixedDecimalMarks { .. } => Some(
                "write every number with one decimal mark, or say which it is with `decimal = \",\"` or `decimal = \".\"` on the source in `kpi.toml`".into(),
            ),
            Problem::TwoValues { input, .. } => Some(format!(
                "to combine the rows of a month, add `aggregate = \"sum\"` (or `mean`, `min`, `max`, `first`, `last`, `count`) under `[inputs.{input}]`"
            )),
            Problem::MissingSourceColumn { key, .. } => Some(format!(
                "set `{key} = \"...\"` on the source to a column the header has"
            )),
            Problem::MissingMappedColumn {
                input,
                nearest,
                long,
                ..
            } => {
                let (what, spelt) = if *long {
                    ("name", "its name cells spell it")
                } else {
                    ("column", "its header spells it")
                };
                Some(match nearest {
                    Some(n) => format!(
                        "the nearest {what} is `{n}`: write the {what} as {spelt}, `{input} = \"{n}\"`"
                    ),
                    None => format!("write the {what} as {spelt}"),
                })
            }
            Problem::UnknownMappedInput { .. } => Some(
                "each key of `columns` is an input as a definition declares it, under `[inputs.<name>]`, and as formulas name it".into(),
            ),
            Problem::UnreadColumns { .. } => Some(
                "to read one, map it to its input on the source, `columns = { <input> = \"...\" }`, or name it in `column = \"...\"` under `[inputs.<name>]`; to silence this, list them in `ignore = [...]` on the source".into(),
            ),
            Problem::NoColumnForInput { .. } | Problem::InputsWithoutColumn { .. } => Some(
                "add the column to the data, or name the column that holds it: `columns = { <input> = \"...\" }` on the source, or `column = \"...\"` under `[inputs.<name>]`".into(),
            ),
            Problem::UnknownEncoding { .. } => Some(
                "save it from the spreadsheet as \"CSV UTF-8\"".into(),
            ),
            Problem::BinaryData { path, kind } => Some(kind.help(path)),
            Problem::NotUtf8 { .. } => Some("save the file as UTF-8".into()),
            Problem::EnvVarUnset { variable } => Some(format!(
                "set it to the connection URL: `export {variable}=postgresql://user@host/database`"
            )),
            Problem::PostgresTls { problem, .. } => Some(problem.help()),
            Problem::PostgresNotBuilt { .. } => Some(
                "install `kpi` with its default features (`cargo install --locked --path .`, without `--no-default-features`), or add `--features postgres`".into(),
            ),
            Problem::PostgresSuperuser { .. } => Some(
                "connect as a role that may only read, made once by an administrator: `CREATE ROLE kpi_reader LOGIN PASSWORD '...'; GRANT pg_read_all_data TO kpi_reader;` (PostgreSQL 14 or later; docs/data.md gives the grants for one schema)".into(),
            ),
            Problem::NotARowQuery { .. } | Problem::NotOneRowQuery { .. } => Some(
                "write a `select` (or `with ... select`, `values`, `table`): kpi reads, it never runs commands".into(),
            ),
            Problem::ConnectTimeout { .. } => Some(
                "check the host and port of the URL, and that the server (or a proxy on the way) answers; if it is only slow, raise `timeout`".into(),
            ),
            Problem::QueryTimeout { set: true, .. } => Some(
                "make the query do less (group by month in the database, filter the rows it needs), or raise `timeout` here (at most 86400)".into(),
            ),
            Problem::QueryTimeout { set: false, .. } => Some(
                "make the query do less (group by month in the database, filter the rows it needs), or give the source a longer `timeout = 120` (seconds, at most 86400)".into(),
            ),
            Problem::UrlReservedCharacter { .. } | Problem::BadPostgresUrl { .. } => Some(
                "percent-encode those characters in the user name and password: `@` as `%40`, `:` as `%3A`, `/` as `%2F` (`postgresql://kpi:p%40ss@db.example.com/analytics`)".into(),
            ),
            Problem::UrlInConfig => Some(
                "credentials never live in files: put the URL in an environment variable and write its name, `postgres = \"KPI_DATABASE_URL\"`".into(),
            ),
            Problem::NoAggregates { .. } => Some(
                "say how the months of each combine: `aggregate = \"sum\"` for a flow (revenue, customers lost), `\"first\"` or `\"last\"` for a stock (customers at the start or end of the month), `\"mean\"` for an average".into(),
            ),
            Problem::BadNumber { hint, .. }
            | Problem::BadYesNo { hint, .. }
            | Problem::Csv { hint, .. }
            => Some(hint.clone()),
            Problem::Config(problem) => Some(problem.hint()),
            Problem::Objective(problem) => Some(problem.hint()),
            Problem::Workbook(problem) => Some(problem.hint()),
            Problem::DuplicateCell { .. } => {
                Some("give each input of a month in one source only".into())
            }
            Problem::DataIsAFolder { path } => Some(format!(
                "name each CSV file it holds, such as `{}`",
                path.join("monthly.csv").display()
            )),
            Problem::NoData => Some(
                "pass `--data FILE`, or set `data` or `[[sources]]` in `kpi.toml`".into(),
            ),
            Problem::EmptyData { .. } => Some(
                "add a row per month under the header: the month in `period` (`2026-10`), then a value per input".into(),
            ),
            Problem::DataSpan { .. } => {
                Some("keep one file per period of up to 100 years; check the periods for typos".into())
            }
            Problem::PeriodNotInData { .. } | Problem::PeriodInGap { .. } => {
                Some("pick a month the data holds, or add its row to the data".into())
            }
            _ => None,
        }
    }

    /// The help of problems of notes, and of problems cut short.
    fn general_help(&self) -> Option<String> {
        match self {
            Problem::MoreProblems { .. } => Some("fix those above and run again".into()),
            Problem::UnknownNoteSection { suggestion, .. } => Some(match suggestion {
                Some(id) => format!("did you mean `## {id}`? the section is left out of the report"),
                None => "a section is headed by the id of the metric it comments, `## churn_rate`; it is left out of the report".into(),
            }),
            Problem::NoNotesFolder { path, end, grain } => Some(format!(
                "to comment the {}, write `{}`",
                grain.noun(),
                path.join(format!("{}.md", grain.label(*end))).display()
            )),
            Problem::KpiWithoutValue { id, .. } => Some(format!(
                "fill the month's data; `kpi explain {id}` shows what the formula reads"
            )),
            Problem::DuplicateNoteSection { .. } => Some(
                "give each metric one section: the second is added to the first in the report".into(),
            ),
            _ => None,
        }
    }
}

/// What a data file that is not text is, told from its first bytes (and a zip's entry names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// An Excel workbook: `.xlsx` or `.xlsm` (a zip holding `xl/workbook.xml`).
    Excel,
    /// An Excel 97–2003 workbook, `.xls` (an OLE2 compound file).
    Excel97,
    /// A LibreOffice (OpenDocument) spreadsheet, `.ods`.
    Ods,
    /// A PDF document.
    Pdf,
    /// Another zip archive.
    Zip,
    /// A gzip-compressed file.
    Gzip,
}

impl FileKind {
    /// What the file is, after "`path` is".
    fn what(self, path: &std::path::Path) -> String {
        let path = path.display();
        match self {
            FileKind::Excel => format!("an Excel workbook: use `excel = \"{path}\"`"),
            FileKind::Excel97 => format!("an Excel 97–2003 workbook: use `excel = \"{path}\"`"),
            FileKind::Ods => format!("a LibreOffice spreadsheet: use `excel = \"{path}\"`"),
            FileKind::Pdf => "a PDF document, not a table of data".into(),
            FileKind::Zip => "a zip archive, not a table of data".into(),
            FileKind::Gzip => "a gzip-compressed file, not a table of data".into(),
        }
    }

    /// How to read it.
    fn help(self, path: &std::path::Path) -> String {
        match self {
            FileKind::Excel | FileKind::Excel97 | FileKind::Ods => format!(
                "give the workbook its own `[[sources]]` entry in `kpi.toml`, `excel = \"{}\"` (with `sheet = \"...\"` for another sheet than the first), or save the sheet as \"CSV UTF-8\"",
                path.display()
            ),
            FileKind::Pdf => {
                "export the table as \"CSV UTF-8\" from the application that made the PDF".into()
            }
            FileKind::Zip => "extract the CSV file from the archive and give that file".into(),
            FileKind::Gzip => "decompress it (`gunzip`) and give the CSV file".into(),
        }
    }
}

/// What went wrong with a PostgreSQL source's TLS: its `sslmode` and `sslrootcert`, or the
/// handshake. Never holds the URL.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TlsProblem {
    /// An `sslmode` that libpq does not know.
    #[error(
        "the URL's `sslmode` is none of `disable`, `prefer`, `require`, `verify-ca` and `verify-full`"
    )]
    BadMode,
    /// `verify-ca` or `verify-full` without a root certificate to check against.
    #[error("`sslmode={mode}` checks the server's certificate, but the URL gives no `sslrootcert`")]
    NoRoot {
        /// The mode.
        mode: &'static str,
    },
    /// The `sslrootcert` file cannot be read, or holds no certificate.
    #[error("cannot read the root certificates of `sslrootcert` from `{}`: {reason}", path.display())]
    RootFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `sslrootcert=system` with a mode that does not check the host name.
    #[error(
        "`sslrootcert=system` checks the server against the system's roots, which needs `sslmode=verify-full`, not `{mode}`"
    )]
    SystemNeedsVerifyFull {
        /// The mode given.
        mode: &'static str,
    },
    /// `sslrootcert=system`, and the system has no root certificate.
    #[error("`sslrootcert=system`, but no root certificate of the system could be read")]
    NoSystemRoots,
    /// The root certificates cannot be used to check a server.
    #[error("the root certificates of `sslrootcert` cannot be used: {reason}")]
    BadRoot {
        /// Why.
        reason: String,
    },
    /// The server does not offer TLS, and the mode needs it.
    #[error("the server does not accept TLS connections, and `sslmode={mode}` requires TLS")]
    NoTlsServer {
        /// The mode.
        mode: &'static str,
    },
    /// The server's certificate was not made for the host name connected to.
    #[error(
        "the server's certificate is not valid for the host name `{host}` (`sslmode=verify-full` checks it)"
    )]
    NotForHost {
        /// The host name of the URL.
        host: String,
    },
    /// The server's certificate is not signed by the root, has expired, or is refused.
    #[error("the server's certificate is not trusted ({reason})")]
    Untrusted {
        /// rustls's reason.
        reason: String,
    },
    /// The handshake failed otherwise.
    #[error("the TLS handshake failed: {reason}")]
    Handshake {
        /// Why.
        reason: String,
    },
}

impl TlsProblem {
    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            TlsProblem::BadMode => {
                "use `sslmode=require` to encrypt, `verify-full` to also check the server's certificate and name".into()
            }
            TlsProblem::NoRoot { .. } => "add `sslrootcert=/path/to/root.crt` to the URL: the root certificate of the server's certificate authority, as your database provider gives it (or put it in `~/.postgresql/root.crt`)".into(),
            TlsProblem::RootFile { .. } | TlsProblem::BadRoot { .. } => {
                "`sslrootcert` names a file of PEM certificates (`-----BEGIN CERTIFICATE-----`): the root of the server's certificate authority".into()
            }
            TlsProblem::SystemNeedsVerifyFull { .. } => "remove `sslmode` (it is then `verify-full`), or give the root of the server's authority in `sslrootcert=/path/to/root.crt`".into(),
            TlsProblem::NoSystemRoots => "install the system's root certificates (Debian: `ca-certificates`), point `SSL_CERT_FILE` at a bundle, or give the root in `sslrootcert=/path/to/root.crt`".into(),
            TlsProblem::NoTlsServer { .. } => "turn TLS on at the server (`ssl = on`), or connect with `sslmode=prefer` to accept an unencrypted connection".into(),
            TlsProblem::NotForHost { .. } => "connect with the host name the certificate was made for (as your database provider shows it), or use `sslmode=verify-ca` to check the certificate's signature only".into(),
            TlsProblem::Untrusted { .. } => "give in `sslrootcert` the root certificate of the authority that signed the server's certificate".into(),
            TlsProblem::Handshake { .. } => "check that the host and port are the database server's, and that it accepts TLS 1.2 or later".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Error, ErrorKind};

    use super::{os_reason, without_os_code};

    #[test]
    fn system_errors_are_said_in_words_without_their_code() {
        assert_eq!(os_reason(&Error::from_raw_os_error(2)), "it does not exist");
        assert_eq!(
            os_reason(&Error::from_raw_os_error(21)),
            "it is a folder, not a file"
        );
        assert_eq!(
            os_reason(&Error::from_raw_os_error(17)),
            "something already exists there"
        );
        // A code without words of its own: the system's text, without the code.
        let text = os_reason(&Error::from_raw_os_error(40));
        assert!(!text.contains("os error"), "{text}");
        assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
        assert_eq!(os_reason(&Error::other("bad thing")), "bad thing");
        assert_eq!(
            os_reason(&ErrorKind::BrokenPipe.into()),
            "the reader closed the pipe"
        );
    }

    #[test]
    fn os_codes_are_cut_from_any_message() {
        assert_eq!(
            without_os_code("error connecting to server: Connection refused (os error 111)"),
            "error connecting to server: Connection refused"
        );
        assert_eq!(
            without_os_code("Is a directory (os error 21)"),
            "is a directory"
        );
        assert_eq!(
            without_os_code("TLS failed (os error x)"),
            "TLS failed (os error x)"
        );
    }
}
