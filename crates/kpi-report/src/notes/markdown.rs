//! Notes for the Markdown report: the Markdown as written, with the rules of the HTML report
//! (see [`super::html`]) applied to the source text, so that what a reviewer reads in the pull
//! request is what was written, minus what a report must not carry. GitHub renders the result
//! with cmark-gfm and its extensions, so each rule is made to hold there, not only for the
//! parser that reads the notes (`pulldown-cmark`):
//!
//! - raw HTML, a tag in a line or a whole HTML block of any of CommonMark's seven kinds
//!   (`<script>`, `<!-- -->`, `<?php ?>`, `<!DOCTYPE>`, `<![CDATA[ ]]>`, `<div>`, any tag), is
//!   shown as text: every character of it that could be Markdown is escaped, because the text
//!   the tags hid (a link, an image, an address) would otherwise become markup once the tags
//!   are escaped, and a blank line keeps an HTML block a block of its own;
//! - a link to another scheme than `http`, `https` or `mailto` keeps its text and loses its
//!   brackets and target; an image becomes a link (or its text); a link reference definition
//!   to another scheme is shown as text;
//! - no edit changes the blocks: no line becomes blank and no text comes to start a line, so
//!   that a code block, left as written, stays one;
//! - text that those edits could join into new syntax (`[`, `]`, `<`, a `!` before an image
//!   made a link) is escaped, and a bare address that GitHub's autolinker would link to
//!   another scheme (`ftp://…`, `xmpp:…@…`, `x-mailto:…@…`) gets an invisible word joiner
//!   where the autolinker stops reading;
//! - headings go down below the report's own.
//!
//! Checked with a GFM renderer (`comrak`, GitHub's extensions) over random notes in
//! `tests/properties.rs`; the cases named after a finding were found that way or against
//! cmark-gfm itself.

use std::cmp::Reverse;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::links::allowed;
use super::options;
use crate::escape::{JOINER, is_reference, markdown_code};

/// `text` cleaned; headings `shift` levels down (at most `######`).
pub(crate) fn clean(text: &str, shift: u8) -> String {
    let text = &same_lines(text);
    let mut cleaner = Cleaner {
        text,
        shift,
        edits: Vec::new(),
        open: Vec::new(),
        run: None,
        code: 0,
        html_line: 0,
    };
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        cleaner.event(event, range);
    }
    cleaner.flush();
    // A definition to another scheme becomes text, so that no reference can reach it on
    // GitHub, however the two parsers match labels. It stays a line of its own: removed, it
    // could end a list or a paragraph elsewhere than before and move a code block into one.
    for (_, definition) in parser.reference_definitions().iter() {
        if !allowed(&definition.dest) {
            let span = definition.span.clone();
            let shown = literal(&text[span.clone()], Addresses::All);
            cleaner.edits.push((span.clone(), shown));
            // Text now, it would take in a definition on the next line (one with the same
            // label, which the parser does not list) as text; any other line stays in its
            // paragraph, as it was (a lazy line of a list item stays in the item).
            if let Some(newline) = text[span.end..].find('\n') {
                let next = span.end + newline + 1;
                let line = text[next..].split('\n').next().unwrap_or("");
                if line
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '>')
                    .starts_with('[')
                {
                    cleaner.blank_line_after(next, span.start);
                }
            }
        }
    }
    cleaner.apply()
}

/// A link or image being replaced by its text.
#[derive(Debug)]
struct Replaced {
    /// Its whole range.
    whole: Range<usize>,
    /// Where its first child starts, once seen.
    first: Option<usize>,
    /// Where its last child ends.
    last: usize,
}

/// Which bare addresses a word joiner breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addresses {
    /// Those GitHub would link to another scheme than `http`, `https` or `mailto`: in the
    /// notes' text, where a bare `https://…` or `name@host` may stay a link.
    Foreign,
    /// All: in raw HTML shown as text, which holds no link in the HTML report either.
    All,
}

/// The edits that clean one text, collected event by event.
struct Cleaner<'t> {
    text: &'t str,
    shift: u8,
    /// Replacements of source ranges; applied in order, an edit inside another skipped.
    edits: Vec<(Range<usize>, String)>,
    /// The links and images open around the current event; `Some` for those replaced.
    open: Vec<Option<Replaced>>,
    /// The run of text events being read: its source range and its text. A run is judged
    /// whole, as GitHub's autolinker reads text nodes joined.
    run: Option<(Range<usize>, String)>,
    /// Depth of code blocks, whose text is shown as written.
    code: usize,
    /// Where the last line of raw HTML starts.
    html_line: usize,
}

impl Cleaner<'_> {
    /// Records the edits `event`, found at `range`, needs.
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        // Track the children of a link being replaced.
        if let Some(Some(link)) = self.open.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            link.first.get_or_insert(range.start);
            link.last = link.last.max(range.end);
        }
        if let Event::Text(text) = &event
            && self.code == 0
        {
            match &mut self.run {
                Some((run, joined)) => {
                    run.end = range.end;
                    joined.push_str(text);
                }
                None => {
                    // An escaped character's range leaves out its backslash: take it in, so
                    // that the run, escaped again, does not keep it as a second one.
                    let escaped = text.starts_with(|c: char| c.is_ascii_punctuation())
                        && self.text[..range.start]
                            .bytes()
                            .rev()
                            .take_while(|&b| b == b'\\')
                            .count()
                            % 2
                            == 1;
                    let start = range.start - usize::from(escaped);
                    self.run = Some((start..range.end, text.to_string()));
                }
            }
            return;
        }
        self.flush();
        match event {
            Event::Html(line) => {
                self.html_line = range.start;
                // Leading blanks go: shown as text, an indented line could read as code.
                let line = line.trim_start_matches([' ', '\t']);
                self.edits.push((range, literal(line, Addresses::All)));
            }
            Event::InlineHtml(tag) => self.edits.push((range, literal(&tag, Addresses::All))),
            // A code span over several lines goes on one: what it holds is left as written,
            // so none of its lines may read as a block (a tag) where GitHub ends a paragraph
            // that `pulldown-cmark` continues. Its line breaks are spaces either way.
            Event::Code(code) if self.text[range.clone()].contains('\n') => {
                self.edits.push((range, markdown_code(&code)));
            }
            Event::Start(Tag::HtmlBlock) => self.blank_line_before(range.start),
            Event::End(TagEnd::HtmlBlock) => self.blank_line_after(range.end, self.html_line),
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                let keep = link_type == LinkType::Email || allowed(&dest_url);
                self.open.push((!keep).then(|| Replaced::at(range)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let keep = allowed(&dest_url);
                if keep && self.text[range.clone()].starts_with('!') {
                    // `![alt](url)` becomes `[alt](url)`.
                    self.edits
                        .push((range.start..range.start + 1, String::new()));
                }
                self.open.push((!keep).then(|| Replaced::at(range)));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(Some(link)) = self.open.pop() {
                    self.unwrap(link);
                }
            }
            Event::Start(Tag::Heading { .. }) => self.lower_heading(range),
            _ => {}
        }
    }

    /// Escapes the run of text just read, if it holds what an edit could turn into syntax
    /// (`[`, `]`, `<`, a last `!`) or an address GitHub would link to another scheme; else it
    /// stays as written. A web address that runs into what follows the run (a code span, a
    /// link whose `<` is gone) is no link either: GitHub's autolinker reads on to the next
    /// blank or `<`, and would take a code span's backtick, leaving its text, left as
    /// written, to be read as Markdown.
    fn flush(&mut self) {
        let Some((range, text)) = self.run.take() else {
            return;
        };
        let last_word = text.rsplit(char::is_whitespace).next().unwrap_or("");
        let lower = last_word.to_ascii_lowercase();
        let runs_on = self.text[range.end..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace());
        let addresses = if runs_on && (lower.contains("://") || lower.contains("www.")) {
            Addresses::All
        } else {
            Addresses::Foreign
        };
        // A `!` last: an image's `!` removed after it would make it one again.
        let risky = text.contains(['[', ']', '<'])
            || text.ends_with('!')
            || !joins(&text, addresses).is_empty();
        if risky {
            self.edits.push((range, literal(&text, addresses)));
        }
    }

    /// Removes a replaced link's brackets and target, keeping its text (cleaned like any
    /// other, so that an image inside is a link too). The opening bracket becomes an
    /// invisible word joiner: the text after it never starts a line, where `- a` or `1.`
    /// would start a list and move what follows (a code block) into it; an empty link
    /// leaves the joiner alone, so that its line never becomes blank.
    fn unwrap(&mut self, link: Replaced) {
        let joiner = JOINER.to_string();
        match link.first {
            Some(first) => {
                self.edits.push((link.whole.start..first, joiner));
                let last = link.last.max(first);
                self.edits.push((last..link.whole.end, String::new()));
            }
            None => self.edits.push((link.whole, joiner)),
        }
    }

    /// Adds `#`s to the ATX heading at `range`, at most to `######`.
    fn lower_heading(&mut self, range: Range<usize>) {
        let source = &self.text[range.clone()];
        if let Some(hash) = source.find('#').filter(|&i| source[..i].trim().is_empty()) {
            let level = source[hash..].bytes().take_while(|&b| b == b'#').count();
            let extra = (level + usize::from(self.shift)).min(6) - level;
            let at = range.start + hash;
            self.edits.push((at..at, "#".repeat(extra)));
        }
    }

    /// A blank line before the HTML block starting at `start`, unless one is there: escaped,
    /// its first line would otherwise continue the paragraph above.
    fn blank_line_before(&mut self, start: usize) {
        let line = line_start(self.text, start);
        if line > 0 && !blank(&self.text[line_start(self.text, line - 1)..line]) {
            let prefix = container(&self.text[line..start]);
            self.edits.push((line..line, format!("{prefix}\n")));
        }
    }

    /// A blank line after a block escaped into a paragraph (an HTML block, a definition)
    /// that ends at `end` and whose last line holds `last`, unless one is there: the next
    /// line would otherwise continue the paragraph.
    fn blank_line_after(&mut self, end: usize, last: usize) {
        let rest = &self.text[end..];
        let next = rest.split('\n').next().unwrap_or("");
        if self.text[..end].ends_with('\n') && !blank(next) {
            let line = line_start(self.text, last);
            let prefix = container(&self.text[line..last]);
            self.edits.push((end..end, format!("{prefix}\n")));
        }
    }

    /// The text with the edits made. By start, insertions first, then the widest: an edit
    /// that encloses others is applied and those skipped.
    fn apply(mut self) -> String {
        self.edits
            .sort_by_key(|(r, _)| (r.start, !r.is_empty(), Reverse(r.end)));
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for (range, replacement) in self.edits {
            if range.start < at {
                continue;
            }
            out.push_str(&self.text[at..range.start]);
            out.push_str(&replacement);
            at = range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

impl Replaced {
    fn at(range: Range<usize>) -> Replaced {
        Replaced {
            last: range.start,
            whole: range,
            first: None,
        }
    }
}

/// `text` with the line ends both parsers agree on, so that a code block `pulldown-cmark`
/// reads (and leaves as written) is one on GitHub: every line ends with `\n` (it does not end
/// a line at a lone `\r`), without blanks after a tab (it does not close a fence followed by
/// one). Trailing tabs make no hard line break. Other control characters become U+FFFD: the
/// two parsers disagree on whether a vertical tab or a form feed is whitespace, so that
/// `[s]: https://ok.example<ftp://x>` followed by one is a definition (kept) here and a
/// paragraph holding an `ftp://` link on GitHub.
fn same_lines(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c.is_ascii_control() => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    for line in text.replace("\r\n", "\n").split_inclusive(['\n', '\r']) {
        let bare = line.trim_end_matches(['\n', '\r']);
        let trimmed = bare.trim_end_matches([' ', '\t']);
        let blanks = &bare[trimmed.len()..];
        out.push_str(if blanks.contains('\t') { trimmed } else { bare });
        if bare.len() < line.len() {
            out.push('\n');
        }
    }
    out
}

/// Where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether `line` holds nothing but blanks and block quote markers.
fn blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == '>')
}

/// The block quote markers of a line's `prefix` (list markers become blanks), for a blank
/// line inside the same containers. The prefix ends at the first character no container
/// marker holds: a line's last piece of raw HTML may start after others (`<script>` and
/// then its line break), whose `>` is no quote.
fn container(prefix: &str) -> String {
    let kept: String = prefix
        .chars()
        .take_while(|c| c.is_whitespace() || "->*+.)".contains(*c) || c.is_ascii_digit())
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect();
    kept.trim_end().to_string()
}

/// Markup characters anywhere in a line: tables, escapes, emphasis, code, links, images,
/// HTML, math, headings' closers; `&` only where it starts a character reference.
const SPECIAL: &[char] = &[
    '\\', '|', '`', '*', '_', '~', '[', ']', '!', '<', '>', '$', '#',
];

/// `text` as literal Markdown text wherever it stands: the markup characters escaped (`<` as
/// `&lt;`), and at
/// the start of each line any punctuation and the `.` or `)` after a number (so that no
/// line starts a list, a quote, a heading, a fence, a table or a thematic break), with word
/// joiners where `addresses` says.
fn literal(text: &str, addresses: Addresses) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4 + 8);
    let mut joins = joins(text, addresses).into_iter().peekable();
    // 0: before the line's first non-blank character; 1: in its leading digits; 2: after.
    let mut place = 0u8;
    for (i, c) in text.char_indices() {
        while joins.next_if_eq(&i).is_some() {
            out.push(JOINER);
        }
        if c == '\n' || c == '\r' {
            place = 0;
            out.push(c);
            continue;
        }
        let escape = match (place, c) {
            (0, ' ' | '\t') => false,
            (0 | 1, '0'..='9') => {
                place = 1;
                false
            }
            (0, c) => {
                place = 2;
                c.is_ascii_punctuation()
            }
            (1, '.' | ')') => {
                place = 2;
                true
            }
            (_, '&') => {
                place = 2;
                is_reference(&text[i + 1..])
            }
            (_, c) => {
                place = 2;
                SPECIAL.contains(&c)
            }
        };
        if c == '<' {
            // A reference, not `\<`: a bare address just before would take the backslash
            // into its link (GitHub's autolinker stops at `<`) and leave the `<` bare.
            out.push_str("&lt;");
        } else {
            if escape {
                out.push('\\');
            }
            out.push(c);
        }
    }
    if joins.next().is_some() {
        out.push(JOINER);
    }
    out
}

/// Where word joiners go in `text` (byte offsets, ascending): before the `:` of `scheme://`,
/// between `www` and `.`, and on both sides of the `@` of an address, where GFM's autolinker
/// (`http`, `https`, `ftp`, `www.`, `name@host` with `mailto:` or `xmpp:` optional) reads only
/// ASCII and stops. With [`Addresses::Foreign`], only where it would link elsewhere than
/// `http`, `https` or `mailto`: `ftp://` (any other scheme too, in case), and an `@` whose
/// name follows `mailto:` or `xmpp:` ([`mail_protocol`]) unless the link is `mailto:…`
/// itself, and every `@` after one such: cmark-gfm keeps the protocol it saw for the next
/// address of the text and links `mailto:a@b@c.example` to the relative `b@c.example`.
fn joins(text: &str, addresses: Addresses) -> Vec<usize> {
    let bytes = text.as_bytes();
    let all = addresses == Addresses::All;
    let mut at = Vec::new();
    let mut protocol_seen = false;
    for (i, c) in text.char_indices() {
        match c {
            ':' if text[i..].starts_with("://") => {
                let from = bytes[..i].iter().rposition(|b| !b.is_ascii_alphabetic());
                let scheme = &text[from.map_or(0, |p| p + 1)..i];
                let web = ["http", "https"]
                    .iter()
                    .any(|s| scheme.eq_ignore_ascii_case(s));
                if !scheme.is_empty() && (all || !web) {
                    at.push(i);
                }
            }
            '.' if all && i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www") => at.push(i),
            '@' => {
                let protocol = mail_protocol(bytes, i);
                let foreign = all
                    || protocol_seen
                    || protocol.is_some_and(|start| !bytes[start..].starts_with(b"mailto:"));
                protocol_seen |= protocol.is_some();
                if foreign {
                    at.extend([i, i + 1]);
                }
            }
            _ => {}
        }
    }
    at
}

/// Where GitHub's autolinker starts the address of the `@` at byte `i` when it met a
/// `mailto:` or `xmpp:` on the way: it reads the name backwards over letters, digits and
/// `._+-`, and through such a colon, which makes the text its link's whole target, with the
/// name characters before it (`x-mailto:a@b.example` links to `x-mailto:a@b.example`). `None`
/// without such a colon: the link is `mailto:` and the text.
fn mail_protocol(bytes: &[u8], i: usize) -> Option<usize> {
    let name = |b: &u8| b.is_ascii_alphanumeric() || b"._+-".contains(b);
    let mut start = i;
    let mut protocol = false;
    loop {
        start = bytes[..start]
            .iter()
            .rposition(|b| !name(b))
            .map_or(0, |p| p + 1);
        let scheme = start
            .checked_sub(1)
            .filter(|&colon| bytes[colon] == b':')
            .map(|colon| {
                let from = bytes[..colon]
                    .iter()
                    .rposition(|b| !b.is_ascii_alphabetic());
                &bytes[from.map_or(0, |p| p + 1)..colon]
            });
        match scheme {
            Some(s) if s.eq_ignore_ascii_case(b"mailto") || s.eq_ignore_ascii_case(b"xmpp") => {
                protocol = true;
                start -= 1;
            }
            _ => break,
        }
    }
    protocol.then_some(start)
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn plain_markdown_is_kept_as_written() {
        let text = "Churn **rose**; see [the dashboard](https://example.com/d).\n\n- one\n- two";
        assert_eq!(clean(text, 2), text);
    }

    #[test]
    fn headings_go_down() {
        assert_eq!(clean("# Why\n\ntext", 2), "### Why\n\ntext");
        assert_eq!(clean("#### Deep", 3), "###### Deep");
    }

    #[test]
    fn raw_html_is_escaped() {
        assert_eq!(
            clean("a <script>alert(1)</script> b", 2),
            r"a &lt;script\>alert(1)&lt;/script\> b"
        );
        // An HTML block: every line is text, leading blanks dropped.
        assert_eq!(
            clean("<div onclick=\"x()\">\n  hi\n</div>", 2),
            "&lt;div onclick=\"x()\"\\>\nhi\n&lt;/div\\>"
        );
    }

    #[test]
    fn markup_inside_an_html_block_stays_text() {
        // Escaping only `<` let the block's lines be read as Markdown: a link, an image.
        let j = super::JOINER;
        assert_eq!(
            clean("<div>\n[x](javascript:alert(1)) ![t](https://t.example/p.gif)\n</div>", 2),
            "&lt;div\\>\n\\[x\\](javascript:alert(1)) \\!\\[t\\](https{j}://t.example/p.gif)\n&lt;/div\\>"
                .replace("{j}", &j.to_string())
        );
        // Each line, whatever it starts with, is a paragraph line.
        assert_eq!(
            clean("<!--\n- a\n# b\n1. c\n===\n-->", 2),
            "&lt;\\!--\n\\- a\n\\# b\n1\\. c\n\\===\n\\--\\>"
        );
        // A block of its own: a blank line before and after, inside the same quote.
        assert_eq!(
            clean("text\n<?php x ?>\nmore", 2),
            "text\n\n&lt;?php x ?\\>\n\nmore"
        );
        assert_eq!(
            clean("> <!-- c -->\n> ===\nfoo", 2),
            "> &lt;\\!-- c --\\>\n>\n> ===\nfoo"
        );
    }

    #[test]
    fn other_links_become_text() {
        // The opening bracket becomes a word joiner, the rest of the link's syntax goes.
        let j = super::JOINER;
        assert_eq!(
            clean(
                "[click *me*](javascript:alert(1)) and <mailto:pm@example.com>",
                2
            ),
            format!("{j}click *me* and <mailto:pm@example.com>")
        );
        assert_eq!(
            clean("<javascript:alert(1)>", 2),
            format!("{j}javascript:alert(1)")
        );
        assert_eq!(
            clean(
                "![chart](https://example.com/c.png) ![x](data:image/png;base64,AA) ![](data:,)",
                2
            ),
            format!("[chart](https://example.com/c.png) {j}x {j}")
        );
        assert_eq!(clean("[a <b>](vbscript:x)", 2), format!(r"{j}a &lt;b\>"));
        // The definition is shown as text.
        assert_eq!(
            clean("[a][r]\n\n[r]: ftp://x.example", 2),
            format!("{j}a\n\n\\[r\\]: ftp{j}://x.example")
        );
    }

    #[test]
    fn an_image_inside_a_removed_link_is_a_link() {
        // The link's text was copied as written: the tracking image came back.
        assert_eq!(
            clean("[![i](https://t.example/p.gif)](javascript:z)", 2),
            format!("{}[i](https://t.example/p.gif)", super::JOINER)
        );
    }

    #[test]
    fn removed_links_cannot_join_into_new_ones() {
        // Brackets around a removed link: `[x](ftp://z)` once the inner link is gone.
        let j = super::JOINER;
        assert_eq!(
            clean("[[x](javascript:y)](ftp://z)", 2),
            format!(r"\[{j}x\](ftp{j}://z)")
        );
    }

    #[test]
    fn no_edit_changes_the_blocks() {
        // A code block stays one: a definition removed, or a link's text starting its line,
        // put it inside the list above, where GitHub read it as HTML (found by the property
        // test).
        let j = super::JOINER;
        assert_eq!(
            clean("- <script>\n[r]: javascript:alert(1)\n\n    <script>", 2),
            "- &lt;script\\>\n\n\\[r\\]: javascript:alert(1)\n\n    <script>"
        );
        assert_eq!(
            clean("- a\n\n[- b](javascript:x)\n\n    <script>", 2),
            format!("- a\n\n{j}- b\n\n    <script>")
        );
    }

    #[test]
    fn bare_ftp_and_xmpp_addresses_are_not_links() {
        let j = super::JOINER;
        assert_eq!(
            clean(
                "FTP://evil.example xmpp:a@evil.example <ftp://evil.example>",
                2
            ),
            format!("FTP{j}://evil.example xmpp:a{j}@{j}evil.example {j}ftp{j}://evil.example")
        );
        // Written with a reference or an escape, still one address to GitHub.
        assert_eq!(
            clean(r"xmpp&#58;a@evil.example xmpp\:b@evil.example", 2),
            format!("xmpp:a{j}@{j}evil.example xmpp:b{j}@{j}evil.example")
        );
        // GitHub links `x-mailto:a@…` as written: a relative link.
        assert_eq!(
            clean("x-mailto:a@evil.example", 2),
            format!("x-mailto:a{j}@{j}evil.example")
        );
        // Web and mail addresses stay as written, links on GitHub as in the HTML report.
        let kept = "https://x.example www.x.example a@x.example mailto:a@x.example";
        assert_eq!(clean(kept, 2), kept);
    }

    #[test]
    fn an_address_cannot_take_the_escape_of_a_tag() {
        // GitHub's autolinker ends `https://…\<img …>` at `<`, taking the backslash: the tag
        // came through as HTML (found by the property test).
        assert_eq!(
            clean("[s]: https://ok.example<img src=x onerror=alert(1)>", 2),
            r"\[s\]: https{j}://ok.example&lt;img src=x onerror=alert(1)\>"
                .replace("{j}", &super::JOINER.to_string())
        );
        assert_eq!(
            clean(r"https://ok.example\<img src=x>", 2),
            r"https://ok.example&lt;img src=x\>"
        );
    }

    #[test]
    fn an_image_mark_removed_cannot_join_a_bang_before_it() {
        // `!![t](…)` became `![t](…)`, an image on GitHub; `\!` kept its backslash alone
        // and lost the escape (found against cmark-gfm).
        assert_eq!(
            clean("!![t](https://t.example/p.gif)", 2),
            r"\![t](https://t.example/p.gif)"
        );
        assert_eq!(
            clean(r"\![t](https://t.example/p.gif)", 2),
            r"\![t](https://t.example/p.gif)"
        );
    }

    #[test]
    fn a_definition_shown_as_text_keeps_the_next_line_apart() {
        // The second definition (a duplicate, which the parser does not list) would have
        // become text of the first one's paragraph, and its address a link.
        let j = super::JOINER;
        assert_eq!(
            clean("[t]: ftp://evil.example\n[t]: ftp://evil.example", 2),
            format!("\\[t\\]: ftp{j}://evil.example\n\n[t]: ftp://evil.example")
        );
    }

    #[test]
    fn an_address_after_a_failed_mail_link_is_not_linked() {
        // cmark-gfm keeps the `mailto:` it saw for the next address of the text:
        // `mailto:a@b@c.example` links to the relative `b@c.example`.
        let j = super::JOINER;
        assert_eq!(
            clean("mailto:a@b@c.example", 2),
            format!("mailto:a@b{j}@{j}c.example")
        );
    }

    #[test]
    fn a_blank_line_after_raw_html_holds_only_quote_markers() {
        // The line break of `> <script>\r\n` was raw HTML of its own: the `>` of the tag
        // was taken for a quote marker, and the line inserted was no blank one (found by the
        // property test). Line ends are `\n` now, and the prefix stops at the tag anyway.
        assert_eq!(
            clean("> <script>\r\n    <script>", 2),
            "> &lt;script\\>\n>\n    <script>"
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // `pulldown-cmark` read the second line as part of the code block, GitHub as a
        // paragraph with a tag in it (found against cmark-gfm).
        assert_eq!(
            clean("    code\r<b onmouseover=\"x\">", 2),
            "    code\n\n&lt;b onmouseover=\"x\"\\>"
        );
    }

    #[test]
    fn a_fence_closed_before_a_tab_closes() {
        // `pulldown-cmark` kept the block open past "```\t", GitHub closed it: the tag after
        // it was left as written, as code, and was HTML on GitHub (found against cmark-gfm).
        assert_eq!(
            clean("```\nx\n```\t\n<b>y</b>\r\nz  \n", 2),
            "```\nx\n```\n&lt;b\\>y&lt;/b\\>\nz  \n"
        );
    }

    #[test]
    fn a_code_span_over_lines_goes_on_one() {
        // GitHub ended the paragraph at `</script>` (a lazy line of a quoted list), so the
        // code span never formed and its link and image were live (found against cmark-gfm).
        assert_eq!(
            clean("> - a `[x](javascript:z)\n</script>\nb` c", 2),
            "> - a `[x](javascript:z) </script> b` c"
        );
    }

    #[test]
    fn a_web_address_cannot_run_into_what_follows() {
        // GitHub's autolinker took the span's backtick into the link, and the span's text
        // became Markdown (found against cmark-gfm).
        let j = super::JOINER;
        assert_eq!(
            clean(
                "see https://ok.example`ftp://evil.example` and https://ok.example `x`",
                2
            ),
            format!("see https{j}://ok.example`ftp://evil.example` and https://ok.example `x`")
        );
        // Nor into a link whose `<` became a word joiner.
        assert_eq!(
            clean("https://ok.example<ftp://evil.example>`ftp://e.example`", 2),
            format!("https{j}://ok.example{j}ftp{j}://evil.example`ftp://e.example`")
        );
    }

    #[test]
    fn a_line_after_a_definition_shown_as_text_stays_in_its_paragraph() {
        // A blank line after the definition took the lazy `(` out of the list item, and the
        // fence after it became text (found against cmark-gfm).
        assert_eq!(
            clean("1. [r]: javascript:x\n(\n    ```\n   ftp://e.example\n", 2),
            "1. \\[r\\]: javascript:x\n(\n    ```\n   ftp://e.example\n"
        );
    }

    #[test]
    fn code_is_left_as_written() {
        let text = "```\n<div>[x](javascript:y) ftp://z\n```\n\n`<b> ftp://z`";
        assert_eq!(clean(text, 2), text);
    }

    #[test]
    fn a_vertical_tab_cannot_turn_a_definition_into_an_ftp_link_on_github() {
        // Found by the property test: pulldown-cmark read this as a definition of an https
        // address (kept), cmark-gfm as a paragraph with an autolink to `ftp://`.
        assert_eq!(
            clean("[s]: https://ok.example<ftp://evil.example>\u{b}", 2),
            "[s]: https://ok.example<ftp://evil.example>\u{fffd}"
        );
    }
}
