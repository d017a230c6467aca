//! Cases the renderer's property tests (`tests/properties.rs`) found, kept as tests: each
//! printed `inf` or `NaN` into a report before its fix.

use kpi_core::{Catalog, Dataset, Diagnostics, SourceFile, evaluate};
use kpi_report::{Format, Report, Templates, render};

/// Renders one definition over one CSV file for its last month, in both formats, and checks
/// that no `inf` or `NaN` shows.
fn renders_finite(definition: &str, csv: &str) -> (String, String) {
    let definition = format!(
        "name = \"N\"\ncategory = \"c\"\nunit = \"percent\"\ndecimals = 0\n{definition}\n[inputs.a]\nunit = \"number\"\n"
    );
    let catalog = Catalog::from_layers(
        vec![vec![SourceFile::new("m/m0.toml", definition)]],
        Diagnostics::default(),
    )
    .expect("the definition loads");
    let data = Dataset::from_files(&[SourceFile::new("d.csv", csv)]).expect("the data loads");
    let e = evaluate(&catalog, &data);
    let last = data.month_indexes().next_back().expect("data has months");
    let report = Report::build(&e, last, "t");
    let md = render(&report, Format::Markdown, &Templates::builtin()).unwrap();
    let html = render(&report, Format::Html, &Templates::builtin()).unwrap();
    for out in [&md, &html] {
        let words: Vec<&str> = out
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| ["inf", "nan"].contains(&w.to_ascii_lowercase().as_str()))
            .collect();
        assert!(words.is_empty(), "{words:?} in\n{out}");
    }
    (md, html)
}

#[test]
fn a_change_too_large_for_a_double_is_left_out() {
    // From 1e300 to -1.8e308: the difference overflows; it printed `= -inf pp (-inf %)`.
    let (md, _) = renders_finite(
        "kind = \"metric\"\nformula = \"-a\"",
        "period,a\n2025-01,-1.7976931348623157e308\n2025-02,1e300\n",
    );
    assert!(md.contains(" | — | — | no target |"), "{md}");
}

#[test]
fn a_relative_change_from_almost_zero_is_left_out() {
    // 1 after 5e-324: the ratio is finite, a hundred times it is not.
    let (md, _) = renders_finite(
        "kind = \"metric\"\nformula = \"a\"",
        "period,a\n2025-01,5e-324\n2025-02,1\n",
    );
    assert!(md.contains("| ▲ +1\u{a0}pp | — |"), "{md}");
}

#[test]
fn a_sparkline_over_the_whole_range_of_doubles_has_coordinates() {
    // The range from -1.8e308 to 1e300 overflowed: `points="3.0,NaN …"`.
    renders_finite(
        "kind = \"metric\"\nformula = \"a\"",
        "period,a\n2025-01,1e300\n2025-02,-1.7976931348623157e308\n",
    );
}

#[test]
fn a_chart_axis_near_the_largest_double_has_finite_ticks() {
    // Ticks beyond the largest double were drawn at `y="NaN"` and labelled `inf %`.
    renders_finite(
        "kind = \"kpi\"\nformula = \"a\"\ndirection = \"lower_is_better\"\n[target]\nvalue = 0.0",
        "period,a\n2025-01,1.7976931348623157e308\n",
    );
}

#[test]
fn pace_towards_a_target_far_from_the_baseline_is_finite() {
    // `baseline + (target - baseline) * elapsed / span` overflowed: `-inf % expected`.
    renders_finite(
        "kind = \"kpi\"\nformula = \"a\"\ndirection = \"lower_is_better\"\n[target]\nvalue = 1e300\nbaseline = 1.7976931348623157e308\nbaseline_period = \"2025-01\"\ndeadline = \"2026-06\"",
        "period,a\n2025-03,0.0\n",
    );
}

#[test]
fn a_chart_axis_among_the_smallest_doubles_has_coordinates() {
    // Target and warning a few subnormals apart: the scale divided by zero (`y="NaN"`).
    renders_finite(
        "kind = \"kpi\"\nformula = \"a\"\ndirection = \"lower_is_better\"\n[target]\nvalue = 2.2250738585072014e-308\nwarning = 2.2250738585072024e-308",
        "period,a\n2025-01,0.0\n",
    );
}
