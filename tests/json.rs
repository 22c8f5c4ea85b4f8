//! The fast JSON scanner (`read::json`) against the YAML reader on the same JSON text:
//! the same tree node by node (parent, place, span, text, figure, verbatim offset), the
//! same roots and the same problems, for every sample converted to JSON, a generated
//! batch written as JSON, and generated JSON with random whitespace, escapes and keys.
//! Text the scanner leaves to the YAML reader is read by it, so `read::load` equals
//! `yaml::load` on any text at all.

mod common;

use common::{dump, yaml_files};

#[allow(dead_code)]
#[path = "../examples/gen-batch.rs"]
mod gen_batch;

use hecha::read::yaml::load as yaml_load;
use hecha::read::{Limits, json, load};
use hecha::report::{Report, Value};
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// Asserts the scanner read `text` (it did not leave it to the YAML reader) and gave what
/// the YAML reader gives.
fn same_as_yaml(text: &str, limits: &Limits) {
    let fast = json::load(text, limits).unwrap_or_else(|| panic!("not read as JSON: {text}"));
    assert_eq!(dump(&fast), dump(&yaml_load(text, limits)), "{text}");
}

/// A JSON string literal for `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` is a JSON number as written.
fn is_number(s: &str) -> bool {
    serde_json::from_str::<serde_json::Number>(s).is_ok_and(|n| n.to_string().len() <= s.len())
        && !s.starts_with('+')
        && s.trim() == s
}

/// The report tree as JSON: scalars that are JSON numbers stay bare, the rest are strings.
fn to_json(report: &Report, id: hecha::report::NodeId, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    match &report.node(id).value {
        Value::Map(children) | Value::Seq(children) => {
            let map = matches!(report.node(id).value, Value::Map(_));
            out.push(if map { '{' } else { '[' });
            for (i, &child) in children.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&pad);
                if let Some(key) = report.key(child) {
                    out.push_str(&quoted(key));
                    out.push_str(": ");
                }
                to_json(report, child, indent + 1, out);
            }
            if !children.is_empty() {
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
            }
            out.push(if map { '}' } else { ']' });
        }
        Value::Scalar(s) if is_number(&s.text) => out.push_str(&s.text),
        Value::Scalar(s) => out.push_str(&quoted(&s.text)),
        Value::Null => out.push_str("null"),
    }
}

#[test]
fn every_sample_as_json_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("samples"), &mut files);
    yaml_files(&root.join("tests/fixtures/data"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let limits = Limits::default();
    for file in files {
        let yaml = std::fs::read_to_string(&file).unwrap();
        let report = yaml_load(&yaml, &limits).report.unwrap();
        let mut text = String::new();
        to_json(&report, report.roots[0], 0, &mut text);
        text.push('\n');
        same_as_yaml(&text, &limits);
        // The same on one line, with the figures the file holds.
        let compact: String = text
            .lines()
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join("");
        same_as_yaml(&compact, &limits);
        let fast = json::load(&text, &limits).unwrap().report.unwrap();
        assert!(fast.ids().any(|id| fast.figure(id).is_some()), "{file:?}");
    }
}

#[test]
fn a_generated_batch_as_json_reads_the_same() {
    let dir = common::scratch("json-batch");
    let options = gen_batch::Options {
        seed: 11,
        share: 30,
        json: 100,
    };
    let written = gen_batch::generate(40, &dir, &options);
    assert!(!written.planted.is_empty());
    let mut n = 0;
    for entry in std::fs::read_dir(dir.join("000")).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        same_as_yaml(&text, &Limits::default());
        n += 1;
    }
    assert_eq!(n, 40);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn duplicate_keys_figures_and_escapes() {
    let limits = Limits::default();
    for text in [
        r#"{"a": 1, "b": 2, "a": 3}"#,
        "\u{feff}{\"交办\": \"1022件\", \"办结\": \"961件\"}",
        r#"{"a": "\u00e9\"\\\/\b\f\n\r\t", "b": "\ud83d\ude00", "c": "\u0000"}"#,
        "{\n\t\"预算\": \"25.50万元\",\r\n\t\"执行\": 25.50, \"率\": \"90%\"\n}\n",
        r#"[1, -2.5e3, 0, true, false, null, [], {}, [[]], {"x": {}}]"#,
        r#"{"d": 123456789012345678901234567890123, "得分": "得分：89.05分"}"#,
        r#"{"": 1, "长键": {"a": [ ] }}"#,
        r#"  {"a":1}  "#,
        "{\"\u{85}\": \"x\u{85}y\"}",
    ] {
        same_as_yaml(text, &limits);
    }
    // Large mappings: duplicate detection by index.
    let mut text = String::from("{");
    for i in 0..100 {
        let _ = write!(text, "\"k{i}\": {i}, ");
    }
    text.push_str("\"k7\": 0}");
    same_as_yaml(&text, &limits);
    assert_eq!(json::load(&text, &limits).unwrap().problems.len(), 1);
}

#[test]
fn what_the_scanner_leaves_is_read_by_the_yaml_reader() {
    let limits = Limits::default();
    let long_key = format!("{{\"{}\": 1}}", "长".repeat(1100));
    let deep = "[".repeat(200) + &"]".repeat(200);
    let many: String = format!("[{}1]", "1, ".repeat(20));
    let cases = [
        "{a: 1}",
        "{\"a\": 1,}",
        "[1, 2,]",
        "{\"a\": 1} # note",
        "{\"a\": 1}\n{}",
        "{\"a\": 1}\n---\nb: 2\n",
        "{\"a\": \"x\ty\"}",
        "{\"a\": \"x\u{7f}\"}",
        "{\"a\": \"x\u{80}\"}",
        "{\"a\": \"x\u{fffe}\"}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": \"\\x41\"}",
        "{\"a\"\n: 1}",
        "{\"a\": [1 2]}",
        "{\"a\": 'b'}",
        "{\"a\": tru}",
        "{\"a\": 1",
        "[1, [2, {\"a\": [3}]]",
        "{\"a\": &x [1], \"b\": *x}",
        long_key.as_str(),
        deep.as_str(),
        "a: 1\n",
        "",
    ];
    for text in cases {
        assert!(json::load(text, &limits).is_none(), "read as JSON: {text}");
        assert_eq!(dump(&load(text, &limits)), dump(&yaml_load(text, &limits)));
    }
    // A problem that stops the tree builder is the YAML reader's to report.
    let small = Limits {
        max_nodes: 10,
        ..Limits::default()
    };
    assert!(json::load(&many, &small).is_none());
    let loaded = load(&many, &small);
    assert_eq!(loaded.problems[0].code, "too-many-nodes");
    assert_eq!(dump(&loaded), dump(&yaml_load(&many, &small)));
    let loaded = load(&deep, &limits);
    assert_eq!(loaded.problems[0].code, "too-deep");
    // JSON named .yaml is read by the scanner too: the content decides.
    let read = hecha::read::read(
        "a.yaml".into(),
        b"{\"a\": 1}",
        &limits,
        &hecha::read::Knowledge::builtin(),
    );
    assert!(read.report.is_some());
}

/// A JSON value, as a tree to write with chosen whitespace.
#[derive(Clone, Debug)]
enum J {
    Scalar(String),
    Str(String),
    Seq(Vec<J>),
    Map(Vec<(String, J)>),
}

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("交办".to_string()),
        Just("办结".to_string()),
        Just("万元".to_string()),
        Just("件".to_string()),
        Just("%".to_string()),
        Just("余".to_string()),
        Just("：".to_string()),
        Just("下降".to_string()),
        Just(" ".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\u{1}".to_string()),
        Just("😀".to_string()),
        Just("\u{85}".to_string()),
        Just("#".to_string()),
        Just(": ".to_string()),
        Just("-".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
        "[a-z]{1,3}",
    ];
    prop::collection::vec(piece, 0..5).prop_map(|v| v.concat())
}

fn json_strategy() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        "-?(0|[1-9][0-9]{0,6})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?".prop_map(J::Scalar),
        prop_oneof![Just("true"), Just("false"), Just("null")]
            .prop_map(|s| J::Scalar(s.to_string())),
        text_strategy().prop_map(J::Str),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Seq),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("交办".to_string()),
                        Just("办结".to_string()),
                        Just("a".to_string()),
                        text_strategy()
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(J::Map),
        ]
    })
}

/// Writes `j`, taking whitespace and the way each character is escaped from `choices`.
fn write_json(j: &J, choices: &mut impl Iterator<Item = u8>, out: &mut String) {
    let ws = |choices: &mut dyn Iterator<Item = u8>, out: &mut String| {
        out.push_str(match choices.next().unwrap_or(0) % 8 {
            0..=2 => "",
            3 => " ",
            4 => "\n  ",
            5 => "\t",
            6 => "\r\n",
            _ => "  ",
        });
    };
    let string = |s: &str, choices: &mut dyn Iterator<Item = u8>, out: &mut String| {
        out.push('"');
        for c in s.chars() {
            let escape_anyway = choices.next().unwrap_or(0).is_multiple_of(5);
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c if (c as u32) < 0x20 || (escape_anyway && c > '\u{7f}') => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(out, "\\u{unit:04X}");
                    }
                }
                '/' if escape_anyway => out.push_str("\\/"),
                c => out.push(c),
            }
        }
        out.push('"');
    };
    match j {
        J::Scalar(s) => out.push_str(s),
        J::Str(s) => string(s, choices, out),
        J::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(choices, out);
                write_json(item, choices, out);
                ws(choices, out);
            }
            out.push(']');
        }
        J::Map(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(choices, out);
                string(key, choices, out);
                if choices.next().unwrap_or(0).is_multiple_of(3) {
                    out.push(' ');
                }
                out.push(':');
                ws(choices, out);
                write_json(value, choices, out);
                ws(choices, out);
            }
            out.push('}');
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_json_reads_the_same(
        j in json_strategy(),
        choices in prop::collection::vec(any::<u8>(), 64),
        top_map in any::<bool>(),
    ) {
        let j = match (top_map, &j) {
            (_, J::Seq(_) | J::Map(_)) => j,
            (true, _) => J::Map(vec![("值".to_string(), j)]),
            (false, _) => J::Seq(vec![j]),
        };
        let mut text = String::new();
        write_json(&j, &mut choices.iter().copied().cycle(), &mut text);
        let limits = Limits::default();
        let fast = json::load(&text, &limits);
        prop_assert!(fast.is_some(), "not read as JSON: {:?}", text);
        prop_assert_eq!(dump(&fast.unwrap()), dump(&yaml_load(&text, &limits)));
    }

    /// Valid JSON with one character changed: whatever the scanner reads, it reads as the
    /// YAML reader does, and `read::load` always gives the YAML reader's answer.
    #[test]
    fn broken_json_is_read_the_same_or_left_to_yaml(
        j in json_strategy(),
        choices in prop::collection::vec(any::<u8>(), 64),
        at in any::<prop::sample::Index>(),
        insert in prop_oneof![
            Just(","), Just(":"), Just("\""), Just("\\"), Just("{"), Just("}"), Just("["),
            Just("]"), Just(" "), Just("\n"), Just("\t"), Just("#"), Just("-"), Just("a"),
            Just("1"), Just("&a "), Just("*a"), Just("? "), Just("'"), Just("！"),
        ],
        replace in any::<bool>(),
    ) {
        let j = J::Seq(vec![j]);
        let mut text = String::new();
        write_json(&j, &mut choices.iter().copied().cycle(), &mut text);
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let i = boundaries[at.index(boundaries.len())];
        let end = if replace {
            boundaries.iter().copied().find(|&b| b > i).unwrap_or(i)
        } else {
            i
        };
        text.replace_range(i..end, insert);
        let limits = Limits::default();
        let yaml = dump(&yaml_load(&text, &limits));
        if let Some(fast) = json::load(&text, &limits) {
            prop_assert_eq!(dump(&fast), yaml.clone(), "{}", text);
        }
        prop_assert_eq!(dump(&load(&text, &limits)), yaml);
    }
}
