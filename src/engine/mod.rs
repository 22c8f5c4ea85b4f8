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
use crate::expr::eval::{Evaluator, Stop};
use crate::expr::pattern::Memo;
use crate::figure::Truth;
use crate::finding::Finding;
use crate::report::{NodeId, Report};
use crate::rules::Rule;

/// The rules of a run, prepared once to check many reports (from several threads too).
#[derive(Debug)]
pub struct Engine<'r> {
    rules: &'r [Rule],
    plan: visit::Plan<'r>,
}

impl<'r> Engine<'r> {
    pub fn new(rules: &'r [Rule]) -> Engine<'r> {
        Engine {
            rules,
            plan: visit::Plan::new(rules),
        }
    }

    pub fn rules(&self) -> &'r [Rule] {
        self.rules
    }

    /// Every finding of the rules on `report`, in the order of the figures they underline.
    pub fn check(&self, report: &Report) -> Vec<Finding> {
        self.check_within_budget(report).0
    }

    /// [`Engine::check`], and where checking stopped if the report's step budget ran out
    /// ([`Report::exhausted`]): the rule and the node it was about to visit. The findings
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
        let mut applied = vec![false; self.rules.len()];
        let mut index = self.plan.index(report);
        let memo = Memo::default();
        let mut findings = Vec::new();
        let mut stopped = None;
        let mut tally = Tally::default();
        'rules: for (position, rule) in self.rules.iter().enumerate() {
            for &node in self.plan.nodes(position, &mut index).iter() {
                if report.exhausted() {
                    stopped = Some((rule, node));
                    break 'rules;
                }
                let before = tally.checks;
                check_node(report, rule, node, &memo, &mut findings, Some(&mut tally));
                applied[position] |= tally.checks > before;
            }
        }
        sort(&mut findings);
        let mut coverage = Coverage::of_report(report);
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

/// What [`Engine::check_applied`] found.
#[derive(Debug)]
pub struct Checked<'r> {
    pub findings: Vec<Finding>,
    /// Where checking stopped when the report's step budget ran out.
    pub stopped: Option<(&'r Rule, NodeId)>,
    pub coverage: Coverage,
    /// Per rule, in the engine's order: whether a check of it applied.
    pub applied: Vec<bool>,
}

/// What the checks that applied read, while checking one report.
#[derive(Default)]
struct Tally {
    checks: usize,
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
/// its expectations this way, and it is what [`Engine::check`] must give.
pub fn check_documents(report: &Report, roots: &[NodeId], rules: &[Rule]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        for &root in roots {
            for node in rule.selector.resolve(report, root) {
                check_node(report, rule, node, &Memo::default(), &mut findings, None);
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

/// Adds the finding of `rule` at `node`, if any, to `findings`.
fn check_node(
    report: &Report,
    rule: &Rule,
    node: NodeId,
    memo: &Memo,
    findings: &mut Vec<Finding>,
    tally: Option<&mut Tally>,
) {
    let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref());
    ev.memo = Some(memo);
    if let Some(when) = &rule.when {
        match ev.cond(when, node) {
            Ok(c) if c.truth == Truth::True => {}
            _ => return,
        }
    }
    ev.additive_miss = false;
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
        Ok(c) if c.truth == Truth::False => findings.push(word::failed(report, rule, node)),
        Ok(c) if !c.written && ev.additive_miss && rule.tolerance.is_none() => {
            findings.extend(word::within_rounding(report, rule, node));
        }
        Ok(_) | Err(Stop::NotApplicable) => {}
        Err(Stop::Error(e)) => findings.push(word::cannot_compute(report, rule, node, &e)),
    }
}

#[cfg(test)]
mod tests;
