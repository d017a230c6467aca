//! A scan of the raw formula text: tokens with byte ranges, and a check of the token order
//! (operand, operator, operand…) and of the nesting depth, done before `evalexpr` sees the
//! text so that every error has a position and no input can overflow its recursive parser.

use std::ops::Range;

use super::error::{FormulaError, FormulaErrorKind as K};
use super::function;
use crate::limits::{MAX_FORMULA_BYTES, MAX_FORMULA_DEPTH, MAX_FORMULA_TERMS};
use crate::names::is_reserved;

/// A token of a formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is, as a byte range in the formula.
    pub span: Range<usize>,
}

/// The kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A number literal.
    Number,
    /// A name (input, metric, function, `true`, `false`).
    Name,
    /// `(`
    Open,
    /// `)`
    Close,
    /// `,`
    Comma,
    /// `-` or `!`, or a binary operator.
    Operator,
}

/// Splits `text` into tokens and checks their order. Fails on the first problem.
pub(crate) fn scan(text: &str) -> Result<Vec<Token>, FormulaError> {
    if text.len() > MAX_FORMULA_BYTES {
        return Err(FormulaError::new(
            K::TooLong {
                len: text.len(),
                limit: MAX_FORMULA_BYTES,
            },
            0..0,
        ));
    }
    let tokens = tokenize(text)?;
    check_order(text, &tokens)?;
    Ok(tokens)
}

/// The end of the name that starts at `start`, refusing a `.` after it and the reserved words
/// that are not names: `true` and `false` are the formula's booleans, while `inf`, `nan` and
/// the like would reach evalexpr as numbers that are not finite.
fn name_end(text: &str, start: usize) -> Result<usize, FormulaError> {
    let bytes = text.as_bytes();
    let end = word_end(bytes, start);
    if bytes.get(end) == Some(&b'.') {
        return Err(FormulaError::new(K::BadChar('.'), end..end + 1));
    }
    let word = &text[start..end];
    if is_reserved(word) && word != "true" && word != "false" {
        return Err(FormulaError::new(
            K::ReservedWord(word.to_string()),
            start..end,
        ));
    }
    Ok(end)
}

fn tokenize(text: &str) -> Result<Vec<Token>, FormulaError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = text[i..].chars().next().expect("i is a char boundary");
        let kind = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '0'..='9' | '.' => {
                i = number_end(bytes, i);
                let word_end = word_end(bytes, i);
                if word_end > i || text[start..i].parse::<f64>().is_err() {
                    let end = word_end.max(i);
                    return Err(FormulaError::new(
                        K::BadNumber(text[start..end].to_string()),
                        start..end,
                    ));
                }
                if !text[start..i].parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(FormulaError::new(
                        K::HugeNumber(text[start..i].to_string()),
                        start..i,
                    ));
                }
                TokenKind::Number
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                i = name_end(text, start)?;
                TokenKind::Name
            }
            '(' => {
                i += 1;
                TokenKind::Open
            }
            ')' => {
                i += 1;
                TokenKind::Close
            }
            ',' => {
                i += 1;
                TokenKind::Comma
            }
            '+' | '-' | '*' | '/' | '%' | '^' => {
                i += 1;
                TokenKind::Operator
            }
            '<' | '>' | '!' => {
                i += if bytes.get(i + 1) == Some(&b'=') {
                    2
                } else {
                    1
                };
                TokenKind::Operator
            }
            '=' if bytes.get(i + 1) == Some(&b'=') => {
                i += 2;
                TokenKind::Operator
            }
            '&' if bytes.get(i + 1) == Some(&b'&') => {
                i += 2;
                TokenKind::Operator
            }
            '|' if bytes.get(i + 1) == Some(&b'|') => {
                i += 2;
                TokenKind::Operator
            }
            '=' => return Err(FormulaError::new(K::Assignment, i..i + 1)),
            // Inside brackets, `;` is a spreadsheet's argument separator (`SI(a > 0; 1; 0)`).
            ';' if open_brackets(&tokens) > 0 => {
                let rewritten = spreadsheet_to_formula(text);
                return Err(FormulaError::new(
                    K::SpreadsheetSeparator { rewritten },
                    i..i + 1,
                ));
            }
            ';' => return Err(FormulaError::new(K::Chain, i..i + 1)),
            '"' | '\'' => {
                let end = text[i + 1..].find(c).map_or(text.len(), |j| i + j + 2);
                return Err(FormulaError::new(K::String, i..end));
            }
            other => {
                return Err(FormulaError::new(
                    K::BadChar(other),
                    i..i + other.len_utf8(),
                ));
            }
        };
        tokens.push(Token {
            kind,
            span: start..i,
        });
    }
    Ok(tokens)
}

/// A spreadsheet formula as this tool writes it: `;` as `,`, and function names such as
/// `SI` or `IF` as `if`.
fn spreadsheet_to_formula(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_alphabetic() || c == '_' {
            let end = word_end(rest.as_bytes(), 0);
            let word = &rest[..end];
            let call = rest[end..].trim_start().starts_with('(');
            match function::spreadsheet(word) {
                Some(f) if call => out.push_str(f.name),
                _ => out.push_str(word),
            }
            rest = &rest[end..];
        } else {
            out.push(if c == ';' { ',' } else { c });
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// How many brackets are open after `tokens`.
fn open_brackets(tokens: &[Token]) -> isize {
    tokens
        .iter()
        .map(|t| match t.kind {
            TokenKind::Open => 1,
            TokenKind::Close => -1,
            _ => 0,
        })
        .sum()
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            i = j;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    i
}

fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    i
}

/// Checks that operands and operators alternate, brackets balance, commas sit inside calls,
/// and that nesting stays within [`MAX_FORMULA_DEPTH`].
fn check_order(text: &str, tokens: &[Token]) -> Result<(), FormulaError> {
    if tokens.is_empty() {
        return Err(FormulaError::new(K::Empty, 0..text.len()));
    }
    let mut order = Order {
        text,
        tokens,
        brackets: Vec::new(),
        expect_operand: true,
        unary_run: 0,
        operands: 0,
    };
    for (i, token) in tokens.iter().enumerate() {
        order.check_depth(token)?;
        if order.expect_operand {
            order.where_operand(i, token)?;
        } else {
            order.after_operand(i, token)?;
        }
    }
    order.finish()
}

/// What [`check_order`] knows after the tokens it has seen.
struct Order<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// For each open bracket: whether it is a call's, and its token index.
    brackets: Vec<(bool, usize)>,
    /// Whether the next token must start an operand: at the start, after an operator, a `(`
    /// or a `,`.
    expect_operand: bool,
    /// Unary operators in a row before the operand to come: each is a level of nesting.
    unary_run: usize,
    /// Operands seen, bounded by [`MAX_FORMULA_TERMS`].
    operands: usize,
}

impl<'a> Order<'a> {
    fn slice(&self, token: &Token) -> &'a str {
        &self.text[token.span.clone()]
    }

    /// Open brackets and unary operators in a row both nest `evalexpr`'s recursive parser.
    fn check_depth(&self, token: &Token) -> Result<(), FormulaError> {
        if self.brackets.len() + self.unary_run > MAX_FORMULA_DEPTH {
            return Err(FormulaError::new(
                K::TooDeep {
                    limit: MAX_FORMULA_DEPTH,
                },
                token.span.clone(),
            ));
        }
        Ok(())
    }

    /// Token `i` where an operand must start: a number, a name, `(` or a unary `-` or `!`.
    fn where_operand(&mut self, i: usize, token: &Token) -> Result<(), FormulaError> {
        match token.kind {
            TokenKind::Number | TokenKind::Name => self.operand(i, token)?,
            TokenKind::Open => {
                let is_call_bracket = i > 0
                    && self.tokens[i - 1].kind == TokenKind::Name
                    && self
                        .brackets
                        .last()
                        .is_some_and(|&(call, at)| call && at == i);
                if !is_call_bracket {
                    self.brackets.push((false, i));
                }
                self.unary_run = 0;
            }
            TokenKind::Operator if matches!(self.slice(token), "-" | "!") => self.unary_run += 1,
            TokenKind::Close => return Err(self.close_without_operand(i, token)),
            TokenKind::Operator | TokenKind::Comma => {
                return Err(missing_operand_before(self.text, token));
            }
        }
        Ok(())
    }

    /// A number or a name at token `i`; a name followed by `(` is a call, whose bracket
    /// opens here and is where its first argument starts.
    fn operand(&mut self, i: usize, token: &Token) -> Result<(), FormulaError> {
        self.operands += 1;
        if self.operands > MAX_FORMULA_TERMS {
            return Err(FormulaError::new(
                K::TooManyTerms {
                    limit: MAX_FORMULA_TERMS,
                },
                token.span.clone(),
            ));
        }
        let is_call = token.kind == TokenKind::Name
            && self
                .tokens
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Open);
        // A call's name is followed by its bracket, which is an operand start.
        self.expect_operand = is_call;
        self.unary_run = 0;
        if is_call {
            self.brackets.push((true, i + 1));
        }
        Ok(())
    }

    /// A `)` at token `i` where an operand should be: a call without arguments (`f()`), or
    /// an operator or `(` left without its operand.
    fn close_without_operand(&self, i: usize, token: &Token) -> FormulaError {
        let empty_call = self
            .brackets
            .last()
            .is_some_and(|&(call, at)| call && at + 1 == i);
        if !empty_call {
            return missing_operand_before(self.text, token);
        }
        let name = &self.tokens[i - 2];
        FormulaError::new(
            K::Arity {
                name: self.slice(name).to_string(),
                expected: "arguments".into(),
                got: 0,
            },
            name.span.start..token.span.end,
        )
    }

    /// Token `i` after an operand: a binary operator, a `)` that closes a bracket, or a `,`
    /// between a call's arguments.
    fn after_operand(&mut self, i: usize, token: &Token) -> Result<(), FormulaError> {
        match token.kind {
            TokenKind::Operator if !matches!(self.slice(token), "!") => self.expect_operand = true,
            TokenKind::Close => {
                if self.brackets.pop().is_none() {
                    return Err(FormulaError::new(K::Unmatched, token.span.clone()));
                }
            }
            TokenKind::Comma => {
                if !self.brackets.last().is_some_and(|&(call, _)| call) {
                    return Err(FormulaError::new(K::StrayComma, token.span.clone()));
                }
                self.expect_operand = true;
            }
            _ => {
                let previous = &self.tokens[i - 1];
                return Err(FormulaError::new(
                    K::MissingOperator(
                        self.slice(previous).to_string(),
                        self.slice(token).to_string(),
                    ),
                    previous.span.start..token.span.end,
                ));
            }
        }
        Ok(())
    }

    /// At the end: the last operator has its operand, and every bracket is closed.
    fn finish(self) -> Result<(), FormulaError> {
        if self.expect_operand {
            let last = self.tokens.last().expect("not empty");
            return Err(FormulaError::new(
                K::MissingOperand(format!("after `{}`", self.slice(last))),
                last.span.clone(),
            ));
        }
        if let Some(&(_, at)) = self.brackets.last() {
            return Err(FormulaError::new(K::Unclosed, self.tokens[at].span.clone()));
        }
        Ok(())
    }
}

fn missing_operand_before(text: &str, token: &Token) -> FormulaError {
    FormulaError::new(
        K::MissingOperand(format!("before `{}`", &text[token.span.clone()])),
        token.span.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, Range<usize>) {
        let e = scan(text).unwrap_err();
        (e.to_string(), e.span)
    }

    #[test]
    fn accepts_formulas() {
        for ok in [
            "a + b",
            "if(s > 0, a / s, 0)",
            "-a",
            "!(a > b) && c <= 2",
            "prev(x, 12)",
            "min(a, max(b, c), 3)",
            "2.5e3 * x",
            "- - a",
            "(a)",
            "a^2 % 3",
        ] {
            assert!(scan(ok).is_ok(), "{ok}: {:?}", scan(ok));
        }
    }

    #[test]
    fn rejects_with_positions() {
        assert_eq!(
            err("a b"),
            ("missing operator between `a` and `b`".into(), 0..3)
        );
        assert_eq!(err("3 +"), ("missing operand after `+`".into(), 2..3));
        assert_eq!(err("a + + b"), ("missing operand before `+`".into(), 4..5));
        assert_eq!(err("  "), ("the formula is empty".into(), 0..2));
        assert_eq!(err("a = 3").1, 2..3);
        assert_eq!(err("a; b").1, 1..2);
        assert_eq!(err("x + \"s\"").1, 4..7);
        assert_eq!(err("1..2").0, "`1..2` is not a number");
        assert_eq!(err("a.b").1, 1..2);
        assert_eq!(err("(a + b").1, 0..1);
        assert_eq!(err("a + b)").1, 5..6);
        assert_eq!(err("a, b").0, "`,` outside a function call");
        assert_eq!(err("f()").0, "`f` takes arguments, not 0");
        assert_eq!(err("3a").0, "`3a` is not a number");
        assert_eq!(err("1e999").0, "number `1e999` is too large");
        assert_eq!(
            err("1 + NaN").0,
            "`NaN` is a reserved word, neither a number nor a name: formulas have only finite numbers"
        );
        assert_eq!(err("infinity").1, 0..8);
        assert_eq!(err("a & b").0, "unexpected character `&` in formula");
        assert_eq!(err("a # b").0, "unexpected character `#` in formula");
    }

    #[test]
    fn bounds_depth_and_size() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(
            err(&deep)
                .0
                .contains("bytes long, more than the limit of 2000")
        );
        let deep = format!("{}a{}", "(".repeat(65), ")".repeat(65));
        assert_eq!(
            err(&deep).0,
            "the formula is nested more than 64 levels deep"
        );
        let unary = format!("{}a", "-".repeat(65));
        assert_eq!(
            err(&unary).0,
            "the formula is nested more than 64 levels deep"
        );
        // Thousands of levels within the length limit: refused by depth, not by the stack.
        let unary = format!("{}a", "-".repeat(1_990));
        assert_eq!(
            err(&unary).0,
            "the formula is nested more than 64 levels deep"
        );
        let deep = format!("{}a{}", "(".repeat(64), ")".repeat(64));
        assert!(scan(&deep).is_ok());
        let unary = format!("{}a", "-".repeat(64));
        assert!(scan(&unary).is_ok());
        let long = "a + ".repeat(300) + "a";
        assert!(err(&long).0.contains("more than"));
    }
}
