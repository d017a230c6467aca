//! The shared half of the database sources: a query's answer, row by row, into a [`Table`].
//!
//! A query whose columns are exactly `period`, `input` and `value` is long (one row per
//! month, input and value); otherwise its period column (named `period`, or by the source's
//! `period` key, else the first) holds the dates and every other column is an input.

use std::collections::HashMap;

use crate::data::date::{DateError, Stamp, parse_stamp};
use crate::data::spec::SourceSpec;
use crate::data::table::{Need, Origin, Table};
use crate::diagnostic::{Diagnostic, Problem};
use crate::problems::Problems;
use crate::source::Location;
use crate::suggest::closest;

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
    Stamp(Stamp),
    /// Anything else: the database's name for its type.
    Other(String),
}

enum Shape {
    Long { input: usize, value: usize },
    Wide(Vec<Option<(u32, Need)>>),
}

/// A query's answer being turned into a table.
pub(crate) struct QueryTable<'a> {
    table: Table,
    columns: Vec<String>,
    period: usize,
    shape: Shape,
    source: &'a SourceSpec,
    wanted: &'a dyn Fn(&str) -> Option<Need>,
    long_names: HashMap<String, Option<(u32, Need)>>,
    order_reported: bool,
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

impl<'a> QueryTable<'a> {
    /// Starts a table for a query whose columns are `columns`.
    pub(crate) fn new(
        source: &'a SourceSpec,
        columns: Vec<String>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
        problems: &mut Problems,
    ) -> Option<Self> {
        let origin = Origin::Query {
            label: source.label(),
            location: entry(source),
        };
        let mut table = Table::new(origin);
        table.ignored_at = Some(entry(source));
        let lower: Vec<String> = columns.iter().map(|c| c.to_ascii_lowercase()).collect();
        let missing = |what: &str, key: &str, column: &str, problems: &mut Problems| {
            problems.push(Diagnostic::error(
                Problem::MissingSourceColumn {
                    what: what.into(),
                    key: key.into(),
                    column: column.into(),
                    suggestion: closest(column, columns.iter().map(String::as_str)),
                },
                Some(entry(source)),
            ));
        };
        if columns.is_empty() {
            problems.push(database_error(source, "the query returns no column"));
            return None;
        }
        let period = match &source.period {
            Some(name) => match columns.iter().position(|c| c == name) {
                Some(i) => i,
                None => {
                    missing("period", "period", name, problems);
                    return None;
                }
            },
            None => lower.iter().position(|c| c == "period").unwrap_or(0),
        };
        let shape = if lower.len() == 3
            && ["period", "input", "value"]
                .iter()
                .all(|n| lower.contains(&n.to_string()))
        {
            Shape::Long {
                input: lower.iter().position(|c| c == "input").expect("checked"),
                value: lower.iter().position(|c| c == "value").expect("checked"),
            }
        } else {
            let mut wide = vec![None; columns.len()];
            let mut read = std::collections::HashSet::new();
            for (i, name) in columns.iter().enumerate() {
                if i == period {
                    continue;
                }
                match wanted(name) {
                    Some(need) if read.insert(name.as_str()) => {
                        wide[i] = Some((table.add_name(name.clone()), need));
                    }
                    Some(_) => {
                        problems.push(database_error(
                            source,
                            format!(
                                "the query returns two columns named `{name}`; rename one with `as`"
                            ),
                        ));
                    }
                    None if !source.ignore.contains(name) => table.ignored.push(name.clone()),
                    None => {}
                }
            }
            Shape::Wide(wide)
        };
        Some(Self {
            table,
            columns,
            period,
            shape,
            source,
            wanted,
            long_names: HashMap::new(),
            order_reported: false,
        })
    }

    /// Adds row `n` (1-based) of the answer.
    pub(crate) fn row(&mut self, n: u32, values: &[Value], problems: &mut Problems) {
        let label = self.source.label();
        let value_problem = |column: &str, message: String| {
            Diagnostic::error(
                Problem::DatabaseValue {
                    from: label.clone(),
                    row: n as usize,
                    column: column.to_string(),
                    message,
                },
                Some(entry(self.source)),
            )
        };
        let period_column = &self.columns[self.period];
        let stamp = match &values[self.period] {
            Value::Stamp(stamp) => *stamp,
            Value::Text(text) => match parse_stamp(text, self.source.date_order) {
                Ok(stamp) => stamp,
                Err(DateError::NeedsOrder) => {
                    if !self.order_reported {
                        self.order_reported = true;
                        problems.push(Diagnostic::error(
                            Problem::DateOrderNeeded { cell: text.clone() },
                            Some(entry(self.source)),
                        ));
                    }
                    return;
                }
                Err(DateError::Invalid) => {
                    problems.repeat(
                        &format!("period {}", self.period),
                        n as usize,
                        "row",
                        "row",
                        || {
                            value_problem(
                                period_column,
                                format!("`{text}` is not a month nor a date"),
                            )
                        },
                    );
                    return;
                }
            },
            Value::Null => {
                problems.repeat(
                    &format!("period {}", self.period),
                    n as usize,
                    "row",
                    "row",
                    || value_problem(period_column, "the period is NULL".into()),
                );
                return;
            }
            Value::Number(_) | Value::Other(_) => {
                let what = match &values[self.period] {
                    Value::Other(t) => format!("a value of type `{t}`"),
                    _ => "a number".into(),
                };
                problems.repeat(&format!("period type {}", self.period), n as usize, "row", "row", || {
                    value_problem(
                        period_column,
                        format!("{what} is not a period: return a date, a timestamp, or text such as `2026-10`"),
                    )
                });
                return;
            }
        };
        let Some(row) = self.table.add_row(stamp, n) else {
            // Too far from the other months: said once, when the tables are merged.
            return;
        };
        let mut add = |name: u32, need: Need, column: &str, value: &Value, table: &mut Table| {
            let number = match value {
                Value::Null => return,
                Value::Number(v) => *v,
                Value::Text(t) => match crate::data::number::parse_number(
                    t,
                    crate::data::number::Dialect::DecimalPoint,
                ) {
                    Ok(Some(v)) => v,
                    Ok(None) => return,
                    Err(_) if need == Need::Presence => f64::NAN,
                    Err(e) => {
                        problems.repeat(
                            &format!("value {column} {}", e.kind),
                            n as usize,
                            "row",
                            "row",
                            || value_problem(column, format!("`{t}` is not a number ({})", e.hint)),
                        );
                        return;
                    }
                },
                Value::Stamp(_) | Value::Other(_) if need == Need::Presence => f64::NAN,
                Value::Stamp(_) | Value::Other(_) => {
                    let what = match value {
                        Value::Other(t) => format!("type `{t}`"),
                        _ => "a date type".into(),
                    };
                    problems.repeat(&format!("type {column}"), n as usize, "row", "row", || {
                        value_problem(column, format!("a value of {what} is not a number: cast it to a number in the query"))
                    });
                    return;
                }
            };
            if need == Need::Number && !number.is_finite() {
                problems.repeat(
                    &format!("finite {column}"),
                    n as usize,
                    "row",
                    "row",
                    || value_problem(column, "the value is not a finite number".into()),
                );
                return;
            }
            table.add(name, &row, number, n, 1);
        };
        match &self.shape {
            Shape::Long { input, value } => {
                let name = match &values[*input] {
                    Value::Text(t) => t.trim().to_string(),
                    Value::Number(v) => v.to_string(),
                    // A name that is no text nor number names no input: the row is skipped.
                    Value::Null | Value::Stamp(_) | Value::Other(_) => return,
                };
                let index = match self.long_names.get(&name) {
                    Some(&index) => index,
                    None => {
                        let index = match (self.wanted)(&name) {
                            Some(need) => Some((self.table.add_name(name.clone()), need)),
                            None => {
                                if !self.source.ignore.contains(&name) {
                                    self.table.ignored.push(name.clone());
                                }
                                None
                            }
                        };
                        self.long_names.insert(name.clone(), index);
                        index
                    }
                };
                if let Some((index, need)) = index {
                    add(index, need, &name, &values[*value], &mut self.table);
                }
            }
            Shape::Wide(wide) => {
                for (i, slot) in wide.iter().enumerate() {
                    if let Some((index, need)) = *slot {
                        add(index, need, &self.columns[i], &values[i], &mut self.table);
                    }
                }
            }
        }
    }

    /// The table.
    pub(crate) fn finish(self) -> Table {
        self.table
    }
}
