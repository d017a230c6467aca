//! Source files kept in memory so that errors can point at a line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// A file's path and text, kept so that byte offsets can be turned into [`Location`]s.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
}

/// A place in a file: 1-based line and column (in characters), the length of the span to
/// underline, and the text of the line.
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
    /// The whole line, without its line ending.
    pub line_text: String,
}

impl SourceFile {
    /// Wraps a file's text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
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
        Location {
            path: self.path.clone(),
            line: 1,
            column: 1,
            len: 0,
            line_text: String::new(),
        }
    }

    /// The location of the byte range `start..end` (clamped to the text).
    pub fn locate(&self, start: usize, end: usize) -> Location {
        let start = floor_char_boundary(&self.text, start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, end.clamp(start, self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let line = self.text[..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        let len = self.text[start..end.min(line_end)].chars().count().max(1);
        Location {
            path: self.path.clone(),
            line,
            column,
            len,
            line_text: line_text.to_string(),
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
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
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
        assert_eq!(loc.to_string(), "a.toml:2:12");
    }

    #[test]
    fn clamps_out_of_range_offsets() {
        let file = SourceFile::new("a", "ab");
        let loc = file.locate(10, 20);
        assert_eq!((loc.line, loc.column), (1, 3));
    }
}
