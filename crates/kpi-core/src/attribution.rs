//! Why a metric moved: its change between two months split among the formula's direct
//! operands (its inputs, the metrics it uses and each `prev(...)` term) by their Shapley
//! values, so that the contributions add up exactly to the change, and down the metric tree.
//!
//! An operand's Shapley value is the average, over every order of switching the operands
//! from their old value to their new one, of the change the formula's value makes when that
//! operand switches. It is symmetric (two operands that play the same part get the same
//! share), gives `a + b` each its own change and `a * b`'s interaction term half to each, and
//! depends only on the formula's values, not on how it is written (`a / b * 100` and
//! `100 * a / b` split alike). Up to [`EXACT_OPERANDS`] operands it is computed exactly, from
//! the formula's value on every subset of switched operands (2ⁿ walks); above, it is the
//! mean over [`SAMPLED_ORDERS`] orders drawn with a fixed seed, each of which telescopes to
//! the whole change, so the sum stays exact and the result is the same on every run.

use std::fmt;

use serde::Serialize;

use crate::catalog::NameRef;
use crate::eval::{Cell, Evaluation, Reason, walk};
use crate::formula::function::Numeric;
use crate::formula::{BinOp, Expr, UnOp};
use crate::index::{MetricIndex, MonthIndex};

/// Up to this many operands, Shapley values are computed exactly.
pub const EXACT_OPERANDS: usize = 12;

/// Above [`EXACT_OPERANDS`], how many orders of switching are averaged.
pub const SAMPLED_ORDERS: usize = 2_048;

/// What an operand of a formula is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperandKind {
    /// An input of the data.
    Input,
    /// Another metric.
    Metric,
    /// `prev(name)` or `prev(name, k)`: an input or metric some months earlier.
    Prev,
}

/// One operand of a formula, its value in both months and its share of the change.
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    /// The input or metric it reads.
    pub name: String,
    /// How many months back it reads (`prev`), 0 for this month.
    pub months: u32,
    /// What it is.
    pub kind: OperandKind,
    /// Its value in the earlier month.
    pub before: f64,
    /// Its value in the later month.
    pub after: f64,
    /// Its share of the metric's change; the shares add up to the change.
    pub contribution: f64,
}

/// A metric's change between two months, split among its operands.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The metric's value in the earlier month.
    pub before: f64,
    /// Its value in the later month.
    pub after: f64,
    /// Its operands in the order the formula first names them.
    pub operands: Vec<Operand>,
    /// Whether the values were sampled (more than [`EXACT_OPERANDS`] operands).
    pub sampled: bool,
}

impl Attribution {
    /// The change, `after − before`.
    pub fn change(&self) -> f64 {
        self.after - self.before
    }
}

/// Why a change cannot be split.
#[derive(Debug, Clone, PartialEq)]
pub enum NoAttribution {
    /// The earlier month is before the data.
    NoEarlierMonth {
        /// The period it would be, as `--period` writes it.
        period: Option<String>,
    },
    /// The metric has no value in one of the months.
    NoValue {
        /// The period, as `--period` writes it: `2026-09`, `2026-Q3`.
        period: String,
        /// Why.
        reason: Reason,
    },
    /// An operand has no value in one of the months.
    Operand {
        /// The operand, as the formula reads it.
        name: String,
        /// How many months back.
        months: u32,
        /// The period, as `--period` writes it: `2026-09`, `2026-Q3`.
        period: String,
        /// Why.
        reason: Reason,
    },
    /// The formula has no value with some operands switched and not others (a division by
    /// a zero that neither month has, say).
    Mixed {
        /// Why.
        reason: Reason,
    },
    /// The change, or a share of it, is too large for a double.
    TooLarge,
}

impl fmt::Display for NoAttribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEarlierMonth { period: Some(p) } => {
                write!(f, "the data does not reach back to {p}")
            }
            Self::NoEarlierMonth { period: None } => {
                f.write_str("the data does not reach back far enough")
            }
            Self::NoValue { period, reason } => write!(f, "no value in {period} ({reason})"),
            Self::Operand {
                name,
                months: 0,
                period,
                reason,
            } => write!(f, "`{name}` has no value in {period} ({reason})"),
            Self::Operand {
                name,
                months,
                period,
                reason,
            } => write!(
                f,
                "`prev({name}, {months})` has no value in {period} ({reason})"
            ),
            Self::TooLarge => f.write_str("the change is too large to compute"),
            Self::Mixed { reason } => write!(
                f,
                "the formula has no value between the two months' operands ({reason})"
            ),
        }
    }
}

/// Splits the change of metric `m` from month `before` to month `after` among its operands.
pub fn attribute(
    e: &Evaluation<'_>,
    m: MetricIndex,
    after: MonthIndex,
    before: MonthIndex,
) -> Result<Attribution, NoAttribution> {
    let catalog = e.catalog();
    let metric = catalog.metric_at(m);
    let month = |t: MonthIndex| e.data().grain().label(e.data().month(t));
    let value = |t: MonthIndex| {
        e.cell(m, t).map_err(|reason| NoAttribution::NoValue {
            period: month(t),
            reason,
        })
    };
    let (old, new) = (value(before)?, value(after)?);
    let mut operands: Vec<Operand> = Vec::new();
    for reference in &metric.formula.references {
        let (name, months) = (&reference.name, reference.months);
        if operands
            .iter()
            .any(|o| o.name == *name && o.months == months)
        {
            continue;
        }
        let read = |t: MonthIndex| {
            e.lookup(name, t, months)
                .map_err(|reason| NoAttribution::Operand {
                    name: name.clone(),
                    months,
                    period: month(t),
                    reason,
                })
        };
        let kind = match (months, catalog.resolve(name)) {
            (1.., _) => OperandKind::Prev,
            (0, Some(NameRef::Metric(_))) => OperandKind::Metric,
            (0, _) => OperandKind::Input,
        };
        operands.push(Operand {
            name: name.clone(),
            months,
            kind,
            before: read(before)?,
            after: read(after)?,
            contribution: 0.0,
        });
    }
    let n = operands.len();
    // The formula's value with the operands of `switched` at their later value.
    let formula = |switched: &dyn Fn(usize) -> bool| -> Cell {
        walk(&metric.formula.expr, &mut |name, months| {
            let i = operands
                .iter()
                .position(|o| o.name == name && o.months == months)
                .expect("every name of the formula is an operand");
            Ok(if switched(i) {
                operands[i].after
            } else {
                operands[i].before
            })
        })
    };
    let mixed = |reason| NoAttribution::Mixed { reason };
    let shares = if n <= EXACT_OPERANDS {
        // Every mix of old and new values at once, one walk of the tree; a mix without a
        // value is walked again alone for its reason.
        let values = Mixes::new(&metric.formula.expr, &operands).values(&operands);
        if let Some(mask) = values.iter().position(|v| v.is_nan()) {
            let reason = formula(&|i| mask & (1 << i) != 0)
                .err()
                .unwrap_or(Reason::NotFinite {
                    operation: "formula",
                });
            return Err(mixed(reason));
        }
        exact(n, &|mask: usize| Ok(values[mask])).expect("every mix has a value")
    } else {
        sampled(n, &|switched: &[bool]| formula(&|i| switched[i])).map_err(mixed)?
    };
    // The shares add up to the formula's change on the operands' values, up to rounding;
    // the remainder (a few ulps) goes to the largest share, so that they add up to the
    // metric's own change as exactly as doubles can.
    let total: f64 = shares.iter().sum();
    // Values near the largest doubles: their difference, or a share, overflows.
    if !(new - old).is_finite() || !total.is_finite() {
        return Err(NoAttribution::TooLarge);
    }
    for (operand, share) in operands.iter_mut().zip(&shares) {
        operand.contribution = *share;
    }
    if let Some(largest) = operands
        .iter_mut()
        .max_by(|a, b| a.contribution.abs().total_cmp(&b.contribution.abs()))
    {
        largest.contribution += (new - old) - total;
    }
    Ok(Attribution {
        before: old,
        after: new,
        operands,
        sampled: n > EXACT_OPERANDS,
    })
}

/// A formula flattened for [`Mixes::values`]: its tree in postfix order, each name replaced by
/// the index of its operand, so that the formula runs once per mix of old and new values
/// without a name compared or a value allocated.
struct Mixes {
    steps: Vec<Step>,
}

/// One step of a flattened formula, on a stack of values.
enum Step {
    /// A number.
    Num(f64),
    /// Operand `k`, old or new as the mix says.
    Operand(usize),
    Neg,
    Not,
    Binary(BinOp),
    Map(fn(f64) -> f64),
    /// Folds the top `n` values left to right.
    Fold(fn(f64, f64) -> f64, usize),
    /// Condition, then, else: the branch the condition takes (both were run).
    If,
}

impl Mixes {
    fn new(expr: &Expr, operands: &[Operand]) -> Mixes {
        let mut steps = Vec::new();
        Self::flatten(expr, operands, &mut steps);
        Mixes { steps }
    }

    fn flatten(expr: &Expr, operands: &[Operand], steps: &mut Vec<Step>) {
        let operand = |name: &str, months: u32| {
            operands
                .iter()
                .position(|o| o.months == months && o.name == name)
                .expect("every name of the formula is an operand")
        };
        match expr {
            Expr::Num(v) => steps.push(Step::Num(*v)),
            Expr::Bool(b) => steps.push(Step::Num(f64::from(u8::from(*b)))),
            Expr::Name { name, .. } => steps.push(Step::Operand(operand(name, 0))),
            Expr::Prev { name, months, .. } => steps.push(Step::Operand(operand(name, *months))),
            Expr::Unary(op, a) => {
                Self::flatten(a, operands, steps);
                steps.push(match op {
                    UnOp::Neg => Step::Neg,
                    UnOp::Not => Step::Not,
                });
            }
            Expr::Binary(op, a, b) => {
                Self::flatten(a, operands, steps);
                Self::flatten(b, operands, steps);
                steps.push(Step::Binary(*op));
            }
            Expr::Call(func, args) => {
                for arg in args {
                    Self::flatten(arg, operands, steps);
                }
                steps.push(match func.numeric() {
                    Numeric::Map(f) => Step::Map(f),
                    Numeric::Fold(f) => Step::Fold(f, args.len()),
                });
            }
            Expr::If(c, a, b) => {
                Self::flatten(c, operands, steps);
                Self::flatten(a, operands, steps);
                Self::flatten(b, operands, steps);
                steps.push(Step::If);
            }
        }
    }

    /// The formula's value for every mix of old and new operand values, mix `mask` having
    /// operand `k` new when its bit `k` is set; NaN for a mix without a value, by the rules
    /// of [`walk`] (a division by zero or a non-finite result is no value; `if` takes its
    /// branch).
    fn values(&self, operands: &[Operand]) -> Vec<f64> {
        let finite = |x: f64| if x.is_finite() { x } else { f64::NAN };
        let mut stack: Vec<f64> = Vec::with_capacity(self.steps.len());
        (0..1usize << operands.len())
            .map(|mask| {
                stack.clear();
                for step in &self.steps {
                    let value = match step {
                        Step::Num(v) => *v,
                        Step::Operand(k) => {
                            let o = &operands[*k];
                            if mask & (1 << k) != 0 {
                                o.after
                            } else {
                                o.before
                            }
                        }
                        Step::Neg => -pop(&mut stack),
                        Step::Not => {
                            let x = pop(&mut stack);
                            if x.is_nan() {
                                x
                            } else {
                                f64::from(u8::from(x == 0.0))
                            }
                        }
                        Step::Binary(op) => {
                            let y = pop(&mut stack);
                            let x = pop(&mut stack);
                            if x.is_nan() || y.is_nan() || (op.divides() && y == 0.0) {
                                f64::NAN
                            } else {
                                finite(op.apply(x, y))
                            }
                        }
                        Step::Map(f) => {
                            let x = pop(&mut stack);
                            if x.is_nan() { x } else { finite(f(x)) }
                        }
                        Step::Fold(f, n) => {
                            let start = stack.len() - n;
                            let folded = stack[start + 1..].iter().fold(stack[start], |acc, &x| {
                                if acc.is_nan() || x.is_nan() {
                                    f64::NAN
                                } else {
                                    f(acc, x)
                                }
                            });
                            stack.truncate(start);
                            folded
                        }
                        Step::If => {
                            let otherwise = pop(&mut stack);
                            let then = pop(&mut stack);
                            let condition = pop(&mut stack);
                            if condition.is_nan() {
                                f64::NAN
                            } else if condition != 0.0 {
                                then
                            } else {
                                otherwise
                            }
                        }
                    };
                    stack.push(value);
                }
                pop(&mut stack)
            })
            .collect()
    }
}

fn pop(stack: &mut Vec<f64>) -> f64 {
    stack
        .pop()
        .expect("a flattened formula leaves one value per step's operands")
}

/// Exact Shapley values of `n` operands, from the value of every subset of switched operands
/// (`value(mask)`, bit `i` for operand `i`): operand `i` gets the mean of its marginal
/// change over subsets, weighted `|S|! (n − |S| − 1)! / n!`.
fn exact(n: usize, value: &dyn Fn(usize) -> Cell) -> Result<Vec<f64>, Reason> {
    let values: Vec<f64> = (0..1usize << n).map(value).collect::<Result<_, _>>()?;
    // weight[s] = s! (n − s − 1)! / n!, built as a product of ratios to stay in range.
    let weight: Vec<f64> = (0..n)
        .map(|s| {
            let mut w = 1.0 / n as f64;
            // 1 / C(n − 1, s) = s! (n − 1 − s)! / (n − 1)!
            for k in 1..=s {
                w *= k as f64 / (n - s - 1 + k) as f64;
            }
            w
        })
        .collect();
    let mut shares = vec![0.0; n];
    for (mask, &v) in values.iter().enumerate() {
        let size = mask.count_ones() as usize;
        for (i, share) in shares.iter_mut().enumerate() {
            if mask & (1 << i) == 0 {
                *share += weight[size] * (values[mask | (1 << i)] - v);
            }
        }
    }
    Ok(shares)
}

/// Shapley values of `n` operands estimated as the mean marginal change over
/// [`SAMPLED_ORDERS`] orders of switching, drawn by a SplitMix64 generator with a fixed seed
/// (the same orders on every run). Each order's marginal changes add up to the whole change,
/// so their mean does too.
fn sampled(n: usize, value: &dyn Fn(&[bool]) -> Cell) -> Result<Vec<f64>, Reason> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut shares = vec![0.0; n];
    let mut order: Vec<usize> = (0..n).collect();
    let mut switched = vec![false; n];
    for _ in 0..SAMPLED_ORDERS {
        // Fisher–Yates.
        for i in (1..n).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        switched.iter_mut().for_each(|s| *s = false);
        let mut previous = value(&switched)?;
        for &i in &order {
            switched[i] = true;
            let current = value(&switched)?;
            shares[i] += current - previous;
            previous = current;
        }
    }
    let orders = SAMPLED_ORDERS as f64;
    Ok(shares.into_iter().map(|s| s / orders).collect())
}

/// `shares` rounded to `decimals` digits so that the rounded shares add up to `total` rounded
/// the same way: each is rounded down, then the units left go to the shares with the largest
/// remainders (the largest remainder method), so that a reader adding up the displayed
/// contributions finds the displayed change, to the last digit.
pub fn rounded_shares(shares: &[f64], total: f64, decimals: u8) -> Vec<f64> {
    let factor = 10f64.powi(i32::from(decimals));
    let scaled: Vec<f64> = shares.iter().map(|s| s * factor).collect();
    let floors: Vec<f64> = scaled.iter().map(|s| s.floor()).collect();
    let target = (total * factor).round();
    let missing = target - floors.iter().sum::<f64>();
    if !missing.is_finite() || missing < 0.0 || missing > shares.len() as f64 {
        // Out of reach of the method (huge values): plain rounding.
        return shares
            .iter()
            .map(|s| (s * factor).round() / factor)
            .collect();
    }
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // Largest remainder first; ties by position, so that the result is deterministic.
    order.sort_by(|&a, &b| (scaled[b] - floors[b]).total_cmp(&(scaled[a] - floors[a])));
    let mut rounded = floors;
    for &i in order.iter().take(missing as usize) {
        rounded[i] += 1.0;
    }
    rounded.into_iter().map(|r| r / factor).collect()
}

/// One node of the tree of contributions: an operand and, for a metric, its own operands'
/// shares of its contribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The operand.
    pub operand: Operand,
    /// Its operands' shares of its contribution, when it is a metric split further.
    pub children: Vec<Node>,
    /// Operands too small to show (below the threshold): how many, and their sum.
    pub folded: Option<(usize, f64)>,
    /// Why a metric operand is not split further, when it is not.
    pub unsplit: Option<NoAttribution>,
}

/// The tree of contributions to the change of metric `m`: its operands, and the operands of
/// each metric among them, scaled so that each level adds up to its parent's contribution,
/// down to `depth` levels. Operands whose contribution is below `fold` of the whole change
/// (`0.05`: 5 %) are folded into one entry per level.
pub fn tree(
    e: &Evaluation<'_>,
    m: MetricIndex,
    after: MonthIndex,
    before: MonthIndex,
    depth: usize,
    fold: f64,
) -> Result<Tree, NoAttribution> {
    let top = attribute(e, m, after, before)?;
    let threshold = top.change().abs() * fold;
    let (nodes, folded) = level(e, &top, 1.0, after, before, depth, threshold);
    Ok(Tree { top, nodes, folded })
}

/// A metric's change and the tree of its contributions ([`tree`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// The metric's own split.
    pub top: Attribution,
    /// Its operands, largest contribution first, each split further when it is a metric.
    pub nodes: Vec<Node>,
    /// Operands too small to show: how many, and their sum.
    pub folded: Option<(usize, f64)>,
}

/// The nodes of one attribution, each contribution multiplied by `scale` (its share of the
/// top metric's change per unit of its own change).
fn level(
    e: &Evaluation<'_>,
    attribution: &Attribution,
    scale: f64,
    after: MonthIndex,
    before: MonthIndex,
    depth: usize,
    threshold: f64,
) -> (Vec<Node>, Option<(usize, f64)>) {
    let mut nodes = Vec::new();
    let mut folded: Option<(usize, f64)> = None;
    for operand in &attribution.operands {
        let contribution = operand.contribution * scale;
        if contribution.abs() < threshold {
            let (count, sum) = folded.get_or_insert((0, 0.0));
            *count += 1;
            *sum += contribution;
            continue;
        }
        let mut node = Node {
            operand: Operand {
                contribution,
                ..operand.clone()
            },
            children: Vec::new(),
            folded: None,
            unsplit: None,
        };
        if operand.kind == OperandKind::Metric && depth > 1 {
            let inner = e
                .catalog()
                .metric_index(&operand.name)
                .expect("a metric operand names a metric");
            match attribute(e, inner, after, before) {
                Ok(split) if split.change() != 0.0 => {
                    let (children, more) = level(
                        e,
                        &split,
                        contribution / split.change(),
                        after,
                        before,
                        depth - 1,
                        threshold,
                    );
                    node.children = children;
                    node.folded = more;
                }
                Ok(_) => {}
                Err(why) => node.unsplit = Some(why),
            }
        }
        nodes.push(node);
    }
    // Largest first, as a reader looks for them.
    nodes.sort_by(|a, b| {
        b.operand
            .contribution
            .abs()
            .total_cmp(&a.operand.contribution.abs())
    });
    (nodes, folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapley values by brute force over every order of `n` operands, from `value(mask)`.
    fn by_orders(n: usize, value: &dyn Fn(usize) -> f64) -> Vec<f64> {
        fn orders(rest: Vec<usize>, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            if rest.is_empty() {
                out.push(prefix.clone());
            }
            for (k, &i) in rest.iter().enumerate() {
                let mut left = rest.clone();
                left.remove(k);
                prefix.push(i);
                orders(left, prefix, out);
                prefix.pop();
            }
        }
        let mut all = Vec::new();
        orders((0..n).collect(), &mut Vec::new(), &mut all);
        let mut shares = vec![0.0; n];
        for order in &all {
            let mut mask = 0;
            for &i in order {
                shares[i] += value(mask | (1 << i)) - value(mask);
                mask |= 1 << i;
            }
        }
        shares.iter().map(|s| s / all.len() as f64).collect()
    }

    #[test]
    fn exact_values_match_every_order() {
        // v = a * b + c / d, with a: 2 → 3, b: 5 → 4, c: 1 → 7, d: 2 → 4.
        let old = [2.0, 5.0, 1.0, 2.0];
        let new = [3.0, 4.0, 7.0, 4.0];
        let v = |mask: usize| {
            let x = |i: usize| if mask & (1 << i) != 0 { new[i] } else { old[i] };
            x(0) * x(1) + x(2) / x(3)
        };
        let exact = exact(4, &|mask| Ok(v(mask))).unwrap();
        let brute = by_orders(4, &v);
        for (a, b) in exact.iter().zip(&brute) {
            assert!((a - b).abs() < 1e-12, "{exact:?} {brute:?}");
        }
        let sum: f64 = exact.iter().sum();
        assert!((sum - (v(15) - v(0))).abs() < 1e-12);
    }

    #[test]
    fn rounded_shares_add_up_to_the_rounded_total() {
        // 0.004 + 0.004 + 0.002 = 0.01: each rounds to 0.00 alone, yet the total shows 0.01.
        assert_eq!(
            rounded_shares(&[0.004, 0.004, 0.002], 0.01, 2),
            vec![0.01, 0.0, 0.0]
        );
        // Negative shares: -0.26 = -0.433 + 0.173.
        let r = rounded_shares(&[-0.433, 0.173], -0.26, 2);
        assert_eq!(r, vec![-0.43, 0.17]);
        let sum: f64 = r.iter().sum();
        assert!((sum + 0.26).abs() < 1e-12);
    }

    #[test]
    fn a_product_splits_its_interaction_half_and_half() {
        // a: 2 → 3, b: 5 → 7: a·b from 10 to 21. a alone: +5 (at b = 5) or +7 (at b = 7);
        // Shapley: (5 + 7) / 2 = 6; b: (2·2 + 3·2) / 2 = 5; 6 + 5 = 11.
        let v = |mask: usize| {
            let a = if mask & 1 != 0 { 3.0 } else { 2.0 };
            let b = if mask & 2 != 0 { 7.0 } else { 5.0 };
            a * b
        };
        assert_eq!(exact(2, &|m| Ok(v(m))).unwrap(), vec![6.0, 5.0]);
    }

    #[test]
    fn sampled_orders_add_up_to_the_change() {
        // Thirteen operands, a sum of squares: each operand's share is its own change.
        let n = 13;
        let value = |switched: &[bool]| -> Cell {
            Ok((0..n)
                .map(|i| {
                    let x = if switched[i] { i as f64 + 1.0 } else { 0.5 };
                    x * x
                })
                .sum())
        };
        let shares = sampled(n, &value).unwrap();
        let sum: f64 = shares.iter().sum();
        let change = value(&[true; 13]).unwrap() - value(&[false; 13]).unwrap();
        assert!((sum - change).abs() < 1e-9 * change.abs(), "{sum} {change}");
        for (i, share) in shares.iter().enumerate() {
            let own = (i as f64 + 1.0).powi(2) - 0.25;
            assert!((share - own).abs() < 1e-9, "{i}: {share} {own}");
        }
        // The same orders on every run.
        assert_eq!(shares, sampled(n, &value).unwrap());
    }
}
