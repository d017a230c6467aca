//! Why a metric moved since last month, in one line for readers: the two or three largest
//! contributions of the Shapley split `kpi-core` computes (`attribution`), each with its
//! arrow, its share of the change in the metric's unit and the operand's own change, named as
//! readers know it ("▲ +0.4 pp from customers lost (+12)").

use kpi_core::attribution::{OperandKind, attribute, rounded_shares};
use kpi_core::{Evaluation, MetricIndex, MonthIndex, Unit};

use super::names::reader_name;
use crate::format::Style;

/// How many contributions the line names, at most.
const SHOWN: usize = 3;

/// The line for metric `m` in month `t` against the month before; none without a split (no
/// value in either month, a yes/no metric), for a formula of one operand, or when every share
/// rounds to nothing.
pub(super) fn why_line(
    e: &Evaluation<'_>,
    m: MetricIndex,
    t: MonthIndex,
    style: &Style,
) -> Option<String> {
    let metric = e.catalog().metric_at(m);
    if metric.unit == Unit::Boolean {
        return None;
    }
    let split = attribute(e, m, t, t.back(1)?).ok()?;
    // One operand moves the metric alone: its change says all.
    if split.operands.len() < 2 {
        return None;
    }
    let words = style.words();
    // Rounded as shown, so that the shares named add up, with the others, to the change shown.
    let factor = 10f64.powi(i32::from(metric.decimals));
    let shown = |v: f64| (v * factor).round() / factor;
    let change = shown(split.after) - shown(split.before);
    let shares: Vec<f64> = split.operands.iter().map(|o| o.contribution).collect();
    let rounded = rounded_shares(&shares, change, metric.decimals);
    let mut order: Vec<usize> = (0..shares.len()).filter(|&i| rounded[i] != 0.0).collect();
    order.sort_by(|&a, &b| {
        rounded[b]
            .abs()
            .total_cmp(&rounded[a].abs())
            .then(a.cmp(&b))
    });
    let parts: Vec<String> = order
        .into_iter()
        .take(SHOWN)
        .map(|i| {
            let operand = &split.operands[i];
            let mut name = reader_name(e, &operand.name, words);
            if operand.kind == OperandKind::Prev {
                name = (words.period.earlier)(&name, operand.months);
            }
            let (unit, decimals) = e
                .catalog()
                .unit_of(&operand.name)
                .unwrap_or((Unit::Number, 2));
            let arrow = if rounded[i] > 0.0 { "▲" } else { "▼" };
            (words.attribution.part)(
                arrow,
                &style.change(rounded[i], metric.unit, metric.decimals),
                &name,
                &style.change(operand.after - operand.before, unit, decimals),
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
