//! The prose reader on whole sentences: the tree it builds.

use super::lexicon::Lexicon;
use super::read_text;
use crate::report::{NodeId, Report, Value};

/// The tree as `path = text` lines, in document order.
pub fn dump(report: &Report) -> String {
    let mut out = String::new();
    for &root in &report.roots {
        walk(report, root, &mut out);
    }
    out
}

fn walk(report: &Report, id: NodeId, out: &mut String) {
    match &report.node(id).value {
        Value::Scalar(s) => {
            out.push_str(&format!("{} = {}\n", report.path(id), s.text));
        }
        _ => {
            for &c in report.children(id) {
                walk(report, c, out);
            }
        }
    }
}

fn read(text: &str) -> String {
    dump(&read_text(text, &Lexicon::builtin()).report)
}

#[test]
fn a_total_and_its_partial_breakdown() {
    let t = read(
        "全县共依法处置各类涉访违法行为59人次，其中：依法训诫37人次，行政拘留17人次，刑事拘留6人次，依法审理1起。\n",
    );
    assert!(t.contains(".合计 = 59人次"), "{t}");
    assert!(t.contains(".其中.依法训诫 = 37人次"), "{t}");
    assert!(t.contains(".其中.刑事拘留 = 6人次"), "{t}");
    assert!(
        !t.contains("其中.依法审理"),
        "a part of another kind ends the parts: {t}"
    );
}

#[test]
fn a_sentence_named_by_its_total_holds_the_total_once() {
    let t = read(
        "全县共依法处置各类涉访违法行为59人次，其中：依法训诫37人次，行政拘留17人次。\n全县共依法处置各类涉访违法行为20人次，其中：依法训诫5人次。\n",
    );
    // no `…违法行为.…违法行为.合计`; two sentences with the same words stay apart
    assert_eq!(
        t,
        "正文.全县共依法处置各类涉访违法行为.合计 = 59人次\n\
         正文.全县共依法处置各类涉访违法行为.其中.依法训诫 = 37人次\n\
         正文.全县共依法处置各类涉访违法行为.其中.行政拘留 = 17人次\n\
         正文.全县共依法处置各类涉访违法行为（2）.合计 = 20人次\n\
         正文.全县共依法处置各类涉访违法行为（2）.其中.依法训诫 = 5人次\n"
    );
    // a total the packs know by its key keeps it, its parts in a mapping beside it
    let t = read("全年受理信访事项170件，其中：网上信访120件，来信30件。\n");
    assert!(t.contains(".受理构成.合计 = 170件"), "{t}");
}

#[test]
fn a_rate_with_its_numerator_and_denominator() {
    let t = read(
        "南通市交办的14件信访积案化解12件，化解率85.7%，南通市信访局交办的61名进京访重点人员事项化解59人，化解率97.6%。\n",
    );
    assert!(t.contains("南通市交办.交办 = 14件"), "{t}");
    assert!(t.contains("南通市信访局交办.化解 = 59人"), "{t}");
    assert!(t.contains("南通市信访局交办.化解率 = 97.6%"), "{t}");
}

/// `HECHA_DUMP=file cargo test --lib dump_a_file -- --ignored --nocapture` prints a tree.
#[test]
#[ignore]
fn dump_a_file() {
    let path = std::env::var("HECHA_DUMP").unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let r = read_text(&text, &Lexicon::builtin());
    print!("{}", dump(&r.report));
    println!("figures {} unrecognised {}", r.figures, r.unrecognised);
}

#[test]
fn paragraphs_of_a_document_are_placed() {
    let paragraphs = vec![
        (0, "一、基本情况".to_string()),
        (3, "全年交办20件，办结21件。".to_string()),
    ];
    let read = super::read_paragraphs(
        "报告.docx".into(),
        &paragraphs,
        &crate::read::Limits::default(),
        &Lexicon::builtin(),
    );
    let report = read.report.unwrap();
    let t = dump(&report);
    assert!(t.contains("一、基本情况.交办（句）.办结 = 21件"), "{t}");
    let at = read.source.text.find("21件").unwrap();
    assert_eq!(
        read.source.position(at).show("报告.docx"),
        "报告.docx 第 4 段"
    );
}
