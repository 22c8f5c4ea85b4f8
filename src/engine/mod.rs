//! The engine: runs every rule over a report and returns findings.
//!
//! Each rule visits the nodes its `for` selects; where `when` certainly holds, `check`
//! is evaluated. A check that fails for every value its figures may stand for is a
//! finding; one that holds only thanks to rounding, on sums of written figures, is an
//! info finding; one that cannot be computed (division by 0, units that do not match) is
//! a finding too. Wording is in [`word`].

mod word;

use crate::expr::eval::{Evaluator, Stop};
use crate::figure::Truth;
use crate::finding::Finding;
use crate::report::{NodeId, Report};
use crate::rules::Rule;

/// Every finding of `rules` on `report`, in the order of the figures they underline.
pub fn check_report(report: &Report, rules: &[Rule]) -> Vec<Finding> {
    check(report, rules).0
}

/// [`check_report`], and where checking stopped if the report's step budget ran out
/// ([`Report::exhausted`]): the rule and the node it was about to visit. The findings
/// made until then are returned.
pub fn check<'r>(report: &Report, rules: &'r [Rule]) -> (Vec<Finding>, Option<(&'r Rule, NodeId)>) {
    let mut findings = Vec::new();
    let mut stopped = None;
    'rules: for rule in rules {
        for &root in &report.roots {
            for node in rule.selector.resolve(report, root) {
                if report.exhausted() {
                    stopped = Some((rule, node));
                    break 'rules;
                }
                findings.extend(check_node(report, rule, node));
            }
        }
    }
    findings.sort_by(|a, b| {
        (a.primary.span.start, &a.rule, &a.primary.path).cmp(&(
            b.primary.span.start,
            &b.rule,
            &b.primary.path,
        ))
    });
    (findings, stopped)
}

fn check_node(report: &Report, rule: &Rule, node: NodeId) -> Option<Finding> {
    let mut ev = Evaluator::new(report, &rule.params, rule.tolerance.as_ref());
    if let Some(when) = &rule.when {
        match ev.cond(when, node) {
            Ok(c) if c.truth == Truth::True => {}
            _ => return None,
        }
    }
    match ev.cond(&rule.check, node) {
        Ok(c) if c.truth == Truth::False => Some(word::failed(report, rule, node)),
        Ok(c) if !c.written && rule.tolerance.is_none() => {
            word::within_rounding(report, rule, node)
        }
        Ok(_) | Err(Stop::NotApplicable) => None,
        Err(Stop::Error(e)) => Some(word::cannot_compute(report, rule, node, &e)),
    }
}

#[cfg(test)]
mod tests;
