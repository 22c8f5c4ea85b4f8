//! Forms read from workbooks and Word tables: each sample workbook gives the findings its
//! YAML transcription gives, the committed samples are what the generator writes, and bad
//! workbooks are located problems (exit 2) while the rest of a batch is checked.

mod common;
mod forms_gen;

use common::{hecha, scratch};
use hecha::pipeline::{FileReport, check_bytes};
use hecha::read::Limits;
use hecha::rules::RuleSet;
use std::io::Write as _;
use std::path::Path;

fn samples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/forms"))
}

fn check(name: &str, bytes: &[u8], limits: &Limits) -> FileReport {
    let rules = RuleSet::builtin();
    check_bytes(name.to_string(), bytes, &rules.rules, limits)
}

/// The findings as rule ids and figure paths, leaving out what only the YAML can hold:
/// the report's text (`自评报告`) and the `复述` links.
fn findings(report: &FileReport) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.primary.path.clone()))
        .filter(|(_, path)| !path.starts_with("自评报告") && !path.contains("复述"))
        .collect();
    out.sort();
    out
}

fn problems(report: &FileReport) -> Vec<&'static str> {
    report
        .problems
        .iter()
        .filter(|p| !p.notice)
        .map(|p| p.code)
        .collect()
}

#[test]
fn each_workbook_gives_the_findings_of_its_yaml() {
    let limits = Limits::default();
    for (name, yaml, _) in forms_gen::all(samples()) {
        if name.ends_with(".ods") {
            continue; // of unknown precision: below
        }
        let bytes = std::fs::read(samples().join(&name)).unwrap();
        let book = check(&name, &bytes, &limits);
        assert_eq!(
            problems(&book),
            Vec::<&str>::new(),
            "{name}: {:?}",
            book.problems
        );
        let text = std::fs::read(samples().join(&yaml)).unwrap();
        let expected = check(&yaml, &text, &limits);
        assert_eq!(
            findings(&book),
            findings(&expected),
            "{name} against {yaml}"
        );
        assert!(!findings(&expected).is_empty() || yaml == "project-clean.yaml");
    }
}

#[test]
fn an_ods_workbook_finds_no_more_than_its_yaml() {
    // .ods gives stored values without their format: figures of unknown precision, so
    // findings that depend on the written decimals may be missed, but none is added.
    let limits = Limits::default();
    let bytes = std::fs::read(samples().join("project-mistakes.ods")).unwrap();
    let book = check("project-mistakes.ods", &bytes, &limits);
    assert_eq!(problems(&book), Vec::<&str>::new(), "{:?}", book.problems);
    assert!(
        book.problems
            .iter()
            .any(|p| p.code == "number-format-unknown" && p.notice)
    );
    let yaml = std::fs::read(samples().join("project-mistakes.yaml")).unwrap();
    let expected = findings(&check("project-mistakes.yaml", &yaml, &limits));
    let found = findings(&book);
    assert!(found.iter().all(|f| expected.contains(f)), "{found:?}");
    // The gross mistakes are still found: a total of 0 beside rows of 90.
    assert!(
        found
            .iter()
            .any(|(rule, _)| rule == "forms/fund-total-zero"),
        "{found:?}"
    );
}

#[test]
fn the_committed_samples_are_what_the_generator_writes() {
    // rust_xlsxwriter's output is reproducible with fixed document dates, but compare
    // what matters: the findings and the shown text, file by file.
    let limits = Limits::default();
    for (name, _, bytes) in forms_gen::all(samples()) {
        let committed = std::fs::read(samples().join(&name)).unwrap_or_else(|_| {
            panic!("samples/forms/{name} is committed: cargo run --example gen-forms")
        });
        let (fresh, old) = (
            check(&name, &bytes, &limits),
            check(&name, &committed, &limits),
        );
        assert_eq!(
            fresh.source.text, old.source.text,
            "{name}: regenerate with cargo run --example gen-forms"
        );
        assert_eq!(findings(&fresh), findings(&old), "{name}");
    }
}

#[test]
fn the_import_of_a_workbook_checks_as_the_workbook_does() {
    let dir = scratch("forms-import");
    let limits = Limits::default();
    for name in [
        "project-mistakes.xlsx",
        "department.xlsx",
        "lettered-project-20-points.xlsx",
        "report-mistakes.docx",
    ] {
        let out = dir.join(format!("{name}.yaml"));
        let run = hecha(&[
            "import",
            &format!("samples/forms/{name}"),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let yaml = std::fs::read(&out).unwrap();
        let text = String::from_utf8_lossy(&yaml);
        assert!(text.contains("# "), "{text}");
        let book = check(name, &std::fs::read(samples().join(name)).unwrap(), &limits);
        let imported = check(&format!("{name}.yaml"), &yaml, &limits);
        assert_eq!(problems(&imported), Vec::<&str>::new(), "{name}");
        assert_eq!(findings(&imported), findings(&book), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diagnostics_point_at_cells_and_name_row_and_column() {
    let bytes = std::fs::read(samples().join("project-mistakes.xlsx")).unwrap();
    let report = check("自评表.xlsx", &bytes, &Limits::default());
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "forms/fund-sources-differ-from-total")
        .unwrap();
    let position = report.source.position(f.primary.span.start);
    assert_eq!(position.show("自评表.xlsx"), "自评表.xlsx!项目支出!E6");
    assert_eq!(&report.source.text[f.primary.span.clone()], "86.00");
    let labels: Vec<&str> = f.labels.iter().map(|l| l.message.as_str()).collect();
    assert!(
        labels.contains(&"当年财政拨款 · 全年执行数 81.00 万元"),
        "{labels:?}"
    );
    // The same figure path as the YAML, so decisions and baselines carry over.
    assert_eq!(f.primary.path, "项目资金.年度资金总额.全年执行数");
}

#[test]
fn the_human_output_shows_the_rows_of_the_mistakes_workbook() {
    let run = hecha(&[
        "check",
        "--color",
        "never",
        "samples/forms/project-mistakes.xlsx",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("forms_project_mistakes_xlsx", run.stdout);
    let run = hecha(&[
        "check",
        "--color",
        "never",
        "samples/forms/report-mistakes.docx",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("forms_report_mistakes_docx", run.stdout);
}

/// A zip of the given parts.
fn zip(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = Vec::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in parts {
        z.start_file(*name, options).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
    out
}

/// The parts of a minimal workbook with one sheet.
fn workbook(sheet: &[u8]) -> Vec<u8> {
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目支出" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes();
    let book_rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    zip(
        &[
            ("[Content_Types].xml", types),
            ("_rels/.rels", rels),
            ("xl/workbook.xml", book),
            ("xl/_rels/workbook.xml.rels", book_rels),
            ("xl/worksheets/sheet1.xml", sheet),
        ],
        zip::CompressionMethod::Deflated,
    )
}

fn sheet(rows: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

fn inline(r: &str, t: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#)
}

#[test]
fn a_corrupt_workbook_is_a_problem() {
    let mut bytes = std::fs::read(samples().join("project-clean.xlsx")).unwrap();
    bytes.truncate(bytes.len() / 2);
    let report = check("坏.xlsx", &bytes, &Limits::default());
    assert_eq!(problems(&report), ["corrupt-workbook"]);
    assert!(!report.checked);
}

#[test]
fn a_password_protected_workbook_is_a_problem() {
    // An encrypted .xlsx is an OLE container of an EncryptionInfo and an EncryptedPackage.
    let mut ole = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    ole.create_stream("EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    ole.create_stream("EncryptedPackage")
        .unwrap()
        .write_all(&[0u8; 4096])
        .unwrap();
    ole.flush().unwrap();
    let bytes = ole.into_inner().into_inner();
    let report = check("加密.xlsx", &bytes, &Limits::default());
    assert_eq!(problems(&report), ["password-protected"]);
    assert!(report.problems[0].help.as_ref().unwrap().contains("密码"));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // 64 MiB of zeros deflate to about 64 KiB; with a 1 MiB file limit the unpacked
    // limit is 16 MiB.
    let zeros = vec![b' '; 64 << 20];
    let mut rows = String::new();
    rows.push_str(&format!("<row r=\"1\">{}</row>", inline("A1", "项目资金")));
    let mut data = sheet(&rows);
    let end = data.len() - "</sheetData></worksheet>".len();
    data.splice(end..end, zeros.iter().copied());
    let bytes = workbook(&data);
    assert!(bytes.len() < 1 << 20, "{}", bytes.len());
    let limits = Limits {
        max_file_size: 1 << 20,
        ..Limits::default()
    };
    let report = check("炸弹.xlsx", &bytes, &limits);
    assert_eq!(problems(&report), ["workbook-too-large"]);
}

#[test]
fn a_million_rows_stop_at_the_node_limit() {
    // A million rows of two cells: 90 MB of sheet XML, under the unpacked limit of the
    // default limits (256 MiB), and two million cells, over the node limit (a million).
    let mut rows = String::with_capacity(100 << 20);
    for r in 1..=1_000_000u32 {
        rows.push_str(&format!(
            "<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c><c r=\"B{r}\"><v>1</v></c></row>"
        ));
    }
    let bytes = workbook(&sheet(&rows));
    drop(rows);
    assert!(bytes.len() < 16 << 20, "{}", bytes.len());
    let report = check("百万行.xlsx", &bytes, &Limits::default());
    assert_eq!(
        problems(&report),
        ["too-many-nodes"],
        "{:?}",
        report.problems
    );
    // Stopped early: half the rows were read, no more.
    let shown = report.source.text.lines().count();
    assert!((400_000..=500_001).contains(&shown), "{shown}");
}

#[test]
fn formulas_without_saved_values_are_located() {
    let rows = format!(
        "<row r=\"1\">{}{}{}</row><row r=\"2\">{}<c r=\"B2\"><v>100</v></c><c r=\"C2\"><f>B2*1.2</f></c></row>",
        inline("A1", "项目资金（万元）"),
        inline("B1", "年初预算数"),
        inline("C1", "全年预算数"),
        inline("A2", "年度资金总额"),
    );
    let report = check("公式.xlsx", &workbook(&sheet(&rows)), &Limits::default());
    assert_eq!(
        problems(&report),
        // The one figure read is checked by no rule: that is reported too.
        ["formula-without-value", "unchecked"],
        "{:?}",
        report.problems
    );
    let p = &report.problems[0];
    let at = report.source.position(p.span.clone().unwrap().start);
    assert_eq!(at.show("公式.xlsx"), "公式.xlsx!项目支出!C2");
    assert!(p.help.as_ref().unwrap().contains("打开并保存"));
}

#[test]
fn a_sheet_like_a_form_but_not_laid_out_as_one_is_located() {
    let rows = format!(
        "<row r=\"1\">{}</row><row r=\"2\">{}{}</row>",
        inline("A1", "项目支出绩效自评表"),
        inline("A2", "资金合计"),
        inline("B2", "12"),
    );
    let report = check("怪表.xlsx", &workbook(&sheet(&rows)), &Limits::default());
    assert_eq!(
        problems(&report),
        ["form-layout-unknown"],
        "{:?}",
        report.problems
    );
    let at = report
        .source
        .position(report.problems[0].span.clone().unwrap().start);
    assert_eq!(at.show("怪表.xlsx"), "怪表.xlsx!项目支出!A1");
    // A header it cannot place, in a table it recognised, is named.
    let rows = format!(
        "<row r=\"1\">{}{}{}{}</row><row r=\"2\">{}<c r=\"B2\"><v>1</v></c><c r=\"C2\"><v>1</v></c><c r=\"D2\"><v>1</v></c></row>",
        inline("A1", "项目资金"),
        inline("B1", "年初预算数"),
        inline("C1", "全年预算数"),
        inline("D1", "核定数"),
        inline("A2", "年度资金总额"),
    );
    let report = check("新表头.xlsx", &workbook(&sheet(&rows)), &Limits::default());
    assert_eq!(
        problems(&report),
        ["form-header-unknown", "unchecked"],
        "{:?}",
        report.problems
    );
    assert!(report.problems[0].message.contains("「核定数」"));
    // A sheet with no form at all is skipped; a workbook with no form says so.
    let rows = format!("<row r=\"1\">{}</row>", inline("A1", "通讯录"));
    let report = check("通讯录.xlsx", &workbook(&sheet(&rows)), &Limits::default());
    assert_eq!(problems(&report), ["no-form"]);
    assert_eq!(report.unrecognised, 1);
}

#[test]
fn a_bad_workbook_exits_2_and_the_rest_of_the_batch_is_checked() {
    let dir = scratch("forms-batch");
    std::fs::write(
        dir.join("坏.xlsx"),
        b"PK\x03\x04[Content_Types].xml xl/workbook",
    )
    .unwrap();
    std::fs::copy(
        samples().join("project-mistakes.xlsx"),
        dir.join("自评表.xlsx"),
    )
    .unwrap();
    let run = hecha(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let good = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("自评表.xlsx"))
        .unwrap();
    assert!(!good["findings"].as_array().unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bureau_adds_its_variant_in_hecha_yaml() {
    let dir = scratch("forms-layout");
    let rows = format!(
        "<row r=\"1\">{}{}{}{}</row><row r=\"2\">{}<c r=\"B2\"><v>100</v></c><c r=\"C2\"><v>120</v></c><c r=\"D2\"><v>150</v></c></row>",
        inline("A1", "项目资金"),
        inline("B1", "年初预算数"),
        inline("C1", "全年预算数"),
        inline("D1", "核定执行数"),
        inline("A2", "年度资金总额"),
    );
    std::fs::write(dir.join("表.xlsx"), workbook(&sheet(&rows))).unwrap();
    let run = hecha(&["check", dir.join("表.xlsx").to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.contains("「核定执行数」"), "{}", run.stdout);
    std::fs::write(
        dir.join("hecha.yaml"),
        "layout:\n  fund_columns:\n    全年执行数: [核定执行数]\n",
    )
    .unwrap();
    let run = hecha(&["check", dir.join("表.xlsx").to_str().unwrap()]);
    // Now read: 150 executed of 120 is over budget, a warning.
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("forms/executed-exceeds-budget"),
        "{}",
        run.stdout
    );
    std::fs::write(
        dir.join("hecha.yaml"),
        "layout:\n  fund_colums:\n    全年执行数: [核定执行数]\n",
    )
    .unwrap();
    let run = hecha(&["check", dir.join("表.xlsx").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("fund_columns"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stored_values_of_unknown_precision_raise_no_false_alarm() {
    // 30 + 30 + 29.99 beside a total of 90: as displayed to two places a difference of
    // 0.01 within rounding at most; stored as integers, 30 + 30 + 30 = 90 ≠ 89.99 would be
    // an error if read as exact. Read as of unknown precision, it is none.
    use hecha::read::grid::{Cell, Grid, GridKind};
    use hecha::read::table::{Layout, read_grids};
    let mut g = Grid::new(GridKind::Sheet("Sheet1".into()));
    let header = ["", "年初预算数", "全年预算数", "全年执行数"];
    for (c, h) in header.iter().enumerate() {
        g.set(0, c as u32, Cell::text(*h));
    }
    let stored = |t: &str| Cell {
        text: t.into(),
        unknown_precision: true,
        no_value: false,
    };
    for (r, (label, values)) in [
        ("年度资金总额", ["90", "90", "89.99"]),
        ("财政拨款", ["30", "30", "30"]),
        ("上年结转资金", ["30", "30", "30"]),
        ("其他资金", ["30", "30", "30"]),
    ]
    .iter()
    .enumerate()
    {
        g.set(r as u32 + 1, 0, Cell::text(*label));
        for (c, v) in values.iter().enumerate() {
            g.set(r as u32 + 1, c as u32 + 1, stored(v));
        }
    }
    let read = read_grids(
        "a.xls".into(),
        vec![g],
        Vec::new(),
        &Layout::builtin(),
        &Limits::default(),
        "工作簿",
    );
    let report = read.report.unwrap();
    let rules = RuleSet::builtin();
    let engine = hecha::engine::Engine::new(&rules.rules);
    let (found, _) = engine.check_within_budget(&report);
    assert!(
        found
            .iter()
            .all(|f| f.severity == hecha::rules::Severity::Info),
        "{:?}",
        found.iter().map(|f| &f.rule).collect::<Vec<_>>()
    );
}
