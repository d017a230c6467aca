//! What a data source is, as `kpi.toml`'s `[[sources]]` (or `data = [...]`, or `--data`)
//! describes it.

use std::path::PathBuf;
use std::time::Duration;

use crate::data::date::DateOrder;
use crate::data::number::DecimalMark;
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
    /// The decimal mark of the source's numbers written as text, when it is not its
    /// dialect's.
    pub decimal: Option<DecimalMark>,
    /// Period cells of rows to skip (`Sous-total`), matched in any case.
    pub skip: Vec<String>,
    /// A long CSV table: the columns of the input name and of the value.
    pub long: Option<(String, String)>,
    /// Columns (or long-table names) that no input reads, not to be warned about.
    pub ignore: Vec<String>,
    /// The source's own names for inputs (`columns = { revenue = "CA (€)" }`): each wins, in
    /// this source only, over the definitions' `column`.
    pub columns: Vec<ColumnMapping>,
    /// The source's entry in `kpi.toml`, for messages; `None` for `--data`.
    pub location: Option<Location>,
}

/// One entry of a source's `columns`: the column (or long-table name) that holds an input in
/// this source.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMapping {
    /// The input, as the definitions name it.
    pub input: String,
    /// The source's column that holds it.
    pub column: String,
    /// Where the input's key is written in `kpi.toml` (an unknown input points here).
    pub input_at: Location,
    /// Where the column's name is written in `kpi.toml` (a column the source lacks points
    /// here).
    pub column_at: Location,
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
    /// A sheet of a workbook: `.xlsx`, `.xlsm`, `.xls` or `.ods`.
    Workbook {
        /// The workbook file.
        path: PathBuf,
        /// The sheet, by name; the first sheet when `None`.
        sheet: Option<String>,
        /// The cells to read; the sheet's used range when `None`.
        range: Option<CellRange>,
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
    /// A file as `--data` and `data = [...]` give it: a workbook's first sheet when its name
    /// ends in a workbook extension, standard input for `-`, else a CSV file.
    pub fn csv(path: PathBuf) -> Self {
        let kind = if path.as_os_str() == "-" {
            SourceKind::Stdin
        } else if is_workbook(&path) {
            SourceKind::Workbook {
                path,
                sheet: None,
                range: None,
            }
        } else {
            SourceKind::Csv(path)
        };
        Self {
            kind,
            period: None,
            date_order: None,
            decimal: None,
            skip: Vec::new(),
            long: None,
            ignore: Vec::new(),
            columns: Vec::new(),
            location: None,
        }
    }

    /// How messages name the source: its file, or its kind and database.
    pub fn label(&self) -> String {
        match &self.kind {
            SourceKind::Csv(path) => format!("`{}`", path.display()),
            SourceKind::Stdin => "standard input".into(),
            SourceKind::Sqlite { path, .. } => format!("the SQLite source `{}`", path.display()),
            SourceKind::Workbook { path, .. } => format!("`{}`", path.display()),
            SourceKind::Postgres { variable, .. } => {
                format!("the PostgreSQL source `{variable}`")
            }
        }
    }
}

/// The file name endings of the workbooks read: Excel 2007 and later (with or without macros),
/// Excel 97–2003, and OpenDocument (LibreOffice).
pub const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Whether `path` names a workbook, by its extension (any case).
pub fn is_workbook(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        WORKBOOK_EXTENSIONS
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// A rectangle of cells, `B3:K40`: 0-based rows and columns, both corners included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRange {
    /// The top-left cell: row, column.
    pub start: (u32, u32),
    /// The bottom-right cell: row, column.
    pub end: (u32, u32),
}

/// The most rows and columns a sheet has (those of Excel).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;

impl CellRange {
    /// Reads `B3:K40` (any case; a single cell `B3` is a range of one); `None` when it is
    /// not two cells in A1 form with the first above and left of the second.
    pub fn parse(text: &str) -> Option<Self> {
        let (a, b) = text
            .trim()
            .split_once(':')
            .unwrap_or((text.trim(), text.trim()));
        let (start, end) = (cell(a)?, cell(b)?);
        (start.0 <= end.0 && start.1 <= end.1).then_some(Self { start, end })
    }
}

/// A cell in A1 form (`B3`, `$B$3`) as its 0-based row and column.
fn cell(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().replace('$', "");
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (column, row) = text.split_at(letters);
    if column.is_empty()
        || column.len() > 3
        || row.is_empty()
        || !row.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let column = column.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = row.parse().ok()?;
    (1..=MAX_COLUMNS).contains(&column).then_some(())?;
    (1..=MAX_ROWS).contains(&row).then(|| (row - 1, column - 1))
}

/// The A1 name of the cell at 0-based `row` and `column`: `D14`.
pub(crate) fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8(letters).expect("ASCII letters"),
        row + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_in_a1_form_round_trip() {
        for (row, column, name) in [
            (0, 0, "A1"),
            (13, 3, "D14"),
            (0, 25, "Z1"),
            (0, 26, "AA1"),
            (1_048_575, 16_383, "XFD1048576"),
        ] {
            assert_eq!(cell_name(row, column), name);
            assert_eq!(cell(name), Some((row, column)));
        }
        assert_eq!(cell("XFE1"), None);
        assert_eq!(cell("A0"), None);
        assert_eq!(cell("1A"), None);
        assert_eq!(cell("é1"), None);
    }

    #[test]
    fn ranges_read_both_corners() {
        let r = CellRange::parse("b3:K40").unwrap();
        assert_eq!((r.start, r.end), ((2, 1), (39, 10)));
        assert_eq!(CellRange::parse("$B$3").unwrap().end, (2, 1));
        assert_eq!(CellRange::parse("K40:B3"), None);
        assert_eq!(CellRange::parse("B3:"), None);
    }

    #[test]
    fn workbooks_are_told_by_their_extension() {
        assert!(is_workbook(std::path::Path::new("suivi.XLSX")));
        assert!(is_workbook(std::path::Path::new("a/b.ods")));
        assert!(!is_workbook(std::path::Path::new("data.csv")));
    }
}
