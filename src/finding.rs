//! Findings: what the engine found, as data every renderer shares (human, JSON, SARIF,
//! JUnit).
//!
//! Spans are byte ranges into the data file the finding belongs to; renderers add the
//! line, column and literal text from the file. The one exception is the explanation of a
//! finding a reviewer accepted, which points into the reviewer's decisions file.

use crate::rules::Severity;
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub message: String,
    /// The offending figure.
    pub primary: Label,
    /// The other figures that took part, each with its value.
    pub labels: Vec<Label>,
    /// The rule's norm, the arithmetic written out, what rounding allows.
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
    pub explanation: Option<Explanation>,
    /// The row of a table the primary figure belongs to, for people
    /// (`第 3 行「群众满意度」`); `None` outside a list of mappings.
    pub row: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Failed,
    /// The report explains it (a warning with non-blank text where the rule looks), or a
    /// reviewer accepted it (the explanation then carries the [`Decision`]).
    Explained,
    /// Known from a baseline: reported, but it does not fail the run.
    Baselined,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Explained => "explained",
            Status::Baselined => "baselined",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The node's path in the report: `县本级.其中[0].办结`.
    pub path: String,
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub text: String,
    /// Where the explanation is written: in the data file, or for a reviewer's decision,
    /// the reason in the decisions file.
    pub label: Label,
    /// The reviewer's decision, when the explanation is one.
    pub decision: Option<Decision>,
}

/// A reviewer's decision to accept a finding, kept in a decisions file beside the
/// submissions (`hecha check --decisions FILE`).
#[derive(Clone, Debug)]
pub struct Decision {
    /// The decisions file; [`Explanation::label`]'s span is in it.
    pub(crate) file: Arc<SourceFile>,
    pub(crate) by: String,
    pub(crate) date: String,
}

impl PartialEq for Decision {
    fn eq(&self, other: &Decision) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.by == other.by && self.date == other.date
    }
}

impl Eq for Decision {}

/// Which findings make a run fail (`--fail-on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Only unexplained errors.
    Error,
    /// Unexplained errors and warnings.
    #[default]
    Warning,
    /// Nothing: findings are reported, and only unusable input makes the run fail.
    Never,
}

impl FailOn {
    /// Whether `finding` fails a run with this threshold.
    pub fn fails(self, finding: &Finding) -> bool {
        finding.status == Status::Failed
            && match self {
                FailOn::Error => finding.severity == Severity::Error,
                FailOn::Warning => finding.severity != Severity::Info,
                FailOn::Never => false,
            }
    }
}

/// Data text as a finding quotes it: on one line (each run of whitespace one space), at
/// most `max_chars` characters, `…` where it is cut. Only what is kept is read, so a
/// 1 MB text costs no more than a short one.
pub fn brief(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max_chars {
                out.pop();
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

impl Finding {
    /// Whether the finding makes the run fail by default: an unexplained error or
    /// warning that is not in the baseline.
    pub fn fails(&self) -> bool {
        FailOn::Warning.fails(self)
    }
}

#[cfg(test)]
mod tests {
    use super::brief;

    #[test]
    fn brief_text() {
        assert_eq!(brief("  已按\n 计划 完成 ", 80), "已按 计划 完成");
        assert_eq!(brief("一二三四五六", 6), "一二三四五六");
        assert_eq!(brief("一二三四五六七", 6), "一二三四五…");
        assert_eq!(brief(&"长".repeat(1 << 20), 3), "长长…");
    }
}
