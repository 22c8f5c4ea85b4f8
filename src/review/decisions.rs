//! Reviewer decisions (`--decisions FILE`): findings a reviewer accepts, with the reason,
//! who and when, kept in a YAML (or JSON) file of the reviewer's:
//!
//! ```yaml
//! decisions:
//!   - rule: budget/executed-exceeds-budget
//!     file: 2024/dongan.yaml          # relative to this file's folder
//!     figure: 预算执行.执行            # the finding's figure path, as hecha prints it
//!     reason: 追加预算已经县政府常务会议批准
//!     by: 李审核
//!     date: 2025-03-02
//! ```
//!
//! Every field is required. A finding whose rule, file and figure path match a decision is
//! reported as explained, with the reviewer's reason; it no longer fails the run, whatever
//! its severity (the reviewer has the authority the report itself lacks for errors). A
//! decision about a file that was checked but that matches no finding is stale: reported
//! as a notice, pointing at the decision, so the reviewer can remove it. Decisions about
//! files not in the run are left alone.

use super::records::{Record, Shape, read};
use super::{Reviewed, absolute, folder_of};
use crate::finding::{Decision, Explanation, Label, Status};
use crate::pipeline::FileReport;
use crate::problem::{Problem, similar};
use crate::rules::Rule;
use crate::source::SourceFile;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SHAPE: Shape = Shape {
    what: "审核决定文件",
    list: "decisions",
    other: &["version"],
    fields: &[
        ("rule", true),
        ("file", true),
        ("figure", true),
        ("reason", true),
        ("by", true),
        ("date", true),
    ],
};

/// The decisions of one file.
#[derive(Debug)]
pub struct Decisions {
    source: Arc<SourceFile>,
    entries: Vec<Entry>,
    /// Entries by the file they are about.
    by_file: HashMap<PathBuf, Vec<usize>>,
}

#[derive(Debug)]
struct Entry {
    rule: String,
    figure: String,
    reason: String,
    reason_span: Range<usize>,
    by: String,
    date: String,
    span: Range<usize>,
    file_text: String,
}

impl Decisions {
    /// Reads a decisions file. Decisions with a problem are left out; an unknown rule id,
    /// or a file that does not exist, is a notice (the decision then matches nothing).
    pub fn load(source: Arc<SourceFile>, rules: &[Rule]) -> (Decisions, Vec<Problem>) {
        let (records, mut problems) = read(&source, &SHAPE);
        let folder = folder_of(Path::new(&source.name));
        let mut decisions = Decisions {
            source,
            entries: Vec::new(),
            by_file: HashMap::new(),
        };
        for record in records {
            if let Some(problem) = date_problem(&record) {
                problems.push(problem);
                continue;
            }
            let rule = record.get("rule");
            if !rules.iter().any(|r| r.id == rule) {
                let problem = Problem::new("unknown-rule", format!("没有 id 为「{rule}」的规则"))
                    .at(record.span("rule"), "未知规则")
                    .as_notice();
                problems.push(match similar(rule, rules.iter().map(|r| r.id.as_str())) {
                    Some(s) => problem.with_help(format!("有名称相近的规则「{s}」")),
                    None => problem.with_note("这条决定不会对应任何发现"),
                });
                continue;
            }
            let file = absolute(&folder.join(record.get("file")));
            if !file.is_file() {
                problems.push(
                    Problem::new(
                        "missing-file",
                        format!("找不到文件「{}」", record.get("file")),
                    )
                    .at(record.span("file"), "文件不存在")
                    .with_note(format!("按审核决定文件所在的目录解析为 {}", file.display()))
                    .with_help("file 写相对于审核决定文件所在目录的路径")
                    .as_notice(),
                );
            }
            decisions
                .by_file
                .entry(file)
                .or_default()
                .push(decisions.entries.len());
            decisions.entries.push(Entry {
                rule: rule.to_string(),
                figure: record.get("figure").to_string(),
                reason: record.get("reason").to_string(),
                reason_span: record.span("reason"),
                by: record.get("by").to_string(),
                date: record.get("date").to_string(),
                file_text: record.get("file").to_string(),
                span: record.span,
            });
        }
        (decisions, problems)
    }

    pub fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    /// Marks the findings of the file at `path` that decisions accept as explained.
    pub(super) fn apply(&self, path: &Path, report: &mut FileReport, reviewed: &mut Reviewed) {
        let Some(indices) = self.by_file.get(path) else {
            return;
        };
        for &index in indices {
            let entry = &self.entries[index];
            if report.checked {
                reviewed.judged.push(index);
            }
            let mut matched = false;
            for f in &mut report.findings {
                if f.rule != entry.rule || f.primary.path != entry.figure {
                    continue;
                }
                matched = true;
                if f.status == Status::Failed {
                    f.status = Status::Explained;
                    f.explanation = Some(Explanation {
                        text: entry.reason.clone(),
                        label: Label {
                            path: entry.figure.clone(),
                            span: entry.reason_span.clone(),
                            message: "审核意见".to_string(),
                        },
                        decision: Some(Decision {
                            file: Arc::clone(&self.source),
                            by: entry.by.clone(),
                            date: entry.date.clone(),
                        }),
                    });
                }
            }
            if matched {
                reviewed.matched.push(index);
            } else if report.checked
                && let Some(near) = near_finding(entry, &report.findings)
            {
                reviewed.near.push((index, near));
            }
        }
    }

    /// A notice for each decision that was judged and matched nothing.
    pub fn stale(
        &self,
        judged: &[bool],
        matched: &[bool],
        near: &[Option<String>],
    ) -> Vec<Problem> {
        self.entries
            .iter()
            .enumerate()
            .filter(|&(i, _)| judged[i] && !matched[i])
            .map(|(i, e)| {
                let problem = Problem::new("stale-decision", "审核决定已不对应任何发现")
                    .at(e.span.clone(), "这条决定")
                    .with_note(format!(
                        "{} 中「{}」处没有规则 {} 的发现",
                        e.file_text, e.figure, e.rule
                    ));
                match near.get(i).and_then(Option::as_ref) {
                    Some(path) => problem
                        .with_note(format!("该文件在相近的「{path}」处有这条规则的发现"))
                        .with_help(format!(
                            "数字在数据中的路径已变的，把 figure 改为「{path}」；否则删去这条决定"
                        )),
                    None => problem
                        .with_help("数据已改正，或数字在数据中的路径已变：删去或更新这条决定"),
                }
                .as_notice()
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The figure path of a finding of the decision's rule close to the decision's: a few
/// edits away, or the same path under another parent (`预算执行.执行` moved under `县本级`).
fn near_finding(entry: &Entry, findings: &[crate::finding::Finding]) -> Option<String> {
    let paths: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == entry.rule)
        .map(|f| f.primary.path.as_str())
        .collect();
    let moved = paths.iter().find(|p| {
        p.strip_suffix(entry.figure.as_str())
            .is_some_and(|before| before.ends_with('.'))
            || entry
                .figure
                .strip_suffix(**p)
                .is_some_and(|before| before.ends_with('.'))
    });
    moved
        .copied()
        .or_else(|| crate::problem::similar(&entry.figure, paths.iter().copied()))
        .map(str::to_string)
}

/// A date must be written `YYYY-MM-DD`.
fn date_problem(record: &Record) -> Option<Problem> {
    let date = record.get("date");
    let parts: Vec<&str> = date.split('-').collect();
    let valid = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
            && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)));
    (!valid).then(|| {
        Problem::new("invalid-date", format!("日期「{date}」应写作 YYYY-MM-DD"))
            .at(record.span("date"), "日期格式不符")
            .with_help("例如 2025-03-02")
    })
}
