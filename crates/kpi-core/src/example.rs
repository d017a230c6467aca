//! What an example is (`[[examples]]` of a definition): inputs given by hand and the value the
//! formula must give for them, read and checked with the definition. Running them is
//! [`crate::examples`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Problem};
use crate::layers::Layers;
use crate::limits::MAX_PREV_MONTHS;
use crate::names::is_valid_input_name;
use crate::source::{Location, SameMeaning};

/// Relative difference within which a computed value equals the expected one, when the
/// example gives no `tolerance`: what floating point leaves of decimal arithmetic.
pub const RELATIVE_TOLERANCE: f64 = 1e-9;

/// One `[[examples]]` entry of a definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The values given, in the order of their keys.
    pub given: Vec<Given>,
    /// What the formula must give.
    pub expect: Expect,
    /// The largest accepted absolute difference, instead of [`RELATIVE_TOLERANCE`].
    pub tolerance: Option<f64>,
    /// Where the example is.
    pub location: Location,
}

/// A value an example gives: an input or a metric, this month or `months` months earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The input or metric.
    pub name: String,
    /// How many months back (0 for this month).
    pub months: u32,
    /// The value.
    pub value: f64,
    /// Where the key is.
    pub location: Location,
}

/// What an example expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// This value.
    Value(f64),
    /// No value (a division by zero, a missing input...).
    NoValue,
}

impl Given {
    /// The name as an example (and a formula) spells it: `mrr`, `prev(mrr)`, `prev(mrr, 2)`.
    pub fn spelling(&self) -> String {
        spelling(&self.name, self.months)
    }
}

pub(crate) fn spelling(name: &str, months: u32) -> String {
    match months {
        0 => name.to_string(),
        1 => format!("prev({name})"),
        k => format!("prev({name}, {k})"),
    }
}

/// Reads a key of an example's `inputs`: `name`, `prev(name)` or `prev(name, k)` with `k`
/// from 1 to [`MAX_PREV_MONTHS`]; `None` when it is none of them.
pub fn parse_key(key: &str) -> Option<(String, u32)> {
    let key = key.trim();
    let is_name = is_valid_input_name;
    if is_name(key) {
        return Some((key.to_string(), 0));
    }
    let inner = key.strip_prefix("prev")?.trim_start();
    let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
    let (name, months) = match inner.split_once(',') {
        Some((name, k)) => (name.trim(), k.trim().parse::<u32>().ok()?),
        None => (inner.trim(), 1),
    };
    (is_name(name) && (1..=MAX_PREV_MONTHS).contains(&months)).then(|| (name.to_string(), months))
}

/// An example: inputs set by hand and the value the formula must give for them.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExample {
    /// Inputs, `prev(name)` / `prev(name, k)` spelt as in the formula, or ids of metrics the
    /// formula uses (then taken as given), each with its value.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    inputs: BTreeMap<Spanned<String>, Spanned<f64>>,
    /// A number (equal within 1e-9 relative, or `tolerance`) or "no value".
    #[schemars(with = "Expectation")]
    expect: Spanned<toml::Value>,
    /// The largest accepted difference from `expect`.
    #[schemars(with = "Option<f64>", range(min = 0))]
    tolerance: Option<Spanned<f64>>,
}

/// What an example expects: a number or `"no value"`.
pub(crate) struct Expectation;

impl JsonSchema for Expectation {
    fn schema_name() -> Cow<'static, str> {
        "Expectation".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "The value the formula must give for these inputs, or \"no value\" \
                (a division by zero, an input missing).",
            "anyOf": [{"type": "number"}, {"const": "no value"}]
        })
    }
}

/// One `[[examples]]` entry: keys spelt as in formulas, `expect` a number or `"no value"`.
pub(crate) fn check(
    file: &Layers,
    raw: Spanned<RawExample>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Example> {
    let at = |span: Range<usize>| file.locate(span.start, span.end);
    let before = errors.len();
    let location = at(raw.span());
    let raw = raw.into_inner();
    let mut given = Vec::new();
    for (key, value) in raw.inputs {
        let location = at(key.span());
        match parse_key(key.get_ref()) {
            Some((name, months)) => given.push(Given {
                name,
                months,
                value: *value.get_ref(),
                location,
            }),
            None => errors.push(Diagnostic::error(
                Problem::BadExampleKey {
                    key: key.into_inner(),
                },
                Some(location),
            )),
        }
    }
    let expect = match raw.expect.get_ref() {
        toml::Value::Integer(i) => Some(Expect::Value(*i as f64)),
        toml::Value::Float(f) if f.is_finite() => Some(Expect::Value(*f)),
        toml::Value::String(s) if s == "no value" => Some(Expect::NoValue),
        _ => {
            errors.push(Diagnostic::error(
                Problem::BadExpect,
                Some(at(raw.expect.span())),
            ));
            None
        }
    };
    let tolerance = match raw.tolerance {
        Some(t) if !(t.get_ref().is_finite() && *t.get_ref() >= 0.0) => {
            errors.push(Diagnostic::error(Problem::BadTolerance, Some(at(t.span()))));
            None
        }
        t => t.map(Spanned::into_inner),
    };
    (errors.len() == before).then(|| Example {
        given,
        expect: expect.expect("checked above"),
        tolerance,
        location,
    })
}

impl SameMeaning for Given {
    /// The name, months back and value, not where the key is.
    fn same_meaning(&self, other: &Self) -> bool {
        (&self.name, self.months, self.value) == (&other.name, other.months, other.value)
    }
}

impl SameMeaning for Example {
    /// The values given (in order of their keys), the expectation and the tolerance.
    fn same_meaning(&self, other: &Self) -> bool {
        self.expect == other.expect
            && self.tolerance == other.tolerance
            && self.given.same_meaning(&other.given)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_key;

    #[test]
    fn keys_are_spelt_as_in_formulas() {
        assert_eq!(parse_key("mrr"), Some(("mrr".into(), 0)));
        assert_eq!(parse_key("prev(mrr)"), Some(("mrr".into(), 1)));
        assert_eq!(parse_key("prev( mrr , 12 )"), Some(("mrr".into(), 12)));
        assert_eq!(parse_key("prev(mrr, 0)"), None);
        assert_eq!(parse_key("prev(mrr, 121)"), None);
        assert_eq!(parse_key("prev(mrr"), None);
        assert_eq!(parse_key("mrr + 1"), None);
    }
}
