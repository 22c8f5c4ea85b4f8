//! Builds a [`Report`] from YAML or JSON text (JSON is YAML 1.2), keeping byte spans.
//!
//! granit-parser gives events with byte ranges into the text; this turns them into the
//! tree with an explicit stack, so a deeply nested file cannot overflow the call stack.
//! Aliases are copied into the tree under a budget of their own, which bounds an alias
//! bomb.

pub use super::Limits;
use super::Read;
use crate::figure::{Figure, FigureError, NearMiss};
use crate::problem::Problem;
use crate::report::{Key, Node, NodeId, Place, Report, Scalar, Text, Value};
use crate::source::SourceFile;
use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Reads a YAML or JSON file: decodes its bytes (a file not in UTF-8 is read with a
/// notice saying so) and builds the tree. Positions are the file's lines and columns.
pub(crate) fn read(name: String, bytes: &[u8], limits: &Limits) -> Read {
    let source = match SourceFile::decode(name.clone(), bytes) {
        Ok(source) => Arc::new(source),
        Err(e) => {
            let (source, problem) = e.report(name, bytes);
            return Read::unusable(source, problem);
        }
    };
    let mut problems = Vec::new();
    if let Some(encoding) = source.encoding {
        problems.push(
            Problem::new(
                "encoding",
                format!(
                    "文件编码为 {}，已转换为 UTF-8 后核查",
                    encoding.to_ascii_uppercase()
                ),
            )
            .with_note("位置（字节偏移）按转换为 UTF-8 后的文本计算")
            .with_help(format!(
                "建议另存为 UTF-8，如：iconv -f {} -t UTF-8 原文件 > 新文件",
                encoding.to_ascii_uppercase()
            ))
            .as_notice(),
        );
    }
    let loaded = super::load(&source.text, limits);
    problems.extend(loaded.problems);
    Read {
        source,
        report: loaded.report,
        problems,
        unrecognised: 0,
        figures_read: None,
    }
}

/// What loading a file gave: the tree, if the file parsed, and the problems found.
#[derive(Debug)]
pub struct Loaded {
    pub report: Option<Report>,
    pub problems: Vec<Problem>,
}

/// Reads `text` into a report tree.
pub fn load(text: &str, limits: &Limits) -> Loaded {
    let mut builder = Builder::new(text, limits);
    let options = granit_parser::options! {
        emit_comments: false,
        block_nesting_limit: limits.max_depth,
        flow_nesting_limit: limits.max_depth,
    };
    for event in Parser::new_from_str_with_options(text, options) {
        let step = match event {
            Ok((event, span)) => {
                let range = span.byte_range().unwrap_or(0..0);
                builder.event(event, range)
            }
            Err(e) => Err(Box::new(syntax_problem(&e, text, limits))),
        };
        if let Err(problem) = step {
            return builder.finish(Some(problem));
        }
    }
    builder.finish(None)
}

/// The notice for a value that holds a figure the rules cannot read.
fn near_miss(text: &str, miss: NearMiss, span: &Range<usize>) -> Problem {
    let trimmed = text.trim();
    let shown = match trimmed.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    };
    match miss {
        NearMiss::Labelled { full_width, .. } => Problem::new(
            "figure-in-text",
            format!("「{shown}」把名称和数字写在同一个值里，其中的数字未读取"),
        )
        .at(span.clone(), "名称和数字在一起")
        .with_note(if full_width {
            "用了全角冒号「：」，YAML 不把它当作键和值的分隔"
        } else {
            "冒号前的名称成了值的一部分"
        })
        .with_help("把名称写成键、数字写成值，如「得分: 89.05分」独占一行（半角冒号后加空格）")
        .as_notice(),
        NearMiss::Change(word) => Problem::new(
            "figure-change",
            format!("「{shown}」是变化幅度（{word}），未作为数字读取"),
        )
        .at(span.clone(), "变化幅度")
        .with_help("另设一个键写幅度本身，如「降幅: 5%」，并写明基数")
        .as_notice(),
    }
}

/// A syntax error that a Chinese input method makes, named as such and located where
/// it was made rather than where the parser gave up: a full-width colon after a key
/// (`受理：2495件`), full-width spaces for indentation, a bare `-` as a value.
fn ime_problem(e: &ScanError, text: &str, offset: usize) -> Option<Problem> {
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    // The error's line and the two before it, nearest first.
    let mut starts = vec![line_start];
    let mut cursor = line_start;
    for _ in 0..2 {
        if cursor == 0 {
            break;
        }
        let before = &text[..cursor - 1];
        cursor = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        starts.push(cursor);
    }
    for &start in &starts {
        let line = text[start..].split(['\n', '\r']).next().unwrap_or("");
        if line.starts_with('\u{3000}') {
            let width = line.len() - line.trim_start_matches('\u{3000}').len();
            return Some(full_width_space(start..start + width));
        }
    }
    let at = text[offset..].chars().next();
    let after = &text[offset + at.map_or(0, char::len_utf8)..];
    let in_block = (after.is_empty() || after.starts_with([' ', '\n', '\r', '\t']))
        && text[line_start..offset].contains(':');
    let in_flow = after.starts_with([',', ']', '}']);
    if at == Some('-') && (in_block || in_flow) {
        return Some(
            Problem::new(
                "yaml-syntax",
                "值「-」须加引号：YAML 把行中的「- 」当作列表项",
            )
            .at(offset..offset + 1, "需加引号")
            .with_note(format!("解析器：{}", e.info().lines().next().unwrap_or("")))
            .with_help("写成 \"-\"（加引号），或什么也不写表示空值"),
        );
    }
    for &start in &starts {
        let line = text[start..].split(['\n', '\r']).next().unwrap_or("");
        let content = line.trim_start_matches([' ', '-']);
        let lead = line.len() - content.len();
        if content.starts_with(['#', '"', '\'']) {
            continue;
        }
        if let Some(colon) = content.find('：')
            && !content[..colon].contains(": ")
            && !content[..colon].ends_with(':')
        {
            let at = start + lead + colon;
            return Some(
                Problem::new("yaml-syntax", "键后用了全角冒号「：」，YAML 只认半角冒号")
                    .at(at..at + '：'.len_utf8(), "全角冒号")
                    .with_note(format!("解析器：{}", e.info().lines().next().unwrap_or("")))
                    .with_help("把「：」改为半角冒号加空格「: 」"),
            );
        }
    }
    None
}

fn full_width_space(span: Range<usize>) -> Problem {
    Problem::new(
        "full-width-space",
        "行首用了全角空格「　」缩进，YAML 只认半角空格",
    )
    .at(span, "全角空格")
    .with_help("把行首的全角空格改为半角空格（每层两个）")
}

fn syntax_problem(e: &ScanError, text: &str, limits: &Limits) -> Problem {
    let offset = e.marker().byte_offset().unwrap_or(0).min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    if matches!(e.kind(), ErrorKind::RecursionLimitExceeded) {
        return *too_deep(offset..end, limits.max_depth);
    }
    if let Some(problem) = ime_problem(e, text, offset) {
        return problem;
    }
    let detail = e.info().lines().next().unwrap_or("").to_string();
    let (label, help) = match e.kind() {
        ErrorKind::UnclosedFlowCollection { open } => {
            (format!("「{open}」没有闭合"), "补上对应的括号")
        }
        ErrorKind::MismatchedFlowCollectionEnd { .. } | ErrorKind::MisplacedFlowCollectionEnd => {
            ("括号不配对".to_string(), "检查方括号和花括号是否成对")
        }
        ErrorKind::UnclosedQuotedScalar => ("引号没有闭合".to_string(), "补上结尾的引号"),
        ErrorKind::TabInIndentation
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabNotAllowed => ("用了 Tab 缩进".to_string(), "YAML 只能用空格缩进"),
        ErrorKind::UnexpectedEof
        | ErrorKind::UnexpectedEofBlockMapping
        | ErrorKind::UnexpectedEofBlockSequence => {
            ("文件在此意外结束".to_string(), "检查文件是否完整")
        }
        _ => ("此处无法解析".to_string(), "对照上下文检查缩进、冒号和引号"),
    };
    Problem::new("yaml-syntax", "YAML 格式错误，文件无法读取")
        .at(offset..end, label)
        .with_note(format!("解析器：{detail}"))
        .with_help(help)
}

enum Frame {
    Map {
        id: NodeId,
        pending_key: Option<Key>,
        seen: Option<HashMap<Text, Range<usize>>>,
    },
    Seq {
        id: NodeId,
    },
}

pub(super) struct Builder<'l> {
    source: &'l str,
    /// The source, shared by the texts of the tree that are written verbatim in it.
    shared: Arc<str>,
    report: Report,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    /// Nodes added by expanding aliases so far.
    alias_nodes: usize,
    /// Bytes of scalar text that expanding aliases has copied so far.
    alias_bytes: usize,
    problems: Vec<Problem>,
    limits: &'l Limits,
}

impl<'l> Builder<'l> {
    pub(super) fn new(source: &'l str, limits: &'l Limits) -> Builder<'l> {
        Builder {
            source,
            shared: Arc::from(source),
            report: Report::with_capacity(expected_nodes(source, limits)),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            alias_bytes: 0,
            problems: Vec::new(),
            limits,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Range<usize>) -> Result<(), Box<Problem>> {
        match event {
            Event::Scalar(text, style, anchor, _) => {
                self.scalar(text, style == ScalarStyle::Plain, anchor, span)?;
            }
            Event::MappingStart(_, anchor, _) => self.open(true, anchor, span)?,
            Event::SequenceStart(_, anchor, _) => self.open(false, anchor, span)?,
            Event::MappingEnd | Event::SequenceEnd => self.close(span),
            Event::Alias(anchor) => {
                let Some(&target) = self.anchors.get(&anchor) else {
                    return Err(Box::new(
                        Problem::new("yaml-syntax", "别名引用了不存在的锚点")
                            .at(span, "未定义的别名"),
                    ));
                };
                let open = self.stack.iter().any(
                    |f| matches!(f, Frame::Map { id, .. } | Frame::Seq { id } if *id == target),
                );
                if open {
                    // `a: &x [1, *x]` would expand forever.
                    let problem =
                        Problem::new("recursive-alias", "别名引用了包含它自身的节点，无法展开")
                            .at(span.clone(), "循环引用")
                            .with_help("把别名改为具体的值");
                    let name = self.source.get(span).and_then(|s| s.strip_prefix('*'));
                    let start = self.report.node(target).span.start;
                    let anchor = name.and_then(|name| {
                        let at = self.source.get(..start)?.rfind(&format!("&{name}"))?;
                        Some(at..at + 1 + name.len())
                    });
                    return Err(Box::new(match anchor {
                        Some(anchor) => problem.with_secondary(anchor, "锚点"),
                        None => problem,
                    }));
                }
                if self.expecting_key() {
                    // `*x: 1`: an alias as a key (found by fuzzing: it took the place of
                    // a value and left the key missing). A scalar's text is the key.
                    return match &self.report.node(target).value {
                        Value::Scalar(s) => {
                            let text = s.text.clone();
                            self.key(text, span)
                        }
                        _ => Err(Box::new(
                            Problem::new("complex-key", "映射的键必须是文字")
                                .at(visible(self.source, span), "此处的键是列表或映射"),
                        )),
                    };
                }
                self.charge_alias(target, &span)?;
                let id = self.attach(span.clone(), Value::Null)?;
                self.report.alias_of.insert(id, target);
                self.copy_into(target, id, &span)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A scalar (a key where the mapping expects one); `plain`: written without quotes.
    pub(super) fn scalar(
        &mut self,
        text: Cow<'_, str>,
        plain: bool,
        anchor: usize,
        span: Range<usize>,
    ) -> Result<(), Box<Problem>> {
        let text = self.text(text);
        if self.expecting_key() {
            return self.key(text, span);
        }
        let value = self.scalar_value(text, plain, &span);
        let id = self.attach(span, value)?;
        self.anchor(anchor, id);
        Ok(())
    }

    /// The start of a mapping (`is_map`) or a list.
    pub(super) fn open(
        &mut self,
        is_map: bool,
        anchor: usize,
        span: Range<usize>,
    ) -> Result<(), Box<Problem>> {
        if self.expecting_key() {
            return Err(Box::new(
                Problem::new("complex-key", "映射的键必须是文字")
                    .at(visible(self.source, span), "此处的键是列表或映射"),
            ));
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(too_deep(span, self.limits.max_depth));
        }
        let value = if is_map {
            Value::Map(Vec::new())
        } else {
            Value::Seq(Vec::new())
        };
        let id = self.attach(span, value)?;
        self.anchor(anchor, id);
        self.stack.push(if is_map {
            Frame::Map {
                id,
                pending_key: None,
                seen: None,
            }
        } else {
            Frame::Seq { id }
        });
        Ok(())
    }

    /// The end of the innermost open mapping or list.
    pub(super) fn close(&mut self, span: Range<usize>) {
        if let Some(Frame::Map { id, .. } | Frame::Seq { id }) = self.stack.pop() {
            let node = self.report.node_mut(id);
            node.span.end = node.span.end.max(span.end);
        }
    }

    /// The tree, once every event has been given; or the problem that stopped it.
    pub(super) fn finish(mut self, stopped: Option<Box<Problem>>) -> Loaded {
        if let Some(problem) = stopped {
            self.problems.push(*problem);
            return Loaded {
                report: None,
                problems: self.problems,
            };
        }
        let mut report = self.report;
        report.index_keys();
        Loaded {
            report: Some(report),
            problems: self.problems,
        }
    }

    /// A scalar's text: a part of the shared source when it is a slice of the source
    /// (granit-parser and the JSON scanner give plain scalars, keys and strings without
    /// escapes so), else held whole.
    fn text(&self, text: Cow<'_, str>) -> Text {
        match text {
            Cow::Borrowed(s) => {
                let at = (s.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
                if at <= self.source.len()
                    && s.len() <= self.source.len() - at
                    && let Some(part) = Text::part(&self.shared, at..at + s.len())
                {
                    return part;
                }
                Text::from(s)
            }
            Cow::Owned(s) => Text::from(s),
        }
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                pending_key: None,
                ..
            })
        )
    }

    fn key(&mut self, text: Text, span: Range<usize>) -> Result<(), Box<Problem>> {
        if text.starts_with('\u{3000}') && self.source.get(span.clone()) == Some(text.as_str()) {
            // `　办结: 5件`: meant as nesting, read as a sibling key named 「　办结」.
            let width = text.len() - text.trim_start_matches('\u{3000}').len();
            self.problems
                .push(full_width_space(span.start..span.start + width));
        }
        let Some(Frame::Map {
            id,
            pending_key,
            seen,
        }) = self.stack.last_mut()
        else {
            unreachable!("expecting_key checked the frame");
        };
        let earlier =
            match seen {
                Some(seen) => seen.get(text.as_str()).cloned(),
                None => self.report.children(*id).iter().find_map(|&c| {
                    match &self.report.node(c).place {
                        Place::Key(k) if k.text == text => Some(k.span.clone()),
                        _ => None,
                    }
                }),
            };
        if let Some(first) = earlier {
            self.problems.push(
                Problem::new("duplicate-key", format!("键「{text}」重复出现"))
                    .at(span.clone(), "重复的键")
                    .with_secondary(first, "首次出现在这里")
                    .with_help("合并或改名；核查时使用首次出现的值"),
            );
        }
        let children = self.report.children(*id).len();
        if seen.is_none() && children >= 32 {
            // Large mappings get an index so duplicate detection stays linear.
            let index = self
                .report
                .children(*id)
                .iter()
                .filter_map(|&c| match &self.report.node(c).place {
                    Place::Key(k) => Some((k.text.clone(), k.span.clone())),
                    _ => None,
                })
                .collect();
            *seen = Some(index);
        }
        if let Some(seen) = seen {
            seen.entry(text.clone()).or_insert_with(|| span.clone());
        }
        *pending_key = Some(Key { text, span });
        Ok(())
    }

    fn scalar_value(&mut self, text: Text, plain: bool, span: &Range<usize>) -> Value {
        if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
            return Value::Null;
        }
        let figure = match Figure::parse(&text) {
            Ok(figure) => figure,
            Err(FigureError::Overflow) => {
                self.problems.push(
                    Problem::new("figure-overflow", "数字超出可计算的范围")
                        .at(span.clone(), "位数过多")
                        .with_note("hecha 计算的数字最多约 28 位有效数字")
                        .with_help("核对此数字；它不参与核查"),
                );
                None
            }
        };
        if figure.is_none()
            && let Some(miss) = NearMiss::of(&text)
        {
            self.problems.push(near_miss(&text, miss, span));
        }
        let written = self.source.get(span.clone()).unwrap_or("");
        let verbatim_at = if written == text {
            Some(0)
        } else if written.len() >= 2 && written.get(1..written.len() - 1) == Some(text.as_str()) {
            Some(1)
        } else {
            None
        };
        Value::Scalar(Scalar {
            text,
            figure,
            verbatim_at,
        })
    }

    /// Adds a node where the current frame expects one, or as a new root.
    fn attach(&mut self, span: Range<usize>, value: Value) -> Result<NodeId, Box<Problem>> {
        if self.report.len() >= self.limits.max_nodes {
            return Err(too_many_nodes(span, self.limits.max_nodes));
        }
        let (parent, key) = match self.stack.last_mut() {
            None => (None, None),
            Some(Frame::Map {
                id, pending_key, ..
            }) => {
                let key = pending_key.take().expect("a value follows its key");
                (Some(*id), Some(key))
            }
            Some(Frame::Seq { id }) => (Some(*id), None),
        };
        let id = self.report.add(parent, key, span, value);
        Ok(id)
    }

    fn anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    /// Counts the node an alias adds, and the bytes of its text, against the alias
    /// budget: an alias of a 1 MB scalar copies 1 MB, so a file of aliases of one large
    /// scalar is bounded by bytes, not only by nodes.
    fn charge_alias(&mut self, target: NodeId, alias: &Range<usize>) -> Result<(), Box<Problem>> {
        if self.alias_nodes >= self.limits.max_alias_nodes {
            return Err(alias_expansion(alias, self.limits.max_alias_nodes));
        }
        self.alias_nodes += 1;
        if let Value::Scalar(s) = &self.report.node(target).value {
            self.alias_bytes = self.alias_bytes.saturating_add(s.text.len());
        }
        if self.alias_bytes > max_alias_bytes(self.source) {
            return Err(Box::new(
                Problem::new("alias-expansion", "别名展开后复制的文字过多")
                    .at(alias.clone(), "展开到此处超过上限")
                    .with_note(format!(
                        "别名复制的文字最多为文件大小的 {ALIAS_BYTES_PER_BYTE} 倍（至少 1 MiB）"
                    ))
                    .with_help("把别名改为具体的值"),
            ));
        }
        Ok(())
    }

    /// Makes `dest` (a fresh node standing for an alias) a copy of `source`'s subtree.
    fn copy_into(
        &mut self,
        source: NodeId,
        dest: NodeId,
        alias: &Range<usize>,
    ) -> Result<(), Box<Problem>> {
        let mut work = vec![(source, dest)];
        while let Some((from, to)) = work.pop() {
            let value = match &self.report.node(from).value {
                Value::Scalar(s) => Value::Scalar(Scalar {
                    text: s.text.clone(),
                    figure: s.figure.clone(),
                    // The alias's own node spans `*name`, not the text: a part of the
                    // text cannot be underlined there (found by fuzzing).
                    verbatim_at: if to == dest { None } else { s.verbatim_at },
                }),
                Value::Null => Value::Null,
                Value::Map(_) => Value::Map(Vec::new()),
                Value::Seq(_) => Value::Seq(Vec::new()),
            };
            let children = self.report.children(from).to_vec();
            self.report.node_mut(to).value = value;
            for child in children {
                if self.report.len() >= self.limits.max_nodes {
                    return Err(too_many_nodes(alias.clone(), self.limits.max_nodes));
                }
                if self.alias_nodes >= self.limits.max_alias_nodes {
                    return Err(alias_expansion(alias, self.limits.max_alias_nodes));
                }
                if let Value::Scalar(s) = &self.report.node(child).value {
                    self.alias_bytes = self.alias_bytes.saturating_add(s.text.len());
                    if self.alias_bytes > max_alias_bytes(self.source) {
                        return self.charge_alias(child, alias);
                    }
                }
                self.alias_nodes += 1;
                let node = self.report.node(child);
                let copy = Node {
                    parent: Some(to),
                    place: node.place.clone(),
                    span: node.span.clone(),
                    value: Value::Null,
                };
                let id = self.report.push(copy);
                match &mut self.report.node_mut(to).value {
                    Value::Map(c) | Value::Seq(c) => c.push(id),
                    _ => unreachable!("only collections have children"),
                }
                work.push((child, id));
            }
        }
        Ok(())
    }
}

/// Nodes to make room for before reading `text`: reports have one per 24 to 40 bytes
/// (a key and its value on a line, comments), and a node list that has to grow copies
/// every node (about 260 bytes each) once more, so room is made for one per 24 bytes; at
/// most 4,096 nodes (about 1 MB) are reserved at once, more as the tree grows.
fn expected_nodes(text: &str, limits: &Limits) -> usize {
    (text.len() / 24 + 8).min(limits.max_nodes).min(4096)
}

/// `span`, or where it is empty, the character after it, so that a label can be seen.
fn visible(text: &str, span: Range<usize>) -> Range<usize> {
    if !span.is_empty() {
        return span;
    }
    let next = text
        .get(span.start..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    span.start..span.start + next
}

/// Text that aliases may copy, per byte of the file.
const ALIAS_BYTES_PER_BYTE: usize = 4;

fn max_alias_bytes(text: &str) -> usize {
    text.len().saturating_mul(ALIAS_BYTES_PER_BYTE).max(1 << 20)
}

fn alias_expansion(alias: &Range<usize>, max: usize) -> Box<Problem> {
    Box::new(
        Problem::new("alias-expansion", "别名展开后的数据项过多")
            .at(alias.clone(), "展开到此处超过上限")
            .with_note(format!(
                "别名展开最多新增 {max} 个数据项；层层引用的别名会成倍增长"
            ))
            .with_help("把别名改为具体的值；确认文件无误后，可用 --max-alias-nodes 调高上限"),
    )
}

fn too_many_nodes(span: Range<usize>, max: usize) -> Box<Problem> {
    Box::new(
        Problem::new("too-many-nodes", "文件的数据项过多（含别名展开）")
            .at(span, "到此处超过上限")
            .with_note(format!("上限为 {max} 个数据项"))
            .with_help("确认文件无误后，可用 --max-nodes 调高上限"),
    )
}

fn too_deep(span: Range<usize>, max: usize) -> Box<Problem> {
    Box::new(
        Problem::new("too-deep", "嵌套层数超过上限")
            .at(span, format!("第 {} 层", max + 1))
            .with_note(format!("上限为 {max} 层"))
            .with_help("确认文件无误后，可用 --max-depth 调高上限"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Dimension;

    fn tree(text: &str) -> Report {
        let loaded = load(text, &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        loaded.report.unwrap()
    }

    #[test]
    fn spans_are_bytes_on_chinese_lines() {
        let text = "县本级:\n  交办: 1022件\n  办结: \"961件\"\n";
        let r = tree(text);
        let root = r.roots[0];
        let county = r.child(root, "县本级").unwrap();
        let assigned = r.child(county, "交办").unwrap();
        assert_eq!(&text[r.node(assigned).span.clone()], "1022件");
        let closed = r.child(county, "办结").unwrap();
        assert_eq!(&text[r.node(closed).span.clone()], "\"961件\"");
        assert_eq!(
            r.figure(closed).unwrap().dimension(),
            Some(Dimension::Count("件"))
        );
        let Place::Key(key) = &r.node(closed).place else {
            panic!()
        };
        assert_eq!(&text[key.span.clone()], "办结");
        assert_eq!(r.path(closed), "县本级.办结");
    }

    #[test]
    fn json_keeps_literals() {
        let text = r#"{"预算": "25.50万元", "执行": 25.50, "列表": [1, 2]}"#;
        let r = tree(text);
        let root = r.roots[0];
        let spent = r.child(root, "执行").unwrap();
        assert_eq!(r.figure(spent).unwrap().decimals, 2);
        let second = r.item(r.child(root, "列表").unwrap(), 1).unwrap();
        assert_eq!(r.path(second), "列表[1]");
        assert_eq!(&text[r.node(second).span.clone()], "2");
    }

    #[test]
    fn bom_is_skipped_and_spans_stay_file_relative() {
        let text = "\u{feff}a: 5件\n";
        let r = tree(text);
        let a = r.child(r.roots[0], "a").unwrap();
        assert_eq!(&text[r.node(a).span.clone()], "5件");
    }

    #[test]
    fn duplicate_keys_are_located_and_the_first_kept() {
        let text = "a: 1\nb: 2\na: 3\n";
        let loaded = load(text, &Limits::default());
        let problem = &loaded.problems[0];
        assert_eq!(problem.code, "duplicate-key");
        assert_eq!(&text[problem.span.clone().unwrap()], "a");
        assert_eq!(problem.span.clone().unwrap().start, 10);
        assert_eq!(problem.secondary[0].0, 0..1);
        let r = loaded.report.unwrap();
        assert_eq!(r.text(r.child(r.roots[0], "a").unwrap()), Some("1"));
    }

    #[test]
    fn duplicate_keys_in_large_mappings() {
        let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k7: 0\n");
        let loaded = load(&text, &Limits::default());
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].code, "duplicate-key");
        // Large mappings are looked up by index; the first value of a key wins there too.
        let r = loaded.report.unwrap();
        let root = r.roots[0];
        assert_eq!(r.text(r.child(root, "k7").unwrap()), Some("7"));
        assert_eq!(r.text(r.child(root, "k99").unwrap()), Some("99"));
        assert_eq!(r.child(root, "k100"), None);
        let copy = load("a: &a {k0: 0, k1: 1}\nb: *a\n", &Limits::default());
        let r = copy.report.unwrap();
        let b = r.child(r.roots[0], "b").unwrap();
        assert_eq!(r.text(r.child(b, "k1").unwrap()), Some("1"));
    }

    #[test]
    fn input_method_mistakes_are_named_where_they_are() {
        let cases = [
            ("受理：2495件\n办结: 2388件\n", "全角冒号", "：", "全角冒号"),
            (
                "a: 1\n受理：2495件\n办结: 2388件\n",
                "全角冒号",
                "：",
                "全角冒号",
            ),
            ("受理: -\n办结: 5件\n", "须加引号", "-", "需加引号"),
            ("表:\n  - [道路, -, 5件]\n", "须加引号", "-", "需加引号"),
            ("表:\n  - {数量: -}\n", "须加引号", "-", "需加引号"),
            ("县本级:\n　　受理: 5件\n", "全角空格", "　　", "全角空格"),
            ("a:\n  b: 1\n　c: 2\n", "全角空格", "　", "全角空格"),
        ];
        for (text, message, underlined, label) in cases {
            let loaded = load(text, &Limits::default());
            let problem = loaded
                .problems
                .first()
                .unwrap_or_else(|| panic!("{text:?}"));
            assert!(problem.message.contains(message), "{text:?}: {problem:?}");
            assert_eq!(&text[problem.span.clone().unwrap()], underlined, "{text:?}");
            assert_eq!(problem.label, label, "{text:?}");
            assert!(!problem.notice, "{text:?}");
        }
        // A note in a value that writes a full-width colon is text, not a mistake.
        let loaded = load("说明: 受理：见附件\n", &Limits::default());
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let loaded = load("a: \"得分: 89.05分\"\nb: 下降5%\n", &Limits::default());
        let codes: Vec<_> = loaded.problems.iter().map(|p| (p.code, p.notice)).collect();
        assert_eq!(codes, [("figure-in-text", true), ("figure-change", true)]);
    }

    #[test]
    fn syntax_errors_are_located() {
        let text = "a: [1, 2\nb: 3\n";
        let loaded = load(text, &Limits::default());
        assert!(loaded.report.is_none());
        assert_eq!(loaded.problems[0].code, "yaml-syntax");
        assert!(loaded.problems[0].span.is_some());
    }

    #[test]
    fn aliases_are_copied_under_a_budget() {
        let r = tree("a: &x {b: 1件}\nc: *x\n");
        let c = r.child(r.roots[0], "c").unwrap();
        let b = r.child(c, "b").unwrap();
        assert_eq!(r.path(b), "c.b");
        assert!(r.figure(b).is_some());

        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        let loaded = load(&bomb, &Limits::default());
        assert!(loaded.report.is_none());
        assert_eq!(loaded.problems[0].code, "alias-expansion");
        let loaded = load(
            &bomb,
            &Limits {
                max_nodes: 100_000,
                max_alias_nodes: usize::MAX,
                ..Limits::default()
            },
        );
        assert!(loaded.report.is_none());
        assert_eq!(loaded.problems[0].code, "too-many-nodes");
    }

    #[test]
    fn an_alias_as_a_key_is_a_key_not_a_panic() {
        // Found by fuzzing: `*x:` panicked with "a value follows its key".
        let r = tree("a: &x 交办\n*x : 5件\n");
        assert_eq!(r.text(r.child(r.roots[0], "交办").unwrap()), Some("5件"));
        let loaded = load("a: &x [1]\n*x : 5件\n", &Limits::default());
        assert_eq!(loaded.problems[0].code, "complex-key");
        let loaded = load("a: &x 1\n? *x\n", &Limits::default());
        assert!(loaded.report.is_some() || !loaded.problems.is_empty());
    }

    #[test]
    fn an_alias_of_a_scalar_is_not_underlined_in_part() {
        // Found by fuzzing: a placeholder found in the anchor's text was underlined at its
        // offset from the alias `*x`, past the end of the file.
        let text = "a: &x \"单位XX件\"\nb: *x\n";
        let r = tree(text);
        let b = r.child(r.roots[0], "b").unwrap();
        let Value::Scalar(s) = &r.node(b).value else {
            panic!()
        };
        assert_eq!(s.verbatim_at, None);
        assert_eq!(&text[r.node(b).span.clone()], "*x");
    }

    #[test]
    fn aliases_of_scalars_count_as_nodes_and_bytes() {
        let few = Limits {
            max_alias_nodes: 3,
            ..Limits::default()
        };
        let text = "a: &x 5件\nb: [*x, *x, *x, *x, *x]\n";
        let loaded = load(text, &few);
        assert_eq!(loaded.problems[0].code, "alias-expansion");
        // A large scalar aliased many times: bounded by bytes copied, not only by nodes.
        let big = "长".repeat(100_000);
        let mut text = format!("a: &x \"{big}\"\nb: [");
        text.push_str(&vec!["*x"; 1000].join(", "));
        text.push_str("]\n");
        let loaded = load(&text, &Limits::default());
        assert!(loaded.report.is_none());
        assert_eq!(loaded.problems[0].code, "alias-expansion");
        assert_eq!(loaded.problems[0].message, "别名展开后复制的文字过多");
        // The same inside a mapping that is aliased.
        let mut text = format!("a: &x {{k: \"{big}\"}}\nb: [");
        text.push_str(&vec!["*x"; 1000].join(", "));
        text.push_str("]\n");
        assert_eq!(
            load(&text, &Limits::default()).problems[0].code,
            "alias-expansion"
        );
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        // Found while building the adversarial corpus: it expanded up to the node budget.
        for text in [
            "a: &x [1, *x]\n",
            "&x {a: *x}\n",
            "a: &x\n  b:\n    c: *x\n",
        ] {
            let loaded = load(text, &Limits::default());
            assert!(loaded.report.is_none());
            assert_eq!(loaded.problems[0].code, "recursive-alias", "{text}");
            assert_eq!(&text[loaded.problems[0].span.clone().unwrap()], "*x");
            assert_eq!(&text[loaded.problems[0].secondary[0].0.clone()], "&x");
        }
        assert!(
            load("a: &x [1]\nb: [*x, *x]\n", &Limits::default())
                .report
                .is_some()
        );
    }

    #[test]
    fn a_complex_key_is_located_on_a_character() {
        // Found by fuzzing: an empty span widened by one byte ended inside 信.
        let text = "a: 1\n?   信访: 1\n";
        let loaded = load(text, &Limits::default());
        let problem = &loaded.problems[0];
        assert_eq!(problem.code, "complex-key");
        let span = problem.span.clone().unwrap();
        assert!(text.get(span.clone()).is_some(), "{span:?}");
    }

    #[test]
    fn nesting_is_limited_without_recursion() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let loaded = load(&deep, &Limits::default());
        assert!(loaded.report.is_none());
        assert_eq!(loaded.problems[0].code, "too-deep");
        let block: String = (0..300)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        let loaded = load(&block, &Limits::default());
        assert!(loaded.report.is_none(), "{:?}", loaded.problems);
        assert_eq!(loaded.problems[0].code, "too-deep");
        // Raised, the limit lets 10,000 levels load, still without recursion.
        let raised = Limits {
            max_depth: 20_000,
            ..Limits::default()
        };
        for text in [deep, "{a: ".repeat(10_000) + "1" + &"}".repeat(10_000)] {
            let loaded = load(&text, &raised);
            assert!(loaded.report.is_some(), "{:?}", loaded.problems);
        }
    }

    #[test]
    fn nulls_and_overflow() {
        let loaded = load(
            "a:\nb: ~\nc: '~'\nd: 123456789012345678901234567890123\n",
            &Limits::default(),
        );
        let r = loaded.report.unwrap();
        let root = r.roots[0];
        assert!(matches!(
            r.node(r.child(root, "a").unwrap()).value,
            Value::Null
        ));
        assert!(matches!(
            r.node(r.child(root, "b").unwrap()).value,
            Value::Null
        ));
        assert_eq!(r.text(r.child(root, "c").unwrap()), Some("~"));
        assert_eq!(loaded.problems[0].code, "figure-overflow");
    }

    #[test]
    fn long_keys_are_cut_in_paths() {
        let key = "长".repeat(300);
        let r = tree(&format!("\"{key}\": {{a: 1}}\n"));
        let a = r.child(r.child(r.roots[0], &key).unwrap(), "a").unwrap();
        assert_eq!(r.path(a), format!("{}….a", "长".repeat(100)));
    }

    #[test]
    fn several_documents_are_several_roots() {
        let r = tree("a: 1\n---\na: 2\n");
        assert_eq!(r.roots.len(), 2);
    }
}
