//! HTML output: one self-contained page a reviewer opens in a browser, offline.
//!
//! The page is written as the batch goes, like every format ([`Render`]): the head holds
//! the styles and the problems of rule files; each file with something to report is a
//! `<section>` of its own, written as soon as it is checked; the tail holds the summary
//! (counts, counts per rule, the per-file table) and a small script. The script moves the
//! summary to the top, makes the table sortable and filterable by severity, and opens every
//! rule's doc before printing; without it the page reads the same, the summary at the end
//! (a link at the top leads there).
//!
//! Each finding shows what a reviewer reads in the terminal, as a page: the severity as an
//! icon and a word (colour is never the only sign), the message, where it is, the source
//! excerpt with the offending figure and the figures it was compared with highlighted and
//! their labels beside them, the arithmetic, the explanation or the reviewer's decision,
//! what to do, and the rule's doc behind a disclosure.
//!
//! Text from a report is escaped, control characters are shown as visible symbols, and a
//! long line is cut to windows around the highlighted figures, so a hostile file cannot
//! run script in the page or make it huge. No template engine: the page is a few dozen
//! fixed pieces written with escaped text, which a template would not make shorter.

use super::position::{self, Pos};
use super::{End, FileProblems, FileReport, Render, Run};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::{Rule, Severity};
use crate::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Mutex;

/// The page, written file by file.
#[derive(Default)]
pub struct Html {
    /// Counts per rule: failed errors, failed warnings, explained, info, baselined.
    per_rule: Mutex<BTreeMap<String, [usize; 5]>>,
}

/// Longest line shown whole, in bytes; longer lines are cut around the highlights.
const MAX_LINE: usize = 400;
/// Bytes shown either side of a highlight on a long line.
const CONTEXT: usize = 80;
/// Most bytes of one highlight.
const MAX_MARK: usize = 200;
/// Most lines of one excerpt; past it, context lines are left out.
const MAX_EXCERPT_LINES: usize = 60;
/// Most characters of a message, note or explanation.
const MAX_TEXT: usize = 2000;

/// Text made safe for HTML content and attribute values: markup escaped, control
/// characters shown as visible symbols (␛ for ESC), characters that reorder text or break
/// lines shown as U+FFFD; at most [`MAX_TEXT`] characters, `…` where cut.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_TEXT * 3) + 8);
    for (count, c) in text.chars().enumerate() {
        if count == MAX_TEXT {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\t' | '\n' => out.push(c),
        // Control pictures: ␀ … ␟, ␡.
        c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
        '\u{7F}' => out.push('\u{2421}'),
        c if c.is_control()
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}') =>
        {
            out.push('\u{FFFD}')
        }
        c => out.push(c),
    }
}

/// A highlighted span of an excerpt: `class` is `p` (the offending figure), `s` (a figure
/// it was compared with) or `e` (the explanation).
struct Mark {
    span: Range<usize>,
    class: &'static str,
    label: String,
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The source lines around `marks`, each mark highlighted with its label beside it; long
/// lines cut to windows around the marks; a gap between shown lines marked `⋮`.
fn excerpt(out: &mut String, file: &SourceFile, marks: Vec<Mark>) {
    let text = file.text.as_str();
    if text.is_empty() || marks.is_empty() {
        return;
    }
    // Each mark cut to its first line and to MAX_MARK bytes.
    let mut marks: Vec<Mark> = marks
        .into_iter()
        .map(|mut m| {
            let start = floor(text, m.span.start);
            let line = file.line_span(file.line_index(start));
            let end = floor(text, m.span.end.min(line.end).min(start + MAX_MARK)).max(start);
            m.span = start..end;
            m
        })
        .collect();
    marks.sort_by_key(|m| (m.span.start, m.class != "p"));
    let last_line = file.line_index(text.len());
    let marked: BTreeSet<usize> = marks
        .iter()
        .map(|m| file.line_index(m.span.start))
        .collect();
    let mut lines = marked.clone();
    for &l in &marked {
        if lines.len() >= MAX_EXCERPT_LINES {
            break;
        }
        if l > 0 {
            lines.insert(l - 1);
        }
        if l < last_line {
            lines.insert(l + 1);
        }
    }
    // The keys a marked line sits under (the lines above it with less indentation), so
    // that a figure reads with its section: 基本支出 › 全年执行数.
    for &l in &marked {
        for parent in parents(file, l) {
            if lines.len() >= MAX_EXCERPT_LINES {
                break;
            }
            lines.insert(parent);
        }
    }
    // A trailing empty line (after the final line break) says nothing.
    if lines.len() > 1 && file.line_span(last_line).is_empty() {
        lines.remove(&last_line);
    }
    // One line between two shown lines is shown rather than marked as a gap.
    let single: Vec<usize> = lines
        .iter()
        .zip(lines.iter().skip(1))
        .filter(|&(a, b)| b - a == 2)
        .map(|(a, _)| a + 1)
        .collect();
    lines.extend(single);
    out.push_str("<table class=\"src\"><tbody>");
    let mut previous: Option<usize> = None;
    for &line in &lines {
        if previous.is_some_and(|p| line > p + 1) {
            out.push_str("<tr class=\"gap\"><th scope=\"row\">⋮</th><td></td></tr>");
        }
        previous = Some(line);
        let span = file.line_span(line);
        let here: Vec<&Mark> = marks
            .iter()
            .filter(|m| span.start <= m.span.start && m.span.start <= span.end)
            .collect();
        let class = if here.iter().any(|m| m.class == "p") {
            " class=\"hit\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<tr{class}><th scope=\"row\">{}</th><td>",
            position::line_number(file, line)
        );
        let windows = windows(text, &span, &here);
        let mut at = span.start;
        for window in &windows {
            if window.start > at {
                out.push_str("<span class=\"cut\">…</span>");
            }
            let mut pos = window.start;
            for m in here
                .iter()
                .filter(|m| window.start <= m.span.start && m.span.start <= window.end)
            {
                let start = m.span.start.max(pos);
                out.push_str(&escape_all(&text[pos..start]));
                let end = m.span.end.max(start);
                let label = escape(&m.label);
                // Where the source has places (a workbook's cells), the tooltip names it.
                let title = match position::at(file, m.span.start).place {
                    Some(place) => format!("{label} · {}", escape(&place.to_string())),
                    None => label.clone(),
                };
                let _ = write!(
                    out,
                    "<mark class=\"{}\" title=\"{title}\">{}</mark>",
                    m.class,
                    escape_all(&text[start..end])
                );
                if !m.label.is_empty() {
                    let _ = write!(out, "<span class=\"tag {}\">{label}</span>", m.class);
                }
                pos = end;
            }
            out.push_str(&escape_all(&text[pos..window.end.max(pos)]));
            at = window.end;
        }
        if at < span.end {
            out.push_str("<span class=\"cut\">…</span>");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// The lines a line is nested under: going up, each line with less indentation than the
/// last one found (blank lines and comments skipped), at most 8, looking at most 400
/// lines up. Text that is not indented (a sheet's rows, prose) has none.
fn parents(file: &SourceFile, line: usize) -> Vec<usize> {
    let indent = |l: usize| -> Option<usize> {
        let span = file.line_span(l);
        let text = file.text.get(span.clone())?;
        let trimmed = text.trim_start_matches(' ');
        (span.len() <= MAX_LINE && !trimmed.is_empty() && !trimmed.starts_with('#'))
            .then(|| text.len() - trimmed.len())
    };
    let Some(mut current) = indent(line) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for l in (line.saturating_sub(400)..line).rev() {
        if current == 0 || found.len() == 8 {
            break;
        }
        if let Some(i) = indent(l).filter(|&i| i < current) {
            found.push(l);
            current = i;
        }
    }
    found
}

/// [`escape`] without the length limit: the callers bound the text.
fn escape_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// The parts of a line to show: all of it when short, otherwise windows around its marks
/// (or its start, when it has none), merged where they meet.
fn windows(text: &str, span: &Range<usize>, marks: &[&Mark]) -> Vec<Range<usize>> {
    if span.len() <= MAX_LINE {
        return Vec::from([span.clone()]);
    }
    if marks.is_empty() {
        let head = span.start..floor(text, span.start + CONTEXT * 2);
        return std::iter::once(head).collect();
    }
    let mut windows: Vec<Range<usize>> = marks
        .iter()
        .map(|m| {
            floor(text, m.span.start.saturating_sub(CONTEXT).max(span.start))
                ..ceil(text, (m.span.end + CONTEXT).min(span.end))
        })
        .collect();
    windows.sort_by_key(|w| w.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    merged
}

/// The kind of a finding: for the icon, the word, the class and the filter.
fn kind(f: &Finding) -> (&'static str, &'static str, &'static str) {
    match (f.status, f.severity) {
        (Status::Explained, _) if f.explanation.as_ref().is_some_and(|e| e.decision.is_some()) => {
            ("explained", "✔", "已接受")
        }
        (Status::Explained, _) => ("explained", "✔", "已说明"),
        (Status::Baselined, _) => ("baselined", "◇", "基线内"),
        (_, Severity::Error) => ("error", "✖", "错误"),
        (_, Severity::Warning) => ("warning", "▲", "警告"),
        (_, Severity::Info) => ("info", "ℹ", "提示"),
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// The id of a file's section: `f` and a hash of its path.
fn section_id(path: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("f{hash:016x}")
}

/// A rule's doc as paragraphs, `code` spans kept.
fn doc(out: &mut String, text: &str) {
    for para in text.trim().split("\n\n") {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            for (j, piece) in line.split('`').enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<code>{}</code>", escape(piece));
                } else {
                    out.push_str(&escape(piece));
                }
            }
        }
        out.push_str("</p>");
    }
}

fn finding(out: &mut String, run: &Run<'_>, file: &SourceFile, f: &Finding) {
    let (class, icon, word) = kind(f);
    let pos = position::at(file, f.primary.span.start);
    let _ = write!(
        out,
        "<article class=\"finding {class}\" data-kind=\"{class}\">\n<h3><span class=\"sev\"><span aria-hidden=\"true\">{icon}</span> {word}</span> <span class=\"msg\">{}</span></h3>\n",
        escape(&f.message)
    );
    let _ = write!(
        out,
        "<p class=\"where\"><code class=\"rule\">{}</code>",
        escape(&f.rule)
    );
    if f.status != Status::Failed {
        let _ = write!(
            out,
            " <span class=\"was\">{}</span>",
            severity_word(f.severity)
        );
    }
    let _ = write!(out, " · {}", where_html(file, &pos));
    if !f.primary.path.is_empty() {
        let _ = write!(
            out,
            " · 数据项 <code class=\"figure\">{}</code>",
            escape(&f.primary.path)
        );
    }
    out.push_str("</p>\n");
    let mut marks = vec![Mark {
        span: f.primary.span.clone(),
        class: "p",
        label: f.primary.message.clone(),
    }];
    marks.extend(f.labels.iter().map(|l| Mark {
        span: l.span.clone(),
        class: "s",
        label: l.message.clone(),
    }));
    if let Some(e) = f.explanation.as_ref().filter(|e| e.decision.is_none()) {
        marks.push(Mark {
            span: e.label.span.clone(),
            class: "e",
            label: e.label.message.clone(),
        });
    }
    excerpt(out, file, marks);
    if !f.notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for note in &f.notes {
            let _ = write!(out, "<li>{}</li>", escape(note));
        }
        out.push_str("</ul>\n");
    }
    if let Some(e) = &f.explanation {
        match &e.decision {
            Some(d) => {
                let at = position::show(&d.file, e.label.span.start);
                let _ = writeln!(
                    out,
                    "<p class=\"explanation\"><strong>已由 {} 于 {} 接受：</strong>{}<span class=\"at\">（{}）</span></p>",
                    escape(&d.by),
                    escape(&d.date),
                    escape(&e.text),
                    escape(&at)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p class=\"explanation\"><strong>已说明：</strong>{}</p>",
                    escape(&e.text)
                );
            }
        }
    }
    if let Some(help) = &f.help {
        let _ = writeln!(
            out,
            "<p class=\"help\"><strong>建议：</strong>{}</p>",
            escape(help)
        );
    }
    if let Some(rule) = run.rules.iter().find(|r| r.id == f.rule) {
        rule_doc(out, rule);
    }
    out.push_str("</article>\n");
}

fn rule_doc(out: &mut String, rule: &Rule) {
    let _ = write!(
        out,
        "<details class=\"doc\"><summary>规则说明：{}（{}）</summary>",
        escape(&rule.title),
        severity_word(rule.severity)
    );
    let _ = write!(
        out,
        "<p class=\"check\">检查 <code>{}</code></p>",
        escape(&rule.check_text)
    );
    if let Some(text) = &rule.doc {
        doc(out, text);
    }
    out.push_str("</details>\n");
}

/// The position as a person cites it, in a `<span class="at">`.
fn where_html(file: &SourceFile, pos: &Pos) -> String {
    format!(
        "<span class=\"at\">{}</span>",
        escape(&pos.show(&file.name))
    )
}

fn problem(out: &mut String, file: &SourceFile, p: &Problem) {
    let (class, icon, word) = if p.notice {
        ("notice", "ℹ", "通知")
    } else {
        ("problem", "✖", "问题")
    };
    let _ = write!(
        out,
        "<article class=\"finding {class}\" data-kind=\"{class}\">\n<h3><span class=\"sev\"><span aria-hidden=\"true\">{icon}</span> {word}</span> <span class=\"msg\">{}</span></h3>\n<p class=\"where\"><code class=\"rule\">{}</code>",
        escape(&p.message),
        escape(p.code)
    );
    match &p.span {
        Some(span) => {
            let _ = writeln!(
                out,
                " · {}</p>",
                where_html(file, &position::at(file, span.start))
            );
            let mut marks = vec![Mark {
                span: span.clone(),
                class: "p",
                label: p.label.clone(),
            }];
            marks.extend(p.secondary.iter().map(|(s, m)| Mark {
                span: s.clone(),
                class: "s",
                label: m.clone(),
            }));
            excerpt(out, file, marks);
        }
        None => {
            let _ = writeln!(
                out,
                " · <span class=\"at\">{}</span></p>",
                escape(&file.name)
            );
        }
    }
    if !p.notes.is_empty() {
        out.push_str("<ul class=\"notes\">");
        for note in &p.notes {
            let _ = write!(out, "<li>{}</li>", escape(note));
        }
        out.push_str("</ul>\n");
    }
    if let Some(help) = &p.help {
        let _ = writeln!(
            out,
            "<p class=\"help\"><strong>建议：</strong>{}</p>",
            escape(help)
        );
    }
    out.push_str("</article>\n");
}

/// The kinds a file's section holds, for the filter: `error warning …`.
fn kinds_of(report: &FileReport) -> String {
    let mut kinds = BTreeSet::new();
    for f in &report.findings {
        kinds.insert(kind(f).0);
    }
    for p in &report.problems {
        kinds.insert(if p.notice { "notice" } else { "problem" });
    }
    kinds.into_iter().collect::<Vec<_>>().join(" ")
}

/// The problems of files other than data files (rule files, decisions, baselines).
fn problem_files(out: &mut String, heading: &str, files: &[FileProblems]) {
    if files.iter().all(|(_, p)| p.is_empty()) {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"file other\" data-kinds=\"problem\"><h2>{heading}</h2>"
    );
    for (source, problems) in files {
        let _ = writeln!(out, "<h3 class=\"path\">{}</h3>", escape(&source.name));
        for p in problems {
            problem(out, source, p);
        }
    }
    out.push_str("</section>\n");
}

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

impl Render for Html {
    fn head(&self, run: &Run<'_>) -> Vec<u8> {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"hecha {}\">\n<title>hecha 核查报告</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#summary\">跳到汇总</a>\n<header>\n<h1>核查报告</h1>\n<p class=\"meta\">hecha {} · {} 条规则<span class=\"nojs\"> · <a href=\"#summary\">汇总在页末</a></span></p>\n</header>\n<main>\n",
            env!("CARGO_PKG_VERSION"),
            env!("CARGO_PKG_VERSION"),
            run.rules.len()
        );
        problem_files(&mut out, "规则文件的问题", run.rule_problems);
        out.into_bytes()
    }

    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        if report.findings.is_empty() && report.problems.is_empty() {
            return Vec::new();
        }
        {
            let mut per_rule = self.per_rule.lock().unwrap_or_else(|e| e.into_inner());
            for f in &report.findings {
                let counts = per_rule.entry(f.rule.clone()).or_default();
                let i = match kind(f).0 {
                    "error" => 0,
                    "warning" => 1,
                    "explained" => 2,
                    "info" => 3,
                    _ => 4,
                };
                counts[i] += 1;
            }
        }
        let file = &report.source;
        let counts = super::Summary::of(report);
        let mut out = String::new();
        let _ = write!(
            out,
            "<section class=\"file\" id=\"{}\" data-kinds=\"{}\">\n<h2 class=\"path\">{}</h2>\n<p class=\"counts\">{}</p>\n",
            section_id(&file.name),
            kinds_of(report),
            escape(&file.name),
            counts_line(&counts)
        );
        for p in &report.problems {
            problem(&mut out, file, p);
        }
        for f in &report.findings {
            finding(&mut out, run, file, f);
        }
        out.push_str("</section>\n");
        out.into_bytes()
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let mut out = String::new();
        problem_files(&mut out, "审核决定与基线文件的问题", end.review_problems);
        out.push_str("</main>\n");
        summary(
            &mut out,
            run,
            end,
            &self.per_rule.lock().unwrap_or_else(|e| e.into_inner()),
        );
        let _ = write!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>\n");
        out.into_bytes()
    }
}

/// `错误 1 · 警告 0 · …`, the counts that are not zero (and errors and warnings always).
fn counts_line(c: &super::Summary) -> String {
    let mut parts = vec![
        format!("<span class=\"n error\">错误 {}</span>", c.errors),
        format!("<span class=\"n warning\">警告 {}</span>", c.warnings),
    ];
    for (class, word, n) in [
        ("explained", "已说明", c.explained),
        ("info", "提示", c.info),
        ("problem", "问题", c.problems),
        ("baselined", "基线内", c.baselined),
    ] {
        if n > 0 {
            parts.push(format!("<span class=\"n {class}\">{word} {n}</span>"));
        }
    }
    parts.join(" · ")
}

fn summary(
    out: &mut String,
    run: &Run<'_>,
    end: &End<'_>,
    per_rule: &BTreeMap<String, [usize; 5]>,
) {
    let s = &end.summary;
    let verdict = match end.exit_code {
        0 => ("pass", "✔ 通过：没有使核查失败的发现"),
        1 => ("fail", "✖ 未通过：有须改正或说明的发现"),
        _ => ("broken", "✖ 有文件或规则无法使用"),
    };
    let _ = write!(
        out,
        "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">汇总</h2>\n<p class=\"verdict {}\">{}</p>\n<p class=\"line\">{}</p>\n<dl class=\"totals\">",
        verdict.0,
        verdict.1,
        escape(&s.line())
    );
    for (class, word, n) in [
        ("files", "文件", s.files),
        ("error", "错误", s.errors),
        ("warning", "警告", s.warnings),
        ("explained", "已说明", s.explained),
        ("info", "提示", s.info),
        ("problem", "问题", s.problems),
        ("baselined", "基线内", s.baselined),
        ("stale", "过时的审核决定", s.stale),
    ] {
        if n > 0
            || matches!(
                class,
                "files" | "error" | "warning" | "explained" | "problem"
            )
        {
            let _ = write!(
                out,
                "<div class=\"{class}\"><dt>{word}</dt><dd>{n}</dd></div>"
            );
        }
    }
    out.push_str("</dl>\n");

    // Files.
    out.push_str("<h3>文件</h3>\n");
    if end.rows.is_empty() {
        out.push_str("<p>没有文件有发现或问题。</p>\n");
    } else {
        out.push_str("<div id=\"filter\" class=\"filter\" hidden><span>显示含有：</span>");
        for (value, word) in [
            ("error", "✖ 错误"),
            ("warning", "▲ 警告"),
            ("explained", "✔ 已说明"),
            ("info", "ℹ 提示"),
            ("problem", "✖ 问题"),
            ("notice", "ℹ 通知"),
            ("baselined", "◇ 基线内"),
        ] {
            let _ = write!(
                out,
                "<label><input type=\"checkbox\" value=\"{value}\" checked> {word}</label>"
            );
        }
        out.push_str("<span class=\"shown\" aria-live=\"polite\"></span></div>\n");
        out.push_str("<table class=\"files sortable\"><thead><tr><th scope=\"col\" data-type=\"text\">文件</th><th scope=\"col\">错误</th><th scope=\"col\">警告</th><th scope=\"col\">已说明</th><th scope=\"col\">提示</th><th scope=\"col\">问题</th>");
        if run.baseline {
            out.push_str("<th scope=\"col\">基线内</th>");
        }
        out.push_str("</tr></thead><tbody>\n");
        for row in end.rows {
            let c = &row.counts;
            let mut kinds = Vec::new();
            for (k, n) in [
                ("error", c.errors),
                ("warning", c.warnings),
                ("explained", c.explained),
                ("info", c.info),
                ("problem", c.problems),
                ("baselined", c.baselined),
            ] {
                if n > 0 {
                    kinds.push(k);
                }
            }
            if kinds.is_empty() {
                kinds.push("notice");
            }
            let _ = write!(
                out,
                "<tr data-kinds=\"{}\"><th scope=\"row\"><a href=\"#{}\">{}</a></th>",
                kinds.join(" "),
                section_id(&row.path),
                escape(&row.path)
            );
            let mut cells = vec![c.errors, c.warnings, c.explained, c.info, c.problems];
            if run.baseline {
                cells.push(c.baselined);
            }
            for n in cells {
                let zero = if n == 0 { " class=\"zero\"" } else { "" };
                let _ = write!(out, "<td{zero}>{n}</td>");
            }
            out.push_str("</tr>\n");
        }
        let _ = write!(
            out,
            "</tbody><tfoot><tr><th scope=\"row\">合计：{} 个文件，其余 {} 个无发现</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            s.files,
            s.files.saturating_sub(end.rows.len()),
            s.errors,
            s.warnings,
            s.explained,
            s.info,
            s.problems
        );
        if run.baseline {
            let _ = write!(out, "<td>{}</td>", s.baselined);
        }
        out.push_str("</tr></tfoot></table>\n");
    }

    // Rules.
    out.push_str("<h3>各规则的发现</h3>\n");
    if per_rule.is_empty() {
        out.push_str("<p>没有规则有发现。</p>\n");
    } else {
        out.push_str("<table class=\"rules sortable\"><thead><tr><th scope=\"col\" data-type=\"text\">规则</th><th scope=\"col\" data-type=\"text\">标题</th><th scope=\"col\">错误</th><th scope=\"col\">警告</th><th scope=\"col\">已说明</th><th scope=\"col\">提示</th><th scope=\"col\">基线内</th></tr></thead><tbody>\n");
        // In rule order, then rules no longer in the run (none today).
        let ordered = run.rules.iter().filter_map(|r| {
            per_rule
                .get(&r.id)
                .map(|c| (r.id.as_str(), r.title.as_str(), c))
        });
        for (id, title, c) in ordered {
            let _ = write!(
                out,
                "<tr><th scope=\"row\"><code>{}</code></th><td class=\"title\">{}</td>",
                escape(id),
                escape(title)
            );
            for &n in c {
                let zero = if n == 0 { " class=\"zero\"" } else { "" };
                let _ = write!(out, "<td{zero}>{n}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_shows_controls() {
        assert_eq!(
            escape("<script>alert('x')</script>&\u{1b}[2J\u{202e}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\u{241b}[2J\u{FFFD}"
        );
        assert_eq!(
            escape(&"长".repeat(MAX_TEXT + 5)).chars().count(),
            MAX_TEXT + 1
        );
    }

    #[test]
    fn a_long_line_is_windowed_around_the_marks() {
        let text = format!(
            "a: [{}7, {}]\n",
            "1, ".repeat(300_000),
            "2, ".repeat(300_000)
        );
        let file = SourceFile::new("long.json", text.clone());
        let at = text.find('7').unwrap();
        let mut out = String::new();
        excerpt(
            &mut out,
            &file,
            vec![Mark {
                span: at..at + 1,
                class: "p",
                label: "<b>这里</b>".into(),
            }],
        );
        assert!(out.len() < 2000, "{}", out.len());
        assert!(
            out.contains("<mark class=\"p\" title=\"&lt;b&gt;这里&lt;/b&gt;\">7</mark>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"cut\">…</span>, 1, 1,"), "{out}");
        assert!(
            out.ends_with("2, <span class=\"cut\">…</span></td></tr></tbody></table>\n"),
            "{out}"
        );
    }

    #[test]
    fn marks_on_chinese_lines_highlight_the_literal() {
        let text = "名称: 信访\n交办: 59件\n办结: 61件\n说明: 无\n";
        let file = SourceFile::new("a.yaml", text);
        let p = text.find("61件").unwrap();
        let s = text.find("59件").unwrap();
        let mut out = String::new();
        excerpt(
            &mut out,
            &file,
            vec![
                Mark {
                    span: p..p + "61件".len(),
                    class: "p",
                    label: "超过交办".into(),
                },
                Mark {
                    span: s..s + "59件".len(),
                    class: "s",
                    label: "交办 59 件".into(),
                },
            ],
        );
        assert!(
            out.contains(
                "<th scope=\"row\">3</th><td>办结: <mark class=\"p\" title=\"超过交办\">61件</mark>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<mark class=\"s\" title=\"交办 59 件\">59件</mark>"),
            "{out}"
        );
        // One line of context either side: 名称 and 说明.
        assert!(
            out.contains("名称: 信访") && out.contains("说明: 无"),
            "{out}"
        );
    }

    #[test]
    fn a_figure_reads_with_the_keys_it_sits_under() {
        let text = "年度资金总额:\n  全年执行数: 715.80万元\n基本支出:\n  # 按支出性质划分\n\n  全年预算数: 436.52万元\n  全年执行数: 436.52万元\n";
        let file = SourceFile::new("a.yaml", text);
        let at = text.rfind("436.52").unwrap();
        assert_eq!(parents(&file, file.line_index(at)), [2]);
        let mut out = String::new();
        excerpt(
            &mut out,
            &file,
            vec![Mark {
                span: at..at + 6,
                class: "s",
                label: String::new(),
            }],
        );
        assert!(
            out.contains("<th scope=\"row\">3</th><td>基本支出:</td>"),
            "{out}"
        );
        assert!(!out.contains("年度资金总额"), "{out}");
        // Rows of a sheet are not indented: nothing is added.
        let grid = SourceFile::new("s", "交办 │ 办结\n20 │ 21\n");
        assert!(parents(&grid, 1).is_empty());
    }
}
