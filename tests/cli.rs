//! The command line: exit codes, output formats, file discovery, broken input.

mod common;

use common::{hecha, hecha_with_env};
use serde_json::Value;

#[test]
fn a_clean_file_exits_0() {
    let run = hecha(&["check", "tests/fixtures/data/clean.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "检查了 1 个文件：错误 0 项，警告 0 项，已说明 0 项，提示 0 项\n"
    );
}

#[test]
fn a_failed_error_exits_1() {
    let run = hecha(&["check", "tests/fixtures/data/one-error.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("error[casework/closed-exceeds-assigned]: 办结 21 件，超过交办 20 件")
    );
    assert!(
        run.stdout
            .contains("tests/fixtures/data/one-error.yaml:3:7"),
        "{}",
        run.stdout
    );
}

#[test]
fn explained_warnings_and_info_do_not_fail_the_run() {
    let run = hecha(&[
        "check",
        "tests/fixtures/data/explained.yaml",
        "tests/fixtures/data/rounding-only.yaml",
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("已说明 1 项，提示 1 项"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_missing_file_exits_2_after_checking_the_others() {
    let run = hecha(&[
        "check",
        "tests/fixtures/data/one-error.yaml",
        "tests/fixtures/data/nope.yaml",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout
            .contains("error[not-found]: tests/fixtures/data/nope.yaml：无法打开"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("casework/closed-exceeds-assigned"),
        "the other file is still checked"
    );
}

#[test]
fn a_directory_walk_takes_the_files_as_submitted() {
    // Workbooks, Word documents and text are picked up and each reported on: none is
    // skipped, and none passes clean (empty files here; the text is not read as YAML).
    let dir = common::scratch("submitted");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for name in ["a.docx", "b.XLSX", "sub/c.pdf"] {
        std::fs::write(dir.join(name), "").unwrap();
    }
    std::fs::write(dir.join("sub/d.txt"), "交办: 20\n办结: 21\n").unwrap();
    std::fs::write(dir.join("notes.pptx"), "").unwrap();
    let run = hecha(&["check", "--color", "never", common::arg(&dir)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stdout.contains("no-files"), "{}", run.stdout);
    for name in ["a.docx", "b.XLSX", "c.pdf", "d.txt"] {
        assert!(run.stdout.contains(name), "{name}: {}", run.stdout);
    }
    assert!(!run.stdout.contains("notes.pptx"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("closed-exceeds-assigned"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("检查了 4 个文件"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn text_named_as_prose_is_not_read_as_yaml() {
    // Valid YAML with a finding in it, but named .txt: read as a report in prose, whose
    // lines are two separate statements (not one mapping), never as YAML.
    let dir = common::scratch("prose");
    let path = dir.join("report.txt");
    std::fs::copy("tests/fixtures/data/one-error.yaml", &path).unwrap();
    let run = hecha(&["check", "--color", "never", common::arg(&path)]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("读取数字 2 个"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("closed-exceeds-assigned"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_without_data_files_is_not_a_clean_run() {
    // Files no reader takes: slides, archives.
    let dir = common::scratch("no-data");
    std::fs::create_dir_all(dir.join("submitted/sub")).unwrap();
    for name in ["a.pptx", "b.pptx", "sub/c.zip"] {
        std::fs::write(dir.join("submitted").join(name), "").unwrap();
    }
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let submitted = dir.join("submitted");
    let empty = dir.join("empty");
    let run = hecha(&[
        "check",
        "--color",
        "never",
        common::arg(&submitted),
        common::arg(&empty),
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "error[no-files]: {}：目录中没有可核查的报告文件（.yaml、.yml、.json、.xlsx、.xls、.ods、.docx、.pdf、.txt、.md）",
            submitted.display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("目录中只有 3 个其他文件（.pptx、.zip）"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "error[no-files]: {}：目录中没有可核查的报告文件",
            empty.display()
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("casework/closed-exceeds-assigned"));

    // A rule directory without rule files, even with --summary-only, which prints the
    // problems of rule files that its table cannot show.
    let run = hecha(&[
        "check",
        "--summary-only",
        "--rules",
        common::arg(&submitted),
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stdout.contains("目录中没有规则文件（.yaml、.yml）"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_rule_file_exits_2_and_the_good_rules_still_run() {
    let run = hecha(&[
        "check",
        "--rules",
        "tests/fixtures/broken-rules/unknown-field.yaml",
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("error[unknown-field]"));
    assert!(
        run.stdout.contains("casework/closed-exceeds-assigned"),
        "{}",
        run.stdout
    );
}

#[test]
fn no_default_rules_runs_only_the_given_rules() {
    let run = hecha(&[
        "check",
        "--no-default-rules",
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(
        run.code, 2,
        "no rules is said, not a clean pass: {}",
        run.stdout
    );
    assert!(run.stdout.contains("error[no-rules]"), "{}", run.stdout);
    assert!(run.stdout.contains("--no-default-rules"), "{}", run.stdout);
    let run = hecha(&[
        "check",
        "--no-default-rules",
        "--rules",
        "rules/casework.yaml",
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 1);
}

#[test]
fn directories_are_searched_recursively_and_reported_in_path_order() {
    let run = hecha(&["check", "--format", "json", "tests/fixtures/data"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.contains(&"tests/fixtures/data/clean.yaml"));
    assert_eq!(json["summary"]["files"], paths.len());
}

#[test]
fn json_carries_the_same_facts_as_the_diagnostics() {
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 1);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let f = &json["files"][0]["findings"][0];
    assert_eq!(f["rule"], "casework/closed-exceeds-assigned");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["status"], "failed");
    assert_eq!(f["primary"]["text"], "21件");
    assert_eq!(f["primary"]["line"], 3);
    assert_eq!(
        f["primary"]["column"], 7,
        "columns count characters, not bytes"
    );
    assert_eq!(f["primary"]["figure"], "巡视交办.办结");
    let source = std::fs::read_to_string("tests/fixtures/data/one-error.yaml").unwrap();
    let (start, end) = (
        f["primary"]["start"].as_u64().unwrap() as usize,
        f["primary"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&source[start..end], "21件", "byte offsets");
    assert_eq!(f["labels"][0]["message"], "交办 20 件");
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn json_shows_explanations() {
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/data/explained.yaml",
    ]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &json["files"][0]["findings"][0];
    assert_eq!(f["status"], "explained");
    assert!(
        f["explanation"]["text"]
            .as_str()
            .unwrap()
            .starts_with("县信访维稳工作经费")
    );
    assert_eq!(f["explanation"]["label"]["figure"], "预算执行.说明");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = hecha(&["check", "tests/fixtures/data/one-error.yaml"]);
    assert!(!plain.stdout.contains('\x1b'), "piped output has no colour");
    let forced = hecha(&[
        "check",
        "--color",
        "always",
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert!(forced.stdout.contains('\x1b'));
    let no_color = hecha_with_env(
        &["check", "tests/fixtures/data/one-error.yaml"],
        &[("NO_COLOR", "1")],
    );
    assert!(!no_color.stdout.contains('\x1b'));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(hecha(&["check"]).code, 2);
    assert_eq!(hecha(&["check", "--format", "xml", "x.yaml"]).code, 2);
    assert_eq!(hecha(&["frobnicate"]).code, 2);
    assert_eq!(hecha(&["--help"]).code, 0);
}

#[test]
fn a_yaml_syntax_error_is_located() {
    let dir = std::env::temp_dir().join(format!("hecha-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "交办: [1, 2\n办结: 3\n").unwrap();
    let run = hecha(&["check", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("error[yaml-syntax]: YAML 格式错误"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("bad.yaml:"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bureau_rule_file_changes_a_pack_parameter() {
    let form = "samples/forms/project-20-points.yaml";
    let rules = |run: &common::Run| -> Vec<String> {
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        json["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let default = hecha(&["check", "--format", "json", form]);
    assert_eq!(default.code, 1);
    assert_eq!(
        rules(&default),
        [
            "forms/execution-weight-unexpected",
            "forms/execution-rate-low"
        ]
    );
    let province = hecha(&[
        "check",
        "--format",
        "json",
        "--rules",
        "tests/fixtures/rules/province-20-points.yaml",
        form,
    ]);
    assert_eq!(province.code, 0, "{}", province.stdout);
    assert!(rules(&province).is_empty());

    // A stricter threshold makes the clean form's 95.50% a finding.
    let dir = std::env::temp_dir().join(format!("hecha-params-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let strict = dir.join("strict.yaml");
    std::fs::write(
        &strict,
        "params:\n  forms/execution-rate-low:\n    阈值: 96%\n",
    )
    .unwrap();
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "--rules",
        strict.to_str().unwrap(),
        "samples/forms/project-clean.yaml",
    ]);
    assert_eq!(rules(&run), ["forms/execution-rate-low"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json["files"][0]["findings"][0]["message"],
        "执行率 95.50%，低于 96%"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_of_forms_is_checked_file_by_file() {
    let run = hecha(&["check", "--format", "json", "samples/forms"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    let count = |path: &str| {
        files
            .iter()
            .find(|f| f["path"] == path)
            .map(|f| f["findings"].as_array().unwrap().len())
    };
    assert_eq!(count("samples/forms/project-clean.yaml"), Some(0));
    assert!(count("samples/forms/project-mistakes.yaml").unwrap() >= 6);
    assert_eq!(run.code, 1);
}

#[test]
fn standard_input_is_a_report_with_the_name_given() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_hecha"))
        .args([
            "check",
            "-",
            "--stdin-filename",
            "报告.yaml",
            "--color",
            "never",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("交办: 20件\n办结: 21件\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("┌─ 报告.yaml:2:5"), "{stdout}");
}

#[test]
fn statistics_count_findings_per_rule() {
    let run = common::hecha(&["check", "--summary-only", "--statistics", "samples"]);
    let (_, table) = run
        .stdout
        .split_once("各规则的发现：\n")
        .expect(&run.stdout);
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("错误  警告  已说明  提示  规则"));
    assert!(
        // the dongan transcription, its report read as .txt, .pdf and .docx, and the Word
        // report with its form
        table.contains("   5     0       0     0  breakdown/partial-exceeds-total  「其中」各项之和不得超过合计\n"),
        "{table}"
    );
    // Most errors first.
    let errors: Vec<usize> = lines
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(errors.windows(2).all(|w| w[0] >= w[1]), "{errors:?}");
}

#[test]
fn force_color_colours_piped_output() {
    let plain = common::hecha(&["check", "tests/fixtures/data/one-error.yaml"]);
    assert!(!plain.stdout.contains('\u{1b}'));
    let forced = common::hecha_with_env(
        &["check", "tests/fixtures/data/one-error.yaml"],
        &[("FORCE_COLOR", "1")],
    );
    assert!(forced.stdout.contains("\u{1b}["), "{}", forced.stdout);
}

#[test]
fn completions_and_man_page_come_from_the_definitions() {
    let bash = common::hecha(&["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(bash.stdout.contains("--stdin-filename") && bash.stdout.contains("gitlab"));
    let man = common::hecha(&["man", "check"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.contains(".TH hecha\\-check 1") || man.stdout.contains(".TH hecha-check 1"),
        "{}",
        &man.stdout[..200]
    );
    assert!(man.stdout.contains("\\-\\-format"), "every flag");
    assert_eq!(common::hecha(&["man", "nope"]).code, 2);
}
