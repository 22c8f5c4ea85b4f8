//! Checker: names, arity, types and units of an expression, once, when its rule loads.
//!
//! Units written in the rule are known here (`100%`, `75万元`); units of figures come from
//! the data and are checked again when the rule runs. Every error is collected, so a rule
//! author sees them all at once. The checker also compiles `matches` patterns.

use super::{CmpOp, Expr, ExprKind, Func, Span, combine};
use crate::figure::{Dimension, Figure, comparable};
use crate::problem::similar;
use std::collections::BTreeMap;

/// A rule parameter: a figure such as `90%`, or text.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    Figure(Box<Figure>, String),
    Text(String),
}

pub type Params = BTreeMap<String, ParamValue>;

use super::pattern::Pattern;

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A number; the dimension is known when a literal with a unit fixed it.
    Num(Option<Dimension>),
    Bool,
    Text,
    /// One value from the data (a singular path): a figure or text, as the data says.
    Value,
    /// Any number of values (`a[*]`, `**`): only functions such as `sum` take these.
    Values,
    /// After an error, to avoid a cascade of follow-on errors.
    Error,
}

impl Ty {
    fn describe(self) -> &'static str {
        match self {
            Ty::Num(_) => "数值",
            Ty::Bool => "条件",
            Ty::Text => "文字",
            Ty::Value => "数据中的值",
            Ty::Values => "多个值",
            Ty::Error => "错误",
        }
    }

    fn numeric(self) -> Option<Option<Dimension>> {
        match self {
            Ty::Num(d) => Some(d),
            Ty::Value | Ty::Error => Some(None),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    pub kind: CheckErrorKind,
    pub span: Span,
}

/// A type error, as data. Each variant's doc shows an expression that triggers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckErrorKind {
    /// `sum(a) and b > 0`: `and`, `or`, `not`, `check` and `when` need a condition
    NotCondition(&'static str),
    /// `has(a) + 1`
    NotNumber(&'static str),
    /// `lookup(1)`, `band(等级, 得分, 90, 1, "良")`
    NotText(&'static str),
    /// `a[*].b > 0`: a path that selects several values, where one is needed
    ManyValues,
    /// `100% + 5件`, `5件 <= 3人次`, `1 / 5件` (a bare number is `None`)
    Units {
        op: &'static str,
        left: Option<Dimension>,
        right: Option<Dimension>,
    },
    /// `abs(a, b)`
    Arity {
        func: &'static str,
        expected: &'static str,
    },
    /// `has(1)`
    NeedsPath(&'static str),
    /// `matches(a, b)`: the pattern must be a string literal
    NeedsPattern,
    /// `matches(a, "(")`
    BadPattern(String),
    /// `$阈值` in a rule without that parameter
    UnknownParam {
        name: String,
        similar: Option<String>,
    },
    /// `"优" < "良"`
    TextOrder,
    /// `1 == "优"`
    Mismatch {
        left: &'static str,
        right: &'static str,
    },
}

impl CheckErrorKind {
    pub fn message(&self) -> String {
        match self {
            CheckErrorKind::NotCondition(found) => format!("此处应为条件，却是{found}"),
            CheckErrorKind::NotNumber(found) => format!("此处应为数值，却是{found}"),
            CheckErrorKind::NotText(found) => format!("此处应为文字，却是{found}"),
            CheckErrorKind::ManyValues => "路径可能选出多个值，此处只能用一个值".into(),
            CheckErrorKind::Units { op, left, right } => {
                let verb = match *op {
                    "+" | "-" | "sum" | "min" | "max" => "相加减",
                    "band" | "meets" => "比较",
                    "×" | "÷" => "相乘除",
                    _ => "比较",
                };
                format!(
                    "单位不一致：{}与{}不能{verb}",
                    Dimension::describe_or_bare(*left),
                    Dimension::describe_or_bare(*right)
                )
            }
            CheckErrorKind::Arity { func, expected } => format!("函数 {func} 需要{expected}"),
            CheckErrorKind::NeedsPath(func) => format!("函数 {func} 的参数应为路径"),
            CheckErrorKind::NeedsPattern => "matches 的第二个参数应为带引号的正则表达式".into(),
            CheckErrorKind::BadPattern(e) => format!("正则表达式无效：{e}"),
            CheckErrorKind::UnknownParam { name, .. } => format!("未定义的参数「${name}」"),
            CheckErrorKind::TextOrder => "文字只能比较相等或不等".into(),
            CheckErrorKind::Mismatch { left, right } => format!("{left}不能与{right}比较"),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            CheckErrorKind::Units { .. } => "单位不一致",
            CheckErrorKind::ManyValues => "可能有多个值",
            CheckErrorKind::UnknownParam { .. } => "未定义",
            CheckErrorKind::BadPattern(_) => "无效的正则表达式",
            _ => "类型不符",
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            CheckErrorKind::ManyValues => Some("用 sum()、count()、min() 或 max() 汇总".into()),
            CheckErrorKind::NotCondition("数据中的值") => {
                Some("判断是否填写用 has(路径)".into())
            }
            CheckErrorKind::UnknownParam {
                similar: Some(s), ..
            } => Some(format!("有名称相近的参数「${s}」")),
            CheckErrorKind::UnknownParam { similar: None, .. } => {
                Some("在规则的 params 中定义它；内置的参数只有 $key（所访问节点的键名）".into())
            }
            _ => None,
        }
    }
}

pub struct Checker<'p> {
    params: &'p Params,
    pub errors: Vec<CheckError>,
    /// `matches` patterns are compiled on first use ([`Pattern::lazy`]): for the
    /// built-in packs, whose patterns a test compiles. Otherwise they are compiled here,
    /// and a pattern that does not compile is an error of the rule.
    pub lazy_patterns: bool,
}

impl<'p> Checker<'p> {
    pub fn new(params: &'p Params) -> Checker<'p> {
        Checker {
            params,
            errors: Vec::new(),
            lazy_patterns: false,
        }
    }

    /// Checks an expression that must be a condition (`check`, `when`).
    pub fn condition(&mut self, expr: &mut Expr) {
        let ty = self.ty(expr);
        self.want_bool(ty, &expr.span);
    }

    /// Checks an expression interpolated into a message: any single value.
    pub(crate) fn value(&mut self, expr: &mut Expr) {
        if self.ty(expr) == Ty::Values {
            self.error(CheckErrorKind::ManyValues, &expr.span);
        }
    }

    fn error(&mut self, kind: CheckErrorKind, span: &Span) {
        self.errors.push(CheckError {
            kind,
            span: span.clone(),
        });
    }

    fn want_bool(&mut self, ty: Ty, span: &Span) {
        match ty {
            Ty::Bool | Ty::Error => {}
            Ty::Values => self.error(CheckErrorKind::ManyValues, span),
            other => self.error(CheckErrorKind::NotCondition(other.describe()), span),
        }
    }

    pub(super) fn want_text(&mut self, ty: Ty, span: &Span) {
        match ty {
            Ty::Text | Ty::Value | Ty::Error => {}
            Ty::Values => self.error(CheckErrorKind::ManyValues, span),
            other => self.error(CheckErrorKind::NotText(other.describe()), span),
        }
    }

    /// A number whose dimension must be comparable with `with`; its dimension, or `with`.
    pub(super) fn want_comparable(
        &mut self,
        func: Func,
        with: Option<Dimension>,
        arg: &mut Expr,
    ) -> Option<Dimension> {
        let ty = self.ty(arg);
        let dim = self.want_num(ty, &arg.span);
        if with.is_some() && dim.is_some() && !comparable(with, dim) {
            let op = func.name();
            self.error(
                CheckErrorKind::Units {
                    op,
                    left: with,
                    right: dim,
                },
                &arg.span,
            );
        }
        with.or(dim)
    }

    pub(super) fn want_num(&mut self, ty: Ty, span: &Span) -> Option<Dimension> {
        match ty {
            Ty::Values => {
                self.error(CheckErrorKind::ManyValues, span);
                None
            }
            other => match other.numeric() {
                Some(d) => d,
                None => {
                    self.error(CheckErrorKind::NotNumber(other.describe()), span);
                    None
                }
            },
        }
    }

    pub(crate) fn ty(&mut self, expr: &mut Expr) -> Ty {
        let span = expr.span.clone();
        match &mut expr.kind {
            ExprKind::Path(p) => {
                if p.is_singular() {
                    Ty::Value
                } else {
                    Ty::Values
                }
            }
            ExprKind::Number(f, _) => Ty::Num(f.dimension()),
            ExprKind::Str(_) | ExprKind::Pattern(_) => Ty::Text,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Param(name) => match self.params.get(name.as_str()) {
                Some(ParamValue::Figure(f, _)) => Ty::Num(f.dimension()),
                Some(ParamValue::Text(_)) => Ty::Text,
                None if name == "key" => Ty::Text,
                None => {
                    let similar =
                        similar(name, self.params.keys().map(String::as_str)).map(str::to_string);
                    let name = name.clone();
                    self.error(CheckErrorKind::UnknownParam { name, similar }, &span);
                    Ty::Error
                }
            },
            ExprKind::Neg(inner) => {
                let ty = self.ty(inner);
                Ty::Num(self.want_num(ty, &inner.span))
            }
            ExprKind::Not(inner) => {
                let ty = self.ty(inner);
                self.want_bool(ty, &inner.span);
                Ty::Bool
            }
            ExprKind::Logic(_, a, b) => {
                for side in [a, b] {
                    let ty = self.ty(side);
                    self.want_bool(ty, &side.span);
                }
                Ty::Bool
            }
            ExprKind::Arith(op, a, b) => {
                let (ta, tb) = (self.ty(a), self.ty(b));
                let da = self.want_num(ta, &a.span);
                let db = self.want_num(tb, &b.span);
                match combine(*op, da, db) {
                    Some(d) => Ty::Num(d),
                    // Also for a bare number divided by a count: `1 / 5件`.
                    None => {
                        self.error(
                            CheckErrorKind::Units {
                                op: op.symbol(),
                                left: da,
                                right: db,
                            },
                            &span,
                        );
                        Ty::Error
                    }
                }
            }
            ExprKind::Compare(op, a, b) => {
                let (ta, tb) = (self.ty(a), self.ty(b));
                self.compare(*op, (ta, &a.span), (tb, &b.span), &span);
                Ty::Bool
            }
            ExprKind::Call(func, args) => self.call(*func, args, &span),
        }
    }

    fn compare(&mut self, op: CmpOp, (ta, sa): (Ty, &Span), (tb, sb): (Ty, &Span), span: &Span) {
        for (t, s) in [(ta, sa), (tb, sb)] {
            if t == Ty::Values {
                self.error(CheckErrorKind::ManyValues, s);
                return;
            }
        }
        let ordered = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (ta, tb) {
            (Ty::Error, _) | (_, Ty::Error) => {}
            (Ty::Num(da), Ty::Num(db)) => {
                if !comparable(da, db) {
                    self.error(
                        CheckErrorKind::Units {
                            op: op.symbol(),
                            left: da,
                            right: db,
                        },
                        span,
                    );
                }
            }
            (Ty::Text, Ty::Text | Ty::Value) | (Ty::Value, Ty::Text) if ordered => {
                self.error(CheckErrorKind::TextOrder, span)
            }
            (Ty::Bool, Ty::Bool) if ordered => self.error(CheckErrorKind::TextOrder, span),
            (Ty::Value, _) | (_, Ty::Value) | (Ty::Text, Ty::Text) | (Ty::Bool, Ty::Bool) => {}
            (left, right) => self.error(
                CheckErrorKind::Mismatch {
                    left: left.describe(),
                    right: right.describe(),
                },
                span,
            ),
        }
    }

    fn call(&mut self, func: Func, args: &mut [Expr], span: &Span) -> Ty {
        let spec = func.spec();
        if !spec.arity.fits(args.len()) {
            self.error(
                CheckErrorKind::Arity {
                    func: spec.name,
                    expected: spec.expects,
                },
                span,
            );
            return Ty::Error;
        }
        (spec.check)(self, func, args)
    }

    pub(super) fn units(
        &mut self,
        op: &'static str,
        left: Option<Dimension>,
        right: Option<Dimension>,
        span: &Span,
    ) {
        self.error(CheckErrorKind::Units { op, left, right }, span);
    }

    pub(super) fn needs_path(&mut self, func: &'static str, span: &Span) {
        self.error(CheckErrorKind::NeedsPath(func), span);
    }

    pub(super) fn many_values(&mut self, span: &Span) {
        self.error(CheckErrorKind::ManyValues, span);
    }

    /// A value whose text as written can be read: a value from the data, or text.
    pub(super) fn want_text_as_written(&mut self, ty: Ty, span: &Span) {
        match ty {
            Ty::Value | Ty::Text | Ty::Error => {}
            Ty::Values => self.error(CheckErrorKind::ManyValues, span),
            other => self.error(
                CheckErrorKind::Mismatch {
                    left: other.describe(),
                    right: "文字",
                },
                span,
            ),
        }
    }

    /// Compiles the pattern of `matches` into the expression, so it runs compiled.
    pub(super) fn pattern(&mut self, arg: &mut Expr) {
        let ExprKind::Str(text) = &arg.kind else {
            self.error(CheckErrorKind::NeedsPattern, &arg.span);
            return;
        };
        if self.lazy_patterns {
            arg.kind = ExprKind::Pattern(Pattern::lazy(text));
            return;
        }
        match Pattern::compile(text) {
            Ok(pattern) => arg.kind = ExprKind::Pattern(pattern),
            Err(e) => {
                let msg = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                self.error(CheckErrorKind::BadPattern(msg), &arg.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ArithOp;
    use crate::expr::parse::parse_expr;

    fn errors(src: &str) -> Vec<CheckErrorKind> {
        let mut params = Params::new();
        params.insert(
            "阈值".into(),
            ParamValue::Figure(
                Box::new(Figure::parse("90%").unwrap().unwrap()),
                "90%".into(),
            ),
        );
        let mut expr = parse_expr(src).unwrap();
        let mut checker = Checker::new(&params);
        checker.condition(&mut expr);
        checker.errors.into_iter().map(|e| e.kind).collect()
    }

    #[test]
    fn well_typed() {
        for src in [
            "办结 <= 交办",
            "sum(其中.*) == 合计",
            "abs(执行率 - 执行数 / 预算数) <= 0.1%",
            "执行率 < $阈值 and not blank(说明)",
            "matches(., \"XX|××\")",
            "len(名单) <= 件数",
            "integer(.) or unit(.) == \"万元\"",
            "执行数 <= 75万元",
            "自评等级 == \"优\"",
            "count(a[*]) > 0",
            "rounded(得分) == min(执行率, 100%) * 分值",
            "exact(得分) < 分值",
            "meets(实际完成值, 年度指标值) or meets(a, b, 指标性质, \"≥\")",
            "band(自评等级, 总分.得分, 90, \"优\", 80, \"良\", 60, \"中\", \"差\")",
            "lookup(.) == ..a",
        ] {
            assert_eq!(errors(src), vec![], "{src}");
        }
    }

    #[test]
    fn unit_errors_between_literals() {
        assert!(matches!(
            errors("a + 5件 <= 3人次")[..],
            [CheckErrorKind::Units {
                left: Some(Dimension::Count("件")),
                right: Some(Dimension::Count("人次")),
                ..
            }]
        ));
        // Found by fuzzing: a bare number over a count panicked the checker.
        assert_eq!(
            errors("1 / 5件 > 0"),
            vec![CheckErrorKind::Units {
                op: "÷",
                left: None,
                right: Some(Dimension::Count("件")),
            }]
        );
        assert_eq!(
            CheckErrorKind::Units {
                op: "÷",
                left: None,
                right: Some(Dimension::Count("件")),
            }
            .message(),
            "单位不一致：无单位的数与「件」计数不能相乘除"
        );
        assert!(matches!(
            errors("100% + 5万元 > 0")[..],
            [CheckErrorKind::Units { .. }]
        ));
        assert!(errors("5万元 * 2万元 > 0").len() == 1);
        assert_eq!(errors("5万元 / 2万元 <= 100%"), vec![]);
    }

    #[test]
    fn type_errors() {
        assert_eq!(errors("a + 1"), vec![CheckErrorKind::NotCondition("数值")]);
        assert_eq!(
            errors("a"),
            vec![CheckErrorKind::NotCondition("数据中的值")]
        );
        assert_eq!(errors("a[*].b > 1"), vec![CheckErrorKind::ManyValues]);
        assert_eq!(
            errors("has(a) + 1 > 0"),
            vec![CheckErrorKind::NotNumber("条件")]
        );
        assert_eq!(errors("has(1)"), vec![CheckErrorKind::NeedsPath("has")]);
        assert!(matches!(
            errors("abs(a, b) > 0")[..],
            [CheckErrorKind::Arity { func: "abs", .. }]
        ));
        assert_eq!(errors("matches(a, b)"), vec![CheckErrorKind::NeedsPattern]);
        assert!(matches!(
            errors("matches(a, \"(\")")[..],
            [CheckErrorKind::BadPattern(_)]
        ));
        assert!(matches!(
            &errors("a < $阀值")[..],
            [CheckErrorKind::UnknownParam { similar: Some(s), .. }] if s == "阈值"
        ));
        assert_eq!(errors("\"优\" < \"良\""), vec![CheckErrorKind::TextOrder]);
        assert_eq!(
            errors("1 == \"优\""),
            vec![CheckErrorKind::Mismatch {
                left: "数值",
                right: "文字"
            }]
        );
    }

    #[test]
    fn errors_in_the_form_functions() {
        assert_eq!(
            errors("lookup(1) > 0"),
            vec![CheckErrorKind::NotText("数值")]
        );
        assert!(matches!(
            errors("meets(a)")[..],
            [CheckErrorKind::Arity { func: "meets", .. }]
        ));
        assert!(matches!(
            errors("band(a, b, 90, \"优\")")[..],
            [CheckErrorKind::Arity { func: "band", .. }]
        ));
        assert_eq!(
            errors("band(a, b, 90, 1, \"差\")"),
            vec![CheckErrorKind::NotText("数值")]
        );
        assert!(matches!(
            errors("meets(5件, 3人次)")[..],
            [CheckErrorKind::Units { op: "meets", .. }]
        ));
        assert!(matches!(
            errors("band(a, 5件, 90人次, \"优\", \"差\")")[..],
            [CheckErrorKind::Units { op: "band", .. }]
        ));
        assert_eq!(
            errors("meets(a, b, 1 > 0)"),
            vec![CheckErrorKind::NotText("条件")]
        );
    }

    #[test]
    fn every_error_is_reported() {
        assert_eq!(
            errors("(a + 5件 <= 3人次) and has(1) and b[*] > 0").len(),
            3
        );
    }

    #[test]
    fn dimension_algebra() {
        use Dimension::*;
        assert_eq!(
            combine(ArithOp::Div, Some(Money), Some(Money)),
            Some(Some(Ratio))
        );
        assert_eq!(
            combine(ArithOp::Mul, Some(Money), Some(Ratio)),
            Some(Some(Money))
        );
        assert_eq!(combine(ArithOp::Add, None, Some(Money)), Some(Some(Money)));
        assert_eq!(combine(ArithOp::Mul, Some(Ratio), None), Some(None));
        assert_eq!(combine(ArithOp::Mul, None, Some(Ratio)), Some(None));
        assert_eq!(
            combine(ArithOp::Mul, Some(Ratio), Some(Ratio)),
            Some(Some(Ratio))
        );
        assert_eq!(combine(ArithOp::Div, Some(Money), Some(Count("人"))), None);
        assert_eq!(
            combine(ArithOp::Add, Some(Count("件")), Some(Count("起"))),
            None
        );
    }
}
