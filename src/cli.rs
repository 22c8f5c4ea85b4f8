//! The command line: arguments as typed → a run → output and one exit code.
//!
//! Exit codes: 0 when nothing fails; 1 when an unexplained error or warning was found;
//! 2 when an argument, a file or a rule could not be used (after everything else was
//! checked and reported).

use crate::check::check_path;
use crate::problem::Problem;
use crate::render::{FileReport, Summary, human, json};
use crate::report::yaml::Limits;
use crate::rules::RuleSet;
use crate::source::SourceFile;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "hecha",
    version,
    about = "Checks the figures of budget-performance reports against each other (核查)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check report data (YAML or JSON) against rules
    Check(CheckArgs),
}

#[derive(Args)]
struct CheckArgs {
    /// Report files, or directories searched recursively for *.yaml, *.yml and *.json
    #[arg(required = true, value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// A rule file, or a directory of rule files; may be repeated
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Run only the rules given with --rules, not the built-in packs
    #[arg(long)]
    no_default_rules: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to colour human output (auto: when stdout is a terminal and NO_COLOR is unset)
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let mut rules = if args.no_default_rules {
        RuleSet::default()
    } else {
        RuleSet::builtin()
    };
    let mut unusable: Vec<FileReport> = Vec::new();
    for path in &args.rules {
        let (files, missing) = collect(path, &["yaml", "yml"]);
        unusable.extend(missing);
        for file in files {
            match std::fs::read(&file) {
                Ok(bytes) => match SourceFile::decode(file.display().to_string(), &bytes) {
                    Ok(source) => rules.add_file(Arc::new(source)),
                    Err(e) => {
                        unusable.push(problem_report(&file, Problem::new("not-text", e.message())))
                    }
                },
                Err(e) => unusable.push(problem_report(
                    &file,
                    Problem::new("unreadable", format!("无法读取规则文件：{e}")),
                )),
            }
        }
    }
    let limits = Limits::default();
    let mut reports = Vec::new();
    for path in &args.paths {
        let (files, missing) = collect(path, &["yaml", "yml", "json"]);
        reports.extend(missing);
        reports.extend(files.iter().map(|f| check_path(f, &rules.rules, &limits)));
    }
    reports.sort_by(|a, b| a.source.name.cmp(&b.source.name));

    let mut summary = Summary::default();
    for report in &reports {
        summary.add_file(report);
    }
    for (_, problems) in &rules.problems {
        summary.add_problems(problems);
    }
    for report in &unusable {
        summary.add_problems(&report.problems);
    }

    let mut out = Vec::new();
    match args.format {
        Format::Json => {
            let mut rule_problems = rules.problems.clone();
            rule_problems.extend(
                unusable
                    .iter()
                    .map(|r| (Arc::clone(&r.source), r.problems.clone())),
            );
            out.extend_from_slice(json::render(&reports, &rule_problems, summary).as_bytes());
        }
        Format::Human => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            for (source, problems) in &rules.problems {
                for p in problems {
                    human::emit(&mut out, source, &human::problem(p, source), color);
                }
            }
            for report in unusable.iter().chain(&reports) {
                for p in &report.problems {
                    human::emit(
                        &mut out,
                        &report.source,
                        &human::problem(p, &report.source),
                        color,
                    );
                }
                for f in &report.findings {
                    human::emit(&mut out, &report.source, &human::finding(f), color);
                }
            }
            out.extend_from_slice(summary.line().as_bytes());
            out.push(b'\n');
        }
    }
    if let Err(e) = std::io::stdout()
        .write_all(&out)
        .and_then(|()| std::io::stdout().flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("hecha: cannot write output: {e}");
        return ExitCode::from(2);
    }
    let failed = reports.iter().flat_map(|r| &r.findings).any(|f| f.fails());
    ExitCode::from(if summary.problems > 0 {
        2
    } else if failed {
        1
    } else {
        0
    })
}

fn problem_report(path: &Path, problem: Problem) -> FileReport {
    FileReport {
        source: Arc::new(SourceFile::new(path.display().to_string(), "")),
        findings: Vec::new(),
        problems: vec![problem],
    }
}

/// The files a path names: itself, or the files under a directory with one of
/// `extensions`, sorted; a path that does not exist is a problem.
fn collect(path: &Path, extensions: &[&str]) -> (Vec<PathBuf>, Vec<FileReport>) {
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
        if entry.file_name().to_string_lossy().starts_with('.') {
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
