//! Number formatting for reports. Every number a template shows is formatted here, in Rust,
//! so that templates hold no logic and the output is the same on every machine. A [`Style`]
//! carries the locale (separators, `%`, month names) and the project's currency.

mod currency;
mod duration;
mod grouped;
mod level;
mod scientific;
mod style;
mod unit;

pub use currency::money;
pub use duration::duration;
pub use grouped::grouped;
pub use level::{level, range, target_level};
pub use scientific::{LARGE, fixed, scientific, scientific_in};
pub use style::{Currency, Style};
pub use unit::{change, plain, relative, value};
