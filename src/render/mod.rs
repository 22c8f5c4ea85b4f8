//! Rendering: findings and problems → text for people (codespan) or documents for
//! programs (JSON, SARIF, JUnit XML, GitHub annotations, GitLab Code Quality), or a page
//! for a browser (HTML). Every renderer takes the same data; none decides
//! anything.
//!
//! A run is rendered as a stream, so that a batch of thousands of files needs memory for
//! the files in flight only: a [`Render`] writes a head, then one part per file (made on
//! the worker thread that checked the file, written in path order), then a tail with
//! what is known only at the end (the summary, stale decisions).

pub mod excerpt;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod position;
pub mod sarif;
pub mod statistics;
pub mod table;

use crate::coverage::Coverage;
use crate::finding::{FailOn, Status};
use crate::problem::Problem;
use crate::rules::{Rule, Severity};
use crate::source::SourceFile;
use std::sync::Arc;

use crate::pipeline::FileReport;

/// Problems of one input file other than a data file: a rule file, a decisions file.
pub type FileProblems = (Arc<SourceFile>, Vec<Problem>);

/// Counts over a run, or over one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub(crate) files: usize,
    /// Failed error findings.
    pub(crate) errors: usize,
    /// Failed warning findings.
    pub(crate) warnings: usize,
    /// Findings the report explains or a reviewer accepted.
    pub(crate) explained: usize,
    pub(crate) info: usize,
    /// Files or rules that could not be used (fully).
    pub(crate) problems: usize,
    /// Findings known from the baseline (`--baseline`), which do not fail the run.
    pub(crate) baselined: usize,
    /// Reviewer decisions that no longer match a finding (`--decisions`).
    pub(crate) stale: usize,
    /// Files that were read but to which no rule check applied.
    pub(crate) untouched: usize,
    /// Figures read, figures the rules checked, and checks applied, over the files.
    pub(crate) coverage: Coverage,
}

impl Summary {
    /// The counts of one file.
    pub fn of(report: &FileReport) -> Summary {
        let mut summary = Summary::default();
        summary.add_file(report);
        summary
    }

    pub fn add_file(&mut self, report: &FileReport) {
        self.files += 1;
        for f in &report.findings {
            match (f.status, f.severity) {
                (Status::Explained, _) => self.explained += 1,
                (Status::Baselined, _) => self.baselined += 1,
                (_, Severity::Error) => self.errors += 1,
                (_, Severity::Warning) => self.warnings += 1,
                (_, Severity::Info) => self.info += 1,
            }
        }
        self.add_problems(&report.problems);
        if report
            .problems
            .iter()
            .any(|p| crate::pipeline::UNCHECKED.contains(&p.code))
        {
            self.untouched += 1;
        }
        self.coverage.add(&report.coverage);
    }

    pub fn add_problems(&mut self, problems: &[Problem]) {
        self.problems += problems.iter().filter(|p| !p.notice).count();
    }

    /// Adds the counts of another summary.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.explained += other.explained;
        self.info += other.info;
        self.problems += other.problems;
        self.baselined += other.baselined;
        self.stale += other.stale;
        self.untouched += other.untouched;
        self.coverage.add(&other.coverage);
    }

    /// Whether there is anything to say about the file or run beyond "checked".
    pub fn is_clean(&self) -> bool {
        self.errors + self.warnings + self.explained + self.info + self.problems + self.baselined
            == 0
    }

    /// Whether the findings counted make a run with this threshold fail.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Error => self.errors > 0,
            FailOn::Warning => self.errors + self.warnings > 0,
            FailOn::Never => false,
        }
    }

    /// The line a person reads last.
    pub fn line(&self) -> String {
        let mut line = format!(
            "检查了 {} 个文件：错误 {} 项，警告 {} 项，已说明 {} 项，提示 {} 项",
            self.files, self.errors, self.warnings, self.explained, self.info
        );
        if self.baselined > 0 {
            line.push_str(&format!("；基线内 {} 项（不计失败）", self.baselined));
        }
        if self.stale > 0 {
            line.push_str(&format!("；{} 条审核决定已不对应任何发现", self.stale));
        }
        if self.untouched > 0 && self.files > 1 {
            line.push_str(&format!("；{} 个文件没有规则适用", self.untouched));
        }
        if self.problems > 0 {
            line.push_str(&format!(
                "；另有 {} 个问题使文件或规则无法使用",
                self.problems
            ));
        }
        line
    }
}

/// One row of the per-file summary table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub counts: Summary,
}

/// What every part of a run's output may need to know about the run.
pub struct Run<'a> {
    /// The rules that ran, in order.
    pub rules: &'a [Rule],
    /// Problems of rule files, and of rule paths that could not be used.
    pub rule_problems: &'a [FileProblems],
    /// Which findings fail the run.
    pub fail_on: FailOn,
    /// Whether findings were matched against a baseline.
    pub baseline: bool,
    /// Human output: print only the summary table and line.
    pub summary_only: bool,
    /// Human output: ANSI colour.
    pub color: bool,
}

/// What is known once every file is checked.
pub struct End<'a> {
    pub summary: Summary,
    /// Files with something to report, in path order.
    pub rows: &'a [Row],
    /// Problems of the decisions and baseline files, stale decisions among them.
    pub review_problems: &'a [FileProblems],
    /// The exit code the run will end with.
    pub exit_code: u8,
    /// Whether any file's part was not empty.
    pub parts: bool,
}

/// A format, written as a stream: [`Render::head`], then [`Render::file`] for each file in
/// path order with [`Render::separator`] between parts that are not empty, then
/// [`Render::tail`].
pub trait Render: Sync {
    fn head(&self, run: &Run<'_>) -> Vec<u8>;
    /// The part for one file, made on the thread that checked it.
    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8>;
    /// Written between two parts that are not empty: `,` where parts are items of an array.
    fn separator(&self) -> &'static [u8] {
        b""
    }
    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8>;
    /// Whether the head holds what is known only at the end (JUnit's totals on its root
    /// element): then the parts are kept in a temporary file, and [`Render::late_head`]
    /// is written before them once every file is checked.
    fn head_needs_end(&self) -> bool {
        false
    }
    /// The head, made at the end, for a format whose [`Render::head_needs_end`].
    fn late_head(&self, run: &Run<'_>, _end: &End<'_>) -> Vec<u8> {
        self.head(run)
    }
}

/// Appends `values` to `out` as members of a JSON array written a file at a time: each on
/// a line of its own, indented by `indent` (which starts with the line break), after a `,`
/// unless it is the first of the part.
pub(crate) fn json_members(
    out: &mut Vec<u8>,
    indent: &str,
    values: impl IntoIterator<Item = serde_json::Value>,
) {
    for value in values {
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(indent.as_bytes());
        out.extend_from_slice(
            serde_json::to_string(&value)
                .expect("plain data serializes")
                .as_bytes(),
        );
    }
}
