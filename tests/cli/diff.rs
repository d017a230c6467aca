//! `kpi diff`: definitions at a git revision against the working tree, over the same data, in
//! a scratch git repository. Every value below is worked out by hand from `data.csv`.

use crate::support::{Project, Run, gfm, inputs, kpi, metric};

const DATA: &str = "period,trial_signups,a,b\n2026-07,18,1,4\n2026-08,20,3,4\n";

/// `git` in the project's folder.
fn git(project: &Project, args: &[&str]) {
    crate::support::git(&project.join(""), args);
}

/// `kpi diff --base BASE --metrics m --data data.csv` and `extra` in the project.
fn diff(project: &Project, base: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "diff",
        "--base",
        base,
        "--metrics",
        "m",
        "--data",
        "data.csv",
    ];
    args.extend_from_slice(extra);
    project.run(&args)
}

/// A repository with one commit, then working-tree changes: a target that flips a status,
/// a formula change with a dependent metric, an added and a removed metric.
fn repository() -> Project {
    let trials = |target: f64| {
        kpi("trial_signups", "higher_is_better", target, 15.0, "")
            .replace("unit = \"percent\"", "unit = \"count\"")
            + &inputs(&["trial_signups", "a", "b"])
    };
    let project = Project::new()
        .file("data.csv", DATA)
        .file("m/trials.toml", &trials(21.0))
        .file("m/ratio.toml", &metric("a / b", ""))
        .file("m/pct.toml", &metric("ratio * 2", ""))
        .file("m/old.toml", &metric("b", ""))
        .file("m/same.toml", &metric("a", ""));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("m/trials.toml"), trials(20.0)).unwrap();
    std::fs::write(project.join("m/ratio.toml"), metric("a / b * 100", "")).unwrap();
    std::fs::remove_file(project.join("m/old.toml")).unwrap();
    std::fs::write(project.join("m/new.toml"), metric("a + b", "")).unwrap();
    project
}

#[test]
fn json_lists_what_changed_sorted_by_id() {
    let project = repository();
    let run = diff(&project, "HEAD", &["--format", "json"]).code(0);
    assert_eq!(
        run.stderr,
        "note: comparing 2026-08, the latest month in the data\n"
    );
    let side = |value: f64, status: &str, target: Option<f64>| serde_json::json!({"value": value, "status": status, "target": target});
    // 2026-08: trials 20, a 3, b 4.
    let expected = serde_json::json!({
        "period": "2026-08",
        "base": "HEAD",
        "changes": [
            {"id": "new", "change": "added", "fields": [],
             "before": null, "after": side(7.0, "no_target", None)},
            {"id": "old", "change": "removed", "fields": [],
             "before": side(4.0, "no_target", None), "after": null},
            // ratio * 2: 0.75 * 2 before, 75 * 2 after.
            {"id": "pct", "change": "affected", "fields": [],
             "before": side(1.5, "no_target", None), "after": side(150.0, "no_target", None)},
            {"id": "ratio", "change": "changed", "fields": ["formula"],
             "before": side(0.75, "no_target", None), "after": side(75.0, "no_target", None)},
            // 20 is under the target 21 but above the warning 15: at risk; on target at 20.
            {"id": "trials", "change": "changed", "fields": ["target"],
             "before": side(20.0, "at_risk", Some(21.0)), "after": side(20.0, "on_target", Some(20.0))},
        ]
    });
    assert_eq!(run.json(), expected);

    // An earlier month, and the same revision as the working tree: nothing changed.
    let run = diff(
        &project,
        "HEAD",
        &["--format", "json", "--period", "2026-07"],
    )
    .code(0);
    // 2026-07: trials 18, at risk before (target 21) and after (target 20).
    assert_eq!(
        run.json()["changes"][4]["before"],
        side(18.0, "at_risk", Some(21.0))
    );
    assert_eq!(
        run.json()["changes"][4]["after"],
        side(18.0, "at_risk", Some(20.0))
    );
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "changes"]);
    let run = diff(&project, "HEAD", &["--format", "json"]).code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));
}

#[test]
fn markdown_is_a_table_for_a_pull_request() {
    let project = repository();
    let run = diff(&project, "HEAD", &[]).code(0);
    // Numbers as `kpi report` writes them in English: `number` metrics with 2 decimals, the
    // `count` of trials with none; each changed key with its value before and after.
    assert_eq!(
        run.stdout,
        "### KPI changes against `HEAD`, August 2026\n\n\
         | Metric | Change | Definition | Value | Status |\n\
         |:---|:---|:---|:---|:---|\n\
         | `new` | added |  | — → 7.00 | — → no target |\n\
         | `old` | removed |  | 4.00 → — | no target → — |\n\
         | `pct` | affected |  | 1.50 → 150.00 | no target → no target |\n\
         | `ratio` | changed | formula: `a / b` → `a / b * 100` | 0.75 → 75.00 | no target → no target |\n\
         | `trials` | changed | target: 21 → 20 | 20 → 20 | at risk → on target |\n"
    );
}

#[test]
fn a_bad_revision_exits_2_and_invalid_definitions_1() {
    let project = repository();
    let run = diff(&project, "no-such-branch", &[]).code(2);
    assert_eq!(
        run.stderr,
        "error: `no-such-branch` is not a commit of this git repository: give a branch, a tag or a commit, such as `origin/main` (run `git fetch` first in a shallow clone)\n"
    );
    std::fs::write(project.join("m/new.toml"), metric("a +", "")).unwrap();
    let run = diff(&project, "HEAD", &[]).code(1);
    assert!(
        run.stderr.starts_with("error: m/new.toml:5:"),
        "{}",
        run.stderr
    );
    // Invalid at the base revision: named as `REV:path`.
    std::fs::write(project.join("m/new.toml"), metric("a + b", "")).unwrap();
    std::fs::write(project.join("m/same.toml"), metric("a +", "")).unwrap();
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "broken"]);
    std::fs::write(project.join("m/same.toml"), metric("a", "")).unwrap();
    let run = diff(&project, "HEAD", &[]).code(1);
    assert!(
        run.stderr.starts_with("error: HEAD:m/same.toml:5:"),
        "{}",
        run.stderr
    );
}

/// The bundled example (`examples/saas/`), copied into a scratch directory.
fn example() -> Project {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let project = Project::new();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saas");
    copy(&from, &project.join(""));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    project
}

/// Rewrites a definition file as `toml` writes it back: keys sorted, comments gone, inline
/// tables as tables, other whitespace: the same meaning, written otherwise.
fn reformat(project: &Project, path: &str) {
    let text = std::fs::read_to_string(project.join(path)).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let again = toml::to_string(&table).unwrap();
    assert_ne!(again, text, "{path} is written otherwise");
    std::fs::write(project.join(path), again).unwrap();
}

#[test]
fn the_example_against_itself_has_no_change() {
    let project = example();
    // Its `mrr` follows the budget series: the same series named in `HEAD:metrics.d/mrr.toml`
    // and in `metrics.d/mrr.toml` is the same target.
    let run = project.run(&["diff", "--base", "HEAD"]).code(0);
    assert!(
        run.stdout
            .ends_with("\n\nThere is no change to any metric's definition, value or status.\n"),
        "{}",
        run.stdout
    );
    let run = project
        .run(&["diff", "--base", "HEAD", "--format", "json"])
        .code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));

    // Every definition file reformatted and its keys reordered: still no change.
    for entry in std::fs::read_dir(project.join("metrics.d")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        reformat(&project, &format!("metrics.d/{name}"));
    }
    let run = project
        .run(&["diff", "--base", "HEAD", "--format", "json"])
        .code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));
}

/// A French team's repository (`locale = "fr"`, `currency = "EUR"` in `kpi.toml`): monthly
/// revenue judged against a target lowered from 230 000 € to 225 000 €, and churn whose
/// formula changes from the customers of the previous month to those of this month.
fn french_repository() -> Project {
    let revenue = |target: u32| {
        format!(
            "name = \"Revenu mensuel\"\ncategory = \"business\"\nkind = \"kpi\"\nunit = \"currency\"\n\
             decimals = 0\nformula = \"revenue\"\ndirection = \"higher_is_better\"\n\n\
             [target]\nvalue = {target}\nwarning = 200000\n\n[inputs.revenue]\nunit = \"currency\"\n"
        )
    };
    let churn = |formula: &str| {
        format!(
            "name = \"Churn\"\ncategory = \"customer\"\nkind = \"metric\"\nunit = \"percent\"\n\
             decimals = 2\nformula = \"{formula}\"\n\n\
             [inputs.lost]\nunit = \"count\"\n\n[inputs.customers]\nunit = \"count\"\n"
        )
    };
    let project = Project::new()
        .file("kpi.toml", "locale = \"fr\"\ncurrency = \"EUR\"\n")
        .file(
            "data.csv",
            "period,revenue,lost,customers\n2026-07,220000,20,1000\n2026-08,227049,22,1020\n",
        )
        .file("m/mrr.toml", &revenue(230_000))
        .file("m/churn.toml", &churn("lost / prev(customers) * 100"));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("m/mrr.toml"), revenue(225_000)).unwrap();
    std::fs::write(
        project.join("m/churn.toml"),
        churn("lost / customers * 100"),
    )
    .unwrap();
    project
}

#[test]
fn markdown_follows_the_projects_locale_and_units() {
    let project = french_repository();
    let fr = diff(&project, "HEAD", &[]).code(0);
    // As `kpi report` writes French: digits grouped by a narrow no-break space (U+202F),
    // a decimal comma, a no-break space (U+00A0) before `€`, U+202F before `%`.
    // August: revenue 227 049 (at risk under 230 000, above 200 000; on target at 225 000);
    // churn 22 / 1 000 * 100 = 2,20 % before, 22 / 1 020 * 100 = 2,156… → 2,16 % after.
    let (nnbsp, nbsp) = ('\u{202f}', '\u{a0}');
    assert!(
        fr.stdout.starts_with(
            "### Changements des KPI par rapport à `HEAD`, août 2026\n\n\
         | Indicateur | Changement | Définition | Valeur | Statut |\n"
        ),
        "{}",
        fr.stdout
    );
    let rows: Vec<&str> = fr.stdout.lines().skip(4).collect();
    assert_eq!(
        rows,
        [
            format!(
                "| `churn` | modifié | formula: `lost / prev(customers) * 100` → `lost / customers * 100` | 2,20{nbsp}% → 2,16{nbsp}% | sans cible → sans cible |"
            ),
            format!(
                "| `mrr` | modifié | target: 230{nnbsp}000{nbsp}€ → 225{nnbsp}000{nbsp}€ | 227{nnbsp}049{nbsp}€ → 227{nnbsp}049{nbsp}€ | à risque → dans la cible |"
            ),
        ]
    );
    insta::assert_snapshot!("diff_markdown_fr", fr.stdout);

    // `--locale en` over the file's key: English words and numbers, the same euros.
    let en = diff(&project, "HEAD", &["--locale", "en"]).code(0);
    assert!(en.stdout.contains(
        "| `mrr` | changed | target: €230,000 → €225,000 | €227,049 → €227,049 | at risk → on target |\n"
    ), "{}", en.stdout);
    assert!(en.stdout.contains("| 2.20% → 2.16% |"), "{}", en.stdout);
    insta::assert_snapshot!("diff_markdown_en", en.stdout);

    // JSON keeps raw numbers and machine names, whatever the locale.
    let json = diff(&project, "HEAD", &["--format", "json"]).code(0).json();
    assert_eq!(json["changes"][1]["before"]["value"], 227_049.0);
    assert_eq!(json["changes"][1]["before"]["status"], "at_risk");
    assert_eq!(json["changes"][1]["change"], "changed");
    assert_eq!(json["changes"][1]["fields"], serde_json::json!(["target"]));

    // Nothing differs: the French sentence.
    git(&project, &["add", "-A"]);
    git(&project, &["commit", "-q", "-m", "changes"]);
    let same = diff(&project, "HEAD", &[]).code(0);
    assert_eq!(
        same.stdout,
        "### Changements des KPI par rapport à `HEAD`, août 2026\n\n\
         Aucun changement de définition, de valeur ni de statut.\n"
    );
}

/// A definition whose every key changes, `old` or `new`: user text with Markdown in it, a
/// formula with `||` (a table cell's separator), every part of the target.
fn every_key(old: bool) -> String {
    if old {
        "name = \"Old | name\"\ndescription = \"\"\"First line\nsecond *line*\"\"\"\n\
         category = \"business\"\nkind = \"metric\"\nunit = \"percent\"\ndecimals = 1\n\
         formula = \"a / b * 100\"\ndirection = \"higher_is_better\"\ntags = [\"growth\"]\n\
         owner = \"Ops team\"\n\n[target]\nvalue = 25\nwarning = 20\n\n\
         [inputs.a]\nunit = \"count\"\n\n[inputs.b]\nunit = \"count\"\n\n\
         [[examples]]\ninputs = { a = 1, b = 4 }\nexpect = 25\n\n[locale.fr]\nname = \"Ancien\"\n"
            .into()
    } else {
        "name = \"New_name\"\ncategory = \"customer\"\nkind = \"kpi\"\nunit = \"number\"\n\
         decimals = 2\nformula = \"if(a > 0 || b > 0, a / b * 100, 0)\"\n\
         direction = \"lower_is_better\"\ntags = [\"growth\", \"q3\"]\nowner = \"Data | team\"\n\n\
         [target]\nvalue = 24\nwarning = 30\nbaseline = 30\nbaseline_period = \"2026-01\"\n\
         deadline = \"2026-12\"\n\n[[target.schedule]]\nfrom = \"2026-09\"\nvalue = 22\nwarning = 28\n\n\
         [inputs.a]\nunit = \"count\"\naggregate = \"sum\"\n\n[inputs.b]\nunit = \"count\"\n\n\
         [[examples]]\ninputs = { a = 1, b = 4 }\nexpect = 25\n\n\
         [[examples]]\ninputs = { a = 0, b = 0 }\nexpect = 0\n\n[locale.fr]\nname = \"Nouveau\"\n"
            .into()
    }
}

#[test]
fn every_changed_key_is_named_with_before_and_after_and_renders_on_github() {
    let project = Project::new()
        .file("data.csv", DATA)
        .file("m/x.toml", &every_key(true));
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    git(&project, &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("m/x.toml"), every_key(false)).unwrap();
    let run = diff(&project, "HEAD", &[]).code(0);
    // August: a 3, b 4. Before: 75.0% (percent, 1 decimal), on target (higher is better than
    // 25). After: 75.00 (number, 2 decimals), off target: lower is better, the table's own
    // 24 and 30 are in force before the schedule's first entry (September), and 75 > 30.
    // Levels in each side's unit; user text escaped for Markdown; names and code as code.
    let definition = [
        r"name: Old \| name → New\_name",
        r"description: First line second \*line\* → —",
        "category: `business` → `customer`",
        "kind: `metric` → `kpi`",
        r"formula: `a / b * 100` → `if(a > 0 \|\| b > 0, a / b * 100, 0)`",
        "unit: `percent` → `number`",
        "decimals: 1 → 2",
        "direction: `higher_is_better` → `lower_is_better`",
        "tags: `growth` → `growth`, `q3`",
        r"owner: Ops team → Data \| team",
        "target: 25.0% → 24.00",
        "target.warning: 20.0% → 30.00",
        "target.schedule: — → from September 2026: 22.00 (warning 28.00)",
        "target.baseline: — → 30.00",
        r"target.baseline\_period: — → January 2026",
        "target.deadline: — → December 2026",
        r"examples \#2: — → `inputs = { a = 0, b = 0 }, expect = 0`",
        r#"inputs.a: `{ unit = "count" }` → `{ unit = "count", aggregate = "sum" }`"#,
        "locale.fr.name: Ancien → Nouveau",
    ]
    .join("; ");
    let row = format!("| `x` | changed | {definition} | 75.0% → 75.00 | on target → off target |");
    assert_eq!(
        run.stdout.lines().nth(4),
        Some(row.as_str()),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 5, "{}", run.stdout);

    // As GitHub renders it: one table, five columns in every row, each escape resolved once
    // (no backslash shows), the formula's `||` inside its code span.
    let html = gfm(&run.stdout);
    assert_eq!(html.matches("<table>").count(), 1, "{html}");
    for tr in html.split("<tr>").skip(1) {
        let cells = tr.matches("<th").count() + tr.matches("<td").count();
        assert_eq!(cells, 5, "{tr}");
    }
    assert!(!html.contains('\\'), "{html}");
    assert!(!html.contains("&amp;"), "{html}");
    for shown in [
        "name: Old | name → New_name",
        "description: First line second *line* → —",
        "formula: <code>a / b * 100</code> → <code>if(a &gt; 0 || b &gt; 0, a / b * 100, 0)</code>",
        "owner: Ops team → Data | team",
        "target.baseline_period: — → January 2026",
        "examples #2: — → <code>inputs = { a = 0, b = 0 }, expect = 0</code>",
        "inputs.a: <code>{ unit = &quot;count&quot; }</code>",
    ] {
        assert!(html.contains(shown), "{shown}\n{html}");
    }
}

#[test]
fn the_markdown_of_a_locale_renders_on_github() {
    let project = french_repository();
    for locale in ["fr", "en"] {
        let run = diff(&project, "HEAD", &["--locale", locale]).code(0);
        let html = gfm(&run.stdout);
        // A heading, one table of a header and two rows, five cells each.
        assert!(html.starts_with("<h3>"), "{html}");
        assert_eq!(html.matches("<tr>").count(), 3, "{html}");
        for tr in html.split("<tr>").skip(1) {
            let cells = tr.matches("<th").count() + tr.matches("<td").count();
            assert_eq!(cells, 5, "{tr}");
        }
        assert!(!html.contains('\\'), "{html}");
    }
    let html = gfm(&diff(&project, "HEAD", &[]).code(0).stdout);
    assert!(
        html.contains("<td align=\"left\">227\u{202f}049\u{a0}€ → 227\u{202f}049\u{a0}€</td>"),
        "{html}"
    );
}

#[test]
fn an_unknown_locale_fails_the_markdown_only() {
    let project = french_repository();
    std::fs::write(
        project.join("kpi.toml"),
        "currency = \"EUR\"\nlocale = \"de\"\n",
    )
    .unwrap();
    let run = diff(&project, "HEAD", &[]).code(1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "error: kpi.toml:2:10: reports are not written in `de`\n  |\n2 | locale = \"de\"\n  |          ^^^^\n  = help: use one of `en`, `fr`\n"
        ),
        "{}",
        run.stderr
    );
    // JSON never reads it; `--locale` replaces it.
    diff(&project, "HEAD", &["--format", "json"]).code(0);
    let run = diff(&project, "HEAD", &["--locale", "en"]).code(0);
    assert!(
        run.stdout
            .starts_with("### KPI changes against `HEAD`, August 2026\n")
    );
}
