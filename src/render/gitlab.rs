//! GitLab Code Quality report (`--format gitlab`): a JSON array of issues in the Code
//! Climate shape GitLab reads from a job's `artifacts:reports:codequality`, shown in the
//! merge request's widget and on the changed lines:
//!
//! ```json
//! [{"type": "issue", "check_name": "casework/closed-exceeds-assigned",
//!   "description": "办结 21 件，超过交办 20 件（超过交办 20 件；21 > 20）",
//!   "content": {"body": "…the whole diagnostic, in Markdown…"},
//!   "categories": ["Bug Risk"], "severity": "critical",
//!   "fingerprint": "…", "location": {"path": "samples/a.yaml",
//!   "positions": {"begin": {"line": 3, "column": 7}, "end": {"line": 3, "column": 10}}}}]
//! ```
//!
//! GitLab shows `description` only, so it carries the message, the primary label and the
//! notes on one line; `content.body` (Code Climate's) has the whole diagnostic. Severity: a
//! failed error → `critical`, a failed warning → `major`, info → `info`, explained →
//! `info`, baselined → `minor`; a problem → `blocker`, a notice → `info`. The fingerprint
//! is a hash of the rule, the file and the figure's path (for a problem: its code, file
//! and offset), so a finding keeps it when lines move.

use super::position;
use super::{End, FileProblems, FileReport, Render, Run, json_members};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::SourceFile;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::ops::Range;

/// The run as a Code Quality report.
pub struct Gitlab;

/// 32 hex digits: two 64-bit FNV-1a hashes of `key`.
fn fingerprint(key: &str) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for b in key.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x84222325cbf29ce4)
    )
}

fn location(file: &SourceFile, span: Option<&Range<usize>>) -> Value {
    let path = file.name.replace('\\', "/");
    // A place (a workbook's cell) has no line in the file itself: the description names it.
    match span.filter(|s| position::at(file, s.start).place.is_none()) {
        Some(span) => {
            let start = position::at(file, span.start);
            let end = position::at(file, span.end);
            json!({"path": path, "positions": {
                "begin": {"line": start.line, "column": start.column},
                "end": {"line": end.line, "column": end.column},
            }})
        }
        None => json!({"path": path, "lines": {"begin": 1}}),
    }
}

fn brief(text: &str) -> String {
    crate::finding::brief(text, 300)
}

fn finding(file: &SourceFile, f: &Finding) -> Value {
    let severity = match (f.status, f.severity) {
        (Status::Failed, Severity::Error) => "critical",
        (Status::Failed, Severity::Warning) => "major",
        (Status::Baselined, _) => "minor",
        _ => "info",
    };
    let status = match (f.status, &f.explanation) {
        (Status::Explained, Some(e)) if e.decision.is_some() => "（已接受）",
        (Status::Explained, _) => "（已说明）",
        (Status::Baselined, _) => "（基线内）",
        (Status::Failed, _) => "",
    };
    let mut detail = vec![f.primary.message.clone()];
    detail.extend(f.notes.iter().cloned());
    let mut description = format!("{}{status}（{}）", f.message, detail.join("；"));
    if let Some(place) = position::at(file, f.primary.span.start).place {
        description = format!("{place}：{description}");
    }
    let mut body = format!("**{}**{status}\n\n", f.message);
    let _ = writeln!(body, "规则 `{}`：{}\n", f.rule, f.title);
    let at = |span: &Range<usize>| position::show(file, span.start);
    let _ = writeln!(
        body,
        "- ▲ `{}` 「{}」：{}",
        at(&f.primary.span),
        brief(file.slice(f.primary.span.clone())),
        f.primary.message
    );
    for l in &f.labels {
        let _ = writeln!(
            body,
            "- `{}` 「{}」：{}",
            at(&l.span),
            brief(file.slice(l.span.clone())),
            l.message
        );
    }
    body.push('\n');
    for note in &f.notes {
        let _ = writeln!(body, "> {note}\n");
    }
    if let Some(e) = &f.explanation {
        let _ = match &e.decision {
            Some(d) => writeln!(
                body,
                "已由 {} 于 {} 接受：{}（{}）\n",
                d.by,
                d.date,
                brief(&e.text),
                position::show(&d.file, e.label.span.start)
            ),
            None => writeln!(body, "已说明：{}\n", brief(&e.text)),
        };
    }
    if let Some(help) = &f.help {
        let _ = writeln!(body, "建议：{help}");
    }
    json!({
        "type": "issue",
        "check_name": f.rule,
        "description": description,
        "content": {"body": body},
        "categories": ["Bug Risk"],
        "severity": severity,
        "fingerprint": fingerprint(&format!("{}\u{0}{}\u{0}{}", f.rule, file.name, f.primary.path)),
        "location": location(file, Some(&f.primary.span)),
    })
}

fn problem(file: &SourceFile, p: &Problem) -> Value {
    let mut detail = Vec::new();
    if p.span.is_some() && !p.label.is_empty() {
        detail.push(p.label.clone());
    }
    detail.extend(p.notes.iter().cloned());
    let mut description = p.message.clone();
    if !detail.is_empty() {
        let _ = write!(description, "（{}）", detail.join("；"));
    }
    let mut body = format!("**{}**\n\n", p.message);
    for note in &p.notes {
        let _ = writeln!(body, "> {note}\n");
    }
    if let Some(help) = &p.help {
        let _ = writeln!(body, "建议：{help}");
    }
    let offset = p.span.as_ref().map_or(0, |s| s.start);
    json!({
        "type": "issue",
        "check_name": p.code,
        "description": description,
        "content": {"body": body},
        "categories": ["Bug Risk"],
        "severity": if p.notice { "info" } else { "blocker" },
        "fingerprint": fingerprint(&format!("{}\u{0}{}\u{0}{offset}", p.code, file.name)),
        "location": location(file, p.span.as_ref()),
    })
}

fn problem_items<'a>(files: &'a [FileProblems]) -> impl Iterator<Item = Value> + 'a {
    files
        .iter()
        .flat_map(|(source, problems)| problems.iter().map(move |p| problem(source, p)))
}

impl Render for Gitlab {
    fn head(&self, _run: &Run<'_>) -> Vec<u8> {
        b"[".to_vec()
    }

    fn file(&self, _run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        let mut out = Vec::new();
        let problems = report.problems.iter().map(|p| problem(&report.source, p));
        let findings = report.findings.iter().map(|f| finding(&report.source, f));
        json_members(&mut out, "\n  ", problems.chain(findings));
        out
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let mut more = Vec::new();
        // Problems of rule, decisions and baseline files, after the files' issues.
        json_members(&mut more, "\n  ", problem_items(run.rule_problems));
        json_members(&mut more, "\n  ", problem_items(end.review_problems));
        let mut out = Vec::new();
        let before = end.parts;
        if before && !more.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&more);
        out.extend_from_slice(if before || !more.is_empty() {
            b"\n]\n"
        } else {
            b"]\n"
        });
        out
    }
}
