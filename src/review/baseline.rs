//! Baselines (`--baseline FILE`, `--write-baseline FILE`): the findings known when the
//! baseline was written, which then no longer fail a run, so that only new ones do.
//!
//! ```yaml
//! # hecha baseline …
//! version: 1
//! findings:
//!   - {rule: "casework/closed-exceeds-assigned", file: "2024/a.yaml", figure: "巡视交办.办结"}
//! ```
//!
//! A finding is keyed on its rule, its file (relative to the baseline's folder) and its
//! figure's path: not on its line, so edits elsewhere in the report keep it matched. A
//! key listed twice matches two findings: if a report gains a third finding with the same
//! key, the first two (in file order) are baselined and the third is new. Only findings
//! that would fail the run are written (unexplained errors and warnings), and only those
//! can be baselined.

use super::records::{Shape, read};
use super::{absolute, folder_of, relative};
use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::SourceFile;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SHAPE: Shape = Shape {
    what: "基线文件",
    list: "findings",
    other: &["version"],
    fields: &[("rule", true), ("file", true), ("figure", true)],
};

/// How a baseline file begins.
pub const HEADER: &str = "\
# hecha baseline: findings known when this file was written, which do not fail a run
# (`hecha check --baseline FILE`); only findings not listed here do. Written by
# `hecha check --write-baseline FILE`. Each finding is keyed on its rule, its file
# (relative to this file's folder) and the path of its figure in the data.
version: 1
findings:
";

/// The findings of a baseline, counted by file, rule and figure path.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<PathBuf, HashMap<(String, String), usize>>,
    len: usize,
}

impl Baseline {
    pub fn load(source: &SourceFile) -> (Baseline, Vec<Problem>) {
        let (records, problems) = read(source, &SHAPE);
        let folder = folder_of(Path::new(&source.name));
        let mut baseline = Baseline::default();
        for record in records {
            let file = absolute(&folder.join(record.get("file")));
            let key = (
                record.get("rule").to_string(),
                record.get("figure").to_string(),
            );
            *baseline
                .counts
                .entry(file)
                .or_default()
                .entry(key)
                .or_default() += 1;
            baseline.len += 1;
        }
        (baseline, problems)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Marks the findings of the file at `path` that the baseline lists as baselined.
    pub(super) fn apply(&self, path: &Path, findings: &mut [Finding]) {
        let Some(counts) = self.counts.get(path) else {
            return;
        };
        let mut left = counts.clone();
        for f in findings.iter_mut().filter(|f| known(f)) {
            if let Some(n) = left.get_mut(&(f.rule.clone(), f.primary.path.clone()))
                && *n > 0
            {
                *n -= 1;
                f.status = Status::Baselined;
            }
        }
    }
}

/// Whether a finding belongs in a baseline: it fails the run, or did before the baseline.
fn known(f: &Finding) -> bool {
    matches!(f.status, Status::Failed | Status::Baselined) && f.severity != Severity::Info
}

/// The baseline lines for the findings of the file at `path`, for a baseline written in
/// `folder`.
pub(super) fn lines(folder: &Path, path: &Path, findings: &[Finding]) -> String {
    let mut out = String::new();
    let file = relative(folder, path);
    for f in findings.iter().filter(|f| known(f)) {
        // JSON strings are YAML double-quoted scalars: any rule, path or figure reads back.
        let _ = writeln!(
            out,
            "  - {{rule: {}, file: {}, figure: {}}}",
            quoted(&f.rule),
            quoted(&file),
            quoted(&f.primary.path)
        );
    }
    out
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}
