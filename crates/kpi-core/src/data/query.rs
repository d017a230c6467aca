//! The shared half of the sources of typed values (database queries and workbook sheets): an
//! answer, row by row, into a [`Table`].
//!
//! A query whose columns are exactly `period`, `input` and `value` is long (one row per
//! month, input and value); a sheet is long when its source names the `name` and `value`
//! columns. Otherwise the period column (named `period`, or by the source's `period` key,
//! else the first) holds the dates and every other column is an input.

use std::sync::Arc;

use crate::data::date::Stamp;
use crate::data::layout::{
    BadPeriod, Header, Layout, Long, Mapped, Naming, Periods, Settings, Slot, is_x, read_cell,
};
use crate::data::number::{DecimalMark, Dialect, YES_NO_HINT};
use crate::data::spec::{SourceSpec, Timeout};
use crate::data::table::{Need, Origin, RowAt, Sheet, Table};
use crate::diagnostic::{Diagnostic, Problem, WorkbookProblem};
use crate::problems::Problems;
use crate::source::Location;

/// One value of a query's answer, as the database typed it.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// NULL: a missing value.
    Null,
    /// An integer, a float or a decimal.
    Number(f64),
    /// Text: a period in one of the written forms, or a number written as text.
    Text(String),
    /// A `date`, `timestamp` or `timestamptz` (the latter in UTC).
    // Only PostgreSQL has date types; SQLite's dates are text.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Stamp(Stamp),
    /// True or false: a PostgreSQL `boolean`, a spreadsheet's `TRUE` cell.
    #[cfg_attr(not(any(feature = "postgres", feature = "excel")), allow(dead_code))]
    Bool(bool),
    /// Anything else: the database's name for its type.
    Other(String),
    /// A spreadsheet's error cell (`#DIV/0!`, `#N/A`): a missing value.
    #[cfg_attr(not(feature = "excel"), allow(dead_code))]
    Error(String),
}

/// Where an answer's rows come from, which decides where its problems point.
#[derive(Clone)]
pub(crate) enum Place {
    /// A query: at the source's entry in `kpi.toml`, with no line shown.
    Query,
    /// A sheet: at the cell, `suivi.xlsx:KPI!D14`. Row numbers are the sheet's own.
    #[cfg_attr(not(feature = "excel"), allow(dead_code))]
    Sheet(Arc<Sheet>),
}

/// A query's answer being turned into a table.
pub(crate) struct QueryTable<'a> {
    table: Table,
    columns: Vec<String>,
    layout: Layout<'a>,
    periods: Periods,
    source: &'a SourceSpec,
    place: Place,
    /// A sheet's error cells that inputs read.
    errors: ErrorCells,
    /// A sheet's rows since the last dated one whose period cell is a word (`Total`): skipped
    /// when no dated row follows, errors when one does.
    words: Vec<(u32, String)>,
}

/// An answer's columns, as the layout reads them: a query's problems point at the source's
/// entry, a sheet's at the header cell.
struct QueryHeader<'a> {
    columns: &'a [String],
    source: &'a SourceSpec,
    place: &'a Place,
    row: u32,
}

impl Header for QueryHeader<'_> {
    fn names(&self) -> &[String] {
        self.columns
    }

    fn locate(&self, column: usize) -> Location {
        match self.place {
            Place::Query => entry(self.source),
            Place::Sheet(sheet) => sheet.locate(self.row, sheet.first_column + column as u32),
        }
    }

    fn duplicate(&self, column: usize) -> Diagnostic {
        let name = &self.columns[column];
        match self.place {
            Place::Query => database_error(
                self.source,
                format!("the query returns two columns named `{name}`; rename one with `as`"),
            ),
            Place::Sheet(_) => Diagnostic::error(
                Problem::Workbook(WorkbookProblem::DuplicateColumn {
                    column: name.clone(),
                }),
                Some(self.locate(column)),
            ),
        }
    }
}

/// Where a database source's problems point: its entry in `kpi.toml`, with no line shown
/// (a connection setting is never printed).
pub(crate) fn entry(source: &SourceSpec) -> Location {
    source.location.as_ref().map_or_else(
        || Location::bare("kpi.toml", 1, 1),
        |l| Location::bare(l.path.clone(), l.line, l.column),
    )
}

/// A problem with a database source, worded with the database's own message.
pub(crate) fn database_error(source: &SourceSpec, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(
        Problem::Database {
            from: source.label(),
            message: message.into(),
        },
        Some(entry(source)),
    )
}

/// A query that ran longer than its source's `timeout`: located at the `timeout` key when the
/// source has one, so that the message shows the line to change.
pub(crate) fn timed_out(source: &SourceSpec, timeout: &Timeout) -> Diagnostic {
    Diagnostic::error(
        Problem::QueryTimeout {
            from: source.label(),
            seconds: timeout.limit.as_secs(),
            set: timeout.location.is_some(),
        },
        Some(timeout.location.clone().unwrap_or_else(|| entry(source))),
    )
}

impl<'a> QueryTable<'a> {
    /// Starts a table for a query whose columns are `columns`, `mapped` holding the source's
    /// own names for inputs.
    pub(crate) fn new(
        source: &'a SourceSpec,
        columns: Vec<String>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
        mapped: &'a [Mapped<'a>],
        problems: &mut Problems,
    ) -> Option<Self> {
        if columns.is_empty() {
            problems.push(database_error(source, "the query returns no column"));
            return None;
        }
        let origin = Origin::Query {
            label: source.label(),
            location: entry(source),
        };
        let settings = Settings {
            naming: Naming::Query,
            period: source.period.as_deref(),
            long: Long::Detected,
            ignore: &source.ignore,
            columns: mapped,
        };
        Self::start(
            source,
            origin,
            Place::Query,
            0,
            columns,
            &settings,
            wanted,
            problems,
        )
    }

    /// Starts a table for a sheet whose header, on row `row`, names `columns`: names written
    /// by hand (a blank one names nothing), long when the source says so.
    #[cfg_attr(not(feature = "excel"), allow(dead_code))]
    pub(crate) fn sheet(
        source: &'a SourceSpec,
        sheet: Arc<Sheet>,
        row: u32,
        columns: Vec<String>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
        mapped: &'a [Mapped<'a>],
        problems: &mut Problems,
    ) -> Option<Self> {
        let settings = Settings {
            naming: Naming::Written,
            period: source.period.as_deref(),
            long: match &source.long {
                Some((name, value)) => Long::Named { name, value },
                None => Long::No,
            },
            ignore: &source.ignore,
            columns: mapped,
        };
        let origin = Origin::Sheet(Arc::clone(&sheet));
        let place = Place::Sheet(sheet);
        Self::start(
            source, origin, place, row, columns, &settings, wanted, problems,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn start(
        source: &'a SourceSpec,
        origin: Origin,
        place: Place,
        header_row: u32,
        columns: Vec<String>,
        settings: &Settings<'a>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
        problems: &mut Problems,
    ) -> Option<Self> {
        let mut table = Table::new(origin);
        let header = QueryHeader {
            columns: &columns,
            source,
            place: &place,
            row: header_row,
        };
        let layout = Layout::new(&header, settings, wanted, &mut table, problems)?;
        Some(Self {
            table,
            columns,
            layout,
            periods: Periods::new(source.date_order),
            source,
            place,
            errors: ErrorCells::default(),
            words: Vec::new(),
        })
    }

    /// Adds row `n` (1-based: a query's row, a sheet's own row number) of the answer.
    pub(crate) fn row(&mut self, n: u32, values: &[Value], problems: &mut Problems) {
        let Some(stamp) = self.period(n, &values[self.layout.period()], problems) else {
            return;
        };
        // A dated row after words: they were not a total at the bottom.
        for (n, text) in std::mem::take(&mut self.words) {
            let cells = Cells {
                source: self.source,
                place: &self.place,
                n,
            };
            let at = cells.at(self.layout.period());
            problems.repeat("word between dates", n as usize, "row", "row", || {
                Diagnostic::error(Problem::WordBetweenDates { text }, Some(at))
            });
        }
        let Some(row) = self.table.add_row(stamp, n) else {
            // Too far from the other months: said once, when the tables are merged.
            return;
        };
        let cells = Cells {
            source: self.source,
            place: &self.place,
            n,
        };
        match self.layout.long() {
            Some((input, value)) => {
                let name = match &values[input] {
                    Value::Text(t) => t.trim().to_string(),
                    Value::Number(v) => v.to_string(),
                    // A name that is no text nor number names no input: the row is skipped.
                    Value::Null
                    | Value::Stamp(_)
                    | Value::Bool(_)
                    | Value::Other(_)
                    | Value::Error(_) => return,
                };
                let at = || cells.at(input);
                if let Some(slot) = self.layout.long_slot(&name, &mut self.table, at) {
                    self.errors.note(cells, value, &values[value]);
                    if let Some(cell) = ErrorCells::cell(cells, value, &values[value]) {
                        self.table.add_error(slot.name, &row, cell);
                    }
                    cells.add(
                        &mut self.table,
                        slot,
                        (value, &name),
                        &values[value],
                        &row,
                        problems,
                    );
                }
            }
            None => {
                for (i, slot) in self.layout.wide() {
                    let column = &self.columns[i];
                    self.errors.note(cells, i, &values[i]);
                    if let Some(cell) = ErrorCells::cell(cells, i, &values[i]) {
                        self.table.add_error(slot.name, &row, cell);
                    }
                    cells.add(
                        &mut self.table,
                        slot,
                        (i, column),
                        &values[i],
                        &row,
                        problems,
                    );
                }
            }
        }
    }

    /// The month and date of row `n`, from its period value; `None` when it holds no period
    /// (reported).
    fn period(&mut self, n: u32, value: &Value, problems: &mut Problems) -> Option<Stamp> {
        let period = self.layout.period();
        let cells = Cells {
            source: self.source,
            place: &self.place,
            n,
        };
        let sheet = matches!(self.place, Place::Sheet(_));
        let message = match value {
            Value::Stamp(stamp) => return Some(*stamp),
            Value::Text(text) => match self.periods.read(text) {
                Ok(stamp) => return Some(stamp),
                Err(BadPeriod::NeedsOrderAgain) => return None,
                Err(BadPeriod::NeedsOrder) => {
                    problems.push(Diagnostic::error(
                        Problem::DateOrderNeeded {
                            cell: text.clone(),
                            count: 1,
                            lines: (n as usize, n as usize),
                        },
                        Some(cells.at(period)),
                    ));
                    return None;
                }
                Err(BadPeriod::Invalid) => {
                    // The rows the source says to skip, by their period (`Sous-total`).
                    let lower = text.trim().to_lowercase();
                    if self
                        .source
                        .skip
                        .iter()
                        .any(|s| s.trim().to_lowercase() == lower)
                    {
                        return None;
                    }
                    if sheet {
                        self.words.push((n, text.trim().to_string()));
                        return None;
                    }
                    format!("`{text}` is not a month nor a date")
                }
            },
            Value::Null if sheet => "the period cell is empty".into(),
            Value::Null => "the period is NULL".into(),
            Value::Error(e) => format!("the period cell holds the error `{e}`"),
            Value::Number(_) if sheet => {
                "a number is not a period: format the cell as a date, or write a month such as `2026-10`".into()
            }
            Value::Number(_) | Value::Other(_) | Value::Bool(_) => {
                let what = match value {
                    Value::Other(t) => format!("a value of type `{t}`"),
                    Value::Bool(_) => "true/false".into(),
                    _ => "a number".into(),
                };
                let message = format!(
                    "{what} is not a period: return a date, a timestamp, or text such as `2026-10`"
                );
                problems.repeat(
                    &format!("period type {period}"),
                    n as usize,
                    "row",
                    "row",
                    || cells.problem((period, &self.columns[period]), message),
                );
                return None;
            }
        };
        self.not_a_period(n, message, problems);
        None
    }

    /// Reports that row `n`'s period cell is no period (repeats grouped).
    fn not_a_period(&self, n: u32, message: String, problems: &mut Problems) {
        let period = self.layout.period();
        let cells = Cells {
            source: self.source,
            place: &self.place,
            n,
        };
        problems.repeat(
            &format!("period {period}"),
            n as usize,
            "row",
            "row",
            || cells.problem((period, &self.columns[period]), message),
        );
    }

    /// The table, once its error cells are said (in one warning).
    pub(crate) fn finish(self, problems: &mut Problems) -> Table {
        if let Some(warning) = self.errors.warning() {
            problems.push(warning);
        }
        if let Some((first, _)) = self.words.first() {
            let cells = Cells {
                source: self.source,
                place: &self.place,
                n: *first,
            };
            let rows = self
                .words
                .iter()
                .map(|(n, text)| (*n as usize, text.clone()));
            problems.push(Diagnostic::note(
                Problem::TrailingRowsSkipped {
                    rows: rows.collect(),
                    line_word: "row",
                },
                Some(cells.at(self.layout.period())),
            ));
        }
        self.table
    }
}

/// The error cells (`#DIV/0!`, `#N/A`) that inputs read, each a missing value: one warning
/// names the first few and counts the rest.
#[derive(Default)]
struct ErrorCells {
    first: Vec<(Location, String)>,
    count: usize,
}

/// How many error cells the warning names.
const SHOWN_ERRORS: usize = 5;

impl ErrorCells {
    /// Where row `cells`' value in column `i` is and its error, when it is an error cell:
    /// `suivi.xlsx:KPI!D4 `#DIV/0!``.
    fn cell(cells: Cells<'_>, i: usize, value: &Value) -> Option<String> {
        let Value::Error(error) = value else {
            return None;
        };
        Some(format!("{} `{error}`", cells.at(i)))
    }

    /// Notes row `cells`' value in column `i` when it is an error cell.
    fn note(&mut self, cells: Cells<'_>, i: usize, value: &Value) {
        let Value::Error(error) = value else {
            return;
        };
        self.count += 1;
        if self.first.len() < SHOWN_ERRORS {
            self.first.push((cells.at(i), error.clone()));
        }
    }

    fn warning(&self) -> Option<Diagnostic> {
        let (location, _) = self.first.first()?;
        let cells = self
            .first
            .iter()
            .map(|(l, e)| format!("{} `{e}`", l.cell.as_deref().unwrap_or_default()))
            .collect();
        Some(Diagnostic::warning(
            Problem::ErrorCells {
                count: self.count,
                cells,
            },
            Some(location.clone()),
        ))
    }
}

/// How the cells of row `n` of a source's answer become numbers.
#[derive(Clone, Copy)]
struct Cells<'a> {
    source: &'a SourceSpec,
    place: &'a Place,
    n: u32,
}

impl Cells<'_> {
    /// Where this row's value in column `i` is: the source's entry for a query, the cell for
    /// a sheet.
    fn at(self, i: usize) -> Location {
        match self.place {
            Place::Query => entry(self.source),
            Place::Sheet(sheet) => sheet.locate(self.n, sheet.first_column + i as u32),
        }
    }

    /// A problem with this row's value in column `i`, named `column`.
    fn problem(self, (i, column): (usize, &str), message: String) -> Diagnostic {
        let problem = match self.place {
            Place::Query => Problem::DatabaseValue {
                from: self.source.label(),
                row: self.n as usize,
                column: column.to_string(),
                message,
            },
            Place::Sheet(_) => Problem::SheetValue {
                column: column.to_string(),
                message,
            },
        };
        Diagnostic::error(problem, Some(self.at(i)))
    }

    /// The position a value is kept at for messages: the row, and for a sheet its column.
    fn position(self, i: usize) -> (u32, u32) {
        match self.place {
            Place::Query => (self.n, 1),
            Place::Sheet(sheet) => (self.n, sheet.first_column + i as u32),
        }
    }

    /// Adds the value of column `i` (named `column`) to `table`, or reports it when it is not
    /// the number that the slot needs.
    fn add(
        self,
        table: &mut Table,
        slot: Slot,
        column: (usize, &str),
        value: &Value,
        row: &RowAt,
        problems: &mut Problems,
    ) {
        if let Some(number) = self.number(slot.need, column, value, problems) {
            if slot.need == Need::YesNo && matches!(value, Value::Text(t) if is_x(t)) {
                table.mark_checklist(slot.name);
            }
            let (at, len) = self.position(column.0);
            table.add(slot.name, row, number, at, len);
        }
    }

    /// The number a value gives (NaN for a cell only counted), or `None` when it is empty or
    /// not a number (reported).
    fn number(
        self,
        need: Need,
        column: (usize, &str),
        value: &Value,
        problems: &mut Problems,
    ) -> Option<f64> {
        let n = self.n as usize;
        let name = column.1;
        let number = match value {
            Value::Null | Value::Error(_) => return None,
            Value::Number(v) if need == Need::YesNo && *v != 0.0 && *v != 1.0 => {
                problems.repeat(&format!("yes/no {name}"), n, "row", "row", || {
                    self.problem(column, format!("`{v}` is not yes or no ({})", YES_NO_HINT))
                });
                return None;
            }
            Value::Number(v) => *v,
            Value::Bool(b) if need != Need::Number => f64::from(u8::from(*b)),
            Value::Text(t) => match read_cell(
                t,
                self.source
                    .decimal
                    .map_or(Dialect::DecimalPoint, DecimalMark::dialect),
                need,
            ) {
                Ok(v) => v?,
                Err(e) => {
                    let what = if need == Need::YesNo {
                        "yes or no"
                    } else {
                        "a number"
                    };
                    problems.repeat(&format!("value {name} {}", e.kind), n, "row", "row", || {
                        self.problem(column, format!("`{t}` is not {what} ({})", e.hint))
                    });
                    return None;
                }
            },
            Value::Stamp(_) | Value::Other(_) if need == Need::Presence => f64::NAN,
            Value::Bool(_) => {
                problems.repeat(&format!("bool {name}"), n, "row", "row", || {
                    self.problem(
                        column,
                        "a true/false value is not a number: declare the input `unit = \"boolean\"` to read it as yes or no".into(),
                    )
                });
                return None;
            }
            Value::Stamp(_) | Value::Other(_) => {
                let message = match (value, self.place) {
                    (_, Place::Sheet(_)) => {
                        "a date is not a number: format the cell as a number".to_string()
                    }
                    (Value::Other(t), Place::Query) => format!(
                        "a value of type `{t}` is not a number: cast it to a number in the query"
                    ),
                    _ => "a value of a date type is not a number: cast it to a number in the query"
                        .to_string(),
                };
                problems.repeat(&format!("type {name}"), n, "row", "row", || {
                    self.problem(column, message)
                });
                return None;
            }
        };
        if need == Need::Number && !number.is_finite() {
            problems.repeat(&format!("finite {name}"), n, "row", "row", || {
                self.problem(column, "the value is not a finite number".into())
            });
            return None;
        }
        Some(number)
    }
}
