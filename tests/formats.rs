//! SARIF and JUnit output: the structure their consumers require, and the same facts as
//! the diagnostics.

mod common;

use common::hecha;
use serde_json::Value;

/// The keys SARIF 2.1.0's schema allows on an object, with the ones it requires: the
/// schema closes these objects (`additionalProperties: false`), so a misspelt key makes
/// the log invalid.
fn keys(value: &Value, what: &str, allowed: &[&str], required: &[&str]) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is an object: {value}"));
    for key in object.keys() {
        assert!(allowed.contains(&key.as_str()), "{what} has no key {key}");
    }
    for key in required {
        assert!(object.contains_key(*key), "{what} needs {key}: {value}");
    }
}

fn message(value: &Value, what: &str) {
    keys(
        value,
        what,
        &["text", "markdown", "id", "arguments", "properties"],
        &["text"],
    );
    assert!(!value["text"].as_str().unwrap().is_empty());
}

fn location(value: &Value, what: &str, text: &str) {
    keys(
        value,
        what,
        &[
            "id",
            "physicalLocation",
            "logicalLocations",
            "message",
            "annotations",
            "relationships",
            "properties",
        ],
        &["physicalLocation"],
    );
    let physical = &value["physicalLocation"];
    keys(
        physical,
        "physicalLocation",
        &[
            "address",
            "artifactLocation",
            "region",
            "contextRegion",
            "properties",
        ],
        &["artifactLocation"],
    );
    let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
    assert!(
        uri.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'),
        "uri is a URI reference: {uri}"
    );
    if let Some(region) = physical.get("region") {
        keys(
            region,
            "region",
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "charOffset",
                "charLength",
                "byteOffset",
                "byteLength",
                "snippet",
                "message",
                "sourceLanguage",
                "properties",
            ],
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "byteOffset",
                "byteLength",
            ],
        );
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} is 1-based");
        }
        let (start, len) = (
            region["byteOffset"].as_u64().unwrap() as usize,
            region["byteLength"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &text[start..start + len],
            region["snippet"]["text"].as_str().unwrap()
        );
    }
}

/// The SARIF log of the samples and fixtures: failed, explained and info findings, an
/// unreadable file and a malformed one.
fn sarif_of_samples_and_fixtures() -> common::Run {
    let run = hecha(&[
        "check",
        "--format",
        "sarif",
        "samples",
        "tests/fixtures/data",
        "tests/fixtures/data/missing.yaml",
    ]);
    assert_eq!(run.code, 2);
    run
}

#[test]
fn sarif_has_the_shape_of_sarif_2_1_0() {
    let run = sarif_of_samples_and_fixtures();
    let log: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    keys(
        &log,
        "log",
        &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
        &["version", "runs"],
    );
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().starts_with("https://"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let driver = &run0["tool"]["driver"];
    keys(
        &run0["tool"],
        "tool",
        &["driver", "extensions", "properties"],
        &["driver"],
    );
    assert_eq!(driver["name"], "hecha");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule descriptors are unique");
    for rule in rules {
        keys(
            rule,
            "reportingDescriptor",
            &[
                "id",
                "name",
                "shortDescription",
                "fullDescription",
                "help",
                "helpUri",
                "defaultConfiguration",
                "properties",
                "messageStrings",
                "relationships",
                "deprecatedIds",
                "guid",
            ],
            &["id", "shortDescription", "help"],
        );
        message(&rule["help"], "help");
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);

    let results = run0["results"].as_array().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for result in results {
        keys(
            result,
            "result",
            &[
                "ruleId",
                "ruleIndex",
                "level",
                "kind",
                "message",
                "locations",
                "relatedLocations",
                "partialFingerprints",
                "suppressions",
                "baselineState",
                "properties",
            ],
            &["ruleId", "level", "message", "locations"],
        );
        message(&result["message"], "message");
        let rule = result["ruleId"].as_str().unwrap();
        assert!(
            ids.contains(&rule),
            "every result's rule is described: {rule}"
        );
        if let Some(index) = result.get("ruleIndex") {
            assert_eq!(ids[index.as_u64().unwrap() as usize], rule);
        }
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        let text = std::fs::read_to_string(uri).unwrap_or_default();
        for loc in result["locations"].as_array().unwrap() {
            location(loc, "location", &text);
        }
        for loc in result["relatedLocations"].as_array().into_iter().flatten() {
            location(loc, "relatedLocation", &text);
            message(&loc["message"], "related message");
        }
        seen.insert((
            rule.to_string(),
            result["level"].as_str().unwrap().to_string(),
        ));
    }
    assert!(seen.contains(&("casework/closed-exceeds-assigned".into(), "error".into())));
    assert!(
        seen.contains(&("breakdown/parts-differ-from-total".into(), "note".into())),
        "info is a note"
    );
    assert!(
        seen.contains(&("not-found".into(), "error".into())),
        "a missing file is a result"
    );

    // An explained finding is suppressed in the source, with the explanation.
    let explained = results
        .iter()
        .find(|r| r["suppressions"].is_array() && r["ruleId"] == "budget/executed-exceeds-budget")
        .expect("an explained finding");
    let suppression = &explained["suppressions"][0];
    keys(
        suppression,
        "suppression",
        &[
            "guid",
            "kind",
            "status",
            "justification",
            "location",
            "properties",
        ],
        &["kind"],
    );
    assert_eq!(suppression["kind"], "inSource");
    assert_eq!(explained["level"], "warning", "the level stays the rule's");
    assert!(
        suppression["justification"]
            .as_str()
            .unwrap()
            .contains("县信访维稳工作经费")
    );
}

#[test]
fn sarif_columns_count_characters_and_offsets_count_bytes() {
    let run = hecha(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/data/one-error.yaml",
    ]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 7, "「  办结: 」 is six characters");
    assert_eq!(region["endColumn"], 10, "「21件」 is three characters");
    assert_eq!(region["byteLength"], 5, "and five bytes");
}

#[test]
fn junit_has_a_testsuite_per_file_and_a_testcase_per_rule() {
    let run = hecha(&[
        "check",
        "--format",
        "junit",
        "samples",
        "tests/fixtures/data",
        "tests/fixtures/data/missing.yaml",
    ]);
    assert_eq!(run.code, 2);
    let doc = roxmltree::Document::parse(&run.stdout).expect("JUnit XML parses");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let files = hecha(&[
        "check",
        "--format",
        "json",
        "samples",
        "tests/fixtures/data",
    ]);
    let files: Value = serde_json::from_str(&files.stdout).unwrap();
    let files = files["files"].as_array().unwrap().len();
    assert_eq!(suites.len(), files + 1, "every file and the missing one");
    let rules: Value = serde_json::from_str(&hecha(&["rules", "--format", "json"]).stdout).unwrap();
    let rules = rules.as_array().unwrap().len();
    for suite in &suites {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(suite.attribute("tests").unwrap(), cases.len().to_string());
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        assert_eq!(suite.attribute("failures").unwrap(), failures.to_string());
        let errors = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("error")))
            .count();
        assert_eq!(suite.attribute("errors").unwrap(), errors.to_string());
        let skipped = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
            .count();
        assert_eq!(suite.attribute("skipped").unwrap(), skipped.to_string());
        let name = suite.attribute("name").unwrap();
        if name.ends_with("missing.yaml") {
            assert_eq!(
                (cases.len(), errors),
                (1, 1),
                "a file that cannot be read has no rule cases"
            );
        } else {
            assert_eq!(cases.len(), rules, "{name}: a testcase per rule");
        }
    }
    // The root holds the totals of its suites.
    for key in ["tests", "failures", "errors", "skipped"] {
        let sum: usize = suites
            .iter()
            .map(|s| s.attribute(key).unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(root.attribute(key), Some(sum.to_string().as_str()), "{key}");
    }
    let dongan = suites
        .iter()
        .find(|s| s.attribute("name") == Some("samples/dongan-2018-special-fund.yaml"))
        .unwrap();
    assert_eq!(dongan.attribute("failures"), Some("2"));
    let failure = dongan
        .children()
        .find(|n| n.attribute("name") == Some("breakdown/partial-exceeds-total"))
        .and_then(|case| case.first_element_child())
        .unwrap();
    assert_eq!(failure.tag_name().name(), "failure");
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("「其中」各项之和超过合计")
    );
    assert!(
        failure
            .text()
            .unwrap()
            .contains("samples/dongan-2018-special-fund.yaml:131:13")
    );
    // Explained and info findings do not fail; they are in the suite's output.
    let hengshan = suites
        .iter()
        .find(|s| s.attribute("name") == Some("samples/hengshan-2019-department.yaml"))
        .unwrap();
    let out = hengshan
        .children()
        .find(|n| n.has_tag_name("system-out"))
        .unwrap();
    assert!(out.text().unwrap().contains("explained"));
}

#[test]
fn junit_skips_a_rule_that_never_applied() {
    let run = hecha(&[
        "check",
        "--format",
        "junit",
        "tests/fixtures/data/one-error.yaml",
    ]);
    let doc = roxmltree::Document::parse(&run.stdout).unwrap();
    let case = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
            .unwrap()
    };
    let failed = case("casework/closed-exceeds-assigned");
    let text = failed.first_element_child().unwrap().text().unwrap();
    assert!(
        text.contains("  ▲ tests/fixtures/data/one-error.yaml:3:7「21件」："),
        "{text}"
    );
    assert!(text.contains("  = 21 件 > 20 件"), "the notes: {text}");
    assert!(text.contains("规则：办结数不得超过交办数"), "{text}");
    // A report of casework has no 绩效自评表: the forms rules tested nothing in it.
    let forms = case("forms/grade-mismatch");
    assert_eq!(
        forms.first_element_child().map(|n| n.tag_name().name()),
        Some("skipped")
    );
    // Where the closure rate is stated, its rule applies and passes: no child.
    let run = hecha(&[
        "check",
        "--format",
        "junit",
        "tests/fixtures/data/clean.yaml",
    ]);
    let doc = roxmltree::Document::parse(&run.stdout).unwrap();
    let rate = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("casework/closure-rate-mismatch"))
        .unwrap();
    assert!(rate.first_element_child().is_none(), "passed, not skipped");
}

#[test]
fn junit_failures_follow_fail_on() {
    let dir = common::scratch("junit-fail-on");
    let warning = dir.join("w.yaml");
    std::fs::write(
        &warning,
        "x:\n  预算: 10万元\n  执行: 12万元\n  note: \"<&>\"\n",
    )
    .unwrap();
    let failures = |fail_on: &str| {
        let run = hecha(&[
            "check",
            "--format",
            "junit",
            "--fail-on",
            fail_on,
            warning.to_str().unwrap(),
        ]);
        let doc = roxmltree::Document::parse(&run.stdout).unwrap();
        let suite = doc.root_element().first_element_child().unwrap();
        suite.attribute("failures").unwrap().to_string()
    };
    assert_eq!(failures("warning"), "1");
    assert_eq!(failures("error"), "0");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Reads a SARIF log through `serde-sarif`, whose types are generated from the SARIF 2.1.0
/// JSON schema, and writes it back: a property the schema does not define is dropped, a
/// value of the wrong type or an unknown `level`/`kind` is refused, a missing required
/// property fails, so the log coming back unchanged means it has the schema's shape.
fn reads_back_through_the_schema_types(text: &str) {
    let ours: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let typed: serde_sarif::sarif::Sarif =
        serde_json::from_value(ours.clone()).unwrap_or_else(|e| panic!("not SARIF 2.1.0: {e}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, ours, "the schema's types keep every property");
}

#[test]
fn sarif_reads_back_through_types_generated_from_the_schema() {
    let run = sarif_of_samples_and_fixtures();
    reads_back_through_the_schema_types(&run.stdout);
    assert!(run.stdout.contains("\"inSource\""), "an explained finding");

    // A reviewer's decision (an external suppression) and a baseline (baselineState).
    let dir = common::scratch("sarif-schema");
    std::fs::write(
        dir.join("a.yaml"),
        "交办: 20件\n办结: 21件\n预算: 10万元\n执行: 12万元\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("decisions.yaml"),
        "decisions:\n  - rule: casework/closed-exceeds-assigned\n    file: a.yaml\n    figure: 办结\n    reason: 含上年结转 1 件\n    by: 李审核\n    date: 2025-03-02\n",
    )
    .unwrap();
    let baseline = dir.join("baseline.yaml");
    let write = hecha(&[
        "check",
        "--write-baseline",
        common::arg(&baseline),
        common::arg(&dir.join("a.yaml")),
    ]);
    assert!(baseline.exists(), "{}", write.stderr);
    let run = hecha(&[
        "check",
        "--format",
        "sarif",
        "--decisions",
        common::arg(&dir.join("decisions.yaml")),
        "--baseline",
        common::arg(&baseline),
        common::arg(&dir.join("a.yaml")),
    ]);
    reads_back_through_the_schema_types(&run.stdout);
    assert!(run.stdout.contains("\"external\""), "{}", run.stdout);
    assert!(run.stdout.contains("\"baselineState\""), "{}", run.stdout);
}

#[test]
fn sarif_carries_what_consumers_show() {
    let run = common::hecha_with_env(
        &[
            "check",
            "--format",
            "sarif",
            "samples/dongan-2018-special-fund.yaml",
            "tests/fixtures/data/missing.yaml",
        ],
        &[("HECHA_DOCS_URL", "https://example.org/hecha/docs")],
    );
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    reads_back_through_the_schema_types(&run.stdout);
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], "https://example.org/hecha/docs/");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let docs = std::fs::read_to_string("docs/rules.md").unwrap();
    let partial = rules
        .iter()
        .find(|r| r["id"] == "breakdown/partial-exceeds-total")
        .unwrap();
    assert_eq!(partial["name"], "BreakdownPartialExceedsTotal");
    let help_uri = partial["helpUri"].as_str().unwrap();
    let anchor = help_uri.split_once("rules.md#").unwrap().1;
    assert!(
        docs.contains(&format!("(#{anchor})"))
            && docs.contains("### breakdown/partial-exceeds-total"),
        "helpUri points at the rule's section of docs/rules.md: {help_uri}"
    );
    let markdown = partial["help"]["markdown"].as_str().unwrap();
    assert!(markdown.contains("为何重要"), "the rule's doc: {markdown}");
    let missing = rules.iter().find(|r| r["id"] == "not-found").unwrap();
    assert_eq!(missing["fullDescription"]["text"], "命令行给出的路径不存在");

    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "breakdown/partial-exceeds-total")
        .unwrap();
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("「其中」各项之和超过合计 59 人次\n▲ 小于 60 人次\n")
            && text.contains("\n37 + 17 + 6 = 60 人次 > 59 人次\n")
            && text.contains("\nhelp: 核对「其中」各项与合计"),
        "the notes are in the message: {text}"
    );
    let location = &result["locations"][0];
    assert_eq!(
        location["message"]["text"], "小于 60 人次",
        "the primary label"
    );
    let region = &location["physicalLocation"]["region"];
    let source = std::fs::read_to_string("samples/dongan-2018-special-fund.yaml").unwrap();
    let (byte, chars) = (
        region["byteOffset"].as_u64().unwrap() as usize,
        region["charOffset"].as_u64().unwrap() as usize,
    );
    assert_eq!(source[..byte].chars().count(), chars);
    assert_eq!(region["charLength"], 4, "「59人次」 is four characters");
    assert_eq!(region["byteLength"], 8, "and eight bytes");

    // Without a docs address, no URI is made up.
    let run = hecha(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/data/one-error.yaml",
    ]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    if env!("CARGO_PKG_HOMEPAGE").is_empty() {
        assert!(
            log["runs"][0]["tool"]["driver"]
                .get("informationUri")
                .is_none()
        );
    }
}

#[test]
fn sarif_char_offsets_hold_for_decoded_files() {
    let dir = common::scratch("sarif-gbk");
    let path = dir.join("g.yaml");
    let gbk = gbk("交办: 20件\n办结: 21件\n");
    std::fs::write(&path, gbk).unwrap();
    let run = hecha(&["check", "--format", "sarif", common::arg(&path)]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "casework/closed-exceeds-assigned")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert!(
        region.get("byteOffset").is_none(),
        "bytes of the decoded text"
    );
    assert_eq!(region["charOffset"], "交办: 20件\n办结: ".chars().count());
    assert_eq!(region["charLength"], 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// GBK bytes of a text of ASCII and the four characters of the table.
fn gbk(text: &str) -> Vec<u8> {
    let table = [
        ('交', [0xBD, 0xBB]),
        ('办', [0xB0, 0xEC]),
        ('结', [0xBD, 0xE1]),
        ('件', [0xBC, 0xFE]),
    ];
    let mut out = Vec::new();
    for c in text.chars() {
        match table.iter().find(|(k, _)| *k == c) {
            Some((_, bytes)) => out.extend_from_slice(bytes),
            None => out.push(c as u8),
        }
    }
    out
}

#[test]
fn github_annotations_carry_the_whole_diagnostic() {
    let run = hecha(&[
        "check",
        "--format",
        "github",
        "samples/dongan-2018-special-fund.yaml",
        "tests/fixtures/data/missing.yaml",
    ]);
    assert_eq!(run.code, 2);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("breakdown/partial-exceeds-total"))
        .unwrap();
    assert!(
        line.starts_with(
            "::error file=samples/dongan-2018-special-fund.yaml,line=131,col=13,endLine=131,endColumn=17,title=breakdown/partial-exceeds-total（「其中」各项之和不得超过合计）::「其中」各项之和超过合计 59 人次%0A▲ "
        ),
        "{line}"
    );
    assert!(
        line.contains("「37人次」：依法训诫 37 人次%0A"),
        "secondary labels: {line}"
    );
    assert!(
        line.contains("%0A= 37 + 17 + 6 = 60 人次 > 59 人次%0A"),
        "notes: {line}"
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l
                .starts_with("::error file=tests/fixtures/data/missing.yaml,title=not-found::"))
    );
    assert!(
        run.stdout.ends_with("个问题使文件或规则无法使用\n"),
        "the summary line last"
    );
}

#[test]
fn gitlab_code_quality_is_an_array_of_issues() {
    let run = hecha(&[
        "check",
        "--format",
        "gitlab",
        "samples",
        "tests/fixtures/data",
        "tests/fixtures/data/missing.yaml",
    ]);
    let issues: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let issues = issues.as_array().unwrap();
    let mut fingerprints = std::collections::BTreeSet::new();
    for issue in issues {
        for key in [
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
        ] {
            assert!(issue.get(key).is_some(), "{key}: {issue}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap())
        );
        let location = &issue["location"];
        let line = location["positions"]["begin"]["line"]
            .as_u64()
            .or(location["lines"]["begin"].as_u64())
            .unwrap();
        assert!(line >= 1);
        assert!(
            fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()),
            "unique"
        );
    }
    let partial = issues
        .iter()
        .find(|i| i["check_name"] == "breakdown/partial-exceeds-total")
        .unwrap();
    assert_eq!(
        partial["description"],
        "「其中」各项之和超过合计 59 人次（小于 60 人次；「其中」各项之和不得超过合计；37 + 17 + 6 = 60 人次 > 59 人次；未计入：依法审理 1 起（单位与比较的数不同））"
    );
    assert_eq!(partial["severity"], "critical");
    assert!(
        issues
            .iter()
            .any(|i| i["check_name"] == "not-found" && i["severity"] == "blocker")
    );
    // Nothing to report is an empty array.
    let clean = hecha(&[
        "check",
        "--format",
        "gitlab",
        "tests/fixtures/data/clean.yaml",
    ]);
    assert_eq!(clean.stdout, "[]\n");
}
