//! Positions as the machine formats and the HTML report show them, all asked of the
//! [`SourceFile`] through this one module: line and column, and where the source has one,
//! the place in the user's terms (a workbook cell, a paragraph).

use crate::source::SourceFile;

/// Where a byte of a source file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pos {
    /// 1-based.
    pub line: usize,
    /// 1-based, counting characters.
    pub column: usize,
    /// The place in the user's terms (`项目支出!E6`, `第 12 段`), for sources that have one.
    pub place: Option<String>,
}

/// The position of `byte` in `file`.
pub fn at(file: &SourceFile, byte: usize) -> Pos {
    let (line, column) = file.line_column(byte);
    Pos {
        line,
        column,
        place: None,
    }
}

impl Pos {
    /// The position as a person cites it: `a.yaml:3:5`, or the file and its place.
    pub fn show(&self, name: &str) -> String {
        match &self.place {
            Some(place) => format!("{name}!{place}"),
            None => format!("{name}:{}:{}", self.line, self.column),
        }
    }
}

/// `at(file, byte).show(&file.name)`.
pub fn show(file: &SourceFile, byte: usize) -> String {
    at(file, byte).show(&file.name)
}

/// The characters before `span` and in it: SARIF's `charOffset` and `charLength`.
pub fn chars(file: &SourceFile, span: &std::ops::Range<usize>) -> (usize, usize) {
    let start = file.char_offset(span.start);
    (start, file.char_offset(span.end).saturating_sub(start))
}
