//! Formulas compiled for evaluation: a flat list of instructions whose operands are columns
//! (one `f64` per month) — registers, input columns or the values of metrics already
//! computed — run over all months at once.
//!
//! Names are resolved to columns here, once, when the catalog is loaded. A missing value is
//! NaN; every instruction propagates it, and any non-finite result becomes NaN, so `inf` and
//! `NaN` never escape as values.

use crate::formula::{BinOp, Expr, Func, Numeric, UnOp};

/// A column an instruction reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Operand {
    /// A scratch register.
    Reg(usize),
    /// An input column, by index into the catalog's inputs.
    Input(usize),
    /// A metric's values, by index into the catalog's metrics.
    Metric(usize),
}

/// One step of a program; `dst` is always a register.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Instr {
    /// Fill with a constant.
    Const { dst: usize, value: f64 },
    /// Copy a column shifted `shift` months later (`prev`), NaN before the start.
    Shift {
        dst: usize,
        src: Operand,
        shift: usize,
    },
    /// `-a` or `!a`.
    Unary { op: UnOp, dst: usize, a: Operand },
    /// `a op b`.
    Binary {
        op: BinOp,
        dst: usize,
        a: Operand,
        b: Operand,
    },
    /// A function of one number ([`Numeric::Map`]).
    Map {
        f: fn(f64) -> f64,
        dst: usize,
        a: Operand,
    },
    /// A function of two numbers ([`Numeric::Fold`], `min` or `max`) of two columns.
    Fold {
        f: fn(f64, f64) -> f64,
        dst: usize,
        a: Operand,
        b: Operand,
    },
    /// `if(c, a, b)`.
    Select {
        dst: usize,
        c: Operand,
        a: Operand,
        b: Operand,
    },
}

/// A formula compiled against a catalog.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub(crate) code: Vec<Instr>,
    pub(crate) registers: usize,
    pub(crate) result: Operand,
}

/// Compiles `expr`; `resolve` maps a name to its input or metric column.
pub(crate) fn compile(expr: &Expr, resolve: &impl Fn(&str) -> Operand) -> Program {
    let mut program = Program {
        code: Vec::new(),
        registers: 0,
        result: Operand::Reg(0),
    };
    program.result = emit(expr, resolve, &mut program);
    // Kept for the catalog's life, one per definition: no room left from growing.
    program.code.shrink_to_fit();
    program
}

fn fresh(p: &mut Program) -> usize {
    p.registers += 1;
    p.registers - 1
}

fn emit(expr: &Expr, resolve: &impl Fn(&str) -> Operand, p: &mut Program) -> Operand {
    let dst = match expr {
        Expr::Name { name, .. } => return resolve(name),
        Expr::Num(value) => {
            let dst = fresh(p);
            p.code.push(Instr::Const { dst, value: *value });
            dst
        }
        Expr::Bool(b) => {
            let dst = fresh(p);
            p.code.push(Instr::Const {
                dst,
                value: f64::from(u8::from(*b)),
            });
            dst
        }
        Expr::Prev { name, months, .. } => {
            let dst = fresh(p);
            p.code.push(Instr::Shift {
                dst,
                src: resolve(name),
                shift: *months as usize,
            });
            dst
        }
        Expr::Unary(op, a) => {
            let a = emit(a, resolve, p);
            let dst = fresh(p);
            p.code.push(Instr::Unary { op: *op, dst, a });
            dst
        }
        Expr::Binary(op, a, b) => {
            let a = emit(a, resolve, p);
            let b = emit(b, resolve, p);
            let dst = fresh(p);
            p.code.push(Instr::Binary { op: *op, dst, a, b });
            dst
        }
        Expr::Call(func, args) => return emit_call(*func, args, resolve, p),
        Expr::If(c, a, b) => {
            let c = emit(c, resolve, p);
            let a = emit(a, resolve, p);
            let b = emit(b, resolve, p);
            let dst = fresh(p);
            p.code.push(Instr::Select { dst, c, a, b });
            dst
        }
    };
    Operand::Reg(dst)
}

/// A function of numbers: one instruction for a map, one per argument after the first for
/// a fold.
fn emit_call(
    func: Func,
    args: &[Expr],
    resolve: &impl Fn(&str) -> Operand,
    p: &mut Program,
) -> Operand {
    let first = emit(&args[0], resolve, p);
    match func.numeric() {
        Numeric::Map(f) => {
            let dst = fresh(p);
            p.code.push(Instr::Map { f, dst, a: first });
            Operand::Reg(dst)
        }
        Numeric::Fold(f) => {
            let mut acc = first;
            for arg in &args[1..] {
                let b = emit(arg, resolve, p);
                let dst = fresh(p);
                p.code.push(Instr::Fold { f, dst, a: acc, b });
                acc = Operand::Reg(dst);
            }
            acc
        }
    }
}

/// Keeps finite results; anything else is "no value".
#[inline(always)]
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { f64::NAN }
}

/// The columns a program reads: inputs, metric values so far (metric-major), registers.
pub(crate) struct Columns<'a> {
    pub(crate) inputs: &'a [&'a [f64]],
    pub(crate) values: &'a [f64],
    pub(crate) months: usize,
}

impl Columns<'_> {
    #[inline(always)]
    fn get<'r>(&'r self, registers: &'r [Vec<f64>], operand: Operand) -> &'r [f64] {
        match operand {
            Operand::Reg(r) => &registers[r],
            Operand::Input(i) => self.inputs[i],
            Operand::Metric(m) => &self.values[m * self.months..(m + 1) * self.months],
        }
    }
}

/// Runs `program` over all months; the result is in `program.result`, read with
/// [`Columns::result`]. `registers` must hold at least `program.registers` columns.
pub(crate) fn run(program: &Program, columns: &Columns<'_>, registers: &mut [Vec<f64>]) {
    for instr in &program.code {
        match *instr {
            Instr::Const { dst, value } => registers[dst].fill(value),
            Instr::Shift { dst, src, shift } => {
                let mut out = std::mem::take(&mut registers[dst]);
                let column = columns.get(registers, src);
                let shift = shift.min(columns.months);
                out[..shift].fill(f64::NAN);
                out[shift..].copy_from_slice(&column[..columns.months - shift]);
                registers[dst] = out;
            }
            Instr::Unary { op, dst, a } => match op {
                UnOp::Neg => unary(columns, registers, dst, a, |x| -x),
                UnOp::Not => unary(columns, registers, dst, a, |x| {
                    if x.is_nan() {
                        x
                    } else {
                        f64::from(u8::from(x == 0.0))
                    }
                }),
            },
            Instr::Map { f, dst, a } => unary(columns, registers, dst, a, |x| finite(f(x))),
            // NaN operands give NaN through arithmetic, and x / 0 is never finite, so the
            // four common operators need no explicit checks.
            Instr::Binary { op, dst, a, b } => match op {
                BinOp::Add => binary(columns, registers, dst, a, b, |x, y| finite(x + y)),
                BinOp::Sub => binary(columns, registers, dst, a, b, |x, y| finite(x - y)),
                BinOp::Mul => binary(columns, registers, dst, a, b, |x, y| finite(x * y)),
                BinOp::Div => binary(columns, registers, dst, a, b, |x, y| finite(x / y)),
                _ => binary(columns, registers, dst, a, b, |x, y| {
                    if x.is_nan() || y.is_nan() {
                        f64::NAN
                    } else {
                        finite(op.apply(x, y))
                    }
                }),
            },
            Instr::Fold { f, dst, a, b } => binary(columns, registers, dst, a, b, |x, y| {
                if x.is_nan() || y.is_nan() {
                    f64::NAN
                } else {
                    f(x, y)
                }
            }),
            Instr::Select { dst, c, a, b } => {
                let mut out = std::mem::take(&mut registers[dst]);
                let (c, a, b) = (
                    columns.get(registers, c),
                    columns.get(registers, a),
                    columns.get(registers, b),
                );
                for (((o, &c), &a), &b) in out.iter_mut().zip(c).zip(a).zip(b) {
                    *o = if c.is_nan() {
                        f64::NAN
                    } else if c != 0.0 {
                        a
                    } else {
                        b
                    };
                }
                registers[dst] = out;
            }
        }
    }
}

impl Columns<'_> {
    /// The column holding a program's result after [`run`].
    pub(crate) fn result<'r>(&'r self, registers: &'r [Vec<f64>], program: &Program) -> &'r [f64] {
        self.get(registers, program.result)
    }
}

#[inline(always)]
fn unary(
    columns: &Columns<'_>,
    registers: &mut [Vec<f64>],
    dst: usize,
    a: Operand,
    f: impl Fn(f64) -> f64,
) {
    let mut out = std::mem::take(&mut registers[dst]);
    for (o, &x) in out.iter_mut().zip(columns.get(registers, a)) {
        *o = f(x);
    }
    registers[dst] = out;
}

#[inline(always)]
fn binary(
    columns: &Columns<'_>,
    registers: &mut [Vec<f64>],
    dst: usize,
    a: Operand,
    b: Operand,
    f: impl Fn(f64, f64) -> f64,
) {
    let mut out = std::mem::take(&mut registers[dst]);
    let (a, b) = (columns.get(registers, a), columns.get(registers, b));
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = f(x, y);
    }
    registers[dst] = out;
}
