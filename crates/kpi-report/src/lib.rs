//! Monthly KPI reports in HTML and Markdown.
//!
//! [`Report::build`] turns a `kpi-core` [`Evaluation`](kpi_core::Evaluation) into a
//! serialisable model in which every number is already formatted and every chart already
//! drawn; [`render()`] fills Handlebars templates ([`Templates`]) with it. Templates hold no
//! logic beyond loops and conditions, so a team restyles its report by copying them.
//!
//! This crate depends on `kpi-core` only, and never prints or writes files: it returns the
//! rendered text, or a [`ReportError`]. The same inputs always give the same bytes: no clock,
//! no randomness, no hash-map order, fixed decimals in SVG coordinates.

pub mod chart;
mod direct;
#[cfg(feature = "email")]
pub mod email;
pub mod error;
pub mod escape;
mod fields;
pub mod format;
mod formula_values;
mod helpers;
#[cfg(test)]
mod lcg;
pub mod locale;
pub mod model;
pub mod notes;
mod partials;
mod prose;
pub mod render;
pub mod templates;

#[cfg(feature = "email")]
pub use email::{Email, EmailRenderer, Envelope};
pub use error::ReportError;
pub use format::{Currency, Style};
pub use locale::Locale;
pub use model::{Attention, Options, Report};
pub use notes::Notes;
pub use render::{Format, Renderer, render};
pub use templates::Templates;
