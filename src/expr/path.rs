//! Paths and selectors: `a.b`, `a[0]`, `a[*]`, `a.*`, `**`, `..`, resolved over a report.

use crate::engine::Budget;
use crate::report::{NodeId, Report, Value};
use std::collections::HashSet;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Path {
    pub(crate) steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The value under a key of a mapping.
    Key(String),
    /// An item of a list.
    Index(usize),
    /// Every value of a mapping or item of a list: `.*`, `[*]`.
    Children,
    /// The parent: `..`.
    Parent,
    /// The node and every mapping or list under it, at any depth: `**`.
    Descendants,
    /// The value under the key the path starts from is stored under: `[$key]`. With
    /// `for: "**.*"`, `..其中.*[$key]` is the same column in every 其中 row.
    VisitedKey,
}

impl Path {
    /// A path that can select at most one node.
    pub fn is_singular(&self) -> bool {
        !self
            .steps
            .iter()
            .any(|s| matches!(s, Step::Children | Step::Descendants))
    }

    /// The node a singular path selects from `from`; the nodes visited are charged to
    /// `budget`.
    pub fn resolve_one(&self, report: &Report, from: NodeId, budget: &Budget) -> Option<NodeId> {
        budget.charge(self.steps.len());
        let mut node = from;
        for step in &self.steps {
            node = match step {
                Step::Key(k) => report.child(node, k)?,
                Step::Index(i) => report.item(node, *i)?,
                Step::Parent => report.node(node).parent?,
                Step::VisitedKey => report.child(node, report.key(from)?)?,
                Step::Children | Step::Descendants => {
                    return self.resolve(report, from, budget).into_iter().next();
                }
            };
        }
        Some(node)
    }

    /// Every node the path selects from `from`, in document order; the nodes visited are
    /// charged to `budget`.
    pub fn resolve(&self, report: &Report, from: NodeId, budget: &Budget) -> Vec<NodeId> {
        let mut current = vec![from];
        // Two buffers, swapped at each step, rather than a new one per step.
        let mut next = Vec::new();
        for step in &self.steps {
            next.clear();
            if *step == Step::Descendants && current.len() > 1 {
                // `**.**`: each node once, not once per ancestor in `current`.
                current = descendants_of_all(report, &current, budget);
                continue;
            }
            for &node in &current {
                match step {
                    Step::Key(k) => next.extend(report.child(node, k)),
                    Step::Index(i) => next.extend(report.item(node, *i)),
                    Step::Parent => next.extend(report.node(node).parent),
                    Step::VisitedKey => {
                        next.extend(report.key(from).and_then(|k| report.child(node, k)))
                    }
                    Step::Children => next.extend_from_slice(report.children(node)),
                    Step::Descendants => {
                        let mut visited = 0;
                        next.extend(report.descendants(node).filter(|&n| {
                            visited += 1;
                            matches!(report.node(n).value, Value::Map(_) | Value::Seq(_))
                        }));
                        budget.charge(visited);
                    }
                }
            }
            budget.charge(current.len() + next.len());
            if current.len() > 1 && matches!(step, Step::Parent | Step::Descendants) {
                // Siblings share a parent, and `**` from a node and its ancestor overlaps.
                next.sort();
                next.dedup();
            }
            std::mem::swap(&mut current, &mut next);
            if current.is_empty() {
                break;
            }
        }
        current
    }
}

/// The mappings and lists under any of `nodes` (themselves included), each once, sorted.
fn descendants_of_all(report: &Report, nodes: &[NodeId], budget: &Budget) -> Vec<NodeId> {
    let mut seen = HashSet::new();
    let mut stack: Vec<NodeId> = nodes.iter().rev().copied().collect();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        budget.charge(1);
        if matches!(report.node(id).value, Value::Map(_) | Value::Seq(_)) {
            out.push(id);
        }
        stack.extend(report.children(id).iter().rev());
    }
    out.sort();
    out
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            return f.write_str(".");
        }
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Key(k) => {
                    let plain = !k.is_empty()
                        && !k.starts_with(|c: char| c.is_ascii_digit())
                        && k.chars().all(super::is_name_char);
                    match (plain, i) {
                        (true, 0) => f.write_str(k)?,
                        (true, _) if self.steps[i - 1] == Step::Parent => f.write_str(k)?,
                        (true, _) => write!(f, ".{k}")?,
                        (false, _) => write!(f, "[{k:?}]")?,
                    }
                }
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Children => f.write_str(if i == 0 { "*" } else { ".*" })?,
                Step::Parent => f.write_str("..")?,
                Step::Descendants => f.write_str(if i == 0 { "**" } else { ".**" })?,
                Step::VisitedKey => f.write_str("[$key]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse::parse_path;
    use crate::read::yaml::{Limits, load};

    fn report(text: &str) -> Report {
        load(text, &Limits::default()).report.unwrap()
    }

    fn paths(r: &Report, selector: &str, from: NodeId) -> Vec<String> {
        let path = parse_path(selector).unwrap();
        path.resolve(r, from, &Budget::unlimited())
            .into_iter()
            .map(|n| r.path(n))
            .collect()
    }

    const DATA: &str = "\
a:
  b: 1件
  c: [x, {d: 2件}]
e:
  b: 3件
";

    #[test]
    fn selectors() {
        let r = report(DATA);
        let root = r.roots[0];
        assert_eq!(paths(&r, ".", root), ["."]);
        assert_eq!(paths(&r, "a.b", root), ["a.b"]);
        assert_eq!(paths(&r, "a.c[1].d", root), ["a.c[1].d"]);
        assert_eq!(paths(&r, "a.c[*]", root), ["a.c[0]", "a.c[1]"]);
        assert_eq!(paths(&r, "*.b", root), ["a.b", "e.b"]);
        assert_eq!(paths(&r, "**", root), [".", "a", "a.c", "a.c[1]", "e"]);
        assert_eq!(paths(&r, "**.b", root), ["a.b", "e.b"]);
        assert_eq!(paths(&r, "a.c[5]", root), Vec::<String>::new());
    }

    #[test]
    fn parent_steps() {
        let r = report(DATA);
        let d = parse_path("a.c[1].d")
            .unwrap()
            .resolve_one(&r, r.roots[0], &Budget::unlimited())
            .unwrap();
        assert_eq!(paths(&r, "..", d), ["a.c[1]"]);
        assert_eq!(paths(&r, "....", d), ["a.c"]);
        assert_eq!(paths(&r, "......b", d), ["a.b"]);
        assert_eq!(paths(&r, "*..", r.roots[0]), ["."]);
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "a.b",
            "a[0].b",
            "a.*",
            "**",
            "..说明",
            "a[\"2018年\"]",
            "*.b",
            ".",
            "..其中.*[$key]",
        ] {
            assert_eq!(parse_path(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn visited_key_selects_the_same_column() {
        let r = report("合计: {交办: 9件, 其中: [{交办: 4件}, {交办: 5件}, {办结: 1件}]}\n");
        let total = parse_path("合计.交办")
            .unwrap()
            .resolve_one(&r, r.roots[0], &Budget::unlimited())
            .unwrap();
        assert_eq!(
            paths(&r, "..其中.*[$key]", total),
            ["合计.其中[0].交办", "合计.其中[1].交办"]
        );
    }

    #[test]
    fn repeated_descendants_visit_each_node_once() {
        // `**.**.**` over a deep list used to list each node once per ancestor, per step.
        let deep = "[".repeat(100) + &"]".repeat(100);
        let r = report(&deep);
        let path = parse_path("**.**.**.**").unwrap();
        let budget = Budget::unlimited();
        assert_eq!(path.resolve(&r, r.roots[0], &budget).len(), 100);
        // Each step visits the 100 lists once: the cost is linear, not once per ancestor.
        assert!(budget.used() <= 4 * 2 * 100 + 100, "{}", budget.used());
        let r = report(DATA);
        assert_eq!(
            paths(&r, "**.**", r.roots[0]),
            [".", "a", "a.c", "a.c[1]", "e"]
        );
    }

    #[test]
    fn singular() {
        assert!(parse_path("a.b[0]..c").unwrap().is_singular());
        assert!(!parse_path("a[*].b").unwrap().is_singular());
        assert!(!parse_path("**").unwrap().is_singular());
    }
}
