//! Which way is better for a metric: the direction its values are judged in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Bigger values are better.
    HigherIsBetter,
    /// Smaller values are better.
    LowerIsBetter,
    /// Values inside the target range are best: the target is `[low, high]`.
    Within,
}

impl Direction {
    /// The direction as written in definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher_is_better",
            Self::LowerIsBetter => "lower_is_better",
            Self::Within => "within",
        }
    }

    /// The direction in words: `higher is better`.
    pub fn phrase(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher is better",
            Self::LowerIsBetter => "lower is better",
            Self::Within => "inside the range is better",
        }
    }

    /// Whether `value` is at least as good as `bound`. With `within`, whose levels are
    /// ranges, a single number is met only exactly.
    pub fn at_least_as_good(self, value: f64, bound: f64) -> bool {
        match self {
            Self::HigherIsBetter => value >= bound,
            Self::LowerIsBetter => value <= bound,
            Self::Within => value == bound,
        }
    }
}
