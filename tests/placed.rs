//! Findings on files read from cells and paragraphs, before any such reader exists: a
//! small reader here builds the shown text, its places and the tree, as a workbook or
//! Word reader does, and every output format is snapshotted. What the seam promises —
//! the header names the cell, JSON and SARIF carry the place, YAML output is unchanged —
//! is tested here once for every reader.

use hecha::engine::check_report;
use hecha::finding::FailOn;
use hecha::pipeline::FileReport;
use hecha::render::human::Human;
use hecha::render::json::Json;
use hecha::render::sarif::Sarif;
use hecha::render::{End, Render, Row, Run, Summary};
use hecha::report::{Key, NodeId, Report, Scalar, Value};
use hecha::rules::RuleSet;
use hecha::source::{Place, PlaceSpan, SourceFile};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

/// A sheet as a workbook reader shows it: a line per row, cells joined by ` │ `, each
/// cell a place; the first row names the columns, and the tree maps each header to the
/// cell below it (`{交办: 20, 办结: 21}`), keys and values spanning their cells.
fn sheet(name: &str, sheet: &str, first_row: u32, rows: &[&[&str]]) -> (SourceFile, Report) {
    let mut text = String::new();
    let mut places = Vec::new();
    let mut spans: Vec<Vec<Range<usize>>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut line = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                text.push_str(" │ ");
            }
            let span = text.len()..text.len() + cell.len();
            text.push_str(cell);
            places.push(PlaceSpan {
                span: span.clone(),
                place: Place::Cell {
                    sheet: sheet.into(),
                    row: first_row + r as u32,
                    col: c as u32,
                },
            });
            line.push(span);
        }
        text.push('\n');
        spans.push(line);
    }
    let mut report = Report::default();
    let root = report.add(None, None, 0..text.len(), Value::Map(Vec::new()));
    for (c, header) in rows[0].iter().enumerate() {
        let key = Key {
            text: (*header).into(),
            span: spans[0][c].clone(),
        };
        report.add(
            Some(root),
            Some(key),
            spans[1][c].clone(),
            Value::Scalar(Scalar::new(rows[1][c])),
        );
    }
    report.finish();
    (SourceFile::new(name, text).with_places(places), report)
}

/// A document as a prose reader shows it: a paragraph per line, each a place, and the
/// figures it names as keys of one mapping, each spanning its figure in the paragraph.
fn document(
    name: &str,
    paragraphs: &[&str],
    figures: &[(&str, usize, &str)],
) -> (SourceFile, Report) {
    let mut text = String::new();
    let mut places = Vec::new();
    let mut starts = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        starts.push(text.len());
        places.push(PlaceSpan {
            span: text.len()..text.len() + p.len(),
            place: Place::Paragraph {
                index: i,
                page: None,
            },
        });
        text.push_str(p);
        text.push('\n');
    }
    let mut report = Report::default();
    let root: NodeId = report.add(None, None, 0..text.len(), Value::Map(Vec::new()));
    for &(key, paragraph, figure) in figures {
        let at = starts[paragraph] + paragraphs[paragraph].find(figure).expect("figure in text");
        let span = at..at + figure.len();
        let key = Key {
            text: key.into(),
            span: span.clone(),
        };
        report.add(
            Some(root),
            Some(key),
            span,
            Value::Scalar(Scalar::new(figure)),
        );
    }
    report.finish();
    (SourceFile::new(name, text).with_places(places), report)
}

/// The rule and figure paths of each finding.
fn paths(findings: &[hecha::finding::Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| (f.rule.clone(), f.primary.path.clone()))
        .collect()
}

#[test]
fn the_transcription_names_cells_and_paragraphs_and_checks_the_same() {
    let cases = [
        (
            sheet(
                "自评表.xlsx",
                "案件统计",
                4,
                &[&["交办", "办结", "说明"], &["20", "21", "—"]],
            ),
            "交办: 20  # 案件统计!A6\n办结: 21  # 案件统计!B6\n说明: —\n",
        ),
        (
            document(
                "报告.docx",
                &["交办 20件。", "办结 21件。"],
                &[("交办", 0, "20件"), ("办结", 1, "21件")],
            ),
            "交办: 20件  # 第 1 段\n办结: 21件  # 第 2 段\n",
        ),
    ];
    for ((source, report), expected) in cases {
        let yaml = hecha::read::transcribe::transcribe(&report, &source);
        assert_eq!(yaml, expected);
        let again = hecha::read::yaml::load(&yaml, &hecha::read::Limits::default())
            .report
            .unwrap();
        let findings = check_report(&report, &rules().rules);
        assert!(!findings.is_empty());
        assert_eq!(
            paths(&check_report(&again, &rules().rules)),
            paths(&findings)
        );
    }
}

fn checked(source: SourceFile, report: &Report) -> FileReport {
    let rules = rules();
    let (findings, _, coverage) = hecha::engine::Engine::new(&rules.rules).check_covered(report);
    FileReport {
        findings,
        source: Arc::new(source),
        problems: Vec::new(),
        checked: true,
        unrecognised: 0,
        prose: false,
        coverage,
        applied: Vec::new(),
    }
}

/// The whole output of a run over `report` alone, as the CLI streams it.
fn output(format: &dyn Render, report: &FileReport) -> String {
    let run = Run {
        rules: &rules().rules,
        rule_problems: &[],
        fail_on: FailOn::default(),
        baseline: false,
        summary_only: false,
        color: false,
    };
    let summary = Summary::of(report);
    let rows = [Row {
        path: report.source.name.clone(),
        counts: summary,
    }];
    let part = format.file(&run, report);
    let end = End {
        summary,
        rows: &rows,
        review_problems: &[],
        exit_code: 1,
        parts: !part.is_empty(),
    };
    let mut out = format.head(&run);
    out.extend(part);
    out.extend(format.tail(&run, &end));
    String::from_utf8(out).expect("UTF-8")
}

/// The JSON of the run's file, and the SARIF of its results without the rule table (and
/// without the rule's index in it, which changes when a pack gains a rule).
fn documents(report: &FileReport) -> (serde_json::Value, serde_json::Value) {
    let json: serde_json::Value = serde_json::from_str(&output(&Json, report)).unwrap();
    let sarif: serde_json::Value =
        serde_json::from_str(&output(&Sarif::default(), report)).unwrap();
    let mut results = sarif["runs"][0]["results"].clone();
    for result in results.as_array_mut().unwrap() {
        result.as_object_mut().unwrap().remove("ruleIndex");
    }
    (json["files"][0].clone(), results)
}

fn workbook() -> FileReport {
    let (source, report) = sheet(
        "自评表.xlsx",
        "案件统计",
        4,
        &[&["交办", "办结", "说明"], &["20", "21", "—"]],
    );
    checked(source, &report)
}

fn word() -> FileReport {
    let (source, report) = document(
        "报告.docx",
        &[
            "一、基本情况",
            "全年受理信访事项，交办 20件。",
            "截至年底办结 21件，群众满意。",
        ],
        &[("交办", 1, "20件"), ("办结", 2, "21件")],
    );
    checked(source, &report)
}

#[test]
fn a_finding_on_a_cell() {
    let report = workbook();
    assert_eq!(
        report
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect::<Vec<_>>(),
        ["casework/closed-exceeds-assigned"]
    );
    let human = output(&Human, &report);
    assert!(human.contains("┌─ 自评表.xlsx!案件统计!B6\n"), "{human}");
    insta::assert_snapshot!("cell_human", human);
    let (json, sarif) = documents(&report);
    assert_eq!(json["findings"][0]["primary"]["sheet"], "案件统计");
    assert_eq!(json["findings"][0]["primary"]["cell"], "B6");
    assert_eq!(json["findings"][0]["labels"][0]["cell"], "A6");
    insta::assert_snapshot!("cell_json", output(&Json, &report));
    let location = &sarif[0]["locations"][0];
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "案件统计!B6"
    );
    assert!(location["physicalLocation"].get("region").is_none());
    insta::assert_snapshot!("cell_sarif", serde_json::to_string_pretty(&sarif).unwrap());
}

#[test]
fn a_finding_on_a_paragraph() {
    let report = word();
    let human = output(&Human, &report);
    assert!(human.contains("┌─ 报告.docx 第 3 段\n"), "{human}");
    insta::assert_snapshot!("paragraph_human", human);
    let (json, sarif) = documents(&report);
    assert_eq!(json["findings"][0]["primary"]["paragraph"], 3);
    assert!(json["findings"][0]["primary"].get("page").is_none());
    assert!(json["findings"][0]["primary"].get("sheet").is_none());
    insta::assert_snapshot!("paragraph_json", output(&Json, &report));
    let place = &sarif[0]["locations"][0]["logicalLocations"][0];
    assert_eq!(place["kind"], "paragraph");
    assert_eq!(place["fullyQualifiedName"], "第 3 段");
    insta::assert_snapshot!(
        "paragraph_sarif",
        serde_json::to_string_pretty(&sarif).unwrap()
    );
}

#[test]
fn junit_names_the_cell() {
    let report = workbook();
    let junit = output(&hecha::render::junit::Junit::default(), &report);
    assert!(
        junit.contains("自评表.xlsx!案件统计!B6: error[casework/closed-exceeds-assigned]"),
        "{junit}"
    );
}

#[test]
fn sarif_of_placed_findings_reads_back_through_the_schema_types() {
    for report in [workbook(), word()] {
        let out = output(&Sarif::default(), &report);
        let typed: serde_sarif::sarif::Sarif = serde_json::from_str(&out).unwrap();
        let back = serde_json::to_value(&typed).unwrap();
        let original: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, original);
    }
}

#[test]
fn every_format_names_the_cell() {
    let report = workbook();
    let html = output(&hecha::render::html::Html::default(), &report);
    // The gutter shows the sheet's row; the highlight names the cell.
    assert!(html.contains("<th scope=\"row\">6</th>"), "{html}");
    assert!(
        html.contains("<mark class=\"p\" title=\"超出 1 · 案件统计!B6\">21</mark>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"at\">自评表.xlsx!案件统计!B6</span>"));
    let github = output(&hecha::render::github::Github, &report);
    let line = github.lines().next().unwrap();
    assert!(
        line.starts_with("::error file=自评表.xlsx,title=casework/closed-exceeds-assigned"),
        "no line in a workbook: {line}"
    );
    assert!(line.contains("▲ 自评表.xlsx!案件统计!B6「21」"), "{line}");
    let gitlab: serde_json::Value =
        serde_json::from_str(&output(&hecha::render::gitlab::Gitlab, &report)).unwrap();
    assert!(
        gitlab[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("案件统计!B6：办结 21"),
        "{gitlab}"
    );
    let junit = output(&hecha::render::junit::Junit::default(), &report);
    assert!(
        junit.contains("自评表.xlsx!案件统计!B6: error[casework/closed-exceeds-assigned]"),
        "{junit}"
    );
}
