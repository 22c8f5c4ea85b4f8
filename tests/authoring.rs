//! Rule authoring: `hecha test` over the built-in packs and over a pack being edited,
//! `--bless`, `--coverage`, `explain`, `rules`, the generated docs, and the config.

mod common;

use common::hecha;
use std::path::{Path, PathBuf};

/// The project's own packs are proved by their cases, every rule both ways.
#[test]
fn builtin_packs_pass_their_cases_with_full_coverage() {
    let run = hecha(&["test", "--coverage", "rules"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.ends_with(" passed, 0 failed\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("FAIL"), "{}", run.stdout);
}

/// A scratch copy of a small pack with its cases, in a temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hecha-authoring-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests/local")).unwrap();
    std::fs::write(
        dir.join("local.yaml"),
        "rules:\n  - id: local/closed\n    title: 办结数不得超过交办数\n    for: \"**\"\n    when: has(办结) and has(交办)\n    check: 办结 <= 交办\n    message: \"办结 {办结}，超过交办 {交办}\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("tests/local/closed.yaml"),
        "case: 办结多于交办\nexpect:\n  - rule: local/closed\n    figure: 办结\n---\n交办: 5件\n办结: 6件\n",
    )
    .unwrap();
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    let mut full = vec!["test"];
    full.extend_from_slice(args);
    let path = dir.join("local.yaml");
    full.push(path.to_str().unwrap());
    hecha(&full)
}

#[test]
fn a_new_case_needs_blessing_then_passes() {
    let dir = scratch("bless");
    let first = run_in(&dir, &[]);
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("没有预期输出文件（.out）；用 --bless 生成"),
        "{}",
        first.stdout
    );
    let blessed = run_in(&dir, &["--bless"]);
    assert_eq!(blessed.code, 0, "{}", blessed.stdout);
    let out = std::fs::read_to_string(dir.join("tests/local/closed.out")).unwrap();
    assert!(
        out.contains("error[local/closed]: 办结 6 件，超过交办 5 件"),
        "{out}"
    );
    assert!(
        out.contains("┌─ tests/local/closed.yaml:7:5"),
        "paths are relative to the pack: {out}"
    );
    let again = run_in(&dir, &[]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert!(
        again
            .stdout
            .contains("ok   local/closed  1 passed, 0 failed"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.ends_with("2 passed, 0 failed\n"),
        "{}",
        again.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn editing_a_rule_shows_the_changed_output_as_a_diff() {
    let dir = scratch("diff");
    assert_eq!(run_in(&dir, &["--bless"]).code, 0);
    let rules = std::fs::read_to_string(dir.join("local.yaml")).unwrap();
    std::fs::write(
        dir.join("local.yaml"),
        rules.replace("超过交办 {交办}", "多于交办 {交办}"),
    )
    .unwrap();
    let run = run_in(&dir, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("输出与 .out 文件不同"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("-error[local/closed]: 办结 6 件，超过交办 5 件"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("+error[local/closed]: 办结 6 件，多于交办 5 件"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_expectation_says_what_was_found() {
    let dir = scratch("expect");
    std::fs::write(
        dir.join("tests/local/closed.yaml"),
        "case: 相等时不应报告\nabsent: [local/closed]\n---\n交办: 5件\n办结: 6件\n",
    )
    .unwrap();
    let run = run_in(&dir, &["--bless"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("FAIL tests/local/closed.yaml「相等时不应报告」: expected no local/closed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("found: local/closed at 办结 (error, failed)「办结 6 件，超过交办 5 件」")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn coverage_wants_a_case_each_way() {
    let dir = scratch("coverage");
    assert_eq!(run_in(&dir, &["--bless"]).code, 0);
    let run = run_in(&dir, &["--coverage"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("FAIL coverage: local/closed 缺少通过的用例"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_without_rule_files_does_not_pass() {
    let dir = common::scratch("no-rule-files");
    let run = hecha(&["test", common::arg(&dir)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("中没有规则文件"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_case_file_is_located_and_exits_2() {
    let dir = scratch("broken");
    std::fs::write(
        dir.join("tests/local/closed.yaml"),
        "case: x\nexpect: [local/clsoed]\n---\n交办: 5件\n",
    )
    .unwrap();
    let run = run_in(&dir, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("error[unknown-rule]: 被测规则中没有「local/clsoed」"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("help: 有名称相近的规则「local/closed」"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn explain_prints_the_doc_and_an_example_each_way() {
    let run = hecha(&["explain", "casework/closed-exceeds-assigned"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
    let unknown = hecha(&["explain", "casework/closed-exceeds-asigned"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("casework/closed-exceeds-assigned"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn explain_prints_what_a_problem_code_means() {
    let run = hecha(&["explain", "yaml-syntax"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("yaml-syntax (problem)\nYAML 格式错误"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("缩进"), "{}", run.stdout);
}

#[test]
fn rules_lists_every_rule() {
    let run = hecha(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "budget/executed-exceeds-budget"
                && r["severity"] == "warning"
                && r["source"] == "builtin:rules/budget.yaml"
                && r["explained_by"] == "说明")
    );
}

#[test]
fn docs_rules_md_is_generated_from_the_rule_files() {
    let run = hecha(&["rules", "--format", "markdown"]);
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    assert!(
        run.stdout == committed,
        "docs/rules.md is out of date; regenerate it with\n  cargo run -- rules --format markdown > docs/rules.md"
    );
}

/// A project with a config: packs chosen, a severity raised, a rule off, a parameter set.
#[test]
fn a_project_config_adjusts_the_packs() {
    let dir = std::env::temp_dir().join(format!("hecha-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("reports/2024")).unwrap();
    std::fs::write(
        dir.join("hecha.yaml"),
        "extends: [builtin/casework, builtin/budget]\nrules: [local.yaml]\nseverity:\n  budget/executed-exceeds-budget: error\ndisable: [casework/fractional-count]\nparams:\n  local/low:\n    阈值: 85%\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("local.yaml"),
        "rules:\n  - id: local/low\n    title: 执行率不得低于阈值\n    severity: warning\n    params: {阈值: 90%}\n    for: \"**\"\n    when: has(执行率)\n    check: 执行率 >= $阈值\n",
    )
    .unwrap();
    let report = dir.join("reports/2024/a.yaml");
    std::fs::write(
        &report,
        "非访: 0.5人次\n超支:\n  预算: 10万元\n  执行: 12万元\n  说明: 追加\n进度:\n  执行率: 87%\n包案: XX件\n",
    )
    .unwrap();
    let whole = hecha(&["check", "--format", "json", dir.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    assert_eq!(
        json["summary"]["files"], 2,
        "hecha.yaml is not report data: {}",
        whole.stdout
    );
    let run = hecha(&["check", "--format", "json", report.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["budget/executed-exceeds-budget"],
        "hygiene not extended, fraction off, 87% ≥ 85%: {}",
        run.stdout
    );
    let f = &json["files"][0]["findings"][0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["status"], "failed", "an error accepts no explanation");

    std::fs::write(
        dir.join("hecha.yaml"),
        "disable: [casework/fractional-cuont]\nparams:\n  local/low: {阈值: 85件}\n",
    )
    .unwrap();
    let run = hecha(&["check", report.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("error[unknown-rule]: 没有 id 为「casework/fractional-cuont」的规则"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("help: 有名称相近的规则「casework/fractional-count」"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("error[unknown-rule]: 没有 id 为「local/low」的规则"),
        "local.yaml is not loaded now: {}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
