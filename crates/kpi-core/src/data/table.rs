//! The source-agnostic form every reader produces: rows stamped with their date, and the
//! non-empty cells of the columns some input reads, each with where it came from.

use std::sync::Arc;

use crate::data::date::Stamp;
use crate::source::{Location, SourceFile};

/// What one source holds, before months are aggregated and sources merged.
#[derive(Debug)]
pub struct Table {
    pub(crate) origin: Origin,
    /// The column (or long-table) names that cells refer to.
    pub(crate) names: Vec<String>,
    pub(crate) rows: Vec<Row>,
    pub(crate) cells: Vec<Cell>,
    /// Columns, or long-table names, that no input reads, in source order.
    pub(crate) ignored: Vec<String>,
    /// Where the ignored-columns warning points: the header, or the source's entry.
    pub(crate) ignored_at: Option<Location>,
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
}

/// What the inputs reading a column need of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Numbers: any other non-empty cell is an error.
    Number,
    /// Only whether a cell is empty: the column is only counted (`aggregate = "count"`).
    Presence,
}

/// One row: its date, and where it starts (a byte offset, or a row number).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    pub stamp: Stamp,
    pub at: u32,
}

/// One non-empty cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cell {
    /// Index into the table's rows.
    pub row: u32,
    /// Index into the table's names.
    pub name: u32,
    /// The number; NaN in a column that is only counted, for a cell that is not a number.
    pub value: f64,
    /// Where the cell starts and how long it is (bytes in a file; the row in a query).
    pub at: u32,
    pub len: u32,
}

impl Table {
    pub(crate) fn new(origin: Origin) -> Self {
        Self {
            origin,
            names: Vec::new(),
            rows: Vec::new(),
            cells: Vec::new(),
            ignored: Vec::new(),
            ignored_at: None,
        }
    }

    /// The file or source, as messages name it.
    pub(crate) fn label(&self) -> String {
        match &self.origin {
            Origin::File(file) => format!("`{}`", file.path().display()),
            Origin::Query { label, .. } => label.clone(),
        }
    }

    /// Where a cell is.
    pub(crate) fn locate(&self, at: u32, len: u32) -> Location {
        match &self.origin {
            Origin::File(file) => file.locate(at as usize, (at + len.max(1)) as usize),
            Origin::Query { location, .. } => location.clone(),
        }
    }

    /// The line (in a file) or row number (in a query) of a row.
    pub(crate) fn line(&self, row: &Row) -> usize {
        match &self.origin {
            Origin::File(file) => file.line_of(row.at as usize),
            Origin::Query { .. } => row.at as usize,
        }
    }

    /// "line" or "row", as this table's positions are counted.
    pub(crate) fn line_word(&self) -> &'static str {
        match self.origin {
            Origin::File(_) => "line",
            Origin::Query { .. } => "row",
        }
    }
}
