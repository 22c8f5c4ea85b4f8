//! `hecha check`: report data against rules.
//!
//! Exit codes: 0 when nothing fails; 1 when an unexplained error or warning was found;
//! 2 when an argument, a file or a rule could not be used (after everything else was
//! checked and reported).

use super::ColorWhen;
use super::files::collect;
use super::ruleset::RuleArgs;
use crate::check::check_path;
use crate::problem::Problem;
use crate::render::{FileReport, Summary, human, json};
use crate::report::yaml::Limits;
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
    #[command(flatten)]
    rules: RuleArgs,
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
    // Each path is checked with the rules of its nearest hecha.yaml (or --config).
    let mut groups: Vec<(Option<PathBuf>, Vec<&PathBuf>)> = Vec::new();
    for path in &args.paths {
        let config = args.rules.config_for(path);
        match groups.iter_mut().find(|(c, _)| *c == config) {
            Some((_, paths)) => paths.push(path),
            None => groups.push((config, vec![path])),
        }
    }
    let limits = Limits::default();
    let mut reports = Vec::new();
    let mut unusable: Vec<FileReport> = Vec::new();
    let mut rule_problems: Vec<(Arc<SourceFile>, Vec<Problem>)> = Vec::new();
    for (config, paths) in &groups {
        let selection = args.rules.load(config.as_deref());
        for (source, problems) in selection.rules.problems.iter() {
            if !rule_problems.iter().any(|(s, _)| s.name == source.name) {
                rule_problems.push((Arc::clone(source), problems.clone()));
            }
        }
        for report in selection.unusable {
            if !unusable.iter().any(|r| r.source.name == report.source.name) {
                unusable.push(report);
            }
        }
        for path in paths {
            let (files, missing) = collect(path, &["yaml", "yml", "json"]);
            reports.extend(missing);
            reports.extend(
                files
                    .iter()
                    .map(|f| check_path(f, &selection.rules.rules, &limits)),
            );
        }
    }
    reports.sort_by(|a, b| a.source.name.cmp(&b.source.name));

    let mut summary = Summary::default();
    for report in &reports {
        summary.add_file(report);
    }
    for (_, problems) in &rule_problems {
        summary.add_problems(problems);
    }
    for report in &unusable {
        summary.add_problems(&report.problems);
    }

    let mut out = Vec::new();
    match args.format {
        Format::Json => {
            let mut rule_problems = rule_problems.clone();
            rule_problems.extend(
                unusable
                    .iter()
                    .map(|r| (Arc::clone(&r.source), r.problems.clone())),
            );
            out.extend_from_slice(json::render(&reports, &rule_problems, summary).as_bytes());
        }
        Format::Human => {
            let color = args.color.enabled();
            for (source, problems) in &rule_problems {
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
