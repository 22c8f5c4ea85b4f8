//! Finding the files a path names (a report path, a rule path).

use crate::pipeline::FileReport;
use crate::problem::Problem;
use crate::source::SourceFile;
use std::path::{Path, PathBuf};

/// A report for a path that could not be used at all.
pub fn problem_report(path: &Path, problem: Problem) -> FileReport {
    FileReport::unusable(
        SourceFile::new(crate::pipeline::path_name(path), ""),
        problem,
    )
}

/// What files a path (a command-line argument, a config's rule path) is to name.
#[derive(Clone, Copy)]
pub enum Wanted {
    /// Reports: the formats a reader takes ([`crate::read::EXTENSIONS`]).
    Data,
    /// Rule files: `.yaml`, `.yml`.
    Rules,
}

impl Wanted {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Wanted::Data => crate::read::EXTENSIONS,
            Wanted::Rules => &["yaml", "yml"],
        }
    }
}

/// The files a path names: itself, or the files under a directory with a wanted
/// extension, sorted; a path that does not exist, or a directory with no such file, is a
/// problem.
pub fn collect(path: &Path, wanted: Wanted) -> (Vec<PathBuf>, Vec<FileReport>) {
    let extensions = wanted.extensions();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            let mut others = Vec::new();
            // A rules folder's readers/ holds reader knowledge (the prose lexicon), not rules.
            let skip = matches!(wanted, Wanted::Rules).then_some("readers");
            walk(
                path,
                extensions,
                skip,
                &mut files,
                &mut problems,
                &mut others,
            );
            if files.is_empty() && problems.is_empty() {
                problems.push(problem_report(path, nothing_to_check(wanted, &others)));
            }
        }
        Ok(_) => files.push(path.to_path_buf()),
        Err(e) => problems.push(problem_report(
            path,
            Problem::new(
                "not-found",
                format!("无法打开：{}", crate::problem::system_error(&e)),
            ),
        )),
    }
    files.sort();
    (files, problems)
}

/// A directory given with no file of the kind wanted: for data, no file in a format hecha
/// reads. Either way a run that checked nothing must not pass as if the reports were clean.
fn nothing_to_check(wanted: Wanted, others: &[String]) -> Problem {
    let names = wanted
        .extensions()
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join("、");
    let (what, help) = match wanted {
        Wanted::Data => (
            "可核查的报告文件",
            "把报告另存为上述格式之一（如 .docx、.xlsx），或把其中的数字整理为 YAML（数据约定见 hecha docs conventions），再核查",
        ),
        Wanted::Rules => ("规则文件", "检查 --rules 或配置文件 rules 中的路径"),
    };
    let problem = Problem::new("no-files", format!("目录中没有{what}（{names}）"));
    if others.is_empty() {
        return problem.with_help("检查路径是否正确");
    }
    let mut kinds: Vec<&str> = others.iter().map(String::as_str).collect();
    kinds.sort_unstable();
    kinds.dedup();
    problem
        .with_note(format!(
            "目录中只有 {} 个其他文件（{}）",
            others.len(),
            kinds.join("、")
        ))
        .with_help(help)
}

/// Adds the files under `dir` with one of `extensions` to `files`, and the extensions of
/// the others (`.docx`, or the name of a file without one) to `others`.
fn walk(
    dir: &Path,
    extensions: &[&str],
    skip: Option<&str>,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<FileReport>,
    others: &mut Vec<String>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(problem_report(
                dir,
                Problem::new(
                    "unreadable",
                    format!("无法读取目录：{}", crate::problem::system_error(&e)),
                ),
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
            Ok(t) if t.is_dir() && skip.is_some_and(|s| name == s) => {}
            Ok(t) if t.is_dir() => walk(&path, extensions, skip, files, problems, others),
            Ok(_) => match path.extension().and_then(|e| e.to_str()) {
                Some(e) if extensions.contains(&e.to_ascii_lowercase().as_str()) => {
                    files.push(path)
                }
                Some(e) => others.push(format!(".{e}")),
                None => others.push(name.to_string_lossy().into_owned()),
            },
            _ => {}
        }
    }
}
