//! The five source reports read as they are written (samples/reports/*.txt): the findings
//! their transcriptions (samples/*.yaml) give, and nothing else; one snapshot each.

mod common;
mod forms_gen;

use common::hecha;
use std::collections::BTreeSet;

const REPORTS: &[&str] = &[
    "daxiang-2022-department",
    "dongan-2018-special-fund",
    "hengshan-2019-department",
    "rugao-2020-projects",
    "wangcheng-2023-backlog-fund",
];

fn check(path: &str) -> (i32, String) {
    let run = hecha(&["check", "--color", "never", path]);
    (run.code, run.stdout)
}

/// The `severity[id]: message` headers of an output, which say what was found.
fn headers(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_report_as_written_gives_the_findings_of_its_transcription() {
    for name in REPORTS {
        let (_, prose) = check(&format!("samples/reports/{name}.txt"));
        let (_, yaml) = check(&format!("samples/{name}.yaml"));
        // rugao's 「"四率"分别为：A为 100%；B为 100%；…」 lists eight rates under a name
        // that says four: read as a list of labelled figures, it is found as written too
        assert_eq!(headers(&prose), headers(&yaml), "{name}:\n{prose}");
    }
}

#[test]
fn each_report_as_written() {
    for name in REPORTS {
        let (code, output) = check(&format!("samples/reports/{name}.txt"));
        assert!(
            output.contains("读取数字"),
            "a prose report says what was read: {output}"
        );
        insta::assert_snapshot!(
            format!("report_{name}"),
            format!("exit code: {code}\n{output}")
        );
    }
}

#[test]
fn each_report_as_a_pdf_gives_the_findings_of_its_text() {
    // samples/reports/*.pdf are printed by headless Chromium (scripts/report-pdfs.sh): the
    // hard case for extraction (Kangxi radicals, spaces, wrapped lines).
    for name in REPORTS {
        let (_, text) = check(&format!("samples/reports/{name}.txt"));
        let (code, pdf) = check(&format!("samples/reports/{name}.pdf"));
        assert_eq!(headers(&pdf), headers(&text), "{name}:\n{pdf}");
        if *name == "rugao-2020-projects" {
            assert!(pdf.contains("rugao-2020-projects.pdf 第 3 页第"), "{pdf}");
            insta::assert_snapshot!(
                format!("report_{name}_pdf"),
                format!("exit code: {code}\n{pdf}")
            );
        }
    }
}

#[test]
fn a_pdf_without_a_text_layer_is_a_problem_not_a_pass() {
    let (code, out) = check("tests/fixtures/prose/scanned.pdf");
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("error[pdf-no-text]"), "{out}");
}

#[test]
fn a_bureau_adds_its_own_wordings_to_the_lexicon() {
    let dir = common::scratch("lexicon");
    let rules = dir.join("rules");
    std::fs::create_dir_all(rules.join("readers")).unwrap();
    std::fs::copy("rules/casework.yaml", rules.join("casework.yaml")).unwrap();
    std::fs::write(
        rules.join("readers/prose-lexicon.yaml"),
        "lexicon:\n  - words: [核销]\n    key: 办结\n    measure: count\n",
    )
    .unwrap();
    let report = dir.join("report.txt");
    std::fs::write(&report, "全年交办信访事项20件，核销21件。\n").unwrap();
    let plain = hecha(&["check", "--color", "never", common::arg(&report)]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    let with = hecha(&[
        "check",
        "--color",
        "never",
        "--no-default-rules",
        "--rules",
        common::arg(&rules),
        common::arg(&report),
    ]);
    assert_eq!(with.code, 1, "{}", with.stdout);
    assert!(
        with.stdout.contains("casework/closed-exceeds-assigned"),
        "{}",
        with.stdout
    );
    // a broken lexicon is a located problem
    std::fs::write(
        rules.join("readers/prose-lexicon.yaml"),
        "lexicon:\n  - words: [核销]\n    key: 办结\n    measure: size\n",
    )
    .unwrap();
    let broken = hecha(&[
        "check",
        "--color",
        "never",
        "--rules",
        common::arg(&rules),
        common::arg(&report),
    ]);
    assert_eq!(broken.code, 2, "{}", broken.stdout);
    assert!(
        broken.stdout.contains("prose-lexicon.yaml:4:"),
        "{}",
        broken.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_report_as_a_word_document_gives_the_findings_of_its_text() {
    // samples/reports/dongan-2018-special-fund.docx is written from the .txt by
    // `cargo run --example gen-forms` (tests/forms_gen/mod.rs), one paragraph a line
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/reports");
    for (name, bytes) in forms_gen::reports(&dir) {
        if name == forms_gen::MIXED {
            continue; // no .txt: below
        }
        let committed = std::fs::read(dir.join(&name)).unwrap_or_else(|_| {
            panic!("samples/reports/{name} is committed: cargo run --example gen-forms")
        });
        assert_eq!(
            committed, bytes,
            "samples/reports/{name}: regenerate with cargo run --example gen-forms"
        );
        let stem = name.trim_end_matches(".docx");
        let (_, text) = check(&format!("samples/reports/{stem}.txt"));
        let (code, docx) = check(&format!("samples/reports/{name}"));
        assert!(!headers(&docx).is_empty(), "{docx}");
        assert_eq!(headers(&docx), headers(&text), "{name}:\n{docx}");
        assert!(
            docx.contains(&format!("{name} 第 ")),
            "placed by paragraph: {docx}"
        );
        insta::assert_snapshot!(
            format!("report_{stem}_docx"),
            format!("exit code: {code}\n{docx}")
        );
    }
}

#[test]
fn a_word_report_with_a_form_is_read_as_prose_and_as_a_form() {
    // samples/reports/project-report-with-form.docx (cargo run --example gen-forms): the
    // clean project form as a table between paragraphs, a mistake planted in each part
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/reports");
    let name = forms_gen::MIXED;
    let bytes = std::fs::read(dir.join(name)).unwrap();
    assert_eq!(
        bytes,
        forms_gen::mixed_docx(&dir.join("../forms")),
        "samples/reports/{name}: regenerate with cargo run --example gen-forms"
    );
    let rules = hecha::rules::RuleSet::builtin();
    let report = hecha::pipeline::check_bytes(
        name.to_string(),
        &bytes,
        &rules.rules,
        &hecha::read::Limits::default(),
    );
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let found: Vec<(&str, String, &str, String)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                report.source.position(f.primary.span.start).show(name),
                &report.source.text[f.primary.span.clone()],
                f.primary.path.clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "breakdown/partial-exceeds-total",
                format!("{name} 第 4 段"),
                "170件",
                "一、项目基本情况.受理救助申请.受理构成.合计".to_string()
            ),
            (
                "forms/grade-mismatch",
                format!("{name} 表 1 第 22 行第 3 格"),
                "良",
                "自评等级".to_string()
            ),
        ]
    );
    // Each part finds what it finds read alone, no more (no pack that checks forms meets
    // a prose figure, nor the other way round), and the closing line counts both parts.
    let (sheet, before, after) = forms_gen::mixed(&dir.join("../forms"));
    let alone = |name: &str, bytes: &[u8]| {
        hecha::pipeline::check_bytes(
            name.to_string(),
            bytes,
            &rules.rules,
            &hecha::read::Limits::default(),
        )
    };
    let form = alone("form.docx", &forms_gen::docx(&sheet, &[], &[]));
    let paragraphs: Vec<&str> = before.iter().chain(&after).copied().collect();
    let prose = alone("prose.docx", &forms_gen::prose_docx(&paragraphs));
    let key = |r: &hecha::pipeline::FileReport| -> BTreeSet<(String, String, String)> {
        r.findings
            .iter()
            .map(|f| {
                (
                    f.rule.clone(),
                    f.primary.path.clone(),
                    r.source.text[f.primary.span.clone()].to_string(),
                )
            })
            .collect()
    };
    let mut parts = key(&form);
    parts.extend(key(&prose));
    assert_eq!(key(&report), parts);
    assert!(report.prose);
    assert_eq!(
        report.coverage.figures,
        form.coverage.figures + prose.coverage.figures
    );
    assert_eq!(
        report.coverage.figures_checked,
        form.coverage.figures_checked + prose.coverage.figures_checked
    );
    assert_eq!(report.unrecognised, form.unrecognised + prose.unrecognised);
    assert_eq!(
        report.unrecognised, 1,
        "the 人 under 人次 is left unchecked"
    );
    let (code, out) = check(&format!("samples/reports/{name}"));
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!("report_project_report_with_form_docx", out);
}

#[test]
fn a_word_document_is_read_both_ways_only_when_both_parts_hold_figures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms");
    let (sheet, _, _) = forms_gen::mixed(&dir);
    let rules = hecha::rules::RuleSet::builtin();
    let check = |name: &str, bytes: &[u8]| {
        hecha::pipeline::check_bytes(
            name.to_string(),
            bytes,
            &rules.rules,
            &hecha::read::Limits::default(),
        )
    };
    // a form with a title and a signature date: its forms alone, as before
    let titled = forms_gen::docx(&sheet, &["项目支出绩效自评表"], &["2024年1月15日"]);
    let titled = check("titled.docx", &titled);
    assert!(!titled.prose, "no prose figure: no prose reading");
    assert_eq!(
        titled.source.text,
        check("form.docx", &forms_gen::docx(&sheet, &[], &[]))
            .source
            .text
    );
    // prose beside a table that is no form: the prose alone, as before
    let table = forms_gen::Sheet {
        cells: vec![
            (0, 0, forms_gen::Put::Text("联系人".into())),
            (0, 1, forms_gen::Put::Text("电话".into())),
        ],
        merges: Vec::new(),
        width: 2,
    };
    let text = "全年受理信访事项170件，其中：网上信访120件，来信60件。";
    let with_table = check("t.docx", &forms_gen::docx(&table, &[text], &[]));
    let alone = check("p.docx", &forms_gen::prose_docx(&[text]));
    assert!(with_table.prose);
    assert_eq!(with_table.source.text, alone.source.text);
    assert_eq!(with_table.findings.len(), 1, "{:?}", with_table.findings);
    assert_eq!(
        with_table.findings[0].rule,
        "breakdown/partial-exceeds-total"
    );
}
