//! Findings: what the engine found, as data every renderer shares (human, JSON).
//!
//! Spans are byte ranges into the data file the finding belongs to; renderers add the
//! line, column and literal text from the file.

use crate::rules::Severity;
use std::ops::Range;

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Failed,
    /// The report explains it (a warning with non-blank text where the rule looks).
    Explained,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Explained => "explained",
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
    pub label: Label,
}

impl Finding {
    /// Whether the finding makes the run fail: an unexplained error or warning.
    pub fn fails(&self) -> bool {
        self.status == Status::Failed && self.severity != Severity::Info
    }
}
