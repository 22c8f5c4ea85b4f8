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
    let mut starts: Vec<usize> = nodes
        .filter(|&id| matches!(&report.node(id).value, Value::Scalar(s) if s.figure.is_some()))
        .map(|id| report.node(report.written(id)).span.start)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts.len()
}
