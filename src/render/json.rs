//! JSON output, one object for the whole run:
//!
//! ```json
//! {"version": 1,
//!  "files": [{"path": "...", "encoding": null, "findings": [...], "problems": [...],
//!             "coverage": {"figures": 12, "figures_checked": 9, "checks": 20}}],
//!  "rules": [{"path": "...", "problems": [...]}],
//!  "review": [{"path": "...", "problems": [...]}],
//!  "summary": {"files": 1, "errors": 0, "warnings": 0, "explained": 0, "info": 0,
//!              "problems": 0, "baselined": 0, "stale": 0, "untouched": 0,
//!              "coverage": {"figures": 12, "figures_checked": 9, "checks": 20}}}
//! ```
//!
//! `coverage` counts the figures read from a file (an alias's copy not again), those
//! that some rule check read and applied to, and the rule checks that applied; the
//! summary adds them up, and `untouched` counts the files read to which no check applied.
//!
//! A finding has `rule`, `title`, `severity` (error|warning|info), `status`
//! (failed|explained|baselined), `message`, `primary` and `labels[]`, `notes[]`, `help`
//! and, when explained, `explanation` (`text` and `label`, and for a reviewer's decision
//! `decision`: `by` and `date`, the label then pointing into the decisions file). A label
//! has `path` (the file), `start` and `end` (byte offsets), `line` and `column` (1-based;
//! the column counts characters, both in the text hecha shows), `text` (the literal as
//! written), `message`, and `figure` (the node's path in the data). For a file read from
//! cells or paragraphs, a label (and a problem's location) also has where it is in the
//! file's own terms: `sheet` and `cell` (A1) for a workbook; `table`, `row` and `cell` (A1
//! within the table, its column the cell's number in the row) for a Word table;
//! `paragraph` and, for a PDF, `page` (1-based). Keys that do not apply are left out.
//! `review` lists problems of the decisions and baseline files, stale decisions among
//! them. A `text` (of a label, a location or an explanation) longer than 1,000 bytes is
//! cut there and ends in `…`.
//!
//! The document is written file by file ([`Json`] is a [`Render`]), so a batch of any size
//! needs memory for the files in flight only; it reads the same as if written at once.

use super::{End, FileProblems, FileReport, Render, Run};
use crate::finding::{Finding, Label};
use crate::problem::Problem;
use crate::source::{Place, Position, SourceFile};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    encoding: Option<&'a str>,
    findings: Vec<FindingOut<'a>>,
    problems: Vec<ProblemOut<'a>>,
    coverage: &'a crate::coverage::Coverage,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<DecisionOut<'a>>,
}

#[derive(Serialize)]
struct DecisionOut<'a> {
    by: &'a str,
    date: &'a str,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    #[serde(flatten)]
    place: PlaceOut<'a>,
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
    #[serde(flatten)]
    place: PlaceOut<'a>,
    text: Cow<'a, str>,
    label: &'a str,
}

/// Where a span is in the user's terms, for a file with places; every key is left out
/// when it does not apply, so a YAML file's output has none of them.
#[derive(Default, Serialize)]
struct PlaceOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<usize>,
}

/// A position's place as JSON keys: 1-based numbers, and the A1 name of a cell.
fn place_out(position: Position<'_>) -> PlaceOut<'_> {
    let Some(place) = position.place else {
        return PlaceOut::default();
    };
    match place {
        Place::Cell { sheet, .. } => PlaceOut {
            sheet: Some(sheet),
            cell: place.a1(),
            ..PlaceOut::default()
        },
        Place::Paragraph { index, page } => PlaceOut {
            paragraph: Some(index + 1),
            page: page.map(|p| p + 1),
            ..PlaceOut::default()
        },
        Place::TableCell { table, row, .. } => PlaceOut {
            table: Some(table + 1),
            row: Some(row + 1),
            cell: place.a1(),
            ..PlaceOut::default()
        },
    }
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
    let position = file.position(l.span.start);
    LabelOut {
        path: &file.name,
        start: l.span.start,
        end: l.span.end,
        line: position.line,
        column: position.column,
        place: place_out(position),
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
            label: match &e.decision {
                Some(d) => label(&d.file, &e.label),
                None => label(file, &e.label),
            },
            decision: e.decision.as_ref().map(|d| DecisionOut {
                by: &d.by,
                date: &d.date,
            }),
        }),
    }
}

fn problem<'a>(file: &'a SourceFile, p: &'a Problem) -> ProblemOut<'a> {
    ProblemOut {
        code: p.code,
        message: &p.message,
        notice: p.notice,
        location: p.span.as_ref().map(|span| {
            let position = file.position(span.start);
            LocationOut {
                start: span.start,
                end: span.end,
                line: position.line,
                column: position.column,
                place: place_out(position),
                text: clip(file.slice(span.clone())),
                label: &p.label,
            }
        }),
        notes: &p.notes,
        help: p.help.as_deref(),
    }
}

fn file_out(r: &FileReport) -> FileOut<'_> {
    FileOut {
        path: &r.source.name,
        encoding: r.source.encoding,
        findings: r.findings.iter().map(|f| finding(&r.source, f)).collect(),
        problems: r.problems.iter().map(|p| problem(&r.source, p)).collect(),
        coverage: &r.coverage,
    }
}

fn problem_files(files: &[FileProblems]) -> Vec<RuleFileOut<'_>> {
    files
        .iter()
        .map(|(source, problems)| RuleFileOut {
            path: &source.name,
            problems: problems.iter().map(|p| problem(source, p)).collect(),
        })
        .collect()
}

/// `value` pretty-printed as a member of the run object, at `depth` levels of indent.
fn pretty_at(value: &impl Serialize, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("plain data serializes");
    let indent = "  ".repeat(depth);
    // JSON strings escape line breaks, so every line break is the printer's.
    text.replace('\n', &format!("\n{indent}"))
}

/// The run as one JSON document, written file by file.
pub struct Json;

impl Render for Json {
    fn head(&self, _run: &Run<'_>) -> Vec<u8> {
        b"{\n  \"version\": 1,\n  \"files\": [".to_vec()
    }

    fn file(&self, _run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        format!("\n    {}", pretty_at(&file_out(report), 2)).into_bytes()
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let close = if end.parts { "\n  ]" } else { "]" };
        format!(
            "{close},\n  \"rules\": {},\n  \"review\": {},\n  \"summary\": {}\n}}\n",
            pretty_at(&problem_files(run.rule_problems), 1),
            pretty_at(&problem_files(end.review_problems), 1),
            pretty_at(&end.summary, 1),
        )
        .into_bytes()
    }
}
