//! A run says what it checked: files the rules could not check are reported, never a
//! clean pass; a run with no rules says so; each file's coverage is in JSON.

mod common;

use common::{arg, hecha, scratch};
use serde_json::Value;

fn check_text(dir: &std::path::Path, name: &str, text: &str) -> common::Run {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    hecha(&["check", arg(&path)])
}

#[test]
fn a_file_the_rules_cannot_check_is_not_a_clean_pass() {
    let dir = scratch("coverage-unchecked");
    for (name, text, code) in [
        ("number.yaml", "42\n", "not-data"),
        (
            "pasted.yaml",
            "本年度受理信访事项2495件，办结2388件。\n",
            "not-data",
        ),
        ("export.yaml", "项目,预算,执行\n道路,100,85\n", "not-data"),
        ("words.yaml", "单位: 某县信访局\n说明: 无\n", "no-figures"),
        (
            "unknown.yaml",
            "项目:\n  名称: 道路\n  面积: 5亩\n",
            "unchecked",
        ),
    ] {
        let run = check_text(&dir, name, text);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        assert!(
            run.stdout.contains(&format!("error[{code}]")),
            "{name}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("hecha docs conventions"),
            "{name}: {}",
            run.stdout
        );
    }
    let run = check_text(&dir, "unknown2.yaml", "面积: 5亩\n长度: 3公里\n");
    assert!(
        run.stdout
            .contains("没有规则适用于此文件：读取数字 2 个，均未参与核查"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_with_no_rules_says_so() {
    let dir = scratch("coverage-no-rules");
    std::fs::write(dir.join("hecha.yaml"), "extends: []\n").unwrap();
    std::fs::write(dir.join("a.yaml"), "交办: 5件\n办结: 6件\n").unwrap();
    let run = hecha(&["check", arg(&dir.join("a.yaml"))]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("error[no-rules]"), "{}", run.stdout);
    assert!(run.stdout.contains("extends"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn coverage_is_counted_per_file_and_over_the_batch() {
    let dir = scratch("coverage-json");
    std::fs::write(dir.join("a.yaml"), "交办: 5件\n办结: 6件\n备注: 7件\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "面积: 5亩\n").unwrap();
    std::fs::write(dir.join("c.yaml"), "甲: &x 5件\n乙: *x\n").unwrap();
    let run = hecha(&["check", "--format", "json", arg(&dir)]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let a = &json["files"][0]["coverage"];
    assert_eq!(a["figures"], 3);
    // 交办 and 办结 are compared; each count is checked for being whole, 备注 too.
    assert_eq!(a["figures_checked"], 3);
    assert!(a["checks"].as_u64().unwrap() >= 4, "{a}");
    let b = &json["files"][1]["coverage"];
    assert_eq!(
        (b["figures"].as_u64(), b["checks"].as_u64()),
        (Some(1), Some(0))
    );
    // An alias's copy is the same written figure, counted once.
    assert_eq!(json["files"][2]["coverage"]["figures"], 1);
    assert_eq!(json["summary"]["untouched"], 1);
    assert_eq!(json["summary"]["coverage"]["figures"], 5);
    let run = hecha(&["check", arg(&dir)]);
    assert!(
        run.stdout.contains("；1 个文件没有规则适用；"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_blank_explanation_explains_nothing() {
    let dir = scratch("coverage-blank-explanation");
    for blank in ["。", "略", "N/A", "0", "……", "\"-\""] {
        let run = check_text(
            &dir,
            "a.yaml",
            &format!("预算: 100万元\n执行: 120万元\n说明: {blank}\n"),
        );
        assert_eq!(run.code, 1, "说明: {blank}: {}", run.stdout);
        assert!(
            run.stdout.contains("警告 1 项，已说明 0 项"),
            "{blank}: {}",
            run.stdout
        );
    }
    let run = check_text(
        &dir,
        "a.yaml",
        "预算: 100万元\n执行: 120万元\n说明: 追加预算已批准\n",
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_config_with_problems_runs_nothing_and_says_every_problem() {
    let dir = scratch("coverage-config");
    std::fs::write(
        dir.join("hecha.yaml"),
        "extend: [builtin/casework]\ndisable: [nope/x]\nseverity:\n  budget/executed-exceeds-budget: fatal\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.yaml"), "交办: 5件\n办结: 6件\n").unwrap();
    let run = hecha(&["check", arg(&dir.join("a.yaml"))]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for code in [
        "unknown-field",
        "invalid-severity",
        "unknown-rule",
        "no-rules",
    ] {
        assert!(
            run.stdout.contains(&format!("error[{code}]")),
            "{code}: {}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("casework/closed-exceeds-assigned"),
        "no rule runs that was never configured: {}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = scratch("coverage-named-twice");
    std::fs::write(dir.join("a.yaml"), "交办: 5件\n办结: 6件\n").unwrap();
    let file = dir.join("a.yaml");
    let dotted = dir.join(".").join("a.yaml");
    let run = hecha(&[
        "check",
        "--format",
        "json",
        arg(&file),
        arg(&dotted),
        arg(&dir),
    ]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1, "{}", run.stdout);
    assert_eq!(json["summary"]["errors"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_all_checked_and_shown_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("coverage-names");
    for name in [&b"r\xff.yaml"[..], b"r\xfe.yaml"] {
        let path = dir.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "交办: 5件\n办结: 6件\n").unwrap();
    }
    let run = hecha(&["check", arg(&dir)]);
    assert!(
        run.stdout.contains("检查了 2 个文件：错误 2 项"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("r\\xff.yaml"), "{}", run.stdout);
    assert!(run.stdout.contains("r\\xfe.yaml"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn findings_show_their_figure_path_and_row_and_explained_is_not_info() {
    let dir = scratch("coverage-human");
    let run = check_text(
        &dir,
        "a.yaml",
        "项目:\n  - 名称: 道路\n    预算: 100万元\n    执行: 120万元\n    说明: 追加预算已批准\n  - 名称: 桥梁\n    交办: 5件\n    办结: 6件\n",
    );
    assert!(
        run.stdout
            .contains("= 数据路径：项目[1].办结（第 2 行「桥梁」）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("help[budget/executed-exceeds-budget]"),
        "an explained warning is not shown as an info: {}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stale_decision_near_a_finding_says_which() {
    let dir = scratch("coverage-stale");
    std::fs::write(dir.join("a.yaml"), "县本级:\n  交办: 5件\n  办结: 6件\n").unwrap();
    std::fs::write(
        dir.join("decisions.yaml"),
        "decisions:\n  - rule: casework/closed-exceeds-assigned\n    file: a.yaml\n    figure: 办结\n    reason: 已核实\n    by: 李审核\n    date: 2025-03-02\n",
    )
    .unwrap();
    let run = hecha(&[
        "check",
        "--decisions",
        arg(&dir.join("decisions.yaml")),
        arg(&dir.join("a.yaml")),
    ]);
    assert!(
        run.stdout.contains("note[stale-decision]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("相近的「县本级.办结」"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hecha_test_counts_blessed_apart_and_runs_the_builtin_cases() {
    let dir = scratch("coverage-bless");
    std::fs::create_dir_all(dir.join("tests/casework")).unwrap();
    std::fs::copy("rules/casework.yaml", dir.join("casework.yaml")).unwrap();
    let mut cases = 0;
    for entry in std::fs::read_dir("rules/tests/casework").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(
                &path,
                dir.join("tests/casework").join(path.file_name().unwrap()),
            )
            .unwrap();
            cases += 1;
        }
    }
    let blessed = hecha(&["test", "--bless", arg(&dir)]);
    assert_eq!(blessed.code, 0, "{}", blessed.stdout);
    assert!(
        blessed
            .stdout
            .contains(&format!(" failed, {cases} blessed\n")),
        "{}",
        blessed.stdout
    );
    let passed = |run: &common::Run| -> usize {
        let last = run
            .stdout
            .lines()
            .rfind(|l| l.contains(" passed, "))
            .unwrap();
        last.split(' ').next().unwrap().parse().unwrap()
    };
    let compared = hecha(&["test", arg(&dir)]);
    assert_eq!(compared.code, 0, "{}", compared.stdout);
    assert_eq!(
        passed(&compared),
        passed(&blessed) + cases,
        "a blessed file is not a pass"
    );
    // The built-in packs' cases are in the binary.
    let builtin = hecha(&["test", "--builtin", "--coverage"]);
    assert_eq!(builtin.code, 0, "{}", builtin.stdout);
    assert!(
        builtin.stdout.contains("builtin:rules/casework.yaml"),
        "{}",
        builtin.stdout
    );
    assert!(passed(&builtin) > 50, "{}", builtin.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn system_errors_are_worded_in_chinese() {
    let run = hecha(&["check", "no/such/report.yaml"]);
    assert!(
        run.stdout.contains("无法打开：文件不存在"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("os error"), "{}", run.stdout);
}

#[test]
fn the_conventions_print_from_the_binary_in_chinese() {
    let dir = scratch("coverage-docs");
    for (doc, heading) in [("conventions", "# 数据约定"), ("forms", "# 绩效自评表")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hecha"))
            .args(["docs", doc])
            .current_dir(&dir)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success());
        assert!(text.starts_with(heading), "{doc}: {}", &text[..100]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
