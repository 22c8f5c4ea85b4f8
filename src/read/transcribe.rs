//! A report tree as YAML: the transcription `hecha import` writes, for a person to review
//! instead of typing the figures in.
//!
//! The YAML has the tree's shape (docs/conventions.md, docs/forms.md), keys in their
//! order, and after each figure a comment naming where it was read: `# 项目支出!E6`,
//! `# 第 3 段`, `# 12:5`. Keys and text are written plain where YAML reads them back as
//! the same text, and double-quoted (with JSON's escapes, which YAML shares) where not,
//! so that reading the transcription gives the same tree, hence the same findings.

use crate::report::{NodeId, Place, Report, Value};
use crate::source::SourceFile;
use std::fmt::Write as _;

/// The YAML transcription of `report`, read from `source`: one document per root.
pub fn transcribe(report: &Report, source: &SourceFile) -> String {
    let mut writer = Writer {
        report,
        source,
        out: String::new(),
    };
    for (i, &root) in report.roots.iter().enumerate() {
        if i > 0 || report.roots.len() > 1 {
            writer.out.push_str("---\n");
        }
        writer.root(root);
    }
    writer.out
}

struct Writer<'a> {
    report: &'a Report,
    source: &'a SourceFile,
    out: String,
}

impl Writer<'_> {
    fn root(&mut self, id: NodeId) {
        match &self.report.node(id).value {
            Value::Map(children) | Value::Seq(children) if !children.is_empty() => {
                self.block(id, 0);
            }
            _ => {
                let value = self.inline(id).unwrap_or_default();
                let comment = self.comment(id);
                let _ = writeln!(self.out, "{value}{comment}");
            }
        }
    }

    /// The children of a mapping or list that has some, at `indent`.
    fn block(&mut self, id: NodeId, indent: usize) {
        for &child in self.report.children(id) {
            let prefix = match &self.report.node(child).place {
                Place::Key(key) => format!("{}:", scalar(&key.text)),
                _ => "-".to_string(),
            };
            self.entry(&prefix, child, indent);
        }
    }

    /// One entry, `key: value` or `- value`, at `indent`.
    fn entry(&mut self, prefix: &str, id: NodeId, indent: usize) {
        let pad = " ".repeat(indent);
        if let Some(value) = self.inline(id) {
            let comment = self.comment(id);
            let space = if value.is_empty() { "" } else { " " };
            let _ = writeln!(self.out, "{pad}{prefix}{space}{value}{comment}");
            return;
        }
        if prefix == "-" {
            // A collection in a list starts on the dash's line: `- 名称: a`, `- - 1`.
            let start = self.out.len();
            self.block(id, indent + 2);
            self.out
                .replace_range(start + indent..start + indent + 2, "- ");
        } else {
            let _ = writeln!(self.out, "{pad}{prefix}");
            self.block(id, indent + 2);
        }
    }

    /// A value written on its key's line: a scalar, nothing for an empty value, `{}` or
    /// `[]` for an empty collection; `None` for a collection with children.
    fn inline(&self, id: NodeId) -> Option<String> {
        match &self.report.node(id).value {
            Value::Scalar(s) => Some(scalar(&s.text)),
            Value::Null => Some(String::new()),
            Value::Map(children) if children.is_empty() => Some("{}".into()),
            Value::Seq(children) if children.is_empty() => Some("[]".into()),
            Value::Map(_) | Value::Seq(_) => None,
        }
    }

    /// `  # 项目支出!E6` after a figure; nothing after other values.
    fn comment(&self, id: NodeId) -> String {
        if self.report.figure(id).is_none() {
            return String::new();
        }
        let span = &self.report.node(id).span;
        format!("  # {}", self.source.position(span.start))
    }
}

/// A key or text as YAML: plain where it reads back as itself, else double-quoted.
pub fn scalar(text: &str) -> String {
    if plain(text) {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string serializes")
    }
}

/// Whether `text` written plain in block context reads back as the same text, and not as
/// an empty value.
fn plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if matches!(text, "~" | "null" | "Null" | "NULL") {
        return false;
    }
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return false;
    }
    // Indicators may start a plain scalar only when `-`, `?` or `:` is followed by a
    // character that is not a space.
    let second = text.chars().nth(1);
    match first {
        '-' | '?' | ':' if second.is_some_and(|c| !c.is_whitespace()) => {}
        '-' | '?' | ':' | ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>'
        | '\'' | '"' | '%' | '@' | '`' => return false,
        _ => {}
    }
    if text.starts_with("---") || text.starts_with("...") {
        return false;
    }
    !(text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| {
            c.is_control() || matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{85}')
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Limits;
    use crate::read::yaml::load;

    fn round_trip(text: &str) -> String {
        let source = SourceFile::new("a.yaml", text);
        let report = load(text, &Limits::default()).report.unwrap();
        transcribe(&report, &source)
    }

    /// Every path with its text, for comparing two trees.
    fn leaves(text: &str) -> Vec<(String, Option<String>)> {
        let report = load(text, &Limits::default()).report.unwrap();
        report
            .ids()
            .map(|id| (report.path(id), report.text(id).map(str::to_string)))
            .collect()
    }

    #[test]
    fn figures_carry_their_position() {
        let text = "名称: 信访\n县本级:\n  交办: 20件\n  其中:\n    - 办结: 21件\n      说明: 已办\n    - [1, 2]\n空:\n列表: []\n";
        let out = round_trip(text);
        assert_eq!(
            out,
            "名称: 信访\n县本级:\n  交办: 20件  # 3:7\n  其中:\n    - 办结: 21件  # 5:11\n      说明: 已办\n    - - 1  # 7:8\n      - 2  # 7:11\n空:\n列表: []\n"
        );
        assert_eq!(leaves(&out), leaves(text));
    }

    #[test]
    fn text_yaml_would_misread_is_quoted() {
        for text in [
            "",
            "~",
            "null",
            " 前导空格",
            "a: b",
            "a #b",
            "- a",
            "-",
            "#注",
            "[1]",
            "{a}",
            "*a",
            "&a",
            "!t",
            "|",
            ">",
            "'a'",
            "\"a\"",
            "%a",
            "@a",
            "`a",
            "---",
            "...",
            "a:",
            "行一\n行二",
            "\t",
            "\u{feff}a",
        ] {
            let quoted = scalar(text);
            assert!(quoted.starts_with('"'), "{text:?} → {quoted}");
            let yaml = format!("k: {quoted}\n");
            let report = load(&yaml, &Limits::default()).report.unwrap();
            let value = report.children(report.roots[0])[0];
            assert_eq!(report.text(value), Some(text), "{yaml}");
        }
        for text in [
            "-5",
            "25.50万元",
            "90%",
            "a:b",
            "a#b",
            "信访：办结",
            "?a",
            "true",
            "1e3",
        ] {
            assert_eq!(scalar(text), text);
        }
    }

    #[test]
    fn keys_documents_and_scalar_roots() {
        let text = "\"a b\": 1\n\"k: v\": 2\n---\n- x\n---\n5件\n";
        let out = round_trip(text);
        assert_eq!(
            out,
            "---\na b: 1  # 1:8\n\"k: v\": 2  # 2:9\n---\n- x\n---\n5件  # 6:1\n"
        );
        assert_eq!(leaves(&out), leaves(text));
    }
}
