//! The fast block YAML scanner (`read::block_yaml`) against the YAML reader on the same
//! text: the same tree node by node (parent, place, span, text, figure, verbatim offset),
//! the same roots and the same problems, for every sample, a generated batch, generated
//! block YAML with random indentation, comments, quoting and blank lines, and the same
//! with one piece of text changed. Text the scanner leaves to the YAML reader is read by
//! it, so `read::load` equals `yaml::load` on any text at all.

mod common;

use common::{dump, yaml_files};

#[allow(dead_code)]
#[path = "../examples/gen-batch.rs"]
mod gen_batch;

use hecha::read::yaml::load as yaml_load;
use hecha::read::{Limits, block_yaml, load};
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

/// Asserts the scanner read `text` (it did not leave it to the YAML reader) and gave what
/// the YAML reader gives.
fn same_as_yaml(text: &str, limits: &Limits) {
    let fast =
        block_yaml::load(text, limits).unwrap_or_else(|| panic!("not read as block YAML: {text}"));
    assert_eq!(dump(&fast), dump(&yaml_load(text, limits)), "{text}");
}

/// Asserts `read::load` gives what the YAML reader gives, and so does the scanner if it
/// reads the text; tells whether it did.
fn same_or_left(text: &str, limits: &Limits) -> bool {
    let yaml = dump(&yaml_load(text, limits));
    let fast = block_yaml::load(text, limits);
    if let Some(fast) = &fast {
        assert_eq!(dump(fast), yaml, "{text:?}");
    }
    assert_eq!(dump(&load(text, limits)), yaml, "{text:?}");
    fast.is_some()
}

#[test]
fn every_sample_reads_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["samples", "tests/fixtures", "rules"] {
        yaml_files(&root.join(dir), &mut files);
    }
    assert!(files.len() >= 20, "{files:?}");
    let limits = Limits::default();
    let mut read = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if same_or_left(&text, &limits) {
            read.push(
                file.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    // The reports and forms transcribed as YAML are all plain block YAML.
    for sample in [
        "samples/daxiang-2022-department.yaml",
        "samples/dongan-2018-special-fund.yaml",
        "samples/hengshan-2019-department.yaml",
        "samples/rugao-2020-projects.yaml",
        "samples/wangcheng-2023-backlog-fund.yaml",
        "samples/forms/department.yaml",
        "samples/forms/project-clean.yaml",
    ] {
        assert!(
            read.iter().any(|r| r == sample),
            "{sample} not read: {read:?}"
        );
    }
}

#[test]
fn a_generated_batch_reads_the_same() {
    let dir = common::scratch("block-yaml-batch");
    let options = gen_batch::Options {
        seed: 12,
        share: 30,
        json: 0,
    };
    let written = gen_batch::generate(40, &dir, &options);
    assert!(!written.planted.is_empty());
    let mut n = 0;
    for entry in std::fs::read_dir(dir.join("000")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            same_as_yaml(&text, &Limits::default());
            n += 1;
        }
    }
    assert_eq!(n, 40);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_reports_write_reads_the_same() {
    let limits = Limits::default();
    for text in [
        "a: 1\n",
        "a: 1",
        "\u{feff}交办: 1022件\n办结: 961件\n",
        "# 标题\n\n一、项目概况:\n  合计: 25万元   # 注\n  构成:\n    甲: 15万元\n    乙: 10万元\n",
        "a:\nb: 1\n",
        "a:\n",
        "a:   # 无值\nb:\n  c: 1\n",
        "a:\n- x\n- y\nb: 2\n",
        "a:\n  - x\n  -   y   # 注\n  - 指标: 率\n    值: \"≥94%\"\n  - z\nb: 2\n",
        "- a\n- b: 1\n  c: 2\n- d\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\n# 尾注\n\n",
        "\"引号键\" : 1\n'单引号': 'it''s'\nc: \"\\u00e9\\n\\\"\"\n",
        "a  : 1\nb: x y  z  \nc: 12:30\nd: x#y\ne: -12.5\nf: ~\ng: null\nh: 'null'\n",
        "a: 1\na: 2\n",
        "　办结: 5件\n",
        "得分: 得分：89.05分\n降幅: 下降5%\n",
        "a: x, y [z] {w}\n",
        "a: [村, 乡 x ,区]   # 注\nb: []\nc: [ x ]\n",
        "- [x, y]\n- z\n",
        "a: 1\n  # 缩进的注释\nb: 2\n",
        "a: \"\"\nb: ''\n",
        "k: 123456789012345678901234567890123\n",
    ] {
        same_as_yaml(text, &limits);
    }
    // Large mappings: duplicate detection by index.
    let mut text = String::new();
    for i in 0..100 {
        let _ = writeln!(text, "k{i}: {i}");
    }
    text.push_str("k7: 0\n");
    same_as_yaml(&text, &limits);
    assert_eq!(block_yaml::load(&text, &limits).unwrap().problems.len(), 1);
}

#[test]
fn lists_of_quoted_scalars_and_lists_in_lists_read_the_same() {
    let limits = Limits::default();
    for text in [
        "a: [\"x\", 'y']\n",
        "a: [ \"x\" , 'y' ]\n",
        "a: [\"x\"]\nb: ['']\nc: [\"\"]\n",
        "a: ['x''y', \"a\\\"b\\u00e9\"]\n",
        "a: [\"x\", y, 'z']\n",
        "a: [\"村, 乡\", '区]', \"#\", 'a: b']\n",
        "a: [\"x\"\t, 'y'\t]\n",
        "a: [x, \"y\"] #注\r\n",
        "- [\"x\", 'y']\n",
        "- - x\n",
        "- - x\n  - y\n- z\n",
        "- - - x\n",
        "- - a: 1\n    b: 2\n  - c\n",
        "a:\n  - - x\n    - y\n",
        "a:\n- - x\n  - y\nb: 1\n",
        "-  - x\n   - y\n",
        "- - x\n- - y\n",
        "- - x\n\n  # 注\n  - y\n",
        "- - [x, \"y\"]\n",
    ] {
        same_as_yaml(text, &limits);
    }
}

#[test]
fn files_written_on_windows_read_the_same() {
    let limits = Limits::default();
    for text in [
        "a: 1\r\nb: 2\r\n",
        "a: 1\r\nb: 2",
        "\u{feff}交办: 1022件\r\n办结: 961件\r\n",
        // A missing value stays at the colon, the end events where the next content is.
        "a:\r\nb: 1\r\n",
        "a:\r\n",
        "a:\r\n\r\n",
        "a:   # 注\r\nb:\r\n  c: 1\r\n",
        "a:\r\n- x\r\n- y\r\nb: 2\r\n",
        "a:\r\n  - x\r\n  - k: 1\r\n    j: 2\r\n",
        "- a\r\n- b\r\n",
        // Scalars end before the `\r`, trailing spaces and comments too.
        "a: x  \r\nb: x #注\r\nc: 'x'\r\nd: \"x\" \r\ne: [x, y]\r\nf: 12:30\r\n",
        "a: 1\r\n\r\n  \r\n# 注\r\n  # 注\r\nb: 2\r\n",
        "a: 1\r\n  # 尾注\r\n",
        "a: #注\r\n",
        // Lines ended both ways in one file.
        "a: 1\nb: 2\r\nc:\n  d: 3\r\n\r\n  e: 4\n",
        "a: 1\r\na: 2\r\n",
        "a: 1\n\r\nb: 2\n",
    ] {
        same_as_yaml(text, &limits);
    }
}

#[test]
fn tabs_between_the_parts_of_a_line_read_the_same() {
    let limits = Limits::default();
    for text in [
        "a:\tx\n",
        "a:\t\tx\nb: 1\n",
        "a: \t x\n",
        "a: x\t\n",
        "a: x\t \t\nb: 1\n",
        "a: x\t#注\nb: x \t#注\n",
        "a:\t#注\nb: 1\n",
        "a:\t\n  b: 1\n",
        "a: 'x'\t\nb: \"x\"\t# 注\nc: 'x'\t# 注\n",
        "a: x\ty\nb: x\t\ty #注\nc: x\t:y\n",
        "a\t: 1\n\"b\"\t: 2\n'c'\t:\t'd'\t# 注\n",
        "a: 'x\ty'\n",
        "a:\t\"x\"\nb:\t'x'\nc:\t[x]\n",
        "a: [x,\ty]\nb: [\tx ]\nc: [x\t]\nd: [x\ty]\ne: [x \t, y]\n",
        // Blank lines and comment lines may hold tabs.
        "a: 1\n\t\nb: 2\n \t \nc: 3\n\t# 注\n  \t# 注\nd: 4\n",
        "a:\n\t# 注\n  b: 1\n\t# 注\n  c: 1\n\t\nd: 1\n",
        "a:\n  - x\n\t# 注\n  - y\n\t\n  - z\n",
        "a:\n  b:\n\t\n    c: 1\n",
        "a: 1\n\t",
        "a: 1\n\t# 注",
        "- a:\tx\n  b:\t# 注\n",
        // With Windows line ends.
        "a: 1\t\r\nb:\t\r\n  c: 1\r\n \t\r\n\t# 注\r\nd:\tx\t#注\r\n",
    ] {
        same_as_yaml(text, &limits);
    }
}

#[test]
fn what_the_scanner_leaves_is_read_by_the_yaml_reader() {
    let limits = Limits::default();
    let long_key = format!("{}: 1\n", "长".repeat(1100));
    let mut deep = String::new();
    for i in 0..200 {
        let _ = writeln!(deep, "{}k:", " ".repeat(i));
    }
    let many = "- 1\n".repeat(20);
    let cases = [
        "",
        "# only a comment\n",
        "  a: 1\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "x\n",
        "\"x\"\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "[a]: 1\n",
        "a: {b: 1}\n",
        "[1, 2]\n",
        "a: x\n  y\n",
        "a: x\n\n  y\n",
        "- x\n  y\n",
        "a: \"x\n  y\"\n",
        // A tab in the indentation (the YAML reader refuses some, reads others), after a
        // list's `-`, or a carriage return standing alone.
        "\ta: 1\n",
        "a:\n\tb: 1\n",
        "a:\n \tb: 1\n",
        "a:\n  \t- x\n",
        "- \tx\n",
        "-\tx\n",
        "- a\n-\tb\n",
        "a: 1\rb: 2\r",
        "a: 1\r",
        "a:\r",
        "a: x\ry\n",
        "a: 1\n\r",
        "a: 1\n# 注\rb: 2\n",
        "a: 1\n\t#注\rb: 2\n",
        "a: 'x\ry'\n",
        "a: [x\r]\n",
        "a: \"x\ty\"\n",
        "a: x\t:\n",
        "a: x:\ty\n",
        "a:\r\n\t- x\r\n",
        "a: b: c\n",
        "a: b:\n",
        "a:b\n",
        "a #c: 1\n",
        "a: \"x\" y\n",
        "a: \"x\"#c\n",
        "a: 'x' y\n",
        "? a\n: 1\n",
        "-\n  x\n",
        "- \n",
        "a:\n  - x\n  b: 1\n",
        "a:\n    b: 1\n  c: 2\n",
        "a: 1\n b: 2\n",
        "- a\nb: 1\n",
        "a: 1\n- b\n",
        "a: \"\\x41\"\n",
        "a: \"\\e\"\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "a: x\u{feff}y\n",
        "a: x\u{fffe}\n",
        "a: x\u{7f}\n",
        "a: x\u{1}\n",
        "# \u{1}\na: 1\n",
        "a: @x\n",
        "a: `x\n",
        "a: %x\n",
        "a: ,x\n",
        "a: [x]y\n",
        "a: [x,]\n",
        "a: [x, [y]]\n",
        "a: [x: 1]\n",
        "a: [\"x\"y]\n",
        "a: ['x' y]\n",
        "a: [\"x\",]\n",
        "a: [\"x\" #c]\n",
        "a: [\"x\":1]\n",
        "a: [\"x\": 1]\n",
        "a: ['x'\n",
        "a: [\"x\", [y]]\n",
        "a: [\"x\ny\"]\n",
        "- -  x\n   - y\n",
        "- -\n",
        "- - \n  x\n",
        "- - x\n   y\n",
        "a: [x\n",
        "a: [x,\n  y]\n",
        "a: {x\n",
        long_key.as_str(),
        deep.as_str(),
    ];
    for text in cases {
        assert!(
            block_yaml::load(text, &limits).is_none(),
            "read as block YAML: {text:?}"
        );
        assert_eq!(dump(&load(text, &limits)), dump(&yaml_load(text, &limits)));
    }
    // A problem that stops the tree builder is the YAML reader's to report.
    let small = Limits {
        max_nodes: 10,
        ..Limits::default()
    };
    assert!(block_yaml::load(&many, &small).is_none());
    let loaded = load(&many, &small);
    assert_eq!(loaded.problems[0].code, "too-many-nodes");
    assert_eq!(dump(&loaded), dump(&yaml_load(&many, &small)));
    let loaded = load(&deep, &limits);
    assert_eq!(loaded.problems[0].code, "too-deep");
}

#[test]
fn nesting_near_the_depth_limit_reads_the_same() {
    let limits = Limits {
        max_depth: 12,
        ..Limits::default()
    };
    let mut read = 0;
    for depth in 1..16 {
        for list in [false, true] {
            let mut text = String::new();
            for i in 0..depth {
                let pad = " ".repeat(2 * i);
                if list && i % 2 == 1 {
                    let _ = writeln!(text, "{pad}- k{i}:");
                } else {
                    let _ = writeln!(text, "{pad}k{i}:");
                }
            }
            let _ = writeln!(text, "{}v: 1", " ".repeat(2 * depth + 2));
            if same_or_left(&text, &limits) {
                read += 1;
            }
        }
    }
    // The shallow ones are the scanner's; the deep ones the YAML reader's, which says
    // where the limit was passed.
    assert!(read >= 10, "{read}");
    let deep = "k:\n".to_string()
        + &(1..20)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
    assert_eq!(load(&deep, &limits).problems[0].code, "too-deep");
}

/// A YAML value, as a tree to write in block style with chosen layout.
#[derive(Clone, Debug)]
enum Y {
    Scalar(String),
    Null,
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("交办".to_string()),
        Just("办结".to_string()),
        Just("万元".to_string()),
        Just("件".to_string()),
        Just("%".to_string()),
        Just("≥".to_string()),
        Just("余".to_string()),
        Just("：".to_string()),
        Just("下降".to_string()),
        Just("　".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("😀".to_string()),
        Just("#".to_string()),
        Just(" #".to_string()),
        Just(":".to_string()),
        Just(": ".to_string()),
        Just("-".to_string()),
        Just("- ".to_string()),
        Just("~".to_string()),
        Just("null".to_string()),
        Just(",".to_string()),
        Just("[".to_string()),
        Just("{".to_string()),
        Just("&".to_string()),
        Just("?".to_string()),
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
        "[a-z]{1,3}",
    ];
    prop::collection::vec(piece, 0..5).prop_map(|v| v.concat())
}

fn yaml_strategy() -> impl Strategy<Value = Y> {
    let leaf = prop_oneof![
        "-?(0|[1-9][0-9]{0,6})(\\.[0-9]{1,3})?(万元|件|%|人次)?".prop_map(Y::Scalar),
        Just(Y::Null),
        text_strategy().prop_map(Y::Scalar),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..6).prop_map(Y::Seq),
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
                1..6
            )
            .prop_map(Y::Map),
        ]
    })
}

/// Whether `s` may be written as a plain scalar and read back as itself.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let blank = |c: char| c == ' ' || c == '\t';
    let indicator = ",[]{}#&*!|>'\"%@`".contains(first)
        || (matches!(first, '-' | '?' | ':') && s.chars().nth(1).is_none_or(blank));
    !indicator
        && !blank(first)
        && !s.ends_with(blank)
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(":\t")
        && !s.contains(" #")
        && !s.contains("\t#")
        && !matches!(s, "~" | "null" | "Null" | "NULL")
}

/// Whether `s` may be written plain in a list on one line, `[a, b]`.
fn flow_ok(s: &str) -> bool {
    plain_ok(s) && !s.contains(|c| ",[]{}#:'\"".contains(c))
}

/// A scalar as written: plain where it can be, else quoted one way or the other.
fn scalar(s: &str, choice: u8, out: &mut String) {
    if plain_ok(s) && !choice.is_multiple_of(4) {
        out.push_str(s);
    } else {
        quoted(s, choice, out);
    }
}

/// A scalar in a list on one line: plain where it can be, else quoted.
fn flow_scalar(s: &str, choice: u8, out: &mut String) {
    if flow_ok(s) && !choice.is_multiple_of(4) {
        out.push_str(s);
    } else {
        quoted(s, choice, out);
    }
}

/// A scalar quoted one way or the other.
fn quoted(s: &str, choice: u8, out: &mut String) {
    if choice.is_multiple_of(2) && !s.contains('\\') {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                c if choice.is_multiple_of(3) && c > '\u{7f}' && (c as u32) < 0x10000 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

/// How lines end: as on Unix, as on Windows, or either, line by line.
#[derive(Clone, Copy)]
enum Ends {
    Lf,
    CrLf,
    Mixed,
}

/// Layout choices: how far each level is indented, how lines end, whether tabs stand
/// where YAML takes them as separators, and what goes between lines.
struct Layout<'c> {
    choices: &'c mut dyn Iterator<Item = u8>,
    step: usize,
    ends: Ends,
    tabs: bool,
}

impl Layout<'_> {
    fn next(&mut self) -> u8 {
        self.choices.next().unwrap_or(0)
    }

    /// A line break.
    fn eol(&mut self, out: &mut String) {
        let crlf = match self.ends {
            Ends::Lf => false,
            Ends::CrLf => true,
            Ends::Mixed => self.next().is_multiple_of(2),
        };
        out.push_str(if crlf { "\r\n" } else { "\n" });
    }

    /// `spaces` spaces as a separator after the indentation, or, when tabs are on, as
    /// often as not a mix of spaces and tabs as wide.
    fn blank(&mut self, spaces: usize, out: &mut String) {
        for _ in 0..spaces {
            out.push(if self.tabs && self.next().is_multiple_of(2) {
                '\t'
            } else {
                ' '
            });
        }
    }

    /// The end of a line: sometimes trailing spaces, a comment, blank or comment lines.
    fn newline(&mut self, indent: usize, out: &mut String) {
        match self.next() % 10 {
            0 => self.blank(2, out),
            1 => {
                self.blank(2, out);
                out.push_str("# 注：说明");
            }
            2 => {
                self.blank(1, out);
                out.push('#');
            }
            _ => {}
        }
        self.eol(out);
        match self.next() % 10 {
            0 => self.eol(out),
            1 => {
                out.push_str(&" ".repeat(self.next() as usize % (indent + 3)));
                let tab = self.next() as usize % 2;
                self.blank(tab, out);
                out.push_str("# 注释行");
                self.eol(out);
            }
            2 => {
                self.blank(3, out);
                self.eol(out);
            }
            _ => {}
        }
    }

    /// The value after a key (or a list's `- `) at `indent`, the key already written.
    fn value(&mut self, y: &Y, indent: usize, out: &mut String, in_map: bool) {
        match y {
            Y::Null => {
                if self.next().is_multiple_of(2) {
                    self.blank(1, out);
                }
                self.newline(indent, out);
            }
            Y::Scalar(s) => {
                let gap = 1 + self.next() as usize % 2;
                self.blank(gap, out);
                let c = self.next();
                scalar(s, c, out);
                self.newline(indent, out);
            }
            Y::Seq(items)
                if items.iter().all(|y| matches!(y, Y::Scalar(_)))
                    && self.next().is_multiple_of(3) =>
            {
                self.blank(1, out);
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        if self.next().is_multiple_of(2) {
                            out.push(',');
                            self.blank(1, out);
                        } else {
                            self.blank(1, out);
                            out.push(',');
                            self.blank(2, out);
                        }
                    }
                    if let Y::Scalar(s) = item {
                        let c = self.next();
                        flow_scalar(s, c, out);
                    }
                }
                out.push(']');
                self.newline(indent, out);
            }
            Y::Seq(items) => {
                self.newline(indent, out);
                // A list under a key may be level with it.
                let inner = if in_map && self.next().is_multiple_of(2) {
                    indent
                } else {
                    indent + self.step
                };
                self.seq(items, inner, false, out);
            }
            Y::Map(entries) => {
                self.newline(indent, out);
                self.map(entries, indent + self.step, false, out);
            }
        }
    }

    /// A mapping at `indent`; `inline`: its first key follows a list's `- `.
    fn map(&mut self, entries: &[(String, Y)], indent: usize, inline: bool, out: &mut String) {
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 || !inline {
                out.push_str(&" ".repeat(indent));
            }
            let c = self.next();
            scalar(key, c, out);
            if self.next().is_multiple_of(6) {
                self.blank(1, out);
            }
            out.push(':');
            self.value(value, indent, out, true);
        }
    }

    /// A list at `indent`; `inline`: its first `-` follows a list's `- `.
    fn seq(&mut self, items: &[Y], indent: usize, inline: bool, out: &mut String) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 || !inline {
                out.push_str(&" ".repeat(indent));
            }
            out.push('-');
            let gap = 1 + self.next() as usize % 2;
            match item {
                Y::Map(entries) => {
                    out.push_str(&" ".repeat(gap));
                    self.map(entries, indent + 1 + gap, true, out);
                }
                // `- - x`, or (below) a mapping holding the list.
                Y::Seq(items) if !self.next().is_multiple_of(3) => {
                    out.push_str(&" ".repeat(gap));
                    self.seq(items, indent + 1 + gap, true, out);
                }
                // Nothing right after `- ` is outside the subset: a mapping holding it
                // stands in.
                Y::Seq(_) | Y::Null => {
                    out.push_str(&" ".repeat(gap));
                    self.map(
                        &[("值".to_string(), item.clone())],
                        indent + 1 + gap,
                        true,
                        out,
                    );
                }
                Y::Scalar(s) => {
                    out.push_str(&" ".repeat(gap));
                    let c = self.next();
                    scalar(s, c, out);
                    self.newline(indent, out);
                }
            }
        }
    }
}

/// `y` as a block YAML document, its layout taken from `choices`.
fn write_yaml(y: &Y, choices: &[u8]) -> String {
    let mut cycle = choices.iter().copied().cycle();
    let step = 1 + (choices.first().copied().unwrap_or(1) as usize % 4);
    let ends = match choices.get(2).copied().unwrap_or(0) % 4 {
        0 => Ends::CrLf,
        1 => Ends::Mixed,
        _ => Ends::Lf,
    };
    let tabs = choices.get(3).is_some_and(|c| c % 3 == 0);
    let mut layout = Layout {
        choices: &mut cycle,
        step,
        ends,
        tabs,
    };
    let mut out = String::new();
    if choices.get(1).is_some_and(|c| c % 3 == 0) {
        out.push_str("# 报告");
        layout.eol(&mut out);
        layout.eol(&mut out);
    }
    match y {
        Y::Seq(items) => layout.seq(items, 0, false, &mut out),
        Y::Map(entries) => layout.map(entries, 0, false, &mut out),
        other => layout.map(&[("值".to_string(), other.clone())], 0, false, &mut out),
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn generated_block_yaml_reads_the_same(
        y in yaml_strategy(),
        choices in prop::collection::vec(any::<u8>(), 64),
    ) {
        let text = write_yaml(&y, &choices);
        let limits = Limits::default();
        let fast = block_yaml::load(&text, &limits);
        prop_assert!(fast.is_some(), "not read as block YAML: {:?}", text);
        prop_assert_eq!(dump(&fast.unwrap()), dump(&yaml_load(&text, &limits)), "{}", text);
    }

    /// Block YAML with one piece changed: whatever the scanner reads, it reads as the
    /// YAML reader does, and `read::load` always gives the YAML reader's answer.
    #[test]
    fn changed_block_yaml_is_read_the_same_or_left_to_yaml(
        y in yaml_strategy(),
        choices in prop::collection::vec(any::<u8>(), 64),
        at in any::<prop::sample::Index>(),
        insert in prop_oneof![
            Just(":"), Just(": "), Just("\""), Just("'"), Just("\\"), Just("{"), Just("["),
            Just(" "), Just("  "), Just("\n"), Just("\n  "), Just("\t"), Just("\r"), Just("#"),
            Just(" #"), Just("-"), Just("- "), Just("a"), Just("1"), Just("&a "), Just("*a"),
            Just("? "), Just("|"), Just(">"), Just("！"), Just("　"), Just("---"),
            Just("\u{85}"), Just("\u{2028}"), Just("\u{feff}"), Just("\u{7f}"), Just("~"),
            Just("\\x41"), Just("\\u00e9"), Just("\\n"), Just("''"), Just("\r\n"),
            Just("\r\n  "), Just(":\t"), Just("\t#"), Just(" \t"), Just("-\t"),
        ],
        replace in any::<bool>(),
    ) {
        let mut text = write_yaml(&y, &choices);
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let i = boundaries[at.index(boundaries.len())];
        let end = if replace {
            boundaries.iter().copied().find(|&b| b > i).unwrap_or(i)
        } else {
            i
        };
        text.replace_range(i..end, insert);
        same_or_left(&text, &Limits::default());
    }
}
