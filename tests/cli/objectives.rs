//! Objectives and yes/no targets, end to end: objective files checked, progress and status
//! worked out by hand, JSON, Markdown and HTML in both languages, `kpi new --objective`,
//! `kpi list --objectives`, and the yes/no cells of the data.

use crate::support::{Project, churn_kpi, gfm, inputs, metric};

/// A KPI of unit `unit`, higher is better, with the given `[target]` lines.
fn kpi_of(name: &str, formula: &str, unit: &str, target: &str) -> String {
    format!(
        "name = \"{name}\"\ncategory = \"product\"\nkind = \"kpi\"\nunit = \"{unit}\"\n\
         formula = \"{formula}\"\ndirection = \"higher_is_better\"\n\n[target]\n{target}\n"
    )
}

/// A yes/no KPI whose target is `value = true`.
fn yes_no_kpi(name: &str, formula: &str) -> String {
    format!(
        "name = \"{name}\"\ncategory = \"product\"\nkind = \"kpi\"\nunit = \"boolean\"\n\
         formula = \"{formula}\"\n\n[target]\nvalue = true\n"
    )
}

/// Six KPIs and a plain metric over three months, and four objectives.
///
/// In 2026-03:
/// - churn 8 / 100 × 100 = 8 %, past the warning level 7: off target, no baseline: 0 %;
/// - activation 30 against 40 from a baseline of 20: at risk (warning 25), (30 − 20) / (40 −
///   20) = 50 %; its pace line runs from 20 in 2026-01 to 40 in 2026-05: 30 expected in
///   2026-03, so it is on pace;
/// - nps has no value;
/// - launched: `x`, yes: met, 100 %;
/// - no_incident: 0 incidents, `0 == 0` is true: met, 100 %;
/// - tasks: 9 of 12, off target (no warning), 9 / 12 = 75 %.
fn project() -> Project {
    Project::new()
        .file(
            "kpi.toml",
            "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nobjectives = \"objectives\"\n",
        )
        .file("metrics.d/churn_rate.toml", &churn_kpi())
        .file(
            "metrics.d/activation.toml",
            &(kpi_of(
                "Activation",
                "activation_pct",
                "percent",
                "value = 40\nwarning = 25\nbaseline = 20\nbaseline_period = \"2026-01\"\ndeadline = \"2026-05\"",
            ) + "\n[inputs.activation_pct]\nunit = \"percent\"\n"),
        )
        .file(
            "metrics.d/nps.toml",
            &(kpi_of("NPS", "nps_score", "score", "value = 30") + "\n[inputs.nps_score]\nunit = \"score\"\n"),
        )
        .file(
            "metrics.d/launched.toml",
            &(yes_no_kpi("Pricing page live", "launched_flag")
                + "\n[inputs.launched_flag]\nunit = \"boolean\"\n"
                + "\n[locale.fr]\nname = \"Page de tarifs en ligne\"\n"),
        )
        .file(
            "metrics.d/no_incident.toml",
            &(yes_no_kpi("No major incident", "incidents == 0") + &inputs(&["incidents"])),
        )
        .file(
            "metrics.d/tasks.toml",
            &(kpi_of("Launch tasks done", "tasks_done", "count", "value = 12") + &inputs(&["tasks_done"])),
        )
        .file(
            "metrics.d/ratio.toml",
            &(metric("customers_lost / customers_start", "")),
        )
        .file(
            "data.csv",
            "period,customers_lost,customers_start,activation_pct,nps_score,launched_flag,incidents,tasks_done\n\
             2026-01,3,100,20,35,,0,2\n\
             2026-02,4,100,25,32,,1,5\n\
             2026-03,8,100,30,,x,0,9\n",
        )
        .file(
            "objectives/retain.toml",
            "name = \"Retain customers\"\nowner = \"Nora\"\ndue = \"2026-12\"\n\
             kpis = [\"churn_rate\", \"nps\"]\n\n[locale.fr]\nname = \"Fidéliser les clients\"\n",
        )
        .file(
            "objectives/grow.toml",
            "name = \"Grow\"\ndue = \"2026-12\"\n\n[[kpis]]\nid = \"activation\"\nweight = 3\n\n\
             [[kpis]]\nid = \"launched\"\n",
        )
        .file(
            "objectives/ship.toml",
            "name = \"Ship the launch\"\ndue = \"2026-02\"\nkpis = [\"tasks\", \"no_incident\"]\n",
        )
        .file(
            "objectives/ops.toml",
            "name = \"Run smoothly\"\nkpis = [\"no_incident\"]\n",
        )
}

fn objectives_json(project: &Project, period: &str) -> serde_json::Value {
    let json = project
        .run(&["eval", "--period", period, "--format", "json"])
        .code(0)
        .json();
    json["objectives"].clone()
}

fn close(a: &serde_json::Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn progress_and_status_worked_out_by_hand() {
    let project = project();
    let objectives = objectives_json(&project, "2026-03");
    let ids: Vec<&str> = objectives
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    // By id.
    assert_eq!(ids, ["grow", "ops", "retain", "ship"]);
    let by_id = |id: &str| {
        objectives
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };

    // Grow: activation halfway from its baseline (0.5, weight 3) and the page live (1):
    // (0.5 × 3 + 1 × 1) / 4 = 0.625; activation at risk, so the objective is.
    let grow = by_id("grow");
    assert!(close(&grow["progress"], 0.625), "{grow}");
    assert_eq!(grow["status"], "at_risk");
    assert_eq!(grow["without_value"], 0);
    assert!(close(&grow["kpis"][0]["progress"], 0.5));
    assert_eq!(grow["kpis"][0]["weight"], 3.0);
    assert_eq!(grow["kpis"][0]["id"], "activation");
    assert!(close(&grow["kpis"][1]["progress"], 1.0));
    assert_eq!(grow["kpis"][1]["weight"], 1.0);

    // Retain: churn off target and without baseline (0); NPS without a value, left out of
    // the mean and counted.
    let retain = by_id("retain");
    assert!(close(&retain["progress"], 0.0), "{retain}");
    assert_eq!(retain["status"], "off_target");
    assert_eq!(retain["without_value"], 1);
    assert_eq!(retain["kpis"][1]["progress"], serde_json::Value::Null);
    assert_eq!(retain["kpis"][1]["reason"], "no_value");
    assert_eq!(retain["owner"], "Nora");
    assert_eq!(retain["due"], "2026-12");

    // Ship: 9 of 12 tasks (0.75) and no incident (1): 0.875; due in 2026-02 and the tasks
    // not all done by 2026-03: missed.
    let ship = by_id("ship");
    assert!(close(&ship["progress"], 0.875), "{ship}");
    assert_eq!(ship["status"], "missed");

    // Ops: no incident this month, every KPI met.
    let ops = by_id("ops");
    assert!(close(&ops["progress"], 1.0));
    assert_eq!(ops["status"], "on_target");
    assert_eq!(ops["due"], serde_json::Value::Null);

    // In 2026-02, its due month, Ship is not yet missed: 5 of 12 (5/12) and an incident (a
    // no, 0): (5/12 + 0) / 2 = 5/24, off target.
    let february = objectives_json(&project, "2026-02");
    let ship = february
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ship")
        .unwrap();
    assert!(close(&ship["progress"], 5.0 / 24.0), "{ship}");
    assert_eq!(ship["status"], "off_target");
    // In 2026-01 the page is not live: its cell is empty, read as a no.
    let january = objectives_json(&project, "2026-01");
    let grow = &january[0];
    assert_eq!(grow["id"], "grow");
    assert!(close(&grow["kpis"][1]["progress"], 0.0), "{grow}");
    assert_eq!(grow["kpis"][1]["status"], "off_target");
}

#[test]
fn yes_no_values_and_their_status_in_eval() {
    let project = project();
    let json = project
        .run(&["eval", "--period", "2026-03", "--format", "json"])
        .code(0)
        .json();
    let metric = |id: &str| {
        json["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    // `x` is yes (1); last month's empty cell is no (0).
    let launched = metric("launched");
    assert_eq!(launched["value"], 1.0);
    assert_eq!(launched["previous"], 0.0);
    assert_eq!(launched["status"], "on_target");
    assert_eq!(launched["unit"], "boolean");
    // `incidents == 0` with 1 incident in 2026-02 is false, with 0 in 2026-03 true.
    let incident = metric("no_incident");
    assert_eq!(incident["value"], 1.0);
    assert_eq!(incident["previous"], 0.0);
}

#[test]
fn every_yes_no_spelling_is_read() {
    let yes = [
        "true", "TRUE", "yes", "Yes", "oui", "OUI", "1", "x", "X", "vrai",
    ];
    let no = ["false", "False", "no", "NO", "non", "0", "faux", ""];
    let mut csv = String::from("period,flag\n");
    let mut month = 0;
    let mut expected = Vec::new();
    for (cell, value) in yes
        .iter()
        .map(|c| (c, 1.0))
        .chain(no.iter().map(|c| (c, 0.0)))
    {
        month += 1;
        csv.push_str(&format!(
            "{}-{:02},{cell}\n",
            2020 + (month - 1) / 12,
            (month - 1) % 12 + 1
        ));
        expected.push(value);
    }
    let project = Project::new()
        .file(
            "metrics.d/shipped.toml",
            &(yes_no_kpi("Flag", "flag") + "\n[inputs.flag]\nunit = \"boolean\"\n"),
        )
        .file("data.csv", &csv);
    for (i, want) in expected.iter().enumerate() {
        let period = format!("{}-{:02}", 2020 + i / 12, i % 12 + 1);
        let json = project
            .run(&[
                "eval", "--data", "data.csv", "--period", &period, "--format", "json",
            ])
            .code(0)
            .json();
        assert_eq!(json["metrics"][0]["value"], *want, "{period}");
    }
    // Without an `x` in the column, an empty cell is a missing value, not a no: the column
    // says its noes (as the table `kpi data pull` writes does).
    let written = Project::new()
        .file(
            "metrics.d/shipped.toml",
            &(yes_no_kpi("Flag", "flag") + "\n[inputs.flag]\nunit = \"boolean\"\n"),
        )
        .file(
            "data.csv",
            "period,flag,other\n2026-01,no,1\n2026-02,,1\n2026-03,yes,1\n",
        );
    let json = written
        .run(&[
            "eval", "--data", "data.csv", "--period", "2026-02", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(json["metrics"][0]["value"], serde_json::Value::Null);
    assert_eq!(
        json["metrics"][0]["reason"],
        "input `flag` has no value for 2026-02"
    );
}

#[test]
fn a_cell_that_is_not_yes_or_no_is_located() {
    let run = Project::new()
        .file(
            "metrics.d/shipped.toml",
            &(yes_no_kpi("Flag", "flag") + "\n[inputs.flag]\nunit = \"boolean\"\n"),
        )
        .file("data.csv", "period,flag\n2026-01,x\n2026-02,maybe\n")
        .run(&["eval", "--data", "data.csv"])
        .code(1);
    insta::assert_snapshot!("yes_no_cell", run.stderr);
    assert!(run.stderr.contains("data.csv:3:9"), "{}", run.stderr);
}

#[test]
fn markdown_report_opens_with_the_objectives_in_both_languages() {
    let project = project();
    let en = project
        .run(&["report", "--period", "2026-03", "--format", "md"])
        .code(0)
        .stdout;
    let objectives = en
        .split("## Objectives\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("{en}"));
    assert_eq!(
        objectives,
        "- 🟡 **Grow** — 63% · at risk · due December 2026\n\
         \x20 - 🟡 Activation: 30.0% (target ≥\u{a0}40.0%) — at risk, 50%, weight 3\n\
         \x20 - 🟢 Pricing page live: ✓ Yes (target ✓ Yes) — met, 100%\n\
         - 🟢 **Run smoothly** — 100% · on target\n\
         \x20 - 🟢 No major incident: ✓ Yes (target ✓ Yes) — met, 100%\n\
         - 🔴 **Retain customers** — 0% · off target · due December 2026 · Owner: Nora · 1 KPI without a value\n\
         \x20 - 🔴 Some KPI: 8.0% (target ≤\u{a0}5.0%) — off target, 0%\n\
         \x20 - ⚪ NPS: — (target ≥\u{a0}30) — no data\n\
         - ⛔ **Ship the launch** — 88% · missed · due February 2026\n\
         \x20 - 🔴 Launch tasks done: 9 of 12 (target ≥\u{a0}12) — off target, 75%\n\
         \x20 - 🟢 No major incident: ✓ Yes (target ✓ Yes) — met, 100%"
    );
    // The section comes before what needs attention, which names the objectives served.
    assert!(en.find("## Objectives") < en.find("## Needs attention"));
    assert!(
        en.contains("- 🔴 **Launch tasks done** — off target: 9 of 12, target ≥\u{a0}12, ▲ +4 (+80.0%) better — Serves: Ship the launch"),
        "{en}"
    );
    // GitHub's Markdown reads the section as a list of lists.
    let html = gfm(&en);
    assert!(
        html.contains("<li>🟡 <strong>Grow</strong> — 63% · at risk"),
        "{html}"
    );

    let fr = project
        .run(&[
            "report", "--period", "2026-03", "--format", "md", "--locale", "fr",
        ])
        .code(0)
        .stdout;
    assert!(fr.contains("## Objectifs\n\n"), "{fr}");
    assert!(
        fr.contains("- 🔴 **Fidéliser les clients** — 0\u{a0}% · hors cible · échéance décembre 2026 · Responsable\u{a0}: Nora · 1 KPI sans valeur"),
        "{fr}"
    );
    assert!(
        fr.contains("Page de tarifs en ligne\u{a0}: ✓ Oui (cible ✓ Oui)"),
        "{fr}"
    );
    assert!(fr.contains("Launch tasks done\u{a0}: 9 sur 12"), "{fr}");
    assert!(
        fr.contains("- ⛔ **Ship the launch** — 88\u{a0}% · manqué"),
        "{fr}"
    );
    insta::assert_snapshot!("objectives_report_md_fr", fr);
}

#[test]
fn html_report_shows_progress_bars_and_yes_no_values() {
    let project = project();
    let html = project
        .run(&["report", "--period", "2026-03", "--format", "html"])
        .code(0)
        .stdout;
    let section = html
        .split("<section class=\"objectives\">")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("{html}"));
    assert!(section.contains("<h2>Objectives</h2>"));
    assert!(
        section.contains("<div class=\"bar\" role=\"progressbar\" aria-valuenow=\"63\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-label=\"Grow\"><span style=\"width: 63%\"></span></div>"),
        "{section}"
    );
    assert!(
        section.contains("<li class=\"objective missed\" id=\"o-ship\">"),
        "{section}"
    );
    assert!(section.contains("<strong>9 of 12</strong>"), "{section}");
    // A yes/no value is a word and a mark, never 1 or 0; its chart a strip of months.
    assert!(
        html.contains("<td class=\"num\" data-label=\"Value\">✓ Yes</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"num\" data-label=\"Previous\">✗ No</td>"),
        "{html}"
    );
    assert!(
        html.contains("<g class=\"strip\"><rect class=\"not-met\""),
        "{html}"
    );
    // Objectives open the report: before the notes' place and what needs attention.
    assert!(html.find("class=\"objectives\"") < html.find("class=\"attention\""));
    assert!(
        html.contains("<span class=\"serves\">— Serves: Ship the launch</span>"),
        "{html}"
    );

    let fr = project
        .run(&[
            "report", "--period", "2026-03", "--format", "html", "--locale", "fr",
        ])
        .code(0)
        .stdout;
    assert!(fr.contains("<h2>Objectifs</h2>"), "{fr}");
    assert!(fr.contains("<strong>Fidéliser les clients</strong> <span class=\"status off_target\">hors cible</span> <span class=\"objective-progress\">0\u{a0}%</span>"), "{fr}");
    assert!(
        fr.contains("<span class=\"status missed\">manqué</span>"),
        "{fr}"
    );
    assert!(fr.contains("<strong>9 sur 12</strong>"), "{fr}");
    assert!(
        fr.contains("<td class=\"num\" data-label=\"Valeur\">✓ Oui</td>"),
        "{fr}"
    );
}

#[test]
fn a_project_without_objectives_has_no_section() {
    let project = project().file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\n",
    );
    let md = project.run(&["report", "--format", "md"]).code(0).stdout;
    assert!(!md.contains("## Objectives"), "{md}");
    assert!(!md.contains("Serves"), "{md}");
    let json = project.run(&["eval", "--format", "json"]).code(0).json();
    assert_eq!(json["objectives"], serde_json::json!([]));
}

#[test]
fn check_counts_objectives_and_list_shows_them() {
    let project = project();
    let run = project.run(&["check"]).code(0);
    assert!(
        run.stderr.contains(
            "ok: 6 KPIs, 1 metric and 7 inputs from 1 directory; 4 objectives; data: 3 months"
        ),
        "{}",
        run.stderr
    );
    let table = project.run(&["list", "--objectives"]).code(0).stdout;
    assert_eq!(
        table,
        "id      name              owner  due      kpis\n\
         grow    Grow                     2026-12  activation ×3, launched\n\
         ops     Run smoothly                      no_incident\n\
         retain  Retain customers  Nora   2026-12  churn_rate, nps\n\
         ship    Ship the launch          2026-02  tasks, no_incident\n"
    );
    let json = project
        .run(&["list", "--objectives", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(
        json[0]["kpis"],
        serde_json::json!([{"id": "activation", "weight": 3.0}, {"id": "launched", "weight": 1.0}])
    );
    assert_eq!(json[0]["source"], "objectives/grow.toml");
}

#[test]
fn every_mistake_of_an_objective_file_is_located() {
    let project = project()
        .file("objectives/grow.toml", "name = \"\"\ndue = \"2026-13\"\nkpis = [\"churn_rat\", \"ratio\", \"churn_rate\", \"churn_rate\"]\n")
        .file("objectives/ops.toml", "name = \"Ops\"\nkpis = []\n")
        .file(
            "objectives/ship.toml",
            "name = \"Ship\"\n\n[[kpis]]\nid = \"tasks\"\nweight = 0\n\n[[kpis]]\nweight = 2\n\n[[kpis]]\nid = \"nps\"\nfactor = 2\n",
        )
        .file("objectives/Bad-Name.toml", "name = \"Bad\"\nkpis = [\"nps\"]\n")
        .file("objectives/retain.toml", "name = \"Retain\"\nkpi = [\"nps\"]\n");
    let run = project.run(&["check"]).code(1);
    for expected in [
        "objectives/grow.toml:1:8: the objective's name is empty",
        "objectives/grow.toml:2:7: `2026-13` is not a month",
        "objectives/grow.toml:3:9: unknown KPI `churn_rat`",
        "did you mean `churn_rate`?",
        "objectives/grow.toml:3:22: `ratio` is a plain metric, not a KPI: an objective is made of KPIs, which carry targets",
        "objectives/grow.toml:3:45: `churn_rate` is listed twice",
        "it is already listed on line 3",
        "objectives/ops.toml:2:8: the objective lists no KPI",
        "objectives/ship.toml:5:1: the weight of `tasks` is 0: a weight is a number above 0",
        "a `[[kpis]]` entry has no `id`",
        "unknown key `factor` in a `[[kpis]]` entry",
        "`Bad-Name` is not a valid objective id (the file's name)",
        "objectives/retain.toml:2:1: unknown key `kpi`",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
    insta::assert_snapshot!("objective_errors", run.stderr);
}

#[test]
fn yes_no_targets_take_no_warning_nor_pace() {
    let check = |definition: &str| {
        Project::new()
            .file("metrics.d/shipped.toml", definition)
            .run(&["check", "--metrics", "metrics.d"])
            .code(1)
            .stderr
    };
    let flag = "name = \"Flag\"\ncategory = \"product\"\nkind = \"kpi\"\nunit = \"boolean\"\nformula = \"flag\"\n";
    let declared = "\n[inputs.flag]\nunit = \"boolean\"\n";
    let warning = check(&format!(
        "{flag}\n[target]\nvalue = true\nwarning = false\nbaseline = 0\nbaseline_period = \"2026-01\"\ndeadline = \"2026-06\"\n{declared}"
    ));
    for key in ["warning", "baseline", "baseline_period", "deadline"] {
        assert!(
            warning.contains(&format!(
                "a yes/no KPI is met or not met: it takes no `{key}`"
            )),
            "{key}: {warning}"
        );
    }
    let number = check(&format!("{flag}\n[target]\nvalue = 1\n{declared}"));
    assert!(
        number.contains("metrics.d/shipped.toml:8:9: a yes/no KPI's `value` is `true` or `false`"),
        "{number}"
    );
    let opposite = check(&format!(
        "{flag}direction = \"lower_is_better\"\n\n[target]\nvalue = true\n{declared}"
    ));
    assert!(
        opposite
            .contains("`direction = \"lower_is_better\"` says the opposite of the yes/no target"),
        "{opposite}"
    );
    let not_boolean = check(
        &(crate::support::kpi("flag", "higher_is_better", 1.0, 0.0, "")
            .replace("value = 1", "value = true")
            + declared),
    );
    assert!(
        not_boolean.contains(
            "`value = true` or `false` is the target of a yes/no metric, and this one is not"
        ),
        "{not_boolean}"
    );
    let comparison = check(&(metric("flag > 0", "") + &inputs(&["flag"])));
    assert!(
        comparison.contains(
            "the formula gives true/false, not a number (a yes/no metric says `unit = \"boolean\"`)"
        ),
        "{comparison}"
    );
    insta::assert_snapshot!("yes_no_target_errors", warning);
}

#[test]
fn new_writes_an_objective_template_that_checks_once_filled_in() {
    let project = project();
    let run = project.run(&["new", "--objective", "delight"]).code(0);
    assert!(
        run.stderr.contains("wrote objectives/delight.toml"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(project.join("objectives/delight.toml")).unwrap();
    assert!(text.contains("name = \"Delight\"\n"), "{text}");
    // As written, it lists no KPI yet: `kpi check` says so, at the line to fill in.
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr.contains("objectives/delight.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the objective lists no KPI"),
        "{}",
        run.stderr
    );
    let filled = text.replace("kpis = []", "kpis = [\"nps\"]");
    std::fs::write(project.join("objectives/delight.toml"), filled).unwrap();
    project.run(&["check"]).code(0);
    // Never over an existing file; and a project without an `objectives` folder says how.
    project.run(&["new", "--objective", "delight"]).code(1);
    let bare = Project::new().file("kpi.toml", "metrics = [\"metrics.d\"]\n");
    let run = bare.run(&["new", "--objective", "delight"]).code(2);
    assert!(run.stderr.contains("names no `objectives` folder: add `objectives = \"objectives\"` to it, or pass `--dir DIR`"), "{}", run.stderr);
}

#[test]
fn an_objective_file_is_read_only_up_to_the_definitions_limit() {
    // 64 KiB, as a definition file: one line past it is refused before it is parsed.
    let big = format!(
        "name = \"Big\"\nkpis = [\"nps\"]\n# {}\n",
        "x".repeat(70_000)
    );
    let run = project()
        .file("objectives/big.toml", &big)
        .run(&["check"])
        .code(1);
    assert!(run.stderr.contains("objectives/big.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("65536"), "{}", run.stderr);
}

#[test]
fn a_missing_objectives_folder_is_named() {
    let project = project().file(
        "kpi.toml",
        "metrics = [\"metrics.d\"]\ndata = [\"data.csv\"]\nobjectives = \"goals\"\n",
    );
    let run = project.run(&["check"]).code(1);
    assert!(
        run.stderr
            .contains("error: objectives folder `goals` does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("kpi new --objective ID"),
        "{}",
        run.stderr
    );
}
