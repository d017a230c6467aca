//! CSV files: the tokenizer and the reader that turns a file into a [`Table`].
//!
//! Written for this one job so that every problem has an exact line and column, and so that a
//! large daily export is read in one pass without a copy of each field. It accepts what
//! spreadsheets export: `,`, `;` or tab between fields (recognised from the header), quoted
//! fields, CRLF line endings, empty trailing columns and rows of empty cells. The period column
//! is the one named `period` (any case), or the one the source names, or else the first.
//!
//! What a spreadsheet export does not say is taken from the file itself, each by one more
//! look at a column, never once per cell: a tab-separated file's decimal mark (its number
//! cells, before reading), and the order of its slashed dates (its period cells from the first
//! such date on). Words below the last dated row (`Total`) are kept aside while reading, then
//! skipped when no dated row follows. What was taken or skipped is one note on the table.

use std::borrow::Cow;
use std::sync::Arc;

use crate::data::date::{DateError, DateOrder, OrderEvidence, OrderFound, Stamp, parse_stamp};
use crate::data::layout::{
    BadPeriod, Header, Layout, Long, Mapped, Naming, Periods, Settings, Slot, is_x, read_cell,
};
use crate::data::number::{DecimalMark, Dialect, decimal_mark};
use crate::data::table::{Need, Origin, RowAt, Table};
use crate::diagnostic::{Diagnostic, Problem};
use crate::problems::Problems;
use crate::source::{Location, SourceFile};

/// How to read one CSV source, from its `[[sources]]` entry.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CsvOptions<'a> {
    /// The period column's name, when it is not `period` nor the first.
    pub period: Option<&'a str>,
    /// How to read slashed dates with the year last.
    pub date_order: Option<DateOrder>,
    /// A long table: the columns holding each row's input name and value.
    pub long: Option<(&'a str, &'a str)>,
    /// Columns (or long-table names) known to be unused, not to be warned about.
    pub ignore: &'a [String],
    /// The source's own names for inputs (its `columns`).
    pub columns: &'a [Mapped<'a>],
    /// The decimal mark, when the source says it.
    pub decimal: Option<DecimalMark>,
    /// Period cells of rows to skip, in any case.
    pub skip: &'a [String],
    /// Whether the file is the only source: no other can give a month it gives, so where its
    /// lone cells are is never said and not kept ([`Table::keep_places`]).
    pub alone: bool,
}

/// One field of a record, as byte offsets into the text.
#[derive(Debug, Clone, Copy)]
struct Field {
    /// Where the field starts, and where its raw text ends (after a closing quote).
    at: usize,
    end: usize,
    /// The field's content (inside the quotes, if quoted).
    content: (usize, usize),
    quoted: bool,
    /// A quoted field with `""` inside, to be unescaped.
    escaped: bool,
}

impl Field {
    /// An unquoted field from byte `at` to `end`.
    fn plain(at: usize, end: usize) -> Field {
        Field {
            at,
            end,
            content: (at, end),
            quoted: false,
            escaped: false,
        }
    }

    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = &text[self.content.0..self.content.1];
        if self.escaped {
            Cow::Owned(raw.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(raw)
        }
    }

    fn len(&self) -> u32 {
        (self.end - self.at).max(1) as u32
    }
}

/// Splits the text into records, one at a time, reusing the caller's field buffer.
struct Records<'t> {
    text: &'t str,
    pos: usize,
    sep: u8,
    /// Whether a record read so far spans lines (a quoted field holding a line break).
    spans_lines: bool,
}

impl<'t> Records<'t> {
    /// The records of `text` from byte `pos` on, fields separated by `sep`.
    fn new(text: &'t str, pos: usize, sep: u8) -> Self {
        Records {
            text,
            pos,
            sep,
            spans_lines: false,
        }
    }

    /// The next record's fields and where it starts; `None` at the end of the text. Blank
    /// lines are skipped; after an error, the rest of the text is not read.
    fn next(
        &mut self,
        fields: &mut Vec<Field>,
        file: &SourceFile,
    ) -> Option<Result<usize, Diagnostic>> {
        loop {
            if self.pos >= self.text.len() {
                return None;
            }
            let start = self.pos;
            if let Err(d) = self.split(fields, file) {
                self.pos = self.text.len();
                return Some(Err(d));
            }
            if !self.is_blank(fields) {
                return Some(Ok(start));
            }
        }
    }

    /// Splits the record at the current position into `fields`, and moves past its line end.
    fn split(&mut self, fields: &mut Vec<Field>, file: &SourceFile) -> Result<(), Diagnostic> {
        fields.clear();
        if self.split_plain(fields) {
            return Ok(());
        }
        self.split_bytewise(fields, file)
    }

    /// [`Records::split`] a byte at a time: any line, quoted fields and lone `\r` included.
    fn split_bytewise(
        &mut self,
        fields: &mut Vec<Field>,
        file: &SourceFile,
    ) -> Result<(), Diagnostic> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        loop {
            let (field, end) = self.field(i, file)?;
            fields.push(field);
            i = end;
            if i < bytes.len() && bytes[i] == self.sep {
                i += 1;
                continue;
            }
            self.spans_lines |= memchr::memchr(b'\n', &bytes[self.pos..i]).is_some();
            if i < bytes.len() && bytes[i] == b'\r' {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'\n' {
                i += 1;
            }
            break;
        }
        self.pos = i;
        Ok(())
    }

    /// [`Records::split`] of a line without quotes, ended by `\n`, `\r\n` or the end of the
    /// text (almost every line of an export), found with `memchr`'s vectorised search rather
    /// than a byte at a time; `false`, with nothing done, for any other line.
    fn split_plain(&mut self, fields: &mut Vec<Field>) -> bool {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let (line, next) = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(n) => (&bytes[start..start + n], start + n + 1),
            None => (&bytes[start..], bytes.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // A quote, or a `\r` that ends a record on its own: the byte-wise path.
        if memchr::memchr2(b'"', b'\r', line).is_some() {
            return false;
        }
        let mut at = start;
        for k in memchr::memchr_iter(self.sep, line) {
            fields.push(Field::plain(at, start + k));
            at = start + k + 1;
        }
        fields.push(Field::plain(at, start + line.len()));
        self.pos = next;
        true
    }

    /// The field starting at byte `at`, and where it stops (at the separator or line end).
    fn field(&self, at: usize, file: &SourceFile) -> Result<(Field, usize), Diagnostic> {
        let bytes = self.text.as_bytes();
        let mut j = at;
        while j < bytes.len() && bytes[j] == b' ' {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'"' {
            // Spaces before an opening quote are allowed, as spreadsheets sometimes write.
            return self.quoted(at, j, file);
        }
        let sep = self.sep;
        let stop = bytes[at..]
            .iter()
            .position(|&b| b == sep || b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |k| at + k);
        let field = Field {
            at,
            end: stop,
            content: (at, stop),
            quoted: false,
            escaped: false,
        };
        Ok((field, stop))
    }

    /// A quoted field starting at byte `at`, its opening quote at `open`, and where it stops.
    fn quoted(
        &self,
        at: usize,
        open: usize,
        file: &SourceFile,
    ) -> Result<(Field, usize), Diagnostic> {
        let bytes = self.text.as_bytes();
        let mut k = open + 1;
        let mut escaped = false;
        loop {
            match bytes[k..].iter().position(|&b| b == b'"') {
                None => {
                    return Err(Diagnostic::error(
                        Problem::Csv {
                            message: "quoted field is never closed".into(),
                            hint: "close the field with `\"`, and double any `\"` inside it".into(),
                        },
                        Some(file.locate(open, open + 1)),
                    ));
                }
                Some(q) if bytes.get(k + q + 1) == Some(&b'"') => {
                    escaped = true;
                    k += q + 2;
                }
                Some(q) => {
                    k += q;
                    break;
                }
            }
        }
        let end = k + 1;
        let mut i = end;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len() && !matches!(bytes[i], b'\r' | b'\n') && bytes[i] != self.sep {
            return Err(Diagnostic::error(
                Problem::Csv {
                    message: "text after a closing quote".into(),
                    hint: "put the whole field inside the quotes".into(),
                },
                Some(file.locate(i, i + 1)),
            ));
        }
        let field = Field {
            at,
            end,
            content: (open + 1, k),
            quoted: true,
            escaped,
        };
        Ok((field, i))
    }

    /// Whether a record is a blank line: one unquoted field of blanks.
    fn is_blank(&self, fields: &[Field]) -> bool {
        fields.len() == 1
            && !fields[0].quoted
            && self.text[fields[0].content.0..fields[0].content.1]
                .trim()
                .is_empty()
    }
}

/// The separator: whichever of `,`, `;` and tab the header line holds most (outside quotes);
/// `,` when it holds none.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in header.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 { b',' } else { seps[best] }
}

/// The header line: its fields, their names, and how many columns it has.
struct CsvHeader<'f> {
    file: &'f SourceFile,
    fields: Vec<Field>,
    /// The names of the columns, empty trailing columns (`a;b;;`) cut off: they are not
    /// columns.
    names: Vec<String>,
}

impl<'f> CsvHeader<'f> {
    fn new(file: &'f SourceFile, fields: Vec<Field>) -> Self {
        let mut names: Vec<String> = fields
            .iter()
            .map(|f| f.text(file.text()).trim().to_string())
            .collect();
        let width = names
            .iter()
            .rposition(|n| !n.is_empty())
            .map_or(0, |i| i + 1);
        names.truncate(width);
        Self {
            file,
            fields,
            names,
        }
    }
}

impl Header for CsvHeader<'_> {
    fn names(&self) -> &[String] {
        &self.names
    }

    fn locate(&self, column: usize) -> Location {
        let f = self.fields[column];
        self.file.locate(f.at, f.end.max(f.at + 1))
    }

    fn duplicate(&self, column: usize) -> Diagnostic {
        Diagnostic::error(
            Problem::Csv {
                message: format!("column `{}` appears twice", self.names[column]),
                hint: "rename one of them, so that each input reads one column".into(),
            },
            Some(self.locate(column)),
        )
    }
}

/// Reads a CSV file into a table holding the cells of the columns `wanted` says some input
/// reads. Problems go to `problems`; `None` when the file cannot be read at all.
pub(crate) fn read_csv(
    file: Arc<SourceFile>,
    options: &CsvOptions<'_>,
    wanted: &dyn Fn(&str) -> Option<Need>,
    problems: &mut Problems,
) -> Option<Table> {
    read(file, options, wanted, problems, None)
}

/// [`read_csv`]; `batched` says whether a wide table's numbers are read ahead, a batch of
/// rows at a time on every core (by default, from [`PARSED_WIDTH`] columns on), which gives
/// the same table and problems.
fn read(
    file: Arc<SourceFile>,
    options: &CsvOptions<'_>,
    wanted: &dyn Fn(&str) -> Option<Need>,
    problems: &mut Problems,
    batched: Option<bool>,
) -> Option<Table> {
    let text = file.text();
    let sep = detect_separator(text);
    let mut records = Records::new(text, 0, sep);
    let mut fields = Vec::new();
    let header = CsvHeader::new(
        &file,
        read_header(&mut records, &mut fields, &file, problems)?,
    );
    let settings = Settings {
        naming: Naming::Written,
        period: options.period,
        long: match options.long {
            Some((name, value)) => Long::Named { name, value },
            None => Long::No,
        },
        ignore: options.ignore,
        columns: options.columns,
    };
    let mut table = Table::new(Origin::File(file.clone()));
    table.keep_places = !options.alone;
    let layout = Layout::new(&header, &settings, wanted, &mut table, problems)?;
    let data_start = records.pos;
    if layout.long().is_none() {
        // A wide table has a month per row at most: its rows (its lines, counted up to the
        // limit of months) size each column's months once.
        table.months_hint = text.as_bytes()[data_start..]
            .iter()
            .filter(|&&b| b == b'\n')
            .take(crate::limits::MAX_DATA_MONTHS)
            .count()
            .saturating_add(1)
            .min(crate::limits::MAX_DATA_MONTHS);
        table.stage_rows();
    }
    let dialect = dialect(
        &file,
        (sep, data_start),
        &layout,
        options,
        &mut table,
        problems,
    )?;
    let mut reader = CsvReader {
        cells: Cells {
            file: &file,
            dialect,
        },
        names: &header.names,
        layout,
        periods: Periods::new(options.date_order),
        dates: Dates {
            given: options.date_order,
            // The French dialect writes dates day first; elsewhere the file or the source
            // must tell.
            fallback: (sep == b';').then_some(DateOrder::Dmy),
            sep,
            data_start,
            other_reads_all: None,
        },
        skip: options.skip,
        words: Vec::new(),
        dated: false,
        table,
    };
    // Rows are split a batch at a time: a wide table's many (their numbers then read on every
    // core, ahead of their rows), any other's one by one.
    let batched =
        reader.layout.long().is_none() && batched.unwrap_or(header.names.len() >= PARSED_WIDTH);
    let fields_at_a_time = if batched { PARSED_AT_A_TIME } else { 1 };
    let mut batch = Batch::default();
    loop {
        batch.clear();
        let mut failed = None;
        while batch.fields.len() < fields_at_a_time {
            match records.next(&mut fields, &file) {
                Some(Ok(start)) => batch.push(start, &mut fields, records.spans_lines),
                Some(Err(d)) => {
                    failed = Some(d);
                    break;
                }
                None => break,
            }
        }
        if batched {
            batch.parse(&reader.layout, reader.cells);
        }
        for row in &batch.rows {
            // A lone cell is placed at its row when its place is not kept, which is on its
            // line until a record spans lines: from then on, places are kept.
            reader.table.keep_places |= row.spans_lines;
            let fields = &batch.fields[row.fields.clone()];
            let parsed = batch.parsed.get(row.fields.clone());
            reader.row(row.start, fields, parsed, problems);
        }
        if let Some(d) = failed {
            problems.push(d);
            return None;
        }
        if batch.rows.is_empty() {
            return Some(reader.finish());
        }
    }
}

/// The fewest columns for which a wide table's numbers are read on every core: a narrow
/// table's rows cost their dates more than their numbers (two in tests, so that every wide
/// test table of a period and an input is read so).
#[cfg(not(test))]
const PARSED_WIDTH: usize = 64;
#[cfg(test)]
const PARSED_WIDTH: usize = 2;

/// The fields a batch of a wide table's rows holds at most (a row longer than that is a
/// batch of its own): their numbers are read on every core.
#[cfg(not(test))]
const PARSED_AT_A_TIME: usize = 1 << 15;
/// Tests read batches of a few fields, so that every test file crosses batches.
#[cfg(test)]
const PARSED_AT_A_TIME: usize = 5;

/// The fewest fields a thread reads the numbers of: fewer do not pay for starting it (one in
/// tests, so that every test batch is read on several threads).
#[cfg(not(test))]
const PARSED_PART: usize = 4096;
#[cfg(test)]
const PARSED_PART: usize = 1;

/// A batch of rows, split, with the numbers of their cells read when they are a wide
/// table's (a batch of any other table's is one row, its numbers read with it).
#[derive(Default)]
struct Batch {
    rows: Vec<BatchRow>,
    fields: Vec<Field>,
    /// Each field's number, when read ahead (empty otherwise).
    parsed: Vec<Parsed>,
}

/// A row of a [`Batch`].
struct BatchRow {
    /// Where its record starts.
    start: usize,
    /// Its fields in the batch's.
    fields: std::ops::Range<usize>,
    /// Whether a record read so far spans lines (see [`Records::spans_lines`]).
    spans_lines: bool,
}

/// A cell read ahead of its row.
#[derive(Debug, Clone, Copy)]
enum Parsed {
    /// A number.
    Number(f64),
    /// Nothing: an empty cell.
    Empty,
    /// Read with its row: a cell that is not a plain number (an error to report in its
    /// place), a quoted one, or one no number is needed of.
    WithRow,
}

impl Batch {
    fn clear(&mut self) {
        self.rows.clear();
        self.fields.clear();
        self.parsed.clear();
    }

    /// Adds a record's fields, taken from `fields` (swapped, not copied, into an empty batch:
    /// a row of the widest tables is a batch of its own, and megabytes of fields).
    fn push(&mut self, start: usize, fields: &mut Vec<Field>, spans_lines: bool) {
        let from = self.fields.len();
        if from == 0 {
            std::mem::swap(&mut self.fields, fields);
        } else {
            self.fields.extend_from_slice(fields);
        }
        self.rows.push(BatchRow {
            start,
            fields: from..self.fields.len(),
            spans_lines,
        });
    }

    /// Reads the number of every unquoted cell of a column that inputs need numbers of, the
    /// fields split among the threads.
    fn parse(&mut self, layout: &Layout<'_>, cells: Cells<'_>) {
        let slots = layout.column_slots();
        let text = cells.file.text();
        self.parsed.resize(self.fields.len(), Parsed::WithRow);
        let (fields, rows) = (&self.fields, &self.rows);
        let read = |parsed: &mut [Parsed], first: usize| {
            // The row of each field, and so its column.
            let mut r = rows.partition_point(|row| row.fields.end <= first);
            for (k, parsed) in parsed.iter_mut().enumerate() {
                let at = first + k;
                while rows[r].fields.end <= at {
                    r += 1;
                }
                let field = &fields[at];
                let slot = slots.get(at - rows[r].fields.start).copied().flatten();
                *parsed = match slot {
                    Some(slot) if slot.need == Need::Number && !field.quoted => {
                        let cell = &text[field.content.0..field.content.1];
                        match read_cell(cell, cells.dialect, Need::Number) {
                            Ok(Some(value)) => Parsed::Number(value),
                            Ok(None) => Parsed::Empty,
                            Err(_) => Parsed::WithRow,
                        }
                    }
                    _ => Parsed::WithRow,
                };
            }
        };
        crate::in_order::in_parts(&mut self.parsed, PARSED_PART, read);
    }
}

/// Calls `each` with the fields of every record from byte `from` on, while it returns `true`,
/// up to the end or to a record that cannot be split (which the reading pass reports).
fn scan(file: &SourceFile, sep: u8, from: usize, mut each: impl FnMut(&[Field]) -> bool) {
    let mut records = Records::new(file.text(), from, sep);
    let mut fields = Vec::new();
    while let Some(Ok(_)) = records.next(&mut fields, file) {
        if !each(&fields) {
            break;
        }
    }
}

/// What the slashed dates of column `column` say of their order, from byte `from` on.
fn order_evidence(file: &SourceFile, sep: u8, from: usize, column: usize) -> OrderEvidence<Field> {
    let mut evidence = OrderEvidence::new();
    scan(file, sep, from, |fields| {
        if let Some(f) = fields.get(column) {
            evidence.add(&f.text(file.text()), || *f);
        }
        true
    });
    evidence
}

/// How the file writes decimals: as the source says; a comma with `;` between fields; in a
/// tab-separated file, a comma when its numbers have commas and none a point (noted); a point
/// otherwise. `None` when a tab-separated file has both (reported).
fn dialect(
    file: &SourceFile,
    (sep, from): (u8, usize),
    layout: &Layout<'_>,
    options: &CsvOptions<'_>,
    table: &mut Table,
    problems: &mut Problems,
) -> Option<Dialect> {
    match (options.decimal, sep) {
        (Some(mark), _) => return Some(mark.dialect()),
        (None, b';') => return Some(Dialect::DecimalComma),
        (None, b'\t') => {}
        (None, _) => return Some(Dialect::DecimalPoint),
    }
    let columns: Vec<usize> = match layout.long() {
        Some((_, value)) => vec![value],
        None => layout
            .wide()
            .filter(|(_, slot)| slot.need == Need::Number)
            .map(|(i, _)| i)
            .collect(),
    };
    let (mut comma, mut point) = (None, None);
    scan(file, sep, from, |fields| {
        for f in columns.iter().filter_map(|&i| fields.get(i)) {
            match decimal_mark(&f.text(file.text())) {
                Some(DecimalMark::Comma) if comma.is_none() => comma = Some(*f),
                Some(DecimalMark::Point) if point.is_none() => point = Some(*f),
                _ => {}
            }
        }
        comma.is_none() || point.is_none()
    });
    let said = |f: Field| (f.text(file.text()).trim().to_string(), file.line_of(f.at));
    let at = |f: Field| Some(file.locate(f.at, f.end.max(f.at + 1)));
    match (comma, point) {
        (Some(c), None) => {
            let (cell, line) = said(c);
            let note = Problem::DecimalCommaTaken { cell, line };
            table.notes.push(Diagnostic::note(note, at(c)));
            Some(Dialect::DecimalComma)
        }
        (Some(c), Some(p)) => {
            let later = if c.at > p.at { c } else { p };
            let problem = Problem::MixedDecimalMarks {
                comma: said(c),
                point: said(p),
            };
            problems.push(Diagnostic::error(problem, at(later)));
            None
        }
        _ => Some(Dialect::DecimalPoint),
    }
}

/// The header's fields; `None` when the file is empty or its first record is not valid
/// (reported).
fn read_header(
    records: &mut Records<'_>,
    fields: &mut Vec<Field>,
    file: &SourceFile,
    problems: &mut Problems,
) -> Option<Vec<Field>> {
    match records.next(fields, file) {
        None => {
            problems.push(Diagnostic::error(
                Problem::Csv {
                    message: "the file is empty".into(),
                    hint: "start with a header line: `period,<input>,<input>...`".into(),
                },
                Some(file.locate(0, 0)),
            ));
            None
        }
        Some(Err(d)) => {
            problems.push(d);
            None
        }
        Some(Ok(_)) => Some(fields.clone()),
    }
}

/// A CSV file's rows being read into its table, by the header's layout.
struct CsvReader<'a> {
    cells: Cells<'a>,
    /// The header's names, for messages about a wide table's cells.
    names: &'a [String],
    layout: Layout<'a>,
    periods: Periods,
    dates: Dates,
    /// Period cells of rows to skip.
    skip: &'a [String],
    /// The period cells that are words (`Total`) since the last dated row: skipped if no
    /// dated row follows, errors otherwise.
    words: Vec<Field>,
    /// Whether a row had a period.
    dated: bool,
    table: Table,
}

/// How a file's slashed dates with the year last are read.
struct Dates {
    /// The source's `date_order`, which always wins.
    given: Option<DateOrder>,
    /// The order taken when every such date fits both: the dialect's (`dmy` with `;`).
    fallback: Option<DateOrder>,
    /// The separator, and where the rows start, to scan the file's period cells.
    sep: u8,
    data_start: usize,
    /// Whether the order `given` does not say reads every slashed date of the file, once
    /// known.
    other_reads_all: Option<bool>,
}

impl CsvReader<'_> {
    /// Reads the record starting at byte `start`, split into `fields`.
    /// `parsed` holds the numbers of its cells read ahead, when they were (a wide table's).
    fn row(
        &mut self,
        start: usize,
        fields: &[Field],
        parsed: Option<&[Parsed]>,
        problems: &mut Problems,
    ) {
        let file = self.cells.file;
        let text = file.text();
        let blank = |f: &Field| text[f.content.0..f.content.1].trim().is_empty();
        if fields.iter().all(blank) {
            return;
        }
        let width = self.names.len();
        let beyond = fields.get(width..).unwrap_or(&[]);
        if fields.len() < width || !beyond.iter().all(blank) {
            // A comment below the data need not fill the row: it is a word like a total's.
            match fields.get(self.layout.period()) {
                Some(&cell) if self.is_word(cell) => self.words.push(cell),
                _ => self.wrong_length(start, fields, problems),
            }
            return;
        }
        let Some(stamp) = self.period(start, fields[self.layout.period()], problems) else {
            return;
        };
        let Some(row) = self.table.add_row(stamp, start as u32) else {
            // Too far from the other months: said once, when the tables are merged.
            return;
        };
        match self.layout.long() {
            Some((name_column, value_column)) => {
                let name = fields[name_column].text(text);
                let name = name.trim();
                let f = fields[name_column];
                let at = || file.locate(f.at, f.end.max(f.at + 1));
                if let Some(slot) = self.layout.long_slot(name, &mut self.table, at) {
                    let value = &fields[value_column];
                    self.cells
                        .add(&mut self.table, slot, name, value, &row, problems);
                }
            }
            None => {
                for (i, slot) in self.layout.wide() {
                    match parsed.map(|p| p[i]) {
                        Some(Parsed::Number(value)) => {
                            let field = &fields[i];
                            let (at, len) = (field.at as u32, field.len());
                            self.table.add(slot.name, &row, value, at, len);
                        }
                        Some(Parsed::Empty) => {}
                        Some(Parsed::WithRow) | None => {
                            let input = &self.names[i];
                            self.cells.add(
                                &mut self.table,
                                slot,
                                input,
                                &fields[i],
                                &row,
                                problems,
                            );
                        }
                    }
                }
            }
        }
    }

    /// Reports a row whose number of fields is not the header's.
    fn wrong_length(&self, start: usize, fields: &[Field], problems: &mut Problems) {
        let file = self.cells.file;
        let width = self.names.len();
        let last = fields.last().expect("records have a field");
        let n = fields.len();
        problems.repeat("row length", file.line_of(start), "row", "line", || {
            Diagnostic::error(
                Problem::Csv {
                    message: format!("this row has {n} fields, the header has {width}"),
                    hint: "give every row one cell per header column (empty for a missing value)"
                        .into(),
                },
                Some(file.locate(last.at, last.end.max(last.at + 1))),
            )
        });
    }

    /// The month and date of a row, from its period cell; `None` when the cell holds no period
    /// (reported, or a word kept to be skipped or reported).
    fn period(&mut self, start: usize, cell: Field, problems: &mut Problems) -> Option<Stamp> {
        let file = self.cells.file;
        let text = cell.text(file.text());
        match self.periods.read(&text) {
            Ok(stamp) => {
                self.dated = true;
                self.flush_words(problems);
                return Some(stamp);
            }
            Err(BadPeriod::NeedsOrderAgain) => return None,
            Err(BadPeriod::NeedsOrder) => return self.infer_order(start, cell, problems),
            Err(BadPeriod::Invalid) => {}
        }
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        if self.skip.iter().any(|s| s.trim().to_lowercase() == lower) {
            return None;
        }
        if self.dated && trimmed.starts_with(char::is_alphabetic) {
            self.words.push(cell);
            return None;
        }
        let problem = match self.dates.given {
            Some(order) if parse_stamp(trimmed, None) == Err(DateError::NeedsOrder) => {
                Problem::DateNotInOrder {
                    cell: trimmed.to_string(),
                    day_first: order == DateOrder::Dmy,
                    other_reads_all: self.other_reads_all(order),
                }
            }
            _ => Problem::BadDataPeriod {
                text: trimmed.to_string(),
            },
        };
        self.report(cell, problem, problems);
        None
    }

    /// Whether a period cell is a word that is no date (`Total`, `Moyenne`) after a dated row:
    /// a total or a comment, if no dated row follows.
    fn is_word(&self, cell: Field) -> bool {
        let text = cell.text(self.cells.file.text());
        let trimmed = text.trim();
        self.dated
            && trimmed.starts_with(char::is_alphabetic)
            && parse_stamp(trimmed, None).is_err()
    }

    /// Reports a period cell's problem, said once with a count of the rows like it.
    fn report(&self, cell: Field, problem: Problem, problems: &mut Problems) {
        let file = self.cells.file;
        let key = match problem {
            Problem::DateNotInOrder { .. } => "period order",
            Problem::WordBetweenDates { .. } => "period word",
            _ => "period",
        };
        problems.repeat(key, file.line_of(cell.at), "row", "line", || {
            Diagnostic::error(
                problem,
                Some(file.locate(cell.at, cell.end.max(cell.at + 1))),
            )
        });
    }

    /// Whether the order that `order` is not reads every slashed date of the file (scanned
    /// once).
    fn other_reads_all(&mut self, order: DateOrder) -> bool {
        let other = match order {
            DateOrder::Dmy => DateOrder::Mdy,
            DateOrder::Mdy => DateOrder::Dmy,
        };
        let (file, column) = (self.cells.file, self.layout.period());
        let (sep, from) = (self.dates.sep, self.dates.data_start);
        *self
            .dates
            .other_reads_all
            .get_or_insert_with(|| order_evidence(file, sep, from, column).all_fit(other))
    }

    /// The first slashed date with the year last, and no `date_order`, in the row starting at
    /// byte `start`: the order is taken from the file's cells from this row on (the rows before
    /// have none), noted unless it is the
    /// dialect's; a file whose cells disagree, or all fit both orders with no dialect to
    /// decide, is an error.
    fn infer_order(&mut self, start: usize, cell: Field, problems: &mut Problems) -> Option<Stamp> {
        let file = self.cells.file;
        let evidence = order_evidence(file, self.dates.sep, start, self.layout.period());
        let at = |f: Field| Some(file.locate(f.at, f.end.max(f.at + 1)));
        let said = |f: Field| (f.text(file.text()).trim().to_string(), file.line_of(f.at));
        let order = match (evidence.found(), self.dates.fallback) {
            (OrderFound::Only(order, f), fallback) => {
                if fallback != Some(order) {
                    let (cell, line) = said(f);
                    let day_first = order == DateOrder::Dmy;
                    let note = Problem::DateOrderTaken {
                        day_first,
                        cell,
                        line,
                    };
                    self.table.notes.push(Diagnostic::note(note, at(f)));
                }
                order
            }
            (OrderFound::Conflict { day, month }, _) => {
                let (day, month_said) = (said(day), said(month));
                let problem = Problem::DateOrderConflict {
                    day,
                    month: month_said,
                };
                problems.push(Diagnostic::error(problem, at(month)));
                return None;
            }
            (OrderFound::Ambiguous(Some((first, last, count))), None) => {
                let problem = Problem::DateOrderNeeded {
                    cell: said(first).0,
                    count,
                    lines: (file.line_of(first.at), file.line_of(last.at)),
                };
                problems.push(Diagnostic::error(problem, at(first)));
                return None;
            }
            // No cell fits either order: each is said not to be a date, in the dialect's
            // order or day first.
            (OrderFound::Ambiguous(_), fallback) => fallback.unwrap_or(DateOrder::Dmy),
        };
        self.periods.set_order(order);
        self.period(start, cell, problems)
    }

    /// A dated row follows the words kept: they were between dated rows, so each is an error.
    fn flush_words(&mut self, problems: &mut Problems) {
        if self.words.is_empty() {
            return;
        }
        let file = self.cells.file;
        for cell in std::mem::take(&mut self.words) {
            let text = cell.text(file.text()).trim().to_string();
            self.report(cell, Problem::WordBetweenDates { text }, problems);
        }
    }

    /// The table, once every row is read: the words after the last dated row (totals,
    /// comments) are skipped, with one note naming their lines.
    fn finish(mut self) -> Table {
        self.table.finish_rows();
        let file = self.cells.file;
        if let Some(&first) = self.words.first() {
            let rows = self
                .words
                .iter()
                .map(|f| (file.line_of(f.at), f.text(file.text()).trim().to_string()))
                .collect();
            let at = Some(file.locate(first.at, first.end.max(first.at + 1)));
            let note = Problem::TrailingRowsSkipped {
                rows,
                line_word: "line",
            };
            self.table.notes.push(Diagnostic::note(note, at));
        }
        self.table
    }
}

/// How a file's cells become numbers: the file's text and its number dialect.
#[derive(Clone, Copy)]
struct Cells<'a> {
    file: &'a SourceFile,
    dialect: Dialect,
}

impl Cells<'_> {
    /// Adds one cell for `input` to `table`, or reports it when it is not the number that
    /// the slot needs.
    fn add(
        self,
        table: &mut Table,
        slot: Slot,
        input: &str,
        field: &Field,
        row: &RowAt,
        problems: &mut Problems,
    ) {
        let file = self.file;
        let cell_text = field.text(file.text());
        match read_cell(&cell_text, self.dialect, slot.need) {
            Ok(Some(value)) => {
                if slot.need == Need::YesNo && is_x(&cell_text) {
                    table.mark_checklist(slot.name);
                }
                table.add(slot.name, row, value, field.at as u32, field.len());
            }
            Ok(None) => {}
            Err(e) => {
                let key = format!("number {}", e.kind);
                problems.repeat(&key, file.line_of(field.at), "cell", "line", || {
                    let (input, cell, hint) =
                        (input.to_string(), cell_text.to_string(), e.hint.clone());
                    Diagnostic::error(
                        if slot.need == Need::YesNo {
                            Problem::BadYesNo { input, cell, hint }
                        } else {
                            Problem::BadNumber { input, cell, hint }
                        },
                        Some(file.locate(field.at, field.end.max(field.at + 1))),
                    )
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read a batch of rows at a time with their numbers read ahead, or row by row, a wide
    /// table gives the same table and the same problems, in the same order: random tables of
    /// numbers, empty and quoted cells, cells that are no numbers, short rows, blank lines,
    /// words in the period column, records that span lines, decimal commas.
    #[test]
    fn numbers_read_ahead_give_what_rows_read_one_by_one_give() {
        let cells = [
            "1", "2.5", "-3", "", " 4 ", "x", "\"5\"", "\"6\n7\"", "1e3", "7,5", "12 345", "n/a",
        ];
        let periods = [
            "2026-01",
            "2026-02",
            "2026-01-15",
            "Total",
            "2026-03",
            "15/01/2026",
        ];
        let mut bits = crate::lcg::Lcg::new(22);
        for case in 0..600 {
            let sep = [",", ";"][bits.below(2)];
            let width = 1 + bits.below(6);
            let mut text = String::from("period");
            for c in 0..width {
                text.push_str(&format!("{sep}c{c}"));
            }
            text.push('\n');
            for _ in 0..bits.below(9) {
                match bits.below(12) {
                    0 => text.push('\n'),
                    1 => text.push_str(&format!("{}{sep}1\n", periods[bits.below(periods.len())])),
                    _ => {
                        text.push_str(periods[bits.below(periods.len())]);
                        for _ in 0..width {
                            text.push_str(sep);
                            text.push_str(cells[bits.below(cells.len())]);
                        }
                        text.push('\n');
                    }
                }
            }
            let read_with = |batched: bool| -> String {
                let file = Arc::new(SourceFile::new("t.csv", text.clone()));
                let mut problems = Problems::default();
                let wanted = |name: &str| (name != "c0" || case % 3 > 0).then_some(Need::Number);
                // Read alone half the time: lone cells' places then kept only from the first
                // record that spans lines on.
                let options = CsvOptions {
                    alone: case % 2 == 0,
                    ..CsvOptions::default()
                };
                let table = read(file, &options, &wanted, &mut problems, Some(batched));
                let mut said = format!("{:?}\n", problems.finish("t.csv".into()));
                if let Some(table) = table {
                    for name in 0..table.names.len() as u32 {
                        for (ordinal, state) in table.states(name) {
                            let value = state.value(None, false).to_bits();
                            let (first, second) = (state.first_at(), state.second_at());
                            said.push_str(&format!(
                                "{name} {ordinal} {first:?} {second:?} {value}\n"
                            ));
                        }
                    }
                    said.push_str(&format!("{:?} {:?}\n", table.notes, table.error_cells));
                }
                said
            };
            assert_eq!(read_with(true), read_with(false), "case {case}:\n{text}");
        }
    }

    /// A field's offsets and flags, comparable.
    type Offsets = (usize, usize, usize, usize, bool, bool);

    /// Every record of `text`, each as its fields' offsets, or the error's message, split
    /// with or without the line-at-a-time path.
    fn records(text: &str, plain_lines: bool) -> Vec<Result<Vec<Offsets>, String>> {
        let file = SourceFile::new("t.csv", text.to_string());
        let mut records = Records::new(text, 0, b',');
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while records.pos < text.len() {
            fields.clear();
            let split = if plain_lines && records.split_plain(&mut fields) {
                Ok(())
            } else {
                records.split_bytewise(&mut fields, &file)
            };
            match split {
                Ok(()) => out.push(Ok(fields
                    .iter()
                    .map(|f| (f.at, f.end, f.content.0, f.content.1, f.quoted, f.escaped))
                    .collect())),
                Err(e) => {
                    out.push(Err(format!("{e:?}")));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn lines_split_with_memchr_as_byte_by_byte() {
        // Texts of separators, quotes, line ends (`\n`, `\r\n`, a lone `\r`), blanks and
        // letters, from a 64-bit LCG.
        let mut lcg = crate::lcg::Lcg::new(0x0123_4567_89ab_cdef);
        let alphabet = ["a", "12", ",", ",", "\n", "\r\n", "\r", " ", "\"", ""];
        for _ in 0..20_000 {
            let len = lcg.below(24);
            let text: String = (0..len)
                .map(|_| alphabet[lcg.below(alphabet.len())])
                .collect();
            assert_eq!(records(&text, true), records(&text, false), "{text:?}");
        }
    }
}
