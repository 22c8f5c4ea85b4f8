//! The synthetic batch generator (`examples/gen-batch.rs`): hecha finds exactly the
//! inconsistencies it plants, and nothing else fails.

mod common;

#[allow(dead_code)]
#[path = "../examples/gen-batch.rs"]
mod gen_batch;

use common::hecha;
use gen_batch::{Options, PLANTED, generate};
use serde_json::Value;
use std::collections::BTreeSet;

#[test]
fn hecha_finds_exactly_the_planted_inconsistencies() {
    let dir = common::scratch("generator");
    let options = Options {
        seed: 7,
        share: 25,
        json: 30,
    };
    let written = generate(48, &dir, &options);
    assert_eq!(written.planted.len(), 12);
    let kinds: BTreeSet<&str> = written.planted.iter().map(|(_, rule, _)| *rule).collect();
    assert_eq!(kinds.len(), PLANTED.len(), "every kind is planted");

    let run = hecha(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let prefix = format!("{}/", dir.display());
    let mut failed = BTreeSet::new();
    let mut explained = 0;
    for file in json["files"].as_array().unwrap() {
        assert_eq!(file["problems"].as_array().unwrap().len(), 0, "{file}");
        let path = file["path"].as_str().unwrap().trim_start_matches(&prefix);
        for f in file["findings"].as_array().unwrap() {
            match f["status"].as_str().unwrap() {
                "failed" => {
                    failed.insert((
                        path.to_string(),
                        f["rule"].as_str().unwrap().to_string(),
                        f["primary"]["figure"].as_str().unwrap().to_string(),
                    ));
                }
                _ => explained += 1,
            }
        }
    }
    let planted: BTreeSet<(String, String, String)> = written
        .planted
        .iter()
        .map(|(file, rule, figure)| (file.clone(), rule.to_string(), figure.clone()))
        .collect();
    assert_eq!(failed, planted);
    assert_eq!(explained, written.explained);
    assert_eq!(json["summary"]["files"], 48);
    std::fs::remove_dir_all(&dir).unwrap();
}
