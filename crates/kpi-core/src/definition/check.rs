//! Reading one definition file into a [`Definition`]: its TOML shape (checked by serde, with
//! spans) and the checks that need only that file (ids, KPI targets, formula syntax,
//! inputs); the `[target]` table is checked by [`crate::target::check`], the examples by
//! [`crate::example`]. A file without `formula` is read as changes to an earlier layer.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use super::{Definition, Kind, formula_location};
use crate::diagnostic::{Diagnostic, Problem};
use crate::direction::Direction;
use crate::example::{self, RawExample};
use crate::formula::{self, Formula};
use crate::input::{Aggregate, InputDecl};
use crate::layers::{self, Layers};
use crate::names::{LIBRARY_PREFIX, is_reserved, is_valid_id, is_valid_input_name};
use crate::shape;
use crate::source::{Location, SourceFile};
use crate::target::Target;
use crate::target::check::{self as target_check, RawTarget};
use crate::translation::{self, RawTranslation};
use crate::unit::Unit;

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
    /// One sentence saying what it measures, for readers: shown in reports, where the longer
    /// `description` is folded away.
    summary: Option<String>,
    /// How to read it, when to act, and why its default target: for the people who tune
    /// it (reports fold it away, Markdown shows it only with `--with-descriptions`).
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
    /// Names, summaries and descriptions in other languages: `[locale.fr]` with `name`,
    /// `summary` and `description`.
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
    /// How it reads in a sentence, for reports: `finance's MRR budget` (`[locale.fr]
    /// inputs` gives it in French).
    name: Option<String>,
    /// What it is.
    description: Option<String>,
    /// Its unit.
    unit: Unit,
    /// The data column (or long-table name) that holds it, when not spelt as the input.
    #[schemars(with = "Option<String>")]
    column: Option<Spanned<String>>,
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
pub(crate) fn parse_definition(file: Arc<SourceFile>) -> Result<Definition, Vec<Diagnostic>> {
    let layers = Layers::new(file);
    let table = layers.table().map_err(|d| vec![d])?;
    check(&layers, table)
}

/// Checks a definition's merged table, shape then meaning; spans are offsets into `layers`.
fn check(layers: &Layers, table: Spanned<DeTable<'_>>) -> Result<Definition, Vec<Diagnostic>> {
    let shape = shape::read::<RawDefinition>(layers, table, REQUIRED);
    match shape.value {
        Some(raw) if shape.problems.is_empty() => check_meaning(layers, raw),
        _ => Err(shape_problems(layers, shape.problems, &shape.table)),
    }
}

/// Shape problems, all of them, and the formula's own: the checks of meaning wait for a
/// definition of the right shape, as a key removed for a bad value would make them say more
/// than is wrong.
fn shape_problems(
    layers: &Layers,
    mut problems: Vec<Diagnostic>,
    table: &Spanned<DeTable<'_>>,
) -> Vec<Diagnostic> {
    let formula = table.get_ref().get("formula").and_then(|f| {
        let text = f.get_ref().as_str()?;
        Some((f.span(), text.to_string()))
    });
    let yes_no = table
        .get_ref()
        .get("unit")
        .and_then(|u| u.get_ref().as_str())
        == Some("boolean");
    if let Some((span, text)) = formula
        && let Err(e) = formula::parse_for(&text, yes_no)
    {
        let at = formula_offset(layers.slice(&span), &span, &text);
        let location = formula_location(layers, at, &e.span);
        problems.push(Diagnostic::error(Problem::Formula(e), Some(location)));
    }
    problems
}

/// Checks the meaning of a definition of the right shape: every problem, or the definition.
fn check_meaning(file: &Layers, raw: RawDefinition) -> Result<Definition, Vec<Diagnostic>> {
    // `Layers` locates offsets as a `SourceFile` does, each in the file that holds it.
    let mut c = Checks {
        file,
        errors: Vec::new(),
    };
    let (id, id_span) = c.id(raw.id);
    let (formula, formula_at) = c.formula(raw.formula, raw.unit);
    let decimals = c.decimals(raw.decimals, raw.unit);
    let direction = c.direction(raw.unit, raw.direction, raw.target.as_ref());
    let target = c.objective(&id, raw.kind, direction, raw.unit, raw.target);
    let inputs = c.inputs(raw.inputs);
    let translations = translation::check(file, raw.locale, &mut c.errors);
    let owner = raw
        .owner
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty());
    let examples = raw
        .examples
        .into_iter()
        .filter_map(|e| example::check(file, e, &mut c.errors))
        .collect();
    match formula {
        Some(formula) if c.errors.is_empty() => Ok(Definition {
            id,
            name: raw.name,
            summary: raw
                .summary
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            description: raw.description,
            category: raw.category,
            kind: raw.kind,
            formula,
            unit: raw.unit,
            decimals,
            direction,
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
        _ => Err(c.errors),
    }
}

/// The checks of meaning of one definition, collecting every problem.
struct Checks<'a> {
    file: &'a Layers,
    errors: Vec<Diagnostic>,
}

impl Checks<'_> {
    fn error(&mut self, problem: Problem, span: Range<usize>) {
        let location = self.file.locate(span.start, span.end);
        self.errors.push(Diagnostic::error(problem, Some(location)));
    }

    /// Where a problem of the whole definition is shown: the file as a whole.
    fn whole_file_error(&mut self, problem: Problem) {
        self.errors
            .push(Diagnostic::error(problem, Some(self.file.whole())));
    }

    /// The id (its `id` key, else the file's name) and where it is written (empty when it
    /// is the file's name).
    fn id(&mut self, raw: Option<Spanned<String>>) -> (String, Range<usize>) {
        let (id, id_span) = match raw {
            Some(id) => (id.get_ref().clone(), id.span()),
            None => (default_id(self.file.base().path()), 0..0),
        };
        if !is_valid_id(&id) {
            self.error(Problem::BadId { id: id.clone() }, id_span.clone());
        } else if is_reserved(&id) {
            let problem = Problem::ReservedName { name: id.clone() };
            self.error(problem, id_span.clone());
        }
        (id, id_span)
    }

    /// The formula, parsed, and where its text starts (see [`formula_offset`]).
    fn formula(&mut self, raw: Spanned<String>, unit: Unit) -> (Option<Formula>, (usize, bool)) {
        let span = raw.span();
        let text = raw.into_inner();
        let at = formula_offset(self.file.slice(&span), &span, &text);
        match formula::parse_for(&text, unit == Unit::Boolean) {
            Ok(f) => (Some(f), at),
            Err(e) => {
                let location = formula_location(self.file, at, &e.span);
                self.errors
                    .push(Diagnostic::error(Problem::Formula(e), Some(location)));
                (None, at)
            }
        }
    }

    /// `decimals`, from 0 to 9, else the unit's default.
    fn decimals(&mut self, raw: Option<Spanned<i64>>, unit: Unit) -> u8 {
        match raw {
            Some(d) if !(0..=9).contains(d.get_ref()) => {
                self.error(Problem::BadDecimals, d.span());
                0
            }
            Some(d) => u8::try_from(d.into_inner()).expect("checked to be 0 to 9"),
            None => unit.default_decimals(),
        }
    }

    /// The objective: the `[target]` table, checked, and the keys a KPI or a target needs.
    /// The direction: as written, or for a yes/no metric as its target says (`value = true`:
    /// yes is good); a written direction that says the opposite is an error.
    fn direction(
        &mut self,
        unit: Unit,
        written: Option<Direction>,
        target: Option<&Spanned<RawTarget>>,
    ) -> Option<Direction> {
        let implied = target
            .filter(|_| unit == Unit::Boolean)
            .and_then(|t| target_check::yes_no_direction(t.get_ref()));
        match (written, implied) {
            (Some(written), Some(implied)) if written != implied => {
                self.whole_file_error(Problem::YesNoDirection { direction: written });
                Some(written)
            }
            (written, implied) => written.or(implied),
        }
    }

    fn objective(
        &mut self,
        id: &str,
        kind: Kind,
        direction: Option<Direction>,
        unit: Unit,
        raw: Option<Spanned<RawTarget>>,
    ) -> Option<Target> {
        let has_target = raw.is_some();
        let yes_no = unit == Unit::Boolean;
        let target = raw
            .and_then(|t| target_check::check(self.file, t, direction, yes_no, &mut self.errors));
        let id = || id.to_string();
        if kind == Kind::Kpi && !has_target {
            self.whole_file_error(Problem::KpiWithoutTarget { id: id() });
        }
        if direction.is_none() {
            if kind == Kind::Kpi {
                self.whole_file_error(Problem::KpiWithoutDirection { id: id() });
            } else if has_target {
                self.whole_file_error(Problem::TargetWithoutDirection { id: id() });
            }
        }
        target
    }

    /// The inputs the file declares, each located at its `[inputs.<name>]` header.
    fn inputs(
        &mut self,
        raw: BTreeMap<String, Spanned<RawInput>>,
    ) -> BTreeMap<String, Arc<InputDecl>> {
        // Gathered in order and built at once, a map's nodes are full (inserted one by one,
        // in order, they are half full: 30 MB rather than 17 for 55 000 inputs).
        let mut inputs = Vec::with_capacity(raw.len());
        let mut headers = self.file.headers("[inputs.");
        for (name, decl) in raw {
            let span = decl.span();
            let decl = decl.into_inner();
            if !is_valid_input_name(&name) {
                let problem = Problem::BadInputName { name: name.clone() };
                self.error(problem, span.clone());
            } else if is_reserved(&name) {
                let problem = Problem::ReservedName { name: name.clone() };
                self.error(problem, span.clone());
            }
            let declared = headers
                .find(span.start, &name)
                .unwrap_or_else(|| self.file.spot(span.start, span.end));
            // Layered files move each file's spans apart, so this is the file that wrote it.
            let column = decl.column.filter(|c| !c.get_ref().trim().is_empty());
            let column_written = column
                .as_ref()
                .map(|c| self.file.spot(c.span().start, c.span().end));
            inputs.push((
                name,
                Arc::new(InputDecl {
                    name: decl
                        .name
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty()),
                    description: decl.description,
                    unit: decl.unit,
                    column: column.map(Spanned::into_inner),
                    aggregate: decl.aggregate,
                    declared,
                    column_written,
                }),
            ));
        }
        inputs.into_iter().collect()
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
