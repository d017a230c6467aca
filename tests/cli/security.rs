//! The claims of `SECURITY.md`, each shown through the binary: hostile text in definitions
//! cannot inject markup into either report, templates cannot reach outside their folder or
//! into the environment, and failed writes lose nothing.

use crate::support::{Project, inputs, listing};

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[click](https://evil.example)",
    "![x](https://evil.example/p.png)",
    "<a href=\"https://evil.example\">x</a>",
    "a | b \\ c",
    "{{title}} {{> report.html}}",
];

/// A KPI whose every free-text field carries `text`.
fn hostile_project(text: &str) -> Project {
    let toml_text = text.replace('\\', "\\\\").replace('"', "\\\"");
    let definition = format!(
        "name = \"{toml_text}\"\ndescription = \"{toml_text}\\nsecond line\"\ncategory = \"{toml_text}\"\n\
         kind = \"kpi\"\nunit = \"percent\"\nformula = \"won / leads * 100\"\n\
         direction = \"higher_is_better\"\ntags = [\"{toml_text}\"]\n\n[target]\nvalue = 5\nwarning = 2\n"
    ) + &inputs(&["won", "leads"]).replace(
        "unit = \"count\"",
        &format!("unit = \"count\"\ndescription = \"{toml_text}\""),
    );
    Project::new()
        .file("metrics.d/conversion.toml", &definition)
        .file(
            "data.csv",
            "period,won,leads\n2026-01,3,100\n2026-02,4,100\n",
        )
}

fn report(project: &Project, format: &str, title: &str) -> String {
    project
        .run(&[
            "report", "--data", "data.csv", "--format", format, "--title", title,
        ])
        .code(0)
        .stdout
}

#[test]
fn hostile_text_cannot_inject_markup_into_html() {
    for text in HOSTILE {
        let project = hostile_project(text);
        let html = report(&project, "html", text);
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{text}");
        assert!(!lower.contains("<img"), "{text}");
        assert!(!lower.contains("onerror="), "{text}");
        // The report's own links only point inside the page.
        for link in lower.split("href=\"").skip(1) {
            assert!(
                link.starts_with('#'),
                "{text}: href=\"{}",
                &link[..link.len().min(40)]
            );
        }
        // Handlebars syntax inside data is printed, not evaluated.
        if text.contains("{{") {
            assert!(html.contains("{{title}}"), "{text}");
        }
    }
}

#[test]
fn hostile_text_cannot_inject_markup_or_break_markdown_tables() {
    for text in HOSTILE {
        let project = hostile_project(text);
        let md = report(&project, "md", text);
        // Markup characters from the text reach the file escaped, so GitHub shows them as
        // text: no raw HTML, no link or image syntax.
        for markup in ['<', '[', ']'] {
            assert_eq!(unescaped(&md, markup), 0, "{text}: {markup} in\n{md}");
        }
        // Every table row has as many cell separators as its header.
        let mut header_cells = None;
        for line in md.lines() {
            if line.starts_with("| Name") {
                header_cells = Some(unescaped_pipes(line));
            } else if line.starts_with('|') {
                assert_eq!(Some(unescaped_pipes(line)), header_cells, "{text}: {line}");
            } else if !line.is_empty() && !line.starts_with('#') {
                header_cells = None;
            }
        }
        if text.contains("{{") {
            assert!(
                md.contains("\\{\\{title}}") || md.contains("{{title}}"),
                "{text}"
            );
        }
    }
}

fn unescaped_pipes(line: &str) -> usize {
    unescaped(line, '|')
}

/// How many times `markup` occurs without a backslash before it, outside code spans.
fn unescaped(text: &str, markup: char) -> usize {
    let mut count = 0;
    let mut escaped = false;
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '\\' if !escaped && !in_code => {
                escaped = true;
                continue;
            }
            '`' if !escaped => in_code = !in_code,
            c if c == markup && !escaped && !in_code => count += 1,
            _ => {}
        }
        escaped = false;
    }
    count
}

#[test]
fn templates_cannot_reach_outside_their_folder() {
    for partial in ["../secret", "/etc/passwd", "..\\secret"] {
        let project = hostile_project("x")
            .file("secret.hbs", "SECRET")
            .file("look/report.md.hbs", &format!("{{{{> {partial}}}}}\n"));
        let run = project
            .run(&[
                "report",
                "--data",
                "data.csv",
                "--format",
                "md",
                "--templates",
                "look",
            ])
            .code(1);
        assert!(!run.stdout.contains("SECRET"), "{partial}");
        assert!(
            run.stderr.contains("error: look/report.md.hbs:1:"),
            "{partial}: {}",
            run.stderr
        );
    }
}

#[test]
fn templates_see_only_the_report_model() {
    // The root of the model lists its fields; nothing of the environment or the file
    // system is there to read.
    let project =
        hostile_project("x").file("look/report.html.hbs", "{{#each this}}{{@key}}\n{{/each}}");
    let run = project
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--format",
            "html",
            "--templates",
            "look",
        ])
        .code(0);
    let keys: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        keys,
        ["period", "previous_period", "sections", "summary", "title"]
    );
}

#[test]
fn report_helpers_touch_neither_files_nor_the_environment() {
    // A guard against a future helper that would: only the templates loader may read files.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/kpi-report/src");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for needle in ["std::env", "env::var", "std::process", "std::net"] {
                assert!(!text.contains(needle), "{} uses {needle}", path.display());
            }
            if !path.ends_with("templates.rs") {
                for needle in ["std::fs", "fs::", "File::"] {
                    assert!(!text.contains(needle), "{} uses {needle}", path.display());
                }
            }
        }
    }
}

#[test]
fn a_write_that_cannot_happen_loses_nothing() {
    let project = hostile_project("x")
        .file("out/keep.md", "previous report\n")
        .file("out/blocker", "a file, not a folder\n");
    // The output's folder is a regular file.
    let run = project
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--output",
            "out/blocker/r.md",
        ])
        .code(1);
    assert!(run.stderr.contains("out/blocker/r.md"), "{}", run.stderr);
    // A folder under a regular file cannot be created.
    project
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--output",
            "out/blocker/sub/r.md",
        ])
        .code(1);
    // The output is a folder.
    project
        .run(&[
            "report", "--data", "data.csv", "--output", "out", "--format", "md",
        ])
        .code(1);
    // A template failing half way through leaves the previous report as it was.
    let run = project
        .clone_file(
            "look/report.md.hbs",
            "# {{title}}\n{{#each sections}}{{nope}}{{/each}}\n",
        )
        .run(&[
            "report",
            "--data",
            "data.csv",
            "--output",
            "out/keep.md",
            "--templates",
            "look",
        ])
        .code(1);
    assert!(run.stderr.contains("`nope`"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(project.join("out/keep.md")).unwrap(),
        "previous report\n"
    );
    assert_eq!(listing(&project.join("out")), ["blocker", "keep.md"]);
    // `kpi new` into a folder that is a regular file.
    project
        .run(&["new", "signups", "--dir", "out/blocker"])
        .code(1);
    assert_eq!(listing(&project.join("out")), ["blocker", "keep.md"]);
}
