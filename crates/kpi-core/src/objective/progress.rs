//! How far an objective is in a month: each KPI's progress towards its target in force, the
//! weighted mean of those, and the objective's status.
//!
//! A KPI that meets its target is 100 % of the way. Short of it, a target with a `baseline`
//! gives the progress `kpi` computes for pace (`(value − baseline) / (target − baseline)`),
//! clamped to 0–100 %; a count of things to do (`unit = "count"`, higher is better, a number
//! as target, no baseline) gives the share done ("7 of 12": 58 %); any other KPI short of its
//! target is 0 %. A KPI without a value has no progress and is left out of the mean, which
//! says how many were left out.

use serde::Serialize;

use super::Objective;
use crate::direction::Direction;
use crate::eval::Evaluation;
use crate::index::{MetricIndex, MonthIndex};
use crate::target::{Level, Status};
use crate::unit::Unit;

/// Where an objective stands in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveStatus {
    /// Every KPI with a value is on target, none behind pace.
    OnTarget,
    /// A KPI is at risk or behind its pace, none off target.
    AtRisk,
    /// A KPI is off target.
    OffTarget,
    /// Past its `due` month without every KPI met.
    Missed,
    /// No KPI has a value this month.
    NoData,
}

impl ObjectiveStatus {
    /// The status as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnTarget => "on_target",
            Self::AtRisk => "at_risk",
            Self::OffTarget => "off_target",
            Self::Missed => "missed",
            Self::NoData => "no_data",
        }
    }
}

/// How a KPI's progress was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// It meets its target in force: 100 %.
    Met,
    /// From its baseline towards its target, clamped to 0–100 %.
    Baseline,
    /// A count of things done out of a total ("7 of 12").
    Share {
        /// Done.
        done: f64,
        /// The total, the target in force.
        total: f64,
    },
    /// Short of its target, with no baseline to measure from: 0 %.
    NotMet,
}

/// Why a KPI of an objective has no progress this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoProgress {
    /// The KPI has no value this month.
    NoValue,
    /// No target is in force this month (or the series it follows has no value).
    NoTarget,
}

/// One KPI's progress in an objective.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiProgress {
    /// The KPI.
    pub metric: MetricIndex,
    /// Its weight in the objective.
    pub weight: f64,
    /// Where it stands against its target in force.
    pub status: Status,
    /// Its progress, 0 to 1, and how it was found; or why it has none.
    pub progress: Result<(f64, Basis), NoProgress>,
    /// Whether it is behind the pace line from its baseline to its deadline.
    pub behind_pace: bool,
}

/// An objective's progress and status in a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The weighted mean of its KPIs' progress, 0 to 1, over those that have one; `None`
    /// when none has.
    pub progress: Option<f64>,
    /// Where it stands.
    pub status: ObjectiveStatus,
    /// Each KPI's progress, in the objective's order.
    pub kpis: Vec<KpiProgress>,
    /// How many of its KPIs have no value this month.
    pub without_value: usize,
}

/// The progress of KPI `m` in month `t`.
pub fn kpi_progress(e: &Evaluation<'_>, m: MetricIndex, t: MonthIndex, weight: f64) -> KpiProgress {
    let judged = e.judge(m, t);
    let period = e.data().month(t);
    let pace = judged
        .value
        .and_then(|v| Some(e.pace_line(m, t)?.pace(v, period)));
    let behind_pace = pace.flatten().and_then(|p| p.ahead) == Some(false);
    let progress = match (judged.value, judged.status) {
        (None, _) => Err(NoProgress::NoValue),
        (Some(_), Status::NoTarget | Status::NoData) => Err(NoProgress::NoTarget),
        (Some(_), Status::OnTarget) => Ok((1.0, Basis::Met)),
        (Some(value), _) => Ok(match (pace.flatten(), share(e, m, t, value)) {
            (Some(p), _) => (p.progress.clamp(0.0, 1.0), Basis::Baseline),
            (None, Some(basis)) => basis,
            (None, None) => (0.0, Basis::NotMet),
        }),
    };
    KpiProgress {
        metric: m,
        weight,
        status: judged.status,
        progress,
        behind_pace,
    }
}

/// A count of things to do: done out of the total its target says, as a share.
fn share(e: &Evaluation<'_>, m: MetricIndex, t: MonthIndex, value: f64) -> Option<(f64, Basis)> {
    let metric = e.catalog().metric_at(m);
    let target = e.target(m, t)?;
    let Some(Level::Number(total)) = target.value else {
        return None;
    };
    let counts = metric.unit == Unit::Count
        && target.rule.direction == Direction::HigherIsBetter
        && total > 0.0;
    counts.then(|| {
        let basis = Basis::Share { done: value, total };
        ((value / total).clamp(0.0, 1.0), basis)
    })
}

/// The progress and status of `objective` in month `t`.
pub fn progress(e: &Evaluation<'_>, objective: &Objective, t: MonthIndex) -> Progress {
    let kpis: Vec<KpiProgress> = objective
        .kpis
        .iter()
        .map(|k| kpi_progress(e, k.metric, t, k.weight))
        .collect();
    let (mut sum, mut weights) = (0.0, 0.0);
    for k in &kpis {
        if let Ok((p, _)) = k.progress {
            sum += p * k.weight;
            weights += k.weight;
        }
    }
    let progress = (weights > 0.0).then(|| (sum / weights).clamp(0.0, 1.0));
    let without_value = kpis
        .iter()
        .filter(|k| k.progress == Err(NoProgress::NoValue))
        .count();
    let period = e.data().month(t);
    let all_met = kpis.iter().all(|k| k.status == Status::OnTarget);
    let status = if objective.due.is_some_and(|due| period > due) && !all_met {
        ObjectiveStatus::Missed
    } else if kpis.iter().any(|k| k.status == Status::OffTarget) {
        ObjectiveStatus::OffTarget
    } else if kpis
        .iter()
        .any(|k| k.status == Status::AtRisk || k.behind_pace)
    {
        ObjectiveStatus::AtRisk
    } else if without_value == kpis.len() {
        ObjectiveStatus::NoData
    } else {
        ObjectiveStatus::OnTarget
    };
    Progress {
        progress,
        status,
        kpis,
        without_value,
    }
}
