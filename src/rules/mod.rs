//! Rules: what a rule file says, compiled once per run.
//!
//! A rule file is YAML with a `rules:` list; [`load`] decodes it from the same
//! span-keeping tree as report data, so every error points into the rule file. The
//! built-in packs under `rules/` are embedded in the binary and loaded the same way.

mod compiled;
pub mod load;

use crate::expr::check::{ParamValue, Params};
use crate::expr::{Expr, Path};
use crate::figure::Figure;
use crate::problem::{Problem, similar};
use crate::source::SourceFile;
use std::collections::{HashMap, HashSet};
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
    /// The `when` as written.
    pub when_text: Option<String>,
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
    /// What to do about a finding: an instruction, with `{expression}` parts like `message`.
    pub help: Option<Template>,
    pub doc: Option<String>,
    pub params: Params,
    /// The rule file and the span of the rule's id in it.
    pub source: Arc<SourceFile>,
    pub id_span: Range<usize>,
}

/// A message with `{expression}` parts, filled in with values as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub(crate) parts: Vec<TemplatePart>,
    /// The template as written, `{…}` parts included (for rule metadata such as SARIF's).
    pub(crate) raw: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TemplatePart {
    Text(String),
    Expr(Expr),
}

/// Every rule of a run, and the problems of the rule files they came from.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Problems per rule file, for files that had any.
    pub problems: Vec<(Arc<SourceFile>, Vec<Problem>)>,
    /// Changes rule files and the config make to rules, applied by [`RuleSet::finish`].
    adjustments: Vec<(Arc<SourceFile>, Adjustment)>,
    /// Index of each rule id in `rules`, so that a rule file with many rules loads in
    /// linear time.
    ids: HashMap<String, usize>,
    /// Rules examined to find rules by id ([`RuleSet::find`]; one per look-up in the
    /// index): the work a test compares at n and 10n rules.
    examined: u64,
}

/// A change to a loaded rule, from a rule file's `params:` or the project config.
#[derive(Clone, Debug)]
pub enum Adjustment {
    Param(load::ParamOverride),
    /// A different severity; to `error`, the rule no longer accepts explanations.
    Severity {
        rule: String,
        span: Range<usize>,
        severity: Severity,
    },
    /// The rule is turned off.
    Disable {
        rule: String,
        span: Range<usize>,
    },
}

impl Adjustment {
    fn rule(&self) -> (&str, &Range<usize>) {
        match self {
            Adjustment::Param(o) => (&o.rule, &o.rule_span),
            Adjustment::Severity { rule, span, .. } | Adjustment::Disable { rule, span } => {
                (rule, span)
            }
        }
    }
}

impl RuleSet {
    /// Loads a rule file into the set. A rule with an error is left out; the others load.
    /// Call [`RuleSet::finish`] once every file is added.
    pub fn add_file(&mut self, source: Arc<SourceFile>) {
        let loaded = load::load_pack(&source, false);
        self.add_rules(source, loaded);
    }

    /// Loads the built-in pack `name` (a file name in [`BUILTIN_PACKS`]) from its `text`,
    /// as [`RuleSet::add_file`] does, but from the packs as compiled ahead of time
    /// (`src/rules/compiled.rs`): reading the YAML and compiling the expressions were most
    /// of a cold process's start. A test makes the compiled form from the packs' YAML and
    /// refuses a pack with any problem, so no pack error can wait for a check; should it
    /// not be that of these packs and this code, the YAML is loaded, with its `matches`
    /// patterns compiled on first use (a test compiles every built-in pattern, so none can
    /// fail then).
    pub fn add_builtin(&mut self, name: &str, text: &str) {
        let source = Arc::new(SourceFile::new(format!("builtin:rules/{name}"), text));
        let loaded =
            compiled::pack(name, &source).unwrap_or_else(|| load::load_pack(&source, true));
        self.add_rules(source, loaded);
    }

    fn add_rules(&mut self, source: Arc<SourceFile>, loaded: load::LoadedRules) {
        let mut problems = loaded.problems;
        self.adjustments.extend(
            loaded
                .overrides
                .into_iter()
                .map(|o| (Arc::clone(&source), Adjustment::Param(o))),
        );
        for rule in loaded.rules {
            if let Some(first) = self.find(&rule.id) {
                let first = &self.rules[first];
                let at = first.source.position(first.id_span.start);
                problems.push(
                    Problem::new("duplicate-id", format!("规则 id「{}」重复", rule.id))
                        .at(rule.id_span.clone(), "重复的 id")
                        .with_note(format!("已在 {} 定义", at.show(&first.source.name)))
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

    /// Records changes to rules to apply once every file is loaded.
    pub fn adjust(&mut self, source: &Arc<SourceFile>, adjustments: Vec<Adjustment>) {
        self.adjustments
            .extend(adjustments.into_iter().map(|a| (Arc::clone(source), a)));
    }

    /// Applies the changes rule files and the config make, in the order they were added,
    /// so a bureau can change a pack's threshold, a rule's severity, or turn a rule off
    /// without copying the pack. A parameter must keep its unit, since the rule's
    /// expressions were checked with it.
    pub fn finish(&mut self) {
        let mut disabled = HashSet::new();
        for (source, adjustment) in std::mem::take(&mut self.adjustments) {
            if let Adjustment::Disable { rule, .. } = &adjustment
                && self.find(rule).is_some()
            {
                disabled.insert(rule.clone());
                continue;
            }
            if let Some(problem) = self.apply(&adjustment) {
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
        // Rules turned off leave once every other change is made, and the index follows.
        if !disabled.is_empty() {
            self.rules.retain(|r| !disabled.contains(&r.id));
            self.ids = self
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect();
        }
    }

    /// The index of the rule with this id. Every look-up of a rule by id goes through
    /// here, and counts the rules it examines.
    fn find(&mut self, id: &str) -> Option<usize> {
        self.examined += 1;
        self.ids.get(id).copied()
    }

    /// Rules examined so far to find rules by id.
    pub fn examined(&self) -> u64 {
        self.examined
    }

    fn apply(&mut self, adjustment: &Adjustment) -> Option<Problem> {
        let (id, span) = adjustment.rule();
        let Some(index) = self.find(id) else {
            let p = Problem::new("unknown-rule", format!("没有 id 为「{id}」的规则"))
                .at(span.clone(), "未知规则");
            self.examined += self.rules.len() as u64;
            let ids = self.rules.iter().map(|r| r.id.as_str());
            return Some(match similar(id, ids) {
                Some(s) => p.with_help(format!("有名称相近的规则「{s}」")),
                None => p,
            });
        };
        let rule = &mut self.rules[index];
        let o = match adjustment {
            // An unknown id was reported above; `finish` turns known ones off.
            Adjustment::Disable { .. } => return None,
            Adjustment::Severity { severity, .. } => {
                rule.severity = *severity;
                if *severity == Severity::Error {
                    rule.explained_by = None;
                }
                return None;
            }
            Adjustment::Param(o) => o,
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
            set.add_builtin(name, text);
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

// BUILTIN_PACKS, BUILTIN_CASES and BUILTIN_READERS, generated by build.rs from rules/.
include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
