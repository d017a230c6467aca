//! One definition file: its TOML shape (checked by serde, with spans) and the checks that
//! need only that file (ids, KPI targets, formula syntax); the `[target]` table itself is
//! checked by [`crate::target`].
//!
//! Checks that need every file (names resolve, units agree, no cycles) live in
//! [`crate::catalog`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::DeTable;

use crate::diagnostic::{Diagnostic, Problem};
use crate::example::{self, Example, RawExample};
use crate::formula::{self, Formula};
use crate::input::{Aggregate, InputDecl};
use crate::layers::{self, Layers};
use crate::names::{LIBRARY_PREFIX, is_valid_id, is_valid_input_name};
use crate::period::Period;
use crate::shape;
use crate::source::{Location, SourceFile};
pub use crate::target::Direction;
use crate::target::check::{self as target_check, RawTarget};
use crate::target::{Rule, Target};
use crate::translation::{self, RawTranslation, Translation};
use crate::unit::Unit;

/// Whether a definition is a KPI (tied to an objective) or a plain metric.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Tracks an objective: must have a target and a direction.
    Kpi,
    /// Supporting measure: target and direction optional.
    Metric,
}

impl Kind {
    /// `kpi` or `metric`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kpi => "kpi",
            Self::Metric => "metric",
        }
    }
}

/// A validated definition, as loaded from one file (and the files that change its keys).
#[derive(Debug, Clone)]
pub struct Definition {
    /// The metric id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// What it measures and why it matters.
    pub description: Option<String>,
    /// Family, such as `customer`.
    pub category: String,
    /// KPI or metric.
    pub kind: Kind,
    /// The formula.
    pub formula: Formula,
    /// Unit of the values.
    pub unit: Unit,
    /// Digits shown in reports.
    pub decimals: u8,
    /// Which way is better.
    pub direction: Option<Direction>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Who answers for it: a person or a team.
    pub owner: Option<String>,
    /// Its name and description in other languages, by locale code (`fr`).
    pub translations: BTreeMap<String, Translation>,
    /// The objective.
    pub target: Option<Target>,
    /// Inputs declared in this file.
    pub inputs: BTreeMap<String, InputDecl>,
    /// Examples of values the formula must give (`[[examples]]`), checked by `kpi test`.
    pub examples: Vec<Example>,
    /// The file it came from (the one that gives its formula).
    pub file: Arc<SourceFile>,
    /// The files it is made of: `file`, then the files of later layers that change its keys.
    layers: Layers,
    /// Where the formula text starts in the file, and whether offsets map one to one (a
    /// string without escapes) or only to the start of the string.
    formula_at: (usize, bool),
    id_span: Range<usize>,
}

impl Definition {
    /// Its name in `locale` (a code such as `fr`): the `[locale.<code>]` name when there is
    /// one, else the base name.
    pub fn name_in(&self, locale: &str) -> &str {
        self.translations
            .get(locale)
            .and_then(|t| t.name.as_deref())
            .unwrap_or(&self.name)
    }

    /// Its description in `locale`: the `[locale.<code>]` description when there is one,
    /// else the base description.
    pub fn description_in(&self, locale: &str) -> Option<&str> {
        self.translations
            .get(locale)
            .and_then(|t| t.description.as_deref())
            .or(self.description.as_deref())
    }

    /// The file it came from (the one that gives its formula).
    pub fn source(&self) -> &Path {
        self.file.path()
    }

    /// The files of later layers that change some of its keys, in order.
    pub fn changed_by(&self) -> impl Iterator<Item = &Path> {
        self.layers.changes()
    }

    /// The location of a byte range of the formula text, in the definition file.
    pub fn formula_location(&self, span: &Range<usize>) -> Location {
        formula_location(&self.layers, self.formula_at, span)
    }

    /// The line of a span of the formula, found by the file's line index (cheaper than a
    /// whole [`Location`], for problems only counted).
    pub(crate) fn formula_line(&self, span: &Range<usize>) -> usize {
        let (at, exact) = self.formula_at;
        self.layers
            .line_of(if exact { at + span.start } else { at })
    }

    /// The target rule in force in `period` (none for a metric without target), and why.
    pub fn target_at(&self, period: Period) -> Option<Rule<'_>> {
        self.target.as_ref()?.at(period, self.direction?)
    }

    /// The location of the id (or of the start of the newest file when the id is the file
    /// stem).
    pub fn id_location(&self) -> Location {
        if self.id_span.is_empty() {
            self.layers.whole()
        } else {
            self.layers.locate(self.id_span.start, self.id_span.end)
        }
    }
}

impl Definition {
    /// The top-level keys whose values differ between two definitions of a metric, in the
    /// order of the README's table (`kpi diff`). Where a key is written does not count.
    pub fn differing_keys(&self, other: &Definition) -> Vec<&'static str> {
        let same_inputs = self.inputs.len() == other.inputs.len()
            && self
                .inputs
                .iter()
                .zip(&other.inputs)
                .all(|((a, x), (b, y))| {
                    a == b
                        && x.description == y.description
                        && x.unit == y.unit
                        && x.column == y.column
                        && x.aggregate == y.aggregate
                });
        let same_examples = self.examples.len() == other.examples.len()
            && self.examples.iter().zip(&other.examples).all(|(x, y)| {
                x.expect == y.expect
                    && x.tolerance == y.tolerance
                    && x.given.len() == y.given.len()
                    && x.given
                        .iter()
                        .zip(&y.given)
                        .all(|(g, h)| (&g.name, g.months, g.value) == (&h.name, h.months, h.value))
            });
        [
            ("id", self.id == other.id),
            ("name", self.name == other.name),
            ("description", self.description == other.description),
            ("category", self.category == other.category),
            ("kind", self.kind == other.kind),
            ("formula", self.formula.text == other.formula.text),
            ("unit", self.unit == other.unit),
            ("decimals", self.decimals == other.decimals),
            ("direction", self.direction == other.direction),
            ("tags", self.tags == other.tags),
            ("owner", self.owner == other.owner),
            ("target", self.target == other.target),
            ("examples", same_examples),
            ("inputs", same_inputs),
            ("locale", self.translations == other.translations),
        ]
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(key, _)| key)
        .collect()
    }
}

fn formula_location(layers: &Layers, (at, exact): (usize, bool), span: &Range<usize>) -> Location {
    if exact {
        layers.locate(at + span.start, at + span.end)
    } else {
        layers.locate(at, at + 1)
    }
}

// A definition file as serde reads it. Its doc comments are the descriptions editors show
// (`kpi schema`, see `crate::schema`); the `schemars` attributes change no serde behaviour:
// they give the schema of what a `Spanned` or a raw `toml::Value` holds.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefinition {
    /// The metric id; defaults to the file name without `.toml`.
    #[schemars(with = "Option<String>", regex(pattern = crate::names::ID))]
    id: Option<Spanned<String>>,
    /// Human name, shown in reports.
    name: String,
    /// What it measures, how to read it, and when to act.
    description: Option<String>,
    /// The family it is grouped under: customer, engagement, quality, business, marketing…
    category: String,
    /// "kpi" tracks an objective and needs `direction` and `[target]`; "metric" needs
    /// neither.
    kind: Kind,
    /// An expression over declared inputs and other metric ids: + - * / % ^, comparisons,
    /// && || !, if(condition, a, b), min, max, abs, floor, ceil, round, sqrt, ln, exp,
    /// prev(name) and prev(name, k). A file without formula changes the keys it gives of the
    /// definition of the same id in an earlier layer (the standard library).
    #[schemars(with = "String")]
    formula: Spanned<String>,
    /// The unit of its values, which decides how reports format them.
    unit: Unit,
    /// Digits shown in reports (default: percent 1, currency and number 2, others 0).
    #[schemars(with = "Option<u8>", range(min = 0, max = 9))]
    decimals: Option<Spanned<i64>>,
    /// Which way is better; required for a KPI and for a metric with a target.
    direction: Option<Direction>,
    /// Free tags.
    #[serde(default)]
    tags: Vec<String>,
    /// The person or team that owns it, shown in both reports' details.
    owner: Option<String>,
    /// The objective: required for a KPI.
    #[schemars(with = "Option<RawTarget>")]
    target: Option<Spanned<RawTarget>>,
    /// Inputs this file declares: columns of the monthly data.
    #[serde(default)]
    #[schemars(
        with = "BTreeMap<String, RawInput>",
        extend("propertyNames" = {"pattern": crate::names::NAME})
    )]
    inputs: BTreeMap<String, Spanned<RawInput>>,
    /// Names and descriptions in other languages: `[locale.fr]` with `name` and
    /// `description`.
    #[serde(default)]
    #[schemars(
        with = "Option<BTreeMap<String, RawTranslation>>",
        extend("propertyNames" = {"pattern": "^[a-z]{2,3}$"})
    )]
    locale: Option<Spanned<BTreeMap<String, RawTranslation>>>,
    /// Values the formula must give for inputs set by hand, checked by `kpi test`.
    #[serde(default)]
    #[schemars(with = "Vec<RawExample>")]
    examples: Vec<Spanned<RawExample>>,
}

/// A declared input: a column of the monthly data.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawInput {
    /// What it is.
    description: Option<String>,
    /// Its unit.
    unit: Unit,
    /// The data column (or long-table name) that holds it, when not spelt as the input.
    column: Option<String>,
    /// How the rows of one month combine; without it, two values in a month are an error.
    aggregate: Option<Aggregate>,
}

/// The keys a whole definition gives (the others are optional, or required by its kind).
const REQUIRED: &[&str] = &["name", "category", "kind", "formula", "unit"];

/// The id a file gives when it has no `id` key: its name without `.toml`. A standard
/// definition is named `library:<id>.toml` (see [`LIBRARY_PREFIX`]); a file read from a
/// folder cannot be mistaken for one, as its path starts with the folder.
pub(crate) fn default_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let in_no_folder = path.parent().is_none_or(|p| p.as_os_str().is_empty());
    match stem.strip_prefix(LIBRARY_PREFIX) {
        Some(id) if in_no_folder => id.to_string(),
        _ => stem,
    }
}

/// What one definition file holds.
#[expect(
    clippy::large_enum_variant,
    reason = "one per file, moved once into the catalog: boxing would cost an allocation per file"
)]
pub(crate) enum Reading {
    /// A whole definition (the file gives a `formula`), checked.
    Whole(Result<Definition, Vec<Diagnostic>>),
    /// Changes to the keys of a definition of an earlier layer (the file gives no `formula`).
    Changes(Changes),
}

/// A definition file without `formula`: it changes the keys it gives of the definition of
/// the same id in an earlier layer, and leaves the others as they are.
pub(crate) struct Changes {
    /// The file.
    pub(crate) file: Arc<SourceFile>,
    /// The id it changes: its `id` key, else its name.
    pub(crate) id: String,
    /// Where the id is: the `id` key, else the file as a whole.
    pub(crate) location: Location,
    /// The keys it gives, `id` left out, in alphabetical order.
    pub(crate) keys: Vec<String>,
}

/// Reads one definition file: a whole definition, checked, or changes to an earlier one.
pub(crate) fn read_definition(file: Arc<SourceFile>) -> Reading {
    let table = match layers::parse(&file) {
        Ok(table) => table,
        Err(d) => return Reading::Whole(Err(vec![d])),
    };
    if table.get_ref().contains_key("formula") {
        return Reading::Whole(check(&Layers::new(file.clone()), table));
    }
    let given_id = table
        .get_ref()
        .get("id")
        .and_then(|id| Some((id.get_ref().as_str()?.to_string(), id.span())));
    let (id, location) = match given_id {
        Some((id, span)) => (id, file.locate(span.start, span.end)),
        None => (default_id(file.path()), file.whole()),
    };
    let keys = table
        .get_ref()
        .keys()
        .map(|k| k.get_ref().to_string())
        .filter(|k| k != "id")
        .collect();
    Reading::Changes(Changes {
        file,
        id,
        location,
        keys,
    })
}

/// `base` with the keys of `changes` replacing its own, checked as one definition: every
/// problem is located in the file that gave the key.
pub(crate) fn apply(base: &Definition, changes: &Changes) -> Result<Definition, Vec<Diagnostic>> {
    let layers = base.layers.then(changes.file.clone());
    let table = layers.table().map_err(|d| vec![d])?;
    check(&layers, table)
}

/// Parses and checks one definition file. Returns every problem found in it.
pub fn parse_definition(file: Arc<SourceFile>) -> Result<Definition, Vec<Diagnostic>> {
    let layers = Layers::new(file);
    let table = layers.table().map_err(|d| vec![d])?;
    check(&layers, table)
}

/// Checks a definition's merged table, shape then meaning; spans are offsets into `layers`.
fn check(layers: &Layers, table: Spanned<DeTable<'_>>) -> Result<Definition, Vec<Diagnostic>> {
    let shape = shape::read::<RawDefinition>(layers, table, REQUIRED);
    let Some(raw) = shape.value.filter(|_| shape.problems.is_empty()) else {
        // Shape problems, all of them, and the formula's own: the checks of meaning wait for
        // a definition of the right shape, as a key removed for a bad value would make them
        // say more than is wrong.
        let mut problems = shape.problems;
        let formula = shape.table.get_ref().get("formula").and_then(|f| {
            let text = f.get_ref().as_str()?;
            Some((f.span(), text.to_string()))
        });
        if let Some((span, text)) = formula
            && let Err(e) = formula::parse(&text)
        {
            let at = formula_offset(layers.slice(&span), &span, &text);
            let location = formula_location(layers, at, &e.span);
            problems.push(Diagnostic::error(Problem::Formula(e), Some(location)));
        }
        return Err(problems);
    };
    // `Layers` locates offsets as a `SourceFile` does, each in the file that holds it.
    let file = layers;
    let mut errors = Vec::new();
    let at = |span: Range<usize>| Some(file.locate(span.start, span.end));

    let (id, id_span) = match raw.id {
        Some(id) => (id.get_ref().clone(), id.span()),
        None => (default_id(file.base().path()), 0..0),
    };
    if !is_valid_id(&id) {
        errors.push(Diagnostic::error(
            Problem::BadId { id: id.clone() },
            at(id_span.clone()),
        ));
    }

    let formula_span = raw.formula.span();
    let formula_text = raw.formula.into_inner();
    let formula_at = formula_offset(file.slice(&formula_span), &formula_span, &formula_text);
    let formula = match formula::parse(&formula_text) {
        Ok(f) => Some(f),
        Err(e) => {
            let location = formula_location(file, formula_at, &e.span);
            errors.push(Diagnostic::error(Problem::Formula(e), Some(location)));
            None
        }
    };

    let decimals = match raw.decimals {
        Some(d) if !(0..=9).contains(d.get_ref()) => {
            errors.push(Diagnostic::error(
                Problem::Toml {
                    message: "`decimals` must be from 0 to 9".into(),
                },
                at(d.span()),
            ));
            0
        }
        Some(d) => u8::try_from(d.into_inner()).expect("checked to be 0 to 9"),
        None => raw.unit.default_decimals(),
    };

    let whole_file = || Some(file.whole());
    let has_target = raw.target.is_some();
    let target = match raw.target {
        Some(t) => target_check::check(file, t, raw.direction, &mut errors),
        None => None,
    };
    if raw.kind == Kind::Kpi && !has_target {
        errors.push(Diagnostic::error(
            Problem::KpiWithoutTarget { id: id.clone() },
            whole_file(),
        ));
    }
    if raw.direction.is_none() {
        if raw.kind == Kind::Kpi {
            errors.push(Diagnostic::error(
                Problem::KpiWithoutDirection { id: id.clone() },
                whole_file(),
            ));
        } else if has_target {
            errors.push(Diagnostic::error(
                Problem::TargetWithoutDirection { id: id.clone() },
                whole_file(),
            ));
        }
    }

    let mut inputs = BTreeMap::new();
    for (name, decl) in raw.inputs {
        let span = decl.span();
        let decl = decl.into_inner();
        if !is_valid_input_name(&name) {
            errors.push(Diagnostic::error(
                Problem::Toml {
                    message: format!("`{name}` is not a valid input name: use letters, digits and `_`, starting with a letter"),
                },
                at(span.clone()),
            ));
        }
        let location = file
            .find(span.start, &format!("[inputs.{name}]"))
            .unwrap_or_else(|| file.locate(span.start, span.end));
        inputs.insert(
            name,
            InputDecl {
                description: decl.description,
                unit: decl.unit,
                column: decl.column.filter(|c| !c.trim().is_empty()),
                aggregate: decl.aggregate,
                location,
            },
        );
    }

    let translations = translation::check(file, raw.locale, &mut errors);
    let owner = raw
        .owner
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty());
    let examples = raw
        .examples
        .into_iter()
        .filter_map(|e| example::check(file, e, &mut errors))
        .collect();

    match formula {
        Some(formula) if errors.is_empty() => Ok(Definition {
            id,
            name: raw.name,
            description: raw.description,
            category: raw.category,
            kind: raw.kind,
            formula,
            unit: raw.unit,
            decimals,
            direction: raw.direction,
            tags: raw.tags,
            owner,
            translations,
            target,
            inputs,
            examples,
            file: file.base().clone(),
            layers: file.clone(),
            formula_at,
            id_span,
        }),
        _ => Err(errors),
    }
}

/// Where the formula's text starts. A string's span includes its quotes; when the raw text
/// between them (`raw`, the text of `span`) is the value itself (no escapes), offsets map one
/// to one.
fn formula_offset(raw: &str, span: &Range<usize>, value: &str) -> (usize, bool) {
    match raw.find(value) {
        Some(i) if !value.is_empty() => (span.start + i, true),
        _ => (span.start, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Definition, Vec<Diagnostic>> {
        parse_definition(Arc::new(SourceFile::new("m/x.toml", text)))
    }

    const BASE: &str = "name = \"X\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\n";

    fn messages(text: &str) -> Vec<String> {
        load(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn loads_a_metric_with_defaults() {
        let d = load(&format!("{BASE}formula = \"a + b\"\n")).unwrap();
        assert_eq!(d.id, "x");
        assert_eq!(d.decimals, 0);
        assert!(d.target.is_none());
    }

    #[test]
    fn unknown_key_suggests() {
        let errs = load(&format!("{BASE}formul = \"a\"\n")).unwrap_err();
        assert_eq!(errs[0].to_string(), "m/x.toml:5:1: unknown key `formul`");
        assert_eq!(errs[0].problem.help().unwrap(), "did you mean `formula`?");
    }

    #[test]
    fn unknown_value_suggests() {
        let text =
            "name = \"X\"\ncategory = \"c\"\nkind = \"kpis\"\nunit = \"count\"\nformula = \"a\"\n";
        let errs = load(text).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "m/x.toml:3:8: unknown value `kpis` for `kind`"
        );
        assert_eq!(errs[0].problem.help().unwrap(), "did you mean `kpi`?");
    }

    #[test]
    fn formula_errors_point_into_the_file() {
        let errs = messages(&format!("{BASE}formula = \"a b\"\n"));
        assert_eq!(
            errs,
            ["m/x.toml:5:12: missing operator between `a` and `b`"]
        );
    }

    #[test]
    fn kpi_needs_target_and_direction() {
        let text = BASE.replace("metric", "kpi") + "formula = \"a\"\n";
        let errs = messages(&text);
        assert!(errs[0].ends_with("KPI `x` has no `[target]`"), "{errs:?}");
        assert!(errs[1].ends_with("KPI `x` has no `direction`"), "{errs:?}");
    }

    #[test]
    fn warning_must_be_on_the_bad_side() {
        let text = format!(
            "{BASE}formula = \"a\"\ndirection = \"higher_is_better\"\n[target]\nvalue = 10\nwarning = 12\n"
        );
        let errs = messages(&text);
        assert_eq!(
            errs,
            [
                "m/x.toml:9:11: warning 12 is on the wrong side of target 10 for a metric where higher is better"
            ]
        );
        let ok = text.replace("warning = 12", "warning = 8");
        assert_eq!(
            load(&ok).unwrap().target.unwrap().warning,
            Some(crate::target::Spec::Number(8.0))
        );
    }

    #[test]
    fn owner_and_translations() {
        let text = format!(
            "{BASE}formula = \"a\"\nowner = \" Growth team \"\n[locale.fr]\nname = \"Taux d'attrition\"\ndescription = \"\"\"\nPart des clients perdus.\n\"\"\"\n"
        );
        let d = load(&text).unwrap();
        assert_eq!(d.owner.as_deref(), Some("Growth team"));
        assert_eq!(d.name_in("fr"), "Taux d'attrition");
        assert_eq!(d.description_in("fr"), Some("Part des clients perdus."));
        // Other locales, and parts left out, fall back to the base text.
        assert_eq!(d.name_in("de"), "X");
        assert_eq!(d.description_in("de"), None);
    }

    #[test]
    fn translation_mistakes_are_located() {
        let errs = messages(&format!(
            "{BASE}formula = \"a\"\n[locale.FR]\nname = \"Y\"\n[locale.fr]\nname = \" \"\n"
        ));
        assert_eq!(
            errs,
            [
                "m/x.toml:6:1: `FR` is not a locale code: use a lowercase language code such as `fr`",
                "m/x.toml:9:8: the `fr` name is empty: give the name in that language, or leave the key out",
            ]
        );
        let errs = load(&format!(
            "{BASE}formula = \"a\"\n[locale.fr]\nnom = \"Y\"\n"
        ))
        .unwrap_err();
        assert_eq!(errs[0].to_string(), "m/x.toml:7:1: unknown key `nom`");
    }

    #[test]
    fn bad_id_and_periods() {
        let text = format!(
            "id = \"Bad-Id\"\n{BASE}formula = \"a\"\ndirection = \"lower_is_better\"\n[target]\nvalue = 1\nbaseline = 3\nbaseline_period = \"Jan 2026\"\n"
        );
        let errs = messages(&text);
        assert!(
            errs[0].ends_with("`Bad-Id` is not a valid metric id"),
            "{errs:?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.ends_with("`Jan 2026` is not a month")),
            "{errs:?}"
        );
    }
}
