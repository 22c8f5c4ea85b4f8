//! Hostile and broken input, through the binary: every file gets a located message (or
//! its findings, where it is valid), the run exits 2, nothing panics, the run ends in
//! bounded time, and the valid files of the same batch are still checked.
//!
//! The small files are committed under `tests/adversarial/` (bytes as submitted: see
//! `.gitattributes`); the large ones (50 MB, 10,000-deep, an alias bomb, 20,000
//! siblings, a one-line JSON file, a wide table) are generated here into a temporary
//! directory, next to copies of the small ones.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a run may take; the whole batch takes a few seconds in a debug build.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Most memory a run may hold (where it can be read: Linux).
const MAX_RSS_KB: u64 = 1 << 20;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
    /// The highest resident set size seen while it ran, in KiB.
    peak_kb: u64,
}

/// The process's peak resident set size so far, from /proc (0 where there is none).
fn peak_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Runs hecha in `dir`, killing it after [`TIMEOUT`].
fn hecha_in(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hecha"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hecha runs");
    // Read the pipes on threads so a large output cannot block the child.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).map(|_| s)
    });
    let start = Instant::now();
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_kb(child.id()));
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            child.kill().expect("kills");
            panic!("hecha {args:?} did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().expect("reads").expect("reads stdout");
    let stderr = err.join().expect("reads").expect("reads stderr");
    Run {
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        code: status.code().expect("exit code, not a signal"),
        peak_kb: peak,
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed corpus, as users see it.
#[test]
fn small_files() {
    let run = hecha_in(&repo(), &["check", "--color", "never", "tests/adversarial"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    insta::assert_snapshot!("adversarial_small_files", run.stdout);
}

/// Writes the generated files of the batch into `dir`.
fn generate(dir: &Path) {
    let write = |name: &str, text: &[u8]| std::fs::write(dir.join(name), text).expect("writes");
    // 50 MB: refused before it is read.
    let row = "  - {交办: 5件, 办结: 4件, 说明: 一行普通的数据}\n";
    let huge = format!("项目:\n{}", row.repeat((50 << 20) / row.len() + 1));
    write("huge.yaml", huge.as_bytes());
    // 10,000 levels of nesting.
    write(
        "deep.yaml",
        format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)).as_bytes(),
    );
    // Billion laughs: ten aliases of ten aliases, nine levels deep.
    let mut bomb = String::from("a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]\n");
    for i in 1..10 {
        let items = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    write("alias-bomb.yaml", bomb.as_bytes());
    // 20,000 siblings whose sum exceeds their total: one finding with 20,000 labels.
    // (Quadratic work here once took seconds in a release build.)
    let mut siblings = String::from("合计: 1件\n其中:\n");
    for i in 0..20_000 {
        siblings.push_str(&format!("  k{i}: 1件\n"));
    }
    write("siblings.yaml", siblings.as_bytes());
    // Minified JSON: 1,000 findings on one 40 KB line.
    let items = vec![r#"{"交办":"5件","办结":"6件"}"#; 1_000].join(",");
    write(
        "one-line.json",
        format!(r#"{{"项目":[{items}]}}"#).as_bytes(),
    );
    // A total row of 2,000 columns over 2,000 rows: the column rules' work is the product.
    let mut wide = String::from("表:\n");
    for i in 0..2_000 {
        wide.push_str(&format!("  c{i}: 1件\n"));
    }
    wide.push_str("  构成:\n");
    for i in 0..2_000 {
        wide.push_str(&format!("    - {{c{i}: 1件}}\n"));
    }
    write("wide.yaml", wide.as_bytes());
}

type Expected = (&'static str, Vec<&'static str>, Option<(u64, u64)>);

/// What one file of the batch must give: the codes of its problems and findings, in
/// order, and the line and column of the first located one (line 0: any line).
fn expected() -> Vec<Expected> {
    let closed = "casework/closed-exceeds-assigned";
    vec![
        ("alias-bomb.yaml", vec!["alias-expansion"], Some((5, 45))),
        ("binary.yaml", vec!["unsupported-format"], None),
        ("crlf.yaml", vec![closed], Some((4, 7))),
        ("damaged-utf8.yaml", vec!["not-text"], Some((2, 7))),
        ("deep.yaml", vec!["too-deep"], Some((1, 129))),
        ("duplicate-key.yaml", vec!["duplicate-key"], Some((4, 3))),
        ("empty.yaml", vec!["empty"], None),
        ("gbk.yaml", vec!["encoding", closed], Some((4, 7))),
        ("huge.yaml", vec!["too-large"], None),
        ("invalid-utf8.yaml", vec!["not-text"], Some((2, 10))),
        ("one-line.json", vec![closed; 1_000], Some((1, 24))),
        (
            "overflow.yaml",
            vec!["figure-overflow", "unchecked"],
            Some((1, 5)),
        ),
        (
            "recursive-alias.yaml",
            vec!["recursive-alias"],
            Some((3, 7)),
        ),
        (
            "siblings.yaml",
            vec!["breakdown/partial-exceeds-total"],
            Some((1, 5)),
        ),
        ("truncated.json", vec!["yaml-syntax"], Some((1, 30))),
        (
            "utf16be-no-bom.yaml",
            vec!["encoding", closed],
            Some((4, 7)),
        ),
        ("utf16le-bom.yaml", vec!["encoding", closed], Some((4, 7))),
        ("utf8-bom.yaml", vec![closed], Some((4, 7))),
        ("valid.yaml", vec![closed], Some((4, 7))),
        // Where the budget runs out depends on the rules; line 0 here means any line.
        ("wide.yaml", vec!["too-many-steps"], Some((0, 9))),
        (
            "zero-divisor.yaml",
            vec!["casework/closure-rate-mismatch"],
            Some((2, 7)),
        ),
    ]
}

#[test]
fn a_hostile_batch_is_checked_file_by_file() {
    let dir = std::env::temp_dir().join(format!("hecha-adversarial-{}", std::process::id()));
    let batch = dir.join("batch");
    std::fs::create_dir_all(&batch).expect("creates the batch directory");
    for entry in std::fs::read_dir(repo().join("tests/adversarial")).expect("lists") {
        let path = entry.expect("lists").path();
        std::fs::copy(&path, batch.join(path.file_name().expect("a name"))).expect("copies");
    }
    generate(&batch);
    // The step budget is lowered so that the wide table hits it in a debug build.
    let args = ["check", "--max-steps", "5000000", "batch"];

    let start = Instant::now();
    let (json, human) = std::thread::scope(|s| {
        let json = s.spawn(|| hecha_in(&dir, &[&args[..], &["--format", "json"]].concat()));
        let human = hecha_in(&dir, &[&args[..], &["--color", "never"]].concat());
        (json.join().expect("runs"), human)
    });
    let elapsed = start.elapsed();
    std::fs::remove_dir_all(&dir).expect("removes the batch");

    for run in [&json, &human] {
        assert_eq!(run.code, 2, "{}", run.stdout);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        assert!(run.peak_kb < MAX_RSS_KB, "{} KiB", run.peak_kb);
    }
    let out: Value = serde_json::from_str(&json.stdout).expect("JSON output");
    let files = out["files"].as_array().expect("files");
    let expected = expected();
    let names: Vec<&str> = files
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    let wanted: Vec<String> = expected.iter().map(|e| format!("batch/{}", e.0)).collect();
    assert_eq!(names, wanted, "every file is reported, in path order");
    for (file, (name, codes, position)) in files.iter().zip(&expected) {
        let mut got = Vec::new();
        let mut first = None;
        for p in file["problems"].as_array().expect("problems") {
            got.push(p["code"].as_str().expect("code").to_string());
            assert!(!p["message"].as_str().expect("message").is_empty());
            if first.is_none() && p["location"].is_object() {
                first = Some(&p["location"]);
            }
        }
        for f in file["findings"].as_array().expect("findings") {
            got.push(f["rule"].as_str().expect("rule").to_string());
            if first.is_none() {
                first = Some(&f["primary"]);
            }
        }
        assert_eq!(got, *codes, "{name}");
        let at = first.map(|l| {
            let line = l["line"].as_u64().expect("line");
            let any = position.is_some_and(|p| p.0 == 0);
            (
                if any { 0 } else { line },
                l["column"].as_u64().expect("column"),
            )
        });
        assert_eq!(at, *position, "{name}");
        // The human output names the file, with its location where there is one.
        let shown = match position {
            Some((0, _)) => format!("batch/{name}:"),
            Some((line, column)) => format!("batch/{name}:{line}:{column}"),
            None => format!("batch/{name}："),
        };
        assert!(human.stdout.contains(&shown), "{name}: {shown} not shown");
    }
    // Hostile text is shown from an excerpt: no output line is huge.
    let longest = human.stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 2_000, "an output line of {longest} bytes");
    assert!(elapsed < TIMEOUT, "{elapsed:?}");
}

/// Rule files are input too: a pathological regex, expressions too long or too deep, a
/// file of 5,000 rules. Each is a located problem, and the other rules still run.
#[test]
fn hostile_rule_files() {
    let dir = std::env::temp_dir().join(format!("hecha-adversarial-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("creates the directory");
    let rule = |id: &str, check: &str| {
        format!("  - id: {id}\n    title: t\n    for: \".\"\n    check: '{check}'\n")
    };
    let long = vec!["交办"; 100_000].join(" + ");
    let deep = format!("{}交办{} > 0", "(".repeat(10_000), ")".repeat(10_000));
    let mut text = String::from("rules:\n");
    // Compiles to more than the regex size limit.
    text.push_str(&rule("t/huge-regex", r#"matches(文本, "(\\w{100}){100}")"#));
    // Would backtrack exponentially in a backtracking engine; linear here. It fails.
    text.push_str(&rule("t/backtracking", r#"matches(文本, "^(a+)+$")"#));
    text.push_str(&rule("t/long", &long));
    text.push_str(&rule("t/deep", &deep));
    text.push_str(&rule("t/fine", "not has(办结) or 办结 <= 交办"));
    std::fs::write(dir.join("hostile.yaml"), &text).expect("writes");
    let mut many = String::from("rules:\n");
    for i in 0..5_000 {
        many.push_str(&rule(
            &format!("many/r{i}"),
            "not has(办结) or 办结 <= 交办",
        ));
    }
    std::fs::write(dir.join("many.yaml"), &many).expect("writes");
    let data = format!("文本: \"{}!\"\n交办: 1件\n办结: 2件\n", "a".repeat(100_000));
    std::fs::write(dir.join("data.yaml"), &data).expect("writes");

    let args = [
        "check",
        "--no-default-rules",
        "--rules",
        "hostile.yaml",
        "--rules",
        "many.yaml",
        "--format",
        "json",
        "data.yaml",
    ];
    let run = hecha_in(&dir, &args);
    std::fs::remove_dir_all(&dir).expect("removes the directory");
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let out: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let problems: Vec<(&str, u64)> = out["rules"][0]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["code"].as_str().expect("code"),
                p["location"]["line"].as_u64().expect("located"),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("type-error", 5),
            ("invalid-expression", 13),
            ("invalid-expression", 17)
        ]
    );
    assert_eq!(out["rules"][0]["path"], "hostile.yaml");
    // t/backtracking, t/fine and the 5,000 rules of many.yaml ran.
    let findings = out["files"][0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 5_002);
    assert_eq!(findings[0]["rule"], "t/backtracking");
}
