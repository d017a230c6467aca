//! Source files kept in memory so that errors can point at a line and column.
//!
//! Each file indexes where its lines start once, when it is created, so that turning a byte
//! offset into a line and column is a binary search, not a scan from the start of the file:
//! a file with many problems costs time linear in its size, not quadratic.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Characters of a line shown on each side of a problem before the line is cut.
const EXCERPT_CONTEXT: usize = 100;

/// Equality by meaning: two values written differently (in another file, on another line, in
/// another order or layout) are the same when they say the same thing. [`Location`]s and
/// spans never count. `kpi diff` compares definitions with it, so that a file only
/// reformatted, reordered or read from another revision shows no change.
pub trait SameMeaning {
    /// Whether `self` and `other` say the same thing, wherever each was written.
    fn same_meaning(&self, other: &Self) -> bool;
}

impl<T: SameMeaning> SameMeaning for Option<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        match (self, other) {
            (Some(a), Some(b)) => a.same_meaning(b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl<T: SameMeaning> SameMeaning for [T] {
    fn same_meaning(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.same_meaning(b))
    }
}

impl<T: SameMeaning> SameMeaning for std::sync::Arc<T> {
    fn same_meaning(&self, other: &Self) -> bool {
        T::same_meaning(self, other)
    }
}

impl<K: Ord, V: SameMeaning> SameMeaning for std::collections::BTreeMap<K, V> {
    fn same_meaning(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other)
                .all(|((a, x), (b, y))| a == b && x.same_meaning(y))
    }
}

/// A span of a file, made a [`Location`] when a message needs one: a location holds its path
/// and line (a hundred bytes and two allocations), which a project declaring 55 000 inputs
/// would otherwise keep for each.
#[derive(Debug, Clone)]
pub struct Spot {
    file: Arc<SourceFile>,
    start: usize,
    end: usize,
}

impl Spot {
    /// Bytes `start..end` of `file`.
    pub fn new(file: Arc<SourceFile>, start: usize, end: usize) -> Self {
        Self { file, start, end }
    }

    /// Where the span is, as messages show it.
    pub fn location(&self) -> Location {
        self.file.locate(self.start, self.end)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        self.file.path()
    }
}

/// A file's path and text, kept so that byte offsets can be turned into [`Location`]s.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// Byte offset at which each line starts; the first is 0. Made when a location past the
    /// file's first [`SCAN_REACH`] bytes, or more than [`SCANS`] locations, are asked for: a
    /// data file of a million lines that holds no error never needs it (8 MB), though where
    /// its header is is asked on every read.
    line_starts: OnceLock<Vec<usize>>,
    /// Locations found by scanning from the start of the text so far.
    scans: AtomicUsize,
}

/// The farthest offset a location is found at by scanning the text from its start rather
/// than by the index of its lines.
const SCAN_REACH: usize = 1 << 16;
/// Locations found by scanning before the index is made: at most `SCANS × SCAN_REACH` bytes
/// are scanned in all, so a file's problems cost time linear in its size, whatever their
/// number.
const SCANS: usize = 64;

impl Clone for SourceFile {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            text: self.text.clone(),
            line_starts: self.line_starts.clone(),
            scans: AtomicUsize::new(self.scans.load(Ordering::Relaxed)),
        }
    }
}

/// A place in a file: 1-based line and column (in characters), the length of the span to
/// underline, and an excerpt of the line around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as given by the user.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters to underline (at least 1).
    pub len: usize,
    /// The line without its line ending, cut around the span when it is long (a cut is
    /// marked `…`); empty when there is no line to show.
    pub line_text: String,
    /// 1-based column of the span within `line_text` (differs from `column` when the start
    /// of the line was cut).
    pub text_column: usize,
    /// In a workbook, the cell as a spreadsheet names it (`KPI!D14`), shown instead of the
    /// line and column (which are its row and column, from 1, for ordering).
    pub cell: Option<String>,
}

impl Location {
    /// A location with no line to show: a file as a whole, or a place (such as a database
    /// source's entry) whose text must not be printed.
    pub fn bare(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Self {
            path: path.into(),
            line,
            column,
            len: 0,
            line_text: String::new(),
            text_column: column,
            cell: None,
        }
    }

    /// A cell of a workbook's sheet: `row` and `column` from 1, `cell` as a spreadsheet
    /// names it (`KPI!D14`, or `'Suivi 2026'!D14`).
    pub fn cell(path: impl Into<PathBuf>, row: usize, column: usize, cell: String) -> Self {
        Self {
            cell: Some(cell),
            ..Self::bare(path, row, column)
        }
    }
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            scans: AtomicUsize::new(0),
        }
    }

    /// Byte offset at which each line starts.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A location for the file as a whole (line 1, column 1, no line to show), for problems
    /// about what the file lacks rather than about something written in it.
    pub fn whole(&self) -> Location {
        Location::bare(self.path.clone(), 1, 1)
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_around(offset).0
    }

    /// The 1-based line holding byte `offset`, where it starts and where it ends (its line
    /// break, or the end of the text): by a scan from the start of the text while the index
    /// of lines is not needed (see [`SourceFile::line_starts`]), else by the index.
    fn line_around(&self, offset: usize) -> (usize, usize, usize) {
        let bytes = self.text.as_bytes();
        let scan = self.line_starts.get().is_none()
            && offset <= SCAN_REACH
            && self.scans.fetch_add(1, Ordering::Relaxed) < SCANS;
        if scan {
            let before = &bytes[..offset.min(bytes.len())];
            let line = 1 + memchr::memchr_iter(b'\n', before).count();
            let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
            let rest = &bytes[before.len()..];
            let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| before.len() + i);
            return (line, start, end);
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let end = starts.get(line).map_or(bytes.len(), |&next| next - 1);
        (line, starts[line - 1], end)
    }

    /// The location of the byte range `start..end` (clamped to the text).
    pub fn locate(&self, start: usize, end: usize) -> Location {
        let text = &self.text;
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let (line, line_start, line_end) = self.line_around(start);
        let line_end = line_end.max(start);
        let before = &text[line_start..start];
        let column = before.chars().count() + 1;
        let len = text[start..end.min(line_end)].chars().count().max(1);
        // Cut the line around the span, so that a megabyte-long line prints as one screen.
        let mut from = line_start;
        let mut cut_start = false;
        if column > EXCERPT_CONTEXT + 1 {
            let keep: usize = before
                .char_indices()
                .rev()
                .nth(EXCERPT_CONTEXT - 1)
                .map_or(0, |(i, _)| i);
            from = line_start + keep;
            cut_start = true;
        }
        let rest = &text[start..line_end];
        let shown = len + EXCERPT_CONTEXT;
        let mut to = rest
            .char_indices()
            .nth(shown)
            .map_or(line_end, |(i, _)| start + i);
        let cut_end = to < line_end;
        if !cut_end {
            to = line_end;
        }
        let mut line_text = String::new();
        if cut_start {
            line_text.push('…');
        }
        line_text.push_str(text[from..to].trim_end_matches('\r'));
        if cut_end {
            line_text.push('…');
        }
        let text_column = text[from..start].chars().count() + 1 + usize::from(cut_start);
        Location {
            path: self.path.clone(),
            line,
            column,
            len,
            line_text,
            text_column,
            cell: None,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{}:{cell}", self.path.display()),
            None => write!(f, "{}:{}:{}", self.path.display(), self.line, self.column),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let file = SourceFile::new("a.toml", "x = 1\r\nnamé = \"é\" + b\n");
        let at = file.text().find('+').unwrap();
        let loc = file.locate(at, at + 1);
        assert_eq!((loc.line, loc.column, loc.len), (2, 12, 1));
        assert_eq!(loc.line_text, "namé = \"é\" + b");
        assert_eq!(loc.text_column, 12);
        assert_eq!(loc.to_string(), "a.toml:2:12");
    }

    #[test]
    fn clamps_out_of_range_offsets() {
        let file = SourceFile::new("a", "ab");
        let loc = file.locate(10, 20);
        assert_eq!((loc.line, loc.column), (1, 3));
        let file = SourceFile::new("a", "ab\n");
        let loc = file.locate(10, 20);
        assert_eq!((loc.line, loc.column), (2, 1));
    }

    #[test]
    fn cuts_long_lines_around_the_span() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let file = SourceFile::new("a", format!("first\n{line}\nlast"));
        let at = file.text().find('X').unwrap();
        let loc = file.locate(at, at + 1);
        assert_eq!((loc.line, loc.column), (2, 1001));
        let expected = format!("…{}X{}…", "a".repeat(100), "b".repeat(100));
        assert_eq!(loc.line_text, expected);
        assert_eq!(loc.text_column, 102);
        assert_eq!(loc.line_text.chars().nth(loc.text_column - 1), Some('X'));
    }

    #[test]
    fn a_scan_locates_as_the_index_does() {
        let pieces = ["a", "é", "\n", "\r\n", "xyz", ",", "\n\n", "€"];
        let mut lcg = crate::lcg::Lcg::new(22);
        for _ in 0..300 {
            let text: String = (0..lcg.below(30))
                .map(|_| pieces[lcg.below(pieces.len())])
                .collect();
            // One file made to build its index first; the other scans (while it may).
            let indexed = SourceFile::new("a", text.clone());
            let _ = indexed.line_starts();
            for offset in 0..=text.len() + 2 {
                let scanning = SourceFile::new("a", text.clone());
                for end in [offset, offset + 1, offset + 3] {
                    assert_eq!(
                        scanning.locate(offset, end),
                        indexed.locate(offset, end),
                        "{text:?} {offset}"
                    );
                    assert_eq!(
                        scanning.line_of(offset),
                        indexed.line_of(offset),
                        "{text:?} {offset}"
                    );
                }
                assert!(
                    scanning.line_starts.get().is_none(),
                    "a few lookups near the start scan"
                );
            }
        }
        // Past the scans' reach, or after their number, the index is made.
        let long = "x\n".repeat(SCAN_REACH);
        let file = SourceFile::new("a", long.clone());
        assert_eq!(file.line_of(SCAN_REACH + 1), SCAN_REACH / 2 + 1);
        assert!(file.line_starts.get().is_some());
        let file = SourceFile::new("a", long);
        for _ in 0..=SCANS {
            assert_eq!(file.line_of(3), 2);
        }
        assert!(file.line_starts.get().is_some());
    }

    #[test]
    fn lines_are_found_by_the_index() {
        let file = SourceFile::new("a", "a\nbb\n\nccc");
        let lines: Vec<usize> = (0..file.text().len()).map(|i| file.line_of(i)).collect();
        assert_eq!(lines, [1, 1, 2, 2, 2, 3, 4, 4, 4]);
    }
}
