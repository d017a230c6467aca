//! `kpi diff`'s Markdown, for a pull-request comment or a job summary: a heading, then one
//! table row per metric that differs, in the project's locale (words from kpi-report's
//! locale tables, numbers in each side's unit by kpi-report's [`Style`]) and escaped as the
//! report's Markdown is, so that GitHub renders every cell as written.

use std::fmt::Write as _;

use kpi_core::Metric;
use kpi_report::Style;
use kpi_report::escape::{markdown, markdown_cell_code, markdown_code};
use kpi_report::locale::{DiffWords, Labels};

use super::fields::fields;
use super::{Change, Changed, Diff, Side};

/// What a side that does not exist (an added metric's before) shows.
const NONE: &str = "—";

/// The heading, then the table of changes (or the sentence that there is none).
pub(super) fn markdown_table(diff: &Diff<'_>, style: &Style) -> String {
    let words = style.words();
    let (labels, said) = (&words.labels, &words.diff);
    let mut out = format!(
        "### {}\n\n",
        (said.heading)(
            &markdown_code(diff.base),
            &markdown(
                &Style {
                    grain: diff.grain,
                    ..*style
                }
                .period(diff.month)
            )
        )
    );
    if diff.changes.is_empty() {
        out.push_str(said.no_change);
        out.push('\n');
        return out;
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|:---|:---|:---|:---|:---|",
        said.metric, said.change, said.definition, labels.value, labels.status
    );
    for c in &diff.changes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} → {} | {} → {} |",
            markdown_cell_code(&c.id),
            change_word(said, c.change),
            definition(c, style),
            value(c.before.as_ref(), c.old, style),
            value(c.after.as_ref(), c.new, style),
            status(c.before.as_ref(), labels),
            status(c.after.as_ref(), labels),
        );
    }
    out
}

/// How a metric differs, in words.
fn change_word(said: &DiffWords, change: Change) -> &'static str {
    match change {
        Change::Added => said.added,
        Change::Removed => said.removed,
        Change::Changed => said.changed,
        Change::Affected => said.affected,
    }
}

/// Each key of the definition that differs, `key: before → after`, separated as the locale
/// separates items; empty when the definition is the same or one side has none.
fn definition(c: &Changed<'_>, style: &Style) -> String {
    let (Some(old), Some(new)) = (c.old, c.new) else {
        return String::new();
    };
    let separator = format!("{} ", style.words().labels.semicolon);
    let fields: Vec<String> = fields(old, new, style)
        .into_iter()
        .map(|f| format!("{}: {} → {}", markdown(&f.key), f.before, f.after))
        .collect();
    fields.join(&separator)
}

/// A side's value in the unit of its own definition (a changed unit shows both), `—` without
/// one.
fn value(side: Option<&Side>, metric: Option<&Metric>, style: &Style) -> String {
    match (side.and_then(|s| s.value), metric) {
        (Some(v), Some(m)) => markdown(&style.value(v, m.unit, m.decimals)),
        _ => NONE.into(),
    }
}

/// A side's status in words, `—` when the metric does not exist on that side.
fn status(side: Option<&Side>, labels: &Labels) -> &'static str {
    side.map_or(NONE, |side| labels.status(side.status))
}
