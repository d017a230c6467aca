//! `kpi explain`: the formula, its values, every dependency, the result and the status.

use crate::support::{Project, inputs, kpi, metric};

#[test]
fn explains_down_through_dependencies() {
    let run = Project::new()
        .file(
            "metrics.d/arpu.toml",
            &(metric("revenue / active_users", "") + &inputs(&["revenue", "active_users"])),
        )
        .file(
            "metrics.d/clv.toml",
            &(kpi("arpu * lifetime", "higher_is_better", 1000.0, 800.0, "")
                + &inputs(&["lifetime"])),
        )
        .file(
            "data.csv",
            "period,revenue,active_users,lifetime\n2026-01,1000,40,30\n2026-02,1200,40,30\n",
        )
        .run(&[
            "explain", "clv", "--data", "data.csv", "--period", "2026-02",
        ])
        .code(0);
    // 1200 / 40 = 30; 30 * 30 = 900: between warning 800 and target 1000.
    insta::assert_snapshot!("explain_clv", run.stdout);
    assert!(run.stdout.contains("result:   900\n"));
    assert!(run.stdout.contains("status:   at_risk\n"));
}

#[test]
fn unknown_id_is_a_usage_error() {
    let run = Project::new()
        .file("metrics.d/x.toml", &(metric("a", "") + &inputs(&["a"])))
        .file("data.csv", "period,a\n2026-01,1\n")
        .run(&["explain", "y", "--data", "data.csv"])
        .code(2);
    assert!(
        run.stderr.contains("error: no metric `y`"),
        "{}",
        run.stderr
    );
}

#[test]
fn values_replace_whole_prev_calls() {
    let run = Project::new()
        .file(
            "metrics.d/growth.toml",
            &(metric("won - prev(won) + prev( won , 2 )", "") + &inputs(&["won"])),
        )
        .file("data.csv", "period,won\n2026-01,4\n2026-02,6\n2026-03,5\n")
        .run(&[
            "explain", "growth", "--data", "data.csv", "--period", "2026-03",
        ])
        .code(0);
    // 5 - 6 + 4
    assert!(
        run.stdout.contains("values:   5 - 6 + 4\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("result:   3\n"), "{}", run.stdout);
}

#[test]
fn values_replace_prev_calls_with_brackets_inside() {
    // The span of a `prev` call stopped at the first `)`: `3) + 1) + 6` was shown.
    let project = Project::new()
        .file(
            "metrics.d/m.toml",
            &(metric("prev((a)) + prev(a, (2)) + b", "") + &inputs(&["a", "b"])),
        )
        .file(
            "data.csv",
            "period,a,b\n2026-01,1,4\n2026-02,2,5\n2026-03,3,6\n",
        );
    let run = project
        .run(&["explain", "m", "--data", "data.csv", "--period", "2026-03"])
        .code(0);
    // prev(a) = 2 (February), prev(a, 2) = 1 (January), b = 6.
    assert!(
        run.stdout.contains("values:   2 + 1 + 6\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("result:   9\n"), "{}", run.stdout);
    let md = project
        .run(&[
            "report", "--data", "data.csv", "--period", "2026-03", "--format", "md",
        ])
        .code(0)
        .stdout;
    assert!(md.contains("- This month: `2 + 1 + 6` = 9.00\n"), "{md}");
}
