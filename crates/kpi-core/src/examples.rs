//! Examples inside definitions (`[[examples]]`): inputs given by hand and the value the
//! formula must give for them, checked by `kpi test`.
//!
//! An example gives inputs, `prev(name)` / `prev(name, k)` values and, optionally, the values
//! of metrics the formula uses (taken as given; otherwise computed from the example's own
//! inputs). Evaluation follows the rules of monthly evaluation ([`crate::eval::walk`]); a name
//! the example does not give has no value.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::catalog::{Catalog, NameRef};
use crate::diagnostic::{Diagnostic, Problem};
use crate::eval::{Cell, Reason, walk};
use crate::limits::{MAX_DATA_MONTHS, MAX_PREV_MONTHS};
use crate::source::Location;
use crate::suggest::closest;

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

fn spelling(name: &str, months: u32) -> String {
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
    let is_name = |s: &str| crate::definition::is_valid_input_name(s);
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

/// Checks that every name the examples of the catalog's metrics give is one the metric
/// reads, directly or through the metrics it uses.
pub(crate) fn check_names(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for metric in catalog.metrics() {
        if metric.examples.is_empty() {
            continue;
        }
        let used = names_used(catalog, &metric.id);
        for example in &metric.examples {
            for given in &example.given {
                if used.contains(given.name.as_str()) {
                    continue;
                }
                diagnostics.push(Diagnostic::error(
                    Problem::UnknownExampleName {
                        metric: metric.id.clone(),
                        name: given.spelling(),
                        suggestion: closest(&given.name, used.iter().map(String::as_str))
                            .map(|s| spelling(&s, given.months)),
                    },
                    Some(given.location.clone()),
                ));
            }
        }
    }
    diagnostics
}

/// Every input and metric that `id`'s formula reads, directly or through other metrics.
fn names_used(catalog: &Catalog, id: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut todo = vec![id.to_string()];
    while let Some(id) = todo.pop() {
        let Some(metric) = catalog.metric(&id) else {
            continue;
        };
        for reference in &metric.formula.references {
            if used.insert(reference.name.clone()) {
                todo.push(reference.name.clone());
            }
        }
    }
    used
}

/// The result of one example.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The metric.
    pub metric: String,
    /// The example's number among the metric's examples, from 1.
    pub number: usize,
    /// Where the example is.
    pub location: Location,
    /// What it expects.
    pub expect: Expect,
    /// What the formula gives.
    pub actual: Cell,
    /// Whether the two agree.
    pub passed: bool,
    /// On failure, the formula, `=`, and the formula with every name replaced by its value
    /// in the example (`?` for none): `a / b = 6 / 0`.
    pub substituted: String,
}

/// Runs every example of every metric, in metric order.
pub fn run(catalog: &Catalog) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for (m, metric) in catalog.metrics().iter().enumerate() {
        for (i, example) in metric.examples.iter().enumerate() {
            let mut values = Values::new(catalog, example);
            let actual = values.metric(m, 0);
            let passed = agrees(example, &actual);
            let substituted = if passed {
                String::new()
            } else {
                values.substitute(m)
            };
            outcomes.push(Outcome {
                metric: metric.id.clone(),
                number: i + 1,
                location: example.location.clone(),
                expect: example.expect,
                actual,
                passed,
                substituted,
            });
        }
    }
    outcomes
}

fn agrees(example: &Example, actual: &Cell) -> bool {
    match (example.expect, actual) {
        (Expect::NoValue, Err(_)) => true,
        (Expect::Value(expected), Ok(v)) => match example.tolerance {
            Some(tolerance) => (v - expected).abs() <= tolerance,
            None => {
                v == &expected
                    || (v - expected).abs() <= RELATIVE_TOLERANCE * v.abs().max(expected.abs())
            }
        },
        _ => false,
    }
}

/// The values of one example: those given, and the metrics computed from them, memoised by
/// metric and months back.
struct Values<'a> {
    catalog: &'a Catalog,
    given: HashMap<(&'a str, u32), f64>,
    computed: HashMap<(usize, u32), Cell>,
}

impl<'a> Values<'a> {
    fn new(catalog: &'a Catalog, example: &'a Example) -> Self {
        let given = example
            .given
            .iter()
            .map(|g| ((g.name.as_str(), g.months), g.value))
            .collect();
        Values {
            catalog,
            given,
            computed: HashMap::new(),
        }
    }

    /// The value of metric `m`, `back` months earlier. Metrics it uses are computed first,
    /// with an explicit stack rather than recursion, so that a long chain of definitions
    /// cannot overflow the stack.
    fn metric(&mut self, m: usize, back: u32) -> Cell {
        let mut stack = vec![(m, back)];
        while let Some(&(m, back)) = stack.last() {
            if self.computed.contains_key(&(m, back)) {
                stack.pop();
                continue;
            }
            let before = stack.len();
            for reference in &self.catalog.metrics()[m].formula.references {
                let months = back + reference.months;
                if let Some(NameRef::Metric(d)) = self.catalog.resolve(&reference.name)
                    && !self.given.contains_key(&(reference.name.as_str(), months))
                    && !self.computed.contains_key(&(d, months))
                    && months as usize <= MAX_DATA_MONTHS
                {
                    stack.push((d, months));
                }
            }
            if stack.len() > before {
                continue;
            }
            let cell = walk(&self.catalog.metrics()[m].formula.expr, &mut |name, k| {
                self.lookup(name, back + k)
            });
            self.computed.insert((m, back), cell);
            stack.pop();
        }
        self.computed[&(m, back)].clone()
    }

    /// A name's value `months` back: given, else computed (a metric), else none. Metrics are
    /// computed before they are read (see [`Values::metric`]).
    fn lookup(&self, name: &str, months: u32) -> Cell {
        if let Some(&v) = self.given.get(&(name, months)) {
            return Ok(v);
        }
        match self.catalog.resolve(name) {
            Some(NameRef::Metric(d)) => match self.computed.get(&(d, months)) {
                Some(cell) => cell.clone(),
                None => Err(Reason::NotGiven {
                    name: spelling(name, months),
                }),
            },
            _ => Err(Reason::NotGiven {
                name: spelling(name, months),
            }),
        }
    }

    /// Metric `m`'s formula, `=`, and the formula with each name replaced by its value (`?`
    /// for none).
    fn substitute(&mut self, m: usize) -> String {
        let formula = &self.catalog.metrics()[m].formula;
        let mut out = String::with_capacity(formula.text.len());
        let mut at = 0;
        for reference in &formula.references {
            out.push_str(&formula.text[at..reference.span.start]);
            match self.lookup(&reference.name, reference.months) {
                Ok(v) => {
                    let _ = write!(out, "{v}");
                }
                Err(_) => out.push('?'),
            }
            at = reference.span.end;
        }
        out.push_str(&formula.text[at..]);
        format!("{} = {out}", formula.text)
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
