//! Formulas: checked on the raw text, parsed with `evalexpr`, turned into a typed [`Expr`]
//! and then compiled for evaluation.
//!
//! `evalexpr` accepts much that is not a formula (`a b`, `3 +`, strings, assignments) and its
//! errors have no position, so [`scan`] checks the text first and gives every complaint a
//! byte range; [`parse`] then walks `evalexpr`'s operator tree and accepts only the documented
//! subset. Every function a formula may call is a row of [`function::FUNCTIONS`], which the
//! scanner, the parser, the compiler, the evaluators and the messages all read.

mod error;
mod expr;
pub mod function;
mod parse;
mod scan;

pub use error::FormulaError;
pub use expr::{BinOp, Expr, Reference, Ty, UnOp};
pub use function::{Func, FunctionSpec, Numeric};
pub use parse::{Formula, parse, parse_for};
pub use scan::{Token, TokenKind};
