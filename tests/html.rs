//! The HTML report in a real browser: headless Chromium loads the page (running its
//! script), and the DOM it builds is checked: the counts, every finding, the highlight on
//! the right literal, hostile text inert and bounded. A screenshot is saved beside the
//! page (`target/html-report/`) for a person to look at.
//!
//! CI installs Debian's `chromium` when it is missing (`.ci/run`). Elsewhere, a machine
//! without it runs the checks that need no browser and says loudly what it skipped; with
//! `CI` set, a missing browser fails the test.

mod common;

use common::hecha;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
}

/// The browser, or `None` after saying loudly that it is missing (a failure in CI).
fn browser() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        let message = "headless Chromium is not installed: the HTML report was NOT checked in a browser (apt-get install chromium)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n*** {message} ***\n");
    }
    found
}

/// Runs the browser headless on a page with `mode` (`--dump-dom`, `--screenshot=…`).
fn run_browser(browser: &Path, page: &Path, mode: &str) -> String {
    let profile = common::scratch(&format!(
        "chromium-profile-{}",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1100,3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(mode)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser runs");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the DOM is UTF-8")
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_page(name: &str, args: &[&str]) -> (PathBuf, String) {
    let page = out_dir().join(name);
    let mut all = vec!["check", "--format", "html", "-o", page.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = hecha(&all);
    assert!(run.code <= 2, "{}", run.stderr);
    let text = std::fs::read_to_string(&page).unwrap();
    (page, text)
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_samples_page_reads_in_a_browser() {
    let (page, html) = write_page("samples.html", &["samples"]);
    let json: Value =
        serde_json::from_str(&hecha(&["check", "--format", "json", "samples"]).stdout).unwrap();
    let findings: usize = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"].as_array().unwrap().len())
        .sum();
    // Self-contained: nothing fetched from anywhere.
    for external in ["src=", "<link", "@import", "url("] {
        assert!(
            !html.contains(external),
            "the page loads nothing: {external}"
        );
    }
    assert_eq!(count(&html, "<article class=\"finding "), findings);

    let Some(browser) = browser() else { return };
    let dom = run_browser(&browser, &page, "--dump-dom");
    // The script ran: the summary follows the header, the filter is shown with its count.
    let header_end = dom.find("</header>").unwrap();
    let summary = dom.find("id=\"summary\"").unwrap();
    let main = dom.find("<main>").unwrap();
    assert!(
        header_end < summary && summary < main,
        "the summary moved to the top"
    );
    let files = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            !f["findings"].as_array().unwrap().is_empty()
                || !f["problems"].as_array().unwrap().is_empty()
        })
        .count();
    assert!(
        dom.contains(&format!("（显示 {files} / {files} 个文件）")),
        "the filter counts the files"
    );
    assert!(
        dom.contains("<button type=\"button\">错误</button>"),
        "sortable"
    );
    // The counts, as the summary line says them.
    let s = &json["summary"];
    assert!(dom.contains(&format!(
        "<dt>错误</dt><dd>{}</dd>",
        s["errors"].as_u64().unwrap()
    )));
    assert!(dom.contains(&format!(
        "<dt>已说明</dt><dd>{}</dd>",
        s["explained"].as_u64().unwrap()
    )));
    assert_eq!(count(&dom, "<article class=\"finding "), findings);
    // Every finding's offending literal is highlighted as the primary, with its label.
    for file in json["files"].as_array().unwrap() {
        for f in file["findings"].as_array().unwrap() {
            let literal = f["primary"]["text"].as_str().unwrap();
            let label = f["primary"]["message"].as_str().unwrap();
            let mark = format!(
                "<mark class=\"p\" title=\"{}\">{}</mark>",
                escape(label),
                escape(literal)
            );
            assert!(dom.contains(&mark), "{mark}");
        }
    }
    // The partial sum of dongan: 59人次 underlined, 37人次 compared with it.
    assert!(dom.contains("合计: <mark class=\"p\" title=\"小于 60 人次\">59人次</mark>"));
    assert!(dom.contains("<mark class=\"s\" title=\"依法训诫 37 人次\">37人次</mark>"));
    assert!(dom.contains("<li>37 + 17 + 6 = 60 人次 &gt; 59 人次</li>"));
    // Severity in words, not colour alone; the rule's doc behind a disclosure.
    assert!(dom.contains("✖</span> 错误</span>"));
    assert!(dom.contains("<details class=\"doc\"><summary>规则说明："));

    let shot = out_dir().join("samples.png");
    run_browser(&browser, &page, &format!("--screenshot={}", shot.display()));
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    eprintln!("screenshot: {}", shot.display());
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn hostile_text_is_inert_and_bounded() {
    let dir = common::scratch("html-hostile");
    let script = dir.join("script.yaml");
    std::fs::write(
        &script,
        "交办: 20件\n名称: \"<script>document.title='pwned'</script>\u{1b}[2J\u{202e}\"\n办结: 21件 # <img src=x onerror=alert(1)>\n",
    )
    .unwrap();
    let long = dir.join("long.json");
    std::fs::write(
        &long,
        format!(
            "{{\"说明\": \"{}\", \"交办\": \"20件\", \"办结\": \"21件\", \"尾\": \"{}\"}}\n",
            "<b>长</b>".repeat(150_000),
            "x".repeat(1 << 20)
        ),
    )
    .unwrap();
    let (page, html) = write_page(
        "hostile.html",
        &[script.to_str().unwrap(), long.to_str().unwrap()],
    );
    assert_eq!(count(&html, "<script"), 1, "only the page's own script");
    assert!(!html.contains("<img"));
    assert!(!html.contains('\u{1b}') && !html.contains('\u{202e}'));
    // ESC in YAML is a syntax error, located and shown as a symbol.
    assert!(html.contains(">\u{241b}</mark>"), "ESC shown as a symbol");
    assert!(
        html.len() < 200_000,
        "a 2 MB line is cut: {} bytes",
        html.len()
    );
    assert!(html.contains("<mark class=\"p\" title=\"超出 1 件\">&quot;21件&quot;</mark>"));

    let Some(browser) = browser() else { return };
    let dom = run_browser(&browser, &page, "--dump-dom");
    assert!(
        dom.contains("<title>hecha 核查报告</title>"),
        "no script of the report ran"
    );
    assert_eq!(count(&dom, "<script"), 1);
    assert!(!dom.contains("<img"));
    std::fs::remove_dir_all(&dir).unwrap();
}
