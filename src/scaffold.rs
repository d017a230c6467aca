//! The text of the files `kpi init` and `kpi new` write for a team: `kpi.toml`, a file that
//! changes a standard definition, the data template and the page that explains it.

use std::fmt::Write as _;

use kpi_core::catalog::NameRef;
use kpi_core::library::Selection;
use kpi_core::target::Spec;
use kpi_core::{Catalog, Direction, Kind, Metric};
use kpi_report::escape::markdown as escape;

/// A TOML basic string holding `text`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string holding `text`, one line of the file per line of text.
fn toml_multiline(text: &str) -> String {
    let body = text.replace('\\', "\\\\").replace("\"\"\"", "\"\"\\\"");
    format!("\"\"\"\n{}\n\"\"\"", body.trim_end())
}

/// A target level as TOML writes it: `2`, `0.5`, `[95, 105]`, `"budget_mrr"`.
fn level(spec: &Spec) -> String {
    match spec {
        Spec::Series(name) => format!("\"{name}\""),
        other => other.to_string(),
    }
}

/// A file that changes a standard definition for the team: a KPI's `[target]`, or a
/// metric's `description`, given with the standard values to edit. It has no `formula`, so
/// it changes only the keys it gives.
pub fn changes(metric: &Metric) -> String {
    let id = &metric.id;
    let mut text = format!(
        "# Changes the standard definition `{id}` ({name}) for this team.\n\
         # A file without `formula` changes only the keys it gives and keeps the others; a\n\
         # table such as [target] replaces the standard one whole. Any key of a definition may\n\
         # be given (`name`, `description`, `direction`, `decimals`, `tags`...); with a\n\
         # `formula` (and every other key) the file replaces the standard definition instead.\n\
         # `kpi check` notes what it changes; `kpi list --format json` shows what is in force.\n",
        name = metric.name,
    );
    match (&metric.target, metric.direction) {
        (Some(target), Some(direction)) => {
            let side = match direction {
                Direction::HigherIsBetter => "at or above",
                Direction::LowerIsBetter => "at or below",
                Direction::Within => "inside the range",
            };
            let _ = write!(
                text,
                "\n# The standard target, to set to this team's objective: on target {side}\n\
                 # `value`, at risk up to `warning`, off target past it ({}).\n\
                 [target]\n",
                direction.phrase(),
            );
            if let Some(value) = &target.value {
                let _ = writeln!(text, "value = {}", level(value));
            }
            if let Some(warning) = &target.warning {
                let _ = writeln!(text, "warning = {}", level(warning));
            }
            text.push_str(
                "# Optional, for progress and pace: where the metric stood, when, and when the\n\
                 # target is due.\n\
                 # baseline = 0\n\
                 # baseline_period = \"2026-01\"\n\
                 # deadline = \"2026-12\"\n",
            );
        }
        _ => {
            let description = metric.description.as_deref().unwrap_or("").trim_end();
            if let Some(summary) = &metric.summary {
                let _ = write!(
                    text,
                    "\n# The standard summary: one sentence for readers of the report.\n\
                     summary = {}\n",
                    // JSON's string escapes are all TOML's too.
                    serde_json::to_string(summary).expect("a string serialises"),
                );
            }
            let _ = write!(
                text,
                "\n# The standard description, to say in this team's words what it measures and\n\
                 # when to act. To track it as a KPI, add `kind = \"kpi\"` and a [target]{}.\n\
                 description = {}\n",
                if metric.direction.is_some() {
                    ""
                } else {
                    " and a `direction`"
                },
                toml_multiline(description),
            );
        }
    }
    text
}

/// The standard definition a new project's team folder changes, as an example: `churn_rate`
/// when selected, else the first KPI, else the first metric.
pub fn example(catalog: &Catalog) -> Option<&Metric> {
    let metrics = catalog.metrics();
    metrics
        .iter()
        .find(|m| m.id == "churn_rate")
        .or_else(|| metrics.iter().find(|m| m.kind == Kind::Kpi))
        .or_else(|| metrics.first())
}

/// The metrics of `catalog` grouped by family, then by id.
fn by_family(catalog: &Catalog) -> Vec<&Metric> {
    let mut metrics: Vec<&Metric> = catalog.metrics().iter().collect();
    metrics.sort_by(|a, b| (&a.category, &a.id).cmp(&(&b.category, &b.id)));
    metrics
}

/// The inputs the metrics need, in the order a reader goes through them: family by family,
/// metric by metric, in the order of each formula; with the ids of the metrics using each.
pub fn inputs(catalog: &Catalog) -> Vec<(String, Vec<String>)> {
    let mut inputs: Vec<(String, Vec<String>)> = Vec::new();
    for metric in by_family(catalog) {
        for reference in &metric.formula.references {
            if let Some(NameRef::Input(_)) = catalog.resolve(&reference.name) {
                match inputs.iter_mut().find(|(name, _)| *name == reference.name) {
                    Some((_, users)) if users.contains(&metric.id) => {}
                    Some((_, users)) => users.push(metric.id.clone()),
                    None => inputs.push((reference.name.clone(), vec![metric.id.clone()])),
                }
            }
        }
    }
    inputs
}

/// The data template: the header of a monthly CSV file.
pub fn data_template(inputs: &[(String, Vec<String>)]) -> String {
    let mut header = String::from("period");
    for (name, _) in inputs {
        header.push(',');
        header.push_str(name);
    }
    header.push('\n');
    header
}

/// The page beside the data template that says what each column holds.
pub fn data_readme(catalog: &Catalog, file: &str, inputs: &[(String, Vec<String>)]) -> String {
    let mut text = format!(
        "# The monthly data\n\n\
         `{file}` holds one row per month: the month in `period` (`2026-10`, or a date in it\n\
         such as `2026-10-31`), then one column per input of the metrics this project tracks.\n\
         Write plain numbers (`1234.5`; `1234,5` in a file separated by `;`), without units or\n\
         thousands separators. Leave a cell empty when the value is not known: the metrics that\n\
         use it show no value for that month, with the reason. Add a row each month, then run\n\
         `kpi report`.\n\n\
         | column | what it holds | unit | used by |\n\
         |---|---|---|---|\n\
         | `period` | The month: `YYYY-MM` | | |\n",
    );
    for (name, users) in inputs {
        let declared = catalog
            .inputs()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d);
        let description = declared
            .and_then(|d| d.description.as_deref())
            .map(escape)
            .unwrap_or_default();
        let unit = declared.map(|d| d.unit.as_str()).unwrap_or_default();
        let users: Vec<String> = users.iter().map(|u| format!("`{u}`")).collect();
        let _ = writeln!(
            text,
            "| `{name}` | {description} | {unit} | {} |",
            users.join(", ")
        );
    }
    text.push_str(
        "\nMoney is in one currency throughout, durations in seconds. Data in other shapes is\n\
         read too (daily rows summed to months, columns named otherwise, several files, SQLite\n\
         and PostgreSQL queries): see \"Input data\" in kpi's README.\n",
    );
    text
}

/// The commented `columns` of the data template's source: a line per column of the template,
/// the input and the column spelt alike, each with what it holds, for a team to write the
/// names of its own export.
fn columns(catalog: &Catalog, inputs: &[(String, Vec<String>)]) -> String {
    let mut text = String::from("# [sources.columns]\n");
    let width = inputs.iter().map(|(n, _)| 2 * n.len()).max().unwrap_or(0) + 6;
    for (name, _) in inputs {
        let description = catalog
            .inputs()
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, d)| d.description.as_deref())
            .and_then(|d| d.lines().next())
            .unwrap_or_default();
        let line = format!("{name} = {}", toml_string(name));
        let _ = writeln!(text, "# {line:<width$}# {description}");
    }
    text
}

/// A new project's `kpi.toml`: `everything` lists the standard ids, `selected` declares the
/// inputs of the data template (`inputs`, read from `data`).
pub fn config(
    selection: &Selection,
    (everything, selected): (&Catalog, &Catalog),
    inputs: &[(String, Vec<String>)],
    (team, data): (&str, &str),
    title: &str,
    style: (Option<&str>, Option<&str>),
) -> String {
    // Given to `kpi init`, a setting is written; otherwise its commented example is.
    let (locale, currency) = style;
    let setting = |key: &str, value: Option<&str>, example: &str| match value {
        Some(value) => format!("{key} = {}", toml_string(value)),
        None => format!("# {key} = \"{example}\""),
    };
    let library = match selection {
        Selection::All => "\"all\"".to_string(),
        Selection::Ids(ids) => {
            let ids: Vec<String> = ids.iter().map(|id| toml_string(id)).collect();
            format!("[{}]", ids.join(", "))
        }
    };
    // One line per family (wrapped), so that a team picks ids by family.
    let mut families = String::new();
    let mut line = String::new();
    let mut last = None;
    for metric in by_family(everything) {
        if last != Some(&metric.category) {
            families.push_str(&line);
            line = format!("\n#   {}:", metric.category);
            last = Some(&metric.category);
        } else if line.len() + metric.id.len() > 90 {
            families.push_str(&line);
            line = "\n#     ".to_string();
        }
        line.push(' ');
        line.push_str(&metric.id);
    }
    families.push_str(&line);
    format!(
        "# The project's settings: `kpi check`, `kpi eval` and `kpi report` read this file when run\n\
         # in this folder (or with `--config path/to/kpi.toml`). Paths are relative to it.\n\
         \n\
         # The standard definitions built into kpi that the project tracks: \"all\", or a list of\n\
         # ids such as [\"churn_rate\", \"nps\", \"arpu\"]; a metric that a listed one uses comes with\n\
         # it. `kpi list --library all` shows each with its formula and default target. The ids:{families}\n\
         library = {library}\n\
         \n\
         # The team's own definitions, read after the standard ones. A file with a `formula` is a\n\
         # metric of the team's (`kpi new ID` writes a template there); a file without one changes\n\
         # only the keys it gives of the standard definition of the same id, such as its [target].\n\
         metrics = [{team}]\n\
         \n\
         # The reports' title, and the company the email's subject names (`kpi send`).\n\
         title = {title}\n\
         # company = \"Acme\"\n\
         \n\
         # The folder of the month's commentary: `notes/YYYY-MM.md` holds a summary, then a\n\
         # `## <metric_id>` section per metric to comment; both reports show them. Until the\n\
         # folder exists (make it with the first note), reports have no notes.\n\
         notes = \"notes\"\n\
         \n\
         # The objectives the KPIs serve, one file each (`kpi new --objective ID` writes one):\n\
         # the reports open with each one's progress.\n\
         # objectives = \"objectives\"\n\
         \n\
         # The reports' language (\"en\" or \"fr\") and the ISO 4217 code of every amount.\n\
         {locale}\n\
         {currency}\n\
         \n\
         # The monthly data: one row per month, one column per input; {data_readme} says what\n\
         # each column holds. More sources (CSV files, SQLite and PostgreSQL queries) go in more\n\
         # [[sources]] entries: see \"Input data\" in kpi's README.\n\
         [[sources]]\n\
         csv = {data}\n\
         \n\
         # Your export names its columns otherwise? Uncomment `[sources.columns]` and the line of\n\
         # each input to rename, and write the column of your export that holds it, as its header\n\
         # spells it (`customers_start = \"Clients au 1er du mois\"`): the metrics read it from\n\
         # there, with no change to their definitions.\n\
         {columns}\
         \n\
         # Sending the month's report (`kpi send`, see \"Sending\" in docs/reports.md): uncomment\n\
         # `company` above and these lines. `smtp` and `slack` name the environment variables\n\
         # that hold the mail server's URL (`smtps://user:password@host:465`) and the Slack\n\
         # webhook's: a secret is never written here. `kpi send --dry-run` shows what would go.\n\
         # [delivery]\n\
         # from = \"KPI reports <kpi@example.com>\"\n\
         # to = [\"leadership@example.com\"]\n\
         # smtp = \"KPI_SMTP_URL\"\n\
         # slack = \"KPI_SLACK_WEBHOOK\"\n\
         # link = \"https://kpi.example.com/\"\n",
        locale = setting("locale", locale, "fr"),
        currency = setting("currency", currency, "EUR"),
        team = toml_string(team),
        data_readme = "data/README.md",
        data = toml_string(data),
        title = toml_string(title),
        columns = columns(selected, inputs),
    )
}
