//! `hecha explain RULE_ID`: what a rule checks, why, and an example each way; `hecha
//! explain CODE`: what a problem code (`yaml-syntax`) means and what to do.

use super::ruleset::RuleArgs;
use crate::problem::similar;
use crate::rules::Rule;
use crate::ruletest::examples::{Example, examples};
use clap::Args;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args)]
pub(crate) struct ExplainArgs {
    /// The rule's id, such as casework/closed-exceeds-assigned, or a problem code, such
    /// as yaml-syntax
    #[arg(value_name = "RULE_ID|CODE")]
    id: String,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(args: &ExplainArgs) -> ExitCode {
    if let Some(code) = crate::problem::describe(&args.id) {
        let text = format!(
            "{} (problem)\n{}\n\n{}\n",
            code.code, code.summary, code.doc
        );
        return if super::write_stdout(text.as_bytes()) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    let options = args.rules.options();
    let config = options.config_for(Path::new("."));
    let selection = options.load(config.as_deref());
    let Some(rule) = selection.rules.rules.iter().find(|r| r.id == args.id) else {
        let ids: Vec<&str> = selection
            .rules
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let containing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| id.contains(args.id.as_str()))
            .collect();
        let shown = crate::source::safe_text(&args.id, false);
        match similar(&args.id, ids.iter().copied()) {
            Some(s) => {
                eprintln!("hecha: no rule has the id {shown}; a rule with a similar id is {s}")
            }
            None if !containing.is_empty() => {
                eprintln!(
                    "hecha: no rule has the id {shown}; did you mean one of: {}",
                    containing.join(", ")
                )
            }
            None => eprintln!("hecha: no rule has the id {shown}; `hecha rules` lists them"),
        }
        return ExitCode::from(2);
    };
    if super::write_stdout(explain(rule).as_bytes()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// The explanation of a rule, as `hecha explain` prints it.
pub fn explain(rule: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", rule.id, rule.severity.as_str());
    let _ = writeln!(out, "{}\n", rule.title);
    let _ = writeln!(out, "  检查  {}", rule.check_text);
    let _ = writeln!(out, "  范围  for: \"{}\"", rule.selector);
    if let Some(when) = &rule.when_text {
        let _ = writeln!(out, "  条件  {}", when.trim());
    }
    if let Some(path) = &rule.explained_by {
        let _ = writeln!(out, "  说明  {path} 中有文字时，视为已说明");
    }
    if !rule.params.is_empty() {
        let params: Vec<String> = rule
            .params
            .iter()
            .map(|(k, v)| match v {
                crate::expr::check::ParamValue::Figure(_, t)
                | crate::expr::check::ParamValue::Text(t) => {
                    format!("${k} = {t}")
                }
            })
            .collect();
        let _ = writeln!(out, "  参数  {}", params.join("，"));
    }
    let _ = writeln!(out, "  来源  {}", rule.source.name);
    if let Some(doc) = &rule.doc {
        let _ = writeln!(out, "\n{}", doc.trim_end());
    }
    let (fires, passes) = examples(rule);
    for (heading, example) in [("触发", fires), ("通过", passes)] {
        let Some(Example {
            case,
            data,
            findings,
        }) = example
        else {
            continue;
        };
        let _ = writeln!(out, "\n{heading}的例子（{case}）：");
        for line in data.lines() {
            let _ = writeln!(out, "    {line}");
        }
        for f in &findings {
            let _ = writeln!(
                out,
                "  → {}: {}（{}）",
                f.severity.as_str(),
                f.message,
                f.primary.path
            );
        }
    }
    out
}
