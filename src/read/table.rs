//! A grid of cells (a sheet, a Word table) → the forms tree of docs/forms.md.
//!
//! What the columns and rows of a 绩效自评表 are called is data: the layout file
//! `rules/readers/forms-layout.yaml`, embedded in the binary, which a bureau extends with its
//! province's variants in hecha.yaml (`layout:`). The reader finds the header rows of the
//! fund table and the indicator table by those names, reads each row under them, takes
//! merged cells as a person reads them (a 一级指标 merged down its rows belongs to each),
//! applies a unit written in a header or a note (「（万元）」, 「金额单位：万元」) to the money
//! figures, and skips blank and decorative rows. Every scalar's span is its cell's text
//! in the shown text, so a finding points at the cell.
//!
//! Precision before recall: a header cell it cannot place in a table it recognised, or a
//! sheet that has a form's words but no table it recognises, is a located problem; a
//! sheet with no form at all is skipped and counted.

use super::grid::{Grid, a1};
use crate::figure::{Figure, Interval};
use crate::problem::Problem;
use crate::read::Limits;
use crate::read::yaml::load;
use crate::report::{Key, NodeId, Report, Scalar, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The built-in layout file's name under `rules/readers/`.
pub(crate) const LAYOUT_FILE: &str = "forms-layout.yaml";

/// The built-in layout file.
pub(crate) fn builtin_layout() -> &'static str {
    crate::rules::BUILTIN_READERS
        .iter()
        .find(|(name, _)| *name == LAYOUT_FILE)
        .map_or("", |(_, text)| text)
}

/// Names → variants, in order.
type Names = Vec<(String, Vec<String>)>;

/// A breakdown table (「三公」经费): its labels, total-row names and lines.
#[derive(Clone, Debug, Default)]
pub(crate) struct Breakdown {
    pub(crate) key: String,
    pub(crate) labels: Vec<String>,
    pub(crate) total: Vec<String>,
    /// Line key, its variants, and the line it is part of.
    pub(crate) lines: Vec<(String, Vec<String>, Option<String>)>,
}

/// The layout knowledge: how forms name their columns and rows.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub(crate) titles: Names,
    pub(crate) fields: Names,
    pub(crate) fund_tables: Names,
    pub(crate) fund_columns: Names,
    pub(crate) fund_rows: Names,
    pub(crate) unsummed_rows: Names,
    pub(crate) group_rows: Vec<String>,
    pub(crate) breakdowns: Vec<Breakdown>,
    pub(crate) goal_labels: Vec<String>,
    pub(crate) goal_columns: Names,
    pub(crate) indicator_labels: Vec<String>,
    pub(crate) indicator_columns: Names,
    pub(crate) total_rows: Vec<String>,
    pub(crate) units: Vec<String>,
}

const SECTIONS: &[&str] = &[
    "titles",
    "fields",
    "fund_tables",
    "fund_columns",
    "fund_rows",
    "unsummed_rows",
    "group_rows",
    "breakdowns",
    "goals",
    "indicators",
    "total_rows",
    "units",
];

impl Layout {
    /// The built-in layout.
    pub fn builtin() -> Layout {
        let mut layout = Layout::default();
        let loaded = load(builtin_layout(), &Limits::default());
        let report = loaded.report.expect("the built-in layout parses");
        let problems = layout.extend(&report, report.roots[0]);
        debug_assert!(problems.is_empty(), "{problems:?}");
        layout
    }

    /// Adds the variants of a layout mapping (the built-in file, or `layout:` of a
    /// bureau's hecha.yaml) after those already known. Problems are located in `report`.
    pub(crate) fn extend(&mut self, report: &Report, map: NodeId) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !matches!(report.node(map).value, Value::Map(_)) {
            problems.push(
                Problem::new("layout-invalid", "layout 应为映射（栏目名: [写法, …]）")
                    .at(report.label_span(map), "不是映射"),
            );
            return problems;
        }
        for &section in report.children(map) {
            let Some(name) = report.key(section) else {
                continue;
            };
            match name {
                "titles" => names(report, section, &mut self.titles, &mut problems),
                "fields" => names(report, section, &mut self.fields, &mut problems),
                "fund_tables" => names(report, section, &mut self.fund_tables, &mut problems),
                "fund_columns" => names(report, section, &mut self.fund_columns, &mut problems),
                "fund_rows" => names(report, section, &mut self.fund_rows, &mut problems),
                "unsummed_rows" => names(report, section, &mut self.unsummed_rows, &mut problems),
                "group_rows" => self.group_rows.extend(list(report, section, &mut problems)),
                "total_rows" => self.total_rows.extend(list(report, section, &mut problems)),
                "units" => self.units.extend(list(report, section, &mut problems)),
                "goals" | "indicators" => {
                    let (labels, columns) = if name == "goals" {
                        (&mut self.goal_labels, &mut self.goal_columns)
                    } else {
                        (&mut self.indicator_labels, &mut self.indicator_columns)
                    };
                    if let Some(l) = report.child(section, "labels") {
                        labels.extend(list(report, l, &mut problems));
                    }
                    if let Some(c) = report.child(section, "columns") {
                        names(report, c, columns, &mut problems);
                    }
                }
                "breakdowns" => {
                    for &b in report.children(section) {
                        let Some(key) = report.key(b) else { continue };
                        let i = match self.breakdowns.iter().position(|x| x.key == key) {
                            Some(i) => i,
                            None => {
                                self.breakdowns.push(Breakdown {
                                    key: key.to_string(),
                                    ..Breakdown::default()
                                });
                                self.breakdowns.len() - 1
                            }
                        };
                        let bd = &mut self.breakdowns[i];
                        if let Some(l) = report.child(b, "labels") {
                            bd.labels.extend(list(report, l, &mut problems));
                        }
                        if let Some(l) = report.child(b, "total") {
                            bd.total.extend(list(report, l, &mut problems));
                        }
                        if let Some(lines) = report.child(b, "lines") {
                            for &line in report.children(lines) {
                                let Some(lk) = report.key(line) else { continue };
                                let variants = report
                                    .child(line, "labels")
                                    .map(|l| list(report, l, &mut problems))
                                    .unwrap_or_default();
                                let under = report
                                    .child(line, "under")
                                    .and_then(|u| report.text(u))
                                    .map(str::to_string);
                                match bd.lines.iter_mut().find(|x| x.0 == lk) {
                                    Some(x) => x.1.extend(variants),
                                    None => bd.lines.push((lk.to_string(), variants, under)),
                                }
                            }
                        }
                    }
                }
                other => {
                    let p = Problem::new("layout-invalid", format!("layout 中没有「{other}」一项"))
                        .at(report.label_span(section), "未知项");
                    problems.push(
                        match crate::problem::similar(other, SECTIONS.iter().copied()) {
                            Some(s) => p.with_help(format!("有名称相近的一项「{s}」")),
                            None => p.with_note(format!("可写的项：{}", SECTIONS.join("、"))),
                        },
                    );
                }
            }
        }
        problems
    }
}

fn list(report: &Report, node: NodeId, problems: &mut Vec<Problem>) -> Vec<String> {
    match &report.node(node).value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|&i| report.text(i).map(normal))
            .collect(),
        Value::Scalar(s) => vec![normal(&s.text)],
        _ => {
            problems.push(
                Problem::new("layout-invalid", "写法应为列表：[写法, …]")
                    .at(report.label_span(node), "不是列表"),
            );
            Vec::new()
        }
    }
}

fn names(report: &Report, node: NodeId, out: &mut Names, problems: &mut Vec<Problem>) {
    if !matches!(report.node(node).value, Value::Map(_)) {
        problems.push(
            Problem::new("layout-invalid", "此项应为映射：键名: [写法, …]")
                .at(report.label_span(node), "不是映射"),
        );
        return;
    }
    for &child in report.children(node) {
        let Some(key) = report.key(child) else {
            continue;
        };
        let variants = list(report, child, problems);
        match out.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => v.extend(variants),
            None => out.push((key.to_string(), variants)),
        }
    }
}

/// Text as compared with the layout's variants: no spaces, no 「其中：」, no bracketed
/// unit or column letter (（万元）, (A), (B/A)), full-width brackets and colons as ASCII.
pub(crate) fn normal(text: &str) -> String {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => c,
        })
        .collect();
    for prefix in ["其中:", "其中", "含:"] {
        if let Some(rest) = s.strip_prefix(prefix)
            && !rest.is_empty()
        {
            s = rest.to_string();
            break;
        }
    }
    // Leading numbering: `1.`, `一、`.
    let digits = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)))
        .map_or(0, |(i, _)| i);
    if digits > 0
        && let Some(rest) = s[digits..].strip_prefix(['、', '.', '．'])
        && !rest.is_empty()
    {
        s = rest.to_string();
    }
    // Bracketed units and letters, anywhere.
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let drop = inner
            .chars()
            .all(|c| c.is_ascii_alphabetic() || "/×*÷-+%".contains(c))
            || matches!(inner, "万元" | "元" | "亿元" | "%" | "百分比");
        out.push_str(&rest[..open]);
        if !drop {
            out.push_str(&rest[open..=open + close]);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn find<'n>(names: &'n Names, text: &str) -> Option<&'n str> {
    names
        .iter()
        .find(|(_, variants)| variants.iter().any(|v| v == text))
        .map(|(k, _)| k.as_str())
}

/// What the form reader made of one grid.
#[derive(Debug, Default)]
pub(crate) struct FormRead {
    /// Whether the grid holds a form (a root was added to the report).
    pub(crate) form: bool,
    pub(crate) problems: Vec<Problem>,
    /// Structures seen but left unchecked (a grid with no form, an unsummed source group).
    pub(crate) unrecognised: usize,
}

/// Builds the tree of the form in `grid` (already shown, so its spans are set) as a new
/// root of `report`, and the node titles that name a cell by its row and column.
pub(crate) fn read_form(grid: &Grid, layout: &Layout, report: &mut Report) -> FormRead {
    let mut reader = FormReader::new(grid, layout);
    reader.scan();
    let mut out = FormRead {
        problems: std::mem::take(&mut reader.problems),
        ..FormRead::default()
    };
    if reader.is_empty() {
        if reader.form_words.is_some() && out.problems.is_empty() {
            let (r, c, word) = reader.form_words.clone().expect("checked");
            out.problems.push(
                Problem::new(
                    "form-layout-unknown",
                    format!("「{}」像是绩效自评表，但识别不出资金表或绩效指标表的表头", grid.name()),
                )
                .at(grid.span(r, c), format!("{} 有「{word}」", a1(r, c)))
                .with_note("hecha 按表样文件（rules/readers/forms-layout.yaml）识别表头；此表的表头不在其中")
                .with_help("在 hecha.yaml 的 layout: 中写上本表表头的写法（见 docs/forms.md「读取工作簿」）"),
            );
        }
        out.unrecognised += 1;
        return out;
    }
    reader.build(report);
    out.unrecognised += reader.unsummed;
    out.form = true;
    out
}

/// A value cell found for a key: where it is, the key's own cell.
#[derive(Clone, Debug, Default)]
struct At {
    row: u32,
    col: u32,
}

#[derive(Debug, Default)]
struct FundRow {
    key: String,
    label: At,
    /// Column key → cell.
    cells: Vec<(String, At)>,
    /// For a breakdown line: the line it is part of.
    under: Option<String>,
    unsummed: bool,
}

#[derive(Debug)]
struct FundTable {
    key: String,
    label: Option<At>,
    header_row: u32,
    /// Column key → header cell.
    columns: Vec<(String, At)>,
    rows: Vec<FundRow>,
    unit: Option<String>,
    breakdown: bool,
}

struct FormReader<'a> {
    grid: &'a Grid,
    layout: &'a Layout,
    norm: Vec<Vec<String>>,
    kind: Option<String>,
    fields: Vec<(String, At, At)>,
    funds: Vec<FundTable>,
    goals: Vec<(String, At, At)>,
    goal_label: Option<At>,
    indicator_label: Option<At>,
    indicator_columns: Vec<(String, At)>,
    indicators: Vec<u32>,
    total: Option<(At, Vec<(String, At)>)>,
    unit: Option<String>,
    form_words: Option<(u32, u32, String)>,
    problems: Vec<Problem>,
    unsummed: usize,
}

impl<'a> FormReader<'a> {
    fn new(grid: &'a Grid, layout: &'a Layout) -> FormReader<'a> {
        let norm = grid
            .rows
            .iter()
            .map(|row| row.iter().map(|c| normal(&c.text)).collect())
            .collect();
        FormReader {
            grid,
            layout,
            norm,
            kind: None,
            fields: Vec::new(),
            funds: Vec::new(),
            goals: Vec::new(),
            goal_label: None,
            indicator_label: None,
            indicator_columns: Vec::new(),
            indicators: Vec::new(),
            total: None,
            unit: None,
            form_words: None,
            problems: Vec::new(),
            unsummed: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.funds.is_empty() && self.indicators.is_empty() && self.total.is_none()
    }

    /// The normalised text of the cell itself (not of a merge covering it).
    fn own(&self, r: u32, c: u32) -> &str {
        self.norm
            .get(r as usize)
            .and_then(|row| row.get(c as usize))
            .map_or("", String::as_str)
    }

    /// Whether (r, c) is the first cell of its merged range (or in none).
    fn is_origin(&self, r: u32, c: u32) -> bool {
        self.grid.origin(r, c) == (r, c)
    }

    /// The normalised text read at (r, c), merges taken into account.
    fn read(&self, r: u32, c: u32) -> &str {
        let (r, c) = self.grid.origin(r, c);
        self.own(r, c)
    }

    fn width(&self, r: u32) -> u32 {
        self.norm.get(r as usize).map_or(0, |row| row.len() as u32)
    }

    /// Words that only a form has: a sheet holding one (or a short title with 自评表) but
    /// no table the reader recognises is reported, not skipped. Generic words (分值,
    /// 合计, 项目名称) do not count, so a list of projects is not taken for a form.
    fn form_word(&self, text: &str) -> bool {
        const KEYS: &[&str] = &[
            "年度资金总额",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "偏差原因分析及改进措施",
            "自评等级",
        ];
        let l = self.layout;
        (text.contains("自评表") && text.chars().count() <= 30)
            || KEYS.contains(&text)
            || l.indicator_labels.iter().any(|w| w == text)
            || l.goal_labels.iter().any(|w| w == text)
    }

    fn scan(&mut self) {
        let height = self.grid.height();
        // Units in a note anywhere: 「金额单位：万元」, 「单位：万元」.
        'unit: for r in 0..height {
            for c in 0..self.width(r) {
                let t = self.own(r, c);
                if let Some(pos) = t.find("单位:") {
                    let after = &t[pos + "单位:".len()..];
                    for u in &self.layout.units {
                        if after.starts_with(u.as_str()) {
                            self.unit = Some(u.clone());
                            break 'unit;
                        }
                    }
                }
            }
        }
        // The form's kind from its title; the first form word, for a sheet not placed.
        for r in 0..height {
            for c in 0..self.width(r) {
                let t = self.own(r, c).to_string();
                if t.is_empty() {
                    continue;
                }
                if self.kind.is_none() {
                    for (kind, variants) in &self.layout.titles {
                        if variants.iter().any(|v| t.contains(v.as_str())) {
                            self.kind = Some(kind.clone());
                        }
                    }
                }
                if self.form_words.is_none() && self.form_word(&t) {
                    self.form_words = Some((r, c, self.grid.read(r, c).to_string()));
                }
            }
        }
        let mut r = 0;
        while r < height {
            if let Some(next) = self.fund_header(r) {
                r = next;
                continue;
            }
            if let Some(next) = self.indicator_header(r) {
                r = next;
                continue;
            }
            self.goal_header(r);
            self.field_cells(r);
            r += 1;
        }
    }

    fn unit_in(&self, text: &str) -> Option<String> {
        let raw: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        self.layout
            .units
            .iter()
            .find(|u| raw.contains(&format!("（{u}）")) || raw.contains(&format!("({u})")))
            .cloned()
    }

    /// The fund columns named in row `r`, if it is a fund table's header (it names two
    /// of 年初预算数, 全年预算数, 全年执行数 at least).
    fn fund_columns(&self, r: u32) -> Option<Vec<(String, At)>> {
        let mut columns = Vec::new();
        for c in 0..self.width(r) {
            if !self.is_origin(r, c) {
                continue;
            }
            if let Some(k) = find(&self.layout.fund_columns, self.own(r, c)) {
                columns.push((k.to_string(), At { row: r, col: c }));
            }
        }
        let money = columns
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "年初预算数" | "全年预算数" | "全年执行数"))
            .count();
        (money >= 2).then_some(columns)
    }

    /// A fund or breakdown table whose header is row `r`; returns the row after it.
    fn fund_header(&mut self, r: u32) -> Option<u32> {
        let columns = self.fund_columns(r)?;
        let first = columns[0].1.col;
        // The block label: to the left of the first column, in this row (maybe merged
        // down from above or over the rows below).
        let breakdown_names: Names = self
            .layout
            .breakdowns
            .iter()
            .map(|b| (b.key.clone(), b.labels.clone()))
            .collect();
        let mut label = None;
        let mut key = None;
        let mut breakdown = None;
        for c in 0..first {
            let t = self.read(r, c);
            if t.is_empty() {
                continue;
            }
            let (or, oc) = self.grid.origin(r, c);
            if let Some(k) = find(&breakdown_names, t) {
                breakdown = self.layout.breakdowns.iter().find(|b| b.key == k);
                key = Some(k.to_string());
                label = Some(At { row: or, col: oc });
            } else if let Some(k) = find(&self.layout.fund_tables, t) {
                key = Some(k.to_string());
                label = Some(At { row: or, col: oc });
            }
        }
        let mut unit = label
            .as_ref()
            .and_then(|l| self.unit_in(self.grid.read(l.row, l.col)));
        for (_, at) in &columns {
            unit = unit.or_else(|| self.unit_in(self.grid.read(at.row, at.col)));
        }
        let key = key.unwrap_or_else(|| match self.kind.as_deref() {
            Some("部门整体支出绩效自评表") => "年度预算执行情况".to_string(),
            _ => "项目资金".to_string(),
        });
        self.unknown_headers(r, first, &columns, label.as_ref());
        let mut table = FundTable {
            key,
            label,
            header_row: r,
            columns,
            rows: Vec::new(),
            unit,
            breakdown: breakdown.is_some(),
        };
        let height = self.grid.height();
        let mut row = r + 1;
        while row < height {
            if self.fund_columns(row).is_some() {
                break; // the next table's header
            }
            let filled: Vec<&(String, At)> = table
                .columns
                .iter()
                .filter(|(_, at)| self.is_origin(row, at.col) && !self.own(row, at.col).is_empty())
                .collect();
            // The row label: the rightmost non-empty cell left of the figures that is
            // not the table's own label.
            let mut name = None;
            for c in (0..first).rev() {
                let (or, oc) = self.grid.origin(row, c);
                if table
                    .label
                    .as_ref()
                    .is_some_and(|l| (l.row, l.col) == (or, oc))
                {
                    continue;
                }
                let t = self.own(or, oc);
                if !t.is_empty() {
                    name = Some((t.to_string(), At { row: or, col: oc }));
                    break;
                }
            }
            let Some((name, at)) = name else {
                if filled.is_empty() {
                    row += 1;
                    continue; // a blank row
                }
                break;
            };
            if self.layout.group_rows.contains(&name) && filled.is_empty() {
                row += 1;
                continue;
            }
            let (key, under, unsummed) = match breakdown {
                Some(b) => {
                    if b.total.contains(&name) || b.labels.contains(&name) {
                        (Some(String::new()), None, false)
                    } else {
                        match b.lines.iter().find(|(_, v, _)| v.contains(&name)) {
                            Some((k, _, u)) => (Some(k.clone()), u.clone(), false),
                            None => (None, None, false),
                        }
                    }
                }
                None => match find(&self.layout.fund_rows, &name) {
                    Some(k) => (Some(k.to_string()), None, false),
                    None => match find(&self.layout.unsummed_rows, &name) {
                        Some(k) => (Some(k.to_string()), None, true),
                        None => (None, None, false),
                    },
                },
            };
            let Some(key) = key else {
                if filled.is_empty() || self.starts_section(row) {
                    break; // the table ends here
                }
                self.problems.push(
                    Problem::new(
                        "form-row-unknown",
                        format!(
                            "资金表中的行「{}」无法识别，此行未核查",
                            self.grid.read(at.row, at.col)
                        ),
                    )
                    .at(
                        self.grid.span(at.row, at.col),
                        format!("{} 行名", a1(at.row, at.col)),
                    )
                    .with_note("不知道此行是哪一项资金，来源与总额的合计也就不作检查（以免误报）")
                    .with_help("在 hecha.yaml 的 layout: 中把此行名加到 fund_rows 的对应一项"),
                );
                table.rows.push(FundRow {
                    key: self.grid.read(at.row, at.col).to_string(),
                    label: at,
                    cells: Vec::new(),
                    under: None,
                    unsummed: true,
                });
                row += 1;
                continue;
            };
            let cells = filled
                .iter()
                .map(|(k, a)| (k.clone(), At { row, col: a.col }))
                .collect();
            table.rows.push(FundRow {
                key,
                label: at,
                cells,
                under,
                unsummed,
            });
            row += 1;
        }
        self.funds.push(table);
        Some(row)
    }

    /// Whether row `r` starts another part of the form (goals, indicators, a field).
    fn starts_section(&self, r: u32) -> bool {
        (0..self.width(r)).any(|c| {
            let t = self.own(r, c);
            self.layout.goal_labels.iter().any(|l| l == t)
                || self.layout.indicator_labels.iter().any(|l| l == t)
                || find(&self.layout.fields, t).is_some()
                || self.layout.total_rows.iter().any(|l| l == t)
        })
    }

    /// Header cells right of `first` in row `r` that name no column: located problems.
    fn unknown_headers(
        &mut self,
        r: u32,
        first: u32,
        columns: &[(String, At)],
        label: Option<&At>,
    ) {
        for c in first..self.width(r) {
            if !self.is_origin(r, c) || columns.iter().any(|(_, a)| a.col == c) {
                continue;
            }
            if label.is_some_and(|l| (l.row, l.col) == (r, c)) {
                continue;
            }
            let text = self.grid.read(r, c);
            if text.trim().is_empty() || super::super::report::is_blank_text(text) {
                continue;
            }
            self.problems.push(
                Problem::new("form-header-unknown", format!("表头「{text}」无法识别，此栏未核查"))
                    .at(self.grid.span(r, c), format!("{} 表头", a1(r, c)))
                    .with_note("hecha 按表样文件（rules/readers/forms-layout.yaml）识别表头；这一栏的写法不在其中")
                    .with_help("在 hecha.yaml 的 layout: 中把这一写法加到对应的栏目（见 docs/forms.md「读取工作簿」）"),
            );
        }
    }

    /// The indicator table whose header is row `r`; returns the row after it.
    fn indicator_header(&mut self, r: u32) -> Option<u32> {
        let mut columns: Vec<(String, At)> = Vec::new();
        for c in 0..self.width(r) {
            if !self.is_origin(r, c) {
                continue;
            }
            if let Some(k) = find(&self.layout.indicator_columns, self.own(r, c))
                && !columns.iter().any(|(x, _)| x == k)
            {
                columns.push((k.to_string(), At { row: r, col: c }));
            }
        }
        let levels = columns
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "一级指标" | "二级指标" | "三级指标"))
            .count();
        let values = columns
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "年度指标值" | "实际完成值"))
            .count();
        if levels < 1 || values < 1 || columns.len() < 3 {
            return None;
        }
        let first = columns[0].1.col;
        for c in 0..first {
            let t = self.read(r, c);
            if self.layout.indicator_labels.iter().any(|l| l == t) {
                let (or, oc) = self.grid.origin(r, c);
                self.indicator_label = Some(At { row: or, col: oc });
            }
        }
        let label = self.indicator_label.clone();
        self.unknown_headers(r, first, &columns, label.as_ref());
        self.indicator_columns = columns;
        let height = self.grid.height();
        let mut row = r + 1;
        while row < height {
            // A total row, or another part of the form, ends the table.
            let lead = (0..self.width(row))
                .map(|c| self.own(row, c))
                .find(|t| !t.is_empty())
                .unwrap_or("");
            if self.layout.total_rows.iter().any(|t| t == lead) {
                let (c, _) = (0..self.width(row))
                    .map(|c| (c, self.own(row, c)))
                    .find(|(_, t)| !t.is_empty())
                    .expect("a lead cell");
                let cells = self
                    .indicator_columns
                    .iter()
                    .filter(|(k, _)| matches!(k.as_str(), "分值" | "得分"))
                    .filter(|(_, a)| {
                        self.grid.origin(row, a.col).0 == row && !self.read(row, a.col).is_empty()
                    })
                    .map(|(k, a)| {
                        let (or, oc) = self.grid.origin(row, a.col);
                        (k.clone(), At { row: or, col: oc })
                    })
                    .collect();
                self.total = Some((At { row, col: c }, cells));
                return Some(row + 1);
            }
            if find(&self.layout.fields, lead).is_some() {
                break;
            }
            // An item: a row with a cell of its own (not merged from above) under a
            // column other than the levels.
            let own = self.indicator_columns.iter().any(|(k, a)| {
                !matches!(k.as_str(), "一级指标" | "二级指标")
                    && self.grid.origin(row, a.col).0 == row
                    && !self.read(row, a.col).is_empty()
            });
            if own {
                self.indicators.push(row);
            }
            row += 1;
        }
        Some(row)
    }

    fn goal_header(&mut self, r: u32) {
        if !self.goals.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for c in 0..self.width(r) {
            if !self.is_origin(r, c) {
                continue;
            }
            let t = self.own(r, c).to_string();
            if self.layout.goal_labels.contains(&t) {
                self.goal_label = Some(At { row: r, col: c });
            }
            if let Some(k) = find(&self.layout.goal_columns, &t) {
                found.push((k.to_string(), c));
            }
        }
        for (key, c) in found {
            // The text under the column header, in the next rows.
            for below in r + 1..(r + 4).min(self.grid.height()) {
                let (or, oc) = self.grid.origin(below, c);
                if or <= r {
                    continue;
                }
                if !self.own(or, oc).is_empty() {
                    self.goals
                        .push((key.clone(), At { row: r, col: c }, At { row: or, col: oc }));
                    break;
                }
            }
        }
    }

    fn field_cells(&mut self, r: u32) {
        for c in 0..self.width(r) {
            if !self.is_origin(r, c) {
                continue;
            }
            let Some(key) = find(&self.layout.fields, self.own(r, c)) else {
                continue;
            };
            if self.fields.iter().any(|(k, _, _)| k == key) {
                continue;
            }
            let right = self.grid.merge_at(r, c).map_or(c, |m| m.right);
            for v in right + 1..self.width(r) {
                if !self.is_origin(r, v) {
                    continue;
                }
                let t = self.own(r, v);
                if t.is_empty() {
                    continue;
                }
                if find(&self.layout.fields, t).is_none() {
                    self.fields.push((
                        key.to_string(),
                        At { row: r, col: c },
                        At { row: r, col: v },
                    ));
                }
                break;
            }
        }
    }

    fn build(&mut self, report: &mut Report) {
        let grid = self.grid;
        let mut t = Tree {
            grid,
            report,
            titles: Vec::new(),
        };
        let start = 0;
        let root = t
            .report
            .add(None, None, start..start, Value::Map(Vec::new()));
        let field_order = |k: &str| {
            ["项目名称", "部门（单位）名称", "主管部门", "实施单位"]
                .iter()
                .position(|x| *x == k)
                .unwrap_or(9)
        };
        let mut fields = std::mem::take(&mut self.fields);
        fields.sort_by_key(|(k, _, _)| field_order(k));
        let grade = fields
            .iter()
            .position(|(k, _, _)| k == "自评等级")
            .map(|i| fields.remove(i));
        for (key, label, at) in &fields {
            t.cell(root, key, label, at, None, key);
        }
        for table in std::mem::take(&mut self.funds) {
            self.fund_table(&mut t, root, table);
        }
        if !self.goals.is_empty() {
            let label = self.goal_label.clone().unwrap_or(self.goals[0].1.clone());
            let goals = t.map(root, "年度总体目标", &label);
            for (key, header, at) in &self.goals {
                t.cell(goals, key, header, at, None, key);
            }
        }
        if !self.indicators.is_empty() {
            let label = self
                .indicator_label
                .clone()
                .unwrap_or(self.indicator_columns[0].1.clone());
            let list = t.report.add(
                Some(root),
                Some(t.key("绩效指标", &label)),
                grid.span(label.row, label.col),
                Value::Seq(Vec::new()),
            );
            let unit_col = self
                .indicator_columns
                .iter()
                .find(|(k, _)| k == "度量单位")
                .map(|(_, a)| a.col);
            for &row in &self.indicators {
                let start = grid.span(row, 0).start;
                let item = t
                    .report
                    .add(Some(list), None, start..start, Value::Map(Vec::new()));
                let name = self
                    .indicator_columns
                    .iter()
                    .find(|(k, _)| k == "三级指标")
                    .map(|(_, a)| grid.read(row, a.col).to_string())
                    .unwrap_or_default();
                let unit = unit_col
                    .map(|c| grid.read(row, c).trim().to_string())
                    .filter(|u| !u.is_empty() && !crate::report::is_blank_text(u));
                for (key, header) in &self.indicator_columns {
                    if key == "度量单位" {
                        continue;
                    }
                    let (or, oc) = grid.origin(row, header.col);
                    if grid.cell(or, oc).is_none_or(|c| c.text.is_empty()) {
                        continue;
                    }
                    let suffix = match key.as_str() {
                        "年度指标值" | "实际完成值" => unit.as_deref(),
                        _ => None,
                    };
                    let title = if name.is_empty() {
                        key.clone()
                    } else {
                        format!("{name} · {key}")
                    };
                    t.cell(item, key, header, &At { row: or, col: oc }, suffix, &title);
                }
            }
        }
        if let Some((label, cells)) = self.total.take() {
            let total = t.map(root, "总分", &label);
            for (key, at) in &cells {
                let header = self
                    .indicator_columns
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(label.clone(), |(_, a)| a.clone());
                t.cell(total, key, &header, at, None, &format!("总分 · {key}"));
            }
        }
        if let Some((key, label, at)) = &grade {
            t.cell(root, key, label, at, None, key);
        }
        let Tree { titles, .. } = t;
        for (id, title) in titles {
            report.set_title(id, title);
        }
    }

    fn fund_table(&mut self, t: &mut Tree<'_>, root: NodeId, table: FundTable) {
        let grid = self.grid;
        let unit = table.unit.clone().or_else(|| self.unit.clone());
        let label = table.label.clone().unwrap_or(At {
            row: table.header_row,
            col: table.columns[0].1.col,
        });
        let block = t.map(root, &table.key, &label);
        let money = |k: &str| matches!(k, "年初预算数" | "全年预算数" | "全年执行数");
        let header = |k: &str| {
            table
                .columns
                .iter()
                .find(|(c, _)| c == k)
                .map(|(_, a)| a.clone())
                .expect("a cell's column is a header")
        };
        // Source rows the pack does not add up, holding a figure: the source group goes
        // under 资金来源, left out of the sum checks.
        let nested = !table.breakdown
            && table.rows.iter().any(|r| {
                r.unsummed
                    && r.cells.iter().any(|(_, a)| {
                        Figure::parse(grid.read(a.row, a.col))
                            .ok()
                            .flatten()
                            .is_some_and(|f| !f.value.is_zero())
                    })
            });
        if nested {
            self.unsummed += 1;
        }
        let sources = None::<NodeId>;
        let mut sources = sources;
        let mut lines: HashMap<String, NodeId> = HashMap::new();
        let mut parts: HashMap<String, NodeId> = HashMap::new();
        for row in &table.rows {
            let row_name = grid.read(row.label.row, row.label.col).to_string();
            let is_source = matches!(row.key.as_str(), "财政拨款" | "上年结转资金" | "其他资金")
                || row.unsummed;
            let parent = if table.breakdown {
                if row.key.is_empty() {
                    block
                } else {
                    let holder = match &row.under {
                        Some(u) => lines.get(u).copied().unwrap_or(block),
                        None => block,
                    };
                    *parts
                        .entry(format!("{holder:?}"))
                        .or_insert_with(|| t.map(holder, "构成", &row.label))
                }
            } else if nested && is_source {
                *sources.get_or_insert_with(|| t.map(block, "资金来源", &row.label))
            } else {
                block
            };
            let node = if table.breakdown && row.key.is_empty() {
                block
            } else {
                if row.cells.is_empty() && !row.unsummed {
                    continue;
                }
                let key = if row.key.is_empty() {
                    row_name.clone()
                } else {
                    row.key.clone()
                };
                let n = t.map(parent, &key, &row.label);
                lines.insert(row.key.clone(), n);
                n
            };
            for (key, at) in &row.cells {
                // The template prints — under the score columns of the rows below the
                // total: no cell to read (docs/forms.md leaves them out).
                let score = matches!(key.as_str(), "分值" | "执行率" | "得分");
                if score
                    && row.key != "年度资金总额"
                    && crate::report::is_blank_text(grid.read(at.row, at.col))
                {
                    continue;
                }
                let suffix = if money(key) { unit.as_deref() } else { None };
                let title = format!("{} · {key}", row_name.trim_start_matches("其中：").trim());
                t.cell(node, key, &header(key), at, suffix, &title);
            }
        }
    }
}

/// Builds nodes of one form.
struct Tree<'a> {
    grid: &'a Grid,
    report: &'a mut Report,
    titles: Vec<(NodeId, String)>,
}

impl Tree<'_> {
    fn key(&self, text: &str, at: &At) -> Key {
        Key {
            text: text.into(),
            span: self.grid.span(at.row, at.col),
        }
    }

    /// The mapping under `key` in `parent`, made if it is not there yet.
    fn map(&mut self, parent: NodeId, key: &str, label: &At) -> NodeId {
        if let Some(existing) = self.report.child(parent, key) {
            return existing;
        }
        let k = self.key(key, label);
        let span = k.span.clone();
        self.report
            .add(Some(parent), Some(k), span, Value::Map(Vec::new()))
    }

    /// A scalar from a cell: its text, a unit appended to a bare money figure.
    fn cell(
        &mut self,
        parent: NodeId,
        key: &str,
        header: &At,
        at: &At,
        unit: Option<&str>,
        title: &str,
    ) {
        if self.report.child(parent, key).is_some() {
            return;
        }
        let Some(cell) = self.grid.cell(at.row, at.col) else {
            return;
        };
        let span = self.grid.span(at.row, at.col);
        let mut text = cell.text.clone();
        let mut figure = Figure::parse(&text).ok().flatten();
        if let (Some(u), Some(f)) = (unit, &figure)
            && f.unit.is_none()
            && f.magnitude == Decimal::ONE
        {
            text.push_str(u);
            figure = Figure::parse(&text).ok().flatten();
        }
        if cell.unknown_precision
            && let Some(f) = &mut figure
        {
            widen(f);
        }
        let verbatim_at = (text == cell.text).then_some(0);
        let value = if cell.no_value {
            Value::Null
        } else {
            Value::Scalar(Scalar {
                text: text.into(),
                figure,
                verbatim_at,
            })
        };
        let k = Key {
            text: key.into(),
            span: self.grid.span(header.row, header.col),
        };
        let id = self.report.add(Some(parent), Some(k), span, value);
        self.titles.push((id, title.to_string()));
    }
}

/// A figure of unknown displayed precision: it stands for every value a display of it
/// rounded to whole units could mean, and is never exact.
pub(crate) fn widen(f: &mut Figure) {
    let scale = f.magnitude * f.unit.map_or(Decimal::ONE, |u| u.factor);
    if let Ok(interval) = Interval::around(f.value, Decimal::new(5, 1) * scale) {
        f.interval = interval;
        f.exact = false;
    }
}

/// Reads the forms in a file's grids: the shown text of every grid (one source), one
/// root per form, and the problems of each grid located at its cells. `what` names the
/// file's kind in messages (工作簿, 文档).
pub fn read_grids(
    name: String,
    mut grids: Vec<Grid>,
    mut problems: Vec<Problem>,
    layout: &Layout,
    limits: &Limits,
    what: &str,
) -> crate::read::Read {
    use crate::read::Read;
    use crate::source::SourceFile;
    let mut text = String::new();
    let mut places = Vec::new();
    for grid in &mut grids {
        grid.show(&mut text, &mut places);
        text.push('\n');
    }
    let mut report = Report::default();
    let read = read_forms(&grids, layout, limits, what, &mut report);
    problems.extend(read.problems);
    let (forms, unrecognised) = (read.forms, read.unrecognised);
    let located = problems.iter().any(|p| !p.notice);
    if forms == 0 && !located {
        problems.push(
            Problem::new("no-form", format!("{what}中没有识别出绩效自评表，没有可核查的数据"))
                .with_note(format!(
                    "读了 {} 个{}；hecha 按表样文件（rules/readers/forms-layout.yaml）识别资金表和绩效指标表的表头",
                    grids.len(),
                    if what == "工作簿" { "工作表" } else { "表格" }
                ))
                .with_help("确认文件中有自评表；表头写法与内置表样不同的，在 hecha.yaml 的 layout: 中写上"),
        );
    }
    report.index_keys();
    let source = SourceFile::new(name, text).with_places(places);
    Read {
        source: std::sync::Arc::new(source),
        report: (forms > 0).then_some(report),
        problems,
        unrecognised,
        figures_read: None,
    }
}

/// What [`read_forms`] made of a file's grids.
#[derive(Debug, Default)]
pub struct FormsRead {
    /// How many grids hold a form (one root each).
    pub forms: usize,
    pub problems: Vec<Problem>,
    /// Structures seen but left unchecked ([`FormRead::unrecognised`], summed).
    pub unrecognised: usize,
}

/// Reads the forms in grids already shown (their spans set) into `report`, one root per
/// form, with the problems of each grid located at its cells; `what` names the file's
/// kind in messages (工作簿, 文档).
pub fn read_forms(
    grids: &[Grid],
    layout: &Layout,
    limits: &Limits,
    what: &str,
    report: &mut Report,
) -> FormsRead {
    let mut out = FormsRead::default();
    for grid in grids {
        let read = read_form(grid, layout, report);
        out.problems.extend(read.problems);
        out.unrecognised += read.unrecognised;
        out.forms += usize::from(read.form);
        out.problems.extend(no_values(grid));
        if report.len() > limits.max_nodes {
            out.problems.push(
                Problem::new(
                    "too-many-nodes",
                    format!("{what}的数据项过多，其余部分未读取"),
                )
                .with_note(format!("上限为 {} 个数据项", limits.max_nodes))
                .with_help("确认文件无误后，可用 --max-nodes 调高上限"),
            );
            break;
        }
    }
    out
}

/// Formula cells saved without their values: one located problem per grid.
fn no_values(grid: &Grid) -> Option<Problem> {
    let cells: Vec<(u32, u32)> = grid
        .rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| c.no_value)
                .map(move |(c, _)| (r as u32, c as u32))
        })
        .collect();
    let &(r, c) = cells.first()?;
    let p = Problem::new(
        "formula-without-value",
        format!(
            "工作表「{}」有 {} 个公式单元格没有保存计算结果，这些格按空白处理",
            grid.name(),
            cells.len()
        ),
    )
    .with_note(format!(
        "如 {}；文件由程序生成、未在 Excel 中计算过时会这样",
        cells
            .iter()
            .take(5)
            .map(|&(r, c)| a1(r, c))
            .collect::<Vec<_>>()
            .join("、")
    ))
    .with_help("在 Excel 或 WPS 中打开并保存（让公式算出结果）后再核查")
    .at(grid.span(r, c), format!("{} 没有值", a1(r, c)));
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::grid::{Cell, GridKind, Merge};

    #[test]
    fn names_compare_without_layout_noise() {
        assert_eq!(normal("其中：当年财政拨款"), "当年财政拨款");
        assert_eq!(normal("项目资金（万元）"), "项目资金");
        assert_eq!(normal("全年预算数(A)"), "全年预算数");
        assert_eq!(normal("执行率（B/A）"), "执行率");
        assert_eq!(normal(" 一级 指标 "), "一级指标");
        assert_eq!(normal("1.年度资金总额"), "年度资金总额");
        assert_eq!(normal("部门（单位）名称"), "部门(单位)名称");
        assert_eq!(normal("其中"), "其中");
    }

    #[test]
    fn the_builtin_layout_reads_and_a_bureau_extends_it() {
        let layout = Layout::builtin();
        assert_eq!(
            find(&layout.fund_columns, "调整后预算数"),
            Some("全年预算数")
        );
        assert_eq!(find(&layout.indicator_columns, "权重"), Some("分值"));
        let mut layout = layout;
        let text = "fund_columns:\n  全年执行数: [核定执行数]\nfund_colums: {}\n";
        let report = load(text, &Limits::default()).report.unwrap();
        let problems = layout.extend(&report, report.roots[0]);
        assert_eq!(find(&layout.fund_columns, "核定执行数"), Some("全年执行数"));
        assert_eq!(find(&layout.fund_columns, "全年执行数"), Some("全年执行数"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].help.as_ref().unwrap().contains("fund_columns"));
    }

    /// A small national form: merged block label, a merged 一级指标, units in the label.
    fn form() -> Grid {
        let mut g = Grid::new(GridKind::Sheet("项目支出".into()));
        let rows: &[&[&str]] = &[
            &["项目支出绩效自评表"],
            &["项目名称", "信访救助"],
            &[
                "项目资金（万元）",
                "",
                "年初预算数",
                "全年预算数",
                "全年执行数",
                "分值",
                "执行率",
                "得分",
            ],
            &[
                "",
                "年度资金总额",
                "100.00",
                "120.00",
                "114.60",
                "10",
                "95.50%",
                "9.55",
            ],
            &[
                "",
                "其中：当年财政拨款",
                "100.00",
                "120.00",
                "114.60",
                "—",
                "—",
                "—",
            ],
            &[],
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
            ],
            &[
                "",
                "产出指标",
                "数量指标",
                "救助人数",
                "≥150人",
                "162人",
                "20",
                "20",
            ],
            &[
                "",
                "",
                "质量指标",
                "符合条件率",
                "100%",
                "99.8%",
                "10",
                "10",
            ],
            &["总分", "", "", "", "", "", "100", "99.55"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                if !t.is_empty() {
                    g.set(r as u32, c as u32, Cell::text(*t));
                }
            }
        }
        g.merged.push(Merge {
            top: 2,
            left: 0,
            bottom: 4,
            right: 0,
        });
        g.merged.push(Merge {
            top: 7,
            left: 1,
            bottom: 8,
            right: 1,
        });
        g
    }

    #[test]
    fn a_grid_becomes_the_forms_tree() {
        let mut g = form();
        let (mut text, mut places) = (String::new(), Vec::new());
        g.show(&mut text, &mut places);
        let mut report = Report::default();
        let read = read_form(&g, &Layout::builtin(), &mut report);
        assert!(read.form && read.problems.is_empty(), "{:?}", read.problems);
        let root = report.roots[0];
        let total = report
            .child(report.child(root, "项目资金").unwrap(), "年度资金总额")
            .unwrap();
        let spent = report.child(total, "全年执行数").unwrap();
        assert_eq!(report.text(spent), Some("114.60万元"));
        assert_eq!(&text[report.node(spent).span.clone()], "114.60");
        assert_eq!(report.title(spent), Some("年度资金总额 · 全年执行数"));
        assert_eq!(report.path(spent), "项目资金.年度资金总额.全年执行数");
        let grant = report
            .child(report.child(root, "项目资金").unwrap(), "财政拨款")
            .unwrap();
        assert!(
            report.child(grant, "分值").is_none(),
            "the template's — is left out"
        );
        let second = report
            .item(report.child(root, "绩效指标").unwrap(), 1)
            .unwrap();
        // 一级指标 merged down is read in the second row too.
        assert_eq!(
            report.text(report.child(second, "一级指标").unwrap()),
            Some("产出指标")
        );
        assert_eq!(
            report.text(report.child(second, "实际完成值").unwrap()),
            Some("99.8%")
        );
        let score = report
            .child(report.child(root, "总分").unwrap(), "得分")
            .unwrap();
        assert_eq!(report.text(score), Some("99.55"));
        assert_eq!(
            report.text(report.child(root, "项目名称").unwrap()),
            Some("信访救助")
        );
    }

    #[test]
    fn unsummed_source_rows_take_the_sources_out_of_the_sum() {
        let mut g = form();
        g.set(5, 1, Cell::text("单位资金"));
        g.set(5, 4, Cell::text("5.00"));
        let (mut text, mut places) = (String::new(), Vec::new());
        g.show(&mut text, &mut places);
        let mut report = Report::default();
        let read = read_form(&g, &Layout::builtin(), &mut report);
        assert_eq!(read.unrecognised, 1);
        let fund = report.child(report.roots[0], "项目资金").unwrap();
        let sources = report.child(fund, "资金来源").unwrap();
        assert!(report.child(sources, "单位资金").is_some());
        assert!(report.child(sources, "财政拨款").is_some());
        assert!(report.child(fund, "财政拨款").is_none());
    }
}
