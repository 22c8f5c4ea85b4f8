//! Wording: a finding's message, labels and notes, from what the evaluator recorded.
//!
//! The primary label goes on the offending figure and says what is wrong with it
//! (`超出 2 件`, `应为 96.72%`); secondary labels name the other figures with their
//! values; notes write the arithmetic out and say what rounding allows.

use super::Budget;
use crate::expr::CmpOp;
use crate::expr::eval::Evaluator;
use crate::expr::eval::rate_differs;
use crate::expr::value::{EvalError, EvalErrorKind, Fact, Num, Side, Stop, Val};
use crate::figure::{Dimension, Truth};
use crate::finding::{Explanation, Finding, Label, Status, brief};
use crate::report::{NodeId, Report, Value};
use crate::rules::{Rule, Severity, Template, TemplatePart};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Most characters of data text quoted in a message or label.
const QUOTED: usize = 60;
/// Most figures named in one note.
const LISTED: usize = 10;

/// A finding for a check that fails for every value its figures may stand for.
pub(super) fn failed(report: &Report, rule: &Rule, node: NodeId, budget: &Budget) -> Finding {
    let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref(), budget).recording();
    let because = ev
        .cond(&rule.check, node)
        .map(|c| c.because)
        .unwrap_or_default();
    let facts: Vec<&Fact> = because.iter().map(|&i| &ev.facts()[i]).collect();
    let mut w = Words::new(report, rule, node, &facts, budget);
    let (primary, primary_span) = w.primary();
    let label = facts
        .first()
        .map_or_else(|| "不符合".to_string(), |f| w.what_is_wrong(f, primary));
    let mut notes = Vec::new();
    if rule.message.is_some() {
        notes.push(rule.title.clone());
    }
    for fact in &facts {
        notes.extend(w.arithmetic(fact, false));
    }
    let explanation = explanation(report, rule, node, budget);
    Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        status: if explanation.is_some() {
            Status::Explained
        } else {
            Status::Failed
        },
        message: message(report, rule, node, budget),
        row: row_of(report, primary),
        primary: Label {
            path: node_path(report, primary),
            span: primary_span,
            message: label,
        },
        labels: w.secondary(primary),
        notes,
        help: rule
            .help
            .as_ref()
            .map(|t| fill(report, rule, node, t, budget)),
        explanation,
    }
}

/// An info finding for written figures that differ as written, within rounding: sums
/// that do not add up, or a rate that is not the quotient of the figures at its written
/// precision.
pub(super) fn within_rounding(
    report: &Report,
    rule: &Rule,
    node: NodeId,
    budget: &Budget,
) -> Option<Finding> {
    let mut ev = Evaluator::new(report, &rule.params, None, budget).recording();
    ev.cond(&rule.check, node).ok()?;
    let facts: Vec<&Fact> = ev
        .facts()
        .iter()
        .filter(|f| match f {
            // Only a comparison that rounding decided: one that certainly fails or holds
            // (a decisive side of `or`) is no matter of rounding.
            Fact::Compare {
                lhs: Side::Num(_),
                rhs: Side::Num(_),
                differs_as_written: true,
                truth: Truth::Unknown,
                ..
            } => true,
            _ => false,
        })
        .collect();
    let first = *facts.first()?;
    let mut w = Words::new(report, rule, node, &facts, budget);
    let (primary, primary_span) = w.primary();
    let Fact::Compare {
        lhs: Side::Num(x),
        rhs: Side::Num(y),
        ..
    } = first
    else {
        return None;
    };
    let rate = [(x, y), (y, x)]
        .into_iter()
        .find(|(stated, computed)| rate_differs(stated, computed));
    let (message, diff) = match rate {
        // 86% beside 85 ÷ 100: the quotient, shown to the rate's written precision.
        Some((stated, computed)) => {
            let mut q = computed.clone();
            q.decimals = stated.decimals;
            q.shown = stated.shown;
            // Rounded half away from zero (四舍五入), as the check rounded it.
            let scale = q.shown.scale();
            if let Some(p) = q
                .point
                .checked_div(scale)
                .map(|v| {
                    v.round_dp_with_strategy(
                        q.decimals.unwrap_or(0),
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    )
                })
                .and_then(|v| v.checked_mul(scale))
            {
                q.point = p;
            }
            (
                format!(
                    "按所填数字计算为 {}，与所填 {} 不符，在四舍五入误差之内",
                    q.show(),
                    stated.show()
                ),
                format!("按所填应为 {}", q.show()),
            )
        }
        None => {
            let diff = difference("相差", x, y, x.point, y.point, true);
            (format!("按所填数字{diff}，在四舍五入误差之内"), diff)
        }
    };
    let mut notes = vec![rule.title.clone()];
    for fact in &facts {
        notes.extend(w.arithmetic(fact, true));
    }
    notes.push("各数按四舍五入的取值范围有重叠，不判为错误；如有笔误请改正".to_string());
    Some(Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        severity: Severity::Info,
        status: Status::Failed,
        message,
        row: row_of(report, primary),
        primary: Label {
            path: node_path(report, primary),
            span: primary_span,
            message: diff,
        },
        labels: w.secondary(primary),
        notes,
        help: None,
        explanation: None,
    })
}

/// A finding for data that cannot be computed with.
pub(super) fn cannot_compute(
    report: &Report,
    rule: &Rule,
    node: NodeId,
    fast: &EvalError,
    budget: &Budget,
) -> Finding {
    // Evaluate again, recording, to learn which figures took part.
    let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref(), budget).recording();
    let recorded = match ev.cond(&rule.check, node) {
        Err(Stop::Error(e)) => e,
        _ => fast.clone(),
    };
    let e = &recorded;
    let primary = e.nodes.first().copied().unwrap_or(node);
    let (label, others) = match &e.kind {
        EvalErrorKind::DivisionByZero => ("除数为 0".to_string(), "参与计算"),
        EvalErrorKind::Overflow => ("超出范围".to_string(), "参与计算"),
        EvalErrorKind::Units { .. } => (unit_label(report, primary), ""),
        EvalErrorKind::Reference(_) => ("找不到".to_string(), ""),
    };
    let mut seen = HashSet::from([primary]);
    let labels = e
        .nodes
        .iter()
        .filter(|&&n| seen.insert(n))
        .map(|&n| {
            let message = if others.is_empty() {
                unit_label(report, n)
            } else {
                format!("{}：{others}", value_label(report, n))
            };
            Label {
                path: node_path(report, n),
                span: report.label_span(n),
                message,
            }
        })
        .collect();
    Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        status: Status::Failed,
        message: e.kind.message(),
        row: row_of(report, primary),
        primary: Label {
            path: node_path(report, primary),
            span: report.label_span(primary),
            message: label,
        },
        labels,
        notes: vec![rule.title.clone()],
        help: Some(match e.kind {
            EvalErrorKind::Units { .. } => "核对单位是否写错，或数字是否填错位置".to_string(),
            EvalErrorKind::Reference(_) => {
                "核对路径：写所指那一格从表（或文件）顶层起的各级键名，以「.」相连".to_string()
            }
            _ => "核对参与计算的数字".to_string(),
        }),
        explanation: None,
    }
}

fn unit_label(report: &Report, node: NodeId) -> String {
    match report.figure(node).and_then(|f| f.unit) {
        Some(u) => format!("单位「{}」", u.name),
        None => "没有单位".to_string(),
    }
}

fn node_path(report: &Report, node: NodeId) -> String {
    report.path(node)
}

/// `交办 1022 件`: a figure's name and value, as a secondary label says it. A nested
/// total is named by what it totals (`基本支出 130.15 万元`, not `合计 130.15 万元`).
fn value_label(report: &Report, node: NodeId) -> String {
    let parent_key = report.node(node).parent.and_then(|p| report.key(p));
    let name = match (report.key(node), parent_key) {
        _ if report.title(node).is_some() => report.title(node).unwrap_or_default().to_string(),
        (Some("合计"), Some(parent)) => parent.to_string(),
        _ => brief(&report.name(node), QUOTED),
    };
    match &report.node(node).value {
        Value::Scalar(s) => match &s.figure {
            Some(f) => format!("{name} {}", f.display()),
            None => format!("{name}「{}」", brief(&s.text, QUOTED)),
        },
        _ => name,
    }
}

/// The number whose unit a difference between `x` and `y` is shown in.
fn unit_of<'n>(x: &'n Num, y: &'n Num) -> &'n Num {
    if x.dim.is_some() { x } else { y }
}

fn message(report: &Report, rule: &Rule, node: NodeId, budget: &Budget) -> String {
    match &rule.message {
        Some(template) => fill(report, rule, node, template, budget),
        None => rule.title.clone(),
    }
}

/// A template with its `{expression}` parts filled in with values as written.
fn fill(
    report: &Report,
    rule: &Rule,
    node: NodeId,
    template: &Template,
    budget: &Budget,
) -> String {
    let mut ev = Evaluator::new(report, &rule.params, None, budget);
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(t) => out.push_str(t),
            TemplatePart::Expr(e) => out.push_str(&match ev.eval(e, node) {
                Ok(Val::Num(n)) => match n.figure.and_then(|f| report.figure(f)) {
                    Some(f) => f.display(),
                    None => n.show(),
                },
                Ok(Val::Text(t)) => brief(&t.text, QUOTED),
                Ok(Val::Cond(c)) => if c.written { "是" } else { "否" }.to_string(),
                Ok(Val::Mixed(groups)) => {
                    groups.iter().map(Num::show).collect::<Vec<_>>().join(" + ")
                }
                Err(_) => "（无）".to_string(),
            }),
        }
    }
    out
}

/// Keys whose text names a row of a table (a list of mappings).
const ROW_NAMES: &[&str] = &[
    "名称",
    "项目名称",
    "项目",
    "指标",
    "三级指标",
    "指标名称",
    "二级指标",
    "单位",
    "渠道",
    "事项",
];

/// The row of a table a node belongs to, for people: `第 3 行「群众满意度」`. The
/// nearest list item above the node that is a mapping is the row; its name is the text
/// under the first of [`ROW_NAMES`] it has.
pub fn row_of(report: &Report, node: NodeId) -> Option<String> {
    let mut cursor = Some(node);
    while let Some(id) = cursor {
        if let crate::report::Place::Index(i) = report.node(id).place
            && matches!(report.node(id).value, Value::Map(_))
        {
            let name = ROW_NAMES.iter().find_map(|k| {
                let text = report.text(report.child(id, k)?)?.trim();
                (!text.is_empty()).then(|| crate::finding::brief(text, 30))
            });
            return Some(match name {
                Some(name) => format!("第 {} 行「{name}」", i + 1),
                None => format!("第 {} 行", i + 1),
            });
        }
        cursor = report.node(id).parent;
    }
    None
}

/// Text a form writes where there is nothing to explain; it explains nothing.
const NO_EXPLANATION: &[&str] = &[
    "无",
    "暂无",
    "没有",
    "无偏差",
    "略",
    "同上",
    "见上",
    "na",
    "n/a",
    "none",
    "null",
    "nil",
];

/// Whether text written where an explanation belongs explains nothing: blank, dashes,
/// punctuation alone (`。`, `…`), a number alone (`0`), or a word for none (`略`, `N/A`).
pub fn explains_nothing(text: &str) -> bool {
    let words: String = text
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '/')
        .flat_map(char::to_lowercase)
        .collect();
    let words = words.trim_matches('/');
    words.is_empty()
        || words.chars().all(|c| c.is_numeric() || c == '/')
        || NO_EXPLANATION.contains(&words)
        || NO_EXPLANATION.contains(&words.replace('/', "").as_str())
}

fn explanation(report: &Report, rule: &Rule, node: NodeId, budget: &Budget) -> Option<Explanation> {
    let target = rule
        .explained_by
        .as_ref()?
        .resolve_one(report, node, budget)?;
    let Value::Scalar(scalar) = &report.node(target).value else {
        return None;
    };
    let text = scalar.text.trim();
    if scalar.is_blank() || scalar.figure.is_some() || explains_nothing(text) {
        return None;
    }
    Some(Explanation {
        text: text.to_string(),
        label: Label {
            path: report.path(target),
            span: report.label_span(target),
            message: "说明".to_string(),
        },
        decision: None,
    })
}

struct Words<'a> {
    report: &'a Report,
    rule: &'a Rule,
    node: NodeId,
    facts: &'a [&'a Fact],
    budget: &'a Budget,
}

impl<'a> Words<'a> {
    fn new(
        report: &'a Report,
        rule: &'a Rule,
        node: NodeId,
        facts: &'a [&'a Fact],
        budget: &'a Budget,
    ) -> Words<'a> {
        Words {
            report,
            rule,
            node,
            facts,
            budget,
        }
    }

    /// The offending figure: `at`, else the left side of the first deciding fact.
    fn primary(&mut self) -> (NodeId, std::ops::Range<usize>) {
        if let Some(at) = self
            .rule
            .at
            .as_ref()
            .and_then(|p| p.resolve_one(self.report, self.node, self.budget))
        {
            return (at, self.report.label_span(at));
        }
        for fact in self.facts {
            let found = match fact {
                Fact::Compare { lhs, rhs, .. } => side_node(lhs).or_else(|| side_node(rhs)),
                Fact::NotWhole(n) => n.figure,
                Fact::Band { label, .. } => label.node,
                Fact::Matched { text, found } => {
                    if let (Some(node), Some(range)) = (text.node, found) {
                        return (node, self.narrow(node, range.clone()));
                    }
                    text.node
                }
            };
            if let Some(node) = found {
                return (node, self.report.label_span(node));
            }
        }
        (self.node, self.report.label_span(self.node))
    }

    /// The span of part of a scalar's text, when the scalar is written verbatim.
    fn narrow(&self, node: NodeId, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let span = self.report.label_span(node);
        match &self.report.node(node).value {
            Value::Scalar(s) if s.verbatim_at.is_some() && !range.is_empty() => {
                let start = span.start + s.verbatim_at.unwrap_or(0);
                start + range.start..start + range.end
            }
            _ => span,
        }
    }

    /// The primary label: what is wrong with the primary figure.
    fn what_is_wrong(&self, fact: &Fact, primary: NodeId) -> String {
        match fact {
            Fact::Compare { op, lhs, rhs, .. } => {
                let (x, y, op) = if side_figures(rhs).contains(&primary)
                    && !side_figures(lhs).contains(&primary)
                {
                    (rhs, lhs, mirror(*op))
                } else {
                    (lhs, rhs, *op)
                };
                match (x, y) {
                    (Side::Num(x), Side::Num(y)) => match op {
                        CmpOp::Le | CmpOp::Lt if y.figure.is_none() && y.computed => {
                            format!("大于 {}", computed(y, x).show())
                        }
                        CmpOp::Ge | CmpOp::Gt if y.figure.is_none() && y.computed => {
                            format!("小于 {}", computed(y, x).show())
                        }
                        CmpOp::Lt | CmpOp::Gt if x.point == y.point => {
                            format!("等于 {}", y.show())
                        }
                        CmpOp::Le | CmpOp::Lt => difference("超出", x, y, x.point, y.point, false),
                        CmpOp::Ge | CmpOp::Gt => difference("不足", x, y, y.point, x.point, false),
                        CmpOp::Eq if y.figure.is_none() => {
                            format!("应为 {}", computed(y, x).show())
                        }
                        CmpOp::Eq => difference("相差", x, y, x.point, y.point, true),
                        CmpOp::Ne => "不应相同".to_string(),
                    },
                    (_, Side::Text(t)) if op == CmpOp::Eq => {
                        format!("应为「{}」", brief(&t.text, QUOTED))
                    }
                    (_, Side::Text(t)) => format!("不应为「{}」", brief(&t.text, QUOTED)),
                    _ => "不符合".to_string(),
                }
            }
            Fact::NotWhole(_) => "不是整数".to_string(),
            Fact::Band { expected, .. } => format!("应为「{expected}」"),
            Fact::Matched {
                text,
                found: Some(r),
            } => format!("「{}」", brief(&text.text[r.clone()], QUOTED)),
            Fact::Matched { .. } => "不符合格式".to_string(),
        }
    }

    /// Secondary labels: every other figure that took part, with its value.
    fn secondary(&self, primary: NodeId) -> Vec<Label> {
        // Sets, not lists: a sum over 100,000 figures labels each once in linear time.
        let mut seen = HashSet::from([primary]);
        let mut labels = Vec::new();
        let mut add = |node: NodeId, message: String, seen: &mut HashSet<NodeId>| {
            if seen.insert(node) {
                labels.push(Label {
                    path: self.report.path(node),
                    span: self.report.label_span(node),
                    message,
                });
            }
        };
        for fact in self.facts {
            match fact {
                Fact::Compare {
                    lhs, rhs, excluded, ..
                } => {
                    for node in side_figures(lhs).into_iter().chain(side_figures(rhs)) {
                        add(node, value_label(self.report, node), &mut seen);
                    }
                    for &node in excluded {
                        add(
                            node,
                            format!("{}：单位不同，未计入", value_label(self.report, node)),
                            &mut seen,
                        );
                    }
                }
                Fact::NotWhole(n) => {
                    for &node in &n.figures {
                        add(node, value_label(self.report, node), &mut seen);
                    }
                }
                Fact::Band { value, .. } => {
                    for node in value
                        .figure
                        .into_iter()
                        .chain(value.figures.iter().copied())
                    {
                        add(node, value_label(self.report, node), &mut seen);
                    }
                }
                Fact::Matched { .. } => {}
            }
        }
        labels
    }

    /// Notes with the arithmetic written out, and what rounding allows.
    fn arithmetic(&self, fact: &Fact, as_written: bool) -> Vec<String> {
        if let Fact::Band {
            value,
            expected,
            lower,
            upper,
            ..
        } = fact
        {
            let x = value.worked();
            let range = match (lower, upper) {
                (Some(l), Some(u)) => format!("{} ≤ {x} < {}", l.show(), u.show()),
                (Some(l), None) => format!("{x} ≥ {}", l.show()),
                (None, Some(u)) => format!("{x} < {}", u.show()),
                (None, None) => x,
            };
            return vec![format!("{range}，对应「{expected}」")];
        }
        let Fact::Compare {
            op,
            lhs,
            rhs,
            excluded,
            tolerance,
            ..
        } = fact
        else {
            return Vec::new();
        };
        let (Side::Num(x), Side::Num(y)) = (lhs, rhs) else {
            return match (lhs, rhs) {
                (Side::Text(a), Side::Text(b)) => vec![format!(
                    "「{}」{}「{}」",
                    brief(&a.text, QUOTED),
                    op.negated().symbol(),
                    brief(&b.text, QUOTED)
                )],
                _ => Vec::new(),
            };
        };
        let (x, y) = (computed(x, y), computed(y, x));
        let mut notes = Vec::new();
        if as_written {
            notes.push(format!("{} ≠ {}（按所填数字）", x.worked(), y.worked()));
            return notes;
        }
        notes.push(format!(
            "{} {} {}",
            x.worked(),
            op.negated().symbol(),
            y.worked()
        ));
        if tolerance.is_some() {
            let t = self
                .rule
                .tolerance
                .as_ref()
                .map_or_else(String::new, |t| t.display());
            notes.push(format!("按规则容差 {t} 比较，不按四舍五入区间"));
        } else if *op == CmpOp::Eq && rounding_matters(&x, &y) {
            for (stated, other) in [(&x, &y), (&y, &x)] {
                if is_rounded_figure(stated) {
                    notes.push(format!(
                        "所填 {} 代表 {}",
                        stated.show(),
                        stated.show_interval()
                    ));
                    notes.extend(truncation(stated, other));
                }
            }
            for side in [&x, &y] {
                if side.figure.is_none() && side.computed && side.is_rounded() {
                    notes.push(format!(
                        "按各数四舍五入的范围，{} 可在 {} 之间",
                        side.arith,
                        side.show_interval()
                    ));
                }
            }
        }
        if !excluded.is_empty() {
            let names: Vec<String> = excluded
                .iter()
                .take(LISTED)
                .map(|&n| value_label(self.report, n))
                .collect();
            let more = if excluded.len() > LISTED {
                format!(" 等 {} 项", excluded.len())
            } else {
                String::new()
            };
            notes.push(format!(
                "未计入：{}{more}（单位与比较的数不同）",
                names.join("、")
            ));
        }
        notes
    }
}

/// A computed number shown with the precision of the figure it is compared with, plus
/// two places for a ratio (96.72% beside a stated 97.6%).
fn computed(n: &Num, other: &Num) -> Num {
    let mut n = n.clone();
    if n.figure.is_none() && n.decimals.is_none() {
        let base = other
            .decimals
            .filter(|_| other.figure.is_some())
            .unwrap_or(0);
        n.decimals = Some(if n.dim == Some(Dimension::Ratio) {
            (base + 1).max(2)
        } else {
            base.max(2)
        });
    }
    n
}

/// Whether notes on rounding intervals help: for a rate, or when the gap is within a few
/// rounding widths (a 14 万元 gap needs no word on what 85.62 万元 stands for).
fn rounding_matters(x: &Num, y: &Num) -> bool {
    let width = |n: &Num| match (n.interval.lo, n.interval.hi) {
        (Some(lo), Some(hi)) => hi.checked_sub(lo).unwrap_or(Decimal::MAX),
        _ => Decimal::ZERO,
    };
    let widths = width(x)
        .saturating_add(width(y))
        .saturating_mul(Decimal::from(5));
    x.dim == Some(Dimension::Ratio)
        || y.dim == Some(Dimension::Ratio)
        || x.point
            .checked_sub(y.point)
            .is_some_and(|gap| gap.abs() <= widths)
}

/// `超出 5 件`: `a - b` (or its absolute value) after `word`, in the unit of whichever of
/// `x` and `y` has one, to the finer of their written precisions (25 万元 against
/// 25.50 万元 differ by 0.50 万元, not 0). Figures at the edges of the decimal range can
/// differ by more than a decimal holds.
fn difference(word: &str, x: &Num, y: &Num, a: Decimal, b: Decimal, abs: bool) -> String {
    let Some(d) = a.checked_sub(b) else {
        return "差额超出可计算的范围".to_string();
    };
    let mut shown = unit_of(x, y).clone();
    shown.decimals = match (x.decimals, y.decimals) {
        (Some(p), Some(q)) => Some(p.max(q)),
        _ => None,
    };
    format!("{word} {}", shown.show_value(if abs { d.abs() } else { d }))
}

fn is_rounded_figure(n: &Num) -> bool {
    n.figure.is_some()
        && !n.interval.is_point()
        && n.interval.lo.is_some()
        && n.interval.hi.is_some()
}

/// A note when the stated figure is the computed value truncated, not rounded
/// (98.98% written as 98%).
fn truncation(stated: &Num, computed: &Num) -> Option<String> {
    let d = stated.decimals?;
    let scale = stated.shown.scale();
    let written = stated.point.checked_div(scale)?;
    let value = computed.point.checked_div(scale)?;
    let truncated = value.trunc_with_scale(d);
    let rounded = value.round_dp(d);
    if truncated != written || truncated == rounded {
        return None;
    }
    Some(format!(
        "{} 舍去尾数为 {}，与所填一致；按四舍五入应为 {}",
        computed.show(),
        stated.show_value(truncated.checked_mul(scale)?),
        stated.show_value(rounded.checked_mul(scale)?)
    ))
}

fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Lt,
        other => other,
    }
}

fn side_node(side: &Side) -> Option<NodeId> {
    match side {
        Side::Num(n) => n.figure.or_else(|| n.figures.first().copied()),
        Side::Text(t) => t.node,
        Side::Cond(_) => None,
    }
}

fn side_figures(side: &Side) -> Vec<NodeId> {
    match side {
        Side::Num(n) => {
            let mut seen = HashSet::new();
            n.figure
                .into_iter()
                .chain(n.figures.iter().copied())
                .filter(|&n| seen.insert(n))
                .collect()
        }
        Side::Text(t) => t.node.into_iter().collect(),
        Side::Cond(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::explains_nothing;

    #[test]
    fn blank_explanations_explain_nothing() {
        for text in [
            "", "。", "略", "略。", "N/A", "n/a", "NA", "0", "——", "…", "？", "无。", "同上", "( )",
        ] {
            assert!(explains_nothing(text), "{text:?}");
        }
        for text in ["追加预算已批准", "因疫情延期", "见附件 3", "N/A 项目已撤销"]
        {
            assert!(!explains_nothing(text), "{text:?}");
        }
    }
}
