//! Parser: tokens → [`Expr`], by precedence climbing, lowest first:
//! `or` < `and` < `not` < comparisons (not chained) < `+ -` < `* /` < unary `-` < primary.

use super::lex::{LexError, Tok, Token, lex};
use super::{ArithOp, CmpOp, Expr, ExprKind, Func, LogicOp, Path, Span, Step};
use crate::problem::similar;

/// Deepest nesting of parentheses, `not` and unary minus an expression may have.
pub(crate) const MAX_DEPTH: usize = 64;

/// Most operators and function calls in one expression. Checking and evaluation walk the
/// tree recursively, and `a + a + … + a` nests without parentheses, so its size is bounded
/// too; real rules use a dozen at most.
pub(crate) const MAX_OPERATORS: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub span: Span,
}

/// A parse error, as data. Each variant's doc shows an expression that triggers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    Lex(LexError),
    /// `办结 <=` (expected a value, found the end)
    Expected {
        what: &'static str,
        found: Option<String>,
    },
    /// `办结 交办` (a second expression where an operator should be)
    Trailing(String),
    /// `0 <= 办结 <= 交办`
    ChainedComparison,
    /// `summ(其中.*)`
    UnknownFunction {
        name: String,
        similar: Option<&'static str>,
    },
    /// `a[-1]`, `a[x]`
    BadIndex,
    /// 65 nested parentheses
    TooDeep,
    /// `a + a + a + …` with 257 operators
    TooLong,
}

impl ParseErrorKind {
    /// The message, in the words a rule author reads.
    pub fn message(&self) -> String {
        match self {
            ParseErrorKind::Lex(LexError::UnexpectedChar(c)) => format!("无法识别的字符「{c}」"),
            ParseErrorKind::Lex(LexError::UnterminatedString) => "字符串缺少结尾的引号".into(),
            ParseErrorKind::Lex(LexError::BadNumber(s)) => format!("无法识别的数字「{s}」"),
            ParseErrorKind::Lex(LexError::EmptyParam) => "「$」后缺少参数名".into(),
            ParseErrorKind::Expected {
                what,
                found: Some(f),
            } => format!("此处应为{what}，却是「{f}」"),
            ParseErrorKind::Expected { what, found: None } => {
                format!("表达式不完整，结尾处应为{what}")
            }
            ParseErrorKind::Trailing(t) => format!("多余的「{t}」：两个值之间缺少运算符"),
            ParseErrorKind::ChainedComparison => "比较不能连写".into(),
            ParseErrorKind::UnknownFunction { name, .. } => format!("未知函数「{name}」"),
            ParseErrorKind::BadIndex => "列表下标应为非负整数或 *".into(),
            ParseErrorKind::TooDeep => format!("表达式嵌套超过 {MAX_DEPTH} 层"),
            ParseErrorKind::TooLong => format!("表达式的运算超过 {MAX_OPERATORS} 个"),
        }
    }

    /// The short label under the offending span.
    pub fn label(&self) -> &'static str {
        match self {
            ParseErrorKind::Expected { .. } => "此处",
            ParseErrorKind::Trailing(_) => "缺少运算符",
            ParseErrorKind::ChainedComparison => "第二个比较",
            ParseErrorKind::UnknownFunction { .. } => "未知函数",
            _ => "无法解析",
        }
    }

    pub fn help(&self) -> Option<String> {
        match self {
            ParseErrorKind::Lex(LexError::BadNumber(s)) => Some(format!(
                "数字后只能接单位（如 75万元、100%）；以数字开头的键名写作 [\"{s}\"]"
            )),
            ParseErrorKind::ChainedComparison => {
                Some("用 and 连接：0 <= 办结 and 办结 <= 交办".into())
            }
            ParseErrorKind::UnknownFunction {
                similar: Some(s), ..
            } => Some(format!("有名称相近的函数「{s}」")),
            ParseErrorKind::UnknownFunction { similar: None, .. } => Some(format!(
                "可用的函数：{}",
                super::builtins::TABLE
                    .iter()
                    .map(|b| b.name)
                    .collect::<Vec<_>>()
                    .join("、")
            )),
            ParseErrorKind::TooLong => Some("拆成几条规则，或用 sum() 对一组数求和".into()),
            ParseErrorKind::Lex(LexError::UnexpectedChar('&')) => Some("「且」写作 and".into()),
            ParseErrorKind::Lex(LexError::UnexpectedChar('|')) => Some("「或」写作 or".into()),
            ParseErrorKind::Lex(LexError::UnexpectedChar('!')) => {
                Some("「非」写作 not，「不等于」写作 !=".into())
            }
            _ => None,
        }
    }
}

/// Parses a whole expression.
pub fn parse_expr(src: &str) -> Result<Expr, ParseError> {
    let mut p = Parser::new(src)?;
    let expr = p.or_expr()?;
    p.finish()?;
    Ok(expr)
}

/// Parses a path or selector (`for`, `at`, `explained_by`).
pub fn parse_path(src: &str) -> Result<Path, ParseError> {
    let mut p = Parser::new(src)?;
    let start = p.peek_span();
    let path = match p.path()? {
        Some(path) => path,
        None => return Err(p.expected("路径", start)),
    };
    p.finish()?;
    Ok(path)
}

struct Parser<'s> {
    src: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    operators: usize,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Result<Parser<'s>, ParseError> {
        let tokens = lex(src).map_err(|(e, span)| ParseError {
            kind: ParseErrorKind::Lex(e),
            span,
        })?;
        Ok(Parser {
            src,
            tokens,
            pos: 0,
            depth: 0,
            operators: 0,
        })
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_span(&self) -> Span {
        self.tokens
            .get(self.pos)
            .map_or(self.src.len()..self.src.len(), |t| t.span.clone())
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        self.pos += 1;
        t
    }

    fn eat(&mut self, tok: &Tok) -> Option<Span> {
        if self.peek() == Some(tok) {
            Some(self.bump().span)
        } else {
            None
        }
    }

    fn eat_name(&mut self, word: &str) -> Option<Span> {
        match self.peek() {
            Some(Tok::Name(n)) if n == word => Some(self.bump().span),
            _ => None,
        }
    }

    fn expected(&self, what: &'static str, span: Span) -> ParseError {
        let found = self
            .tokens
            .get(self.pos)
            .map(|t| self.src[t.span.clone()].to_string());
        ParseError {
            kind: ParseErrorKind::Expected { what, found },
            span,
        }
    }

    fn finish(&self) -> Result<(), ParseError> {
        match self.tokens.get(self.pos) {
            None => Ok(()),
            Some(t) => Err(ParseError {
                kind: ParseErrorKind::Trailing(self.src[t.span.clone()].to_string()),
                span: t.span.clone(),
            }),
        }
    }

    fn deeper(&mut self, span: &Span) -> Result<(), ParseError> {
        self.depth += 1;
        within(self.depth, MAX_DEPTH, ParseErrorKind::TooDeep, span)
    }

    /// Counts one more operator or call against [`MAX_OPERATORS`].
    fn operator(&mut self, span: &Span) -> Result<(), ParseError> {
        self.operators += 1;
        within(self.operators, MAX_OPERATORS, ParseErrorKind::TooLong, span)
    }

    fn or_expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.and_expr()?;
        while let Some(span) = self.eat_name("or") {
            self.operator(&span)?;
            let rhs = self.and_expr()?;
            lhs = binary(ExprKind::Logic, LogicOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and_expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.not_expr()?;
        while let Some(span) = self.eat_name("and") {
            self.operator(&span)?;
            let rhs = self.not_expr()?;
            lhs = binary(ExprKind::Logic, LogicOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn not_expr(&mut self) -> Result<Expr, ParseError> {
        if let Some(span) = self.eat_name("not") {
            self.deeper(&span)?;
            self.operator(&span)?;
            let inner = self.not_expr()?;
            self.depth -= 1;
            let span = span.start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(inner)),
                span,
            });
        }
        self.cmp_expr()
    }

    fn cmp_op(&self) -> Option<CmpOp> {
        Some(match self.peek()? {
            Tok::Eq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return None,
        })
    }

    fn cmp_expr(&mut self) -> Result<Expr, ParseError> {
        let lhs = self.add_expr()?;
        let Some(op) = self.cmp_op() else {
            return Ok(lhs);
        };
        let span = self.bump().span;
        self.operator(&span)?;
        let rhs = self.add_expr()?;
        if self.cmp_op().is_some() {
            return Err(ParseError {
                kind: ParseErrorKind::ChainedComparison,
                span: self.peek_span(),
            });
        }
        Ok(binary(ExprKind::Compare, op, lhs, rhs))
    }

    fn add_expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.mul_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => ArithOp::Add,
                Some(Tok::Minus) => ArithOp::Sub,
                _ => return Ok(lhs),
            };
            let span = self.bump().span;
            self.operator(&span)?;
            let rhs = self.mul_expr()?;
            lhs = binary(ExprKind::Arith, op, lhs, rhs);
        }
    }

    fn mul_expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => ArithOp::Mul,
                Some(Tok::Slash) => ArithOp::Div,
                _ => return Ok(lhs),
            };
            let span = self.bump().span;
            self.operator(&span)?;
            let rhs = self.unary()?;
            lhs = binary(ExprKind::Arith, op, lhs, rhs);
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if let Some(span) = self.eat(&Tok::Minus) {
            self.deeper(&span)?;
            self.operator(&span)?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = span.start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Neg(Box::new(inner)),
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let start = self.peek_span();
        let leaf = match self.peek() {
            Some(Tok::Number(..)) => {
                let Tok::Number(figure, text) = self.bump().tok else {
                    unreachable!()
                };
                Some(ExprKind::Number(figure, text))
            }
            Some(Tok::Str(_)) => {
                let Tok::Str(s) = self.bump().tok else {
                    unreachable!()
                };
                Some(ExprKind::Str(s))
            }
            Some(Tok::Param(_)) => {
                let Tok::Param(p) = self.bump().tok else {
                    unreachable!()
                };
                Some(ExprKind::Param(p))
            }
            Some(Tok::Name(n)) if n == "true" || n == "false" => {
                let value = n == "true";
                self.bump();
                Some(ExprKind::Bool(value))
            }
            _ => None,
        };
        if let Some(kind) = leaf {
            return Ok(Expr { kind, span: start });
        }
        if let Some(open) = self.eat(&Tok::LParen) {
            self.deeper(&open)?;
            let mut inner = self.or_expr()?;
            self.depth -= 1;
            let close = self
                .eat(&Tok::RParen)
                .ok_or_else(|| self.expected("「)」", self.peek_span()))?;
            inner.span = open.start..close.end;
            return Ok(inner);
        }
        if let (Some(Tok::Name(name)), Some(Tok::LParen)) =
            (self.peek(), self.tokens.get(self.pos + 1).map(|t| &t.tok))
        {
            let name = name.clone();
            let Some(func) = Func::from_name(&name) else {
                let similar = similar(&name, super::builtins::TABLE.iter().map(|b| b.name));
                return Err(ParseError {
                    kind: ParseErrorKind::UnknownFunction { name, similar },
                    span: start,
                });
            };
            self.bump();
            let open = self.bump().span;
            self.deeper(&open)?;
            self.operator(&start)?;
            let mut args = Vec::new();
            if self.eat(&Tok::RParen).is_none() {
                loop {
                    args.push(self.or_expr()?);
                    if self.eat(&Tok::Comma).is_some() {
                        continue;
                    }
                    if self.peek() == Some(&Tok::RParen) {
                        break;
                    }
                    return Err(self.expected("「,」或「)」", self.peek_span()));
                }
                self.bump();
            }
            self.depth -= 1;
            let end = self.tokens[self.pos - 1].span.end;
            return Ok(Expr {
                kind: ExprKind::Call(func, args),
                span: start.start..end,
            });
        }
        match self.path()? {
            Some(path) => {
                let end = self.tokens[self.pos - 1].span.end;
                Ok(Expr {
                    kind: ExprKind::Path(path),
                    span: start.start..end,
                })
            }
            None => Err(self.expected("数值、路径或「(」", start)),
        }
    }

    /// A path, if one starts here.
    fn path(&mut self) -> Result<Option<Path>, ParseError> {
        let mut steps = Vec::new();
        match self.peek() {
            Some(Tok::Name(n)) if !is_keyword(n) => {
                let Tok::Name(n) = self.bump().tok else {
                    unreachable!()
                };
                steps.push(Step::Key(n));
            }
            Some(Tok::Star) => {
                self.bump();
                steps.push(Step::Children);
            }
            Some(Tok::StarStar) => {
                self.bump();
                steps.push(Step::Descendants);
            }
            Some(Tok::Dot) => {
                // `.` alone is the visited node; `.a` is the same as `a`.
                self.bump();
                if let Some(step) = self.after_dot()? {
                    steps.push(step);
                }
            }
            Some(Tok::DotDot) => {
                self.bump();
                steps.push(Step::Parent);
                self.name_after_parent(&mut steps);
            }
            Some(Tok::LBracket) => steps.push(self.bracket()?),
            _ => return Ok(None),
        }
        loop {
            match self.peek() {
                Some(Tok::Dot) => {
                    self.bump();
                    match self.after_dot()? {
                        Some(step) => steps.push(step),
                        None => return Err(self.expected("键名、* 或 **", self.peek_span())),
                    }
                }
                Some(Tok::DotDot) => {
                    self.bump();
                    steps.push(Step::Parent);
                    self.name_after_parent(&mut steps);
                }
                Some(Tok::LBracket) => steps.push(self.bracket()?),
                _ => return Ok(Some(Path { steps })),
            }
        }
    }

    fn after_dot(&mut self) -> Result<Option<Step>, ParseError> {
        Ok(match self.peek() {
            Some(Tok::Name(n)) if !is_keyword(n) => {
                let Tok::Name(n) = self.bump().tok else {
                    unreachable!()
                };
                Some(Step::Key(n))
            }
            Some(Tok::Star) => {
                self.bump();
                Some(Step::Children)
            }
            Some(Tok::StarStar) => {
                self.bump();
                Some(Step::Descendants)
            }
            Some(Tok::LBracket) => Some(self.bracket()?),
            _ => None,
        })
    }

    /// `..说明`: a key may follow `..` directly.
    fn name_after_parent(&mut self, steps: &mut Vec<Step>) {
        if let Some(Tok::Name(n)) = self.peek()
            && !is_keyword(n)
            && self.tokens[self.pos - 1].span.end == self.tokens[self.pos].span.start
        {
            let Tok::Name(n) = self.bump().tok else {
                unreachable!()
            };
            steps.push(Step::Key(n));
        }
    }

    fn bracket(&mut self) -> Result<Step, ParseError> {
        let open = self.bump().span;
        let step = match self.peek() {
            Some(Tok::Star) => {
                self.bump();
                Step::Children
            }
            Some(Tok::Str(_)) => {
                let Tok::Str(s) = self.bump().tok else {
                    unreachable!()
                };
                Step::Key(s)
            }
            Some(Tok::Param(p)) if p == "key" => {
                self.bump();
                Step::VisitedKey
            }
            Some(Tok::Number(figure, text)) => {
                let index = (figure.unit.is_none()
                    && figure.decimals == 0
                    && figure.magnitude == rust_decimal::Decimal::ONE)
                    .then(|| text.parse::<usize>().ok())
                    .flatten();
                let span = self.bump().span;
                Step::Index(index.ok_or(ParseError {
                    kind: ParseErrorKind::BadIndex,
                    span,
                })?)
            }
            _ => {
                return Err(ParseError {
                    kind: ParseErrorKind::BadIndex,
                    span: open.start..self.peek_span().end,
                });
            }
        };
        self.eat(&Tok::RBracket)
            .ok_or_else(|| self.expected("「]」", self.peek_span()))?;
        Ok(step)
    }
}

/// `kind` at `span` once `count` passes `max`.
fn within(count: usize, max: usize, kind: ParseErrorKind, span: &Span) -> Result<(), ParseError> {
    if count > max {
        return Err(ParseError {
            kind,
            span: span.clone(),
        });
    }
    Ok(())
}

fn is_keyword(name: &str) -> bool {
    matches!(name, "and" | "or" | "not" | "true" | "false")
}

fn binary<Op>(
    make: fn(Op, Box<Expr>, Box<Expr>) -> ExprKind,
    op: Op,
    lhs: Expr,
    rhs: Expr,
) -> Expr {
    let span = lhs.span.start..rhs.span.end;
    Expr {
        kind: make(op, Box::new(lhs), Box::new(rhs)),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders an expression fully parenthesised, to test precedence.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Path(p) => p.to_string(),
            ExprKind::Number(_, t) => t.clone(),
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Pattern(p) => format!("{:?}", p.as_str()),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Param(p) => format!("${p}"),
            ExprKind::Neg(x) => format!("(-{})", show(x)),
            ExprKind::Not(x) => format!("(not {})", show(x)),
            ExprKind::Arith(op, a, b) => format!("({} {} {})", show(a), op.symbol(), show(b)),
            ExprKind::Compare(op, a, b) => format!("({} {} {})", show(a), op.symbol(), show(b)),
            ExprKind::Logic(op, a, b) => {
                format!(
                    "({} {} {})",
                    show(a),
                    if *op == LogicOp::And { "and" } else { "or" },
                    show(b)
                )
            }
            ExprKind::Call(f, args) => {
                format!(
                    "{}({})",
                    f.name(),
                    args.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }

    fn p(src: &str) -> String {
        show(&parse_expr(src).unwrap_or_else(|e| panic!("{src}: {e:?}")))
    }

    fn err(src: &str) -> ParseErrorKind {
        parse_expr(src).unwrap_err().kind
    }

    #[test]
    fn precedence() {
        assert_eq!(p("a + b * c"), "(a + (b × c))");
        assert_eq!(p("a - b - c"), "((a - b) - c)");
        assert_eq!(p("a / b == c"), "((a ÷ b) = c)");
        assert_eq!(
            p("not a > 1 and b or c < 2"),
            "(((not (a > 1)) and b) or (c < 2))"
        );
        assert_eq!(p("-a * 2"), "((-a) × 2)");
        assert_eq!(p("(a + b) * c"), "((a + b) × c)");
        assert_eq!(p("办结 = 交办"), "(办结 = 交办)");
    }

    #[test]
    fn calls_paths_and_literals() {
        assert_eq!(p("sum(其中.*) <= 合计"), "(sum(其中.*) ≤ 合计)");
        assert_eq!(p("sum(a[*].b, c)"), "sum(a.*.b, c)");
        assert_eq!(p("has(..说明)"), "has(..说明)");
        assert_eq!(p("matches(., \"XX\")"), "matches(., \"XX\")");
        assert_eq!(p("执行率 <= $上限"), "(执行率 ≤ $上限)");
        assert_eq!(p("count(**) > 0"), "(count(**) > 0)");
        assert_eq!(p("a[\"2018年\"] > 0"), "(a[\"2018年\"] > 0)");
        assert_eq!(p("x == true"), "(x = true)");
    }

    #[test]
    fn spans_cover_sub_expressions() {
        let e = parse_expr("sum(a) <= b").unwrap();
        let ExprKind::Compare(_, lhs, rhs) = &e.kind else {
            panic!()
        };
        assert_eq!(lhs.span, 0..6);
        assert_eq!(rhs.span, 10..11);
        assert_eq!(e.span, 0..11);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            err("办结 <="),
            ParseErrorKind::Expected { found: None, .. }
        ));
        assert!(matches!(err("办结 交办"), ParseErrorKind::Trailing(t) if t == "交办"));
        assert_eq!(err("0 <= a <= b"), ParseErrorKind::ChainedComparison);
        assert!(matches!(
            err("summ(a)"),
            ParseErrorKind::UnknownFunction {
                similar: Some("sum"),
                ..
            }
        ));
        assert_eq!(err("a[x]"), ParseErrorKind::BadIndex);
        assert_eq!(err("a[1.5]"), ParseErrorKind::BadIndex);
        assert!(matches!(
            err("a & b"),
            ParseErrorKind::Lex(LexError::UnexpectedChar('&'))
        ));
        assert!(matches!(err("sum(a b)"), ParseErrorKind::Expected { .. }));
        // Found by fuzzing: a path ending in a dot was located one byte past the end.
        for src in ["***O.", "a.", "办结."] {
            let e = parse_expr(src).unwrap_err();
            assert!(matches!(
                e.kind,
                ParseErrorKind::Expected { found: None, .. }
            ));
            assert_eq!(e.span, src.len()..src.len(), "{src}");
        }
        let e = parse_expr("a. + 1").unwrap_err();
        assert_eq!(&"a. + 1"[e.span], "+");
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "(".repeat(MAX_DEPTH + 1) + "1" + &")".repeat(MAX_DEPTH + 1);
        assert_eq!(err(&deep), ParseErrorKind::TooDeep);
        let ok = "(".repeat(MAX_DEPTH - 1) + "1" + &")".repeat(MAX_DEPTH - 1);
        assert!(parse_expr(&ok).is_ok());
        assert_eq!(err(&"not ".repeat(100)), ParseErrorKind::TooDeep);
        assert_eq!(err(&"-".repeat(100)), ParseErrorKind::TooDeep);
    }

    #[test]
    fn size_is_bounded() {
        // Left-associative chains nest without parentheses; 100,000 terms used to make a
        // tree deep enough to overflow the stack when checked, evaluated or dropped.
        for op in ["+", "*", "and", "or"] {
            let long = vec!["a"; 100_000].join(&format!(" {op} "));
            assert_eq!(err(&long), ParseErrorKind::TooLong, "{op}");
        }
        let calls = "abs(".repeat(60) + "1" + &")".repeat(60);
        assert!(parse_expr(&calls).is_ok());
        let ok = vec!["a"; MAX_OPERATORS + 1].join(" + ");
        assert!(parse_expr(&ok).is_ok());
        let e = parse_expr(&(ok.clone() + " + a")).unwrap_err();
        assert_eq!(e.kind, ParseErrorKind::TooLong);
        assert_eq!(&(ok + " + a")[e.span], "+");
    }
}
