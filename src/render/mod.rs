//! Rendering: findings and problems → text for people (codespan) or JSON for programs.
//! Both renderers take the same data; neither decides anything.

pub mod excerpt;
pub mod human;
pub mod json;

use crate::finding::{Finding, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::SourceFile;
use std::sync::Arc;

/// What checking one data file gave.
#[derive(Debug)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
}

/// Counts over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    /// Failed error findings.
    pub errors: usize,
    /// Failed warning findings.
    pub warnings: usize,
    /// Warnings the report explains.
    pub explained: usize,
    pub info: usize,
    /// Files or rules that could not be used (fully).
    pub problems: usize,
}

impl Summary {
    pub fn add_file(&mut self, report: &FileReport) {
        self.files += 1;
        for f in &report.findings {
            match (f.status, f.severity) {
                (Status::Explained, _) => self.explained += 1,
                (_, Severity::Error) => self.errors += 1,
                (_, Severity::Warning) => self.warnings += 1,
                (_, Severity::Info) => self.info += 1,
            }
        }
        self.add_problems(&report.problems);
    }

    pub fn add_problems(&mut self, problems: &[Problem]) {
        self.problems += problems.iter().filter(|p| !p.notice).count();
    }

    /// The line a person reads last.
    pub fn line(&self) -> String {
        let mut line = format!(
            "检查了 {} 个文件：错误 {} 项，警告 {} 项，已说明 {} 项，提示 {} 项",
            self.files, self.errors, self.warnings, self.explained, self.info
        );
        if self.problems > 0 {
            line.push_str(&format!(
                "；另有 {} 个问题使文件或规则无法使用",
                self.problems
            ));
        }
        line
    }
}
