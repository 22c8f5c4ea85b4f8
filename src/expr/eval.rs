//! Evaluator: an expression at one visited node of a report.
//!
//! Numbers carry the interval they may stand for and their value as written; conditions
//! are three-valued ([`Truth`]) and carry their as-written value too, which is how a sum
//! that is off only within rounding becomes an info finding rather than a failure.
//!
//! There is one evaluator, generic over a [`Recorder`]. A rule is evaluated once with
//! [`Quiet`], which records nothing (monomorphised, so the recording costs nothing); only
//! when it fails is it evaluated again with [`Record`], which keeps the arithmetic as text
//! and the facts that decided the result. Both run the same code, so they agree on truth
//! by construction. Built-in functions are called through their table ([`Func::spec`],
//! in `builtins.rs`), which this module does not import.

use super::check::{ParamValue, Params};
use super::pattern::Memo;
use super::value::{Cond, EvalError, EvalErrorKind, Fact, Num, ShownUnit, Side, Stop, Text, Val};
use super::{ArithOp, CmpOp, Expr, ExprKind, LogicOp, Path, Span, combine};
use crate::engine::Budget;
use crate::figure::{ArithError, Dimension, Figure, Interval, Truth, comparable};
use crate::report::{NodeId, Report, Value};
use rust_decimal::Decimal;

pub(crate) type Res<T> = Result<T, Stop>;

/// Bytes of recorded arithmetic a sum is written out to before the rest is elided.
const MAX_ARITH: usize = 300;
const ELIDED: &str = " + …";

/// What an evaluation keeps beyond its result: nothing ([`Quiet`]), or the arithmetic as
/// text and the facts a finding cites ([`Record`]).
pub trait Recorder: Sized {
    /// Whether arithmetic and facts are kept; a constant, so the quiet evaluator has no
    /// recording code at all.
    const ON: bool;
    /// Keeps a fact; its index, or nothing when not recording.
    fn keep(&mut self, fact: Fact) -> Vec<usize>;
    /// The built-in's evaluation, instantiated for this recorder.
    fn cond_fn(e: &CondFns) -> CondFn<Self>;
    fn val_fn(e: &ValFns) -> ValFn<Self>;
}

/// The recorder of the fast path: keeps nothing.
#[derive(Debug, Default)]
pub struct Quiet;

/// The recorder of the path that words a finding: keeps every fact.
#[derive(Debug, Default)]
pub struct Record {
    pub(crate) facts: Vec<Fact>,
}

impl Recorder for Quiet {
    const ON: bool = false;
    fn keep(&mut self, _: Fact) -> Vec<usize> {
        Vec::new()
    }
    fn cond_fn(e: &CondFns) -> CondFn<Self> {
        e.quiet
    }
    fn val_fn(e: &ValFns) -> ValFn<Self> {
        e.quiet
    }
}

impl Recorder for Record {
    const ON: bool = true;
    fn keep(&mut self, fact: Fact) -> Vec<usize> {
        self.facts.push(fact);
        vec![self.facts.len() - 1]
    }
    fn cond_fn(e: &CondFns) -> CondFn<Self> {
        e.record
    }
    fn val_fn(e: &ValFns) -> ValFn<Self> {
        e.record
    }
}

/// A built-in function that gives a condition, as the evaluator calls it.
pub(crate) type CondFn<R> = for<'a, 'e> fn(&mut Evaluator<'a, R>, &'e [Expr], NodeId) -> Res<Cond>;
/// A built-in function that gives a value, as the evaluator calls it.
pub(crate) type ValFn<R> =
    for<'a, 'e> fn(&mut Evaluator<'a, R>, &'e [Expr], NodeId, &'e Span) -> Res<Val>;

/// One condition built-in, instantiated for each recorder.
#[derive(Clone, Copy)]
pub struct CondFns {
    pub(crate) quiet: CondFn<Quiet>,
    pub(crate) record: CondFn<Record>,
}

/// One value built-in, instantiated for each recorder.
#[derive(Clone, Copy)]
pub struct ValFns {
    pub(crate) quiet: ValFn<Quiet>,
    pub(crate) record: ValFn<Record>,
}

/// How the evaluator calls a built-in function.
#[derive(Clone, Copy)]
pub enum Eval {
    /// `has`, `blank`, `integer`, `matches`: a condition, made without going through
    /// [`Val`], which a rule run on every node of a report notices.
    Cond(CondFns),
    Val(ValFns),
}

impl std::fmt::Debug for Eval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Eval::Cond(_) => "Eval::Cond",
            Eval::Val(_) => "Eval::Val",
        })
    }
}

pub struct Evaluator<'a, R: Recorder = Quiet> {
    pub(crate) report: &'a Report,
    pub(crate) params: &'a Params,
    /// An absolute tolerance replacing rounding intervals in comparisons.
    pub(crate) tolerance: Option<&'a Figure>,
    /// Answers of `matches` remembered over the report, if the caller keeps them.
    pub(crate) memo: Option<&'a Memo>,
    /// Where the nodes that resolving paths visits are counted.
    pub(crate) budget: &'a Budget,
    pub(crate) rec: R,
}

impl<'a> Evaluator<'a, Quiet> {
    pub fn new(
        report: &'a Report,
        params: &'a Params,
        tolerance: Option<&'a Figure>,
        budget: &'a Budget,
    ) -> Evaluator<'a, Quiet> {
        Evaluator {
            report,
            params,
            tolerance,
            memo: None,
            budget,
            rec: Quiet,
        }
    }

    /// The same evaluator, recording arithmetic and facts.
    pub fn recording(self) -> Evaluator<'a, Record> {
        Evaluator {
            report: self.report,
            params: self.params,
            tolerance: self.tolerance,
            memo: self.memo,
            budget: self.budget,
            rec: Record::default(),
        }
    }
}

/// What the evaluation of a condition decided, without what was recorded: its truth,
/// its truth as written and whether sums differ as written; or why it stopped (`None`
/// when it does not apply, else the error's kind). The quiet and the recording
/// evaluator must give the same (a differential test and the fuzz target check it).
pub fn decided(res: &Res<Cond>) -> Result<(Truth, bool, bool), Option<EvalErrorKind>> {
    match res {
        Ok(c) => Ok((c.truth, c.written, c.differs_as_written)),
        Err(Stop::NotApplicable) => Err(None),
        Err(Stop::Error(e)) => Err(Some(e.kind.clone())),
    }
}

impl<'a> Evaluator<'a, Record> {
    /// The facts recorded so far; a condition's `because` indexes them.
    pub fn facts(&self) -> &[Fact] {
        &self.rec.facts
    }
}

impl<'a, R: Recorder> Evaluator<'a, R> {
    /// Evaluates a condition at `node`. Conditions are evaluated here without going
    /// through [`Val`], which a rule run on every node of a report notices.
    pub fn cond(&mut self, expr: &Expr, node: NodeId) -> Res<Cond> {
        match &expr.kind {
            ExprKind::Not(inner) => self.not(inner, node),
            ExprKind::Logic(op, a, b) => self.logic(*op, a, b, node),
            ExprKind::Call(func, args) => match &func.spec().eval {
                Eval::Cond(e) => R::cond_fn(e)(self, args, node),
                Eval::Val(_) => self.cond_of_val(expr, node),
            },
            // `$key != "合计"`: texts compared in place, without copying them.
            ExprKind::Compare(op @ (CmpOp::Eq | CmpOp::Ne), a, b) => {
                match (self.text_of(a, node), self.text_of(b, node)) {
                    (Some(x), Some(y)) => {
                        let holds = (x.trim() == y.trim()) == (*op == CmpOp::Eq);
                        let text = |t: &str| {
                            Side::Text(Text {
                                text: t.to_string(),
                                node: None,
                            })
                        };
                        let because = self.fact(|| Fact::Compare {
                            op: *op,
                            lhs: text(x),
                            rhs: text(y),
                            truth: Truth::from_bool(holds),
                            written: holds,
                            excluded: Vec::new(),
                            tolerance: None,
                            differs_as_written: false,
                        });
                        Ok(Cond {
                            because,
                            ..Cond::plain(holds)
                        })
                    }
                    _ => self.cond_of_val(expr, node),
                }
            }
            _ => self.cond_of_val(expr, node),
        }
    }

    fn cond_of_val(&mut self, expr: &Expr, node: NodeId) -> Res<Cond> {
        match self.eval(expr, node)? {
            Val::Cond(c) => Ok(c),
            _ => Err(Stop::NotApplicable),
        }
    }

    fn not(&mut self, inner: &Expr, node: NodeId) -> Res<Cond> {
        let c = self.cond(inner, node)?;
        Ok(Cond {
            truth: !c.truth,
            written: !c.written,
            ..c
        })
    }

    pub fn eval(&mut self, expr: &Expr, node: NodeId) -> Res<Val> {
        match &expr.kind {
            ExprKind::Path(path) => self.value_at(path, node),
            ExprKind::Number(figure, _) => Ok(Val::Num(self.literal(figure))),
            ExprKind::Str(s) => Ok(Val::Text(Text {
                text: s.clone(),
                node: None,
            })),
            ExprKind::Pattern(p) => Ok(Val::Text(Text {
                text: p.as_str().to_string(),
                node: None,
            })),
            ExprKind::Bool(b) => Ok(Val::Cond(Cond::plain(*b))),
            ExprKind::Param(name) => match self.params.get(name) {
                Some(ParamValue::Figure(f, _)) => Ok(Val::Num(self.literal(f))),
                Some(ParamValue::Text(t)) => Ok(Val::Text(Text {
                    text: t.clone(),
                    node: None,
                })),
                // `$key`: the key the visited node is stored under.
                None if name == "key" => match self.report.key(node) {
                    Some(k) => Ok(Val::Text(Text {
                        text: k.to_string(),
                        node: None,
                    })),
                    None => Err(Stop::NotApplicable),
                },
                None => Err(Stop::NotApplicable),
            },
            ExprKind::Neg(inner) => {
                let n = self.num(inner, node)?;
                let arith = if R::ON {
                    format!("-{}", n.term(&n.shown, 1))
                } else {
                    String::new()
                };
                Ok(Val::Num(Num {
                    interval: -n.interval,
                    point: -n.point,
                    arith,
                    prec: 1,
                    computed: true,
                    figure: None,
                    ..n
                }))
            }
            ExprKind::Not(inner) => self.not(inner, node).map(Val::Cond),
            ExprKind::Logic(op, a, b) => self.logic(*op, a, b, node).map(Val::Cond),
            ExprKind::Arith(op, a, b) => {
                let (x, y) = (self.num(a, node)?, self.num(b, node)?);
                self.arith(*op, x, y, &expr.span).map(Val::Num)
            }
            ExprKind::Compare(op, a, b) => {
                let (x, y) = (self.eval(a, node)?, self.eval(b, node)?);
                self.compare(*op, x, y, &expr.span).map(Val::Cond)
            }
            ExprKind::Call(func, args) => match &func.spec().eval {
                Eval::Cond(e) => R::cond_fn(e)(self, args, node).map(Val::Cond),
                Eval::Val(e) => R::val_fn(e)(self, args, node, &expr.span),
            },
        }
    }

    fn literal(&self, figure: &Figure) -> Num {
        // A number in a rule is exact: `90%` means 90%, not 89.5%–90.5%.
        let mut num = Num::of_figure(figure, None, true);
        if R::ON {
            num.arith = figure.display();
        }
        num
    }

    pub(crate) fn figure_num(&self, node: NodeId) -> Option<Num> {
        let figure = self.report.figure(node)?;
        let mut num = Num::of_figure(figure, Some(node), false);
        if R::ON {
            num.arith = figure.number_text().to_string();
            num.figures.push(node);
        }
        Some(num)
    }

    /// The single value a path selects, as a number or text.
    fn value_at(&self, path: &Path, node: NodeId) -> Res<Val> {
        let target = path
            .resolve_one(self.report, node, self.budget)
            .ok_or(Stop::NotApplicable)?;
        self.node_value(target)
    }

    pub(crate) fn node_value(&self, target: NodeId) -> Res<Val> {
        match &self.report.node(target).value {
            Value::Scalar(s) => Ok(match &s.figure {
                Some(_) => Val::Num(self.figure_num(target).expect("a figure")),
                None => Val::Text(Text {
                    text: s.text.to_string(),
                    node: Some(target),
                }),
            }),
            _ => Err(Stop::NotApplicable),
        }
    }

    pub(crate) fn num(&mut self, expr: &Expr, node: NodeId) -> Res<Num> {
        match self.eval(expr, node)? {
            Val::Num(n) => Ok(n),
            Val::Mixed(mut groups) if groups.len() == 1 => Ok(groups.pop().expect("one group")),
            Val::Mixed(groups) => Err(Stop::Error(EvalError {
                kind: EvalErrorKind::Units {
                    op: "+",
                    left: groups[0].dim,
                    right: groups[1].dim,
                },
                span: expr.span.clone(),
                nodes: groups
                    .iter()
                    .flat_map(|g| g.figures.iter().copied())
                    .collect(),
            })),
            _ => Err(Stop::NotApplicable),
        }
    }

    fn logic(&mut self, op: LogicOp, a: &Expr, b: &Expr, node: NodeId) -> Res<Cond> {
        // Kleene logic with "not applicable" as a third kind of unknown: a definite
        // false (and) or true (or) on either side decides, whatever the other side is.
        let decisive = op == LogicOp::Or;
        let left = self.cond(a, node);
        if let Ok(l) = &left
            && l.truth == Truth::from_bool(decisive)
        {
            return left;
        }
        let right = self.cond(b, node);
        match (left, right) {
            (Ok(l), Ok(r)) => {
                let truth = if decisive {
                    l.truth.or(r.truth)
                } else {
                    l.truth.and(r.truth)
                };
                let written = if decisive {
                    l.written || r.written
                } else {
                    l.written && r.written
                };
                let differs_as_written = l.differs_as_written || r.differs_as_written;
                let because = match (l.truth == truth, r.truth == truth) {
                    (true, false) => l.because,
                    (false, true) => r.because,
                    _ => [l.because, r.because].concat(),
                };
                Ok(Cond {
                    truth,
                    written,
                    because,
                    differs_as_written,
                })
            }
            (_, Ok(r)) if r.truth == Truth::from_bool(decisive) => Ok(r),
            (Err(Stop::Error(e)), _) | (_, Err(Stop::Error(e))) => Err(Stop::Error(e)),
            _ => Err(Stop::NotApplicable),
        }
    }

    pub(crate) fn arith(&mut self, op: ArithOp, mut a: Num, b: Num, span: &Span) -> Res<Num> {
        let Some(dim) = combine(op, a.dim, b.dim) else {
            return Err(self.units_error(op.symbol(), &a, &b, span));
        };
        let overflow = |e: ArithError, nodes: Vec<NodeId>| {
            let kind = match e {
                ArithError::Overflow => EvalErrorKind::Overflow,
                ArithError::DivisionByZero => EvalErrorKind::DivisionByZero,
            };
            Stop::Error(EvalError {
                kind,
                span: span.clone(),
                nodes,
            })
        };
        let divisor_nodes = || [b.figures.clone(), a.figures.clone()].concat();
        let interval = match op {
            ArithOp::Add => a.interval.checked_add(b.interval),
            ArithOp::Sub => a.interval.checked_sub(b.interval),
            ArithOp::Mul => a.interval.checked_mul(b.interval),
            ArithOp::Div => a.interval.checked_div(b.interval),
        }
        .map_err(|e| overflow(e, divisor_nodes()))?;
        let point = match op {
            ArithOp::Add => a.point.checked_add(b.point),
            ArithOp::Sub => a.point.checked_sub(b.point),
            ArithOp::Mul => a.point.checked_mul(b.point),
            // A divisor written as 0.0 may stand for a small non-zero value; the interval
            // then says anything is possible, and there is no as-written value.
            ArithOp::Div if b.point.is_zero() => Some(Decimal::ZERO),
            ArithOp::Div => a.point.checked_div(b.point),
        }
        .ok_or_else(|| overflow(ArithError::Overflow, divisor_nodes()))?;
        let shown = match op {
            ArithOp::Add | ArithOp::Sub if a.dim.is_some() || b.dim.is_none() => a.shown,
            ArithOp::Add | ArithOp::Sub => b.shown,
            // The operand whose dimension the product keeps (a ratio is a pure factor).
            ArithOp::Mul if a.dim == dim => a.shown,
            ArithOp::Mul => b.shown,
            ArithOp::Div if dim == Some(Dimension::Ratio) && a.dim.is_some() => {
                ShownUnit::percent()
            }
            ArithOp::Div => a.shown,
        };
        let additive = matches!(op, ArithOp::Add | ArithOp::Sub) && a.additive && b.additive;
        let quotient = op == ArithOp::Div && a.additive && b.additive && !b.point.is_zero();
        let decimals = match (op, a.decimals, b.decimals) {
            (ArithOp::Add | ArithOp::Sub, Some(x), Some(y)) if a.shown == b.shown => Some(x.max(y)),
            _ => None,
        };
        let (prec, left_min, right_min) = match op {
            ArithOp::Add => (2, 3, 3),
            ArithOp::Sub => (2, 3, 2),
            ArithOp::Mul => (1, 2, 2),
            ArithOp::Div => (1, 2, 1),
        };
        let (arith, figures) = if R::ON {
            let (ref_a, ref_b) = match op {
                ArithOp::Add | ArithOp::Sub => (shown, shown),
                ArithOp::Mul | ArithOp::Div => (b.shown, a.shown),
            };
            // Appended in place: a sum of 100,000 figures is recorded in linear time, and
            // written out only up to MAX_ARITH bytes, then `…`.
            let chain = matches!(op, ArithOp::Add | ArithOp::Sub) && a.prec == 2;
            let mut figures = std::mem::take(&mut a.figures);
            figures.extend(b.figures.iter().copied());
            let mut text = a.into_term(&ref_a, left_min);
            let elided = chain && text.ends_with(ELIDED);
            if chain && !elided && text.len() >= MAX_ARITH {
                text.push_str(ELIDED);
            } else if !elided {
                text.push(' ');
                text.push_str(op.symbol());
                text.push(' ');
                text.push_str(&b.term(&ref_b, right_min));
            }
            (text, figures)
        } else {
            (String::new(), Vec::new())
        };
        Ok(Num {
            interval,
            point,
            dim,
            shown,
            decimals,
            additive,
            quotient,
            figure: None,
            computed: true,
            arith,
            prec,
            figures,
        })
    }

    pub(crate) fn units_error(&self, op: &'static str, a: &Num, b: &Num, span: &Span) -> Stop {
        Stop::Error(EvalError {
            kind: EvalErrorKind::Units {
                op,
                left: a.dim,
                right: b.dim,
            },
            span: span.clone(),
            nodes: a
                .figure
                .into_iter()
                .chain(b.figure)
                .chain(a.figures.iter().copied())
                .chain(b.figures.iter().copied())
                .collect(),
        })
    }

    pub(crate) fn compare(&mut self, op: CmpOp, a: Val, b: Val, span: &Span) -> Res<Cond> {
        // A sum is compared in the unit it meets; parts in other units are left out and
        // named, and a sum with no part in that unit has nothing to compare.
        let (a, b, excluded) = match (a, b) {
            (Val::Mixed(mut x), Val::Mixed(mut y)) if x.len() == 1 && y.len() == 1 => (
                Val::Num(x.pop().expect("one")),
                Val::Num(y.pop().expect("one")),
                Vec::new(),
            ),
            (Val::Mixed(_), Val::Mixed(_)) => return Err(Stop::NotApplicable),
            (Val::Mixed(groups), Val::Num(n)) => {
                let (picked, rest) = pick_group(groups, &n);
                (
                    Val::Num(picked.ok_or(Stop::NotApplicable)?),
                    Val::Num(n),
                    rest,
                )
            }
            (Val::Num(n), Val::Mixed(groups)) => {
                let (picked, rest) = pick_group(groups, &n);
                (
                    Val::Num(n),
                    Val::Num(picked.ok_or(Stop::NotApplicable)?),
                    rest,
                )
            }
            (a, b) => (a, b, Vec::new()),
        };
        let (truth, written, differs_as_written, tolerance, lhs, rhs) = match (a, b) {
            (Val::Num(x), Val::Num(y)) => {
                if !comparable(x.dim, y.dim) {
                    return Err(self.units_error(op.symbol(), &x, &y, span));
                }
                let tolerance = self.tolerance_for(&x, &y, span)?;
                let truth = match tolerance {
                    Some(t) => Truth::from_bool(holds(op, x.point, y.point, t)),
                    None => interval_truth(op, &x.interval, &y.interval),
                };
                let written = holds(op, x.point, y.point, Decimal::ZERO);
                let differs_as_written = !written
                    && (x.additive && y.additive
                        || op == CmpOp::Eq
                            && tolerance.is_none()
                            && (rate_differs(&x, &y) || rate_differs(&y, &x)));
                (
                    truth,
                    written,
                    differs_as_written,
                    tolerance,
                    Side::Num(x),
                    Side::Num(y),
                )
            }
            (Val::Text(x), Val::Text(y)) => {
                let equal = x.text.trim() == y.text.trim();
                let holds = match op {
                    CmpOp::Eq => equal,
                    CmpOp::Ne => !equal,
                    _ => return Err(Stop::NotApplicable),
                };
                (
                    Truth::from_bool(holds),
                    holds,
                    false,
                    None,
                    Side::Text(x),
                    Side::Text(y),
                )
            }
            (Val::Cond(x), Val::Cond(y)) => {
                let truth = match (x.truth, y.truth) {
                    (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                    (p, q) => Truth::from_bool((p == q) == (op == CmpOp::Eq)),
                };
                let written = (x.written == y.written) == (op == CmpOp::Eq);
                (
                    truth,
                    written,
                    x.differs_as_written || y.differs_as_written,
                    None,
                    Side::Cond(x.written),
                    Side::Cond(y.written),
                )
            }
            // A figure compared with text (`未统计`): the rule does not apply.
            _ => return Err(Stop::NotApplicable),
        };
        let because = self.fact(|| Fact::Compare {
            op,
            lhs,
            rhs,
            truth,
            written,
            excluded,
            tolerance,
            differs_as_written,
        });
        Ok(Cond {
            truth,
            written,
            because,
            differs_as_written,
        })
    }

    /// The rule's tolerance in base units, once checked against the compared dimension.
    fn tolerance_for(&self, x: &Num, y: &Num, span: &Span) -> Res<Option<Decimal>> {
        let Some(t) = self.tolerance else {
            return Ok(None);
        };
        let dim = x.dim.or(y.dim);
        if t.dimension().is_some() && dim.is_some() && t.dimension() != dim {
            let tol = Num::of_figure(t, None, true);
            return Err(self.units_error("容差", x, &tol, span));
        }
        Ok(Some(t.value.abs()))
    }

    /// Records the fact `make` gives, when recording; made only then.
    pub(crate) fn fact(&mut self, make: impl FnOnce() -> Fact) -> Vec<usize> {
        if R::ON {
            self.rec.keep(make())
        } else {
            Vec::new()
        }
    }

    /// A text known without evaluating anything, borrowed: a string in the rule, a text
    /// parameter, or `$key` where the visited node has a key.
    fn text_of<'e>(&self, expr: &'e Expr, node: NodeId) -> Option<&'e str>
    where
        'a: 'e,
    {
        match &expr.kind {
            ExprKind::Str(s) => Some(s),
            ExprKind::Param(name) => match self.params.get(name) {
                Some(ParamValue::Text(t)) => Some(t),
                Some(ParamValue::Figure(..)) => None,
                None if name == "key" => self.report.key(node),
                None => None,
            },
            _ => None,
        }
    }

    pub(crate) fn overflow(&self, span: &Span, n: &Num) -> Stop {
        Stop::Error(EvalError {
            kind: EvalErrorKind::Overflow,
            span: span.clone(),
            nodes: n
                .figure
                .into_iter()
                .chain(n.figures.iter().copied())
                .collect(),
        })
    }
}

/// The group of a mixed sum that a number can be compared with, and the figures left out.
fn pick_group(groups: Vec<Num>, other: &Num) -> (Option<Num>, Vec<NodeId>) {
    let mut picked = None;
    let mut rest = Vec::new();
    let single = groups.len() == 1;
    for g in groups {
        // A bare number, or a sum of bare numbers, meets anything.
        let fits = other.dim.is_none() && single || g.dim.is_none() || g.dim == other.dim;
        if picked.is_none() && fits {
            picked = Some(g);
        } else {
            rest.extend(g.figures.iter().copied());
            if g.figures.is_empty() {
                rest.extend(g.figure);
            }
        }
    }
    (picked, rest)
}

/// Whether `stated` is a rate written with some precision (`86%`, `85.0%`; not a bound
/// such as `≥90%`) and `computed` a quotient of stated figures (`85 ÷ 100`) that, rounded
/// half away from zero to that precision, is another value: wrong as written, whatever
/// rounding allows. `90%` for 92 ÷ 102 = 90.2% is right.
pub(crate) fn rate_differs(stated: &Num, computed: &Num) -> bool {
    let (Some(d), true, true) = (
        stated.decimals,
        stated.figure.is_some()
            && stated.dim == Some(Dimension::Ratio)
            && stated.interval.lo.is_some()
            && stated.interval.hi.is_some(),
        computed.quotient,
    ) else {
        return false;
    };
    let scale = stated.shown.scale();
    let (Some(written), Some(value)) = (
        stated.point.checked_div(scale),
        computed.point.checked_div(scale),
    ) else {
        return false;
    };
    value.round_dp_with_strategy(d, rust_decimal::RoundingStrategy::MidpointAwayFromZero) != written
}

/// Whether `a op b` holds, allowing `tolerance` on the difference `a - b`.
fn holds(op: CmpOp, a: Decimal, b: Decimal, tolerance: Decimal) -> bool {
    let Some(diff) = a.checked_sub(b) else {
        // The difference is beyond every decimal, so beyond any tolerance too.
        return match op {
            CmpOp::Eq => false,
            CmpOp::Ne => true,
            CmpOp::Le | CmpOp::Lt => a < b,
            CmpOp::Ge | CmpOp::Gt => a > b,
        };
    };
    match op {
        CmpOp::Eq => diff.abs() <= tolerance,
        CmpOp::Ne => diff.abs() > tolerance,
        CmpOp::Le => diff <= tolerance,
        CmpOp::Lt => diff < tolerance,
        CmpOp::Ge => -diff <= tolerance,
        CmpOp::Gt => -diff < tolerance,
    }
}

fn interval_truth(op: CmpOp, a: &Interval, b: &Interval) -> Truth {
    match op {
        CmpOp::Eq => a.eq(b),
        CmpOp::Ne => !a.eq(b),
        CmpOp::Le => a.le(b),
        CmpOp::Lt => a.lt(b),
        CmpOp::Ge => b.le(a),
        CmpOp::Gt => b.lt(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Budget;
    use crate::expr::check::Checker;
    use crate::expr::parse::parse_expr;
    use crate::read::yaml::{Limits, load};

    const DATA: &str = "\
处置:
  合计: 59人次
  其中:
    依法训诫: 37人次
    行政拘留: 17人次
    刑事拘留: 6人次
    依法审理: 1起
支出:
  基本: 130.15万元
  项目: 131.06万元
  合计: 261.20万元
  粗略: 261.23万元
化解:
  交办: 61名
  化解: 59人
  化解率: 97.6%
  正确率: 96.7%
培训: 700余人次
非访: 0.5人次
空: ~
说明: 未统计
未填: —
名单: 张三、李四、王五
预算: 0万元
执行: 5万元
承办: 0件
办结: 3件
指标:
  下限: ≥50个
  上限: ≤90万元
  比率: 100%
  个数: 50个
  性质: ≤
  定性: 定性
  实际个数: 48个
  实际金额: 85万元
  实际比率: 99.8%
  满额: 100%
得分:
  执行率: 95.5%
  写十: 10
  写九五五: 9.55
  满分: 10.00
  总分: 85.0
  等级: 良
  引用: 得分.写九五五
  近引: 写九五五
  断链: 得分.没有
资金:
  预算: 100万元
  执行: 85万元
  执行率: 86%
  约数: 85%
  精确: 85.0%
  下限: ≥86%
  乙预算: 102万元
  乙执行: 92万元
  乙执行率: 90%
";

    fn eval_at(src: &str, tolerance: Option<&str>) -> Res<Cond> {
        let loaded = load(DATA, &Limits::default());
        let report = loaded.report.unwrap();
        let params = Params::new();
        let mut expr = parse_expr(src).unwrap();
        let mut checker = Checker::new(&params);
        checker.condition(&mut expr);
        assert!(checker.errors.is_empty(), "{:?}", checker.errors);
        let tol = tolerance.map(|t| Figure::parse(t).unwrap().unwrap());
        let budget = Budget::unlimited();
        let mut ev = Evaluator::new(&report, &params, tol.as_ref(), &budget).recording();
        ev.cond(&expr, report.roots[0])
    }

    fn truth(src: &str) -> (Truth, bool) {
        let c = eval_at(src, None).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        (c.truth, c.written)
    }

    /// The error an expression that cannot be computed stops with.
    fn error(src: &str, tolerance: Option<&str>) -> EvalErrorKind {
        match eval_at(src, tolerance) {
            Err(Stop::Error(e)) => e.kind,
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn comparisons_of_exact_counts() {
        assert_eq!(
            truth("处置.其中.依法训诫 <= 处置.合计"),
            (Truth::True, true)
        );
        assert_eq!(
            truth("处置.其中.依法训诫 > 处置.合计"),
            (Truth::False, false)
        );
        assert_eq!(
            truth("化解.化解 <= 化解.交办"),
            (Truth::True, true),
            "人 and 名 are one kind"
        );
    }

    #[test]
    fn sums_within_rounding_hold_but_differ_as_written() {
        assert_eq!(
            truth("支出.基本 + 支出.项目 == 支出.合计"),
            (Truth::Unknown, false)
        );
        assert_eq!(
            truth("支出.基本 + 支出.项目 == 支出.粗略"),
            (Truth::False, false)
        );
    }

    #[test]
    fn rates_are_compared_by_interval() {
        assert_eq!(
            truth("化解.化解率 == 化解.化解 / 化解.交办").0,
            Truth::False
        );
        assert_eq!(
            truth("化解.正确率 == 化解.化解 / 化解.交办").0,
            Truth::Unknown
        );
    }

    #[test]
    fn a_rate_differs_as_written_when_not_the_rounded_quotient() {
        let differs = |src: &str| {
            let c = eval_at(src, None).unwrap_or_else(|e| panic!("{src}: {e:?}"));
            (c.truth, c.differs_as_written)
        };
        // 85 ÷ 100 = 85%, written 86%: within rounding, wrong as written.
        assert_eq!(
            differs("资金.执行率 == 资金.执行 / 资金.预算"),
            (Truth::Unknown, true)
        );
        assert_eq!(
            differs("资金.执行 / 资金.预算 == 资金.执行率"),
            (Truth::Unknown, true)
        );
        assert!(!differs("资金.约数 == 资金.执行 / 资金.预算").1);
        assert!(!differs("资金.精确 == 资金.执行 / 资金.预算").1);
        // 92 ÷ 102 = 90.2%, written 90%: a rate is rounded by nature.
        assert_eq!(
            differs("资金.乙执行率 == 资金.乙执行 / 资金.乙预算"),
            (Truth::Unknown, false)
        );
        // Only `==`, only a written rate (not a bound), only a quotient of written figures.
        assert!(!differs("资金.执行率 != 资金.执行 / 资金.预算").1);
        assert!(!differs("资金.下限 == 资金.执行 / 资金.预算").1);
        assert!(!differs("资金.执行率 == 85%").1);
    }

    #[test]
    fn mixed_unit_sum_compares_the_matching_unit_and_records_the_rest() {
        let loaded = load(DATA, &Limits::default());
        let report = loaded.report.unwrap();
        let params = Params::new();
        let expr = parse_expr("sum(处置.其中.*) <= 处置.合计").unwrap();
        let budget = Budget::unlimited();
        let mut ev = Evaluator::new(&report, &params, None, &budget).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        assert_eq!(c.truth, Truth::False);
        let Fact::Compare {
            lhs: Side::Num(lhs),
            excluded,
            ..
        } = &ev.facts()[c.because[0]]
        else {
            panic!()
        };
        assert_eq!(lhs.worked(), "37 + 17 + 6 = 60 人次");
        assert_eq!(excluded.len(), 1);
        assert_eq!(report.path(excluded[0]), "处置.其中.依法审理");
    }

    #[test]
    fn bounds_and_whole_numbers() {
        assert_eq!(truth("培训 > 650人次").0, Truth::True);
        assert_eq!(truth("培训 <= 650人次").0, Truth::False);
        assert_eq!(truth("培训 <= 800人次").0, Truth::Unknown);
        assert_eq!(truth("integer(非访)").0, Truth::False);
        assert_eq!(truth("integer(处置.合计)").0, Truth::True);
    }

    #[test]
    fn missing_and_text_values_make_a_rule_not_apply() {
        assert_eq!(eval_at("不存在 > 1", None), Err(Stop::NotApplicable));
        assert_eq!(eval_at("空 > 1", None), Err(Stop::NotApplicable));
        assert_eq!(eval_at("说明 > 1", None), Err(Stop::NotApplicable));
        // A definite result on one side decides whatever the other side is.
        assert_eq!(truth("不存在 > 1 or 培训 > 1").0, Truth::True);
        assert_eq!(truth("不存在 > 1 and 非访 > 1").0, Truth::False);
    }

    #[test]
    fn functions() {
        assert_eq!(
            truth("has(说明) and not has(空) and blank(空) and blank(不存在)"),
            (Truth::True, true)
        );
        assert_eq!(
            truth("blank(未填) and not has(未填)"),
            (Truth::True, true),
            "a dash in a cell is no value"
        );
        assert_eq!(truth("count(处置.其中.*) == 4").0, Truth::True);
        assert_eq!(truth("len(名单) == 3").0, Truth::True);
        assert_eq!(truth("len(处置.其中) == 4").0, Truth::True);
        assert_eq!(truth("matches(说明, \"统计\")").0, Truth::True);
        assert_eq!(truth("unit(培训) == \"人次\"").0, Truth::True);
        // Rounded figures are never certainly equal; as written they are.
        assert_eq!(
            truth("max(支出.基本, 支出.项目) == 支出.项目"),
            (Truth::Unknown, true)
        );
        assert_eq!(
            truth("min(支出.基本, 支出.项目) == 支出.基本"),
            (Truth::Unknown, true)
        );
        assert_eq!(
            truth("min(支出.基本, 支出.项目) > 支出.项目").0,
            Truth::False
        );
        assert_eq!(truth("abs(支出.基本 - 支出.项目) < 1万元").0, Truth::True);
        assert_eq!(
            truth("sum(支出.基本, 支出.项目) == 支出.合计").0,
            Truth::Unknown
        );
    }

    #[test]
    fn meets_takes_the_direction_from_the_target_then_the_nature() {
        assert_eq!(truth("meets(指标.实际个数, 指标.下限)").0, Truth::False);
        assert_eq!(truth("meets(指标.实际金额, 指标.上限)").0, Truth::True);
        // A target without a comparator is exact: 99.8% (99.75%–99.85%) misses 100%.
        assert_eq!(truth("meets(指标.实际比率, 指标.比率)").0, Truth::False);
        assert_eq!(truth("meets(指标.满额, 指标.比率)").0, Truth::Unknown);
        assert_eq!(truth("meets(指标.实际个数, 指标.个数)").0, Truth::False);
        assert_eq!(
            truth("meets(指标.实际个数, 指标.个数, 指标.没有, 指标.性质)").0,
            Truth::True,
            "the first filled nature decides"
        );
        assert_eq!(
            truth("meets(指标.实际个数, 指标.下限, 指标.性质)").0,
            Truth::False,
            "a comparator in the target wins"
        );
        assert_eq!(
            eval_at("meets(指标.实际个数, 指标.个数, 指标.定性)", None),
            Err(Stop::NotApplicable)
        );
        assert!(matches!(
            error("meets(指标.实际金额, 指标.个数)", None),
            EvalErrorKind::Units { .. }
        ));
    }

    #[test]
    fn rounded_and_exact_read_a_figure_as_written() {
        // 95.5% × 10 may be 9.545–9.555: a score written 10 is exact, unless read as
        // rounded to whole points (9.5–10.5), as a form that rounds scores means it.
        assert_eq!(truth("得分.写十 == 得分.执行率 × 10").0, Truth::False);
        assert_eq!(
            truth("rounded(得分.写十) == 得分.执行率 × 10").0,
            Truth::Unknown
        );
        assert_eq!(
            truth("rounded(得分.写九五五) == 得分.执行率 × 10").0,
            Truth::Unknown
        );
        assert_eq!(truth("rounded(得分.写十) > 9.4").0, Truth::True);
        assert_eq!(truth("rounded(得分.写十) >= 9.6").0, Truth::Unknown);
        assert_eq!(truth("得分.满分 < 10").0, Truth::Unknown);
        assert_eq!(truth("exact(得分.满分) < 10").0, Truth::False);
        assert_eq!(truth("exact(预算) == 0").0, Truth::True);
        assert_eq!(
            truth("exact(培训) > 700人次").0,
            Truth::Unknown,
            "a bound stays"
        );
    }

    #[test]
    fn a_rate_times_a_bare_score_is_a_bare_score() {
        let loaded = load(DATA, &Limits::default());
        let report = loaded.report.unwrap();
        let params = Params::new();
        let expr = parse_expr("得分.执行率 × 10 == 得分.写九五五").unwrap();
        let budget = Budget::unlimited();
        let mut ev = Evaluator::new(&report, &params, None, &budget).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        let Fact::Compare {
            lhs: Side::Num(l), ..
        } = &ev.facts()[c.because[0]]
        else {
            panic!()
        };
        assert_eq!(l.dim, None);
        assert_eq!(l.worked(), "95.5% × 10 = 9.55");
    }

    #[test]
    fn band_is_three_valued_over_the_interval() {
        let grade = |score: &str| {
            let src =
                format!("band(得分.等级, {score}, 90, \"优\", 80, \"良\", 60, \"中\", \"差\")");
            truth(&src).0
        };
        assert_eq!(grade("85"), Truth::True);
        assert_eq!(grade("92"), Truth::False);
        assert_eq!(grade("80"), Truth::True, "a lower threshold is in its band");
        assert_eq!(grade("59"), Truth::False);
        assert_eq!(
            grade("rounded(90)"),
            Truth::Unknown,
            "89.5–90.5 is 良 or 优"
        );
        assert_eq!(grade("得分.总分"), Truth::True);
        let c = eval_at("band(得分.等级, 92, 90, \"优\", 80, \"良\", \"差\")", None).unwrap();
        assert_eq!((c.truth, c.written), (Truth::False, false));
        assert_eq!(
            truth("band(得分.等级, 85, 90, \"优|优秀\", 80, \"良好|良\", \"差\")"),
            (Truth::True, true),
            "a label may list the words it is written with"
        );
    }

    #[test]
    fn lookup_reads_a_path_written_in_the_data() {
        assert_eq!(truth("lookup(得分.引用) == 9.55"), (Truth::Unknown, true));
        assert_eq!(
            truth("lookup(得分.近引) == 9.55"),
            (Truth::Unknown, true),
            "the nearest mapping where the path exists"
        );
        assert_eq!(
            error("lookup(得分.断链) == 1", None),
            EvalErrorKind::Reference("得分.没有".into())
        );
    }

    #[test]
    fn tolerance_replaces_intervals() {
        let c = eval_at("支出.基本 + 支出.项目 == 支出.合计", Some("0.001万元")).unwrap();
        assert_eq!(c.truth, Truth::False);
        let c = eval_at("支出.基本 + 支出.项目 == 支出.合计", Some("0.01万元")).unwrap();
        assert_eq!(c.truth, Truth::True);
        assert!(matches!(
            error("支出.基本 == 支出.合计", Some("1件")),
            EvalErrorKind::Units { .. }
        ));
    }

    #[test]
    fn data_errors_are_errors_not_panics() {
        assert!(matches!(
            error("办结 / 承办 <= 100%", None),
            EvalErrorKind::DivisionByZero
        ));
        assert!(matches!(
            error("处置.合计 <= 支出.合计", None),
            EvalErrorKind::Units { .. }
        ));
    }

    #[test]
    fn figures_at_the_edge_of_the_decimal_range_compare_without_panicking() {
        let data = "大: 79228162514264337593543950335\n负: -79228162514264337593543950335\n\
                    小数: 79228162514264337593543950.335\n";
        let report = load(data, &Limits::default()).report.unwrap();
        let params = Params::new();
        let at = |src: &str, tolerance: Option<&str>| {
            let mut expr = parse_expr(src).unwrap();
            Checker::new(&params).condition(&mut expr);
            let tol = tolerance.map(|t| Figure::parse(t).unwrap().unwrap());
            let budget = Budget::unlimited();
            let mut ev = Evaluator::new(&report, &params, tol.as_ref(), &budget).recording();
            ev.cond(&expr, report.roots[0])
                .map(|c| (c.truth, c.written))
        };
        // The difference of the two overflows; the comparison still has its answer.
        assert_eq!(at("大 <= 负", None), Ok((Truth::False, false)));
        assert_eq!(at("负 < 大", Some("1")), Ok((Truth::True, true)));
        assert_eq!(at("大 == 负", Some("1")), Ok((Truth::False, false)));
        assert_eq!(at("大 != 负", None), Ok((Truth::True, true)));
        // A quotient next to the edge is widened, not overflowed.
        assert!(at("小数 / 0.5 >= 负", None).is_ok());
        assert!(at("负 / 大 == 大 / 负", None).is_ok());
    }

    #[test]
    fn a_long_sum_is_written_out_in_part() {
        let mut data = String::from("合计: 1件\n其中:\n");
        for i in 0..10_000 {
            data.push_str(&format!("  k{i}: {}件\n", i % 7));
        }
        let report = load(&data, &Limits::default()).report.unwrap();
        let params = Params::new();
        let mut expr = parse_expr("sum(其中.*) <= 合计").unwrap();
        Checker::new(&params).condition(&mut expr);
        let budget = Budget::unlimited();
        let mut ev = Evaluator::new(&report, &params, None, &budget).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        assert_eq!(c.truth, Truth::False);
        let Fact::Compare {
            lhs: Side::Num(n), ..
        } = &ev.facts()[0]
        else {
            panic!()
        };
        assert!(
            n.arith.starts_with("0 + 1 + 2 + 3 + 4 + 5 + 6 + 0 + 1"),
            "{}",
            n.arith
        );
        assert!(
            n.arith.ends_with(" + …") && n.arith.len() < 400,
            "{}",
            n.arith
        );
        assert_eq!(n.figures.len(), 10_000);
        assert_eq!(n.point, rust_decimal::Decimal::from(29_994));
    }

    #[test]
    fn shows_values_and_intervals() {
        let loaded = load(DATA, &Limits::default());
        let report = loaded.report.unwrap();
        let params = Params::new();
        let expr = parse_expr("化解.化解率 == 化解.化解 / 化解.交办").unwrap();
        let budget = Budget::unlimited();
        let mut ev = Evaluator::new(&report, &params, None, &budget).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        let Fact::Compare {
            lhs: Side::Num(l),
            rhs: Side::Num(r),
            ..
        } = &ev.facts()[c.because[0]]
        else {
            panic!()
        };
        assert_eq!(l.show(), "97.6%");
        assert_eq!(l.show_interval(), "97.55%～97.65%");
        assert_eq!(r.worked(), "59 ÷ 61 = 96.72%");
    }
}
