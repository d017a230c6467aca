//! The layout of a source's table, read from its header row the same way for every kind of
//! source (CSV, SQLite, PostgreSQL, and any new one): which column holds the period, which
//! columns (or, in a long table, which names) some input reads, which are left unread, and how
//! the period and value cells of each row are judged.
//!
//! A source's `columns` (its own names for inputs) are resolved here too, once for every kind:
//! a mapped column is found as the source's settings find a column, and one the source lacks
//! is an error at the mapping in `kpi.toml`.
//!
//! A reader of a new kind of source turns its header into a [`Header`], makes a [`Layout`],
//! and for each row reads the period with [`Periods`], then hands each cell of
//! [`Layout::wide`] (or of [`Layout::long_slot`]) to the table.

use std::collections::{HashMap, HashSet};

use crate::data::date::{DateError, DateOrder, Stamp, parse_stamp};
use crate::data::number::{Dialect, NumberError, parse_number, parse_yes_no};
use crate::data::table::{MappedName, Need, Table};
use crate::diagnostic::{Diagnostic, Problem};
use crate::problems::Problems;
use crate::source::Location;
use crate::suggest::{closest, nearest};

/// Where a name's cells go: its index in the table, and what its inputs need of them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    /// The name's index for [`Table::add`].
    pub(crate) name: u32,
    /// What the inputs reading it need of its cells.
    pub(crate) need: Need,
}

/// How a kind of source names its columns, where the kinds differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// Names written by hand, in a spreadsheet: a column the source's settings name is found in
    /// any case, and a blank name (an empty column, an empty name cell of a long table) names
    /// nothing.
    Written,
    /// A query's own column names: found exactly as spelt, and a blank name is a name.
    Query,
}

/// Whether a source is a long table: one row per month, input name and value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Long<'a> {
    /// A wide table: one column per input.
    No,
    /// A long table whose name and value columns the source's `name` and `value` keys name.
    Named {
        /// The column of input names.
        name: &'a str,
        /// The column of values.
        value: &'a str,
    },
    /// Long when the columns are exactly `period`, `input` and `value` (in any case), wide
    /// otherwise: a query's answer says its own shape.
    Detected,
}

/// A source's settings for reading its header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings<'a> {
    /// How the source names its columns.
    pub(crate) naming: Naming,
    /// The period column's name, when it is not `period` nor the first.
    pub(crate) period: Option<&'a str>,
    /// Whether the table is long.
    pub(crate) long: Long<'a>,
    /// Columns (or long-table names) known to be unused, not to be warned about.
    pub(crate) ignore: &'a [String],
    /// The source's own names for inputs (its `columns`).
    pub(crate) columns: &'a [Mapped<'a>],
}

/// One entry of a source's `columns`, as the layout reads it: the column (or long-table name)
/// that holds an input, what the input needs of its cells, and where the mapping is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mapped<'a> {
    /// The input.
    pub(crate) input: &'a str,
    /// The column, as the mapping spells it.
    pub(crate) column: &'a str,
    /// What the input needs of the column's cells.
    pub(crate) need: Need,
    /// Where the column is written in `kpi.toml`.
    pub(crate) at: &'a Location,
}

/// A source's header row, as the layout reads it.
pub(crate) trait Header {
    /// The names of the columns, in order.
    fn names(&self) -> &[String];
    /// Where a problem about column `column` points (a file's header cell, a query's entry in
    /// `kpi.toml`).
    fn locate(&self, column: usize) -> Location;
    /// The error for column `column`, read by an input while an earlier column of the same name
    /// is, in the source's own words.
    fn duplicate(&self, column: usize) -> Diagnostic;
}

/// Where a table's cells go, column by column.
#[derive(Debug)]
enum Shape {
    /// For each column, the name its cells go to, if some input reads it.
    Wide(Vec<Option<Slot>>),
    /// The columns of the input names and of the values.
    Long { name: usize, value: usize },
}

/// The layout of one source's table, read from its header.
pub(crate) struct Layout<'a> {
    period: usize,
    shape: Shape,
    naming: Naming,
    ignore: &'a [String],
    columns: &'a [Mapped<'a>],
    wanted: &'a dyn Fn(&str) -> Option<Need>,
    /// A long table's names met so far, each with its slot (or none when no input reads it):
    /// a name is looked up once, not once per row.
    long_names: HashMap<String, Option<Slot>>,
}

impl<'a> Layout<'a> {
    /// Reads `header`: finds the period column and, for a long table, its name and value
    /// columns; gives `table` a name for each column `wanted` says some input reads or the
    /// source's `columns` maps, and lists the others as unread. `None` when a column the
    /// settings name (mapped ones included) is missing (reported).
    pub(crate) fn new(
        header: &impl Header,
        settings: &Settings<'a>,
        wanted: &'a dyn Fn(&str) -> Option<Need>,
        table: &mut Table,
        problems: &mut Problems,
    ) -> Option<Self> {
        let naming = settings.naming;
        let period = match settings.period {
            Some(name) => find(header, naming, name, ("period", "period"), problems)?,
            None => header
                .names()
                .iter()
                .position(|n| n.eq_ignore_ascii_case("period"))
                .unwrap_or(0),
        };
        table.ignored_at = Some(header.locate(0));
        let mut layout = Layout {
            period,
            shape: Shape::Wide(Vec::new()),
            naming,
            ignore: settings.ignore,
            columns: settings.columns,
            wanted,
            long_names: HashMap::new(),
        };
        table.mapped = settings
            .columns
            .iter()
            .map(|m| MappedName {
                input: m.input.to_string(),
                column: m.column.to_string(),
                at: m.at.clone(),
                name: None,
            })
            .collect();
        layout.shape = match long_columns(header, settings, problems)? {
            Some((name, value)) => Shape::Long { name, value },
            None => Shape::Wide(layout.wide_slots(header, table, problems)?),
        };
        Some(layout)
    }

    /// For each column of a wide table, what the source's `columns` need of it, and the column
    /// each mapping found; `None` when a mapped column is missing (each reported, at its
    /// mapping, with the nearest column).
    fn mapped_needs(
        &self,
        header: &impl Header,
        table: &Table,
        problems: &mut Problems,
    ) -> Option<(Vec<Option<Need>>, Vec<usize>)> {
        let names = header.names();
        let mut needs = vec![None; names.len()];
        let mut found = Vec::with_capacity(self.columns.len());
        for (m, name) in self.columns.iter().zip(&table.mapped) {
            match position(names, self.naming, m.column) {
                Some(i) => {
                    needs[i] = either(needs[i], Some(m.need));
                    found.push(i);
                }
                None => problems.push(missing_mapped(table, name, false, names)),
            }
        }
        (found.len() == self.columns.len()).then_some((needs, found))
    }

    /// The slot of each column of a wide table; the columns no input reads are listed in
    /// `table` as unread.
    fn wide_slots(
        &self,
        header: &impl Header,
        table: &mut Table,
        problems: &mut Problems,
    ) -> Option<Vec<Option<Slot>>> {
        let (mapped, found) = self.mapped_needs(header, table, problems)?;
        let names = header.names();
        let mut slots = vec![None; names.len()];
        table.reserve_names(names.len());
        // The names read so far: a set, so that a header of many columns costs linear time.
        let mut read = HashSet::new();
        for (i, name) in names.iter().enumerate() {
            let skipped = i == self.period || self.names_nothing(name);
            if skipped && mapped[i].is_none() {
                continue;
            }
            let own = if skipped { None } else { (self.wanted)(name) };
            match either(own, mapped[i]) {
                Some(need) if read.insert(name.as_str()) => {
                    slots[i] = Some(Slot {
                        name: table.add_name(name.clone()),
                        need,
                    });
                }
                Some(_) => problems.push(header.duplicate(i)),
                None => self.unread(name, table, || header.locate(i)),
            }
        }
        for (mapping, i) in table.mapped.iter_mut().zip(found) {
            mapping.name = slots[i].map(|s: Slot| s.name);
        }
        table.names.shrink_to_fit();
        table.series.shrink_to_fit();
        Some(slots)
    }

    /// The period column.
    pub(crate) fn period(&self) -> usize {
        self.period
    }

    /// A long table's name and value columns; `None` for a wide table.
    pub(crate) fn long(&self) -> Option<(usize, usize)> {
        match self.shape {
            Shape::Long { name, value } => Some((name, value)),
            Shape::Wide(_) => None,
        }
    }

    /// Each column's slot, when some input reads it: a wide table's (none for a long table).
    pub(crate) fn column_slots(&self) -> &[Option<Slot>] {
        match &self.shape {
            Shape::Wide(slots) => slots.as_slice(),
            Shape::Long { .. } => &[],
        }
    }

    /// A wide table's columns that some input reads, each with its slot (none for a long
    /// table).
    pub(crate) fn wide(&self) -> impl Iterator<Item = (usize, Slot)> + '_ {
        self.column_slots()
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| Some((i, (*slot)?)))
    }

    /// Where the value of a long table's row named `name` goes, if some input reads it; a name
    /// no input reads is listed as unread, located by `at` when it is the first.
    pub(crate) fn long_slot(
        &mut self,
        name: &str,
        table: &mut Table,
        at: impl FnOnce() -> Location,
    ) -> Option<Slot> {
        if let Some(&slot) = self.long_names.get(name) {
            return slot;
        }
        let naming = self.naming;
        let mapped = self
            .columns
            .iter()
            .filter(|m| same(naming, m.column, name))
            .fold(None, |need, m| either(need, Some(m.need)));
        let slot = match either((self.wanted)(name), mapped) {
            Some(need) => {
                let slot = Slot {
                    name: table.add_name(name.to_string()),
                    need,
                };
                // The first name met that the mapping names holds the input.
                for m in table.mapped.iter_mut() {
                    if m.name.is_none() && same(naming, &m.column, name) {
                        m.name = Some(slot.name);
                    }
                }
                Some(slot)
            }
            None => {
                if !self.names_nothing(name) {
                    self.unread(name, table, at);
                }
                None
            }
        };
        self.long_names.insert(name.to_string(), slot);
        slot
    }

    /// Whether `name` is blank where blanks name nothing.
    fn names_nothing(&self, name: &str) -> bool {
        self.naming == Naming::Written && name.is_empty()
    }

    /// Lists `name` as unread, unless the source ignores it; the warning points at the first.
    fn unread(&self, name: &str, table: &mut Table, at: impl FnOnce() -> Location) {
        if self.ignore.iter().any(|x| x == name) {
            return;
        }
        if table.ignored.is_empty() {
            table.ignored_at = Some(at());
        }
        table.ignored.push(name.to_string());
    }
}

/// Whichever need is the stricter: a column both counted and summed needs numbers.
fn either(a: Option<Need>, b: Option<Need>) -> Option<Need> {
    match (a, b) {
        (Some(Need::Number), _) | (_, Some(Need::Number)) => Some(Need::Number),
        (Some(Need::YesNo), _) | (_, Some(Need::YesNo)) => Some(Need::YesNo),
        (a, b) => a.or(b),
    }
}

/// Whether a source's setting `given` names `name`: as spelt, or in any case where names are
/// written by hand.
fn same(naming: Naming, given: &str, name: &str) -> bool {
    given == name || (naming == Naming::Written && given.eq_ignore_ascii_case(name))
}

/// The column of `names` that a source's setting calls `name`: the one spelt so, else, where
/// names are written by hand, one in another case.
fn position(names: &[String], naming: Naming, name: &str) -> Option<usize> {
    let exact = names.iter().position(|n| n == name);
    match naming {
        Naming::Written => {
            exact.or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(name)))
        }
        Naming::Query => exact,
    }
}

/// The error for a mapped column (or, in a long table, name) that the source lacks, at the
/// mapping in `kpi.toml`, with the nearest of the source's `names`.
pub(crate) fn missing_mapped<'n>(
    table: &Table,
    mapped: &MappedName,
    long: bool,
    names: impl IntoIterator<Item = &'n String>,
) -> Diagnostic {
    Diagnostic::error(
        Problem::MissingMappedColumn {
            from: table.label(),
            input: mapped.input.clone(),
            column: mapped.column.clone(),
            nearest: nearest(&mapped.column, names.into_iter().map(String::as_str)),
            long,
        },
        Some(mapped.at.clone()),
    )
}

/// The column of `header` that the source's settings call `name`; a missing one is reported,
/// with the closest name, as the `key` setting's `what` column.
fn find(
    header: &impl Header,
    naming: Naming,
    name: &str,
    (what, key): (&str, &str),
    problems: &mut Problems,
) -> Option<usize> {
    let names = header.names();
    let found = position(names, naming, name);
    if found.is_none() {
        problems.push(Diagnostic::error(
            Problem::MissingSourceColumn {
                what: what.into(),
                key: key.into(),
                column: name.into(),
                suggestion: closest(name, names.iter().map(String::as_str)),
            },
            Some(header.locate(0)),
        ));
    }
    found
}

/// A long table's name and value columns, `Some(None)` for a wide table, `None` when a column
/// the settings name is missing (each reported).
fn long_columns(
    header: &impl Header,
    settings: &Settings<'_>,
    problems: &mut Problems,
) -> Option<Option<(usize, usize)>> {
    match settings.long {
        Long::No => Some(None),
        Long::Named { name, value } => {
            let naming = settings.naming;
            let n = find(header, naming, name, ("input name", "name"), problems);
            let v = find(header, naming, value, ("value", "value"), problems);
            Some(Some((n?, v?)))
        }
        Long::Detected => {
            let lower: Vec<String> = header
                .names()
                .iter()
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let at = |wanted: &str| lower.iter().position(|c| c == wanted);
            Some(
                match (lower.len(), at("period"), at("input"), at("value")) {
                    (3, Some(_), Some(name), Some(value)) => Some((name, value)),
                    _ => None,
                },
            )
        }
    }
}

/// Why a period cell gives no month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadPeriod {
    /// The first slashed date of the source with the year last, and no `date_order`: to be
    /// reported once, for the whole source.
    NeedsOrder,
    /// Another such date: already reported.
    NeedsOrderAgain,
    /// Not a month nor a date.
    Invalid,
}

/// Reads a source's period cells written as text.
#[derive(Debug)]
pub(crate) struct Periods {
    order: Option<DateOrder>,
    /// The last text read and its month: daily exports repeat a date on many rows, and a date
    /// read once is not read again. The buffer is reused, so a new date costs no allocation.
    last: String,
    last_stamp: Option<Stamp>,
    order_asked: bool,
}

impl Periods {
    /// Reads slashed dates with the year last by `order`.
    pub(crate) fn new(order: Option<DateOrder>) -> Self {
        Self {
            order,
            last: String::new(),
            last_stamp: None,
            order_asked: false,
        }
    }

    /// Reads slashed dates with the year last by `order` from now on.
    pub(crate) fn set_order(&mut self, order: DateOrder) {
        self.order = Some(order);
    }

    /// The month and date of a period cell.
    pub(crate) fn read(&mut self, text: &str) -> Result<Stamp, BadPeriod> {
        if let Some(stamp) = self.last_stamp.filter(|_| self.last == text) {
            return Ok(stamp);
        }
        match parse_stamp(text, self.order) {
            Ok(stamp) => {
                self.last.clear();
                self.last.push_str(text);
                self.last_stamp = Some(stamp);
                Ok(stamp)
            }
            Err(DateError::NeedsOrder) if self.order_asked => Err(BadPeriod::NeedsOrderAgain),
            Err(DateError::NeedsOrder) => {
                self.order_asked = true;
                Err(BadPeriod::NeedsOrder)
            }
            Err(DateError::Invalid) => Err(BadPeriod::Invalid),
        }
    }
}

/// Whether a yes/no cell is the checklist's `x` (any case), whose column reads an empty cell
/// as a no.
pub(crate) fn is_x(cell: &str) -> bool {
    cell.trim().eq_ignore_ascii_case("x")
}

/// A cell's number for a name whose inputs need `need`: a yes/no column reads yes/no words
/// ([`parse_yes_no`]); a column only counted may hold anything (order ids, names), each
/// non-empty cell counted as a NaN; otherwise a cell that is not a number is an error.
pub(crate) fn read_cell(
    cell: &str,
    dialect: Dialect,
    need: Need,
) -> Result<Option<f64>, NumberError> {
    match need {
        Need::YesNo => parse_yes_no(cell),
        Need::Presence => parse_number(cell, dialect).or(Ok(Some(f64::NAN))),
        Need::Number => parse_number(cell, dialect),
    }
}
