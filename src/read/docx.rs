//! Word documents (.docx): paragraphs and tables in document order.
//!
//! A .docx is a zip of XML parts; `word/document.xml` holds the body. roxmltree reads it
//! whole (the zip is checked first, as a workbook's is: no part may unpack past the
//! limit). Tables become [`Grid`]s — a cell spanning columns (`w:gridSpan`) or merged down
//! (`w:vMerge`) becomes a merged range — and go through the form reader; the paragraphs
//! outside tables go to the prose reader; [`Body::order`] keeps the two in document order
//! for the one text a document is shown as (`crate::read::read`).

use super::grid::{Cell, Grid, GridKind, Merge, one_line};
use crate::problem::Problem;
use crate::read::Limits;
use roxmltree::{Document, Node};
use std::io::{Cursor, Read as _};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A paragraph outside the tables, 0-based in the document's order of paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub index: usize,
    pub text: String,
}

/// A paragraph or a table of the body, by its index in [`Body::paragraphs`] or
/// [`Body::tables`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Paragraph(usize),
    Table(usize),
}

/// What a Word document holds.
#[derive(Debug, Default)]
pub struct Body {
    pub paragraphs: Vec<Paragraph>,
    pub tables: Vec<Grid>,
    /// The paragraphs and tables in document order.
    pub order: Vec<Part>,
}

/// The paragraphs of a .docx (outside its tables), for the prose reader.
pub fn paragraphs(bytes: &[u8], limits: &Limits) -> Result<Vec<Paragraph>, Box<Problem>> {
    read(bytes, limits).map(|b| b.paragraphs)
}

/// Reads the body of a .docx.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Body, Box<Problem>> {
    let xml = document_xml(bytes, limits)?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::try_from(limits.max_nodes.saturating_mul(8)).unwrap_or(u32::MAX),
        ..roxmltree::ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&xml, options).map_err(|e| {
        Box::new(
            Problem::new(
                "corrupt-document",
                "Word 文档的内容无法解析，文件可能已损坏",
            )
            .with_note(format!("读取器：{e}"))
            .with_help("在 Word 或 WPS 中打开并另存后再核查"),
        )
    })?;
    let mut body = Body::default();
    let Some(root) = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((W, "body")))
    else {
        return Ok(body);
    };
    walk(root, &mut body, limits)?;
    Ok(body)
}

/// Paragraphs and tables of a container (the body, a content control), in order.
fn walk(node: Node<'_, '_>, body: &mut Body, limits: &Limits) -> Result<(), Box<Problem>> {
    for child in node.children().filter(Node::is_element) {
        if child.has_tag_name((W, "p")) {
            let text = one_line(&paragraph_text(child));
            if !text.is_empty() {
                let index = body.paragraphs.len();
                body.order.push(Part::Paragraph(index));
                body.paragraphs.push(Paragraph { index, text });
            }
        } else if child.has_tag_name((W, "tbl")) {
            let grid = table(child, body.tables.len(), limits)?;
            body.order.push(Part::Table(body.tables.len()));
            body.tables.push(grid);
        } else if child.has_tag_name((W, "sdt"))
            && let Some(content) = child.children().find(|n| n.has_tag_name((W, "sdtContent")))
        {
            walk(content, body, limits)?;
        }
    }
    Ok(())
}

/// The text of a paragraph: its runs' `w:t`, tabs and breaks as spaces.
fn paragraph_text(p: Node<'_, '_>) -> String {
    let mut text = String::new();
    for n in p.descendants() {
        if n.has_tag_name((W, "t")) {
            text.push_str(n.text().unwrap_or(""));
        } else if n.has_tag_name((W, "tab")) || n.has_tag_name((W, "br")) {
            text.push(' ');
        }
    }
    text
}

fn attr<'a>(node: Node<'a, '_>, tag: &str) -> Option<&'a str> {
    node.children()
        .find(|n| n.has_tag_name((W, "tcPr")))?
        .children()
        .find(|n| n.has_tag_name((W, tag)))
        .map(|n| n.attribute((W, "val")).unwrap_or(""))
}

/// A Word table as a grid: each `w:tc` at its grid column, spans and vertical merges
/// as merged ranges.
fn table(tbl: Node<'_, '_>, index: usize, limits: &Limits) -> Result<Grid, Box<Problem>> {
    let mut grid = Grid::new(GridKind::Table(index));
    // Open vertical merges: column → index in grid.merged.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut cells = 0usize;
    for (r, tr) in tbl
        .children()
        .filter(|n| n.has_tag_name((W, "tr")))
        .enumerate()
    {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        let mut col = 0u32;
        for tc in tr.children().filter(|n| n.has_tag_name((W, "tc"))) {
            cells += 1;
            if cells > limits.max_nodes {
                return Err(Box::new(
                    Problem::new("too-many-nodes", "Word 文档中的表格单元格过多")
                        .with_note(format!("上限为 {} 个单元格", limits.max_nodes))
                        .with_help("确认文件无误后，可用 --max-nodes 调高上限"),
                ));
            }
            let span = attr(tc, "gridSpan")
                .and_then(|v| v.parse::<u32>().ok())
                .unwrap_or(1)
                .clamp(1, 1000);
            let vmerge = attr(tc, "vMerge");
            let text: Vec<String> = tc
                .children()
                .filter(|n| n.has_tag_name((W, "p")))
                .map(paragraph_text)
                .collect();
            let text = one_line(&text.join(" "));
            let c = col as usize;
            if open.len() < c + span as usize {
                open.resize(c + span as usize, None);
            }
            match vmerge {
                Some("restart") | None => {
                    for o in &mut open[c..c + span as usize] {
                        *o = None;
                    }
                    if !text.is_empty() {
                        grid.set(r, col, Cell::text(text));
                    }
                    if span > 1 || vmerge.is_some() {
                        grid.merged.push(Merge {
                            top: r,
                            left: col,
                            bottom: r,
                            right: col + span - 1,
                        });
                        if vmerge.is_some() {
                            open[c] = Some(grid.merged.len() - 1);
                        }
                    }
                }
                Some(_) => match open[c] {
                    // A continuation: the merge above grows down.
                    Some(m) => grid.merged[m].bottom = r,
                    None => {
                        if !text.is_empty() {
                            grid.set(r, col, Cell::text(text));
                        }
                    }
                },
            }
            col += span;
        }
    }
    Ok(grid)
}

/// `word/document.xml`, after checking the zip as a workbook's is checked.
fn document_xml(bytes: &[u8], limits: &Limits) -> Result<String, Box<Problem>> {
    super::workbook::check_zip(bytes, limits)?;
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Box::new(corrupt(&e.to_string())))?;
    let mut part = zip
        .by_name("word/document.xml")
        .map_err(|e| Box::new(corrupt(&e.to_string())))?;
    let mut xml = String::new();
    part.read_to_string(&mut xml)
        .map_err(|e| Box::new(corrupt(&e.to_string())))?;
    Ok(xml)
}

fn corrupt(detail: &str) -> Problem {
    Problem::new("corrupt-document", "Word 文档已损坏，无法读取其中的内容")
        .with_note(format!("读取器：{detail}"))
        .with_help("在 Word 或 WPS 中打开并另存后再核查")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx(body: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = Vec::new();
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut out));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        write!(
            zip,
            "<w:document xmlns:w=\"{W}\"><w:body>{body}</w:body></w:document>"
        )
        .unwrap();
        zip.finish().unwrap();
        out
    }

    #[test]
    fn tables_keep_spans_and_vertical_merges() {
        let cell = |pr: &str, t: &str| {
            format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>")
        };
        let body = format!(
            "<w:p><w:r><w:t>一、基本情况</w:t></w:r></w:p><w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl><w:p><w:r><w:t>二、</w:t></w:r><w:r><w:t>结论</w:t></w:r></w:p>",
            cell("<w:vMerge w:val=\"restart\"/>", "项目资金"),
            cell("<w:gridSpan w:val=\"2\"/>", "全年执行数"),
            cell("<w:vMerge/>", ""),
            cell("", "114.60"),
            cell("", "x"),
        );
        let body = read(&docx(&body), &Limits::default()).unwrap();
        assert_eq!(
            body.paragraphs,
            vec![
                Paragraph {
                    index: 0,
                    text: "一、基本情况".into()
                },
                Paragraph {
                    index: 1,
                    text: "二、结论".into()
                },
            ]
        );
        assert_eq!(
            body.order,
            vec![Part::Paragraph(0), Part::Table(0), Part::Paragraph(1)]
        );
        let t = &body.tables[0];
        assert_eq!(t.read(1, 0), "项目资金");
        assert_eq!(t.read(0, 2), "全年执行数");
        assert_eq!(t.read(1, 1), "114.60");
        assert_eq!(t.read(1, 2), "x");
    }

    #[test]
    fn a_damaged_document_is_a_problem() {
        let p = read(b"PK\x03\x04garbage", &Limits::default()).unwrap_err();
        assert_eq!(p.code, "corrupt-workbook");
        let bad = docx("<w:p>");
        assert_eq!(
            read(&bad, &Limits::default()).unwrap_err().code,
            "corrupt-document"
        );
    }
}
