//! Snapshots of what users read: one per broken rule file, one per sample report (and the
//! JSON of one). Each rule's own cases and expected output live beside the rules, in
//! rules/tests/, and run through `hecha test` (tests/authoring.rs). Update with `cargo insta review`
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

/// Every `*.yaml` under `dir`, as paths relative to it, in order.
fn yaml_files(dir: &std::path::Path, prefix: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if entry.file_type().unwrap().is_dir() {
            yaml_files(&entry.path(), &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".yaml") {
            out.push(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn samples() {
    let mut names = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    yaml_files(&root, "", &mut names);
    names.sort();
    let narrative = names.iter().filter(|n| !n.contains('/')).count();
    assert_eq!(narrative, 5, "one sample per source report");
    assert!(
        names.iter().filter(|n| n.starts_with("forms/")).count() >= 4,
        "{names:?}"
    );
    for name in names {
        let output = check(&[&format!("samples/{name}")]);
        let snapshot = name.trim_end_matches(".yaml").replace('/', "_");
        insta::assert_snapshot!(format!("sample_{snapshot}"), output);
    }
}

/// A rate that rounding allows but the written figures do not give at its written
/// precision is an info finding; a rate that is the quotient rounded is not.
#[test]
fn a_rate_wrong_as_written_within_rounding() {
    let output = check(&["tests/fixtures/as-written/rate.yaml"]);
    insta::assert_snapshot!("rate_as_written", output);
}

#[test]
fn a_province_sets_its_own_parameters() {
    let output = check(&[
        "--rules",
        "tests/fixtures/rules/province-20-points.yaml",
        "samples/forms/project-20-points.yaml",
    ]);
    insta::assert_snapshot!("sample_forms_project-20-points_province", output);
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
