//! JUnit XML output, for CI systems that show test reports:
//!
//! ```xml
//! <testsuites name="hecha" tests="38" failures="1" errors="0" skipped="30">
//!   <testsuite name="reports/a.yaml" tests="38" failures="1" errors="0" skipped="30">
//!     <testcase classname="reports/a.yaml" name="casework/closed-exceeds-assigned">
//!       <failure type="error" message="办结 21 件，超过交办 20 件">…</failure>
//!     </testcase>
//!     <testcase classname="reports/a.yaml" name="budget/executed-exceeds-budget"/>
//!     <testcase classname="reports/a.yaml" name="forms/grade-mismatch">
//!       <skipped message="规则不适用于此文件：没有它核查的数据"/>
//!     </testcase>
//!     …
//!     <system-out>…findings that do not fail: explained, info, baselined…</system-out>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One `<testsuite>` per file and one `<testcase>` per rule that ran on it, in rule order.
//! A rule that never applied to the file (its `when` never held, or the values its check
//! needs were never there) tested nothing and is `<skipped>`, not passed. A rule's
//! testcase fails (`<failure>`, one per testcase, listing every finding) when
//! its findings fail the run under `--fail-on`. A problem that kept a file from being
//! used fully is a testcase named by its code with an `<error>`; when the file could not
//! be read or parsed its rules did not run and have no testcases. Problems of rule,
//! decisions and baseline files get a testsuite each, at the end. The root element has
//! the totals (`tests`, `failures`, `errors`, `skipped`): the suites are written to a
//! temporary file as the batch goes, and the root's start tag before them at the end.
//! A failure's text lists each finding: where, the message, the labels (▲ the offending
//! figure, then the figures compared with it), the notes, the explanation, the help, and
//! the rule's title.

use super::{End, FileProblems, FileReport, Render, Run};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::source::SourceFile;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The run as JUnit XML, written file by file.
#[derive(Default)]
pub struct Junit {
    /// Totals of the files' suites: tests, failures, errors, skipped.
    totals: [AtomicUsize; 4],
}

/// Text made safe for XML 1.0 content and attributes: markup characters escaped, and
/// characters XML cannot hold (controls other than tab and line breaks) replaced.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A finding as lines of plain text: where, what, the arithmetic, the explanation.
fn finding_text(file: &SourceFile, f: &Finding) -> String {
    let mut text = format!(
        "{}: {}[{}]: {}\n",
        file.position(f.primary.span.start).show(&file.name),
        f.severity.as_str(),
        f.rule,
        f.message
    );
    let at = |span: &std::ops::Range<usize>| super::position::show(file, span.start);
    let _ = writeln!(
        text,
        "  ▲ {}「{}」：{}",
        at(&f.primary.span),
        crate::finding::brief(file.slice(f.primary.span.clone()), 200),
        f.primary.message
    );
    for l in &f.labels {
        let _ = writeln!(
            text,
            "  - {}「{}」：{}",
            at(&l.span),
            crate::finding::brief(file.slice(l.span.clone()), 200),
            l.message
        );
    }
    for note in &f.notes {
        let _ = writeln!(text, "  = {note}");
    }
    if let Some(e) = &f.explanation {
        let _ = writeln!(text, "  = {}: {}", f.status.as_str(), e.text);
    } else if f.status == Status::Baselined {
        let _ = writeln!(text, "  = baselined");
    }
    if let Some(help) = &f.help {
        let _ = writeln!(text, "  = help: {help}");
    }
    text
}

fn problem_text(file: &SourceFile, p: &Problem) -> String {
    let at = match &p.span {
        Some(span) => file.position(span.start).show(&file.name),
        None => file.name.clone(),
    };
    let mut text = format!("{at}: {}\n", p.message);
    for note in &p.notes {
        let _ = writeln!(text, "  = {note}");
    }
    if let Some(help) = &p.help {
        let _ = writeln!(text, "  = help: {help}");
    }
    text
}

/// A testsuite: its testcases already written, with its counts.
fn suite(name: &str, counts: [usize; 4], body: &str, out: &str) -> String {
    let name = escape(name);
    let [tests, failures, errors, skipped] = counts;
    let mut xml = format!(
        "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n{body}"
    );
    if !out.is_empty() {
        let _ = writeln!(xml, "    <system-out>{}</system-out>", escape(out));
    }
    xml.push_str("  </testsuite>\n");
    xml
}

/// A testcase for each problem that is not a notice; notices go to `out`.
fn problem_cases(
    file: &SourceFile,
    problems: &[Problem],
    body: &mut String,
    out: &mut String,
) -> usize {
    let classname = escape(&file.name);
    let mut errors = 0;
    for p in problems {
        let text = problem_text(file, p);
        if p.notice {
            out.push_str(&text);
            continue;
        }
        errors += 1;
        let _ = writeln!(
            body,
            "    <testcase classname=\"{classname}\" name=\"{}\">\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>",
            escape(p.code),
            escape(p.code),
            escape(&p.message),
            escape(&text)
        );
    }
    errors
}

fn problem_suites(files: &[FileProblems]) -> String {
    let mut xml = String::new();
    for (source, problems) in files {
        let (mut body, mut out) = (String::new(), String::new());
        let errors = problem_cases(source, problems, &mut body, &mut out);
        xml.push_str(&suite(&source.name, [errors, 0, errors, 0], &body, &out));
    }
    xml
}

/// The errors of the problem suites: each is a test and an error.
fn problem_errors(files: &[FileProblems]) -> usize {
    files
        .iter()
        .flat_map(|(_, problems)| problems)
        .filter(|p| !p.notice)
        .count()
}

impl Render for Junit {
    fn head(&self, _run: &Run<'_>) -> Vec<u8> {
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hecha\">\n".to_vec()
    }

    fn head_needs_end(&self) -> bool {
        true
    }

    fn late_head(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let [tests, failures, errors, skipped] =
            self.totals.each_ref().map(|n| n.load(Ordering::Relaxed));
        let more = problem_errors(run.rule_problems) + problem_errors(end.review_problems);
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hecha\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{skipped}\">\n",
            tests + more,
            errors + more
        )
        .into_bytes()
    }

    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        let file = &report.source;
        let classname = escape(&file.name);
        let (mut body, mut out) = (String::new(), String::new());
        let errors = problem_cases(file, &report.problems, &mut body, &mut out);
        let (mut tests, mut failures, mut skipped) = (errors, 0, 0);
        if report.checked {
            for rule in run.rules {
                tests += 1;
                let mut failing = Vec::new();
                for f in report.findings.iter().filter(|f| f.rule == rule.id) {
                    if run.fail_on.fails(f) {
                        failing.push(f);
                    } else {
                        out.push_str(&finding_text(file, f));
                    }
                }
                let name = escape(&rule.id);
                let found = report.findings.iter().any(|f| f.rule == rule.id);
                let Some(first) = failing.first() else {
                    if found || report.applied.contains(&rule.id) {
                        let _ = writeln!(
                            body,
                            "    <testcase classname=\"{classname}\" name=\"{name}\"/>"
                        );
                    } else {
                        skipped += 1;
                        let _ = writeln!(
                            body,
                            "    <testcase classname=\"{classname}\" name=\"{name}\">\n      <skipped message=\"规则不适用于此文件：没有它核查的数据\"/>\n    </testcase>"
                        );
                    }
                    continue;
                };
                failures += 1;
                let message = match failing.len() {
                    1 => first.message.clone(),
                    n => format!("{}（共 {n} 项）", first.message),
                };
                let mut text: String = failing.iter().map(|f| finding_text(file, f)).collect();
                let _ = writeln!(text, "规则：{}（{}）", rule.title, rule.id);
                let _ = writeln!(
                    body,
                    "    <testcase classname=\"{classname}\" name=\"{name}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                    first.severity.as_str(),
                    escape(&message),
                    escape(&text)
                );
            }
        }
        let counts = [tests, failures, errors, skipped];
        for (total, n) in self.totals.iter().zip(counts) {
            total.fetch_add(n, Ordering::Relaxed);
        }
        suite(&file.name, counts, &body, &out).into_bytes()
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let mut xml = problem_suites(run.rule_problems);
        xml.push_str(&problem_suites(end.review_problems));
        xml.push_str("</testsuites>\n");
        xml.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a < b & \"c\" 'd' > e\u{1}\t"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e\u{FFFD}\t"
        );
    }
}
