//! `hecha import`: the transcription of a file checks as the file does.

mod common;

use common::{arg, hecha, scratch};
use hecha::pipeline::check_bytes;
use hecha::read::Limits;
use hecha::rules::RuleSet;
use std::path::{Path, PathBuf};

/// Every file under `samples/`.
fn samples(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            samples(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// What checking a file with the built-in packs finds: for each finding its rule, status,
/// and the paths of its figures, in order.
fn findings(name: &str, bytes: &[u8], rules: &RuleSet) -> Vec<String> {
    let report = check_bytes(name.into(), bytes, &rules.rules, &Limits::default());
    assert!(report.checked, "{name}: {:?}", report.problems);
    report
        .findings
        .iter()
        .map(|f| {
            let labels: Vec<&str> = f.labels.iter().map(|l| l.path.as_str()).collect();
            format!(
                "{} {} {} [{}]",
                f.rule,
                f.status.as_str(),
                f.primary.path,
                labels.join(", ")
            )
        })
        .collect()
}

#[test]
fn every_sample_checks_the_same_once_imported() {
    let rules = RuleSet::builtin();
    let dir = scratch("import");
    let mut files = Vec::new();
    samples(Path::new("samples"), &mut files);
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    let mut with_findings = 0;
    for (i, file) in files.iter().enumerate() {
        let out = dir.join(format!("{i}.yaml"));
        let run = hecha(&["import", arg(file), "-o", arg(&out)]);
        assert_eq!(run.code, 0, "{}: {}", file.display(), run.stderr);
        let imported = std::fs::read(&out).unwrap();
        let original = std::fs::read(file).unwrap();
        let expected = findings(arg(file), &original, &rules);
        if file.extension().is_some_and(|e| e == "ods" || e == "xls") {
            // Figures of unknown precision (stored values, no number format) are written
            // as stored, and YAML reads them as written: their transcription checks more
            // strictly than the workbook, which tests/forms.rs covers.
            continue;
        }
        assert_eq!(
            findings(arg(&out), &imported, &rules),
            expected,
            "{}",
            file.display()
        );
        with_findings += usize::from(!expected.is_empty());
    }
    assert!(with_findings >= 5, "the samples have findings to compare");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn figures_are_commented_with_their_position() {
    let run = hecha(&["import", "tests/fixtures/data/one-error.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let source = std::fs::read_to_string("tests/fixtures/data/one-error.yaml").unwrap();
    // Each figure's comment names its line and column in the file.
    let mut commented = 0;
    for line in run.stdout.lines().filter(|l| !l.starts_with('#')) {
        let Some((entry, position)) = line.split_once("  # ") else {
            continue;
        };
        let (row, column) = position.split_once(':').unwrap();
        let (row, column): (usize, usize) = (row.parse().unwrap(), column.parse().unwrap());
        let value = entry
            .split_once(": ")
            .map_or(entry, |(_, v)| v)
            .trim_start_matches("- ");
        let original = source.lines().nth(row - 1).unwrap();
        let at: String = original.chars().skip(column - 1).collect();
        assert!(at.starts_with(value.trim()), "{line} vs {original}");
        commented += 1;
    }
    assert!(commented >= 2, "{}", run.stdout);
}

#[test]
fn json_is_transcribed_as_yaml() {
    let dir = scratch("import-json");
    let json = dir.join("a.json");
    std::fs::write(
        &json,
        "{\"名称\": \"a: b\", \"交办\": 20, \"其中\": [{\"办结\": \"21件\"}]}\n",
    )
    .unwrap();
    let run = hecha(&["import", arg(&json)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body: Vec<&str> = run.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        body,
        [
            "名称: \"a: b\"",
            "交办: 20  # 1:22",
            "其中:",
            "  - 办结: 21件  # 1:40"
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_that_cannot_be_read_is_not_transcribed() {
    let dir = scratch("import-bad");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "交办: [1, 2\n").unwrap();
    let out = dir.join("out.yaml");
    let run = hecha(&["import", arg(&bad), "-o", arg(&out)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("error[yaml-syntax]"), "{}", run.stderr);
    assert!(!out.exists());
    // prose with no figure in it: nothing to transcribe
    let prose = dir.join("report.txt");
    std::fs::write(&prose, "全年工作稳步推进，成效明显。\n").unwrap();
    let run = hecha(&["import", arg(&prose)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-figures"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let missing = hecha(&["import", "no/such/file.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("unreadable"), "{}", missing.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}
