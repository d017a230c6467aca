//! A definition's own text (its summary and description) for each format: plain prose in
//! which Markdown code spans (`` `mrr` ``) are code, shown as `<code>` in HTML and kept as
//! code spans in Markdown; everything else is text, escaped for the format.

use crate::escape::{markdown, markdown_code, xml};
use crate::notes::Markup;

/// `text` for both formats: HTML with `<code>` for each code span and every other character
/// escaped, and inline Markdown with the code spans kept and the rest escaped. Line breaks
/// and runs of spaces become one space, as they read in a paragraph; a backtick that opens
/// no closed span is text. Without text, none.
pub(crate) fn prose(text: &str) -> Option<Markup> {
    let text = collapse(text);
    if text.is_empty() {
        return None;
    }
    let (mut html, mut md) = (String::new(), String::new());
    for piece in pieces(&text) {
        match piece {
            Piece::Text(t) => {
                html.push_str(&html_text(t));
                // `markdown` trims the ends of its text: keep the spaces around a code span.
                if t.starts_with(' ') {
                    md.push(' ');
                }
                md.push_str(&markdown(t));
                if t.ends_with(' ') && t.trim() != "" {
                    md.push(' ');
                }
            }
            Piece::Code(c) => {
                html.push_str("<code>");
                html.push_str(&html_text(c));
                html.push_str("</code>");
                md.push_str(&markdown_code(c));
            }
        }
    }
    Some(Markup { html, markdown: md })
}

/// `text` escaped as Handlebars escapes HTML: also `=` and `` ` ``, so that no fragment of an
/// attribute survives even as text.
fn html_text(text: &str) -> String {
    xml(text).replace('=', "&#x3D;").replace('`', "&#x60;")
}

/// A part of the text: plain, or the content of a code span.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// Whitespace runs (spaces, tabs, line breaks) become one space, the ends are trimmed; the
/// no-break spaces of French typography are kept.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text cut into plain parts and code spans, as CommonMark reads them: a run of `n`
/// backticks opens a span closed by the next run of exactly `n`; one space on each side of
/// the content is dropped when both are there.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut plain_from, mut i) = (0, 0);
    let bytes = text.as_bytes();
    while i < bytes.len() {
        if bytes[i] != b'`' {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
        let content_from = i + run;
        let close = find_run(&bytes[content_from..], run).map(|at| content_from + at);
        let Some(close) = close else {
            i = content_from;
            continue;
        };
        if plain_from < i {
            out.push(Piece::Text(&text[plain_from..i]));
        }
        let mut code = &text[content_from..close];
        if code.len() > 2 && code.starts_with(' ') && code.ends_with(' ') {
            code = &code[1..code.len() - 1];
        }
        out.push(Piece::Code(code));
        i = close + run;
        plain_from = i;
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

/// Where the first run of exactly `n` backticks starts in `bytes`.
fn find_run(bytes: &[u8], n: usize) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == n {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn code_spans_are_code_in_both_formats() {
        let m = prose("counts `nps_responses`,\n passives <too>").unwrap();
        assert_eq!(
            m.html,
            "counts <code>nps_responses</code>, passives &lt;too&gt;"
        );
        assert_eq!(m.markdown, "counts `nps_responses`, passives \\<too\\>");
    }

    #[test]
    fn code_with_backticks_and_unclosed_ticks() {
        let m = prose("a ``x ` y`` b").unwrap();
        assert_eq!(m.html, "a <code>x &#x60; y</code> b");
        let m = prose("it's `open").unwrap();
        assert_eq!(m.html, "it&#39;s &#x60;open");
        assert_eq!(m.markdown, "it's \\`open");
        assert_eq!(prose(" \n "), None);
    }
}
