//! `kpi check`: a valid tree passes with a summary; every kind of error is reported with
//! its location, the line and a hint, and all errors at once.

use crate::support::{Project, churn_kpi, inputs, kpi, metric};

fn valid() -> Project {
    Project::new()
        .file("metrics.d/churn_rate.toml", &churn_kpi())
        .file("metrics.d/lost_share.toml", &metric("churn_rate / 100", ""))
}

#[test]
fn valid_definitions_pass_with_a_summary() {
    let run = valid().run(&["check"]).code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "ok: 1 KPI, 1 metric and 2 inputs from 1 directory\n"
    );
}

/// Adds `text` as `file` to the valid project and returns `kpi check`'s stderr.
fn check_error(file: &str, text: &str) -> String {
    let run = valid().file(file, text).run(&["check"]).code(1);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn toml_syntax_error() {
    insta::assert_snapshot!(
        "toml_syntax_error",
        check_error("metrics.d/x.toml", "name = \"X\nkind = \"kpi\"\n")
    );
}

#[test]
fn formula_syntax_error() {
    insta::assert_snapshot!(
        "formula_syntax_error",
        check_error("metrics.d/x.toml", &metric("churn_rate * (2 +", ""))
    );
}

#[test]
fn unknown_name_with_suggestion() {
    insta::assert_snapshot!(
        "unknown_name",
        check_error(
            "metrics.d/x.toml",
            &metric("customers_lots / customers_start", "")
        )
    );
}

#[test]
fn unknown_key_with_suggestion() {
    let text = metric("churn_rate", "").replace("unit =", "unti =");
    insta::assert_snapshot!("unknown_key", check_error("metrics.d/x.toml", &text));
}

#[test]
fn cycle_names_the_whole_cycle() {
    let run = valid()
        .file("metrics.d/a.toml", &metric("b + 1", ""))
        .file("metrics.d/b.toml", &metric("c * 2", ""))
        .file("metrics.d/c.toml", &metric("prev(a) + churn_rate", ""))
        .run(&["check"])
        .code(1);
    insta::assert_snapshot!("cycle", run.stderr);
}

#[test]
fn kpi_without_target() {
    let text = metric("churn_rate", "direction = \"higher_is_better\"\n")
        .replace("kind = \"metric\"", "kind = \"kpi\"");
    insta::assert_snapshot!("kpi_without_target", check_error("metrics.d/x.toml", &text));
}

#[test]
fn forbidden_constructs() {
    for (name, formula) in [
        ("assignment", "churn_rate = 3"),
        ("chain", "churn_rate; 3"),
        ("string", "churn_rate + 'x'"),
        ("function", "system(churn_rate)"),
        ("juxtaposition", "churn_rate churn_rate"),
        ("comparison_result", "churn_rate > 3"),
        ("prev_months", "prev(churn_rate, 200)"),
    ] {
        let stderr = check_error("metrics.d/x.toml", &metric(formula, ""));
        insta::assert_snapshot!(format!("forbidden_{name}"), stderr);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let formula = format!("{}churn_rate{}", "(".repeat(5000), ")".repeat(5000));
    let stderr = check_error("metrics.d/x.toml", &metric(&formula, ""));
    assert!(stderr.contains("the formula is 10010 bytes long, more than the limit of 2000"));
    let formula = format!("{}churn_rate{}", "(".repeat(100), ")".repeat(100));
    let stderr = check_error("metrics.d/x.toml", &metric(&formula, ""));
    assert!(stderr.contains("the formula is nested more than 64 levels deep"));
    // One past the limit, and thousands of levels within the length limit.
    for formula in [
        format!("{}churn_rate{}", "(".repeat(65), ")".repeat(65)),
        format!("{}churn_rate", "-".repeat(1_980)),
        format!("{}churn_rate", "!".repeat(1_980)),
    ] {
        let stderr = check_error("metrics.d/x.toml", &metric(&formula, ""));
        assert!(
            stderr.contains("the formula is nested more than 64 levels deep"),
            "{stderr}"
        );
    }
}

#[test]
fn sixty_four_levels_evaluate() {
    // 64 nested brackets, each adding 1 to a = 2: 66. And a run of 63 unary minuses
    // inside one bracket (64 levels): an odd count, so -2.
    let brackets = (0..64).fold("a".to_string(), |f, _| format!("({f} + 1)"));
    let unary = format!("({}a)", "-".repeat(63));
    for (formula, expected) in [(brackets, 66.0), (unary, -2.0)] {
        let run = Project::new()
            .file(
                "metrics.d/x.toml",
                &(metric(&formula, "") + &inputs(&["a"])),
            )
            .file("data.csv", "period,a\n2026-10,2\n")
            .run(&["eval", "--data", "data.csv", "--format", "json"])
            .code(0);
        let value = run.json()["metrics"][0]["value"].as_f64().unwrap();
        assert_eq!(value, expected, "{formula}");
    }
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let run = valid()
        .file("metrics.d/x.toml", &metric("nope + 1", ""))
        .file("metrics.d/y.toml", &metric("1 +", ""))
        .file("metrics.d/z.toml", &metric("1", "colour = 1\n"))
        .run(&["check"])
        .code(1);
    assert_eq!(
        run.stderr.matches("error: metrics.d/").count(),
        3,
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with("error: 3 problems found\n"));
}

#[test]
fn input_declared_with_two_units() {
    let text = metric(
        "churn_rate",
        "[inputs.customers_lost]\nunit = \"currency\"\n",
    );
    insta::assert_snapshot!("input_units", check_error("metrics.d/x.toml", &text));
}

#[test]
fn warning_on_the_wrong_side() {
    let text = kpi("churn_rate", "higher_is_better", 50.0, 60.0, "");
    insta::assert_snapshot!("warning_side", check_error("metrics.d/x.toml", &text));
}

#[test]
fn a_later_directory_overrides_and_check_says_so() {
    let run = valid()
        .file(
            "team/churn_rate.toml",
            &kpi(
                "customers_lost / customers_start * 100",
                "lower_is_better",
                3.0,
                4.0,
                "",
            ),
        )
        .run(&["check", "--metrics", "metrics.d", "--metrics", "team"])
        .code(0);
    assert_eq!(
        run.stderr,
        "note: team/churn_rate.toml:1:1: `churn_rate` overrides the definition in `metrics.d/churn_rate.toml`\n\
         ok: 1 KPI, 1 metric and 2 inputs from 2 directories\n"
    );
}

#[test]
fn duplicate_id_in_one_directory() {
    let text = metric("2", "id = \"lost_share\"\n");
    insta::assert_snapshot!("duplicate_id", check_error("metrics.d/other.toml", &text));
}

#[test]
fn missing_directory_and_non_toml_files() {
    let run = valid().run(&["check", "--metrics", "nowhere"]).code(1);
    assert_eq!(
        run.stderr,
        "error: definitions directory `nowhere` does not exist\n  = help: pass an existing directory with `--metrics DIR`\n"
    );
    // Other files beside the definitions are skipped.
    valid()
        .file("metrics.d/README.md", "# our metrics\n")
        .run(&["check"])
        .code(0);
}

#[test]
fn not_utf8() {
    let project = valid();
    std::fs::write(project.join("metrics.d/bad.toml"), b"name = \"\xff\"\n").unwrap();
    let run = project.run(&["check"]).code(1);
    // The place of the first byte that is not UTF-8, and the line with it replaced by `�`.
    assert_eq!(
        run.stderr,
        "error: metrics.d/bad.toml:1:9: `metrics.d/bad.toml` is not UTF-8 text: byte `0xFF` here is not part of a UTF-8 character\n  |\n1 | name = \"\u{fffd}\"\n  |         ^\n  = help: save the file as UTF-8\n"
    );
}

#[test]
fn file_size_limits() {
    let project = valid().file(
        "metrics.d/huge.toml",
        &format!("# {}\n", "x".repeat(70_000)),
    );
    let run = project.run(&["check"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `metrics.d/huge.toml` is 70003 bytes, more than the limit of 65536 bytes\n"
    );
    // A sparse file: its size is checked before anything is read.
    let data = std::fs::File::create(project.join("big.csv")).unwrap();
    data.set_len(65 * 1024 * 1024).unwrap();
    std::fs::remove_file(project.join("metrics.d/huge.toml")).unwrap();
    let run = project.run(&["eval", "--data", "big.csv"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `big.csv` is 68157440 bytes, more than the limit of 67108864 bytes\n"
    );
}

#[test]
fn a_symbolic_link_loop_is_an_error_not_a_hang() {
    let project = valid();
    std::os::unix::fs::symlink("loop.toml", project.join("metrics.d/loop.toml")).unwrap();
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr
            .starts_with("error: cannot read `metrics.d/loop.toml`: "),
        "{}",
        run.stderr
    );
}

#[test]
fn spreadsheet_formulas_get_a_hint() {
    // `;` between arguments, as French or German spreadsheets write them.
    let stderr = check_error("metrics.d/x.toml", &metric("SI(churn_rate > 0; 1; 0)", ""));
    assert_eq!(
        stderr,
        "error: metrics.d/x.toml:5:29: `;` separates arguments in a spreadsheet, not in a formula\n  |\n5 | formula = \"SI(churn_rate > 0; 1; 0)\"\n  |                             ^\n  = help: separate arguments with commas, as in `if(condition, a, b)`: `if(churn_rate > 0, 1, 0)`\n"
    );
    // A spreadsheet's function name, in capitals or in French.
    for (name, ours) in [
        ("IF", "if"),
        ("SI", "if"),
        ("ARRONDI", "round"),
        ("MAX", "max"),
    ] {
        let formula = format!("{name}(churn_rate, 1, 0)");
        let stderr = check_error("metrics.d/x.toml", &metric(&formula, ""));
        assert!(
            stderr.contains(&format!(
                "unknown function `{name}`\n  |\n5 | formula = \"{formula}\"\n  |            {}\n  = help: did you mean `{ours}`?\n",
                "^".repeat(name.len())
            )),
            "{stderr}"
        );
    }
    // Outside brackets, `;` is still a chain.
    let stderr = check_error("metrics.d/x.toml", &metric("churn_rate; 1", ""));
    assert!(stderr.contains("`;` chains are not allowed"), "{stderr}");
}

#[test]
fn every_shape_problem_of_a_file_at_once() {
    // The three mistakes of the issue, an unknown key, wrong types, a nested unknown value,
    // a missing nested key and a formula error: one run says all of them.
    let text = "name = \"Weekly trials\"\ncategory = \"growth\"\nkind = \"KPI\"\nformula = \"SI(trials > 0; 1; 0)\"\nunit = \"euro\"\ndirection = \"up\"\ncolour = \"red\"\ndecimals = \"two\"\n\n[target]\nvalue = 20\nwarn = 18\n\n[inputs.trials]\nunit = \"Count\"\naggregate = \"total\"\n\n[inputs.other]\ndescription = \"no unit\"\n\n[[examples]]\ninputs = { trials = 1 }\n\n[[examples]]\ninputs = { trials = \"x\" }\nexpect = 1\n";
    let stderr = check_error("metrics.d/weekly_trials.toml", text);
    insta::assert_snapshot!("every_shape_problem_at_once", stderr);
    // Each problem once, in the order of the file, and counted.
    let located: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: metrics.d/weekly_trials.toml:"))
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        located,
        [
            "3:8", "4:25", "5:8", "6:13", "7:1", "8:12", "12:1", "15:8", "16:13", "18:1", "21:1",
            "25:21"
        ]
    );
    assert!(stderr.ends_with("error: 12 problems found\n"), "{stderr}");
}

#[test]
fn missing_keys_are_said_together() {
    let stderr = check_error(
        "metrics.d/x.toml",
        "category = \"growth\"\nkind = 3\nformula = \"a +\"\n",
    );
    assert_eq!(
        stderr,
        "error: metrics.d/x.toml:1:1: missing key `name`\n  = help: add `name = ...`; the README lists every key of a definition\n\
         error: metrics.d/x.toml:1:1: missing key `unit`\n  = help: add `unit = ...`; the README lists every key of a definition\n\
         error: metrics.d/x.toml:2:8: wrong type: expected a string in quotes\n  |\n2 | kind = 3\n  |        ^\n\
         error: metrics.d/x.toml:3:14: missing operand after `+`\n  |\n3 | formula = \"a +\"\n  |              ^\n  = help: complete the expression: every operator needs a value on each side, every `(` a `)`\n\
         error: 4 problems found\n"
    );
}
