//! What a run checked: how many figures a file holds, how many of them the rules used,
//! and how many rule checks applied. A file no rule touched must not look like a clean
//! one, so every format can say 「读取数字 N 个，其中 M 个参与核查」.

use crate::report::{NodeId, Report, Value};

/// The coverage of one file (or, added up, of a run).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Figures read from the file (scalars that read as numbers), each written figure
    /// once: the copies a YAML alias makes are not counted again.
    pub figures: usize,
    /// Of those, the figures some rule's check read and applied to (a check whose
    /// `when` held and that gave an answer, a finding or not).
    pub figures_checked: usize,
    /// Rule checks that applied: a rule at a node where its `when` held and its check
    /// could be evaluated (held, failed, or could not be computed).
    pub checks: usize,
    /// Findings made beyond the number held for one file
    /// ([`crate::engine::MAX_FINDINGS`]): counted, not listed.
    pub findings_dropped: usize,
}

impl Coverage {
    /// The figures of `report`, each written one once; no check counted yet.
    pub fn of_report(report: &Report) -> Coverage {
        Coverage {
            figures: distinct_figures(report, report.ids()),
            ..Coverage::default()
        }
    }

    /// Adds another file's coverage.
    pub fn add(&mut self, other: &Coverage) {
        self.figures += other.figures;
        self.figures_checked += other.figures_checked;
        self.checks += other.checks;
        self.findings_dropped += other.findings_dropped;
    }

    /// Whether no rule check applied to the file.
    pub fn untouched(&self) -> bool {
        self.checks == 0
    }

    /// The line a prose or human summary shows: 「读取数字 12 个，其中 9 个参与核查；规则核查 20 次」.
    pub fn line(&self) -> String {
        format!(
            "读取数字 {} 个，其中 {} 个参与核查；规则核查 {} 次",
            self.figures, self.figures_checked, self.checks
        )
    }
}

/// How many distinct written figures the nodes hold (an alias's copy shares its
/// anchor's span, so spans tell copies apart from figures written twice).
pub fn distinct_figures(report: &Report, nodes: impl Iterator<Item = NodeId>) -> usize {
    // One bit per byte of the text a span may start at: the checks read each figure many
    // times, and marking its start costs less than sorting every read.
    let mut seen: Vec<u64> = Vec::new();
    let mut distinct = 0;
    for id in nodes {
        if !matches!(&report.node(id).value, Value::Scalar(s) if s.figure.is_some()) {
            continue;
        }
        let start = report.node(report.written(id)).span.start;
        let (word, bit) = (start / 64, 1 << (start % 64));
        if word >= seen.len() {
            seen.resize(word + 1, 0);
        }
        if seen[word] & bit == 0 {
            seen[word] |= bit;
            distinct += 1;
        }
    }
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::yaml::{Limits, load};
    use proptest::prelude::*;

    /// What `distinct_figures` counts, the plain way: sort the starts, drop repeats.
    fn sorted_count(report: &Report, nodes: &[NodeId]) -> usize {
        let mut starts: Vec<usize> = nodes
            .iter()
            .filter(|&&id| report.figure(id).is_some())
            .map(|&id| report.node(report.written(id)).span.start)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts.len()
    }

    proptest! {
        /// Any nodes, in any order and read any number of times: the same count.
        #[test]
        fn distinct_figures_counts_each_written_figure_once(
            picks in prop::collection::vec(0usize..64, 0..200),
        ) {
            // Figures, text, an alias's copies, and a figure written twice.
            let text = "a: &x 5件\nb: *x\nc: [1人, 2人, 文字, 5件]\nd: {e: *x, f: 7%}\n";
            let report = load(text, &Limits::default()).report.unwrap();
            let ids: Vec<NodeId> = report.ids().collect();
            let nodes: Vec<NodeId> = picks.iter().map(|&i| ids[i % ids.len()]).collect();
            prop_assert_eq!(
                distinct_figures(&report, nodes.iter().copied()),
                sorted_count(&report, &nodes)
            );
        }
    }

    #[test]
    fn an_alias_copy_is_not_a_second_figure() {
        let text = "a: &x 5件\nb: *x\nc: 5件\n";
        let report = load(text, &Limits::default()).report.unwrap();
        // 5件 under a and its copy under b are one written figure; c writes it again.
        assert_eq!(distinct_figures(&report, report.ids()), 2);
    }
}
