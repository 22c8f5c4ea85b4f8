//! Reviewer decisions (`--decisions`) and baselines (`--baseline`, `--write-baseline`).

mod common;

use common::{Run, arg, hecha, scratch};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `hecha check --format FORMAT --decisions DECISIONS REPORT`.
fn with_decisions(format: &str, decisions: &Path, report: &Path) -> Run {
    hecha(&[
        "check",
        "--color",
        "never",
        "--format",
        format,
        "--decisions",
        arg(decisions),
        arg(report),
    ])
}

/// Writes a decisions file beside the submissions of `dir`.
fn decisions(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("review/decisions.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

const REPORT: &str = "\
巡视交办:
  交办: 20件
  办结: 21件
预算执行:
  预算: 10万元
  执行: 12万元
";

/// A submissions folder with one report, and a review folder beside it.
fn submissions(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::create_dir_all(dir.join("review")).unwrap();
    std::fs::write(dir.join("reports/a.yaml"), REPORT).unwrap();
    dir
}

#[test]
fn a_decision_accepts_a_finding_with_the_reviewers_reason() {
    let dir = submissions("decisions");
    let decisions = decisions(
        &dir,
        "decisions:
  - rule: casework/closed-exceeds-assigned
    file: ../reports/a.yaml
    figure: 巡视交办.办结
    reason: 含上年结转 1 件，已核实
    by: 李审核
    date: 2025-03-02
  - rule: budget/executed-exceeds-budget
    file: ../reports/a.yaml
    figure: 预算执行.执行
    reason: 追加预算已批准
    by: 李审核
    date: 2025-03-02
",
    );
    let report = dir.join("reports/a.yaml");
    let run = with_decisions("human", &decisions, &report);
    assert_eq!(run.code, 0, "every finding is accepted: {}", run.stdout);
    assert!(
        run.stdout.contains("办结 21 件，超过交办 20 件（已接受）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("已由 李审核 于 2025-03-02 接受：含上年结转 1 件，已核实")
    );
    assert!(run.stdout.contains("已说明 2 项"));

    let run = with_decisions("json", &decisions, &report);
    let out = json(&run);
    let finding = &out["files"][0]["findings"][0];
    assert_eq!(finding["status"], "explained");
    assert_eq!(finding["explanation"]["text"], "含上年结转 1 件，已核实");
    assert_eq!(finding["explanation"]["decision"]["by"], "李审核");
    assert_eq!(finding["explanation"]["label"]["path"], arg(&decisions));
    assert_eq!(finding["explanation"]["label"]["line"], 5);
    assert_eq!(out["summary"]["explained"], 2);

    let run = with_decisions("sarif", &decisions, &report);
    let sarif = json(&run);
    let suppression = &sarif["runs"][0]["results"][0]["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["justification"], "含上年结转 1 件，已核实");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_decision_that_matches_nothing_is_stale() {
    let dir = submissions("stale");
    let decisions = decisions(
        &dir,
        "decisions:
  - rule: casework/closed-exceeds-assigned
    file: ../reports/a.yaml
    figure: 巡视交办.交办
    reason: 旧的决定
    by: 王
    date: 2024-12-01
  - rule: casework/closed-exceeds-assigned
    file: ../reports/other.yaml
    figure: 巡视交办.办结
    reason: 不在这次核查之内的文件
    by: 王
    date: 2024-12-01
",
    );
    let report = dir.join("reports/a.yaml");
    let run = with_decisions("human", &decisions, &report);
    assert_eq!(run.code, 1, "the findings still fail: {}", run.stdout);
    assert!(
        run.stdout
            .contains("note[stale-decision]: 审核决定已不对应任何发现"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("decisions.yaml:2:5"), "{}", run.stdout);
    assert!(run.stdout.contains("1 条审核决定已不对应任何发现"));
    assert!(
        run.stdout.contains("note[missing-file]"),
        "the other file does not exist"
    );
    let out = json(&with_decisions("json", &decisions, &report));
    assert_eq!(out["summary"]["stale"], 1);
    assert_eq!(out["review"][0]["problems"][1]["code"], "stale-decision");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_invalid_decisions_file_is_located_and_the_run_exits_2() {
    let dir = submissions("invalid-decisions");
    let decisions = decisions(
        &dir,
        "decisions:
  - rule: casework/closed-exceeds-assigned
    file: ../reports/a.yaml
    figure: 巡视交办.办结
    by: 李审核
    date: 2025-03-02
  - rule: casework/closed-exceeds-asigned
    file: ../reports/a.yaml
    figure: 巡视交办.办结
    reason: 理由
    by: 李审核
    date: 2025/03/02
    reson: 多余的字段
",
    );
    let report = dir.join("reports/a.yaml");
    let run = with_decisions("human", &decisions, &report);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error[missing-field]: 缺少字段「reason」"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("decisions.yaml:2:5"));
    assert!(run.stdout.contains("error[unknown-field]"));
    assert!(run.stdout.contains("有名称相近的字段「reason」"));
    assert!(
        run.stdout.contains("casework/closed-exceeds-assigned"),
        "the report is still checked"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn only_findings_not_in_the_baseline_fail_and_matching_survives_edits() {
    let dir = submissions("baseline");
    let baseline = dir.join("review/baseline.yaml");
    let report = dir.join("reports/a.yaml");
    let run = hecha(&["check", "--write-baseline", arg(&baseline), arg(&report)]);
    assert_eq!(run.code, 1, "writing a baseline does not change the run");
    let written = std::fs::read_to_string(&baseline).unwrap();
    assert!(written.contains(r#"{rule: "casework/closed-exceeds-assigned", file: "../reports/a.yaml", figure: "巡视交办.办结"}"#), "{written}");
    assert_eq!(written.matches("- {rule").count(), 2);

    let run = hecha(&[
        "check",
        "--color",
        "never",
        "--baseline",
        arg(&baseline),
        arg(&report),
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        !run.stdout.contains("error["),
        "baselined findings are not shown: {}",
        run.stdout
    );
    assert!(run.stdout.contains("基线内 2 项"));

    // Lines added above and a new inconsistency below: only the new one fails.
    let edited = format!("# 修订稿\n# 第二行\n{REPORT}信访:\n  交办: 5件\n  办结: 6件\n");
    std::fs::write(&report, edited).unwrap();
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "--baseline",
        arg(&baseline),
        arg(&report),
    ]);
    assert_eq!(run.code, 1);
    let out = json(&run);
    let statuses: Vec<(&str, &str)> = out["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["primary"]["figure"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("巡视交办.办结", "baselined"),
            ("预算执行.执行", "baselined"),
            ("信访.办结", "failed")
        ]
    );
    assert_eq!(out["summary"]["baselined"], 2);
    assert_eq!(out["summary"]["errors"], 1);

    let sarif = json(&hecha(&[
        "check",
        "--format",
        "sarif",
        "--baseline",
        arg(&baseline),
        arg(&report),
    ]));
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["unchanged", "unchanged", "new"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_key_listed_once_baselines_one_finding() {
    let dir = submissions("baseline-count");
    // Two findings with the same rule and figure path: the same figure, two documents.
    let twice = "巡视交办:\n  交办: 20件\n  办结: 21件\n---\n巡视交办:\n  交办: 1件\n  办结: 2件\n";
    let report = dir.join("reports/a.yaml");
    std::fs::write(&report, twice).unwrap();
    let baseline = dir.join("review/baseline.yaml");
    std::fs::write(
        &baseline,
        "version: 1\nfindings:\n  - {rule: casework/closed-exceeds-assigned, file: ../reports/a.yaml, figure: 巡视交办.办结}\n",
    )
    .unwrap();
    let out = json(&hecha(&[
        "check",
        "--format",
        "json",
        "--baseline",
        arg(&baseline),
        arg(&report),
    ]));
    assert_eq!(out["summary"]["baselined"], 1);
    assert_eq!(out["summary"]["errors"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
