//! The built-in functions, in one table: name, arity, signature, documentation, type
//! rule and evaluation. The parser finds a function by name here, the checker calls its
//! type rule, the evaluator calls its evaluation through [`Func::spec`] (so `eval.rs`
//! needs nothing from this file), the visit planner reads what it may assume of a call,
//! and the README's table of functions is generated from the docs (a test keeps it so).

use super::check::{Checker, Ty};
use super::eval::{CondFns, Eval, Evaluator, Recorder, Res, ValFns};
use super::parse::parse_path;
use super::value::{Cond, EvalError, EvalErrorKind, Fact, Num, Stop, Text, Val};
use super::{ArithOp, CmpOp, Expr, ExprKind, Func, Path, Span, combine};
use crate::figure::{Bound, Interval, Truth, comparable};
use crate::report::{NodeId, Value, is_blank_text};
use rust_decimal::Decimal;

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Exactly(usize),
    AtLeast(usize),
    /// `band`: a label and a value, then pairs of threshold and label, then a last label.
    Bands,
}

impl Arity {
    pub(crate) fn fits(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::AtLeast(k) => n >= k,
            Arity::Bands => n >= 5 && !n.is_multiple_of(2),
        }
    }
}

/// One built-in function.
#[derive(Debug)]
pub struct Builtin {
    pub func: Func,
    pub name: &'static str,
    /// How it is written, as the docs show it: `sum(path, ...)`.
    pub signature: &'static str,
    pub arity: Arity,
    /// The arity, as an error message says it: `一个参数`.
    pub expects: &'static str,
    /// What it gives, for the README's table (Markdown).
    pub doc: &'static str,
    /// The type rule: checks the arguments (their number already checked) and gives the
    /// type of the call.
    pub check: fn(&mut Checker, Func, &mut [Expr]) -> Ty,
    pub eval: Eval,
    /// For the visit planner: the call has no result unless its first argument selects a
    /// scalar (`integer(.)` is not applicable at a mapping).
    pub needs_scalar: bool,
    /// For the visit planner: the call is false wherever its path argument selects
    /// nothing (`has`).
    pub false_where_absent: bool,
}

macro_rules! cond_fn {
    ($f:ident) => {
        Eval::Cond(CondFns {
            quiet: $f,
            record: $f,
        })
    };
}

macro_rules! val_fn {
    ($f:ident) => {
        Eval::Val(ValFns {
            quiet: $f,
            record: $f,
        })
    };
}

const fn builtin(
    func: Func,
    name: &'static str,
    signature: &'static str,
    (arity, expects): (Arity, &'static str),
    doc: &'static str,
    check: fn(&mut Checker, Func, &mut [Expr]) -> Ty,
    eval: Eval,
) -> Builtin {
    Builtin {
        func,
        name,
        signature,
        arity,
        expects,
        doc,
        check,
        eval,
        needs_scalar: false,
        false_where_absent: false,
    }
}

const ONE: (Arity, &str) = (Arity::Exactly(1), "一个参数");
const SOME: (Arity, &str) = (Arity::AtLeast(1), "至少一个参数");

/// Every built-in function, in the order of [`Func`] (a test checks it).
pub(crate) static TABLE: [Builtin; 16] = [
    builtin(
        Func::Sum,
        "sum",
        "sum(path, ...)",
        SOME,
        "the sum of every figure selected (lists and mappings are skipped; `sum(构成.*, 构成.*.合计)` reaches nested totals)",
        check_aggregate,
        val_fn!(sum),
    ),
    builtin(
        Func::Count,
        "count",
        "count(path)",
        ONE,
        "how many non-empty values are selected",
        check_path_arg,
        val_fn!(count),
    ),
    builtin(
        Func::Min,
        "min",
        "min(x, ...)",
        SOME,
        "the smallest of the numbers, or of the figures a path selects, over intervals",
        check_aggregate,
        val_fn!(min),
    ),
    builtin(
        Func::Max,
        "max",
        "max(x, ...)",
        SOME,
        "the largest of the numbers, or of the figures a path selects, over intervals",
        check_aggregate,
        val_fn!(max),
    ),
    builtin(
        Func::Abs,
        "abs",
        "abs(x)",
        ONE,
        "the absolute value, over intervals",
        check_number_arg,
        val_fn!(abs),
    ),
    Builtin {
        false_where_absent: true,
        ..builtin(
            Func::Has,
            "has",
            "has(path)",
            ONE,
            "the path selects a non-empty value",
            check_path_arg,
            cond_fn!(has),
        )
    },
    builtin(
        Func::Blank,
        "blank",
        "blank(path)",
        ONE,
        "the path selects nothing, or only empty values or blank text",
        check_path_arg,
        cond_fn!(blank),
    ),
    Builtin {
        needs_scalar: true,
        ..builtin(
            Func::Integer,
            "integer",
            "integer(x)",
            ONE,
            "x is a whole number",
            check_integer,
            cond_fn!(integer),
        )
    },
    Builtin {
        needs_scalar: true,
        ..builtin(
            Func::Matches,
            "matches",
            "matches(x, \"regex\")",
            (Arity::Exactly(2), "两个参数：值和正则表达式"),
            "the text of x as written matches (Rust `regex` syntax, linear time)",
            check_matches,
            cond_fn!(matches),
        )
    },
    builtin(
        Func::Len,
        "len",
        "len(path)",
        ONE,
        "items of a list, entries of a mapping, or items separated by 「、」 in a text",
        check_path_arg,
        val_fn!(len),
    ),
    Builtin {
        needs_scalar: true,
        ..builtin(
            Func::Unit,
            "unit",
            "unit(x)",
            ONE,
            "the unit of a figure (`人次`, `元`, `%`), `\"\"` for a bare number",
            check_unit,
            val_fn!(unit),
        )
    },
    builtin(
        Func::Rounded,
        "rounded",
        "rounded(x)",
        ONE,
        "x read as rounded to its last written place, even a whole number that is otherwise exact (a score `9` is 8.5–9.5)",
        check_number_arg,
        val_fn!(rounded_fn),
    ),
    builtin(
        Func::Exact,
        "exact",
        "exact(x)",
        ONE,
        "x as exactly the number written, without its rounding interval (`10.00` is 10); a bound stays a bound",
        check_number_arg,
        val_fn!(exact_fn),
    ),
    builtin(
        Func::Meets,
        "meets",
        "meets(actual, target, nature, ...)",
        (
            Arity::AtLeast(2),
            "至少两个参数：实际值、目标值，可再加指标性质",
        ),
        "the actual value reaches the target in the direction written in the target (`≥50个`, `≤90万元`); a target without a comparator takes it from the first filled `nature` (`≥`, `≤`, `=`, `正向`, `反向`; `定性` is not checked), else `=`. The target's number is exact",
        check_meets,
        val_fn!(meets),
    ),
    builtin(
        Func::Band,
        "band",
        "band(label, x, t1, \"A\", t2, \"B\", ..., \"Z\")",
        (
            Arity::Bands,
            "标签和数值，再成对写下限和标签（从高到低），最后写最低一档的标签",
        ),
        "the label is the band of x: \"A\" from t1 up, \"B\" from t2 up, …, \"Z\" below; `\"优\\|优秀\"` lists words for one band. Uncertain when x's interval straddles a threshold",
        check_band,
        val_fn!(band),
    ),
    builtin(
        Func::Lookup,
        "lookup",
        "lookup(x)",
        ONE,
        "the value at the path written in the text x, looked up from where x is written outward (the mapping holding x, then its parent, …, to the top of the file); the nearest match wins",
        check_lookup,
        val_fn!(lookup),
    ),
];

impl Func {
    /// The function's entry in [`TABLE`].
    pub(crate) fn spec(self) -> &'static Builtin {
        &TABLE[self as usize]
    }

    pub(crate) fn name(self) -> &'static str {
        self.spec().name
    }

    pub(crate) fn from_name(name: &str) -> Option<Func> {
        TABLE.iter().find(|b| b.name == name).map(|b| b.func)
    }
}

/// The README's table of functions, as Markdown.
pub fn markdown_table() -> String {
    let mut out = String::from("| function | value |\n|---|---|\n");
    for b in &TABLE {
        out.push_str(&format!("| `{}` | {} |\n", b.signature, b.doc));
    }
    out
}

// Type rules.

fn check_aggregate(c: &mut Checker, func: Func, args: &mut [Expr]) -> Ty {
    let mut dim = None;
    for arg in args.iter_mut() {
        let ty = c.ty(arg);
        let d = if ty == Ty::Values {
            None
        } else {
            c.want_num(ty, &arg.span)
        };
        match combine(ArithOp::Add, dim, d) {
            Some(next) => dim = next,
            None => c.units(func.name(), dim, d, &arg.span),
        }
    }
    Ty::Num(dim)
}

/// `count`, `len`, `has`, `blank`: a path.
fn check_path_arg(c: &mut Checker, func: Func, args: &mut [Expr]) -> Ty {
    if !matches!(args[0].kind, ExprKind::Path(_)) {
        c.needs_path(func.name(), &args[0].span);
    }
    if func == Func::Len && c.ty(&mut args[0]) == Ty::Values {
        c.many_values(&args[0].span);
    }
    if matches!(func, Func::Count | Func::Len) {
        Ty::Num(None)
    } else {
        Ty::Bool
    }
}

/// `abs`, `rounded`, `exact`: a number, of the dimension of the argument.
fn check_number_arg(c: &mut Checker, _: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    Ty::Num(c.want_num(ty, &args[0].span))
}

fn check_lookup(c: &mut Checker, _: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    c.want_text(ty, &args[0].span);
    Ty::Value
}

fn check_meets(c: &mut Checker, func: Func, args: &mut [Expr]) -> Ty {
    let (actual, rest) = args.split_first_mut().expect("arity checked");
    let ty = c.ty(actual);
    let dim = c.want_num(ty, &actual.span);
    let (target, natures) = rest.split_first_mut().expect("arity checked");
    c.want_comparable(func, dim, target);
    for nature in natures {
        let ty = c.ty(nature);
        c.want_text(ty, &nature.span);
    }
    Ty::Bool
}

fn check_band(c: &mut Checker, func: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    c.want_text(ty, &args[0].span);
    let ty = c.ty(&mut args[1]);
    let mut dim = c.want_num(ty, &args[1].span);
    let n = args.len();
    // Thresholds at even places 2, 4, ...; labels after each and at the end.
    for (i, arg) in args.iter_mut().enumerate().skip(2) {
        if i.is_multiple_of(2) && i + 1 < n {
            dim = c.want_comparable(func, dim, arg);
        } else {
            let ty = c.ty(arg);
            c.want_text(ty, &arg.span);
        }
    }
    Ty::Bool
}

fn check_integer(c: &mut Checker, _: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    c.want_num(ty, &args[0].span);
    Ty::Bool
}

fn check_unit(c: &mut Checker, func: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    if !matches!(ty, Ty::Value | Ty::Error) {
        c.needs_path(func.name(), &args[0].span);
    }
    Ty::Text
}

fn check_matches(c: &mut Checker, _: Func, args: &mut [Expr]) -> Ty {
    let ty = c.ty(&mut args[0]);
    c.want_text_as_written(ty, &args[0].span);
    c.pattern(&mut args[1]);
    Ty::Bool
}

// Evaluation.

fn path_arg(args: &[Expr], i: usize) -> Option<&Path> {
    match &args[i].kind {
        ExprKind::Path(p) => Some(p),
        _ => None,
    }
}

fn sum<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    ev.aggregate(Func::Sum, args, node, span)
}

fn min<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    ev.aggregate(Func::Min, args, node, span)
}

fn max<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    ev.aggregate(Func::Max, args, node, span)
}

fn count<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    _: &Span,
) -> Res<Val> {
    let nodes = path_arg(args, 0)
        .map(|p| p.resolve(ev.report, node, ev.budget))
        .unwrap_or_default();
    let n = nodes
        .iter()
        .filter(|&&n| !matches!(ev.report.node(n).value, Value::Null))
        .count();
    Ok(Val::Num(Num::counted(n)))
}

fn len<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId, _: &Span) -> Res<Val> {
    let target = path_arg(args, 0)
        .and_then(|p| p.resolve_one(ev.report, node, ev.budget))
        .ok_or(Stop::NotApplicable)?;
    let n = match &ev.report.node(target).value {
        Value::Map(c) | Value::Seq(c) => c.len(),
        Value::Scalar(s) => {
            ev.budget.charge(s.text.len() / 256);
            s.text
                .split('、')
                .filter(|item| !item.trim().is_empty())
                .count()
        }
        Value::Null => return Err(Stop::NotApplicable),
    };
    let mut num = Num::counted(n);
    if R::ON {
        num.figures = vec![target];
        num.arith = format!("{n}（列举项数）");
    }
    Ok(Val::Num(num))
}

fn abs<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId, _: &Span) -> Res<Val> {
    let n = ev.num(&args[0], node)?;
    let arith = if R::ON {
        format!("|{}|", n.arith)
    } else {
        String::new()
    };
    Ok(Val::Num(Num {
        interval: n.interval.abs(),
        point: n.point.abs(),
        arith,
        prec: 0,
        figure: None,
        ..n
    }))
}

fn rounded_fn<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    let n = ev.num(&args[0], node)?;
    let interval = rounded(&n).ok_or_else(|| ev.overflow(span, &n))?;
    Ok(Val::Num(Num { interval, ..n }))
}

fn exact_fn<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    _: &Span,
) -> Res<Val> {
    let n = ev.num(&args[0], node)?;
    Ok(Val::Num(Num {
        interval: exact(&n),
        ..n
    }))
}

fn meets<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    ev.meets(args, node, span)
}

fn band<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    ev.band(args, node, span)
}

fn lookup<R: Recorder>(
    ev: &mut Evaluator<'_, R>,
    args: &[Expr],
    node: NodeId,
    span: &Span,
) -> Res<Val> {
    let Val::Text(text) = ev.eval(&args[0], node)? else {
        return Err(Stop::NotApplicable);
    };
    let written = text.text.trim();
    // From where the path is written outward: the nearest mapping where it exists.
    let start = text.node.unwrap_or(node);
    let target = parse_path(written)
        .ok()
        .filter(Path::is_singular)
        .and_then(|p| {
            std::iter::successors(Some(start), |&n| ev.report.node(n).parent)
                .find_map(|scope| p.resolve_one(ev.report, scope, ev.budget))
        });
    match target {
        Some(target) => ev.node_value(target),
        None => Err(Stop::Error(EvalError {
            kind: EvalErrorKind::Reference(written.to_string()),
            span: span.clone(),
            nodes: text.node.into_iter().collect(),
        })),
    }
}

fn unit<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId, _: &Span) -> Res<Val> {
    let target = path_arg(args, 0)
        .and_then(|p| p.resolve_one(ev.report, node, ev.budget))
        .ok_or(Stop::NotApplicable)?;
    let figure = ev.report.figure(target).ok_or(Stop::NotApplicable)?;
    let text = figure.unit.map_or("", |u| u.name).to_string();
    Ok(Val::Text(Text {
        text,
        node: Some(target),
    }))
}

/// `has` and `blank`: whether the path selects a filled value.
fn filled<R: Recorder>(ev: &Evaluator<'_, R>, args: &[Expr], node: NodeId, has: bool) -> bool {
    let is_filled = |n: NodeId| match &ev.report.node(n).value {
        Value::Null => false,
        Value::Scalar(s) => !s.is_blank(),
        Value::Map(c) | Value::Seq(c) => has || !c.is_empty(),
    };
    match path_arg(args, 0) {
        // The common case, without collecting the selection.
        Some(p) if p.is_singular() => p
            .resolve_one(ev.report, node, ev.budget)
            .is_some_and(is_filled),
        Some(p) => p
            .resolve(ev.report, node, ev.budget)
            .into_iter()
            .any(is_filled),
        None => false,
    }
}

fn has<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId) -> Res<Cond> {
    Ok(Cond::plain(filled(ev, args, node, true)))
}

fn blank<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId) -> Res<Cond> {
    Ok(Cond::plain(!filled(ev, args, node, false)))
}

fn integer<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId) -> Res<Cond> {
    let whole = |d: Decimal| d.fract().is_zero();
    let judge = |interval: &Interval, point: Decimal| match (interval.lo, interval.hi) {
        (Some(lo), Some(hi)) if lo == hi => Truth::from_bool(whole(lo)),
        // No whole number lies in [lo, hi].
        (Some(lo), Some(hi)) if lo.ceil() > hi => Truth::False,
        _ if whole(point) => Truth::True,
        _ => Truth::Unknown,
    };
    let (truth, written, because) = if let ExprKind::Path(path) = &args[0].kind {
        // A figure: judged in place; the number is made only for the fact.
        let target = path
            .resolve_one(ev.report, node, ev.budget)
            .ok_or(Stop::NotApplicable)?;
        let figure = ev.report.figure(target).ok_or(Stop::NotApplicable)?;
        let truth = judge(&figure.interval, figure.value);
        let because = if truth == Truth::False && R::ON {
            let n = ev.figure_num(target).expect("a figure");
            ev.fact(|| Fact::NotWhole(n))
        } else {
            Vec::new()
        };
        (truth, whole(figure.value), because)
    } else {
        let n = ev.num(&args[0], node)?;
        let truth = judge(&n.interval, n.point);
        let written = whole(n.point);
        let because = if truth == Truth::False {
            ev.fact(|| Fact::NotWhole(n))
        } else {
            Vec::new()
        };
        (truth, written, because)
    };
    Ok(Cond {
        truth,
        written,
        because,
        differs_as_written: false,
    })
}

fn matches<R: Recorder>(ev: &mut Evaluator<'_, R>, args: &[Expr], node: NodeId) -> Res<Cond> {
    let ExprKind::Pattern(pattern) = &args[1].kind else {
        return Err(Stop::NotApplicable);
    };
    let (holds, because) = match text_in_place(ev, &args[0], node)? {
        // A scalar's text or a figure's unit: matched in place, without a copy.
        Some((text, at)) => {
            // Matching is linear in the text; a long text costs steps of the budget.
            ev.budget.charge(text.len() / 256);
            let holds = match ev.memo {
                Some(memo) => memo.is_match(pattern, text),
                None => pattern.is_match(text),
            };
            let because = ev.fact(|| Fact::Matched {
                text: Text {
                    text: text.to_string(),
                    node: Some(at),
                },
                found: pattern.regex().find(text).map(|m| m.range()),
            });
            (holds, because)
        }
        None => {
            let text = match ev.eval(&args[0], node)? {
                Val::Text(t) => t,
                Val::Num(n) => match n.figure {
                    Some(f) => Text {
                        text: ev.report.text(f).unwrap_or("").to_string(),
                        node: Some(f),
                    },
                    None => return Err(Stop::NotApplicable),
                },
                _ => return Err(Stop::NotApplicable),
            };
            ev.budget.charge(text.text.len() / 256);
            let found = pattern.regex().find(&text.text).map(|m| m.range());
            let holds = found.is_some();
            (holds, ev.fact(|| Fact::Matched { text, found }))
        }
    };
    Ok(Cond {
        because,
        ..Cond::plain(holds)
    })
}

/// The text `matches` reads, borrowed, and the node it is from, for the arguments that
/// are a path (a scalar's text as written) or `unit(path)`; `None` for other arguments.
fn text_in_place<'a, R: Recorder>(
    ev: &Evaluator<'a, R>,
    arg: &Expr,
    node: NodeId,
) -> Res<Option<(&'a str, NodeId)>> {
    let report = ev.report;
    match &arg.kind {
        ExprKind::Path(path) => {
            let target = path
                .resolve_one(report, node, ev.budget)
                .ok_or(Stop::NotApplicable)?;
            match &report.node(target).value {
                Value::Scalar(s) => Ok(Some((&s.text, target))),
                _ => Err(Stop::NotApplicable),
            }
        }
        ExprKind::Call(Func::Unit, args) => match &args[0].kind {
            ExprKind::Path(path) => {
                let target = path
                    .resolve_one(report, node, ev.budget)
                    .ok_or(Stop::NotApplicable)?;
                let figure = report.figure(target).ok_or(Stop::NotApplicable)?;
                Ok(Some((figure.unit.map_or("", |u| u.name), target)))
            }
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

impl<R: Recorder> Evaluator<'_, R> {
    /// `meets(actual, target, nature...)`: the actual value against the target, in the
    /// direction the target is written with, or else the first nature given, or else `=`.
    fn meets(&mut self, args: &[Expr], node: NodeId, span: &Span) -> Res<Val> {
        let actual = self.num(&args[0], node)?;
        let target = self.num(&args[1], node)?;
        // A bound (`≥50个`) is open on one side: that is the direction it is written with.
        let op = match (target.interval.lo, target.interval.hi) {
            (Some(_), None) => CmpOp::Ge,
            (None, Some(_)) => CmpOp::Le,
            _ => self.nature(&args[2..], node)?,
        };
        // A target is a norm, not a measurement: the number written is exact.
        let target = Num {
            interval: Interval::point(target.point),
            additive: false,
            quotient: false,
            ..target
        };
        let actual = Num {
            additive: false,
            quotient: false,
            ..actual
        };
        self.compare(op, Val::Num(actual), Val::Num(target), span)
            .map(Val::Cond)
    }

    /// The comparator the first filled nature argument names; `=` when none is filled.
    fn nature(&mut self, args: &[Expr], node: NodeId) -> Res<CmpOp> {
        for arg in args {
            let text = match self.eval(arg, node) {
                Ok(Val::Text(t)) if !is_blank_text(&t.text) => t.text,
                Ok(_) | Err(Stop::NotApplicable) => continue,
                Err(e) => return Err(e),
            };
            // Qualitative (定性) or unknown words: there is no direction to check.
            return nature_op(&text).ok_or(Stop::NotApplicable);
        }
        Ok(CmpOp::Eq)
    }

    /// `band(label, x, t1, "A", ..., "Z")`: whether the label is the band x falls in.
    fn band(&mut self, args: &[Expr], node: NodeId, span: &Span) -> Res<Val> {
        let label = match self.eval(&args[0], node)? {
            Val::Text(t) if !is_blank_text(&t.text) => t,
            _ => return Err(Stop::NotApplicable),
        };
        let value = self.num(&args[1], node)?;
        // From the top: each band's lower threshold (none for the last) and its label.
        let mut bands: Vec<(Option<Num>, String)> = Vec::new();
        for pair in args[2..].chunks(2) {
            let threshold = match pair {
                [t, _] => {
                    let t = self.num(t, node)?;
                    if !comparable(value.dim, t.dim) {
                        return Err(self.units_error("band", &value, &t, span));
                    }
                    Some(t)
                }
                _ => None,
            };
            let Val::Text(name) = self.eval(&pair[pair.len() - 1], node)? else {
                return Err(Stop::NotApplicable);
            };
            bands.push((threshold, name.text.trim().to_string()));
        }
        // A label may list the words it is written with: "优|优秀".
        let names = |label: &str| -> Vec<String> {
            label.split('|').map(|w| w.trim().to_string()).collect()
        };
        let reaches = |x: Decimal, t: &Option<Num>| t.as_ref().is_none_or(|t| x >= t.point);
        let index = bands
            .iter()
            .position(|(t, _)| reaches(value.point, t))
            .unwrap_or(bands.len() - 1);
        // Every band some value in the interval falls in.
        let possible: Vec<Vec<String>> = bands
            .iter()
            .enumerate()
            .filter(|(i, (lower, _))| {
                let upper = i.checked_sub(1).and_then(|above| bands[above].0.as_ref());
                let below_upper = match (value.interval.lo, upper) {
                    (Some(lo), Some(u)) => lo < u.point,
                    _ => true,
                };
                let above_lower = match (value.interval.hi, lower) {
                    (Some(hi), Some(l)) => hi >= l.point,
                    _ => true,
                };
                below_upper && above_lower
            })
            .map(|(_, (_, name))| names(name))
            .collect();
        let written = label.text.trim();
        let is = |words: &Vec<String>| words.iter().any(|w| w == written);
        let truth = match possible.iter().filter(|words| is(words)).count() {
            0 => Truth::False,
            _ if possible.len() == 1 => Truth::True,
            _ => Truth::Unknown,
        };
        let expected_words = names(&bands[index].1);
        let holds = is(&expected_words);
        let expected = expected_words[0].clone();
        let because = self.fact(|| Fact::Band {
            lower: bands[index].0.clone(),
            upper: index.checked_sub(1).and_then(|i| bands[i].0.clone()),
            label,
            value,
            expected,
        });
        Ok(Val::Cond(Cond {
            truth,
            written: holds,
            because,
            differs_as_written: false,
        }))
    }

    /// `sum`, `min`, `max` over numbers and every figure the path arguments select.
    fn aggregate(&mut self, func: Func, args: &[Expr], node: NodeId, span: &Span) -> Res<Val> {
        let mut items = Vec::new();
        for arg in args {
            match &arg.kind {
                ExprKind::Path(p) if !p.is_singular() || func == Func::Sum => {
                    for n in p.resolve(self.report, node, self.budget) {
                        match &self.report.node(n).value {
                            Value::Null => {}
                            Value::Scalar(s) if s.is_blank() => {}
                            Value::Scalar(_) => match self.figure_num(n) {
                                Some(num) => items.push(num),
                                None => return Err(Stop::NotApplicable),
                            },
                            // A nested breakdown is not a figure; its total is reached by
                            // a deeper path (`sum(构成.*, 构成.*.合计)`).
                            Value::Map(_) | Value::Seq(_) => {}
                        }
                    }
                }
                _ => items.push(self.num(arg, node)?),
            }
        }
        if items.is_empty() {
            return Err(Stop::NotApplicable);
        }
        // Group by dimension; a bare number joins the first group.
        let mut groups: Vec<Num> = Vec::new();
        for item in items {
            let slot = groups
                .iter()
                .position(|g| g.dim == item.dim || item.dim.is_none() || g.dim.is_none());
            match slot {
                Some(i) => {
                    let acc = groups.remove(i);
                    let combined = match func {
                        Func::Sum => self.arith(ArithOp::Add, acc, item, span)?,
                        _ => self.extreme(func, acc, item),
                    };
                    groups.insert(i, combined);
                }
                None => groups.push(item),
            }
        }
        if func != Func::Sum {
            for g in &mut groups {
                if R::ON {
                    let name = func.name();
                    g.arith = format!("{name}({})", g.arith);
                    g.prec = 0;
                }
            }
        }
        if func == Func::Sum {
            // Grouped by unit: a comparison takes the group in the unit it meets.
            Ok(Val::Mixed(groups))
        } else if groups.len() == 1 {
            Ok(Val::Num(groups.pop().expect("one group")))
        } else {
            Err(self.units_error(func.name(), &groups[0], &groups[1], span))
        }
    }

    fn extreme(&self, func: Func, mut a: Num, b: Num) -> Num {
        let take_a = if func == Func::Min {
            a.point <= b.point
        } else {
            a.point >= b.point
        };
        let interval = if func == Func::Min {
            a.interval.min(b.interval)
        } else {
            a.interval.max(b.interval)
        };
        let arith = if R::ON {
            let mut text = a.term(&a.shown, u8::MAX);
            text.push_str(", ");
            text.push_str(&b.term(&b.shown, u8::MAX));
            text
        } else {
            String::new()
        };
        let computed = a.computed || b.computed;
        let mut figures = std::mem::take(&mut a.figures);
        figures.extend(b.figures.iter().copied());
        let keep = if take_a { a } else { b };
        Num {
            interval,
            arith,
            prec: 0,
            computed,
            figures,
            figure: None,
            additive: false,
            quotient: false,
            ..keep
        }
    }
}

/// The comparison a target's nature (指标性质) names: a comparator (`≥`, `不低于`, `小于等于`)
/// as a figure would be written with, or one of these words.
fn nature_op(text: &str) -> Option<CmpOp> {
    const WORDS: &[(&str, CmpOp)] = &[
        ("=", CmpOp::Eq),
        ("＝", CmpOp::Eq),
        ("等于", CmpOp::Eq),
        ("正向", CmpOp::Ge),
        ("反向", CmpOp::Le),
    ];
    let text = text.trim();
    match crate::figure::comparator(text) {
        Some((Bound::AtLeast, _)) => Some(CmpOp::Ge),
        Some((Bound::AtMost, _)) => Some(CmpOp::Le),
        _ => WORDS
            .iter()
            .find(|(word, _)| text.starts_with(word))
            .map(|(_, op)| *op),
    }
}

/// `exact(x)`: the value as written, with no rounding interval; a bound stays a bound.
fn exact(n: &Num) -> Interval {
    if n.interval.lo.is_some() && n.interval.hi.is_some() {
        Interval::point(n.point)
    } else {
        n.interval
    }
}

/// `rounded(x)`: x as rounded to its last written place, even a whole number that would
/// be exact. Computed numbers and bounds keep their interval; `None` on overflow.
fn rounded(n: &Num) -> Option<Interval> {
    let (Some(d), Some(lo), Some(hi)) = (n.decimals, n.interval.lo, n.interval.hi) else {
        return Some(n.interval);
    };
    let half = Decimal::try_new(5, d + 1)
        .ok()?
        .checked_mul(n.shown.scale())?;
    let around = Interval::around(n.point, half).ok()?;
    Some(Interval {
        lo: around.lo.map(|x| x.min(lo)),
        hi: around.hi.map(|x| x.max(hi)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_func() {
        for (i, b) in TABLE.iter().enumerate() {
            assert_eq!(b.func as usize, i, "{}", b.name);
            assert_eq!(Func::from_name(b.name), Some(b.func));
        }
    }

    /// The README's table of functions is this table's docs; to update it, run
    /// `UPDATE_README=1 cargo test --lib readme_function_table`.
    #[test]
    fn readme_function_table_is_generated_from_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let start = readme
            .find("| function | value |")
            .expect("the table in the README");
        let end = start + readme[start..].find("\n\n").expect("its end") + 1;
        let table = markdown_table();
        if readme[start..end] != table && std::env::var_os("UPDATE_README").is_some() {
            std::fs::write(
                path,
                format!("{}{table}{}", &readme[..start], &readme[end..]),
            )
            .unwrap();
            return;
        }
        assert!(
            readme[start..end] == table,
            "the README's table of functions is out of date; regenerate it with\n  \
             UPDATE_README=1 cargo test --lib readme_function_table"
        );
    }
}
