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
