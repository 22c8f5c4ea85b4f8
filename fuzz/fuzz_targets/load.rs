//! Data loading: bytes → text (UTF-8, UTF-16, GB18030) → report tree, YAML and JSON alike.
#![no_main]

use hecha::read::yaml::load;
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
});
