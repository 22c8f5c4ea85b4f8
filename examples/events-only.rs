//! The baseline that hecha's speed is quoted against: the YAML event parse alone.
//!
//! ```sh
//! cargo run --release --example events-only -- [-j N] [--tree | --tree-yaml] PATH...
//! ```
//!
//! Reads every `*.yaml`, `*.yml` and `*.json` under the paths (as `hecha check` finds
//! them, hidden entries skipped), on N threads (default: every core), and runs
//! granit-parser over each file with the options hecha's loader uses, keeping nothing but
//! a count of events. This is what a check can never be faster than while it is built on
//! that parser; `scripts/bench.sh` prints a full check's throughput as a ratio of it,
//! measured in the same run on the same files and threads.
//!
//! `--tree` builds hecha's report tree instead (`hecha::read::load`: the JSON scanner
//! first for text that starts with `{` or `[`, the block YAML scanner for other text),
//! and `--tree-yaml` builds it with the YAML reader alone (`hecha::read::yaml::load`,
//! through granit-parser), so the fast scanners and the YAML reader are timed on the same
//! files; the text is read and kept as `hecha check` does, nothing else is done.

use granit_parser::Parser;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for entry in entries {
            let name = entry.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.is_some_and(|n| !n.starts_with('.')) {
                collect(&entry, out);
            }
        }
    } else if !hidden
        && path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
    {
        out.push(path.to_path_buf());
    }
}

/// Events in one file, or `None` if it does not parse (it still counts as read).
fn events(text: &str) -> Option<usize> {
    let options = granit_parser::options! {
        emit_comments: false,
        block_nesting_limit: 128,
        flow_nesting_limit: 128,
    };
    let mut n = 0;
    for event in Parser::new_from_str_with_options(text, options) {
        event.ok()?;
        n += 1;
    }
    Some(n)
}

/// What to do with each file.
#[derive(Clone, Copy)]
enum Mode {
    Events,
    Tree,
    TreeYaml,
}

/// Nodes of hecha's tree for one file, or `None` if it does not load.
fn tree(text: &str, mode: Mode) -> Option<usize> {
    let limits = hecha::read::Limits::default();
    let loaded = match mode {
        Mode::Tree => hecha::read::load(text, &limits),
        _ => hecha::read::yaml::load(text, &limits),
    };
    loaded.report.map(|r| r.len())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let mut paths = Vec::new();
    let mut mode = Mode::Events;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-j" | "--jobs" => {
                jobs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("-j takes a number");
            }
            "--tree" => mode = Mode::Tree,
            "--tree-yaml" => mode = Mode::TreeYaml,
            _ => collect(Path::new(&arg), &mut paths),
        }
    }
    let next = AtomicUsize::new(0);
    let (total, bytes) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let (mut total, mut bytes) = (0usize, 0usize);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = paths.get(i) else {
                            return (total, bytes);
                        };
                        let Ok(text) = std::fs::read_to_string(path) else {
                            continue;
                        };
                        bytes += text.len();
                        total += match mode {
                            Mode::Events => events(&text),
                            _ => tree(&text, mode),
                        }
                        .unwrap_or(0);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker panicked"))
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    });
    let what = match mode {
        Mode::Events => "events",
        _ => "nodes",
    };
    println!("{} files, {bytes} bytes, {total} {what}", paths.len());
}
