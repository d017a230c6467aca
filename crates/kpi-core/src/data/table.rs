//! The source-agnostic form every reader produces: for each column (or long-table name) that
//! some input reads, the month-by-month running state of its non-empty cells, and which months
//! have rows.
//!
//! Cells are combined into their month as they are read rather than kept one by one: a daily
//! export of millions of cells costs memory in proportion to its months, not its cells.
//!
//! A name's month is an 8-byte [`Slot`]: empty, or the value of the one cell it has, which is
//! all a table that holds each month once ever needs — a wide monthly table of thousands of
//! columns costs 8 bytes a cell. Where a lone cell is (for messages) is kept beside it only
//! when it may be needed ([`Table::keep_places`]): the one message that points at a lone cell
//! is about another source's value for its month. A month with more than one row moves the
//! cells of its names to an [`Accumulator`] that keeps every aggregate at once (sum, count,
//! min, max, first, last), so that the inputs reading a column may each pick their own, and
//! where its first two values are, for the messages that need them. A reader that knows how
//! many months a table can hold at most (a wide file's rows) says so, and each name's slots
//! are sized once; merging frees each name's slots as soon as the inputs reading it have
//! their values, or makes them the values of the one input reading them, in place. A table of
//! many names can stage its rows' cells row by row and hand them over a block at a time
//! ([`Table::stage_rows`]), which touches each name's state once per block, not once per row.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::data::aggregate::Accumulator;
use crate::data::date::Stamp;
use crate::diagnostic::Diagnostic;
use crate::input::Aggregate;
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
    /// The rows of each month.
    pub(crate) months: Months<Month>,
    /// The most months a name can have, when the reader knows it (a wide file's rows): each
    /// name's slots are sized once for them.
    pub(crate) months_hint: usize,
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
    /// Whether a lone cell's position is kept from now on (16 bytes a month rather than 8).
    /// Only a message about a month that another source also gives points at a lone cell, so
    /// a source read alone keeps none; the line of a lone cell that becomes one of two (for
    /// the message about two values in a month) is then its row's, which the reader makes
    /// sure of by keeping places once a record spans lines.
    pub(crate) keep_places: bool,
    /// The cells of the rows read last, row by row, when [`Table::stage_rows`] asked for it.
    staged: Staged,
}

/// Cells kept row by row and handed to their names a block of rows at a time.
///
/// A wide table's row has a cell for each of thousands of names, and each name's months are
/// an array of their own: adding a row's cells as they come touches a cache line of every
/// name's state and of every name's array, one miss each. Kept by row, a block of rows is
/// written in the order it is read and then handed over name by name, each name's slots
/// written one after another. The cells of one name are added in the order of their rows,
/// as they would have been, so the result is the same; only the order among names changes,
/// and names are independent.
#[derive(Debug, Default)]
struct Staged {
    /// Names a row has: the table's names when staging began (0: not staging).
    width: usize,
    /// Rows a block holds before it is handed over.
    block: usize,
    /// The rows staged, in order.
    rows: Vec<RowAt>,
    /// `rows.len()` × `width` cells, row by row; [`EMPTY`] where a row has none.
    cells: Vec<Cell>,
}

/// The size of a block of staged cells: a few rows of the widest tables, up to
/// [`STAGED_ROWS`] rows of narrower ones.
const STAGED_BYTES: usize = 2 << 20;
/// The most rows staged at once (a test stages three, so that every test file crosses
/// blocks).
#[cfg(not(test))]
const STAGED_ROWS: usize = 256;
#[cfg(test)]
const STAGED_ROWS: usize = 3;
/// The fewest names for which staging pays (every wide table in a test).
#[cfg(not(test))]
const STAGED_WIDTH: usize = 64;
#[cfg(test)]
const STAGED_WIDTH: usize = 1;

/// The fewest names a thread hands a block of cells over for: fewer do not pay for starting
/// it (one in tests, so that every test table with two names or more is handed over on
/// several threads).
#[cfg(not(test))]
const HANDED_AT_A_TIME: usize = 512;
#[cfg(test)]
const HANDED_AT_A_TIME: usize = 1;

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
    /// Whether it is the first row of its month read so far.
    first_in_month: bool,
}

/// One name's cells, month by month.
#[derive(Debug, Default)]
pub(crate) struct Series {
    months: Months<Slot>,
    /// Where each month's lone cell is, when the table keeps it ([`Table::keep_places`]).
    places: Months<Place>,
    /// The accumulators of its months with more than one row, which slots point at.
    spill: Vec<Accumulator>,
    /// Whether every cell's period was written as a month (`YYYY-MM`).
    month_only: bool,
    /// Whether some month has two cells or more.
    crowded: bool,
}

/// A name's state in one month, 8 bytes: empty, the value of its one cell, or the index of
/// the accumulator of a month with more than one row. The two last are NaNs that no cell's
/// value is: a NaN value (a column only counted) is stored as Rust's own `f64::NAN`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot(u64);

/// A signalling NaN: a month without a cell.
const EMPTY_SLOT: u64 = 0x7ff4_0000_0000_0000;
/// A signalling NaN whose low 32 bits are the index of the month's accumulator.
const MANY_SLOT: u64 = 0x7ff5_0000_0000_0000;
const MANY_MASK: u64 = 0xffff_ffff_0000_0000;

/// What a [`Slot`] holds.
enum Held {
    Empty,
    One(f64),
    Many(u32),
}

impl Slot {
    fn one(value: f64) -> Slot {
        Slot(if value.is_nan() { f64::NAN } else { value }.to_bits())
    }

    fn many(index: u32) -> Slot {
        Slot(MANY_SLOT | u64::from(index))
    }

    fn held(self) -> Held {
        match self.0 {
            EMPTY_SLOT => Held::Empty,
            bits if bits & MANY_MASK == MANY_SLOT => Held::Many(bits as u32),
            bits => Held::One(f64::from_bits(bits)),
        }
    }
}

impl Default for Slot {
    fn default() -> Self {
        Slot(EMPTY_SLOT)
    }
}

/// Where a lone cell is; [`Place::UNKNOWN`] for one added while places were not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place(u32, u32);

impl Place {
    const UNKNOWN: Place = Place(u32::MAX, u32::MAX);
}

impl Default for Place {
    fn default() -> Self {
        Place::UNKNOWN
    }
}

/// A staged cell: its value and where it is; [`EMPTY`] as its length when the row has none.
#[derive(Debug, Clone, Copy)]
struct Cell {
    value: f64,
    at: u32,
    len: u32,
}

/// [`Cell::len`] of a row without the name's cell.
const EMPTY: u32 = u32::MAX;

impl Default for Cell {
    fn default() -> Self {
        Self {
            value: 0.0,
            at: 0,
            len: EMPTY,
        }
    }
}

/// One month of a table: how many rows it has, and the key and position of the first one
/// (the key of every one-cell slot, which came from it).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Month {
    rows: u32,
    first_key: (i64, u32),
    first_at: u32,
}

/// A name's cells in one month, as merging reads them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum State<'a> {
    /// One cell: its value and where it is.
    One(f64, (u32, u32)),
    /// Two cells or more, or one from a month with several rows.
    Many(&'a Accumulator),
}

impl State<'_> {
    /// How many non-empty cells the month has.
    pub(crate) fn count(&self) -> u32 {
        match self {
            State::One(..) => 1,
            State::Many(acc) => acc.count,
        }
    }

    /// Where its first cell (in table order) is.
    pub(crate) fn first_at(&self) -> (u32, u32) {
        match self {
            State::One(_, at) => *at,
            State::Many(acc) => acc.first_at,
        }
    }

    /// Where its second cell is, when it has one.
    pub(crate) fn second_at(&self) -> (u32, u32) {
        match self {
            State::One(_, at) => *at,
            State::Many(acc) => acc.second_at,
        }
    }

    /// The month's value by `aggregate`, as [`Accumulator::value`] gives it.
    pub(crate) fn value(&self, aggregate: Option<Aggregate>, monthly: bool) -> f64 {
        match self {
            State::One(v, _) => lone_value(*v, aggregate, monthly),
            State::Many(acc) => acc.value(aggregate, monthly),
        }
    }
}

/// What a month of one cell, `value`, is worth by `aggregate`: what an accumulator of that one
/// value gives (a test holds them together), without making one. A sum of `-0` is `0`, its
/// minimum `-0`; a value that is no finite number is none, and counts 1.
fn lone_value(value: f64, aggregate: Option<Aggregate>, monthly: bool) -> f64 {
    if !value.is_finite() {
        return match aggregate {
            Some(Aggregate::Count) => 1.0,
            _ => f64::NAN,
        };
    }
    match aggregate {
        None | Some(Aggregate::Sum | Aggregate::Mean) => value + 0.0,
        Some(Aggregate::Min | Aggregate::Max | Aggregate::First | Aggregate::Last) => value,
        // A monthly table's count cell is the count.
        Some(Aggregate::Count) if monthly => value + 0.0,
        Some(Aggregate::Count) => 1.0,
    }
}

impl Series {
    /// A cell of this series in `row`, one of the table's `months` (each name's slots sized
    /// once for `hint` months); its position kept, for a lone cell, when `keep_places`.
    ///
    /// The first cell of a month's first row, in a month the series has or the one after its
    /// last (every cell of a monthly table, read in order), is stored here; anything else is
    /// [`Series::add_any`]'s.
    #[inline]
    fn add(
        &mut self,
        table_months: &Months<Month>,
        (hint, keep_places): (usize, bool),
        row: &RowAt,
        value: f64,
        place: (u32, u32),
    ) {
        if row.first_in_month && !keep_places {
            let months = &mut self.months;
            let i = row.ordinal.wrapping_sub(months.start) as usize;
            let len = months.items.len();
            if i < len && matches!(months.items[i].held(), Held::Empty) {
                months.items[i] = Slot::one(value);
                self.month_only &= row.month_only;
                return;
            }
            if i == len && len > 0 && len < months.items.capacity() && len < MAX_DATA_MONTHS {
                months.items.push(Slot::one(value));
                self.month_only &= row.month_only;
                return;
            }
        }
        self.add_any(table_months, (hint, keep_places), row, value, place);
    }

    /// [`Series::add`], for any cell.
    #[inline(never)]
    fn add_any(
        &mut self,
        table_months: &Months<Month>,
        (hint, keep_places): (usize, bool),
        row: &RowAt,
        value: f64,
        (at, len): (u32, u32),
    ) {
        // `add_row` has made this month.
        let Some(month) = table_months.get(row.ordinal) else {
            return;
        };
        let Series {
            months,
            places,
            spill,
            month_only,
            crowded,
        } = self;
        *month_only &= row.month_only;
        if months.items.is_empty() {
            months.items.reserve_exact(hint);
            if keep_places {
                places.items.reserve_exact(hint);
            }
        }
        let Some(slot) = months.get_or_make(row.ordinal) else {
            return;
        };
        // A month's accumulator, kept in the spill, that the slot points at.
        let mut spilled = |acc: Accumulator| {
            spill.push(acc);
            Slot::many(spill.len() as u32 - 1)
        };
        match slot.held() {
            // The month's first row: its key is the month's.
            Held::Empty if row.first_in_month => {
                *slot = Slot::one(value);
                if keep_places && let Some(place) = places.get_or_make(row.ordinal) {
                    *place = Place(at, len);
                }
            }
            // A later row of a month: an accumulator, which keeps its key.
            Held::Empty => {
                let mut acc = Accumulator::default();
                acc.add(value, row.key, (at, len));
                *slot = spilled(acc);
            }
            Held::Many(index) => {
                let acc = &mut spill[index as usize];
                acc.add(value, row.key, (at, len));
                *crowded |= acc.count > 1;
            }
            // A second cell: the first one, from the month's first row, and this one.
            Held::One(first) => {
                let first_at = lone_place(places, month, row.ordinal);
                let mut acc = Accumulator::default();
                acc.add(first, month.first_key, first_at);
                acc.add(value, row.key, (at, len));
                *crowded = true;
                *slot = spilled(acc);
            }
        }
    }
}

/// Where the lone cell of month `ordinal` is: kept in `places`, or else the month's first row,
/// which holds it.
fn lone_place(places: &Months<Place>, month: &Month, ordinal: i64) -> (u32, u32) {
    match places.get(ordinal) {
        Some(&place) if place != Place::UNKNOWN => (place.0, place.1),
        _ => (month.first_at, 0),
    }
}

impl Series {
    /// The series' values, month by month from the first month it has (returned with them):
    /// a month of one cell worth it by `aggregate` (`monthly` as [`State::value`] says), a
    /// month of several made a value by `many`, an empty month NaN. They are made in the array
    /// of its slots (a slot and a value are both 8 bytes). For the only source of its values:
    /// a month of one cell then has nothing to check.
    pub(crate) fn into_values(
        self,
        (aggregate, monthly): (Option<Aggregate>, bool),
        mut many: impl FnMut(i64, &Accumulator) -> f64,
    ) -> (i64, Vec<f64>) {
        let Series {
            months: slots,
            spill,
            ..
        } = self;
        let start = slots.start;
        // Mapped in place: the standard library reuses a vector's buffer when collecting its
        // own items into items of the same size and alignment.
        let values = slots
            .items
            .into_iter()
            .enumerate()
            .map(|(i, slot)| match slot.held() {
                Held::Empty => f64::NAN,
                Held::One(v) => lone_value(v, aggregate, monthly),
                Held::Many(index) => many(start + i as i64, &spill[index as usize]),
            });
        (start, values.collect())
    }
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
    /// The item of the month `ordinal`, if the run has it.
    fn get(&self, ordinal: i64) -> Option<&T> {
        let i = usize::try_from(ordinal - self.start).ok()?;
        self.items.get(i)
    }

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
            months: Months::default(),
            months_hint: 0,
            keep_places: true,
            first: None,
            last: None,
            ignored: Vec::new(),
            ignored_at: None,
            mapped: Vec::new(),
            checklists: BTreeSet::new(),
            notes: Vec::new(),
            error_cells: Vec::new(),
            staged: Staged::default(),
        }
    }

    /// Keeps the cells of the rows to come row by row, handed over a block at a time (see
    /// [`Staged`]), when the table has enough names for it to pay. [`Table::finish_rows`]
    /// hands over the last block.
    pub(crate) fn stage_rows(&mut self) {
        let width = self.names.len();
        if width < STAGED_WIDTH {
            return;
        }
        self.staged = Staged {
            width,
            block: (STAGED_BYTES / (width * std::mem::size_of::<Cell>())).clamp(1, STAGED_ROWS),
            rows: Vec::new(),
            cells: Vec::new(),
        };
    }

    /// Hands the staged cells over to their names: name by name, each name's in row order.
    pub(crate) fn finish_rows(&mut self) {
        if self.staged.rows.is_empty() {
            return;
        }
        let mut staged = std::mem::take(&mut self.staged);
        let (months, width) = (&self.months, staged.width);
        let sizes = (self.months_hint, self.keep_places);
        let (rows, cells) = (&staged.rows, &staged.cells);
        // Names are independent: each thread hands over the cells of a run of them.
        let hand = |series: &mut [Series], first: usize| {
            for (i, series) in series.iter_mut().enumerate() {
                for (r, row) in rows.iter().enumerate() {
                    let cell = cells[r * width + first + i];
                    if cell.len != EMPTY {
                        series.add(months, sizes, row, cell.value, (cell.at, cell.len));
                    }
                }
            }
        };
        crate::in_order::in_parts(&mut self.series[..width], HANDED_AT_A_TIME, hand);
        staged.rows.clear();
        staged.cells.clear();
        self.staged = staged;
    }

    /// Room for `count` names, as a wide table's header has: its names are then laid out
    /// once, not moved as they double.
    pub(crate) fn reserve_names(&mut self, count: usize) {
        self.names.reserve_exact(count);
        self.series.reserve_exact(count);
    }

    /// A name whose cells inputs read; its index for [`Table::add`].
    pub(crate) fn add_name(&mut self, name: String) -> u32 {
        if self.staged.width > 0 {
            // Rows staged are as wide as the names were: hand them over, and stage no more.
            self.finish_rows();
            self.staged = Staged::default();
        }
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
        let month = self.months.get_or_make(ordinal)?;
        if month.rows == 0 {
            month.first_key = stamp.key;
            month.first_at = at;
        }
        month.rows += 1;
        let row = RowAt {
            ordinal,
            key: stamp.key,
            month_only: stamp.month_only,
            first_in_month: month.rows == 1,
        };
        if self.staged.width > 0 {
            if self.staged.rows.len() == self.staged.block {
                self.finish_rows();
            }
            self.staged.rows.push(row);
            let cells = self.staged.cells.len() + self.staged.width;
            self.staged.cells.resize(cells, Cell::default());
        }
        Some(row)
    }

    /// An error cell of name `name` in `row`, `cell` saying where and which error.
    pub(crate) fn add_error(&mut self, name: u32, row: &RowAt, cell: String) {
        self.error_cells.push((name, row.ordinal, cell));
    }

    /// Notes that yes/no name `name` marks a yes with `x`: its empty cells are noes.
    pub(crate) fn mark_checklist(&mut self, name: u32) {
        self.checklists.insert(name);
    }

    /// A non-empty cell of name `name` in `row` (the row added last): a number, or NaN in a
    /// column only counted.
    #[inline]
    pub(crate) fn add(&mut self, name: u32, row: &RowAt, value: f64, at: u32, len: u32) {
        let staged = &mut self.staged;
        if let Some(r) = staged.rows.len().checked_sub(1) {
            let cell = &mut staged.cells[r * staged.width + name as usize];
            if cell.len == EMPTY {
                *cell = Cell {
                    value,
                    at,
                    len: len.min(EMPTY - 1),
                };
                return;
            }
            // A second cell of one name in one row (two columns mapped to one input): the
            // staged rows first, then this one as it comes.
            self.finish_rows();
        }
        self.add_now(name, row, value, at, len);
    }

    /// [`Table::add`], now.
    fn add_now(&mut self, name: u32, row: &RowAt, value: f64, at: u32, len: u32) {
        let series = &mut self.series[name as usize];
        let sizes = (self.months_hint, self.keep_places);
        series.add(&self.months, sizes, row, value, (at, len));
    }

    /// The months in which name `name` has cells, in order, with its state in each.
    pub(crate) fn states(&self, name: u32) -> impl Iterator<Item = (i64, State<'_>)> {
        debug_assert!(self.staged.rows.is_empty(), "rows read are all handed over");
        let series = &self.series[name as usize];
        series.months.iter().filter_map(move |(ordinal, slot)| {
            let state = match slot.held() {
                Held::Empty => return None,
                Held::Many(index) => State::Many(&series.spill[index as usize]),
                Held::One(value) => {
                    let month = self.months.get(ordinal)?;
                    let place = lone_place(&series.places, month, ordinal);
                    State::One(value, place)
                }
            };
            Some((ordinal, state))
        })
    }

    /// Takes name `name`'s series out, leaving it empty.
    pub(crate) fn take_series(&mut self, name: u32) -> Series {
        debug_assert!(self.staged.rows.is_empty(), "rows read are all handed over");
        std::mem::take(&mut self.series[name as usize])
    }

    /// Frees name `name`'s cells, once every input reading them has its values.
    pub(crate) fn release(&mut self, name: u32) {
        let series = &mut self.series[name as usize];
        series.months = Months::default();
        series.places = Months::default();
        series.spill = Vec::new();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::date::parse_stamp;
    use crate::input::Aggregate;

    const RULES: [Option<Aggregate>; 8] = [
        None,
        Some(Aggregate::Sum),
        Some(Aggregate::Mean),
        Some(Aggregate::Min),
        Some(Aggregate::Max),
        Some(Aggregate::First),
        Some(Aggregate::Last),
        Some(Aggregate::Count),
    ];

    fn table() -> Table {
        let mut table = Table::new(Origin::File(Arc::new(SourceFile::new("t.csv", ""))));
        table.add_name("a".into());
        table
    }

    /// Rows staged and handed over a block at a time give every name the months, values and
    /// cell positions that adding each cell as it comes gives: random tables of random
    /// widths, months repeated and out of order, empty cells, and two cells of one name in
    /// a row.
    #[test]
    fn staged_rows_give_what_cells_added_as_they_come_give() {
        let days = [
            "2026-03",
            "2026-01",
            "2026-03-05",
            "2026-02",
            "2025-12",
            "2026-03-01",
            "2026-04",
            "2026-01-31",
        ];
        let mut bits = crate::lcg::Lcg::new(22);
        for case in 0..400 {
            let width = 1 + bits.below(9);
            let mut now = Table::new(Origin::File(Arc::new(SourceFile::new("t.csv", ""))));
            for name in 0..width {
                now.add_name(format!("c{name}"));
            }
            let mut staged = Table::new(Origin::File(Arc::new(SourceFile::new("t.csv", ""))));
            for name in 0..width {
                staged.add_name(format!("c{name}"));
            }
            staged.stage_rows();
            // A table read alone: the same, but where its lone cells are.
            let mut alone = Table::new(Origin::File(Arc::new(SourceFile::new("t.csv", ""))));
            alone.keep_places = false;
            for name in 0..width {
                alone.add_name(format!("c{name}"));
            }
            alone.stage_rows();
            let rows = bits.below(12);
            for r in 0..rows {
                let stamp = parse_stamp(days[bits.below(days.len())], None).unwrap();
                let at = 100 * r as u32;
                let (a, b) = (now.add_row(stamp, at), staged.add_row(stamp, at));
                let (Some(a), Some(b), Some(c)) = (a, b, alone.add_row(stamp, at)) else {
                    panic!("rows within the limit of months");
                };
                for name in 0..width as u32 {
                    // Empty a third of the time; now and then a second cell of the name.
                    for _ in 0..[0, 1, 1, 2][bits.below(4)] {
                        let value = bits.below(1000) as f64 / 8.0;
                        let at = at + 10 * name + bits.below(5) as u32;
                        now.add(name, &a, value, at, 3);
                        staged.add(name, &b, value, at, 3);
                        alone.add(name, &c, value, at, 3);
                    }
                }
            }
            staged.finish_rows();
            alone.finish_rows();
            for name in 0..width as u32 {
                let left: Vec<_> = now.states(name).map(|(o, s)| describe(o, &s)).collect();
                let right: Vec<_> = staged.states(name).map(|(o, s)| describe(o, &s)).collect();
                assert_eq!(left, right, "case {case}, name {name}");
                // Alone, a lone cell is placed at its month's first row (the row it is in:
                // here every row's cells start within 100 bytes of it), and so is the first
                // of two cells that was lone; the rest is the same.
                let by_row = |t: &Table| -> Vec<String> {
                    let states = t.states(name);
                    states
                        .map(|(o, s)| {
                            let row = s.first_at().0 / 100;
                            let second = (s.count() > 1).then(|| s.second_at());
                            let whole = describe(o, &s);
                            let values = whole.rsplit(' ').next().unwrap_or("");
                            format!("{o} {} row {row} {second:?} {values}", s.count())
                        })
                        .collect()
                };
                assert_eq!(by_row(&now), by_row(&alone), "case {case}, name {name}");
                let alone_places = alone.states(name).filter_map(|(_, s)| match s {
                    State::One(_, place) => Some(place),
                    State::Many(_) => None,
                });
                assert!(
                    alone_places
                        .into_iter()
                        .all(|(at, len)| at % 100 == 0 && len == 0)
                );
                let monthly = |t: &Table| t.series[name as usize].monthly();
                assert_eq!(monthly(&now), monthly(&staged), "case {case}, name {name}");
                // Taken whole, a series' values are its states' values, month by month (a
                // month without a value, NaN, is left out of both).
                let (rule, by_month) = (RULES[bits.below(RULES.len())], monthly(&now));
                let kept = |values: Vec<(i64, f64)>| -> Vec<(i64, u64)> {
                    let values = values.into_iter().filter(|(_, v)| !v.is_nan());
                    values.map(|(o, v)| (o, v.to_bits())).collect()
                };
                let states = now.states(name).map(|(o, s)| (o, s.value(rule, by_month)));
                let states = kept(states.collect());
                let many = |_, acc: &Accumulator| acc.value(rule, by_month);
                let (start, values) = alone.take_series(name).into_values((rule, by_month), many);
                let taken = kept((start..).zip(values).collect());
                assert_eq!(taken, states, "case {case}, name {name}");
            }
        }
    }

    /// Everything a name's state in a month says: by every rule, monthly or not, and where.
    fn describe(ordinal: i64, state: &State<'_>) -> String {
        let values: Vec<String> = RULES
            .iter()
            .flat_map(|&rule| [false, true].map(|monthly| state.value(rule, monthly)))
            .map(|v| format!("{v:?}"))
            .collect();
        format!(
            "{ordinal} {} {:?} {:?} {}",
            state.count(),
            state.first_at(),
            state.second_at(),
            values.join(",")
        )
    }

    /// A month of one cell, kept as a slot, is worth that cell by every rule, as a month of
    /// rows is: a sum (or mean) of `-0` is `0`, its minimum, maximum, first and last `-0`; a
    /// count is 1, but a monthly table's count cell is the count itself when it is a number.
    #[test]
    fn one_cell_is_worth_its_value_by_every_rule() {
        let expected = |value: f64, rule: Option<Aggregate>, monthly: bool| match rule {
            Some(Aggregate::Count) if monthly && value.is_finite() => value + 0.0,
            Some(Aggregate::Count) => 1.0,
            _ if !value.is_finite() => f64::NAN,
            None | Some(Aggregate::Sum | Aggregate::Mean) => value + 0.0,
            _ => value,
        };
        for value in [
            3.5,
            -0.0,
            0.0,
            f64::NAN,
            1e300,
            -2.25,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let mut table = table();
            let row = table
                .add_row(parse_stamp("2026-03", None).unwrap(), 0)
                .unwrap();
            table.add(0, &row, value, 7, 2);
            let (_, state) = table.states(0).next().unwrap();
            assert!(matches!(state, State::One(..)));
            // A month of that one value, as rows give it: an accumulator.
            let mut acc = Accumulator::default();
            acc.add(value, (0, 0), (7, 2));
            for rule in RULES {
                for monthly in [false, true] {
                    let want = expected(value, rule, monthly).to_bits();
                    let what = format!("{value} {rule:?} {monthly}");
                    assert_eq!(state.value(rule, monthly).to_bits(), want, "{what}");
                    assert_eq!(acc.value(rule, monthly).to_bits(), want, "{what}");
                }
            }
            assert_eq!((state.count(), state.first_at()), (1, (7, 2)));
        }
    }

    /// A slot holds any value a cell can give, bit for bit (NaN as Rust's own), apart from
    /// the two NaNs that mark an empty month and a month of several cells.
    #[test]
    fn a_slot_holds_every_value_apart_from_its_marks() {
        let values = [
            0.0,
            -0.0,
            1.5,
            -1e308,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
        ];
        for value in values {
            match Slot::one(value).held() {
                Held::One(v) => assert_eq!(v.to_bits(), value.to_bits()),
                _ => panic!("{value} read back as a mark"),
            }
        }
        for nan in [
            f64::NAN,
            -f64::NAN,
            f64::from_bits(EMPTY_SLOT),
            f64::from_bits(MANY_SLOT | 7),
        ] {
            assert!(
                matches!(Slot::one(nan).held(), Held::One(v) if v.to_bits() == f64::NAN.to_bits())
            );
        }
        assert!(matches!(Slot::default().held(), Held::Empty));
        for index in [0, 1, 4096, u32::MAX] {
            assert!(matches!(Slot::many(index).held(), Held::Many(i) if i == index));
        }
        assert_eq!(std::mem::size_of::<Slot>(), 8);
    }

    /// A second row in a month moves its names to accumulators that order the cells by their
    /// date, the first one by its month's first row; a name empty in the first row and given
    /// in a later one keeps that row's date.
    #[test]
    fn later_rows_order_by_date() {
        let mut table = table();
        table.add_name("b".into());
        let day = |text: &str| parse_stamp(text, None).unwrap();
        let first = table.add_row(day("2026-03-20"), 0).unwrap();
        table.add(0, &first, 20.0, 10, 2);
        let second = table.add_row(day("2026-03-05"), 30).unwrap();
        table.add(0, &second, 5.0, 40, 1);
        table.add(1, &second, 50.0, 45, 2);
        let third = table.add_row(day("2026-03-10"), 60).unwrap();
        table.add(1, &third, 10.0, 70, 2);
        let (_, a) = table.states(0).next().unwrap();
        assert_eq!(a.count(), 2);
        assert_eq!(a.value(Some(Aggregate::First), false), 5.0);
        assert_eq!(a.value(Some(Aggregate::Last), false), 20.0);
        assert_eq!((a.first_at(), a.second_at()), ((10, 2), (40, 1)));
        let (_, b) = table.states(1).next().unwrap();
        // 50 on the 5th, 10 on the 10th.
        assert_eq!(b.value(Some(Aggregate::First), false), 50.0);
        assert_eq!(b.value(Some(Aggregate::Last), false), 10.0);
        assert!(table.series[0].crowded && table.series[1].crowded);
        table.release(0);
        assert!(table.states(0).next().is_none());
    }
}
