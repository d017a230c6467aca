//! Snapshot tests of whole reports, in both formats, on fixtures under `tests/fixtures/`.
//! Review changes with `cargo insta review`; CI never updates snapshots.

use std::path::{Path, PathBuf};

use kpi_core::config::Comparison;
use kpi_core::data::rollup::Grain;
use kpi_core::data::{Inputs, SourceSpec};
use kpi_core::{Catalog, Dataset, MonthIndex, Period, evaluate};
use kpi_report::model::YearsToDate;
use kpi_report::{Currency, Format, Locale, Notes, Options, Report, Style, Templates, render};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str) -> (Catalog, Dataset) {
    let dir = fixture(name);
    let catalog = Catalog::load(&[dir.join("metrics")]).expect("fixture definitions load");
    let sources = [SourceSpec::csv(dir.join("data.csv"))];
    let data =
        Dataset::load(&sources, Inputs::Declared(catalog.inputs())).expect("fixture data loads");
    (catalog, data)
}

/// Renders fixture `name` for `period` in `format` with the built-in templates, in
/// English without a currency, without notes.
fn report(name: &str, period: &str, format: Format) -> String {
    let (catalog, data) = load(name);
    let e = evaluate(&catalog, &data);
    let t = data.require(period.parse().unwrap()).unwrap();
    let model = Report::build(&e, t, "Edge cases & <tests>");
    render(&model, format, &Templates::builtin()).expect("the built-in templates render")
}

/// Renders fixture `name` for `period` in `format` and `style`, with the fixture's notes
/// for the month when it has some.
fn report_in(name: &str, period: &str, format: Format, style: Style) -> String {
    let (catalog, data) = load(name);
    let e = evaluate(&catalog, &data);
    let month: Period = period.parse().unwrap();
    let t = data.require(month).unwrap();
    let notes = Notes::load(&fixture(name).join("notes"), month, Grain::Month).unwrap();
    let options = Options {
        title: Some("Edge cases & <tests>".into()),
        style,
        notes: notes.as_ref(),
        with_descriptions: false,
        objectives: None,
        compare: None,
        chart_year_ago: None,
        year_to_date: None,
    };
    let model = Report::build_with(&e, t, &options);
    render(&model, format, &Templates::builtin()).expect("the built-in templates render")
}

/// French, amounts in euros.
fn french() -> Style {
    Style {
        locale: Locale::Fr,
        currency: Currency::new("EUR"),
        ..Style::default()
    }
}

/// `src/direct/builtin.json`, the built-in templates translated for direct rendering so
/// that no report parses them, is what translating them now gives. After changing a
/// template, rewrite it with `KPI_UPDATE_DIRECT=1 cargo test -p kpi-report --test report`
/// and commit it.
#[test]
fn the_translated_built_in_templates_are_up_to_date() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/direct/builtin.json");
    let now = kpi_report::render::builtin_translated();
    if std::env::var_os("KPI_UPDATE_DIRECT").is_some() {
        std::fs::write(&file, &now).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap();
    assert!(
        committed == now,
        "{} is out of date: run `KPI_UPDATE_DIRECT=1 cargo test -p kpi-report --test report` and commit it",
        file.display()
    );
}

/// The built-in templates copied into a folder (named after `case`) and loaded from it, as
/// overrides: what a team starts restyling from.
fn copies_of_the_built_in_templates(case: &str) -> Templates {
    let dir = std::env::temp_dir().join(format!("kpi-copies-{case}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for template in Templates::builtin().iter() {
        std::fs::write(dir.join(&template.name), &template.source).unwrap();
    }
    let copies = Templates::load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    copies
}

/// The built-in templates copied into a folder, as a team starts restyling: a report with
/// them goes through Handlebars, where the built-in ones are rendered directly (`direct.rs`),
/// and both give the same bytes in every format, language and comparison.
#[test]
fn copies_of_the_built_in_templates_render_the_same_bytes() {
    let copies = copies_of_the_built_in_templates("html-md");
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let month: Period = "2026-03".parse().unwrap();
    let t = data.require(month).unwrap();
    let notes = Notes::load(&fixture("edge").join("notes"), month, Grain::Month).unwrap();
    for style in [Style::default(), french()] {
        for compare in [None, Some(&[Comparison::Previous][..]), Some(&[][..])] {
            let options = Options {
                title: Some("Edge cases & <tests>".into()),
                style,
                notes: notes.as_ref(),
                with_descriptions: true,
                objectives: None,
                compare,
                chart_year_ago: None,
                year_to_date: None,
            };
            let model = Report::build_with(&e, t, &options);
            for format in [Format::Html, Format::Markdown] {
                let direct = render(&model, format, &Templates::builtin()).unwrap();
                let handlebars = render(&model, format, &copies).unwrap();
                assert!(direct == handlebars, "{format:?}, {style:?}, {compare:?}");
            }
        }
    }
}

/// A report whose rows are built as they are rendered (`Report::stream`, what `kpi report`
/// writes) has the bytes of the same report built whole first: in every month and quarter of
/// the edge fixture, in both languages, with and without descriptions and comparisons, in
/// both formats, rendered directly (built-in templates, each loop's rows built with only
/// what it reads) and through Handlebars (copies of them, rows built whole).
#[test]
fn a_report_rendered_as_its_rows_are_built_is_the_report_built_first() {
    let copies = copies_of_the_built_in_templates("streamed");
    let builtin = Templates::builtin();
    let (catalog, monthly) = load("edge");
    let quarterly = monthly.rolled_up(catalog.inputs(), Grain::Quarter);
    // The fixture's inputs declare no `aggregate`, so it has no year to date: the same
    // definitions with every input summed give one.
    let summed = summed_catalog();
    let monthly_summed = {
        let sources = [SourceSpec::csv(fixture("edge").join("data.csv"))];
        Dataset::load(&sources, Inputs::Declared(summed.inputs())).unwrap()
    };
    let mut compared = 0;
    let mut with_year_to_date = 0;
    for (catalog, data) in [
        (&catalog, &monthly),
        (&catalog, &quarterly),
        (&summed, &monthly_summed),
    ] {
        let e = evaluate(catalog, data);
        for t in data.month_indexes() {
            let month = data.month(t);
            let notes = Notes::load(&fixture("edge").join("notes"), month, data.grain()).unwrap();
            for (style, with_descriptions, compare) in [
                (Style::default(), false, None),
                (french(), true, None),
                (Style::default(), true, Some(&[Comparison::Previous][..])),
            ] {
                let options = Options {
                    title: Some("Edge cases & <tests>".into()),
                    style,
                    notes: notes.as_ref(),
                    with_descriptions,
                    objectives: None,
                    compare,
                    chart_year_ago: None,
                    year_to_date: None,
                };
                let whole = Report::build_with(&e, t, &options);
                let streamed = Report::stream(&e, t, &options);
                // The years to date taken before the evaluation, as `kpi report` does; and
                // those of another period, which the report does not use.
                let given = YearsToDate::of(catalog, data, t);
                let other = YearsToDate::of(catalog, data, MonthIndex::new(0));
                let with = |ytd| Options {
                    year_to_date: Some(ytd),
                    ..options.clone()
                };
                let given = Report::stream(&e, t, &with(&given));
                let other = Report::build_with(&e, t, &with(&other));
                for format in [Format::Html, Format::Markdown] {
                    for templates in [&builtin, &copies] {
                        let renderer = kpi_report::Renderer::new(format, templates).unwrap();
                        let (mut a, mut b) = (Vec::new(), Vec::new());
                        renderer.render_to(&whole, &mut a).unwrap();
                        renderer.render_streamed_to(&streamed, &mut b).unwrap();
                        assert!(a.len() > 1000);
                        assert!(a == b, "{month} {format:?} {style:?} {with_descriptions}");
                        let (mut c, mut d) = (Vec::new(), Vec::new());
                        renderer.render_streamed_to(&given, &mut c).unwrap();
                        renderer.render_to(&other, &mut d).unwrap();
                        assert!(a == c && a == d, "{month}: years to date given");
                        compared += 1;
                        with_year_to_date += usize::from(whole.compare.year_to_date);
                    }
                }
            }
        }
    }
    assert!(compared > 50, "{compared}");
    assert!(with_year_to_date > 10, "{with_year_to_date}");
}

/// The edge fixture's definitions with `aggregate = "sum"` under each input, loaded from a
/// temporary copy.
fn summed_catalog() -> Catalog {
    let dir = std::env::temp_dir().join(format!("kpi-summed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(fixture("edge").join("metrics")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut summed = String::new();
        for line in text.lines() {
            summed.push_str(line);
            summed.push('\n');
            if line.starts_with("[inputs.") {
                summed.push_str("aggregate = \"sum\"\n");
            }
        }
        std::fs::write(dir.join(path.file_name().unwrap()), summed).unwrap();
    }
    let catalog = Catalog::load(std::slice::from_ref(&dir)).expect("the summed definitions load");
    std::fs::remove_dir_all(&dir).unwrap();
    catalog
}

/// The same for the email: its HTML part (with `lookup` and the colours' table) and its
/// Markdown text part, through Handlebars with copies of the templates and directly with
/// the built-in ones, give the same message.
#[cfg(feature = "email")]
#[test]
fn copies_of_the_built_in_templates_give_the_same_email() {
    let copies = copies_of_the_built_in_templates("email");
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let t = data.require("2026-03".parse().unwrap()).unwrap();
    for style in [Style::default(), french()] {
        let options = Options {
            title: Some("Edge cases & <tests>".into()),
            style,
            ..Options::default()
        };
        let model = Report::build_with(&e, t, &options);
        let envelope = kpi_report::Envelope {
            subject: "KPIs & <more>".into(),
            from: None,
            to: vec!["team@example.com".into()],
            cc: Vec::new(),
            date: Some(std::time::UNIX_EPOCH),
        };
        let builtin = Templates::builtin();
        let direct = kpi_report::EmailRenderer::new(&builtin).unwrap();
        let handlebars = kpi_report::EmailRenderer::new(&copies).unwrap();
        let a = direct.render(&model, &envelope).unwrap();
        let b = handlebars.render(&model, &envelope).unwrap();
        assert!(a.html_bytes > 10_000);
        assert!(a.message == b.message, "{style:?}");
    }
}

#[test]
fn edge_markdown() {
    insta::assert_snapshot!(report_in(
        "edge",
        "2026-03",
        Format::Markdown,
        Style::default()
    ));
}

#[test]
fn edge_html() {
    insta::assert_snapshot!(report_in("edge", "2026-03", Format::Html, Style::default()));
}

#[test]
fn edge_markdown_fr() {
    insta::assert_snapshot!(report_in("edge", "2026-03", Format::Markdown, french()));
}

#[test]
fn edge_html_fr() {
    insta::assert_snapshot!(report_in("edge", "2026-03", Format::Html, french()));
}

#[test]
fn notes_are_shown_and_kept_safe() {
    let html = report_in("edge", "2026-03", Format::Html, Style::default());
    // The summary and a comment, rendered.
    assert!(html.contains("<p>March <strong>recovered</strong> from February's outage."));
    assert!(html.contains("<a href=\"https://example.com/incidents/42\">incident review</a>"));
    assert!(html.contains("<a href=\"mailto:cs@example.com\">the team</a>"));
    // Raw HTML is text, scripts never run, other schemes lose their link, images load
    // nothing.
    assert!(
        html.contains("&lt;script&gt;alert(\"summary\")&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;b onmouseover="));
    assert!(!html.contains("javascript:"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("<a href=\"https://example.com/churn.png\">the chart</a>"));
    // A heading of a comment sits below the card's own.
    assert!(html.contains("<h4>A heading inside the comment</h4>"));
    // The section naming no metric is not shown.
    assert!(!html.contains("names no metric"));
    let md = report_in("edge", "2026-03", Format::Markdown, Style::default());
    assert!(
        md.contains("&lt;script\\>alert(\"summary\")&lt;/script\\>"),
        "{md}"
    );
    // The link to `javascript:` is its text, after an invisible word joiner.
    assert!(md.contains("not \u{2060}this.\n"), "{md}");
    assert!(md.contains("#### A heading inside the comment"), "{md}");
    assert!(
        md.contains("[the chart](https://example.com/churn.png)"),
        "{md}"
    );
}

#[test]
fn a_month_without_notes_renders_as_without_a_notes_folder() {
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let month: Period = "2026-02".parse().unwrap();
    assert!(
        Notes::load(&fixture("edge").join("notes"), month, Grain::Month)
            .unwrap()
            .is_none()
    );
    let model = Report::build(&e, data.require(month).unwrap(), "Edge cases & <tests>");
    assert!(model.notes.is_none());
    assert!(
        model
            .sections
            .iter()
            .flat_map(|s| &s.families)
            .flat_map(|f| &f.rows)
            .all(|r| r.comment.is_none())
    );
}

#[test]
fn unknown_note_sections_are_warned_about() {
    let (catalog, _) = load("edge");
    let notes = Notes::load(
        &fixture("edge").join("notes"),
        "2026-03".parse().unwrap(),
        Grain::Month,
    )
    .unwrap()
    .unwrap();
    let warnings: Vec<String> = notes
        .check(&catalog)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .ends_with("notes/2026-03.md:17:1: notes section `## not_a_metric` names no metric"),
        "{warnings:?}"
    );
}

#[test]
fn needs_attention_lists_off_target_then_at_risk_then_without_data() {
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let model = Report::build(&e, data.require("2026-03".parse().unwrap()).unwrap(), "t");
    let listed: Vec<(&str, &str)> = model
        .attention
        .iter()
        .map(|a| (a.status.key, a.id.as_str()))
        .collect();
    // By hand from data.csv for 2026-03 and the fixture's targets: the response time 192 s
    // is past its warning of 180 s (target ≤ 120 s): off target; churn 25 / 1000 = 2.5 % is
    // between its target of 2 % and its warning of 3 %: at risk; revenue has no `sales` cell:
    // no data. Conversion (434 / 14000 = 3.1 % ≥ 3 %), the NPS (35 ≥ 30) and sign-ups
    // (434 ≥ 100) are on target and left out.
    assert_eq!(
        listed,
        [
            ("off_target", "response_time"),
            ("at_risk", "churn"),
            ("no_data", "revenue")
        ]
    );
    let revenue = &model.attention[2];
    assert_eq!(
        revenue.reason.as_deref(),
        Some("no value for “sales” in March 2026")
    );
    assert_eq!(
        model.attention[1].owner.as_deref(),
        Some("Customer success <cs@example.com>")
    );
}

#[test]
fn rendering_is_deterministic() {
    for format in [Format::Markdown, Format::Html] {
        assert_eq!(
            report("edge", "2026-03", format),
            report("edge", "2026-03", format)
        );
    }
}

#[test]
fn the_first_month_has_no_previous_month() {
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let first: Period = "2025-09".parse().unwrap();
    let model = Report::build(&e, data.require(first).unwrap(), "t");
    assert_eq!(model.previous_period, "2025-08");
    for row in model
        .sections
        .iter()
        .flat_map(|s| &s.families)
        .flat_map(|f| &f.rows)
    {
        assert_eq!(row.previous, "—", "{}", row.id);
        assert!(row.change.is_none(), "{}", row.id);
        assert_eq!(row.trend.spark.chars().count(), 1, "{}", row.id);
    }
    // Every format still renders.
    for format in [Format::Markdown, Format::Html] {
        render(&model, format, &Templates::builtin()).unwrap();
    }
}

#[test]
fn consecutive_months_differ_only_in_values() {
    let feb = report("edge", "2026-02", Format::Markdown);
    let mar = report("edge", "2026-03", Format::Markdown);
    // Same headings, same table headers, same rows in the same order.
    let skeleton = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') || l.starts_with("##"))
            .map(|l| match l.strip_prefix("| ") {
                Some(row) => row.split(" | ").next().unwrap_or("").to_string(),
                None if l.starts_with("- ") || l.starts_with("  - ") || l.starts_with("**") => {
                    String::new()
                }
                None => l.to_string(),
            })
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(skeleton(&feb), skeleton(&mar));
}

#[test]
fn trends_cover_twelve_months_and_charts_twenty_four() {
    use kpi_core::{Diagnostics, SourceFile};
    let definition = SourceFile::new(
        "m/x.toml",
        "name = \"X\"\ncategory = \"c\"\nkind = \"kpi\"\nformula = \"a\"\nunit = \"count\"\n\
         direction = \"higher_is_better\"\n[target]\nvalue = 40\nbaseline = 0\n\
         baseline_period = \"2024-01\"\ndeadline = \"2026-12\"\n[inputs.a]\nunit = \"count\"\n",
    );
    let catalog = Catalog::from_layers(vec![vec![definition]], Diagnostics::default()).unwrap();
    let start: Period = "2024-01".parse().unwrap();
    let mut csv = String::from("period,a\n");
    for i in 0..30 {
        csv.push_str(&format!("{},{i}\n", start.add_months(i).unwrap()));
    }
    let data = Dataset::from_files(&[SourceFile::new("d.csv", csv)]).unwrap();
    let e = evaluate(&catalog, &data);
    let model = Report::build(&e, kpi_core::MonthIndex::new(29), "t");
    let row = &model.sections[0].families[0].rows[0];
    // Values 18 to 29: level round((v - 18) / 11 * 7).
    assert_eq!(row.trend.spark, "▁▂▂▃▄▄▅▅▆▇▇█");
    assert_eq!(
        (row.trend.from.as_str(), row.trend.to.as_str()),
        ("2025-07", "2026-06")
    );
    let chart = row.details.chart.as_deref().unwrap();
    assert_eq!(chart.matches("r=\"3.0\"").count(), 24);
    // Six month labels, every fourth month counted back from 2026-06: Oct 2024, Feb, Jun,
    // Oct 2025, Feb, Jun 2026; the year under the first label and each change of year.
    let labels: Vec<&str> = chart
        .split("text-anchor=\"middle\">")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
        .collect();
    assert_eq!(
        labels,
        [
            "Oct", "2024", "Feb", "2025", "Jun", "Oct", "Feb", "2026", "Jun"
        ]
    );
    // Pace: 29 of 35 months gone, 40 * 29 / 35 = 33.1 expected; 29 is behind.
    let pace = row.pace.as_ref().unwrap();
    assert_eq!((pace.label, pace.expected.as_str()), ("behind pace", "33"));
    assert_eq!(row.progress.as_deref(), Some("73%"));
}

/// Rows moved or dropped in a built model render where they now are: each row's placeholder
/// in the template data names that row, not a place.
#[test]
fn rows_reordered_after_the_build_render_in_their_new_order() {
    let (catalog, data) = load("edge");
    let e = evaluate(&catalog, &data);
    let t = data.require("2026-03".parse().unwrap()).unwrap();
    let mut model = Report::build(&e, t, "t");
    for family in model.sections.iter_mut().flat_map(|s| &mut s.families) {
        family.rows.reverse();
    }
    let dropped = model.sections[0].families[1].rows.remove(0);
    let text = render(&model, Format::Html, &Templates::builtin()).unwrap();
    // A table row's first cell links to the metric's details.
    let table_row = |id: &str| text.find(&format!(r##"data-label="Name"><a href="#m-{id}">"##));
    assert_eq!(table_row(&dropped.id), None, "{}", dropped.id);
    for family in model.sections.iter().flat_map(|s| &s.families) {
        let places: Vec<usize> = family
            .rows
            .iter()
            .map(|r| table_row(&r.id).unwrap_or_else(|| panic!("{} is shown", r.id)))
            .collect();
        assert!(places.is_sorted(), "{}: {places:?}", family.name);
    }
}
