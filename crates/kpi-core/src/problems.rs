//! The problems of one source (a data source or a definition file), said briefly: a problem
//! that repeats on many rows is shown once in full with a count of the others, and at most
//! [`MAX_SHOWN`] distinct problems are kept per source, so that a file of junk gives a few
//! dozen lines, in time linear in its size. A shown problem is made only when it is kept
//! ([`Problems::repeat`] takes a closure), so costly parts (suggestions) are paid for at most
//! [`MAX_SHOWN`] times per source.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Problem, Repeats};

/// Distinct problems kept per source; the rest are counted in one line.
pub(crate) const MAX_SHOWN: usize = 100;

/// The problems found in one source so far.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    shown: Vec<Diagnostic>,
    /// Index in `shown` of the first diagnostic of each kind of repeated problem.
    groups: HashMap<String, usize>,
    dropped: usize,
}

impl Problems {
    /// A problem said once, whatever else is found.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        if self.shown.len() < MAX_SHOWN {
            self.shown.push(diagnostic);
        } else {
            self.dropped += 1;
        }
    }

    /// A problem that may repeat on many rows: the first of each `key` is made and shown in
    /// full, the others only counted, with their lines.
    pub(crate) fn repeat(
        &mut self,
        key: &str,
        line: usize,
        noun: &'static str,
        line_word: &'static str,
        make: impl FnOnce() -> Diagnostic,
    ) {
        if let Some(&i) = self.groups.get(key) {
            let d = &mut self.shown[i];
            let r = d.repeats.get_or_insert(Repeats {
                count: 0,
                lines: (line, line),
                noun,
                line_word,
            });
            r.count += 1;
            r.lines = (r.lines.0.min(line), r.lines.1.max(line));
            return;
        }
        if self.shown.len() < MAX_SHOWN {
            self.groups.insert(key.to_string(), self.shown.len());
            self.shown.push(make());
        } else {
            self.dropped += 1;
        }
    }

    /// Whether any error was found.
    pub(crate) fn has_errors(&self) -> bool {
        self.dropped > 0 || self.shown.iter().any(Diagnostic::is_error)
    }

    /// Every diagnostic, ending with one that counts those not shown.
    pub(crate) fn finish(mut self, label: String) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            self.shown.push(Diagnostic::error(
                Problem::MoreProblems {
                    count: self.dropped,
                    from: label,
                },
                None,
            ));
        }
        self.shown
    }
}
