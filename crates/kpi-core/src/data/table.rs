//! The source-agnostic form every reader produces: for each column (or long-table name) that
//! some input reads, the month-by-month running state of its non-empty cells, and which months
//! have rows.
//!
//! Cells are combined into their month as they are read rather than kept one by one: a daily
//! export of millions of cells costs memory in proportion to its months, not its cells. Each
//! month's state keeps every aggregate at once (sum, count, min, max, first, last), so that the
//! inputs reading a column may each pick their own, and where its first two values are, for
//! the messages that need them.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::data::aggregate::Accumulator;
use crate::data::date::Stamp;
use crate::diagnostic::Diagnostic;
use crate::limits::MAX_DATA_MONTHS;
use crate::period::Period;
use crate::source::{Location, SourceFile};

/// What one source holds, before sources are merged.
#[derive(Debug)]
pub struct Table {
    pub(crate) origin: Origin,
    /// The column (or long-table) names that inputs read, each with its series.
    pub(crate) names: Vec<String>,
    pub(crate) series: Vec<Series>,
    /// Which months have a row.
    pub(crate) present: Months<bool>,
    /// The earliest and the latest month with a row, each with where its first row is.
    pub(crate) first: Option<(Period, u32)>,
    pub(crate) last: Option<(Period, u32)>,
    /// Columns, or long-table names, that no input reads, in source order.
    pub(crate) ignored: Vec<String>,
    /// Where the ignored-columns warning points: the first such column, or the source's entry.
    pub(crate) ignored_at: Option<Location>,
    /// What the reader says once that is no error: the date order or decimal mark it took
    /// from the file, the rows it skipped, a sheet's error cells.
    pub(crate) notes: Vec<Diagnostic>,
    /// A sheet's error cells that inputs read: the name, the month's ordinal, and the cell
    /// with its error (`suivi.xlsx:KPI!D4 `#DIV/0!``), so that a missing value's reason can
    /// name it.
    pub(crate) error_cells: Vec<(u32, i64, String)>,
    /// The inputs the source's `columns` maps, each with the name that holds it once found.
    pub(crate) mapped: Vec<MappedName>,
    /// The yes/no names marked `x` somewhere: a checklist, whose empty cells are noes.
    pub(crate) checklists: BTreeSet<u32>,
}

/// An input that a source's `columns` maps, and the name of the table that holds it.
#[derive(Debug, Clone)]
pub(crate) struct MappedName {
    /// The input.
    pub(crate) input: String,
    /// The column (or long-table name) the mapping gives.
    pub(crate) column: String,
    /// Where the mapping's column is written in `kpi.toml`.
    pub(crate) at: Location,
    /// The index of the name that holds it; `None` while the source has shown none (a long
    /// table's name cells are met row by row).
    pub(crate) name: Option<u32>,
}

/// Where a table came from, to say where its values are.
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// A file: offsets are bytes of its text.
    File(Arc<SourceFile>),
    /// A database query: offsets are row numbers (1-based).
    Query {
        /// How messages name the source: ``sqlite `warehouse.db` ``.
        label: String,
        /// The source's entry in `kpi.toml`.
        location: Location,
    },
    /// A workbook's sheet: offsets are row numbers (from 1), lengths column indexes (from 0).
    #[cfg_attr(not(feature = "excel"), allow(dead_code))]
    Sheet(Arc<Sheet>),
}

/// A workbook's sheet being read: where its cells are, for messages.
#[derive(Debug)]
pub(crate) struct Sheet {
    /// The workbook.
    pub(crate) path: std::path::PathBuf,
    /// The sheet's name.
    pub(crate) name: String,
    /// The sheet column (from 0) of the first column read.
    pub(crate) first_column: u32,
}

impl Sheet {
    /// Where the cell at row `row` (from 1) and sheet column `column` (from 0) is:
    /// `suivi.xlsx:KPI!D14`.
    pub(crate) fn locate(&self, row: u32, column: u32) -> Location {
        let name = &self.name;
        // A spreadsheet quotes a sheet name that is not a plain word, doubling its quotes.
        let simple = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        let sheet = if simple {
            name.clone()
        } else {
            format!("'{}'", name.replace('\'', "''"))
        };
        let cell = crate::data::spec::cell_name(row.saturating_sub(1), column);
        Location::cell(
            self.path.clone(),
            row as usize,
            column as usize + 1,
            format!("{sheet}!{cell}"),
        )
    }
}

/// What the inputs reading a column need of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Numbers: any other non-empty cell is an error.
    Number,
    /// Only whether a cell is empty: the column is only counted (`aggregate = "count"`).
    Presence,
    /// Yes or no (`unit = "boolean"`): `true`/`false`, `yes`/`no`, `oui`/`non`, `1`/`0`, `x`,
    /// in any case, read as 1 and 0.
    YesNo,
}

/// A row being read: its month and the key that orders it within the month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowAt {
    ordinal: i64,
    key: (i64, u32),
    month_only: bool,
}

/// One name's cells, combined month by month.
#[derive(Debug, Default)]
pub(crate) struct Series {
    pub(crate) months: Months<Accumulator>,
    /// Whether every cell's period was written as a month (`YYYY-MM`).
    month_only: bool,
    /// Whether some month has two cells or more.
    crowded: bool,
}

impl Series {
    /// Whether the series holds each month once, written `YYYY-MM`: a monthly table such as
    /// `kpi data pull` writes.
    pub(crate) fn monthly(&self) -> bool {
        self.month_only && !self.crowded
    }
}

/// Values by month, for a run of consecutive months that grows at either end as rows come;
/// never longer than [`MAX_DATA_MONTHS`].
#[derive(Debug, Clone)]
pub(crate) struct Months<T> {
    /// The ordinal of the month of `items[0]`.
    start: i64,
    items: Vec<T>,
}

impl<T> Default for Months<T> {
    fn default() -> Self {
        Self {
            start: 0,
            items: Vec::new(),
        }
    }
}

impl<T: Default + Clone> Months<T> {
    /// The item of the month `ordinal`, made when missing; `None` when the run would grow past
    /// the limit of months.
    fn get_or_make(&mut self, ordinal: i64) -> Option<&mut T> {
        if self.items.is_empty() {
            self.start = ordinal;
        }
        let end = self.start + self.items.len() as i64;
        let (from, to) = (self.start.min(ordinal), end.max(ordinal + 1));
        if to - from > MAX_DATA_MONTHS as i64 {
            return None;
        }
        if ordinal < self.start {
            let missing = (self.start - ordinal) as usize;
            self.items
                .splice(0..0, std::iter::repeat_n(T::default(), missing));
            self.start = ordinal;
        } else if ordinal >= end {
            self.items.resize(
                self.items.len() + (ordinal + 1 - end) as usize,
                T::default(),
            );
        }
        Some(&mut self.items[(ordinal - self.start) as usize])
    }
}

impl<T> Months<T> {
    /// Each month's ordinal and item, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (i64, &T)> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (self.start + i as i64, item))
    }
}

impl Table {
    pub(crate) fn new(origin: Origin) -> Self {
        Self {
            origin,
            names: Vec::new(),
            series: Vec::new(),
            present: Months::default(),
            first: None,
            last: None,
            ignored: Vec::new(),
            ignored_at: None,
            mapped: Vec::new(),
            checklists: BTreeSet::new(),
            notes: Vec::new(),
            error_cells: Vec::new(),
        }
    }

    /// A name whose cells inputs read; its index for [`Table::add`].
    pub(crate) fn add_name(&mut self, name: String) -> u32 {
        self.names.push(name);
        self.series.push(Series {
            month_only: true,
            ..Series::default()
        });
        self.names.len() as u32 - 1
    }

    /// A row stamped `stamp`, starting at `at` (a byte offset, or a row number). `None` when
    /// its month lies too far from the others: the span error is reported when tables are
    /// merged, from the first and last months kept here.
    pub(crate) fn add_row(&mut self, stamp: Stamp, at: u32) -> Option<RowAt> {
        let period = stamp.period;
        if self.first.is_none_or(|(p, _)| period < p) {
            self.first = Some((period, at));
        }
        if self.last.is_none_or(|(p, _)| period > p) {
            self.last = Some((period, at));
        }
        let ordinal = period.ordinal();
        *self.present.get_or_make(ordinal)? = true;
        Some(RowAt {
            ordinal,
            key: stamp.key,
            month_only: stamp.month_only,
        })
    }

    /// An error cell of name `name` in `row`, `cell` saying where and which error.
    pub(crate) fn add_error(&mut self, name: u32, row: &RowAt, cell: String) {
        self.error_cells.push((name, row.ordinal, cell));
    }

    /// A non-empty cell of name `name` in `row`: a number, or NaN in a column only counted.
    #[inline]
    /// Notes that yes/no name `name` marks a yes with `x`: its empty cells are noes.
    pub(crate) fn mark_checklist(&mut self, name: u32) {
        self.checklists.insert(name);
    }

    pub(crate) fn add(&mut self, name: u32, row: &RowAt, value: f64, at: u32, len: u32) {
        let series = &mut self.series[name as usize];
        series.month_only &= row.month_only;
        // `add_row` has made this month within the limit.
        if let Some(acc) = series.months.get_or_make(row.ordinal) {
            acc.add(value, row.key, (at, len));
            series.crowded |= acc.count > 1;
        }
    }

    /// The file or source, as messages name it.
    pub(crate) fn label(&self) -> String {
        match &self.origin {
            Origin::File(file) => format!("`{}`", file.path().display()),
            Origin::Query { label, .. } => label.clone(),
            Origin::Sheet(sheet) => format!("`{}`", sheet.path.display()),
        }
    }

    /// Where a cell is.
    pub(crate) fn locate(&self, (at, len): (u32, u32)) -> Location {
        match &self.origin {
            Origin::File(file) => file.locate(at as usize, (at + len.max(1)) as usize),
            Origin::Query { location, .. } => location.clone(),
            Origin::Sheet(sheet) => sheet.locate(at, len),
        }
    }

    /// The line (in a file) or row number (in a query) of a position.
    pub(crate) fn line(&self, at: u32) -> usize {
        match &self.origin {
            Origin::File(file) => file.line_of(at as usize),
            Origin::Query { .. } | Origin::Sheet(_) => at as usize,
        }
    }

    /// "line" or "row", as this table's positions are counted.
    pub(crate) fn line_word(&self) -> &'static str {
        match self.origin {
            Origin::File(_) => "line",
            Origin::Query { .. } | Origin::Sheet(_) => "row",
        }
    }
}
