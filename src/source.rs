//! Source files: what a reader made of a file — its name, the text diagnostics show, and
//! the positions in it in the user's terms.
//!
//! Every span in hecha is a byte range into [`SourceFile::text`]. For UTF-8 files (with or
//! without a BOM) that is the file itself; a UTF-16 or GB18030 file is decoded first and
//! its spans refer to the decoded text, which the file's [`SourceFile::encoding`] records.
//! For a workbook or a document the text is what its reader shows (a line per row, a
//! paragraph per line), and [`SourceFile::places`] say which cell or paragraph each part
//! of it is. Every renderer asks [`SourceFile::position`] where a span is; none works a
//! position out itself.

use crate::problem::Problem;
use codespan_reporting::files::{Error as FilesError, Files};
use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8};
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `builtin:rules/casework.yaml` for a built-in pack).
    pub name: String,
    pub text: String,
    /// The encoding the bytes were decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
    /// Where the parts of the text are in the file, for a file whose positions are not
    /// lines and columns (a workbook's cells, a document's paragraphs); sorted by start,
    /// not overlapping. Empty for text files.
    pub places: Vec<PlaceSpan>,
    /// The line starts and whether the text is hostile, found when first asked for: a
    /// file that nothing is said about, and a built-in pack, are never scanned.
    scan: OnceLock<Scan>,
    /// Characters before every 4 KiB of text, to count columns on long lines quickly.
    char_marks: OnceLock<Vec<(usize, usize)>>,
}

/// A part of the shown text and where it is in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceSpan {
    pub span: Range<usize>,
    pub place: Place,
}

/// A position in a file in its user's terms, for a file that is not read as lines of text.
/// Numbers are 0-based here and 1-based when shown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// A cell of a workbook's sheet: `项目支出!E6`.
    Cell { sheet: String, row: u32, col: u32 },
    /// A paragraph of a document, and the page it is on where the document has pages:
    /// `第 12 段`, `第 3 页第 12 段`.
    Paragraph { index: usize, page: Option<usize> },
    /// A cell of a table in a Word document, counted in its row: `表 2 第 4 行第 3 格`.
    TableCell {
        table: usize,
        row: usize,
        cell: usize,
    },
}

/// The A1 name of a column: 0 is `A`, 25 `Z`, 26 `AA`.
pub(crate) fn column_name(col: u32) -> String {
    let mut name = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        let digit = (n - 1) % 26;
        name.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// A sheet name as a reference writes it: quoted (`'a b'!A1`, a `'` doubled) when it holds
/// characters that would end the name.
fn sheet_reference(sheet: &str) -> std::borrow::Cow<'_, str> {
    if sheet.is_empty() || sheet.contains([' ', '!', '\'', '[', ']', ':']) {
        format!("'{}'", sheet.replace('\'', "''")).into()
    } else {
        sheet.into()
    }
}

impl Place {
    /// The A1 name of the cell, for a sheet cell or a Word table cell (the cell's number
    /// in its row as the column, as Word's table formulas name cells).
    pub(crate) fn a1(&self) -> Option<String> {
        match *self {
            Place::Cell { row, col, .. } => Some(format!("{}{}", column_name(col), row + 1)),
            Place::TableCell { row, cell, .. } => Some(format!(
                "{}{}",
                column_name(u32::try_from(cell).unwrap_or(u32::MAX)),
                row + 1
            )),
            Place::Paragraph { .. } => None,
        }
    }
}

impl std::fmt::Display for Place {
    /// The place without the file: `项目支出!E6`, `第 12 段`, `第 3 页第 12 段`,
    /// `表 2 第 4 行第 3 格`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Cell { sheet, .. } => write!(
                f,
                "{}!{}",
                sheet_reference(sheet),
                self.a1().unwrap_or_default()
            ),
            Place::Paragraph { index, page: None } => write!(f, "第 {} 段", index + 1),
            Place::Paragraph {
                index,
                page: Some(page),
            } => write!(f, "第 {} 页第 {} 段", page + 1, index + 1),
            Place::TableCell { table, row, cell } => {
                write!(f, "表 {} 第 {} 行第 {} 格", table + 1, row + 1, cell + 1)
            }
        }
    }
}

/// Where a byte of the shown text is: its line and column in that text (1-based, the
/// column counting characters), and its place in the file when the file has places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position<'a> {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) place: Option<&'a Place>,
}

impl Position<'_> {
    /// The position after a file's name, as every output shows it: `a.yaml:3:5`,
    /// `自评表.xlsx!项目支出!E6`, `报告.docx 第 12 段`, `报告.pdf 第 3 页第 12 段`,
    /// `报告.docx 表 2 第 4 行第 3 格`.
    pub fn show(&self, name: &str) -> String {
        match self.place {
            None => format!("{name}:{}:{}", self.line, self.column),
            Some(place @ Place::Cell { .. }) => format!("{name}!{place}"),
            Some(place) => format!("{name} {place}"),
        }
    }
}

impl std::fmt::Display for Position<'_> {
    /// The position without the file's name: `3:5`, `项目支出!E6`, `第 12 段`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.place {
            None => write!(f, "{}:{}", self.line, self.column),
            Some(place) => place.fmt(f),
        }
    }
}

/// Longest line printed whole in a diagnostic, in bytes.
pub(crate) const MAX_LINE: usize = 400;

/// Whether `c` would move the cursor, change colours or reorder text in a terminal.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Whether `text` holds a character [`is_unsafe_char`] names, looked for byte by byte:
/// the controls (C0 but tab and line breaks, DEL, C1: lead byte 0xC2), and the line and
/// paragraph separators and bidirectional controls (lead byte 0xE2) have lead bytes that
/// no other character of their length shares. [`Scan::of`] does the same in its pass.
#[cfg(test)]
fn has_unsafe_char(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7f => true,
        0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

/// `text` with every character a terminal would act on shown as `?`: controls (a
/// carriage return, which returns the cursor over what was printed, among them),
/// bidirectional overrides. Line breaks (`\n`) and tabs are kept where `lines` allows them.
pub fn safe_text(text: &str, lines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_here = |c: char| {
        if lines && matches!(c, '\n' | '\t') {
            return false;
        }
        is_unsafe_char(c) || matches!(c, '\r' | '\n' | '\t')
    };
    if !text.chars().any(unsafe_here) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if unsafe_here(c) { '?' } else { c })
            .collect(),
    )
}

/// Why a file's bytes are not text hecha can read. Offsets are into the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte at this offset: the file is binary (a spreadsheet, an archive, an image).
    Binary { offset: usize },
    /// UTF-8 but for the bytes at this offset: damaged, or text in another encoding
    /// pasted in.
    Utf8 { offset: usize, len: usize },
    /// Neither UTF-8 nor GB18030 (which covers GBK and GB2312); GB18030 fails here.
    Unknown { offset: usize, len: usize },
    /// A UTF-16 byte order mark, then bytes that are not UTF-16 here.
    Utf16 {
        encoding: &'static str,
        offset: usize,
        len: usize,
    },
}

impl DecodeError {
    /// The problem to report, located in a stand-in for the file: its text up to the end
    /// of the line of the offending bytes, decoded as far as it goes, the offending bytes
    /// shown as U+FFFD. Line and column are those of the file.
    pub(crate) fn report(&self, name: String, bytes: &[u8]) -> (SourceFile, Problem) {
        let (encoding, offset, len) = match *self {
            DecodeError::Binary { offset } => {
                let problem = Problem::new(
                    "not-text",
                    format!(
                        "不是文本文件（第 {offset} 字节为 NUL），也不是 hecha 能读取的表格或文档"
                    ),
                )
                .with_note("hecha 读取 YAML、JSON、Excel 工作簿、Word 文档、PDF 和文本文件")
                .with_help("确认文件是否就是报告，或把报告另存为上述格式之一");
                return (SourceFile::new(name, ""), problem);
            }
            DecodeError::Utf8 { offset, len } => (UTF_8, offset, len),
            DecodeError::Unknown { offset, len } => (GB18030, offset, len),
            DecodeError::Utf16 {
                encoding,
                offset,
                len,
            } => (
                Encoding::for_label(encoding.as_bytes()).unwrap_or(UTF_8),
                offset,
                len,
            ),
        };
        let shown: String = bytes[offset..offset + len]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ");
        let problem = match self {
            DecodeError::Utf8 { .. } => Problem::new("not-text", "文件不是有效的 UTF-8 文本")
                .with_note("文件其余部分是 UTF-8；此处可能混入了其他编码（如 GBK）的文字，或文件已损坏")
                .with_help("在编辑器中改正此处的文字，另存为 UTF-8"),
            DecodeError::Unknown { .. } => Problem::new(
                "not-text",
                "无法识别文件的编码：既不是 UTF-8，也不是 GBK/GB18030",
            )
            .with_note("已按 UTF-8 和 GB18030（兼容 GBK、GB2312）解码，均不成功")
            .with_help("确认文件的编码后转换为 UTF-8，如繁体的 Big5：iconv -f BIG5 -t UTF-8 原文件 > 新文件"),
            _ => Problem::new(
                "not-text",
                format!("文件以 {} 的 BOM 开头，内容却不是有效的 {0} 文本", encoding.name()),
            )
            .with_help("另存为 UTF-8"),
        };
        let (source, span) = stand_in(name, bytes, encoding, offset, len);
        (source, problem.at(span, format!("无法识别的字节 {shown}")))
    }
}

/// The text of `bytes` up to the end of the line that holds `offset`, decoded with
/// `encoding` before it and lossily after, with the `len` bytes at `offset` as U+FFFD.
fn stand_in(
    name: String,
    bytes: &[u8],
    encoding: &'static Encoding,
    offset: usize,
    len: usize,
) -> (SourceFile, Range<usize>) {
    let mut text = encoding
        .decode_with_bom_removal(&bytes[..offset])
        .0
        .into_owned();
    if bytes.starts_with(b"\xEF\xBB\xBF") && encoding == UTF_8 {
        text.insert(0, '\u{feff}'); // keep the BOM, as `decode` does
    }
    let start = text.len();
    text.push('\u{FFFD}');
    if encoding == UTF_8 || encoding == GB18030 {
        let rest = &bytes[offset + len..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let (after, _) = encoding.decode_without_bom_handling(&rest[..line_end]);
        text.push_str(&after);
    }
    (
        SourceFile::new(name, text),
        start..start + '\u{FFFD}'.len_utf8(),
    )
}

/// Where `encoding` first fails on `bytes`, and how many bytes fail there.
fn first_malformed(encoding: &'static Encoding, bytes: &[u8]) -> Option<(usize, usize)> {
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::Malformed(bad, extra) => {
            let (bad, extra) = (usize::from(bad), usize::from(extra));
            let start = read.saturating_sub(bad + extra);
            Some((start, bad.max(1).min(bytes.len() - start)))
        }
        DecoderResult::InputEmpty | DecoderResult::OutputFull => None,
    }
}

/// Whether bytes that are not all UTF-8 are still mostly UTF-8: more valid multi-byte
/// characters than invalid sequences. Text in GBK rarely forms valid UTF-8, so such a
/// file is damaged UTF-8 rather than GBK, and decoding it as GB18030 would make nonsense.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > invalid
}

/// The text of UTF-16 written without a byte order mark (some Windows tools save
/// "Unicode" text so), if `bytes` are that: the ASCII of YAML (`:`, spaces, line breaks,
/// digits) puts a NUL in the high byte of most code units, so NULs fall mostly on one side
/// of each byte pair, and the whole decodes with no unpaired surrogate and no control
/// character. A spreadsheet, archive or image fails one of these at once.
fn utf16_without_bom(bytes: &[u8]) -> Option<(&'static Encoding, String)> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Little-endian puts the NUL of an ASCII character second; a CJK character may have
    // a NUL byte on either side (U+4E00 is 00 4E), hence "mostly".
    let encoding = if odd >= 4 * even.max(1) {
        encoding_rs::UTF_16LE
    } else if even >= 4 * odd.max(1) {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    let plain = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    (!malformed && text.contains('\n') && text.chars().all(plain))
        .then(|| (encoding, text.into_owned()))
}

/// What a byte is to [`Scan::of`]: nothing to note (most bytes), a line feed, a carriage
/// return, a control a terminal acts on, or the lead byte of the two-byte (0xC2) or
/// three-byte (0xE2) characters among which [`is_unsafe_char`] names some.
const PLAIN: u8 = 0;
const LF: u8 = 1;
const CR: u8 = 2;
const CONTROL: u8 = 3;
const LEAD_C2: u8 = 4;
const LEAD_E2: u8 = 5;

static BYTE_CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        class[b] = CONTROL;
        b += 1;
    }
    class[b'\t' as usize] = PLAIN;
    class[b'\n' as usize] = LF;
    class[b'\r' as usize] = CR;
    class[0x7f] = CONTROL;
    class[0xc2] = LEAD_C2;
    class[0xe2] = LEAD_E2;
    class
};

/// A new file's line starts and whether it is hostile, found in one pass over its bytes.
#[derive(Debug)]
struct Scan {
    line_starts: Vec<usize>,
    hostile: bool,
}

/// Every byte of a word set to `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Whether a byte of `word` is one [`BYTE_CLASS`] does not call plain, or might be: a
/// byte below 0x20, or 0x7F, 0xC2 or 0xE2. Each test is exact as to whether any byte
/// of the word passes it (the per-byte flags may be wrong, their union is not), so a word
/// this says no to holds only plain bytes.
fn may_need_a_look(word: u64) -> bool {
    let (low, high) = (splat(0x01), splat(0x80));
    let has_zero = |v: u64| v.wrapping_sub(low) & !v & high != 0;
    (word.wrapping_sub(splat(0x20)) & !word & high != 0)
        || has_zero(word ^ splat(0x7f))
        || has_zero(word ^ splat(0xc2))
        || has_zero(word ^ splat(0xe2))
}

/// The state of [`Scan::of`] between bytes.
struct Scanning<'t> {
    bytes: &'t [u8],
    line_starts: Vec<usize>,
    longest: usize,
    start: usize,
    lone_cr: bool,
    unsafe_char: bool,
}

impl Scanning<'_> {
    /// Notes the byte at `i`.
    #[inline]
    fn byte(&mut self, i: usize) {
        let bytes = self.bytes;
        match BYTE_CLASS[usize::from(bytes[i])] {
            PLAIN => return,
            LF => {}
            CR if bytes.get(i + 1) != Some(&b'\n') => self.lone_cr = true,
            CR => return,
            CONTROL => {
                self.unsafe_char = true;
                return;
            }
            LEAD_C2 => {
                self.unsafe_char |= matches!(bytes.get(i + 1), Some(0x80..=0x9f));
                return;
            }
            _ => {
                self.unsafe_char |= matches!(
                    (bytes.get(i + 1), bytes.get(i + 2)),
                    (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                );
                return;
            }
        }
        // A line break ends the line before it.
        self.longest = self.longest.max(i + 1 - self.start);
        self.start = i + 1;
        self.line_starts.push(self.start);
    }
}

impl Scan {
    /// A line ends at `\n`, at `\r\n`, and at a lone `\r` (YAML 1.2, and every editor), so
    /// that lines and columns are those an editor shows. The text is hostile when a line
    /// is longer than [`MAX_LINE`], a `\r` stands alone, or a character is one
    /// [`is_unsafe_char`] names (`scan_is_the_reference_scan` checks all three against
    /// their char-by-char forms). Eight bytes are tested at once, and looked at one by one
    /// only when one of them may be other than plain.
    fn of(text: &str) -> Scan {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut scan = Scanning {
            bytes,
            line_starts,
            longest: 0,
            start: 0,
            lone_cr: false,
            unsafe_char: false,
        };
        let mut words = bytes.chunks_exact(8);
        let mut at = 0;
        for word in words.by_ref() {
            let word = u64::from_ne_bytes(word.try_into().expect("chunks of 8 bytes"));
            if may_need_a_look(word) {
                for i in at..at + 8 {
                    scan.byte(i);
                }
            }
            at += 8;
        }
        for i in at..bytes.len() {
            scan.byte(i);
        }
        let longest = scan.longest.max(bytes.len() - scan.start);
        Scan {
            line_starts: scan.line_starts,
            hostile: longest > MAX_LINE || scan.lone_cr || scan.unsafe_char,
        }
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
            encoding: None,
            places: Vec::new(),
            scan: OnceLock::new(),
            char_marks: OnceLock::new(),
        }
    }

    /// The line starts: the first byte of each line.
    fn line_starts(&self) -> &[usize] {
        &self.scan().line_starts
    }

    fn scan(&self) -> &Scan {
        self.scan.get_or_init(|| Scan::of(&self.text))
    }

    /// Decodes a file's bytes: UTF-8 (a BOM is kept, the YAML parser skips it, so byte
    /// offsets stay those of the file), UTF-16 with a BOM, or GB18030 (which covers GBK),
    /// the encoding Chinese Windows editors and Excel exports use.
    pub fn decode(name: impl Into<String>, bytes: &[u8]) -> Result<SourceFile, DecodeError> {
        let utf16 = match bytes {
            [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
            [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
            _ => None,
        };
        if let Some(encoding) = utf16 {
            let (text, _, malformed) = encoding.decode(bytes);
            if malformed {
                let (offset, len) = first_malformed(encoding, bytes).unwrap_or((0, 2));
                return Err(DecodeError::Utf16 {
                    encoding: encoding.name(),
                    offset,
                    len,
                });
            }
            let mut file = SourceFile::new(name, text.into_owned());
            file.encoding = Some(encoding.name());
            return Ok(file);
        }
        // `contains` looks for the byte a word at a time; most files have none.
        if bytes.contains(&0)
            && let Some(offset) = bytes.iter().position(|&b| b == 0)
        {
            if let Some((encoding, text)) = utf16_without_bom(bytes) {
                let mut file = SourceFile::new(name, text);
                file.encoding = Some(encoding.name());
                return Ok(file);
            }
            return Err(DecodeError::Binary { offset });
        }
        // Reports are mostly three-byte Chinese characters, which the standard library
        // checks one at a time; simdutf8 checks 32 bytes at once. It only says yes or no:
        // where a file is not UTF-8, the standard library says where.
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Ok(SourceFile::new(name, text));
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(e) if mostly_utf8(bytes) => Err(DecodeError::Utf8 {
                offset: e.valid_up_to(),
                len: e.error_len().unwrap_or(bytes.len() - e.valid_up_to()),
            }),
            Err(_) => {
                let (text, malformed) = GB18030.decode_without_bom_handling(bytes);
                if malformed {
                    let (offset, len) = first_malformed(GB18030, bytes).unwrap_or((0, 1));
                    return Err(DecodeError::Unknown { offset, len });
                }
                let mut file = SourceFile::new(name, text.into_owned());
                file.encoding = Some(GB18030.name());
                Ok(file)
            }
        }
    }

    /// The 0-based line that holds `byte`.
    pub(crate) fn line_index(&self, byte: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    /// 1-based line and column of `byte`; the column counts characters, not bytes.
    pub fn line_column(&self, byte: usize) -> (usize, usize) {
        let line = self.line_index(byte);
        let start = self.line_starts()[line];
        let end = byte.min(self.text.len());
        let column = if end - start <= 4096 || !self.text.is_char_boundary(end) {
            self.text
                .get(start..end)
                .map_or(end - start, |s| s.chars().count())
        } else {
            // A long line: count from the nearest marks rather than the line start, so
            // that many diagnostics on one huge line do not each count all of it.
            self.chars_before(end) - self.chars_before(start)
        };
        (line + 1, column + 1)
    }

    /// The number of characters (Unicode code points) before `byte`: SARIF's
    /// `charOffset`, the same whatever encoding the file was decoded from.
    pub fn char_offset(&self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        self.chars_before(byte)
    }

    /// The number of characters before `byte`, which is on a character boundary.
    fn chars_before(&self, byte: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at < self.text.len() {
                let mut next = (at + 4096).min(self.text.len());
                while !self.text.is_char_boundary(next) {
                    next += 1;
                }
                chars += self.text[at..next].chars().count();
                at = next;
                marks.push((at, chars));
            }
            marks
        });
        let i = marks.partition_point(|&(at, _)| at <= byte) - 1;
        let (at, chars) = marks[i];
        chars + self.text[at..byte].chars().count()
    }

    /// Where `byte` is: its line and column, and the place that holds it, if any.
    pub fn position(&self, byte: usize) -> Position<'_> {
        let (line, column) = self.line_column(byte);
        Position {
            line,
            column,
            place: self.place(byte),
        }
    }

    /// The place that holds `byte` (an empty place holds the byte it starts at).
    pub fn place(&self, byte: usize) -> Option<&Place> {
        let i = self.places.partition_point(|p| p.span.start <= byte);
        let candidate = self.places.get(i.checked_sub(1)?)?;
        let span = &candidate.span;
        (byte < span.end || byte == span.start).then_some(&candidate.place)
    }

    /// The number a diagnostic's gutter shows for a 0-based line of the text: the line's
    /// number, or for a line that shows a sheet's row, the row's number in the sheet (the
    /// number a clerk sees at the left of the sheet in Excel); for a Word table's row its
    /// number in the table, and for a Word paragraph its number (as the header's 「表 1 第 6
    /// 行」 and 「第 12 段」 say, where a document shows paragraphs and tables in one text).
    pub(crate) fn line_number(&self, line: usize) -> usize {
        let Some(&start) = self.line_starts().get(line) else {
            return line + 1;
        };
        if self.places.is_empty() {
            return line + 1;
        }
        let end = self
            .line_starts()
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let first = self.places.partition_point(|p| p.span.start < start);
        match self.places.get(first) {
            Some(PlaceSpan {
                span,
                place: Place::Cell { row, .. },
            }) if span.start < end => *row as usize + 1,
            Some(PlaceSpan {
                span,
                place: Place::TableCell { row, .. },
            }) if span.start < end => row + 1,
            Some(PlaceSpan {
                span,
                place: Place::Paragraph { index, page: None },
            }) if span.start < end => index + 1,
            _ => line + 1,
        }
    }

    /// Sets the places of the text, sorting them by start.
    pub fn with_places(mut self, mut places: Vec<PlaceSpan>) -> SourceFile {
        places.sort_by_key(|p| (p.span.start, p.span.end));
        self.places = places;
        self
    }

    /// Whether diagnostics about this file must be printed from an excerpt: it has a line
    /// longer than [`MAX_LINE`] or characters a terminal would act on.
    pub fn is_hostile(&self) -> bool {
        self.scan().hostile
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let start = self.line_starts()[line];
        let end = self
            .line_starts()
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    pub fn slice(&self, span: Range<usize>) -> &str {
        self.text.get(span).unwrap_or("")
    }
}

impl<'a> Files<'a> for SourceFile {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(SourceFile::line_index(self, byte_index))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(SourceFile::line_number(self, line_index))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = *self
            .line_starts()
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts().len() - 1,
            })?;
        let end = self
            .line_starts()
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_found_byte_by_byte_as_char_by_char() {
        let mut texts: Vec<String> = (0u32..0x3000)
            .filter_map(char::from_u32)
            .map(|c| format!("交办{c}5件"))
            .collect();
        texts.extend(
            [
                "",
                "a",
                "\t\n\r",
                "“”—…",
                "\u{feff}",
                "\u{2027}\u{202f}\u{2065}\u{206a}",
            ]
            .map(String::from),
        );
        for text in texts {
            assert_eq!(
                has_unsafe_char(&text),
                text.chars().any(is_unsafe_char),
                "{:?}",
                text
            );
        }
    }

    use proptest::strategy::Strategy;

    /// Line starts and hostility as they were found before [`Scan::of`]: one iterator each.
    fn reference_scan(text: &str) -> (Vec<usize>, bool) {
        let bytes = text.as_bytes();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    })
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let longest = line_starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain([text.len() - line_starts[line_starts.len() - 1]])
            .max()
            .unwrap_or(0);
        let lone_cr = text
            .match_indices('\r')
            .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'));
        let hostile = longest > MAX_LINE || lone_cr || text.chars().any(is_unsafe_char);
        (line_starts, hostile)
    }

    proptest::proptest! {
        #[test]
        fn scan_is_the_reference_scan(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[a-z0-9: \\-]{0,12}").unwrap(),
                    proptest::string::string_regex("[交办结件万元“”—…]{0,8}").unwrap(),
                    proptest::sample::select(vec![
                        "\n", "\r", "\r\n", "\t", "\u{1b}", "\u{7f}", "\u{85}", "\u{a0}", "\u{2028}",
                        "\u{202e}", "\u{2066}", "\u{2069}", "\u{206a}", "\u{2027}", "\u{feff}", "\0",
                    ]).prop_map(String::from),
                    (0usize..500).prop_map(|n| "x".repeat(n)),
                ],
                0..40,
            )
        ) {
            let text = parts.concat();
            let scan = Scan::of(&text);
            proptest::prop_assert_eq!((scan.line_starts, scan.hostile), reference_scan(&text));
        }
    }

    #[test]
    fn a_word_of_plain_bytes_is_never_looked_at_again() {
        // Every byte alone in a word of plain filler, at every place in the word; a tab,
        // plain but below 0x20, is looked at.
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = b;
                let plain = BYTE_CLASS[usize::from(b)] == PLAIN && b != b'\t';
                assert_eq!(
                    may_need_a_look(u64::from_ne_bytes(word)),
                    !plain,
                    "{b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn every_character_scans_as_char_by_char() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            for text in [format!("交办{c}5件"), format!("{c}"), format!("a\n{c}")] {
                let scan = Scan::of(&text);
                assert_eq!(
                    (scan.line_starts, scan.hostile),
                    reference_scan(&text),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        let f = SourceFile::new("a.yaml", "交办: 5件\r办结: 6件\r\n说明: 无\n");
        let offset = f.text.find("6件").unwrap();
        assert_eq!(f.line_column(offset), (2, 5));
        assert_eq!(f.line_column(f.text.find("无").unwrap()), (3, 5));
        assert_eq!(f.slice(f.line_span(0)), "交办: 5件");
        assert_eq!(f.slice(f.line_span(1)), "办结: 6件");
    }

    #[test]
    fn columns_count_characters_on_chinese_lines() {
        let f = SourceFile::new("a.yaml", "名称: 信访\n交办: 1022件\n");
        let offset = f.text.find("1022").unwrap();
        assert_eq!(f.line_column(offset), (2, 5));
        assert_eq!(f.line_column(0), (1, 1));
    }

    #[test]
    fn columns_on_a_long_line() {
        let text = format!("a: [{}]\n", "信访, ".repeat(10_000));
        let f = SourceFile::new("a.yaml", text.clone());
        let byte = text.rfind("信访").unwrap();
        assert_eq!(f.line_column(byte), (1, text[..byte].chars().count() + 1));
        assert_eq!(f.line_column(text.len()), (2, 1));
        assert!(f.is_hostile());
        assert!(!SourceFile::new("b.yaml", "a: 1\r\nb: 2\r\n").is_hostile());
        assert!(SourceFile::new("c.yaml", "a: \u{1b}[2J\n").is_hostile());
        assert!(SourceFile::new("d.yaml", "a: 1\rb: 2\n").is_hostile());
        let f = SourceFile::new("e.yaml", "a: 1\r\nbc: 2");
        assert_eq!(f.line_span(0), 0..4);
        assert_eq!(f.line_span(1), 6..11);
    }

    #[test]
    fn positions_in_the_users_terms() {
        let text = "项目 │ 预算\n支出 │ 89.97\n第二段\n";
        let at = text.find("89.97").unwrap();
        let para = text.find("第二段").unwrap();
        let f = SourceFile::new("自评表.xlsx", text).with_places(vec![
            PlaceSpan {
                span: para..para + "第二段".len(),
                place: Place::Paragraph {
                    index: 2,
                    page: Some(0),
                },
            },
            PlaceSpan {
                span: at..at + 5,
                place: Place::Cell {
                    sheet: "项目支出".into(),
                    row: 5,
                    col: 4,
                },
            },
        ]);
        assert_eq!(f.position(at).show(&f.name), "自评表.xlsx!项目支出!E6");
        assert_eq!(f.position(at + 4).to_string(), "项目支出!E6");
        assert_eq!(f.position(at + 5).place, None, "the line break is no cell");
        assert_eq!(f.position(at + 5).show("x"), "x:2:11");
        assert_eq!(f.position(0).place, None);
        assert_eq!(f.position(para).show("报告.pdf"), "报告.pdf 第 1 页第 3 段");
        // The gutter shows a sheet row's own number; other lines keep theirs.
        assert_eq!(
            (f.line_number(0), f.line_number(1), f.line_number(2)),
            (1, 6, 3)
        );
        let table = Place::TableCell {
            table: 1,
            row: 3,
            cell: 2,
        };
        assert_eq!(table.to_string(), "表 2 第 4 行第 3 格");
        assert_eq!(table.a1().as_deref(), Some("C4"));
        let plain = Position {
            line: 12,
            column: 5,
            place: None,
        };
        assert_eq!(plain.to_string(), "12:5");
        assert_eq!(plain.show("a.yaml"), "a.yaml:12:5");
        let word = Position {
            line: 1,
            column: 1,
            place: Some(&table),
        };
        assert_eq!(word.show("报告.docx"), "报告.docx 表 2 第 4 行第 3 格");
        let quoted = Place::Cell {
            sheet: "Sheet 1".into(),
            row: 0,
            col: 27,
        };
        assert_eq!(quoted.to_string(), "'Sheet 1'!AB1");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
    }

    #[test]
    fn decodes_utf16_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("交办: 1022件\n");
        let f = SourceFile::decode("g.yaml", &gbk).unwrap();
        assert_eq!(f.text, "交办: 1022件\n");
        assert_eq!(f.encoding, Some("gb18030"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "办结: 5件".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let f = SourceFile::decode("u.yaml", &utf16).unwrap();
        assert_eq!(f.text, "办结: 5件");
        assert_eq!(f.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn utf16_without_a_bom_is_told_from_binary() {
        let text = "交办: 20件\n办结: 21件\n说明: 一二三\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let f = SourceFile::decode("le.yaml", &le).unwrap();
        assert_eq!((f.text.as_str(), f.encoding), (text, Some("UTF-16LE")));
        let f = SourceFile::decode("be.yaml", &be).unwrap();
        assert_eq!((f.text.as_str(), f.encoding), (text, Some("UTF-16BE")));
        // An odd length, control characters, NULs on both sides: not text.
        assert!(SourceFile::decode("odd", &le[..le.len() - 1]).is_err());
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00";
        assert_eq!(
            SourceFile::decode("z", zip).unwrap_err(),
            DecodeError::Binary { offset: 5 }
        );
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(SourceFile::decode("p", png).is_err());
    }

    #[test]
    fn binary_and_garbage_are_refused_with_an_offset() {
        assert_eq!(
            SourceFile::decode("b", b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
        assert_eq!(
            SourceFile::decode("x", b"a: \xff\xff\xff").unwrap_err(),
            DecodeError::Unknown { offset: 3, len: 1 }
        );
    }

    /// The problem's label as the stand-in text shows it, and its line and column.
    fn located(bytes: &[u8]) -> (String, (usize, usize), Problem) {
        let error = SourceFile::decode("f.yaml", bytes).unwrap_err();
        let (source, problem) = error.report("f.yaml".into(), bytes);
        let span = problem.span.clone().unwrap();
        let position = source.line_column(span.start);
        (source.slice(span).to_string(), position, problem)
    }

    #[test]
    fn damaged_utf8_is_not_read_as_gbk() {
        // UTF-8 with one stray byte decodes as GB18030 without error, into nonsense; it
        // is reported where the stray byte is instead.
        let mut bytes = "名称: 信访\n说明: 已经".as_bytes().to_vec();
        bytes.push(0xB0);
        bytes.extend_from_slice("x办理\n".as_bytes());
        assert!(!GB18030.decode_without_bom_handling(&bytes).1);
        let (shown, position, problem) = located(&bytes);
        assert_eq!(shown, "\u{FFFD}");
        assert_eq!(position, (2, 7));
        assert_eq!(problem.message, "文件不是有效的 UTF-8 文本");
        assert_eq!(problem.label, "无法识别的字节 0xB0");
    }

    #[test]
    fn neither_utf8_nor_gbk_is_located_in_readable_text() {
        let mut bytes = GB18030.encode("交办: 1022件\n说明: 已办").0.into_owned();
        bytes.extend_from_slice(b"\xFF\xFFx\n");
        let (shown, position, problem) = located(&bytes);
        assert_eq!(shown, "\u{FFFD}");
        assert_eq!(position, (2, 7));
        assert!(
            problem.message.contains("GBK/GB18030"),
            "{}",
            problem.message
        );
        assert!(problem.help.unwrap().contains("iconv"));
    }

    #[test]
    fn malformed_utf16_is_located() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a: 1\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        bytes.extend([0x00, 0xDC, b'b', 0]); // an unpaired low surrogate
        let (shown, position, problem) = located(&bytes);
        assert_eq!(shown, "\u{FFFD}");
        assert_eq!(position, (2, 1));
        assert_eq!(problem.label, "无法识别的字节 0x00 0xDC");
    }
}
