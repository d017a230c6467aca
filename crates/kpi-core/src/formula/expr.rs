//! The typed expression tree that formulas are turned into, and its operators.

use std::ops::Range;

use super::function::Func;

/// A value's type in a formula: numbers, or true/false from comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A number.
    Num,
    /// True or false.
    Bool,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `!c`
    Not,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%` (remainder, sign of the dividend)
    Rem,
    /// `^`
    Pow,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`; both sides are evaluated, so a missing value on either side gives no value.
    And,
    /// `||`; both sides are evaluated, like `&&`.
    Or,
}

impl BinOp {
    /// The type of both operands.
    pub fn operand_ty(self) -> Ty {
        match self {
            Self::And | Self::Or => Ty::Bool,
            _ => Ty::Num,
        }
    }

    /// The type of the result.
    pub fn result_ty(self) -> Ty {
        match self {
            Self::Add | Self::Sub | Self::Mul | Self::Div | Self::Rem | Self::Pow => Ty::Num,
            _ => Ty::Bool,
        }
    }

    /// Applies the operator to two present values (booleans are 1.0 and 0.0). The result may
    /// be non-finite; callers turn that into "no value".
    pub fn apply(self, a: f64, b: f64) -> f64 {
        let truth = |c: bool| if c { 1.0 } else { 0.0 };
        match self {
            Self::Add => a + b,
            Self::Sub => a - b,
            Self::Mul => a * b,
            Self::Div => a / b,
            Self::Rem => a % b,
            Self::Pow => a.powf(b),
            Self::Eq => truth(a == b),
            Self::Ne => truth(a != b),
            Self::Lt => truth(a < b),
            Self::Le => truth(a <= b),
            Self::Gt => truth(a > b),
            Self::Ge => truth(a >= b),
            Self::And => truth(a != 0.0 && b != 0.0),
            Self::Or => truth(a != 0.0 || b != 0.0),
        }
    }

    /// Whether a zero right operand makes the result undefined.
    pub fn divides(self) -> bool {
        matches!(self, Self::Div | Self::Rem)
    }
}

/// A validated formula expression. Names are not yet resolved to inputs or metrics.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Num(f64),
    /// `true` or `false`.
    Bool(bool),
    /// An input or metric, this month.
    Name {
        /// The name.
        name: String,
        /// Where it is in the formula.
        span: Range<usize>,
    },
    /// An input or metric `months` months earlier.
    Prev {
        /// The name.
        name: String,
        /// How many months back (1–120).
        months: u32,
        /// Where the whole `prev(...)` call is in the formula.
        span: Range<usize>,
        /// Where the name is in the formula.
        name_span: Range<usize>,
    },
    /// `-x` or `!c`.
    Unary(UnOp, Box<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `f(x)` or `min(a, b, ...)`: a function of numbers of the table, with as many
    /// arguments as its arity allows.
    Call(Func, Vec<Expr>),
    /// `if(condition, then, else)`: only the branch taken is evaluated.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// A place where a formula reads an input or metric: `name` (this month) or
/// `prev(name, k)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The input or metric.
    pub name: String,
    /// How many months back (0 for this month).
    pub months: u32,
    /// The text to replace by its value when showing the formula with values.
    pub span: Range<usize>,
    /// Where the name itself is.
    pub name_span: Range<usize>,
}

impl Expr {
    /// Every place the expression reads an input or metric, in text order.
    pub fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        // Kept with the formula for the catalog's life: no room left from growing.
        out.shrink_to_fit();
        out
    }

    fn collect_references(&self, out: &mut Vec<Reference>) {
        match self {
            Expr::Num(_) | Expr::Bool(_) => {}
            Expr::Name { name, span } => out.push(Reference {
                name: name.clone(),
                months: 0,
                span: span.clone(),
                name_span: span.clone(),
            }),
            Expr::Prev {
                name,
                months,
                span,
                name_span,
            } => out.push(Reference {
                name: name.clone(),
                months: *months,
                span: span.clone(),
                name_span: name_span.clone(),
            }),
            Expr::Unary(_, a) => a.collect_references(out),
            Expr::Binary(_, a, b) => {
                a.collect_references(out);
                b.collect_references(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect_references(out)),
            Expr::If(c, a, b) => {
                c.collect_references(out);
                a.collect_references(out);
                b.collect_references(out);
            }
        }
    }
}
