//! The dependency graph of a catalog's metrics: which metrics each formula uses, a
//! topological evaluation order, the cycles (of formulas, and of targets that follow a series
//! depending on the metric they judge), and the names a metric reads through the graph.

use std::collections::BTreeSet;

use super::{Catalog, NameRef};
use crate::diagnostic::{Diagnostic, Diagnostics, Problem};
use crate::example::spelling;
use crate::suggest::closest;

impl Catalog {
    /// The metrics each metric's formula uses (`prev` included), sorted, by metric index.
    fn metric_dependencies(&self) -> Vec<Vec<usize>> {
        self.metrics
            .iter()
            .map(|m| {
                let mut d: Vec<usize> = m
                    .formula
                    .references
                    .iter()
                    .filter_map(|r| self.index.get(&r.name).copied())
                    .collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect()
    }

    /// No target follows a series that depends on the metric it judges (the target would
    /// move with the value). `order` lists dependencies first. Each batch of 64 metrics whose
    /// targets name metrics costs one pass over the dependency graph: a bit per metric of
    /// the batch says which of them each metric depends on.
    pub(super) fn check_target_cycles(&self, order: &[usize], diagnostics: &mut Diagnostics) {
        // (the metric whose target it is, the series metric, where it is named)
        let mut named = Vec::new();
        for (m, metric) in self.metrics.iter().enumerate() {
            for series in metric.target.iter().flat_map(|t| &t.series) {
                if let Some(NameRef::Metric(i)) = self.resolve(&series.name) {
                    named.push((m, i.get(), &series.location));
                }
            }
        }
        if named.is_empty() {
            return;
        }
        let deps = self.metric_dependencies();
        // `named` lists metrics in index order: one group per metric whose target names one.
        let groups: Vec<_> = named.chunk_by(|a, b| a.0 == b.0).collect();
        let mut bits = vec![0u64; self.metrics.len()];
        for batch in groups.chunks(64) {
            let mut own = vec![0u64; self.metrics.len()];
            for (b, group) in batch.iter().enumerate() {
                own[group[0].0] = 1 << b;
            }
            for &x in order {
                bits[x] = deps[x].iter().fold(own[x], |acc, &y| acc | bits[y]);
            }
            for (b, group) in batch.iter().enumerate() {
                let bit = 1u64 << b;
                for &(m, i, location) in *group {
                    if bits[i] & bit == 0 {
                        continue;
                    }
                    // From the series down to the metric, through metrics that depend on it.
                    let mut chain = vec![self.metrics[i].id.clone()];
                    let mut at = i;
                    while at != m {
                        at = if deps[at].binary_search(&m).is_ok() {
                            m
                        } else {
                            deps[at]
                                .iter()
                                .copied()
                                .find(|&y| bits[y] & bit != 0)
                                .expect("a metric depending on `m` uses one that does")
                        };
                        chain.push(self.metrics[at].id.clone());
                    }
                    diagnostics.push(Diagnostic::error(
                        Problem::TargetCycle {
                            metric: self.metrics[m].id.clone(),
                            chain,
                        },
                        Some(location.clone()),
                    ));
                }
            }
        }
    }

    /// A topological order of the metrics, or one diagnostic per cycle. Iterative, so that a
    /// long chain of definitions cannot overflow the stack.
    pub(super) fn dependency_order(&self) -> Result<Vec<usize>, Vec<Diagnostic>> {
        let deps = self.metric_dependencies();
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut mark = vec![Mark::New; self.metrics.len()];
        let mut order = Vec::with_capacity(self.metrics.len());
        let mut cycles = Vec::new();
        for root in 0..self.metrics.len() {
            if mark[root] != Mark::New {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            mark[root] = Mark::Open;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = deps[node].get(*next) {
                    *next += 1;
                    match mark[dep] {
                        Mark::New => {
                            mark[dep] = Mark::Open;
                            stack.push((dep, 0));
                        }
                        Mark::Open => {
                            let from = stack.iter().position(|&(n, _)| n == dep).unwrap_or(0);
                            let mut cycle: Vec<String> = stack[from..]
                                .iter()
                                .map(|&(n, _)| self.metrics[n].id.clone())
                                .collect();
                            cycle.push(self.metrics[dep].id.clone());
                            let at = &self.metrics[node];
                            let span = at
                                .formula
                                .references
                                .iter()
                                .find(|r| r.name == self.metrics[dep].id)
                                .map_or(0..0, |r| r.name_span.clone());
                            cycles.push(Diagnostic::error(
                                Problem::Cycle { cycle },
                                Some(at.formula_location(&span)),
                            ));
                        }
                        Mark::Done => {}
                    }
                } else {
                    mark[node] = Mark::Done;
                    order.push(node);
                    stack.pop();
                }
            }
        }
        if cycles.is_empty() {
            Ok(order)
        } else {
            Err(cycles)
        }
    }
}

/// Checks that every name the examples of the catalog's metrics give is one the metric
/// reads, directly or through the metrics it uses.
///
/// A formula that reads a name nothing defines (a misspelling) already has its error, at the
/// formula: what it meant to read is not known, so an example giving a name that an input or a
/// metric does define is not blamed for missing from it (it is most likely the right name),
/// and no example is told to copy the misspelling.
pub(super) fn check_example_names(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for metric in catalog.metrics() {
        if metric.examples.is_empty() {
            continue;
        }
        let used = names_used(catalog, &metric.id);
        let complete = used.iter().all(|name| catalog.resolve(name).is_some());
        let known = || {
            used.iter()
                .map(String::as_str)
                .filter(|name| catalog.resolve(name).is_some())
        };
        for example in &metric.examples {
            for given in &example.given {
                let name = given.name.as_str();
                if used.contains(name) || (!complete && catalog.resolve(name).is_some()) {
                    continue;
                }
                diagnostics.push(Diagnostic::error(
                    Problem::UnknownExampleName {
                        metric: metric.id.clone(),
                        name: given.spelling(),
                        suggestion: closest(name, known()).map(|s| spelling(&s, given.months)),
                    },
                    Some(given.location.clone()),
                ));
            }
        }
    }
    diagnostics
}

/// Every name that `id`'s formula reads, directly or through other metrics, names nothing
/// defines included.
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
