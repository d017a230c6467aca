//! Monthly input data: read from sources (CSV files, SQLite and PostgreSQL queries) into
//! source-agnostic [`Table`]s, then aggregated to months, merged and laid out as a run of
//! consecutive calendar months by [`Dataset::from_tables`], whatever the source.
//!
//! Each reader is one module (`csv`, `sqlite`, `postgres`); what a cell may hold is decided
//! by `number` and `date`; `aggregate` combines the rows of a month; `problems` keeps the
//! errors of a source short.
//!
//! Which column an input reads is decided here and in `layout`, once for every kind of
//! source: the source's own `columns` mapping when it names the input, else the definition's
//! `column`, else a column spelt as the input.

mod aggregate;
mod binary;
mod csv;
pub mod date;
mod encoding;
mod layout;
mod number;
#[cfg(feature = "postgres")]
mod postgres;
mod query;
pub mod rollup;
mod spec;
mod sqlite;
mod table;
#[cfg(feature = "postgres")]
mod tls;
#[cfg(feature = "excel")]
mod workbook;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

pub use date::DateOrder;
pub use number::DecimalMark;
pub use spec::{
    CellRange, ColumnMapping, SourceKind, SourceSpec, Timeout, WORKBOOK_EXTENSIONS, is_workbook,
};
pub use table::Table;

use crate::diagnostic::{Diagnostic, Diagnostics, Problem};
use crate::in_order::in_order;
use crate::index::MonthIndex;
use crate::input::{Aggregate, InputDecl};
use crate::limits::{MAX_DATA_BYTES, MAX_DATA_MONTHS};
use crate::period::Period;
use crate::problems::Problems;
use crate::read::{read_bytes, read_limited};
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::unit::Unit;
use csv::{CsvOptions, read_csv};
use layout::{Mapped, missing_mapped};
use table::{Need, State};

/// Input data over a run of consecutive calendar months.
///
/// Months between the first and the last that no source holds are kept as absent: they have
/// no values at all, so that `prev` counts months, not rows.
#[derive(Debug, Clone)]
pub struct Dataset {
    months: Vec<Period>,
    present: Vec<bool>,
    /// Each input's monthly values (NaN where missing), for the inputs some source has.
    columns: BTreeMap<String, Vec<f64>>,
    /// The error cells (`#DIV/0!`) behind missing values: input and month → the cell and its
    /// error, `suivi.xlsx:KPI!D4 `#DIV/0!``.
    error_cells: HashMap<(String, usize), String>,
    warnings: Vec<Diagnostic>,
    missing: Option<Diagnostic>,
    /// In a rolled-up dataset, why an input has no value in a period (input and period).
    gaps: HashMap<(String, usize), rollup::Gap>,
    /// How many months apart its periods are: 1 for months, 3 for quarters, 12 for years.
    step: u32,
}

/// Which inputs to read from the sources.
#[derive(Debug, Clone, Copy)]
pub enum Inputs<'a> {
    /// Every column, each an input of its own name, without aggregation (for tests and
    /// tools that have no definitions).
    Every,
    /// The inputs the definitions declare, each with its column and aggregate.
    Declared(&'a [(String, Arc<InputDecl>)]),
}

/// One input as the data step sees it.
struct Spec<'a> {
    name: &'a str,
    column: Option<&'a str>,
    aggregate: Option<Aggregate>,
    decl: Option<&'a InputDecl>,
}

impl<'a> Spec<'a> {
    /// What the input needs of its cells: yes/no words for a yes/no input, only presence for
    /// a count, else numbers.
    fn need(&self) -> Need {
        match (self.decl.map(|d| d.unit), self.aggregate) {
            (_, Some(Aggregate::Count)) => Need::Presence,
            (Some(Unit::Boolean), _) => Need::YesNo,
            _ => Need::Number,
        }
    }

    /// The columns this input reads, in order of preference: its `column`, or failing that a
    /// column spelled as itself (as `kpi data pull` writes). The one statement of the rule:
    /// what to read from the sources and which column each input takes are both derived here,
    /// for every source that does not map the input in its `columns` (which then gives the
    /// one column it reads there: see [`Inputs::mapped`]).
    fn columns(
        &self,
    ) -> std::iter::Chain<std::option::IntoIter<&'a str>, std::iter::Once<&'a str>> {
        self.column.into_iter().chain(std::iter::once(self.name))
    }

    /// The column of a table this input reads, by `index` (names to their index): the first
    /// of [`Spec::columns`] the table has, and how it is read.
    fn find(&self, index: &HashMap<&str, u32>) -> Option<(u32, Reading)> {
        let (k, n) = self
            .columns()
            .enumerate()
            .find_map(|(k, c)| Some((k, *index.get(c)?)))?;
        let reading = match (self.column.is_some_and(|c| c != self.name), k) {
            (false, _) => Reading::Own,
            (true, 0) => Reading::Column,
            (true, _) => Reading::Pulled,
        };
        Some((n, reading))
    }
}

/// How an input reads the column it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Its declared `column`, another name than its own: cells, aggregated as it says.
    Column,
    /// A column spelled as itself while it declares another `column`: the monthly table that
    /// `kpi data pull` writes, whose `count` cells are counts already.
    Pulled,
    /// A column spelled as itself, its only name: monthly when each month holds one cell
    /// written `YYYY-MM`.
    Own,
}

impl<'a> Inputs<'a> {
    fn specs(self, every: &'a [String]) -> Vec<Spec<'a>> {
        match self {
            Inputs::Declared(inputs) => inputs
                .iter()
                .map(|(name, decl)| Spec {
                    name,
                    column: decl.column.as_deref(),
                    aggregate: decl.aggregate,
                    decl: Some(decl),
                })
                .collect(),
            Inputs::Every => every
                .iter()
                .map(|name| Spec {
                    name,
                    column: None,
                    aggregate: None,
                    decl: None,
                })
                .collect(),
        }
    }

    /// What the inputs reading a column (or long-table name) need of its cells, or `None`
    /// when no input reads it; the inputs a source maps (`mapped`, its `columns`) read only
    /// the column it gives, found by the layout, and so are left out here.
    fn wanted(self, mapped: &[ColumnMapping]) -> impl Fn(&str) -> Option<Need> + 'a {
        let mut needs: HashMap<&str, Need> = HashMap::new();
        let specs = self.specs(&[]);
        let unmapped = specs
            .iter()
            .filter(|spec| mapped.iter().all(|m| m.input != spec.name));
        for spec in unmapped {
            let need = spec.need();
            for key in spec.columns() {
                let entry = needs.entry(key).or_insert(need);
                if need == Need::Number {
                    *entry = Need::Number;
                }
            }
        }
        let every = matches!(self, Inputs::Every);
        move |column| {
            if every {
                Some(Need::Number)
            } else {
                needs.get(column).copied()
            }
        }
    }

    /// A source's `columns`, each with what its input needs of the column's cells; the
    /// entries whose input no definition declares are left out (reported by
    /// [`Inputs::unknown_mapped`]).
    fn mapped(self, source: &'a SourceSpec) -> Vec<Mapped<'a>> {
        let specs = self.specs(&[]);
        let every = matches!(self, Inputs::Every);
        source
            .columns
            .iter()
            .filter_map(|m| {
                let spec = specs.iter().find(|s| s.name == m.input);
                let need = match spec {
                    Some(spec) => spec.need(),
                    None if every => Need::Number,
                    None => return None,
                };
                Some(Mapped {
                    input: &m.input,
                    column: &m.column,
                    need,
                    at: &m.column_at,
                })
            })
            .collect()
    }

    /// An error for each entry of a source's `columns` whose input no definition declares,
    /// at its key in `kpi.toml`, with the closest declared input.
    fn unknown_mapped(self, sources: &[SourceSpec]) -> Vec<Diagnostic> {
        let Inputs::Declared(inputs) = self else {
            return Vec::new();
        };
        let names = || inputs.iter().map(|(name, _)| name.as_str());
        sources
            .iter()
            .flat_map(|s| &s.columns)
            .filter(|m| names().all(|name| name != m.input))
            .map(|m| {
                Diagnostic::error(
                    Problem::UnknownMappedInput {
                        input: m.input.clone(),
                        suggestion: closest(&m.input, names()),
                    },
                    Some(m.input_at.clone()),
                )
            })
            .collect()
    }
}

impl Dataset {
    /// Reads every source and builds the dataset. Returns every problem found, not just the
    /// first, each source's kept short.
    pub fn load(sources: &[SourceSpec], inputs: Inputs<'_>) -> Result<Dataset, Diagnostics> {
        let unknown = inputs.unknown_mapped(sources);
        let tables = read_all(sources, SourceSpec::label, |source, problems| {
            let wanted = inputs.wanted(&source.columns);
            let alone = sources.len() == 1;
            read_source(source, &wanted, &inputs.mapped(source), alone, problems)
        });
        match tables {
            Ok(tables) if unknown.is_empty() => Self::from_tables(tables, inputs),
            Ok(_) => Err(Diagnostics(unknown)),
            Err(Diagnostics(more)) => Err(Diagnostics(unknown.into_iter().chain(more).collect())),
        }
    }

    /// Parses CSV texts already in memory, every column an input of its own name.
    pub fn from_files(files: &[SourceFile]) -> Result<Dataset, Diagnostics> {
        let wanted = Inputs::Every.wanted(&[]);
        let label = |file: &SourceFile| format!("`{}`", file.path().display());
        let tables = read_all(files, label, |file, problems| {
            let file = Arc::new(file.clone());
            let options = CsvOptions {
                alone: files.len() == 1,
                ..CsvOptions::default()
            };
            read_csv(file, &options, &wanted, problems)
        })?;
        Self::from_tables(tables, Inputs::Every)
    }

    /// Aggregates each table's rows to months, merges the tables and lays out the months.
    pub fn from_tables(mut tables: Vec<Table>, inputs: Inputs<'_>) -> Result<Dataset, Diagnostics> {
        let span = Span::of(&tables)?;
        // Every name of every table, sorted, when every column is an input.
        let every: Vec<String> = match inputs {
            Inputs::Every => tables
                .iter()
                .flat_map(|t| t.names.iter().cloned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            Inputs::Declared(_) => Vec::new(),
        };
        let specs = inputs.specs(&every);
        let mut merge = Merge::new(&span, specs.len(), tables.len());
        let mut diagnostics = Diagnostics::default();
        for k in 0..tables.len() {
            diagnostics.0.extend(merge.table(&mut tables, k, &specs));
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let mut warnings: Vec<Diagnostic> = tables.iter().flat_map(|t| t.notes.clone()).collect();
        warnings.extend(unread_columns(&tables, &merge.read));
        let missing = missing_columns(&tables, &specs, &merge.columns, &mut warnings);
        let Merge {
            present,
            columns,
            error_cells,
            ..
        } = merge;
        let error_cells = error_cells
            .into_iter()
            .map(|((i, t), cell)| ((specs[i].name.to_string(), t), cell))
            .collect();
        let columns = specs
            .iter()
            .zip(columns)
            .filter_map(|(spec, column)| Some((spec.name.to_string(), column?)))
            .collect();
        Ok(Dataset {
            months: span.months,
            present,
            columns,
            error_cells,
            warnings,
            missing,
            gaps: HashMap::new(),
            step: 1,
        })
    }

    /// Warnings about the data: columns no input reads, and inputs whose column is likely
    /// misspelt.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The warning that lists the inputs no source has a column for, if any (`kpi check`
    /// says it; evaluation gives each metric that needs one the reason).
    pub fn missing_inputs(&self) -> Option<&Diagnostic> {
        self.missing.as_ref()
    }

    /// Every calendar month from the first to the last in the data.
    pub fn months(&self) -> &[Period] {
        &self.months
    }

    /// Whether some source holds a row for month `t`.
    pub fn is_present(&self, t: MonthIndex) -> bool {
        self.present[t.get()]
    }

    /// The month at position `t`.
    pub fn month(&self, t: MonthIndex) -> Period {
        self.months[t.get()]
    }

    /// Every month's position, oldest first.
    pub fn month_indexes(
        &self,
    ) -> impl DoubleEndedIterator<Item = MonthIndex> + ExactSizeIterator + use<> {
        MonthIndex::first(self.months.len())
    }

    /// Rows present, per month.
    pub fn present(&self) -> &[bool] {
        &self.present
    }

    /// The length of its periods: months, or quarters or years once rolled up.
    pub fn grain(&self) -> rollup::Grain {
        rollup::Grain::of_step(self.step)
    }

    /// The position of `period` among [`Dataset::months`].
    pub fn month_index(&self, period: Period) -> Option<MonthIndex> {
        let since = period.months_since(*self.months.first()?);
        let step = i64::from(self.step);
        if since % step != 0 {
            return None;
        }
        let t = usize::try_from(since / step).ok()?;
        (t < self.months.len()).then_some(MonthIndex::new(t))
    }

    /// The latest month that a source holds.
    pub fn latest(&self) -> Option<Period> {
        let t = self.present.iter().rposition(|&p| p)?;
        Some(self.months[t])
    }

    /// Checks that `period` is a month some source holds.
    pub fn require(&self, period: Period) -> Result<MonthIndex, Diagnostic> {
        let (first, last) = (
            self.months[0],
            *self.months.last().expect("data is never empty"),
        );
        match self.month_index(period) {
            Some(t) if self.is_present(t) => Ok(t),
            Some(_) => Err(Diagnostic::error(
                Problem::PeriodInGap {
                    period,
                    first,
                    last,
                },
                None,
            )),
            None => Err(Diagnostic::error(
                Problem::PeriodNotInData {
                    period,
                    first,
                    last,
                },
                None,
            )),
        }
    }

    /// The monthly values of an input (NaN where missing), if some source has its column.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns.get(name).map(Vec::as_slice)
    }

    /// The error cell (`#DIV/0!`) behind input `name`'s missing value in month `t`, if any:
    /// `suivi.xlsx:KPI!D4 `#DIV/0!``.
    pub fn error_cell(&self, name: &str, t: MonthIndex) -> Option<&str> {
        self.error_cells
            .get(&(name.to_string(), t.get()))
            .map(String::as_str)
    }

    /// The monthly table as CSV: `period`, then one column per input that some source has,
    /// by name; one row per month some source holds. Numbers are written in the shortest form
    /// that reads back as the same value, so that evaluating this file gives the same values.
    pub fn to_csv(&self) -> String {
        let mut out = Vec::new();
        self.write_csv(&mut out)
            .expect("writing into memory cannot fail");
        String::from_utf8(out).expect("the table is UTF-8: names and numbers")
    }

    /// [`Dataset::to_csv`], written to `out` as it is made (eight months at a time), so that
    /// a wide table's text is never held whole: `kpi data pull`. The months are written on
    /// every core, a group of eight on each, and their text placed in order.
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        // The values are stored by column and written by row: a wide table's next value is in
        // another array, a cache miss each. So months are taken eight at a time, each column's
        // eight values (one cache line) copied into a block laid out by row, then written.
        const MONTHS: usize = 8;
        let mut header = String::from("period");
        for name in self.columns.keys() {
            header.push(',');
            header.push_str(name);
        }
        header.push('\n');
        out.write_all(header.as_bytes())?;
        let columns: Vec<&[f64]> = self.columns.values().map(Vec::as_slice).collect();
        let width = columns.len();
        let present: Vec<usize> = (0..self.months.len())
            .filter(|&t| self.present[t])
            .collect();
        let groups: Vec<&[usize]> = present.chunks(MONTHS).collect();
        // A group's text and block are used again once it is written (fresh memory costs a
        // page fault a page), and a text is sized from its first row (rows of one table are
        // alike), not grown by doubling, a copy each time.
        let spare: Mutex<Vec<(Vec<u8>, Vec<f64>)>> = Mutex::new(Vec::new());
        let write = |piece: &[&[usize]]| {
            let reused = spare.lock().ok().and_then(|mut spare| spare.pop());
            let (mut text, mut block) = reused.unwrap_or_default();
            text.clear();
            block.clear();
            block.resize(MONTHS * width, f64::NAN);
            for months in piece {
                for (c, column) in columns.iter().enumerate() {
                    for (j, &t) in months.iter().enumerate() {
                        block[j * width + c] = column[t];
                    }
                }
                for (j, &t) in months.iter().enumerate() {
                    // A rolled-up table names its periods as `--period` does: `2026-Q3`, `2026`.
                    text.extend_from_slice(self.grain().label(self.months[t]).as_bytes());
                    for &value in &block[j * width..(j + 1) * width] {
                        text.push(b',');
                        if !value.is_nan() {
                            crate::numbers::push_round_trip(value, &mut text);
                        }
                    }
                    text.push(b'\n');
                    if j == 0 {
                        text.reserve(text.len() * (months.len() - 1) * 9 / 8);
                    }
                }
            }
            (text, block)
        };
        std::thread::scope(|scope| {
            // The groups are made on every core, driven by a thread of their own, while this
            // one writes each as it comes: writing overlaps making. A failed write drops the
            // receiver, which stops the making.
            let (made, written) = std::sync::mpsc::sync_channel(1);
            let (groups, write) = (&groups, &write);
            scope.spawn(move || {
                for group in in_order(groups, 1, write) {
                    if made.send(group).is_err() {
                        break;
                    }
                }
            });
            for (text, block) in written {
                out.write_all(&text)?;
                if let Ok(mut spare) = spare.lock() {
                    spare.push((text, block));
                }
            }
            Ok(())
        })
    }
}

/// The run of months the tables span, from the first month some table holds to the last.
struct Span {
    months: Vec<Period>,
    /// The ordinal of the first month.
    origin: i64,
}

impl Span {
    /// The span of `tables`: an error when they hold no row, or when the span is longer than
    /// the limit (checked before any column is allocated, so that two far-apart rows cannot
    /// exhaust memory).
    fn of(tables: &[Table]) -> Result<Span, Diagnostics> {
        // The first and last months, each with where a row holds it (and its table).
        let first = tables
            .iter()
            .filter_map(|t| Some((t.first?, t)))
            .min_by_key(|((p, _), _)| *p);
        let last = tables
            .iter()
            .filter_map(|t| Some((t.last?, t)))
            .max_by_key(|((p, _), _)| *p);
        let (Some(((first, first_at), first_table)), Some(((last, last_at), last_table))) =
            (first, last)
        else {
            let sources = tables.iter().map(Table::label).collect();
            let empty = Diagnostic::error(Problem::EmptyData { sources }, None);
            return Err(Diagnostics(vec![empty]));
        };
        let len = usize::try_from(last.months_since(first)).unwrap_or(0) + 1;
        if len > MAX_DATA_MONTHS {
            let at = |t: &Table, at: u32| format!("{} {} {}", t.label(), t.line_word(), t.line(at));
            let span = Diagnostic::error(
                Problem::DataSpan {
                    first,
                    first_at: at(first_table, first_at),
                    last,
                    last_at: at(last_table, last_at),
                    months: len,
                    limit: MAX_DATA_MONTHS,
                },
                None,
            );
            return Err(Diagnostics(vec![span]));
        }
        let months = (0..len)
            .filter_map(|i| first.add_months(i as i64))
            .collect();
        Ok(Span {
            months,
            origin: first.ordinal(),
        })
    }

    /// The index of the month of `ordinal`.
    fn index(&self, ordinal: i64) -> usize {
        (ordinal - self.origin) as usize
    }
}

/// An input found in a table: which input, how it reads, which of the table's series holds
/// it, and whether that series holds a value per month or rows to aggregate.
#[derive(Clone, Copy)]
struct Wanted<'a, 's> {
    input: usize,
    spec: &'a Spec<'s>,
    series: u32,
    reading: Reading,
}

/// The tables being merged into one column per input.
struct Merge<'s> {
    span: &'s Span,
    /// Whether some table has a row, per month.
    present: Vec<bool>,
    /// Each input's monthly values, once some table has its column.
    columns: Vec<Option<Vec<f64>>>,
    /// Which table gave each input's value for each month, for the error on a second one
    /// (empty until the input has a value, and with a single table).
    given: Vec<Vec<u32>>,
    /// Per table, the names some input read.
    read: Vec<BTreeSet<u32>>,
    /// Error cells behind missing values: input and month → where and which error.
    error_cells: HashMap<(usize, usize), String>,
}

impl<'s> Merge<'s> {
    fn new(span: &'s Span, inputs: usize, tables: usize) -> Self {
        Self {
            span,
            present: vec![false; span.months.len()],
            columns: vec![None; inputs],
            given: vec![Vec::new(); inputs],
            read: vec![BTreeSet::new(); tables],
            error_cells: HashMap::new(),
        }
    }

    /// Adds table `k`'s months and cells, freeing them as it goes; returns its problems,
    /// kept short.
    fn table(&mut self, tables: &mut [Table], k: usize, specs: &[Spec<'_>]) -> Vec<Diagnostic> {
        let table = &tables[k];
        for (ordinal, &here) in table.present.iter() {
            self.present[self.span.index(ordinal)] |= here;
        }
        let index: HashMap<&str, u32> = table
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i as u32))
            .collect();
        let mut problems = Problems::default();
        // A long table's mapped name that no row has: the source lacks it (a wide table's
        // missing column was reported from its header).
        for mapped in table.mapped.iter().filter(|m| m.name.is_none()) {
            let names = table.names.iter().chain(&table.ignored);
            problems.push(missing_mapped(table, mapped, true, names));
        }
        let mut found: Vec<(usize, u32, Reading)> = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let name = match table.mapped.iter().find(|m| m.input == spec.name) {
                Some(mapped) => mapped.name.map(|n| {
                    let own = table.names[n as usize] == spec.name;
                    (n, if own { Reading::Own } else { Reading::Column })
                }),
                None => spec.find(&index),
            };
            if let Some((n, reading)) = name {
                found.push((i, n, reading));
            }
        }
        // A name's cells are freed once its last reader has its values, so that the states
        // and the merged columns are not all held at once.
        let mut last_reader: HashMap<u32, usize> = HashMap::new();
        for &(i, n, _) in &found {
            last_reader.insert(n, i);
        }
        let label = table.label();
        for (i, n, reading) in found {
            self.read[k].insert(n);
            let wanted = Wanted {
                input: i,
                spec: &specs[i],
                series: n,
                reading,
            };
            // The name's last reader takes its months, whose array becomes the input's
            // column when no other table can give it values.
            let last = last_reader[&n] == i;
            self.series(tables, k, &wanted, last, &mut problems);
            if last {
                tables[k].release(n);
            }
        }
        problems.finish(label)
    }

    /// Adds an input's values from one series of table `k`; `last` when no other input reads
    /// the series, which may then be taken.
    fn series(
        &mut self,
        tables: &mut [Table],
        k: usize,
        wanted: &Wanted<'_, '_>,
        last: bool,
        problems: &mut Problems,
    ) {
        let Wanted {
            input: i,
            series: n,
            reading,
            ..
        } = *wanted;
        let monthly = match reading {
            Reading::Column => false,
            Reading::Pulled => true,
            Reading::Own => tables[k].series[n as usize].monthly(),
        };
        let len = self.span.months.len();
        let span = self.span;
        let given = &mut self.given[i];
        let column = match self.columns[i].take() {
            // The only source, and the series' last reader: its months' array, worth the
            // same bytes, becomes the column in place (a wide table's columns are then never
            // held beside its cells).
            None if last && tables.len() == 1 => {
                let series = tables[k].take_series(n);
                let tables = &*tables;
                let rule = (wanted.spec.aggregate, monthly);
                let (start, mut values) = series.into_values(rule, |ordinal, acc| {
                    let at = (k, ordinal, monthly);
                    let state = State::Many(acc);
                    month_value(tables, given, span, wanted, at, state, problems)
                        .unwrap_or(f64::NAN)
                });
                if values.is_empty() {
                    vec![f64::NAN; len]
                } else {
                    values.splice(0..0, std::iter::repeat_n(f64::NAN, span.index(start)));
                    values.resize(len, f64::NAN);
                    values
                }
            }
            column => {
                let mut column = column.unwrap_or_else(|| vec![f64::NAN; len]);
                for (ordinal, state) in tables[k].states(n) {
                    let at = (k, ordinal, monthly);
                    if let Some(value) =
                        month_value(tables, given, span, wanted, at, state, problems)
                    {
                        column[span.index(ordinal)] = value;
                    }
                }
                column
            }
        };
        let column = self.columns[i].insert(column);
        let table = &tables[k];
        let spec = wanted.spec;
        for (_, ordinal, cell) in table.error_cells.iter().filter(|(name, ..)| *name == n) {
            let t = self.span.index(*ordinal);
            if column[t].is_nan() {
                self.error_cells
                    .entry((i, t))
                    .or_insert_with(|| cell.clone());
            }
        }
        // A checklist marks a yes with `x` and a no with an empty cell: in a month this table
        // has rows, an empty cell of a yes/no column marked `x` elsewhere is a no. It gives no
        // value of its own (another source may hold the month's answer), and an error cell
        // stays missing. A column written `yes`/`no` (or 1/0, as `kpi data pull` writes) says
        // its noes, so its empty cells are missing values.
        if spec.need() == Need::YesNo && table.checklists.contains(&n) {
            for (ordinal, &here) in table.present.iter() {
                let t = self.span.index(ordinal);
                if here && column[t].is_nan() && !self.error_cells.contains_key(&(i, t)) {
                    column[t] = 0.0;
                }
            }
        }
    }
}

/// The value that table `k` gives the input `wanted` in month `ordinal` (`monthly` when its
/// series holds a value per month), from the series' state there; none, said in `problems`,
/// when the month has two values and no aggregate, or when another table gave it already.
fn month_value(
    tables: &[Table],
    given: &mut Vec<u32>,
    span: &Span,
    wanted: &Wanted<'_, '_>,
    (k, ordinal, monthly): (usize, i64, bool),
    acc: State<'_>,
    problems: &mut Problems,
) -> Option<f64> {
    let (i, spec, table) = (wanted.input, wanted.spec, &tables[k]);
    let word = table.line_word();
    let t = span.index(ordinal);
    let period = span.months[t];
    if acc.count() > 1 && spec.aggregate.is_none() {
        let lines = (table.line(acc.first_at().0), table.line(acc.second_at().0));
        let key = format!("two values {i}");
        problems.repeat(&key, lines.1, "month", word, || {
            Diagnostic::error(
                Problem::TwoValues {
                    input: spec.name.to_string(),
                    period,
                    lines,
                    line_word: word,
                },
                Some(table.locate(acc.second_at())),
            )
        });
        return None;
    }
    // A second source's value for the month: only several tables can have one.
    if tables.len() > 1 {
        if given.is_empty() {
            *given = vec![u32::MAX; span.months.len()];
        }
        if given[t] != u32::MAX {
            let other = tables[given[t] as usize].label();
            let line = table.line(acc.first_at().0);
            let key = format!("duplicate {i} {}", given[t]);
            problems.repeat(&key, line, "month", word, || {
                Diagnostic::error(
                    Problem::DuplicateCell {
                        input: spec.name.to_string(),
                        period,
                        other,
                    },
                    Some(table.locate(acc.first_at())),
                )
            });
            return None;
        }
        given[t] = k as u32;
    }
    Some(acc.value(spec.aggregate, monthly))
}

/// A warning per table that has columns (or long-table names) no input reads: those it
/// listed as unread, then those of its names no input took (`read`, per table).
fn unread_columns(tables: &[Table], read: &[BTreeSet<u32>]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (k, table) in tables.iter().enumerate() {
        let mut unread = table.ignored.clone();
        unread.extend(
            (0..table.names.len() as u32)
                .filter(|n| !read[k].contains(n))
                .map(|n| table.names[n as usize].clone()),
        );
        if !unread.is_empty() {
            warnings.push(Diagnostic::warning(
                Problem::UnreadColumns {
                    from: table.label(),
                    columns: unread,
                },
                table.ignored_at.clone(),
            ));
        }
    }
    warnings
}

/// The inputs no table has a column for: a warning each, in `warnings`, when an unread column
/// is likely the one meant; one warning listing the others.
fn missing_columns(
    tables: &[Table],
    specs: &[Spec<'_>],
    columns: &[Option<Vec<f64>>],
    warnings: &mut Vec<Diagnostic>,
) -> Option<Diagnostic> {
    let unread_everywhere: Vec<&str> = tables
        .iter()
        .flat_map(|t| t.ignored.iter().map(String::as_str))
        .collect();
    let mut missing = Vec::new();
    for (spec, column) in specs.iter().zip(columns) {
        if column.is_some() {
            continue;
        }
        let wanted = spec.column.unwrap_or(spec.name);
        match closest(wanted, unread_everywhere.iter().copied()) {
            Some(suggestion) => warnings.push(Diagnostic::warning(
                Problem::NoColumnForInput {
                    input: spec.name.to_string(),
                    column: wanted.to_string(),
                    suggestion: Some(suggestion),
                },
                spec.decl.map(|d| d.column_at()),
            )),
            None => missing.push(spec.name.to_string()),
        }
    }
    (!missing.is_empty())
        .then(|| Diagnostic::warning(Problem::InputsWithoutColumn { inputs: missing }, None))
}

/// Reads every source with `read`, keeping each one's problems short; every problem of every
/// source is returned, not just the first source's.
fn read_all<T>(
    sources: &[T],
    label: impl Fn(&T) -> String,
    read: impl Fn(&T, &mut Problems) -> Option<Table>,
) -> Result<Vec<Table>, Diagnostics> {
    if sources.is_empty() {
        return Err(Diagnostics(vec![Diagnostic::error(Problem::NoData, None)]));
    }
    let mut diagnostics = Diagnostics::default();
    let mut tables = Vec::new();
    for source in sources {
        let mut problems = Problems::default();
        let table = read(source, &mut problems);
        let failed = problems.has_errors();
        let found = problems.finish(label(source));
        match table {
            // A source read whole keeps its warnings and notes, said with the data's.
            Some(mut table) if !failed => {
                table.notes.extend(found);
                tables.push(table);
            }
            _ => diagnostics.0.extend(found),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(tables)
}

/// Reads one source into a table.
fn read_source(
    source: &SourceSpec,
    wanted: &dyn Fn(&str) -> Option<Need>,
    mapped: &[Mapped<'_>],
    alone: bool,
    problems: &mut Problems,
) -> Option<Table> {
    let csv_options = CsvOptions {
        alone,
        period: source.period.as_deref(),
        date_order: source.date_order,
        long: source.long.as_ref().map(|(n, v)| (n.as_str(), v.as_str())),
        ignore: &source.ignore,
        columns: mapped,
        decimal: source.decimal,
        skip: &source.skip,
    };
    let read_file = |bytes: Vec<u8>, path: &std::path::Path, problems: &mut Problems| {
        // A workbook, a PDF or an archive is named for what it is, not "not text".
        if let Some(kind) = binary::sniff(&bytes) {
            let path = path.to_path_buf();
            problems.push(Diagnostic::error(Problem::BinaryData { path, kind }, None));
            return None;
        }
        match encoding::decode(bytes) {
            Some(text) => Some(Arc::new(SourceFile::new(path, text))),
            None => {
                problems.push(Diagnostic::error(
                    Problem::UnknownEncoding {
                        path: path.to_path_buf(),
                    },
                    None,
                ));
                None
            }
        }
    };
    match &source.kind {
        SourceKind::Csv(path) => {
            // A folder is named as such, at its entry in `kpi.toml`, rather than with the
            // system's "Is a directory".
            if path.is_dir() {
                problems.push(Diagnostic::error(
                    Problem::DataIsAFolder { path: path.clone() },
                    source.location.clone(),
                ));
                return None;
            }
            let bytes = read_bytes(path, MAX_DATA_BYTES)
                .map_err(|mut d| {
                    if d.location.is_none() {
                        d.location = source.location.clone().map(Box::new);
                    }
                    problems.push(d);
                })
                .ok()?;
            let file = read_file(bytes, path, problems)?;
            read_csv(file, &csv_options, wanted, problems)
        }
        SourceKind::Stdin => {
            let path = std::path::Path::new("<stdin>");
            let bytes = read_limited(std::io::stdin(), path, MAX_DATA_BYTES)
                .map_err(|d| problems.push(d))
                .ok()?;
            let file = read_file(bytes, path, problems)?;
            read_csv(file, &csv_options, wanted, problems)
        }
        SourceKind::Sqlite {
            path,
            query,
            timeout,
        } => sqlite::read(source, path, query, timeout, wanted, mapped, problems),
        #[cfg(feature = "excel")]
        SourceKind::Workbook { path, sheet, range } => workbook::read(
            source,
            path,
            sheet.as_deref(),
            *range,
            wanted,
            mapped,
            problems,
        ),
        #[cfg(not(feature = "excel"))]
        SourceKind::Workbook { path, .. } => {
            problems.push(Diagnostic::error(
                Problem::Workbook(crate::diagnostic::WorkbookProblem::NotBuilt {
                    path: path.clone(),
                }),
                source.location.clone(),
            ));
            None
        }
        #[cfg(feature = "postgres")]
        SourceKind::Postgres {
            variable,
            query,
            timeout,
        } => postgres::read(source, variable, query, timeout, wanted, mapped, problems),
        #[cfg(not(feature = "postgres"))]
        SourceKind::Postgres { .. } => {
            problems.push(Diagnostic::error(
                Problem::PostgresNotBuilt {
                    from: source.label(),
                },
                Some(query::entry(source)),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Built without the `excel` feature (`.ci/run` tests kpi-core so), a workbook source is
    /// an error that names the feature.
    #[cfg(not(feature = "excel"))]
    #[test]
    fn a_workbook_without_the_excel_feature_names_it() {
        let source = SourceSpec::csv("suivi.xlsx".into());
        let e = Dataset::load(&[source], Inputs::Every).unwrap_err();
        assert_eq!(
            e.0[0].to_string(),
            "`suivi.xlsx` is a workbook, and this build of kpi reads none"
        );
        assert!(e.0[0].problem.help().unwrap().contains("`excel` feature"));
    }

    fn load(text: &str) -> Result<Dataset, Vec<String>> {
        Dataset::from_files(&[SourceFile::new("d.csv", text)]).map_err(|d| {
            d.0.iter()
                .map(|d| format!("{d} ({})", d.problem.help().unwrap_or_default()))
                .collect()
        })
    }

    #[test]
    fn reads_plain_csv() {
        let d = load("period,a,b\n2026-01,3,4\n2026-03,,5.5\n").unwrap();
        assert_eq!(d.months().len(), 3);
        assert_eq!(d.present(), [true, false, true]);
        assert_eq!(d.column("a").unwrap()[0], 3.0);
        assert!(d.column("a").unwrap()[2].is_nan());
        assert_eq!(d.column("b").unwrap()[2], 5.5);
        assert_eq!(d.latest(), Some("2026-03".parse().unwrap()));
    }

    #[test]
    fn reads_spreadsheet_exports() {
        let d = load("\u{feff}period;a;b\r\n2026-01; 1234,5 ;\"7\"\r\n").unwrap();
        assert_eq!(d.column("a").unwrap()[0], 1234.5);
        assert_eq!(d.column("b").unwrap()[0], 7.0);
        let d = load("period,a\n\"2026-01\",\"  \"\n").unwrap();
        assert!(d.column("a").unwrap()[0].is_nan());
    }

    #[test]
    fn bad_cells_are_located() {
        let errs = load("period,a,b\n2026-01,1,12 %\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "d.csv:2:11: cell `12 %` for input `b` is not a number (remove the `%`: write the percentage as a plain number, `12`)"
            ]
        );
        for bad in [
            "N/A", "NaN", "inf", "1e999", "0x10", "1 234", "1,5", "abc", "1.2.3", "--1", "1e",
        ] {
            assert!(
                load(&format!("period,a\n2026-01,{bad}\n")).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_and_repeated_periods() {
        let errs = load("period,a\nQ4 2026,1\n2026-13,2\n2026-01,1\n2026-01,2\n").unwrap_err();
        // Both bad periods are one problem, said once; the repeated month is another.
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("d.csv:2:1: period `Q4 2026` is not a month nor a date"),
            "{errs:?}"
        );
        let errs = load("period,a\n2026-01,1\n2026-01,2\n").unwrap_err();
        assert!(
            errs[0].starts_with("d.csv:3:9: input `a` has two values for 2026-01 (lines 2 and 3)"),
            "{errs:?}"
        );
    }

    #[test]
    fn merges_files_and_rejects_conflicts() {
        let a = SourceFile::new("a.csv", "period,x\n2026-01,1\n");
        let b = SourceFile::new("b.csv", "period,y\n2026-01,2\n2026-02,3\n");
        let d = Dataset::from_files(&[a.clone(), b]).unwrap();
        assert_eq!(d.column("y").unwrap(), [2.0, 3.0]);
        let c = SourceFile::new("c.csv", "period,x\n2026-01,5\n");
        let errs = Dataset::from_files(&[a, c]).unwrap_err();
        assert_eq!(
            errs.0[0].to_string(),
            "c.csv:2:9: input `x` for 2026-01 is also given in `a.csv`"
        );
    }

    #[test]
    fn far_apart_months_are_refused_before_allocating() {
        let errs = load("period,a\n1000-01,1\n9999-12,2\n").unwrap_err();
        assert_eq!(
            errs,
            [
                "the data spans 108000 months, from 1000-01 (`d.csv` line 2) to 9999-12 (`d.csv` line 3), more than the limit of 1200 (keep one file per period of up to 100 years; check the periods for typos)"
            ]
        );
    }

    #[test]
    fn positions_point_at_the_cell() {
        let errs = load("period,a\n2026-01,\"1,5\"\n").unwrap_err();
        assert!(errs[0].starts_with("d.csv:2:9: cell `1,5`"), "{errs:?}");
        let a = SourceFile::new("a.csv", "period,x,y\n2026-01,1,2\n");
        let b = SourceFile::new("b.csv", "period,y\n2026-01,5\n");
        let errs = Dataset::from_files(&[a, b]).unwrap_err();
        assert_eq!(errs.0[0].location.as_ref().unwrap().column, 9);
    }

    #[test]
    fn missing_period_names_the_range() {
        let d = load("period,a\n2026-01,1\n2026-03,1\n").unwrap();
        let err = d.require("2026-02".parse().unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no data source has a row for 2026-02, a gap in the data from 2026-01 to 2026-03"
        );
        let err = d.require("2027-01".parse().unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "period 2027-01 is not in the data, which covers 2026-01 to 2026-03"
        );
        assert!(d.require("2027-01".parse().unwrap()).is_err());
        assert_eq!(d.require("2026-03".parse().unwrap()).unwrap().get(), 2);
    }
}
