//! `kpi explain ID --why`: the metric's change against the previous month (or the same month
//! a year earlier) split among what its formula reads, as a tree down the metrics it uses,
//! each contribution in the metric's unit and rounded so that every level adds up to its
//! parent to the last digit shown.

use std::fmt::Write as _;

use kpi_core::attribution::{
    NoAttribution, Node, Operand, OperandKind, Tree, rounded_shares, tree,
};
use kpi_core::catalog::ReaderName;
use kpi_core::{Evaluation, MetricIndex, MonthIndex, Unit};

use crate::cli::Versus;
use crate::error::{CliError, Failure};
use crate::settings::Why;
use crate::terminal;

/// Contributions below this share of the change are folded into one line per level.
const FOLD_BELOW: f64 = 0.05;

/// The explanation of metric `m`'s move into month `t`.
pub fn explain(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    why: &Why,
) -> Result<String, CliError> {
    // Periods back: a month, a quarter or a year; a year earlier is 12 months, 4 quarters.
    let grain = e.data().grain();
    let back = match why.vs {
        Versus::Previous => 1,
        Versus::YearAgo => grain.per_year(),
    };
    let period = grain.label(e.data().month(t));
    let earlier = e
        .data()
        .month(t)
        .add_months(-(back as i64) * i64::from(grain.months()));
    let Some(before) = t.back(back) else {
        return Err(Failure::NoAttribution {
            id: e.catalog().metric_at(m).id.clone(),
            why: NoAttribution::NoEarlierMonth {
                period: earlier.map(|p| grain.label(p)),
            }
            .to_string(),
        }
        .into());
    };
    let metric = e.catalog().metric_at(m);
    let fail = |why: String| -> CliError {
        Failure::NoAttribution {
            id: metric.id.clone(),
            why,
        }
        .into()
    };
    let Tree { top, nodes, folded } =
        tree(e, m, t, before, why.depth, FOLD_BELOW).map_err(|w| fail(w.to_string()))?;
    let printer = Printer { e, why };
    let style = &why.style;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {}",
        metric.id,
        terminal::escape(metric.name_in(style.locale.words().code))
    );
    // The change between the two values as shown, which the contributions add up to.
    let factor = 10f64.powi(i32::from(metric.decimals));
    let shown = |v: f64| (v * factor).round() / factor;
    let change = shown(top.after) - shown(top.before);
    let _ = writeln!(
        out,
        "{period} against {}: {} → {} ({})",
        grain.label(e.data().month(before)),
        style.value(top.before, metric.unit, metric.decimals),
        style.value(top.after, metric.unit, metric.decimals),
        printer.change(change, metric.unit, metric.decimals),
    );
    if top.sampled {
        let _ = writeln!(
            out,
            "(more than {} operands: Shapley values estimated over {} orders, their sum exact)",
            kpi_core::attribution::EXACT_OPERANDS,
            kpi_core::attribution::SAMPLED_ORDERS
        );
    }
    printer.level(
        &mut out,
        &nodes,
        folded,
        change,
        (metric.unit, metric.decimals),
        "",
    );
    Ok(out)
}

struct Printer<'a, 'e> {
    e: &'a Evaluation<'e>,
    why: &'a Why,
}

impl Printer<'_, '_> {
    /// A signed difference in a unit, as reports write it; `±0` for a yes/no.
    fn change(&self, delta: f64, unit: Unit, decimals: u8) -> String {
        match unit {
            Unit::Boolean => format!("{delta:+}"),
            _ => self.why.style.change(delta, unit, decimals),
        }
    }

    /// The lines of one level of the tree: each node with its contribution (rounded so that
    /// the level adds up to `total` as shown), its values and its own level below.
    fn level(
        &self,
        out: &mut String,
        nodes: &[Node],
        folded: Option<(usize, f64)>,
        total: f64,
        (unit, decimals): (Unit, u8),
        indent: &str,
    ) {
        let mut shares: Vec<f64> = nodes.iter().map(|n| n.operand.contribution).collect();
        if let Some((_, sum)) = folded {
            shares.push(sum);
        }
        let shown = rounded_shares(&shares, total, decimals);
        let count = shares.len();
        for (i, node) in nodes.iter().enumerate() {
            let last = i + 1 == count;
            let (branch, below) = if last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            let operand = &node.operand;
            let _ = writeln!(
                out,
                "{indent}{branch}{}  {}",
                self.change(shown[i], unit, decimals),
                self.operand(operand),
            );
            let inner = format!("{indent}{below}");
            if let Some(why) = &node.unsplit {
                let _ = writeln!(out, "{inner}(not split: {why})");
            }
            if !node.children.is_empty() || node.folded.is_some() {
                self.level(
                    out,
                    &node.children,
                    node.folded,
                    shown[i],
                    (unit, decimals),
                    &inner,
                );
            }
        }
        if let Some((n, _)) = folded {
            let plural = if n == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "{indent}└─ {n} smaller contribution{plural}: {}",
                self.change(shown[count - 1], unit, decimals),
            );
        }
    }

    /// An operand by its name, with its values in both months and its change in its unit.
    fn operand(&self, operand: &Operand) -> String {
        let catalog = self.e.catalog();
        let style = &self.why.style;
        let code = style.locale.words().code;
        let name = match catalog.reader_name(&operand.name, code) {
            Some(ReaderName::Metric(title) | ReaderName::Input(title)) => title.to_string(),
            None => operand.name.clone(),
        };
        let name = match (operand.kind, operand.months) {
            (OperandKind::Prev, 1) => format!("{name}, the month before"),
            (OperandKind::Prev, k) => format!("{name}, {k} months before"),
            _ => name,
        };
        let (unit, decimals) = catalog.unit_of(&operand.name).unwrap_or((Unit::Number, 2));
        format!(
            "{}: {} → {} ({})",
            terminal::escape(&name),
            style.value(operand.before, unit, decimals),
            style.value(operand.after, unit, decimals),
            self.change(operand.after - operand.before, unit, decimals),
        )
    }
}
