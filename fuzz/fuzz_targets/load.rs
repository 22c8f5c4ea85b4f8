//! Data loading: bytes → text (UTF-8, UTF-16, GB18030) → report tree, YAML and JSON alike;
//! and the fast scanners (JSON, block YAML) give exactly what the YAML reader gives.
#![no_main]

use hecha::read::yaml::{Loaded, load};
use hecha::source::SourceFile;
use hecha_fuzz::{assert_problems, assert_span, assert_tree, limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceFile::decode("fuzz.yaml", data) else {
        return;
    };
    let text = &source.text;
    let end = text.len();
    let (line, column) = source.line_column(end);
    assert!(line >= 1 && column >= 1);
    assert_span(text, &(0..end), "file");
    let loaded = load(text, &limits());
    if let Some(report) = &loaded.report {
        assert_tree(report, text);
    }
    assert_problems(&source, &loaded.problems);
    assert_eq!(dump(&hecha::read::load(text, &limits())), dump(&loaded));
});

/// Everything the rest of hecha can see of what a reader gave, node by node.
fn dump(loaded: &Loaded) -> String {
    let mut out = format!("problems {:?}\n", loaded.problems);
    if let Some(report) = &loaded.report {
        out += &format!("roots {:?}\n", report.roots);
        for id in report.ids() {
            out += &format!("{id:?} {:?}\n", report.node(id));
        }
    }
    out
}
