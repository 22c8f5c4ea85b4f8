//! Positions as the machine formats and the HTML report show them, all asked of the
//! [`SourceFile`] through this one module: line and column, and where the source has one,
//! the place in the user's terms (a workbook cell, a paragraph).

use crate::source::{Position, SourceFile};
use std::ops::Range;

/// Where a byte of a source file is: line, column and place (`项目支出!E6`, `第 12 段`).
pub type Pos<'a> = Position<'a>;

/// The position of `byte` in `file`.
pub fn at(file: &SourceFile, byte: usize) -> Pos<'_> {
    file.position(byte)
}

/// The position as a person cites it: `a.yaml:3:5`, `自评表.xlsx!项目支出!E6`.
pub fn show(file: &SourceFile, byte: usize) -> String {
    at(file, byte).show(&file.name)
}

/// The number the gutter of an excerpt shows for a 0-based line of the shown text (for a
/// sheet's row, the row's number in the sheet).
pub fn line_number(file: &SourceFile, line: usize) -> usize {
    file.line_number(line)
}

/// The characters before `span` and in it: SARIF's `charOffset` and `charLength`.
pub fn chars(file: &SourceFile, span: &Range<usize>) -> (usize, usize) {
    let start = file.char_offset(span.start);
    (start, file.char_offset(span.end).saturating_sub(start))
}
