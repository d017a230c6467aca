//! The unit of a metric's or an input's values, which decides how reports format them.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The unit of a metric's values, which decides how reports format them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A percentage, stored as 0–100.
    Percent,
    /// An amount of money.
    Currency,
    /// A count of things.
    Count,
    /// Any other number.
    Number,
    /// A duration in seconds.
    Seconds,
    /// A score such as NPS.
    Score,
    /// Yes or no, stored as 1 and 0: a check such as "pricing page shipped".
    Boolean,
}

impl Unit {
    /// The unit as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Currency => "currency",
            Self::Count => "count",
            Self::Number => "number",
            Self::Seconds => "seconds",
            Self::Score => "score",
            Self::Boolean => "boolean",
        }
    }

    /// Digits shown in reports when a definition gives no `decimals`.
    pub fn default_decimals(self) -> u8 {
        match self {
            Self::Percent => 1,
            Self::Currency | Self::Number => 2,
            Self::Count | Self::Seconds | Self::Score | Self::Boolean => 0,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
