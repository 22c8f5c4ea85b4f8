//! Which nodes each rule visits, found once per report rather than once per rule.
//!
//! Most rules visit every mapping (`for: "**"`) or every value (`for: "**.*"`) but only
//! apply where a key is present: `when: has(办结) and has(交办)`. A `has(K)` that the
//! `when` needs (a term of its top-level `and`) is false wherever no mapping has the key
//! K where the path looks, and `false and …` is false whatever the rest is. So such a rule
//! visits only the nodes near a key K, found through one index of the report's keys made
//! in one pass; the findings are the same as visiting every node (a test compares the
//! two). Other rules share one resolution of each selector per report.

use super::Budget;
use crate::expr::{Expr, ExprKind, LogicOp, Path, Step};
use crate::report::{NodeId, Place, Report, Value};
use crate::rules::Rule;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How each rule of a run finds the nodes it visits; made once per run.
#[derive(Debug)]
pub(super) struct Plan<'r> {
    visits: Vec<Visit>,
    /// The keys rules need, each with its slot in a report's [`Index`].
    keys: HashMap<&'r str, usize, BuildHasherDefault<Fnv>>,
    /// Bit `len % 64` set for the byte length of every needed key, and bit `c % 64` for
    /// its first character: most keys of a report are ruled out without hashing them.
    lengths: u64,
    firsts: u64,
    /// The selectors of the rules that visit by selector, each resolved once per report.
    selectors: Vec<&'r Path>,
    /// Selectors `**.K…`: the slot of key K in the index, K, and the steps after it.
    keyed: Vec<(usize, &'r str, Path)>,
}

#[derive(Clone, Copy, Debug)]
enum Visit {
    /// The nodes `ups` levels below a mapping that has the key in `slot`, that the shape
    /// selects.
    Near {
        slot: usize,
        ups: usize,
        shape: Shape,
    },
    /// Every node the shape selects.
    Every(Shape),
    /// What the selector in this slot selects.
    Select(usize),
    /// What the selector `**.K…` in this slot of `keyed` selects, found from the mappings
    /// that have the key K rather than by walking the whole report.
    Keyed(usize),
}

/// Selectors whose nodes can be told one by one: `**` selects every mapping and list,
/// `**.*` every node that has a parent.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Collections = 0,
    Members = 1,
    /// Members that are values (scalars): a refinement of `**.*` for the rules that can
    /// apply to nothing else.
    Values = 2,
}

impl<'r> Plan<'r> {
    pub(super) fn new(rules: &'r [Rule]) -> Plan<'r> {
        let mut plan = Plan {
            visits: Vec::with_capacity(rules.len()),
            keys: HashMap::default(),
            lengths: 0,
            firsts: 0,
            selectors: Vec::new(),
            keyed: Vec::new(),
        };
        for rule in rules {
            let mut needs = Vec::new();
            if let Some(when) = &rule.when {
                conjuncts(when, &mut needs);
            }
            let visit = match (Shape::of(&rule.selector), needs.first()) {
                (Some(shape), Some(&(ups, key))) => {
                    let next = plan.keys.len();
                    let slot = *plan.keys.entry(key).or_insert(next);
                    Visit::Near { slot, ups, shape }
                }
                // A rule that can only apply to a value (`matches(., …)`) need not visit
                // the mappings and lists among the members.
                (Some(Shape::Members), None) if on_values_only(rule) => Visit::Every(Shape::Values),
                (Some(shape), None) => Visit::Every(shape),
                (None, _) if let Some((key, rest)) = keyed_selector(&rule.selector) => {
                    let next = plan.keys.len();
                    let slot = *plan.keys.entry(key).or_insert(next);
                    let rest = Path {
                        steps: rest.to_vec(),
                    };
                    let position = plan
                        .keyed
                        .iter()
                        .position(|(k, _, r)| *k == slot && *r == rest);
                    Visit::Keyed(position.unwrap_or_else(|| {
                        plan.keyed.push((slot, key, rest));
                        plan.keyed.len() - 1
                    }))
                }
                (None, _) => {
                    let slot = match plan.selectors.iter().position(|s| **s == rule.selector) {
                        Some(slot) => slot,
                        None => {
                            plan.selectors.push(&rule.selector);
                            plan.selectors.len() - 1
                        }
                    };
                    Visit::Select(slot)
                }
            };
            plan.visits.push(visit);
        }
        for key in plan.keys.keys() {
            plan.lengths |= 1 << (key.len() % 64);
            plan.firsts |= 1 << (key.chars().next().map_or(0, |c| c as u32) % 64);
        }
        plan
    }

    /// Whether `key` may be one the rules need; false only if it certainly is not.
    fn may_need(&self, key: &str) -> bool {
        self.lengths >> (key.len() % 64) & 1 == 1
            && self.firsts >> (key.chars().next().map_or(0, |c| c as u32) % 64) & 1 == 1
    }

    /// The index of `report` that the rules of this plan visit by.
    /// Resolving selectors is charged to `budget`.
    pub(super) fn index<'a>(&self, report: &'a Report, budget: &'a Budget) -> Index<'a> {
        let mut holders = vec![Vec::new(); self.keys.len()];
        if !self.keys.is_empty() {
            for node in report.ids() {
                let n = report.node(node);
                if let (Place::Key(k), Some(parent)) = (&n.place, n.parent)
                    && self.may_need(&k.text)
                    && let Some(&slot) = self.keys.get(k.text.as_str())
                {
                    holders[slot].push(parent);
                }
            }
            for list in &mut holders {
                // A mapping with a duplicate key, or an alias copy, is listed once.
                list.sort_unstable();
                list.dedup();
            }
        }
        Index {
            report,
            budget,
            holders,
            every: [None, None, None],
            selected: vec![None; self.selectors.len()],
            keyed: vec![None; self.keyed.len()],
        }
    }

    /// The nodes the rule at `position` in the plan's rules visits in `index`'s report.
    pub(super) fn nodes<'i>(&self, position: usize, index: &'i mut Index<'_>) -> Cow<'i, [NodeId]> {
        let (report, budget) = (index.report, index.budget);
        match self.visits[position] {
            Visit::Near { slot, ups, shape } => {
                let mut nodes = Cow::Borrowed(index.holders[slot].as_slice());
                for _ in 0..ups {
                    nodes = Cow::Owned(
                        nodes
                            .iter()
                            .flat_map(|&n| report.children(n).iter().copied())
                            .collect(),
                    );
                }
                if nodes.iter().all(|&n| shape.selects(report, n)) {
                    nodes
                } else {
                    Cow::Owned(
                        nodes
                            .iter()
                            .copied()
                            .filter(|&n| shape.selects(report, n))
                            .collect(),
                    )
                }
            }
            Visit::Every(shape) => {
                Cow::Borrowed(index.every[shape as usize].get_or_insert_with(|| {
                    report.ids().filter(|&n| shape.selects(report, n)).collect()
                }))
            }
            Visit::Keyed(slot) => {
                let (key_slot, key, rest) = &self.keyed[slot];
                let holders = &index.holders[*key_slot];
                Cow::Borrowed(index.keyed[slot].get_or_insert_with(|| {
                    holders
                        .iter()
                        .filter_map(|&h| report.child(h, key))
                        .flat_map(|n| rest.resolve(report, n, budget))
                        .collect()
                }))
            }
            Visit::Select(slot) => {
                let selector = self.selectors[slot];
                Cow::Borrowed(index.selected[slot].get_or_insert_with(|| {
                    report
                        .roots
                        .iter()
                        .flat_map(|&root| selector.resolve(report, root, budget))
                        .collect()
                }))
            }
        }
    }
}

/// What a report's rules visit by: for each key a rule needs, the mappings that have it,
/// in document order; and the selectors resolved so far.
pub(super) struct Index<'a> {
    report: &'a Report,
    budget: &'a Budget,
    holders: Vec<Vec<NodeId>>,
    /// Every node of each shape, once a rule asks.
    every: [Option<Vec<NodeId>>; 3],
    selected: Vec<Option<Vec<NodeId>>>,
    keyed: Vec<Option<Vec<NodeId>>>,
}

impl Shape {
    fn of(selector: &Path) -> Option<Shape> {
        match selector.steps.as_slice() {
            [Step::Descendants] => Some(Shape::Collections),
            [Step::Descendants, Step::Children] => Some(Shape::Members),
            _ => None,
        }
    }

    fn selects(self, report: &Report, node: NodeId) -> bool {
        match self {
            Shape::Collections => {
                matches!(report.node(node).value, Value::Map(_) | Value::Seq(_))
            }
            Shape::Members => report.node(node).parent.is_some(),
            Shape::Values => {
                report.node(node).parent.is_some()
                    && matches!(report.node(node).value, Value::Scalar(_))
            }
        }
    }
}

/// A selector `**.K…` (every node under a key K, at any depth, then further steps) as K
/// and the steps after it. The mappings that have K are in the index, so such a selector
/// needs no walk over the whole report: `**` selects every mapping, and K those with it.
fn keyed_selector(selector: &Path) -> Option<(&str, &[Step])> {
    match selector.steps.as_slice() {
        [Step::Descendants, Step::Key(key), rest @ ..] if !rest.contains(&Step::Descendants) => {
            Some((key.as_str(), rest))
        }
        _ => None,
    }
}

/// Whether `rule` can apply only where the visited node is a value (a scalar): its
/// `when` has a term of its top-level `and`, or (with no `when`) its `check` is, an
/// expression that has no result anywhere else. Such an expression there makes `when`
/// not hold and `check` give nothing, so visiting only values finds the same.
fn on_values_only(rule: &Rule) -> bool {
    match &rule.when {
        Some(when) => {
            let mut terms = Vec::new();
            and_terms(when, &mut terms);
            terms.into_iter().any(value_only)
        }
        None => value_only(&rule.check),
    }
}

fn and_terms<'r>(expr: &'r Expr, terms: &mut Vec<&'r Expr>) {
    match &expr.kind {
        ExprKind::Logic(LogicOp::And, a, b) => {
            and_terms(a, terms);
            and_terms(b, terms);
        }
        _ => terms.push(expr),
    }
}

/// Whether `expr` has no result (is not applicable) wherever the visited node is not a
/// scalar: a call of a function that needs a scalar ([`needs_scalar`](crate::expr::builtins::Builtin::needs_scalar): `matches`,
/// `integer`, `unit`) on `.` or on such a call on `.` (`matches(unit(.), …)`), and their
/// negations. The type rules keep the rest apart (`integer(unit(.))` is no rule).
fn value_only(expr: &Expr) -> bool {
    let here = |e: &Expr| matches!(&e.kind, ExprKind::Path(p) if p.steps.is_empty());
    let scalar_call = |e: &Expr| match &e.kind {
        ExprKind::Call(func, args) => func.spec().needs_scalar && args.first().is_some_and(here),
        _ => false,
    };
    match &expr.kind {
        ExprKind::Not(inner) => value_only(inner),
        ExprKind::Call(func, args) if func.spec().needs_scalar => args
            .first()
            .is_some_and(|arg| here(arg) || scalar_call(arg)),
        _ => false,
    }
}

/// The keys a `when` needs, as (levels up, key): each `has(path)` among the terms of its
/// top-level `and` whose path is `..`s then a key.
fn conjuncts<'r>(expr: &'r Expr, found: &mut Vec<(usize, &'r str)>) {
    match &expr.kind {
        ExprKind::Logic(LogicOp::And, a, b) => {
            conjuncts(a, found);
            conjuncts(b, found);
        }
        ExprKind::Call(func, args) if func.spec().false_where_absent => {
            if let [arg] = args.as_slice()
                && let ExprKind::Path(path) = &arg.kind
            {
                let ups = path
                    .steps
                    .iter()
                    .take_while(|s| **s == Step::Parent)
                    .count();
                if let Some(Step::Key(key)) = path.steps.get(ups) {
                    found.push((ups, key));
                }
            }
        }
        _ => {}
    }
}

/// FNV-1a: keys are short, and the index looks one up for every node of a report.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
