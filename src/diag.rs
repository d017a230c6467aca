//! Renders diagnostics for the terminal: `severity: path:line:column: message`, the source
//! line with the span underlined, then the help.

use std::fmt::Write as _;

use kpi_core::{Diagnostic, Severity};
use unicode_width::UnicodeWidthStr;

use crate::terminal::escape;

/// The text of one diagnostic, ending with a newline.
pub fn render(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    // User text (a cell, a path, a name) is in the message: escaped, it stays on its line.
    let mut out = format!("{severity}: {}\n", escape(&d.to_string()));
    let mut pad = String::from(" ");
    if let Some(location) = d.location.as_ref().filter(|l| !l.line_text.is_empty()) {
        let number = location.line.to_string();
        pad = " ".repeat(number.len());
        // Columns count characters; the terminal draws some of them two cells wide (`売`)
        // and others none (a combining accent), so the caret is placed by display width.
        let line = location.line_text.replace('\t', " ");
        let (before, rest) = line.split_at(
            line.char_indices()
                .nth(location.text_column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i),
        );
        let span = &rest[..rest
            .char_indices()
            .nth(location.len)
            .map_or(rest.len(), |(i, _)| i)];
        // Escapes widen what they replace: the caret is placed under the escaped text.
        let (before, span) = (escape(before), escape(span));
        let before = " ".repeat(before.width());
        let width = span.width().max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {}", escape(&line));
        let _ = writeln!(out, "{pad} | {before}{}", "^".repeat(width));
    }
    if let Some(help) = d.problem.help() {
        let _ = writeln!(out, "{pad} = help: {}", escape(&help));
    }
    if let Some(repeats) = &d.repeats {
        let _ = writeln!(out, "{}", escape(&repeats.to_string()));
    }
    out
}
