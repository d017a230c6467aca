//! Snapshot tests of whole reports, in both formats, on fixtures under `tests/fixtures/`.
//! Review changes with `cargo insta review`; CI never updates snapshots.

use std::path::{Path, PathBuf};

use kpi_core::data::{Inputs, SourceSpec};
use kpi_core::{Catalog, Dataset, Period, evaluate};
use kpi_report::{Format, Report, Templates, render};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str) -> (Catalog, Dataset) {
    let dir = fixture(name);
    let catalog = Catalog::load(&[dir.join("metrics")]).expect("fixture definitions load");
    let sources = [SourceSpec::csv(dir.join("data.csv"))];
    let data =
        Dataset::load(&sources, Inputs::Declared(catalog.inputs())).expect("fixture data loads");
    (catalog, data)
}

/// Renders fixture `name` for `period` in `format` with the built-in templates.
fn report(name: &str, period: &str, format: Format) -> String {
    let (catalog, data) = load(name);
    let e = evaluate(&catalog, &data);
    let t = data.require(period.parse().unwrap()).unwrap();
    let model = Report::build(&e, t, "Edge cases & <tests>");
    render(&model, format, &Templates::builtin()).expect("the built-in templates render")
}

#[test]
fn edge_markdown() {
    insta::assert_snapshot!(report("edge", "2026-03", Format::Markdown));
}

#[test]
fn edge_html() {
    insta::assert_snapshot!(report("edge", "2026-03", Format::Html));
}

#[test]
fn rendering_is_deterministic() {
    for format in [Format::Markdown, Format::Html] {
        assert_eq!(
            report("edge", "2026-03", format),
            report("edge", "2026-03", format)
        );
    }
}

#[test]
fn the_first_month_has_no_previous_month() {
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let first: Period = "2025-09".parse().unwrap();
    let model = Report::build(&e, data.require(first).unwrap(), "t");
    assert_eq!(model.previous_period, "2025-08");
    for row in model
        .sections
        .iter()
        .flat_map(|s| &s.families)
        .flat_map(|f| &f.rows)
    {
        assert_eq!(row.previous, "—", "{}", row.id);
        assert!(row.change.is_none(), "{}", row.id);
        assert_eq!(row.trend.spark.chars().count(), 1, "{}", row.id);
    }
    // Every format still renders.
    for format in [Format::Markdown, Format::Html] {
        render(&model, format, &Templates::builtin()).unwrap();
    }
}

#[test]
fn consecutive_months_differ_only_in_values() {
    let feb = report("edge", "2026-02", Format::Markdown);
    let mar = report("edge", "2026-03", Format::Markdown);
    // Same headings, same table headers, same rows in the same order.
    let skeleton = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') || l.starts_with("##"))
            .map(|l| match l.strip_prefix("| ") {
                Some(row) => row.split(" | ").next().unwrap_or("").to_string(),
                None if l.starts_with("- ") || l.starts_with("  - ") || l.starts_with("**") => {
                    String::new()
                }
                None => l.to_string(),
            })
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(skeleton(&feb), skeleton(&mar));
}

#[test]
fn trends_cover_twelve_months_and_charts_twenty_four() {
    use kpi_core::{Diagnostics, SourceFile};
    let definition = SourceFile::new(
        "m/x.toml",
        "name = \"X\"\ncategory = \"c\"\nkind = \"kpi\"\nformula = \"a\"\nunit = \"count\"\n\
         direction = \"higher_is_better\"\n[target]\nvalue = 40\nbaseline = 0\n\
         baseline_period = \"2024-01\"\ndeadline = \"2026-12\"\n[inputs.a]\nunit = \"count\"\n",
    );
    let catalog = Catalog::from_layers(vec![vec![definition]], Diagnostics::default()).unwrap();
    let start: Period = "2024-01".parse().unwrap();
    let mut csv = String::from("period,a\n");
    for i in 0..30 {
        csv.push_str(&format!("{},{i}\n", start.add_months(i).unwrap()));
    }
    let data = Dataset::from_files(&[SourceFile::new("d.csv", csv)]).unwrap();
    let e = evaluate(&catalog, &data);
    let model = Report::build(&e, 29, "t");
    let row = &model.sections[0].families[0].rows[0];
    // Values 18 to 29: level round((v - 18) / 11 * 7).
    assert_eq!(row.trend.spark, "▁▂▂▃▄▄▅▅▆▇▇█");
    assert_eq!(
        (row.trend.from.as_str(), row.trend.to.as_str()),
        ("2025-07", "2026-06")
    );
    let chart = row.details.chart.as_deref().unwrap();
    assert_eq!(chart.matches("r=\"3.0\"").count(), 24);
    // Six month labels, every fourth month counted back from 2026-06.
    assert!(chart.contains(">2024-10</text>") && chart.contains(">2026-06</text>"));
    assert_eq!(chart.matches("text-anchor=\"middle\">20").count(), 6);
    // Pace: 29 of 35 months gone, 40 * 29 / 35 = 33.1 expected; 29 is behind.
    let pace = row.pace.as_ref().unwrap();
    assert_eq!((pace.label, pace.expected.as_str()), ("behind pace", "33"));
    assert_eq!(row.progress.as_deref(), Some("73 %"));
}
