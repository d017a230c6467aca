//! `kpi init`, run in a scratch folder outside the repository as a new team would: the files
//! it writes, the next steps it prints, a project that runs once its data template is filled
//! in, a selection of standard ids, and the refusal to overwrite anything.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{Project, git, listing};

/// The inputs each standard definition declares, read from the files of `metrics.d/` with no
/// help from `kpi`: `[inputs.<name>]` headers and their `description` lines.
fn declared_inputs() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("metrics.d");
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some(name) = line
                .strip_prefix("[inputs.")
                .and_then(|l| l.strip_suffix(']'))
            {
                let description = lines
                    .next()
                    .and_then(|l| l.strip_prefix("description = \""))
                    .and_then(|l| l.strip_suffix('"'))
                    .unwrap()
                    .to_string();
                inputs.push((id.clone(), name.to_string(), description));
            }
        }
    }
    inputs
}

fn header(project: &Project, csv: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(project.join(csv)).unwrap();
    assert_eq!(text.lines().count(), 1, "only a header: {text}");
    text.trim_end().split(',').map(str::to_string).collect()
}

#[test]
fn writes_a_project_that_runs_once_its_data_is_filled_in() {
    let project = Project::new();
    let run = project.run(&["init", "acme"]).code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "started a project in `acme`: kpi.toml, team/churn_rate.toml (changes the standard `churn_rate` for the team), data/monthly.csv and data/README.md (what each of its 34 columns holds)\n\
         \n\
         next: fill data/monthly.csv with one row per month, then run:\n\
         \x20 cd acme\n\
         \x20 kpi check                                 # definitions and data\n\
         \x20 kpi eval                                  # the latest month, metric by metric\n\
         \x20 kpi report --output reports/report.html   # the monthly report\n\
         \n\
         the month's commentary goes in notes/YYYY-MM.md (make the folder with the first note); reports/ is made by the first report\n"
    );
    // No empty folder: git would not keep it, and a clone must run as this folder does.
    assert_eq!(listing(&project.join("acme")), ["data", "kpi.toml", "team"]);
    assert_eq!(listing(&project.join("acme/team")), ["churn_rate.toml"]);
    assert_eq!(
        listing(&project.join("acme/data")),
        ["README.md", "monthly.csv"]
    );

    // The header lists exactly the inputs of the standard definitions, after `period`.
    let inputs = declared_inputs();
    let mut expected: BTreeSet<String> = inputs.iter().map(|(_, n, _)| n.clone()).collect();
    assert_eq!(expected.len(), 33);
    expected.insert("period".into());
    let columns = header(&project, "acme/data/monthly.csv");
    assert_eq!(columns, expected);
    // The README says what each column holds, in the words of the definitions.
    let readme = std::fs::read_to_string(project.join("acme/data/README.md")).unwrap();
    for (_, name, description) in &inputs {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("{name} in {readme}"));
        assert!(row.contains(description.as_str()), "{row}");
    }

    let config = std::fs::read_to_string(project.join("acme/kpi.toml")).unwrap();
    let settings: Vec<&str> = config
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        settings,
        [
            "library = \"all\"",
            "metrics = [\"team\"]",
            "title = \"acme — product KPIs\"",
            "notes = \"notes\"",
            "[[sources]]",
            "csv = \"data/monthly.csv\"",
        ]
    );

    // Filled in: one row, each cell the column's position, so that every metric has a value.
    let columns: Vec<String> = std::fs::read_to_string(project.join("acme/data/monthly.csv"))
        .unwrap()
        .trim_end()
        .split(',')
        .map(str::to_string)
        .collect();
    let row: Vec<String> = (1..columns.len()).map(|i| (i * 10).to_string()).collect();
    let filled = format!("{}\n2026-10,{}\n", columns.join(","), row.join(","));
    std::fs::write(project.join("acme/data/monthly.csv"), filled).unwrap();
    let acme = |args: &[&str]| {
        let mut all = vec!["--config", "acme/kpi.toml"];
        all.extend_from_slice(args);
        project.run(&all)
    };
    let run = acme(&["check"]).code(0);
    assert_eq!(
        run.stderr,
        "note: acme/team/churn_rate.toml:1:1: changes `target` of `churn_rate` (defined in `library:churn_rate.toml`)\n\
         ok: 11 KPIs, 7 metrics and 33 inputs from the standard library and 1 directory; data: 1 month\n"
    );
    let json = acme(&["eval", "--format", "json"]).code(0).json();
    let metrics = json["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 18);
    assert!(metrics.iter().all(|m| m["value"].is_number()), "{json}");
    // Without a notes folder, no notes, said once; the reports folder is made by the write.
    let run = acme(&["report", "--output", "acme/reports/report.html"]).code(0);
    assert_eq!(
        run.stderr,
        "note: evaluating 2026-10, the latest month in the data
\
         note: notes folder `acme/notes` does not exist: the report has no notes\n\
         \x20 = help: to comment the month, write `acme/notes/2026-10.md`\n\
         wrote acme/reports/report.html\n"
    );
    let html = std::fs::read_to_string(project.join("acme/reports/report.html")).unwrap();
    assert!(html.contains("acme — product KPIs"));
    // `notes = "notes"` is read: a month's commentary shows in the report.
    std::fs::create_dir(project.join("acme/notes")).unwrap();
    std::fs::write(
        project.join("acme/notes/2026-10.md"),
        "A first month.\n\n## churn_rate\n\nThe October renewals.\n",
    )
    .unwrap();
    let md = acme(&["report", "--format", "md"]).code(0).stdout;
    assert!(md.contains("A first month."), "{md}");
    assert!(md.contains("The October renewals."), "{md}");
}

#[test]
fn a_selection_writes_the_inputs_it_needs_and_brings_what_it_uses() {
    let project = Project::new();
    project
        .run(&["init", "--library", "nps,customer_lifetime_value"])
        .code(0);
    let config = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    assert!(
        config.contains("\nlibrary = [\"nps\", \"customer_lifetime_value\"]\n"),
        "{config}"
    );
    // `customer_lifetime_value` uses `arpu`, whose inputs come too.
    let expected: BTreeSet<String> = declared_inputs()
        .into_iter()
        .filter(|(id, _, _)| ["nps", "customer_lifetime_value", "arpu"].contains(&id.as_str()))
        .map(|(_, name, _)| name)
        .chain(["period".to_string()])
        .collect();
    assert_eq!(
        expected,
        [
            "period",
            "promoters",
            "detractors",
            "nps_responses",
            "avg_customer_lifetime_months",
            "revenue",
            "active_users"
        ]
        .map(String::from)
        .into()
    );
    assert_eq!(header(&project, "data/monthly.csv"), expected);
    // `churn_rate` is not selected: the example changes the first KPI selected.
    assert_eq!(listing(&project.join("team")), ["nps.toml"]);
    std::fs::write(
        project.join("data/monthly.csv"),
        "period,revenue,active_users,promoters,detractors,nps_responses,avg_customer_lifetime_months\n\
         2026-10,12000,400,50,10,80,40\n",
    )
    .unwrap();
    let run = project.run(&["check"]).code(0);
    assert!(
        run.stderr.contains(
            "note: standard metric `arpu` is loaded too: `customer_lifetime_value` uses it\n"
        ),
        "{}",
        run.stderr
    );
    let json = project.run(&["eval", "--format", "json"]).code(0).json();
    let values: Vec<(&str, f64)> = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["value"].as_f64().unwrap()))
        .collect();
    // 12000 / 400; 30 * 40; (50 - 10) / 80 * 100.
    assert_eq!(
        values,
        [
            ("arpu", 30.0),
            ("customer_lifetime_value", 1200.0),
            ("nps", 50.0)
        ]
    );
}

#[test]
fn never_overwrites_and_writes_nothing_when_a_file_exists() {
    let project = Project::new()
        .file("kpi.toml", "title = \"ours\"\n")
        .file("data/monthly.csv", "period,x\n");
    let run = project.run(&["init"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `kpi.toml`, `data/monthly.csv` already exist: `kpi init` never overwrites a file, and wrote nothing; move them away, or start the project in another folder\n"
    );
    assert_eq!(listing(&project.join("")), ["data", "kpi.toml"]);
    assert_eq!(listing(&project.join("data")), ["monthly.csv"]);
    assert_eq!(
        std::fs::read_to_string(project.join("kpi.toml")).unwrap(),
        "title = \"ours\"\n"
    );

    // Into a folder: the existing file is named with it.
    let project = Project::new().file("acme/team/churn_rate.toml", "[target]\nvalue = 1\n");
    let run = project.run(&["init", "acme"]).code(1);
    assert!(
        run.stderr
            .starts_with("error: `acme/team/churn_rate.toml` already exists: `kpi init` never overwrites a file, and wrote nothing"),
        "{}",
        run.stderr
    );
    assert_eq!(listing(&project.join("acme")), ["team"]);

    // Run twice: the second run refuses.
    let project = Project::new();
    project.run(&["init"]).code(0);
    let before = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    project.run(&["init", "--library", "nps"]).code(1);
    assert_eq!(
        std::fs::read_to_string(project.join("kpi.toml")).unwrap(),
        before
    );
}

#[test]
fn an_unknown_id_is_refused_with_a_suggestion() {
    let project = Project::new();
    let run = project.run(&["init", "--library", "nps,churn_rat"]).code(2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'nps,churn_rat' for '--library <all|ID,ID>': no standard metric has the id `churn_rat`; did you mean `churn_rate`?\n"
        ),
        "{}",
        run.stderr
    );
    assert!(listing(&project.join("")).is_empty());
}

#[test]
fn the_data_templates_columns_are_mapped_in_kpi_toml() {
    // The mapping is written commented, a line per column of the data template, each input
    // spelt as its column, with what it holds.
    let project = Project::new();
    project.run(&["init", "--library", "churn_rate"]).code(0);
    let config = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    let template = std::fs::read_to_string(project.join("data/monthly.csv")).unwrap();
    assert_eq!(template, "period,customers_lost,customers_start\n");
    assert!(
        config.contains(
            "# [sources.columns]\n\
             # customers_lost = \"customers_lost\"   # Paying customers who cancelled during the month; over a quarter or a year, its months add up (sum)\n\
             # customers_start = \"customers_start\" # Paying customers on the first day of the month; over a quarter or a year, the first month's (first)\n\
             \n\
             # Sending the month's report"
        ),
        "{config}"
    );
    // A team whose export says `Clients au 1er du mois` uncomments two lines and edits one:
    // the standard definition reads it, with no file of the team's.
    let config = config
        .replace("# [sources.columns]", "[sources.columns]")
        .replace(
            "# customers_start = \"customers_start\"",
            "customers_start = \"Clients au 1er du mois\"",
        );
    let project = project.file("kpi.toml", &config).file(
        "data/monthly.csv",
        "period,customers_lost,Clients au 1er du mois\n2026-10,3,120\n",
    );
    let json = project.run(&["eval", "--format", "json"]).code(0).json();
    // 3 / 120 * 100.
    assert_eq!(json["metrics"][0]["id"], "churn_rate");
    assert_eq!(json["metrics"][0]["value"], 2.5);
    let run = project.run(&["check"]).code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// Fills the data template of the project in `dir` with a row per month of `months`, each
/// cell the column's position times ten plus the month's index, so that every metric has a
/// value.
fn fill(project: &Project, dir: &str, months: &[&str]) {
    let path = project.join(&format!("{dir}/data/monthly.csv"));
    let header = std::fs::read_to_string(&path).unwrap();
    let columns = header.trim_end().split(',').count();
    let mut text = header;
    for (k, month) in months.iter().enumerate() {
        let cells: Vec<String> = (1..columns).map(|i| (i * 10 + k).to_string()).collect();
        text.push_str(&format!("{month},{}\n", cells.join(",")));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_fresh_clone_renders() {
    let project = Project::new();
    project
        .run(&["init", "origin", "--locale", "fr", "--currency", "EUR"])
        .code(0);
    fill(&project, "origin", &["2026-09", "2026-10"]);
    let origin = project.join("origin");
    git(&origin, &["init", "-q"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "kpi init"]);
    git(&project.join(""), &["clone", "-q", "origin", "clone"]);
    // Everything `kpi init` wrote came through: it made no empty folder for git to drop.
    assert_eq!(
        listing(&project.join("clone")),
        listing(&project.join("origin"))
    );

    project.run_in("clone", &["check"]).code(0);
    let run = project
        .run_in("clone", &["report", "--output", "reports/kpi.md"])
        .code(0);
    assert!(
        run.stderr.contains(
            "note: notes folder `notes` does not exist: the report has no notes\n  = help: to comment the month, write `notes/2026-10.md`\n"
        ),
        "{}",
        run.stderr
    );
    let report = std::fs::read_to_string(project.join("clone/reports/kpi.md")).unwrap();
    // In French, amounts in euros: `kpi init --locale fr --currency EUR` wrote both.
    assert!(report.contains("octobre 2026"), "{report}");
    assert!(report.contains("\u{a0}€"), "{report}");
    let run = project
        .run_in("clone", &["diff", "--base", "HEAD", "--format", "json"])
        .code(0);
    assert_eq!(run.json()["changes"], serde_json::json!([]));
    project.run_in("clone", &["diff", "--base", "HEAD"]).code(0);
}

#[test]
fn locale_and_currency_are_written_and_checked_before_anything_is() {
    let project = Project::new();
    project
        .run(&["init", "--locale", "fr", "--currency", "EUR"])
        .code(0);
    let config = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    assert!(
        config.contains("\nlocale = \"fr\"\ncurrency = \"EUR\"\n"),
        "{config}"
    );
    // Without them, both stay commented examples.
    let plain = Project::new();
    plain.run(&["init"]).code(0);
    let config = std::fs::read_to_string(plain.join("kpi.toml")).unwrap();
    assert!(
        config.contains("\n# locale = \"fr\"\n# currency = \"EUR\"\n"),
        "{config}"
    );

    for (args, message) in [
        (
            &["init", "--currency", "eur"][..],
            "error: invalid value 'eur' for '--currency <CODE>': `eur` is not a currency code; write the code in capitals: `currency = \"EUR\"`\n",
        ),
        (
            &["init", "--currency", "euro"],
            "error: invalid value 'euro' for '--currency <CODE>': `euro` is not a currency code; write the currency's ISO 4217 code, such as `currency = \"EUR\"` or `\"USD\"`\n",
        ),
        (
            &["init", "--locale", "de"],
            "error: invalid value 'de' for '--locale <LOCALE>': reports are written in en or fr\n",
        ),
    ] {
        let project = Project::new();
        let run = project.run(args).code(2);
        assert!(run.stderr.starts_with(message), "{}", run.stderr);
        assert!(listing(&project.join("")).is_empty(), "{args:?}");
    }
}

/// A symbolic link at `path` in the project to `target`, which need not exist.
#[cfg(unix)]
fn link(project: &Project, target: &str, path: &str) {
    std::os::unix::fs::symlink(target, project.join(path)).unwrap();
}

/// Issue 23, item 8: with `notes` (or `reports`) a link to nothing, `kpi init` made `data/` and
/// `team/`, then failed with "File exists (os error 17)". It writes neither folder now, so the
/// links are left alone and the project is written whole.
#[cfg(unix)]
#[test]
fn init_with_a_dangling_notes_or_reports_link_writes_the_whole_project() {
    for folder in ["notes", "reports"] {
        let project = Project::new();
        link(&project, "gone", folder);
        project.run(&["init"]).code(0);
        let mut expected = vec!["data", "kpi.toml", "team", folder];
        expected.sort_unstable();
        assert_eq!(listing(&project.join("")), expected);
        assert_eq!(
            std::fs::read_link(project.join(folder)).unwrap(),
            Path::new("gone")
        );
    }
}

/// Issue 23, item 8, for the folders `kpi init` does write into: a link to nothing there is
/// refused before anything is written, in words.
#[cfg(unix)]
#[test]
fn init_with_a_dangling_team_or_data_link_writes_nothing() {
    for folder in ["team", "data"] {
        let project = Project::new();
        link(&project, "gone", folder);
        let run = project.run(&["init"]).code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: `{folder}` is a symbolic link to `gone`, which does not exist: `kpi init` wrote nothing; remove the link, or make the folder it points to\n"
            )
        );
        assert_eq!(listing(&project.join("")), [folder]);
        // Into a folder: named as the user wrote it.
        let project = Project::new().file("acme/.keep", "");
        link(&project, "gone", &format!("acme/{folder}"));
        let run = project.run(&["init", "acme"]).code(1);
        assert!(
            run.stderr.starts_with(&format!(
                "error: `acme/{folder}` is a symbolic link to `gone`"
            )),
            "{}",
            run.stderr
        );
        assert_eq!(listing(&project.join("acme")), [".keep", folder]);
    }
}

/// Issue 23, item 8: a file on the way to the project's folder (or where one of its folders
/// goes) is named before anything is written, without the system's "(os error 20)".
#[test]
fn init_under_a_file_writes_nothing_and_names_the_file() {
    let project = Project::new().file("taken", "a file\n");
    let run = project.run(&["init", "taken/acme"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `taken` is a file, not a folder: `kpi init` wrote nothing\n"
    );
    assert_eq!(listing(&project.join("")), ["taken"]);
    let project = Project::new().file("team", "a file\n");
    let run = project.run(&["init"]).code(1);
    assert_eq!(
        run.stderr,
        "error: `team` is a file, not a folder: `kpi init` wrote nothing\n"
    );
    assert_eq!(listing(&project.join("")), ["team"]);
}

/// Issue 23, item 8: a write that fails half-way removes what `kpi init` had written, folders
/// included, and says so in words. Here a temporary file's path (absolute, 32-character name)
/// fits under the system's 4 096-byte limit beside `kpi.toml` but not in `team/`.
#[cfg(target_os = "linux")]
#[test]
fn init_failing_half_way_removes_what_it_wrote() {
    let project = Project::new();
    let root = std::fs::canonicalize(project.join("")).unwrap();
    let root = root.as_os_str().len();
    // `root/DIR/.kpi-….tmp` is root + 1 + len + 1 + 32 bytes, ≤ 4 095; in `team/`, 5 more: > 4 095.
    let len = 4059 - root;
    let mut parts: Vec<String> = (0..len / 251)
        .map(|i| format!("{:x}", i % 16).repeat(250))
        .collect();
    let used = parts.len() * 251;
    parts.push("z".repeat(len - used));
    let dir = parts.join("/");
    assert_eq!(dir.len(), len);
    let run = project.run(&["init", &dir]).code(1);
    assert!(
        run.stderr.ends_with(
            "/team/churn_rate.toml`: the file system refuses the name (too long, or a character it does not allow); `kpi init` removed what it had written\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
    assert!(listing(&project.join("")).is_empty());
}

/// The commented `[delivery]` of a new `kpi.toml`, uncommented with `company`, is a working
/// configuration: `kpi send --dry-run` says what would go, and to whom.
#[cfg(feature = "send")]
#[test]
fn the_commented_delivery_works_once_uncommented() {
    let project = Project::new();
    project.run(&["init"]).code(0);
    fill(&project, ".", &["2026-09", "2026-10"]);
    let config = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    let start = config.find("# [delivery]").expect("a commented [delivery]");
    let (head, tail) = config.split_at(start);
    let head = head.replace("# company = \"Acme\"", "company = \"Acme\"");
    let tail: String = tail
        .lines()
        .map(|line| line.strip_prefix("# ").unwrap_or(line).to_string() + "\n")
        .collect();
    std::fs::write(project.join("kpi.toml"), head + &tail).unwrap();
    let run = project.run(&["send", "--dry-run"]).code(0);
    for line in [
        "From: KPI reports <kpi@example.com>\n",
        "To: leadership@example.com\n",
        "Subject: Acme KPIs — October 2026\n",
    ] {
        assert!(run.stdout.contains(line), "{line} not in {}", run.stdout);
    }
}

/// The commented `objectives` of a new `kpi.toml`, uncommented, names the folder `kpi new
/// --objective` writes into; once the objective lists a KPI, the report opens with it.
#[test]
fn the_commented_objectives_work_once_uncommented() {
    let project = Project::new();
    project.run(&["init"]).code(0);
    fill(&project, ".", &["2026-09", "2026-10"]);
    let config = std::fs::read_to_string(project.join("kpi.toml")).unwrap();
    assert!(
        config.contains("\n# objectives = \"objectives\"\n"),
        "{config}"
    );
    let config = config.replace(
        "\n# objectives = \"objectives\"\n",
        "\nobjectives = \"objectives\"\n",
    );
    std::fs::write(project.join("kpi.toml"), config).unwrap();
    project.run(&["new", "--objective", "retain"]).code(0);
    let path = project.join("objectives/retain.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("kpis = []", "kpis = [\"churn_rate\"]")).unwrap();
    project.run(&["check"]).code(0);
    let md = project.run(&["report", "--format", "md"]).code(0).stdout;
    assert!(md.contains("## Objectives\n\n- "), "{md}");
    assert!(md.contains("**Retain**"), "{md}");
}
