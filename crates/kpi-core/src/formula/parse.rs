//! From formula text to a typed [`Expr`]: scan, parse with `evalexpr`, then walk its operator
//! tree and accept only the documented subset, with types checked (numbers versus true/false).

use std::ops::Range;

use evalexpr::{Node, Operator, Value};

use super::error::{FormulaError, FormulaErrorKind as K};
use super::expr::{BinOp, Expr, Reference, Ty, UnOp};
use super::function::{self, Apply, Func};
use super::scan::{Token, TokenKind, scan};
use crate::limits::MAX_PREV_MONTHS;
use crate::suggest::closest;

/// A parsed and validated formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// The formula as written.
    pub text: String,
    /// Its expression tree.
    pub expr: Expr,
    /// Every place it reads an input or metric, in text order: computed once here for the
    /// checks at load time, the dependency graph and the formula with values (whose spans
    /// are all that substituting values into the text needs; the tokens are dropped once
    /// parsed, 500 bytes a formula).
    pub references: Vec<Reference>,
}

/// Parses and validates `text`, the formula of a number. Fails with the first problem and its
/// byte range.
pub fn parse(text: &str) -> Result<Formula, FormulaError> {
    parse_for(text, false)
}

/// Parses and validates `text`; when `yes_no` (a metric with `unit = "boolean"`), the formula
/// may also give true/false (`incidents == 0`), which evaluates to 1 and 0.
pub fn parse_for(text: &str, yes_no: bool) -> Result<Formula, FormulaError> {
    let tokens = scan(text)?;
    let tree = evalexpr::build_operator_tree(text)
        .map_err(|e| FormulaError::new(K::Parser(e.to_string()), 0..text.len()))?;
    let mut walker = Walker {
        text,
        tokens: &tokens,
        next_name: 0,
        next_number: 0,
    };
    let (expr, ty, span) = walker.node(&tree)?;
    if ty != Ty::Num && !yes_no {
        return Err(FormulaError::new(
            K::Type(
                "the formula gives true/false, not a number (a yes/no metric says `unit = \"boolean\"`)"
                    .into(),
            ),
            span,
        ));
    }
    Ok(Formula {
        text: text.to_string(),
        references: expr.references(),
        expr,
    })
}

struct Walker<'a> {
    text: &'a str,
    tokens: &'a [Token],
    next_name: usize,
    next_number: usize,
}

type Walked = (Expr, Ty, Range<usize>);

impl Walker<'_> {
    /// The next token of `kind` in text order: `evalexpr`'s trees list leaves in text order.
    fn take(&mut self, kind: TokenKind) -> Range<usize> {
        let cursor = match kind {
            TokenKind::Name => &mut self.next_name,
            _ => &mut self.next_number,
        };
        let found = self.tokens[*cursor..]
            .iter()
            .position(|t| t.kind == kind)
            .map(|i| *cursor + i);
        match found {
            Some(i) => {
                *cursor = i + 1;
                self.tokens[i].span.clone()
            }
            None => 0..self.text.len(),
        }
    }

    /// The end of the `)` that closes the bracket opened right after the name token at byte
    /// `start`: walks the call's own tokens only, so the cost stays linear in the formula.
    fn closing(&self, start: usize) -> Option<usize> {
        let at = self
            .tokens
            .binary_search_by_key(&start, |t| t.span.start)
            .ok()?;
        let mut depth = 0usize;
        for token in &self.tokens[at + 1..] {
            match token.kind {
                TokenKind::Open => depth += 1,
                TokenKind::Close if depth <= 1 => return Some(token.span.end),
                TokenKind::Close => depth -= 1,
                _ if depth == 0 => return None,
                _ => {}
            }
        }
        None
    }

    fn whole(&self) -> Range<usize> {
        0..self.text.len()
    }

    fn node(&mut self, node: &Node) -> Result<Walked, FormulaError> {
        let children = node.children();
        match node.operator() {
            Operator::RootNode => match children {
                [only] => self.node(only),
                _ => Err(FormulaError::new(K::Empty, self.whole())),
            },
            Operator::Const { value } => self.constant(value),
            Operator::VariableIdentifierRead { identifier } => {
                let span = self.take(TokenKind::Name);
                match identifier.as_str() {
                    "true" | "false" => Ok((Expr::Bool(identifier == "true"), Ty::Bool, span)),
                    _ => Ok((
                        Expr::Name {
                            name: identifier.clone(),
                            span: span.clone(),
                        },
                        Ty::Num,
                        span,
                    )),
                }
            }
            Operator::FunctionIdentifier { identifier } => self.call(identifier, children),
            Operator::Neg => self.unary(UnOp::Neg, Ty::Num, children),
            Operator::Not => self.unary(UnOp::Not, Ty::Bool, children),
            op => {
                let bin = match op {
                    Operator::Add => BinOp::Add,
                    Operator::Sub => BinOp::Sub,
                    Operator::Mul => BinOp::Mul,
                    Operator::Div => BinOp::Div,
                    Operator::Mod => BinOp::Rem,
                    Operator::Exp => BinOp::Pow,
                    Operator::Eq => BinOp::Eq,
                    Operator::Neq => BinOp::Ne,
                    Operator::Lt => BinOp::Lt,
                    Operator::Leq => BinOp::Le,
                    Operator::Gt => BinOp::Gt,
                    Operator::Geq => BinOp::Ge,
                    Operator::And => BinOp::And,
                    Operator::Or => BinOp::Or,
                    other => {
                        return Err(FormulaError::new(
                            K::Parser(format!("`{other}` is not allowed")),
                            self.whole(),
                        ));
                    }
                };
                self.binary(bin, children)
            }
        }
    }

    fn constant(&mut self, value: &Value) -> Result<Walked, FormulaError> {
        match value {
            Value::Int(_) | Value::Float(_) => {
                let span = self.take(TokenKind::Number);
                let number = value.as_number().unwrap_or(f64::NAN);
                if !number.is_finite() {
                    let text = self.text[span.clone()].to_string();
                    return Err(FormulaError::new(K::HugeNumber(text), span));
                }
                Ok((Expr::Num(number), Ty::Num, span))
            }
            Value::Boolean(b) => {
                let span = self.take(TokenKind::Name);
                Ok((Expr::Bool(*b), Ty::Bool, span))
            }
            Value::String(_) => Err(FormulaError::new(K::String, self.whole())),
            _ => Err(FormulaError::new(K::Empty, self.whole())),
        }
    }

    fn expect(&self, (expr, ty, span): Walked, want: Ty) -> Result<Expr, FormulaError> {
        if ty == want {
            return Ok(expr);
        }
        let message = match want {
            Ty::Num => "a number is needed here, not a true/false comparison",
            Ty::Bool => "a condition (true/false) is needed here, such as `x > 0`, not a number",
        };
        Err(FormulaError::new(K::Type(message.into()), span))
    }

    fn unary(&mut self, op: UnOp, ty: Ty, children: &[Node]) -> Result<Walked, FormulaError> {
        let [operand] = children else {
            return Err(FormulaError::new(
                K::MissingOperand("after a unary operator".into()),
                self.whole(),
            ));
        };
        let walked = self.node(operand)?;
        let span = walked.2.clone();
        let expr = self.expect(walked, ty)?;
        Ok((Expr::Unary(op, Box::new(expr)), ty, span))
    }

    fn binary(&mut self, op: BinOp, children: &[Node]) -> Result<Walked, FormulaError> {
        let [left, right] = children else {
            return Err(FormulaError::new(
                K::MissingOperand("of a binary operator".into()),
                self.whole(),
            ));
        };
        let left = self.node(left)?;
        let right = self.node(right)?;
        let span = left.2.start..right.2.end;
        let (a, b) = match op {
            BinOp::Eq | BinOp::Ne if left.1 == right.1 => (left.0, right.0),
            _ => (
                self.expect(left, op.operand_ty())?,
                self.expect(right, op.operand_ty())?,
            ),
        };
        Ok((
            Expr::Binary(op, Box::new(a), Box::new(b)),
            op.result_ty(),
            span,
        ))
    }

    /// A call `name(...)`: the function of the table called `name`, given as many arguments
    /// as its arity allows; `if` and `prev` are special forms with expressions of their own.
    fn call(&mut self, name: &str, children: &[Node]) -> Result<Walked, FormulaError> {
        let name_span = self.take(TokenKind::Name);
        let Some(args_node) = children.first() else {
            return Err(FormulaError::new(
                K::Arity {
                    name: name.to_string(),
                    expected: "arguments".into(),
                    got: 0,
                },
                name_span,
            ));
        };
        let Some(spec) = function::get(name) else {
            let suggestion = function::spreadsheet(name)
                .map(|f| f.name.to_string())
                .or_else(|| closest(name, function::names()));
            return Err(FormulaError::new(
                K::UnknownFunction(name.to_string(), suggestion),
                name_span,
            ));
        };
        let args: Vec<&Node> = match args_node.children() {
            [tuple] if matches!(tuple.operator(), Operator::Tuple) => {
                tuple.children().iter().collect()
            }
            _ => vec![args_node],
        };
        if !spec.arity.accepts(args.len()) {
            return Err(FormulaError::new(
                K::Arity {
                    name: name.to_string(),
                    expected: spec.arity.to_string(),
                    got: args.len(),
                },
                name_span,
            ));
        }
        match spec.apply {
            Apply::Prev => self.prev(&args, name_span),
            Apply::If => self.if_call(&args, name_span),
            Apply::Numeric(numeric) => {
                self.numeric_call(Func::new(spec.name, numeric), &args, name_span)
            }
        }
    }

    /// `if(condition, a, b)`, its three arguments counted: a condition, then two branches of
    /// one type.
    fn if_call(&mut self, args: &[&Node], name_span: Range<usize>) -> Result<Walked, FormulaError> {
        let [c, a, b] = args[..] else {
            unreachable!("the arity of `if` is checked");
        };
        let c = self.node(c)?;
        let c = self.expect(c, Ty::Bool)?;
        let a = self.node(a)?;
        let b = self.node(b)?;
        if a.1 != b.1 {
            return Err(FormulaError::new(
                K::Type("both branches of `if` must be numbers".into()),
                a.2.start..b.2.end,
            ));
        }
        let (ty, end) = (a.1, b.2.end);
        Ok((
            Expr::If(Box::new(c), Box::new(a.0), Box::new(b.0)),
            ty,
            name_span.start..end,
        ))
    }

    /// A function of numbers, its arguments counted: each must be a number.
    fn numeric_call(
        &mut self,
        func: Func,
        args: &[&Node],
        name_span: Range<usize>,
    ) -> Result<Walked, FormulaError> {
        let mut exprs = Vec::with_capacity(args.len());
        let mut end = name_span.end;
        for arg in args {
            let walked = self.node(arg)?;
            end = walked.2.end;
            exprs.push(self.expect(walked, Ty::Num)?);
        }
        Ok((Expr::Call(func, exprs), Ty::Num, name_span.start..end))
    }

    fn prev(&mut self, args: &[&Node], call_span: Range<usize>) -> Result<Walked, FormulaError> {
        let name_node = strip_root(args[0]);
        let Operator::VariableIdentifierRead { identifier } = name_node.operator() else {
            let (_, _, span) = self.node(args[0])?;
            return Err(FormulaError::new(K::PrevNotName, span));
        };
        let name_span = self.take(TokenKind::Name);
        let mut end = name_span.end;
        let months = match args.get(1) {
            None => 1,
            Some(k) => {
                let k = strip_root(k);
                let Operator::Const { value } = k.operator() else {
                    let (_, _, span) = self.node(k)?;
                    return Err(FormulaError::new(K::PrevMonths(MAX_PREV_MONTHS), span));
                };
                let span = self.take(TokenKind::Number);
                end = span.end;
                match value {
                    Value::Int(k) if (1..=i64::from(MAX_PREV_MONTHS)).contains(k) => {
                        u32::try_from(*k).expect("range checked")
                    }
                    _ => return Err(FormulaError::new(K::PrevMonths(MAX_PREV_MONTHS), span)),
                }
            }
        };
        // The whole call, through the `)` that closes the `(` after `prev`: arguments may hold
        // brackets of their own (`prev((a), (2))`), so the first `)` is not always the end.
        let end = self.closing(call_span.start).unwrap_or(end);
        let span = call_span.start..end;
        Ok((
            Expr::Prev {
                name: identifier.clone(),
                months,
                span: span.clone(),
                name_span,
            },
            Ty::Num,
            span,
        ))
    }
}

fn strip_root(mut node: &Node) -> &Node {
    while let (Operator::RootNode, [only]) = (node.operator(), node.children()) {
        node = only;
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, Range<usize>) {
        let e = parse(text).unwrap_err();
        (e.to_string(), e.span)
    }

    #[test]
    fn builds_typed_trees() {
        let f = parse("if(s > 0, a / s, 0)").unwrap();
        assert!(matches!(f.expr, Expr::If(..)));
        let f = parse("prev(mrr, 12)").unwrap();
        assert!(matches!(f.expr, Expr::Prev { months: 12, .. }));
        // The span of a `prev` call covers its closing bracket, so that substituting a value
        // for it leaves nothing behind.
        let f = parse("a - prev( b , 2 ) + prev(c)").unwrap();
        let spans: Vec<_> = f.references.into_iter().map(|r| r.span).collect();
        assert_eq!(spans, [0..1, 4..17, 20..27]);
        // Brackets inside the arguments: the call ends at its own `)`.
        let f = parse("prev((a)) + prev(a, (2)) + (b)").unwrap();
        let spans: Vec<_> = f.references.into_iter().map(|r| r.span).collect();
        assert_eq!(spans, [0..9, 12..24, 28..29]);
        let f = parse("3 / 4").unwrap();
        assert_eq!(
            f.expr,
            Expr::Binary(
                BinOp::Div,
                Box::new(Expr::Num(3.0)),
                Box::new(Expr::Num(4.0))
            )
        );
    }

    #[test]
    fn names_in_text_order_with_spans() {
        let f = parse("(b - a) / prev(c) + min(a, d)").unwrap();
        let seen: Vec<_> = f
            .references
            .into_iter()
            .map(|r| (r.name, r.name_span, r.months))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("b".into(), 1..2, 0),
                ("a".into(), 5..6, 0),
                ("c".into(), 15..16, 1),
                ("a".into(), 24..25, 0),
                ("d".into(), 27..28, 0),
            ]
        );
    }

    #[test]
    fn rejects_what_is_not_allowed() {
        assert_eq!(
            err("a > b").0,
            "the formula gives true/false, not a number (a yes/no metric says `unit = \"boolean\"`)"
        );
        // A yes/no metric's formula may give true/false.
        assert!(parse_for("a > b", true).is_ok());
        assert_eq!(err("foo(a)"), ("unknown function `foo`".into(), 0..3));
        assert_eq!(err("mn(a, b)").1, 0..2);
        assert_eq!(err("prev(x, 0)").1, 8..9);
        assert_eq!(
            err("prev(x, 121)").0,
            "the months in `prev(name, k)` must be a whole number from 1 to 120"
        );
        assert_eq!(err("prev(x, 1.5)").1, 8..11);
        assert_eq!(
            err("prev(x + 1)").0,
            "the first argument of `prev` must be the name of an input or metric"
        );
        assert_eq!(err("if(a, 1, 2)").1, 3..4);
        assert_eq!(err("abs(a, b)").0, "`abs` takes one argument, not 2");
        assert_eq!(err("min(a)").0, "`min` takes two or more arguments, not 1");
        assert_eq!(
            err("a + (b > c)").0,
            "a number is needed here, not a true/false comparison"
        );
        assert_eq!(
            err("if(a > 1, b > 1, 2)").0,
            "both branches of `if` must be numbers"
        );
    }
}
