//! The project config, `hecha.yaml`: which rule packs run, and how a bureau adjusts them
//! without copying them. Found by walking up from the checked files, or given with
//! `--config`.
//!
//! ```yaml
//! extends: builtin                 # all built-in packs (the default); or a list such as
//!                                  # [builtin/casework, builtin/budget]; or [] for none
//! rules: [bureau-rules.yaml]       # more rule files or directories, relative to this file
//! severity:
//!   budget/executed-exceeds-budget: error
//! disable: [hygiene/placeholder-text]
//! params:
//!   casework/closure-rate-mismatch: {...}
//! layout:                          # the province's names of form columns and rows
//!   fund_columns: {全年预算数: [核定预算数]}
//! ```

use crate::fields::Fields;
use crate::problem::{Problem, similar};
use crate::read::yaml::load;
use crate::report::{NodeId, Place};
use crate::rules::load::param_overrides;
use crate::rules::{Adjustment, BUILTIN_PACKS, Severity};
use crate::source::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAME: &str = "hecha.yaml";
const FIELDS: &[&str] = &[
    "extends", "rules", "severity", "disable", "params", "layout",
];

#[derive(Debug)]
pub struct Config {
    pub(crate) source: Arc<SourceFile>,
    /// The built-in packs to use, by file name (`casework.yaml`); `None` for all.
    pub(crate) packs: Option<Vec<String>>,
    /// More rule files or directories, resolved against the config's directory.
    pub(crate) rule_paths: Vec<PathBuf>,
    pub(crate) adjustments: Vec<Adjustment>,
    /// The forms layout with the bureau's variants (`layout:`) added to the built-in
    /// ones; `None` when the config adds none.
    pub(crate) layout: Option<Box<crate::read::table::Layout>>,
}

/// The nearest `hecha.yaml` in `start` (a file's directory) or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Reads a config; its problems are reported against it.
pub fn read(path: &Path) -> Result<Config, (Arc<SourceFile>, Vec<Problem>)> {
    match read_all(path) {
        (Some(config), None) => Ok(config),
        (_, Some(problems)) => Err(problems),
        (None, None) => unreachable!("a config that could not be read has a problem"),
    }
}

/// Reads a config, keeping what could be read of it when it has problems, so that
/// every problem of a config is found at once: those of its fields, and those of the
/// rules it names, found when it is applied ([`crate::rules::RuleSet::finish`]).
#[allow(clippy::type_complexity)]
pub fn read_all(path: &Path) -> (Option<Config>, Option<(Arc<SourceFile>, Vec<Problem>)>) {
    let (config, problems) = match read_inner(path) {
        Ok(config) => (Some(config), None),
        Err((config, problems)) => (config, Some(problems)),
    };
    (config, problems)
}

#[allow(clippy::type_complexity)]
fn read_inner(path: &Path) -> Result<Config, (Option<Config>, (Arc<SourceFile>, Vec<Problem>))> {
    let source = crate::pipeline::read_source(path, crate::pipeline::input_limits().max_file_size)
        .map_err(|r| (None, (r.source, r.problems)))?;
    let source = Arc::new(source);
    let loaded = load(&source.text, &crate::pipeline::input_limits());
    let Some(report) = loaded.report else {
        return Err((None, (source, loaded.problems)));
    };
    let mut f = Fields::new(&report);
    f.problems = loaded.problems;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut config = Config {
        source: Arc::clone(&source),
        packs: None,
        rule_paths: Vec::new(),
        adjustments: Vec::new(),
        layout: None,
    };
    if let Some(&root) = report.roots.first() {
        if f.is_map(root) {
            f.unknown_fields(root, FIELDS, "配置文件");
            config.packs = extends(&mut f, root);
            config.rule_paths = f
                .list(root, "rules", "列表（规则文件或目录）")
                .into_iter()
                .filter_map(|n| report.text(n).map(|t| dir.join(t)))
                .collect();
            severities(&mut f, root, &mut config.adjustments);
            for item in f.list(root, "disable", "列表（规则 id）") {
                if let Some(rule) = report.text(item) {
                    config.adjustments.push(Adjustment::Disable {
                        rule: rule.to_string(),
                        span: report.node(item).span.clone(),
                    });
                }
            }
            if let Some(params) = report.child(root, "params") {
                config.adjustments.extend(
                    param_overrides(&mut f, params)
                        .into_iter()
                        .map(Adjustment::Param),
                );
            }
            if let Some(layout) = report.child(root, "layout") {
                let mut known = crate::read::table::Layout::builtin();
                f.problems.extend(known.extend(&report, layout));
                config.layout = Some(Box::new(known));
            }
        } else {
            f.type_error(
                root,
                "配置文件",
                "映射（extends、rules、severity、disable、params）",
            );
        }
    }
    if f.problems.is_empty() {
        Ok(config)
    } else {
        Err((Some(config), (source, f.problems)))
    }
}

/// `extends`: `builtin`, a list of `builtin/<pack>`, or `[]`.
fn extends(f: &mut Fields<'_>, root: NodeId) -> Option<Vec<String>> {
    let report = f.report;
    report.child(root, "extends")?;
    let names: Vec<&str> = BUILTIN_PACKS
        .iter()
        .map(|(n, _)| n.trim_end_matches(".yaml"))
        .collect();
    let mut packs = Vec::new();
    for item in f.list(root, "extends", "builtin 或列表") {
        let Some(text) = report.text(item) else {
            continue;
        };
        if text == "builtin" {
            return None;
        }
        let pack = text.strip_prefix("builtin/").unwrap_or(text);
        if names.contains(&pack) {
            packs.push(format!("{pack}.yaml"));
        } else {
            let p = Problem::new("unknown-pack", format!("没有名为「{text}」的内置规则包"))
                .at(report.node(item).span.clone(), "未知规则包");
            let candidates: Vec<String> = names.iter().map(|n| format!("builtin/{n}")).collect();
            f.problems
                .push(match similar(text, candidates.iter().map(String::as_str)) {
                    Some(s) => p.with_help(format!("有名称相近的规则包「{s}」")),
                    None => {
                        p.with_note(format!("内置规则包：builtin，或 {}", candidates.join("、")))
                    }
                });
        }
    }
    Some(packs)
}

fn severities(f: &mut Fields<'_>, root: NodeId, out: &mut Vec<Adjustment>) {
    let report = f.report;
    let Some(map) = report.child(root, "severity") else {
        return;
    };
    if !f.is_map(map) {
        f.type_error(map, "severity", "映射（规则 id: error | warning | info）");
        return;
    }
    for &child in report.children(map) {
        let Place::Key(key) = &report.node(child).place else {
            continue;
        };
        let severity = match report.text(child) {
            Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("info") => Severity::Info,
            _ => {
                f.problems.push(
                    Problem::new(
                        "invalid-severity",
                        format!("「{}」的 severity 应为 error、warning 或 info", key.text),
                    )
                    .at(report.label_span(child), "未知取值"),
                );
                continue;
            }
        };
        out.push(Adjustment::Severity {
            rule: key.text.to_string(),
            span: key.span.clone(),
            severity,
        });
    }
}
