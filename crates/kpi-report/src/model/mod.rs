//! The report model: everything a template shows, computed and formatted in Rust from an
//! [`Evaluation`](kpi_core::Evaluation). Templates receive it as it is (serialised).
//!
//! Order is stable from month to month: KPIs, then metrics; within each, families sorted by
//! name (the definitions' `category`, whatever the language); within a family, metrics sorted
//! by id. Every word comes from the locale's table ([`crate::locale`]) and every number is
//! written by the report's [`Style`](crate::Style).
//!
//! The view types live in `view.rs`, which is also the list of fields a restyled template may
//! use (see `docs/reports.md`). The builders from an evaluation to them sit beside it, one
//! file per concern: `report.rs` (the report, its summary and sections), `row.rs` (one
//! metric's line), `target.rs` (the target in force), `detail_chart.rs` (the chart of a
//! metric's details), `attention.rs` (what needs attention first, from the rows alone) and
//! `window.rs` (the months a trend or chart covers), `years_to_date.rs` (each metric's year to
//! date, taken before the month's evaluation), `names.rs` (ids as readers see them: names); `options.rs` holds what a report is
//! built with.

mod attention;
mod detail_chart;
mod names;
mod objectives;
mod options;
mod report;
mod row;
mod target;
mod view;
mod why;
mod window;
mod years_to_date;

pub use options::Options;
pub use report::Streamed;
pub(crate) use row::Parts;
pub use view::{
    Attention, Change, Details, Family, LegendEntry, LegendKey, Missing, ObjectiveKpi,
    ObjectiveStatusView, ObjectiveView, PaceView, Report, Row, Section, StatusView, Summary,
    TargetView, Trend, Verdict,
};
pub use window::{CHART_MONTHS, TREND_MONTHS};
pub use years_to_date::YearsToDate;
