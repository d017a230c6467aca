//! Property test of the renderer: random names, descriptions and families (any unicode,
//! markup characters and line breaks included) and random values (zeros, huge, tiny,
//! negative, missing) always give a report in both formats, with no `inf` or `NaN` in it, and
//! Markdown tables whose rows keep their column count.
//!
//! 64 cases by default; set `PROPTEST_CASES` to run more.

use kpi_core::{Catalog, Dataset, Diagnostics, SourceFile, evaluate};
use kpi_report::{Format, Report, Templates, render};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("0".to_string()),
        (-1e12f64..1e12).prop_map(|x| x.to_string()),
        (-1e-9f64..1e-9).prop_map(|x| x.to_string()),
        Just("1e300".to_string()),
        Just("-1e300".to_string()),
        (0u32..1000).prop_map(|x| x.to_string()),
    ]
}

const UNITS: [&str; 6] = ["percent", "currency", "count", "number", "seconds", "score"];

prop_compose! {
    fn metric()(
        name in "\\PC{0,30}",
        description in "(\\PC|\n){0,40}",
        category in "[a-z<>&|\\\\*_\\[\\] ]{0,12}",
        unit in 0..6usize,
        kpi in any::<bool>(),
        lower in any::<bool>(),
        target in -1e6f64..1e6,
        gap in 0.0f64..1e3,
    ) -> (String, String, String, usize, bool, bool, f64, f64) {
        (name, description, category, unit, kpi, lower, target, gap)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_and_values_render(
        metrics in prop::collection::vec(metric(), 1..5),
        rows in prop::collection::vec((any::<bool>(), value(), value()), 1..14),
    ) {
        check(&metrics, &rows)?;
    }
}

type MetricCase = (String, String, String, usize, bool, bool, f64, f64);

/// Builds, evaluates and renders one case in both formats, and checks the output.
fn check(metrics: &[MetricCase], rows: &[(bool, String, String)]) -> Result<(), TestCaseError> {
    let mut files = Vec::new();
    for (i, (name, description, category, unit, kpi, lower, target, gap)) in
        metrics.iter().enumerate()
    {
        let (direction, warning) = if *lower {
            ("lower_is_better", target + gap)
        } else {
            ("higher_is_better", target - gap)
        };
        let formula = match i % 3 {
            0 => "a / b * 100".to_string(),
            1 => "a - prev(a)".to_string(),
            _ => "if(b > 0, a / b, 0) + prev(b, 2)".to_string(),
        };
        let mut text = format!(
            "name = {}\ndescription = {}\ncategory = {}\nkind = \"{}\"\nunit = \"{}\"\nformula = \"{formula}\"\ndirection = \"{direction}\"\n[target]\nvalue = {target:?}\nwarning = {warning:?}\n",
            toml_string(name),
            toml_string(description),
            toml_string(category),
            if *kpi { "kpi" } else { "metric" },
            UNITS[*unit],
        );
        if i == 0 {
            text.push_str("[inputs.a]\nunit = \"count\"\n[inputs.b]\nunit = \"count\"\n");
        }
        files.push(SourceFile::new(format!("m/m{i}.toml"), text));
    }
    let catalog = Catalog::from_layers(vec![files], Diagnostics::default()).unwrap();
    let mut csv = String::from("period,a,b\n");
    let mut present = 0;
    for (t, (keep, a, b)) in rows.iter().enumerate() {
        if *keep || (present == 0 && t + 1 == rows.len()) {
            present += 1;
            csv.push_str(&format!("{}-{:02},{a},{b}\n", 2025 + t / 12, t % 12 + 1));
        }
    }
    let data = Dataset::from_files(&[SourceFile::new("d.csv", csv)]).unwrap();
    let e = evaluate(&catalog, &data);
    let t = data.require(data.latest().unwrap()).unwrap();
    let report = Report::build(&e, t, "Title <&>");
    for format in [Format::Html, Format::Markdown] {
        let out = render(&report, format, &Templates::builtin()).unwrap();
        for word in ["inf", "NaN"] {
            let found = out
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == word || w == "Infinity");
            // The words may legitimately come from the random user text; only the
            // numbers matter, so look for them where a number is printed.
            if found {
                let names: String = metrics
                    .iter()
                    .map(|m| format!("{} {} {}", m.0, m.1, m.2))
                    .collect();
                prop_assert!(
                    names.contains(word) || names.contains("Infinity"),
                    "{word} in output"
                );
            }
        }
        if format == Format::Markdown {
            let mut header = None;
            for line in out.lines() {
                if line.starts_with("| Name") {
                    header = Some(pipes(line));
                } else if line.starts_with('|') {
                    prop_assert_eq!(Some(pipes(line)), header, "{}", line);
                }
            }
        }
    }
    Ok(())
}

fn plain_metric() -> MetricCase {
    (
        String::new(),
        String::new(),
        String::new(),
        0,
        false,
        false,
        0.0,
        0.0,
    )
}

fn rows(cells: &[(&str, &str)]) -> Vec<(bool, String, String)> {
    cells
        .iter()
        .map(|(a, b)| (true, a.to_string(), b.to_string()))
        .collect()
}

/// Found by the property test: a relative change from a tiny previous value to a huge one
/// overflowed and printed `inf %`.
#[test]
fn regression_relative_change_overflow() {
    check(
        &[plain_metric(), plain_metric(), plain_metric()],
        &rows(&[
            ("", "-0.00000000017479527732904933"),
            ("", "0"),
            ("", "0"),
            ("1e300", "32"),
        ]),
    )
    .unwrap();
}

/// Found by the property test: the difference between two huge values of opposite signs is
/// not finite.
#[test]
fn regression_change_between_huge_values() {
    check(
        &[plain_metric()],
        &rows(&[
            ("231650869168.2892", "1e300"),
            ("1e300", "1"),
            ("-1e300", "1"),
        ]),
    )
    .unwrap();
}

/// Cell separators: `|` without a backslash before it.
fn pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '|' if !escaped => count += 1,
            _ => {}
        }
        escaped = false;
    }
    count
}
