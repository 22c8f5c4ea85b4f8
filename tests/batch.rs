//! Batches: order whatever the threads, the summary table, broken files among good ones,
//! `--output`, `--fail-on`.

mod common;

use common::{arg, hecha, scratch};
use std::path::PathBuf;

/// A batch of the samples, copied into folders whose names do not sort the way they were
/// made, plus one clean fixture.
fn batch(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (i, sub) in ["z", "a/b", "m", "a"].iter().enumerate() {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir("samples").unwrap() {
            let path = entry.unwrap().path();
            if !path.is_file() {
                continue;
            }
            let file = format!("{i}-{}", path.file_name().unwrap().to_str().unwrap());
            std::fs::copy(&path, dir.join(sub).join(file)).unwrap();
        }
    }
    std::fs::copy("tests/fixtures/data/clean.yaml", dir.join("clean.yaml")).unwrap();
    dir
}

#[test]
fn output_is_the_same_in_path_order_whatever_the_threads() {
    let dir = batch("order");
    let one = hecha(&["check", "--color", "never", "-j", "1", arg(&dir)]);
    assert_eq!(one.code, 1);
    for jobs in ["2", "3", "8"] {
        for _ in 0..3 {
            let run = hecha(&["check", "--color", "never", "-j", jobs, arg(&dir)]);
            assert_eq!(run.stdout, one.stdout, "{jobs} threads");
        }
    }
    // Files appear in path order: the first location of each diagnostic.
    let files: Vec<&str> = one
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("┌─ "))
        .map(|l| l.rsplitn(3, ':').last().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert_eq!(
        files.first().unwrap(),
        &format!("{}/a/3-daxiang-2022-department.yaml", dir.display())
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_summary_table_lists_files_with_findings_and_counts_the_rest() {
    let run = hecha(&[
        "check",
        "--summary-only",
        "--color",
        "never",
        "samples",
        "tests/fixtures/data",
    ]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("┌─"), "no diagnostics: {}", run.stdout);
    insta::assert_snapshot!("summary_table", run.stdout);
}

#[test]
fn the_table_follows_the_diagnostics_of_a_batch_but_not_of_one_file() {
    let run = hecha(&["check", "--color", "never", "samples"]);
    let table = run.stdout.find("错误  警告  已说明").expect("a table");
    assert!(run.stdout[..table].contains("error[breakdown/partial-exceeds-total]"));
    let one = hecha(&["check", "tests/fixtures/data/one-error.yaml"]);
    assert!(!one.stdout.contains("错误  警告"), "{}", one.stdout);
}

#[test]
fn a_broken_file_is_reported_and_every_other_file_is_checked() {
    let dir = scratch("broken");
    std::fs::write(dir.join("a-bad.yaml"), "交办: [1, 2\n办结: 3\n").unwrap();
    std::fs::write(dir.join("b-binary.yaml"), b"PK\x03\x04\x00\x00").unwrap();
    std::fs::copy(
        "tests/fixtures/data/one-error.yaml",
        dir.join("c-good.yaml"),
    )
    .unwrap();
    let run = hecha(&["check", "--color", "never", "-j", "2", arg(&dir)]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("error[yaml-syntax]"), "{}", run.stdout);
    assert!(run.stdout.contains("error[unsupported-format]"));
    assert!(run.stdout.contains("casework/closed-exceeds-assigned"));
    let rows: Vec<&str> = run.stdout.lines().filter(|l| l.contains(".yaml")).collect();
    let row = |name: &str| {
        rows.iter()
            .rev()
            .find(|l| l.ends_with(name))
            .unwrap()
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("a-bad.yaml"), ["0", "0", "0", "0", "1"]);
    assert_eq!(row("b-binary.yaml"), ["0", "0", "0", "0", "1"]);
    assert_eq!(row("c-good.yaml"), ["1", "0", "0", "0", "0"]);
    assert!(run.stdout.ends_with("另有 2 个问题使文件或规则无法使用\n"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_goes_to_a_file() {
    let dir = scratch("output");
    let out = dir.join("report.json");
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "--output",
        arg(&out),
        "tests/fixtures/data/one-error.yaml",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    let nowhere = hecha(&["check", "-o", "/nonexistent/dir/x", "samples"]);
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("cannot write"),
        "{}",
        nowhere.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fail_on_sets_which_findings_fail_the_run() {
    let dir = scratch("fail-on");
    let warning = dir.join("warning.yaml");
    std::fs::write(&warning, "预算执行:\n  预算: 10万元\n  执行: 12万元\n").unwrap();
    let error = "tests/fixtures/data/one-error.yaml";
    let code = |args: &[&str]| {
        let mut full = vec!["check"];
        full.extend_from_slice(args);
        hecha(&full).code
    };
    assert_eq!(code(&[arg(&warning)]), 1, "warnings fail by default");
    assert_eq!(code(&["--fail-on", "warning", arg(&warning)]), 1);
    assert_eq!(code(&["--fail-on", "error", arg(&warning)]), 0);
    assert_eq!(code(&["--fail-on", "error", error]), 1);
    assert_eq!(code(&["--fail-on", "never", error]), 0);
    assert_eq!(
        code(&[
            "--fail-on",
            "never",
            error,
            "tests/fixtures/data/missing.yaml"
        ]),
        2,
        "unusable input still exits 2"
    );
    assert_eq!(code(&["--fail-on", "often", error]), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/data",
        "tests/fixtures/data/one-error.yaml",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 4);
}
