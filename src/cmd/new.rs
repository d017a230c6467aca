//! `kpi new`: writes a commented template definition into the project's own folder, never
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

fn template(id: &str, kind: Kind) -> String {
    let name = {
        let words = id.replace('_', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
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
# percent, currency, count, number, seconds or score.
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
fn schema_directive(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    for (up, folder) in dir.ancestors().enumerate() {
        for name in ["metric.schema.json", "docs/metric.schema.json"] {
            if folder.join(name).is_file() {
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
    let (text, next) = if library::contains(&id) {
        let standard = Catalog::load_with_library(&Selection::Ids(vec![id.clone()]), &[])?;
        let metric = standard.metric(&id).expect("the selected id is loaded");
        (
            scaffold::changes(metric),
            format!(
                "it changes the standard `{id}` for the team: edit the values, then run `kpi check`"
            ),
        )
    } else {
        (
            template(&id, kind),
            "fill in its formula, then run `kpi check`".to_string(),
        )
    };
    fs::create_dir_all(&dir).map_err(|e| Failure::CreateFolder(dir.clone(), e))?;
    let text = match schema_directive(&dir) {
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
