//! `hecha test`: rule packs proved by their test cases.
//!
//! The cases of `rules/casework.yaml` are the files `rules/tests/casework/*.yaml` (see
//! [`case`] for their format). Each case file is checked with the rules of its pack
//! alone; its expectations must hold, and its full rendered output must equal the sibling
//! `.out` file, which `--bless` writes. A rule author edits a rule, runs `hecha test`, and
//! sees exactly which outputs changed.

pub mod case;

use crate::engine::check_documents;
use crate::finding::Finding;
use crate::pipeline::{read_limited, read_source};
use crate::problem::Problem;
use crate::render::human;
use crate::rules::{Rule, RuleSet};
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A rule file and its case files.
#[derive(Debug)]
pub struct Suite {
    pub rule_file: PathBuf,
    /// Where its cases live: `<dir>/tests/<stem>/`.
    pub case_dir: PathBuf,
    pub case_files: Vec<PathBuf>,
}

/// The suites a path names: a rule file, or every rule file directly in a directory.
pub fn discover(path: &Path) -> Result<Vec<Suite>, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("{}：{}", path.display(), crate::problem::system_error(&e)))?;
    let rule_files = if meta.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}：{}", path.display(), crate::problem::system_error(&e)))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    Ok(rule_files.into_iter().map(suite_for).collect())
}

fn suite_for(rule_file: PathBuf) -> Suite {
    let stem = rule_file.file_stem().unwrap_or_default().to_os_string();
    let case_dir = rule_file
        .parent()
        .unwrap_or(Path::new("."))
        .join("tests")
        .join(stem);
    let mut case_files: Vec<PathBuf> = std::fs::read_dir(&case_dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    case_files.sort();
    Suite {
        rule_file,
        case_dir,
        case_files,
    }
}

/// One expectation of one case, checked.
#[derive(Debug)]
pub struct Check {
    pub(crate) rule: String,
    /// Whether the case expects the rule to fire (`expect`) or not (`absent`).
    pub(crate) fires: bool,
    pub(crate) passed: bool,
    /// `expected …` or `expected no …`, and what was found instead.
    pub(crate) description: String,
    pub(crate) found: Vec<String>,
}

/// How a case file's rendered output compares with its `.out` file.
#[derive(Debug, PartialEq, Eq)]
pub enum Snapshot {
    Same,
    /// Written by `--bless`.
    Blessed,
    /// No `.out` file yet.
    Missing,
    /// A unified diff, expected → actual.
    Differs(String),
}

/// What running one case file gave.
#[derive(Debug)]
pub struct CaseFileResult {
    /// The file's name relative to the rule file's directory: `tests/casework/rates.yaml`.
    pub(crate) name: String,
    /// Per case: its name and its checks.
    pub(crate) cases: Vec<(String, Vec<Check>)>,
    pub(crate) snapshot: Option<Snapshot>,
    /// Why the file could not be used, with its source for rendering.
    pub(crate) problems: Option<(Arc<SourceFile>, Vec<Problem>)>,
}

/// The rules of a suite's pack, loaded alone.
pub fn load_pack(rule_file: &Path) -> RuleSet {
    let mut set = RuleSet::default();
    match read_source(rule_file, crate::pipeline::input_limits().max_file_size) {
        Ok(source) => set.add_file(Arc::new(source)),
        Err(r) => set.problems.push((r.source, r.problems)),
    }
    set.finish();
    set
}

/// Runs one case file against `rules`; with `bless`, writes its `.out` file.
pub fn run_case_file(path: &Path, base: &Path, rules: &[Rule], bless: bool) -> CaseFileResult {
    let name = path
        .strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/");
    let mut result = CaseFileResult {
        name: name.clone(),
        cases: Vec::new(),
        snapshot: None,
        problems: None,
    };
    let max = crate::pipeline::input_limits().max_file_size;
    let source = match read_limited(path, max) {
        Ok(bytes) => {
            SourceFile::decode(name.clone(), &bytes).map_err(|e| e.report(name.clone(), &bytes))
        }
        Err(problem) => Err((SourceFile::new(name.clone(), ""), *problem)),
    };
    let source = match source {
        Ok(source) => Arc::new(source),
        Err((file, problem)) => {
            result.problems = Some((Arc::new(file), vec![problem]));
            return result;
        }
    };
    let (mut result, all) = run_cases(result, &source, rules);
    if result.problems.is_none() {
        result.snapshot = Some(compare_output(path, &source, &all, bless));
    }
    result
}

/// The test cases of the built-in packs, embedded in the binary, run against `rules`:
/// an installed hecha, with no `rules/` folder beside it, proves its own packs. Their
/// `.out` files are not embedded; the expectations of each case are checked.
pub fn run_builtin_cases(pack: &str, rules: &[Rule]) -> Vec<CaseFileResult> {
    let stem = pack.trim_end_matches(".yaml");
    crate::rules::BUILTIN_CASES
        .iter()
        .filter(|(name, _)| name.split('/').next() == Some(stem))
        .map(|(name, text)| {
            let name = format!("builtin:rules/tests/{name}");
            let source = Arc::new(SourceFile::new(name.clone(), *text));
            let result = CaseFileResult {
                name,
                cases: Vec::new(),
                snapshot: None,
                problems: None,
            };
            run_cases(result, &source, rules).0
        })
        .collect()
}

/// Checks the expectations of the cases in `source`, and returns their findings.
fn run_cases(
    mut result: CaseFileResult,
    source: &Arc<SourceFile>,
    rules: &[Rule],
) -> (CaseFileResult, Vec<Finding>) {
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let file = match case::read(source, &ids) {
        Ok(file) => file,
        Err(problems) => {
            result.problems = Some((Arc::clone(source), problems));
            return (result, Vec::new());
        }
    };
    let mut all = Vec::new();
    for c in &file.cases {
        let findings = check_documents(&file.report, &[c.data], rules);
        let mut checks = Vec::new();
        for e in &c.expect {
            let passed = findings.iter().any(|f| e.matches(f));
            checks.push(Check {
                rule: e.rule.clone(),
                fires: true,
                passed,
                description: format!("expected {}", e.describe()),
                found: if passed {
                    Vec::new()
                } else {
                    describe_findings(&findings, &e.rule)
                },
            });
        }
        for e in &c.absent {
            let hits: Vec<&Finding> = findings.iter().filter(|f| e.matches(f)).collect();
            checks.push(Check {
                rule: e.rule.clone(),
                fires: false,
                passed: hits.is_empty(),
                description: format!("expected no {}", e.describe()),
                found: hits.iter().map(|f| describe(f)).collect(),
            });
        }
        result.cases.push((c.name.clone(), checks));
        all.extend(findings);
    }
    (result, all)
}

fn describe(f: &Finding) -> String {
    format!(
        "{} at {} ({}, {})「{}」",
        f.rule,
        f.primary.path,
        f.severity.as_str(),
        f.status.as_str(),
        f.message
    )
}

fn describe_findings(findings: &[Finding], rule: &str) -> Vec<String> {
    let same: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(describe)
        .collect();
    if same.is_empty() {
        vec![format!("no finding of {rule}")]
    } else {
        same
    }
}

/// The case file's findings as a reviewer reads them, against the `.out` beside it.
fn compare_output(path: &Path, source: &SourceFile, findings: &[Finding], bless: bool) -> Snapshot {
    let mut out = Vec::new();
    for f in findings {
        human::emit(&mut out, source, &human::finding(f), false);
    }
    let actual = String::from_utf8_lossy(&out).into_owned();
    let expected_path = path.with_extension("out");
    let expected = read_limited(
        &expected_path,
        crate::pipeline::input_limits().max_file_size,
    )
    .ok()
    .and_then(|bytes| String::from_utf8(bytes).ok());
    if expected.as_deref() == Some(actual.as_str()) {
        return Snapshot::Same;
    }
    if bless {
        return match std::fs::write(&expected_path, &actual) {
            Ok(()) => Snapshot::Blessed,
            Err(e) => Snapshot::Differs(format!("cannot write {}: {e}", expected_path.display())),
        };
    }
    match expected {
        None => Snapshot::Missing,
        Some(expected) => Snapshot::Differs(
            similar::TextDiff::from_lines(&expected, &actual)
                .unified_diff()
                .context_radius(2)
                .header("expected", "actual")
                .to_string(),
        ),
    }
}

/// Per rule of a suite: which have a case where they fire and a case where they pass.
pub fn coverage(rules: &[Rule], results: &[CaseFileResult]) -> Vec<(String, bool, bool)> {
    let mut seen: BTreeMap<&str, (bool, bool)> = rules
        .iter()
        .map(|r| (r.id.as_str(), (false, false)))
        .collect();
    for result in results {
        for (_, checks) in &result.cases {
            for check in checks {
                if let Some(entry) = seen.get_mut(check.rule.as_str()) {
                    if check.fires {
                        entry.0 = true;
                    } else {
                        entry.1 = true;
                    }
                }
            }
        }
    }
    rules
        .iter()
        .map(|r| {
            let (fires, passes) = seen[r.id.as_str()];
            (r.id.clone(), fires, passes)
        })
        .collect()
}
pub mod examples;
