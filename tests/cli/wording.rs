//! Reports worded for leadership (issue 21), through the binary: the one-sentence summary
//! shown and the description folded away, names instead of ids, and the standard library's
//! own text. Every expected string is written by hand from the small projects below.

use std::path::Path;

use crate::support::{Project, Run};

/// A KPI with a summary and a description holding code, both also in French, judged against
/// a budget series: `budget` (an input with a name in both languages) for MRR, and
/// `spend_cap` (an input without one) for spend. In October 2026 MRR is 120 against a budget
/// of 100, and spend has no value, so the derived `ratio` has none either.
fn project() -> Project {
    Project::new()
        .file(
            "metrics.d/mrr.toml",
            "name = \"Recurring revenue\"\n\
             summary = \"What subscriptions bring in each month.\"\n\
             description = \"\"\"\nWatch `mrr` against\nthe budget <b>monthly</b>.\n\"\"\"\n\
             category = \"business\"\nkind = \"kpi\"\nformula = \"revenue\"\nunit = \"number\"\n\
             direction = \"higher_is_better\"\n[target]\nvalue = \"budget\"\n\
             [inputs.revenue]\nunit = \"number\"\n\
             [inputs.budget]\nname = \"finance's budget\"\nunit = \"number\"\n\
             [locale.fr]\nname = \"Revenu récurrent\"\n\
             summary = \"Ce que les abonnements rapportent chaque mois.\"\n\
             description = \"Suivez `mrr` face au budget.\"\n\
             inputs = { budget = \"le budget de la finance\" }\n",
        )
        .file(
            "metrics.d/marketing_spend.toml",
            "name = \"Marketing spend\"\ncategory = \"marketing\"\nkind = \"kpi\"\n\
             formula = \"spend\"\nunit = \"number\"\ndirection = \"lower_is_better\"\n\
             [target]\nvalue = \"spend_cap\"\n\
             [inputs.spend]\nunit = \"number\"\n[inputs.spend_cap]\nunit = \"number\"\n",
        )
        .file(
            "metrics.d/ratio.toml",
            "name = \"Revenue per spend\"\ncategory = \"marketing\"\nkind = \"metric\"\n\
             formula = \"mrr / marketing_spend\"\nunit = \"number\"\n",
        )
        .file(
            "data.csv",
            "period,revenue,budget,spend,spend_cap\n2026-09,110,100,10,12\n2026-10,120,100,,12\n",
        )
}

fn report(project: &Project, format: &str, args: &[&str]) -> Run {
    let mut all = vec!["report", "--data", "data.csv", "--format", format];
    all.extend_from_slice(args);
    project.run(&all).code(0)
}

/// The HTML page without its `<style>` block, whose CSS is not text readers see.
fn body(html: &str) -> &str {
    html.split("</style>").nth(1).unwrap()
}

#[test]
fn the_summary_is_shown_and_the_description_folded_away() {
    let html = report(&project(), "html", &[]).stdout;
    assert!(
        html.contains(
            "<h3>Recurring revenue <span class=\"status on_target\">on target</span></h3>\n\
             <p class=\"lead\">What subscriptions bring in each month.</p>\n"
        ),
        "{html}"
    );
    // Closed (no `open`), the code span as code, the line break a space, the HTML escaped.
    assert!(
        html.contains(
            "<details class=\"description\"><summary>Description</summary><p>Watch \
             <code>mrr</code> against the budget &lt;b&gt;monthly&lt;/b&gt;.</p></details>"
        ),
        "{html}"
    );
    assert!(!body(&html).contains('`'), "{html}");

    let md = report(&project(), "md", &[]).stdout;
    assert!(
        md.contains(
            "### Recurring revenue\n\nWhat subscriptions bring in each month.\n\n- Status:"
        ),
        "{md}"
    );
    assert!(!md.contains("Watch"), "{md}");
    let with = report(&project(), "md", &["--with-descriptions"]).stdout;
    assert!(
        with.contains("- Description: Watch `mrr` against the budget \\<b\\>monthly\\</b\\>.\n"),
        "{with}"
    );

    let fr = report(&project(), "html", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("<p class=\"lead\">Ce que les abonnements rapportent chaque mois.</p>"),
        "{fr}"
    );
    assert!(
        fr.contains("<p>Suivez <code>mrr</code> face au budget.</p>"),
        "{fr}"
    );
}

#[test]
fn series_and_missing_values_are_named_as_readers_know_them() {
    let md = report(&project(), "md", &[]).stdout;
    // A series input with a name reads as that name; one without, as its id humanised.
    assert!(
        md.contains("- Target: ≥\u{a0}100.00; following finance's budget\n"),
        "{md}"
    );
    assert!(
        md.contains("- Target: ≤\u{a0}12.00; following “spend cap”\n"),
        "{md}"
    );
    // A missing value names the metric (by its name) or the input, with no backtick.
    assert!(
        md.contains("  - October 2026: no value for “spend” in October 2026\n"),
        "{md}"
    );
    assert!(
        md.contains("no data: no value for “spend” in October 2026"),
        "{md}"
    );
    let fr = report(&project(), "md", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("- Cible\u{a0}: ≥\u{a0}100,00\u{a0}; d'après le budget de la finance\n"),
        "{fr}"
    );
    let html = report(&project(), "html", &[]).stdout;
    assert!(
        html.contains("<li><span class=\"month\">October 2026</span>: no value for “Marketing spend” in October 2026</li>"),
        "{html}"
    );
    for text in [md.as_str(), fr.as_str(), body(&html)] {
        assert!(!text.contains("spend_cap"), "{text}");
        assert!(!text.contains("série"), "{text}");
    }
}

/// The standard definitions, read from `metrics.d/` as TOML, independently of `kpi`.
fn library() -> Vec<(String, toml::Table)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("metrics.d");
    let mut out: Vec<(String, toml::Table)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, text.parse::<toml::Table>().unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_standard_definition_has_a_summary_in_both_languages_and_quotes_no_target() {
    let library = library();
    assert_eq!(library.len(), 18);
    let target_words = ["target", "warning", "threshold", "cible", "seuil", "alerte"];
    for (id, table) in &library {
        let fr = table["locale"]["fr"].as_table().unwrap();
        // Every input it declares has a name for readers, in both languages.
        for (input, decl) in table["inputs"].as_table().unwrap() {
            assert!(
                decl.get("name").is_some_and(|n| n.is_str()),
                "{id}: {input}"
            );
            assert!(
                fr.get("inputs").and_then(|i| i.get(input)).is_some(),
                "{id}: {input} in French"
            );
        }
        for (lang, t) in [("en", table), ("fr", fr)] {
            let summary = t
                .get("summary")
                .and_then(|s| s.as_str())
                .unwrap_or_else(|| panic!("{id}: no {lang} summary"));
            // One sentence: one full stop, at the end.
            assert!(summary.ends_with('.'), "{id} {lang}: {summary}");
            assert_eq!(summary.matches(". ").count(), 0, "{id} {lang}: {summary}");
            let description = t["description"].as_str().unwrap();
            for text in [summary, description] {
                let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
                for sentence in flat.split(". ") {
                    let lower = sentence.to_lowercase();
                    let about_target = target_words.iter().any(|w| lower.contains(w));
                    // A number standing alone (not the 2 of `B2B`).
                    let number = sentence
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()));
                    assert!(
                        !(about_target && number),
                        "{id} {lang} quotes a target value: {sentence}"
                    );
                }
            }
        }
    }
}

/// A range KPI, a KPI with a baseline (so progress), an amount in yen and a formula over an
/// amount in euros with five decimals; two months. October 2026, by hand:
/// - utilisation 89 against the range 95 – 105: outside it;
/// - adoption 30 from a baseline of 10 towards 50: (30 - 10) / (50 - 10) = 50 % of the way;
/// - revenue ¥1,234,567.89 shows ¥1,234,568 (JPY has no minor unit);
/// - cost per order 489.95575 / 1 = 489.96 € in French (EUR: two digits), also in the formula.
fn units() -> Project {
    Project::new()
        .file(
            "metrics.d/utilisation.toml",
            "name = \"Capacity use\"\ncategory = \"operations\"\nkind = \"kpi\"\nformula = \"used\"\n\
             unit = \"percent\"\ndirection = \"within\"\n[target]\nvalue = [95, 105]\n\
             [inputs.used]\nunit = \"percent\"\n",
        )
        .file(
            "metrics.d/adoption.toml",
            "name = \"Adoption\"\ncategory = \"product\"\nkind = \"kpi\"\nformula = \"adopters\"\n\
             unit = \"percent\"\ndirection = \"higher_is_better\"\n\
             [target]\nvalue = 50\nbaseline = 10\nbaseline_period = \"2026-01\"\n\
             [inputs.adopters]\nunit = \"percent\"\n",
        )
        .file(
            "metrics.d/cost_per_order.toml",
            "name = \"Cost per order\"\ncategory = \"operations\"\nkind = \"metric\"\n\
             formula = \"cost / orders\"\nunit = \"currency\"\ndecimals = 4\n\
             [inputs.cost]\nunit = \"currency\"\n[inputs.orders]\nunit = \"count\"\n",
        )
        .file(
            "data.csv",
            "period,used,adopters,cost,orders\n2026-09,100,20,400,1\n2026-10,89,30,489.95575,1\n",
        )
}

#[test]
fn a_value_outside_its_range_reads_outside_the_range() {
    let md = report(&units(), "md", &[]).stdout;
    assert!(
        md.contains("- Status: 🔴 off target, value 89.0% (outside the range)\n"),
        "{md}"
    );
    let fr = report(&units(), "md", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("valeur 89,0\u{a0}% (hors de la plage)\n"),
        "{fr}"
    );
    assert!(!fr.contains("dans la plage, c'est mieux"), "{fr}");
}

#[test]
fn a_column_without_any_value_is_left_out() {
    let md = report(&units(), "md", &[]).stdout;
    // Operations has no KPI with a baseline: no Progress column; Product has one.
    let table = |family: &str| {
        md.split(&format!("### {family}\n\n"))
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        table("operations"),
        "| Name | Value | Previous | Change | Target | Status | Trend |"
    );
    assert_eq!(
        table("product"),
        "| Name | Value | Previous | Change | Target | Status | Progress | Trend |"
    );
    assert!(md.contains("| Adoption | 30.0% | 20.0% |"), "{md}");
    assert!(md.contains("| 🔴 off target | 50% | "), "{md}");
    // HTML: one table per section; the metrics' table has no KPI, so no progress at all.
    let html = report(&units(), "html", &[]).stdout;
    let metrics = html
        .split("<section class=\"section metric\">")
        .nth(1)
        .unwrap();
    let metrics = metrics.split("</section>").next().unwrap();
    assert!(!metrics.contains("Progress"), "{metrics}");
    assert!(metrics.contains("colspan=\"7\""), "{metrics}");
    let kpis = html
        .split("<section class=\"section kpi\">")
        .nth(1)
        .unwrap();
    assert!(kpis.contains("<th scope=\"col\">Progress</th>"), "{kpis}");
}

#[test]
fn amounts_follow_the_currency_and_percents_take_a_no_break_space_in_french() {
    let yen = units().file("kpi.toml", "currency = \"JPY\"\n");
    let md = report(&yen, "md", &[]).stdout;
    assert!(md.contains("| Cost per order | ¥490 | ¥400 |"), "{md}");
    assert!(md.contains("- This month: `¥490 / 1` = ¥490\n"), "{md}");
    let eur = units().file("kpi.toml", "currency = \"EUR\"\n");
    let fr = report(&eur, "md", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("| Cost per order | 489,96\u{a0}€ | 400,00\u{a0}€ |"),
        "{fr}"
    );
    assert!(
        fr.contains("- Ce mois-ci\u{a0}: `489,96\u{a0}€ / 1` = 489,96\u{a0}€\n"),
        "{fr}"
    );
    assert!(!fr.contains("489,95575"), "{fr}");
    // CLDR fr: U+00A0 before `%`, never U+202F.
    assert!(
        fr.contains("| Adoption | 30,0\u{a0}% | 20,0\u{a0}% |"),
        "{fr}"
    );
    assert!(!fr.contains("\u{202f}%"), "{fr}");
}

#[test]
fn a_kpi_whose_target_changed_this_month_says_so_in_the_attention_list() {
    let project = Project::new()
        .file(
            "metrics.d/stickiness.toml",
            "name = \"Stickiness\"\ncategory = \"engagement\"\nkind = \"kpi\"\nformula = \"sticky\"\n\
             unit = \"percent\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 18\n\
             [[target.schedule]]\nfrom = \"2026-10\"\nvalue = 21\n\
             [inputs.sticky]\nunit = \"percent\"\n",
        )
        .file("data.csv", "period,sticky\n2026-09,19\n2026-10,19\n");
    let md = report(&project, "md", &[]).stdout;
    assert!(
        md.contains(
            "- 🔴 **Stickiness** — off target: 19.0%, target ≥\u{a0}21.0% (target raised from 18 to 21 this month),"
        ),
        "{md}"
    );
    let fr = report(&project, "html", &["--locale", "fr"]).stdout;
    assert!(
        fr.contains("<span class=\"target-change\">(cible relevée de 18 à 21 ce mois-ci)</span>"),
        "{fr}"
    );
    // The month after, the change is old news.
    let project = project.file(
        "data.csv",
        "period,sticky\n2026-09,19\n2026-10,19\n2026-11,19\n",
    );
    let md = report(&project, "md", &[]).stdout;
    assert!(!md.contains("raised"), "{md}");
}

#[test]
fn a_notes_section_may_be_titled_by_the_metrics_name_in_any_case() {
    let project = project().file("kpi.toml", "notes = \"notes\"\n").file(
        "notes/2026-10.md",
        "A quiet month.\n\n## REVENU RÉCURRENT\n\nAhead of budget.\n\n\
             ## marketing spend\n\nNo invoice yet.\n\n## Revenue per Spend\n\nSee spend.\n\n\
             ## Nothing at all\n\nLost.\n",
    );
    let run = report(&project, "md", &["--locale", "fr"]);
    // The French name, the English name and the id's own words, in any case, all count.
    for (metric, comment) in [
        ("Revenu récurrent", "Ahead of budget."),
        ("Marketing spend", "No invoice yet."),
        ("Revenue per spend", "See spend."),
    ] {
        let details = run.stdout.split(&format!("### {metric}\n")).nth(1).unwrap();
        let details = details.split("\n### ").next().unwrap();
        assert!(details.contains(comment), "{metric}: {details}");
    }
    // Only the heading that names no metric is warned about.
    assert_eq!(run.stderr.matches("warning:").count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("Nothing at all"), "{}", run.stderr);
}

#[test]
fn the_desktop_table_lets_long_french_cells_wrap() {
    // The widths themselves are measured in Chromium by docs/screenshot.sh (1024 and 1280 px,
    // both languages); here, what lets the French table fit: the verdict may go under the
    // figures, which stay together, and headers such as `Mois précédent` may wrap.
    let html = report(&units(), "html", &["--locale", "fr"]).stdout;
    assert!(
        html.contains(
            "<span class=\"figures\"><span class=\"arrow\" aria-hidden=\"true\">▲</span> +10,0\u{a0}pts (+50,0\u{a0}%)</span> <span class=\"verdict\">en amélioration</span>"
        ),
        "{html}"
    );
    assert!(
        html.contains(".change .figures { white-space: nowrap; }"),
        "{html}"
    );
    assert!(
        html.contains("thead th.num { white-space: normal; }"),
        "{html}"
    );
    assert!(!html.contains(".change { white-space: nowrap;"), "{html}");
}

#[test]
fn kpi_diff_names_a_changed_summary_and_input_name() {
    let before = crate::support::metric("a", "[inputs.a]\nunit = \"number\"\n");
    let after = crate::support::metric(
        "a",
        "summary = \"What a is.\"\n[inputs.a]\nname = \"the a\"\nunit = \"number\"\n",
    );
    let project = Project::new()
        .file("data.csv", "period,a\n2026-01,1\n")
        .file("m/some.toml", &before);
    crate::support::git(&project.join(""), &["init", "-q"]);
    crate::support::git(&project.join(""), &["add", "."]);
    crate::support::git(&project.join(""), &["commit", "-q", "-m", "base"]);
    std::fs::write(project.join("m/some.toml"), after).unwrap();
    let args = [
        "diff",
        "--base",
        "HEAD",
        "--metrics",
        "m",
        "--data",
        "data.csv",
    ];
    let md = project.run(&args).code(0).stdout;
    assert!(md.contains("summary: — → What a is."), "{md}");
    assert!(
        md.contains(
            "inputs.a: `{ unit = \"number\" }` → `{ unit = \"number\", name = \"the a\" }`"
        ),
        "{md}"
    );
}

#[test]
fn kpi_new_writes_a_summary() {
    let project = Project::new().file("kpi.toml", "library = \"all\"\nmetrics = [\"team\"]\n");
    std::fs::create_dir_all(project.join("team")).unwrap();
    project.run(&["new", "arpu"]).code(0);
    let changes = std::fs::read_to_string(project.join("team/arpu.toml")).unwrap();
    assert!(
        changes.contains("\nsummary = \"The average revenue each user brings in a month.\"\n"),
        "{changes}"
    );
    project.run(&["new", "deals_ratio"]).code(0);
    let fresh = std::fs::read_to_string(project.join("team/deals_ratio.toml")).unwrap();
    assert!(
        fresh.contains("\nsummary = \"What it measures, in one sentence.\"\n"),
        "{fresh}"
    );
}
