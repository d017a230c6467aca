//! `kpi check --strict` (and `strict = true` in `kpi.toml`), for CI: every kind of warning
//! fails the run with exit 1, and one line says that strict mode did it, with the count;
//! without it, the same project passes with the same output as before. The warnings of each
//! case are counted by hand from its files.

use crate::support::{Project, churn_kpi, metric};

/// Churn (a KPI over `customers_lost` and `customers_start`) and `base`, a metric of
/// `customers_start` alone, so that a month in which churn has no value still holds a value
/// computed from data.
fn project(data: &str) -> Project {
    Project::new()
        .file("metrics.d/churn_rate.toml", &churn_kpi())
        .file("metrics.d/base.toml", &metric("customers_start", ""))
        .file("data.csv", data)
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\n",
        )
}

const CLEAN: &str = "period,customers_lost,customers_start\n2026-09,4,100\n2026-10,3,100\n";

/// Runs `kpi check` then `kpi check --strict`: the first passes, the second fails with the
/// same warnings and `extra` (what strict mode adds: the month checked, and its own
/// warnings), then the line that counts `count` warnings.
fn fails_only_when_strict(project: &Project, extra: &str, count: usize) -> String {
    let plain = project.run(&["check"]).code(0);
    let (warnings, ok) = plain.stderr.rsplit_once("ok: ").expect("a summary line");
    assert!(ok.starts_with("1 KPI"), "{}", plain.stderr);
    let strict = project.run(&["check", "--strict"]).code(1);
    let plural = if count == 1 { "" } else { "s" };
    assert_eq!(
        strict.stderr,
        format!(
            "{warnings}{extra}error: strict mode turned {count} warning{plural} into a failure (`--strict`)\n"
        )
    );
    strict.stderr
}

const MONTH: &str = "note: checking 2026-10, the latest month in the data\n";

#[test]
fn a_clean_project_passes_strict_mode() {
    let project = project(CLEAN);
    let plain = project.run(&["check"]).code(0).stderr;
    let run = project.run(&["check", "--strict"]).code(0);
    assert_eq!(run.stderr, format!("{MONTH}{plain}"));
    assert_eq!(
        plain,
        "ok: 1 KPI, 1 metric and 2 inputs from 1 directory; data: 2 months\n"
    );
}

#[test]
fn an_input_without_a_column_fails() {
    // No `customers_lost` column: the input's warning, and churn without value in October.
    let project = project("period,customers_start\n2026-09,100\n2026-10,100\n");
    let stderr = fails_only_when_strict(
        &project,
        &format!(
            "{MONTH}warning: metrics.d/churn_rate.toml:1:1: KPI `churn_rate` has no value for 2026-10: no data column for input `customers_lost`\n  = help: fill the month's data; `kpi explain churn_rate` shows what the formula reads\n"
        ),
        2,
    );
    assert!(
        stderr.starts_with("warning: no data column for input `customers_lost`: metrics that use it have no value\n"),
        "{stderr}"
    );
}

#[test]
fn a_mapped_column_missing_fails() {
    // `customers_lost` reads the column `lost`, which the data does not have (nor one
    // spelled as the input; it has `churned`, unread): the inputs' warning, the unread column,
    // and churn without value.
    let project = project("period,churned,customers_start\n2026-10,3,100\n").file(
        "metrics.d/churn_rate.toml",
        &churn_kpi().replace(
            "[inputs.customers_lost]\nunit = \"count\"\n",
            "[inputs.customers_lost]\nunit = \"count\"\ncolumn = \"lost\"\n",
        ),
    );
    let stderr = fails_only_when_strict(
        &project,
        &format!(
            "{MONTH}warning: metrics.d/churn_rate.toml:1:1: KPI `churn_rate` has no value for 2026-10: no data column for input `customers_lost`\n  = help: fill the month's data; `kpi explain churn_rate` shows what the formula reads\n"
        ),
        3,
    );
    assert!(
        stderr.contains("has a column that no definition reads, ignored: `churned`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "no data column for input `customers_lost`: metrics that use it have no value"
        ),
        "{stderr}"
    );
}

#[test]
fn unread_columns_fail_unless_ignored() {
    let project = project("period,customers_lost,customers_start,visits\n2026-10,3,100,7\n");
    let stderr = fails_only_when_strict(&project, MONTH, 1);
    assert!(
        stderr.starts_with("warning: data.csv:1:39: `data.csv` has a column that no definition reads, ignored: `visits`\n"),
        "{stderr}"
    );
    // Listed in `ignore`, the column is no warning.
    let ignored = project.file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\n[[sources]]\ncsv = \"data.csv\"\nignore = [\"visits\"]\n",
    );
    ignored.run(&["check", "--strict"]).code(0);
}

#[test]
fn a_notes_section_naming_no_metric_fails() {
    let project = project(CLEAN)
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nnotes = \"notes\"\n",
        )
        .file(
            "notes/2026-10.md",
            "A quiet month.\n\n## churn_rat\n\nRenewals.\n",
        );
    // Plain `kpi check` reads no notes: the warning is strict mode's own.
    let run = project.run(&["check"]).code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let run = project.run(&["check", "--strict"]).code(1);
    assert!(
        run.stderr.starts_with(&format!(
            "{MONTH}warning: notes/2026-10.md:3:1: notes section `## churn_rat` names no metric\n"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("error: strict mode turned 1 warning into a failure (`--strict`)\n"),
        "{}",
        run.stderr
    );
    // With the section named right, strict mode passes.
    let project = project.file("notes/2026-10.md", "## churn_rate\n\nRenewals.\n");
    project.run(&["check", "--strict"]).code(0);
}

#[test]
fn a_kpi_without_a_value_in_the_month_fails() {
    // October has `customers_start` (so `base` has a value and October is the month) but no
    // `customers_lost`: churn has none.
    let project = project("period,customers_lost,customers_start\n2026-09,4,100\n2026-10,,100\n");
    fails_only_when_strict(
        &project,
        &format!(
            "{MONTH}warning: metrics.d/churn_rate.toml:1:1: KPI `churn_rate` has no value for 2026-10: input `customers_lost` has no value for 2026-10\n  = help: fill the month's data; `kpi explain churn_rate` shows what the formula reads\n"
        ),
        1,
    );
}

#[test]
fn strict_in_kpi_toml_is_the_flag() {
    let project = project("period,customers_lost,customers_start,visits\n2026-10,3,100,7\n").file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nstrict = true\n",
    );
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.ends_with(
            "error: strict mode turned 1 warning into a failure (`strict = true` in kpi.toml)\n"
        ),
        "{}",
        run.stderr
    );
    // `strict = false` is the default: the same project passes.
    let relaxed = project.file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nstrict = false\n",
    );
    relaxed.run(&["check"]).code(0);
    // A warning of the definitions counts too, without data: a folder with no definition.
    let run = Project::new()
        .file("metrics.d/churn_rate.toml", &churn_kpi())
        .file("extra/README.md", "Nothing yet.\n")
        .run(&[
            "check",
            "--metrics",
            "metrics.d",
            "--metrics",
            "extra",
            "--strict",
        ])
        .code(1);
    assert_eq!(
        run.stderr,
        "warning: definitions directory `extra` holds no `.toml` file\n\
         error: strict mode turned 1 warning into a failure (`--strict`)\n"
    );
}
