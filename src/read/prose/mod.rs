//! Reports as written: the figures of running text, their labels and how they relate,
//! made into the tree the packs check (docs/conventions.md), with spans into the text.
//!
//! - [`numbers`] finds the figures of a paragraph and leaves out what is not one.
//! - [`lexicon`] maps the words before a figure onto the packs' keys.
//! - [`structures`] reads a sentence: groups of figures about one subject, a total and
//!   its parts (其中/包括), rows of a flattened table, 「A、B等8件」 lists, 使用完毕, and
//!   leaves a sentence it cannot read with certainty unchecked, counted.
//! - [`facts`] reads the title and signature: the report's year and date.
//!
//! See docs/prose.md for what is read and what is refused.

pub mod facts;
pub mod lexicon;
pub mod numbers;
pub mod structures;

use crate::problem::Problem;
use crate::read::{Limits, Read};
use crate::report::{Key, Node, NodeId, Place, Report, Scalar, Value};
use crate::source::SourceFile;
use lexicon::Lexicon;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use structures::{Group, Item, Val};

/// What the prose reader made of a text.
#[derive(Debug)]
pub struct Reading {
    pub report: Report,
    /// Figures found (placeholders included).
    pub figures: usize,
    /// Sentences with figures whose structure was left unchecked.
    pub unrecognised: usize,
    pub problems: Vec<Problem>,
}

/// Reads a text file (`.txt`, `.md`) as a report written in prose.
pub fn read(name: String, bytes: &[u8], limits: &Limits, lexicon: &Lexicon) -> Read {
    let source = match SourceFile::decode(name.clone(), bytes) {
        Ok(source) => source,
        Err(e) => {
            let (source, problem) = e.report(name, bytes);
            return Read::unusable(source, problem);
        }
    };
    read_source(source, limits, lexicon)
}

/// Reads the paragraphs of a document (a .docx's paragraphs outside its tables: `(index,
/// text)`, 0-based as [`Place::Paragraph`] keeps them) as prose: one line each, each a [`Place::Paragraph`], so that a
/// diagnostic says `报告.docx 第 12 段`.
pub fn read_paragraphs(
    name: String,
    paragraphs: &[(usize, String)],
    limits: &Limits,
    lexicon: &Lexicon,
) -> Read {
    let mut text = String::new();
    let mut places = Vec::new();
    for (index, p) in paragraphs {
        let line = p.replace(['\n', '\r'], " ");
        let start = text.len();
        text.push_str(&line);
        places.push(crate::source::PlaceSpan {
            span: start..text.len(),
            place: crate::source::Place::Paragraph {
                index: *index,
                page: None,
            },
        });
        text.push('\n');
    }
    read_source(
        SourceFile::new(name, text).with_places(places),
        limits,
        lexicon,
    )
}

/// Reads a decoded text (from a file, a PDF's text layer or a Word document's paragraphs).
/// No reader limit applies yet: the tree is as large as the text's sentences, and the text
/// was bounded by `max_file_size` when read.
pub fn read_source(source: SourceFile, _limits: &Limits, lexicon: &Lexicon) -> Read {
    let reading = read_text(&source.text, lexicon);
    let mut problems = reading.problems;
    if reading.figures == 0 {
        problems.push(
            Problem::new("no-figures", "文中没有读到数字，没有可核查的内容")
                .with_help("确认文件是报告正文；表格可整理为 YAML 后核查"),
        );
    }
    let mut report = reading.report;
    report.index_keys();
    // a text without figures has nothing to check: not read, rather than a clean pass
    let report = (reading.figures > 0).then_some(report);
    Read {
        source: Arc::new(source),
        report,
        problems,
        unrecognised: reading.unrecognised,
        figures_read: Some(reading.figures),
    }
}

/// Reads `text` into a report tree.
pub fn read_text(text: &str, lexicon: &Lexicon) -> Reading {
    let paragraphs = paragraphs(text);
    let facts = facts::read(text, &paragraphs);
    let mut problems = facts::check(text, &facts);
    problems.extend(facts::check_title_month(text, &facts));
    let mut sections: Vec<Group> = Vec::new();
    let mut current = Group::new("正文".to_string(), 0..0);
    let mut figures = 0;
    let mut unrecognised = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        let line = &text[p.clone()];
        let found = numbers::scan(line);
        problems.extend(facts::placeholders(line, p.start, &found));
        if facts.title.as_ref().is_some_and(|t| t.lines.contains(&i)) || facts.signature == Some(i)
        {
            continue;
        }
        if found.is_empty() && is_heading(line) {
            if !current.items.is_empty() {
                sections.push(current);
            }
            let trimmed = line.trim();
            let at = p.start + (line.len() - line.trim_start().len());
            current = Group::new(trimmed.to_string(), at..at + trimmed.len());
            continue;
        }
        figures += found.len();
        let read = structures::paragraph(text, p.start, line, found, lexicon);
        unrecognised += read.unrecognised;
        problems.extend(read.problems);
        current.items.extend(read.groups.into_iter().map(|g| Item {
            key: g.name.clone(),
            key_span: g.name_span.clone(),
            val: Val::Map(g),
        }));
    }
    if !current.items.is_empty() {
        sections.push(current);
    }
    let mut root = Group::new(String::new(), 0..0);
    if let Some(g) = facts.group() {
        root.items.push(Item {
            key: g.name.clone(),
            key_span: g.name_span.clone(),
            val: Val::Map(g),
        });
    }
    for s in sections {
        root.items.push(Item {
            key: s.name.clone(),
            key_span: s.name_span.clone(),
            val: Val::Map(s),
        });
    }
    let mut report = Report::default();
    let root_id = emit_map(&mut report, None, Place::Root, 0..text.len(), root);
    report.roots.push(root_id);
    structures::restatements(&mut report, root_id, text);
    Reading {
        report,
        figures,
        unrecognised,
        problems,
    }
}

/// The paragraphs of a text: its non-blank lines, without the line break.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            out.push(start..start + body.len());
        }
        start += line.len();
    }
    out
}

/// A heading: a short line without a full stop (`一、项目概况`, `（一）基本情况`, `# 标题`).
fn is_heading(line: &str) -> bool {
    let t = line.trim().trim_start_matches('#').trim();
    t.chars().count() <= 40 && !t.contains('。') && !t.contains('；')
}

fn push(
    report: &mut Report,
    parent: Option<NodeId>,
    place: Place,
    span: Range<usize>,
    value: Value,
) -> NodeId {
    report.push(Node {
        parent,
        place,
        span,
        value,
    })
}

/// Writes a group as a mapping; keys repeated in it get 「（2）」, 「（3）」.
fn emit_map(
    report: &mut Report,
    parent: Option<NodeId>,
    place: Place,
    span: Range<usize>,
    group: Group,
) -> NodeId {
    let id = push(report, parent, place, span, Value::Map(Vec::new()));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut children = Vec::new();
    let mut lo = usize::MAX;
    let mut hi = 0;
    for item in group.items {
        let n = seen.entry(item.key.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 {
            item.key
        } else {
            format!("{}（{}）", item.key, n)
        };
        let place = Place::Key(Key {
            text: key.into(),
            span: item.key_span.clone(),
        });
        lo = lo.min(item.key_span.start);
        let child = match item.val {
            Val::Fig(f) => {
                hi = hi.max(f.span.end);
                lo = lo.min(f.span.start);
                push(
                    report,
                    Some(id),
                    place,
                    f.span.clone(),
                    Value::Scalar(Scalar {
                        text: f.text.into(),
                        figure: f.figure,
                        verbatim_at: Some(0),
                    }),
                )
            }
            Val::Text(text, span) => {
                hi = hi.max(span.end);
                let verbatim_at = (span.len() == text.len()).then_some(0);
                push(
                    report,
                    Some(id),
                    place,
                    span,
                    Value::Scalar(Scalar {
                        text: text.into(),
                        figure: None,
                        verbatim_at,
                    }),
                )
            }
            Val::Map(g) => {
                let child = emit_map(report, Some(id), place, 0..0, g);
                let s = report.node(child).span.clone();
                hi = hi.max(s.end);
                lo = lo.min(s.start);
                child
            }
        };
        children.push(child);
    }
    if parent.is_some() && lo <= hi {
        report.node_mut(id).span = lo..hi;
    }
    report.node_mut(id).value = Value::Map(children);
    id
}

#[cfg(test)]
mod tests;
