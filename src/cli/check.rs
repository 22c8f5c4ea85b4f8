//! `hecha check`: report data against rules.
//!
//! Exit codes: 0 when nothing fails; 1 when an unexplained error or warning was found;
//! 2 when an argument, a file or a rule could not be used (after everything else was
//! checked and reported).

use super::ColorWhen;
use super::files::{collect, problem_report};
use crate::check::check_path_with;
use crate::engine::Engine;
use crate::problem::Problem;
use crate::render::{FileReport, Summary, human, json};
use crate::report::yaml::Limits;
use crate::rules::RuleSet;
use crate::source::SourceFile;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args)]
pub struct CheckArgs {
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

/// `hecha check`: every file against the rules, then one exit code.
pub fn run(args: &CheckArgs) -> ExitCode {
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
    rules.finish();
    let limits = Limits::default();
    let engine = Engine::new(&rules.rules);
    let mut reports = Vec::new();
    for path in &args.paths {
        let (files, missing) = collect(path, &["yaml", "yml", "json"]);
        reports.extend(missing);
        reports.extend(files.iter().map(|f| check_path_with(&engine, f, &limits)));
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
            let color = args.color.enabled();
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
    if !super::write_stdout(&out) {
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
