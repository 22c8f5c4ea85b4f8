//! The per-file summary table that ends human output for a batch:
//!
//! ```text
//! 错误  警告  已说明  提示  问题  文件
//!    3     0       0     0     0  samples/dongan-2018-special-fund.yaml
//!    1     0       1     0     0  samples/hengshan-2019-department.yaml
//!    4     0       1     0     0  合计：5 个文件，其余 3 个无发现
//! ```
//!
//! One row per file with a finding or a problem, in path order; files with nothing to
//! report are counted in the total row. The counts come first and the path last, so the
//! columns line up whatever the paths are.

use super::{Row, Summary};
use unicode_width::UnicodeWidthStr;

/// A column: its heading, and the count it shows.
type Column = (&'static str, fn(&Summary) -> usize);

/// The table; `baseline` adds a column for findings known from the baseline.
pub fn render(rows: &[Row], total: &Summary, baseline: bool) -> String {
    let mut columns: Vec<Column> = vec![
        ("错误", |s| s.errors),
        ("警告", |s| s.warnings),
        ("已说明", |s| s.explained),
        ("提示", |s| s.info),
        ("问题", |s| s.problems),
    ];
    if baseline {
        columns.push(("基线内", |s| s.baselined));
    }
    let widths: Vec<usize> = columns
        .iter()
        .map(|(name, count)| {
            let widest = rows
                .iter()
                .map(|r| &r.counts)
                .chain([total])
                .map(|s| count(s).to_string().len())
                .max()
                .unwrap_or(1);
            name.width().max(widest)
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>, last: &str| {
        for (cell, width) in cells.iter().zip(&widths) {
            let pad = width.saturating_sub(cell.width());
            out.push_str(&" ".repeat(pad));
            out.push_str(cell);
            out.push_str("  ");
        }
        out.push_str(last);
        out.push('\n');
    };
    line(
        &mut out,
        columns.iter().map(|(name, _)| name.to_string()).collect(),
        "文件",
    );
    let counts = |s: &Summary| -> Vec<String> {
        columns
            .iter()
            .map(|(_, count)| count(s).to_string())
            .collect()
    };
    for row in rows {
        line(&mut out, counts(&row.counts), &row.path);
    }
    let clean = total.files.saturating_sub(rows.len());
    let label = if clean > 0 {
        format!("合计：{} 个文件，其余 {clean} 个无发现", total.files)
    } else {
        format!("合计：{} 个文件", total.files)
    };
    line(&mut out, counts(total), &label);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_clean_files_are_counted() {
        let row = |path: &str, errors, explained| Row {
            path: path.to_string(),
            counts: Summary {
                files: 1,
                errors,
                explained,
                ..Summary::default()
            },
        };
        let rows = [row("a.yaml", 12345, 0), row("目录/b.yaml", 1, 2)];
        let total = Summary {
            files: 5,
            errors: 12346,
            explained: 2,
            ..Summary::default()
        };
        let table = render(&rows, &total, false);
        assert_eq!(
            table,
            " 错误  警告  已说明  提示  问题  文件\n\
             12345     0       0     0     0  a.yaml\n    \
             1     0       2     0     0  目录/b.yaml\n\
             12346     0       2     0     0  合计：5 个文件，其余 3 个无发现\n"
        );
    }
}
