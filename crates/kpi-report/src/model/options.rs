//! What a report is built with besides the evaluation: title, style, notes and whether the
//! Markdown report carries the descriptions.

use kpi_core::config::Comparison;
use kpi_core::objective::Objectives;

use super::years_to_date::YearsToDate;
use crate::format::Style;
use crate::notes::Notes;

/// How a report is written: its title, language, currency and the month's notes.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The title; the locale's default (`KPI report`) when none.
    pub title: Option<String>,
    /// The language and currency numbers are written in.
    pub style: Style,
    /// The month's commentary, if the project keeps notes and the month has a file.
    pub notes: Option<&'a Notes>,
    /// The project's objectives, when it has some: the report opens with them.
    pub objectives: Option<&'a Objectives>,
    /// The comparisons rows show (`[report] compare`); `None`: all three, each where the data
    /// has it.
    pub compare: Option<&'a [Comparison]>,
    /// Whether charts draw last year's line behind this year's (`[report] chart_year_ago`);
    /// `None`: when the data has 13 months or more.
    pub chart_year_ago: Option<bool>,
    /// Whether the Markdown report carries each definition's description (`kpi report
    /// --with-descriptions`): the summary says what a metric measures to its readers; the
    /// description, for the people who tune it, is folded away in HTML and left out of
    /// Markdown unless asked for.
    pub with_descriptions: bool,
    /// The metrics' years to date of the period reported, taken before its evaluation
    /// ([`YearsToDate::of`]); `None`: taken by the report, while the evaluation is held.
    pub year_to_date: Option<&'a YearsToDate>,
}
