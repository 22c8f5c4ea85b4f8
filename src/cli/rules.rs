//! `hecha rules`: every loaded rule, for people, programs, or the docs.

use super::ruleset::RuleArgs;
use crate::rules::Rule;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct RulesArgs {
    #[command(flatten)]
    rules: RuleArgs,
    /// Output format; markdown is what docs/rules.md holds
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Markdown,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    severity: &'a str,
    title: &'a str,
    source: &'a str,
    #[serde(rename = "for")]
    selector: String,
    when: Option<&'a str>,
    check: &'a str,
    explained_by: Option<String>,
}

pub fn run(args: &RulesArgs) -> ExitCode {
    let options = args.rules.options();
    let config = options.config_for(Path::new("."));
    let selection = options.load(config.as_deref());
    let rules = &selection.rules.rules;
    let text = match args.format {
        Format::Human => human(rules),
        Format::Json => {
            let out: Vec<RuleOut<'_>> = rules
                .iter()
                .map(|r| RuleOut {
                    id: &r.id,
                    severity: r.severity.as_str(),
                    title: &r.title,
                    source: &r.source.name,
                    selector: r.selector.to_string(),
                    when: r.when_text.as_deref(),
                    check: &r.check_text,
                    explained_by: r.explained_by.as_ref().map(ToString::to_string),
                })
                .collect();
            serde_json::to_string_pretty(&out).expect("plain data serializes") + "\n"
        }
        Format::Markdown => markdown(rules),
    };
    let unusable = selection.rules.has_problems() || !selection.unusable.is_empty();
    if unusable {
        eprintln!("hecha: some rule files have problems; `hecha check` shows them");
    }
    if !super::write_stdout(text.as_bytes()) || unusable {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn human(rules: &[Rule]) -> String {
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in rules {
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {}  ({})",
            r.id,
            r.severity.as_str(),
            r.title,
            r.source.name
        );
    }
    let _ = writeln!(out, "{} 条规则", rules.len());
    out
}

/// The rule reference, generated from the rule files (`hecha rules --format markdown`).
pub fn markdown(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Built-in rules\n\nGenerated from `rules/*.yaml` by `hecha rules --format markdown`; do not edit.\n",
    );
    let mut current = "";
    for r in rules {
        if r.source.name != current {
            current = &r.source.name;
            let _ = write!(out, "\n## {}\n\n", current.trim_start_matches("builtin:"));
            for r in rules.iter().filter(|x| x.source.name == current) {
                let _ = writeln!(out, "- [`{}`](#{}) — {}", r.id, anchor(&r.id), r.title);
            }
        }
        let _ = write!(out, "\n### {}\n\n", r.id);
        let _ = writeln!(out, "**{}** ({})\n", r.title, r.severity.as_str());
        let _ = writeln!(out, "- for: `{}`", r.selector);
        if let Some(when) = &r.when_text {
            let _ = writeln!(
                out,
                "- when: `{}`",
                when.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        let _ = writeln!(out, "- check: `{}`", r.check_text);
        if let Some(path) = &r.explained_by {
            let _ = writeln!(out, "- explained by: `{path}`");
        }
        if let Some(doc) = &r.doc {
            let _ = write!(out, "\n{}\n", doc.trim_end());
        }
    }
    out
}

/// The anchor GitHub gives a heading: lowercase, `/` dropped.
fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
