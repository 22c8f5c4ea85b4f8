//! A whole check of one file with the built-in packs, as `hecha check` runs it: every
//! span within the file, and the result renders as text and JSON.
#![no_main]

use hecha::pipeline::check_bytes;
use hecha_fuzz::{assert_file_report, builtin_rules, limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let report = check_bytes("fuzz.yaml".into(), bytes, &builtin_rules().rules, &limits());
    assert_file_report(&report);
});
