//! The engine: runs every rule over a report and returns findings.
//!
//! Each rule visits the nodes its `for` selects; where `when` certainly holds, `check`
//! is evaluated. A check that fails for every value its figures may stand for is a
//! finding; one that holds only thanks to rounding, on sums of written figures, is an
//! info finding; one that cannot be computed (division by 0, units that do not match) is
//! a finding too. Wording is in [`word`].

mod visit;
mod word;

use crate::coverage::{Coverage, distinct_figures};
use crate::expr::eval::Evaluator;
use crate::expr::pattern::Memo;
use crate::expr::value::Stop;
use crate::figure::Truth;
use crate::finding::Finding;
use crate::report::{NodeId, Report};
use crate::rules::Rule;
use std::cell::Cell;

/// How many data nodes the rules may visit over one file unless told otherwise
/// (`hecha check --max-steps`); README "Limits" quotes what the samples take.
pub const DEFAULT_MAX_STEPS: u64 = 100_000_000;

/// The work the rules may do on one file: the data nodes that resolving paths visits (a
/// long text read by `matches` costs a step per 256 bytes), counted while it is checked.
/// A rule's work can grow with the product of two sizes (a total row of 20,000 columns
/// over 20,000 rows); checking the file stops once the budget is used up.
#[derive(Debug)]
pub struct Budget {
    used: Cell<u64>,
    /// `0`: no limit.
    max: u64,
}

impl Budget {
    /// A budget of `max` steps (`0`: no limit).
    pub fn new(max: u64) -> Budget {
        Budget {
            used: Cell::new(0),
            max,
        }
    }

    /// A budget that never runs out (it still counts).
    pub fn unlimited() -> Budget {
        Budget::new(0)
    }

    /// Counts `n` nodes visited.
    pub(crate) fn charge(&self, n: usize) {
        self.used.set(self.used.get().saturating_add(n as u64));
    }

    /// The steps counted so far.
    pub fn used(&self) -> u64 {
        self.used.get()
    }

    /// Whether more steps were counted than the budget allows.
    pub fn exhausted(&self) -> bool {
        self.max != 0 && self.used.get() > self.max
    }
}

/// The rules of a run, prepared once to check many reports (from several threads too).
#[derive(Debug)]
pub struct Engine<'r> {
    rules: &'r [Rule],
    plan: visit::Plan<'r>,
    /// The [`Budget`] of each report checked (`0`: no limit).
    max_steps: u64,
}

impl<'r> Engine<'r> {
    /// The engine of `rules`, with a budget of [`DEFAULT_MAX_STEPS`] per report.
    pub fn new(rules: &'r [Rule]) -> Engine<'r> {
        Engine {
            rules,
            plan: visit::Plan::new(rules),
            max_steps: DEFAULT_MAX_STEPS,
        }
    }

    /// The same engine, with a budget of `max` steps per report (`0`: no limit).
    pub fn with_max_steps(self, max: u64) -> Engine<'r> {
        Engine {
            max_steps: max,
            ..self
        }
    }

    pub fn rules(&self) -> &'r [Rule] {
        self.rules
    }

    /// The steps the rules may take over one report (`0`: no limit).
    pub fn max_steps(&self) -> u64 {
        self.max_steps
    }

    /// Every finding of the rules on `report`, in the order of the figures they underline.
    pub fn check(&self, report: &Report) -> Vec<Finding> {
        self.check_within_budget(report).0
    }

    /// [`Engine::check`], and where checking stopped if the report's step [`Budget`] ran
    /// out: the rule and the node it was about to visit. The findings
    /// made until then are returned.
    pub fn check_within_budget(
        &self,
        report: &Report,
    ) -> (Vec<Finding>, Option<(&'r Rule, NodeId)>) {
        let (findings, stopped, _) = self.check_covered(report);
        (findings, stopped)
    }

    /// [`Engine::check_within_budget`], and what the rules covered: the checks that
    /// applied and the figures they read ([`Coverage`]).
    pub fn check_covered(
        &self,
        report: &Report,
    ) -> (Vec<Finding>, Option<(&'r Rule, NodeId)>, Coverage) {
        let checked = self.check_applied(report);
        (checked.findings, checked.stopped, checked.coverage)
    }

    /// [`Engine::check_covered`], and which rules applied: those with a check that
    /// applied at some node (its `when` held and the values it needs were there),
    /// whatever the result. A rule that never applied to a report tested nothing in it.
    pub fn check_applied(&self, report: &Report) -> Checked<'r> {
        let budget = Budget::new(self.max_steps);
        let mut applied = vec![false; self.rules.len()];
        let mut index = self.plan.index(report, &budget);
        let memo = Memo::default();
        let mut findings = Vec::new();
        let mut stopped = None;
        let mut tally = Tally::default();
        'rules: for (position, rule) in self.rules.iter().enumerate() {
            for &node in self.plan.nodes(position, &mut index).iter() {
                if budget.exhausted() {
                    stopped = Some((rule, node));
                    break 'rules;
                }
                let before = tally.checks;
                let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref(), &budget);
                ev.memo = Some(&memo);
                check_node(&mut ev, rule, node, &mut findings, Some(&mut tally));
                if findings.len() > MAX_FINDINGS {
                    // Counted, not held: a hostile file must not make memory grow with
                    // the product of its rules and values.
                    tally.dropped += findings.len() - MAX_FINDINGS;
                    findings.truncate(MAX_FINDINGS);
                }
                applied[position] |= tally.checks > before;
            }
        }
        sort(&mut findings);
        let mut coverage = Coverage::of_report(report);
        coverage.findings_dropped = tally.dropped;
        coverage.checks = tally.checks;
        coverage.figures_checked = distinct_figures(report, tally.used.into_iter());
        Checked {
            findings,
            stopped,
            coverage,
            applied,
        }
    }
}

/// Most findings held for one report; those beyond are counted
/// ([`Coverage::findings_dropped`]), and the file is reported as not fully checked.
pub const MAX_FINDINGS: usize = 10_000;

/// What [`Engine::check_applied`] found.
#[derive(Debug)]
pub struct Checked<'r> {
    pub findings: Vec<Finding>,
    /// Where checking stopped when the report's step [`Budget`] ran out.
    pub stopped: Option<(&'r Rule, NodeId)>,
    pub coverage: Coverage,
    /// Per rule, in the engine's order: whether a check of it applied.
    pub applied: Vec<bool>,
}

/// What the checks that applied read, while checking one report.
#[derive(Default)]
struct Tally {
    checks: usize,
    /// Findings beyond [`MAX_FINDINGS`].
    dropped: usize,
    /// Figures read by checks that applied (repeats included).
    used: Vec<NodeId>,
    /// The list the report fills while one check is evaluated, kept to be reused.
    read: Vec<NodeId>,
}

/// Every finding of `rules` on `report`, in the order of the figures they underline. To
/// check many reports, make one [`Engine`].
pub fn check_report(report: &Report, rules: &[Rule]) -> Vec<Finding> {
    Engine::new(rules).check(report)
}

/// The findings of `rules` on some documents of a report: every rule at every node its
/// selector selects, with no shortcuts. A rule test case checks the data document after
/// its expectations this way, and it is what [`Engine::check`] must give. The steps are
/// counted, not bounded.
pub fn check_documents(report: &Report, roots: &[NodeId], rules: &[Rule]) -> Vec<Finding> {
    let budget = Budget::unlimited();
    let mut findings = Vec::new();
    for rule in rules {
        for &root in roots {
            for node in rule.selector.resolve(report, root, &budget) {
                let memo = Memo::default();
                let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref(), &budget);
                ev.memo = Some(&memo);
                check_node(&mut ev, rule, node, &mut findings, None);
            }
        }
    }
    sort(&mut findings);
    findings
}

/// Puts findings in the order of the figures they underline, and drops repeats: a node
/// reached through a YAML alias (`乙: *甲`) is visited under each of its paths, and the
/// same figures underlined twice would tell the reviewer nothing new.
fn sort(findings: &mut Vec<Finding>) {
    // Stable: of the paths to one aliased node, the first visited (the anchor's, which
    // comes first in the document) is kept.
    findings.sort_by(|a, b| (a.primary.span.start, &a.rule).cmp(&(b.primary.span.start, &b.rule)));
    findings.dedup_by(|later, earlier| {
        later.rule == earlier.rule
            && later.primary.span == earlier.primary.span
            && later.message == earlier.message
            && later.labels.len() == earlier.labels.len()
            && later
                .labels
                .iter()
                .zip(&earlier.labels)
                .all(|(l, e)| l.span == e.span && l.message == e.message)
    });
}

/// Adds the finding of `rule` at `node`, if any, to `findings`; `ev` is the rule's
/// evaluator over the report.
fn check_node(
    ev: &mut Evaluator<'_>,
    rule: &Rule,
    node: NodeId,
    findings: &mut Vec<Finding>,
    tally: Option<&mut Tally>,
) {
    let (report, budget) = (ev.report, ev.budget);
    if let Some(when) = &rule.when {
        match ev.cond(when, node) {
            Ok(c) if c.truth == Truth::True => {}
            _ => return,
        }
    }
    let result = match tally {
        None => ev.cond(&rule.check, node),
        Some(tally) => {
            let mut read = std::mem::take(&mut tally.read);
            read.clear();
            report.watch(Some(read));
            let result = ev.cond(&rule.check, node);
            let read = report.watch(None).unwrap_or_default();
            if !matches!(result, Err(Stop::NotApplicable)) {
                tally.checks += 1;
                tally.used.extend_from_slice(&read);
            }
            tally.read = read;
            result
        }
    };
    // A finding is worded only here, rarely: the common case moves nothing.
    match result {
        Ok(c) if c.truth == Truth::False => {
            findings.push(word::failed(report, rule, node, budget));
        }
        Ok(c) if !c.written && c.differs_as_written && rule.tolerance.is_none() => {
            findings.extend(word::within_rounding(report, rule, node, budget));
        }
        Ok(_) | Err(Stop::NotApplicable) => {}
        Err(Stop::Error(e)) => {
            findings.push(word::cannot_compute(report, rule, node, &e, budget));
        }
    }
}

#[cfg(test)]
mod tests;
