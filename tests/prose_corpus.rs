//! The prose corpus (tests/prose/corpus.txt): sentences as reports write them, clean and
//! broken, each with the findings the built-in packs must give when the sentence is read
//! as a report, how many sentences the reader must leave unchecked, and parts of the tree
//! it must read. Every recognised pattern and every refusal is pinned here.
//!
//! A case:
//!
//! ```text
//! 句 交办102件，办结92件，办结率90%。        the text (⏎ starts a new paragraph)
//! 得 无 | rule/id, rule/id                  failed findings, in any order
//! 未 1                                      sentences left unchecked (default 0)
//! 树 交办 = 102件                           a line the tree dump must end with (any number)
//! 非 交办 = 400件                           a line the tree dump must not end with
//! 问 无 | code, code                        the reader's problem codes (checked when given)
//! ```

use hecha::engine::Engine;
use hecha::finding::Status;
use hecha::read::prose::lexicon::Lexicon;
use hecha::read::prose::read_text;
use hecha::report::{NodeId, Report, Value};
use hecha::rules::RuleSet;
use std::collections::BTreeSet;

struct Case {
    line: usize,
    text: String,
    findings: BTreeSet<String>,
    unrecognised: usize,
    tree: Vec<String>,
    not_tree: Vec<String>,
    problems: Option<BTreeSet<String>>,
}

fn cases() -> Vec<Case> {
    let corpus = include_str!("prose/corpus.txt");
    let mut out: Vec<Case> = Vec::new();
    for (i, line) in corpus.lines().enumerate() {
        let Some((tag, rest)) = line.split_once(' ') else {
            assert!(
                line.is_empty() || line.starts_with('#'),
                "line {}: {line}",
                i + 1
            );
            continue;
        };
        match tag {
            "句" => out.push(Case {
                line: i + 1,
                text: rest.replace('⏎', "\n") + "\n",
                findings: BTreeSet::new(),
                unrecognised: 0,
                tree: Vec::new(),
                not_tree: Vec::new(),
                problems: None,
            }),
            "得" => {
                let case = out.last_mut().expect("a sentence first");
                if rest.trim() != "无" {
                    case.findings = rest
                        .split([',', '，'])
                        .map(|s| s.trim().to_string())
                        .collect();
                }
            }
            "未" => {
                out.last_mut().expect("a sentence first").unrecognised =
                    rest.trim().parse().unwrap()
            }
            "树" => out
                .last_mut()
                .expect("a sentence first")
                .tree
                .push(rest.trim().to_string()),
            "非" => out
                .last_mut()
                .expect("a sentence first")
                .not_tree
                .push(rest.trim().to_string()),
            "问" => {
                out.last_mut().expect("a sentence first").problems = Some(
                    rest.split([',', '，'])
                        .map(|s| s.trim().to_string())
                        .filter(|s| s != "无")
                        .collect(),
                )
            }
            _ if tag.starts_with('#') => {}
            _ => panic!("line {}: unknown tag {tag}", i + 1),
        }
    }
    out
}

fn dump(report: &Report, id: NodeId, out: &mut Vec<String>) {
    match &report.node(id).value {
        Value::Scalar(s) => out.push(format!("{} = {}", report.path(id), s.text)),
        _ => {
            for &c in report.children(id) {
                dump(report, c, out);
            }
        }
    }
}

#[test]
fn the_corpus_reads_as_expected() {
    let rules = RuleSet::builtin();
    let engine = Engine::new(&rules.rules);
    let lexicon = Lexicon::builtin();
    let cases = cases();
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let reading = read_text(&case.text, &lexicon);
        let found: BTreeSet<String> = engine
            .check(&reading.report)
            .into_iter()
            .filter(|f| f.status == Status::Failed)
            .map(|f| f.rule)
            .collect();
        let mut lines = Vec::new();
        for &r in &reading.report.roots {
            dump(&reading.report, r, &mut lines);
        }
        let mut wrong = Vec::new();
        if found != case.findings {
            wrong.push(format!("findings {found:?}, expected {:?}", case.findings));
        }
        if reading.unrecognised != case.unrecognised {
            wrong.push(format!(
                "unrecognised {}, expected {}",
                reading.unrecognised, case.unrecognised
            ));
        }
        if let Some(expected) = &case.problems {
            let codes: BTreeSet<String> = reading
                .problems
                .iter()
                .map(|p| p.code.to_string())
                .collect();
            if &codes != expected {
                wrong.push(format!("problems {codes:?}, expected {expected:?}"));
            }
        }
        for t in &case.tree {
            if !lines.iter().any(|l| l.ends_with(t.as_str())) {
                wrong.push(format!("no line ending 「{t}」"));
            }
        }
        for t in &case.not_tree {
            if lines.iter().any(|l| l.ends_with(t.as_str())) {
                wrong.push(format!("a line ends 「{t}」"));
            }
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "corpus.txt:{}: {}\n  {}\n  tree:\n    {}",
                case.line,
                case.text.trim(),
                wrong.join("\n  "),
                lines.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
