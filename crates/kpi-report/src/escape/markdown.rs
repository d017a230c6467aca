//! Markdown escaping: user text placed inline, in a table cell, a list item or a heading,
//! must neither break the table nor turn into markup.

/// Characters that are markup somewhere in GitHub-flavoured Markdown, escaped with a
/// backslash: `|` (table cells), `\`, emphasis (`*`, `_`, `~`), code (`` ` ``), links and
/// images (`[`, `]`), HTML and autolinks (`<`, `>`), math (`$`) and heading closers (`#`).
/// `&` is left as it is.
const SPECIAL: &[char] = &['\\', '|', '`', '*', '_', '~', '[', ']', '<', '>', '$', '#'];

/// `text` escaped for inline Markdown: every markup character gets a backslash, and each run
/// of line breaks (with the spaces around it) becomes one space, so that a table row stays on
/// one line. Not meant for the start of a line, where `-` or `1.` would start a list.
///
/// GitHub also turns bare addresses into links (its "extended autolinks": `https://…`,
/// `www.…`, `name@host`); a backslash before the `:` of `://`, the `.` of `www.` and every
/// `@` keeps them text, so that no user string becomes a link (see `SECURITY.md`).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut lines = text
        .split(['\n', '\r'])
        // No-break spaces are kept: a French `\u{a0}:` is typography, not padding.
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}')))
        .filter(|l| !l.is_empty());
    let mut first = true;
    for line in lines.by_ref() {
        if !first {
            out.push(' ');
        }
        first = false;
        for (i, c) in line.char_indices() {
            let rest = &line[i..];
            let autolink = match c {
                '@' => true,
                ':' => rest.starts_with("://"),
                '.' => line[..i].to_ascii_lowercase().ends_with("www"),
                _ => false,
            };
            if SPECIAL.contains(&c) || autolink {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// `text` as an inline code span: fenced with one more backtick than its longest run of
/// backticks, with line breaks as spaces. Code spans show `\` and `|` literally, so this is
/// for text outside tables (in a table, GitHub ends the cell at a `|`, even in code).
pub fn markdown_code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_breaking_characters_are_escaped() {
        assert_eq!(markdown("a | b"), r"a \| b");
        assert_eq!(markdown(r"C:\temp"), r"C:\\temp");
        assert_eq!(markdown("one\ntwo\r\n\r\nthree\n"), "one two three");
        assert_eq!(markdown("Q&A <script>"), r"Q&A \<script\>");
        assert_eq!(
            markdown("*bold* _it_ [l](x) `c` $x$ #1 ~s~"),
            r"\*bold\* \_it\_ \[l\](x) \`c\` \$x\$ \#1 \~s\~"
        );
        assert_eq!(markdown("\u{a0}:"), "\u{a0}:");
        assert_eq!(
            markdown("+12.3 % ▲ 3 min 12 s — 2026-03"),
            "+12.3 % ▲ 3 min 12 s — 2026-03"
        );
    }

    #[test]
    fn bare_addresses_do_not_become_links() {
        assert_eq!(
            markdown("see https://evil.example or WWW.evil.example, mail a@b.example"),
            r"see https\://evil.example or WWW\.evil.example, mail a\@b.example"
        );
        assert_eq!(markdown("ratio: 3.5, www"), "ratio: 3.5, www");
    }

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(markdown_code("a / b"), "`a / b`");
        assert_eq!(markdown_code("a || b"), "`a || b`");
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb"), "`a b`");
    }
}
