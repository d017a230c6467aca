//! Property tests of the renderer: random definitions (hostile text in every user string,
//! every unit, decimals, targets with schedules, ranges and series, baselines) over random
//! data (zeros, huge, tiny, negative and missing cells) are built into a report and rendered
//! in both formats.
//!
//! - Nothing panics, and both formats render with the built-in templates.
//! - No `inf` or `NaN` appears in the output: every number is finite or shown as missing.
//! - Every Markdown table row has as many cell separators as the header.
//! - The HTML holds no markup the user wrote: no `<script`, `<img`, and no `<` that the
//!   templates did not write.
//! - The Markdown, rendered by `comrak` as GitHub renders it (GFM extensions, autolinks
//!   included, raw HTML let through), holds no link, image or HTML the user wrote; nor does
//!   any of a list of known autolink forms placed in a report.
//! - With random notes (HTML blocks of CommonMark's seven kinds, inside quotes and lists,
//!   links and images to every kind of target, reference definitions, bare addresses), the
//!   Markdown rendered the same way holds no raw HTML, no image, and no link but to
//!   `http`, `https` or `mailto`.
//!
//! Case counts are modest so the suite stays quick; set `PROPTEST_CASES` to run more.

use kpi_core::{Catalog, Dataset, Diagnostics, SourceFile, evaluate};
use kpi_report::{Format, Notes, Options, Report, Style, Templates, render};
use proptest::prelude::*;

/// 64 cases per property, unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        // Failing cases are kept as named tests in `tests/regressions.rs`, not in a file.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

/// Text a hostile contributor might write: markup, table breakers, line breaks, Handlebars
/// syntax and arbitrary unicode.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => any::<char>().prop_map(String::from),
        2 => prop::sample::select(vec![
            "<", ">", "&", "\"", "'", "|", "\\", "\n", "\r\n", " ", "`", "*", "_", "[", "]", "(",
            ")", "!", "#", "$", "~", ":", "@", "=", "-", "1.", "inf", "NaN", "{{title}}",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)", "[click](https://evil.example)",
            "![x](https://evil.example/p.png)", "<a href=\"https://evil.example\">x</a>",
            "admin@evil.example", "xmpp:", "mailto:", "www.", "https://", "ftp:", "&#64;",
            "&#x5b;", "&lt;", ".", "/", "evil.example",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

/// One line of hostile notes: a container (a quote, a list item, an indent, a section
/// heading before it), perhaps the start or end of an HTML block of each of CommonMark's
/// seven kinds, a fence or a definition, then pieces of links, images, tags and addresses.
fn note_line() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec![
        "", "", "", "> ", "- ", "1. ", "   ", "    ", "> - ", "## m0\n", "## m1\n",
    ]);
    let opener = prop::sample::select(vec![
        "",
        "",
        "",
        "<script>",
        "<pre>",
        "<style>",
        "<textarea>",
        "</script>",
        "<!-- ",
        "-->",
        "<?php ",
        "?>",
        "<!DOCTYPE html>",
        "<![CDATA[",
        "]]>",
        "<div>",
        "<table>",
        "<iframe src=\"https://evil.example\">",
        "</div>",
        "<custom-tag>",
        "<a href=\"javascript:alert(1)\">",
        "```",
        "[r]: javascript:alert(1)",
        "[s]: https://ok.example",
        "[t]: ftp://evil.example",
        "| a | b |",
        "|---|---|",
        "===",
        "---",
    ]);
    let piece = prop_oneof![
        1 => any::<char>().prop_map(String::from),
        3 => prop::sample::select(vec![
            "[x](javascript:alert(1))", "[ok](https://ok.example)",
            "![t](https://tracker.example/p.gif)", "![t](javascript:x)",
            "[![t](https://tracker.example/p.gif)](javascript:z)",
            "[[x](javascript:y)](ftp://evil.example)", "<ftp://evil.example>",
            "<https://ok.example>", "<a@ok.example>", "ftp://evil.example",
            "FTP://evil.example/p", "xmpp:a@evil.example", "xmpp:a@evil.example/r",
            "XMPP:a@evil.example", "xmpp&#58;a@evil.example", "x-mailto:a@evil.example",
            "a.mailto:xmpp:a@evil.example", "xmpp\\:a@evil.example",
            "www.ok.example", "a@ok.example", "mailto:a@ok.example", "https://ok.example",
            "[x][r]", "[x][t]", "[r]", "[t]", "<b onmouseover=\"alert(1)\">", "</b>",
            "<img src=x onerror=alert(1)>", "<!-- c -->", "&#91;x&#93;(ftp://evil.example)",
            "&lt;", "[", "]", "(", ")", "<", ">", "!", "\\", "`", "*", "_", "~", "|", " ", ":",
            "@", "//", "&", "#", "-->", "?>", "]]>",
        ])
        .prop_map(str::to_string),
    ];
    (prefix, opener, prop::collection::vec(piece, 0..8))
        .prop_map(|(prefix, opener, pieces)| format!("{prefix}{opener}{}", pieces.concat()))
}

/// A month's hostile notes: lines of [`note_line`] and blank lines.
fn notes() -> impl Strategy<Value = String> {
    let line = prop_oneof![4 => note_line(), 1 => Just(String::new())];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\U{:08X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A finite number, with the awkward ones likely: zeros, the largest and smallest doubles,
/// negatives.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        1 => Just(1e300),
        1 => Just(f64::MIN_POSITIVE),
        1 => Just(5e-324),
        1 => Just(-1e-300),
        1 => Just(0.5),
        3 => -1e6f64..1e6,
        2 => (-100i32..100).prop_map(f64::from),
    ]
}

/// A data cell: a number or empty.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => number().prop_map(|v| format!("{v:?}")),
        1 => Just(String::new()),
    ]
}

/// One definition's random parts.
#[derive(Debug, Clone)]
struct Def {
    name: String,
    description: String,
    category: String,
    tag: String,
    input_description: String,
    unit: &'static str,
    decimals: u8,
    formula: &'static str,
    kpi: Option<Kpi>,
}

#[derive(Debug, Clone)]
struct Kpi {
    higher: bool,
    target: f64,
    warning: Option<f64>,
    baseline: Option<(f64, bool)>,
    /// A second level: a schedule entry from 2025-06, or the other end of a range.
    step: Option<f64>,
    /// 0: numbers; 1: a range (`within`); 2: the target follows the input `b`.
    form: u8,
}

fn def() -> impl Strategy<Value = Def> {
    let kpi = (
        any::<bool>(),
        number(),
        prop::option::of(number()),
        prop::option::of((number(), any::<bool>())),
        prop::option::of(number()),
        0u8..3,
    )
        .prop_map(|(higher, target, warning, baseline, step, form)| Kpi {
            higher,
            target,
            warning,
            baseline,
            step,
            form,
        });
    (
        (text(), text(), text(), text(), text()),
        prop::sample::select(vec![
            "percent", "currency", "count", "number", "seconds", "score",
        ]),
        0u8..10,
        prop::sample::select(vec![
            "a",
            "b",
            "a + b",
            "a - b",
            "a * b",
            "a / b",
            "-a",
            "prev(a)",
            "a - prev(a, 2)",
            "a * 1e300",
        ]),
        prop::option::of(kpi),
    )
        .prop_map(
            |(
                (name, description, category, tag, input_description),
                unit,
                decimals,
                formula,
                kpi,
            )| {
                Def {
                    name,
                    description,
                    category,
                    tag,
                    input_description,
                    unit,
                    decimals,
                    formula,
                    kpi,
                }
            },
        )
}

impl Def {
    fn toml(&self) -> String {
        let mut t = format!(
            "name = {}\ndescription = {}\ncategory = {}\ntags = [{}]\nkind = \"{}\"\nunit = \"{}\"\ndecimals = {}\nformula = \"{}\"\n",
            toml_string(&self.name),
            toml_string(&self.description),
            toml_string(&self.category),
            toml_string(&self.tag),
            if self.kpi.is_some() { "kpi" } else { "metric" },
            self.unit,
            self.decimals,
            self.formula,
        );
        if let Some(k) = &self.kpi {
            let direction = match (k.form, k.higher) {
                (1, _) => "within",
                (_, true) => "higher_is_better",
                (_, false) => "lower_is_better",
            };
            t.push_str(&format!("direction = \"{direction}\"\n[target]\n"));
            // The level due at the deadline, which a baseline must differ from.
            let mut goal = Some(k.target);
            match k.form {
                1 => {
                    // A range from the two levels, its warning range wider by `|w|`.
                    let other = k.step.unwrap_or(k.target);
                    let (low, high) = (k.target.min(other), k.target.max(other));
                    t.push_str(&format!("value = [{low:?}, {high:?}]\n"));
                    if let Some(w) = k.warning {
                        let (wl, wh) = (low - w.abs(), high + w.abs());
                        if wl.is_finite() && wh.is_finite() {
                            t.push_str(&format!("warning = [{wl:?}, {wh:?}]\n"));
                        }
                    }
                    goal = None;
                }
                2 => {
                    t.push_str("value = \"b\"\n");
                    goal = None;
                }
                _ => {
                    t.push_str(&format!("value = {:?}\n", k.target));
                    // The warning level lies on the bad side of the target.
                    if let Some(w) = k.warning {
                        let w = if k.higher {
                            k.target - w.abs()
                        } else {
                            k.target + w.abs()
                        };
                        if w.is_finite() {
                            t.push_str(&format!("warning = {w:?}\n"));
                        }
                    }
                }
            }
            // A baseline equal to the target due is an error of its own, not tested here;
            // a range has no baseline.
            let step = k.step.filter(|_| k.form != 1);
            // A schedule entry from 2025-06 is the one in force at the deadline, and the last.
            if let Some(s) = step {
                goal = Some(s);
            }
            if let Some((b, deadline)) = k.baseline.filter(|(b, _)| Some(*b) != goal && k.form != 1)
            {
                t.push_str(&format!(
                    "baseline = {b:?}\nbaseline_period = \"2025-01\"\n"
                ));
                if deadline {
                    t.push_str("deadline = \"2026-06\"\n");
                }
            }
            if let Some(s) = step {
                t.push_str(&format!(
                    "[[target.schedule]]\nfrom = \"2025-06\"\nvalue = {s:?}\n"
                ));
            }
        }
        t.push_str(&format!(
            "[inputs.a]\nunit = \"number\"\ndescription = {}\n[inputs.b]\nunit = \"number\"\n",
            toml_string(&self.input_description)
        ));
        t
    }
}

/// CSV over up to 30 months from 2025-01, some left out.
fn csv() -> impl Strategy<Value = String> {
    prop::collection::vec((any::<bool>(), cell(), cell()), 1..30).prop_map(|rows| {
        let mut text = String::from("period,a,b\n");
        let mut any = false;
        for (i, (keep, a, b)) in rows.iter().enumerate() {
            if *keep || (!any && i + 1 == rows.len()) {
                any = true;
                text.push_str(&format!("{}-{:02},{a},{b}\n", 2025 + i / 12, i % 12 + 1));
            }
        }
        text
    })
}

/// Whether `word` appears in `text` as a word of its own (not inside `information`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The `|` of a Markdown table line that are cell separators (not escaped with `\`).
fn separators(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

/// Renders random definitions over random data for one random month, in both formats.
fn check(
    defs: &[Def],
    data: &str,
    pick: prop::sample::Index,
    title: &str,
    notes: &str,
) -> Result<(), TestCaseError> {
    let files = defs
        .iter()
        .enumerate()
        .map(|(i, d)| SourceFile::new(format!("m/m{i}.toml"), d.toml()))
        .collect();
    let catalog = match Catalog::from_layers(vec![files], Diagnostics::default()) {
        Ok(c) => c,
        Err(d) => return Err(TestCaseError::fail(format!("definitions rejected: {d}"))),
    };
    let data = Dataset::from_files(&[SourceFile::new("d.csv", data)])
        .map_err(|d| TestCaseError::fail(format!("data rejected: {d}")))?;
    let e = evaluate(&catalog, &data);
    let t = kpi_core::MonthIndex::new(pick.index(data.months().len()));
    let report = Report::build(&e, t, title);

    let md = render(&report, Format::Markdown, &Templates::builtin())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let html = render(&report, Format::Html, &Templates::builtin())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    for (format, out) in [("md", &md), ("html", &html)] {
        for word in ["inf", "NaN", "nan", "infinity"] {
            // User text may say `inf`: only generated text is checked, so drop user strings.
            let generated = strip_user_text(out, defs, title);
            prop_assert!(!has_word(&generated, word), "{format}: `{word}` in\n{out}");
        }
    }

    // Every table row has the header's separators.
    let mut header = None;
    for line in md.lines() {
        if line.starts_with("| Name |") {
            header = Some(separators(line));
        } else if line.starts_with('|') {
            let expected = header.expect("a row follows a header");
            prop_assert_eq!(separators(line), expected, "row: {}\n{}", line, md);
        } else if !line.is_empty() {
            header = None;
        }
    }
    // No link, image or HTML survives in Markdown, as GitHub renders it.
    if let Err(problem) = only_report_markup(&gfm(&md)) {
        return Err(TestCaseError::fail(format!("{problem} in\n{md}")));
    }

    // With the notes, no raw HTML, image or link elsewhere than the web or mail.
    let notes = Notes::parse("notes/n.md", notes);
    let options = Options {
        title: Some(title.to_string()),
        style: Style::default(),
        notes: Some(&notes),
        with_descriptions: false,
        objectives: None,
        compare: None,
        chart_year_ago: None,
        year_to_date: None,
    };
    let with_notes = render(
        &Report::build_with(&e, t, &options),
        Format::Markdown,
        &Templates::builtin(),
    )
    .map_err(|e| TestCaseError::fail(e.to_string()))?;
    if let Err(problem) = only_markdown_markup(&with_notes) {
        return Err(TestCaseError::fail(format!("{problem} in\n{with_notes}")));
    }

    // In HTML, every `<` comes from the templates or the generated SVG.
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "onerror=",
        "href=\"https",
        "href=\"javascript",
    ] {
        prop_assert!(!lower.contains(forbidden), "`{}` in\n{}", forbidden, html);
    }
    Ok(())
}

/// `md` rendered to HTML as GitHub renders it: cmark-gfm's extensions (tables,
/// strikethrough, task lists, autolinks). Raw HTML is let through (comrak would otherwise drop
/// it, and GitHub keeps some tags), so that any HTML that came through shows as a tag.
fn gfm(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(md, &options)
}

/// The elements the built-in Markdown templates make: headings, paragraphs, bold, lists,
/// tables and code spans. No link (the templates have none), no image, nothing else.
const REPORT_ELEMENTS: &[&str] = &[
    "h1", "h2", "h3", "p", "strong", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
    "code",
];

/// Checks that `html` holds only the elements of [`REPORT_ELEMENTS`], without attributes
/// but `align` on table cells; else names the first other tag.
fn only_report_markup(html: &str) -> Result<(), String> {
    for (i, _) in html.match_indices('<') {
        let tag = &html[i + 1..];
        let end = tag.find('>').map_or(tag.len(), |e| e);
        let tag = tag[..end].trim_start_matches('/');
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        let allowed = REPORT_ELEMENTS.contains(&name)
            && (attributes.is_empty()
                || (["th", "td"].contains(&name)
                    && ["align=\"left\"", "align=\"right\""].contains(&attributes)));
        if !allowed {
            return Err(format!("`<{tag}>`"));
        }
    }
    Ok(())
}

/// `md` rendered as GitHub renders it: cmark-gfm's extensions (tables, strikethrough, task
/// lists, autolinks) and its quirks, raw HTML let through unless `omit_html`, in which case
/// each piece of it becomes `<!-- raw HTML omitted -->`. GitHub's tag filter (comrak removed
/// it in 0.56) only changes raw HTML, which the check refuses whole.
fn github(md: &str, omit_html: bool) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.autolink = true;
    options.render.gfm_quirks = true;
    options.render.r#unsafe = !omit_html;
    comrak::markdown_to_html(md, &options)
}

/// The elements Markdown makes, notes included: no image.
const MARKDOWN_ELEMENTS: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "a",
];

/// Checks `md` as GitHub renders it: no raw HTML (comrak, told to omit it, says where it
/// did), only [`MARKDOWN_ELEMENTS`] with the attributes Markdown gives them, and every link
/// to `http`, `https` or `mailto`; else names the first problem.
fn only_markdown_markup(md: &str) -> Result<(), String> {
    if github(md, true).contains("<!-- raw HTML omitted -->") {
        return Err("raw HTML".into());
    }
    let html = github(md, false);
    for (i, _) in html.match_indices('<') {
        let tag = &html[i + 1..];
        let tag = tag[..tag.find('>').unwrap_or(tag.len())].trim_start_matches('/');
        let tag = tag.trim_end_matches('/').trim_end();
        let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
        if !MARKDOWN_ELEMENTS.contains(&name) {
            return Err(format!("`<{tag}>`"));
        }
        // `name="value"` pairs: values are escaped, so the next `"` ends one.
        while let Some((attribute, after)) = rest.trim_start().split_once("=\"") {
            let (value, after) = after.split_once('"').unwrap_or((after, ""));
            rest = after;
            let ok = match attribute {
                "href" => {
                    let value = value.to_ascii_lowercase();
                    name == "a"
                        && ["http://", "https://", "mailto:"]
                            .iter()
                            .any(|s| value.starts_with(s))
                }
                "align" => ["th", "td"].contains(&name),
                "start" => name == "ol",
                "type" | "disabled" | "checked" => name == "input",
                "class" => name == "code" && value.starts_with("language-"),
                _ => false,
            };
            if !ok {
                return Err(format!("`<{tag}>`"));
            }
        }
        if !rest.trim().is_empty() {
            return Err(format!("`<{tag}>`"));
        }
    }
    Ok(())
}

/// `out` without any of the user's strings (as they may be escaped, their alphanumeric runs
/// are removed instead), so that a user's `inf` is not mistaken for a number.
fn strip_user_text(out: &str, defs: &[Def], title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for d in defs {
        for s in [&d.name, &d.description, &d.category, &d.input_description] {
            words.extend(
                s.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
        }
    }
    words.extend(
        title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string),
    );
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut out = out.to_string();
    for w in words {
        if w.to_ascii_lowercase().contains("inf") || w.to_ascii_lowercase().contains("nan") {
            out = out.replace(&w, " ");
        }
    }
    out
}

/// Every form GitHub's autolinker, CommonMark's autolinks and link syntax know, and ways
/// around an escape (character references, a backslash the user wrote, mixed case).
const LINK_FORMS: &[&str] = &[
    "admin@evil.example",
    "admin\\@evil.example",
    "a.b+c-d_e@evil.example.",
    "x admin@evil.example, y",
    "@admin",
    "mailto:admin@evil.example",
    "MAILTO:admin@evil.example",
    "xmpp:support@evil.example",
    "xmpp:support@evil.example/resource",
    "admin&#64;evil.example",
    "admin&commat;evil.example",
    "admin&#x40;evil.example",
    "https://evil.example",
    "HTTPS://EVIL.EXAMPLE/p?q=1",
    "http://evil.example/a_(b)",
    "ftp://evil.example",
    "https&#58;//evil.example",
    "www.evil.example",
    "WWW.evil.example",
    "(www.evil.example)",
    "*www.evil.example*",
    "~www.evil.example",
    "wwww.evil.example",
    "<https://evil.example>",
    "<admin@evil.example>",
    "<mailto:admin@evil.example>",
    "&lt;https://evil.example&gt;",
    "[x](https://evil.example)",
    "[x](/relative)",
    "[x](#anchor)",
    "[x][r]",
    "[r]: /relative",
    "[^1]",
    "![x](https://evil.example/p.png)",
    "&#91;x&#93;(https://evil.example)",
    "<img src=x onerror=alert(1)>",
    "<a href=\"/relative\">x</a>",
    "javascript:alert(1)",
];

/// One plain metric whose every string is `text`, over one month.
fn report_of(text: &str) -> String {
    let definition = Def {
        name: text.into(),
        description: text.into(),
        category: text.into(),
        tag: text.into(),
        input_description: text.into(),
        unit: "number",
        decimals: 0,
        formula: "a",
        kpi: None,
    };
    let catalog = Catalog::from_layers(
        vec![vec![SourceFile::new("m/m0.toml", definition.toml())]],
        Diagnostics::default(),
    )
    .expect("the definition loads");
    let data = Dataset::from_files(&[SourceFile::new("d.csv", "period,a,b\n2025-01,1,2\n")])
        .expect("the data loads");
    let e = evaluate(&catalog, &data);
    render(
        &Report::build(&e, kpi_core::MonthIndex::new(0), text),
        Format::Markdown,
        &Templates::builtin(),
    )
    .expect("the report renders")
}

#[test]
fn known_link_forms_stay_text_on_github() {
    // The checker itself: a link, an image and HTML are caught.
    for caught in [
        "[x](y)",
        "a@b.example",
        "www.b.example",
        "![i](p.png)",
        "<b>x</b>",
    ] {
        assert!(only_report_markup(&gfm(caught)).is_err(), "{caught}");
    }
    for form in LINK_FORMS {
        let md = report_of(form);
        let html = gfm(&md);
        assert_eq!(only_report_markup(&html), Ok(()), "{form:?}:\n{md}\n{html}");
        // Shown as written: the form reads back from the rendered text, less the
        // invisible joiners.
        let shown = html.replace('\u{2060}', "");
        let written = form
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(shown.contains(&written), "{form:?}:\n{html}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_reports_render_safely(
        defs in prop::collection::vec(def(), 1..5),
        data in csv(),
        pick in any::<prop::sample::Index>(),
        title in text(),
        notes in notes(),
    ) {
        check(&defs, &data, pick, &title, &notes)?;
    }
}
