//! Number formatting for reports. Every number a template shows is formatted here, in Rust,
//! so that templates hold no logic and the output is the same on every machine.

mod duration;
mod grouped;
mod scientific;
mod unit;

pub use duration::duration;
pub use grouped::grouped;
pub use scientific::{LARGE, fixed, scientific};
pub use unit::{change, plain, relative, value};
