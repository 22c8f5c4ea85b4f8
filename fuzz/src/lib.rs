//! What the fuzz targets check beyond "no panic": every span a diagnostic will underline
//! lies within its file and on character boundaries (a wrong span silently underlines the
//! wrong text), and every diagnostic renders, as text, JSON, SARIF and JUnit.

use codespan_reporting::diagnostic::Diagnostic;
use hecha::finding::FailOn;
use hecha::pipeline::FileReport;
use hecha::problem::Problem;
use hecha::read::yaml::{Limits, load};
use hecha::render::excerpt::Excerpt;
use hecha::render::human::Human;
use hecha::render::json::Json;
use hecha::render::junit::Junit;
use hecha::render::sarif::Sarif;
use hecha::render::{End, Render, Row, Run, Summary, human};
use hecha::report::{Place, Report};
use hecha::rules::{BUILTIN_PACKS, RuleSet};
use hecha::source::SourceFile;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The loader's limits, with a node budget small enough that one input stays fast; the
/// code paths are those of the defaults.
pub fn limits() -> Limits {
    Limits {
        max_nodes: 50_000,
        ..Limits::default()
    }
}

/// The engine's step budget per report, small enough that one input stays fast.
pub const MAX_STEPS: u64 = 2_000_000;

/// Panics unless `span` is a range of `text` on character boundaries.
pub fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on character boundaries"
    );
}

/// Every node and key span of a report tree lies within `text`.
pub fn assert_tree(report: &Report, text: &str) {
    for &root in &report.roots {
        for id in report.descendants(root) {
            let node = report.node(id);
            assert_span(text, &node.span, "node");
            if let Place::Key(key) = &node.place {
                assert_span(text, &key.span, "key");
            }
            assert_span(text, &report.label_span(id), "label span");
            let _ = report.path(id);
        }
    }
}

pub fn assert_problems(source: &SourceFile, problems: &[Problem]) {
    for p in problems {
        if let Some(span) = &p.span {
            assert_span(&source.text, span, p.code);
        }
        for (span, _) in &p.secondary {
            assert_span(&source.text, span, p.code);
        }
        render(source, &human::problem(p, source));
    }
}

/// Renders a diagnostic as the CLI does, with and without colour, and from an excerpt
/// whether or not it needs one; fails if codespan refuses any of them.
pub fn render(source: &SourceFile, diagnostic: &Diagnostic<()>) {
    for color in [false, true] {
        let mut out = Vec::new();
        human::try_emit(&mut out, source, diagnostic, color)
            .unwrap_or_else(|e| panic!("diagnostic does not render: {e}: {diagnostic:?}"));
        if !color {
            assert_printable(&out, "human output");
        }
    }
    let (excerpt, moved) = Excerpt::new(source, diagnostic);
    for label in &moved.labels {
        assert_span(&excerpt_text(&excerpt), &label.range, "excerpt label");
    }
    let mut out = Vec::new();
    human::emit_from(&mut out, &excerpt, &moved, false)
        .unwrap_or_else(|e| panic!("excerpt does not render: {e}: {diagnostic:?}"));
}

/// Panics if text printed for people holds a character a terminal would act on: every
/// control character but the line break and tab, bidirectional overrides.
pub fn assert_printable(out: &[u8], what: &str) {
    let text = String::from_utf8_lossy(out);
    if let Some(c) = text
        .chars()
        .find(|&c| c != '\n' && c != '\t' && hecha::source::is_unsafe_char(c) || c == '\r')
    {
        panic!("{what} holds {c:?}: {text:?}");
    }
}

fn excerpt_text(excerpt: &Excerpt<'_>) -> String {
    use codespan_reporting::files::Files;
    excerpt.source(()).expect("an excerpt has text").to_string()
}

/// Every span of a checked file is valid, and the file renders as text and as JSON.
pub fn assert_file_report(report: &FileReport) {
    let text = &report.source.text;
    assert_problems(&report.source, &report.problems);
    for f in &report.findings {
        assert_span(text, &f.primary.span, &f.rule);
        for l in &f.labels {
            assert_span(text, &l.span, &f.rule);
        }
        if let Some(e) = &f.explanation {
            assert_span(text, &e.label.span, &f.rule);
        }
        render(&report.source, &human::finding(f));
    }
    for (format, out) in [
        ("JSON", whole_run(&Json, report)),
        ("SARIF", whole_run(&Sarif::default(), report)),
        ("GitLab", whole_run(&hecha::render::gitlab::Gitlab, report)),
    ] {
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap_or_else(|e| panic!("{format} output does not parse: {e}\n{out}"));
    }
    assert_printable(
        whole_run(&Human, report).as_bytes(),
        "the run's human output",
    );
    let junit = whole_run(&Junit::default(), report);
    assert!(junit.starts_with("<?xml"), "JUnit output: {junit}");
    // The page holds no script but its own, and no raw control character.
    let html = whole_run(&hecha::render::html::Html::default(), report);
    assert_eq!(html.matches("<script").count(), 1, "HTML output: {html}");
    assert!(
        !html.contains(|c: char| c.is_control() && c != '\n' && c != '\t'),
        "HTML output holds a control character"
    );
    let github = whole_run(&hecha::render::github::Github, report);
    assert!(
        github.lines().all(|l| !l.contains('\r')),
        "a workflow command is one line"
    );
}

/// The output of a run that checked only `report`, in `format`, as the CLI streams it.
fn whole_run(format: &dyn Render, report: &FileReport) -> String {
    let rules = &builtin_rules().rules;
    let run = Run {
        rules,
        rule_problems: &[],
        fail_on: FailOn::default(),
        baseline: false,
        summary_only: false,
        color: false,
    };
    let summary = Summary::of(report);
    let rows = [Row {
        path: report.source.name.clone(),
        counts: summary,
    }];
    let part = format.file(&run, report);
    let end = End {
        summary,
        rows: &rows,
        review_problems: &[],
        exit_code: 0,
        parts: !part.is_empty(),
    };
    let mut out = format.head(&run);
    out.extend(part);
    out.extend(format.tail(&run, &end));
    String::from_utf8(out).expect("output is UTF-8")
}

/// The built-in packs, compiled once.
pub fn builtin_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules = RuleSet::builtin();
        assert!(rules.problems.is_empty(), "{:?}", rules.problems);
        assert_eq!(rules.rules.is_empty(), BUILTIN_PACKS.is_empty());
        rules
    })
}

/// Report data for the targets that fuzz rules and expressions: a real sample, and
/// figures at the edges of what a decimal holds.
pub const DATA: &str = concat!(
    include_str!("../../samples/dongan-2018-special-fund.yaml"),
    "\n---\n",
    include_str!("edges.yaml"),
);

/// [`DATA`] as a source file and a fresh tree (each run gets its own step budget).
pub fn data() -> (Arc<SourceFile>, Report) {
    static SOURCE: OnceLock<Arc<SourceFile>> = OnceLock::new();
    let source = SOURCE.get_or_init(|| Arc::new(SourceFile::new("data.yaml", DATA)));
    let loaded = load(&source.text, &limits());
    let report = loaded.report.expect("the fuzz data loads");
    (Arc::clone(source), report)
}
