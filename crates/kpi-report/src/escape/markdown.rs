//! Markdown escaping: user text placed inline, in a table cell, a list item or a heading,
//! must neither break the table nor turn into markup.

/// Characters that are markup somewhere in GitHub-flavoured Markdown, escaped with a
/// backslash: `|` (table cells), `\`, emphasis (`*`, `_`, `~`), code (`` ` ``), links and
/// images (`[`, `]`), HTML and autolinks (`<`, `>`), math (`$`) and heading closers (`#`).
const SPECIAL: &[char] = &['\\', '|', '`', '*', '_', '~', '[', ']', '<', '>', '$', '#'];

/// U+2060 WORD JOINER: invisible, zero width, no line break; put where GitHub's autolinker
/// would otherwise see an address (see [`markdown`]).
pub(crate) const JOINER: char = '\u{2060}';

/// `text` escaped for inline Markdown: every markup character gets a backslash, and each run
/// of line breaks (with the spaces around it) becomes one space, so that a table row stays on
/// one line. Not meant for the start of a line, where `-` or `1.` would start a list.
///
/// GitHub also turns bare addresses into links (cmark-gfm's autolink extension: `http://`,
/// `https://`, `ftp://`, `www.`, and `name@host` with `mailto:` or `xmpp:` optional). A
/// backslash does not stop it: the extension reads the text after the escapes are resolved,
/// so `a\@b.example` is still a `mailto:` link. A word joiner does, because the extension
/// only reads ASCII around the trigger: one goes before the `:` of `://`, between `www` and
/// `.`, and on both sides of every `@` (which also keeps `@name` from reading as a mention).
/// The text reads the same. An `&` that starts a character reference (`&#64;`, `&commat;`)
/// gets a backslash, so that it shows as written instead of becoming the `@` or `[` it
/// names. Tested with a real GFM renderer in `tests/properties.rs` (see `SECURITY.md`).
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
        let bytes = line.as_bytes();
        for (i, c) in line.char_indices() {
            match c {
                '@' => {
                    out.push(JOINER);
                    out.push('@');
                    out.push(JOINER);
                    continue;
                }
                ':' if line[i..].starts_with("://") => out.push(JOINER),
                '.' if i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www") => out.push(JOINER),
                '&' if is_reference(&line[i + 1..]) => out.push('\\'),
                c if SPECIAL.contains(&c) => out.push('\\'),
                _ => {}
            }
            out.push(c);
        }
    }
    out
}

/// Whether `rest`, the text after an `&`, makes it a character reference for CommonMark:
/// `#` and 1 to 7 digits, `#x` and 1 to 6 hex digits, or a name of letters and digits, then
/// `;`. Looks at most 33 bytes ahead, so escaping stays linear.
pub(crate) fn is_reference(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let (body, max, digit): (&[u8], usize, fn(&u8) -> bool) = match bytes {
        [b'#', b'x' | b'X', body @ ..] => (body, 6, u8::is_ascii_hexdigit),
        [b'#', body @ ..] => (body, 7, u8::is_ascii_digit),
        [first, ..] if first.is_ascii_alphabetic() => (bytes, 32, u8::is_ascii_alphanumeric),
        _ => return false,
    };
    let len = body.iter().take(max + 1).take_while(|b| digit(b)).count();
    (1..=max).contains(&len) && body.get(len) == Some(&b';')
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

/// `text` as an inline code span inside a table cell: as [`markdown_code`], with every `|`
/// escaped, since GitHub ends a cell at a bare `|` even inside code; it shows as `|`.
pub fn markdown_cell_code(text: &str) -> String {
    markdown_code(text).replace('|', r"\|")
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
        let j = JOINER;
        assert_eq!(
            markdown("see https://evil.example or WWW.evil.example, mail a@b.example"),
            format!("see https{j}://evil.example or WWW{j}.evil.example, mail a{j}@{j}b.example")
        );
        assert_eq!(
            markdown(r"xmpp:s@evil.example a\@b"),
            format!(r"xmpp:s{j}@{j}evil.example a\\{j}@{j}b")
        );
        assert_eq!(markdown("ratio: 3.5, www"), "ratio: 3.5, www");
    }

    #[test]
    fn character_references_show_as_written() {
        assert_eq!(
            markdown("a&#64;b &#x5B; &commat; &amp;"),
            r"a\&\#64;b \&\#x5B; \&commat; \&amp;"
        );
        // Not references: left alone.
        assert_eq!(
            markdown("Q&A R&D &#; &#12345678; &x &"),
            r"Q&A R&D &\#; &\#12345678; &x &"
        );
    }

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(markdown_code("a / b"), "`a / b`");
        assert_eq!(markdown_code("a || b"), "`a || b`");
        assert_eq!(markdown_code("x`y"), "``x`y``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a\nb"), "`a b`");
        assert_eq!(markdown_cell_code("a || b"), r"`a \|\| b`");
    }
}
