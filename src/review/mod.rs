//! What a reviewer keeps beside the submissions, never in them: decisions that accept
//! findings ([`decisions`]) and a baseline of findings already known ([`baseline`]).
//!
//! Both name a file by its path relative to the decisions or baseline file's own folder
//! (so the folder of submissions and its review files can move together), and a finding
//! by its rule and its figure's path in the data, which edits elsewhere in the report do
//! not change (line numbers would).

pub mod baseline;
pub mod decisions;
mod records;

use crate::pipeline::FileReport;
use std::path::{Component, Path, PathBuf};

pub use baseline::Baseline;
pub use decisions::Decisions;

/// `path` made absolute against the working directory, with `.` and `..` resolved
/// lexically (symbolic links are not followed), so two spellings of a path compare equal.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` relative to the folder `base` (both absolute), with `/` separators.
pub fn relative(base: &Path, target: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = target.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The folder a review file's relative paths start from.
pub fn folder_of(file: &Path) -> PathBuf {
    absolute(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The decisions and baseline of a run, applied to each file as it is checked.
#[derive(Default)]
pub struct Review {
    pub(crate) decisions: Option<Decisions>,
    pub(crate) baseline: Option<Baseline>,
    /// The folder of the baseline being written (`--write-baseline`), if any.
    pub(crate) write_baseline: Option<PathBuf>,
}

/// What reviewing one file gave, besides the changes to its findings.
#[derive(Debug, Default)]
pub struct Reviewed {
    /// Decisions about this file that could be judged (the file was checked).
    pub(crate) judged: Vec<usize>,
    /// Decisions that matched a finding.
    pub(crate) matched: Vec<usize>,
    /// Lines for the baseline being written.
    pub(crate) baseline_lines: String,
    /// For decisions that matched nothing, the figure path of a finding close to
    /// theirs, which the decision was likely meant for (the figure moved or was renamed).
    pub(crate) near: Vec<(usize, String)>,
}

impl Review {
    /// Applies the decisions, then the baseline, to `report`'s findings.
    pub fn apply(&self, report: &mut FileReport) -> Reviewed {
        let mut reviewed = Reviewed::default();
        if self.decisions.is_none() && self.baseline.is_none() && self.write_baseline.is_none() {
            return reviewed;
        }
        let path = absolute(Path::new(&report.source.name));
        if let Some(decisions) = &self.decisions {
            decisions.apply(&path, report, &mut reviewed);
        }
        if let Some(folder) = &self.write_baseline {
            reviewed.baseline_lines = baseline::lines(folder, &path, &report.findings);
        }
        if let Some(baseline) = &self.baseline {
            baseline.apply(&path, &mut report.findings);
        }
        reviewed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_lexically_and_are_written_relative() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(absolute(Path::new("a/./b/../c.yaml")), cwd.join("a/c.yaml"));
        assert_eq!(
            relative(Path::new("/x/review"), Path::new("/x/reports/2024/a.yaml")),
            "../reports/2024/a.yaml"
        );
        assert_eq!(relative(Path::new("/x"), Path::new("/x/a.yaml")), "a.yaml");
    }
}
