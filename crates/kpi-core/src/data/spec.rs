//! What a data source is, as `kpi.toml`'s `[[sources]]` (or `data = [...]`, or `--data`)
//! describes it.

use std::path::PathBuf;
use std::time::Duration;

use crate::data::date::DateOrder;
use crate::source::Location;

/// One source of monthly data.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    /// Where the data is.
    pub kind: SourceKind,
    /// The period column, when it is not `period` nor the first.
    pub period: Option<String>,
    /// How to read slashed dates with the year last.
    pub date_order: Option<DateOrder>,
    /// A long CSV table: the columns of the input name and of the value.
    pub long: Option<(String, String)>,
    /// Columns (or long-table names) that no input reads, not to be warned about.
    pub ignore: Vec<String>,
    /// The source's entry in `kpi.toml`, for messages; `None` for `--data`.
    pub location: Option<Location>,
}

/// Where a source's data is.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    /// A CSV file.
    Csv(PathBuf),
    /// CSV on standard input (`-`).
    Stdin,
    /// A query on a SQLite database file, opened read-only.
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The query.
        query: String,
        /// How long the query may run.
        timeout: Timeout,
    },
    /// A query on a PostgreSQL server, in a read-only transaction.
    Postgres {
        /// The name of the environment variable that holds the connection URL.
        variable: String,
        /// The query.
        query: String,
        /// How long the query may run.
        timeout: Timeout,
    },
}

/// How long a database query may run, and where `kpi.toml` says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeout {
    /// The time allowed.
    pub limit: Duration,
    /// The source's `timeout` key, when it has one (the default applies otherwise).
    pub location: Option<Location>,
}

impl Timeout {
    /// How long a query may run when its source sets no `timeout`.
    pub const DEFAULT: Duration = Duration::from_secs(60);
}

impl SourceSpec {
    /// A plain CSV file (or standard input for `-`), as `--data` and `data = [...]` give.
    pub fn csv(path: PathBuf) -> Self {
        let kind = if path.as_os_str() == "-" {
            SourceKind::Stdin
        } else {
            SourceKind::Csv(path)
        };
        Self {
            kind,
            period: None,
            date_order: None,
            long: None,
            ignore: Vec::new(),
            location: None,
        }
    }

    /// How messages name the source: its file, or its kind and database.
    pub fn label(&self) -> String {
        match &self.kind {
            SourceKind::Csv(path) => format!("`{}`", path.display()),
            SourceKind::Stdin => "standard input".into(),
            SourceKind::Sqlite { path, .. } => format!("the SQLite source `{}`", path.display()),
            SourceKind::Postgres { variable, .. } => {
                format!("the PostgreSQL source `{variable}`")
            }
        }
    }
}
