//! `hecha check`: its flags, mapped to [`CheckOptions`]; the check itself is
//! [`crate::session::check`].

use super::ColorWhen;
use super::ruleset::RuleArgs;
use crate::engine::DEFAULT_MAX_STEPS;
use crate::finding::FailOn;
use crate::read::Limits;
use crate::session::check::{CheckOptions, OutputFormat, Plan};
use clap::{Args, ValueEnum};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Report files, or directories searched recursively for the formats hecha reads
    /// (.yaml .yml .json .xlsx .xls .ods .docx .pdf .txt .md); `-` reads one report from
    /// standard input
    #[arg(required = true, value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// The name to show for the report read from standard input (`-`)
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Print per-rule counts after the summary table (human format)
    #[arg(long)]
    statistics: bool,
    #[command(flatten)]
    rules: RuleArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print only the per-file summary table and the summary line (human format)
    #[arg(long)]
    summary_only: bool,
    /// Which findings make the run fail with exit code 1
    #[arg(long, value_enum, default_value_t = FailOnArg::Warning, value_name = "LEVEL")]
    fail_on: FailOnArg,
    /// A reviewer's decisions file: the findings it accepts are reported as explained
    #[arg(long, value_name = "FILE")]
    decisions: Option<PathBuf>,
    /// A baseline file: only findings not in it fail the run
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the findings that fail the run to FILE, as a baseline for --baseline
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// How many files to check at once (default: one per core)
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// When to colour human output (auto: when FORCE_COLOR is set, or stdout is a terminal
    /// and NO_COLOR is unset)
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
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_STEPS)]
    max_steps: u64,
}

impl CheckArgs {
    /// The options of the check these flags ask for.
    fn options(&self) -> CheckOptions {
        CheckOptions {
            paths: self.paths.clone(),
            stdin_name: self.stdin_filename.clone(),
            statistics: self.statistics,
            rules: self.rules.options(),
            format: match self.format {
                Format::Human => OutputFormat::Human,
                Format::Json => OutputFormat::Json,
                Format::Sarif => OutputFormat::Sarif,
                Format::Junit => OutputFormat::Junit,
                Format::Html => OutputFormat::Html,
                Format::Github => OutputFormat::Github,
                Format::Gitlab => OutputFormat::Gitlab,
            },
            output: self.output.clone(),
            summary_only: self.summary_only,
            fail_on: match self.fail_on {
                FailOnArg::Error => FailOn::Error,
                FailOnArg::Warning => FailOn::Warning,
                FailOnArg::Never => FailOn::Never,
            },
            decisions: self.decisions.clone(),
            baseline: self.baseline.clone(),
            write_baseline: self.write_baseline.clone(),
            jobs: self.jobs,
            // Colour in a file would be escape codes in it.
            color: match (&self.output, self.color) {
                (Some(_), ColorWhen::Auto) => false,
                (_, when) => when.enabled(),
            },
            limits: self.limits(),
            max_steps: self.max_steps,
        }
    }

    fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.max_file_size.0,
            max_depth: usize::try_from(self.max_depth).unwrap_or(usize::MAX),
            max_nodes: self.max_nodes,
            max_alias_nodes: self.max_alias_nodes,
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
    Sarif,
    Junit,
    /// One self-contained page for a browser
    Html,
    /// GitHub Actions workflow annotations
    Github,
    /// GitLab Code Quality report (JSON)
    Gitlab,
}

/// `--fail-on`: the lowest severity that fails the run, or never.
#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Never,
}

/// `hecha check`: every file against the rules, then one exit code.
pub fn run(args: &CheckArgs) -> ExitCode {
    let ended = Plan::new(args.options()).run_and_exit();
    for message in &ended.messages {
        eprintln!("hecha: {message}");
    }
    ExitCode::from(ended.exit_code)
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
