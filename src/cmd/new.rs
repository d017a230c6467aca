//! `kpi new`: writes a commented template definition into the project's own folder (or, with
//! `--objective`, an objective file into its `objectives` folder), never
//! over an existing file. For the id of a standard definition, the template changes it (its
//! target, or its description) rather than replacing it.

use std::fs;
use std::path::Path;

use kpi_core::formula::function;
use kpi_core::library::{self, Selection};
use kpi_core::{Catalog, Kind};

use crate::console::Console;
use crate::error::{CliError, Failure};
use crate::settings::New;
use crate::{scaffold, write};

/// An id as a first name to edit: `retain_customers` → `Retain customers`.
fn humanised(id: &str) -> String {
    let words = id.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default()
}

fn template(id: &str, kind: Kind) -> String {
    let name = humanised(id);
    let mut text = format!(
        r#"# `{id}`: one metric, one file. Fill in `formula`, adjust the rest, then run `kpi check`.
# Every key is described in the README, section "Definition files".

name = "{name}"
# One sentence for readers of the report: what it measures.
summary = "What it measures, in one sentence."
# For the people who tune it: how to read it, when to act, why its target. Reports fold it away.
description = """
How to read it, and when to act.
"""
# The family it is grouped under in reports: customer, engagement, quality, business, marketing…
category = "business"
# "kpi" tracks an objective and needs a direction and a [target]; "metric" needs neither.
kind = "{kind}"
# percent, currency, count, number, seconds, score, or boolean (yes/no: its target is
# `value = true` or `false`, and it needs no direction).
unit = "number"
# An expression over declared inputs and other metric ids, for example "deals_won / leads * 100".
{allowed}
formula = ""
"#,
        kind = kind.as_str(),
        allowed = allowed_in_formulas(),
    );
    if kind == Kind::Kpi {
        text.push_str(
            r#"# "higher_is_better", "lower_is_better", or "within" (the target is a range to stay in).
direction = "higher_is_better"

[target]
# The objective: at or past it the status is on_target.
value = 0
# Optional: between the target and this level the status is at_risk, past it off_target.
# warning = 0
# A level may also be the id of an input or metric read each month (a budget column):
# value = "budget_mrr". With direction = "within", levels are ranges:
# value = [95, 105] and warning = [90, 110].
# Optional, for progress and pace: where the metric stood, when, and when the target is due.
# baseline = 0
# baseline_period = "2026-01"
# deadline = "2026-12"

# Optional: targets that change over time. Each entry is in force from its month until the
# next; before the first, the value above. An entry without warning has no warning band.
# [[target.schedule]]
# from = "2026-04"
# value = 0
# warning = 0
"#,
        );
    }
    text.push_str(
        r#"
# Declare each input the formula reads that no other definition declares; the monthly data
# has a column of the same name.
# [inputs.deals_won]
# description = "Deals closed won during the month"
# unit = "count"
"#,
    );
    text
}

/// The template's comment on what a formula may hold, with the functions of the formula
/// function table (the last, `prev`, glossed), wrapped to 100 columns.
fn allowed_in_formulas() -> String {
    let text = format!(
        "Allowed: + - * / % ^, comparisons, && || !, {} for k months earlier.",
        function::summary()
    );
    let mut lines = vec![String::from("#")];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        if line.len() + 1 + word.len() > 100 {
            lines.push(format!("# {word}"));
        } else {
            line.push(' ');
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// Where editors find the schema of definitions, when a project keeps one: the first
/// `metric.schema.json` or `docs/metric.schema.json` in `dir` or a folder above it (the
/// output of `kpi schema`; in kpi's own repository, `docs/`), as a Taplo directive with a
/// path relative to the new file. Without one, no directive: a path that does not resolve
/// would make editors report an error on every file, and no public URL is known to point to.
/// A `#:schema` line pointing at `schema` (a file name) in a folder above `dir`, or in its
/// `docs/` folder, for editors.
fn schema_directive(dir: &Path, schema: &str) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    for (up, folder) in dir.ancestors().enumerate() {
        for name in [schema.to_string(), format!("docs/{schema}")] {
            if folder.join(&name).is_file() {
                return Some(format!("#:schema {}{name}", "../".repeat(up)));
            }
        }
    }
    None
}

/// Runs `kpi new`: a template for a new id, or for a standard id a file that changes the
/// standard definition.
pub fn run(settings: New, console: &mut Console) -> Result<(), CliError> {
    let New { id, kind, dir } = settings;
    let path = dir.join(format!("{id}.toml"));
    if path.exists() {
        return Err(Failure::Exists(path).into());
    }
    let (text, next) = if let Some(kind) = kind {
        metric_template(&id, kind)?
    } else {
        (
            objective_template(&id),
            "name it, list its KPIs, then run `kpi check`".to_string(),
        )
    };
    fs::create_dir_all(&dir).map_err(|e| Failure::CreateFolder(dir.clone(), e))?;
    let schema = if kind.is_some() {
        "metric.schema.json"
    } else {
        "objective.schema.json"
    };
    let text = match schema_directive(&dir, schema) {
        Some(directive) => format!("{directive}\n{text}"),
        None => text,
    };
    if let Err(error) = write::create_new(&path, text.as_bytes()) {
        return Err(Failure::Write {
            path,
            error,
            kept: false,
        }
        .into());
    }
    console.say(&format!("wrote {}: {next}", path.display()));
    Ok(())
}

/// A metric's template, and what to do next: for the id of a standard definition, changes to
/// it; else a whole definition.
fn metric_template(id: &str, kind: Kind) -> Result<(String, String), CliError> {
    Ok(if library::contains(id) {
        let standard = Catalog::load_with_library(&Selection::Ids(vec![id.to_string()]), &[])?;
        let metric = standard.metric(id).expect("the selected id is loaded");
        (
            scaffold::changes(metric),
            format!(
                "it changes the standard `{id}` for the team: edit the values, then run `kpi check`"
            ),
        )
    } else {
        (
            template(id, kind),
            "fill in its formula, then run `kpi check`".to_string(),
        )
    })
}

/// A commented objective file.
fn objective_template(id: &str) -> String {
    let name = humanised(id);
    format!(
        r#"# `{id}`: one objective, one file. List the KPIs it is measured by, then run `kpi check`.
# Its progress is the weighted mean of its KPIs' progress; see docs/objectives.md.

# How the leadership review names it.
name = "{name}"
# Optional: what it is for, who answers for it, and the month it is due (past it, an
# objective whose KPIs are not all met is missed).
# description = "Keep the customers we win."
# owner = "Customer Success"
# due = "2026-12"

# The KPIs it is measured by (ids of KPIs, not plain metrics), each counting the same:
kpis = []
# Or one table per KPI, to count some more than others (a KPI without weight counts 1):
# [[kpis]]
# id = "mrr"
# weight = 2

# Optional: its name and description in another language.
# [locale.fr]
# name = "Fidéliser les clients"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_lists_the_functions_of_the_table() {
        let allowed = allowed_in_formulas();
        assert!(allowed.lines().all(|line| line.len() <= 100), "{allowed}");
        assert!(
            allowed.replace("\n#", "").contains(&function::summary()),
            "{allowed}"
        );
        assert!(template("x", Kind::Kpi).contains(&allowed));
    }
}
