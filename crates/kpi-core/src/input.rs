//! What a definition declares of an input (a column of the monthly data): its unit, its
//! column and how the rows of a month combine. Below both definitions, which declare inputs,
//! and data, which reads them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::source::{Location, SameMeaning, Spot};
use crate::unit::Unit;

/// A declared input: a column of the monthly data.
#[derive(Debug, Clone)]
pub struct InputDecl {
    /// How it reads in a sentence, for reports (`finance's MRR budget`): reports name a
    /// target series or a missing input by it; without one, by the input's id, humanised.
    pub name: Option<String>,
    /// What it is.
    pub description: Option<String>,
    /// Its unit.
    pub unit: Unit,
    /// The data column (or long-table name) that holds it, when not spelled as the input.
    pub column: Option<String>,
    /// How the rows of one month combine; without it, two values in a month are an error.
    pub aggregate: Option<Aggregate>,
    /// Where it is declared: its `[inputs.<name>]` header.
    pub(crate) declared: Spot,
    /// Where its `column` is written, which may be another file than its declaration (a
    /// team's file that changes a standard definition): a warning about the column points
    /// there.
    pub(crate) column_written: Option<Spot>,
}

impl InputDecl {
    /// Where it is declared: its `[inputs.<name>]` header.
    pub fn location(&self) -> Location {
        self.declared.location()
    }

    /// The file that declares it.
    pub fn path(&self) -> &std::path::Path {
        self.declared.path()
    }

    /// Where a problem about the input's column points: its `column` key when given, else
    /// its declaration.
    pub fn column_at(&self) -> Location {
        self.column_written
            .as_ref()
            .unwrap_or(&self.declared)
            .location()
    }
}

/// `[inputs.<name>] aggregate = "..."`: how several values of one month combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The total.
    Sum,
    /// The arithmetic mean.
    Mean,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The value of the earliest row (by its date and time; ties: file order).
    First,
    /// The value of the latest row (by its date and time; ties: file order).
    Last,
    /// How many non-empty cells.
    Count,
}

impl Aggregate {
    /// Every aggregate, as written in definitions.
    pub const ALL: [Aggregate; 7] = [
        Self::Sum,
        Self::Mean,
        Self::Min,
        Self::Max,
        Self::First,
        Self::Last,
        Self::Count,
    ];

    /// The aggregate as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sum => "sum",
            Self::Mean => "mean",
            Self::Min => "min",
            Self::Max => "max",
            Self::First => "first",
            Self::Last => "last",
            Self::Count => "count",
        }
    }
}

impl fmt::Display for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SameMeaning for InputDecl {
    /// Every key as written, not where the declaration is.
    fn same_meaning(&self, other: &Self) -> bool {
        self.name == other.name
            && self.description == other.description
            && self.unit == other.unit
            && self.column == other.column
            && self.aggregate == other.aggregate
    }
}
