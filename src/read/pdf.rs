//! A PDF's text layer → prose.
//!
//! pdf-extract gives the text of each page. What it returns is cleaned before the prose
//! reader sees it: NFKC folds the Kangxi radicals and compatibility forms Chromium's PDFs
//! carry (⾦ → 金, full-width digits stay as the figure parser reads them); spaces the
//! extraction puts between CJK characters, or between a digit and a CJK character, are
//! removed (`89.97 万元` → `89.97万元`), while a space between two Latin words stays.
//! Lines the page wrapped are joined into paragraphs. Each paragraph is a
//! [`Place::Paragraph`] with its page, so a diagnostic says `报告.pdf 第 3 页第 12 段`.
//!
//! A PDF without a text layer (a scan) is a problem, not a clean pass.

use crate::problem::Problem;
use crate::read::prose::lexicon::Lexicon;
use crate::read::{Limits, Read};
use crate::source::{Place, PlaceSpan, SourceFile};
use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthStr;

/// Reads a PDF's text layer as a report written in prose.
pub(crate) fn read(name: String, bytes: &[u8], limits: &Limits, lexicon: &Lexicon) -> Read {
    let pages = match extract(bytes) {
        Ok(pages) => pages,
        Err(problem) => return Read::unusable(SourceFile::new(name, ""), *problem),
    };
    let (text, places) = paragraphs(&pages);
    if text.chars().filter(|c| !c.is_whitespace()).count() == 0 {
        return Read::unusable(
            SourceFile::new(name, ""),
            Problem::new(
                "pdf-no-text",
                "PDF 没有文字层（可能是扫描件），无法读取其中的数字",
            )
            .with_note(format!("共 {} 页，每页都没有可提取的文字", pages.len()))
            .with_help("用原始的 Word 文档核查，或先做文字识别（OCR）后另存为 PDF"),
        );
    }
    let source = SourceFile::new(name, text).with_places(places);
    crate::read::prose::read_source(source, limits, lexicon)
}

/// The text of each page, or why there is none.
fn extract(bytes: &[u8]) -> Result<Vec<String>, Box<Problem>> {
    // The extraction has panicked on malformed files; a bad file is a problem, not a crash.
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    let problem = |message: String| {
        Box::new(
            Problem::new("pdf-unreadable", message)
                .with_help("确认文件完整；可用 PDF 阅读器另存后再核查"),
        )
    };
    match result {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => Err(problem(format!("PDF 无法读取：{e}"))),
        Err(_) => Err(problem("PDF 无法读取：文件结构不能解析".to_string())),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// CJK Radicals Supplement characters that stand for a whole simplified character, and
/// that character. A PDF's text layer names a glyph by the code point its font's map gives
/// first, and CJK fonts (Noto CJK among them, as Chromium embeds it) draw 门 and the radical
/// ⻔ with one glyph, so extracted text says ⻔ where the page shows 门. NFKC folds the
/// Kangxi radicals (U+2F00–) but not these. Radicals that are only components (⻈ 讠,
/// ⻐ 钅, ⻠ 饣) are not characters a report writes, and are left alone.
const RADICAL_CHARACTERS: &[(char, char)] = &[
    ('⺠', '民'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻢', '马'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

fn radical_as_character(c: char) -> char {
    if !('\u{2e80}'..='\u{2eff}').contains(&c) {
        return c;
    }
    RADICAL_CHARACTERS
        .iter()
        .find(|(radical, _)| *radical == c)
        .map_or(c, |(_, character)| *character)
}

/// One line of extracted text, normalised: NFKC, and no space next to a CJK character.
pub(crate) fn clean_line(line: &str) -> String {
    // NFKC turns full-width ％ and digits into ASCII ones; the figure parser reads both.
    let normal: String = line.nfkc().map(radical_as_character).collect();
    let chars: Vec<char> = normal.chars().collect();
    let mut out = String::with_capacity(normal.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\u{a0}' {
            let prev = out.chars().next_back();
            let next = chars[i + 1..].iter().copied().find(|c| *c != ' ');
            let cjk_side = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
            if cjk_side || prev == Some(' ') || prev.is_none() {
                continue;
            }
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// Whether a line starts a paragraph of its own: a heading number, a list mark.
fn starts_paragraph(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with([
        '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '（', '(', '-', '•', '#',
    ]) && (t.contains('、') || t.starts_with('（') || t.starts_with('('))
        || t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && t.chars().nth(1).is_some_and(|c| "、.．".contains(c))
}

/// The pages' text as paragraphs (wrapped lines joined), one a line, each a place. A
/// paragraph whose last line on a page is a full line goes on at the top of the next page
/// (unless that starts a heading); it is placed on the page where it starts.
fn paragraphs(pages: &[String]) -> (String, Vec<PlaceSpan>) {
    let mut text = String::new();
    let mut places = Vec::new();
    let mut index = 0;
    let mut current = String::new();
    // the page the paragraph being joined starts on
    let mut from_page = 0;
    let mut flush = |current: &mut String, page: usize| {
        if current.trim().is_empty() {
            current.clear();
            return;
        }
        let start = text.len();
        text.push_str(current.trim());
        places.push(PlaceSpan {
            span: start..text.len(),
            place: Place::Paragraph {
                index,
                page: Some(page),
            },
        });
        index += 1;
        text.push('\n');
        current.clear();
    };
    for (p, page) in pages.iter().enumerate() {
        // Extraction separates lines by blank lines, so a paragraph ends where a line is
        // clearly shorter than the page's full lines, or the next one starts a heading.
        let lines: Vec<String> = page
            .lines()
            .map(clean_line)
            .filter(|l| !l.trim().is_empty())
            .collect();
        let full = lines.iter().map(|l| l.width()).max().unwrap_or(0);
        for line in &lines {
            if !current.is_empty() && starts_paragraph(line) {
                flush(&mut current, from_page);
            }
            if current.is_empty() {
                from_page = p;
            }
            current.push_str(line.trim());
            if line.width() * 10 < full * 9 {
                flush(&mut current, from_page);
            }
        }
    }
    flush(&mut current, from_page);
    (text, places)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_radical_drawn_for_a_character_is_read_as_the_character() {
        // as Chromium's PDF of a report names them: 部⻔, ⻓效, ⼈⺠ (⼈ is a Kangxi radical)
        assert_eq!(
            clean_line("各部⻔建⽴⻓效机制，⼈⺠满意"),
            "各部门建立长效机制,人民满意"
        );
        // a component radical is not a character: left as it is
        assert_eq!(clean_line("⻈"), "⻈");
        for (radical, character) in RADICAL_CHARACTERS {
            assert_ne!(radical, character);
            assert!(('\u{2e80}'..='\u{2eff}').contains(radical));
            assert!(is_cjk(*character));
        }
    }

    #[test]
    fn extraction_artefacts_are_cleaned() {
        assert_eq!(
            clean_line("指标实际执行 261.20 万元"),
            "指标实际执行261.20万元"
        );
        assert_eq!(clean_line("⾦额 ８９.９７ 万元"), "金额89.97万元");
        assert_eq!(clean_line("PDF text layer"), "PDF text layer");
        assert_eq!(clean_line("控制率为１０0％"), "控制率为100%");
    }

    #[test]
    fn wrapped_lines_are_joined_into_paragraphs() {
        let pages = vec![
            "一、项目概况\n\n全县共依法处置各类涉访违法行为59人次，其中：依法训诫37人\n\n次，行政拘留17人次。\n".to_string(),
            "二、绩效\n\n办结961件。\n".to_string(),
        ];
        let (text, places) = paragraphs(&pages);
        assert!(
            // NFKC makes full-width punctuation ASCII (，→ ,); the prose reader reads both
            text.contains("依法训诫37人次,行政拘留17人次。\n"),
            "{text}"
        );
        assert_eq!(places.len(), 4);
        assert!(matches!(
            places[3].place,
            Place::Paragraph {
                index: 3,
                page: Some(1)
            }
        ));
    }

    #[test]
    fn a_paragraph_goes_on_across_a_page_break() {
        let pages = vec![
            "三、项目绩效\n\n全市受理4170件,四率分别为:及时受理率为100%;化解率99.19%;群众信访\n"
                .to_string(),
            "事项满意率为99.23%;参评率为99.92%。\n\n四、结论\n".to_string(),
        ];
        let (text, places) = paragraphs(&pages);
        assert!(text.contains("群众信访事项满意率为99.23%"), "{text}");
        assert_eq!(places.len(), 3, "{text}");
        // the paragraph is placed where it starts; the heading after it on its own page
        assert!(matches!(
            places[1].place,
            Place::Paragraph {
                index: 1,
                page: Some(0)
            }
        ));
        assert!(matches!(
            places[2].place,
            Place::Paragraph {
                index: 2,
                page: Some(1)
            }
        ));
        // a heading at the top of a page starts a paragraph of its own
        let pages = vec![
            "一、情况\n\n交办20件,办结20件,办结率为100%,全部办结。\n".to_string(),
            "二、问题\n\n全年交办信访事项20件。\n".to_string(),
        ];
        let (text, _) = paragraphs(&pages);
        assert!(text.contains("全部办结。\n二、问题\n"), "{text}");
    }

    #[test]
    fn garbage_is_a_problem_not_a_panic() {
        let r = read(
            "x.pdf".into(),
            b"%PDF-1.7\nnot really",
            &Limits::default(),
            &Lexicon::builtin(),
        );
        assert!(r.report.is_none());
        assert_eq!(r.problems[0].code, "pdf-unreadable");
    }
}

/// `HECHA_DUMP=a.pdf cargo test --lib dump_pdf_text -- --ignored --nocapture` prints the
/// paragraphs the reader makes of a PDF.
#[cfg(test)]
#[test]
#[ignore]
fn dump_pdf_text() {
    let bytes = std::fs::read(std::env::var("HECHA_DUMP").unwrap()).unwrap();
    print!("{}", paragraphs(&extract(&bytes).unwrap()).0);
}
