//! Writes a batch of synthetic budget-performance reports for benchmarks and batch tests.
//!
//! ```sh
//! cargo run --release --example gen-batch -- N DIR [--seed S] [--share PERCENT] [--json PERCENT]
//! ```
//!
//! Each report follows `docs/conventions.md`: a project's money broken down (`合计` +
//! `构成`), budget lines (`预算`/`执行`/`执行率`/`说明`), a casework table whose total row
//! and detail rows share columns (`其中`), standalone channels (`交办`/`办结`/`办结率`,
//! `化解`/`化解率`/`息访`), a `合计` + `其中` breakdown in 人次, lists (`列举`/`数量`) and a
//! 绩效自评表 form with indicators. Everything adds up, as written, except in the planted
//! share of reports (default 10%): each of those has exactly one inconsistency, chosen in
//! turn from [`PLANTED`]. Another share (default 10%) has a budget overrun explained in
//! `说明`, which hecha reports as explained.
//!
//! Files go to `DIR/NNN/rNNNNNN.yaml` (1000 per folder; `--json` makes a share JSON). The
//! planted inconsistencies are listed in `DIR/planted.tsv` (file, rule, figure path), which
//! hecha does not read, and counted on stdout. Output is the same for the same N and seed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The inconsistencies the generator plants, each with the rule that must find it.
pub const PLANTED: &[&str] = &[
    "casework/closed-exceeds-assigned",
    "casework/closure-rate-mismatch",
    "budget/execution-rate-mismatch",
    "budget/executed-exceeds-budget",
    "breakdown/parts-differ-from-total",
    "breakdown/partial-exceeds-total",
    "breakdown/column-partial-exceeds-total",
    "hygiene/listed-exceeds-count",
    "hygiene/placeholder-figure",
    "casework/resolution-rate-mismatch",
];

/// What to generate besides N and the folder.
pub struct Options {
    pub seed: u64,
    /// Percent of reports with one planted inconsistency (and, separately, with an
    /// explained overrun).
    pub share: u64,
    /// Percent of reports written as JSON.
    pub json: u64,
}

/// What was written.
pub struct Written {
    pub bytes: u64,
    /// Each planted inconsistency: the file (relative to the folder), rule, figure path.
    pub planted: Vec<(String, &'static str, String)>,
    /// Reports with an overrun explained in 说明.
    pub explained: usize,
}

/// Writes `n` reports under `dir`, and `planted.tsv` listing what was planted.
pub fn generate(n: usize, dir: &Path, options: &Options) -> Written {
    let mut written = Written {
        bytes: 0,
        planted: Vec::new(),
        explained: 0,
    };
    let mut manifest = String::from("# file\trule\tfigure\n");
    for i in 0..n {
        let mut rng = Rng::new(options.seed, i as u64);
        // Which reports get a planted inconsistency: spread evenly, `share` in 100, each
        // kind in turn.
        let (i64, share) = (i as u64, options.share);
        let plant = (i64 * share / 100 != (i64 + 1) * share / 100)
            .then(|| written.planted.len() % PLANTED.len());
        let explain = plant.is_none() && rng.below(100) < share;
        written.explained += usize::from(explain);
        let as_json = rng.below(100) < options.json;
        let (tree, planted) = report(&mut rng, i, plant, explain);
        let rel = format!(
            "{:03}/r{i:06}.{}",
            i / 1000,
            if as_json { "json" } else { "yaml" }
        );
        let text = if as_json {
            let mut out = String::new();
            emit_json(&tree.root, 0, &mut out);
            out.push('\n');
            out
        } else {
            let mut out = format!("# 合成报告 {i}：{}\n", tree.title);
            emit_yaml(&tree.root, 0, &mut out);
            out
        };
        write(&dir.join(&rel), &text);
        written.bytes += text.len() as u64;
        if let Some((rule, figure)) = planted {
            let _ = writeln!(manifest, "{rel}\t{rule}\t{figure}");
            written.planted.push((rel, rule, figure));
        }
    }
    write(&dir.join("planted.tsv"), &manifest);
    written
}

#[allow(dead_code)] // when this file is included by the generator's test
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen-batch N DIR [--seed S] [--share PERCENT] [--json PERCENT]";
    let mut positional = Vec::new();
    let mut options = Options {
        seed: 1,
        share: 10,
        json: 0,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> u64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| fail(&format!("{name} needs a number\n{usage}")))
        };
        match arg.as_str() {
            "--seed" => options.seed = value("--seed"),
            "--share" => options.share = value("--share").min(100),
            "--json" => options.json = value("--json").min(100),
            _ => positional.push(arg.clone()),
        }
    }
    let [n, dir] = positional.as_slice() else {
        fail(usage)
    };
    let n: usize = n.parse().unwrap_or_else(|_| fail(usage));
    let dir = PathBuf::from(dir);
    let written = generate(n, &dir, &options);
    println!(
        "wrote {n} reports ({:.1} MB) to {}",
        written.bytes as f64 / 1e6,
        dir.display()
    );
    println!(
        "planted {} inconsistencies (one per report, listed in planted.tsv):",
        written.planted.len()
    );
    for rule in PLANTED {
        let count = written.planted.iter().filter(|(_, r, _)| r == rule).count();
        println!("  {count:6}  {rule}");
    }
    println!(
        "explained overruns (reported as explained warnings): {}",
        written.explained
    );
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| fail(&format!("{e}")));
    }
    std::fs::write(path, text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

/// splitmix64, seeded per report so each report is the same whatever N is.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// `k` distinct items, in their order.
    fn some<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut chosen: Vec<usize> = (0..items.len()).collect();
        for i in (1..chosen.len()).rev() {
            chosen.swap(i, self.below(i as u64 + 1) as usize);
        }
        let mut chosen = chosen[..k.min(items.len())].to_vec();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i]).collect()
    }
}

enum Node {
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    Text(String),
}

struct Tree {
    title: String,
    root: Node,
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

/// Money in hundredths of 万元, written as the report would: `25万元`, `113.44万元`.
fn wan(cents: u64) -> String {
    if cents.is_multiple_of(100) {
        format!("{}万元", cents / 100)
    } else {
        format!("{}.{:02}万元", cents / 100, cents % 100)
    }
}

/// `num / den` as a percentage rounded half up to `decimals` places: `90%`, `92.1%`.
fn rate(num: u64, den: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (num * 100 * scale * 2 + den) / (den * 2);
    percent(scaled, decimals)
}

fn percent(scaled: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    if decimals == 0 {
        format!("{scaled}%")
    } else {
        format!(
            "{}.{:0width$}%",
            scaled / scale,
            scaled % scale,
            width = decimals as usize
        )
    }
}

/// A rate clearly off from `num / den`: by 2 to 9 percentage points.
fn wrong_rate(num: u64, den: u64, rng: &mut Rng) -> String {
    let right = (num * 1000 * 2 + den) / (den * 2);
    let off = rng.range(20, 90);
    let wrong = if right > off {
        right - off
    } else {
        right + off
    };
    percent(wrong, 1)
}

const COUNTIES: &[&str] = &[
    "东安县",
    "衡山县",
    "如皋市",
    "望城区",
    "大祥区",
    "宁乡市",
    "浏阳市",
    "湘潭县",
    "邵东市",
    "祁阳市",
    "桃源县",
    "慈利县",
    "石门县",
    "汉寿县",
    "安化县",
    "新化县",
];
const UNITS: &[&str] = &["信访局", "财政局", "民政局", "司法局", "人社局", "卫健局"];
const PROJECTS: &[&str] = &[
    "信访救助专项资金",
    "信访积案化解专项经费",
    "依法信访业务经费",
    "矛盾纠纷排查化解经费",
    "网上信访系统运维经费",
    "人民建议征集经费",
];
const LINES: &[&str] = &[
    "信访救助",
    "维稳工作经费",
    "业务培训费",
    "宣传经费",
    "系统运维费",
    "办公设备购置",
    "专项督查经费",
    "法律援助补助",
];
const ROWS: &[&str] = &[
    "县信访接待中心",
    "县级领导带班接访",
    "县委书记县长大接访",
    "网上信访",
    "群众来信",
    "领导信箱",
];
const CHANNELS: &[&str] = &[
    "中央巡视组交办",
    "省委巡视组交办",
    "市委巡察组交办",
    "国家信访局交办",
    "省信访局转办",
    "市级领导批办",
];
const MEASURES: &[&str] = &["依法训诫", "行政拘留", "刑事拘留", "教育劝返", "司法确认"];
const MECHANISMS: &[&str] = &[
    "一月一集中接访",
    "一天一县领导接访",
    "一月一矛盾排查汇总",
    "一月一集中交办化解",
    "一月一例会通报培训",
    "一月一联席会议汇总分析",
    "一季一研究分析",
    "一周一调度",
];
const INDICATORS: &[(&str, &str)] = &[
    ("信访事项按期办结率", "%"),
    ("群众满意率", "%"),
    ("救助对象覆盖人数", "人"),
    ("培训人次", "人次"),
    ("化解积案件数", "件"),
    ("宣传活动场次", "场"),
];
const REASONS: &[&str] = &[
    "年中追加信访维稳工作经费，已经县政府常务会议批准",
    "上年结转资金并入本年度执行",
    "救助对象增加，经县财政局批复追加预算",
];

/// One report, and the planted inconsistency's rule and figure path, if any.
fn report(
    rng: &mut Rng,
    index: usize,
    plant: Option<usize>,
    explain: bool,
) -> (Tree, Option<(&'static str, String)>) {
    let planted = plant.map(|k| PLANTED[k]);
    let is = |rule: &str| planted == Some(rule);
    let mut figure = String::new();
    let county = rng.pick(COUNTIES);
    let unit = rng.pick(UNITS);
    let project = rng.pick(PROJECTS);
    let year = 2017 + rng.below(8);
    let title = format!("{county}{unit}{year}年度{project}绩效自评报告");

    // 一、项目资金: a total and all its parts, one part broken down again.
    let k = rng.range(3, 5) as usize;
    let lines = rng.some(LINES, k);
    let amounts: Vec<u64> = lines.iter().map(|_| rng.range(50, 9_000)).collect();
    let nested_parts: Vec<u64> = vec![rng.range(100, 4_000), rng.range(100, 4_000)];
    let nested_total: u64 = nested_parts.iter().sum();
    let total: u64 = amounts.iter().sum::<u64>() + nested_total;
    let stated_total = if is("breakdown/parts-differ-from-total") {
        figure = "一、项目资金.合计".into();
        total + rng.range(100, 500)
    } else {
        total
    };
    let mut parts: Vec<(&str, Node)> = lines
        .iter()
        .zip(&amounts)
        .map(|(l, &a)| (*l, text(wan(a))))
        .collect();
    parts.push((
        "专项工作经费",
        map(vec![
            ("合计", text(wan(nested_total))),
            (
                "构成",
                map(vec![
                    ("县级安排", text(wan(nested_parts[0]))),
                    ("上级补助", text(wan(nested_parts[1]))),
                ]),
            ),
        ]),
    ));
    let money = map(vec![
        ("合计", text(wan(stated_total))),
        ("构成", map(parts)),
    ]);

    // 二、预算执行: one line per part, rates to two places.
    let mut budget_lines = Vec::new();
    let planted_line = rng.below(lines.len() as u64) as usize;
    let explained_line = rng.below(lines.len() as u64) as usize;
    for (i, (&line, &budget)) in lines.iter().zip(&amounts).enumerate() {
        let mut spent = budget * rng.range(70, 100) / 100;
        let mut entries = vec![("预算", text(wan(budget)))];
        let here = |rule: &str| is(rule) && i == planted_line;
        if here("budget/executed-exceeds-budget") {
            spent = budget + rng.range(60, 500);
            figure = format!("二、预算执行.{line}.执行");
            entries.push(("执行", text(wan(spent))));
        } else if explain && i == explained_line {
            spent = budget + rng.range(60, 500);
            entries.push(("执行", text(wan(spent))));
            entries.push(("执行率", text(rate(spent, budget, 2))));
            entries.push(("说明", text(rng.pick(REASONS))));
        } else {
            entries.push(("执行", text(wan(spent))));
            let stated = if here("budget/execution-rate-mismatch") {
                figure = format!("二、预算执行.{line}.执行率");
                wrong_rate(spent, budget, rng)
            } else {
                rate(spent, budget, 2)
            };
            entries.push(("执行率", text(stated)));
        }
        budget_lines.push((line, map(entries)));
    }

    // 三、信访事项办理: a table whose total row and rows share columns, under 其中.
    let k = rng.range(2, 4) as usize;
    let rows = rng.some(ROWS, k);
    let mut sums = [0u64; 4];
    let mut row_nodes = Vec::new();
    for row in &rows {
        let batches = rng.range(50, 900);
        let people = batches + rng.range(0, 2 * batches);
        let assigned = rng.range(20, 200);
        let closed = assigned - rng.below(assigned / 5 + 1);
        for (sum, v) in sums.iter_mut().zip([batches, people, assigned, closed]) {
            *sum += v;
        }
        row_nodes.push((
            *row,
            map(vec![
                ("接待批次", text(format!("{batches}批"))),
                ("接待人次", text(format!("{people}人次"))),
                ("交办", text(format!("{assigned}件"))),
                ("办结", text(format!("{closed}件"))),
                ("办结率", text(rate(closed, assigned, 1))),
            ]),
        ));
    }
    // Cases outside the rows: the total row may exceed the rows under 其中.
    let extra = rng.range(0, 30);
    let people_total = if is("breakdown/column-partial-exceeds-total") {
        figure = "三、信访事项办理.县本级.接待人次".into();
        sums[1] - rng.range(5, 50)
    } else {
        sums[1] + extra
    };
    let county_row = map(vec![
        ("接待批次", text(format!("{}批", sums[0] + extra))),
        ("接待人次", text(format!("{people_total}人次"))),
        ("交办", text(format!("{}件", sums[2] + extra))),
        ("办结", text(format!("{}件", sums[3] + extra))),
        ("其中", map(row_nodes)),
    ]);

    // Standalone channels: assigned, closed, rates, resolved, settled.
    let mut casework = vec![("县本级", county_row)];
    let k = rng.range(2, 4) as usize;
    let channels = rng.some(CHANNELS, k);
    let planted_channel = rng.below(channels.len() as u64) as usize;
    for (i, channel) in channels.iter().enumerate() {
        let here = |rule: &str| is(rule) && i == planted_channel;
        let assigned = rng.range(5, 120);
        let mut closed = assigned - rng.below(assigned / 4 + 1);
        let mut entries = vec![("交办", text(format!("{assigned}件")))];
        if here("casework/closed-exceeds-assigned") {
            closed = assigned + rng.range(1, 9);
            figure = format!("三、信访事项办理.{channel}.办结");
            entries.push(("办结", text(format!("{closed}件"))));
        } else {
            entries.push(("办结", text(format!("{closed}件"))));
            let stated = if here("casework/closure-rate-mismatch") {
                figure = format!("三、信访事项办理.{channel}.办结率");
                wrong_rate(closed, assigned, rng)
            } else {
                rate(closed, assigned, 1)
            };
            entries.push(("办结率", text(stated)));
        }
        let resolved = closed.min(assigned) - rng.below(closed.min(assigned) / 3 + 1);
        entries.push(("化解", text(format!("{resolved}件"))));
        let stated = if here("casework/resolution-rate-mismatch") {
            figure = format!("三、信访事项办理.{channel}.化解率");
            wrong_rate(resolved, assigned, rng)
        } else {
            rate(resolved, assigned, 1)
        };
        entries.push(("化解率", text(stated)));
        entries.push(("息访", text(format!("{}件", rng.range(0, resolved)))));
        casework.push((channel, map(entries)));
    }

    // 四、依法处置: a total and some of its parts.
    let k = rng.range(2, 4) as usize;
    let measures = rng.some(MEASURES, k);
    let counts: Vec<u64> = measures.iter().map(|_| rng.range(1, 60)).collect();
    let part_sum: u64 = counts.iter().sum();
    let handled_total = if is("breakdown/partial-exceeds-total") {
        figure = "四、依法处置.合计".into();
        part_sum - rng.range(1, part_sum.min(9))
    } else {
        part_sum + rng.range(0, 20)
    };
    let handled = map(vec![
        ("合计", text(format!("{handled_total}人次"))),
        (
            "其中",
            map(measures
                .iter()
                .zip(&counts)
                .map(|(m, c)| (*m, text(format!("{c}人次"))))
                .collect()),
        ),
    ]);

    // 五、工作机制: a list and the number the report gives it.
    let k = rng.range(3, 6) as usize;
    let listed = rng.some(MECHANISMS, k);
    let said = if is("hygiene/listed-exceeds-count") {
        figure = "五、工作机制.列举".into();
        listed.len() - 1
    } else {
        listed.len() + rng.below(2) as usize
    };
    let mechanisms = map(vec![
        ("数量", text(format!("{said}项"))),
        ("列举", text(listed.join("、"))),
    ]);

    // 六、绩效自评表: the form's budget row and indicators.
    let form_budget = rng.range(1_000, 30_000);
    let form_spent = form_budget * rng.range(80, 100) / 100;
    let k = rng.range(3, 5) as usize;
    let names: Vec<&str> = INDICATORS.iter().map(|(n, _)| *n).collect();
    let indicators = rng.some(&names, k);
    let planted_indicator = rng.below(indicators.len() as u64) as usize;
    let mut rows = Vec::new();
    for (i, name) in indicators.iter().enumerate() {
        let unit = INDICATORS
            .iter()
            .find(|(n, _)| n == name)
            .expect("listed")
            .1;
        let (target, actual) = if unit == "%" {
            let t = rng.range(80, 95);
            (format!("≥{t}%"), format!("{}%", rng.range(t, 100)))
        } else {
            let t = rng.range(10, 500);
            (
                format!("≥{t}{unit}"),
                format!("{}{unit}", t + rng.below(50)),
            )
        };
        let actual = if is("hygiene/placeholder-figure") && i == planted_indicator {
            figure = format!("六、绩效自评表.绩效指标[{i}].实际完成值");
            format!("XX{unit}")
        } else {
            actual
        };
        let weight = rng.range(5, 20);
        rows.push(map(vec![
            ("指标", text(*name)),
            ("年度指标值", text(target)),
            ("实际完成值", text(actual)),
            ("分值", text(weight.to_string())),
            ("得分", text((weight - rng.below(2)).to_string())),
        ]));
    }
    let form = map(vec![
        (
            "预算执行",
            map(vec![
                ("预算", text(wan(form_budget))),
                ("执行", text(wan(form_spent))),
                ("执行率", text(rate(form_spent, form_budget, 2))),
            ]),
        ),
        ("绩效指标", Node::List(rows)),
        (
            "偏差原因",
            text(if rng.below(2) == 0 {
                "无"
            } else {
                "部分救助对象年底申报，资金次年初拨付"
            }),
        ),
    ]);

    let root = map(vec![
        (
            "基本情况",
            map(vec![
                ("单位名称", text(format!("{county}{unit}"))),
                ("年度", text(format!("{year}年"))),
                ("编号", text(format!("JX-{year}-{index:06}"))),
                ("编制人数", text(format!("{}人", rng.range(8, 40)))),
            ]),
        ),
        ("一、项目资金", money),
        ("二、预算执行", Node::Map(own(budget_lines))),
        ("三、信访事项办理", Node::Map(own(casework))),
        ("四、依法处置", handled),
        ("五、工作机制", mechanisms),
        ("六、绩效自评表", form),
    ]);
    (Tree { title, root }, planted.map(|rule| (rule, figure)))
}

fn own(entries: Vec<(&str, Node)>) -> Vec<(String, Node)> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn emit_yaml(node: &Node, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match node {
        Node::Map(entries) => {
            for (key, value) in entries {
                match value {
                    Node::Text(t) => {
                        let _ = writeln!(out, "{pad}{}: {}", scalar(key), scalar(t));
                    }
                    _ => {
                        let _ = writeln!(out, "{pad}{}:", scalar(key));
                        emit_yaml(value, indent + 1, out);
                    }
                }
            }
        }
        Node::List(items) => {
            for item in items {
                // A mapping item: its first entry on the dash line, the rest under it.
                let mut first = String::new();
                emit_yaml(item, indent + 1, &mut first);
                let item_pad = "  ".repeat(indent + 1);
                let _ = write!(out, "{pad}- {}", &first[item_pad.len()..]);
            }
        }
        Node::Text(t) => {
            let _ = writeln!(out, "{pad}{}", scalar(t));
        }
    }
}

/// A plain scalar where YAML reads it back as the same text, else a JSON-quoted one.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`≥ ".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(' ');
    if plain { s.to_string() } else { json_string(s) }
}

fn json_string(s: &str) -> String {
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

fn emit_json(n: &Node, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match n {
        Node::Map(entries) => {
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                let _ = write!(out, "{pad}{}: ", json_string(k));
                emit_json(v, indent + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{close}}}");
        }
        Node::List(items) => {
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                out.push_str(&pad);
                emit_json(v, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{close}]");
        }
        Node::Text(t) => out.push_str(&json_string(t)),
    }
}
