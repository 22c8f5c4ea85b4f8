//! Runs the hecha binary the way users do, from the repository root; and what the reader
//! comparisons (`tests/json.rs`, `tests/block_yaml.rs`) share.

#![allow(dead_code)]

use std::process::Command;

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub fn hecha(args: &[&str]) -> Run {
    hecha_with_env(args, &[])
}

pub fn hecha_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hecha"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("hecha runs");
    Run {
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        code: out.status.code().expect("exit code"),
    }
}

/// An empty folder for one test, under the system's temporary folder.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hecha-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// A path as a command-line argument.
pub fn arg(path: &std::path::Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Everything the rest of hecha can see of what a reader gave: the problems, the roots,
/// and each node (parent, place, span, text, figure, verbatim offset).
pub fn dump(loaded: &hecha::read::yaml::Loaded) -> String {
    use std::fmt::Write as _;
    let mut out = format!("problems {:?}\n", loaded.problems);
    if let Some(report) = &loaded.report {
        let _ = writeln!(out, "roots {:?}", report.roots);
        for id in report.ids() {
            let _ = writeln!(out, "{id:?} {:?}", report.node(id));
        }
    }
    out
}

/// The YAML files under `dir`, at any depth.
pub fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}
