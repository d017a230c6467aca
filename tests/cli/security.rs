//! Untrusted definitions, data and templates, through the real binary: the end-to-end proofs
//! of `SECURITY.md`. Hostile text is escaped in both report formats; templates are read only
//! from the folder given and see nothing but the report model; no write loses a file or
//! leaves a temporary one behind.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{Project, Run, gfm, listing};

/// Text a hostile contributor might put in any string of a definition.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[click](https://evil.example)",
    "![x](https://evil.example/p.png)",
    "<a href=\"https://evil.example\">x</a>",
    "a | b | c",
    "back\\slash\\",
    "line one\nline two\r\n\n| --- |",
    "{{title}}",
    "https://evil.example www.evil.example me@evil.example",
    "' onmouseover='alert(1)",
];

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One definition per hostile string, used as its name, description, category, tag and
/// input description; every other one a KPI (which also gets a chart).
fn hostile_project() -> Project {
    let mut project = Project::new().file("data.csv", "period,a\n2026-01,1\n2026-02,2\n");
    for (i, text) in HOSTILE.iter().enumerate() {
        let s = toml_string(text);
        let kind = if i % 2 == 0 {
            "kind = \"kpi\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 1\n"
        } else {
            "kind = \"metric\"\n"
        };
        let definition = format!(
            "name = {s}\nsummary = {s}\ndescription = {s}\ncategory = {s}\ntags = [{s}]\nunit = \"count\"\nformula = \"a * {i}\"\n{kind}\n[inputs.a]\nunit = \"count\"\ndescription = {s}\n"
        );
        project = project.file(&format!("metrics.d/m{i}.toml"), &definition);
    }
    project
}

/// Runs `kpi report` on the project's `metrics.d` and `data.csv`, with `extra` arguments.
fn run_report(project: &Project, extra: &[&str]) -> Run {
    project.run(
        &[
            &["report", "--metrics", "metrics.d", "--data", "data.csv"],
            extra,
        ]
        .concat(),
    )
}

fn report(project: &Project, format: &str) -> String {
    let title = "<script>alert(1)</script> {{period}}";
    run_report(project, &["--format", format, "--title", title])
        .code(0)
        .stdout
}

/// Whether `line` holds `c` without a `\` before it.
fn unescaped(line: &str, c: char) -> bool {
    let mut escaped = false;
    for x in line.chars() {
        if x == c && !escaped {
            return true;
        }
        escaped = x == '\\' && !escaped;
    }
    false
}

/// The `|` of a Markdown table line that separate cells.
fn separators(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        if c == '|' && !escaped {
            count += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    count
}

#[test]
fn hostile_strings_cannot_inject_markup_into_the_html_report() {
    let project = hostile_project();
    let html = report(&project, "html");
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<img",
        "onerror=",
        "onmouseover=",
        "href=\"https",
        "href=\"javascript",
        "href=\"//",
        "src=",
    ] {
        assert!(!lower.contains(forbidden), "`{forbidden}` in\n{html}");
    }
    // The only links are the templates' own, to a metric's details: one per row, and one
    // per KPI in the list of what needs attention.
    let attention = html
        .split("<section class=\"attention\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("");
    let links = html.matches("<a ").count();
    assert_eq!(
        links,
        HOSTILE.len() + attention.matches("<a ").count(),
        "{html}"
    );
    assert_eq!(
        html.matches("href=").count(),
        html.matches("href=\"#m-m").count()
    );
    // The text is there, shown as text.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"));
    // Handlebars syntax in data is never evaluated: it shows as written.
    assert!(html.contains("{{title}}"), "{html}");
    assert!(html.contains("{{period}}"), "{html}");
}

/// The email's HTML part, read back from the message by Python's MIME parser: the same
/// escaping as the HTML report, and no image but its own charts attached by `cid:`.
#[cfg(feature = "email")]
#[test]
fn hostile_strings_cannot_inject_markup_into_the_email() {
    let project = hostile_project();
    let message = report(&project, "email");
    let email = crate::email::inspect(message.as_bytes());
    let html = email["html"].as_str().expect("an HTML part");
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "onerror=",
        "onmouseover=",
        "href=",
        "<svg",
        "<style",
    ] {
        assert!(!lower.contains(forbidden), "`{forbidden}` in\n{html}");
    }
    assert_eq!(
        lower.matches("<img ").count(),
        lower.matches("<img src=\"cid:").count(),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("{{title}}"), "{html}");
}

#[test]
fn hostile_strings_cannot_inject_markup_or_break_tables_in_the_markdown_report() {
    let project = hostile_project();
    let md = report(&project, "md");
    // No HTML, link or image syntax: every `<`, `[`, `]` the user wrote has a backslash, and
    // GitHub's renderer makes no element of user text (see the next test for addresses).
    for line in md.lines() {
        for c in ['<', '[', ']'] {
            assert!(!unescaped(line, c), "raw `{c}` in: {line}");
        }
    }
    assert_eq!(only_report_markup(&gfm(&md)), Ok(()), "{md}");
    assert!(md.contains(r"\<script\>alert(1)\</script\>"));
    assert!(md.contains("\\[click\\](https\u{2060}://evil.example)"));
    assert!(md.contains("{{title}}") && md.contains("{{period}}"));
    // Every table keeps its shape: after the header and the delimiter row, each line up to
    // the next blank one is a row with the header's separators.
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with("| Name |") {
            continue;
        }
        tables += 1;
        let columns = separators(line);
        assert_eq!(separators(lines[i + 1]), columns);
        let rows: Vec<&&str> = lines[i + 2..]
            .iter()
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(!rows.is_empty());
        for row in rows {
            assert!(row.starts_with("| ") && row.ends_with(" |"), "{row}");
            assert_eq!(separators(row), columns, "{row}");
        }
    }
    assert!(tables > 0);
    // With the descriptions too (written by the report's own escaping, not Handlebars').
    let with = run_report(&project, &["--format", "md", "--with-descriptions"])
        .code(0)
        .stdout;
    assert!(with.contains("- Description: "), "{with}");
    for line in with.lines() {
        for c in ['<', '[', ']'] {
            assert!(!unescaped(line, c), "raw `{c}` in: {line}");
        }
    }
    assert_eq!(only_report_markup(&gfm(&with)), Ok(()), "{with}");
    // One row per definition.
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Name |"))
            .count(),
        HOSTILE.len()
    );
}

/// Checks that `html` holds only the elements the built-in Markdown templates make
/// (headings, paragraphs, bold, lists, tables, code spans: no link, no image), without
/// attributes but the alignment of table cells; else names the first other tag.
fn only_report_markup(html: &str) -> Result<(), String> {
    const ELEMENTS: &[&str] = &[
        "h1", "h2", "h3", "p", "strong", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
        "code",
    ];
    for (i, _) in html.match_indices('<') {
        let tag = &html[i + 1..];
        let tag = tag[..tag.find('>').unwrap_or(tag.len())].trim_start_matches('/');
        let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        let aligned = ["th", "td"].contains(&name)
            && ["align=\"left\"", "align=\"right\""].contains(&attributes);
        if !ELEMENTS.contains(&name) || !(attributes.is_empty() || aligned) {
            return Err(format!("`<{tag}>`"));
        }
    }
    Ok(())
}

#[test]
fn addresses_in_user_text_never_become_links_in_the_markdown_report() {
    // What GitHub's autolinker (cmark-gfm) links, and ways around a backslash escape.
    let forms = [
        "admin@evil.example",
        "admin\\@evil.example",
        "mailto:admin@evil.example",
        "xmpp:support@evil.example/resource",
        "admin&#64;evil.example",
        "admin&commat;evil.example",
        "https://evil.example/x",
        "FTP://evil.example",
        "(www.evil.example)",
        "<https://evil.example>",
        "<admin@evil.example>",
        "[x](/relative)",
    ];
    let mut project = Project::new().file("data.csv", "period,a\n2026-01,1\n");
    for (i, text) in forms.iter().enumerate() {
        let s = toml_string(text);
        project = project.file(
            &format!("metrics.d/m{i}.toml"),
            &format!(
                "name = {s}\ndescription = {s}\ncategory = {s}\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n"
            ),
        );
    }
    let md = run_report(&project, &["--format", "md", "--title", forms[3]])
        .code(0)
        .stdout;
    // The checker catches what the old escape let through (a reference is decoded before
    // the autolinker reads the text; comrak, unlike cmark-gfm, does not link `a\@b.c`).
    assert!(only_report_markup(&gfm("admin&commat;evil.example")).is_err());
    let html = gfm(&md);
    assert_eq!(only_report_markup(&html), Ok(()), "{md}\n{html}");
    // Each form still reads as written (the joiners are invisible).
    let shown = html.replace('\u{2060}', "");
    for form in forms {
        let written = form
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(shown.contains(&written), "{form}:\n{html}");
    }
}

/// A project with one plain metric and a templates folder `look`.
fn templated(template: &str, text: &str) -> Project {
    Project::new()
        .file("data.csv", "period,a\n2026-01,1\n")
        .file(
            "metrics.d/m.toml",
            "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n",
        )
        .file("secret.hbs", "SECRET {{title}}")
        .file(&format!("look/{template}"), text)
}

fn report_with(project: &Project, extra: &[&str]) -> Run {
    run_report(project, &[&["--templates", "look"], extra].concat())
}

#[test]
fn partials_are_found_by_name_in_the_folder_never_by_path() {
    for partial in ["../secret", "../secret.hbs", "ABSOLUTE", "ABSOLUTE.hbs"] {
        let project = templated("report.md.hbs", "");
        let absolute = project.join("secret").display().to_string();
        let partial = partial.replace("ABSOLUTE", &absolute);
        fs::write(
            project.join("look/report.md.hbs"),
            format!("{{{{> {partial}}}}}\n"),
        )
        .unwrap();
        let run = report_with(&project, &["--format", "md"]).code(1);
        assert!(!run.stdout.contains("SECRET"), "{partial}: {}", run.stdout);
        assert!(
            run.stderr.contains("look/report.md.hbs:1:1: no template")
                && run.stderr.contains("never by path"),
            "{partial}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_must_stay_inside_the_templates_folder() {
    use std::os::unix::fs::symlink;
    // A link to a file outside, directly or through another link in the folder.
    for chain in [false, true] {
        let project = templated("mine.txt", "* {{name}}\n");
        let look = project.join("look");
        if chain {
            symlink(project.join("secret.hbs"), look.join("hop.txt")).unwrap();
            symlink(look.join("hop.txt"), look.join("row.md.hbs")).unwrap();
        } else {
            symlink("../secret.hbs", look.join("row.md.hbs")).unwrap();
        }
        let run = report_with(&project, &["--format", "md"]).code(1);
        assert!(
            run.stderr.contains("links outside the templates folder"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
    // A link to a file inside the folder is followed.
    let project = templated("mine.txt", "* {{name}}\n");
    symlink("mine.txt", project.join("look/row.md.hbs")).unwrap();
    let run = report_with(&project, &["--format", "md"]).code(0);
    assert!(run.stdout.contains("\n* M\n"), "{}", run.stdout);
}

#[test]
fn templates_see_the_report_model_and_nothing_else() {
    // Everything at the root of the model, and every value one level down.
    let template =
        "{{#each this}}{{@key}}\n{{/each}}--\n{{#each summary}}{{@key}}={{this}}\n{{/each}}";
    let project = templated("report.md.hbs", template);
    let output = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args([
            "report",
            "--metrics",
            "metrics.d",
            "--data",
            "data.csv",
            "--templates",
            "look",
            "--format",
            "md",
        ])
        .current_dir(project.join(""))
        .env("KPI_TEST_SECRET", "hunter2")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("attention\ncompare\ncompared\nlabels\nlang\nnotes\nobjectives\nperiod\nperiod\\_label\nprevious\\_period\nprevious\\_period\\_label\nsections\nsummary\ntitle\nwith\\_descriptions\n--\n"),
        "{text}"
    );
    assert!(!text.contains("hunter2") && !text.contains("KPI_TEST_SECRET"));
    // Names that would reach the environment or the machine elsewhere are not fields here.
    for probe in [
        "{{env.KPI_TEST_SECRET}}",
        "{{@root.env}}",
        "{{lookup this \"env\"}}",
        "{{process.env.HOME}}",
        "{{ENV}}",
    ] {
        let project = templated("report.md.hbs", probe);
        let run = report_with(&project, &["--format", "md"]);
        assert!(!run.stdout.contains("hunter2"));
        if run.code == 0 {
            // `lookup` of a missing key gives nothing rather than an error.
            assert_eq!(run.stdout.trim(), "", "{probe}");
        } else {
            assert!(
                run.stderr.contains("report model"),
                "{probe}: {}",
                run.stderr
            );
        }
    }
}

/// The source of `kpi-report`, file by file, without comments.
fn report_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/kpi-report/src")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let code: String = fs::read_to_string(&path)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                files.push((path.display().to_string(), code));
            }
        }
    }
    files
}

/// A guard rather than a proof: templates can only call what the crate registers, so no
/// code of `kpi-report` but the template and notes loaders may touch files, the environment, processes
/// or the network. A helper that did would show up here.
#[test]
fn only_the_template_loader_touches_the_file_system() {
    let files = report_sources();
    assert!(files.len() > 10);
    for (path, code) in &files {
        // The template loader, and the notes loader (which reads `notes/YYYY-MM.md`).
        let loader = path.ends_with("templates.rs") || path.ends_with("notes/mod.rs");
        for word in [
            "std::env",
            "env::var",
            "std::process",
            "Command",
            "std::net",
            "std::fs",
            "fs::",
            "File::",
            "include_str!",
        ] {
            if loader && ["std::fs", "fs::", "include_str!"].contains(&word) {
                continue;
            }
            // `kpi_core::SourceFile` is text in memory, not a file handle.
            let code = code.replace("SourceFile::", "");
            assert!(!code.contains(word), "`{word}` in {path}");
        }
    }
    // Only `code`, the strict `if` and `unless` and the row-by-row `each` are registered;
    // Handlebars without its
    // optional features (templates from directories, script helpers).
    // Without white space, so that a call rustfmt spreads over lines is found too.
    let compact: Vec<String> = files
        .iter()
        .map(|(_, code)| code.split_whitespace().collect())
        .collect();
    let mut registered: Vec<&str> = compact
        .iter()
        .flat_map(|code| code.split("register_helper(\"").skip(1))
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .collect();
    registered.sort_unstable();
    registered.dedup();
    assert_eq!(registered, ["code", "each", "if", "unless"]);
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("handlebars = { version = \"6.4\", default-features = false }"),
        "Handlebars' features changed: check SECURITY.md"
    );
}

/// A project with one metric and an existing report, `reports/2026-01.md`.
fn with_report() -> Project {
    templated("unused.hbs", "")
        .file("reports/2026-01.md", "last month, kept byte for byte\n")
        .file("taken", "a file, not a folder\n")
}

fn assert_untouched(project: &Project, before: &[String]) {
    assert_eq!(listing(&project.join("")), before);
    assert_eq!(listing(&project.join("reports")), ["2026-01.md"]);
    assert_eq!(
        fs::read(project.join("reports/2026-01.md")).unwrap(),
        b"last month, kept byte for byte\n"
    );
    assert_eq!(
        fs::read(project.join("taken")).unwrap(),
        b"a file, not a folder\n"
    );
}

#[test]
fn a_report_that_cannot_be_written_leaves_everything_as_it_was() {
    let cases: [(&str, &str); 4] = [
        // The parent is a regular file.
        ("taken/2026-01.md", "cannot write `taken/2026-01.md`"),
        // A folder to create under a regular file.
        (
            "taken/sub/2026-01.md",
            "cannot write `taken/sub/2026-01.md`",
        ),
        // The output is a folder.
        ("reports", "cannot write `reports`"),
        ("reports/", "cannot write `reports/`"),
    ];
    for (output, message) in cases {
        let project = with_report();
        let before = listing(&project.join(""));
        let run = run_report(&project, &["--format", "md", "--output", output]).code(1);
        assert!(run.stderr.contains(message), "{output}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert_untouched(&project, &before);
    }
}

#[test]
fn a_template_failing_half_way_leaves_the_existing_report_untouched() {
    // The title and the first section are rendered before `nope` fails.
    let project = with_report().file(
        "look/report.md.hbs",
        "# {{title}}\n{{#each sections}}\n## {{title}}\n{{nope}}\n{{/each}}\n",
    );
    let before = listing(&project.join(""));
    let run = report_with(&project, &["--output", "reports/2026-01.md"]).code(1);
    assert!(
        run.stderr
            .contains("look/report.md.hbs:4:1: `nope` is not a field of the report model"),
        "{}",
        run.stderr
    );
    assert_untouched(&project, &before);
}

#[test]
fn kpi_new_never_writes_through_a_file_or_a_link() {
    let project = with_report();
    let before = listing(&project.join(""));
    // `--dir` names a regular file.
    let run = project.run(&["new", "signups", "--dir", "taken"]).code(1);
    assert!(
        run.stderr.contains("cannot create `taken`"),
        "{}",
        run.stderr
    );
    assert_untouched(&project, &before);
    // The file exists as a dangling symbolic link: it is not replaced, nor its target made.
    #[cfg(unix)]
    {
        let project = Project::new().file("team/other.toml", "");
        std::os::unix::fs::symlink("nowhere.toml", project.join("team/signups.toml")).unwrap();
        project.run(&["new", "signups", "--dir", "team"]).code(1);
        assert_eq!(
            listing(&project.join("team")),
            ["other.toml", "signups.toml"]
        );
        assert!(!project.join("team/nowhere.toml").exists());
        assert!(
            fs::symlink_metadata(project.join("team/signups.toml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}

/// A valid project with one definition of input `a`, and data.
fn valid() -> Project {
    Project::new()
        .file("data.csv", "period,a\n2026-01,1\n")
        .file(
            "metrics.d/m.toml",
            "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n",
        )
}

#[test]
fn every_limit_holds_with_a_clear_error() {
    // A definition file over 64 KiB.
    let big = format!("# {}\n", "x".repeat(64 * 1024));
    let run = valid()
        .file("metrics.d/big.toml", &big)
        .run(&["check"])
        .code(1);
    assert!(
        run.stderr
            .contains("`metrics.d/big.toml` is 65539 bytes, more than the limit of 65536 bytes"),
        "{}",
        run.stderr
    );
    // A `kpi.toml` over 64 KiB.
    let run = valid().file("kpi.toml", &big).run(&["check"]).code(1);
    assert!(
        run.stderr.contains("more than the limit of 65536 bytes"),
        "{}",
        run.stderr
    );
    // More than 200 operands in a formula.
    let formula = vec!["a"; 201].join(" + ");
    let run = valid()
        .file("metrics.d/long.toml", &crate::support::metric(&formula, ""))
        .run(&["check"])
        .code(1);
    assert!(run.stderr.contains("more than 200"), "{}", run.stderr);
    // More than 100 000 definitions: refused before any is read.
    let project = valid();
    for i in 0..100_001 {
        fs::File::create(project.join(&format!("metrics.d/m{i}.toml"))).unwrap();
    }
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr
            .contains("100002 definitions exceed the limit of 100000"),
        "{}",
        run.stderr
    );
}

/// A file that never ends (`/dev/zero`, which has a size of 0) is cut at the limit: a link
/// in a pull request cannot make `kpi` read without end.
#[cfg(unix)]
#[test]
fn a_link_to_an_endless_file_is_read_only_up_to_the_limit() {
    use std::os::unix::fs::symlink;
    let project = valid();
    symlink("/dev/zero", project.join("zero.csv")).unwrap();
    let run = project.run(&["check", "--data", "zero.csv"]).code(1);
    assert!(
        run.stderr
            .contains("`zero.csv` is 67108865 bytes, more than the limit of 67108864 bytes"),
        "{}",
        run.stderr
    );
    symlink("/dev/zero", project.join("metrics.d/zero.toml")).unwrap();
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.contains("more than the limit of 65536 bytes"),
        "{}",
        run.stderr
    );
}

#[test]
fn partials_calling_each_other_fail_instead_of_crashing() {
    let project = with_report()
        .file("look/row.md.hbs", "{{> details.md}}\n")
        .file("look/details.md.hbs", "{{name}}\n{{> row.md}}\n");
    let run = report_with(&project, &["--format", "md"]).code(1);
    assert_eq!(
        run.stderr,
        "error: look/row.md.hbs:1:1: invalid template: partials call each other in a loop: details.md → row.md → details.md\n"
    );
    let project = project.file("look/row.md.hbs", "{{> (lookup this \"name\")}}\n");
    let run = report_with(&project, &["--format", "md"]).code(1);
    // A partial chosen at render time cannot be checked for loops: it is refused.
    assert_eq!(
        run.stderr,
        "error: look/row.md.hbs:1:1: invalid template: partials chosen at render time (`{{> (…)}}`) are not supported: call a partial by its name\n"
    );
}

/// Issue 23, item 4: an inline partial that calls itself overflowed the stack (exit 134).
#[test]
fn an_inline_partial_calling_itself_fails_instead_of_crashing() {
    let project = with_report().file(
        "look/report.md.hbs",
        "{{#*inline \"x\"}}{{> x}}{{/inline}}{{> x}}\n",
    );
    let run = report_with(&project, &["--format", "md"]).code(1);
    assert_eq!(
        run.stderr,
        "error: look/report.md.hbs:1:17: invalid template: partials call each other in a loop: x → x\n"
    );
}

#[test]
fn partials_calling_each_other_across_lines_fail_instead_of_crashing() {
    // A call split across lines passed a check that read the text line by line, and the
    // report aborted with a stack overflow (exit 134).
    let project = with_report()
        .file("look/row.md.hbs", "{{>\ndetails.md}}\n")
        .file(
            "look/details.md.hbs",
            "{{name}}\n{{#if name}}{{>\n  row.md}}{{/if}}\n",
        );
    let run = report_with(&project, &["--format", "md"]).code(1);
    assert_eq!(
        run.stderr,
        "error: look/row.md.hbs:1:1: invalid template: partials call each other in a loop: details.md → row.md → details.md\n"
    );
}

#[test]
fn oversized_numbers_print_in_a_few_characters() {
    // A target of 1e300 printed 301 digits, in the explanation's pace as in the tables, and a
    // value just below the baseline made progress read `-0.0 %`.
    let project = Project::new()
        .file(
            "metrics.d/m.toml",
            "name = \"M\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"number\"\nformula = \"a\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 1e300\nbaseline = 0\nbaseline_period = \"2026-01\"\ndeadline = \"2026-12\"\n[inputs.a]\nunit = \"number\"\n",
        )
        .file("data.csv", "period,a\n2026-01,0\n2026-03,-1\n");
    let explain = project
        .run(&["explain", "m", "--data", "data.csv", "--period", "2026-03"])
        .code(0)
        .stdout;
    assert!(
        explain.contains("target:   1e300, higher is better\n"),
        "{explain}"
    );
    // Progress -1 / 1e300 rounds to zero: no sign. Two months of eleven: 1e300 × 2 / 11.
    assert!(
        explain.contains(
            "progress: 0.0 % of the way from baseline to target; behind the pace (1.82e299 expected)\n"
        ),
        "{explain}"
    );
    let eval = project
        .run(&["eval", "--data", "data.csv", "--period", "2026-03"])
        .code(0)
        .stdout;
    let report = project
        .run(&[
            "report", "--data", "data.csv", "--period", "2026-03", "--format", "md",
        ])
        .code(0)
        .stdout;
    let list = project.run(&["list"]).code(0).stdout;
    for out in [&explain, &eval, &report, &list] {
        // No run of more than 17 digits (a double's precision), and no negative zero.
        let longest = out
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(longest <= 17, "{out}");
        assert!(!out.contains("-0.0 ") && !out.contains("-0 "), "{out}");
    }
    assert!(eval.contains(" 1e300 "), "{eval}");
    assert!(report.contains("≥\u{a0}1e300"), "{report}");
    assert!(report.contains("(1.82e299 expected)"), "{report}");
}

/// No line of stderr may start with `::`, which GitHub Actions reads as a workflow command,
/// and no raw control character may reach the terminal.
fn assert_safe_for_a_log(text: &str) {
    for line in text.lines() {
        assert!(
            !line.starts_with("::"),
            "a line reads as a command: {line:?}"
        );
    }
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a raw control character: {text:?}"
    );
}

/// Issue 23, item 6: a CSV cell holding a line break and `::error …` put a forged annotation
/// on stderr, a line of its own starting with `::`.
#[test]
fn a_data_cell_cannot_forge_a_ci_annotation() {
    let project = valid().file(
        "data.csv",
        "period,a\n2026-01,\"1\n::error file=kpi.toml,line=1::forged annotation\"\n",
    );
    let run = project.run(&["eval", "--data", "data.csv"]).code(1);
    assert_safe_for_a_log(&run.stderr);
    assert!(
        run.stderr
            .contains("1\\n::error file=kpi.toml,line=1::forged annotation"),
        "{}",
        run.stderr
    );
}

/// Issue 23, item 6: a category holding `ESC ]0;…BEL` retitled the terminal in `kpi list`.
#[test]
fn a_category_cannot_drive_the_terminal() {
    let project = valid().file(
        "metrics.d/m.toml",
        "name = \"M\\u001b[31m\"\ncategory = \"c\\u001b]0;pwned\\u0007\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n",
    );
    let list = project.run(&["list"]).code(0);
    assert_safe_for_a_log(&list.stdout);
    assert!(
        list.stdout.contains("c\\u{1b}]0;pwned\\u{7}"),
        "{}",
        list.stdout
    );
    let explain = project.run(&["explain", "m", "--data", "data.csv"]).code(0);
    assert!(
        explain.stdout.starts_with("m — M\\u{1b}[31m\n"),
        "{}",
        explain.stdout
    );
}

/// Issue 23, item 6: a path holding a line break or `ESC` appeared raw in errors.
#[test]
fn a_path_with_control_characters_is_escaped_in_errors() {
    let project = valid();
    let run = project
        .run(&["eval", "--data", "no\n::error::such\u{1b}.csv"])
        .code(1);
    assert_safe_for_a_log(&run.stderr);
    assert!(
        run.stderr.contains("no\\n::error::such\\u{1b}.csv"),
        "{}",
        run.stderr
    );
}

/// Issue 23, item 7: 200 000 `## x` headings gave 1 000 001 warning lines. A heading repeated
/// is said once with a count, and at most 100 distinct ones in full, then one line.
#[test]
fn many_unknown_notes_sections_are_said_briefly() {
    let repeated = "## x\n".repeat(200_000);
    let project = valid()
        .file("kpi.toml", "notes = \"notes\"\n")
        .file("notes/2026-01.md", &repeated);
    let run = project
        .run(&[
            "report", "--data", "data.csv", "--format", "md", "--output", "r.md",
        ])
        .code(0);
    assert!(run.stderr.lines().count() < 12, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("… and 199999 more sections like it (lines 2–200000)"),
        "{}",
        run.stderr
    );
    // 1 000 distinct headings: 100 said in full (5 lines each), then one line for 900.
    let distinct: String = (0..1000).map(|i| format!("## h{i}\n\n")).collect();
    let project = project.file("notes/2026-01.md", &distinct);
    let run = project
        .run(&[
            "report", "--data", "data.csv", "--format", "md", "--output", "r.md",
        ])
        .code(0);
    assert_eq!(
        run.stderr.matches("warning: notes/2026-01.md:").count(),
        100
    );
    assert!(
        run.stderr
            .contains("warning: … and 900 more problems in `notes/2026-01.md`"),
        "{}",
        run.stderr
    );
}

/// Issue 23, item 8: no message carries the system's raw error text, whose `(os error N)`
/// tells a user nothing: reads, writes and folders each say what is wrong in words.
#[test]
fn no_message_carries_the_systems_error_code() {
    let data = "period,customers_lost,customers_start\n2026-10,3,100\n";
    let project = Project::new()
        .file("metrics.d/churn.toml", &crate::support::churn_kpi())
        .file("data.csv", data)
        .file("folder/data.csv", data)
        .file("kpi.toml", "notes = \"notes\"\n")
        .file("taken", "a file\n");
    fs::create_dir_all(project.join("notes/2026-10.md")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["eval", "--data", "folder"],
            "error: `folder` is a folder, not a data file\n  = help: name each CSV file it holds, such as `folder/monthly.csv`\n",
        ),
        (
            &["eval", "--data", "nowhere.csv"],
            "error: cannot read `nowhere.csv`: it does not exist\n",
        ),
        (
            &["report", "--data", "data.csv", "--format", "md"],
            "note: evaluating 2026-10, the latest month in the data\nerror: cannot read notes `notes/2026-10.md`: it is a folder, not a file\n",
        ),
        (
            &["init", "taken/acme"],
            "error: `taken` is a file, not a folder: `kpi init` wrote nothing\n",
        ),
    ];
    for (args, expected) in cases {
        let run = project.run(args);
        assert_ne!(run.code, 0, "{args:?}");
        assert_eq!(run.stderr, *expected, "{args:?}");
        assert!(!run.stderr.contains("os error"), "{args:?}: {}", run.stderr);
    }
}

/// The Markdown report with `notes` as the month's notes (summary and the comment on `m`),
/// rendered as GitHub renders it.
fn notes_on_github(notes: &str) -> (String, String) {
    let project = valid()
        .file("kpi.toml", "notes = \"notes\"\n")
        .file("notes/2026-01.md", &format!("{notes}\n\n## m\n\n{notes}\n"));
    let md = project
        .run(&["report", "--data", "data.csv", "--format", "md"])
        .code(0)
        .stdout;
    let html = gfm(&md);
    (md, html)
}

/// The targets of the links in `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap_or(rest.len())])
        .collect()
}

/// Issue 23, item 5: a line of notes starting an HTML block was copied with only `<` escaped,
/// so the text inside the block became Markdown: GitHub rendered the `javascript:` link and
/// the tracking image. Each of CommonMark's seven kinds of HTML block, inside and outside a
/// quote and a list.
#[test]
fn html_blocks_in_notes_cannot_make_links_or_images_in_the_markdown_report() {
    let inside = "[click](javascript:alert(1)) ![pixel](https://tracker.example/p.gif)";
    let blocks = [
        ("<script>", "</script>"),
        ("<pre>", "</pre>"),
        ("<style>", "</style>"),
        ("<textarea>", "</textarea>"),
        ("<!--", "-->"),
        ("<?php", "?>"),
        ("<!DOCTYPE html", ">"),
        ("<![CDATA[", "]]>"),
        ("<div>", "</div>"),
        ("<table>", "</table>"),
        ("<iframe src=\"https://evil.example\">", "</iframe>"),
        ("<custom-tag>", "</custom-tag>"),
    ];
    for (open, close) in blocks {
        for container in ["", "> ", "- "] {
            let indent = if container == "- " { "  " } else { container };
            let notes = format!(
                "Before.\n\n{container}{open}\n{indent}{inside}\n{indent}{close}\n\nAfter [ok](https://ok.example)."
            );
            let (md, html) = notes_on_github(&notes);
            assert!(!html.contains("<img"), "{notes}:\n{md}\n{html}");
            assert_eq!(
                hrefs(&html),
                ["https://ok.example", "https://ok.example"],
                "{notes}:\n{md}\n{html}"
            );
            // Raw HTML is shown as written (less invisible joiners), as in the HTML report.
            let text = html.replace('\u{2060}', "");
            let shown = open
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            assert!(text.contains(&shown), "{notes}:\n{md}\n{html}");
            assert!(
                text.contains("[click](javascript:alert(1))"),
                "{notes}:\n{md}\n{html}"
            );
        }
    }
}

/// Issue 23, item 5: bare `ftp://` and `xmpp:` addresses in notes became links on GitHub; so
/// did a link's text once a link around it was removed (`<ftp://…>`, a link to another
/// scheme around a link or around a tracking image).
#[test]
fn bare_ftp_and_xmpp_addresses_in_notes_are_not_links_in_the_markdown_report() {
    let notes = [
        "ftp://evil.example/a",
        "FTP://evil.example/b",
        "xmpp:support@evil.example/resource",
        "xmpp&#58;c@evil.example",
        "x-mailto:d@evil.example",
        "<ftp://evil.example/e>",
        "[[x](javascript:y)](ftp://evil.example/f)",
        "[![pixel](https://tracker.example/p.gif)](javascript:z)",
        "[x][r]\n\n[r]: ftp://evil.example/g",
        // Web and mail addresses stay links, as written.
        "https://ok.example/h www.ok.example cs@ok.example",
    ]
    .join("\n\n");
    let (md, html) = notes_on_github(&notes);
    assert!(!html.contains("<img"), "{md}\n{html}");
    let kept = [
        "https://tracker.example/p.gif",
        "https://ok.example/h",
        "http://www.ok.example",
        "mailto:cs@ok.example",
    ];
    assert_eq!(hrefs(&html), [kept, kept].concat(), "{md}\n{html}");
    // Each address still reads as written (the joiners are invisible).
    let shown = html.replace('\u{2060}', "");
    for text in [
        "ftp://evil.example/a",
        "xmpp:support@evil.example/resource",
        "xmpp:c@evil.example",
        "x-mailto:d@evil.example",
        "ftp://evil.example/e",
    ] {
        assert!(shown.contains(text), "{text}:\n{html}");
    }
}
