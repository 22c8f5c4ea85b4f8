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
    /// Whether the finding makes the run fail: an unexplained error or warning.
    pub fn fails(&self) -> bool {
        self.status == Status::Failed && self.severity != Severity::Info
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
