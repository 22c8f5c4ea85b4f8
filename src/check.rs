//! One data file through the whole pipeline: bytes → text → report tree → findings.

use crate::engine::Engine;
use crate::problem::Problem;
use crate::render::FileReport;
use crate::report::yaml::{Limits, load};
use crate::rules::Rule;
use crate::source::SourceFile;
use std::path::Path;
use std::sync::Arc;

/// Checks one file's bytes against `rules`.
pub fn check_bytes(name: String, bytes: &[u8], rules: &[Rule], limits: &Limits) -> FileReport {
    check_bytes_with(&Engine::new(rules), name, bytes, limits)
}

/// Checks one file's bytes with the rules of a run, prepared once.
pub fn check_bytes_with(
    engine: &Engine<'_>,
    name: String,
    bytes: &[u8],
    limits: &Limits,
) -> FileReport {
    let source = match SourceFile::decode(name.clone(), bytes) {
        Ok(source) => Arc::new(source),
        Err(e) => {
            let problem = Problem::new("not-text", e.message());
            return FileReport {
                source: Arc::new(SourceFile::new(name, "")),
                findings: Vec::new(),
                problems: vec![problem],
                checked: false,
            };
        }
    };
    let mut problems = Vec::new();
    if let Some(encoding) = source.encoding {
        problems.push(
            Problem::new("encoding", format!("文件编码为 {encoding}，已转换后核查"))
                .with_note("位置（字节偏移）按转换为 UTF-8 后的文本计算")
                .with_help("建议另存为 UTF-8 编码")
                .as_notice(),
        );
    }
    let loaded = load(&source.text, limits);
    problems.extend(loaded.problems);
    let findings = match &loaded.report {
        Some(report) => engine.check(report),
        None => Vec::new(),
    };
    FileReport {
        source,
        findings,
        problems,
        checked: loaded.report.is_some(),
    }
}

/// Reads and checks one file; a file that cannot be read is reported as a problem.
pub fn check_path(path: &Path, rules: &[Rule], limits: &Limits) -> FileReport {
    check_path_with(&Engine::new(rules), path, limits)
}

/// Reads and checks one file with the rules of a run, prepared once.
pub fn check_path_with(engine: &Engine<'_>, path: &Path, limits: &Limits) -> FileReport {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => check_bytes_with(engine, name, &bytes, limits),
        Err(e) => FileReport {
            source: Arc::new(SourceFile::new(name, "")),
            findings: Vec::new(),
            problems: vec![Problem::new("unreadable", format!("无法读取文件：{e}"))],
            checked: false,
        },
    }
}
