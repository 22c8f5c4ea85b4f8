//! The report's own facts: its title and year (the first lines), its date (the signature
//! at the end), and the dates of the body that fall after that date.

use super::structures::{Group, Item, Val};
use crate::problem::Problem;
use std::ops::Range;

#[derive(Debug, Default)]
pub struct Facts {
    pub title: Option<Title>,
    /// The paragraph of the signature date.
    pub signature: Option<usize>,
    pub date: Option<(Date, Range<usize>)>,
    pub date_text: String,
}

#[derive(Debug)]
pub struct Title {
    pub text: String,
    pub span: Range<usize>,
    /// Paragraphs that make up the title.
    pub lines: Vec<usize>,
    pub year: Option<(u32, Range<usize>)>,
}

/// A date as written: a year, with a month and a day when written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Date {
    /// Whether this date is certainly after `other` (a month is after a day of an earlier
    /// month only; 2018年12月 is not after 2018年12月6日).
    fn after(&self, other: &Date) -> bool {
        if self.year != other.year {
            return self.year > other.year;
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => a > b,
            (Some(_), Some(_)) => matches!((self.day, other.day), (Some(a), Some(b)) if a > b),
            _ => false,
        }
    }
}

fn digits(s: &str) -> (u32, usize) {
    let mut n = 0u32;
    let mut len = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        n = n.saturating_mul(10).saturating_add(d);
        len += c.len_utf8();
    }
    (n, len)
}

/// Dates written `2018年12月6日`, `2018年12月`, `2018年`, with their spans.
pub fn dates(text: &str) -> Vec<(Date, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let (year, len) = digits(rest);
        let before_digit = text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        if len > 0
            && !before_digit
            && rest[len..].starts_with('年')
            && (1949..=2100).contains(&year)
            && rest[..len].chars().count() == 4
        {
            let mut end = len + '年'.len_utf8();
            let mut month = None;
            let mut day = None;
            let (m, ml) = digits(&rest[end..]);
            if ml > 0 && rest[end + ml..].starts_with('月') && (1..=12).contains(&m) {
                month = Some(m);
                end += ml + '月'.len_utf8();
                let (d, dl) = digits(&rest[end..]);
                if dl > 0 && rest[end + dl..].starts_with(['日', '号']) && (1..=31).contains(&d) {
                    day = Some(d);
                    end += dl + '日'.len_utf8();
                }
            }
            out.push((Date { year, month, day }, i..i + end));
            i += end;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8).max(len);
    }
    out
}

/// Reads the title (the first paragraphs before the body, at most three short ones) and
/// the signature date (a last paragraph holding only a date).
pub fn read(text: &str, paragraphs: &[Range<usize>]) -> Facts {
    let mut facts = Facts::default();
    let mut lines = Vec::new();
    for (i, p) in paragraphs.iter().enumerate().take(3) {
        let t = text[p.clone()].trim();
        let numbered =
            t.starts_with(['一', '（', '(', '1', '#', '-', '[']) && !t.starts_with("一季");
        if t.chars().count() > 40
            || t.contains('。')
            || (numbered && !t.starts_with('#'))
            || !super::numbers::scan(t).is_empty()
        {
            break;
        }
        lines.push(i);
        if t.contains("报告") || t.contains("通报") || t.contains("总结") {
            break;
        }
    }
    if let (Some(&first), Some(&last)) = (lines.first(), lines.last()) {
        let span = paragraphs[first].start..paragraphs[last].end;
        let text_of: Vec<&str> = lines
            .iter()
            .map(|&i| {
                text[paragraphs[i].clone()]
                    .trim()
                    .trim_start_matches('#')
                    .trim()
            })
            .collect();
        let year = dates(&text[span.clone()])
            .into_iter()
            .next()
            .map(|(d, r)| (d.year, r));
        let first_text = text[paragraphs[first].clone()].trim_start_matches([' ', '\u{3000}', '#']);
        let at = paragraphs[first].end - first_text.len();
        facts.title = Some(Title {
            text: text_of.join(""),
            span: at..span.end,
            lines,
            year,
        });
    }
    if let Some(last) = paragraphs.last() {
        let t = text[last.clone()].trim();
        let found = dates(t);
        if let [(d, r)] = &found[..]
            && d.day.is_some()
            && r.len() == t.len()
        {
            let at =
                last.start + (text[last.clone()].len() - text[last.clone()].trim_start().len());
            facts.signature = Some(paragraphs.len() - 1);
            facts.date = Some((*d, at + r.start..at + r.end));
            facts.date_text = t.to_string();
        }
    }
    facts
}

/// Body dates after the signature date: a notice each.
pub fn check(text: &str, facts: &Facts) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some((date, date_span)) = &facts.date else {
        return out;
    };
    for (d, r) in dates(text) {
        if r.start >= date_span.start {
            continue;
        }
        if d.after(date) {
            out.push(
                Problem::new(
                    "date-after-report",
                    format!(
                        "正文中的日期「{}」晚于报告落款日期「{}」",
                        &text[r.clone()],
                        &text[date_span.clone()]
                    ),
                )
                .at(r, "晚于落款日期")
                .with_secondary(date_span.clone(), "落款日期")
                .with_help("核对日期；报告不能写落款之后的事")
                .as_notice(),
            );
        }
    }
    out
}

/// Words a month names the period with when it opens a clause: 「4月份共受理…」, 「3月，全市…」.
const PERIOD_VERBS: &[&str] = &[
    "共", "全市", "全县", "全区", "全省", "全局", "累计", "受理", "接待", "办理", "登记", "收到",
    "我局", "我市", "我县", "我区",
];

/// `N月份` or `N月` (1–12, no day after it) where a clause or paragraph begins (after an
/// optional 本/今年/上), followed by a word that states the period's figures
/// (「4月份共受理…」, 「4月，全市…」): the months a body reports on, with their spans.
/// A month inside a clause (「较3月份下降」, 「截至4月底」, 「1-4月份」) is not one.
fn period_months(text: &str) -> Vec<(u32, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let (m, len) = digits(rest);
        let opens = text[..at]
            .trim_end_matches(['本', ' ', '　'])
            .trim_end_matches("今年")
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '，' | ',' | '。' | '；' | ';' | '\n' | '：' | ':'));
        if len > 0 && opens && (1..=12).contains(&m) && rest[len..].starts_with('月') {
            let word = rest[len + '月'.len_utf8()..]
                .strip_prefix('份')
                .unwrap_or(&rest[len + '月'.len_utf8()..]);
            let end = rest.len() - word.len();
            let after = word.trim_start_matches(['，', ',', ' ']);
            let dated =
                word.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
            if !dated && PERIOD_VERBS.iter().any(|v| after.starts_with(v)) {
                out.push((m, at..at + end));
            }
        }
        at += rest.chars().next().map_or(1, char::len_utf8).max(len);
    }
    out
}

/// A title that names a month (「2019年3月份信访工作情况通报」) while the body reports on
/// another (「4月份共受理…」), and on none that is the title's: a notice at the body's month.
pub fn check_title_month(text: &str, facts: &Facts) -> Option<Problem> {
    let title = facts.title.as_ref()?;
    let title_text = &text[title.span.clone()];
    let (month, span) = dates(title_text).into_iter().find_map(|(d, r)| {
        let m = d.month.filter(|_| d.day.is_none())?;
        // 「1-3月份」 is a period of months, not one
        let before = &title_text[..r.start];
        (!title_text[r.end..].starts_with(['-', '—', '至', '~'])
            && !before.ends_with(['-', '—', '至', '~']))
        .then_some((m, title.span.start + r.start..title.span.start + r.end))
    })?;
    let body: Vec<(u32, Range<usize>)> = period_months(text)
        .into_iter()
        .filter(|(_, r)| r.start >= title.span.end)
        .collect();
    if body.iter().any(|(m, _)| *m == month) {
        return None;
    }
    let (m, r) = body.into_iter().next()?;
    Some(
        Problem::new(
            "title-month-differs",
            format!(
                "标题所称月份「{}」与正文所述月份「{}」不一致",
                &text[span.clone()],
                &text[r.clone()]
            ),
        )
        .at(r, format!("正文为 {m} 月"))
        .with_secondary(span, format!("标题为 {month} 月"))
        .with_help("核对标题与正文的月份；报告多半是照上期改写时漏改")
        .as_notice(),
    )
}

/// Characters a template leaves where a name, number or date should be.
fn is_placeholder_char(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ' | '×' | '○' | '〇' | '□')
}

/// Placeholders left in running text (「于X月X日召开」, 「XX同志」, 「××局」), outside 《》 and
/// not already read as figures (`XX件`, which hygiene/placeholder-figure reports): a
/// located notice each. A run of two such characters is a placeholder; one alone only
/// before 年/月/日/号 (`X月X日`). A run next to a Latin letter or digit (`XXL`, `x86`) is not.
pub fn placeholders(line: &str, base: usize, figures: &[super::numbers::Found]) -> Vec<Problem> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(line.len(), |&(b, _)| b);
    let latin = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|&(_, c)| c.is_ascii_alphanumeric())
    };
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || !is_placeholder_char(c) {
            i += 1;
            continue;
        }
        // the whole placeholder: runs of the characters, joined by 年/月/日/号
        let start = i;
        let mut j = i;
        let mut ok = false;
        loop {
            let run = (j..chars.len())
                .take_while(|&k| is_placeholder_char(chars[k].1))
                .count();
            if run == 0 {
                break;
            }
            let next = chars.get(j + run).map(|&(_, c)| c);
            let dated = next.is_some_and(|c| "年月日号".contains(c));
            if run >= 2 || dated {
                ok = true;
            }
            j += run;
            if dated {
                j += 1;
            } else {
                break;
            }
        }
        let end = j;
        let before = start.checked_sub(1);
        // 二〇〇九年, 一〇〇: 〇 is a numeral beside numerals
        let numeral = |i: Option<usize>| {
            i.and_then(|i| chars.get(i))
                .is_some_and(|&(_, c)| "零一二两三四五六七八九十百千万".contains(c))
        };
        let mixed = latin(before)
            || numeral(before)
            || numeral(Some(end))
            || (end > 0 && !"年月日号".contains(chars[end - 1].1) && latin(Some(end)));
        let span = base + byte(start)..base + byte(end);
        let read = figures
            .iter()
            .any(|f| f.span.start < byte(end) && byte(start) < f.span.end);
        if ok && !mixed && !read {
            let written = &line[byte(start)..byte(end)];
            out.push(
                Problem::new(
                    "placeholder-in-text",
                    format!("正文中留有占位符「{written}」，未填写实际内容"),
                )
                .at(span, "占位符")
                .with_help("填写实际的名称、数字或日期")
                .as_notice(),
            );
        }
        i = end.max(i + 1);
    }
    out
}

impl Facts {
    /// The tree's 报告 mapping: 标题, 年度, 日期.
    pub fn group(&self) -> Option<Group> {
        let title = self.title.as_ref()?;
        let mut g = Group::new("报告".to_string(), title.span.clone());
        g.items.push(Item {
            key: "标题".to_string(),
            key_span: title.span.clone(),
            val: Val::Text(title.text.clone(), title.span.clone()),
        });
        if let Some((year, r)) = &title.year {
            let at = title.span.start + r.start;
            g.items.push(Item {
                key: "年度".to_string(),
                key_span: at..at + r.len(),
                val: Val::Text(year.to_string(), at..at + r.len()),
            });
        }
        if let Some((_, r)) = &self.date {
            g.items.push(Item {
                key: "日期".to_string(),
                key_span: r.clone(),
                val: Val::Text(self.date_text.clone(), r.clone()),
            });
        }
        Some(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_running_text_are_located() {
        let line = "定于X月X日召开会议，请XX同志参加，《××工作细则》另发，交办XX件，型号XXL，x86。";
        let found = super::super::numbers::scan(line);
        let p = placeholders(line, 10, &found);
        let written: Vec<&str> = p
            .iter()
            .map(|p| {
                let r = p.span.clone().expect("located");
                &line[r.start - 10..r.end - 10]
            })
            .collect();
        // 《》 is a title; XX件 is a figure (reported by the rules); XXL and x86 are Latin
        assert_eq!(written, ["X月X日", "XX"]);
        assert!(
            p.iter()
                .all(|p| p.notice && p.code == "placeholder-in-text")
        );
        assert!(placeholders("坚持一月一排查，○表示完成。", 0, &[]).is_empty());
        assert!(placeholders("二〇〇九年起，共一〇〇人。", 0, &[]).is_empty());
    }

    fn title_month(text: &str) -> Option<Problem> {
        let paragraphs = super::super::paragraphs(text);
        check_title_month(text, &read(text, &paragraphs))
    }

    #[test]
    fn a_title_month_the_body_does_not_report_on_is_a_notice() {
        let p = title_month("2019年3月份信访工作情况通报\n4月份共受理信访事项120件。\n")
            .expect("a notice");
        assert_eq!(p.code, "title-month-differs");
        assert!(p.notice);
        assert!(
            p.message.contains("「2019年3月」") && p.message.contains("「4月份」"),
            "{}",
            p.message
        );
        // the body's month where it opens a clause, after a comma too
        assert!(
            title_month("2019年3月份信访工作情况通报\n本月共受理20件，4月，全市受理30件。\n")
                .is_some()
        );
        // the same month, a month compared with, an end of month, a range: no notice
        for body in [
            "3月份共受理信访事项120件，较2月份下降5%。",
            "共受理信访事项120件，较2月份下降5%。",
            "截至4月底，共受理信访事项120件。",
            "1-4月份共受理信访事项120件。",
            "4月10日共受理信访事项12件。",
            "4月份共受理12件；3月份全市共受理信访事项120件。",
        ] {
            let text = format!("2019年3月份信访工作情况通报\n{body}\n");
            assert!(title_month(&text).is_none(), "{body}");
        }
        // a title without a month, or with a period of months
        assert!(title_month("2019年第一季度信访工作情况通报\n4月份共受理20件。\n").is_none());
        assert!(title_month("2019年1-3月信访工作情况通报\n4月份共受理20件。\n").is_none());
    }

    #[test]
    fn dates_are_read_with_their_precision() {
        let d = dates("截止到2018年12月，2018年12月6日，2019年度，1234年");
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].0,
            Date {
                year: 2018,
                month: Some(12),
                day: None
            }
        );
        assert_eq!(d[1].0.day, Some(6));
        assert!(!d[0].0.after(&d[1].0), "a month is not after a day in it");
        assert!(
            Date {
                year: 2019,
                month: Some(1),
                day: None
            }
            .after(&d[1].0)
        );
    }
}
