//! One data file through the whole pipeline: bytes → a reader (chosen by the content) →
//! the shown text and the report tree → the rules → findings, in a [`FileReport`].

use crate::coverage::Coverage;
use crate::engine::Engine;
use crate::finding::Finding;
use crate::problem::Problem;
use crate::read::{self, Knowledge, Limits};
use crate::report::{Report, Value};
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
    /// Whether a prose reader read the file: its diagnostics end with what was read.
    pub prose: bool,
    /// What the rules covered of the file: figures read, figures checked, checks applied
    /// ([`Coverage`]).
    pub coverage: Coverage,
    /// The ids of the rules that applied to the file (a check of theirs applied somewhere
    /// in it), in rule order; JUnit reports the others as skipped.
    pub applied: Vec<String>,
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
            prose: false,
            coverage: Coverage::default(),
            applied: Vec::new(),
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
    let mut coverage = Coverage::default();
    let mut applied = Vec::new();
    let findings = match &read.report {
        Some(report) => {
            let checked = engine.check_applied(report);
            let (findings, stopped) = (checked.findings, checked.stopped);
            coverage = checked.coverage;
            applied = engine
                .rules()
                .iter()
                .zip(&checked.applied)
                .filter(|&(_, &a)| a)
                .map(|(r, _)| r.id.clone())
                .collect();
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
                        engine.max_steps()
                    ))
                    .with_help("确认文件无误后，可用 --max-steps 调高上限"),
                );
            }
            if coverage.findings_dropped > 0 {
                problems.push(
                    Problem::new(
                        "too-many-findings",
                        format!(
                            "此文件的发现超过 {} 项，其余 {} 项只计数、未列出",
                            crate::engine::MAX_FINDINGS,
                            coverage.findings_dropped
                        ),
                    )
                    .with_note("发现多到这种程度，多半是数据的写法与规则的约定整体不符")
                    .with_help(
                        "先改正列出的发现，或核对数据约定（hecha docs conventions）后再核查",
                    ),
                );
            }
            if stopped.is_none() && !report.roots.is_empty() {
                problems.extend(unchecked(report, &coverage, !engine.rules().is_empty()));
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
        prose: read.figures_read.is_some(),
        coverage,
        applied,
    }
}

/// The limits on hecha's own input files (rule files, configs, decisions, baselines,
/// rule test cases), set once by a command from its flags: `--max-file-size` and
/// `--max-depth` bound every file hecha reads, not only the reports.
static INPUT_LIMITS: std::sync::RwLock<Option<Limits>> = std::sync::RwLock::new(None);

/// Sets the limits [`input_limits`] gives (`hecha check` does, from its flags).
pub fn set_input_limits(limits: &Limits) {
    let own = Limits {
        max_file_size: limits.max_file_size,
        max_depth: limits.max_depth,
        ..Limits::default()
    };
    *INPUT_LIMITS.write().unwrap_or_else(|e| e.into_inner()) = Some(own);
}

/// The limits for hecha's own input files: the defaults, or those a command set.
pub(crate) fn input_limits() -> Limits {
    INPUT_LIMITS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_default()
}

/// A path as hecha shows it: as written, with the bytes of a name that is not UTF-8
/// shown as `\xff` (so two such names stay distinct, where a lossy conversion would
/// make both `�`) and control characters as `\x1b`, which a terminal would obey.
pub fn path_name(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    let mut name = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                name.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                name.push(c);
            }
        }
        for b in chunk.invalid() {
            name.push_str(&format!("\\x{b:02x}"));
        }
    }
    name
}

/// The codes of the problems of a file that loaded but that no rule check touched.
pub const UNCHECKED: &[&str] = &["not-data", "no-figures", "unchecked"];

/// Where to read what the rules need of a data file, from the binary itself.
const CONVENTIONS_HELP: &str =
    "数据须写成「键: 值」，键名与单位见数据约定（运行 hecha docs conventions 查看）";

/// The problem of a file that loaded but that the rules could not check: its content is
/// a bare value (a pasted text, `42`), it holds no figure, or no rule check applied to
/// it. A run that checked nothing in a file must not look like a clean pass.
pub fn unchecked(report: &Report, coverage: &Coverage, rules: bool) -> Option<Problem> {
    let all_scalar = report
        .roots
        .iter()
        .all(|&root| matches!(report.node(root).value, Value::Scalar(_) | Value::Null));
    if all_scalar {
        let root = report.roots[0];
        let label = match report.figure(root) {
            Some(_) => "只有一个数",
            None => "整个文件是一段文字",
        };
        let problem = Problem::new("not-data", "文件内容不是「键: 值」形式的数据，无法核查")
            .at(report.label_span(root), label)
            .with_note("粘贴的文字、表格导出的逗号分隔文本或单独一个数，规则都无从核查");
        let full_width = report.text(root).is_some_and(|t| t.contains('：'));
        let problem = if full_width {
            problem.with_note("文中的「：」是全角冒号，YAML 只认半角冒号加空格「: 」")
        } else {
            problem
        };
        return Some(problem.with_help(CONVENTIONS_HELP));
    }
    if coverage.figures == 0 {
        return Some(
            Problem::new("no-figures", "文件中没有读取到任何数字，无可核查的数据")
                .with_note("数字须带单位或写成纯数字（如 2495件、25.50万元、90%）才能读取")
                .with_help(CONVENTIONS_HELP),
        );
    }
    if rules && coverage.untouched() {
        return Some(
            Problem::new(
                "unchecked",
                format!(
                    "没有规则适用于此文件：读取数字 {} 个，均未参与核查",
                    coverage.figures
                ),
            )
            .with_note("规则按键名（如「预算数」「执行数」「交办」「办结」）查找数字")
            .with_help(CONVENTIONS_HELP),
        );
    }
    None
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
    let name = path_name(path);
    match read_limited(path, limits.max_file_size) {
        Ok(bytes) => check_bytes_with(engine, name, &bytes, limits, knowledge),
        Err(problem) => FileReport::unusable(SourceFile::new(name, ""), *problem),
    }
}

/// Reads and decodes a file of at most `max` bytes: a report, a rule file, a config. A
/// file that cannot be used comes back as a report of its problem, with as much of its
/// text as locates the problem (the lines up to undecodable bytes).
// The error is the rare path, returned once per file that cannot be used; boxing it
// would change every caller for nothing measurable.
#[allow(clippy::result_large_err)]
pub fn read_source(path: &Path, max: u64) -> Result<SourceFile, FileReport> {
    let name = path_name(path);
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
    let unreadable = |e: std::io::Error| {
        Box::new(Problem::new(
            "unreadable",
            format!("无法读取文件：{}", crate::problem::system_error(&e)),
        ))
    };
    // A FIFO blocks its reader until a writer comes, a device reads forever, a socket
    // cannot be opened: only a regular file is opened (a symbolic link to one is).
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_a_file(&meta));
    }
    let file = File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        // Replaced between the two looks.
        return Err(not_a_file(&meta));
    }
    let size = meta.len();
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

/// The problem of a path that is not a regular file: what it is, in the user's words.
fn not_a_file(meta: &std::fs::Metadata) -> Box<Problem> {
    let kind = meta.file_type();
    #[cfg(unix)]
    let special = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            Some("命名管道（FIFO）")
        } else if kind.is_socket() {
            Some("套接字")
        } else if kind.is_block_device() || kind.is_char_device() {
            Some("设备文件")
        } else {
            None
        }
    };
    #[cfg(not(unix))]
    let special: Option<&str> = None;
    let what = if kind.is_dir() {
        "目录"
    } else {
        special.unwrap_or("特殊文件")
    };
    Box::new(
        Problem::new("not-a-file", format!("这是{what}，不是普通文件，未读取"))
            .with_note("只读取普通文件：管道、设备、套接字可能永远读不完或无法读取")
            .with_help("给出报告文件本身的路径"),
    )
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
pub(crate) fn show_size(bytes: u64) -> String {
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
    fn names_that_are_not_utf8_stay_distinct() {
        assert_eq!(path_name(Path::new("a/报告.yaml")), "a/报告.yaml");
        assert_eq!(path_name(Path::new("a\u{1b}[2J.yaml")), "a\\x1b[2J.yaml");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let a = path_name(Path::new(std::ffi::OsStr::from_bytes(b"r\xff.yaml")));
            let b = path_name(Path::new(std::ffi::OsStr::from_bytes(b"r\xfe.yaml")));
            assert_eq!(a, "r\\xff.yaml");
            assert_ne!(a, b);
        }
    }

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
