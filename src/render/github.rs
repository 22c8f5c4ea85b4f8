//! GitHub Actions workflow commands (`--format github`): one annotation per finding and
//! per problem, which GitHub shows on the pull request's changed files and in the run's
//! summary:
//!
//! ```text
//! ::error file=samples/a.yaml,line=3,col=7,endLine=3,endColumn=10,title=casework/closed-exceeds-assigned（办结数不得超过交办数）::办结 21 件，超过交办 20 件%0A▲ 办结 21件：超过交办 …
//! ```
//!
//! - Level: a failed error → `error`, a failed warning → `warning`; info, explained and
//!   baselined findings and notices → `notice`.
//! - The message holds the whole diagnostic, a line each (GitHub shows line breaks): the
//!   message, the labels (▲ the offending figure, then the figures it was compared with,
//!   each with its position), the notes, the explanation or the reviewer's decision, and
//!   the help.
//! - The summary line ends the output as plain text (the log shows it).

use super::position;
use super::{End, FileProblems, FileReport, Render, Run};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::SourceFile;
use std::fmt::Write as _;
use std::ops::Range;

/// The run as workflow commands.
pub struct Github;

/// A command's message: `%`, CR and LF escaped.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::source::is_unsafe_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A command's property value: also `:` and `,` escaped.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `file=…,line=…,col=…,endLine=…,endColumn=…` for a span, or `file=…` alone.
fn location(file: &SourceFile, span: Option<&Range<usize>>) -> String {
    let mut out = format!("file={}", property(&file.name));
    // A place (a workbook's cell) has no line in the file itself: the message names it.
    if let Some(span) = span.filter(|s| position::at(file, s.start).place.is_none()) {
        let start = position::at(file, span.start);
        let end = position::at(file, span.end);
        let _ = write!(
            out,
            ",line={},col={},endLine={},endColumn={}",
            start.line, start.column, end.line, end.column
        );
    }
    out
}

fn clip(text: &str) -> String {
    crate::finding::brief(text, 500)
}

fn finding(out: &mut String, file: &SourceFile, f: &Finding) {
    let level = match (f.status, f.severity) {
        (Status::Failed, Severity::Error) => "error",
        (Status::Failed, Severity::Warning) => "warning",
        _ => "notice",
    };
    let mut lines = vec![match (f.status, &f.explanation) {
        (Status::Explained, Some(e)) if e.decision.is_some() => format!("{}（已接受）", f.message),
        (Status::Explained, _) => format!("{}（已说明）", f.message),
        (Status::Baselined, _) => format!("{}（基线内）", f.message),
        (Status::Failed, _) => f.message.clone(),
    }];
    let at = |span: &Range<usize>| position::show(file, span.start);
    lines.push(format!(
        "▲ {}「{}」：{}",
        at(&f.primary.span),
        clip(file.slice(f.primary.span.clone())),
        f.primary.message
    ));
    for l in &f.labels {
        lines.push(format!(
            "- {}「{}」：{}",
            at(&l.span),
            clip(file.slice(l.span.clone())),
            l.message
        ));
    }
    lines.extend(f.notes.iter().map(|n| format!("= {n}")));
    if let Some(e) = &f.explanation {
        lines.push(match &e.decision {
            Some(d) => format!(
                "= 已由 {} 于 {} 接受：{}（{}）",
                d.by,
                d.date,
                clip(&e.text),
                position::show(&d.file, e.label.span.start)
            ),
            None => format!("= 已说明：{}", clip(&e.text)),
        });
    }
    if let Some(help) = &f.help {
        lines.push(format!("help: {help}"));
    }
    let _ = writeln!(
        out,
        "::{level} {},title={}::{}",
        location(file, Some(&f.primary.span)),
        property(&format!("{}（{}）", f.rule, f.title)),
        data(&lines.join("\n"))
    );
}

fn problem(out: &mut String, file: &SourceFile, p: &Problem) {
    let level = if p.notice { "notice" } else { "error" };
    let mut lines = vec![p.message.clone()];
    if p.span.is_some() && !p.label.is_empty() {
        lines.push(format!("▲ {}", p.label));
    }
    for (span, label) in &p.secondary {
        lines.push(format!("- {}：{label}", position::show(file, span.start)));
    }
    lines.extend(p.notes.iter().map(|n| format!("= {n}")));
    if let Some(help) = &p.help {
        lines.push(format!("help: {help}"));
    }
    let _ = writeln!(
        out,
        "::{level} {},title={}::{}",
        location(file, p.span.as_ref()),
        property(p.code),
        data(&lines.join("\n"))
    );
}

fn problem_files(out: &mut String, files: &[FileProblems]) {
    for (source, problems) in files {
        for p in problems {
            problem(out, source, p);
        }
    }
}

impl Render for Github {
    fn head(&self, run: &Run<'_>) -> Vec<u8> {
        let mut out = String::new();
        problem_files(&mut out, run.rule_problems);
        out.into_bytes()
    }

    fn file(&self, _run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        let mut out = String::new();
        for p in &report.problems {
            problem(&mut out, &report.source, p);
        }
        for f in &report.findings {
            finding(&mut out, &report.source, f);
        }
        out.into_bytes()
    }

    fn tail(&self, _run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let mut out = String::new();
        problem_files(&mut out, end.review_problems);
        let _ = writeln!(out, "{}", data(&end.summary.line()));
        out.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_reads() {
        assert_eq!(data("a%b\r\nc"), "a%25b%0D%0Ac");
        assert_eq!(property("a: b, c"), "a%3A b%2C c");
        assert_eq!(data("\u{1b}[2J"), "\u{FFFD}[2J");
    }
}
