//! Evaluation of every metric over every month.
//!
//! Each metric's compiled program ([`crate::compile`], built when the catalog is loaded) runs
//! column-wise, in dependency order: one pass over all months per instruction, on contiguous
//! `f64` arrays, with NaN for "no value".
//!
//! Why a value is missing is worked out only when asked ([`Evaluation::reason`]), by a plain
//! tree-walking evaluation of the one cell ([`Evaluation::eval_cell`]), which follows the same
//! rules and is the reference the compiled form is tested against.

use std::fmt;

use crate::catalog::{Catalog, NameRef};
use crate::compile::{Columns, run};
use crate::data::Dataset;
use crate::data::rollup::{Gap, Grain};
use crate::formula::{BinOp, Expr, Numeric, Reference, UnOp};
use crate::index::{MetricIndex, MonthIndex};
use crate::period::Period;
use crate::target::{InForce, Judgement, Level, PaceLine};

/// Why a metric has no value for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No data file holds this month (or `prev` reaches before the data starts).
    NoData {
        /// The month (the last month of a quarter or a year).
        period: Period,
        /// The length of the periods evaluated.
        grain: Grain,
    },
    /// No data source has a column for the input.
    NoColumn {
        /// The input.
        input: String,
    },
    /// An input cell is empty.
    MissingInput {
        /// The input.
        input: String,
        /// The month.
        period: Period,
    },
    /// An input cell is a spreadsheet's error cell (`#DIV/0!`).
    ErrorCell {
        /// The input.
        input: String,
        /// The month.
        period: Period,
        /// Where the cell is and its error: `suivi.xlsx:KPI!D4 `#DIV/0!``.
        cell: String,
    },
    /// A metric used by the formula has no value.
    Dependency {
        /// The metric used.
        metric: String,
        /// The month (the last month of a quarter or a year).
        period: Period,
        /// The length of the periods evaluated.
        grain: Grain,
    },
    /// An input of a longer period (a quarter, a year) that declares no `aggregate`.
    NoAggregate {
        /// The input.
        input: String,
    },
    /// An input of a longer period without a value in one of its months.
    MonthMissing {
        /// The input.
        input: String,
        /// The month without a value.
        month: Period,
    },
    /// A division (or remainder) by zero.
    DivisionByZero,
    /// A name an example of a definition does not give (`kpi test`).
    NotGiven {
        /// The name as an example spells it: `mrr`, `prev(mrr)` or `prev(mrr, 2)`.
        name: String,
    },
    /// An operation without a finite result: `sqrt` of a negative number, `ln` of zero,
    /// an overflow.
    NotFinite {
        /// The operation.
        operation: &'static str,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoData { period, grain } => write!(f, "no data for {}", grain.label(*period)),
            Reason::NoColumn { input } => write!(f, "no data column for input `{input}`"),
            Reason::MissingInput { input, period } => {
                write!(f, "input `{input}` has no value for {period}")
            }
            Reason::ErrorCell {
                input,
                period,
                cell,
            } => write!(
                f,
                "input `{input}` has no value for {period}: the cell {cell}"
            ),
            Reason::Dependency {
                metric,
                period,
                grain,
            } => {
                write!(f, "`{metric}` has no value for {}", grain.label(*period))
            }
            Reason::NotGiven { name } => write!(f, "`{name}` is not given"),
            Reason::NoAggregate { input } => write!(
                f,
                "input `{input}` has no `aggregate`: say how months combine"
            ),
            Reason::MonthMissing { input, month } => {
                write!(
                    f,
                    "input `{input}` has no value for {month}, a month of the period"
                )
            }
            Reason::DivisionByZero => f.write_str("division by zero"),
            Reason::NotFinite { operation } => {
                write!(f, "`{operation}` has no finite result")
            }
        }
    }
}

/// The values of every metric for every month of a dataset.
#[derive(Debug)]
pub struct Evaluation<'a> {
    catalog: &'a Catalog,
    data: &'a Dataset,
    /// Input columns in catalog order, borrowed from the data (NaN where a cell is empty);
    /// `None` for an input the data has no column for.
    inputs: Vec<Option<&'a [f64]>>,
    /// Metric values, metric-major: `values[m * months + t]`, NaN for no value.
    values: Vec<f64>,
}

/// Evaluates every metric of `catalog` over every month of `data`.
pub fn evaluate<'a>(catalog: &'a Catalog, data: &'a Dataset) -> Evaluation<'a> {
    let months = data.months().len();
    let inputs: Vec<Option<&[f64]>> = catalog
        .inputs()
        .iter()
        .map(|(name, _)| data.column(name))
        .collect();
    let absent = vec![f64::NAN; months];
    let columns_of_inputs: Vec<&[f64]> = inputs.iter().map(|c| c.unwrap_or(&absent)).collect();
    let mut values = vec![f64::NAN; catalog.metrics().len() * months];
    let registers_needed = catalog.programs().iter().map(|p| p.registers).max();
    let mut registers = vec![vec![f64::NAN; months]; registers_needed.unwrap_or(0)];
    let mut result = vec![f64::NAN; months];
    for m in catalog.evaluation_order().map(MetricIndex::get) {
        let program = &catalog.programs()[m];
        let columns = Columns {
            inputs: &columns_of_inputs,
            values: &values,
            months,
        };
        run(program, &columns, &mut registers);
        for ((slot, &v), &present) in result
            .iter_mut()
            .zip(columns.result(&registers, program))
            .zip(data.present())
        {
            *slot = if present { v } else { f64::NAN };
        }
        values[m * months..(m + 1) * months].copy_from_slice(&result);
    }
    Evaluation {
        catalog,
        data,
        inputs,
        values,
    }
}

/// A value or why there is none.
pub type Cell = Result<f64, Reason>;

impl Evaluation<'_> {
    /// The catalog evaluated.
    pub fn catalog(&self) -> &Catalog {
        self.catalog
    }

    /// The data evaluated.
    pub fn data(&self) -> &Dataset {
        self.data
    }

    /// The months evaluated, consecutive.
    pub fn months(&self) -> &[Period] {
        self.data.months()
    }

    /// The value of metric `m` in month `t`, if it has one.
    pub fn value(&self, m: MetricIndex, t: MonthIndex) -> Option<f64> {
        let v = self.values[m.get() * self.months().len() + t.get()];
        (!v.is_nan()).then_some(v)
    }

    /// All values of metric `m`, one per month, NaN where there is none.
    pub fn column(&self, m: MetricIndex) -> &[f64] {
        let n = self.months().len();
        &self.values[m.get() * n..(m.get() + 1) * n]
    }

    /// The value of metric `m` in month `t`, or why there is none.
    pub fn cell(&self, m: MetricIndex, t: MonthIndex) -> Cell {
        match self.value(m, t) {
            Some(v) => Ok(v),
            None => Err(self.reason(m, t)),
        }
    }

    /// Why metric `m` has no value in month `t` (meaningful only when it has none).
    pub fn reason(&self, m: MetricIndex, t: MonthIndex) -> Reason {
        match self.eval_cell(m, t) {
            Err(reason) => reason,
            // Only reached if the two evaluations disagree, which the tests rule out.
            Ok(_) => Reason::NotFinite {
                operation: "formula",
            },
        }
    }

    /// The target in force for metric `m` in month `t`, a series read for that month; none
    /// for a metric without target (or before the first entry of a schedule without
    /// `value`).
    pub fn target(&self, m: MetricIndex, t: MonthIndex) -> Option<InForce<'_>> {
        let rule = self.catalog.metric_at(m).target_at(self.data.month(t))?;
        Some(rule.resolve(|name| self.lookup(name, t, 0).ok()))
    }

    /// Metric `m`'s value in month `t` judged against the target in force then: value,
    /// target and status, as every view of a month shows them.
    pub fn judge(&self, m: MetricIndex, t: MonthIndex) -> Judgement<'_> {
        Judgement::new(self.value(m, t), self.target(m, t))
    }

    /// The line from metric `m`'s baseline to the target in force at its deadline (without a
    /// deadline, the target in force in month `t`), when its target has a baseline and that
    /// target is a number (a series has one only at a deadline within the data).
    pub fn pace_line(&self, m: MetricIndex, t: MonthIndex) -> Option<PaceLine> {
        let metric = self.catalog.metric_at(m);
        let target = metric.target.as_ref()?;
        let (when, at) = match target.deadline {
            Some(deadline) => (deadline, self.data.month_index(deadline)),
            None => (self.data.month(t), Some(t)),
        };
        let rule = metric.target_at(when)?;
        let goal = rule.resolve(|name| self.lookup(name, at?, 0).ok()).value?;
        match goal {
            Level::Number(goal) => target.pace_line(goal, rule.direction),
            Level::Range(..) => None,
        }
    }

    /// The value of an input or metric `months_back` months before month `t`.
    pub fn lookup(&self, name: &str, t: MonthIndex, months_back: u32) -> Cell {
        let resolved = self
            .catalog
            .resolve(name)
            .expect("names are resolved at load time");
        self.lookup_resolved(name, resolved, t, months_back)
    }

    /// [`Evaluation::lookup`] of a name already resolved (`resolved`: what `name` refers to),
    /// for callers that read one name in several months.
    pub(crate) fn lookup_resolved(
        &self,
        name: &str,
        resolved: NameRef,
        t: MonthIndex,
        months_back: u32,
    ) -> Cell {
        let earlier = t.back(months_back as usize);
        let period_of = |i: Option<MonthIndex>| match i {
            Some(i) => self.data.month(i),
            None => self
                .data
                .month(t)
                .add_months(-i64::from(months_back) * i64::from(self.data.grain().months()))
                .unwrap_or(self.months()[0]),
        };
        let Some(i) = earlier.filter(|&i| self.data.is_present(i)) else {
            return Err(Reason::NoData {
                period: period_of(earlier),
                grain: self.data.grain(),
            });
        };
        let period = self.data.month(i);
        match resolved {
            NameRef::Input(k) => {
                let Some(column) = self.inputs[k] else {
                    return Err(Reason::NoColumn {
                        input: name.to_string(),
                    });
                };
                let v = column[i.get()];
                if v.is_nan() {
                    Err(
                        match (self.data.error_cell(name, i), self.data.gap(name, i.get())) {
                            (Some(cell), _) => Reason::ErrorCell {
                                input: name.to_string(),
                                period,
                                cell: cell.to_string(),
                            },
                            (None, Some(Gap::NoAggregate)) => Reason::NoAggregate {
                                input: name.to_string(),
                            },
                            (None, Some(Gap::Month(month))) => Reason::MonthMissing {
                                input: name.to_string(),
                                month: *month,
                            },
                            (None, None) => Reason::MissingInput {
                                input: name.to_string(),
                                period,
                            },
                        },
                    )
                } else {
                    Ok(v)
                }
            }
            NameRef::Metric(m) => self.value(m, i).ok_or_else(|| Reason::Dependency {
                metric: name.to_string(),
                period,
                grain: self.data.grain(),
            }),
        }
    }

    /// The formula of metric `m` with every input and metric it reads replaced by `show`'s
    /// text for that value in month `t` (for `kpi explain` and report details).
    pub fn substitute(
        &self,
        m: MetricIndex,
        t: MonthIndex,
        mut show: impl FnMut(&Reference, &Cell) -> String,
    ) -> String {
        let formula = &self.catalog.metric_at(m).formula;
        let mut out = String::with_capacity(formula.text.len());
        let mut at = 0;
        for reference in &formula.references {
            out.push_str(&formula.text[at..reference.span.start]);
            let cell = self.lookup(&reference.name, t, reference.months);
            out.push_str(&show(reference, &cell));
            at = reference.span.end;
        }
        out.push_str(&formula.text[at..]);
        out
    }

    /// Evaluates one cell by walking the formula's tree, with the same rules as the compiled
    /// form: the first missing operand (in text order) or failing operation gives the reason.
    pub fn eval_cell(&self, m: MetricIndex, t: MonthIndex) -> Cell {
        if !self.data.is_present(t) {
            return Err(Reason::NoData {
                period: self.data.month(t),
                grain: self.data.grain(),
            });
        }
        self.eval_expr(&self.catalog.metric_at(m).formula.expr, t)
    }

    fn eval_expr(&self, expr: &Expr, t: MonthIndex) -> Cell {
        walk(expr, &mut |name, months| self.lookup(name, t, months))
    }
}

/// Evaluates `expr` by walking its tree, reading names through `lookup` (the name and how
/// many months back). Shared by [`Evaluation::eval_cell`] and the examples of definitions
/// ([`crate::examples`]), so that both follow the same rules.
pub(crate) fn walk(expr: &Expr, lookup: &mut dyn FnMut(&str, u32) -> Cell) -> Cell {
    let not_finite = |operation: &'static str, x: f64| {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Reason::NotFinite { operation })
        }
    };
    match expr {
        Expr::Num(v) => Ok(*v),
        Expr::Bool(b) => Ok(f64::from(u8::from(*b))),
        Expr::Name { name, .. } => lookup(name, 0),
        Expr::Prev { name, months, .. } => lookup(name, *months),
        Expr::Unary(UnOp::Neg, a) => Ok(-walk(a, lookup)?),
        Expr::Unary(UnOp::Not, a) => Ok(f64::from(u8::from(walk(a, lookup)? == 0.0))),
        Expr::Binary(op, a, b) => {
            let x = walk(a, lookup)?;
            let y = walk(b, lookup)?;
            if op.divides() && y == 0.0 {
                return Err(Reason::DivisionByZero);
            }
            not_finite(op_name(*op), op.apply(x, y))
        }
        Expr::Call(func, args) => {
            let first = walk(&args[0], lookup)?;
            match func.numeric() {
                Numeric::Map(f) => not_finite(func.name(), f(first)),
                Numeric::Fold(f) => args[1..]
                    .iter()
                    .try_fold(first, |acc, arg| Ok(f(acc, walk(arg, lookup)?))),
            }
        }
        Expr::If(c, a, b) => {
            if walk(c, lookup)? != 0.0 {
                walk(a, lookup)
            } else {
                walk(b, lookup)
            }
        }
    }
}

fn op_name(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Rem => "%",
        BinOp::Pow => "^",
        _ => "comparison",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostics;
    use crate::source::SourceFile;

    /// A catalog of metrics `(id, formula)` over inputs `a`, `b`, `s`, and a dataset.
    fn setup(metrics: &[(&str, &str)], csv: &str) -> (Catalog, Dataset) {
        let mut files = vec![SourceFile::new(
            "d/inputs.toml",
            "name = \"I\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"a\"\n\
             [inputs.a]\nunit = \"count\"\n[inputs.b]\nunit = \"count\"\n[inputs.s]\nunit = \"count\"\n",
        )];
        for (id, formula) in metrics {
            files.push(SourceFile::new(
                format!("d/{id}.toml"),
                format!("name = \"N\"\ncategory = \"c\"\nkind = \"metric\"\nunit = \"count\"\nformula = \"{formula}\"\n"),
            ));
        }
        let catalog = Catalog::from_layers(vec![files], Diagnostics::default()).unwrap();
        let data = Dataset::from_files(&[SourceFile::new("x.csv", csv)]).unwrap();
        (catalog, data)
    }

    fn cells(metric: &str, formula: &str, csv: &str) -> Vec<Result<f64, String>> {
        let (catalog, data) = setup(&[(metric, formula)], csv);
        let e = evaluate(&catalog, &data);
        let m = catalog.metric_index(metric).unwrap();
        data.month_indexes()
            .map(|t| {
                let cell = e.cell(m, t).map_err(|r| r.to_string());
                // The compiled result and the tree walk agree on every cell.
                assert_eq!(
                    e.eval_cell(m, t).map_err(|r| r.to_string()),
                    cell,
                    "{formula} at {t:?}"
                );
                cell
            })
            .collect()
    }

    const CSV: &str = "period,a,b,s\n2026-01,3,4,0\n2026-02,6,,2\n2026-04,1,2,0\n";

    #[test]
    fn integer_cells_divide_as_floats() {
        assert_eq!(cells("x", "a / b", CSV)[0], Ok(0.75));
        assert_eq!(cells("x", "3 / 4", CSV)[0], Ok(0.75));
    }

    #[test]
    fn every_reason_for_a_missing_value() {
        let c = cells("x", "a / b", CSV);
        assert_eq!(c[1], Err("input `b` has no value for 2026-02".into()));
        assert_eq!(c[2], Err("no data for 2026-03".into()));
        assert_eq!(cells("x", "a / s", CSV)[0], Err("division by zero".into()));
        assert_eq!(cells("x", "0 / s", CSV)[0], Err("division by zero".into()));
        assert_eq!(cells("x", "a % s", CSV)[0], Err("division by zero".into()));
        assert_eq!(
            cells("x", "sqrt(0 - a)", CSV)[0],
            Err("`sqrt` has no finite result".into())
        );
        assert_eq!(
            cells("x", "ln(s)", CSV)[0],
            Err("`ln` has no finite result".into())
        );
        assert_eq!(
            cells("x", "exp(a * 1000)", CSV)[0],
            Err("`exp` has no finite result".into())
        );
        // A constant has no value in a month no file holds.
        assert_eq!(cells("x", "42", CSV)[2], Err("no data for 2026-03".into()));
    }

    #[test]
    fn a_dependency_without_value_is_named() {
        let (catalog, data) = setup(&[("ratio", "a / b"), ("pct", "ratio * 100")], CSV);
        let e = evaluate(&catalog, &data);
        let pct = catalog.metric_index("pct").unwrap();
        assert_eq!(e.cell(pct, MonthIndex::new(0)), Ok(75.0));
        assert_eq!(
            e.cell(pct, MonthIndex::new(1)).unwrap_err().to_string(),
            "`ratio` has no value for 2026-02"
        );
    }

    #[test]
    fn prev_counts_calendar_months() {
        let c = cells("x", "a - prev(a)", CSV);
        assert_eq!(c[0], Err("no data for 2025-12".into()));
        assert_eq!(c[1], Ok(3.0));
        // 2026-04's previous month, 2026-03, is in no file.
        assert_eq!(c[3], Err("no data for 2026-03".into()));
        let c = cells("x", "prev(a, 3)", CSV);
        assert_eq!(c[3], Ok(3.0));
        assert_eq!(c[1], Err("no data for 2025-11".into()));
    }

    #[test]
    fn if_evaluates_only_the_branch_taken() {
        let c = cells("x", "if(s > 0, a / s, 0)", CSV);
        assert_eq!(c[0], Ok(0.0));
        assert_eq!(c[1], Ok(3.0));
        // The condition itself missing gives no value.
        let c = cells("x", "if(b > 0, 1, 2)", CSV);
        assert_eq!(c[1], Err("input `b` has no value for 2026-02".into()));
    }

    #[test]
    fn operators_and_functions() {
        let c = cells(
            "x",
            "min(a, b, 2) + max(a, b) * 10 + abs(0 - a) + 2 ^ 3 + 7 % 4",
            CSV,
        );
        // 2 + 4 * 10 + 3 + 8 + 3
        assert_eq!(c[0], Ok(56.0));
        let c = cells(
            "x",
            "floor(2.7) + ceil(2.1) + round(2.5) + round(0 - 2.5)",
            CSV,
        );
        assert_eq!(c[0], Ok(2.0 + 3.0 + 3.0 - 3.0));
        let c = cells("x", "if(a > 2 && !(b < 4) || false, 1, 0)", CSV);
        assert_eq!(c[0], Ok(1.0));
        let c = cells("x", "if(a == 3, if(b != 4, 1, 2), 3)", CSV);
        assert_eq!(c[0], Ok(2.0));
        assert_eq!(cells("x", "-a", CSV)[0], Ok(-3.0));
    }

    #[test]
    fn first_missing_operand_in_text_order_is_the_reason() {
        let csv = "period,a,b,s\n2026-01,,,1\n";
        assert_eq!(
            cells("x", "b + a", csv)[0],
            Err("input `b` has no value for 2026-01".into())
        );
        assert_eq!(
            cells("x", "a + b", csv)[0],
            Err("input `a` has no value for 2026-01".into())
        );
    }

    #[test]
    fn a_declared_input_absent_from_the_data_has_no_value() {
        let c = cells("x", "s + 1", "period,a\n2026-01,1\n");
        assert_eq!(c[0], Err("no data column for input `s`".into()));
    }
}
