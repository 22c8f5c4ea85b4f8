//! SARIF 2.1.0 output, for code-scanning tools and SARIF viewers: one run, one result
//! per finding and per problem.
//!
//! - `level`: error → `error`, warning → `warning`, info → `note`; a problem → `error`,
//!   a notice (a file decoded from GB18030, a stale decision) → `note`.
//! - A finding the report explains carries a suppression of kind `inSource` (the
//!   explanation is in the submission), one a reviewer accepted a suppression of kind
//!   `external` (the decisions file), each with the text as `justification` and its
//!   location; `level` stays the rule's, as SARIF prescribes for suppressed results.
//! - With `--baseline`, every result has a `baselineState`: `unchanged` for a finding in
//!   the baseline, `new` otherwise.
//! - Regions give `startLine`, `startColumn`, `endLine`, `endColumn` (columns count
//!   Unicode code points: the run's `columnKind` is `unicodeCodePoints`), `byteOffset`
//!   and `byteLength` (left out for a file decoded from another encoding, whose offsets
//!   are in the decoded text), and the literal as `snippet`.
//! - For a file read from cells or paragraphs (a workbook, a Word document), a location
//!   has no region, whose lines and columns would be those of the text hecha shows, not
//!   of the file; its first logical location is the place instead: `fullyQualifiedName`
//!   `项目支出!E6` (or `第 12 段`, `表 2 第 4 行第 3 格`), `name` `E6`, `kind` `cell`,
//!   `paragraph` or `tableCell`, and the parts as properties (`sheet`, `cell`, `table`,
//!   `row`, `paragraph`, `page`, as in the JSON output). Viewers list logical locations
//!   with the result, so the cell is what a reader sees; the shown text is the physical
//!   location's `snippet` property.
//! - The primary figure's path is the result's logical location; the other figures are
//!   related locations with their values as messages; the arithmetic notes and help go in
//!   `properties`. `partialFingerprints` key a finding on rule and figure path, which
//!   survive edits elsewhere in the file.
//! - `tool.driver.rules` describes every rule that ran (title, `doc` as full description,
//!   help, default level) and every kind of problem that occurred; it comes after the
//!   results, since problems are known only then (member order carries no meaning in JSON).

use super::{End, FileProblems, FileReport, Render, Run};
use crate::finding::{Finding, Label, Status};
use crate::problem::Problem;
use crate::rules::Severity;
use crate::source::{Place, SourceFile};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Mutex;

/// The SARIF log, written file by file.
#[derive(Default)]
pub struct Sarif {
    /// Problem codes seen, for their rule descriptors at the end.
    codes: Mutex<BTreeSet<&'static str>>,
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: `/` separators, percent-encoded beyond the unreserved
/// characters; an absolute path becomes a `file:` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(file: &SourceFile, span: Option<Range<usize>>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri(&file.name)}});
    let Some(span) = span else {
        return json!({"physicalLocation": physical});
    };
    let start = file.position(span.start);
    if let Some(place) = start.place {
        // The file is not text: a region's lines and columns would be those of the text
        // hecha shows, which no viewer can open. The place is a logical location instead,
        // which viewers list with the result, and the shown text a property.
        physical["properties"] = json!({"snippet": file.slice(span.clone())});
        return json!({
            "physicalLocation": physical,
            "logicalLocations": [place_location(place)],
        });
    }
    let end = file.position(span.end);
    let mut region = json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "snippet": {"text": file.slice(span.clone())},
    });
    if file.encoding.is_none() {
        region["byteOffset"] = json!(span.start);
        region["byteLength"] = json!(span.len());
    }
    physical["region"] = region;
    json!({"physicalLocation": physical})
}

/// A place as a logical location: `fullyQualifiedName` as hecha shows it
/// (`项目支出!E6`, `第 12 段`), `name` the cell or paragraph alone, `kind` what it is, and
/// its parts as properties (the keys of the JSON output).
fn place_location(place: &Place) -> Value {
    let (name, kind, properties) = match place {
        Place::Cell { sheet, .. } => (
            place.a1().unwrap_or_default(),
            "cell",
            json!({"sheet": sheet, "cell": place.a1()}),
        ),
        Place::Paragraph { index, page } => {
            let mut properties = json!({"paragraph": index + 1});
            if let Some(page) = page {
                properties["page"] = json!(page + 1);
            }
            (format!("第 {} 段", index + 1), "paragraph", properties)
        }
        Place::TableCell { table, row, .. } => (
            place.a1().unwrap_or_default(),
            "tableCell",
            json!({"table": table + 1, "row": row + 1, "cell": place.a1()}),
        ),
    };
    json!({
        "name": name,
        "fullyQualifiedName": place.to_string(),
        "kind": kind,
        "properties": properties,
    })
}

fn label_location(file: &SourceFile, label: &Label) -> Value {
    let mut loc = location(file, Some(label.span.clone()));
    if !label.path.is_empty() {
        let figure = json!({"fullyQualifiedName": label.path, "kind": "member"});
        match loc["logicalLocations"].as_array_mut() {
            Some(places) => places.push(figure),
            None => loc["logicalLocations"] = json!([figure]),
        }
    }
    loc
}

fn finding(run: &Run<'_>, file: &SourceFile, f: &Finding) -> Value {
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [label_location(file, &f.primary)],
        "partialFingerprints": {"hecha/figure/v1": format!("{}|{}", f.rule, f.primary.path)},
    });
    if let Some(index) = run.rules.iter().position(|r| r.id == f.rule) {
        result["ruleIndex"] = json!(index);
    }
    if !f.labels.is_empty() {
        let related: Vec<Value> = f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = label_location(file, l);
                loc["id"] = json!(i + 1);
                loc["message"] = json!({"text": l.message});
                loc
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if let Some(e) = &f.explanation {
        let suppression = match &e.decision {
            Some(d) => json!({
                "kind": "external",
                "status": "accepted",
                "justification": e.text,
                "location": location(&d.file, Some(e.label.span.clone())),
                "properties": {"by": d.by, "date": d.date},
            }),
            None => json!({
                "kind": "inSource",
                "status": "accepted",
                "justification": e.text,
                "location": label_location(file, &e.label),
            }),
        };
        result["suppressions"] = json!([suppression]);
    }
    if run.baseline {
        let state = if f.status == Status::Baselined {
            "unchanged"
        } else {
            "new"
        };
        result["baselineState"] = json!(state);
    }
    let mut properties = json!({"title": f.title, "status": f.status.as_str(), "notes": f.notes});
    if let Some(help) = &f.help {
        properties["help"] = json!(help);
    }
    result["properties"] = properties;
    result
}

fn problem(file: &SourceFile, p: &Problem) -> Value {
    let mut message = p.message.clone();
    if p.span.is_none() {
        message = format!("{}：{message}", file.name);
    }
    let mut properties = json!({"notes": p.notes});
    if let Some(help) = &p.help {
        properties["help"] = json!(help);
    }
    json!({
        "ruleId": p.code,
        "level": if p.notice { "note" } else { "error" },
        "message": {"text": message},
        "locations": [location(file, p.span.clone())],
        "properties": properties,
    })
}

/// Results as members of the results array, each on its own line after a `,` but the
/// first.
fn results(out: &mut Vec<u8>, values: impl IntoIterator<Item = Value>) {
    for value in values {
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\n        ");
        out.extend_from_slice(
            serde_json::to_string(&value)
                .expect("plain data serializes")
                .as_bytes(),
        );
    }
}

impl Sarif {
    fn note_codes(&self, problems: &[Problem]) {
        if !problems.is_empty() {
            let mut codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
            codes.extend(problems.iter().map(|p| p.code));
        }
    }

    fn problem_results<'a>(
        &'a self,
        files: &'a [FileProblems],
    ) -> impl Iterator<Item = Value> + 'a {
        files.iter().flat_map(move |(source, problems)| {
            self.note_codes(problems);
            problems.iter().map(move |p| problem(source, p))
        })
    }
}

impl Render for Sarif {
    fn head(&self, _run: &Run<'_>) -> Vec<u8> {
        format!(
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        )
        .into_bytes()
    }

    fn file(&self, run: &Run<'_>, report: &FileReport) -> Vec<u8> {
        let mut out = Vec::new();
        self.note_codes(&report.problems);
        let problems = report.problems.iter().map(|p| problem(&report.source, p));
        let findings = report
            .findings
            .iter()
            .map(|f| finding(run, &report.source, f));
        results(&mut out, problems.chain(findings));
        out
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        // Problems of rule, decisions and baseline files, after the files' results.
        let mut more = Vec::new();
        results(&mut more, self.problem_results(run.rule_problems));
        results(&mut more, self.problem_results(end.review_problems));
        let mut out = Vec::new();
        if end.parts && !more.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&more);
        let mut rules: Vec<Value> = run
            .rules
            .iter()
            .map(|r| {
                let pack = r.id.split('/').next().unwrap_or(&r.id);
                let full = r.doc.as_deref().unwrap_or(&r.title).trim();
                json!({
                    "id": r.id,
                    "shortDescription": {"text": r.title},
                    "fullDescription": {"text": full},
                    "help": {"text": r.help.as_ref().map_or(full, |h| h.raw.as_str())},
                    "defaultConfiguration": {"level": level(r.severity)},
                    "properties": {"tags": [pack]},
                })
            })
            .collect();
        let codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
        rules.extend(codes.iter().map(|code| {
            json!({
                "id": code,
                "shortDescription": {"text": format!("hecha could not use a file fully: {code}")},
                "help": {"text": "The result's message says what is wrong and where; fix the file and run hecha again."},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["input"]},
            })
        }));
        let tool = json!({"driver": {
            "name": "hecha",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        }});
        let invocation = json!({
            "executionSuccessful": end.exit_code != 2,
            "exitCode": end.exit_code,
        });
        let close = if end.parts || !more.is_empty() {
            "\n      ]"
        } else {
            "]"
        };
        out.extend_from_slice(
            format!(
                "{close},\n      \"tool\": {},\n      \"invocations\": [{}]\n    }}\n  ]\n}}\n",
                serde_json::to_string(&tool).expect("plain data serializes"),
                serde_json::to_string(&invocation).expect("plain data serializes"),
            )
            .as_bytes(),
        );
        out
    }
}
