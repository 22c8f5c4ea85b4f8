//! Decodes a rule file from its tree, reporting every problem located in the file.

use super::{Rule, Severity, Template, TemplatePart};
use crate::expr::check::{CheckError, Checker, ParamValue, Params};
use crate::expr::parse::{ParseError, parse_expr, parse_path};
use crate::expr::{Expr, Path};
use crate::fields::{Fields, TextField};
use crate::figure::Figure;
use crate::problem::{Problem, similar};
use crate::read::yaml::load;
use crate::report::{NodeId, Place, Report, Value};
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

const FILE_FIELDS: &[&str] = &["rules", "params"];
const RULE_FIELDS: &[&str] = &[
    "id",
    "title",
    "severity",
    "for",
    "when",
    "check",
    "explained_by",
    "at",
    "tolerance",
    "message",
    "help",
    "doc",
    "params",
];

/// A parameter value a rule file sets for a rule that may come from another file
/// (`params: {forms/execution-rate-low: {阈值: 85%}}`).
#[derive(Clone, Debug)]
pub struct ParamOverride {
    pub rule: String,
    pub rule_span: Range<usize>,
    pub name: String,
    pub name_span: Range<usize>,
    pub value: ParamValue,
    pub value_span: Range<usize>,
}

/// What one rule file gave.
#[derive(Debug, Default)]
pub struct LoadedRules {
    pub rules: Vec<Rule>,
    pub overrides: Vec<ParamOverride>,
    /// Problems of the file and of the rules that did not load.
    pub problems: Vec<Problem>,
}

/// Decodes one rule file.
pub fn load_rules(source: &Arc<SourceFile>) -> LoadedRules {
    load_pack(source, false)
}

/// Decodes one rule file; `builtin`: one of the built-in packs, whose `matches` patterns
/// are compiled on first use (a test compiles each of them), not here.
pub(super) fn load_pack(source: &Arc<SourceFile>, builtin: bool) -> LoadedRules {
    let loaded = load(&source.text, &crate::pipeline::input_limits());
    let mut problems = loaded.problems;
    let Some(report) = loaded.report else {
        return LoadedRules {
            problems,
            ..LoadedRules::default()
        };
    };
    let mut decoder = Decoder {
        source,
        report: &report,
        f: Fields::new(&report),
        builtin,
    };
    let rules = decoder.file();
    let overrides = decoder.overrides();
    problems.append(&mut decoder.f.problems);
    LoadedRules {
        rules,
        overrides,
        problems,
    }
}

struct Decoder<'a> {
    source: &'a Arc<SourceFile>,
    report: &'a Report,
    f: Fields<'a>,
    builtin: bool,
}

impl Decoder<'_> {
    fn file(&mut self) -> Vec<Rule> {
        let Some(&root) = self.report.roots.first() else {
            self.f
                .problems
                .push(Problem::new("empty-rules", "规则文件为空").with_help("写入 rules: 列表"));
            return Vec::new();
        };
        if !matches!(self.report.node(root).value, Value::Map(_)) {
            self.f.problems.push(
                Problem::new("invalid-type", "规则文件应为映射，顶层写 rules:")
                    .at(self.report.label_span(root), "此处"),
            );
            return Vec::new();
        }
        self.f.unknown_fields(root, FILE_FIELDS, "规则文件");
        let Some(list) = self.report.child(root, "rules") else {
            if self.report.child(root, "params").is_some() {
                return Vec::new(); // a file that only sets parameters
            }
            self.f.problems.push(
                Problem::new("missing-field", "缺少字段「rules」")
                    .at(
                        self.report.node(root).span.start..self.report.node(root).span.start,
                        "文件开头",
                    )
                    .with_help("在顶层写 rules:，其下列出各条规则"),
            );
            return Vec::new();
        };
        let items: Vec<NodeId> = match &self.report.node(list).value {
            Value::Seq(items) => items.clone(),
            Value::Null => Vec::new(),
            _ => {
                self.f.type_error(list, "rules", "列表（每项一条规则）");
                return Vec::new();
            }
        };
        items
            .into_iter()
            .filter_map(|item| self.rule(item))
            .collect()
    }

    /// The top-level `params:` mapping, if any.
    fn overrides(&mut self) -> Vec<ParamOverride> {
        let params = self
            .report
            .roots
            .first()
            .and_then(|&root| self.report.child(root, "params"));
        params
            .map(|node| param_overrides(&mut self.f, node))
            .unwrap_or_default()
    }

    fn rule(&mut self, item: NodeId) -> Option<Rule> {
        if !matches!(self.report.node(item).value, Value::Map(_)) {
            self.f.problems.push(
                Problem::new(
                    "invalid-type",
                    "每条规则应为映射（id、title、check 等字段）",
                )
                .at(self.report.label_span(item), "此处"),
            );
            return None;
        }
        let before = self.f.problems.len();
        self.f.unknown_fields(item, RULE_FIELDS, "规则");
        let id = self.f.required(
            item,
            "id",
            "规则",
            "写 id: 包名/规则名，如 casework/closed-exceeds-assigned",
        );
        if let Some(id) = &id
            && !valid_id(&id.text)
        {
            self.f.problems.push(
                Problem::new(
                    "invalid-id",
                    format!("规则 id「{}」含不允许的字符", id.text),
                )
                .at(id.span.clone(), "id")
                .with_help("id 只用小写字母、数字和 / _ -，如 casework/closed-exceeds-assigned"),
            );
        }
        let title = self.f.required(
            item,
            "title",
            "规则",
            "写 title: 一句话的规范，如「办结数不得超过交办数」",
        );
        if let Some(t) = &title
            && t.text.contains('\n')
        {
            self.f
                .problems
                .push(Problem::new("invalid-title", "title 应为一行").at(t.span.clone(), "多行"));
        }
        let severity = self.severity(item);
        let params = self.params(item);
        let selector = self.path(item, "for").unwrap_or_default();
        let when_field = self.f.text(item, "when");
        let when = when_field
            .as_ref()
            .and_then(|f| self.compile_condition(f, &params));
        let check_field = self.f.required(
            item,
            "check",
            "规则",
            "写 check: 必须成立的条件，如 办结 <= 交办",
        );
        let check = check_field
            .as_ref()
            .and_then(|f| self.compile_condition(f, &params));
        let explained_by = self.path(item, "explained_by");
        let at = self.path(item, "at");
        let tolerance = self.tolerance(item);
        let message = self.template(item, "message", &params);
        let help = self.template(item, "help", &params);
        let doc = self.f.text(item, "doc").map(|f| f.text);
        if let (Some(Severity::Error), Some(node)) =
            (severity, self.report.child(item, "explained_by"))
        {
            self.f.problems.push(
                Problem::new("explained-error", "error 级规则不能用说明免除")
                    .at(self.f.key_span(node), "explained_by")
                    .with_note("error 必须改正；warning 可以改正或说明")
                    .with_help("改为 severity: warning，或删去 explained_by"),
            );
        }
        if self.f.problems.len() > before {
            return None;
        }
        let id = id?;
        Some(Rule {
            id: id.text,
            title: title?.text,
            severity: severity?,
            selector,
            when,
            when_text: when_field.map(|f| f.text),
            check: check?,
            check_text: check_field?.text,
            explained_by,
            at,
            tolerance,
            message,
            help,
            doc,
            params,
            source: Arc::clone(self.source),
            id_span: id.span,
        })
    }

    fn severity(&mut self, item: NodeId) -> Option<Severity> {
        let Some(field) = self.f.text(item, "severity") else {
            return self
                .report
                .child(item, "severity")
                .is_none()
                .then_some(Severity::Error);
        };
        match field.text.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            other => {
                let mut problem =
                    Problem::new("invalid-severity", format!("未知的 severity「{other}」"))
                        .at(field.span.clone(), "应为 error、warning 或 info");
                if let Some(s) = similar(other, ["error", "warning", "info"]) {
                    problem = problem.with_help(format!("有名称相近的取值「{s}」"));
                }
                self.f.problems.push(problem);
                None
            }
        }
    }

    fn params(&mut self, item: NodeId) -> Params {
        let mut params = Params::new();
        let Some(node) = self.report.child(item, "params") else {
            return params;
        };
        if !matches!(self.report.node(node).value, Value::Map(_)) {
            self.f.type_error(node, "params", "映射（参数名: 取值）");
            return params;
        }
        for &child in self.report.children(node) {
            let Place::Key(key) = &self.report.node(child).place else {
                continue;
            };
            let value = match &self.report.node(child).value {
                Value::Scalar(s) => match &s.figure {
                    Some(f) => ParamValue::Figure(Box::new(f.clone()), s.text.to_string()),
                    None => ParamValue::Text(s.text.to_string()),
                },
                _ => {
                    self.f.type_error(child, &key.text, "数值或文字");
                    continue;
                }
            };
            params.insert(key.text.to_string(), value);
        }
        params
    }

    fn path(&mut self, item: NodeId, field: &str) -> Option<Path> {
        let f = self.f.text(item, field)?;
        match parse_path(&f.text) {
            Ok(path) => Some(path),
            Err(e) => {
                self.parse_problem(&f, &e);
                None
            }
        }
    }

    fn compile_condition(&mut self, f: &TextField, params: &Params) -> Option<Expr> {
        let mut expr = match parse_expr(&f.text) {
            Ok(e) => e,
            Err(e) => {
                self.parse_problem(f, &e);
                return None;
            }
        };
        let mut checker = Checker::new(params);
        checker.lazy_patterns = self.builtin;
        checker.condition(&mut expr);
        self.check_problems(f, checker.errors).then_some(expr)
    }

    fn parse_problem(&mut self, f: &TextField, e: &ParseError) {
        let mut problem =
            Problem::new("invalid-expression", e.kind.message()).at(f.map(&e.span), e.kind.label());
        if let Some(help) = e.kind.help() {
            problem = problem.with_help(help);
        }
        self.f.problems.push(problem);
    }

    /// Reports type errors; true when there were none.
    fn check_problems(&mut self, f: &TextField, errors: Vec<CheckError>) -> bool {
        let ok = errors.is_empty();
        for e in errors {
            let code = match e.kind {
                crate::expr::check::CheckErrorKind::Units { .. } => "unit-error",
                _ => "type-error",
            };
            let mut problem =
                Problem::new(code, e.kind.message()).at(f.map(&e.span), e.kind.label());
            if let Some(help) = e.kind.help() {
                problem = problem.with_help(help);
            }
            self.f.problems.push(problem);
        }
        ok
    }

    fn tolerance(&mut self, item: NodeId) -> Option<Figure> {
        let f = self.f.text(item, "tolerance")?;
        match Figure::parse(&f.text) {
            Ok(Some(figure)) if figure.value >= rust_decimal::Decimal::ZERO => Some(figure),
            _ => {
                self.f.problems.push(
                    Problem::new(
                        "invalid-tolerance",
                        format!("容差「{}」不是非负的数值", f.text),
                    )
                    .at(f.span.clone(), "应为数值")
                    .with_help("写明单位，如 tolerance: 0.01万元"),
                );
                None
            }
        }
    }

    /// A text field (`message`, `help`) with `{expression}` parts.
    fn template(&mut self, item: NodeId, field: &str, params: &Params) -> Option<Template> {
        let f = self.f.text(item, field)?;
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = f.text.as_str();
        let mut offset = 0;
        while let Some(pos) = rest.find(['{', '}']) {
            text.push_str(&rest[..pos]);
            let brace = &rest[pos..pos + 1];
            if rest[pos + 1..].starts_with(brace) {
                text.push_str(brace);
                offset += pos + 2;
                rest = &rest[pos + 2..];
                continue;
            }
            if brace == "}" {
                let at = offset + pos;
                self.f.problems.push(
                    Problem::new("invalid-message", format!("{field} 中多了「}}」"))
                        .at(f.map(&(at..at + 1)), "此处")
                        .with_help("字面的大括号写作 {{ 或 }}"),
                );
                return None;
            }
            let Some(close) = rest[pos..].find('}') else {
                let at = offset + pos;
                self.f.problems.push(
                    Problem::new(
                        "invalid-message",
                        format!("{field} 中的「{{」没有对应的「}}」"),
                    )
                    .at(f.map(&(at..at + 1)), "未闭合"),
                );
                return None;
            };
            if !text.is_empty() {
                parts.push(TemplatePart::Text(std::mem::take(&mut text)));
            }
            let inner = &rest[pos + 1..pos + close];
            let inner_start = offset + pos + 1;
            let shifted = f.part(inner, inner_start);
            match parse_expr(inner) {
                Ok(mut expr) => {
                    let mut checker = Checker::new(params);
                    checker.lazy_patterns = self.builtin;
                    checker.value(&mut expr);
                    if !self.check_problems(&shifted, checker.errors) {
                        return None;
                    }
                    parts.push(TemplatePart::Expr(expr));
                }
                Err(e) => {
                    self.parse_problem(&shifted, &e);
                    return None;
                }
            }
            offset += pos + close + 1;
            rest = &rest[pos + close + 1..];
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        Some(Template {
            parts,
            raw: f.text.clone(),
        })
    }
}

/// A `params:` mapping of rule id → parameter → value (in a rule file or the config).
pub fn param_overrides(f: &mut Fields<'_>, params: NodeId) -> Vec<ParamOverride> {
    let report = f.report;
    let mut out = Vec::new();
    if !f.is_map(params) {
        f.type_error(params, "params", "映射（规则 id: {参数名: 取值}）");
        return out;
    }
    for &rule in report.children(params) {
        let Place::Key(rule_key) = &report.node(rule).place else {
            continue;
        };
        if !f.is_map(rule) {
            f.type_error(rule, &rule_key.text, "映射（参数名: 取值）");
            continue;
        }
        for (name, (value, node)) in param_values(f, rule) {
            out.push(ParamOverride {
                rule: rule_key.text.to_string(),
                rule_span: rule_key.span.clone(),
                name: name.text.into(),
                name_span: name.span,
                value_span: report.node(node).span.clone(),
                value,
            });
        }
    }
    out
}

/// The parameters of a mapping, each with its key and node.
fn param_values(
    f: &mut Fields<'_>,
    map: NodeId,
) -> Vec<(crate::report::Key, (ParamValue, NodeId))> {
    let report = f.report;
    let mut out = Vec::new();
    for &child in report.children(map) {
        let Place::Key(key) = &report.node(child).place else {
            continue;
        };
        let value = match &report.node(child).value {
            Value::Scalar(s) => match &s.figure {
                Some(fig) => ParamValue::Figure(Box::new(fig.clone()), s.text.to_string()),
                None => ParamValue::Text(s.text.to_string()),
            },
            _ => {
                f.type_error(child, &key.text, "数值或文字");
                continue;
            }
        };
        out.push((key.clone(), (value, child)));
    }
    out
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '/' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Vec<Rule>, Vec<Problem>) {
        let loaded = load_rules(&Arc::new(SourceFile::new("r.yaml", text)));
        (loaded.rules, loaded.problems)
    }

    #[test]
    fn every_builtin_pattern_compiles() {
        // The built-in packs' patterns are compiled on first use: loaded as a user's rule
        // file (every pattern compiled now), each pack must load without a problem, and
        // give the rules it gives when loaded as built in.
        let mut patterns = 0;
        for (name, text) in super::super::BUILTIN_PACKS {
            let source = Arc::new(SourceFile::new(format!("builtin:rules/{name}"), *text));
            let eager = load_rules(&source);
            assert!(eager.problems.is_empty(), "{name}: {:?}", eager.problems);
            let lazy = load_pack(&source, true);
            assert!(lazy.problems.is_empty(), "{name}: {:?}", lazy.problems);
            let ids = |rules: &[Rule]| rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&lazy.rules), ids(&eager.rules), "{name}");
            patterns += text.matches("matches(").count();
        }
        assert!(patterns >= 5, "{patterns}");
    }

    #[test]
    fn a_user_pattern_is_an_error_when_its_file_loads() {
        let text = "rules:\n  - id: local/bad\n    title: t\n    severity: error\n    for: \"**\"\n    check: not matches(., \"(XX\")\n";
        let (rules, problems) = load_text(text);
        assert!(rules.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "type-error");
        assert_eq!(problem_at(text, &problems[0]), "\"(XX\"");
        // Too large to compile, though it parses: refused when loaded too.
        let big = text.replace("(XX", "\\\\w{1000}\\\\w{1000}");
        let (rules, problems) = load_text(&big);
        assert!(rules.is_empty() && problems.len() == 1, "{problems:?}");
    }

    fn problem_at<'t>(text: &'t str, p: &Problem) -> &'t str {
        &text[p.span.clone().unwrap()]
    }

    #[test]
    fn a_complete_rule() {
        let text = r#"
rules:
  - id: casework/closed-exceeds-assigned
    title: 办结数不得超过交办数
    severity: warning
    for: "**"
    when: has(办结) and has(交办)
    check: 办结 <= 交办
    explained_by: 说明
    at: 办结
    tolerance: 1件
    message: "办结 {办结}，超过交办 {交办}"
    help: 核对办结数
    params:
      上限: 100%
    doc: |
      说明文字
"#;
        let (rules, problems) = load_text(text);
        assert_eq!(problems, vec![]);
        let r = &rules[0];
        assert_eq!(r.id, "casework/closed-exceeds-assigned");
        assert_eq!(r.severity, Severity::Warning);
        assert_eq!(r.selector.to_string(), "**");
        assert_eq!(r.message.as_ref().unwrap().parts.len(), 4);
        assert_eq!(r.check_text, "办结 <= 交办");
        assert!(r.params.contains_key("上限"));
        assert_eq!(&text[r.id_span.clone()], "casework/closed-exceeds-assigned");
    }

    #[test]
    fn unknown_field_with_a_suggestion() {
        let text = "rules:\n  - id: a/b\n    title: t\n    severty: warning\n    check: 1 < 2\n";
        let (rules, problems) = load_text(text);
        assert!(rules.is_empty());
        assert_eq!(problems[0].code, "unknown-field");
        assert_eq!(problem_at(text, &problems[0]), "severty");
        assert_eq!(
            problems[0].help.as_deref(),
            Some("有名称相近的字段「severity」")
        );
    }

    #[test]
    fn expression_errors_point_into_the_expression() {
        let text = "rules:\n  - id: a/b\n    title: t\n    check: 办结 <= 5件 + 3人次\n";
        let (_, problems) = load_text(text);
        assert_eq!(problems[0].code, "unit-error");
        assert_eq!(problem_at(text, &problems[0]), "5件 + 3人次");

        let text = "rules:\n  - id: a/b\n    title: t\n    check: \"summ(a) > 1\"\n";
        let (_, problems) = load_text(text);
        assert_eq!(problems[0].code, "invalid-expression");
        assert_eq!(problem_at(text, &problems[0]), "summ");
    }

    #[test]
    fn every_problem_of_a_file_is_reported() {
        let text = "rules:\n  - id: A\n    title: t\n    check: a +\n  - id: b/c\n    severity: fatal\n    check: a > 1\n";
        let (_, problems) = load_text(text);
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                "invalid-id",
                "invalid-expression",
                "missing-field",
                "invalid-severity"
            ]
        );
    }

    #[test]
    fn message_templates() {
        let text = "rules:\n  - id: a/b\n    title: t\n    check: a > 1\n    message: \"{{字面}} {a + }\"\n";
        let (_, problems) = load_text(text);
        assert_eq!(problems[0].code, "invalid-expression");
        assert_eq!(
            problems[0].span.clone().unwrap().start,
            text.find("}\"").unwrap()
        );
        let text = "rules:\n  - id: a/b\n    title: t\n    check: a > 1\n    message: \"{a\"\n";
        assert_eq!(load_text(text).1[0].code, "invalid-message");
    }

    #[test]
    fn explained_errors_are_refused() {
        let text = "rules:\n  - id: a/b\n    title: t\n    check: a > 1\n    explained_by: 说明\n";
        let (_, problems) = load_text(text);
        assert_eq!(problems[0].code, "explained-error");
    }

    #[test]
    fn parameters_are_overridden_from_another_file() {
        let mut set = super::super::RuleSet::default();
        let pack = "rules:\n  - id: f/low\n    title: t\n    params: {阈值: 90%, 分值: 10}\n    check: 执行率 >= $阈值\n";
        let local = "params:\n  f/low:\n    阈值: 85%\n";
        set.add_file(Arc::new(SourceFile::new("pack.yaml", pack)));
        set.add_file(Arc::new(SourceFile::new("local.yaml", local)));
        set.finish();
        assert!(set.problems.is_empty(), "{:?}", set.problems);
        assert!(matches!(&set.rules[0].params["阈值"], ParamValue::Figure(_, t) if t == "85%"));
    }

    #[test]
    fn bad_overrides_are_located() {
        let mut set = super::super::RuleSet::default();
        let pack = "rules:\n  - id: f/low\n    title: t\n    params: {阈值: 90%}\n    check: 执行率 >= $阈值\n";
        let local = "params:\n  f/lwo:\n    阈值: 85%\n  f/low:\n    阀值: 85%\n    阈值: 85万元\n";
        set.add_file(Arc::new(SourceFile::new("pack.yaml", pack)));
        set.add_file(Arc::new(SourceFile::new("local.yaml", local)));
        set.finish();
        let (file, problems) = &set.problems[0];
        assert_eq!(file.name, "local.yaml");
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["unknown-rule", "unknown-param", "param-type"]);
        assert_eq!(
            problems[0].help.as_deref(),
            Some("有名称相近的规则「f/low」")
        );
        assert!(
            matches!(&set.rules[0].params["阈值"], ParamValue::Figure(_, t) if t == "90%"),
            "kept"
        );
    }

    #[test]
    fn duplicate_ids_across_files() {
        let mut set = super::super::RuleSet::default();
        let rule = "rules:\n  - id: a/b\n    title: t\n    check: a > 1\n";
        set.add_file(Arc::new(SourceFile::new("one.yaml", rule)));
        set.add_file(Arc::new(SourceFile::new("two.yaml", rule)));
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.problems[0].0.name, "two.yaml");
        assert_eq!(set.problems[0].1[0].code, "duplicate-id");
        assert!(set.problems[0].1[0].notes[0].contains("one.yaml:2:9"));
    }

    #[test]
    fn many_rules_load_in_linear_time() {
        // Duplicate ids were found by a scan of every earlier rule: quadratic. The work
        // (rules examined to find rules by id) at n and at 10n rules is compared: linear
        // work grows 10 times, a scan 100 times.
        let load = |n: usize| {
            let mut text = String::from("rules:\n");
            for i in 0..n {
                text.push_str(&format!("  - {{id: r/{i}, title: t, check: a > {i}}}\n"));
            }
            text.push_str("  - {id: r/7, title: t, check: a > 1}\nparams:\n");
            for i in 0..n {
                text.push_str(&format!("  r/{i}: {{x: 1}}\n"));
            }
            let mut set = super::super::RuleSet::default();
            set.add_file(Arc::new(SourceFile::new("many.yaml", text)));
            set.finish();
            assert_eq!(set.rules.len(), n);
            let problems = &set.problems[0].1;
            assert_eq!(problems.len(), n + 1);
            assert_eq!(problems[0].code, "duplicate-id");
            assert!(problems[1..].iter().all(|p| p.code == "unknown-param"));
            set.examined()
        };
        let (small, large) = (load(1_000), load(10_000));
        assert!(small >= 1_000, "{small}");
        assert!(
            large <= 10 * small + 10,
            "work at n: {small}, at 10n: {large}"
        );
    }
}
