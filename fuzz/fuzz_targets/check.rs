//! A whole check of one file with the built-in packs, as `hecha check` runs it: every
//! span within the file, and the result renders as text and JSON.
#![no_main]

use hecha::engine::Engine;
use hecha::pipeline::check_bytes_with;
use hecha::read::Knowledge;
use hecha_fuzz::{MAX_STEPS, assert_file_report, builtin_rules, limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let engine = Engine::new(&builtin_rules().rules).with_max_steps(MAX_STEPS);
    let knowledge = Knowledge::builtin();
    let report = check_bytes_with(&engine, "fuzz.yaml".into(), bytes, &limits(), &knowledge);
    assert_file_report(&report);
});
