//! Builds the objectives' views: each objective's progress, status and its KPIs' one-line
//! states, computed by `kpi-core` and written in the report's words.

use kpi_core::objective::progress::{Basis, progress};
use kpi_core::objective::{ObjectiveStatus, Objectives};
use kpi_core::{Evaluation, MonthIndex};

use super::row::{status_view, yes_no_status};
use super::target::target_view;
use super::view::{ObjectiveKpi, ObjectiveStatusView, ObjectiveView};
use crate::format::Style;

/// The views of `objectives` in month `t`, by id.
pub(super) fn objectives(
    e: &Evaluation<'_>,
    objectives: &Objectives,
    t: MonthIndex,
    style: &Style,
) -> Vec<ObjectiveView> {
    let words = style.words();
    let percent = |share: f64| {
        format!(
            "{}{}",
            style.number(share * 100.0, 0),
            words.numbers.percent
        )
    };
    objectives
        .iter()
        .map(|o| {
            let p = progress(e, o, t);
            let kpis = o
                .kpis
                .iter()
                .zip(&p.kpis)
                .map(|(member, k)| {
                    let metric = e.catalog().metric_at(k.metric);
                    let judged = e.judge(k.metric, t);
                    let fmt = |v: f64| style.value(v, metric.unit, metric.decimals);
                    let value = match k.progress {
                        Ok((_, Basis::Share { done, total })) => {
                            (words.objectives.of_total)(&fmt(done), &fmt(total))
                        }
                        _ => judged.value.map_or_else(|| "—".to_string(), fmt),
                    };
                    ObjectiveKpi {
                        id: metric.id.clone(),
                        name: metric.name_in(words.code).to_string(),
                        value,
                        target: judged
                            .target
                            .map(|target| target_view(e, k.metric, t, &target, style).value),
                        status: yes_no_status(
                            status_view(k.status, &words.labels),
                            metric.unit,
                            &words.labels,
                        ),
                        progress: k.progress.ok().map(|(share, _)| percent(share)),
                        weight: (member.weight != 1.0).then(|| weight(style, member.weight)),
                    }
                })
                .collect();
            ObjectiveView {
                id: o.id.clone(),
                name: o.name_in(words.code).to_string(),
                description: o.description_in(words.code).map(str::to_string),
                owner: o.owner.clone(),
                due: o.due.map(|d| style.month(d)),
                progress: p.progress.map(percent),
                progress_percent: p.progress.map(|share| (share * 100.0).round() as u8),
                status: status(p.status, style),
                without_value: (p.without_value > 0)
                    .then(|| (words.objectives.without_value)(p.without_value)),
                kpis,
            }
        })
        .collect()
}

/// A weight as written: `2`, `1.5`.
fn weight(style: &Style, weight: f64) -> String {
    let decimals = if weight.fract() == 0.0 { 0 } else { 2 };
    let text = style.number(weight, decimals);
    if decimals == 0 {
        return text;
    }
    // `1.50` reads `1.5`.
    let decimal = style.words().numbers.decimal;
    text.trim_end_matches('0')
        .trim_end_matches(decimal)
        .to_string()
}

/// An objective's status in the report's words.
fn status(status: ObjectiveStatus, style: &Style) -> ObjectiveStatusView {
    let labels = &style.words().labels;
    let (label, icon) = match status {
        ObjectiveStatus::OnTarget => (labels.on_target, "🟢"),
        ObjectiveStatus::AtRisk => (labels.at_risk, "🟡"),
        ObjectiveStatus::OffTarget => (labels.off_target, "🔴"),
        ObjectiveStatus::Missed => (labels.missed, "⛔"),
        ObjectiveStatus::NoData => (labels.no_data, "⚪"),
    };
    ObjectiveStatusView {
        key: status.as_str(),
        label,
        icon,
    }
}
