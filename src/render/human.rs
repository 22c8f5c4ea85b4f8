//! Human output: codespan-reporting diagnostics, aligned under Chinese text, then (for a
//! batch) the per-file summary table and the summary line.

use super::excerpt::{self, Excerpt};
use super::{End, FileReport, Render, Run, table};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::SourceFile;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as Level};
use codespan_reporting::files::Files;
use codespan_reporting::term::termcolor::Ansi;
use codespan_reporting::term::{self, Config, Styles, StylesWriter};

/// The diagnostic for a finding: the code is the rule id, the primary label sits on the
/// offending figure, secondary labels on the figures it was compared with.
pub fn finding(f: &Finding) -> Diagnostic<()> {
    // An explained or accepted finding is not an info: `help[…]` tells them apart.
    let level = match (f.status, f.severity) {
        (Status::Explained | Status::Baselined, Severity::Error | Severity::Warning) => Level::Help,
        (_, Severity::Info) => Level::Note,
        (_, Severity::Error) => Level::Error,
        (_, Severity::Warning) => Level::Warning,
    };
    let message = match (f.status, &f.explanation) {
        (Status::Explained, Some(e)) if e.decision.is_some() => format!("{}（已接受）", f.message),
        (Status::Explained, _) => format!("{}（已说明）", f.message),
        (Status::Baselined, _) => format!("{}（基线内）", f.message),
        (Status::Failed, _) => f.message.clone(),
    };
    let mut labels =
        vec![Label::primary((), f.primary.span.clone()).with_message(&f.primary.message)];
    labels.extend(
        f.labels
            .iter()
            .map(|l| Label::secondary((), l.span.clone()).with_message(&l.message)),
    );
    let mut notes = f.notes.clone();
    match f.explanation.as_ref().map(|e| (e, &e.decision)) {
        // A reviewer's decision is in another file: cite it in a note.
        Some((e, Some(d))) => {
            notes.push(format!(
                "已由 {} 于 {} 接受：{}（{}）",
                d.by,
                d.date,
                one_line(&e.text),
                d.file.position(e.label.span.start).show(&d.file.name)
            ));
        }
        Some((e, None)) => {
            labels.push(Label::secondary((), e.label.span.clone()).with_message(&e.label.message));
            notes.push(format!("已说明：{}", one_line(&e.text)));
        }
        None => {}
    }
    // What a decisions file or baseline names the finding by, and the table row.
    notes.push(match &f.row {
        Some(row) => format!("数据路径：{}（{row}）", f.primary.path),
        None => format!("数据路径：{}", f.primary.path),
    });
    if let Some(help) = &f.help {
        notes.push(format!("help: {help}"));
    }
    Diagnostic::new(level)
        .with_code(&f.rule)
        .with_message(message)
        .with_labels(labels)
        .with_notes(notes)
}

/// The diagnostic for a problem with a data or rule file.
pub fn problem(p: &Problem, file: &SourceFile) -> Diagnostic<()> {
    let level = if p.notice { Level::Note } else { Level::Error };
    let mut diagnostic = Diagnostic::new(level).with_code(p.code);
    diagnostic = match &p.span {
        Some(span) => {
            let mut labels = vec![Label::primary((), span.clone()).with_message(&p.label)];
            labels.extend(
                p.secondary
                    .iter()
                    .map(|(s, m)| Label::secondary((), s.clone()).with_message(m)),
            );
            diagnostic.with_message(&p.message).with_labels(labels)
        }
        None => diagnostic.with_message(format!("{}：{}", file.name, p.message)),
    };
    let mut notes = p.notes.clone();
    if let Some(help) = &p.help {
        notes.push(format!("help: {help}"));
    }
    diagnostic.with_notes(notes)
}

fn one_line(text: &str) -> String {
    crate::finding::brief(text, 80)
}

/// Writes a diagnostic about `file` to `out`, with ANSI colour if `color`. A diagnostic
/// about hostile text (huge lines or labels, terminal controls) is written from an
/// [`Excerpt`].
pub fn emit(out: &mut Vec<u8>, file: &SourceFile, diagnostic: &Diagnostic<()>, color: bool) {
    if let Err(e) = try_emit(out, file, diagnostic, color) {
        // Only a span outside the file can cause this; say so rather than lose the finding.
        out.extend_from_slice(format!("{}: {e}\n", file.name).as_bytes());
    }
}

/// The diagnostic with every text it prints made safe for a terminal: a message, label
/// or note may hold what a data or rule file holds (a key written `"\e[2J"` in quoted
/// YAML), which the terminal must not obey. The file's own lines are an [`Excerpt`]'s
/// business.
fn safe(diagnostic: &Diagnostic<()>) -> Diagnostic<()> {
    use crate::source::safe_text;
    let mut safe = diagnostic.clone();
    safe.message = safe_text(&safe.message, false).into_owned();
    if let Some(code) = &safe.code {
        safe.code = Some(safe_text(code, false).into_owned());
    }
    for label in &mut safe.labels {
        label.message = safe_text(&label.message, false).into_owned();
    }
    for note in &mut safe.notes {
        *note = safe_text(note, true).into_owned();
    }
    safe
}

/// [`emit`], or why codespan could not render the diagnostic.
pub fn try_emit(
    out: &mut Vec<u8>,
    file: &SourceFile,
    diagnostic: &Diagnostic<()>,
    color: bool,
) -> Result<(), codespan_reporting::files::Error> {
    let diagnostic = &safe(diagnostic);
    let start = out.len();
    if excerpt::needed(file, diagnostic) {
        let (excerpt, moved) = Excerpt::new(file, diagnostic);
        emit_from(out, &excerpt, &moved, color)?;
    } else {
        emit_from(out, file, diagnostic, color)?;
    }
    let place = locus(diagnostic).and_then(|byte| file.position(byte).place.map(|_| byte));
    if let Some(byte) = place {
        relocate(out, start, &file.position(byte).show(&file.name));
    }
    Ok(())
}

/// The byte codespan names in a diagnostic's `┌─ name:line:column`: the start of the
/// first primary label, or failing one of the first secondary label.
fn locus(diagnostic: &Diagnostic<()>) -> Option<usize> {
    use codespan_reporting::diagnostic::LabelStyle;
    let first = |style: LabelStyle| {
        diagnostic
            .labels
            .iter()
            .filter(|l| l.style == style)
            .map(|l| l.range.start)
            .min()
    };
    first(LabelStyle::Primary).or_else(|| first(LabelStyle::Secondary))
}

/// Rewrites the locus codespan wrote after `start` in `out` (`┌─ name:line:column`, where
/// line and column are those of the shown text) to `shown`, the position in the user's
/// terms (`┌─ 自评表.xlsx!项目支出!E6`). The locus is the rest of the first line whose
/// first mark, after the gutter and any colour code, is `┌─ `.
fn relocate(out: &mut Vec<u8>, start: usize, shown: &str) {
    const MARK: &[u8] = "┌─".as_bytes();
    let mut line_start = start;
    // The first line is the header (`error[code]: message`), which a message may fill
    // with anything; the locus line follows it.
    let mut first = true;
    while line_start < out.len() {
        let line_end = out[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(out.len(), |i| line_start + i);
        if !first {
            let mut at = line_start;
            while out.get(at) == Some(&b' ') {
                at += 1;
            }
            at = skip_escapes(out, at);
            if out[at..line_end].starts_with(MARK) {
                let mut name_at = skip_escapes(out, at + MARK.len());
                if out.get(name_at) == Some(&b' ') {
                    name_at += 1;
                }
                out.splice(name_at..line_end, shown.bytes());
                return;
            }
        }
        first = false;
        line_start = line_end + 1;
    }
}

/// The offset after the ANSI colour codes (`ESC [ … m`) at `at`.
fn skip_escapes(out: &[u8], mut at: usize) -> usize {
    while out.get(at) == Some(&0x1b) && out.get(at + 1) == Some(&b'[') {
        match out[at..].iter().position(|&b| b == b'm') {
            Some(end) => at += end + 1,
            None => break,
        }
    }
    at
}

/// Writes a diagnostic about `files` as codespan renders it.
pub fn emit_from<'f>(
    out: &mut Vec<u8>,
    files: &'f impl Files<'f, FileId = ()>,
    diagnostic: &Diagnostic<()>,
    color: bool,
) -> Result<(), codespan_reporting::files::Error> {
    let config = Config::default();
    if color {
        let styles = Styles::default();
        let mut writer = StylesWriter::new(Ansi::new(&mut *out), &styles);
        term::emit_to_write_style(&mut writer, &config, files, diagnostic)
    } else {
        term::emit_to_io_write(out, &config, files, diagnostic)
    }
}

/// Diagnostics for people: each file's problems and findings (baselined ones left out),
/// then, for a batch, the table of files with something to report, and the summary line.
pub struct Human;

impl Human {
    fn problems(out: &mut Vec<u8>, file: &SourceFile, problems: &[Problem], color: bool) {
        for p in problems {
            emit(out, file, &problem(p, file), color);
        }
    }
}

impl Render for Human {
    fn head(&self, run: &Run<'_>) -> Vec<u8> {
        // Printed even with --summary-only: a rule file that could not be used concerns
        // every file of the run, and the table, a row per data file, cannot show it.
        let mut out = Vec::new();
        for (source, problems) in run.rule_problems {
            Human::problems(&mut out, source, problems, run.color);
        }
        out
    }

    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        let mut out = Vec::new();
        if run.summary_only {
            return out;
        }
        Human::problems(&mut out, &report.source, &report.problems, run.color);
        for f in &report.findings {
            if f.status != Status::Baselined {
                emit(&mut out, &report.source, &finding(f), run.color);
            }
        }
        if report.prose {
            // A prose report says what was read, so that one that engages no rule never
            // looks like a clean one.
            out.extend_from_slice(
                format!(
                    "{}：读取数字 {} 个，其中 {} 个参与核查；{} 句结构未能识别\n\n",
                    report.source.name,
                    report.coverage.figures,
                    report.coverage.figures_checked,
                    report.unrecognised
                )
                .as_bytes(),
            );
        }
        out
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        // Likewise the decisions and baseline files' problems (a stale decision among them).
        let mut out = Vec::new();
        for (source, problems) in end.review_problems {
            Human::problems(&mut out, source, problems, run.color);
        }
        if run.summary_only || end.summary.files > 1 {
            out.extend_from_slice(table::render(end.rows, &end.summary, run.baseline).as_bytes());
        }
        out.extend_from_slice(end.summary.line().as_bytes());
        out.push(b'\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Place, PlaceSpan};

    fn workbook() -> (SourceFile, usize) {
        let text = "项目 │ 全年执行数\n年度资金总额 │ 89.97\n";
        let at = text.find("89.97").unwrap();
        let file = SourceFile::new("自评表.xlsx", text).with_places(vec![PlaceSpan {
            span: at..at + 5,
            place: Place::Cell {
                sheet: "项目支出".into(),
                row: 5,
                col: 4,
            },
        }]);
        (file, at)
    }

    #[test]
    fn a_placed_header_names_the_cell() {
        let (file, at) = workbook();
        // A message that draws the same mark as the locus must not be rewritten.
        let diagnostic = Diagnostic::error()
            .with_message("┌─ 不一致")
            .with_labels(vec![
                Label::secondary((), 0..6).with_message("表头"),
                Label::primary((), at..at + 5).with_message("执行数"),
            ]);
        for color in [false, true] {
            let mut out = Vec::new();
            emit(&mut out, &file, &diagnostic, color);
            let out = String::from_utf8(out).unwrap();
            assert!(out.contains("┌─ 不一致"), "{out}");
            assert!(out.contains(" 自评表.xlsx!项目支出!E6\n"), "{out}");
            assert!(!out.contains("自评表.xlsx:"), "{out}");
            assert!(color || out.contains("^^^^^ 执行数"), "{out}");
        }
    }

    #[test]
    fn an_unplaced_header_keeps_line_and_column() {
        let (file, _) = workbook();
        let diagnostic = Diagnostic::error()
            .with_message("m")
            .with_labels(vec![Label::primary((), 0..6)]);
        let mut out = Vec::new();
        emit(&mut out, &file, &diagnostic, false);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("┌─ 自评表.xlsx:1:1\n"), "{out}");
    }
}
