//! `--statistics`: per-rule counts after the human summary, so that a reviewer of a batch
//! sees which checks fail most:
//!
//! ```text
//! 各规则的发现：
//! 错误  警告  已说明  提示  规则
//!    2     0       0     0  forms/fund-total-zero  年度资金总额不应为 0 而其中各项不为 0
//!    1     0       1     0  budget/executed-exceeds-budget  执行数超过预算数应作说明
//! ```
//!
//! Rules with findings only, most errors first (then warnings, explained, info), ties in
//! rule order; baselined findings get a column when there are any.

use super::{End, FileReport, Render, Run};
use crate::finding::Status;
use crate::rules::Severity;
use std::collections::BTreeMap;
use std::sync::Mutex;
use unicode_width::UnicodeWidthStr;

/// Another format (the human one), with the per-rule counts after its tail.
pub struct Statistics<R> {
    inner: R,
    /// Per rule: errors, warnings, explained, info, baselined.
    counts: Mutex<BTreeMap<String, [usize; 5]>>,
}

impl<R> Statistics<R> {
    pub fn new(inner: R) -> Statistics<R> {
        Statistics {
            inner,
            counts: Mutex::default(),
        }
    }
}

/// The table of per-rule counts, in the rules' order among equal counts.
pub fn table(run: &Run<'_>, counts: &BTreeMap<String, [usize; 5]>) -> String {
    let mut rows: Vec<(usize, &str, &str, [usize; 5])> = counts
        .iter()
        .map(|(id, c)| {
            let (order, title) = run
                .rules
                .iter()
                .position(|r| &r.id == id)
                .map_or((usize::MAX, ""), |i| (i, run.rules[i].title.as_str()));
            (order, id.as_str(), title, *c)
        })
        .collect();
    rows.sort_by(|a, b| b.3[..4].cmp(&a.3[..4]).then(a.0.cmp(&b.0)));
    let baselined = rows.iter().any(|r| r.3[4] > 0);
    let mut headings = vec!["错误", "警告", "已说明", "提示"];
    if baselined {
        headings.push("基线内");
    }
    let widths: Vec<usize> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .map(|r| r.3[i].to_string().len())
                .max()
                .unwrap_or(1)
                .max(h.width())
        })
        .collect();
    let mut out = String::from("各规则的发现：\n");
    let line = |out: &mut String, cells: Vec<String>, last: &str| {
        for (cell, width) in cells.iter().zip(&widths) {
            out.push_str(&" ".repeat(width.saturating_sub(cell.width())));
            out.push_str(cell);
            out.push_str("  ");
        }
        out.push_str(last);
        out.push('\n');
    };
    line(
        &mut out,
        headings.iter().map(ToString::to_string).collect(),
        "规则",
    );
    if rows.is_empty() {
        out.push_str("（没有发现）\n");
    }
    for (_, id, title, c) in rows {
        let cells = c[..headings.len()]
            .iter()
            .map(ToString::to_string)
            .collect();
        line(&mut out, cells, format!("{id}  {title}").trim_end());
    }
    out
}

impl<R: Render> Render for Statistics<R> {
    fn head(&self, run: &Run<'_>) -> Vec<u8> {
        self.inner.head(run)
    }

    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        if !report.findings.is_empty() {
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            for f in &report.findings {
                let i = match (f.status, f.severity) {
                    (Status::Explained, _) => 2,
                    (Status::Baselined, _) => 4,
                    (_, Severity::Error) => 0,
                    (_, Severity::Warning) => 1,
                    (_, Severity::Info) => 3,
                };
                counts.entry(f.rule.clone()).or_default()[i] += 1;
            }
        }
        self.inner.file(run, report)
    }

    fn separator(&self) -> &'static [u8] {
        self.inner.separator()
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        let mut out = self.inner.tail(run, end);
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        out.extend_from_slice(table(run, &counts).as_bytes());
        out
    }

    fn head_needs_end(&self) -> bool {
        self.inner.head_needs_end()
    }

    fn late_head(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        self.inner.late_head(run, end)
    }
}
