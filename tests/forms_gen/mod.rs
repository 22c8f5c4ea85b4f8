//! Writes the sample forms of `samples/forms/*.yaml` as workbooks and a Word report, laid
//! out as the national template and as provinces vary it: real number formats (`0.00`,
//! `0.00%`, General), merged cells (项目资金 merged down, 一级指标 merged down its rows,
//! values merged across), units in a header or a note, `—` in the cells the template
//! leaves empty.
//!
//! Used by `cargo run --example gen-forms` (which writes `samples/forms/`) and by
//! `tests/forms.rs` (which writes the same into a temporary folder and compares).
#![allow(dead_code)]

use hecha::read::Limits;
use hecha::read::yaml::load;
use hecha::report::{NodeId, Report, Value};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use std::io::Write as _;
use std::path::Path;

/// Cells of a row: column key → text.
pub type Cells = Vec<(String, String)>;
/// A line of a breakdown: key, the line it is part of, its cells.
pub type Line = (String, Option<String>, Cells);

/// A form read from its YAML: rows of key → text.
#[derive(Debug, Default)]
pub struct Form {
    pub department: bool,
    pub fields: Vec<(String, String)>,
    pub fund_key: String,
    /// Row key → (column key → text).
    pub funds: Vec<(String, Vec<(String, String)>)>,
    /// 三公经费: the total row and the lines (key, parent, columns).
    pub sanggong: Option<(Cells, Vec<Line>)>,
    pub goals: Vec<(String, String)>,
    pub indicators: Vec<Vec<(String, String)>>,
    pub total: Vec<(String, String)>,
    pub grade: Option<String>,
}

fn scalars(r: &Report, id: NodeId) -> Vec<(String, String)> {
    r.children(id)
        .iter()
        .filter_map(|&c| Some((r.key(c)?.to_string(), r.text(c)?.to_string())))
        .collect()
}

impl Form {
    pub fn from_yaml(text: &str) -> Form {
        let r = load(text, &Limits::default())
            .report
            .expect("a sample parses");
        let root = r.roots[0];
        let mut f = Form::default();
        for &c in r.children(root) {
            let key = r.key(c).unwrap().to_string();
            match (&r.node(c).value, key.as_str()) {
                (Value::Scalar(s), "自评等级") => f.grade = Some(s.text.to_string()),
                (Value::Scalar(s), _) => f.fields.push((key, s.text.to_string())),
                (Value::Map(_), "项目资金" | "年度预算执行情况") => {
                    f.department = key == "年度预算执行情况";
                    f.fund_key = key.clone();
                    for &row in r.children(c) {
                        f.funds
                            .push((r.key(row).unwrap().to_string(), scalars(&r, row)));
                    }
                }
                (Value::Map(_), "三公经费") => {
                    let total = scalars(&r, c);
                    let mut lines = Vec::new();
                    let mut stack = vec![(r.child(c, "构成").unwrap(), None::<String>)];
                    while let Some((parts, parent)) = stack.pop() {
                        for &line in r.children(parts) {
                            let k = r.key(line).unwrap().to_string();
                            lines.push((k.clone(), parent.clone(), scalars(&r, line)));
                            if let Some(sub) = r.child(line, "构成") {
                                stack.push((sub, Some(k)));
                            }
                        }
                    }
                    // Lines in written order: a line's parts follow it.
                    let mut ordered: Vec<Line> = Vec::new();
                    for line in lines.iter().filter(|l| l.1.is_none()) {
                        ordered.push(line.clone());
                        for part in lines
                            .iter()
                            .filter(|l| l.1.as_deref() == Some(line.0.as_str()))
                        {
                            ordered.push(part.clone());
                        }
                    }
                    f.sanggong = Some((total, ordered));
                }
                (Value::Map(_), "年度总体目标") => f.goals = scalars(&r, c),
                (Value::Map(_), "总分") => f.total = scalars(&r, c),
                (Value::Seq(items), "绩效指标") => {
                    f.indicators = items.iter().map(|&i| scalars(&r, i)).collect();
                }
                _ => {} // 自评报告: the report's text, not part of the form
            }
        }
        f
    }
}

fn get<'a>(cells: &'a [(String, String)], key: &str) -> Option<&'a str> {
    cells
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// How a province lays the form out.
#[derive(Clone, Debug)]
pub struct Style {
    pub sheet: &'static str,
    /// Fund columns: key, header.
    pub fund_columns: Vec<(&'static str, &'static str)>,
    /// Row key → the label the form writes.
    pub row_labels: Vec<(&'static str, &'static str)>,
    /// Indicator columns: key, header (`度量单位` splits the target's unit off; with it,
    /// 指标性质 takes the target's comparator).
    pub indicator_columns: Vec<(&'static str, &'static str)>,
    /// The unit in the fund block's label (`项目资金（万元）`) or in a note (`金额单位：万元`).
    pub unit_in_header: bool,
    pub total_label: &'static str,
}

impl Style {
    pub fn national(department: bool) -> Style {
        Style {
            sheet: if department {
                "部门整体支出"
            } else {
                "项目支出"
            },
            fund_columns: vec![
                ("年初预算数", "年初预算数"),
                ("全年预算数", "全年预算数"),
                ("全年执行数", "全年执行数"),
                ("分值", "分值"),
                ("执行率", "执行率"),
                ("得分", "得分"),
            ],
            row_labels: vec![
                ("年度资金总额", "年度资金总额"),
                (
                    "财政拨款",
                    if department {
                        "财政拨款"
                    } else {
                        "其中：当年财政拨款"
                    },
                ),
                ("上年结转资金", "上年结转资金"),
                ("其他资金", "其他资金"),
                ("基本支出", "基本支出"),
                ("项目支出", "项目支出"),
            ],
            indicator_columns: vec![
                ("一级指标", "一级指标"),
                ("二级指标", "二级指标"),
                ("三级指标", "三级指标"),
                ("指标性质", "指标性质"),
                ("年度指标值", "年度指标值"),
                ("实际完成值", "实际完成值"),
                ("分值", "分值"),
                ("得分", "得分"),
                ("偏差原因分析及改进措施", "偏差原因分析及改进措施"),
            ],
            unit_in_header: true,
            total_label: "总分",
        }
    }

    /// 四川: 年初预算 / 调整后预算数 / 预算执行数, 权重, 预算执行率; 指标值, 未完成原因分析;
    /// the unit in a note; a 合计 row.
    pub fn sichuan() -> Style {
        Style {
            sheet: "项目自评表",
            fund_columns: vec![
                ("年初预算数", "年初预算"),
                ("全年预算数", "调整后预算数"),
                ("全年执行数", "预算执行数"),
                ("分值", "权重"),
                ("执行率", "预算执行率"),
                ("得分", "得分"),
            ],
            row_labels: vec![
                ("年度资金总额", "年度资金总额"),
                ("财政拨款", "其中：本年财政拨款"),
                ("上年结转资金", "上年结转资金"),
                ("其他资金", "其他资金"),
            ],
            indicator_columns: vec![
                ("一级指标", "一级指标"),
                ("二级指标", "二级指标"),
                ("三级指标", "三级指标"),
                ("指标性质", "指标性质"),
                ("年度指标值", "指标值"),
                ("实际完成值", "实际完成值"),
                ("分值", "权重"),
                ("得分", "得分"),
                ("偏差原因分析及改进措施", "未完成原因分析"),
            ],
            unit_in_header: false,
            total_label: "合计",
        }
    }

    /// A province that letters its columns: 全年预算数(A) / 全年执行数(B) / 执行率(B/A),
    /// no 年初预算数, and the target split into 指标性质 + 指标值 + 度量单位.
    pub fn lettered() -> Style {
        Style {
            sheet: "绩效自评",
            fund_columns: vec![
                ("全年预算数", "全年预算数(A)"),
                ("全年执行数", "全年执行数(B)"),
                ("分值", "分值"),
                ("执行率", "执行率(B/A)"),
                ("得分", "得分"),
            ],
            row_labels: vec![
                ("年度资金总额", "总额"),
                ("财政拨款", "财政资金"),
                ("上年结转资金", "上年结转资金"),
                ("其他资金", "其他资金"),
            ],
            indicator_columns: vec![
                ("一级指标", "一级指标"),
                ("二级指标", "二级指标"),
                ("三级指标", "三级指标"),
                ("指标性质", "指标性质"),
                ("年度指标值", "指标值"),
                ("度量单位", "度量单位"),
                ("实际完成值", "全年实际值"),
                ("分值", "指标分值"),
                ("得分", "得分"),
                ("偏差原因分析及改进措施", "偏差原因分析及改进措施"),
            ],
            unit_in_header: true,
            total_label: "总分",
        }
    }
}

/// A cell as the generator writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Put {
    Text(String),
    /// A number and its format code.
    Number(f64, String),
}

fn zeros(decimals: usize) -> String {
    if decimals == 0 {
        "0".into()
    } else {
        format!("0.{}", "0".repeat(decimals))
    }
}

/// How a YAML literal goes into a cell: money without its unit (the header has it),
/// a percentage as a fraction under a percent format, a bare number under a format of its
/// decimals (General where General shows it as written), other text as text.
pub fn put(text: &str, money: bool) -> Put {
    let t = text.trim();
    let number = |s: &str| -> Option<(f64, usize)> {
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
        Some((s.parse().ok()?, decimals))
    };
    if money && let Some(n) = t.strip_suffix("万元").and_then(number) {
        return Put::Number(n.0, zeros(n.1));
    }
    if let Some((x, d)) = t.strip_suffix('%').and_then(number) {
        return Put::Number(x / 100.0, format!("{}%", zeros(d)));
    }
    if let Some((x, d)) = number(t) {
        let general = hecha::read::workbook::general(x);
        let code = if general == t {
            "General".to_string()
        } else {
            zeros(d)
        };
        return Put::Number(x, code);
    }
    Put::Text(t.to_string())
}

/// Splits a target `≥150人` into comparator, number and unit.
pub fn split_target(text: &str) -> (String, String, String) {
    let t = text.trim();
    let (cmp, rest) = ["≥", "≤", ">", "<", "="]
        .iter()
        .find_map(|c| t.strip_prefix(c).map(|r| (c.to_string(), r)))
        .unwrap_or(("=".to_string(), t));
    let end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    (cmp, rest[..end].to_string(), rest[end..].to_string())
}

/// A grid of what the form shows, laid out by a style: cells and merged ranges.
#[derive(Debug, Default)]
pub struct Sheet {
    pub cells: Vec<(u32, u16, Put)>,
    /// (first row, first col, last row, last col).
    pub merges: Vec<(u32, u16, u32, u16)>,
    pub width: u16,
}

impl Sheet {
    fn text(&mut self, r: u32, c: u16, t: &str) {
        self.cells.push((r, c, Put::Text(t.to_string())));
    }
    fn merge(&mut self, r0: u32, c0: u16, r1: u32, c1: u16, t: &str) {
        self.text(r0, c0, t);
        if (r0, c0) != (r1, c1) {
            self.merges.push((r0, c0, r1, c1));
        }
    }
}

/// Lays a form out.
pub fn layout(form: &Form, style: &Style) -> Sheet {
    let mut s = Sheet::default();
    let ind_cols: Vec<(&str, &str)> = style
        .indicator_columns
        .iter()
        .copied()
        .filter(|(k, _)| {
            *k != "指标性质"
                || style
                    .indicator_columns
                    .iter()
                    .any(|(k, _)| *k == "度量单位")
                || form.indicators.iter().any(|i| get(i, "指标性质").is_some())
        })
        .collect();
    // Column A: block labels; B: row labels; C..: values. The indicator table starts at B.
    let width = (1 + ind_cols.len() as u16).max(2 + style.fund_columns.len() as u16);
    s.width = width;
    let last = width - 1;
    let title = if form.department {
        "部门整体支出绩效自评表"
    } else {
        "项目支出绩效自评表"
    };
    let mut r = 0;
    s.merge(r, 0, r, last, title);
    r += 1;
    s.merge(r, 0, r, last, "（2023年度）");
    r += 1;
    if !style.unit_in_header {
        s.merge(r, 0, r, last, "金额单位：万元");
        r += 1;
    }
    let mid = 2 + (last - 2) / 2;
    let mut fields = form.fields.iter().peekable();
    while let Some((k, v)) = fields.next() {
        if k == "主管部门"
            && let Some((k2, v2)) = fields.next_if(|(k, _)| k == "实施单位")
        {
            s.merge(r, 0, r, 1, k);
            s.merge(r, 2, r, mid - 1, v);
            s.merge(r, mid, r, mid + 1, k2);
            s.merge(r, mid + 2, r, last, v2);
        } else {
            s.merge(r, 0, r, 1, k);
            s.merge(r, 2, r, last, v);
        }
        r += 1;
    }
    // The fund table.
    let fund_label = match (form.department, style.unit_in_header) {
        (true, true) => "年度预算执行情况（万元）",
        (true, false) => "年度预算执行情况",
        (false, true) => "项目资金（万元）",
        (false, false) => "项目资金",
    };
    let top = r;
    for (i, (_, header)) in style.fund_columns.iter().enumerate() {
        s.text(r, 2 + i as u16, header);
    }
    r += 1;
    let mut grouped = None;
    for (key, cells) in &form.funds {
        let group = match key.as_str() {
            "财政拨款" | "上年结转资金" | "其他资金" if form.department => {
                Some("按收入性质分")
            }
            "基本支出" | "项目支出" => Some("按支出性质分"),
            _ => None,
        };
        if let Some(g) = group
            && group != grouped
        {
            s.text(r, 1, g);
            r += 1;
            grouped = group;
        }
        let label = style
            .row_labels
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key.as_str(), |(_, l)| l);
        s.text(r, 1, label);
        for (i, (col, _)) in style.fund_columns.iter().enumerate() {
            let c = 2 + i as u16;
            match get(cells, col) {
                Some(v) => s.cells.push((r, c, put(v, true))),
                None if key != "年度资金总额" => s.text(r, c, "—"),
                None => {}
            }
        }
        r += 1;
    }
    s.merges.push((top, 0, r - 1, 0));
    s.text(top, 0, fund_label);
    // 三公经费.
    if let Some((total, lines)) = &form.sanggong {
        let top = r;
        let columns = [("全年预算数", "全年预算数"), ("全年执行数", "全年执行数")];
        for (i, (_, h)) in columns.iter().enumerate() {
            s.text(r, 2 + i as u16, h);
        }
        s.merge(r, 4, r, last, "偏差原因分析及改进措施");
        r += 1;
        let row = |s: &mut Sheet, r: u32, label: &str, cells: &[(String, String)]| {
            s.text(r, 1, label);
            for (i, (k, _)) in columns.iter().enumerate() {
                if let Some(v) = get(cells, k) {
                    s.cells.push((r, 2 + i as u16, put(v, true)));
                }
            }
            if let Some(v) = get(cells, "偏差原因分析及改进措施") {
                s.merge(r, 4, r, last, v);
            } else {
                s.merges.push((r, 4, r, last));
            }
        };
        row(&mut s, r, "合计", total);
        r += 1;
        for (key, parent, cells) in lines {
            let label = if parent.is_some() {
                format!("其中：{key}")
            } else {
                key.clone()
            };
            row(&mut s, r, &label, cells);
            r += 1;
        }
        s.merges.push((top, 0, r - 1, 0));
        s.text(
            top,
            0,
            if style.unit_in_header {
                "「三公」经费（万元）"
            } else {
                "「三公」经费"
            },
        );
    }
    // 年度总体目标.
    if !form.goals.is_empty() {
        s.merges.push((r, 0, r + 1, 0));
        s.text(r, 0, "年度总体目标");
        let split = 1 + (last - 1) / 2;
        let spans = [(1, split), (split + 1, last)];
        for (i, (k, v)) in form.goals.iter().enumerate().take(2) {
            s.merge(r, spans[i].0, r, spans[i].1, k);
            s.merge(r + 1, spans[i].0, r + 1, spans[i].1, v);
        }
        r += 2;
    }
    // 绩效指标.
    let top = r;
    for (i, (_, h)) in ind_cols.iter().enumerate() {
        s.text(r, 1 + i as u16, h);
    }
    r += 1;
    let first = r;
    let split = ind_cols.iter().any(|(k, _)| *k == "度量单位");
    for item in &form.indicators {
        for (i, (key, _)) in ind_cols.iter().enumerate() {
            let c = 1 + i as u16;
            let value = match (*key, split) {
                ("指标性质", true) => get(item, "年度指标值").map(|t| split_target(t).0),
                ("年度指标值", true) => get(item, key).map(|t| split_target(t).1),
                ("度量单位", true) => get(item, "年度指标值").map(|t| split_target(t).2),
                ("实际完成值", true) => get(item, key).map(|t| {
                    let unit = split_target(get(item, "年度指标值").unwrap_or("")).2;
                    t.strip_suffix(unit.as_str()).unwrap_or(t).to_string()
                }),
                _ => get(item, key).map(str::to_string),
            };
            match value {
                Some(v) if *key == "实际完成值" || *key == "分值" || *key == "得分" => {
                    s.cells.push((r, c, put(&v, false)));
                }
                Some(v) => s.text(r, c, &v),
                None => {}
            }
        }
        r += 1;
    }
    // 一级指标 and 二级指标 merged down their runs.
    for level in 0..2u16 {
        let c = 1 + level;
        let key = ["一级指标", "二级指标"][level as usize];
        let mut start = first;
        for i in 0..=form.indicators.len() {
            let here = form.indicators.get(i).and_then(|it| get(it, key));
            let prev = get(&form.indicators[(start - first) as usize], key);
            if i == form.indicators.len()
                || here != prev
                || (level == 1 && run_break(form, first, start, i as u32 + first))
            {
                let end = first + i as u32 - 1;
                if end > start {
                    s.merges.push((start, c, end, c));
                    s.cells
                        .retain(|(rr, cc, _)| !(*cc == c && *rr > start && *rr <= end));
                }
                start = first + i as u32;
            }
        }
    }
    s.merges.push((top, 0, r - 1, 0));
    s.text(top, 0, "绩效指标");
    // The total row and the grade.
    let col = |key: &str| {
        ind_cols
            .iter()
            .position(|(k, _)| *k == key)
            .map(|i| 1 + i as u16)
    };
    let score_col = col("分值").unwrap();
    s.merge(r, 0, r, score_col - 1, style.total_label);
    for key in ["分值", "得分"] {
        if let (Some(v), Some(c)) = (get(&form.total, key), col(key)) {
            s.cells.push((r, c, put(v, false)));
        }
    }
    r += 1;
    if let Some(g) = &form.grade {
        s.merge(r, 0, r, 1, "自评等级");
        s.merge(r, 2, r, last, g);
    }
    s
}

/// Whether a 二级指标 run must end because its 一级指标 changes.
fn run_break(form: &Form, first: u32, start: u32, at: u32) -> bool {
    let a = get(&form.indicators[(start - first) as usize], "一级指标");
    let b = form
        .indicators
        .get((at - first) as usize)
        .and_then(|it| get(it, "一级指标"));
    a != b
}

/// The workbook of a sheet, as bytes (fixed document dates, so output is reproducible).
pub fn xlsx(sheet: &Sheet, name: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(name).unwrap();
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    for (r0, c0, r1, c1) in &sheet.merges {
        let text = sheet
            .cells
            .iter()
            .find(|(r, c, _)| (r, c) == (r0, c0))
            .map(|(_, _, p)| p.clone());
        match text {
            Some(Put::Number(x, code)) => {
                ws.merge_range(*r0, *c0, *r1, *c1, "", &border).unwrap();
                ws.write_number_with_format(*r0, *c0, x, &border.clone().set_num_format(&code))
                    .unwrap();
            }
            Some(Put::Text(t)) => {
                ws.merge_range(*r0, *c0, *r1, *c1, &t, &border).unwrap();
            }
            None => {
                ws.merge_range(*r0, *c0, *r1, *c1, "", &border).unwrap();
            }
        }
    }
    for (r, c, p) in &sheet.cells {
        if sheet.merges.iter().any(|(r0, c0, _, _)| (r0, c0) == (r, c)) {
            continue;
        }
        match p {
            Put::Text(t) => ws
                .write_string_with_format(*r, *c, t, &border)
                .map(|_| ())
                .unwrap(),
            Put::Number(x, code) => ws
                .write_number_with_format(*r, *c, *x, &border.clone().set_num_format(code))
                .map(|_| ())
                .unwrap(),
        }
    }
    ws.set_column_width(0, 14).unwrap();
    ws.set_column_range_width(1, sheet.width, 12).unwrap();
    book.save_to_buffer().unwrap()
}

/// The text a cell shows (for the Word table): the number under its format.
fn shown(p: &Put) -> String {
    match p {
        Put::Text(t) => t.clone(),
        Put::Number(x, code) => hecha::read::workbook::format_number(*x, code).unwrap(),
    }
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Word report: paragraphs, then the form as a table (gridSpan across, vMerge down),
/// then a closing paragraph. Written with the zip crate: the parts Word needs, no more.
pub fn docx(sheet: &Sheet, paragraphs: &[&str], after: &[&str]) -> Vec<u8> {
    let height = sheet.cells.iter().map(|c| c.0).max().unwrap_or(0) + 1;
    let mut body = String::new();
    let para = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(t)
        )
    };
    for p in paragraphs {
        body.push_str(&para(p));
    }
    body.push_str("<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"single\"/><w:bottom w:val=\"single\"/><w:insideH w:val=\"single\"/><w:insideV w:val=\"single\"/></w:tblBorders></w:tblPr><w:tblGrid>");
    for _ in 0..sheet.width {
        body.push_str("<w:gridCol w:w=\"900\"/>");
    }
    body.push_str("</w:tblGrid>");
    for r in 0..height {
        body.push_str("<w:tr>");
        let mut c = 0u16;
        while c < sheet.width {
            let merge = sheet
                .merges
                .iter()
                .find(|(r0, c0, r1, c1)| (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c));
            let (span, vmerge, text) = match merge {
                Some((r0, c0, r1, c1)) => {
                    let span = c1 - c0 + 1;
                    let v = if r1 == r0 {
                        ""
                    } else if r == *r0 {
                        "<w:vMerge w:val=\"restart\"/>"
                    } else {
                        "<w:vMerge/>"
                    };
                    let text = if r == *r0 {
                        sheet
                            .cells
                            .iter()
                            .find(|x| (x.0, x.1) == (*r0, *c0))
                            .map(|x| shown(&x.2))
                    } else {
                        None
                    };
                    (span, v, text)
                }
                None => (
                    1,
                    "",
                    sheet
                        .cells
                        .iter()
                        .find(|x| (x.0, x.1) == (r, c))
                        .map(|x| shown(&x.2)),
                ),
            };
            let grid_span = if span > 1 {
                format!("<w:gridSpan w:val=\"{span}\"/>")
            } else {
                String::new()
            };
            body.push_str(&format!(
                "<w:tc><w:tcPr>{grid_span}{vmerge}</w:tcPr><w:p>{}</w:p></w:tc>",
                text.map(|t| format!(
                    "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    escape(&t)
                ))
                .unwrap_or_default()
            ));
            c += span;
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    for p in after {
        body.push_str(&para(p));
    }
    package(&body)
}

/// A Word document of paragraphs alone: a report written in prose, one paragraph a line.
pub fn prose_docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(p)
        ));
    }
    package(&body)
}

/// The reports of `samples/reports/` that are also written as Word documents.
pub const REPORTS_AS_DOCX: &[&str] = &["dongan-2018-special-fund"];

/// The reports in `samples/reports/` written as Word documents from their .txt (each
/// non-blank line a paragraph): file name and bytes.
pub fn reports(reports: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in REPORTS_AS_DOCX {
        let text = std::fs::read_to_string(reports.join(format!("{name}.txt"))).unwrap();
        let paragraphs: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        out.push((format!("{name}.docx"), prose_docx(&paragraphs)));
    }
    out.push((MIXED.to_string(), mixed_docx(&reports.join("../forms"))));
    out
}

/// A self-assessment report as a Word document of prose and the form: the clean project
/// form with one mistake planted (自评等级 良 beside a total of 99.55), and paragraphs with
/// one planted in the prose (「其中」 parts of 174 件 under a total of 170 件), and a sentence
/// the prose reader leaves unchecked (a 其中 of 人 under 人次).
pub const MIXED: &str = "project-report-with-form.docx";

/// The Word document [`MIXED`] names.
pub fn mixed_docx(forms: &Path) -> Vec<u8> {
    let (sheet, before, after) = mixed(forms);
    docx(&sheet, &before, &after)
}

/// The parts of [`MIXED`]: the form, the paragraphs before it and those after it.
pub fn mixed(forms: &Path) -> (Sheet, Vec<&'static str>, Vec<&'static str>) {
    let yaml = std::fs::read_to_string(forms.join("project-clean.yaml")).unwrap();
    let form = Form::from_yaml(&yaml.replace("自评等级: 优", "自评等级: 良"));
    let sheet = layout(&form, &Style::national(false));
    (
        sheet,
        vec![
            "信访救助专项资金2023年度绩效自评报告",
            "一、项目基本情况",
            "2023年县财政安排信访救助专项资金120万元，全年实际支出114.6万元，预算执行率95.5%。",
            "全年受理救助申请170件，其中：审核通过162件，不予救助12件。",
            "二、绩效自评情况",
            "全年救助困难信访群众162人次，其中信访老户7人。",
            "附：项目支出绩效自评表",
        ],
        vec![
            "三、存在的问题和下一步工作",
            "部分救助对象的诉求涉及征地补偿，需跨年度协调，次年将按新标准测算救助金额。",
            "某县信访局",
            "2024年1月15日",
        ],
    )
}

/// The parts of a .docx around its `w:body`, zipped with a fixed date (reproducible).
fn package(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::from_date_and_time(2024, 3, 1, 0, 0, 0).unwrap());
        for (name, text) in [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("word/document.xml", document.as_str()),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out
}

/// The sheet as an OpenDocument spreadsheet, written as LibreOffice writes one: each
/// number's stored value in `office:value` and its displayed text in `text:p`, merged
/// cells as `number-columns-spanned` / `number-rows-spanned` over covered cells.
pub fn ods(sheet: &Sheet, name: &str) -> Vec<u8> {
    let height = sheet.cells.iter().map(|c| c.0).max().unwrap_or(0) + 1;
    let mut rows = String::new();
    for r in 0..height {
        rows.push_str("<table:table-row>");
        for c in 0..sheet.width {
            let merge = sheet
                .merges
                .iter()
                .find(|(r0, c0, r1, c1)| (*r0..=*r1).contains(&r) && (*c0..=*c1).contains(&c));
            if let Some((r0, c0, _, _)) = merge
                && (*r0, *c0) != (r, c)
            {
                rows.push_str("<table:covered-table-cell/>");
                continue;
            }
            let spans = merge.map_or(String::new(), |(r0, c0, r1, c1)| {
                format!(
                    " table:number-columns-spanned=\"{}\" table:number-rows-spanned=\"{}\"",
                    c1 - c0 + 1,
                    r1 - r0 + 1
                )
            });
            match sheet.cells.iter().find(|x| (x.0, x.1) == (r, c)).map(|x| &x.2) {
                Some(Put::Text(t)) => rows.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"{spans}><text:p>{}</text:p></table:table-cell>",
                    escape(t)
                )),
                Some(p @ Put::Number(x, code)) => {
                    let kind = if code.ends_with('%') { "percentage" } else { "float" };
                    rows.push_str(&format!(
                        "<table:table-cell office:value-type=\"{kind}\" office:value=\"{x}\"{spans}><text:p>{}</text:p></table:table-cell>",
                        shown(p)
                    ));
                }
                None => rows.push_str(&format!("<table:table-cell{spans}/>")),
            }
        }
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"{}\">{rows}</table:table></office:spreadsheet></office:body></office:document-content>",
        escape(name)
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let time = zip::DateTime::from_date_and_time(2024, 3, 1, 0, 0, 0).unwrap();
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(time);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in [
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content.as_str()),
        ] {
            zip.start_file(name, deflated).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out
}

/// What the generator writes: file name, the YAML it transcribes, and its bytes.
pub fn all(samples: &Path) -> Vec<(String, String, Vec<u8>)> {
    let read = |name: &str| std::fs::read_to_string(samples.join(name)).unwrap();
    let mut out = Vec::new();
    for (yaml, xlsx_name) in [
        ("project-clean.yaml", "project-clean.xlsx"),
        ("project-mistakes.yaml", "project-mistakes.xlsx"),
        ("department.yaml", "department.xlsx"),
        ("project-20-points.yaml", "project-20-points.xlsx"),
    ] {
        let form = Form::from_yaml(&read(yaml));
        let style = Style::national(form.department);
        out.push((
            xlsx_name.to_string(),
            yaml.to_string(),
            xlsx(&layout(&form, &style), style.sheet),
        ));
    }
    let clean = Form::from_yaml(&read("project-clean.yaml"));
    let style = Style::sichuan();
    out.push((
        "sichuan-project-clean.xlsx".into(),
        "project-clean.yaml".into(),
        xlsx(&layout(&clean, &style), style.sheet),
    ));
    let points = Form::from_yaml(&read("project-20-points.yaml"));
    let style = Style::lettered();
    out.push((
        "lettered-project-20-points.xlsx".into(),
        "project-20-points.yaml".into(),
        xlsx(&layout(&points, &style), style.sheet),
    ));
    let mistakes = Form::from_yaml(&read("project-mistakes.yaml"));
    let sheet = layout(&mistakes, &Style::national(false));
    out.push((
        "project-mistakes.ods".into(),
        "project-mistakes.yaml".into(),
        ods(&sheet, "项目支出"),
    ));
    out.push((
        "report-mistakes.docx".into(),
        "project-mistakes.yaml".into(),
        docx(
            &sheet,
            &[
                "信访救助专项资金绩效自评报告",
                "一、项目基本情况",
                "对生活确有困难的信访群众给予救助。附：项目支出绩效自评表",
            ],
            &["二、下一步工作", "次年将按新标准测算救助金额。"],
        ),
    ));
    out
}
