//! Notes for the Markdown report: the Markdown as written, with the same rules as the HTML
//! (see [`super::html`]) applied to the source text, so that what a reviewer reads in the pull
//! request is what was written, minus what a report must not carry: raw HTML is escaped
//! (`<` becomes `&lt;`), a link to another scheme than `http`, `https` or `mailto` is reduced
//! to its text, an image becomes a link (or its text), and headings go down below the
//! report's own.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::links::allowed;
use super::options;

/// A link or image being replaced by its text: its whole range, where its first child
/// starts, and where its last child ends.
type Replaced = Option<(Range<usize>, Option<usize>, usize)>;

/// `text` cleaned; headings `shift` levels down (at most `######`).
pub(crate) fn clean(text: &str, shift: u8) -> String {
    // Replacements of source ranges, in order and never overlapping.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Links and images being replaced by their text: (whole range, first child start, last
    // child end).
    let mut open: Vec<Replaced> = Vec::new();
    let inside = |open: &[Replaced]| open.iter().any(Option::is_some);
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        // Track the children of a link being replaced.
        if let Some(Some((_, first, last))) = open.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            first.get_or_insert(range.start);
            *last = (*last).max(range.end);
        }
        match event {
            Event::Html(_) | Event::InlineHtml(_) if !inside(&open) => {
                edits.push((range.clone(), text[range].replace('<', "&lt;")));
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                let keep = link_type == LinkType::Email || allowed(&dest_url);
                let replace = !keep && !inside(&open);
                open.push(replace.then(|| (range.clone(), None, range.start)));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let keep = allowed(&dest_url);
                if keep && !inside(&open) && text[range.clone()].starts_with('!') {
                    // `![alt](url)` becomes `[alt](url)`.
                    edits.push((range.start..range.start + 1, String::new()));
                }
                let replace = !keep && !inside(&open);
                open.push(replace.then(|| (range.clone(), None, range.start)));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(Some((whole, first, last))) = open.pop() {
                    let inner = first.map_or("", |f| &text[f..last.max(f)]);
                    // An edit inside the link is superseded by its text: it is skipped when
                    // the edits are applied (the link's comes first), rather than searched
                    // for here, which cost a pass over every edit per link.
                    edits.push((whole, inner.replace('<', "&lt;")));
                }
            }
            Event::Start(Tag::Heading { .. }) if !inside(&open) => {
                let source = &text[range.clone()];
                if let Some(hash) = source.find('#').filter(|&i| source[..i].trim().is_empty()) {
                    let level = source[hash..].bytes().take_while(|&b| b == b'#').count();
                    let extra = (level + usize::from(shift)).min(6) - level;
                    let at = range.start + hash;
                    edits.push((at..at, "#".repeat(extra)));
                }
            }
            _ => {}
        }
    }
    // By start, the widest first: an edit that encloses others is applied and those skipped.
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
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
            "a &lt;script>alert(1)&lt;/script> b"
        );
        assert_eq!(
            clean("<div onclick=\"x()\">\nhi\n</div>", 2),
            "&lt;div onclick=\"x()\">\nhi\n&lt;/div>"
        );
    }

    #[test]
    fn other_links_become_text() {
        assert_eq!(
            clean(
                "[click *me*](javascript:alert(1)) and <mailto:pm@example.com>",
                2
            ),
            "click *me* and <mailto:pm@example.com>"
        );
        assert_eq!(clean("<javascript:alert(1)>", 2), "javascript:alert(1)");
        assert_eq!(
            clean(
                "![chart](https://example.com/c.png) ![x](data:image/png;base64,AA)",
                2
            ),
            "[chart](https://example.com/c.png) x"
        );
        assert_eq!(clean("[a <b>](vbscript:x)", 2), "a &lt;b>");
    }
}
