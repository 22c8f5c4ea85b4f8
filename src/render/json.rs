//! JSON output, one object for the whole run:
//!
//! ```json
//! {"version": 1,
//!  "files": [{"path": "...", "encoding": null, "findings": [...], "problems": [...]}],
//!  "rules": [{"path": "...", "problems": [...]}],
//!  "summary": {"files": 1, "errors": 0, "warnings": 0, "explained": 0, "info": 0, "problems": 0}}
//! ```
//!
//! A finding has `rule`, `title`, `severity` (error|warning|info), `status`
//! (failed|explained), `message`, `primary` and `labels[]`, `notes[]`, `help` and, when
//! explained, `explanation` (`text` and `label`). A label has `path` (the file), `start`
//! and `end` (byte offsets), `line` and `column` (1-based; the column counts characters),
//! `text` (the literal as written), `message`, and `figure` (the node's path in the data).
//! A `text` (of a label, a location or an explanation) longer than 1,000 bytes is cut
//! there and ends in `…`.

use super::{FileReport, Summary};
use crate::finding::{Finding, Label};
use crate::problem::Problem;
use crate::source::SourceFile;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    files: Vec<FileOut<'a>>,
    rules: Vec<RuleFileOut<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    encoding: Option<&'a str>,
    findings: Vec<FindingOut<'a>>,
    problems: Vec<ProblemOut<'a>>,
}

#[derive(Serialize)]
struct RuleFileOut<'a> {
    path: &'a str,
    problems: Vec<ProblemOut<'a>>,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    title: &'a str,
    severity: &'a str,
    status: &'a str,
    message: &'a str,
    primary: LabelOut<'a>,
    labels: Vec<LabelOut<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<ExplanationOut<'a>>,
}

#[derive(Serialize)]
struct ExplanationOut<'a> {
    text: Cow<'a, str>,
    label: LabelOut<'a>,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    text: Cow<'a, str>,
    message: &'a str,
    figure: &'a str,
}

#[derive(Serialize)]
struct ProblemOut<'a> {
    code: &'a str,
    message: &'a str,
    notice: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LocationOut<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct LocationOut<'a> {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    text: Cow<'a, str>,
    label: &'a str,
}

/// Longest text a label or explanation carries, in bytes; longer text is cut with `…`.
const MAX_TEXT: usize = 1000;

fn clip(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_TEXT {
        return Cow::Borrowed(text);
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &text[..end]))
}

fn label<'a>(file: &'a SourceFile, l: &'a Label) -> LabelOut<'a> {
    let (line, column) = file.line_column(l.span.start);
    LabelOut {
        path: &file.name,
        start: l.span.start,
        end: l.span.end,
        line,
        column,
        text: clip(file.slice(l.span.clone())),
        message: &l.message,
        figure: &l.path,
    }
}

fn finding<'a>(file: &'a SourceFile, f: &'a Finding) -> FindingOut<'a> {
    FindingOut {
        rule: &f.rule,
        title: &f.title,
        severity: f.severity.as_str(),
        status: f.status.as_str(),
        message: &f.message,
        primary: label(file, &f.primary),
        labels: f.labels.iter().map(|l| label(file, l)).collect(),
        notes: &f.notes,
        help: f.help.as_deref(),
        explanation: f.explanation.as_ref().map(|e| ExplanationOut {
            text: clip(&e.text),
            label: label(file, &e.label),
        }),
    }
}

fn problem<'a>(file: &'a SourceFile, p: &'a Problem) -> ProblemOut<'a> {
    ProblemOut {
        code: p.code,
        message: &p.message,
        notice: p.notice,
        location: p.span.as_ref().map(|span| {
            let (line, column) = file.line_column(span.start);
            LocationOut {
                start: span.start,
                end: span.end,
                line,
                column,
                text: clip(file.slice(span.clone())),
                label: &p.label,
            }
        }),
        notes: &p.notes,
        help: p.help.as_deref(),
    }
}

/// The whole run as one JSON document.
pub fn render(
    files: &[FileReport],
    rule_problems: &[(Arc<SourceFile>, Vec<Problem>)],
    summary: Summary,
) -> String {
    let output = Output {
        version: 1,
        files: files
            .iter()
            .map(|r| FileOut {
                path: &r.source.name,
                encoding: r.source.encoding,
                findings: r.findings.iter().map(|f| finding(&r.source, f)).collect(),
                problems: r.problems.iter().map(|p| problem(&r.source, p)).collect(),
            })
            .collect(),
        rules: rule_problems
            .iter()
            .map(|(source, problems)| RuleFileOut {
                path: &source.name,
                problems: problems.iter().map(|p| problem(source, p)).collect(),
            })
            .collect(),
        summary,
    };
    let mut text = serde_json::to_string_pretty(&output).expect("plain data serializes");
    text.push('\n');
    text
}
