//! The keys of a definition that differ between two revisions, each with its value before and
//! after, in Markdown for a table cell: `target: 25 → 24`, ``formula: `a / b` → `a / c` ``.
//! Numbers are written in the project's locale and each side's unit (`227 049 €`); what an
//! author types as a name or a code (formulas, units, series, inputs) is shown as code.

use kpi_core::Metric;
use kpi_core::example::{Example, Expect};
use kpi_core::input::InputDecl;
use kpi_core::numbers::short;
use kpi_core::period::Period;
use kpi_core::source::SameMeaning;
use kpi_core::target::{Level, Spec, Step, Target};
use kpi_core::translation::Translation;
use kpi_report::Style;
use kpi_report::escape::{markdown, markdown_cell_code as code};

/// What an absent value (no description, no target, no such example) is shown as.
const NONE: &str = "—";

/// One key that differs: its path in the definition (`target.warning`, `inputs.b`,
/// `examples #2`) and its value before and after, already in Markdown.
pub(super) struct Field {
    /// The key's path, as an author finds it in the file.
    pub key: String,
    /// Its value at the base revision.
    pub before: String,
    /// Its value now.
    pub after: String,
}

/// One side of a change: a definition and the style its numbers are written in.
#[derive(Clone, Copy)]
struct Side<'a> {
    metric: &'a Metric,
    style: &'a Style,
}

impl Side<'_> {
    /// A number in the metric's unit and decimals: `227 049 €`, `2,16 %`.
    fn value(&self, v: f64) -> String {
        markdown(&self.style.value(v, self.metric.unit, self.metric.decimals))
    }

    /// A level as written: a number or a range in the unit, or the series it follows.
    fn spec(&self, spec: Option<&Spec>) -> String {
        let unit = self.metric.unit;
        match spec {
            None => NONE.into(),
            Some(Spec::Series(name)) => code(name),
            Some(Spec::Number(v)) => self.value(*v),
            Some(Spec::Range(low, high)) => markdown(&self.style.level(
                Level::Range(*low, *high),
                unit,
                self.metric.decimals,
            )),
        }
    }

    /// A month in words (`August 2026`), or nothing.
    fn month(&self, month: Option<Period>) -> String {
        month.map_or_else(|| NONE.into(), |m| markdown(&self.style.month(m)))
    }

    /// A schedule: its entries in order, each with the month it starts.
    fn schedule(&self, steps: &[Step]) -> String {
        if steps.is_empty() {
            return NONE.into();
        }
        let entry = self.style.words().diff.schedule_entry;
        let entries: Vec<String> = steps
            .iter()
            .map(|step| {
                let warning = step.warning.as_ref().map(|w| self.spec(Some(w)));
                entry(
                    &markdown(&self.style.month(step.from)),
                    &self.spec(Some(&step.value)),
                    warning.as_deref(),
                )
            })
            .collect();
        entries.join(", ")
    }
}

/// Every key that differs between `old` and `new`, in the order of
/// [`Metric::differing_keys`] (the README's table), composite keys (the target, inputs,
/// examples, translations) said part by part.
pub(super) fn fields(old: &Metric, new: &Metric, style: &Style) -> Vec<Field> {
    let (a, b) = (Side { metric: old, style }, Side { metric: new, style });
    let mut fields = Vec::new();
    let mut push = |key: &str, before: String, after: String| {
        fields.push(Field {
            key: key.to_string(),
            before,
            after,
        });
    };
    for key in old.differing_keys(new) {
        match key {
            "name" => push(key, markdown(&old.name), markdown(&new.name)),
            "summary" => push(key, text(&old.summary), text(&new.summary)),
            "description" => push(key, text(&old.description), text(&new.description)),
            "category" => push(key, code(&old.category), code(&new.category)),
            "kind" => push(key, code(old.kind.as_str()), code(new.kind.as_str())),
            "formula" => push(key, code(&old.formula.text), code(&new.formula.text)),
            "unit" => push(key, code(old.unit.as_str()), code(new.unit.as_str())),
            "decimals" => push(key, old.decimals.to_string(), new.decimals.to_string()),
            "direction" => {
                let direction = |m: &Metric| m.direction.map_or(NONE.into(), |d| code(d.as_str()));
                push(key, direction(old), direction(new));
            }
            "tags" => push(key, tags(&old.tags), tags(&new.tags)),
            "owner" => push(key, text(&old.owner), text(&new.owner)),
            "target" => target(a, b, &mut push),
            "examples" => examples(&old.examples, &new.examples, &mut push),
            "inputs" => inputs(old, new, &mut push),
            "locale" => translations(old, new, &mut push),
            // The id is what pairs the two definitions: it never differs. A key added to
            // `differing_keys` gets its arm above.
            _ => {}
        }
    }
    fields
}

/// Whether two optional entries say the same thing (both absent, or both present and the same
/// by meaning).
fn same<T: SameMeaning>(a: Option<&T>, b: Option<&T>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.same_meaning(b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// User text for a cell, escaped, or nothing.
fn text(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| NONE.into(), markdown)
}

/// Tags as code, in order, or nothing.
fn tags(tags: &[String]) -> String {
    if tags.is_empty() {
        return NONE.into();
    }
    let tags: Vec<String> = tags.iter().map(|t| code(t)).collect();
    tags.join(", ")
}

/// The parts of the `[target]` table that differ: the target itself (`target`), then
/// `target.warning`, `target.schedule`, `target.baseline`, `target.baseline_period` and
/// `target.deadline`. No table reads as a table with no part.
fn target(a: Side<'_>, b: Side<'_>, push: &mut impl FnMut(&str, String, String)) {
    let none = Target {
        value: None,
        warning: None,
        schedule: Vec::new(),
        baseline: None,
        baseline_period: None,
        deadline: None,
        series: Vec::new(),
    };
    let (old, new) = (
        a.metric.target.as_ref().unwrap_or(&none),
        b.metric.target.as_ref().unwrap_or(&none),
    );
    if old.value != new.value {
        push(
            "target",
            a.spec(old.value.as_ref()),
            b.spec(new.value.as_ref()),
        );
    }
    if old.warning != new.warning {
        push(
            "target.warning",
            a.spec(old.warning.as_ref()),
            b.spec(new.warning.as_ref()),
        );
    }
    if old.schedule != new.schedule {
        push(
            "target.schedule",
            a.schedule(&old.schedule),
            b.schedule(&new.schedule),
        );
    }
    if old.baseline != new.baseline {
        let baseline = |side: Side<'_>, v: Option<f64>| v.map_or(NONE.into(), |v| side.value(v));
        push(
            "target.baseline",
            baseline(a, old.baseline),
            baseline(b, new.baseline),
        );
    }
    if old.baseline_period != new.baseline_period {
        push(
            "target.baseline_period",
            a.month(old.baseline_period),
            b.month(new.baseline_period),
        );
    }
    if old.deadline != new.deadline {
        push(
            "target.deadline",
            a.month(old.deadline),
            b.month(new.deadline),
        );
    }
}

/// The `[[examples]]` entries that differ, by position (`examples #2`, numbered as `kpi test`
/// numbers them), each as the TOML of its keys.
fn examples(old: &[Example], new: &[Example], push: &mut impl FnMut(&str, String, String)) {
    for i in 0..old.len().max(new.len()) {
        let (before, after) = (old.get(i), new.get(i));
        if same(before, after) {
            continue;
        }
        let show = |e: Option<&Example>| e.map_or_else(|| NONE.into(), |e| code(&example(e)));
        push(&format!("examples #{}", i + 1), show(before), show(after));
    }
}

/// An example as inline TOML: `inputs = { a = 1, "prev(a)" = 2 }, expect = 3`.
fn example(example: &Example) -> String {
    let given: Vec<String> = example
        .given
        .iter()
        .map(|g| {
            let key = g.spelling();
            let key = if key == g.name {
                key
            } else {
                format!("\"{key}\"")
            };
            format!("{key} = {}", short(g.value))
        })
        .collect();
    let expect = match example.expect {
        Expect::Value(v) => short(v),
        Expect::NoValue => "\"no value\"".into(),
    };
    let mut text = format!("inputs = {{ {} }}, expect = {expect}", given.join(", "));
    if let Some(tolerance) = example.tolerance {
        text.push_str(&format!(", tolerance = {}", short(tolerance)));
    }
    text
}

/// The `[inputs.<name>]` declarations that differ, each as the TOML of its keys.
fn inputs(old: &Metric, new: &Metric, push: &mut impl FnMut(&str, String, String)) {
    let mut names: Vec<&String> = old.inputs.keys().chain(new.inputs.keys()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let (before, after) = (old.inputs.get(name), new.inputs.get(name));
        let (before, after) = (before.map(|d| &**d), after.map(|d| &**d));
        if same(before, after) {
            continue;
        }
        let show = |d: Option<&InputDecl>| d.map_or_else(|| NONE.into(), |d| code(&input(d)));
        push(&format!("inputs.{name}"), show(before), show(after));
    }
}

/// A declared input as an inline TOML table: `{ unit = "count", column = "x" }`.
fn input(decl: &InputDecl) -> String {
    let mut keys = vec![format!("unit = \"{}\"", decl.unit.as_str())];
    if let Some(column) = &decl.column {
        keys.push(format!("column = {}", quoted(column)));
    }
    if let Some(aggregate) = decl.aggregate {
        keys.push(format!("aggregate = \"{aggregate}\""));
    }
    if let Some(name) = &decl.name {
        keys.push(format!("name = {}", quoted(name)));
    }
    if let Some(description) = &decl.description {
        keys.push(format!("description = {}", quoted(description)));
    }
    format!("{{ {} }}", keys.join(", "))
}

/// A TOML basic string: JSON's escapes (`\"`, `\\`, `\n`, `\u0001`) are all TOML's too.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The `[locale.<code>]` names and descriptions that differ.
fn translations(old: &Metric, new: &Metric, push: &mut impl FnMut(&str, String, String)) {
    let mut codes: Vec<&String> = old
        .translations
        .keys()
        .chain(new.translations.keys())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    for locale in codes {
        let (before, after) = (old.translations.get(locale), new.translations.get(locale));
        let name = |t: Option<&Translation>| text(&t.and_then(|t| t.name.clone()));
        let summary = |t: Option<&Translation>| text(&t.and_then(|t| t.summary.clone()));
        let description = |t: Option<&Translation>| text(&t.and_then(|t| t.description.clone()));
        if name(before) != name(after) {
            push(&format!("locale.{locale}.name"), name(before), name(after));
        }
        if summary(before) != summary(after) {
            push(
                &format!("locale.{locale}.summary"),
                summary(before),
                summary(after),
            );
        }
        // The input names in that language, as one inline table in a code span.
        let inputs = |t: Option<&Translation>| match t.map(|t| &t.inputs) {
            Some(names) if !names.is_empty() => {
                let pairs: Vec<String> = names
                    .iter()
                    .map(|(input, name)| format!("{input} = {}", quoted(name)))
                    .collect();
                code(&format!("{{ {} }}", pairs.join(", ")))
            }
            _ => NONE.into(),
        };
        if inputs(before) != inputs(after) {
            push(
                &format!("locale.{locale}.inputs"),
                inputs(before),
                inputs(after),
            );
        }
        if description(before) != description(after) {
            push(
                &format!("locale.{locale}.description"),
                description(before),
                description(after),
            );
        }
    }
}
