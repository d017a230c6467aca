//! Reading TOML files into typed values, with the `toml` crate's errors turned into located
//! diagnostics that name the file and suggest the right spelling of a key or a value.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Problem};
use crate::source::SourceFile;
use crate::suggest::closest;

/// Parses a TOML file into `T`, turning the `toml` crate's error into a located diagnostic
/// with a suggestion for misspelt keys and values.
pub(crate) fn from_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<T, Diagnostic> {
    toml::from_str(file.text()).map_err(|e| located(file, e.message(), e.span().unwrap_or(0..0)))
}

/// A `toml` error's `message` at `span` of `file`, as a located diagnostic with a suggestion
/// for misspelt keys and values.
pub(crate) fn located(file: &SourceFile, message: &str, span: Range<usize>) -> Diagnostic {
    let message = message.trim_end().to_string();
    // The parser's nesting guard gives no position: point at the most deeply nested line,
    // where the fix is, rather than at the top of the file.
    let span = if span.is_empty() && message.contains("recursion limit") {
        deepest_line(file.text())
    } else {
        span
    };
    let problem = translate_serde_message(&message, file.text(), &span);
    // A key missing from the top-level table is about the whole file, not its first line.
    let location = match problem {
        Problem::MissingKey { .. } if span.start == 0 => file.whole(),
        _ => file.locate(span.start, span.end),
    };
    Diagnostic::error(problem, Some(location))
}

/// The first line nested deepest, by a table header's dotted keys (`[a.b.c]`: 3) or by the
/// brackets and braces open on the line: one pass, linear in the text.
fn deepest_line(text: &str) -> Range<usize> {
    let mut best = (0, 0..0);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let depth = if trimmed.starts_with('[') && !trimmed.contains('=') {
            trimmed.matches('.').count() + 1
        } else {
            let (mut open, mut deepest) = (0usize, 0usize);
            for c in trimmed.chars() {
                match c {
                    '[' | '{' => {
                        open += 1;
                        deepest = deepest.max(open);
                    }
                    ']' | '}' => open = open.saturating_sub(1),
                    _ => {}
                }
            }
            deepest
        };
        if depth > best.0 {
            let end = start + line.trim_end().len();
            best = (depth, start + (line.len() - line.trim_start().len())..end);
        }
        start += line.len();
    }
    best.1
}

fn backticked_words(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn translate_serde_message(message: &str, text: &str, span: &Range<usize>) -> Problem {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let words = backticked_words(rest);
        if let Some((key, expected)) = words.split_first() {
            return Problem::UnknownKey {
                key: key.clone(),
                suggestion: closest(key, expected.iter().map(String::as_str)),
                expected: expected.to_vec(),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let words = backticked_words(rest);
        if let Some((value, expected)) = words.split_first() {
            let line_start = text[..span.start.min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let key = text[line_start..span.start.min(text.len())]
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            return Problem::UnknownValue {
                key,
                value: value.clone(),
                suggestion: crate::suggest::value(value, expected.iter().map(String::as_str)),
                expected: expected.to_vec(),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field ")
        && let Some(key) = backticked_words(rest).first()
    {
        return Problem::MissingKey { key: key.clone() };
    }
    // serde names Rust types; say what to write instead.
    let message = message
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected a whole number")
        .replace(
            "expected a sequence",
            "expected an array such as `[\"a\", \"b\"]`",
        )
        .replace("expected a string", "expected a string in quotes")
        .replace("invalid type: ", "wrong type: ")
        .replace(
            "recursion limit",
            "nested too deeply: write this table with fewer levels",
        )
        // An enum given a number or a table.
        .replace(
            "wanted string or table",
            "wrong type: expected a string in quotes",
        );
    Problem::Toml { message }
}
