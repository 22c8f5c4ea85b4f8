//! Readers: a file's bytes → a [`SourceFile`] (the text diagnostics show, with positions in
//! the user's terms) and a report tree, the reader chosen by the file's content first and
//! its name second.
//!
//! - [`yaml`]: YAML and JSON, read as written; positions are line:column. [`json`]: a
//!   faster scanner for the same JSON text, tried first on text that starts with `{` or
//!   `[` ([`load`]), giving the same tree.
//! - A workbook (.xlsx, .xls, .ods), a Word document (.docx), text (.txt, .md) and a PDF
//!   are recognised by [`sniff`]; each is read by its own reader, which registers the
//!   cells and paragraphs it showed as [`crate::source::Place`]s.
//!
//! A file no reader takes, or one a reader recognises but cannot make sense of, is a
//! [`Problem`] (exit 2), never a clean pass.

pub mod block_yaml;
pub mod docx;
pub mod grid;
pub mod json;
pub mod pdf;
pub mod prose;
pub mod table;
pub mod transcribe;
pub mod workbook;
pub mod yaml;

use crate::problem::Problem;
use crate::report::Report;
use crate::source::SourceFile;
use std::sync::{Arc, OnceLock};

/// Bounds on what reading one file may make hecha do. `hecha check` has a flag for each;
/// the work the rules may do on the tree is the engine's ([`crate::engine::Budget`]).
///
/// The defaults leave wide room for real reports: the largest sample in `samples/` is
/// 5.7 KB with 170 values nested 7 deep, and a 200-row 绩效自评表 with a dozen columns is
/// about 2,400 values and 100 KB. A tree costs about 300 bytes per value, so the node
/// budget also bounds memory (about 300 MB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes; a larger file is refused before it is read.
    pub max_file_size: u64,
    /// Deepest nesting of mappings and lists.
    pub max_depth: usize,
    /// Most values (mappings, lists, figures, text) in one file, aliases expanded.
    pub max_nodes: usize,
    /// Most values that expanding aliases (`*name`) may add to one file. Real reports
    /// seldom use aliases; ten aliases of aliases of ten make a billion.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 16 << 20,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
        }
    }
}

/// What a file is, as far as choosing its reader goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML, and any text not named as another format.
    Yaml,
    /// Text named `.json`. Read as YAML is (JSON is YAML 1.2): [`load`] chooses the JSON
    /// scanner by the text itself, so JSON content named `.yaml` is read fast as well.
    Json,
    /// An Office Open XML workbook (a zip whose parts are under `xl/`).
    Xlsx,
    /// An Excel 97–2003 workbook (an OLE compound file with a `Workbook` stream).
    Xls,
    /// An OpenDocument spreadsheet (a zip whose `mimetype` says so).
    Ods,
    /// An Office Open XML Word document (a zip whose parts are under `word/`).
    Docx,
    /// Plain text named `.txt`: a report as written, in prose.
    Text,
    /// Markdown named `.md` or `.markdown`: a report as written, in prose.
    Markdown,
    /// A PDF (`%PDF-`).
    Pdf,
}

impl Format {
    /// The name a message gives the format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Xlsx => "Excel 工作簿（.xlsx）",
            Format::Xls => "Excel 97-2003 工作簿（.xls）",
            Format::Ods => "OpenDocument 表格（.ods）",
            Format::Docx => "Word 文档（.docx）",
            Format::Text => "纯文本（.txt）",
            Format::Markdown => "Markdown 文本（.md）",
            Format::Pdf => "PDF 文档",
        }
    }
}

/// File extensions (lower case, no dot) that name report files a directory walk picks up.
pub const EXTENSIONS: &[&str] = &[
    "yaml", "yml", "json", "xlsx", "xls", "ods", "docx", "pdf", "txt", "md",
];

/// The zip local file header signature, and that of an empty archive's end record.
const ZIP: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
/// The OLE compound file signature (.xls, .doc, .ppt of Office 97–2003).
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Chooses the format of a file from its content, then its name: a zip holding
/// `[Content_Types].xml` is a workbook or a Word document by the part names inside, a zip
/// whose `mimetype` names a spreadsheet is an OpenDocument spreadsheet, an OLE compound
/// file with a `Workbook` stream is an .xls, `%PDF-` starts a PDF; text is prose when
/// named `.txt` or `.md`, and YAML otherwise (JSON is YAML). A file recognised as none of
/// these formats, or text named as a document, is a problem naming what it is.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<Format, Box<Problem>> {
    let extension = extension(name);
    if bytes.starts_with(ZIP) || bytes.starts_with(ZIP_EMPTY) {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(OLE) {
        return sniff_ole(bytes);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(Format::Pdf);
    }
    match extension.as_deref() {
        Some("txt") => Ok(Format::Text),
        Some("md" | "markdown") => Ok(Format::Markdown),
        Some("json") => Ok(Format::Json),
        Some(e @ ("xlsx" | "xls" | "ods" | "docx" | "doc" | "pdf" | "csv" | "htm" | "html"))
            if !bytes.trim_ascii().is_empty() =>
        {
            Err(Box::new(if looks_binary(bytes) {
                not_as_named(e)
            } else {
                text_named_as(e)
            }))
        }
        // Anything else is read as YAML; bytes that are not text are reported by decoding.
        _ => Ok(Format::Yaml),
    }
}

/// The lower-case extension of a file name, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = file.rsplit_once('.')?;
    (!stem.is_empty()).then(|| extension.to_ascii_lowercase())
}

/// Whether the first bytes hold a NUL, as a binary file's do and text's do not (UTF-16
/// text is told apart by decoding, which reports it).
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Bytes that are not text, named as a document, but not the document the name says.
fn not_as_named(extension: &str) -> Problem {
    Problem::new(
        "unsupported-format",
        format!("文件名为 .{extension}，内容却不是这种格式的文件"),
    )
    .with_note("文件可能不完整、已损坏，或是改了扩展名的其他文件")
    .with_help("用原程序打开确认，或重新导出后再核查")
}

/// A text file named as a document or a table export: read it as YAML and it would most
/// likely pass with nothing checked.
fn text_named_as(extension: &str) -> Problem {
    let what = match extension {
        "csv" => "CSV 表格",
        "htm" | "html" => "网页",
        _ => "文档或表格",
    };
    let problem = Problem::new(
        "unsupported-format",
        format!("文件名为 .{extension}，内容却是文本，不是 hecha 能读取的{what}"),
    );
    match extension {
        "csv" | "htm" | "html" | "xls" => problem
            .with_note("业务系统导出的 .xls 常是网页或 CSV 文本，改了扩展名而已")
            .with_help("用 Excel 打开后另存为 .xlsx 再核查"),
        _ => problem.with_help("确认文件是否完整，或用原程序重新导出"),
    }
}

/// `文件是 Excel 工作簿`, `文件是纯文本`: a space before Latin letters, none before Chinese.
fn it_is(what: &str) -> String {
    if what.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!("文件是 {what}")
    } else {
        format!("文件是{what}")
    }
}

/// A file in a format hecha does not read.
fn unsupported(message: impl Into<String>, help: &str) -> Box<Problem> {
    Box::new(Problem::new("unsupported-format", message).with_help(help))
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A zip archive: an Office Open XML document by its parts, or an OpenDocument file by
/// its `mimetype`. Part names are stored uncompressed in the zip's headers, so looking for
/// them in the bytes suffices to choose a reader (which then reads the archive properly).
fn sniff_zip(bytes: &[u8]) -> Result<Format, Box<Problem>> {
    // The first entry of an OpenDocument file is `mimetype`, stored, at offset 30.
    if bytes.get(30..38) == Some(b"mimetype") {
        let head = &bytes[38..bytes.len().min(38 + 80)];
        if head.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        if head.starts_with(b"application/vnd.oasis.opendocument.text") {
            return Err(unsupported(
                "文件是 OpenDocument 文字文档（.odt），hecha 不能读取",
                "用 WPS 或 Word 打开后另存为 .docx 再核查",
            ));
        }
    }
    if contains(bytes, b"[Content_Types].xml") {
        if contains(bytes, b"xl/workbook") {
            return Ok(Format::Xlsx);
        }
        if contains(bytes, b"word/document") {
            return Ok(Format::Docx);
        }
        if contains(bytes, b"ppt/") {
            return Err(unsupported(
                "文件是 PowerPoint 演示文稿，hecha 不能读取",
                "把报告另存为 .docx 或 .xlsx 再核查",
            ));
        }
        return Err(Box::new(
            Problem::new(
                "unsupported-format",
                "文件是 Office 文档的压缩包，其中却没有工作簿或 Word 文档的内容",
            )
            .with_note("文件可能不完整或已损坏，也可能是 hecha 不能读取的其他 Office 文件")
            .with_help("用 Excel 或 Word 打开确认，另存为 .xlsx 或 .docx 后再核查"),
        ));
    }
    Err(unsupported(
        "文件是 zip 压缩包，不是 hecha 能读取的工作簿或文档",
        "先解压，再核查其中的报告文件",
    ))
}

/// An OLE compound file: an .xls by its `Workbook` (or Excel 5 `Book`) stream; a .doc is
/// named as such.
fn sniff_ole(bytes: &[u8]) -> Result<Format, Box<Problem>> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    if contains(bytes, &utf16("EncryptedPackage")) {
        // A password-protected .xlsx or .docx is an OLE container of its encrypted package.
        return Err(Box::new(workbook::password_protected()));
    }
    if contains(bytes, &utf16("Workbook")) || contains(bytes, &utf16("Book\0")) {
        return Ok(Format::Xls);
    }
    let what = if contains(bytes, &utf16("WordDocument")) {
        "Word 97-2003 文档（.doc）"
    } else {
        "Office 97-2003 文件，但不是 Excel 工作簿"
    };
    Err(unsupported(
        format!("{}，hecha 不能读取", it_is(what)),
        "用 WPS 或 Word 打开后另存为 .docx 再核查",
    ))
}

/// The declarative files the readers use: how forms name their columns and rows, how
/// prose names a figure. The built-in ones are embedded; a bureau's files extend them.
///
/// The built-in files are read on first use: a YAML or JSON report needs neither, and
/// reading them was a seventh of a cold check of one report. They cannot fail then (tests
/// read each without a problem: `the_builtin_lexicon_reads`,
/// `the_builtin_layout_reads_and_a_bureau_extends_it`); a bureau's files are read, and
/// their problems reported, when the run's rules load.
#[derive(Clone, Debug, Default)]
pub struct Knowledge {
    /// How forms name their columns and rows (`rules/readers/forms-layout.yaml`); unset:
    /// the built-in layout, read on first use.
    forms: OnceLock<table::Layout>,
    /// How prose names the figures the packs check (rules/readers/prose-lexicon.yaml),
    /// made on first use from the bureaus' lexicons and the built-in one.
    lexicon: OnceLock<prose::lexicon::Lexicon>,
    /// A bureau's lexicons, in the order they were added (each tried before the ones
    /// added earlier, and all before the built-in one).
    lexicons: Vec<prose::lexicon::Lexicon>,
}

impl Knowledge {
    /// The knowledge shipped with hecha.
    pub fn builtin() -> Knowledge {
        Knowledge::default()
    }

    /// How forms name their columns and rows.
    pub fn forms(&self) -> &table::Layout {
        self.forms.get_or_init(table::Layout::builtin)
    }

    /// How prose names the figures the packs check.
    pub fn lexicon(&self) -> &prose::lexicon::Lexicon {
        self.lexicon.get_or_init(|| {
            self.lexicons
                .iter()
                .fold(prose::lexicon::Lexicon::builtin(), |known, first| {
                    known.extended_by(first.clone())
                })
        })
    }

    /// Uses `layout` (the built-in one with a bureau's variants) for forms.
    pub fn set_forms(&mut self, layout: table::Layout) {
        self.forms = OnceLock::from(layout);
    }

    /// Tries a bureau's `lexicon` before what is known.
    pub fn extend_lexicon(&mut self, lexicon: prose::lexicon::Lexicon) {
        self.lexicons.push(lexicon);
        self.lexicon = OnceLock::new();
    }
}

/// What a reader made of a file.
#[derive(Debug)]
pub struct Read {
    /// The text diagnostics show and the positions in it.
    pub source: Arc<SourceFile>,
    /// The tree, when the file could be read.
    pub report: Option<Report>,
    pub problems: Vec<Problem>,
    /// Structures the reader saw but left unchecked (prose sentences, form blocks).
    pub unrecognised: usize,
    /// Figures a prose reader found (`None` for data files, where every value is written
    /// as a figure on purpose).
    pub figures_read: Option<usize>,
}

impl Read {
    /// A file that could not be read at all.
    pub fn unusable(source: SourceFile, problem: Problem) -> Read {
        Read {
            source: Arc::new(source),
            report: None,
            problems: vec![problem],
            unrecognised: 0,
            figures_read: None,
        }
    }
}

/// Reads YAML or JSON text into a report tree. Text that starts (after a byte order mark
/// and whitespace) with `{` or `[` — JSON, whatever the file is named — is tried with the
/// fast JSON scanner first ([`json`]), other text with the fast scanner for block YAML
/// ([`block_yaml`]); what they do not read exactly as the YAML reader would, the YAML
/// reader reads ([`yaml::load`]), so the tree, spans and problems are the same either way.
pub fn load(text: &str, limits: &Limits) -> yaml::Loaded {
    json::load(text, limits)
        .or_else(|| block_yaml::load(text, limits))
        .unwrap_or_else(|| yaml::load(text, limits))
}

/// Reads one file's bytes with the reader its format calls for.
pub fn read(name: String, bytes: &[u8], limits: &Limits, knowledge: &Knowledge) -> Read {
    match sniff(&name, bytes) {
        Ok(Format::Yaml | Format::Json) => yaml::read(name, bytes, limits),
        Ok(format @ (Format::Xlsx | Format::Xls | Format::Ods)) => {
            let book = match format {
                Format::Xlsx => workbook::Book::Xlsx,
                Format::Xls => workbook::Book::Xls,
                _ => workbook::Book::Ods,
            };
            let sheets = workbook::read(bytes, book, limits);
            table::read_grids(
                name,
                sheets.grids,
                sheets.problems,
                knowledge.forms(),
                limits,
                "工作簿",
            )
        }
        Ok(Format::Docx) => match docx::read(bytes, limits) {
            Ok(body) => read_document(name, body, limits, knowledge),
            Err(problem) => Read::unusable(SourceFile::new(name, ""), *problem),
        },
        Ok(Format::Text | Format::Markdown) => {
            prose::read(name, bytes, limits, knowledge.lexicon())
        }
        Ok(Format::Pdf) => pdf::read(name, bytes, limits, knowledge.lexicon()),
        Err(problem) => Read::unusable(SourceFile::new(name, ""), *problem),
    }
}

/// A Word document: its form tables and its paragraphs. A document with a form whose
/// paragraphs hold figures is read both ways into one tree ([`read_mixed`]); one without
/// a form is read as a prose report, and one whose paragraphs hold no figure as its forms.
fn read_document(name: String, body: docx::Body, limits: &Limits, knowledge: &Knowledge) -> Read {
    let docx::Body {
        paragraphs,
        tables,
        order,
    } = body;
    let prose_figures = paragraphs
        .iter()
        .any(|p| !prose::numbers::scan(&p.text).is_empty());
    if prose_figures
        && let Some(read) = read_mixed(
            &name,
            &paragraphs,
            tables.clone(),
            &order,
            limits,
            knowledge,
        )
    {
        return read;
    }
    let forms = table::read_grids(
        name.clone(),
        tables,
        Vec::new(),
        knowledge.forms(),
        limits,
        "文档",
    );
    // A table that looks like a form but could not be placed is a located problem of the
    // forms reader: report that, not the prose.
    let form_trouble = forms
        .problems
        .iter()
        .any(|p| !p.notice && p.code != "no-form");
    if forms.report.is_some() || form_trouble || paragraphs.is_empty() {
        return forms;
    }
    let paragraphs: Vec<(usize, String)> =
        paragraphs.into_iter().map(|p| (p.index, p.text)).collect();
    prose::read_paragraphs(name, &paragraphs, limits, knowledge.lexicon())
}

/// A Word document holding both a form and prose: one shown text with the paragraphs
/// (one line each, a [`source::Place::Paragraph`] each) and the tables (one line a row)
/// in document order, a blank line around each table. The prose reader reads the
/// paragraphs' lines (the tables blanked out, so every offset stays that of the shown
/// text) into one root of the tree; the form reader adds a root per form beside it. The
/// roots share no mapping, so a pack that checks forms never meets a prose figure, nor
/// the other way round. `None` when no table holds a form, or the prose no figure to read
/// after all (a title and a date).
///
/// [`source::Place::Paragraph`]: crate::source::Place::Paragraph
fn read_mixed(
    name: &str,
    paragraphs: &[docx::Paragraph],
    mut tables: Vec<grid::Grid>,
    order: &[docx::Part],
    limits: &Limits,
    knowledge: &Knowledge,
) -> Option<Read> {
    use crate::source::{Place, PlaceSpan};
    let mut text = String::new();
    let mut places = Vec::new();
    let mut prose_lines = Vec::new();
    for part in order {
        match *part {
            docx::Part::Paragraph(i) => {
                let p = &paragraphs[i];
                let start = text.len();
                text.push_str(&p.text.replace(['\n', '\r'], " "));
                places.push(PlaceSpan {
                    span: start..text.len(),
                    place: Place::Paragraph {
                        index: p.index,
                        page: None,
                    },
                });
                prose_lines.push(start..text.len());
                text.push('\n');
            }
            docx::Part::Table(t) => {
                if !text.is_empty() && !text.ends_with("\n\n") {
                    text.push('\n');
                }
                tables[t].show(&mut text, &mut places);
                text.push('\n');
            }
        }
    }
    // The prose reader sees the paragraphs alone: every other byte a space, line breaks kept.
    let mut prose_text = String::with_capacity(text.len());
    let mut at = 0;
    let blank = |out: &mut String, s: &str| {
        out.extend(s.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
    };
    for line in &prose_lines {
        blank(&mut prose_text, &text[at..line.start]);
        prose_text.push_str(&text[line.clone()]);
        at = line.end;
    }
    blank(&mut prose_text, &text[at..]);
    let reading = prose::read_text(&prose_text, knowledge.lexicon());
    if reading.figures == 0 {
        return None;
    }
    let mut report = reading.report;
    let forms = table::read_forms(&tables, knowledge.forms(), limits, "文档", &mut report);
    if forms.forms == 0 {
        return None;
    }
    let mut problems = reading.problems;
    problems.extend(forms.problems);
    report.index_keys();
    Some(Read {
        source: Arc::new(SourceFile::new(name.to_string(), text).with_places(places)),
        report: Some(report),
        problems,
        unrecognised: reading.unrecognised + forms.unrecognised,
        figures_read: Some(reading.figures),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(names: &[&str]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04\x14\x00".to_vec();
        for name in names {
            bytes.extend_from_slice(b"\x00\x00PK\x01\x02");
            bytes.extend_from_slice(name.as_bytes());
        }
        bytes
    }

    fn code(result: Result<Format, Box<Problem>>) -> &'static str {
        result.unwrap_err().code
    }

    #[test]
    fn formats_are_chosen_by_content_first() {
        let xlsx = zip(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]);
        let docx = zip(&["[Content_Types].xml", "word/document.xml"]);
        // The content decides, whatever the name says.
        assert_eq!(sniff("a.xlsx", &xlsx).unwrap(), Format::Xlsx);
        assert_eq!(sniff("a.yaml", &xlsx).unwrap(), Format::Xlsx);
        assert_eq!(sniff("a.xlsx", &docx).unwrap(), Format::Docx);
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheetPK");
        assert_eq!(sniff("a.ods", &ods).unwrap(), Format::Ods);
        let mut odt = ods[..38].to_vec();
        odt.extend_from_slice(b"application/vnd.oasis.opendocument.text");
        assert!(sniff("a.odt", &odt).unwrap_err().message.contains(".odt"));
        let ole = |stream: &str| {
            let mut bytes = OLE.to_vec();
            bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        };
        assert_eq!(sniff("a.xls", &ole("Workbook")).unwrap(), Format::Xls);
        assert!(
            sniff("a.doc", &ole("WordDocument"))
                .unwrap_err()
                .message
                .contains(".doc")
        );
        assert_eq!(sniff("x", b"%PDF-1.7\n").unwrap(), Format::Pdf);
        assert_eq!(code(sniff("a.zip", &zip(&["a.txt"]))), "unsupported-format");
        assert_eq!(
            code(sniff(
                "a.pptx",
                &zip(&["[Content_Types].xml", "ppt/slides"])
            )),
            "unsupported-format"
        );
        // A truncated package: no part says what it is.
        assert_eq!(
            code(sniff("a.xlsx", &zip(&["[Content_Types].xml"]))),
            "unsupported-format"
        );
    }

    #[test]
    fn text_is_chosen_by_its_name() {
        assert_eq!(sniff("a.yaml", b"a: 1").unwrap(), Format::Yaml);
        assert_eq!(sniff("a.yml", b"a: 1").unwrap(), Format::Yaml);
        assert_eq!(sniff("a", b"a: 1").unwrap(), Format::Yaml);
        assert_eq!(sniff("a.JSON", b"{}").unwrap(), Format::Json);
        assert_eq!(
            sniff("报告.txt", "交办 20 件".as_bytes()).unwrap(),
            Format::Text
        );
        assert_eq!(sniff("报告.md", b"# a").unwrap(), Format::Markdown);
        // Text named as a document is not read as YAML (it would pass with nothing checked).
        assert_eq!(code(sniff("a.xls", b"<html><table>")), "unsupported-format");
        assert_eq!(code(sniff("a.csv", b"a,b\n1,2\n")), "unsupported-format");
        assert_eq!(
            code(sniff("a.xlsx", b"\x89PNG\x00\x00")),
            "unsupported-format"
        );
        // An empty file is reported as empty by the YAML reader.
        assert_eq!(sniff("a.docx", b"").unwrap(), Format::Yaml);
        // Bytes that are not text and not a document are reported by decoding.
        assert_eq!(sniff("a.yaml", b"\x89PNG\x00").unwrap(), Format::Yaml);
    }

    #[test]
    fn text_named_as_prose_is_read_as_prose_not_yaml() {
        let limits = Limits::default();
        let knowledge = Knowledge::builtin();
        let read = read(
            "报告.txt".into(),
            "交办: 20\n".as_bytes(),
            &limits,
            &knowledge,
        );
        // a bare number is not a figure in prose: nothing read, and said so
        assert_eq!(read.figures_read, Some(0));
        assert_eq!(read.problems[0].code, "no-figures");
        let prose = super::read(
            "报告.txt".into(),
            "交办20件。\n".as_bytes(),
            &limits,
            &knowledge,
        );
        assert_eq!(prose.figures_read, Some(1));
        assert!(prose.problems.is_empty(), "{:?}", prose.problems);
        let yaml = super::read("a.yaml".into(), b"a: 1\n", &limits, &knowledge);
        assert!(yaml.report.is_some() && yaml.problems.is_empty());
        assert_eq!(yaml.figures_read, None);
    }

    #[test]
    fn a_data_file_reads_no_reader_knowledge() {
        let mut knowledge = Knowledge::builtin();
        let limits = Limits::default();
        let yaml = read("a.yaml".into(), b"a: 1\n", &limits, &knowledge);
        assert!(yaml.report.is_some());
        assert!(knowledge.forms.get().is_none() && knowledge.lexicon.get().is_none());
        // Made when a reader needs it, from a bureau's lexicon and the built-in one.
        let (bureau, problems) = prose::lexicon::Lexicon::parse(
            "lexicon:\n  - {words: [某某数], key: 某某数, measure: count}\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        knowledge.extend_lexicon(bureau);
        let prose = read(
            "报告.txt".into(),
            "某某数20件。\n".as_bytes(),
            &limits,
            &knowledge,
        );
        assert_eq!(prose.figures_read, Some(1));
        assert!(knowledge.lexicon.get().is_some() && knowledge.forms.get().is_none());
        let builtin = prose::lexicon::Lexicon::builtin();
        assert!(knowledge.lexicon().terms.len() > builtin.terms.len());
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a/b.YAML").as_deref(), Some("yaml"));
        assert_eq!(extension("报告.docx").as_deref(), Some("docx"));
        assert_eq!(extension(".hidden"), None);
        assert_eq!(extension("dir.d/file"), None);
    }
}
