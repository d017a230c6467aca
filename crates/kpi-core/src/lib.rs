//! Core of `kpi`: loads KPI definitions from TOML, validates them, reads monthly input data
//! from CSV and evaluates every definition over every month.
//!
//! This crate knows nothing of the command line, templates or the terminal: it never prints.
//! Every problem is returned as a [`Diagnostic`] that carries its file, line and column.
//!
//! The flow is [`Catalog::load`] (definitions) + [`Dataset::load`] (data) → [`evaluate`] →
//! [`Evaluation`], queried per metric and month.

pub mod attribution;
pub mod catalog;
mod compile;
pub mod config;
pub mod data;
pub mod definition;
pub mod delivery;
pub mod diagnostic;
pub mod direction;
pub mod eval;
pub mod example;
pub mod examples;
pub mod formula;
pub mod in_order;
pub mod index;
pub mod input;
mod layers;
#[cfg(test)]
mod lcg;
pub mod library;
pub mod limits;
pub mod names;
pub mod numbers;
pub mod objective;
pub mod period;
mod problems;
pub mod read;
pub mod reported;
pub mod schema;
mod shape;
pub mod source;
pub mod suggest;
pub mod target;
mod toml_error;
pub mod translation;
pub mod unit;

pub use catalog::{Catalog, Metric};
pub use config::ProjectConfig;
pub use data::Dataset;
pub use definition::Kind;
pub use diagnostic::{Diagnostic, Diagnostics, FileKind, Problem, Severity};
pub use direction::Direction;
pub use eval::{Cell, Evaluation, Reason, evaluate};
pub use index::{MetricIndex, MonthIndex};
pub use period::Period;
pub use source::{Location, SameMeaning, SourceFile};
pub use target::{InForce, Judgement, LevelSource, Origin, Pace, PaceLine, Rule, Status, Target};
pub use unit::Unit;
