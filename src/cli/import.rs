//! `hecha import FILE`: the YAML transcription of what hecha read from a file — a
//! workbook's forms, a report's figures, a YAML file's tree — each figure with a comment
//! naming where it was read, for a person to review instead of typing the figures in.
//! Checking the transcription gives the same findings as checking the file.
//!
//! Exit codes: 0 when the file was read; 2 when it could not be, or only in part (the
//! problems go to standard error, and what was read is still written).

use crate::pipeline::read_limited;
use crate::read::{self, Knowledge, Limits, transcribe::transcribe};
use crate::render::human;
use crate::session::output::Output;
use crate::source::{SourceFile, is_unsafe_char};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// The file to transcribe: YAML or JSON, or a file as submitted
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the YAML to OUT instead of standard output
    #[arg(long, short = 'o', value_name = "OUT")]
    output: Option<PathBuf>,
}

pub fn run(args: &ImportArgs) -> ExitCode {
    let limits = Limits::default();
    let name = args.file.display().to_string();
    let read = match read_limited(&args.file, limits.max_file_size) {
        Ok(bytes) => read::read(name.clone(), &bytes, &limits, &Knowledge::builtin()),
        Err(problem) => read::Read::unusable(SourceFile::new(name.clone(), ""), *problem),
    };
    let mut problems = read.problems;
    if read.report.as_ref().is_some_and(|r| r.roots.is_empty()) {
        problems.push(
            crate::problem::Problem::new("empty", "文件为空，没有可转写的数据")
                .with_help("确认文件是否完整导出或保存"),
        );
    }
    let mut diagnostics = Vec::new();
    for p in &problems {
        human::emit(
            &mut diagnostics,
            &read.source,
            &human::problem(p, &read.source),
            false,
        );
    }
    let _ = std::io::stderr().write_all(&diagnostics);
    let failed = problems.iter().any(|p| !p.notice);
    let Some(report) = read.report.filter(|r| !r.roots.is_empty()) else {
        return ExitCode::from(2);
    };
    let shown: String = name
        .chars()
        .map(|c| {
            if is_unsafe_char(c) || c == '\n' || c == '\r' {
                '?'
            } else {
                c
            }
        })
        .collect();
    let mut text = format!(
        "# hecha import {shown}\n# 由 hecha 从原文件转写；数字后的注释是它在原文件中的位置。核对无误后可用 hecha check 核查\n"
    );
    text.push_str(&transcribe(&report, &read.source));
    let mut output = match Output::open(args.output.as_deref()) {
        Ok(output) => output,
        Err(e) => {
            let path = args.output.as_deref().map(|p| p.display().to_string());
            eprintln!("hecha: cannot write {}: {e}", path.unwrap_or_default());
            return ExitCode::from(2);
        }
    };
    output.write(text.as_bytes());
    if let Err(e) = output.finish() {
        eprintln!("hecha: cannot write output: {e}");
        return ExitCode::from(2);
    }
    ExitCode::from(if failed { 2 } else { 0 })
}
