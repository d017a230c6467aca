//! What needs attention first: the KPIs off target, then at risk, then behind pace, then
//! without a value this month, each group in the order of the tables. A KPI on target never
//! appears, nor does a plain metric.

use kpi_core::{Kind, Status};

use super::view::{Attention, Row};

/// The group a row falls in, if it needs attention: 0 off target, 1 at risk, 2 behind pace,
/// 3 no data.
pub(super) fn rank(row: &Row) -> Option<u8> {
    if row.kind != Kind::Kpi {
        return None;
    }
    match row.status.status {
        Status::OffTarget => Some(0),
        Status::AtRisk => Some(1),
        Status::OnTarget => None,
        _ if row.pace.as_ref().is_some_and(|p| !p.ahead) => Some(2),
        Status::NoData => Some(3),
        Status::NoTarget => None,
    }
}

/// What `row` says in the list of what needs attention, with its group, if it needs it.
pub(super) fn entry(row: &Row) -> Option<(u8, Attention)> {
    let rank = rank(row)?;
    Some((
        rank,
        Attention {
            id: row.id.clone(),
            name: row.name.clone(),
            status: row.status.clone(),
            value: row.of_total.clone().unwrap_or_else(|| row.value.clone()),
            target: row.target.as_ref().map(|t| t.value.clone()),
            // Said here too: a KPI may need attention only because its bar moved this month.
            target_change: row.target.as_ref().and_then(|t| t.change.clone()),
            change: row.change.clone(),
            pace: row.pace.clone(),
            owner: row.owner.clone(),
            comment: row.comment.clone(),
            reason: (row.status.status == Status::NoData)
                .then(|| row.details.missing.last().map(|m| m.reason.clone()))
                .flatten(),
            // Filled by the report, which knows the objectives.
            objectives: Vec::new(),
            why: row.why.clone(),
        },
    ))
}

/// The entries of the rows that need attention, given in the order of the tables, most
/// urgent group first.
pub(super) fn list(mut ranked: Vec<(u8, Attention)>) -> Vec<Attention> {
    // Stable: within a group, the order of the tables.
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, entry)| entry).collect()
}
