//! Rule-file loading, then the rules that load run over a fixed report.
#![no_main]

use hecha::engine::Engine;
use hecha::pipeline::FileReport;
use hecha::rules::RuleSet;
use hecha::source::SourceFile;
use hecha_fuzz::{MAX_STEPS, assert_file_report, assert_problems, data};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|bytes: &[u8]| {
    let Ok(source) = SourceFile::decode("rules.yaml", bytes) else {
        return;
    };
    let mut rules = RuleSet::default();
    rules.add_file(Arc::new(source));
    rules.finish();
    for (file, problems) in &rules.problems {
        assert_problems(file, problems);
    }
    if rules.rules.is_empty() {
        return;
    }
    let (source, report) = data();
    let findings = Engine::new(&rules.rules)
        .with_max_steps(MAX_STEPS)
        .check(&report);
    assert_file_report(&FileReport {
        source,
        findings,
        problems: Vec::new(),
        checked: true,
        coverage: Default::default(),
        unrecognised: 0,
        applied: Vec::new(),
        prose: false,
    });
});
