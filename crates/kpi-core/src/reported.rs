//! The month a command works on when none is named: the latest month in which a definition
//! has a value computed from data, target series (budgets) aside. The one rule that `kpi
//! eval`, `explain`, `report`, `diff` and `data pull` share.
//!
//! Finance fills a budget to December while actuals stop at October: the latest month of any
//! column would then be a month with nothing to report. A month counts only when a metric that
//! reads actual data has a value in it; a metric reads actual data when its formula reads,
//! directly or through other such metrics, an input that is not a target series. Inputs and
//! metrics named as a target series (`value = "mrr_budget"`) are not followed: a metric used
//! only to judge another is a budget, not an actual.

use std::collections::HashSet;

use crate::catalog::{Catalog, NameRef};
use crate::diagnostic::{Diagnostic, MonthUse, Problem};
use crate::eval::Evaluation;
use crate::index::{MetricIndex, MonthIndex};
use crate::period::Period;

/// The month reported by default, and why later months of the data were passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultMonth {
    /// The month.
    pub period: Period,
    /// Its position in the data's months.
    pub t: MonthIndex,
    /// The latest month of the data, when it is later than `period`, and whether the months
    /// after `period` hold values of target series (rather than only columns nothing reads).
    pub passed_over: Option<(Period, bool)>,
}

impl DefaultMonth {
    /// The note that names the month for a command doing `doing`:
    /// `2026-12 holds only target series; reporting 2026-10`.
    pub fn note(&self, doing: MonthUse) -> Diagnostic {
        Diagnostic::note(
            Problem::DefaultMonth {
                period: self.period,
                passed_over: self.passed_over,
                doing,
            },
            None,
        )
    }
}

/// The names that target series name, across the catalog: inputs or metrics.
fn target_series(catalog: &Catalog) -> HashSet<&str> {
    catalog
        .metrics()
        .iter()
        .filter_map(|m| m.target.as_ref())
        .flat_map(|t| t.series.iter().map(|s| s.name.as_str()))
        .collect()
}

/// For each metric, whether it reads actual data: not a target series itself, and its formula
/// reads an input that is not one, or a metric that reads actual data.
fn reads_actuals(catalog: &Catalog, series: &HashSet<&str>) -> Vec<bool> {
    let metrics = catalog.metrics();
    let mut actual = vec![false; metrics.len()];
    // Dependencies come first in the evaluation order (`prev` included: no cycle is allowed).
    for m in catalog.evaluation_order() {
        let metric = catalog.metric_at(m);
        if series.contains(metric.id.as_str()) {
            continue;
        }
        actual[m.get()] = metric.formula.references.iter().any(|r| {
            !series.contains(r.name.as_str())
                && match catalog.resolve(&r.name) {
                    Some(NameRef::Input(_)) => true,
                    Some(NameRef::Metric(d)) => actual[d.get()],
                    None => false,
                }
        });
    }
    actual
}

/// The month reported by default in an evaluation: the latest month in which a metric that
/// reads actual data has a value; when no month has one, the latest month in the data.
pub fn default_month(e: &Evaluation<'_>) -> DefaultMonth {
    let catalog = e.catalog();
    let data = e.data();
    let series = target_series(catalog);
    let actual = reads_actuals(catalog, &series);
    let last = data
        .month_indexes()
        .rev()
        .find(|&t| data.is_present(t))
        .expect("loaded data holds a month");
    let first = MonthIndex::new(0);
    let with_actuals = first.through(last).rev().find(|&t| {
        data.is_present(t)
            && catalog
                .metric_indexes()
                .any(|m: MetricIndex| actual[m.get()] && e.value(m, t).is_some())
    });
    let t = with_actuals.unwrap_or(last);
    let passed_over = (t < last).then(|| {
        let targets = t
            .through(last)
            .skip(1)
            .any(|later| series.iter().any(|name| e.lookup(name, later, 0).is_ok()));
        (data.month(last), targets)
    });
    DefaultMonth {
        period: data.month(t),
        t,
        passed_over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::diagnostic::Diagnostics;
    use crate::eval::evaluate;
    use crate::source::SourceFile;

    /// `mrr` (a KPI judged against the input `budget`), `gap` (reads both) and `plan` (a
    /// metric of the budget alone, itself the target series of `other`).
    fn catalog() -> Catalog {
        let kpi = |id: &str, formula: &str, series: &str, inputs: &str| {
            SourceFile::new(
                format!("d/{id}.toml"),
                format!(
                    "name = \"N\"\ncategory = \"c\"\nkind = \"kpi\"\nunit = \"count\"\n\
                     formula = \"{formula}\"\ndirection = \"higher_is_better\"\n\
                     [target]\nvalue = \"{series}\"\n{inputs}"
                ),
            )
        };
        let files = vec![
            kpi(
                "mrr",
                "actual",
                "budget",
                "[inputs.actual]\nunit = \"count\"\n[inputs.budget]\nunit = \"count\"\n",
            ),
            kpi("other", "actual * 2", "plan", ""),
            SourceFile::new(
                "d/plan.toml",
                "name = \"P\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"budget * 2\"\n",
            ),
            SourceFile::new(
                "d/gap.toml",
                "name = \"G\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"actual - budget\"\n",
            ),
        ];
        Catalog::from_layers(vec![files], Diagnostics::default()).unwrap()
    }

    fn month_of(csv: &str) -> DefaultMonth {
        let catalog = catalog();
        let data = Dataset::from_files(&[SourceFile::new("x.csv", csv)]).unwrap();
        default_month(&evaluate(&catalog, &data))
    }

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    #[test]
    fn months_holding_only_target_series_do_not_count() {
        // Actuals to October, the budget to December.
        let month =
            month_of("period,actual,budget\n2026-09,1,2\n2026-10,3,4\n2026-11,,5\n2026-12,,6\n");
        assert_eq!(month.period, p("2026-10"));
        assert_eq!(month.t, MonthIndex::new(1));
        assert_eq!(month.passed_over, Some((p("2026-12"), true)));
    }

    #[test]
    fn the_latest_month_when_it_holds_actuals() {
        let month = month_of("period,actual,budget\n2026-09,1,2\n2026-10,3,\n");
        assert_eq!(month.period, p("2026-10"));
        assert_eq!(month.passed_over, None);
    }

    #[test]
    fn a_later_row_without_any_read_value_is_passed_over_and_said_so() {
        let month = month_of("period,actual,budget\n2026-09,1,2\n2026-10,,\n");
        assert_eq!(month.period, p("2026-09"));
        assert_eq!(month.passed_over, Some((p("2026-10"), false)));
    }

    #[test]
    fn without_any_actual_the_latest_month_in_the_data() {
        let month = month_of("period,actual,budget\n2026-09,,2\n2026-10,,4\n");
        assert_eq!(month.period, p("2026-10"));
        assert_eq!(month.passed_over, None);
    }

    #[test]
    fn the_note_names_both_months() {
        let month = month_of("period,actual,budget\n2026-10,3,4\n2026-11,,5\n2026-12,,6\n");
        assert_eq!(
            month.note(MonthUse::Evaluate).to_string(),
            "2026-12 holds only target series; reporting 2026-10"
        );
    }
}
