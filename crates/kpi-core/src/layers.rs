//! A definition made of several files: the file that gives its formula, then the files of
//! later layers that change some of its keys.
//!
//! Their TOML tables are merged key by key (a later file's key replaces the whole value,
//! tables included) and checked as one definition. So that a problem found in the merged
//! definition is located in the file that gave the key, each file's spans are moved to a range
//! of offsets of its own before the merge: file 0 keeps its offsets, file 1 starts one past
//! the end of file 0, and so on. [`Layers::locate`] maps an offset back to its file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::source::{Location, SourceFile, Spot};
use crate::toml_error::located;

/// The files a definition is made of, in order, each with the offset its spans start at.
#[derive(Debug, Clone)]
pub(crate) struct Layers {
    base: Arc<SourceFile>,
    /// Files that change keys of the base, in order, each with the offset added to its spans.
    later: Vec<(usize, Arc<SourceFile>)>,
}

impl Layers {
    /// A definition from one file.
    pub(crate) fn new(base: Arc<SourceFile>) -> Self {
        Self {
            base,
            later: Vec::new(),
        }
    }

    /// These layers and then `file`, whose keys replace theirs.
    pub(crate) fn then(&self, file: Arc<SourceFile>) -> Self {
        let (offset, last) = self.files().last().expect("the base is always there");
        let start = offset + last.text().len() + 1;
        let mut later = self.later.clone();
        later.push((start, file));
        Self {
            base: self.base.clone(),
            later,
        }
    }

    /// The file that gives the formula.
    pub(crate) fn base(&self) -> &Arc<SourceFile> {
        &self.base
    }

    /// The files that change keys of the base, in order.
    pub(crate) fn changes(&self) -> impl Iterator<Item = &Path> {
        self.later.iter().map(|(_, f)| f.path())
    }

    fn files(&self) -> impl DoubleEndedIterator<Item = (usize, &Arc<SourceFile>)> {
        std::iter::once((0, &self.base)).chain(self.later.iter().map(|(o, f)| (*o, f)))
    }

    /// The file holding `offset`, and the offset its spans start at.
    fn file_at(&self, offset: usize) -> (usize, &Arc<SourceFile>) {
        let (start, file) = self
            .files()
            .rev()
            .find(|(start, _)| *start <= offset)
            .expect("the base starts at 0");
        (start, file)
    }

    /// The location of `start..end`, in the file that holds it (same signature as
    /// [`SourceFile::locate`]).
    pub(crate) fn locate(&self, start: usize, end: usize) -> Location {
        let (at, file) = self.file_at(start);
        file.locate(start - at, end.saturating_sub(at))
    }

    /// The line of `offset`, in the file that holds it.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        let (at, file) = self.file_at(offset);
        file.line_of(offset - at)
    }

    /// The newest file as a whole: a problem about what the merged definition lacks is
    /// caused by the last file that changed it.
    pub(crate) fn whole(&self) -> Location {
        self.files().last().expect("the base").1.whole()
    }

    /// The text of `span`, in the file that holds it.
    pub(crate) fn slice(&self, span: &Range<usize>) -> &str {
        let (at, file) = self.file_at(span.start);
        file.text()
            .get(span.start - at..span.end.saturating_sub(at))
            .unwrap_or("")
    }

    /// The first occurrence of `needle` in the file that holds `offset`.
    pub(crate) fn find(&self, offset: usize, needle: &str) -> Option<Spot> {
        let (_, file) = self.file_at(offset);
        let found = file.text().find(needle)?;
        Some(Spot::new(Arc::clone(file), found, found + needle.len()))
    }

    /// The span `start..end`, in the file that holds it, as a [`Spot`].
    pub(crate) fn spot(&self, start: usize, end: usize) -> Spot {
        let (at, file) = self.file_at(start);
        Spot::new(Arc::clone(file), start - at, end.saturating_sub(at))
    }

    /// Where the `[<prefix><name>]` headers stand (`[inputs.visits]`), found as
    /// [`Layers::find`] finds one, with each file read once for all of them: a definition's
    /// headers looked up one by one from the top of the file cost the square of their number.
    pub(crate) fn headers(&self, prefix: &'static str) -> Headers<'_> {
        // A prefix starts a header: the next one ends the name being read (`STOPS`).
        debug_assert!(prefix.starts_with('['));
        Headers {
            layers: self,
            prefix,
            files: Vec::new(),
        }
    }

    /// Every file's table, with its spans moved to its range, merged key by key: a later
    /// file's key replaces the earlier value whole.
    pub(crate) fn table(&self) -> Result<Spanned<DeTable<'_>>, Diagnostic> {
        let mut merged = parse(&self.base)?;
        for (offset, file) in &self.later {
            let table = parse(file)?;
            let span = table.span();
            let (mut into, table) = (merged.into_inner(), table.into_inner());
            for (key, value) in table {
                // Remove first: `insert` would keep the earlier key and its span.
                into.remove(key.get_ref().as_ref());
                into.insert(shift_key(key, *offset), shift(value, *offset));
            }
            merged = Spanned::new(span.start + offset..span.end + offset, into);
        }
        Ok(merged)
    }

    /// A `toml` error raised while reading the merged table, located in its file.
    pub(crate) fn error(&self, error: &toml::de::Error) -> Diagnostic {
        let span = error.span().unwrap_or(0..0);
        let (at, file) = self.file_at(span.start);
        located(
            file,
            error.message(),
            span.start - at..span.end.saturating_sub(at),
        )
    }
}

/// One file's table, with its own offsets.
pub(crate) fn parse(file: &SourceFile) -> Result<Spanned<DeTable<'_>>, Diagnostic> {
    DeTable::parse(file.text()).map_err(|e| located(file, e.message(), e.span().unwrap_or(0..0)))
}

fn shift_key(key: Spanned<DeString<'_>>, by: usize) -> Spanned<DeString<'_>> {
    let span = key.span();
    Spanned::new(span.start + by..span.end + by, key.into_inner())
}

/// `value` with every span moved by `by`. Recursive, but `toml` refuses documents nested
/// more than 80 levels deep, so the depth is bounded.
fn shift(value: Spanned<DeValue<'_>>, by: usize) -> Spanned<DeValue<'_>> {
    let span = value.span();
    let inner = match value.into_inner() {
        DeValue::Table(table) => {
            let mut moved = DeTable::new();
            for (k, v) in table {
                moved.insert(shift_key(k, by), shift(v, by));
            }
            DeValue::Table(moved)
        }
        DeValue::Array(mut array) => {
            for item in array.iter_mut() {
                let taken = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shift(taken, by);
            }
            DeValue::Array(array)
        }
        other => other,
    };
    Spanned::new(span.start + by..span.end + by, inner)
}

/// The headers of one kind in a definition's files ([`Layers::headers`]): each file's are
/// indexed by name the first time a header of that file is asked for.
pub(crate) struct Headers<'l> {
    layers: &'l Layers,
    prefix: &'static str,
    /// Each indexed file's start, and the offset of the first `[<prefix><name>]` by name.
    files: Vec<(usize, HashMap<&'l str, usize>)>,
}

impl Headers<'_> {
    /// Where `[<prefix><name>]` first stands in the file that holds `offset`.
    pub(crate) fn find(&mut self, offset: usize, name: &str) -> Option<Spot> {
        let (start, file) = self.layers.file_at(offset);
        if name.contains(STOPS) {
            // Not a name the index can hold (an invalid one, already an error): as before.
            return self.layers.find(offset, &format!("{}{name}]", self.prefix));
        }
        let i = match self.files.iter().position(|(s, _)| *s == start) {
            Some(i) => i,
            None => {
                self.files.push((start, index(file.text(), self.prefix)));
                self.files.len() - 1
            }
        };
        let at = *self.files[i].1.get(name)?;
        let end = at + self.prefix.len() + name.len() + 1;
        Some(Spot::new(Arc::clone(file), at, end))
    }
}

/// What ends a name in [`index`]: a header's end, a line's end, and what starts the next
/// header, so that the file is read once, whatever it holds.
const STOPS: [char; 3] = [']', '\n', '['];

/// The offset of the first `<prefix><name>]` of `text` by name, for every name without one
/// of the [`STOPS`]: at each occurrence of `prefix`, the name runs to the next stop, which must
/// be a `]`.
fn index<'t>(text: &'t str, prefix: &str) -> HashMap<&'t str, usize> {
    let mut names = HashMap::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(end) = rest.find(STOPS).filter(|&end| rest[end..].starts_with(']')) {
            names.entry(&rest[..end]).or_insert(at);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Headers found in one pass are where a search for each from the top finds it: on
    /// random texts of header-like pieces, in both files of a layered definition, for names
    /// that are there, that are not, and that hold what ends a name.
    #[test]
    fn headers_are_found_where_a_search_for_each_finds_it() {
        let pieces = [
            "[inputs.",
            "]",
            "\n",
            "a",
            "b",
            "ab",
            "[",
            ".",
            "\"",
            " ",
            "[inputs.a]",
            "x = 1\n",
        ];
        let names = ["a", "b", "ab", "", "a]", "a[b", "a\nb", "a.b", "\"a\""];
        let mut lcg = crate::lcg::Lcg::new(22);
        let mut text = || {
            (0..lcg.below(40))
                .map(|_| pieces[lcg.below(pieces.len())])
                .collect::<String>()
        };
        for _ in 0..2000 {
            let (base, later) = (text(), text());
            let start = base.len() + 1;
            let layers = Layers::new(Arc::new(SourceFile::new("a.toml", base)))
                .then(Arc::new(SourceFile::new("b.toml", later)));
            let mut headers = layers.headers("[inputs.");
            for name in names {
                for offset in [0, start] {
                    let want = layers.find(offset, &format!("[inputs.{name}]"));
                    let got = headers.find(offset, name);
                    assert_eq!(
                        got.map(|s| s.location().to_string()),
                        want.map(|s| s.location().to_string()),
                        "{name:?} at {offset} in {layers:?}"
                    );
                }
            }
        }
    }

    fn layers() -> Layers {
        let base = Arc::new(SourceFile::new("a.toml", "x = 1\n[t]\nv = 2\n"));
        let team = Arc::new(SourceFile::new("b.toml", "[t]\nw = [3, 4]\n"));
        Layers::new(base).then(team)
    }

    #[test]
    fn a_later_table_replaces_the_earlier_one_whole() {
        let layers = layers();
        let table = layers.table().unwrap().into_inner();
        assert!(table.get("x").is_some());
        let t = table.get("t").unwrap().get_ref().as_table().unwrap();
        assert!(t.get("v").is_none());
        let w = t.get("w").unwrap();
        assert_eq!(
            layers.locate(w.span().start, w.span().end).to_string(),
            "b.toml:2:5"
        );
        assert_eq!(layers.slice(&w.span()), "[3, 4]");
        let four = &w.get_ref().as_array().unwrap()[1];
        assert_eq!(layers.slice(&four.span()), "4");
        let x = table.get("x").unwrap();
        assert_eq!(
            layers.locate(x.span().start, x.span().end).to_string(),
            "a.toml:1:5"
        );
    }

    #[test]
    fn errors_are_located_in_their_file() {
        let base = Arc::new(SourceFile::new("a.toml", "x = 1\n"));
        let team = Arc::new(SourceFile::new("b.toml", "x = \n"));
        let error = Layers::new(base).then(team).table().unwrap_err();
        assert!(error.to_string().starts_with("b.toml:1:"), "{error}");
    }
}
