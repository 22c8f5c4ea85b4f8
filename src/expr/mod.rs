//! The rule expression language: `办结 <= 交办`, `sum(其中.*) == 合计`,
//! `abs(执行率 - 执行数 / 预算数) <= 0.1%`.
//!
//! One stage per file: [`lex`] → [`parse`] → [`check`] (names, arity, units) → [`eval`].
//! Every node keeps its byte span in the expression text, so a rule-file error can point
//! at the exact sub-expression.

pub mod check;
pub mod eval;
pub mod lex;
pub mod parse;
pub mod path;
pub mod pattern;

use crate::figure::Figure;
use std::ops::Range;

pub use path::{Path, Step};

/// A byte range in the expression text.
pub type Span = Range<usize>;

/// Whether `c` may appear in a key written without quotes: letters, digits, `_`, and any
/// non-ASCII character except the operators `≤ ≥ ≠ × ÷` and whitespace.
pub fn is_name_char(c: char) -> bool {
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
    Pattern(check::Pattern),
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
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "×",
            ArithOp::Div => "÷",
        }
    }
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
    pub fn symbol(self) -> &'static str {
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

/// The built-in functions. Each variant's doc is what `hecha` documents for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `sum(path, ...)`: the sum of every figure the paths select.
    Sum,
    /// `count(path)`: how many non-empty values the path selects.
    Count,
    /// `min(x, ...)`: the smallest of the numbers (or of the figures a path selects).
    Min,
    /// `max(x, ...)`: the largest.
    Max,
    /// `abs(x)`: the absolute value.
    Abs,
    /// `has(path)`: the path selects a value that is not empty.
    Has,
    /// `blank(path)`: the path selects nothing, or only empty values or blank text.
    Blank,
    /// `integer(x)`: x is a whole number.
    Integer,
    /// `matches(x, "regex")`: the text of x, as written, matches the regular expression.
    Matches,
    /// `len(path)`: the number of items of a list or entries of a mapping, or of items
    /// separated by 「、」 in a text.
    Len,
    /// `unit(x)`: the unit of a figure as written (`人次`, `万元`, `%`), or "" for a bare number.
    Unit,
    /// `rounded(x)`: x read as rounded to its last written place, even where a whole number
    /// would be exact: a score written `9` stands for 8.5–9.5, as one computed and rounded.
    Rounded,
    /// `exact(x)`: x taken as exactly the number written, without its rounding interval:
    /// `10.00` is 10 (full marks), `0万元` is 0 (a cell left at zero). Bounds stay bounds.
    Exact,
    /// `meets(actual, target, nature...)`: the actual value reaches the target in the
    /// direction the target states: `≥50个` at least, `≤90万元` at most, `100%` exactly.
    /// A target written without a comparator takes it from the first `nature` argument
    /// that is filled: text such as `≥`, `≤`, `=`, `正向`, `反向` (`定性`: not checked).
    Meets,
    /// `band(label, x, t1, "A", t2, "B", ..., "Z")`: the label written is the band x falls
    /// in: "A" from t1 up, "B" from t2 up to t1, ..., "Z" below the last threshold.
    Band,
    /// `lookup(x)`: the value at the path written in the text x
    /// (`项目资金.年度资金总额.全年执行数`), looked up from where x is written outward: in
    /// the mapping holding x, then its parent, and so on to the top of the document; the
    /// nearest match wins.
    Lookup,
}

impl Func {
    pub const ALL: [(&'static str, Func); 16] = [
        ("sum", Func::Sum),
        ("count", Func::Count),
        ("min", Func::Min),
        ("max", Func::Max),
        ("abs", Func::Abs),
        ("has", Func::Has),
        ("blank", Func::Blank),
        ("integer", Func::Integer),
        ("matches", Func::Matches),
        ("len", Func::Len),
        ("unit", Func::Unit),
        ("rounded", Func::Rounded),
        ("exact", Func::Exact),
        ("meets", Func::Meets),
        ("band", Func::Band),
        ("lookup", Func::Lookup),
    ];

    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        Func::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
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
