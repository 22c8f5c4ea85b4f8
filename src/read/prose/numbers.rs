//! Figures in running text: where they are, and what is not a figure.
//!
//! A figure in prose is a number with a unit the figure parser knows (`59人次`, `2.97 万元`,
//! `１０0％`, `700余人次`, `2万余份`, `不少于50万元`, `六个`, `百分之七十七`), or a
//! placeholder where a number should be (`XX件`, `××万元`). A bare number is not read:
//! in running text it is a list number, a year, a phone number or `12345`. Document
//! numbers (`〔2019〕10号`), dates (`2018年12月6日`, `12月4日至12日`, `5月份`), ordinals
//! (`第3季度`, `第一时间`), durations (`1个月`) and titles in 《》 are masked first.

use crate::figure::{Figure, UNITS};
use std::ops::Range;

/// A figure found in the text.
#[derive(Clone, Debug)]
pub struct Found {
    /// Where it is written, in the paragraph's text.
    pub span: Range<usize>,
    /// As written (`823 批`, `百分之七十七`).
    pub text: String,
    /// What it means; `None` for a placeholder.
    pub figure: Option<Figure>,
}

impl Found {
    pub fn is_placeholder(&self) -> bool {
        self.figure.is_none()
    }

    pub fn is_ratio(&self) -> bool {
        self.figure
            .as_ref()
            .is_some_and(|f| f.dimension() == Some(crate::figure::Dimension::Ratio))
    }
}

const PLACEHOLDERS: &[&str] = &["XX", "ＸＸ", "xx", "××", "○○", "〇〇", "□□"];

/// Comparators a figure may start with, longest first.
const COMPARATORS: &[&str] = &[
    "大于等于",
    "小于等于",
    "不少于",
    "不低于",
    "不小于",
    "不超过",
    "不高于",
    "不大于",
    "≥",
    "≤",
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_chinese_digit(c: char) -> bool {
    "零〇一二两三四五六七八九十百千".contains(c)
}

/// Byte ranges of `text` that hold no figure: document numbers, dates, ordinals,
/// durations, titles in 《》, times of day.
pub fn masked(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        // 《…》: a title is a name, whatever numbers it holds.
        if c == '《' || c == '〈' {
            let close = if c == '《' { '》' } else { '〉' };
            if let Some(j) = (i + 1..chars.len().min(i + 200)).find(|&j| chars[j].1 == close) {
                out.push(byte(i)..byte(j + 1));
                i = j + 1;
                continue;
            }
        }
        // 〔2019〕46号, [2013]2号, （2017）49号
        if "〔［[﹝（(".contains(c) {
            let mut j = i + 1;
            while at(j).is_some_and(is_digit) {
                j += 1;
            }
            if j - i - 1 == 4 && at(j).is_some_and(|c| "〕］]﹞）)".contains(c)) {
                let mut k = j + 1;
                while at(k).is_some_and(is_digit) {
                    k += 1;
                }
                if at(k) == Some('号') {
                    k += 1;
                }
                out.push(byte(i)..byte(k));
                i = k;
                continue;
            }
        }
        // 第3季度, 第一时间, 第二批
        if c == '第' {
            let mut j = i + 1;
            while at(j).is_some_and(|c| is_digit(c) || is_chinese_digit(c)) {
                j += 1;
            }
            if j > i + 1 {
                // the word after the ordinal (批, 季度, 次) belongs to it
                let k = if at(j).is_some_and(|c| unit_at(text, byte(j)).is_some() && c != '%') {
                    j + unit_at(text, byte(j)).map_or(0, |u| u.chars().count())
                } else {
                    j
                };
                out.push(byte(i)..byte(k));
                i = k;
                continue;
            }
        }
        if is_digit(c) || (is_chinese_digit(c) && c != '千' && c != '百') {
            let mut j = i;
            while at(j).is_some_and(|c| is_digit(c) || is_chinese_digit(c)) {
                j += 1;
            }
            let word = &text[byte(j)..];
            let date_word = [
                "年", "月", "日", "号", "时", "季度", "周年", "点", "届", "岁",
            ]
            .iter()
            .find(|w| word.starts_with(**w));
            let duration = ["个月", "个工作日", "个小时", "个季度", "个年度"]
                .iter()
                .find(|w| word.starts_with(**w));
            if let Some(w) = date_word.or(duration) {
                let mut k = j + w.chars().count();
                if at(k) == Some('份') || at(k) == Some('度') || at(k) == Some('底') {
                    k += 1;
                }
                out.push(byte(i)..byte(k));
                i = k;
                continue;
            }
            // 12345 (the hotline), phone numbers, long codes: never figures
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// The unit written at `text[at..]`, longest name first (`人次` before `人`).
fn unit_at(text: &str, at: usize) -> Option<&'static str> {
    let rest = &text[at..];
    UNITS
        .iter()
        .filter(|u| rest.starts_with(u.name))
        .map(|u| u.name)
        .max_by_key(|n| n.len())
}

/// Units read only as a figure's money unit (元 alone is in UNITS).
const MONEY: &[&str] = &["万元", "亿元", "元"];

/// Finds the figures of a paragraph, in order.
pub fn scan(text: &str) -> Vec<Found> {
    let masked = masked(text);
    let is_masked = |b: usize| masked.iter().any(|r| r.contains(&b));
    let mut out: Vec<Found> = Vec::new();
    let mut b = 0;
    while b < text.len() {
        let Some(c) = text[b..].chars().next() else {
            break;
        };
        if is_masked(b) {
            b += c.len_utf8();
            continue;
        }
        if let Some(found) = figure_at(text, b) {
            b = found.span.end;
            out.push(found);
            continue;
        }
        b += c.len_utf8();
    }
    out
}

/// A figure starting exactly at byte `start`, if one does.
fn figure_at(text: &str, start: usize) -> Option<Found> {
    let rest = &text[start..];
    // 百分之七十七, 百分之九十五点五 is left alone (rare, and 点 is a decimal point there)
    if let Some(after) = rest.strip_prefix("百分之") {
        let n: String = after.chars().take_while(|&c| is_chinese_digit(c)).collect();
        if !n.is_empty() && !after[n.len()..].starts_with('点') {
            let figure = Figure::parse(&format!("{n}%")).ok().flatten()?;
            let end = start + "百分之".len() + n.len();
            return Some(Found {
                span: start..end,
                text: text[start..end].to_string(),
                figure: Some(figure),
            });
        }
        return None;
    }
    let (comparator, after_cmp) = COMPARATORS
        .iter()
        .find_map(|w| rest.strip_prefix(w).map(|r| (w.len(), r)))
        .unwrap_or((0, rest));
    let num_start = start + comparator;
    // the number
    let mut chars = after_cmp.char_indices().peekable();
    let mut end = 0;
    let mut kind = None; // Some(true): arabic, Some(false): chinese
    if let Some(p) = PLACEHOLDERS.iter().find(|p| after_cmp.starts_with(**p)) {
        end = p.len();
        // a run of placeholder characters counts as one
        while after_cmp[end..].starts_with(['X', 'x', 'Ｘ', '×', '○', '〇', '□']) {
            end += after_cmp[end..].chars().next().map_or(1, char::len_utf8);
        }
    } else {
        while let Some(&(i, c)) = chars.peek() {
            let ok = match kind {
                None => {
                    if is_digit(c) {
                        kind = Some(true);
                        true
                    } else if is_chinese_digit(c) && c != '百' && c != '千' {
                        kind = Some(false);
                        true
                    } else {
                        false
                    }
                }
                Some(true) => {
                    is_digit(c)
                        || ((c == '.' || c == '．' || c == ',')
                            && after_cmp[i + c.len_utf8()..]
                                .chars()
                                .next()
                                .is_some_and(is_digit))
                }
                Some(false) => is_chinese_digit(c),
            };
            if !ok {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        kind?;
    }
    if end == 0 {
        return None;
    }
    // a number glued to a letter or a digit-like before it is part of a code (A1, 2019-1)
    if comparator == 0
        && text[..start].chars().next_back().is_some_and(|c| {
            c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '／' || c == '/'
        })
    {
        return None;
    }
    let placeholder = kind.is_none();
    let chinese = kind == Some(false);
    // magnitude, 余/多, spaces, unit, 以上/以下
    let mut at = num_start + end;
    let skip_spaces = |mut at: usize| {
        while text[at..].starts_with([' ', '\u{a0}', '\u{3000}']) {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
        at
    };
    let mut suffix_at = skip_spaces(at);
    for w in ["余", "多"] {
        if text[suffix_at..].starts_with(w) {
            suffix_at += w.len();
        }
    }
    let mut magnitude = false;
    for w in ["万", "亿"] {
        if text[suffix_at..].starts_with(w) && !chinese {
            suffix_at += w.len();
            magnitude = true;
        }
    }
    for w in ["余", "多"] {
        if text[suffix_at..].starts_with(w) {
            suffix_at += w.len();
        }
    }
    suffix_at = skip_spaces(suffix_at);
    let unit = MONEY
        .iter()
        .find(|m| text[suffix_at..].starts_with(**m))
        .copied()
        .or_else(|| unit_at(text, suffix_at));
    match unit {
        Some(u) => {
            at = suffix_at + u.len();
        }
        // 111.48万: a magnitude alone is money in these reports' tables
        None if magnitude && !placeholder => {
            at = suffix_at;
            while text[..at].ends_with([' ', '\u{a0}', '\u{3000}']) {
                at -= 1;
            }
        }
        None => return None,
    }
    // Chinese numerals need a unit that counts, and no digit word after (六个一, 三个假定
    // are names of slogans and are still read; 一月一 has no unit)
    if chinese {
        let n = &after_cmp[..end];
        // one character like 两/一 before 个 in a fixed phrase (一个) is still a count
        if n.chars().all(|c| c == '十' || c == '百' || c == '千') {
            return None;
        }
        if text[at..].starts_with(is_chinese_digit) {
            return None;
        }
        // 一批, 一次, 一个: idioms more often than counts; 一名, 一人, 一件 are read
        if n == "一" && !matches!(unit, Some("名" | "人" | "位" | "件" | "户" | "起")) {
            return None;
        }
    }
    for w in ["以上", "以下"] {
        if text[at..].starts_with(w) {
            at += w.len();
        }
    }
    let written = &text[start..at];
    let figure = if placeholder {
        None
    } else {
        match Figure::parse(written) {
            Ok(Some(f)) => Some(f),
            _ => return None,
        }
    };
    Some(Found {
        span: start..at,
        text: written.to_string(),
        figure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        scan(text).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn figures_with_units() {
        assert_eq!(
            read("依法处置各类涉访违法行为59人次，其中：依法训诫37人次，依法审理1起"),
            ["59人次", "37人次", "1起"]
        );
        assert_eq!(read("办信 2.97 万元使用完毕"), ["2.97 万元"]);
        assert_eq!(read("接待来访群众823 批 2803人次"), ["823 批", "2803人次"]);
        assert_eq!(read("控制率为１０0％，压减１０％"), ["１０0％", "１０％"]);
        assert_eq!(read("培训700余人次，播放300多次"), ["700余人次", "300多次"]);
        assert_eq!(
            read("宣传单2万余份，投入3000余万元"),
            ["2万余份", "3000余万元"]
        );
        assert_eq!(
            read("每年不少于50万元，不高于40%"),
            ["不少于50万元", "不高于40%"]
        );
        assert_eq!(read("共1,234件"), ["1,234件"]);
        assert_eq!(
            read("包括一名局长，二名付局长，十二次"),
            ["一名", "二名", "十二次"]
        );
        assert_eq!(read("提高百分之七十七"), ["百分之七十七"]);
        assert_eq!(
            read("工资福利支出107.21万、补助1.20万。"),
            ["107.21万", "1.20万"]
        );
        assert_eq!(read("50个以上"), ["50个以上"]);
        assert_eq!(read("包案交办XX件案件，已化解××件"), ["XX件", "××件"]);
    }

    #[test]
    fn what_is_not_a_figure() {
        assert!(read("（山办﹝2019﹞46号）").is_empty());
        assert!(read("湘办〔2017〕30号、苏信组办[2013]2号").is_empty());
        assert!(read("2018年12月6日，12月4日至12日，5月份").is_empty());
        assert!(read("第3季度，第一时间，第二批").is_empty());
        assert!(read("拨打12345热线，电话0731-88888888").is_empty());
        assert!(read("为期1个月的活动").is_empty());
        assert!(read("《2017年度县(市、区)信访工作绩效考核评分细则》").is_empty());
        assert!(read("1、负责处理；2.协同").is_empty());
        assert!(read("一月一例会，一季一研究").is_empty());
        assert!(read("成立70周年，二十大").is_empty());
    }

    #[test]
    fn values_and_bounds() {
        let f = &scan("700余人次")[0];
        assert_eq!(
            f.figure.as_ref().unwrap().bound,
            crate::figure::Bound::AtLeast
        );
        let f = &scan("百分之七十七")[0];
        assert_eq!(
            f.figure.as_ref().unwrap().value,
            "0.77".parse::<rust_decimal::Decimal>().unwrap()
        );
        assert!(scan("XX件")[0].is_placeholder());
    }
}
