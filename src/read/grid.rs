//! A grid of cells: one sheet of a workbook or one table of a Word document, with each
//! cell's text as the form displays it, and the shown text diagnostics underline.
//!
//! The shown text has one line per non-blank row: the cells separated by ` │ ` (the row's
//! number as the sheet shows it is the gutter's, from the places). Each cell's byte span in that text is recorded, so
//! a tree scalar made from a cell points at its text and a diagnostic's position becomes
//! the cell (`项目支出!E6`, `表 2 第 4 行第 3 格`).

use crate::source::{Place, PlaceSpan};
use std::ops::Range;

/// What a grid is in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GridKind {
    /// A worksheet, by name.
    Sheet(String),
    /// A Word table, 0-based in document order.
    Table(usize),
}

/// One cell as displayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The text the form shows: a number with its format applied (`89.97`, `99.97%`).
    pub text: String,
    /// A number whose displayed precision is not known (.xls and .ods give stored values
    /// only): its figure must not be read as more precise than any display of it.
    pub unknown_precision: bool,
    /// A formula cell saved without its computed value.
    pub no_value: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }
}

/// A merged range, inclusive, 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Merge {
    pub(crate) top: u32,
    pub(crate) left: u32,
    pub(crate) bottom: u32,
    pub(crate) right: u32,
}

impl Merge {
    pub(crate) fn contains(&self, row: u32, col: u32) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub(crate) kind: GridKind,
    /// Rows of cells, from row 0 and column 0 of the sheet.
    pub(crate) rows: Vec<Vec<Cell>>,
    pub(crate) merged: Vec<Merge>,
    /// Each cell's span in the shown text, once [`Grid::show`] has run.
    pub(crate) spans: Vec<Vec<Range<usize>>>,
}

impl Grid {
    pub fn new(kind: GridKind) -> Grid {
        Grid {
            kind,
            rows: Vec::new(),
            merged: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// The name a message gives the grid: the sheet's name, or `表 2`.
    pub(crate) fn name(&self) -> String {
        match &self.kind {
            GridKind::Sheet(name) => name.clone(),
            GridKind::Table(i) => format!("表 {}", i + 1),
        }
    }

    /// Sets a cell, growing the grid as needed.
    pub fn set(&mut self, row: u32, col: u32, cell: Cell) {
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            line.resize_with(c + 1, Cell::default);
        }
        line[c] = cell;
    }

    pub(crate) fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.rows.get(row as usize)?.get(col as usize)
    }

    /// The cell whose text a person reads at (row, col): the cell itself, or the first
    /// cell of the merged range that covers it.
    pub(crate) fn origin(&self, row: u32, col: u32) -> (u32, u32) {
        match self.merged.iter().find(|m| m.contains(row, col)) {
            Some(m) => (m.top, m.left),
            None => (row, col),
        }
    }

    /// The merged range that covers (row, col), if any.
    pub(crate) fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merged.iter().find(|m| m.contains(row, col))
    }

    /// The text read at (row, col), merged ranges taken into account; "" for none.
    pub(crate) fn read(&self, row: u32, col: u32) -> &str {
        let (r, c) = self.origin(row, col);
        self.cell(r, c).map_or("", |cell| cell.text.as_str())
    }

    pub(crate) fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    pub(crate) fn width(&self) -> u32 {
        self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    /// The place of (row, col) in the user's terms.
    pub fn place(&self, row: u32, col: u32) -> Place {
        match &self.kind {
            GridKind::Sheet(sheet) => Place::Cell {
                sheet: sheet.clone(),
                row,
                col,
            },
            GridKind::Table(table) => Place::TableCell {
                table: *table,
                row: row as usize,
                cell: col as usize,
            },
        }
    }

    /// The span of a cell's text in the shown text (empty for an empty cell).
    pub(crate) fn span(&self, row: u32, col: u32) -> Range<usize> {
        self.spans
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .cloned()
            .unwrap_or(0..0)
    }

    /// Appends the grid's shown text to `out`, records each cell's span in it, and
    /// pushes the place of each non-empty cell.
    pub(crate) fn show(&mut self, out: &mut String, places: &mut Vec<PlaceSpan>) {
        let width = self.width() as usize;
        self.spans = vec![Vec::new(); self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let blank = row.iter().all(|c| c.text.trim().is_empty() && !c.no_value);
            if blank {
                continue;
            }
            // No row number here: the gutter of a diagnostic shows the row's own number
            // (SourceFile::line_number), and a second one beside it reads as a column.
            let mut spans = Vec::with_capacity(width);
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    out.push_str(" │ ");
                }
                let start = out.len();
                if cell.no_value {
                    out.push_str(NO_VALUE);
                } else {
                    out.push_str(&cell.text);
                }
                spans.push(start..out.len());
                if start < out.len() {
                    let place = match &self.kind {
                        GridKind::Sheet(sheet) => Place::Cell {
                            sheet: sheet.clone(),
                            row: r as u32,
                            col: c as u32,
                        },
                        GridKind::Table(table) => Place::TableCell {
                            table: *table,
                            row: r,
                            cell: c,
                        },
                    };
                    places.push(PlaceSpan {
                        span: start..out.len(),
                        place,
                    });
                }
            }
            out.push('\n');
            self.spans[r] = spans;
        }
    }
}

/// What the shown text holds for a formula cell saved without its value.
pub(crate) const NO_VALUE: &str = "（公式无保存值）";

/// A cell's text on one line, as the shown text holds it: line breaks inside a cell
/// (Alt+Enter) become spaces, other control characters are dropped.
pub(crate) fn one_line(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if crate::source::is_unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `E6` for row 5, column 4 (0-based).
pub(crate) fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8(letters).unwrap_or_default(),
        row + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(5, 4), "E6");
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn shown_text_spans_point_at_cells() {
        let mut g = Grid::new(GridKind::Sheet("项目支出".into()));
        g.set(0, 0, Cell::text("项目资金（万元）"));
        g.set(0, 1, Cell::text("全年执行数"));
        g.set(2, 0, Cell::text("年度资金总额"));
        g.set(2, 1, Cell::text("114.60"));
        g.merged.push(Merge {
            top: 0,
            left: 0,
            bottom: 1,
            right: 0,
        });
        let mut text = String::new();
        let mut places = Vec::new();
        g.show(&mut text, &mut places);
        assert_eq!(
            text,
            "项目资金（万元） │ 全年执行数\n年度资金总额 │ 114.60\n"
        );
        assert_eq!(&text[g.span(2, 1)], "114.60");
        assert_eq!(
            places[3].place,
            Place::Cell {
                sheet: "项目支出".into(),
                row: 2,
                col: 1
            }
        );
        assert_eq!(g.read(1, 0), "项目资金（万元）");
        assert_eq!(g.read(1, 1), "");
    }

    #[test]
    fn cell_text_is_one_line() {
        assert_eq!(
            one_line(" 偏差原因\n分析\r\n及改进措施 "),
            "偏差原因 分析 及改进措施"
        );
        assert_eq!(one_line("a\u{1b}[2Jb"), "a[2Jb");
    }
}
