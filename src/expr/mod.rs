//! The rule expression language: `办结 <= 交办`, `sum(其中.*) == 合计`,
//! `abs(执行率 - 执行数 / 预算数) <= 0.1%`.
//!
//! One stage per file: [`lex`] → [`parse`] → [`check`] (names, arity, units) → [`eval`],
//! over the values of [`value`]; the built-in functions are one table in [`builtins`].
//! Every node keeps its byte span in the expression text, so a rule-file error can point
//! at the exact sub-expression.

pub mod builtins;
pub mod check;
pub mod eval;
pub(crate) mod lex;
pub mod parse;
pub mod path;
pub(crate) mod pattern;
pub mod value;

use crate::figure::{Dimension, Figure};
use std::ops::Range;

pub use path::{Path, Step};

/// A byte range in the expression text.
pub(crate) type Span = Range<usize>;

/// Whether `c` may appear in a key written without quotes: letters, digits, `_`, and any
/// non-ASCII character except the operators `≤ ≥ ≠ × ÷` and whitespace.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || (!c.is_ascii() && !c.is_whitespace() && !matches!(c, '≤' | '≥' | '≠' | '×' | '÷'))
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Figures or other values by path, relative to the visited node.
    Path(Path),
    /// A number with its unit; exact, unlike a figure in a report.
    Number(Box<Figure>, String),
    Str(String),
    /// A `matches` pattern, compiled by the checker.
    Pattern(pattern::Pattern),
    Bool(bool),
    Param(String),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    Logic(LogicOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "×",
            ArithOp::Div => "÷",
        }
    }
}

/// How the dimensions of two operands combine ([`crate::figure::combine`]), by the
/// operator.
pub(crate) fn combine(
    op: ArithOp,
    a: Option<Dimension>,
    b: Option<Dimension>,
) -> Option<Option<Dimension>> {
    use crate::figure::Combine;
    let how = match op {
        ArithOp::Add | ArithOp::Sub => Combine::Add,
        ArithOp::Mul => Combine::Mul,
        ArithOp::Div => Combine::Div,
    };
    crate::figure::combine(how, a, b)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
        }
    }

    /// The relation that holds when this one fails: `≤` fails as `>`.
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

/// The built-in functions; what each is, does and takes is in its entry of the table in
/// [`builtins`] ([`Func::spec`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Sum,
    Count,
    Min,
    Max,
    Abs,
    Has,
    Blank,
    Integer,
    Matches,
    Len,
    Unit,
    Rounded,
    Exact,
    Meets,
    Band,
    Lookup,
}

impl Expr {
    /// Every sub-expression, this one first.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        visit(self);
        match &self.kind {
            ExprKind::Neg(e) | ExprKind::Not(e) => e.walk(visit),
            ExprKind::Arith(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::Logic(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.walk(visit)),
            _ => {}
        }
    }
}
