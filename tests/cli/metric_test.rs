//! `kpi test`: the `[[examples]]` of definitions, run through the binary; every expected
//! value below is worked out by hand from the example's inputs.

use crate::support::{Project, inputs, metric};

/// Churn with three passing examples: a plain one, a zero denominator, a tolerance.
fn churn() -> String {
    metric(
        "lost / start * 100",
        "\n[[examples]]\ninputs = { lost = 5, start = 200 }\nexpect = 2.5\n\
         \n[[examples]]\ninputs = { lost = 0, start = 0 }\nexpect = \"no value\"\n\
         \n[[examples]]\ninputs = { lost = 1, start = 3 }\nexpect = 33.3\ntolerance = 0.04\n",
    ) + &inputs(&["lost", "start"])
}

#[test]
fn passing_examples_print_ok_and_one_summary_line() {
    let project = Project::new().file("m/churn.toml", &churn());
    let run = project.run(&["test", "--metrics", "m"]).code(0);
    assert_eq!(
        run.stdout,
        "ok churn #1\nok churn #2\nok churn #3\n3 passed, 0 failed\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn a_failing_example_shows_expected_actual_and_the_formula_with_values() {
    // 6 / 200 * 100 = 3, not 2.5; 1 / 3 * 100 = 33.33..., more than 0.01 away from 33.3.
    let text = churn()
        .replace("lost = 5, start = 200", "lost = 6, start = 200")
        .replace("tolerance = 0.04", "tolerance = 0.01");
    let project = Project::new().file("m/churn.toml", &text);
    let run = project.run(&["test", "--metrics", "m"]).code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "FAILED churn #1 at m/churn.toml:7: expected 2.5, got 3: lost / start * 100 = 6 / 200 * 100",
            "ok churn #2",
            "FAILED churn #3 at m/churn.toml:15: expected 33.3, got 33.33333333333333: lost / start * 100 = 1 / 3 * 100",
            "1 passed, 2 failed",
        ]
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn expecting_a_value_where_there_is_none_fails_with_the_reason() {
    let text = metric(
        "a / b",
        "\n[[examples]]\ninputs = { a = 1, b = 0 }\nexpect = 0\n\
         \n[[examples]]\ninputs = { a = 1 }\nexpect = 1\n\
         \n[[examples]]\ninputs = { a = 1, b = 4 }\nexpect = \"no value\"\n",
    ) + &inputs(&["a", "b"]);
    let project = Project::new().file("m/x.toml", &text);
    let run = project.run(&["test", "--metrics", "m"]).code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "FAILED x #1 at m/x.toml:7: expected 0, got no value (division by zero): a / b = 1 / 0",
            "FAILED x #2 at m/x.toml:11: expected 1, got no value (`b` is not given): a / b = 1 / ?",
            "FAILED x #3 at m/x.toml:15: expected no value, got 0.25: a / b = 1 / 4",
            "0 passed, 3 failed",
        ]
    );
}

#[test]
fn prev_values_and_other_metrics_are_given_or_computed() {
    // growth = (mrr - prev(mrr)) / prev(mrr) * 100; net = growth - churn.
    let growth = metric(
        "(mrr - prev(mrr)) / prev(mrr) * 100",
        "\n[[examples]]\ninputs = { mrr = 110, \"prev(mrr)\" = 100 }\nexpect = 10\n\
         \n[[examples]]   # the first month: no previous value\ninputs = { mrr = 110 }\nexpect = \"no value\"\n",
    ) + &inputs(&["mrr"]);
    // Computed: growth = (121 - 110) / 110 * 100 = 10, churn = 2 / 100 * 100 = 2, net = 8.
    // Given: growth = 7 and churn = 3 are taken as they are, net = 4.
    // prev(net, 2) reaches growth and churn two months back: (100 - 80) / 80 * 100 = 25,
    // 1 / 50 * 100 = 2, so 23.
    let net = metric(
        "growth - churn + 0 * prev(net_growth_base, 2)",
        "\n[[examples]]\ninputs = { mrr = 121, \"prev(mrr)\" = 110, lost = 2, start = 100, net_growth_base = 0, \"prev(net_growth_base, 2)\" = 1 }\nexpect = 8\n\
         \n[[examples]]\ninputs = { growth = 7, churn = 3, \"prev(net_growth_base, 2)\" = 1 }\nexpect = 4\n",
    ) + &inputs(&["net_growth_base"]);
    let delayed = metric(
        "prev(net, 2)",
        "\n[[examples]]\ninputs = { \"prev(mrr, 2)\" = 100, \"prev(mrr, 3)\" = 80, \"prev(lost, 2)\" = 1, \"prev(start, 2)\" = 50, \"prev(net_growth_base, 4)\" = 9 }\nexpect = 23\n",
    );
    let project = Project::new()
        .file("m/churn.toml", &churn())
        .file("m/growth.toml", &growth)
        .file("m/net.toml", &net)
        .file("m/delayed.toml", &delayed);
    let run = project.run(&["test", "--metrics", "m"]).code(0);
    assert_eq!(
        run.stdout,
        "ok churn #1\nok churn #2\nok churn #3\nok delayed #1\nok growth #1\nok growth #2\nok net #1\nok net #2\n8 passed, 0 failed\n"
    );
}

#[test]
fn unknown_names_are_located_errors_with_a_suggestion_in_check_too() {
    let text = metric(
        "lost / start * 100",
        "\n[[examples]]\ninputs = { lsot = 5, start = 200, \"prev(strat)\" = 1 }\nexpect = 2.5\n",
    ) + &inputs(&["lost", "start"]);
    let project = Project::new().file("m/churn.toml", &text);
    for command in ["test", "check"] {
        let run = project.run(&[command, "--metrics", "m"]).code(1);
        assert_eq!(run.stdout, "");
        insta::assert_snapshot!(format!("unknown_example_names_{command}"), run.stderr);
    }
}

#[test]
fn bad_keys_and_expectations_are_located_errors() {
    let text = metric(
        "a",
        "\n[[examples]]\ninputs = { \"prev(a, 0)\" = 1 }\nexpect = \"none\"\n\
         \n[[examples]]\ninputs = { a = 1 }\nexpect = 1\ntolerance = -1\n",
    ) + &inputs(&["a"]);
    let project = Project::new().file("m/x.toml", &text);
    let run = project.run(&["check", "--metrics", "m"]).code(1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn no_examples_is_no_failure() {
    let project = Project::new().file("m/x.toml", &(metric("a", "") + &inputs(&["a"])));
    let run = project.run(&["test", "--metrics", "m"]).code(0);
    assert_eq!(run.stdout, "0 passed, 0 failed\n");
}

#[test]
fn every_standard_definition_has_examples_that_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("metrics.d");
    let mut total = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let examples = text.matches("[[examples]]").count();
        // At least two, one of them an edge case without a value.
        assert!(examples >= 2, "{}", path.display());
        assert!(text.contains("expect = \"no value\""), "{}", path.display());
        total += examples;
    }
    // The built-in copy is tested, from a folder without any definition of its own; a team
    // file that changes a target keeps the standard examples.
    let project = Project::new()
        .file("kpi.toml", "library = \"all\"\nmetrics = [\"team\"]\n")
        .file("team/churn_rate.toml", "[target]\nvalue = 3\nwarning = 4\n");
    let run = project.run(&["test"]).code(0);
    assert!(
        run.stdout
            .ends_with(&format!("\n{total} passed, 0 failed\n")),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), total + 1);
    assert!(run.stdout.contains("ok churn_rate #2\n"));
}

/// A name misspelt in a formula (`activated_usr` for the input `activated_user`) is one
/// error, at the formula, with its "did you mean": the examples, which give the right name,
/// are not told to copy the misspelling. A name an example gets wrong is still an error.
#[test]
fn a_misspelt_formula_name_is_one_error_and_examples_are_not_blamed() {
    let text = metric(
        "activated_usr / signups * 100",
        "\n[[examples]]\ninputs = { activated_user = 5, signups = 10 }\nexpect = 50\n\
         \n[[examples]]\ninputs = { activated_user = 0, signups = 0 }\nexpect = \"no value\"\n",
    ) + &inputs(&["activated_user", "signups"]);
    let project = Project::new().file("m/activation.toml", &text);
    let expected = "error: m/activation.toml:5:12: unknown name `activated_usr` in the formula of `activation`\n  \
                    |\n\
                    5 | formula = \"activated_usr / signups * 100\"\n  \
                    |            ^^^^^^^^^^^^^\n  \
                    = help: did you mean `activated_user`?\n";
    for command in ["check", "test"] {
        let run = project.run(&[command, "--metrics", "m"]).code(1);
        assert_eq!(run.stderr.matches("error: ").count(), 1, "{}", run.stderr);
        assert_eq!(run.stderr, expected, "kpi {command}");
        assert_eq!(run.stdout, "");
    }

    // The formula fixed, an example that misspells a name is told, with the formula's name.
    let text = text
        .replace("activated_usr /", "activated_user /")
        .replace("activated_user = 0", "activated_usr = 0");
    std::fs::write(project.join("m/activation.toml"), text).unwrap();
    let run = project.run(&["check", "--metrics", "m"]).code(1);
    assert_eq!(run.stderr.matches("error: ").count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: m/activation.toml:12:12: `activated_usr` in an example of `activation` is not an input or metric it uses\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= help: did you mean `activated_user`?\n"),
        "{}",
        run.stderr
    );
}
