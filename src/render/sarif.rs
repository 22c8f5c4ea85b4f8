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
//! - The result's message text is the message, then the primary label (`▲ 应为 96.72%`),
//!   the arithmetic notes, the explanation
//!   and the help, a line each (viewers that show only the message show them all); the
//!   primary label is the message of the result's location.
//! - Regions also give `charOffset` and `charLength`, in code points from the start of the
//!   text, which hold for decoded files too.
//! - `tool.driver` has `informationUri` and `semanticVersion`; `tool.driver.rules` describes
//!   every rule that ran (id, a Pascal-case `name`, title, `doc` as full description, help
//!   as text and as Markdown with the doc, default level, and `helpUri`, the rule's section
//!   of docs/rules.md) and every kind of problem that occurred (with a Chinese full
//!   description); it comes after the results, since problems are known only then (member
//!   order carries no meaning in JSON).
//! - Where the docs are published is `HECHA_DOCS_URL` (the folder that holds rules.md; a
//!   bureau may point it at its own copy), else the crate's `homepage` with `/docs/`; with
//!   neither, `informationUri` and `helpUri` are left out.

use super::position;
use super::{End, FileProblems, FileReport, Render, Run, json_members};
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
    let start = position::at(file, span.start);
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
    let end = position::at(file, span.end);
    let (char_offset, char_length) = position::chars(file, &span);
    let mut region = json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "charOffset": char_offset,
        "charLength": char_length,
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

/// A finding's message as a viewer shows it: the message, then the primary label (▲), the
/// notes, the explanation and the help, a line each.
fn message_text(f: &Finding) -> String {
    let mut text = f.message.clone();
    if !f.primary.message.is_empty() {
        text.push_str(&format!("\n▲ {}", f.primary.message));
    }
    for note in &f.notes {
        text.push('\n');
        text.push_str(note);
    }
    if let Some(e) = &f.explanation {
        text.push('\n');
        match &e.decision {
            Some(d) => text.push_str(&format!(
                "已由 {} 于 {} 接受：{}",
                d.by,
                d.date,
                crate::finding::brief(&e.text, 200)
            )),
            None => text.push_str(&format!("已说明：{}", crate::finding::brief(&e.text, 200))),
        }
    }
    if let Some(help) = &f.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

fn finding(run: &Run<'_>, file: &SourceFile, f: &Finding) -> Value {
    let mut primary = label_location(file, &f.primary);
    primary["message"] = json!({"text": f.primary.message});
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": {"text": message_text(f)},
        "locations": [primary],
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
    for note in &p.notes {
        message.push('\n');
        message.push_str(note);
    }
    if let Some(help) = &p.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    // A problem with the file as a whole is located at its start: consumers need a region.
    let mut location = location(file, Some(p.span.clone().unwrap_or(0..0)));
    if p.span.is_some() && !p.label.is_empty() {
        location["message"] = json!({"text": p.label});
    }
    let mut properties = json!({"notes": p.notes});
    if let Some(help) = &p.help {
        properties["help"] = json!(help);
    }
    json!({
        "ruleId": p.code,
        "level": if p.notice { "note" } else { "error" },
        "message": {"text": message},
        "locations": [location],
        "properties": properties,
    })
}

/// Where the docs are published, ending in `/`: `HECHA_DOCS_URL`, else the crate's
/// homepage with `docs/`; an address that is not an absolute `http(s)` URI is ignored.
fn docs_url() -> Option<String> {
    let from_env = std::env::var("HECHA_DOCS_URL").ok();
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    let base = match from_env {
        Some(url) if !url.trim().is_empty() => url.trim().to_string(),
        _ if !homepage.is_empty() => format!("{}/docs/", homepage.trim_end_matches('/')),
        _ => return None,
    };
    let absolute = base.starts_with("https://") || base.starts_with("http://");
    (absolute && !base.contains(char::is_whitespace)).then(|| {
        if base.ends_with('/') {
            base
        } else {
            base + "/"
        }
    })
}

/// The anchor GitHub gives a heading of docs/rules.md: lowercase, `/` dropped.
pub fn anchor(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A rule id as SARIF's friendly name: `casework/closed-exceeds-assigned` →
/// `CaseworkClosedExceedsAssigned`.
pub fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// What a kind of problem means, for its rule descriptor.
fn problem_description(code: &str) -> String {
    let text = match code {
        "yaml-syntax" => "文件不是有效的 YAML 或 JSON，无法读取其中的数据",
        "not-text" => "文件不是可读取的文本（二进制文件，或编码无法识别）",
        "encoding" => "文件不是 UTF-8 编码，已转换后核查；位置按转换后的文本计算",
        "not-found" => "命令行给出的路径不存在",
        "unreadable" => "文件或目录无法读取",
        "unwritable" => "输出文件无法写入",
        "no-files" => "目录中没有可核查的文件",
        "empty" => "文件为空，没有可核查的数据",
        "too-large" => "文件超过大小上限，未读取",
        "too-deep" => "数据嵌套层数超过上限",
        "too-many-nodes" => "数据项个数超过上限",
        "too-many-steps" => "规则在此文件上的计算量超过上限，其余核查未完成",
        "alias-expansion" | "recursive-alias" => "YAML 别名展开过多或循环引用",
        "duplicate-key" => "同一映射中有重复的键，其中一个的数据会被忽略",
        "complex-key" => "映射的键不是简单文字",
        "figure-overflow" => "数字超出可计算的范围",
        "unknown-field" => "文件中有未知的字段（可能是拼写错误）",
        "missing-field" => "缺少必填的字段",
        "invalid-type" => "字段的值类型不对",
        "invalid-expression" => "规则中的表达式无法解析",
        "unit-error" => "规则中比较或相加的数单位不相容",
        "type-error" => "规则中的表达式类型不对",
        "duplicate-id" => "两条规则的 id 相同",
        "invalid-id" => "规则 id 的写法不对",
        "invalid-severity" => "规则的 severity 不是 error、warning 或 info",
        "invalid-message" | "invalid-title" => "规则的标题或消息写法不对",
        "invalid-tolerance" => "规则的容差不是带单位的数字",
        "unknown-rule" => "配置或审核决定中提到的规则不存在",
        "unknown-pack" => "配置中提到的规则包不存在",
        "unknown-param" | "param-type" => "规则参数不存在或类型不对",
        "empty-rules" => "规则文件中没有规则",
        "explained-error" => "错误级别的规则不能由报告中的说明解释",
        "invalid-date" => "审核决定的日期不是 YYYY-MM-DD",
        "missing-file" => "审核决定或基线提到的文件不存在",
        "stale-decision" => "审核决定已不对应任何发现（报告已改正，或数据项已移动）",
        "invalid-case" | "invalid-status" => "规则测试用例的写法不对",
        _ => return format!("hecha 无法完整使用此文件（{code}）：结果的消息说明了原因和位置"),
    };
    text.to_string()
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
        json_members(&mut out, "\n        ", problems.chain(findings));
        out
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn tail(&self, run: &Run<'_>, end: &End<'_>) -> Vec<u8> {
        // Problems of rule, decisions and baseline files, after the files' results.
        let mut more = Vec::new();
        json_members(
            &mut more,
            "\n        ",
            self.problem_results(run.rule_problems),
        );
        json_members(
            &mut more,
            "\n        ",
            self.problem_results(end.review_problems),
        );
        let mut out = Vec::new();
        if end.parts && !more.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&more);
        let docs = docs_url();
        let mut rules: Vec<Value> = run
            .rules
            .iter()
            .map(|r| {
                let pack = r.id.split('/').next().unwrap_or(&r.id);
                let full = r.doc.as_deref().unwrap_or(&r.title).trim();
                let help = r.help.as_ref().map_or(full, |h| h.raw.as_str());
                let mut markdown = format!("**{}**\n\n检查：`{}`\n\n", r.title, r.check_text);
                if r.help.is_some() {
                    markdown.push_str(&format!("建议：{help}\n\n"));
                }
                markdown.push_str(full);
                let mut rule = json!({
                    "id": r.id,
                    "name": pascal_case(&r.id),
                    "shortDescription": {"text": r.title},
                    "fullDescription": {"text": full},
                    "help": {"text": help, "markdown": markdown},
                    "defaultConfiguration": {"level": level(r.severity)},
                    "properties": {"tags": [pack]},
                });
                if let Some(docs) = &docs {
                    rule["helpUri"] = json!(format!("{docs}rules.md#{}", anchor(&r.id)));
                }
                rule
            })
            .collect();
        let codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
        rules.extend(codes.iter().map(|code| {
            json!({
                "id": code,
                "name": pascal_case(code),
                "shortDescription": {"text": format!("hecha could not use a file fully: {code}")},
                "fullDescription": {"text": problem_description(code)},
                "help": {"text": "The result's message says what is wrong and where; fix the file and run hecha again."},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["input"]},
            })
        }));
        let mut driver = json!({
            "name": "hecha",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        if let Some(docs) = &docs {
            driver["informationUri"] = json!(docs);
        }
        let tool = json!({"driver": driver});
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
