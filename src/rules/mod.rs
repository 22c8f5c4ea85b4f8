//! Rules: what a rule file says, compiled once per run.
//!
//! A rule file is YAML with a `rules:` list; [`load`] decodes it from the same
//! span-keeping tree as report data, so every error points into the rule file. The
//! built-in packs under `rules/` are embedded in the binary and loaded the same way.

pub mod load;

use crate::expr::check::{ParamValue, Params};
use crate::expr::{Expr, Path};
use crate::figure::Figure;
use crate::problem::{Problem, similar};
use crate::source::SourceFile;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Must be fixed (强制性审核).
    Error,
    /// Must be fixed or explained (提示性/核实性审核).
    Warning,
    /// Never fails a run.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Which nodes the rule visits (`for`).
    pub selector: Path,
    pub when: Option<Expr>,
    pub check: Expr,
    /// The `check` as written, for `explain` and listings.
    pub check_text: String,
    /// Where non-blank text explains a failure.
    pub explained_by: Option<Path>,
    /// The primary figure of a finding, instead of the left side of the failed comparison.
    pub at: Option<Path>,
    /// An absolute tolerance replacing rounding intervals.
    pub tolerance: Option<Figure>,
    pub message: Option<Template>,
    /// What to do about a finding: an instruction.
    pub help: Option<String>,
    pub doc: Option<String>,
    pub params: Params,
    /// The rule file and the span of the rule's id in it.
    pub source: Arc<SourceFile>,
    pub id_span: Range<usize>,
}

/// A message with `{expression}` parts, filled in with values as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Expr(Expr),
}

/// Every rule of a run, and the problems of the rule files they came from.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Problems per rule file, for files that had any.
    pub problems: Vec<(Arc<SourceFile>, Vec<Problem>)>,
    /// Parameter values set by rule files, applied by [`RuleSet::finish`].
    overrides: Vec<(Arc<SourceFile>, load::ParamOverride)>,
    /// Index of each rule id in `rules`, so that a rule file with many rules loads in
    /// linear time.
    ids: HashMap<String, usize>,
}

impl RuleSet {
    /// Loads a rule file into the set. A rule with an error is left out; the others load.
    /// Call [`RuleSet::finish`] once every file is added.
    pub fn add_file(&mut self, source: Arc<SourceFile>) {
        let loaded = load::load_rules(&source);
        let mut problems = loaded.problems;
        self.overrides.extend(
            loaded
                .overrides
                .into_iter()
                .map(|o| (Arc::clone(&source), o)),
        );
        for rule in loaded.rules {
            if let Some(&first) = self.ids.get(&rule.id) {
                let first = &self.rules[first];
                let (line, col) = first.source.line_column(first.id_span.start);
                problems.push(
                    Problem::new("duplicate-id", format!("规则 id「{}」重复", rule.id))
                        .at(rule.id_span.clone(), "重复的 id")
                        .with_note(format!("已在 {}:{line}:{col} 定义", first.source.name))
                        .with_help("id 是规则的稳定名称，每条规则各用一个"),
                );
                continue;
            }
            self.ids.insert(rule.id.clone(), self.rules.len());
            self.rules.push(rule);
        }
        if !problems.is_empty() {
            self.problems.push((source, problems));
        }
    }

    /// Applies the parameter values rule files set, in the order the files were added,
    /// so a bureau's file can change a pack's threshold without copying the pack. A value
    /// must keep the parameter's unit, since the rule's expressions were checked with it.
    pub fn finish(&mut self) {
        for (source, o) in std::mem::take(&mut self.overrides) {
            if let Some(problem) = self.apply(&o) {
                match self
                    .problems
                    .iter_mut()
                    .find(|(s, _)| Arc::ptr_eq(s, &source))
                {
                    Some((_, ps)) => ps.push(problem),
                    None => self.problems.push((source, vec![problem])),
                }
            }
        }
    }

    fn apply(&mut self, o: &load::ParamOverride) -> Option<Problem> {
        let Some(rule) = self.ids.get(&o.rule).map(|&i| &mut self.rules[i]) else {
            let p = Problem::new("unknown-rule", format!("没有 id 为「{}」的规则", o.rule))
                .at(o.rule_span.clone(), "未知规则");
            let ids = self.rules.iter().map(|r| r.id.as_str());
            return Some(match similar(&o.rule, ids) {
                Some(s) => p.with_help(format!("有名称相近的规则「{s}」")),
                None => p,
            });
        };
        let Some(default) = rule.params.get(&o.name) else {
            let p = Problem::new(
                "unknown-param",
                format!("规则「{}」没有参数「{}」", rule.id, o.name),
            )
            .at(o.name_span.clone(), "未知参数");
            let names: Vec<&str> = rule.params.keys().map(String::as_str).collect();
            return Some(match similar(&o.name, names.iter().copied()) {
                Some(s) => p.with_help(format!("有名称相近的参数「{s}」")),
                None if names.is_empty() => p.with_note("这条规则没有参数"),
                None => p.with_note(format!("可用的参数：{}", names.join("、"))),
            });
        };
        if !same_kind(default, &o.value) {
            return Some(
                Problem::new(
                    "param-type",
                    format!(
                        "参数「{}」的取值应与默认值 {} 同单位",
                        o.name,
                        show_param(default)
                    ),
                )
                .at(o.value_span.clone(), "单位不同"),
            );
        }
        rule.params.insert(o.name.clone(), o.value.clone());
        None
    }

    /// The built-in packs, embedded in the binary.
    pub fn builtin() -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in BUILTIN_PACKS {
            set.add_file(Arc::new(SourceFile::new(
                format!("builtin:rules/{name}"),
                *text,
            )));
        }
        set.finish();
        set
    }

    pub fn has_problems(&self) -> bool {
        self.problems
            .iter()
            .any(|(_, ps)| ps.iter().any(|p| !p.notice))
    }
}

fn same_kind(a: &ParamValue, b: &ParamValue) -> bool {
    match (a, b) {
        (ParamValue::Figure(x, _), ParamValue::Figure(y, _)) => x.dimension() == y.dimension(),
        (ParamValue::Text(_), ParamValue::Text(_)) => true,
        _ => false,
    }
}

fn show_param(p: &ParamValue) -> &str {
    match p {
        ParamValue::Figure(_, text) | ParamValue::Text(text) => text,
    }
}

/// The packs under `rules/`, in the order they run.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("casework.yaml", include_str!("../../rules/casework.yaml")),
    ("budget.yaml", include_str!("../../rules/budget.yaml")),
    ("breakdown.yaml", include_str!("../../rules/breakdown.yaml")),
    ("hygiene.yaml", include_str!("../../rules/hygiene.yaml")),
];
