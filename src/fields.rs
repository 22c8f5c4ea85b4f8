//! Typed fields of the YAML files hecha reads for itself — rule files, rule test cases, the
//! project config — from the same span-keeping tree as report data, so that every error
//! (a wrong type, an unknown field with the similar name, a missing field) is located.

use crate::expr::Span;
use crate::problem::{Problem, similar};
use crate::report::{NodeId, Place, Report, Value};
use std::ops::Range;

/// Typed access to the fields of mappings, collecting located problems.
pub struct Fields<'a> {
    pub(crate) report: &'a Report,
    pub(crate) problems: Vec<Problem>,
}

/// A text field, with where its text starts in the file when the scalar is written so
/// that offsets map one to one (plain, or quoted without escapes).
pub(crate) struct TextField {
    pub(crate) text: String,
    pub(crate) span: Range<usize>,
    content_start: Option<usize>,
}

impl TextField {
    /// The file span of a span within the field's text (the whole field when escapes or
    /// folding make offsets differ).
    pub(crate) fn map(&self, local: &Span) -> Range<usize> {
        match self.content_start {
            Some(start) => start + local.start..start + local.end.max(local.start),
            None => self.span.clone(),
        }
    }

    /// The same field cut to part of its text, for an expression inside a message.
    pub(crate) fn part(&self, text: &str, start: usize) -> TextField {
        TextField {
            text: text.to_string(),
            span: self.span.clone(),
            content_start: self.content_start.map(|s| s + start),
        }
    }
}

impl<'a> Fields<'a> {
    pub(crate) fn new(report: &'a Report) -> Fields<'a> {
        Fields {
            report,
            problems: Vec::new(),
        }
    }

    pub(crate) fn is_map(&self, node: NodeId) -> bool {
        matches!(self.report.node(node).value, Value::Map(_))
    }

    pub(crate) fn type_error(&mut self, node: NodeId, field: &str, expected: &str) {
        self.problems.push(
            Problem::new("invalid-type", format!("字段「{field}」应为{expected}"))
                .at(self.report.label_span(node), "类型不符"),
        );
    }

    /// Reports every key of `map` that is not in `known`, naming a similar one.
    pub(crate) fn unknown_fields(&mut self, map: NodeId, known: &[&str], what: &str) {
        unknown_fields(self.report, map, known, what, &mut self.problems);
    }

    /// A text field; a field of another type is a problem.
    pub(crate) fn text(&mut self, map: NodeId, field: &str) -> Option<TextField> {
        let node = self.report.child(map, field)?;
        let Value::Scalar(scalar) = &self.report.node(node).value else {
            self.type_error(node, field, "文字");
            return None;
        };
        let span = self.report.node(node).span.clone();
        Some(TextField {
            text: scalar.text.to_string(),
            content_start: scalar.verbatim_at.map(|at| span.start + at),
            span,
        })
    }

    /// A text field that must be there; `what` names the mapping (`规则`, `测试用例`).
    pub(crate) fn required(
        &mut self,
        map: NodeId,
        field: &str,
        what: &str,
        hint: &str,
    ) -> Option<TextField> {
        let found = self.text(map, field);
        if found.is_none() && self.report.child(map, field).is_none() {
            self.problems.push(
                Problem::new("missing-field", format!("{what}缺少字段「{field}」"))
                    .at(self.first_key_span(map), format!("此{what}"))
                    .with_help(hint.to_string()),
            );
        }
        found
    }

    /// The items of a list field; a single scalar counts as a list of one.
    pub(crate) fn list(&mut self, map: NodeId, field: &str, expected: &str) -> Vec<NodeId> {
        let Some(node) = self.report.child(map, field) else {
            return Vec::new();
        };
        match &self.report.node(node).value {
            Value::Seq(items) => items.clone(),
            Value::Null => Vec::new(),
            Value::Scalar(_) => vec![node],
            Value::Map(_) => {
                self.type_error(node, field, expected);
                Vec::new()
            }
        }
    }

    /// Where a diagnostic about a whole mapping should point: its first key.
    pub(crate) fn first_key_span(&self, map: NodeId) -> Range<usize> {
        self.report
            .children(map)
            .first()
            .and_then(|&c| match &self.report.node(c).place {
                Place::Key(k) => Some(k.span.clone()),
                _ => None,
            })
            .unwrap_or_else(|| self.report.label_span(map))
    }

    /// The span of the key a node is stored under (or of the node).
    pub(crate) fn key_span(&self, node: NodeId) -> Range<usize> {
        match &self.report.node(node).place {
            Place::Key(k) => k.span.clone(),
            _ => self.report.label_span(node),
        }
    }
}

/// Adds to `problems` every key of `map` that is not in `known`, naming a similar one or,
/// with none, listing the known ones. `what` names the mapping (「规则」, 「配置文件」).
pub(crate) fn unknown_fields(
    report: &Report,
    map: NodeId,
    known: &[&str],
    what: &str,
    problems: &mut Vec<Problem>,
) {
    for &child in report.children(map) {
        let Place::Key(key) = &report.node(child).place else {
            continue;
        };
        if known.contains(&key.text.as_str()) {
            continue;
        }
        let problem = Problem::new(
            "unknown-field",
            format!("{what}中有未知字段「{}」", key.text),
        )
        .at(key.span.clone(), "未知字段");
        problems.push(match similar(&key.text, known.iter().copied()) {
            Some(s) => problem.with_help(format!("有名称相近的字段「{s}」")),
            None => problem.with_note(format!("可用的字段：{}", known.join("、"))),
        });
    }
}
