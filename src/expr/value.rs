//! Values of the evaluator and how they are shown: numbers with their interval and
//! value as written, texts, conditions, the facts a finding cites, and why an evaluation
//! stopped.

use super::{CmpOp, Span};
use crate::figure::{Bound, Dimension, Figure, Interval, Truth, UnitDef, unit_named};
use crate::report::NodeId;
use rust_decimal::Decimal;

/// The unit a number is shown in: a magnitude (万) and a unit (元).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ShownUnit {
    pub(crate) magnitude: Decimal,
    pub(crate) unit: Option<&'static UnitDef>,
}

impl ShownUnit {
    pub(super) const BARE: ShownUnit = ShownUnit {
        magnitude: Decimal::ONE,
        unit: None,
    };

    pub(super) fn percent() -> ShownUnit {
        ShownUnit {
            magnitude: Decimal::ONE,
            unit: unit_named("%"),
        }
    }

    pub(super) fn of(figure: &Figure) -> ShownUnit {
        ShownUnit {
            magnitude: figure.magnitude,
            unit: figure.unit,
        }
    }

    /// Base units per shown unit.
    pub(crate) fn scale(&self) -> Decimal {
        self.magnitude * self.unit.map_or(Decimal::ONE, |u| u.factor)
    }

    pub(crate) fn text(&self) -> String {
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
    pub(crate) interval: Interval,
    /// The value as written (for a bound, the bound), in base units.
    pub(crate) point: Decimal,
    /// `None` for a bare number, which takes the dimension of what it meets.
    pub(crate) dim: Option<Dimension>,
    pub(crate) shown: ShownUnit,
    /// Decimal places to show; `None` for a computed ratio or product.
    pub(crate) decimals: Option<u32>,
    /// Made only of stated figures by `+` and `-`: the as-written tier applies.
    pub(crate) additive: bool,
    /// A quotient of two such numbers (`执行数 / 预算数`): a rate compared with it is
    /// checked as written too, at the rate's written precision.
    pub(crate) quotient: bool,
    /// The figure this number is, if it is one.
    pub(crate) figure: Option<NodeId>,
    /// Made from other numbers by an operation (`a + b`, `a ÷ b`, `-a`, `abs(a - b)`),
    /// rather than one figure or literal.
    pub(crate) computed: bool,
    /// Recorded only: the arithmetic as written (`37 + 17 + 6`) and its precedence.
    pub(crate) arith: String,
    pub(super) prec: u8,
    /// Recorded only: every figure that took part.
    pub(crate) figures: Vec<NodeId>,
}

impl Num {
    /// The number a figure stands for; `arith` is left empty, for the caller to fill in
    /// when it records.
    pub(super) fn of_figure(figure: &Figure, node: Option<NodeId>, exact: bool) -> Num {
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
            quotient: false,
            figure: node,
            computed: false,
            arith: String::new(),
            prec: 0,
            figures: Vec::new(),
        }
    }

    /// A whole number hecha counted itself (`count`, `len`).
    pub(super) fn counted(n: usize) -> Num {
        let d = Decimal::from(n);
        Num {
            interval: Interval::point(d),
            point: d,
            dim: None,
            shown: ShownUnit::BARE,
            decimals: Some(0),
            additive: true,
            quotient: false,
            figure: None,
            computed: false,
            arith: n.to_string(),
            prec: 0,
            figures: Vec::new(),
        }
    }

    /// The value as written, in the shown unit, with its unit: `261.21 万元`, `96.72%`.
    pub(crate) fn show(&self) -> String {
        self.show_value(self.point)
    }

    /// Any value of this number's kind, shown in its unit.
    pub(crate) fn show_value(&self, base: Decimal) -> String {
        let value = base.checked_div(self.shown.scale()).unwrap_or(base);
        // To the written precision, zeros kept: 0.00 万元, not 0 万元.
        let value = match self.decimals {
            Some(d) => format!("{:.*}", d as usize, value.round_dp(d)),
            None => value.round_dp(2).normalize().to_string(),
        };
        crate::figure::spaced(&value, &self.shown.text())
    }

    /// Whether the interval is wider than the hair that decimal division leaves.
    pub(crate) fn is_rounded(&self) -> bool {
        match (self.interval.lo, self.interval.hi) {
            (Some(lo), Some(hi)) => hi.checked_sub(lo).is_none_or(|width| {
                width > self.point.abs().max(Decimal::ONE) * Decimal::new(1, 12)
            }),
            _ => false,
        }
    }

    /// The interval, shown in the unit and rounded outward to four places:
    /// `97.55%～97.65%`, `261.195～261.205 万元`, `≥700 人次`.
    pub(crate) fn show_interval(&self) -> String {
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
    pub(crate) fn worked(&self) -> String {
        if self.prec == 0 {
            self.show()
        } else {
            format!("{} = {}", self.arith, self.show())
        }
    }

    /// [`Num::term`], reusing the recorded text when it needs no change.
    pub(super) fn into_term(self, reference: &ShownUnit, min_prec: u8) -> String {
        if self.prec > 0 && self.prec < min_prec {
            self.arith
        } else {
            self.term(reference, min_prec)
        }
    }

    /// The arithmetic as one operand of a larger expression. A figure keeps its unit when
    /// it is a ratio (`90%`) or when its scale differs from `reference` (万元 beside 元).
    pub(super) fn term(&self, reference: &ShownUnit, min_prec: u8) -> String {
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
    pub(crate) text: String,
    pub(crate) node: Option<NodeId>,
}

/// A condition: its truth over the intervals, its truth as written, and (recorded only)
/// the facts that decided it, as indices into the recorder's facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub(crate) truth: Truth,
    pub(crate) written: bool,
    pub(crate) because: Vec<usize>,
    /// A comparison of written figures that took part fails as written, though perhaps
    /// not within rounding: two sums of stated figures (additive numbers) that differ, or
    /// a stated rate that is not the quotient of the stated figures rounded to the rate's
    /// written precision (`86%` beside 85 ÷ 100). Only then can a condition that holds be
    /// off within rounding.
    pub(crate) differs_as_written: bool,
}

impl Cond {
    /// A condition decided without comparing numbers.
    pub(crate) fn plain(holds: bool) -> Cond {
        Cond {
            truth: Truth::from_bool(holds),
            written: holds,
            because: Vec::new(),
            differs_as_written: false,
        }
    }
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
        /// The comparison fails as written ([`Cond::differs_as_written`]).
        differs_as_written: bool,
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
    pub(crate) kind: EvalErrorKind,
    /// The sub-expression in the rule.
    pub(crate) span: Span,
    /// The figures involved, the culprit first.
    pub(crate) nodes: Vec<NodeId>,
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
