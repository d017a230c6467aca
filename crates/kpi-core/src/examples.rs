//! Running the examples of definitions (`kpi test`): each example's inputs given by hand,
//! the metrics it uses computed from them, and the value compared with the expected one.
//!
//! An example gives inputs, `prev(name)` / `prev(name, k)` values and, optionally, the values
//! of metrics the formula uses (taken as given; otherwise computed from the example's own
//! inputs). Evaluation follows the rules of monthly evaluation ([`crate::eval::walk`]); a name
//! the example does not give has no value. What an example is lives in [`crate::example`].

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::catalog::{Catalog, NameRef};
use crate::eval::{Cell, Reason, walk};
use crate::example::{Example, Expect, RELATIVE_TOLERANCE, spelling};
use crate::index::MetricIndex;
use crate::limits::MAX_DATA_MONTHS;
use crate::source::Location;

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
    for (m, metric) in catalog.metric_indexes().zip(catalog.metrics()) {
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
    computed: HashMap<(MetricIndex, u32), Cell>,
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
    fn metric(&mut self, m: MetricIndex, back: u32) -> Cell {
        let mut stack = vec![(m, back)];
        while let Some(&(m, back)) = stack.last() {
            if self.computed.contains_key(&(m, back)) {
                stack.pop();
                continue;
            }
            let before = stack.len();
            for reference in &self.catalog.metric_at(m).formula.references {
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
            let cell = walk(&self.catalog.metric_at(m).formula.expr, &mut |name, k| {
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
    fn substitute(&mut self, m: MetricIndex) -> String {
        let formula = &self.catalog.metric_at(m).formula;
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
