//! `hecha check`: report data against rules.
//!
//! Exit codes: 0 when nothing fails; 1 when an unexplained error or warning was found;
//! 2 when an argument, a file or a rule could not be used (after everything else was
//! checked and reported).

use super::ColorWhen;
use super::files::{collect, problem_report};
use crate::check::{check_path, read_limited};
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
    /// Largest file to read, in bytes or with K, M or G (1024-based); larger files are
    /// refused unread
    #[arg(long, value_name = "SIZE", default_value_t = Size(Limits::default().max_file_size))]
    max_file_size: Size,
    /// Deepest nesting of mappings and lists in a file
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_depth: u64,
    /// Most values (figures, text, mappings, lists) in a file, aliases expanded
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_nodes)]
    max_nodes: usize,
    /// Most values that expanding YAML aliases (*name) may add to a file
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
    /// Most data nodes the rules may visit over one file (0: no limit)
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_steps)]
    max_steps: u64,
}

impl CheckArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size.0,
            max_depth: usize::try_from(self.max_depth).unwrap_or(usize::MAX),
            max_nodes: self.max_nodes,
            max_alias_nodes: self.max_alias_nodes,
            max_steps: self.max_steps,
        }
    }
}

/// A size in bytes, written `16M`, `512K`, `2G` or `1000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Size(u64);

impl std::str::FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Size, String> {
        let t = s.trim();
        let t = t.strip_suffix(['B', 'b']).unwrap_or(t);
        let t = t.strip_suffix(['i', 'I']).unwrap_or(t);
        let (digits, shift) = match t.char_indices().last() {
            Some((i, 'K' | 'k')) => (&t[..i], 10),
            Some((i, 'M' | 'm')) => (&t[..i], 20),
            Some((i, 'G' | 'g')) => (&t[..i], 30),
            _ => (t, 0),
        };
        digits
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(1 << shift))
            .map(Size)
            .ok_or_else(|| format!("expected a size such as 16M, 512K or 1000 (bytes), got {s:?}"))
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        match [(30, "G"), (20, "M"), (10, "K")]
            .into_iter()
            .find(|&(shift, _)| n != 0 && n.is_multiple_of(1 << shift))
        {
            Some((shift, unit)) => write!(f, "{}{unit}", n >> shift),
            None => write!(f, "{n}"),
        }
    }
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
    let limits = args.limits();
    let mut unusable: Vec<FileReport> = Vec::new();
    for path in &args.rules {
        let (files, missing) = collect(path, &["yaml", "yml"]);
        unusable.extend(missing);
        for file in files {
            match read_limited(&file, limits.max_file_size) {
                Ok(bytes) => match SourceFile::decode(file.display().to_string(), &bytes) {
                    Ok(source) => rules.add_file(Arc::new(source)),
                    Err(e) => {
                        let (source, problem) = e.report(file.display().to_string(), &bytes);
                        unusable.push(FileReport {
                            source: Arc::new(source),
                            findings: Vec::new(),
                            problems: vec![problem],
                        });
                    }
                },
                Err(problem) => unusable.push(problem_report(&file, *problem)),
            }
        }
    }
    rules.finish();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (text, bytes) in [
            ("16M", 16 << 20),
            ("16MiB", 16 << 20),
            ("512k", 512 << 10),
            ("2G", 2 << 30),
            ("1000", 1000),
            ("1000B", 1000),
        ] {
            assert_eq!(text.parse::<Size>(), Ok(Size(bytes)), "{text}");
        }
        assert!("".parse::<Size>().is_err());
        assert!("16X".parse::<Size>().is_err());
        assert!("99999999999G".parse::<Size>().is_err());
        assert_eq!(Size(16 << 20).to_string(), "16M");
        assert_eq!(Size(1000).to_string(), "1000");
    }
}
