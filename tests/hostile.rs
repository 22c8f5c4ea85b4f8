//! Hostile input, round two: what a file, an argument or the machine can do to a run.

mod common;

use common::{arg, hecha, scratch};

#[test]
fn no_printed_text_holds_a_control_character() {
    let dir = scratch("hostile-controls");
    let data = dir.join("a.yaml");
    std::fs::write(
        &data,
        "说明: \"单位XX\\e[2J\\e]0;pwned\\a完成\\r覆盖\"\n\"\\e[31m键\": 下降5%\n交办: 5件\n办结: 6件\n",
    )
    .unwrap();
    let rules = dir.join("r.yaml");
    std::fs::write(
        &rules,
        "rules:\n  - id: x/esc\n    title: \"标题\\e[2J\"\n    severity: error\n    check: 办结 <= 交办\n    message: \"信息\\e[2J\"\n    help: \"帮助\\e[2J\"\n",
    )
    .unwrap();
    for args in [
        vec!["check", arg(&data)],
        vec!["check", "--rules", arg(&rules), arg(&data)],
        vec![
            "check",
            "--color",
            "never",
            "--summary-only",
            arg(&data),
            arg(&data),
        ],
        vec!["rules", "--rules", arg(&rules)],
        vec!["explain", "--rules", arg(&rules), "x/esc"],
        vec!["explain", "\u{1b}[2Jx"],
    ] {
        let run = hecha(&args);
        for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{args:?} {what}: {text:?}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs hecha, failing the test if it has not finished in 20 s (a FIFO opened for
/// reading would block it forever).
#[cfg(unix)]
fn hecha_within(args: &[&str]) -> common::Run {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hecha"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("hecha {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    common::Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap(),
    }
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_unopened_and_the_batch_goes_on() {
    let dir = scratch("hostile-special");
    let fifo = dir.join("fifo.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let socket = dir.join("socket.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(&good, "交办: 5件\n办结: 6件\n").unwrap();
    let run = hecha_within(&[
        "check",
        "--format",
        "json",
        arg(&fifo),
        arg(&socket),
        "/dev/zero",
        arg(&good),
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 4);
    assert_eq!(
        json["summary"]["errors"], 1,
        "the regular file is still checked"
    );
    let codes: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["problems"][0]["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        ["not-a-file", "not-a-file", "not-a-file"],
        "{}",
        run.stdout
    );
    // As rules, config, decisions and baseline too.
    for flag in ["--rules", "--config", "--decisions", "--baseline"] {
        let run = hecha_within(&["check", flag, arg(&fifo), arg(&good)]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stdout);
        assert!(
            run.stdout.contains("error[not-a-file]"),
            "{flag}: {}",
            run.stdout
        );
        assert!(
            run.stdout.contains("casework/closed-exceeds-assigned") || flag == "--config",
            "{flag}: the data is still checked: {}",
            run.stdout
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_size_and_depth_limits_bound_every_file_read() {
    let dir = scratch("hostile-limits");
    let good = dir.join("good.yaml");
    std::fs::write(&good, "交办: 5件\n办结: 6件\n").unwrap();
    let rules = dir.join("rules.yaml");
    let mut text = String::from("rules:\n");
    for i in 0..20 {
        text.push_str(&format!(
            "  - id: x/r{i}\n    title: t\n    severity: error\n    check: 办结 <= 交办\n"
        ));
    }
    std::fs::write(&rules, &text).unwrap();
    let run = hecha(&[
        "check",
        "--max-file-size",
        "200",
        "--rules",
        arg(&rules),
        arg(&good),
    ]);
    assert!(run.stdout.contains("error[too-large]"), "{}", run.stdout);
    let decisions = dir.join("decisions.yaml");
    std::fs::write(
        &decisions,
        format!(
            "decisions:\n{}",
            "  - [".to_string() + &"[".repeat(40) + &"]".repeat(41) + "\n"
        ),
    )
    .unwrap();
    let run = hecha(&[
        "check",
        "--max-depth",
        "10",
        "--decisions",
        arg(&decisions),
        arg(&good),
    ]);
    assert!(run.stdout.contains("error[too-deep]"), "{}", run.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_naming_an_input_is_refused_before_anything_is_written() {
    let dir = scratch("hostile-output");
    let good = dir.join("good.yaml");
    let report = "交办: 5件\n办结: 6件\n";
    std::fs::write(&good, report).unwrap();
    let decisions = dir.join("decisions.yaml");
    std::fs::write(&decisions, "decisions: []\n").unwrap();
    let dotted = dir.join(".").join("good.yaml");
    for args in [
        vec!["check", "--output", arg(&good), arg(&good)],
        vec!["check", "-o", arg(&dotted), arg(&dir)],
        vec!["check", "--write-baseline", arg(&good), arg(&good)],
        vec![
            "check",
            "--decisions",
            arg(&decisions),
            "-o",
            arg(&decisions),
            arg(&good),
        ],
        vec![
            "check",
            "--rules",
            "rules/casework.yaml",
            "-o",
            "rules/casework.yaml",
            arg(&good),
        ],
    ] {
        let run = hecha(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains("未写入"), "{args:?}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(&good).unwrap(), report);
    assert_eq!(
        std::fs::read_to_string(&decisions).unwrap(),
        "decisions: []\n"
    );
    let out = dir.join("out.json");
    let run = hecha(&[
        "check",
        "-o",
        arg(&out),
        "--write-baseline",
        arg(&out),
        arg(&good),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("同一个文件"), "{}", run.stderr);
    assert!(!out.exists());
    // Written whole, with no temporary file left beside it.
    let run = hecha(&["check", "--format", "json", "-o", arg(&out), arg(&good)]);
    assert_eq!(run.code, 1);
    assert!(std::fs::read_to_string(&out).unwrap().ends_with("}\n"));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
