//! Workbooks (.xlsx, .xls, .ods) → grids of cells as displayed, with merged ranges.
//!
//! calamine reads the three formats. For .xlsx each cell's number format comes with it
//! (`worksheet_cells_reader` gives the style of each cell in the same pass), and
//! [`format_number`] applies it: 89.974 under `0.00` shows `89.97`, 0.9997 under `0.00%`
//! shows `99.97%`, so precision and rounding mean what the form shows. For .xls and .ods
//! calamine gives the stored value only: such numbers are shown as stored and marked as
//! of unknown precision ([`Cell::unknown_precision`]), which the form reader widens to
//! what any display of the number could mean, so a lost format never makes a false alarm.
//!
//! Reading is bounded before anything is unpacked: a zip's entries may not declare, nor
//! unpack to, more than [`unpacked_limit`] bytes (a zip bomb is refused), and a sheet is
//! read cell by cell only up to the node limit (a million rows stop early).

use super::grid::{Cell, Grid, GridKind, Merge, one_line};
use crate::problem::Problem;
use crate::read::Limits;
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, Xlsx};
use rust_decimal::prelude::*;
use std::io::{Cursor, Read as _};

/// The workbook formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Book {
    Xlsx,
    Xls,
    Ods,
}

impl Book {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Book::Xlsx => "xlsx",
            Book::Xls => "xls",
            Book::Ods => "ods",
        }
    }
}

/// What reading a workbook gave: its sheets, and problems (located ones are located by
/// the form reader once the shown text exists, so they are returned as data).
#[derive(Debug, Default)]
pub(crate) struct Sheets {
    pub(crate) grids: Vec<Grid>,
    /// Problems with the file as a whole, and notices.
    pub(crate) problems: Vec<Problem>,
}

/// Most bytes a zip's entries may unpack to: 16 × the file-size limit, and no more than
/// 512 bytes per node of the node limit (a cell of a sheet's XML takes 30–100 bytes).
pub(crate) fn unpacked_limit(limits: &Limits) -> u64 {
    let by_size = limits.max_file_size.saturating_mul(16);
    let by_nodes = (limits.max_nodes as u64).saturating_mul(512);
    by_size.min(by_nodes).max(1 << 20)
}

/// Reads the sheets of a workbook.
pub(crate) fn read(bytes: &[u8], book: Book, limits: &Limits) -> Sheets {
    let mut sheets = Sheets::default();
    if book != Book::Xls
        && let Err(problem) = check_zip(bytes, limits)
    {
        sheets.problems.push(*problem);
        return sheets;
    }
    if book == Book::Xls && encrypted_ole(bytes) {
        sheets.problems.push(password(book));
        return sheets;
    }
    let result = match book {
        Book::Xlsx => read_xlsx(bytes, limits, &mut sheets),
        Book::Xls => match Xls::new(Cursor::new(bytes)) {
            Ok(mut xls) => {
                let merges = |xls: &Xls<_>, name: &str| xls.merge_cells_by_sheet_name(name).ok();
                read_stored(&mut xls, book, limits, &mut sheets, merges)
            }
            Err(calamine::XlsError::Password) => Err(password(book)),
            Err(e) => Err(unreadable(book, &e.to_string())),
        },
        Book::Ods => match Ods::new(Cursor::new(bytes)) {
            Ok(mut ods) => read_stored(&mut ods, book, limits, &mut sheets, |_, _| None),
            Err(calamine::OdsError::Password) => Err(password(book)),
            Err(e) => Err(unreadable(book, &e.to_string())),
        },
    };
    if let Err(problem) = result {
        sheets.problems.push(problem);
    }
    if book != Book::Xlsx && !sheets.grids.is_empty() {
        sheets.problems.push(
            Problem::new(
                "number-format-unknown",
                format!("{} 文件不含可读取的数字格式，数字按存储值核查，精度按取整计", book.name()),
            )
            .with_note("表中显示的小数位数无从得知，为免误报，各数按可能显示为整数的范围核查，只报告明显的不一致")
            .with_help("在 Excel 或 WPS 中另存为 .xlsx 后核查，可按表中显示的数字完整核查")
            .as_notice(),
        );
    }
    sheets
}

/// The zip's entries, declared and unpacked, fit in [`unpacked_limit`].
pub(crate) fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), Box<Problem>> {
    let limit = unpacked_limit(limits);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        Box::new(
            Problem::new("corrupt-workbook", "文件已损坏，无法作为压缩包读取")
                .with_note(format!("读取器：{e}"))
                .with_help("确认文件是否完整；在 Excel 或 WPS 中打开并另存后再核查"),
        )
    })?;
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > limit {
        return Err(bomb(declared, limit));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(msg)) if msg.contains("assword") => {
                return Err(Box::new(password(Book::Xlsx)));
            }
            Err(e) => return Err(Box::new(corrupt(&e.to_string()))),
        };
        let mut sink = std::io::sink();
        let left = limit - total;
        let read = std::io::copy(&mut (&mut entry).take(left + 1), &mut sink)
            .map_err(|e| Box::new(corrupt(&e.to_string())))?;
        total += read;
        if total > limit {
            return Err(bomb(total, limit));
        }
    }
    Ok(())
}

fn bomb(size: u64, limit: u64) -> Box<Problem> {
    use crate::pipeline::show_size;
    Box::new(
        Problem::new(
            "workbook-too-large",
            format!(
                "文件解压后超过 {}（至少 {}），不予读取",
                show_size(limit),
                show_size(size)
            ),
        )
        .with_note(
            "异常的压缩包（压缩炸弹）解压后会耗尽内存；上限随 --max-file-size 和 --max-nodes 而定",
        )
        .with_help("确认文件无误后，可用 --max-file-size 调高上限"),
    )
}

fn corrupt(detail: &str) -> Problem {
    Problem::new("corrupt-workbook", "文件已损坏，无法读取其中的内容")
        .with_note(format!("读取器：{detail}"))
        .with_help("确认文件是否完整；在 Excel 或 WPS 中打开并另存后再核查")
}

fn unreadable(book: Book, detail: &str) -> Problem {
    Problem::new(
        "corrupt-workbook",
        format!("无法读取 {} 工作簿，文件可能已损坏", book.name()),
    )
    .with_note(format!("读取器：{detail}"))
    .with_help("在 Excel 或 WPS 中打开并另存后再核查")
}

/// The problem of an encrypted Office file (an OLE container holding the package).
pub(crate) fn password_protected() -> Problem {
    Problem::new("password-protected", "文件设有打开密码（已加密），无法读取")
        .with_help("在 Excel、Word 或 WPS 中取消密码（文件 → 信息 → 保护 → 用密码进行加密，清空密码）后另存，再核查")
}

fn password(book: Book) -> Problem {
    Problem::new(
        "password-protected",
        format!("工作簿设有打开密码（已加密），无法读取（{}）", book.name()),
    )
    .with_help("在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存，再核查")
}

/// Whether an OLE container is an encrypted Office file (a password-protected .xlsx is
/// an OLE container holding `EncryptionInfo` and `EncryptedPackage` streams).
fn encrypted_ole(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

fn too_many_cells(sheet: &str, limits: &Limits) -> Problem {
    Problem::new(
        "too-many-nodes",
        format!("工作表「{sheet}」的单元格过多，读到上限即停止"),
    )
    .with_note(format!(
        "上限为 {} 个单元格（与数据项的上限相同）；其后的工作表和单元格未读取",
        limits.max_nodes
    ))
    .with_help("确认文件无误后，可用 --max-nodes 调高上限")
}

// One problem per workbook, and it ends the reading: its size does not matter.
#[allow(clippy::result_large_err)]
fn read_xlsx(bytes: &[u8], limits: &Limits, sheets: &mut Sheets) -> Result<(), Problem> {
    let mut book = match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(calamine::XlsxError::Password) => return Err(password(Book::Xlsx)),
        Err(e) => return Err(unreadable(Book::Xlsx, &e.to_string())),
    };
    let names = book.sheet_names();
    let mut budget = limits.max_nodes;
    for name in names {
        let mut grid = Grid::new(GridKind::Sheet(name.clone()));
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue, // a chart sheet
            Err(e) => return Err(unreadable(Book::Xlsx, &e.to_string())),
        };
        // Cells read back empty: blank cells with a format, or formulas saved without
        // their value, which a second pass over the formulas tells apart.
        let mut empty = std::collections::HashSet::new();
        loop {
            let next = reader
                .next_cell_with_style_id()
                .map_err(|e| unreadable(Book::Xlsx, &e.to_string()))?;
            let Some((cell, style)) = next else { break };
            if budget == 0 || cell.get_position().0 as usize > limits.max_nodes {
                sheets.grids.push(grid);
                return Err(too_many_cells(&name, limits));
            }
            budget -= 1;
            let (row, col) = cell.get_position();
            if matches!(cell.get_value(), DataRef::Empty) {
                empty.insert((row, col));
                continue;
            }
            let code = reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .map_or("General", |f| f.format_code.as_str());
            let shown = xlsx_cell(cell.get_value(), code);
            if !shown.text.is_empty() {
                grid.set(row, col, shown);
            }
        }
        drop(reader);
        if !empty.is_empty() {
            let mut reader = book
                .worksheet_cells_reader(&name)
                .map_err(|e| unreadable(Book::Xlsx, &e.to_string()))?;
            while let Some(formula) = reader
                .next_formula()
                .map_err(|e| unreadable(Book::Xlsx, &e.to_string()))?
            {
                let (row, col) = formula.get_position();
                if !formula.get_value().is_empty() && empty.contains(&(row, col)) {
                    grid.set(
                        row,
                        col,
                        Cell {
                            no_value: true,
                            ..Cell::default()
                        },
                    );
                }
            }
        }
        let merges = book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| unreadable(Book::Xlsx, &e.to_string()))?;
        grid.merged = merges.iter().map(merge).collect();
        sheets.grids.push(grid);
    }
    Ok(())
}

fn merge(d: &Dimensions) -> Merge {
    Merge {
        top: d.start.0,
        left: d.start.1,
        bottom: d.end.0,
        right: d.end.1,
    }
}

/// An xlsx cell as displayed under its number format code.
fn xlsx_cell(value: &DataRef<'_>, code: &str) -> Cell {
    let number = match value {
        DataRef::Float(f) => Some(*f),
        DataRef::Int(i) => Some(*i as f64),
        DataRef::DateTime(d) => {
            return Cell::text(show_date(d.as_f64(), code));
        }
        _ => None,
    };
    match number {
        Some(x) => match format_number(x, code) {
            Some(text) => Cell::text(text),
            None => Cell {
                text: general(x),
                unknown_precision: true,
                no_value: false,
            },
        },
        None => Cell::text(one_line(&text_of(value))),
    }
}

fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Float(f) => general(*f),
        DataRef::Int(i) => i.to_string(),
        DataRef::DateTime(d) => show_date(d.as_f64(), "yyyy-mm-dd"),
        DataRef::Empty => String::new(),
    }
}

/// Reads .xls / .ods: stored values, numbers of unknown precision.
#[allow(clippy::result_large_err)]
fn read_stored<'a, R>(
    book: &mut R,
    kind: Book,
    limits: &Limits,
    sheets: &mut Sheets,
    merges: impl Fn(&R, &str) -> Option<Vec<Dimensions>>,
) -> Result<(), Problem>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut budget = limits.max_nodes;
    for name in book.sheet_names() {
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            Err(e) => return Err(unreadable(kind, &e.to_string())),
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut grid = Grid::new(GridKind::Sheet(name.clone()));
        for (r, c, value) in range.used_cells() {
            if budget == 0 {
                sheets.grids.push(grid);
                return Err(too_many_cells(&name, limits));
            }
            budget -= 1;
            let cell = match value {
                Data::Float(x) => Cell {
                    text: general(*x),
                    unknown_precision: true,
                    no_value: false,
                },
                Data::Int(i) => Cell {
                    text: i.to_string(),
                    unknown_precision: true,
                    no_value: false,
                },
                Data::DateTime(d) => Cell::text(show_date(d.as_f64(), "yyyy-mm-dd")),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    Cell::text(one_line(s))
                }
                Data::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
                Data::Error(e) => Cell::text(e.to_string()),
                Data::Empty => continue,
            };
            if !cell.text.is_empty() {
                grid.set(top + r as u32, left + c as u32, cell);
            }
        }
        grid.merged = merges(book, &name)
            .unwrap_or_default()
            .iter()
            .map(merge)
            .collect();
        sheets.grids.push(grid);
    }
    Ok(())
}

/// A number as Excel's General format shows it: up to 15 significant digits, no
/// trailing zeros.
pub fn general(x: f64) -> String {
    match to_decimal(x) {
        Some(d) => d.normalize().to_string(),
        None => x.to_string(),
    }
}

/// The decimal Excel means by a double: its first 15 significant digits.
fn to_decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    let text = format!("{x:.14e}");
    Decimal::from_scientific(&text)
        .ok()
        .or_else(|| Decimal::from_f64(x))
}

/// A date serial (days since 1899-12-30) as text: `2023-12-31`, or `2023年12月31日` when
/// the format writes 年.
pub(crate) fn show_date(serial: f64, code: &str) -> String {
    let days = serial.floor() as i64;
    // Days from 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let z = days - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if code.contains('年') {
        format!("{y}年{m}月{d}日")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

/// A number as a format code shows it, for the codes forms use: `General`, `0`, `0.00`,
/// `#,##0.00`, `0.0%`, `0.00_ `, `0.00"万元"`, `[Red]-0.00`, sections `pos;neg;zero`.
/// `None` for a code this does not read (scientific, fractions, dates, scaling commas):
/// the cell is then shown as stored, of unknown precision.
pub fn format_number(x: f64, code: &str) -> Option<String> {
    let sections = split_sections(code);
    let (section, negative_shown) = match sections.len() {
        _ if x > 0.0 || sections.len() == 1 => (sections[0].as_str(), false),
        2 if x < 0.0 => (sections[1].as_str(), true),
        2 => (sections[0].as_str(), false),
        _ if x < 0.0 => (sections[1].as_str(), true),
        _ => (sections[2].as_str(), false),
    };
    let x = if negative_shown { x.abs() } else { x };
    if section.eq_ignore_ascii_case("general") || section.is_empty() {
        return Some(general(x));
    }
    // Tokens: literal text and the number placeholder run.
    let mut prefix = String::new();
    let mut suffix = String::new();
    let mut pattern = String::new();
    let mut percent = false;
    let mut chars = section.chars().peekable();
    let mut seen_number = false;
    while let Some(c) = chars.next() {
        let out = if seen_number {
            &mut suffix
        } else {
            &mut prefix
        };
        match c {
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    out.push(c);
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    out.push(c);
                }
            }
            '_' => {
                chars.next();
                out.push(' ');
            }
            '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inner.push(c);
                }
                // Colours and conditions change no digits; a currency/locale tag
                // `[$¥-804]` shows its symbol.
                if let Some(tag) = inner.strip_prefix('$') {
                    out.push_str(tag.split('-').next().unwrap_or(""));
                } else if inner.starts_with(['<', '>', '=']) {
                    return None;
                }
            }
            '%' => {
                percent = true;
                out.push('%');
            }
            '0' | '#' | '?' | '.' | ','
                if !seen_number || pattern.ends_with(['0', '#', '?', '.', ',']) =>
            {
                if seen_number && !suffix.is_empty() {
                    return None; // digits after literal text: not a code read here
                }
                pattern.push(c);
                while let Some(&n) = chars.peek() {
                    if matches!(n, '0' | '#' | '?' | '.' | ',') {
                        pattern.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                seen_number = true;
            }
            'e' | 'E' | '/' | 'y' | 'm' | 'd' | 'h' | 's' | '@' => return None,
            c => out.push(c),
        }
    }
    if !seen_number {
        // A section of text only (`"—"` for zero) shows that text.
        let text = prefix.trim();
        return (!text.is_empty()).then(|| text.to_string());
    }
    let (int_part, frac_part) = match pattern.split_once('.') {
        Some((i, f)) => (i, f),
        None => (pattern.as_str(), ""),
    };
    if frac_part.contains(',') || int_part.ends_with(',') || frac_part.contains('.') {
        return None; // scaling by thousands
    }
    let decimals = frac_part
        .chars()
        .filter(|c| matches!(c, '0' | '#' | '?'))
        .count() as u32;
    let required = frac_part.chars().filter(|&c| c == '0').count() as u32;
    let grouped = int_part.contains(',');
    let min_int = int_part.chars().filter(|&c| c == '0').count();
    let mut value = to_decimal(x)?;
    if percent {
        value = value.checked_mul(Decimal::ONE_HUNDRED)?;
    }
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let digits = rounded.abs().to_string();
    let (mut int_digits, mut frac_digits) = match digits.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (digits, String::new()),
    };
    while frac_digits.len() < decimals as usize {
        frac_digits.push('0');
    }
    // Optional places (`#`) drop trailing zeros down to the required ones.
    while frac_digits.len() > required as usize && frac_digits.ends_with('0') {
        frac_digits.pop();
    }
    if int_digits == "0" && min_int == 0 {
        int_digits.clear();
    }
    while int_digits.len() < min_int {
        int_digits.insert(0, '0');
    }
    if grouped {
        let mut g = String::new();
        for (i, d) in int_digits.chars().enumerate() {
            if i > 0 && (int_digits.len() - i).is_multiple_of(3) {
                g.push(',');
            }
            g.push(d);
        }
        int_digits = g;
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(prefix.trim_start());
    out.push_str(&int_digits);
    if !frac_digits.is_empty() || (decimals > 0 && required > 0) {
        out.push('.');
        out.push_str(&frac_digits);
    }
    out.push_str(suffix.trim_end());
    Some(out.trim().to_string())
}

/// A code's sections, split at `;` outside quotes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == ';' && !quoted {
            sections.push(String::new());
            continue;
        }
        sections.last_mut().expect("one section at least").push(c);
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_their_format_says() {
        assert_eq!(format_number(89.974, "0.00").unwrap(), "89.97");
        assert_eq!(format_number(0.9997, "0.00%").unwrap(), "99.97%");
        assert_eq!(format_number(0.955, "0.0%").unwrap(), "95.5%");
        assert_eq!(
            format_number(1234567.891, "#,##0.00").unwrap(),
            "1,234,567.89"
        );
        assert_eq!(format_number(114.6, "#,##0.00_ ").unwrap(), "114.60");
        assert_eq!(format_number(100.0, "0.00").unwrap(), "100.00");
        assert_eq!(format_number(10.0, "General").unwrap(), "10");
        assert_eq!(format_number(9.55, "General").unwrap(), "9.55");
        assert_eq!(format_number(0.1 + 0.2, "General").unwrap(), "0.3");
        assert_eq!(format_number(20.0, "0").unwrap(), "20");
        assert_eq!(format_number(0.125, "0.00").unwrap(), "0.13");
        assert_eq!(format_number(2.675, "0.00").unwrap(), "2.68");
        assert_eq!(format_number(-3.5, "0.00;[Red]-0.00").unwrap(), "-3.50");
        assert_eq!(format_number(-3.5, "0.00").unwrap(), "-3.50");
        assert_eq!(format_number(0.0, "0.00;-0.00;\"—\"").unwrap(), "—");
        assert_eq!(format_number(12.5, "0.00\"万元\"").unwrap(), "12.50万元");
        assert_eq!(format_number(12.5, "#.##").unwrap(), "12.5");
        assert_eq!(format_number(0.5, "0.0#").unwrap(), "0.5");
        assert_eq!(format_number(1e-20, "0.00").unwrap(), "0.00");
        assert_eq!(format_number(5.0, "[$¥-804]#,##0.00").unwrap(), "¥5.00");
        for code in ["0.00E+00", "# ?/?", "yyyy-mm-dd", "#,##0,", "@"] {
            assert_eq!(format_number(1.5, code), None, "{code}");
        }
    }

    #[test]
    fn dates_show_as_dates() {
        assert_eq!(show_date(45291.0, "yyyy-mm-dd"), "2023-12-31");
        assert_eq!(
            show_date(45291.5, "yyyy\"年\"m\"月\"d\"日\""),
            "2023年12月31日"
        );
        assert_eq!(show_date(1.0, "yyyy-mm-dd"), "1899-12-31");
    }
}
