//! Evaluator: an expression at one visited node of a report.
//!
//! Numbers carry the interval they may stand for and their value as written; conditions
//! are three-valued ([`Truth`]) and carry their as-written value too, which is how a sum
//! that is off only within rounding becomes an info finding rather than a failure.
//!
//! A rule is evaluated once cheaply; only when it fails is it evaluated again with
//! `record` on, which keeps the arithmetic as text and the facts that decided the result.

use super::check::{ParamValue, Params, combine, comparable};
use super::parse::parse_path;
use super::pattern::Memo;
use super::{ArithOp, CmpOp, Expr, ExprKind, Func, LogicOp, Path, Span};
use crate::figure::{ArithError, Bound, Dimension, Figure, Interval, Truth, UnitDef, unit_named};
use crate::report::{NodeId, Report, Value, is_blank_text};
use rust_decimal::Decimal;

/// The unit a number is shown in: a magnitude (万) and a unit (元).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShownUnit {
    pub magnitude: Decimal,
    pub unit: Option<&'static UnitDef>,
}

impl ShownUnit {
    const BARE: ShownUnit = ShownUnit {
        magnitude: Decimal::ONE,
        unit: None,
    };

    fn percent() -> ShownUnit {
        ShownUnit {
            magnitude: Decimal::ONE,
            unit: unit_named("%"),
        }
    }

    fn of(figure: &Figure) -> ShownUnit {
        ShownUnit {
            magnitude: figure.magnitude,
            unit: figure.unit,
        }
    }

    /// Base units per shown unit.
    pub fn scale(&self) -> Decimal {
        self.magnitude * self.unit.map_or(Decimal::ONE, |u| u.factor)
    }

    pub fn text(&self) -> String {
        let magnitude = match self.magnitude.normalize().to_string().as_str() {
            "1" => "",
            "100" => "百",
            "1000" => "千",
            "10000" => "万",
            "1000000" => "百万",
            "10000000" => "千万",
            "100000000" => "亿",
            _ => "?",
        };
        format!("{magnitude}{}", self.unit.map_or("", |u| u.name))
    }
}

/// A number: the interval it stands for, its value as written, and how to show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    pub interval: Interval,
    /// The value as written (for a bound, the bound), in base units.
    pub point: Decimal,
    /// `None` for a bare number, which takes the dimension of what it meets.
    pub dim: Option<Dimension>,
    pub shown: ShownUnit,
    /// Decimal places to show; `None` for a computed ratio or product.
    pub decimals: Option<u32>,
    /// Made only of stated figures by `+` and `-`: the as-written tier applies.
    pub additive: bool,
    /// The figure this number is, if it is one.
    pub figure: Option<NodeId>,
    /// Recorded only: the arithmetic as written (`37 + 17 + 6`) and its precedence.
    pub arith: String,
    prec: u8,
    /// Recorded only: every figure that took part.
    pub figures: Vec<NodeId>,
}

impl Num {
    /// The number a figure stands for; `arith` is left empty, for the caller to fill in
    /// when it records.
    fn of_figure(figure: &Figure, node: Option<NodeId>, exact: bool) -> Num {
        let interval = if exact && figure.bound == Bound::Stated {
            Interval::point(figure.value)
        } else {
            figure.interval
        };
        Num {
            interval,
            point: figure.value,
            dim: figure.dimension(),
            shown: ShownUnit::of(figure),
            decimals: Some(figure.decimals),
            additive: figure.bound == Bound::Stated && figure.dimension() != Some(Dimension::Ratio),
            figure: node,
            arith: String::new(),
            prec: 0,
            figures: Vec::new(),
        }
    }

    /// A whole number hecha counted itself (`count`, `len`).
    fn counted(n: usize) -> Num {
        let d = Decimal::from(n);
        Num {
            interval: Interval::point(d),
            point: d,
            dim: None,
            shown: ShownUnit::BARE,
            decimals: Some(0),
            additive: true,
            figure: None,
            arith: n.to_string(),
            prec: 0,
            figures: Vec::new(),
        }
    }

    /// The value as written, in the shown unit, with its unit: `261.21 万元`, `96.72%`.
    pub fn show(&self) -> String {
        self.show_value(self.point)
    }

    /// Any value of this number's kind, shown in its unit.
    pub fn show_value(&self, base: Decimal) -> String {
        let value = base.checked_div(self.shown.scale()).unwrap_or(base);
        // To the written precision, zeros kept: 0.00 万元, not 0 万元.
        let value = match self.decimals {
            Some(d) => format!("{:.*}", d as usize, value.round_dp(d)),
            None => value.round_dp(2).normalize().to_string(),
        };
        crate::figure::spaced(&value, &self.shown.text())
    }

    /// Whether the number is computed (`a + b`, `a ÷ b`) rather than one figure or literal.
    pub fn prec_is_computed(&self) -> bool {
        self.prec > 0
            || self.figure.is_none()
                && !self.figures.is_empty()
                && self.arith.contains(['+', '-', '×', '÷'])
    }

    /// Whether the interval is wider than the hair that decimal division leaves.
    pub fn is_rounded(&self) -> bool {
        match (self.interval.lo, self.interval.hi) {
            (Some(lo), Some(hi)) => hi.checked_sub(lo).is_none_or(|width| {
                width > self.point.abs().max(Decimal::ONE) * Decimal::new(1, 12)
            }),
            _ => false,
        }
    }

    /// The interval, shown in the unit and rounded outward to four places:
    /// `97.55%～97.65%`, `261.195～261.205 万元`, `≥700 人次`.
    pub fn show_interval(&self) -> String {
        use rust_decimal::RoundingStrategy::{ToNegativeInfinity, ToPositiveInfinity};
        let show_rounded = |x: Decimal, strategy| {
            let v = x
                .checked_div(self.shown.scale())
                .unwrap_or(x)
                .round_dp_with_strategy(4, strategy)
                .normalize();
            crate::figure::spaced(&v.to_string(), &self.shown.text())
        };
        let show =
            |x: Decimal| show_rounded(x, rust_decimal::RoundingStrategy::MidpointNearestEven);
        let (lo_show, hi_show) = (
            |x| show_rounded(x, ToNegativeInfinity),
            |x| show_rounded(x, ToPositiveInfinity),
        );
        match (self.interval.lo, self.interval.hi) {
            (Some(lo), Some(hi)) if lo == hi => show(lo),
            // 97.55%～97.65%, but 261.195～261.205 万元.
            (Some(lo), Some(hi))
                if self
                    .shown
                    .unit
                    .is_some_and(|u| u.dimension == Dimension::Ratio) =>
            {
                format!("{}～{}", lo_show(lo), hi_show(hi))
            }
            (Some(lo), Some(hi)) => {
                let lo = lo_show(lo);
                format!(
                    "{}～{}",
                    lo.trim_end_matches(self.shown.text().as_str()).trim_end(),
                    hi_show(hi)
                )
            }
            (Some(lo), None) => format!("≥{}", lo_show(lo)),
            (None, Some(hi)) => format!("≤{}", hi_show(hi)),
            (None, None) => "任意值".to_string(),
        }
    }

    /// The arithmetic with its result, unless the number is a single figure or literal.
    pub fn worked(&self) -> String {
        if self.prec == 0 {
            self.show()
        } else {
            format!("{} = {}", self.arith, self.show())
        }
    }

    /// [`Num::term`], reusing the recorded text when it needs no change.
    fn into_term(self, reference: &ShownUnit, min_prec: u8) -> String {
        if self.prec > 0 && self.prec < min_prec {
            self.arith
        } else {
            self.term(reference, min_prec)
        }
    }

    /// The arithmetic as one operand of a larger expression. A figure keeps its unit when
    /// it is a ratio (`90%`) or when its scale differs from `reference` (万元 beside 元).
    fn term(&self, reference: &ShownUnit, min_prec: u8) -> String {
        let ratio = self.dim == Some(Dimension::Ratio);
        let rescaled = self.dim.is_some() && self.shown.scale() != reference.scale();
        let text = if self.prec == 0 && self.figure.is_some() && (ratio || rescaled) {
            crate::figure::spaced(&self.arith, &self.shown.text())
        } else {
            self.arith.clone()
        };
        if self.prec >= min_prec && self.prec > 0 {
            format!("({text})")
        } else {
            text
        }
    }
}

/// A text value, and the node it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub text: String,
    pub node: Option<NodeId>,
}

/// A condition: its truth over the intervals, its truth as written, and (recorded only)
/// the facts that decided it, as indices into [`Evaluator::facts`].
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub truth: Truth,
    pub written: bool,
    pub because: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Num(Num),
    /// A sum over figures of several units (人次 and 起): compared by the unit it meets.
    Mixed(Vec<Num>),
    Cond(Cond),
    Text(Text),
}

/// One side of a recorded comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Side {
    Num(Num),
    Text(Text),
    Cond(bool),
}

/// Something the evaluator established that a finding may cite.
// Facts are recorded only when a finding is being explained, so their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    Compare {
        op: CmpOp,
        lhs: Side,
        rhs: Side,
        truth: Truth,
        written: bool,
        /// Figures of another unit that a mixed sum left out of the comparison.
        excluded: Vec<NodeId>,
        /// The tolerance used instead of rounding intervals, in base units.
        tolerance: Option<Decimal>,
    },
    /// `integer(x)` found x not whole.
    NotWhole(Num),
    /// `matches(x, re)`: the text, and the byte range of the first match in it.
    Matched {
        text: Text,
        found: Option<std::ops::Range<usize>>,
    },
    /// `band(label, x, ...)`: the label written, the number, and the band the number's
    /// value as written falls in: its label and thresholds (lower included, upper not).
    Band {
        label: Text,
        value: Num,
        expected: String,
        lower: Option<Num>,
        upper: Option<Num>,
    },
}

/// Why an evaluation has no result.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// A value the rule needs is missing, empty or not a figure: the rule does not apply.
    NotApplicable,
    /// The data cannot be computed with; this is reported as a finding.
    Error(EvalError),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    /// The sub-expression in the rule.
    pub span: Span,
    /// The figures involved, the culprit first.
    pub nodes: Vec<NodeId>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EvalErrorKind {
    DivisionByZero,
    Overflow,
    Units {
        op: &'static str,
        left: Option<Dimension>,
        right: Option<Dimension>,
    },
    /// `lookup(x)`: the path written in x selects nothing in the data (or is no path).
    Reference(String),
}

impl EvalErrorKind {
    pub fn message(&self) -> String {
        match self {
            EvalErrorKind::DivisionByZero => "无法计算：除数为 0".into(),
            EvalErrorKind::Overflow => "无法计算：结果超出可计算的范围".into(),
            EvalErrorKind::Units { left, right, .. } => format!(
                "单位不一致：{}与{}不能一起计算",
                Dimension::describe_or_bare(*left),
                Dimension::describe_or_bare(*right)
            ),
            EvalErrorKind::Reference(path) => format!("数据中没有「{path}」"),
        }
    }
}

type Res<T> = Result<T, Stop>;

/// Bytes of recorded arithmetic a sum is written out to before the rest is elided.
const MAX_ARITH: usize = 300;
const ELIDED: &str = " + …";

pub struct Evaluator<'a> {
    pub report: &'a Report,
    pub params: &'a Params,
    /// An absolute tolerance replacing rounding intervals in comparisons.
    pub tolerance: Option<&'a Figure>,
    pub record: bool,
    pub facts: Vec<Fact>,
    /// Whether a comparison of two sums of stated figures (`additive` numbers) failed as
    /// written since this was last reset: only then can a rule that holds be off within
    /// rounding, which [`Evaluator::facts`] would then show when recording.
    pub additive_miss: bool,
    /// Answers of `matches` remembered over the report, if the caller keeps them.
    pub memo: Option<&'a Memo>,
}

impl<'a> Evaluator<'a> {
    pub fn new(
        report: &'a Report,
        params: &'a Params,
        tolerance: Option<&'a Figure>,
    ) -> Evaluator<'a> {
        Evaluator {
            report,
            params,
            tolerance,
            record: false,
            facts: Vec::new(),
            additive_miss: false,
            memo: None,
        }
    }

    pub fn recording(mut self) -> Evaluator<'a> {
        self.record = true;
        self
    }

    /// Evaluates a condition at `node`. Conditions are evaluated here without going
    /// through [`Val`], which a rule run on every node of a report notices.
    pub fn cond(&mut self, expr: &Expr, node: NodeId) -> Res<Cond> {
        match &expr.kind {
            ExprKind::Not(inner) => self.not(inner, node),
            ExprKind::Logic(op, a, b) => self.logic(*op, a, b, node),
            ExprKind::Call(
                func @ (Func::Has | Func::Blank | Func::Integer | Func::Matches),
                args,
            ) => self.condition(*func, args, node),
            // `$key != "合计"`: texts compared in place, without copying them.
            ExprKind::Compare(op @ (CmpOp::Eq | CmpOp::Ne), a, b) if !self.record => {
                match (self.text_of(a, node), self.text_of(b, node)) {
                    (Some(x), Some(y)) => {
                        let holds = (x.trim() == y.trim()) == (*op == CmpOp::Eq);
                        Ok(Cond {
                            truth: Truth::from_bool(holds),
                            written: holds,
                            because: vec![],
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
            because: c.because,
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
            ExprKind::Bool(b) => Ok(Val::Cond(Cond {
                truth: Truth::from_bool(*b),
                written: *b,
                because: vec![],
            })),
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
                let arith = if self.record {
                    format!("-{}", n.term(&n.shown, 1))
                } else {
                    String::new()
                };
                Ok(Val::Num(Num {
                    interval: -n.interval,
                    point: -n.point,
                    arith,
                    prec: 1,
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
            ExprKind::Call(func, args) => self.call(*func, args, node, &expr.span),
        }
    }

    fn literal(&self, figure: &Figure) -> Num {
        // A number in a rule is exact: `90%` means 90%, not 89.5%–90.5%.
        let mut num = Num::of_figure(figure, None, true);
        if self.record {
            num.arith = figure.display();
        }
        num
    }

    fn figure_num(&self, node: NodeId) -> Option<Num> {
        let figure = self.report.figure(node)?;
        let mut num = Num::of_figure(figure, Some(node), false);
        if self.record {
            num.arith = figure.number_text().to_string();
            num.figures.push(node);
        }
        Some(num)
    }

    /// The single value a path selects, as a number or text.
    fn value_at(&self, path: &Path, node: NodeId) -> Res<Val> {
        let target = path
            .resolve_one(self.report, node)
            .ok_or(Stop::NotApplicable)?;
        self.node_value(target)
    }

    fn node_value(&self, target: NodeId) -> Res<Val> {
        match &self.report.node(target).value {
            Value::Scalar(s) => Ok(match &s.figure {
                Some(_) => Val::Num(self.figure_num(target).expect("a figure")),
                None => Val::Text(Text {
                    text: s.text.clone(),
                    node: Some(target),
                }),
            }),
            _ => Err(Stop::NotApplicable),
        }
    }

    fn num(&mut self, expr: &Expr, node: NodeId) -> Res<Num> {
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
                let because = match (l.truth == truth, r.truth == truth) {
                    (true, false) => l.because,
                    (false, true) => r.because,
                    _ => [l.because, r.because].concat(),
                };
                Ok(Cond {
                    truth,
                    written,
                    because,
                })
            }
            (_, Ok(r)) if r.truth == Truth::from_bool(decisive) => Ok(r),
            (Err(Stop::Error(e)), _) | (_, Err(Stop::Error(e))) => Err(Stop::Error(e)),
            _ => Err(Stop::NotApplicable),
        }
    }

    fn arith(&mut self, op: ArithOp, mut a: Num, b: Num, span: &Span) -> Res<Num> {
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
        let (arith, figures) = if self.record {
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
            figure: None,
            arith,
            prec,
            figures,
        })
    }

    fn units_error(&self, op: &'static str, a: &Num, b: &Num, span: &Span) -> Stop {
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

    fn compare(&mut self, op: CmpOp, a: Val, b: Val, span: &Span) -> Res<Cond> {
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
        let (truth, written, tolerance, lhs, rhs) = match (a, b) {
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
                self.additive_miss |= !written && x.additive && y.additive;
                (truth, written, tolerance, Side::Num(x), Side::Num(y))
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
        });
        Ok(Cond {
            truth,
            written,
            because,
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
    fn fact(&mut self, make: impl FnOnce() -> Fact) -> Vec<usize> {
        if self.record {
            self.facts.push(make());
            vec![self.facts.len() - 1]
        } else {
            Vec::new()
        }
    }

    fn call(&mut self, func: Func, args: &[Expr], node: NodeId, span: &Span) -> Res<Val> {
        let path_arg = |i: usize| match &args[i].kind {
            ExprKind::Path(p) => Some(p),
            _ => None,
        };
        match func {
            Func::Sum | Func::Min | Func::Max => self.aggregate(func, args, node, span),
            Func::Has | Func::Blank | Func::Integer | Func::Matches => {
                self.condition(func, args, node).map(Val::Cond)
            }
            Func::Count => {
                let nodes = path_arg(0)
                    .map(|p| p.resolve(self.report, node))
                    .unwrap_or_default();
                let n = nodes
                    .iter()
                    .filter(|&&n| !matches!(self.report.node(n).value, Value::Null))
                    .count();
                Ok(Val::Num(Num::counted(n)))
            }
            Func::Len => {
                let target = path_arg(0)
                    .and_then(|p| p.resolve_one(self.report, node))
                    .ok_or(Stop::NotApplicable)?;
                let n = match &self.report.node(target).value {
                    Value::Map(c) | Value::Seq(c) => c.len(),
                    Value::Scalar(s) => {
                        self.report.charge(s.text.len() / 256);
                        s.text
                            .split('、')
                            .filter(|item| !item.trim().is_empty())
                            .count()
                    }
                    Value::Null => return Err(Stop::NotApplicable),
                };
                let mut num = Num::counted(n);
                if self.record {
                    num.figures = vec![target];
                    num.arith = format!("{n}（列举项数）");
                }
                Ok(Val::Num(num))
            }
            Func::Abs => {
                let n = self.num(&args[0], node)?;
                let arith = if self.record {
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
            Func::Rounded | Func::Exact => {
                let n = self.num(&args[0], node)?;
                let interval = if func == Func::Exact {
                    exact(&n)
                } else {
                    rounded(&n).ok_or_else(|| self.overflow(span, &n))?
                };
                Ok(Val::Num(Num { interval, ..n }))
            }
            Func::Meets => self.meets(args, node, span),
            Func::Band => self.band(args, node, span),
            Func::Lookup => {
                let Val::Text(text) = self.eval(&args[0], node)? else {
                    return Err(Stop::NotApplicable);
                };
                let written = text.text.trim();
                // From where the path is written outward: the nearest mapping where it exists.
                let start = text.node.unwrap_or(node);
                let target = parse_path(written)
                    .ok()
                    .filter(Path::is_singular)
                    .and_then(|p| {
                        std::iter::successors(Some(start), |&n| self.report.node(n).parent)
                            .find_map(|scope| p.resolve_one(self.report, scope))
                    });
                match target {
                    Some(target) => self.node_value(target),
                    None => Err(Stop::Error(EvalError {
                        kind: EvalErrorKind::Reference(written.to_string()),
                        span: span.clone(),
                        nodes: text.node.into_iter().collect(),
                    })),
                }
            }
            Func::Unit => {
                let target = path_arg(0)
                    .and_then(|p| p.resolve_one(self.report, node))
                    .ok_or(Stop::NotApplicable)?;
                let figure = self.report.figure(target).ok_or(Stop::NotApplicable)?;
                let text = figure.unit.map_or("", |u| u.name).to_string();
                Ok(Val::Text(Text {
                    text,
                    node: Some(target),
                }))
            }
        }
    }

    /// The functions that give a condition: `has`, `blank`, `integer`, `matches`.
    fn condition(&mut self, func: Func, args: &[Expr], node: NodeId) -> Res<Cond> {
        let path_arg = |i: usize| match &args[i].kind {
            ExprKind::Path(p) => Some(p),
            _ => None,
        };
        match func {
            Func::Has | Func::Blank => {
                let is_filled = |n: NodeId| match &self.report.node(n).value {
                    Value::Null => false,
                    Value::Scalar(s) => !s.is_blank(),
                    Value::Map(c) | Value::Seq(c) => func == Func::Has || !c.is_empty(),
                };
                let filled = match path_arg(0) {
                    // The common case, without collecting the selection.
                    Some(p) if p.is_singular() => {
                        p.resolve_one(self.report, node).is_some_and(is_filled)
                    }
                    Some(p) => p.resolve(self.report, node).into_iter().any(is_filled),
                    None => false,
                };
                let holds = if func == Func::Has { filled } else { !filled };
                Ok(Cond {
                    truth: Truth::from_bool(holds),
                    written: holds,
                    because: vec![],
                })
            }
            Func::Integer => {
                let whole = |d: Decimal| d.fract().is_zero();
                let judge = |interval: &Interval, point: Decimal| match (interval.lo, interval.hi) {
                    (Some(lo), Some(hi)) if lo == hi => Truth::from_bool(whole(lo)),
                    // No whole number lies in [lo, hi].
                    (Some(lo), Some(hi)) if lo.ceil() > hi => Truth::False,
                    _ if whole(point) => Truth::True,
                    _ => Truth::Unknown,
                };
                if !self.record
                    && let ExprKind::Path(path) = &args[0].kind
                {
                    // The fast path for a figure: the same answer without making a Num.
                    let target = path
                        .resolve_one(self.report, node)
                        .ok_or(Stop::NotApplicable)?;
                    let figure = self.report.figure(target).ok_or(Stop::NotApplicable)?;
                    let truth = judge(&figure.interval, figure.value);
                    return Ok(Cond {
                        truth,
                        written: whole(figure.value),
                        because: vec![],
                    });
                }
                let n = self.num(&args[0], node)?;
                let truth = judge(&n.interval, n.point);
                let written = whole(n.point);
                let because = if truth == Truth::False {
                    self.fact(|| Fact::NotWhole(n))
                } else {
                    vec![]
                };
                Ok(Cond {
                    truth,
                    written,
                    because,
                })
            }
            Func::Matches => {
                if !self.record
                    && let ExprKind::Pattern(pattern) = &args[1].kind
                    && let Some(text) = self.text_in_place(&args[0], node)?
                {
                    // Matching is linear in the text; a long text costs steps of the budget.
                    self.report.charge(text.len() / 256);
                    // The fast path: no copy of the text, no record of the match.
                    let holds = match self.memo {
                        Some(memo) => memo.is_match(pattern, text),
                        None => pattern.is_match(text),
                    };
                    return Ok(Cond {
                        truth: Truth::from_bool(holds),
                        written: holds,
                        because: vec![],
                    });
                }
                let text = match self.eval(&args[0], node)? {
                    Val::Text(t) => t,
                    Val::Num(n) => match n.figure {
                        Some(f) => Text {
                            text: self.report.text(f).unwrap_or("").to_string(),
                            node: Some(f),
                        },
                        None => return Err(Stop::NotApplicable),
                    },
                    _ => return Err(Stop::NotApplicable),
                };
                let ExprKind::Pattern(pattern) = &args[1].kind else {
                    return Err(Stop::NotApplicable);
                };
                self.report.charge(text.text.len() / 256);
                let found = pattern.regex().find(&text.text).map(|m| m.range());
                let holds = found.is_some();
                let because = self.fact(|| Fact::Matched { text, found });
                Ok(Cond {
                    truth: Truth::from_bool(holds),
                    written: holds,
                    because,
                })
            }
            _ => Err(Stop::NotApplicable),
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

    /// The text `matches` reads, without copying it, for the arguments that are a path
    /// (a scalar's text as written) or `unit(path)`; `None` for other arguments.
    fn text_in_place(&self, arg: &Expr, node: NodeId) -> Res<Option<&'a str>> {
        match &arg.kind {
            ExprKind::Path(path) => {
                let target = path
                    .resolve_one(self.report, node)
                    .ok_or(Stop::NotApplicable)?;
                match &self.report.node(target).value {
                    Value::Scalar(s) => Ok(Some(&s.text)),
                    _ => Err(Stop::NotApplicable),
                }
            }
            ExprKind::Call(Func::Unit, args) => match &args[0].kind {
                ExprKind::Path(path) => {
                    let figure = path
                        .resolve_one(self.report, node)
                        .and_then(|target| self.report.figure(target))
                        .ok_or(Stop::NotApplicable)?;
                    Ok(Some(figure.unit.map_or("", |u| u.name)))
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    fn overflow(&self, span: &Span, n: &Num) -> Stop {
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
            ..target
        };
        let actual = Num {
            additive: false,
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
        }))
    }

    /// `sum`, `min`, `max` over numbers and every figure the path arguments select.
    fn aggregate(&mut self, func: Func, args: &[Expr], node: NodeId, span: &Span) -> Res<Val> {
        let mut items = Vec::new();
        for arg in args {
            match &arg.kind {
                ExprKind::Path(p) if !p.is_singular() || func == Func::Sum => {
                    for n in p.resolve(self.report, node) {
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
                if self.record {
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
        let arith = if self.record {
            let mut text = a.term(&a.shown, u8::MAX);
            text.push_str(", ");
            text.push_str(&b.term(&b.shown, u8::MAX));
            text
        } else {
            String::new()
        };
        let mut figures = std::mem::take(&mut a.figures);
        figures.extend(b.figures.iter().copied());
        let keep = if take_a { a } else { b };
        Num {
            interval,
            arith,
            prec: 0,
            figures,
            figure: None,
            additive: false,
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
    use crate::expr::check::Checker;
    use crate::expr::parse::parse_expr;
    use crate::report::yaml::{Limits, load};

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
        let mut ev = Evaluator::new(&report, &params, tol.as_ref()).recording();
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
    fn mixed_unit_sum_compares_the_matching_unit_and_records_the_rest() {
        let loaded = load(DATA, &Limits::default());
        let report = loaded.report.unwrap();
        let params = Params::new();
        let expr = parse_expr("sum(处置.其中.*) <= 处置.合计").unwrap();
        let mut ev = Evaluator::new(&report, &params, None).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        assert_eq!(c.truth, Truth::False);
        let Fact::Compare {
            lhs: Side::Num(lhs),
            excluded,
            ..
        } = &ev.facts[c.because[0]]
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
        let mut ev = Evaluator::new(&report, &params, None).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        let Fact::Compare {
            lhs: Side::Num(l), ..
        } = &ev.facts[c.because[0]]
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
            let mut ev = Evaluator::new(&report, &params, tol.as_ref()).recording();
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
        let mut ev = Evaluator::new(&report, &params, None).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        assert_eq!(c.truth, Truth::False);
        let Fact::Compare {
            lhs: Side::Num(n), ..
        } = &ev.facts[0]
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
        let mut ev = Evaluator::new(&report, &params, None).recording();
        let c = ev.cond(&expr, report.roots[0]).unwrap();
        let Fact::Compare {
            lhs: Side::Num(l),
            rhs: Side::Num(r),
            ..
        } = &ev.facts[c.because[0]]
        else {
            panic!()
        };
        assert_eq!(l.show(), "97.6%");
        assert_eq!(l.show_interval(), "97.55%～97.65%");
        assert_eq!(r.worked(), "59 ÷ 61 = 96.72%");
    }
}
