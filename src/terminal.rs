//! User text made safe for a terminal or a CI log: control characters shown as escapes, and
//! no line that a log reader takes for a command.
//!
//! A data cell, a path or a definition's name may hold a line break, `ESC` or `BEL`: printed
//! raw, they would start a line of their own (GitHub Actions reads a line starting `::` as a
//! workflow command, so `"1\n::error file=kpi.toml::…"` in a cell forged an annotation) or
//! drive the terminal (`ESC ]0;…BEL` retitles it). Every user string that reaches stderr or a
//! text table goes through [`escape`], and every line written to stderr through [`guard`].

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character written as an escape: `\n`, `\r`, `\t`, and `\u{1b}`
/// for the others (as Rust writes them), so that it stays on one line and prints as written.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of our own output (which may hold user text) as it may reach a log: control
/// characters escaped but the tab, and a leading `::` written `\u{3a}:`, so that no line can
/// be read as a workflow command.
pub fn guard(line: &str) -> Cow<'_, str> {
    let escaped = if line.chars().any(|c| c.is_control() && c != '\t') {
        let mut out = String::with_capacity(line.len() + 8);
        for (i, part) in line.split('\t').enumerate() {
            if i > 0 {
                out.push('\t');
            }
            out.push_str(&escape(part));
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(line)
    };
    match escaped.strip_prefix("::") {
        Some(rest) => Cow::Owned(format!("\\u{{3a}}:{rest}")),
        None => escaped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain été 売"), "plain été 売");
        assert_eq!(
            escape("1\n::error file=kpi.toml::x"),
            "1\\n::error file=kpi.toml::x"
        );
        assert_eq!(escape("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(escape("a\tb\r"), "a\\tb\\r");
    }

    #[test]
    fn no_line_reads_as_a_workflow_command() {
        assert_eq!(guard("::error::x"), "\\u{3a}:error::x");
        assert_eq!(guard("error: a::b"), "error: a::b");
        assert_eq!(guard("a\tb\u{1b}"), "a\tb\\u{1b}");
    }
}
