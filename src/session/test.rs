//! A rule test run (`hecha test`): the test cases kept beside rule files, run against
//! their rules, and the report a person reads.
//!
//! Exit codes: 0 when every case holds; 1 when one does not (or, with `coverage`, a
//! rule lacks a case where it fires or one where it passes); 2 when a rule file or a
//! case file could not be used.

use crate::render::human;
use crate::ruletest::{self, CaseFileResult, Snapshot};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// What to test.
#[derive(Clone, Debug, Default)]
pub struct TestOptions {
    /// Rule files, or directories of them; empty: `rules`, or the built-in packs when
    /// there is no such folder. The cases of `dir/x.yaml` are `dir/tests/x/*.yaml`.
    pub paths: Vec<PathBuf>,
    /// Write each case file's output to its `.out` file instead of comparing.
    pub bless: bool,
    /// Also fail when a rule has no case where it fires or no case where it passes.
    pub coverage: bool,
    /// Run the built-in packs' own cases, embedded in the binary.
    pub builtin: bool,
}

/// What a test run gives: the report for standard output, what to tell the user on
/// standard error (each message without the `hecha: ` a command line puts before it),
/// and the exit code.
#[derive(Debug)]
pub struct Tested {
    pub text: String,
    pub messages: Vec<String>,
    pub exit_code: u8,
}

/// A pack to test: its rules, where its cases are, and how to run them.
enum Pack {
    Folder(ruletest::Suite),
    Builtin(&'static str, &'static str),
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

/// Runs the test cases of the packs `args` names.
pub fn run(args: &TestOptions) -> Tested {
    let mut messages = Vec::new();
    let builtin = args.builtin
        || (args.paths.is_empty() && !std::path::Path::new("rules").is_dir() && !args.bless);
    let paths = if builtin {
        Vec::new()
    } else if args.paths.is_empty() {
        vec![PathBuf::from("rules")]
    } else {
        args.paths.clone()
    };
    let mut out = String::new();
    let mut diagnostics = Vec::new();
    let mut failures = String::new();
    let (mut total, mut unusable, mut blessed) = (Tally::default(), false, 0);
    let mut packs: Vec<Pack> = Vec::new();
    if builtin {
        packs.extend(
            crate::rules::BUILTIN_PACKS
                .iter()
                .map(|(name, text)| Pack::Builtin(name, text)),
        );
    }
    for path in &paths {
        let suites = match ruletest::discover(path) {
            Ok(suites) if suites.is_empty() => {
                // A test run over the wrong folder must not pass as "0 failed".
                messages.push(format!("{} 中没有规则文件（.yaml、.yml）", path.display()));
                unusable = true;
                continue;
            }
            Ok(suites) => suites,
            Err(e) => {
                messages.push(format!("无法读取 {e}"));
                unusable = true;
                continue;
            }
        };
        packs.extend(suites.into_iter().map(Pack::Folder));
    }
    {
        for pack in packs {
            let (rules, rule_file, results) = match &pack {
                Pack::Folder(suite) => {
                    let rules = ruletest::load_pack(&suite.rule_file);
                    let base = suite
                        .rule_file
                        .parent()
                        .unwrap_or(std::path::Path::new("."))
                        .to_path_buf();
                    let results: Vec<CaseFileResult> = suite
                        .case_files
                        .iter()
                        .map(|f| ruletest::run_case_file(f, &base, &rules.rules, args.bless))
                        .collect();
                    (rules, suite.rule_file.display().to_string(), results)
                }
                Pack::Builtin(name, text) => {
                    let mut rules = crate::rules::RuleSet::default();
                    rules.add_builtin(name, text);
                    rules.finish();
                    let results = ruletest::run_builtin_cases(name, &rules.rules);
                    (rules, format!("builtin:rules/{name}"), results)
                }
            };
            for (source, problems) in &rules.problems {
                for p in problems {
                    human::emit(&mut diagnostics, source, &human::problem(p, source), false);
                }
                unusable = true;
            }
            let _ = writeln!(
                out,
                "{}: {} 条规则，{} 个用例文件",
                rule_file,
                rules.rules.len(),
                results.len()
            );
            let mut per_rule: BTreeMap<&str, Tally> = rules
                .rules
                .iter()
                .map(|r| (r.id.as_str(), Tally::default()))
                .collect();
            for result in &results {
                if let Some((source, problems)) = &result.problems {
                    for p in problems {
                        human::emit(&mut diagnostics, source, &human::problem(p, source), false);
                    }
                    unusable = true;
                }
                for (case, checks) in &result.cases {
                    for check in checks {
                        let tally = per_rule.entry(check.rule.as_str()).or_default();
                        if check.passed {
                            tally.passed += 1;
                        } else {
                            tally.failed += 1;
                            let _ = writeln!(
                                failures,
                                "FAIL {}「{}」: {}",
                                result.name, case, check.description
                            );
                            for found in &check.found {
                                let _ = writeln!(failures, "     found: {found}");
                            }
                        }
                    }
                }
                match &result.snapshot {
                    Some(Snapshot::Same) => total.passed += 1,
                    // Written, not compared: counted apart, never as a pass.
                    Some(Snapshot::Blessed) => blessed += 1,
                    Some(Snapshot::Missing) => {
                        total.failed += 1;
                        let _ = writeln!(
                            failures,
                            "FAIL {}: 没有预期输出文件（.out）；用 --bless 生成",
                            result.name
                        );
                    }
                    Some(Snapshot::Differs(diff)) => {
                        total.failed += 1;
                        let _ = writeln!(
                            failures,
                            "FAIL {}: 输出与 .out 文件不同；确认无误后用 --bless 更新",
                            result.name
                        );
                        for line in diff.lines() {
                            let _ = writeln!(failures, "     {line}");
                        }
                    }
                    None => {}
                }
            }
            let width = per_rule.keys().map(|k| k.len()).max().unwrap_or(0);
            for (rule, tally) in &per_rule {
                let mark = if tally.failed > 0 {
                    "FAIL"
                } else if tally.passed == 0 {
                    "----"
                } else {
                    "ok  "
                };
                let _ = writeln!(
                    out,
                    "  {mark} {rule:width$}  {} passed, {} failed",
                    tally.passed, tally.failed
                );
                total.passed += tally.passed;
                total.failed += tally.failed;
            }
            if args.coverage {
                for (rule, fires, passes) in ruletest::coverage(&rules.rules, &results) {
                    let missing: Vec<&str> =
                        [(!fires).then_some("触发"), (!passes).then_some("通过")]
                            .into_iter()
                            .flatten()
                            .collect();
                    if !missing.is_empty() {
                        total.failed += 1;
                        let _ = writeln!(
                            failures,
                            "FAIL coverage: {rule} 缺少{}的用例",
                            missing.join("和")
                        );
                    }
                }
            }
        }
    }
    let mut text = String::from_utf8_lossy(&diagnostics).into_owned();
    text.push_str(&out);
    if !failures.is_empty() {
        text.push('\n');
        text.push_str(&failures);
    }
    if blessed > 0 {
        let _ = writeln!(
            text,
            "\n已更新 {blessed} 个 .out 文件（未作比较，不计入通过）"
        );
    }
    if builtin {
        let _ = writeln!(
            text,
            "\n内置规则包的用例已随程序内置；其 .out 文件未内置，只核对了各用例的预期"
        );
    }
    let blessed_count = if blessed > 0 {
        format!(", {blessed} blessed")
    } else {
        String::new()
    };
    let _ = writeln!(
        text,
        "\n{} passed, {} failed{blessed_count}",
        total.passed, total.failed
    );
    let exit_code = if unusable {
        2
    } else if total.failed > 0 {
        1
    } else {
        0
    };
    Tested {
        text,
        messages,
        exit_code,
    }
}
