//! What a report is built with besides the evaluation: title, style and notes.

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
}
