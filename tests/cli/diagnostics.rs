//! How problems are shown, whatever the input: carets under wide characters, a place for
//! every error about a file, and output that stays short and linear on hostile input.

use crate::support::Project;

#[test]
fn carets_stand_under_wide_characters() {
    // `売上高` is three characters drawn six cells wide: a caret placed by characters stood
    // three cells left of the `x`.
    let run = Project::new()
        .file(
            "metrics.d/m.toml",
            "name = \"売上高\" x\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"1\"\n",
        )
        .run(&["check", "--metrics", "metrics.d"])
        .code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "error: metrics.d/m.toml:1:14: unexpected key or value, expected newline, `#`"
    );
    assert_eq!(lines[2], "1 | name = \"売上高\" x");
    // `name = "` (8) + 6 cells + `" ` (2): the `x` is in the 17th cell of the line.
    assert_eq!(lines[3], format!("  | {}^", " ".repeat(16)));

    // A span of wide characters is underlined over its full width.
    let run = Project::new()
        .file(
            "metrics.d/m.toml",
            "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"売上 + 1\"\n",
        )
        .run(&["check", "--metrics", "metrics.d"])
        .code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[2], "5 | formula = \"売上 + 1\"");
    assert_eq!(lines[3], format!("  | {}^^", " ".repeat(11)));
}

#[test]
fn errors_about_a_file_name_its_place() {
    // Not UTF-8: a definition, `kpi.toml` and a template, each at its first bad byte.
    let project = Project::new()
        .file("data.csv", "period,a\n2026-01,1\n")
        .bytes(
            "metrics.d/m.toml",
            b"name = \"M\"\ndescription = \"caf\xe9\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n",
        );
    let run = project.run(&["check", "--metrics", "metrics.d"]).code(1);
    // Line 2, after `description = "caf` (18 characters).
    assert!(
        run.stderr.starts_with(
            "error: metrics.d/m.toml:2:19: `metrics.d/m.toml` is not UTF-8 text: byte `0xE9` here"
        ),
        "{}",
        run.stderr
    );
    let project = project
        .file("metrics.d/m.toml", "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n")
        .bytes("kpi.toml", b"metrics = [\"metrics.d\"]\n# \xc3(\n");
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr
            .starts_with("error: kpi.toml:2:3: `kpi.toml` is not UTF-8 text: byte `0xC3` here"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(project.join("kpi.toml")).unwrap();
    let project = project.bytes("look/row.md.hbs", b"| {{name}} |\n|\x80|\n");
    let run = project
        .run(&[
            "report",
            "--metrics",
            "metrics.d",
            "--data",
            "data.csv",
            "--format",
            "md",
            "--templates",
            "look",
        ])
        .code(1);
    assert_eq!(
        run.stderr,
        "error: look/row.md.hbs:2:2: template `look/row.md.hbs` is not UTF-8 text: byte `0x80` here is not part of a UTF-8 character\n"
    );

    // Months 1 026 years apart: each end is named with its file and line.
    let project = Project::new()
        .file("metrics.d/m.toml", "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n")
        .file("a.csv", "period,a\n2025-12,1\n1000-01,1\n")
        .file("b.csv", "period,a\n2026-01,2\n");
    let run = project
        .run(&["check", "--data", "a.csv", "--data", "b.csv"])
        .code(1);
    // (2026 - 1000) × 12 + 1 months.
    assert_eq!(
        run.stderr,
        "error: the data spans 12313 months, from 1000-01 (`a.csv` line 3) to 2026-01 (`b.csv` line 2), more than the limit of 1200\n  = help: keep one file per period of up to 100 years; check the periods for typos\n"
    );

    // No month at all: every source is named.
    let project = project
        .file("a.csv", "period,a\n")
        .file("b.csv", "period,a\n\n");
    let help = "  = help: add a row per month under the header: the month in `period` (`2026-10`), then a value per input\n";
    let run = project.run(&["check", "--data", "a.csv"]).code(1);
    assert_eq!(
        run.stderr,
        format!("error: the data holds no month: `a.csv` has no row\n{help}")
    );
    let run = project
        .run(&["check", "--data", "a.csv", "--data", "b.csv"])
        .code(1);
    assert_eq!(
        run.stderr,
        format!("error: the data holds no month: `a.csv`, `b.csv` have no rows\n{help}")
    );
}

/// A plain metric `m` reading input `a`.
const METRIC_A: &str = "name = \"M\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n[inputs.a]\nunit = \"count\"\n";

#[test]
fn a_formula_full_of_unknown_names_gives_a_short_error() {
    // 200 unknown names in a 1.4 KB formula printed 458 KB, each with the whole line.
    let formula: Vec<String> = (0..200).map(|i| format!("n{i:03}")).collect();
    let run = Project::new()
        .file(
            "metrics.d/f.toml",
            &format!(
                "name = \"F\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"{}\"\n",
                formula.join(" + ")
            ),
        )
        .run(&["check", "--metrics", "metrics.d"])
        .code(1);
    // The first ten names each have their diagnostic, the eleventh counts the rest.
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: metrics.d/f.toml:5:"))
        .collect();
    assert_eq!(errors.len(), 11, "{}", run.stderr);
    assert!(errors[10].contains("unknown name `n010`"));
    assert!(
        run.stderr
            .ends_with("… and 189 more unknown names like it (line 5)\nerror: 11 problems found\n"),
        "{}",
        run.stderr
    );
    // Each line is cut around its caret: about 100 characters on each side.
    for line in run.stderr.lines() {
        assert!(line.chars().count() < 240, "{line}");
    }
    assert!(run.stderr.len() < 6000, "{} bytes", run.stderr.len());
}

#[test]
fn a_definition_file_shows_at_most_100_problems() {
    // 150 inputs declared with another unit than in `p.toml`: one problem each, in `q.toml`.
    let mut a = String::from(METRIC_A);
    let mut b = METRIC_A.to_string();
    for i in 0..150 {
        a.push_str(&format!("[inputs.x{i:03}]\nunit = \"count\"\n"));
        b.push_str(&format!("[inputs.x{i:03}]\nunit = \"percent\"\n"));
    }
    let run = Project::new()
        .file("metrics.d/p.toml", &a)
        .file("metrics.d/q.toml", &b)
        .run(&["check", "--metrics", "metrics.d"])
        .code(1);
    let located = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: metrics.d/q.toml:"))
        .count();
    assert_eq!(located, 100, "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "error: … and 50 more problems in `metrics.d/q.toml`\n  = help: fix those above and run again\nerror: 101 problems found\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn wide_and_repetitive_data_give_short_output() {
    // 20 000 columns no definition reads: one warning, its line cut around the caret.
    let names: Vec<String> = (0..20_000).map(|i| format!("u{i:05}")).collect();
    let wide = format!(
        "period,a,{}\n2026-01,1{}\n",
        names.join(","),
        ",0".repeat(20_000)
    );
    // 160 000 rows of one month: one error.
    let rows = format!("period,a\n{}", "2026-01,1\n".repeat(160_000));
    let project = Project::new()
        .file("metrics.d/m.toml", METRIC_A)
        .file("wide.csv", &wide)
        .file("rows.csv", &rows);
    let run = project
        .run(&["check", "--metrics", "metrics.d", "--data", "wide.csv"])
        .code(0);
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("and 19970 more"), "{}", run.stderr);
    assert!(run.stderr.len() < 2000, "{} bytes", run.stderr.len());
    let run = project
        .run(&["check", "--metrics", "metrics.d", "--data", "rows.csv"])
        .code(1);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(run.stderr.len() < 1000, "{} bytes", run.stderr.len());
}
