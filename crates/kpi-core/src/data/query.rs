//! The shared half of the database sources: a query's answer, row by row, into a [`Table`].
//!
//! A query whose columns are exactly `period`, `input` and `value` is long (one row per
//! month, input and value); otherwise its period column (named `period`, or by the source's
//! `period` key, else the first) holds the dates and every other column is an input.

use crate::data::date::Stamp;
use crate::data::layout::{
    BadPeriod, Header, Layout, Long, Naming, Periods, Settings, Slot, counted,
};
use crate::data::number::{Dialect, parse_number};
use crate::data::spec::{SourceSpec, Timeout};
use crate::data::table::{Need, Origin, RowAt, Table};
use crate::diagnostic::{Diagnostic, Problem};
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
    /// Anything else: the database's name for its type.
    Other(String),
}

/// A query's answer being turned into a table.
pub(crate) struct QueryTable<'a> {
    table: Table,
    columns: Vec<String>,
    layout: Layout<'a>,
    periods: Periods,
    source: &'a SourceSpec,
}

/// A query's columns, as the layout reads them: every problem points at the source's entry.
struct QueryHeader<'a> {
    columns: &'a [String],
    source: &'a SourceSpec,
}

impl Header for QueryHeader<'_> {
    fn names(&self) -> &[String] {
        self.columns
    }

    fn locate(&self, _: usize) -> Location {
        entry(self.source)
    }

    fn duplicate(&self, column: usize) -> Diagnostic {
        database_error(
            self.source,
            format!(
                "the query returns two columns named `{}`; rename one with `as`",
                self.columns[column]
            ),
        )
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
    /// Starts a table for a query whose columns are `columns`.
    pub(crate) fn new(
        source: &'a SourceSpec,
        columns: Vec<String>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
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
        let mut table = Table::new(origin);
        let settings = Settings {
            naming: Naming::Query,
            period: source.period.as_deref(),
            long: Long::Detected,
            ignore: &source.ignore,
        };
        let header = QueryHeader {
            columns: &columns,
            source,
        };
        let layout = Layout::new(&header, &settings, wanted, &mut table, problems)?;
        Some(Self {
            table,
            columns,
            layout,
            periods: Periods::new(source.date_order),
            source,
        })
    }

    /// Adds row `n` (1-based) of the answer.
    pub(crate) fn row(&mut self, n: u32, values: &[Value], problems: &mut Problems) {
        let Some(stamp) = self.period(n, &values[self.layout.period()], problems) else {
            return;
        };
        let Some(row) = self.table.add_row(stamp, n) else {
            // Too far from the other months: said once, when the tables are merged.
            return;
        };
        let cells = Cells {
            source: self.source,
            n,
        };
        match self.layout.long() {
            Some((input, value)) => {
                let name = match &values[input] {
                    Value::Text(t) => t.trim().to_string(),
                    Value::Number(v) => v.to_string(),
                    // A name that is no text nor number names no input: the row is skipped.
                    Value::Null | Value::Stamp(_) | Value::Other(_) => return,
                };
                let at = || entry(self.source);
                if let Some(slot) = self.layout.long_slot(&name, &mut self.table, at) {
                    cells.add(&mut self.table, slot, &name, &values[value], &row, problems);
                }
            }
            None => {
                for (i, slot) in self.layout.wide() {
                    let column = &self.columns[i];
                    cells.add(&mut self.table, slot, column, &values[i], &row, problems);
                }
            }
        }
    }

    /// The month and date of row `n`, from its period value; `None` when it holds no period
    /// (reported).
    fn period(&mut self, n: u32, value: &Value, problems: &mut Problems) -> Option<Stamp> {
        let period = self.layout.period();
        let message = match value {
            Value::Stamp(stamp) => return Some(*stamp),
            Value::Text(text) => match self.periods.read(text) {
                Ok(stamp) => return Some(stamp),
                Err(BadPeriod::NeedsOrderAgain) => return None,
                Err(BadPeriod::NeedsOrder) => {
                    problems.push(Diagnostic::error(
                        Problem::DateOrderNeeded { cell: text.clone() },
                        Some(entry(self.source)),
                    ));
                    return None;
                }
                Err(BadPeriod::Invalid) => format!("`{text}` is not a month nor a date"),
            },
            Value::Null => "the period is NULL".into(),
            Value::Number(_) | Value::Other(_) => {
                let what = match value {
                    Value::Other(t) => format!("a value of type `{t}`"),
                    _ => "a number".into(),
                };
                let message = format!(
                    "{what} is not a period: return a date, a timestamp, or text such as `2026-10`"
                );
                let cells = Cells {
                    source: self.source,
                    n,
                };
                problems.repeat(
                    &format!("period type {period}"),
                    n as usize,
                    "row",
                    "row",
                    || cells.problem(&self.columns[period], message),
                );
                return None;
            }
        };
        let cells = Cells {
            source: self.source,
            n,
        };
        problems.repeat(
            &format!("period {period}"),
            n as usize,
            "row",
            "row",
            || cells.problem(&self.columns[period], message),
        );
        None
    }

    /// The table.
    pub(crate) fn finish(self) -> Table {
        self.table
    }
}

/// How the cells of row `n` of a source's answer become numbers.
#[derive(Clone, Copy)]
struct Cells<'a> {
    source: &'a SourceSpec,
    n: u32,
}

impl Cells<'_> {
    /// A problem with this row's value in `column`.
    fn problem(self, column: &str, message: String) -> Diagnostic {
        Diagnostic::error(
            Problem::DatabaseValue {
                from: self.source.label(),
                row: self.n as usize,
                column: column.to_string(),
                message,
            },
            Some(entry(self.source)),
        )
    }

    /// Adds the value of `column` to `table`, or reports it when it is not the number that
    /// the slot needs.
    fn add(
        self,
        table: &mut Table,
        slot: Slot,
        column: &str,
        value: &Value,
        row: &RowAt,
        problems: &mut Problems,
    ) {
        if let Some(number) = self.number(slot.need, column, value, problems) {
            table.add(slot.name, row, number, self.n, 1);
        }
    }

    /// The number a value gives (NaN for a cell only counted), or `None` when it is empty or
    /// not a number (reported).
    fn number(
        self,
        need: Need,
        column: &str,
        value: &Value,
        problems: &mut Problems,
    ) -> Option<f64> {
        let n = self.n as usize;
        let number = match value {
            Value::Null => return None,
            Value::Number(v) => *v,
            Value::Text(t) => match counted(parse_number(t, Dialect::DecimalPoint), need) {
                Ok(v) => v?,
                Err(e) => {
                    problems.repeat(
                        &format!("value {column} {}", e.kind),
                        n,
                        "row",
                        "row",
                        || self.problem(column, format!("`{t}` is not a number ({})", e.hint)),
                    );
                    return None;
                }
            },
            Value::Stamp(_) | Value::Other(_) if need == Need::Presence => f64::NAN,
            Value::Stamp(_) | Value::Other(_) => {
                let what = match value {
                    Value::Other(t) => format!("type `{t}`"),
                    _ => "a date type".into(),
                };
                problems.repeat(&format!("type {column}"), n, "row", "row", || {
                    self.problem(
                        column,
                        format!(
                            "a value of {what} is not a number: cast it to a number in the query"
                        ),
                    )
                });
                return None;
            }
        };
        if need == Need::Number && !number.is_finite() {
            problems.repeat(&format!("finite {column}"), n, "row", "row", || {
                self.problem(column, "the value is not a finite number".into())
            });
            return None;
        }
        Some(number)
    }
}
