//! Reading a list of flat records (`decisions:`, `findings:`) from a YAML or JSON file
//! with the report tree, so every mistake in the file is a located problem.

use crate::fields::unknown_fields;
use crate::problem::Problem;
use crate::read::yaml::load;
use crate::report::{NodeId, Place, Report, Value};
use crate::source::SourceFile;
use std::collections::HashMap;
use std::ops::Range;

/// One record: its fields' texts and spans, and where it starts.
#[derive(Debug)]
pub struct Record {
    fields: HashMap<&'static str, (String, Range<usize>)>,
    /// The record's first key, where a problem with the record as a whole points.
    pub(crate) span: Range<usize>,
}

impl Record {
    /// The text of a field the reader required; empty when it was optional and absent.
    pub fn get(&self, field: &str) -> &str {
        self.fields.get(field).map_or("", |(text, _)| text)
    }

    pub fn span(&self, field: &str) -> Range<usize> {
        self.fields
            .get(field)
            .map_or(self.span.clone(), |(_, span)| span.clone())
    }
}

/// What a file of records is: its top-level list and the fields of each record.
pub struct Shape {
    /// What the file is called in messages: `审核决定文件`.
    pub(crate) what: &'static str,
    /// The top-level key of the list: `decisions`.
    pub(crate) list: &'static str,
    /// Other top-level keys allowed: `version`.
    pub(crate) other: &'static [&'static str],
    /// Each field, and whether a record must have it (non-blank).
    pub(crate) fields: &'static [(&'static str, bool)],
}

/// The records of `source`; a record with a problem is left out, the others are read.
pub fn read(source: &SourceFile, shape: &Shape) -> (Vec<Record>, Vec<Problem>) {
    let loaded = load(&source.text, &crate::pipeline::input_limits());
    let mut problems = loaded.problems;
    let Some(report) = loaded.report else {
        return (Vec::new(), problems);
    };
    let mut records = Vec::new();
    let Some(list) = top_list(&report, shape, &mut problems) else {
        return (records, problems);
    };
    for &item in report.children(list) {
        if let Some(record) = record(&report, item, shape, &mut problems) {
            records.push(record);
        }
    }
    (records, problems)
}

fn top_list(report: &Report, shape: &Shape, problems: &mut Vec<Problem>) -> Option<NodeId> {
    let root = *report.roots.first()?;
    if !matches!(report.node(root).value, Value::Map(_)) {
        problems.push(
            Problem::new(
                "invalid-type",
                format!("{}应为映射，顶层写 {}:", shape.what, shape.list),
            )
            .at(report.label_span(root), "此处"),
        );
        return None;
    }
    let mut known = vec![shape.list];
    known.extend_from_slice(shape.other);
    unknown_fields(report, root, &known, shape.what, problems);
    let list = report.child(root, shape.list)?;
    match &report.node(list).value {
        Value::Seq(_) => Some(list),
        Value::Null => None,
        _ => {
            problems.push(
                Problem::new("invalid-type", format!("字段「{}」应为列表", shape.list))
                    .at(report.label_span(list), "类型不符"),
            );
            None
        }
    }
}

fn record(
    report: &Report,
    item: NodeId,
    shape: &Shape,
    problems: &mut Vec<Problem>,
) -> Option<Record> {
    let span = report
        .children(item)
        .first()
        .and_then(|&c| match &report.node(c).place {
            Place::Key(k) => Some(k.span.clone()),
            _ => None,
        })
        .unwrap_or_else(|| report.label_span(item));
    if !matches!(report.node(item).value, Value::Map(_)) {
        problems.push(
            Problem::new("invalid-type", format!("{}的每一项应为映射", shape.list))
                .at(span, "类型不符"),
        );
        return None;
    }
    let before = problems.len();
    let names: Vec<&str> = shape.fields.iter().map(|(name, _)| *name).collect();
    unknown_fields(report, item, &names, shape.what, problems);
    let mut fields = HashMap::new();
    for &(name, required) in shape.fields {
        let node = report.child(item, name);
        match node.map(|n| &report.node(n).value) {
            Some(Value::Scalar(s)) if !s.text.trim().is_empty() => {
                let n = node.expect("matched");
                fields.insert(
                    name,
                    (s.text.trim().to_string(), report.node(n).span.clone()),
                );
            }
            Some(Value::Map(_) | Value::Seq(_)) => problems.push(
                Problem::new("invalid-type", format!("字段「{name}」应为文字"))
                    .at(report.label_span(node.expect("matched")), "类型不符"),
            ),
            _ if required => problems.push(
                Problem::new("missing-field", format!("缺少字段「{name}」"))
                    .at(span.clone(), "这一项")
                    .with_help(format!(
                        "每一项都要写 {}",
                        shape
                            .fields
                            .iter()
                            .filter(|(_, required)| *required)
                            .map(|(name, _)| *name)
                            .collect::<Vec<_>>()
                            .join("、")
                    )),
            ),
            _ => {}
        }
    }
    (problems.len() == before).then_some(Record { fields, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Shape = Shape {
        what: "测试文件",
        list: "items",
        other: &["version"],
        fields: &[("a", true), ("b", false)],
    };

    #[test]
    fn records_and_located_problems() {
        let text =
            "version: 1\nitems:\n  - {a: x, b: y}\n  - {b: z}\n  - {a: w, c: 1}\n  - {a: [1]}\n";
        let (records, problems) = read(&SourceFile::new("t.yaml", text), &SHAPE);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].get("a"), "x");
        assert_eq!(&text[records[0].span("b")], "y");
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["missing-field", "unknown-field", "invalid-type"]);
        assert_eq!(&text[problems[0].span.clone().unwrap()], "b");
        assert_eq!(&text[problems[1].span.clone().unwrap()], "c");
    }
}
