use super::check_report;
use crate::figure::Truth;
use crate::finding::{Finding, Status};
use crate::read::yaml::{Limits, load};
use crate::rules::{RuleSet, Severity};
use crate::source::SourceFile;
use std::sync::Arc;

fn run(rules: &str, data: &str) -> Vec<Finding> {
    let mut set = RuleSet::default();
    set.add_file(Arc::new(SourceFile::new("r.yaml", rules)));
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let report = load(data, &Limits::default()).report.unwrap();
    check_report(&report, &set.rules)
}

fn builtin(data: &str) -> Vec<Finding> {
    let set = RuleSet::builtin();
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let report = load(data, &Limits::default()).report.unwrap();
    check_report(&report, &set.rules)
}

const CLOSED: &str = r#"
rules:
  - id: t/closed
    title: 办结数不得超过交办数
    for: "**"
    when: has(办结) and has(交办)
    check: 办结 <= 交办
    message: "办结 {办结}，超过交办 {交办}"
    help: 核对
"#;

#[test]
fn a_failed_comparison_underlines_the_left_figure_and_labels_the_right() {
    let data = "甲:\n  交办: 59件\n  办结: 61件\n乙:\n  交办: 10件\n  办结: 9件\n";
    let findings = run(CLOSED, data);
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.rule, "t/closed");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.status, Status::Failed);
    assert_eq!(f.message, "办结 61 件，超过交办 59 件");
    assert_eq!(f.primary.path, "甲.办结");
    assert_eq!(&data[f.primary.span.clone()], "61件");
    assert_eq!(f.primary.message, "超出 2 件");
    assert_eq!(f.labels.len(), 1);
    assert_eq!(f.labels[0].message, "交办 59 件");
    assert_eq!(f.notes, ["办结数不得超过交办数", "61 件 > 59 件"]);
    assert_eq!(f.help.as_deref(), Some("核对"));
}

#[test]
fn visiting_skips_nodes_where_when_does_not_hold() {
    assert!(run(CLOSED, "交办: 5件\n").is_empty());
    assert!(
        run(CLOSED, "办结: 5件\n交办: 未统计\n").is_empty(),
        "text where a figure is expected"
    );
}

#[test]
fn explained_warnings() {
    let rules = r#"
rules:
  - id: t/overrun
    title: 执行数超过预算数应作说明
    severity: warning
    for: "**"
    when: has(预算) and has(执行)
    check: 执行 <= 预算
    explained_by: 说明
"#;
    let explained = run(rules, "预算: 10万元\n执行: 12万元\n说明: 追加预算\n");
    assert_eq!(explained[0].status, Status::Explained);
    assert_eq!(explained[0].explanation.as_ref().unwrap().text, "追加预算");
    assert!(!explained[0].fails());
    let blank = run(rules, "预算: 10万元\n执行: 12万元\n说明: '  '\n");
    assert_eq!(blank[0].status, Status::Failed);
    assert!(blank[0].fails());
    assert_eq!(
        blank[0].message, "执行数超过预算数应作说明",
        "no template: the title"
    );
    for nothing in ["—", "/", "无", "暂无。"] {
        let data = format!("预算: 10万元\n执行: 12万元\n说明: {nothing}\n");
        assert_eq!(run(rules, &data)[0].status, Status::Failed, "{nothing}");
    }
}

#[test]
fn a_rate_finding_shows_the_computed_value_and_the_stated_interval() {
    let f = &builtin("交办: 61名\n化解: 59人\n化解率: 97.6%\n")[0];
    assert_eq!(f.rule, "casework/resolution-rate-mismatch");
    assert_eq!(f.primary.path, "化解率");
    assert_eq!(f.primary.message, "应为 96.72%");
    assert!(
        f.notes.contains(&"97.6% ≠ 59 ÷ 61 = 96.72%".to_string()),
        "{:?}",
        f.notes
    );
    assert!(
        f.notes
            .contains(&"所填 97.6% 代表 97.55%～97.65%".to_string()),
        "{:?}",
        f.notes
    );
}

#[test]
fn a_truncated_rate_says_so() {
    // 97 ÷ 98 = 98.98%: written as 98% it agrees only under truncation.
    let f = &builtin("交办: 98件\n办结: 97件\n办结率: 98%\n")[0];
    assert!(
        f.notes
            .iter()
            .any(|n| n.contains("舍去尾数为 98%") && n.contains("应为 99%")),
        "{:?}",
        f.notes
    );
}

#[test]
fn rates_that_round_correctly_are_not_findings() {
    for data in [
        "交办: 102件\n办结: 92件\n办结率: 90%\n",
        "交办: 76件\n办结: 70件\n办结率: 92.1%\n",
        "预算: 60万元\n执行: 52.05万元\n执行率: 86.75%\n",
        "预算: 70万元\n执行: 59.43万元\n执行率: 84.9%\n",
        "预算: 113.44万元\n执行: 261.20万元\n执行率: 230.25%\n说明: 追加\n",
    ] {
        let failing: Vec<_> = builtin(data).into_iter().filter(Finding::fails).collect();
        assert!(failing.is_empty(), "{data}: {failing:?}");
    }
}

#[test]
fn sums_off_only_within_rounding_are_info() {
    let f = builtin("合计: 261.20万元\n构成:\n  基本: 130.15万元\n  项目: 131.06万元\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(f[0].message, "按所填数字相差 0.01 万元，在四舍五入误差之内");
    assert!(!f[0].fails());
    let exact = builtin("合计: 261.21万元\n构成:\n  基本: 130.15万元\n  项目: 131.06万元\n");
    assert!(exact.is_empty(), "{exact:?}");
    let off = builtin("合计: 261.25万元\n构成:\n  基本: 130.15万元\n  项目: 131.06万元\n");
    assert_eq!(off[0].severity, Severity::Error);
    assert_eq!(off[0].primary.path, "合计");
}

#[test]
fn differences_are_shown_to_the_finer_precision() {
    let f = builtin("合计: 25万元\n构成:\n  甲: 12.25万元\n  乙: 13.25万元\n");
    assert_eq!(f[0].severity, Severity::Info);
    assert_eq!(f[0].message, "按所填数字相差 0.50 万元，在四舍五入误差之内");
}

#[test]
fn a_mixed_unit_breakdown_compares_the_matching_unit() {
    let data =
        "合计: 59人次\n其中:\n  训诫: 37人次\n  行政拘留: 17人次\n  刑事拘留: 6人次\n  审理: 1起\n";
    let f = &builtin(data)[0];
    assert_eq!(f.rule, "breakdown/partial-exceeds-total");
    assert_eq!(f.primary.message, "小于 60 人次");
    assert!(
        f.notes
            .contains(&"37 + 17 + 6 = 60 人次 > 59 人次".to_string()),
        "{:?}",
        f.notes
    );
    assert!(
        f.labels
            .iter()
            .any(|l| l.path == "其中.审理" && l.message.contains("未计入"))
    );
}

#[test]
fn nested_breakdowns_use_the_part_total() {
    let data = "合计: 131.06万元\n构成:\n  部门: 19.58万\n  财政:\n    合计: 111.48万\n    构成:\n      救助: 52.05万元\n      维稳: 59.43万元\n";
    assert!(builtin(data).is_empty());
}

#[test]
fn column_tables() {
    let data = "\
交办: 581件
办结: 533件
构成:
  网上: {交办: 117件, 办结: 96件}
  来信: {交办: 109件, 办结: 109件}
  走访: {交办: 355件, 办结: 327件}
";
    let f = builtin(data);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule, "breakdown/column-differs-from-parts");
    assert_eq!(f[0].primary.path, "办结");
    assert_eq!(f[0].message, "「办结」各行之和与合计 533 件 不符");
    assert!(
        f[0].notes
            .contains(&"532 件 ≠ 96 + 109 + 327 = 532 件".to_string())
            || !f[0].notes.is_empty()
    );
}

#[test]
fn division_by_zero_and_unit_mismatch_are_findings() {
    let f = builtin("交办: 0件\n办结: 0件\n办结率: 100%\n");
    assert_eq!(f[0].message, "无法计算：除数为 0");
    assert_eq!(f[0].primary.path, "交办");
    let f = builtin("交办: 10件\n办结: 9人次\n");
    assert!(f[0].message.starts_with("单位不一致"), "{f:?}");
}

#[test]
fn placeholders_are_underlined_where_they_are() {
    let data = "包案: 交办XX件案件\n文件: 《XX信访问题处理意见》\n";
    let f = builtin(data);
    assert_eq!(f[0].rule, "hygiene/placeholder-figure");
    assert_eq!(&data[f[0].primary.span.clone()], "XX件");
    assert_eq!(f[1].rule, "hygiene/placeholder-text");
    assert_eq!(f[1].severity, Severity::Info);
    assert_eq!(&data[f[1].primary.span.clone()], "XX");
}

#[test]
fn listed_items_beyond_the_stated_count() {
    let f = builtin("列举: 甲、乙、丙\n数量: 2件\n");
    assert_eq!(f[0].message, "列举了 3 项，多于所称数量（2 件）");
    let f = builtin("列举: 甲、乙、丙\n数量: 两\n");
    assert_eq!(f[0].message, "列举了 3 项，多于所称数量（两）");
    assert!(
        builtin("列举: [甲, 乙]\n数量: 八\n").is_empty(),
        "fewer is the usual 等"
    );
}

#[test]
fn whole_counts() {
    let f = builtin("非访: 0.5人次\n金额: 0.5万元\n");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].primary.path, "非访");
}

#[test]
fn tolerance_replaces_rounding() {
    let rules = r#"
rules:
  - id: t/tol
    title: 合计相符
    when: has(合计)
    check: 合计 == 甲 + 乙
    tolerance: 0.001万元
"#;
    let f = run(rules, "合计: 261.20万元\n甲: 130.15万元\n乙: 131.06万元\n");
    assert_eq!(f.len(), 1);
    assert!(
        f[0].notes.iter().any(|n| n.contains("容差 0.001 万元")),
        "{:?}",
        f[0].notes
    );
}

#[test]
fn findings_are_ordered_by_position() {
    let data = "乙:\n  交办: 1件\n  办结: 2件\n甲:\n  交办: 1件\n  办结: 3件\n";
    let f = run(CLOSED, data);
    assert_eq!(
        f.iter()
            .map(|f| f.primary.path.as_str())
            .collect::<Vec<_>>(),
        ["乙.办结", "甲.办结"]
    );
}

#[test]
fn a_decisive_side_of_or_is_no_matter_of_rounding() {
    let rules = r#"
rules:
  - id: t/full-marks
    title: 未达到指标值的指标不应得满分
    check: exact(得分) < 分值 or meets(实际, 目标)
"#;
    // 95% may be 95.2%: not certainly missed, and 得分 = 分值 is no rounding difference.
    let findings = run(rules, "目标: ≥95.2%\n实际: 95%\n分值: 10\n得分: 10\n");
    assert_eq!(findings, vec![]);
    let findings = run(rules, "目标: ≥95.2%\n实际: 94%\n分值: 10\n得分: 10.00\n");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].primary.message, "等于 10");
}

#[test]
fn visiting_near_needed_keys_finds_what_visiting_every_node_finds() {
    use super::check_documents;
    let mut texts: Vec<String> = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = ["samples", "samples/forms", "tests/fixtures/data"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    dirs.extend(
        std::fs::read_dir(root.join("rules/tests"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for dir in dirs {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    // Duplicate keys, aliases, several documents, lists of tables, keys at the root.
    texts.push("合计: 5件\n构成: {a: 2件, b: 2件}\n合计: 9件\n".into());
    texts.push("a: &t {交办: 5件, 办结: 6件}\nb: *t\nc: [*t, {交办: 1件, 办结: 2件}]\n".into());
    texts.push("交办: 2件\n办结: 3件\n---\n- 合计: 3件\n  其中: [2件, 2件]\n".into());
    texts.push(
        "表:\n  交办: 9件\n  办结: 9件\n  构成:\n    - {交办: 4件, 办结: 5件}\n    - {交办: 4件, 办结: 4件}\n"
            .into(),
    );
    // Keyed selectors (`**.年度资金总额`) through aliases, nested and in several documents.
    texts.push(
        "甲: &f\n  年度资金总额: {全年预算数: 0, 全年执行数: 5}\n  财政拨款: {全年预算数: 90, 全年执行数: 5}\n乙: *f\n丙: [*f, {年度资金总额: {全年预算数: 1}}]\n---\n年度资金总额: {全年预算数: 2}\n"
            .into(),
    );
    let set = RuleSet::builtin();
    let mut compared = 0;
    for text in &texts {
        let Some(report) = load(text, &Limits::default()).report else {
            continue;
        };
        let fast = check_report(&report, &set.rules);
        assert_eq!(
            fast,
            check_documents(&report, &report.roots, &set.rules),
            "{text}"
        );
        compared += fast.len();
    }
    assert!(
        compared > 40,
        "the texts have findings to compare: {compared}"
    );
}

/// The two modes of the evaluator (quiet, and recording to word a finding) decide alike:
/// every rule of the built-in packs at every node it visits, over the samples and the
/// rule tests' data.
#[test]
fn quiet_and_recording_evaluations_decide_alike() {
    use crate::expr::eval::{Evaluator, decided};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<_> = ["samples", "samples/forms", "tests/fixtures/data"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    dirs.extend(
        std::fs::read_dir(root.join("rules/tests"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    let set = RuleSet::builtin();
    let (mut compared, mut failed, mut differ) = (0, 0, 0);
    for dir in dirs {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(report) = load(&text, &Limits::default()).report else {
                continue;
            };
            for rule in &set.rules {
                for &doc in &report.roots {
                    let budget = super::Budget::unlimited();
                    for node in rule.selector.resolve(&report, doc, &budget) {
                        let quiet = || {
                            Evaluator::new(&report, &rule.params, rule.tolerance.as_ref(), &budget)
                        };
                        for expr in rule.when.iter().chain([&rule.check]) {
                            let fast = quiet().cond(expr, node);
                            let slow = quiet().recording().cond(expr, node);
                            assert_eq!(
                                decided(&fast),
                                decided(&slow),
                                "{} at {} in {}",
                                rule.id,
                                report.path(node),
                                path.display()
                            );
                            compared += 1;
                            failed +=
                                usize::from(matches!(&fast, Ok(c) if c.truth == Truth::False));
                            differ += usize::from(matches!(&fast, Ok(c) if c.differs_as_written));
                        }
                    }
                }
            }
        }
    }
    assert!(
        compared > 10_000 && failed > 40 && differ > 5,
        "{compared} {failed} {differ}"
    );
}

#[test]
fn checking_stops_where_the_step_budget_runs_out() {
    // A total row of n columns over n rows makes the column rules do n × n work.
    let n = 300;
    let mut data = String::from("表:\n");
    for i in 0..n {
        data.push_str(&format!("  c{i}: 1件\n"));
    }
    data.push_str("  构成:\n");
    for i in 0..n {
        data.push_str(&format!("    - {{c{i}: 1件}}\n"));
    }
    let set = RuleSet::builtin();
    let report = load(&data, &Limits::default()).report.unwrap();
    let engine = super::Engine::new(&set.rules).with_max_steps(100_000);
    let (_, stopped) = engine.check_within_budget(&report);
    let (rule, node) = stopped.expect("the budget runs out");
    assert_eq!(rule.id, "breakdown/column-differs-from-parts");
    assert!(
        report.path(node).starts_with("表.c"),
        "{}",
        report.path(node)
    );
    // Each check of a report has a budget of its own: the same engine checks it again,
    // and stops at the same place.
    let again = engine.check_within_budget(&report).1;
    assert_eq!(again.map(|(r, n)| (&r.id, n)), Some((&rule.id, node)));
    assert!(
        super::Engine::new(&set.rules)
            .with_max_steps(0)
            .check_within_budget(&report)
            .1
            .is_none()
    );
}

#[test]
fn findings_on_figures_at_the_edge_of_the_decimal_range_are_worded() {
    // Found by fuzzing: wording a failed `执行 <= 负大` subtracted past the decimal range.
    let rules = r#"
rules:
  - {id: t/le, title: t, check: 大 <= 负大}
  - {id: t/ge, title: t, check: 负大 >= 大}
  - {id: t/eq, title: t, check: 大 == 负大}
  - {id: t/rate, title: t, check: 大率 == 大 / 小}
"#;
    let data = "大: 79228162514264337593543950335\n负大: -79228162514264337593543950335\n\
                小: 0.5\n大率: 1%\n";
    let findings = run(rules, data);
    let labels: Vec<&str> = findings
        .iter()
        .map(|f| f.primary.message.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "差额超出可计算的范围",
            "差额超出可计算的范围",
            "差额超出可计算的范围",
            "超出范围"
        ]
    );
}

#[test]
fn a_figure_reached_through_an_alias_is_reported_once() {
    let rules = r#"
rules:
  - id: t/closed-within-assigned
    title: 办结数不得超过交办数
    for: "**"
    when: has(办结)
    check: 办结 <= 交办
"#;
    let data = "甲: &t {交办: 5件, 办结: 6件}\n乙: *t\n丙: {交办: 1件, 办结: 2件}\n";
    let findings = run(rules, data);
    let paths: Vec<_> = findings.iter().map(|f| f.primary.path.as_str()).collect();
    assert_eq!(paths, ["甲.办结", "丙.办结"]);
}
