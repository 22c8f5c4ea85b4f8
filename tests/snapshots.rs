//! Snapshots of what users read: one per rule pack over its fixture, one per broken rule
//! file, one per sample report (and the JSON of one). Update with `cargo insta review`
//! (or `INSTA_UPDATE=always cargo test`) and read the diff before committing it.

mod common;

use common::hecha;

fn check(args: &[&str]) -> String {
    let mut full = vec!["check", "--color", "never"];
    full.extend_from_slice(args);
    let run = hecha(&full);
    format!("exit code: {}\n{}", run.code, run.stdout)
}

#[test]
fn packs() {
    for pack in ["casework", "budget", "breakdown", "hygiene", "forms"] {
        let fixture = format!("tests/fixtures/packs/{pack}.yaml");
        let rules = format!("rules/{pack}.yaml");
        let output = check(&["--no-default-rules", "--rules", &rules, &fixture]);
        insta::assert_snapshot!(format!("pack_{pack}"), output);
    }
}

#[test]
fn broken_rule_files() {
    for name in [
        "unknown-field",
        "bad-expression",
        "unit-error",
        "duplicate-id",
        "yaml-error",
    ] {
        let rules = format!("tests/fixtures/broken-rules/{name}.yaml");
        let output = check(&["--rules", &rules, "tests/fixtures/data/clean.yaml"]);
        assert!(output.starts_with("exit code: 2\n"), "{output}");
        insta::assert_snapshot!(format!("broken_rules_{name}"), output);
    }
}

#[test]
fn samples() {
    let mut names: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "one sample per source report");
    for name in names {
        let output = check(&[&format!("samples/{name}")]);
        insta::assert_snapshot!(format!("sample_{}", name.trim_end_matches(".yaml")), output);
    }
}

#[test]
fn sample_as_json() {
    let run = hecha(&[
        "check",
        "--format",
        "json",
        "samples/rugao-2020-projects.yaml",
    ]);
    insta::assert_snapshot!("sample_rugao_json", run.stdout);
}
