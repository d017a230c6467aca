//! Property tests: random formulas over random data.
//!
//! - The compiled, column-wise evaluator agrees with the tree-walking evaluation of every
//!   cell, value for value (bit for bit) and on which cells have no value.
//! - No value is ever `inf` or `NaN`.
//! - Random text given as a formula, definition or CSV file is either accepted or rejected
//!   with a located error; nothing panics.
//!
//! Case counts are modest so the suite stays quick; set `PROPTEST_CASES` to run more.

use kpi_core::{Catalog, Dataset, Diagnostics, SourceFile, evaluate};
use proptest::prelude::*;

const INPUTS: [&str; 3] = ["a", "b", "c"];

/// A random numeric formula as text, over inputs `a`, `b`, `c` and the metric `base`.
fn num_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..5).prop_map(|n| n.to_string()),
        Just("0.5".to_string()),
        prop::sample::select(vec!["a", "b", "c", "base"]).prop_map(str::to_string),
        (prop::sample::select(vec!["a", "b", "base"]), 1u32..4)
            .prop_map(|(n, k)| format!("prev({n}, {k})")),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        let cond = (
            inner.clone(),
            prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]),
            inner.clone(),
        )
            .prop_map(|(x, op, y)| format!("{x} {op} {y}"));
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "%", "^"]),
                inner.clone()
            )
                .prop_map(|(x, op, y)| format!("({x} {op} {y})")),
            inner.clone().prop_map(|x| format!("-({x})")),
            (
                prop::sample::select(vec!["abs", "floor", "ceil", "round", "sqrt", "ln", "exp"]),
                inner.clone()
            )
                .prop_map(|(f, x)| format!("{f}({x})")),
            (
                prop::sample::select(vec!["min", "max"]),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, x, y)| format!("{f}({x}, {y})")),
            (cond.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, x, y)| format!("if({c}, {x}, {y})")),
            (cond.clone(), cond, inner.clone(), inner)
                .prop_map(|(c, d, x, y)| format!("if(({c}) && !({d}) || false, {x}, {y})")),
        ]
    })
}

/// A data cell: a number (zeros likely), or empty.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (-5i32..20).prop_map(|n| n.to_string()),
        1 => Just("0".to_string()),
        1 => (-1e6f64..1e6).prop_map(|x| x.to_string()),
        1 => Just(String::new()),
    ]
}

/// CSV over up to 8 months starting 2026-01, some months left out.
fn csv() -> impl Strategy<Value = String> {
    prop::collection::vec((any::<bool>(), cell(), cell(), cell()), 1..8).prop_map(|rows| {
        let mut text = String::from("period,a,b,c\n");
        let mut any = false;
        for (i, (keep, a, b, c)) in rows.iter().enumerate() {
            if *keep || (!any && i + 1 == rows.len()) {
                any = true;
                text.push_str(&format!("2026-{:02},{a},{b},{c}\n", i + 1));
            }
        }
        text
    })
}

fn definition(formula: &str) -> String {
    format!(
        "name = \"N\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"number\"\nformula = \"{formula}\"\n"
    )
}

fn catalog(formula: &str) -> Result<Catalog, Diagnostics> {
    let mut base = definition("a * 2 - b");
    for name in INPUTS {
        base.push_str(&format!("[inputs.{name}]\nunit = \"count\"\n"));
    }
    Catalog::from_layers(
        vec![vec![
            SourceFile::new("m/base.toml", base),
            SourceFile::new("m/x.toml", definition(formula)),
        ]],
        Diagnostics::default(),
    )
}

/// 256 cases per property, unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn compiled_equals_tree_walk(formula in num_expr(), data in csv()) {
        let catalog = match catalog(&formula) {
            Ok(c) => c,
            // Random trees may exceed the documented limits; those are rejected, not run.
            Err(d) => {
                let text = d.to_string();
                prop_assert!(text.contains("more than"), "{formula}: {text}");
                return Ok(());
            }
        };
        let data = Dataset::from_files(&[SourceFile::new("d.csv", data)]).unwrap();
        let e = evaluate(&catalog, &data);
        for m in 0..catalog.metrics().len() {
            for t in 0..data.months().len() {
                let compiled = e.value(m, t);
                let walked = e.eval_cell(m, t);
                match (compiled, &walked) {
                    (Some(x), Ok(y)) => prop_assert_eq!(x.to_bits(), y.to_bits(), "{} at {}", formula, t),
                    (None, Err(_)) => {}
                    _ => prop_assert!(false, "{formula} at {t}: compiled {compiled:?}, walked {walked:?}"),
                }
                if let Some(x) = compiled {
                    prop_assert!(x.is_finite());
                }
            }
        }
    }

    #[test]
    fn random_formula_text_never_panics(text in "[a-c0-9 ()+*/^%<>=!&|,.;\"'_-]{0,60}") {
        let _ = catalog(&text.replace('"', "'"));
    }

    #[test]
    fn random_definition_text_never_panics(text in "[a-z_=\"\\[\\]. 0-9\n{}#,-]{0,200}") {
        let result = Catalog::from_layers(vec![vec![SourceFile::new("m/x.toml", text)]], Diagnostics::default());
        if let Err(d) = result {
            prop_assert!(d.has_errors());
        }
    }

    #[test]
    fn random_csv_never_panics(text in "[a-z0-9,;\"\n\r .\u{feff}-]{0,200}") {
        if let Err(d) = Dataset::from_files(&[SourceFile::new("d.csv", text)]) {
            prop_assert!(d.has_errors());
        }
    }
}
