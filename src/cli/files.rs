//! Finding the files a path names.

use crate::problem::Problem;
use crate::render::FileReport;
use crate::source::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A report for a path that could not be used at all.
pub fn problem_report(path: &Path, problem: Problem) -> FileReport {
    FileReport {
        source: Arc::new(SourceFile::new(path.display().to_string(), "")),
        findings: Vec::new(),
        problems: vec![problem],
        checked: false,
    }
}

/// The files a path names: itself, or the files under a directory with one of
/// `extensions`, sorted; a path that does not exist is a problem.
pub fn collect(path: &Path, extensions: &[&str]) -> (Vec<PathBuf>, Vec<FileReport>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, extensions, &mut files, &mut problems),
        Ok(_) => files.push(path.to_path_buf()),
        Err(e) => problems.push(problem_report(
            path,
            Problem::new("not-found", format!("无法打开：{e}")),
        )),
    }
    files.sort();
    (files, problems)
}

fn walk(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>, problems: &mut Vec<FileReport>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(problem_report(
                dir,
                Problem::new("unreadable", format!("无法读取目录：{e}")),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // Hidden entries, and the project config, which is not report data.
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || name == crate::config::FILE_NAME {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, extensions, files, problems),
            Ok(_)
                if path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| extensions.contains(&e)) =>
            {
                files.push(path);
            }
            _ => {}
        }
    }
}
