//! Rule test case files: pairs of YAML documents, the expectations and then the data.
//!
//! ```yaml
//! case: 办结多于交办
//! expect:
//!   - rule: casework/closed-exceeds-assigned
//!     figure: 办结          # optional: the primary figure's path in the data
//!     status: failed        # optional: failed | explained
//!     severity: error       # optional
//!     message: 办结 61 件，超过交办 59 件   # optional, exact
//! absent: [casework/closure-rate-mismatch]
//! ---
//! 交办: 59件
//! 办结: 61件
//! ```

use crate::fields::Fields;
use crate::finding::{Finding, Status};
use crate::problem::{Problem, similar};
use crate::read::yaml::load;
use crate::report::{NodeId, Report};
use crate::rules::Severity;
use crate::source::SourceFile;
use std::ops::Range;

const CASE_FIELDS: &[&str] = &["case", "expect", "absent"];
const EXPECT_FIELDS: &[&str] = &["rule", "figure", "status", "severity", "message"];
const ABSENT_FIELDS: &[&str] = &["rule", "figure"];

/// One case: what must and must not be found in one data document.
#[derive(Debug)]
pub struct Case {
    pub(crate) name: String,
    pub(crate) data: NodeId,
    pub(crate) expect: Vec<Expectation>,
    pub(crate) absent: Vec<Expectation>,
}

/// A finding a case expects (or expects not to see). Unset fields match anything.
#[derive(Debug, Clone)]
pub struct Expectation {
    pub rule: String,
    pub rule_span: Range<usize>,
    pub figure: Option<String>,
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub message: Option<String>,
}

impl Expectation {
    pub fn matches(&self, f: &Finding) -> bool {
        f.rule == self.rule
            && self.figure.as_ref().is_none_or(|p| *p == f.primary.path)
            && self.status.is_none_or(|s| s == f.status)
            && self.severity.is_none_or(|s| s == f.severity)
            && self.message.as_ref().is_none_or(|m| *m == f.message)
    }

    /// `casework/closed-exceeds-assigned at 办结 (failed)`.
    pub fn describe(&self) -> String {
        let mut text = self.rule.clone();
        if let Some(figure) = &self.figure {
            text.push_str(&format!(" at {figure}"));
        }
        let mut details: Vec<String> = Vec::new();
        details.extend(self.severity.map(|s| s.as_str().to_string()));
        details.extend(self.status.map(|s| s.as_str().to_string()));
        details.extend(self.message.as_ref().map(|m| format!("「{m}」")));
        if !details.is_empty() {
            text.push_str(&format!(" ({})", details.join(", ")));
        }
        text
    }
}

/// A case file read: its tree and cases, or the problems that make it unusable.
pub struct CaseFile {
    pub(crate) report: Report,
    pub(crate) cases: Vec<Case>,
}

/// Reads a case file; `rule_ids` are the rules under test, for checking the names.
pub fn read(source: &SourceFile, rule_ids: &[&str]) -> Result<CaseFile, Vec<Problem>> {
    let loaded = load(&source.text, &crate::pipeline::input_limits());
    let Some(report) = loaded.report else {
        return Err(loaded.problems);
    };
    if !loaded.problems.is_empty() {
        return Err(loaded.problems);
    }
    if report.roots.is_empty() || report.roots.len() % 2 != 0 {
        let end = source.text.len();
        return Err(vec![
            Problem::new(
                "invalid-case",
                "测试用例文件应由成对的 YAML 文档组成：期望，然后是数据",
            )
            .at(end..end, "文件结尾")
            .with_help("每个用例写期望（case、expect、absent），一行 ---，再写数据"),
        ]);
    }
    let mut fields = Fields::new(&report);
    let mut cases = Vec::new();
    for pair in report.roots.chunks(2) {
        let (head, data) = (pair[0], pair[1]);
        if !fields.is_map(head) {
            fields.type_error(head, "期望", "映射（case、expect、absent）");
            continue;
        }
        fields.unknown_fields(head, CASE_FIELDS, "测试用例");
        let name = fields
            .text(head, "case")
            .map(|f| f.text)
            .unwrap_or_default();
        let expect = expectations(&mut fields, head, "expect", EXPECT_FIELDS, rule_ids);
        let absent = expectations(&mut fields, head, "absent", ABSENT_FIELDS, rule_ids);
        if expect.is_empty() && absent.is_empty() {
            fields.problems.push(
                Problem::new("invalid-case", "测试用例没有期望")
                    .at(fields.first_key_span(head), "此用例")
                    .with_help("用 expect 列出应有的发现，用 absent 列出不应有的规则"),
            );
        }
        cases.push(Case {
            name,
            data,
            expect,
            absent,
        });
    }
    if fields.problems.is_empty() {
        Ok(CaseFile { cases, report })
    } else {
        Err(fields.problems)
    }
}

fn expectations(
    fields: &mut Fields<'_>,
    head: NodeId,
    key: &str,
    known: &[&str],
    rule_ids: &[&str],
) -> Vec<Expectation> {
    let mut out = Vec::new();
    for item in fields.list(head, key, "列表") {
        let report = fields.report;
        // An entry is a rule id, or a mapping with the rule and what else must match.
        let (rule, rule_span) = if fields.is_map(item) {
            fields.unknown_fields(item, known, key);
            match fields.required(item, "rule", key, "写出规则 id") {
                Some(f) => (f.text, f.span),
                None => continue,
            }
        } else {
            match report.text(item) {
                Some(t) => (t.to_string(), report.node(item).span.clone()),
                None => continue,
            }
        };
        if !rule_ids.contains(&rule.as_str()) {
            let p = Problem::new("unknown-rule", format!("被测规则中没有「{rule}」"))
                .at(rule_span.clone(), "未知规则");
            fields
                .problems
                .push(match similar(&rule, rule_ids.iter().copied()) {
                    Some(s) => p.with_help(format!("有名称相近的规则「{s}」")),
                    None => p,
                });
            continue;
        }
        let mut e = Expectation {
            rule,
            rule_span,
            figure: None,
            status: None,
            severity: None,
            message: None,
        };
        if fields.is_map(item) {
            e.figure = fields.text(item, "figure").map(|f| f.text);
            e.message = fields.text(item, "message").map(|f| f.text);
            if let Some(f) = fields.text(item, "status") {
                e.status = match f.text.as_str() {
                    "failed" => Some(Status::Failed),
                    "explained" => Some(Status::Explained),
                    _ => {
                        fields.problems.push(
                            Problem::new("invalid-status", format!("未知的 status「{}」", f.text))
                                .at(f.span, "应为 failed 或 explained"),
                        );
                        None
                    }
                };
            }
            if let Some(f) = fields.text(item, "severity") {
                e.severity = match f.text.as_str() {
                    "error" => Some(Severity::Error),
                    "warning" => Some(Severity::Warning),
                    "info" => Some(Severity::Info),
                    _ => {
                        fields.problems.push(
                            Problem::new(
                                "invalid-severity",
                                format!("未知的 severity「{}」", f.text),
                            )
                            .at(f.span, "应为 error、warning 或 info"),
                        );
                        None
                    }
                };
            }
        }
        out.push(e);
    }
    out
}
