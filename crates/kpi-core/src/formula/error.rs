//! Why a formula is rejected, with the byte range in the formula text it is about.

use std::ops::Range;

use super::function;

/// A formula problem and the byte range of the formula text it points at.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct FormulaError {
    /// What is wrong.
    pub kind: FormulaErrorKind,
    /// Where, as a byte range in the formula text.
    pub span: Range<usize>,
}

impl FormulaError {
    pub(crate) fn new(kind: FormulaErrorKind, span: Range<usize>) -> Self {
        Self { kind, span }
    }

    /// How to fix it.
    pub fn help(&self) -> Option<String> {
        self.kind.help()
    }
}

/// What is wrong with a formula.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FormulaErrorKind {
    /// Nothing but spaces.
    #[error("the formula is empty")]
    Empty,
    /// Longer than the limit.
    #[error("the formula is {len} bytes long, more than the limit of {limit}")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Brackets or unary operators nested too deeply.
    #[error("the formula is nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Too many operands.
    #[error("the formula has more than {limit} operands")]
    TooManyTerms {
        /// The limit.
        limit: usize,
    },
    /// A character that has no place in a formula.
    #[error("unexpected character `{0}` in formula")]
    BadChar(char),
    /// `=` on its own.
    #[error("assignment (`=`) is not allowed in a formula")]
    Assignment,
    /// `;`
    #[error("`;` chains are not allowed in a formula")]
    Chain,
    /// `;` between a function's arguments, as spreadsheets in some languages write them.
    #[error("`;` separates arguments in a spreadsheet, not in a formula")]
    SpreadsheetSeparator {
        /// The formula with commas (and this tool's function names), to copy.
        rewritten: String,
    },
    /// A string literal.
    #[error("strings are not allowed in a formula")]
    String,
    /// A malformed number such as `1.2.3` or `3a`.
    #[error("`{0}` is not a number")]
    BadNumber(String),
    /// A number too large to be finite.
    #[error("number `{0}` is too large")]
    HugeNumber(String),
    /// `inf`, `infinity` or `nan` (any case), which evalexpr would read as a number that is
    /// not finite, and which no metric or input may be named.
    #[error(
        "`{0}` is a reserved word, neither a number nor a name: formulas have only finite numbers"
    )]
    ReservedWord(String),
    /// Two operands side by side.
    #[error("missing operator between `{0}` and `{1}`")]
    MissingOperator(String, String),
    /// An operator with nothing on one side.
    #[error("missing operand {0}")]
    MissingOperand(String),
    /// A `(` never closed.
    #[error("unclosed `(`")]
    Unclosed,
    /// A `)` with no `(`.
    #[error("unmatched `)`")]
    Unmatched,
    /// A `,` outside a function call.
    #[error("`,` outside a function call")]
    StrayComma,
    /// A function this tool does not provide.
    #[error("unknown function `{0}`")]
    UnknownFunction(String, Option<String>),
    /// A function called with the wrong number of arguments.
    #[error("`{name}` takes {expected}, not {got}")]
    Arity {
        /// The function.
        name: String,
        /// What it takes, in words: "arguments", or its [arity](super::function::Arity).
        expected: String,
        /// How many it was given.
        got: usize,
    },
    /// `prev`'s first argument is not a name.
    #[error("the first argument of `prev` must be the name of an input or metric")]
    PrevNotName,
    /// `prev`'s second argument is not a whole number from 1 to 120.
    #[error("the months in `prev(name, k)` must be a whole number from 1 to {0}")]
    PrevMonths(u32),
    /// A number where true/false is needed or the reverse.
    #[error("{0}")]
    Type(String),
    /// Anything else `evalexpr` refused.
    #[error("cannot parse the formula: {0}")]
    Parser(String),
}

impl FormulaErrorKind {
    fn help(&self) -> Option<String> {
        Some(match self {
            Self::Empty => "write an expression, for example `won / leads * 100`".into(),
            Self::TooLong { .. } | Self::TooDeep { .. } | Self::TooManyTerms { .. } => {
                "split the formula into several metrics that use each other".into()
            }
            Self::Assignment => "use `==` to compare two values".into(),
            Self::Chain | Self::String => "a formula is one arithmetic expression".into(),
            Self::SpreadsheetSeparator { rewritten } => format!(
                "separate arguments with commas, as in `if(condition, a, b)`: `{rewritten}`"
            ),
            Self::BadChar(_) | Self::BadNumber(_) => {
                "formulas use numbers (`1234.5`), names, `+ - * / % ^`, comparisons, `&& || !`, brackets and functions".into()
            }
            Self::MissingOperand(_) | Self::Unclosed | Self::Unmatched | Self::StrayComma => {
                "complete the expression: every operator needs a value on each side, every `(` a `)`".into()
            }
            Self::MissingOperator(..) => "put an operator such as `*` or `+` between them".into(),
            Self::UnknownFunction(_, Some(s)) => format!("did you mean `{s}`?"),
            Self::UnknownFunction(_, None) => {
                let names: Vec<String> = function::names().map(|f| format!("`{f}`")).collect();
                format!("available: {}", names.join(", "))
            }
            Self::PrevNotName | Self::PrevMonths(_) => {
                "write `prev(name)` for last month or `prev(name, 12)` for a year ago".into()
            }
            _ => return None,
        })
    }
}
