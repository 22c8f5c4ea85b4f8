//! One data file through the whole pipeline: bytes → a reader (chosen by the content) →
//! the shown text and the report tree → the rules → findings, in a [`FileReport`].

use crate::engine::Engine;
use crate::finding::Finding;
use crate::problem::Problem;
use crate::read::{self, Knowledge, Limits};
use crate::rules::Rule;
use crate::source::SourceFile;
use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

/// What checking one data file gave.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub source: Arc<SourceFile>,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    /// Whether the data loaded and the rules ran (false when the file could not be read
    /// or parsed).
    pub checked: bool,
    /// Structures the reader saw but left unchecked (prose sentences, form blocks).
    pub unrecognised: usize,
    /// Figures a prose reader found; shown at the end of the file's diagnostics.
    pub figures_read: Option<usize>,
}

impl FileReport {
    /// A file that could not be used at all, for this problem.
    pub fn unusable(source: SourceFile, problem: Problem) -> FileReport {
        FileReport {
            source: Arc::new(source),
            findings: Vec::new(),
            problems: vec![problem],
            checked: false,
            unrecognised: 0,
            figures_read: None,
        }
    }
}

/// Checks one file's bytes against `rules`.
pub fn check_bytes(name: String, bytes: &[u8], rules: &[Rule], limits: &Limits) -> FileReport {
    check_bytes_with(
        &Engine::new(rules),
        name,
        bytes,
        limits,
        &Knowledge::builtin(),
    )
}

/// Checks one file's bytes with the rules of a run, prepared once.
pub fn check_bytes_with(
    engine: &Engine<'_>,
    name: String,
    bytes: &[u8],
    limits: &Limits,
    knowledge: &Knowledge,
) -> FileReport {
    let read = read::read(name, bytes, limits, knowledge);
    let mut problems = read.problems;
    if read.report.as_ref().is_some_and(|r| r.roots.is_empty()) {
        problems.push(
            Problem::new("empty", "文件为空，没有可核查的数据")
                .with_help("确认文件是否完整导出或保存"),
        );
    }
    let findings = match &read.report {
        Some(report) => {
            let (findings, stopped) = engine.check_within_budget(report);
            if let Some((rule, node)) = stopped {
                problems.push(
                    Problem::new(
                        "too-many-steps",
                        "规则在此文件上的计算量超过上限，其余核查未完成",
                    )
                    .at(
                        report.label_span(node),
                        format!("「{}」核查到此处", rule.id),
                    )
                    .with_note(format!(
                        "上限为 {} 步（规则查找数据项的次数）；此前的发现照常报告",
                        report.max_steps()
                    ))
                    .with_help("确认文件无误后，可用 --max-steps 调高上限"),
                );
            }
            findings
        }
        None => Vec::new(),
    };
    FileReport {
        source: read.source,
        findings,
        problems,
        checked: read.report.is_some(),
        unrecognised: read.unrecognised,
        figures_read: read.figures_read,
    }
}

/// Reads and checks one file; a file that cannot be read is reported as a problem.
pub fn check_path(path: &Path, rules: &[Rule], limits: &Limits) -> FileReport {
    check_path_with(&Engine::new(rules), path, limits, &Knowledge::builtin())
}

/// Reads and checks one file with the rules of a run, prepared once.
pub fn check_path_with(
    engine: &Engine<'_>,
    path: &Path,
    limits: &Limits,
    knowledge: &Knowledge,
) -> FileReport {
    let name = path.display().to_string();
    match read_limited(path, limits.max_file_size) {
        Ok(bytes) => check_bytes_with(engine, name, &bytes, limits, knowledge),
        Err(problem) => FileReport::unusable(SourceFile::new(name, ""), *problem),
    }
}

/// Reads and decodes a file of at most `max` bytes: a report, a rule file, a config. A
/// file that cannot be used comes back as a report of its problem, with as much of its
/// text as locates the problem (the lines up to undecodable bytes).
pub fn read_source(path: &Path, max: u64) -> Result<SourceFile, FileReport> {
    let name = path.display().to_string();
    let unusable = FileReport::unusable;
    let bytes =
        read_limited(path, max).map_err(|p| unusable(SourceFile::new(name.clone(), ""), *p))?;
    SourceFile::decode(name.clone(), &bytes).map_err(|e| {
        let (source, problem) = e.report(name, &bytes);
        unusable(source, problem)
    })
}

/// Reads a file of at most `max` bytes. A larger file is refused before it is read, and
/// one that grows while read (a pipe, a device) is not read past the limit.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, Box<Problem>> {
    let unreadable =
        |e: std::io::Error| Box::new(Problem::new("unreadable", format!("无法读取文件：{e}")));
    let file = File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max {
        return Err(too_large(Some(size), max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(too_large(None, max));
    }
    Ok(bytes)
}

fn too_large(size: Option<u64>, max: u64) -> Box<Problem> {
    let message = match size {
        Some(size) => format!(
            "文件大小为 {}，超过上限 {}",
            show_size(size),
            show_size(max)
        ),
        None => format!("文件超过大小上限 {}", show_size(max)),
    };
    Box::new(
        Problem::new("too-large", message)
            .with_note("超过上限的文件不读取，以免异常文件耗尽内存")
            .with_help("确认文件无误后，可用 --max-file-size 调高上限（如 --max-file-size 64M）"),
    )
}

/// `16 MiB`, `512 KiB`, `900 B`; one decimal where it is not whole.
pub fn show_size(bytes: u64) -> String {
    for (unit, scale) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= scale {
            let tenths = (u128::from(bytes) * 10 / u128::from(scale)) as u64;
            return if tenths.is_multiple_of(10) {
                format!("{} {unit}", tenths / 10)
            } else {
                format!("{}.{} {unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(show_size(16 << 20), "16 MiB");
        assert_eq!(show_size(50 * 1000 * 1000), "47.6 MiB");
        assert_eq!(show_size(1536), "1.5 KiB");
        assert_eq!(show_size(900), "900 B");
        assert_eq!(show_size(u64::MAX), "17179869183.9 GiB");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = std::env::temp_dir().join(format!("hecha-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.yaml");
        std::fs::write(&path, "a: 1\n".repeat(100)).unwrap();
        assert_eq!(read_limited(&path, 500).unwrap().len(), 500);
        let problem = read_limited(&path, 499).unwrap_err();
        assert_eq!(problem.code, "too-large");
        assert_eq!(problem.message, "文件大小为 500 B，超过上限 499 B");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
