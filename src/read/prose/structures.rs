//! Sentences → groups of labelled figures, totals and parts, rows, lists, 使用完毕.
//!
//! Precision first: a sentence whose structure is not certain is read as plain figures
//! under the report's own words (which no pack checks) and counted as unrecognised.

use super::lexicon::Lexicon;
use super::numbers::Found;
use crate::figure::{Bound, Dimension, Figure};
use crate::problem::Problem;
use crate::report::{NodeId, Report, Value};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug)]
pub struct Group {
    pub name: String,
    pub name_span: Range<usize>,
    pub items: Vec<Item>,
}

impl Group {
    pub fn new(name: String, name_span: Range<usize>) -> Group {
        Group {
            name,
            name_span,
            items: Vec::new(),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.items.iter().any(|i| i.key == key)
    }
}

#[derive(Debug)]
pub struct Item {
    pub key: String,
    pub key_span: Range<usize>,
    pub val: Val,
}

#[derive(Debug)]
pub enum Val {
    Fig(Found),
    Text(String, Range<usize>),
    Map(Group),
}

/// What one paragraph gave.
pub struct Paragraph {
    pub groups: Vec<Group>,
    pub unrecognised: usize,
    pub problems: Vec<Problem>,
}

/// A figure with what its words say about it.
#[derive(Debug, Clone)]
struct Fig {
    found: Found,
    /// The words before it, cleaned (`办结率`, `县信访接待中心接待`).
    label: String,
    /// The words before it as written.
    raw: String,
    label_span: Range<usize>,
    key: String,
    /// Whether `key` is one the packs check.
    checked: bool,
    /// Inside （…）.
    in_parens: bool,
    used: bool,
}

/// Keys the packs give a meaning to; the report's own words never become one by accident.
const RESERVED: &[&str] = &[
    "合计",
    "构成",
    "其中",
    "比例构成",
    "列举",
    "数量",
    "说明",
    "使用完毕",
    "复述",
    "受理",
    "交办",
    "办结",
    "办结率",
    "化解",
    "化解率",
    "息访",
    "预算",
    "执行",
    "执行率",
];

const DELIMITERS: &[char] = &[
    '，', ',', '；', ';', '：', ':', '、', '（', '(', '）', ')', '“', '”', '"', '！', '？', '?',
    '。', '\t', '【', '】', '|', '│',
];

/// Words that make a figure a change, a target or a comparison rather than a level.
const NOT_A_LEVEL: &[&str] = &[
    "同比",
    "环比",
    "增长",
    "下降",
    "减少",
    "增加",
    "上升",
    "提高",
    "降低",
    "较去年",
    "较上年",
    "目标",
    "计划",
    "要求",
    "力争",
    "确保",
    "预计",
    "压减",
    "不少于",
    "不低于",
    "不超过",
];

const USED_UP: &[&str] = &[
    "使用完毕",
    "全部使用到位",
    "已全部使用",
    "全部用完",
    "全部支出",
    "已使用完毕",
];

fn is_delim(c: char) -> bool {
    DELIMITERS.contains(&c)
}

/// Cleans the words before a figure: leading connectors, trailing 为/达/的.
pub fn clean_label(raw: &str) -> String {
    let mut s = raw.trim().trim_matches(['“', '”', '"', '　', ' ']);
    let lead = [
        "其中",
        "包括",
        "另外",
        "另",
        "同时",
        "并且",
        "以及",
        "全年共",
        "全年",
        "累计",
        "共计",
        "共",
        "总计",
        "合计",
        "今年以来",
        "今年来",
        "截止目前",
        "截至目前",
        "已",
    ];
    let tail = [
        "分别为",
        "分别是",
        "共计",
        "合计",
        "达到",
        "为",
        "达",
        "是",
        "的",
        "约",
        "计",
        "共",
        "了",
        "近",
        "超",
    ];
    loop {
        let before = s;
        for w in lead {
            if let Some(r) = s.strip_prefix(w) {
                s = r.trim_start();
            }
        }
        for w in tail {
            if w == "为" && s.ends_with("行为") {
                continue;
            }
            if let Some(r) = s.strip_suffix(w) {
                s = r.trim_end();
            }
        }
        if s == before {
            break;
        }
    }
    s.to_string()
}

/// The noun right after a figure (`61名进京访重点人员` → 进京访重点人员), at most 8 characters.
fn noun_after(text: &str) -> String {
    let stops = [
        "的", "实现", "进行", "开展", "参加", "下沉", "被", "已", "全部", "得到",
    ];
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if is_delim(c)
            || c.is_ascii_digit()
            || c.is_whitespace()
            || stops.iter().any(|s| rest.starts_with(s))
        {
            break;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
        if out.chars().count() >= 8 {
            break;
        }
    }
    out
}

fn family(f: &Found) -> Option<&'static str> {
    let figure = f.figure.as_ref()?;
    Some(match figure.dimension() {
        Some(Dimension::Money) => "money",
        None if figure.magnitude > rust_decimal::Decimal::ONE => "money",
        None => "bare",
        Some(Dimension::Ratio) => "ratio",
        Some(Dimension::Count(k)) => k,
    })
}

fn same_kind(a: &Found, b: &Found) -> bool {
    let (Some(x), Some(y)) = (family(a), family(b)) else {
        return false;
    };
    x == y
        || (x == "人" && y == "人")
        || (matches!(x, "money" | "bare") && matches!(y, "money" | "bare"))
}

/// Reads one paragraph (`line`, starting at byte `base` of `text`).
pub fn paragraph(
    text: &str,
    base: usize,
    line: &str,
    found: Vec<Found>,
    lexicon: &Lexicon,
) -> Paragraph {
    let mut out = Paragraph {
        groups: Vec::new(),
        unrecognised: 0,
        problems: Vec::new(),
    };
    let _ = text;
    // sentences
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if matches!(c, '。' | '！' | '？' | '!') {
            sentences.push(start..i + c.len_utf8());
            start = i + c.len_utf8();
        }
    }
    if start < line.len() {
        sentences.push(start..line.len());
    }
    let parens = paren_ranges(line);
    let mut figs: Vec<Fig> = Vec::new();
    let mut prev_end = 0;
    let mut prev_fig_end: Option<usize> = None;
    let mut s_i = 0;
    for f in found {
        while s_i < sentences.len() && sentences[s_i].end <= f.span.start {
            s_i += 1;
            prev_end = 0;
            prev_fig_end = None;
        }
        let s_start = sentences.get(s_i).map_or(0, |s| s.start);
        let before = &line[s_start.max(prev_end)..f.span.start];
        let cut = before.rfind(is_delim).map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
        let mut raw = &before[cut..];
        let mut raw_start = s_start.max(prev_end) + cut;
        // 「重复信访占比：14.68%」: the words before the colon are the label
        let head = before[..cut].trim_end();
        if clean_label(raw).is_empty()
            && let Some(c) = head.chars().next_back().filter(|c| matches!(c, '：' | ':'))
        {
            let words = &head[..head.len() - c.len_utf8()];
            let from = words.rfind(is_delim).map_or(0, |i| {
                i + words[i..].chars().next().map_or(1, char::len_utf8)
            });
            raw = &words[from..];
            raw_start = s_start.max(prev_end) + from;
        }
        let label = clean_label(raw);
        let lead = raw.len() - raw.trim_start().len();
        let label_span = if label.is_empty() {
            f.span.clone()
        } else {
            let at = line[raw_start..f.span.start]
                .find(&label)
                .map_or(raw_start + lead, |i| raw_start + i);
            at..at + label.len()
        };
        let adjacent = prev_fig_end.is_some_and(|e: usize| line[e..f.span.start].trim().is_empty());
        prev_end = f.span.end;
        prev_fig_end = Some(f.span.end);
        let in_parens = parens.iter().any(|r| r.contains(&f.span.start));
        let chinese = f
            .text
            .trim_start_matches(|c: char| {
                !c.is_ascii_digit() && !"零〇一二两三四五六七八九十".contains(c)
            })
            .starts_with(|c: char| "零〇一二两三四五六七八九十".contains(c));
        let meaning = match &f.figure {
            Some(figure)
                if !chinese
                    && !NOT_A_LEVEL.iter().any(|w| raw.contains(w))
                    && figure.bound != Bound::AtMost =>
            {
                lexicon.meaning(&label, figure)
            }
            _ => None,
        };
        let (key, checked) = match meaning {
            None if label.is_empty() && adjacent => {
                let prev: &Fig = figs.last().expect("a figure before");
                let unit = f
                    .figure
                    .as_ref()
                    .and_then(|x| x.unit)
                    .map_or("数", |u| u.name);
                let base_label = if prev.label.is_empty() {
                    prev.key.clone()
                } else {
                    prev.label.clone()
                };
                (format!("{base_label}（{unit}）"), false)
            }
            Some(m) => (m.key, m.checked),
            None => {
                let own = if label.is_empty() {
                    noun_after(&line[f.span.end..])
                } else {
                    label.clone()
                };
                let own = if own.is_empty() {
                    "数字".to_string()
                } else {
                    own
                };
                let own = if RESERVED.contains(&own.as_str()) {
                    format!("{own}（原文）")
                } else {
                    own
                };
                (own, false)
            }
        };
        figs.push(Fig {
            found: Found {
                span: base + f.span.start..base + f.span.end,
                ..f
            },
            label,
            raw: raw.to_string(),
            label_span: base + label_span.start..base + label_span.end,
            key,
            checked,
            in_parens,
            used: false,
        });
    }
    // positions of figures are absolute from here; `line` offsets are made absolute by base
    let abs = |r: &Range<usize>| base + r.start..base + r.end;
    let mut last_of_prev: Option<usize> = None; // index of the previous sentence's last figure
    for s in &sentences {
        let s_abs = abs(s);
        let idx: Vec<usize> = (0..figs.len())
            .filter(|&i| s_abs.contains(&figs[i].found.span.start))
            .collect();
        let sentence = &line[s.clone()];
        if idx.is_empty() {
            last_of_prev = None;
            continue;
        }
        // 「…四率分别为：A为X；B为Y」: a list of labelled figures, read as such
        let enumerated = enumeration(line, base, s, &idx, &mut figs);
        if matches!(enumerated, Enumeration::Refused) {
            out.unrecognised += 1;
        }
        // 分别为 with bare figures after it: which figure belongs to which name is a guess
        if let Some(p) = sentence
            .find("分别")
            .filter(|_| matches!(enumerated, Enumeration::None))
        {
            let after: Vec<usize> = idx
                .iter()
                .copied()
                .filter(|&i| figs[i].found.span.start >= s_abs.start + p)
                .collect();
            if after.iter().any(|&i| {
                let raw = figs[i].raw.trim();
                figs[i].label.is_empty()
                    || raw.contains("分别")
                    || raw.chars().all(|c| "和及与、，,".contains(c))
            }) {
                out.unrecognised += 1;
                for &i in &idx {
                    unchecked(&mut figs[i]);
                }
            }
        }
        lists(line, base, s, &idx, &mut figs, &mut out);
        let partial = partial(line, base, s, &idx, last_of_prev, &mut figs, &mut out);
        // plain groups of what is left; a key met again starts a new group
        let mut groups: Vec<Group> = Vec::new();
        let mut seg_end = 0;
        for &i in &idx {
            if figs[i].used {
                continue;
            }
            let at = figs[i].found.span.start - base;
            let new_segment = line[seg_end.max(s.start)..at].contains(['；', ';']);
            let starts_new = groups
                .last()
                .is_none_or(|g| new_segment || (figs[i].checked && g.has(&figs[i].key)));
            if starts_new {
                let name = group_name(&figs[i]);
                groups.push(Group::new(name, figs[i].label_span.clone()));
            }
            seg_end = at;
            figs[i].used = true;
            let f = &figs[i];
            groups.last_mut().expect("a group").items.push(Item {
                key: f.key.clone(),
                key_span: f.label_span.clone(),
                val: Val::Fig(f.found.clone()),
            });
        }
        if let Enumeration::Read(list) = enumerated {
            let at = groups
                .iter()
                .position(|g| g.name_span.start > list.name_span.start)
                .unwrap_or(groups.len());
            groups.insert(at, list);
        }
        // the parts of a total go where the total was
        if let Some((total, node)) = partial {
            let span = figs[total].found.span.clone();
            attach(&mut groups, &mut out.groups, &span, node);
        }
        used_up(line, base, s, &mut groups, &mut out.groups);
        explained(line, base, s, &mut groups);
        out.groups.extend(groups);
        last_of_prev = idx.last().copied().filter(|&i| {
            let end = figs[i].found.span.end - base;
            line[end..s.end]
                .trim_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '；' | '：' | ':'))
                .is_empty()
        });
    }
    out
}

fn unchecked(f: &mut Fig) {
    if f.checked {
        f.checked = false;
        f.key = if f.label.is_empty() {
            "数字".to_string()
        } else {
            f.label.clone()
        };
        if RESERVED.contains(&f.key.as_str()) {
            f.key = format!("{}（原文）", f.key);
        }
    }
}

fn group_name(f: &Fig) -> String {
    let name = if f.label.is_empty() {
        f.key.clone()
    } else {
        f.label.clone()
    };
    let name: String = name.chars().take(20).collect();
    if RESERVED.contains(&name.as_str()) {
        format!("{name}（句）")
    } else {
        name
    }
}

fn paren_ranges(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in line.char_indices() {
        match c {
            '（' | '(' if open.is_none() => open = Some(i),
            '）' | ')' => {
                if let Some(o) = open.take() {
                    out.push(o..i + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    out
}

/// 「A、B、C等8件」: the names listed and the count stated.
fn lists(
    line: &str,
    base: usize,
    s: &Range<usize>,
    idx: &[usize],
    figs: &mut [Fig],
    out: &mut Paragraph,
) {
    for &i in idx {
        let at = figs[i].found.span.start - base;
        if figs[i].used
            || figs[i].found.is_placeholder()
            || figs[i].found.is_ratio()
            || !line[..at].ends_with('等')
        {
            continue;
        }
        let end = at - '等'.len_utf8();
        let from = line[s.start..end]
            .rfind(['，', ',', '；', ';', '：', ':', '（', '“', '。'])
            .map_or(s.start, |p| {
                s.start + p + line[s.start + p..].chars().next().map_or(1, char::len_utf8)
            });
        let listed = &line[from..end];
        if !listed.contains('、') || listed.chars().count() > 400 {
            continue;
        }
        // 「化解了邱重南、…」: the verb before the first name is not a name
        let names = match listed.find('了') {
            Some(p) if p < listed.find('、').unwrap_or(0) => &listed[p + '了'.len_utf8()..],
            _ => listed,
        };
        let names_start = end - names.len();
        figs[i].used = true;
        let mut g = Group::new(
            format!("列举{}", noun_after(&line[figs[i].found.span.end - base..])),
            base + names_start..base + end,
        );
        g.items.push(Item {
            key: "列举".to_string(),
            key_span: base + names_start..base + end,
            val: Val::Text(names.to_string(), base + names_start..base + end),
        });
        g.items.push(Item {
            key: "数量".to_string(),
            key_span: figs[i].found.span.clone(),
            val: Val::Fig(figs[i].found.clone()),
        });
        out.groups.push(g);
    }
}

/// What [`enumeration`] made of a sentence.
#[derive(Debug)]
enum Enumeration {
    /// No list opened by 「分别为：」.
    None,
    /// The list, as one group: its figures under their labels, with 数量 and 列举 when the
    /// words before 分别 state how many there are (「四率」).
    Read(Group),
    /// A list whose labels and figures do not pair up one to one: left unchecked.
    Refused,
}

const QUOTES: &[char] = &['"', '“', '”', '「', '」', '\'', '‘', '’', ' ', '　'];

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二两三四五六七八九十".contains(c)
}

/// The count a name states: 「四率」, 「三项指标」, 「5个方面」, 「上述两率」 → the numeral's
/// byte range in `name`. The numeral must open the name (or follow 这/上述/以下/前述), so
/// that 统一、之一 are not counts, and be followed by a short noun.
fn stated_count(name: &str) -> Option<Range<usize>> {
    let rest = ["上述", "以下", "前述", "这"]
        .iter()
        .find_map(|w| name.strip_prefix(w))
        .unwrap_or(name);
    let from = name.len() - rest.len();
    let digits = rest.len() - rest.trim_start_matches(is_numeral).len();
    let noun = &rest[digits..];
    let nouns = noun.chars().count();
    (digits > 0 && (1..=4).contains(&nouns) && !noun.contains(is_numeral))
        .then_some(from..from + digits)
}

/// 「"四率"分别为：信访部门及时受理率为100%；按期办结率为100%；…」: after 分别为 or 分别是
/// and a colon, items separated by ；(or ， when there is no ；), each its label then its
/// one figure. Each figure is read under its label (under the pack's key when the lexicon
/// gives one that no other item of the list has), and a count stated before 分别
/// (「四率」) gives 数量 with the labels as 列举, which hygiene/listed-exceeds-count
/// compares. An item without a figure, with two, or whose figure has no label of its own
/// makes the pairing a guess: the list is refused.
fn enumeration(
    line: &str,
    base: usize,
    s: &Range<usize>,
    idx: &[usize],
    figs: &mut [Fig],
) -> Enumeration {
    let sentence = &line[s.clone()];
    let Some((p, word)) = ["分别为", "分别是"]
        .iter()
        .filter_map(|w| sentence.find(w).map(|p| (p, *w)))
        .min_by_key(|x| x.0)
    else {
        return Enumeration::None;
    };
    let after = s.start + p + word.len();
    let gap = line[after..s.end].len() - line[after..s.end].trim_start().len();
    let Some(colon) = line[after + gap..s.end]
        .chars()
        .next()
        .filter(|c| matches!(c, '：' | ':'))
    else {
        return Enumeration::None;
    };
    let list_start = after + gap + colon.len_utf8();
    let list_end = s.end - line[list_start..s.end].len()
        + line[list_start..s.end]
            .trim_end_matches(['。', '！', '？', '!', ' '])
            .len();
    let members: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| (list_start..list_end).contains(&(figs[i].found.span.start - base)))
        .collect();
    if members.is_empty() {
        return Enumeration::None;
    }
    // the name before 分别: the words after the last delimiter, quotes off
    let head = line[s.start..s.start + p].trim_end_matches(QUOTES);
    let from = head
        .rfind(|c: char| is_delim(c) || QUOTES.contains(&c))
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
    let name = &head[from..];
    let name_at = s.start + from;
    let count = stated_count(name);
    // the items
    let list = &line[list_start..list_end];
    let separators: &[char] = if list.contains(['；', ';']) {
        &['；', ';']
    } else {
        &['，', ',']
    };
    let segments = pieces(line, list_start..list_end, separators);
    let mut items: Vec<usize> = Vec::new();
    let mut refused = false;
    let mut figureless_after = false;
    for seg in &segments {
        let inside: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| seg.contains(&(figs[i].found.span.start - base)))
            .collect();
        match inside[..] {
            [] if !items.is_empty() => figureless_after = true,
            [i] if !figureless_after && !figs[i].used && !figs[i].label.is_empty() => {
                let label_at = figs[i].label_span.start - base;
                let fig_end = figs[i].found.span.end - base;
                let lead = &line[seg.start..label_at.max(seg.start)];
                let tail = &line[fig_end.min(seg.end)..seg.end];
                // the label opens the item; after the figure only a clause of the last item
                let tail_ok = tail.trim().is_empty()
                    || (tail.trim_start().starts_with(['，', ',']) && seg.end == list_end);
                if label_at < seg.start || !lead.trim_matches(QUOTES).is_empty() || !tail_ok {
                    refused = true;
                }
                items.push(i);
            }
            _ => refused = true,
        }
    }
    if refused {
        for &i in &members {
            unchecked(&mut figs[i]);
        }
        return Enumeration::Refused;
    }
    if items.len() < 2 && count.is_none() {
        return Enumeration::None;
    }
    let group_name = if name.is_empty() {
        group_name(&figs[items[0]])
    } else {
        let n: String = name.chars().take(20).collect();
        if RESERVED.contains(&n.as_str()) {
            format!("{n}（句）")
        } else {
            n
        }
    };
    let name_span = if name.is_empty() {
        figs[items[0]].label_span.clone()
    } else {
        base + name_at..base + name_at + name.len()
    };
    let mut g = Group::new(group_name, name_span);
    if let Some(c) = &count {
        let numeral = &name[c.clone()];
        let figure = Figure::parse(numeral)
            .ok()
            .flatten()
            .filter(|f| f.unit.is_none() && f.value >= rust_decimal::Decimal::TWO);
        // 「5项指标」: the count was read as a figure of its own, which it now is
        let span = base + name_at + c.start..base + name_at + c.end;
        let read = idx
            .iter()
            .copied()
            .find(|&i| figs[i].found.span.start == span.start && !figs[i].used);
        let found = match read {
            Some(i) => {
                figs[i].used = true;
                Some(figs[i].found.clone())
            }
            None => figure.map(|figure| Found {
                span: span.clone(),
                text: numeral.to_string(),
                figure: Some(figure),
            }),
        };
        if let Some(found) = found {
            // the list is where 分别为 introduces it: underlining the whole list would
            // cover the line, and the names are in the value
            let said = base + s.start + p..base + s.start + p + word.len();
            let labels: Vec<&str> = items.iter().map(|&i| figs[i].label.as_str()).collect();
            g.items.push(Item {
                key: "数量".to_string(),
                key_span: found.span.clone(),
                val: Val::Fig(found),
            });
            g.items.push(Item {
                key: "列举".to_string(),
                key_span: said.clone(),
                val: Val::Text(labels.join("、"), said),
            });
        }
    }
    for &i in &items {
        let f = &figs[i];
        let shared = items
            .iter()
            .filter(|&&j| figs[j].checked && figs[j].key == f.key)
            .count()
            > 1;
        let key = if f.checked && !shared {
            f.key.clone()
        } else if RESERVED.contains(&f.label.as_str()) {
            format!("{}（原文）", f.label)
        } else {
            f.label.clone()
        };
        g.items.push(Item {
            key,
            key_span: f.label_span.clone(),
            val: Val::Fig(f.found.clone()),
        });
    }
    for &i in &items {
        figs[i].used = true;
    }
    Enumeration::Read(g)
}

/// Where a total's parts went: the total's index, and the group of 合计 and 其中.
type Partial = (usize, Group);

/// 其中/包括 after a total: its parts, or the rows of a flattened table.
fn partial(
    line: &str,
    base: usize,
    s: &Range<usize>,
    idx: &[usize],
    last_of_prev: Option<usize>,
    figs: &mut [Fig],
    out: &mut Paragraph,
) -> Option<(usize, Partial)> {
    let sentence = &line[s.clone()];
    let (p, word) = ["其中", "包括"]
        .iter()
        .filter_map(|w| sentence.find(w).map(|p| (p, *w)))
        .min_by_key(|(p, _)| *p)?;
    let marker = s.start + p;
    let after_marker = marker + word.len();
    // the total: the figure just before the marker, or ending the previous sentence
    let before: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| figs[i].found.span.end - base <= marker)
        .collect();
    let total = match before.last() {
        Some(&i) => {
            let gap = &line[figs[i].found.span.end - base..marker];
            gap.trim_matches(|c: char| c.is_whitespace() || is_delim(c))
                .is_empty()
                .then_some(i)
        }
        None if sentence[..p]
            .trim_matches(|c: char| c.is_whitespace() || is_delim(c))
            .is_empty() =>
        {
            last_of_prev
        }
        None => None,
    };
    let parts: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| figs[i].found.span.start - base >= after_marker && !figs[i].used)
        .collect();
    if parts.is_empty() {
        return None;
    }
    let Some(total) =
        total.filter(|&t| !figs[t].found.is_placeholder() && !figs[t].found.is_ratio())
    else {
        out.unrecognised += 1;
        return None;
    };
    if figs[total]
        .found
        .figure
        .as_ref()
        .is_some_and(|f| f.bound != Bound::Stated)
    {
        out.unrecognised += 1;
        return None;
    }
    // rows: segments separated by ；, some with several figures
    let segments = pieces(line, after_marker..s.end, &['；', ';']);
    let starts: Vec<usize> = figs.iter().map(|f| f.found.span.start - base).collect();
    let in_seg = |r: &Range<usize>, i: usize| r.contains(&starts[i]);
    let multi = segments.len() >= 2
        && segments
            .iter()
            .any(|r| parts.iter().filter(|&&i| in_seg(r, i)).count() >= 2);
    if multi {
        let mut rows = Group::new(word.to_string(), base + marker..base + after_marker);
        for r in &segments {
            let members: Vec<usize> = parts.iter().copied().filter(|&i| in_seg(r, i)).collect();
            if members.is_empty() {
                continue;
            }
            let mut keys: Vec<&str> = Vec::new();
            for &i in &members {
                if figs[i].checked && keys.contains(&figs[i].key.as_str()) {
                    // two of the same measure in one row: not a row of a table
                    out.unrecognised += 1;
                    for &j in &parts {
                        unchecked(&mut figs[j]);
                    }
                    return None;
                }
                keys.push(&figs[i].key);
            }
            let mut row = Group::new(
                group_name(&figs[members[0]]),
                figs[members[0]].label_span.clone(),
            );
            for &i in &members {
                figs[i].used = true;
                row.items.push(Item {
                    key: figs[i].key.clone(),
                    key_span: figs[i].label_span.clone(),
                    val: Val::Fig(figs[i].found.clone()),
                });
            }
            rows.items.push(Item {
                key: row.name.clone(),
                key_span: row.name_span.clone(),
                val: Val::Map(row),
            });
        }
        return Some((total, (usize::MAX, rows)));
    }
    // parts: one figure each, of the total's kind, until a measure of its own
    let mut g = Group::new(word.to_string(), base + marker..base + after_marker);
    let mut taken = 0;
    let mut k = 0;
    while k < parts.len() {
        let i = parts[k];
        k += 1;
        if figs[i].in_parens {
            continue;
        }
        let f = figs[i].clone();
        if f.found.is_ratio()
            || !same_kind(&f.found, &figs[total].found)
            || (f.checked
                && taken > 0
                && f.key != figs[total].key
                && matches!(f.key.as_str(), "受理" | "交办" | "办结" | "化解" | "息访"))
        {
            break;
        }
        // figures in （…） right after a part are its own parts
        let sub: Vec<usize> = parts[k..]
            .iter()
            .copied()
            .take_while(|&j| figs[j].in_parens)
            .collect();
        let key = if f.label.is_empty() {
            f.key.clone()
        } else {
            f.label.clone()
        };
        let key = if RESERVED.contains(&key.as_str()) {
            format!("{key}（原文）")
        } else {
            key
        };
        let val = if sub.is_empty() {
            Val::Fig(f.found.clone())
        } else {
            let mut inner = Group::new(key.clone(), f.label_span.clone());
            inner.items.push(Item {
                key: "合计".to_string(),
                key_span: f.found.span.clone(),
                val: Val::Fig(f.found.clone()),
            });
            let mut parts_of = Group::new("其中".to_string(), f.found.span.clone());
            for &j in &sub {
                figs[j].used = true;
                let jk = if figs[j].label.is_empty() {
                    figs[j].key.clone()
                } else {
                    figs[j].label.clone()
                };
                parts_of.items.push(Item {
                    key: jk,
                    key_span: figs[j].label_span.clone(),
                    val: Val::Fig(figs[j].found.clone()),
                });
            }
            inner.items.push(Item {
                key: "其中".to_string(),
                key_span: f.found.span.clone(),
                val: Val::Map(parts_of),
            });
            k += sub.len();
            Val::Map(inner)
        };
        g.items.push(Item {
            key,
            key_span: figs[i].label_span.clone(),
            val,
        });
        figs[i].used = true;
        taken += 1;
    }
    if taken == 0 {
        out.unrecognised += 1;
        return None;
    }
    Some((total, (total, g)))
}

/// Puts a total's parts beside it: the total and its parts become a mapping of their own
/// (合计, 其中) under the total's key; rows of a table go under 其中 of the total's group.
fn attach(groups: &mut [Group], earlier: &mut [Group], total: &Range<usize>, node: Partial) {
    let (kind, parts) = node;
    let holds = |g: &Group| {
        g.items
            .iter()
            .any(|i| matches!(&i.val, Val::Fig(f) if f.span == *total))
    };
    let group = match groups.iter_mut().find(|g| holds(g)) {
        Some(g) => g,
        None => match earlier.iter_mut().find(|g| holds(g)) {
            Some(g) => g,
            None => return,
        },
    };
    if kind == usize::MAX {
        // rows
        group.items.push(Item {
            key: "其中".to_string(),
            key_span: parts.name_span.clone(),
            val: Val::Map(parts),
        });
        return;
    }
    let Some(pos) = group
        .items
        .iter()
        .position(|i| matches!(&i.val, Val::Fig(f) if f.span == *total))
    else {
        return;
    };
    // A total the packs know by its key (受理 1000件) stays under that key, where the other
    // rules find it; its parts go beside it with a copy of it as their 合计.
    let checked = RESERVED.contains(&group.items[pos].key.as_str());
    let found = match &group.items[pos].val {
        Val::Fig(f) => f.clone(),
        _ => return,
    };
    let key = group.items[pos].key.clone();
    let key_span = group.items[pos].key_span.clone();
    if !checked && key == group.name && flattens(group, pos, &parts) {
        // The sentence is named by the total's words (「全县共依法处置各类涉访违法行为59人次，
        // 其中…」): its 合计 and 其中 go in the sentence's mapping itself, not in one more of
        // the same name (a path `…违法行为.…违法行为.合计`).
        group.items[pos] = Item {
            key: "合计".to_string(),
            key_span: found.span.clone(),
            val: Val::Fig(found),
        };
        group.items.insert(
            pos + 1,
            Item {
                key: "其中".to_string(),
                key_span: parts.name_span.clone(),
                val: Val::Map(parts),
            },
        );
        return;
    }
    let mut inner = Group::new(key.clone(), key_span.clone());
    inner.items.push(Item {
        key: "合计".to_string(),
        key_span: found.span.clone(),
        val: Val::Fig(found),
    });
    inner.items.push(Item {
        key: "其中".to_string(),
        key_span: parts.name_span.clone(),
        val: Val::Map(parts),
    });
    if checked {
        group.items.insert(
            pos + 1,
            Item {
                key: format!("{key}构成"),
                key_span,
                val: Val::Map(inner),
            },
        );
    } else {
        group.items[pos] = Item {
            key,
            key_span,
            val: Val::Map(inner),
        };
    }
}

/// The pieces of `line[range]` between the separators, as ranges of `line`; empty pieces
/// are kept, so n separators give n + 1 pieces (the items of a 其中 or 分别为 list).
fn pieces(line: &str, range: Range<usize>, separators: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, c) in line[range.clone()].char_indices() {
        if separators.contains(&c) {
            out.push(start..range.start + i);
            start = range.start + i + c.len_utf8();
        }
    }
    out.push(start..range.end);
    out
}

/// Whether a total at `pos` of `group` and its parts may stand in the group itself, the
/// packs reading it as they would a mapping of its own: no other item is a 合计 or a 其中,
/// nor shares a key with a part or a part's row (which breakdown/column-partial-exceeds-total
/// would then compare).
fn flattens(group: &Group, pos: usize, parts: &Group) -> bool {
    let mut keys: Vec<&str> = Vec::new();
    for item in &parts.items {
        keys.push(&item.key);
        if let Val::Map(row) = &item.val {
            keys.extend(row.items.iter().map(|i| i.key.as_str()));
        }
    }
    group.items.iter().enumerate().all(|(i, item)| {
        i == pos
            || !(matches!(item.key.as_str(), "合计" | "其中") || keys.contains(&item.key.as_str()))
    })
}

fn money(f: &Found) -> Option<&Figure> {
    f.figure.as_ref().filter(|fig| {
        fig.dimension() == Some(Dimension::Money)
            || (fig.dimension().is_none() && fig.magnitude > rust_decimal::Decimal::ONE)
    })
}

/// 「…85.62万元使用完毕」: the amount is what was executed, the claim is 使用完毕; the
/// paragraph's one budget figure before it is the budget.
fn used_up(line: &str, base: usize, s: &Range<usize>, groups: &mut [Group], earlier: &mut [Group]) {
    let sentence = &line[s.clone()];
    let Some((p, w)) = USED_UP
        .iter()
        .filter_map(|w| sentence.find(w).map(|p| (p, *w)))
        .min_by_key(|x| x.0)
    else {
        return;
    };
    let claim = base + s.start + p..base + s.start + p + w.len();
    // the money figure nearest before the claim
    let mut best: Option<(usize, usize)> = None;
    for (gi, g) in groups.iter().enumerate() {
        for (ii, item) in g.items.iter().enumerate() {
            if let Val::Fig(f) = &item.val
                && f.span.end <= claim.start
                && money(f).is_some_and(|m| m.bound == Bound::Stated)
            {
                best = Some((gi, ii));
            }
        }
    }
    let Some((gi, ii)) = best else { return };
    let g = &mut groups[gi];
    if g.items
        .iter()
        .enumerate()
        .any(|(j, i)| j != ii && i.key == "执行")
    {
        return;
    }
    g.items[ii].key = "执行".to_string();
    g.items.push(Item {
        key: "使用完毕".to_string(),
        key_span: claim.clone(),
        val: Val::Text("是".to_string(), claim),
    });
    if g.has("预算") {
        return;
    }
    // one stated budget in the paragraph before: the budget the money was used from
    let mut budgets: Vec<(usize, usize)> = Vec::new();
    for (gj, e) in earlier.iter().enumerate() {
        for (ij, item) in e.items.iter().enumerate() {
            if item.key == "预算"
                && let Val::Fig(f) = &item.val
                && money(f).is_some_and(|m| m.bound == Bound::Stated)
            {
                budgets.push((gj, ij));
            }
        }
    }
    if let [(gj, ij)] = budgets[..] {
        let item = earlier[gj].items.remove(ij);
        groups[gi].items.insert(0, item);
    }
}

/// A clause about a difference or its cause, after a budget and an execution: 说明.
fn explained(line: &str, base: usize, s: &Range<usize>, groups: &mut [Group]) {
    let sentence = &line[s.clone()];
    for w in ["差异部分", "差异原因", "主要原因", "原因是", "超支原因"] {
        if let Some(p) = sentence.find(w) {
            let span = base + s.start + p..base + s.end;
            let text = sentence[p..].trim_end_matches(['。', '；']).to_string();
            let span = span.start..span.start + text.len();
            if let Some(g) = groups.iter_mut().find(|g| g.has("预算") && g.has("执行")) {
                g.items.push(Item {
                    key: "说明".to_string(),
                    key_span: span.clone(),
                    val: Val::Text(text, span),
                });
            }
            return;
        }
    }
}

/// The same figure stated twice: a figure whose label (at least 8 characters) was seen
/// before gets `复述: {key: path of the first}`, which forms/restated-figure-differs checks.
pub fn restatements(report: &mut Report, root: NodeId, text: &str) {
    let mut first: HashMap<String, NodeId> = HashMap::new();
    let mut adds: Vec<(NodeId, String, String, Range<usize>)> = Vec::new();
    let ids: Vec<NodeId> = report.descendants(root).collect();
    for id in ids {
        let Some(fig) = report.figure(id) else {
            continue;
        };
        if fig.bound != Bound::Stated {
            continue;
        }
        let Some(key) = report.key(id) else { continue };
        let Some(parent) = report.node(id).parent else {
            continue;
        };
        let label = report.source_label(id, text);
        // the same words in another section may be another figure (基本支出 and 项目支出 each
        // have a 公务用车运行维护费): only a restatement within one section is compared
        let section = report.path(id).split('.').next().unwrap_or("").to_string();
        let label = format!("{section}\u{0}{label}");
        if report.source_label(id, text).chars().count() < 8 || report.key(parent) == Some("其中")
        {
            continue;
        }
        let dim = fig.dimension();
        match first.get(&label) {
            Some(&f) if report.figure(f).is_some_and(|g| g.dimension() == dim) => {
                adds.push((
                    parent,
                    key.to_string(),
                    report.path(f),
                    report.node(id).span.clone(),
                ));
            }
            Some(_) => {}
            None => {
                first.insert(label, id);
            }
        }
    }
    for (parent, key, path, span) in adds {
        report.add_restatement(parent, key, path, span);
    }
}

impl Report {
    /// The label a prose figure was read with: its key's text in the source.
    fn source_label(&self, id: NodeId, text: &str) -> String {
        match &self.node(id).place {
            crate::report::Place::Key(k) => text.get(k.span.clone()).unwrap_or("").to_string(),
            _ => String::new(),
        }
    }

    fn add_restatement(&mut self, parent: NodeId, key: String, path: String, span: Range<usize>) {
        use crate::report::{Key, Node, Place, Scalar};
        let existing = self.child(parent, "复述");
        let map = match existing {
            Some(m) => m,
            None => {
                let m = self.push(Node {
                    parent: Some(parent),
                    place: Place::Key(Key {
                        text: "复述".into(),
                        span: span.clone(),
                    }),
                    span: span.clone(),
                    value: Value::Map(Vec::new()),
                });
                if let Value::Map(c) = &mut self.node_mut(parent).value {
                    c.push(m);
                }
                m
            }
        };
        let len = path.len();
        let leaf = self.push(Node {
            parent: Some(map),
            place: Place::Key(Key {
                text: key.into(),
                span: span.clone(),
            }),
            span,
            value: Value::Scalar(Scalar {
                text: path.into(),
                figure: None,
                verbatim_at: None,
            }),
        });
        let _ = len;
        if let Value::Map(c) = &mut self.node_mut(map).value {
            c.push(leaf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_are_the_pieces_between_separators() {
        let line = "其中：甲1件；乙2件;；丙3件";
        let at = line.find('甲').unwrap();
        let got: Vec<&str> = pieces(line, at..line.len(), &['；', ';'])
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(got, ["甲1件", "乙2件", "", "丙3件"]);
        let got: Vec<&str> = pieces(line, at..at, &['；'])
            .into_iter()
            .map(|r| &line[r])
            .collect();
        assert_eq!(got, [""]);
    }

    #[test]
    fn a_count_opens_the_name_of_a_list() {
        let count = |name: &str| stated_count(name).map(|r| name[r].to_string());
        assert_eq!(count("四率").as_deref(), Some("四"));
        assert_eq!(count("三项指标").as_deref(), Some("三"));
        assert_eq!(count("5个方面").as_deref(), Some("5"));
        assert_eq!(count("上述两率").as_deref(), Some("两"));
        // a numeral inside a word is not a count
        assert_eq!(count("统一标准"), None);
        assert_eq!(count("各项指标"), None);
        assert_eq!(count("四"), None, "a numeral with no noun after it");
        assert_eq!(
            count("十二项重点工作任务"),
            None,
            "too long a noun to be sure"
        );
    }

    fn read(sentence: &str) -> Paragraph {
        let found = super::super::numbers::scan(sentence);
        paragraph(sentence, 0, sentence, found, &Lexicon::builtin())
    }

    #[test]
    fn a_list_after_respectively_is_read_label_by_label() {
        let p = read("“两率”分别为：按期办结率为98%；化解率为99%；满意率为97%。");
        assert_eq!(p.unrecognised, 0);
        let g = p
            .groups
            .iter()
            .find(|g| g.name == "两率")
            .expect("the list");
        let keys: Vec<&str> = g.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["数量", "列举", "按期办结率", "化解率", "满意率"]);
        assert!(matches!(&g.items[1].val, Val::Text(t, _) if t == "按期办结率、化解率、满意率"));
        // the count is underlined where it is written
        let Val::Fig(f) = &g.items[0].val else {
            panic!("数量 is a figure")
        };
        assert_eq!(&"“两率”分别为"[f.span.clone()], "两");
    }

    #[test]
    fn a_list_whose_items_do_not_pair_up_is_refused() {
        for sentence in [
            "三项指标分别为：按期办结率；化解率为99%；满意率为97%。",
            "两率分别为：办结率为98%（全市第一）；化解率为99%。",
            "三项指标分别为：98%；99%；97%。",
        ] {
            let p = read(sentence);
            assert_eq!(p.unrecognised, 1, "{sentence}");
            assert!(
                p.groups.iter().all(|g| !g.has("数量")),
                "{sentence}: {:?}",
                p.groups
            );
        }
    }
}
