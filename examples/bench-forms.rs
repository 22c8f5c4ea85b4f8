//! Measures reading forms from workbooks against reading the same forms as YAML, in one
//! run: one form cold (the first file a process checks, layout and rules loaded), then a
//! batch of 1,000 files of each kind, and the ratio.
//!
//! ```sh
//! cargo run --release --example bench-forms [-- N]
//! ```
//!
//! The workbook is `samples/forms/project-mistakes.xlsx`, the YAML its transcription
//! `samples/forms/project-mistakes.yaml`; the batch is N copies of each written to a
//! temporary folder and checked file by file on one thread, as `hecha check` does per
//! file (it runs files in parallel on top).

use hecha::engine::Engine;
use hecha::pipeline::check_path_with;
use hecha::read::{Knowledge, Limits};
use hecha::rules::RuleSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms");
    let dir = std::env::temp_dir().join(format!("hecha-bench-forms-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut batches: Vec<(&str, Vec<PathBuf>)> = Vec::new();
    for (kind, file) in [
        ("xlsx", "project-mistakes.xlsx"),
        ("yaml", "project-mistakes.yaml"),
    ] {
        let bytes = std::fs::read(samples.join(file)).unwrap();
        let paths = (0..n)
            .map(|i| {
                let path = dir.join(format!("{i:04}.{kind}"));
                std::fs::write(&path, &bytes).unwrap();
                path
            })
            .collect();
        batches.push((kind, paths));
    }
    let limits = Limits::default();

    // Cold: everything a process does for its first file.
    let mut cold = Vec::new();
    for (kind, paths) in &batches {
        let started = Instant::now();
        let rules = RuleSet::builtin();
        let engine = Engine::new(&rules.rules);
        let knowledge = Knowledge::builtin();
        let report = check_path_with(&engine, &paths[0], &limits, &knowledge);
        let took = started.elapsed();
        assert!(
            !report.findings.is_empty(),
            "{kind}: the sample has findings"
        );
        cold.push((kind, took));
    }

    // The batch: rules and layout loaded once.
    let rules = RuleSet::builtin();
    let engine = Engine::new(&rules.rules);
    let knowledge = Knowledge::builtin();
    let mut batch = Vec::new();
    for (kind, paths) in &batches {
        let started = Instant::now();
        let mut findings = 0;
        for path in paths {
            findings += check_path_with(&engine, path, &limits, &knowledge)
                .findings
                .len();
        }
        batch.push((kind, started.elapsed(), findings));
    }
    std::fs::remove_dir_all(&dir).unwrap();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("one form, cold (rules, layout and the file):");
    for (kind, took) in &cold {
        println!("  {kind}: {:.2} ms", ms(*took));
    }
    println!("  ratio xlsx / yaml: {:.1}", ms(cold[0].1) / ms(cold[1].1));
    println!("a batch of {n} files, one thread:");
    for (kind, took, findings) in &batch {
        println!(
            "  {kind}: {:.0} ms, {:.3} ms per file, {findings} findings",
            ms(*took),
            ms(*took) / n as f64
        );
    }
    println!(
        "  ratio xlsx / yaml: {:.1}",
        ms(batch[0].1) / ms(batch[1].1)
    );
}
