//! Notes rendered to HTML with `pulldown-cmark`: raw HTML is escaped and shown as text, never
//! passed through; a link keeps its target only when it is `http`, `https` or `mailto` (else
//! only its text remains); an image becomes a link to it (a report loads nothing from
//! elsewhere), or its text; headings go down below the report's own.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd, html};

use super::links::allowed;
use super::options;

/// `text` as HTML, its headings `shift` levels down (at most `<h6>`).
pub(crate) fn render(text: &str, shift: u8) -> String {
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // A link, or an image turned into a link to it: kept when its target is allowed.
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => {
            // Email autolinks only come from links, never from images.
            let keep = link_type == LinkType::Email || allowed(&dest_url);
            dropped.push(!keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            let was_dropped = dropped.pop().unwrap_or(true);
            (!was_dropped).then_some(Event::End(TagEnd::Link))
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: lower(level, shift),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(lower(level, shift))))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, events);
    out
}

/// `level` moved `shift` levels down, at most to level 6.
fn lower(level: HeadingLevel, shift: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(shift).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_is_rendered() {
        assert_eq!(
            render(
                "Churn **rose**; see [the dashboard](https://example.com/d).",
                2
            ),
            "<p>Churn <strong>rose</strong>; see <a href=\"https://example.com/d\">the dashboard</a>.</p>\n"
        );
        assert_eq!(render("# Why\n", 3), "<h4>Why</h4>\n");
        assert_eq!(render("###### Deep\n", 3), "<h6>Deep</h6>\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert_eq!(
            render("a <script>alert(1)</script> b", 2),
            "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>\n"
        );
        assert_eq!(
            render("<div onclick=\"x()\">\nhi\n</div>\n", 2),
            "&lt;div onclick=\"x()\"&gt;\nhi\n&lt;/div&gt;\n"
        );
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        assert_eq!(
            render(
                "[click](javascript:alert(1)) <mailto:pm@example.com> <cs@example.com>",
                2
            ),
            "<p>click <a href=\"mailto:pm@example.com\">mailto:pm@example.com</a> <a href=\"mailto:cs@example.com\">cs@example.com</a></p>\n"
        );
        assert_eq!(
            render(
                "![chart](https://example.com/c.png) ![x](data:image/png;base64,AA)",
                2
            ),
            "<p><a href=\"https://example.com/c.png\">chart</a> x</p>\n"
        );
        assert_eq!(render("[a][r]\n\n[r]: vbscript:evil", 2), "<p>a</p>\n");
    }
}
