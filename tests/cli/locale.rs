//! Reports for their readers, through the binary: the language (`--locale`, `locale` in
//! kpi.toml), the currency, the month's notes, owners, what needs attention first, and the
//! machine outputs that never change with the language. Every expected value is worked out
//! by hand from the small project below.

use crate::support::{Project, Run};

/// Four definitions over two months. October 2026, by hand:
/// - churn 60 / 1000 * 100 = 6.0 %, past the target of 5 % but within the warning of 7 %:
///   at risk (September: 50 / 1000 = 5.0 %, on target);
/// - sign-ups 3 against a target of 10 and a warning of 5: off target;
/// - the NPS has no `score` for October: no data;
/// - revenue 1,234,600.50, up 33.00 from 1,234,567.50 (+0.0027 %, shown as +0.0 %).
fn project() -> Project {
    Project::new()
        .file(
            "metrics.d/churn.toml",
            "name = \"Customer churn rate\"\ncategory = \"customer\"\nkind = \"kpi\"\n\
             formula = \"customers_lost / customers_start * 100\"\nunit = \"percent\"\n\
             direction = \"lower_is_better\"\nowner = \"Customer success\"\n\
             [target]\nvalue = 5\nwarning = 7\n\
             [inputs.customers_lost]\nunit = \"count\"\n[inputs.customers_start]\nunit = \"count\"\n\
             [locale.fr]\nname = \"Taux d'attrition\"\ndescription = \"Part des clients partis.\"\n",
        )
        .file(
            "metrics.d/signups.toml",
            "name = \"Sign-ups\"\ncategory = \"marketing\"\nkind = \"kpi\"\nformula = \"new_signups\"\n\
             unit = \"count\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 10\nwarning = 5\n\
             [inputs.new_signups]\nunit = \"count\"\n",
        )
        .file(
            "metrics.d/nps.toml",
            "name = \"NPS\"\ncategory = \"customer\"\nkind = \"kpi\"\nformula = \"score\"\n\
             unit = \"score\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 30\n\
             [inputs.score]\nunit = \"score\"\n",
        )
        .file(
            "metrics.d/sales.toml",
            "name = \"Revenue\"\ncategory = \"business\"\nkind = \"metric\"\nformula = \"revenue\"\n\
             unit = \"currency\"\ndirection = \"higher_is_better\"\n[inputs.revenue]\nunit = \"currency\"\n",
        )
        .file(
            "data.csv",
            "period,customers_lost,customers_start,new_signups,score,revenue\n\
             2026-09,50,1000,20,30,1234567.5\n\
             2026-10,60,1000,3,,1234600.5\n",
        )
}

/// `kpi report --format FORMAT` with `args`, which must succeed.
fn report(project: &Project, format: &str, args: &[&str]) -> Run {
    let mut all = vec!["report", "--data", "data.csv", "--format", format];
    all.extend_from_slice(args);
    project.run(&all).code(0)
}

#[test]
fn french_from_the_flag_or_kpi_toml() {
    let flag = report(&project(), "md", &["--locale", "fr"]).stdout;
    assert!(flag.starts_with("# Rapport KPI — octobre 2026\n"), "{flag}");
    assert!(
        flag.contains("| Taux d'attrition | 6,0\u{a0}% | 5,0\u{a0}% | ▲ +1,0\u{a0}pt (+20,0\u{a0}%) en dégradation | ≤\u{a0}5,0\u{a0}% | 🟡 à risque |"),
        "{flag}"
    );
    assert!(
        flag.contains("Évolutions par rapport à septembre 2026."),
        "{flag}"
    );
    let project = project().file("kpi.toml", "locale = \"fr\"\n");
    assert_eq!(report(&project, "md", &[]).stdout, flag);
    // The flag wins over the file.
    let english = report(&project, "md", &["--locale", "en"]).stdout;
    assert!(
        english.starts_with("# KPI report — October 2026\n"),
        "{english}"
    );
    let html = report(&project, "html", &[]).stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"),
        "{html}"
    );
    assert!(html.contains("<h2>Points d&#x27;attention</h2>"), "{html}");
}

#[test]
fn unknown_languages_and_currencies_are_refused() {
    let run = project().run(&[
        "report", "--data", "data.csv", "--format", "md", "--locale", "de",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("reports are written in en or fr"),
        "{}",
        run.stderr
    );
    let run = project()
        .file("kpi.toml", "locale = \"de\"\n")
        .run(&["report", "--data", "data.csv", "--format", "md"])
        .code(1);
    assert!(
        run.stderr
            .starts_with("error: kpi.toml:1:10: reports are not written in `de`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: use one of `en`, `fr`"),
        "{}",
        run.stderr
    );
    let run = project()
        .file("kpi.toml", "currency = \"eur\"\n")
        .run(&["report", "--data", "data.csv", "--format", "md"])
        .code(1);
    assert!(
        run.stderr
            .starts_with("error: kpi.toml:1:12: `eur` is not a currency code"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: write the code in capitals: `currency = \"EUR\"`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_currency_shows_with_amounts_the_way_each_language_writes_it() {
    let plain = report(&project(), "md", &[]).stdout;
    assert!(
        plain.contains("| Revenue | 1,234,600.50 | 1,234,567.50 | ▲ +33.00 (0.0%) better |"),
        "{plain}"
    );
    let project = project().file("kpi.toml", "currency = \"EUR\"\n");
    let en = report(&project, "md", &[]).stdout;
    assert!(
        en.contains("| Revenue | €1,234,600.50 | €1,234,567.50 | ▲ +€33.00 (0.0%) better |"),
        "{en}"
    );
    let fr = report(&project, "md", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("| Revenue | 1\u{202f}234\u{202f}600,50\u{a0}€ | 1\u{202f}234\u{202f}567,50\u{a0}€ | ▲ +33,00\u{a0}€ (0,0\u{a0}%) en amélioration |"),
        "{fr}"
    );
    // No breakable space inside any number of the report.
    for line in fr.lines().filter(|l| l.starts_with("| Revenue")) {
        assert!(!line.contains("1 234"), "{line}");
    }
    let usd = report(&project.file("kpi.toml", "currency = \"USD\"\n"), "md", &[]).stdout;
    assert!(usd.contains(r"| Revenue | \$1,234,600.50 |"), "{usd}");
}

#[test]
fn needs_attention_comes_first_off_target_then_at_risk_then_without_data() {
    let md = report(&project(), "md", &["--period", "2026-10"]).stdout;
    let section: Vec<&str> = md
        .split("## Needs attention\n\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        section,
        [
            // A count towards a total reads as done out of the total.
            "- 🔴 **Sign-ups** — off target: 3 of 10, target ≥\u{a0}10, ▼ -17 (-85.0%) worse",
            "- 🟡 **Customer churn rate** — at risk: 6.0%, target ≤\u{a0}5.0%, ▲ +1.0\u{a0}pp (+20.0%) worse — Owner: Customer success",
            // Customers lost 50 → 60 of an unchanged 1,000: the whole change is theirs.
            "  - Why it moved: ▲ +1.0\u{a0}pp from “customers lost” (+10)",
            "- ⚪ **NPS** — no data: no value for “score” in October 2026",
        ]
    );
    // Before the tables, after the counts.
    let at = |text: &str| md.find(text).unwrap();
    assert!(at("**0** on target") < at("## Needs attention"));
    assert!(at("## Needs attention") < at("## KPIs"));
    // In September everything is on target: nothing is listed.
    let september = report(&project(), "md", &["--period", "2026-09"]).stdout;
    assert!(
        september.contains(
            "## Needs attention\n\nNothing needs attention: every KPI with a value is on target.\n"
        ),
        "{september}"
    );
}

#[test]
fn owners_show_in_both_reports() {
    let md = report(&project(), "md", &[]).stdout;
    assert!(md.contains("\n- Owner: Customer success\n"), "{md}");
    let html = report(&project(), "html", &[]).stdout;
    assert!(
        html.contains("<dt>Owner</dt><dd>Customer success</dd>"),
        "{html}"
    );
    let fr = report(&project(), "html", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("<dt>Responsable</dt><dd>Customer success</dd>"),
        "{fr}"
    );
}

/// The project with notes for October 2026.
fn with_notes() -> Project {
    project().file("kpi.toml", "notes = \"notes\"\n").file(
        "notes/2026-10.md",
        "October: churn **up** after the price change. <script>alert(1)</script>\n\
         See [the review](https://example.com/r) and [this](javascript:alert(1)).\n\n\
         ## churn\n\nTwo large accounts left; <img src=x onerror=alert(1)> mail <cs@example.com>.\n\n\
         ## churm\n\nA typo.\n",
    )
}

#[test]
fn notes_give_the_summary_and_comments() {
    let project = with_notes();
    let run = report(&project, "md", &[]);
    let md = run.stdout;
    assert!(
        md.contains("other metric. Changes compare with September 2026.\n\nOctober: churn **up** after the price change. &lt;script\\>alert(1)&lt;/script\\>\nSee [the review](https://example.com/r) and \u{2060}this.\n\n## Needs attention"),
        "{md}"
    );
    assert!(
        md.contains("**Comment**:\n\nTwo large accounts left; &lt;img src=x onerror=alert(1)\\> mail <cs@example.com>.\n"),
        "{md}"
    );
    // The unknown section is left out, with a warning that suggests the id.
    assert!(!md.contains("A typo"), "{md}");
    assert!(
        run.stderr
            .contains("warning: notes/2026-10.md:8:1: notes section `## churm` names no metric"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `## churn`?"),
        "{}",
        run.stderr
    );

    let html = report(&project, "html", &[]).stdout;
    assert!(
        html.contains("<section class=\"notes\">\n<p>October: churn <strong>up</strong> after the price change. &lt;script&gt;alert(1)&lt;/script&gt;\nSee <a href=\"https://example.com/r\">the review</a> and this.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Two large accounts left; &lt;img src=x onerror=alert(1)&gt; mail <a href=\"mailto:cs@example.com\">cs@example.com</a>.</p>"),
        "{html}"
    );
    let lower = html.to_ascii_lowercase();
    for forbidden in ["<script", "<img", "javascript:"] {
        assert!(!lower.contains(forbidden), "`{forbidden}` in {html}");
    }
    // The comment shows with the metric in the list of what needs attention too.
    let attention = html.split("<section class=\"attention\">").nth(1).unwrap();
    let attention = attention.split("</section>").next().unwrap();
    assert!(attention.contains("Two large accounts left"), "{attention}");
}

#[test]
fn a_month_without_notes_renders_as_without_notes() {
    let with = report(&with_notes(), "html", &["--period", "2026-09"]);
    let without = report(&project(), "html", &["--period", "2026-09"]);
    assert_eq!(with.stdout, without.stdout);
    assert!(!with.stderr.contains("warning"), "{}", with.stderr);
    // A notes folder that does not exist (a fresh clone: git keeps no empty folder) means no
    // notes, said in one note; a path that is not a folder is an error.
    let run = project()
        .file("kpi.toml", "notes = \"commentary\"\n")
        .run(&["report", "--data", "data.csv", "--format", "md"])
        .code(0);
    assert_eq!(
        run.stderr,
        "note: evaluating 2026-10, the latest month in the data\n\
         note: notes folder `commentary` does not exist: the report has no notes\n\
         \x20 = help: to comment the month, write `commentary/2026-10.md`\n"
    );
    assert_eq!(
        run.stdout,
        report(&project(), "md", &[]).stdout,
        "the report is the one without notes"
    );
    let run = project()
        .file("kpi.toml", "notes = \"commentary\"\n")
        .file("commentary", "not a folder\n")
        .run(&["report", "--data", "data.csv", "--format", "md"])
        .code(2);
    assert!(
        run.stderr
            .contains("error: notes folder `commentary` is not a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn machine_outputs_never_change_with_the_language() {
    let english = project();
    let french = project()
        .file(
            "kpi.toml",
            "locale = \"fr\"\ncurrency = \"EUR\"\nnotes = \"notes\"\n",
        )
        .file("notes/2026-10.md", "Résumé.\n");
    for args in [
        &["eval", "--data", "data.csv", "--format", "json"][..],
        &["eval", "--data", "data.csv", "--format", "csv"][..],
        &["list", "--format", "json"][..],
    ] {
        let base = english.run(args).code(0).stdout;
        assert_eq!(french.run(args).code(0).stdout, base, "{args:?}");
        if args[0] == "eval" {
            let flagged: Vec<&str> = args.iter().copied().chain(["--locale", "fr"]).collect();
            assert_eq!(english.run(&flagged).code(0).stdout, base, "{args:?}");
        }
    }
    // The JSON has plain numbers and the definitions' own names.
    let json = french
        .run(&["eval", "--data", "data.csv", "--format", "json"])
        .code(0)
        .stdout;
    assert!(json.contains("\"name\": \"Customer churn rate\""), "{json}");
    assert!(json.contains("\"value\": 1234600.5"), "{json}");
}

#[test]
fn the_eval_table_writes_numbers_the_way_the_language_does() {
    let en = project()
        .run(&["eval", "--data", "data.csv"])
        .code(0)
        .stdout;
    assert!(
        en.contains("sales    metric  1,234,600.50  1,234,567.50"),
        "{en}"
    );
    let fr = project()
        .run(&["eval", "--data", "data.csv", "--locale", "fr"])
        .code(0)
        .stdout;
    assert!(
        fr.contains("sales    metric  1\u{202f}234\u{202f}600,50  1\u{202f}234\u{202f}567,50"),
        "{fr}"
    );
    assert!(fr.contains("churn    kpi     6,0"), "{fr}");
}
