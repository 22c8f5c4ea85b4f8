//! The report tree: mappings, lists and scalars, each with the byte span it came from.
//!
//! The tree does not know YAML: the readers in [`crate::read`] build it from a YAML or
//! JSON file, from a form's cells or from a report's sentences. A scalar keeps its text;
//! when the text reads as a figure it is parsed once, here.

mod text;

pub use text::Text;

use crate::figure::Figure;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

/// Index of a node in its [`Report`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u32);

#[derive(Debug, Default)]
pub struct Report {
    nodes: Vec<Node>,
    /// One root per document in the file.
    pub roots: Vec<NodeId>,
    /// For mappings with many entries, each key's (first) value, so that looking a key up
    /// does not scan 100,000 siblings; made by [`Report::index_keys`].
    keys: HashMap<NodeId, HashMap<Text, NodeId>>,
    /// What a reader of a table calls a node in a label: its row and column
    /// (`年度资金总额 · 全年执行数`); YAML sets none, and a label then names the key.
    titles: HashMap<NodeId, String>,
    /// For each node made by a YAML alias (`*name`), the node it copies.
    pub(crate) alias_of: HashMap<NodeId, NodeId>,
    /// While the engine evaluates a check, the figures it reads ([`Report::watch`]).
    watched: RefCell<Option<Vec<NodeId>>>,
}

/// Mappings with at least this many entries get a key index.
const INDEXED: usize = 32;

#[derive(Debug)]
pub struct Node {
    pub parent: Option<NodeId>,
    /// Where the node sits in its parent.
    pub place: Place,
    /// The node's own text in the file (for a mapping or list, from its start to its end).
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Root,
    /// A mapping value, under this key.
    Key(Key),
    /// A list item, at this index.
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: Text,
    pub span: Range<usize>,
}

#[derive(Debug)]
pub enum Value {
    Map(Vec<NodeId>),
    Seq(Vec<NodeId>),
    Scalar(Scalar),
    /// An empty value (`key:` with nothing after it, `~`, `null`).
    Null,
}

#[derive(Debug)]
pub struct Scalar {
    /// The value after unquoting and unescaping.
    pub text: Text,
    pub figure: Option<Figure>,
    /// Where `text` starts within the node's span when the file writes it verbatim (0 for
    /// a plain scalar, 1 for a quoted one without escapes), so a part of it can be
    /// underlined; `None` when escapes or folding make offsets differ.
    pub verbatim_at: Option<usize>,
}

impl Scalar {
    /// A scalar of `text` as it stands in the shown text (so `verbatim_at` is 0), read as a
    /// figure where it is one. A figure too large to compute with is left as text: a
    /// reader that wants to say so calls [`Figure::parse`] itself.
    pub fn new(text: impl Into<Text>) -> Scalar {
        let text = text.into();
        Scalar {
            figure: Figure::parse(&text).ok().flatten(),
            text,
            verbatim_at: Some(0),
        }
    }

    /// Whether the scalar holds no value: blank text, or only the dash or slash a table
    /// puts in a cell that has none (`—`, `——`, `-`, `/`).
    pub fn is_blank(&self) -> bool {
        self.figure.is_none() && is_blank_text(&self.text)
    }
}

/// Whether text says nothing: blank, or only dashes and slashes (`—`, `——`, `-`, `/`).
pub fn is_blank_text(text: &str) -> bool {
    text.trim()
        .chars()
        .all(|c| matches!(c, '—' | '―' | '–' | '─' | '-' | '－' | '/' | '／'))
}

impl Report {
    /// An empty report with room for `nodes` nodes.
    pub(crate) fn with_capacity(nodes: usize) -> Report {
        Report {
            nodes: Vec::with_capacity(nodes),
            ..Report::default()
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every node, in the order they were made: document order, except that the copy of
    /// an alias comes after everything written before the alias ends.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> + use<> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    pub(crate) fn push(&mut self, node: Node) -> NodeId {
        let id =
            NodeId(u32::try_from(self.nodes.len()).expect("node count is limited by the loader"));
        self.nodes.push(node);
        id
    }

    pub(crate) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.0 as usize]
    }

    /// Adds a node: a root when `parent` is `None`, else the next child of `parent` (a
    /// mapping, with a [`Place::Key`], or a list, with the [`Place::Index`] it gets). For
    /// readers that build a tree from cells or sentences; call [`Report::finish`] once
    /// the tree is complete.
    pub fn add(
        &mut self,
        parent: Option<NodeId>,
        key: Option<Key>,
        span: Range<usize>,
        value: Value,
    ) -> NodeId {
        let place = match (parent, key) {
            (None, _) => Place::Root,
            (Some(_), Some(key)) => Place::Key(key),
            (Some(p), None) => Place::Index(self.children(p).len()),
        };
        let id = self.push(Node {
            parent,
            place,
            span,
            value,
        });
        match parent {
            Some(p) => match &mut self.node_mut(p).value {
                Value::Map(children) | Value::Seq(children) => children.push(id),
                _ => panic!("a child is added to a mapping or a list"),
            },
            None => self.roots.push(id),
        }
        id
    }

    /// Makes a tree built with [`Report::add`] ready for the rules: indexes the keys of
    /// large mappings.
    pub fn finish(&mut self) {
        self.index_keys();
    }

    /// Indexes the keys of large mappings; call once the tree is complete.
    pub(crate) fn index_keys(&mut self) {
        let mut keys = HashMap::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let Value::Map(children) = &node.value else {
                continue;
            };
            if children.len() < INDEXED {
                continue;
            }
            let mut index = HashMap::with_capacity(children.len());
            for &c in children {
                if let Place::Key(k) = &self.node(c).place {
                    index.entry(k.text.clone()).or_insert(c);
                }
            }
            keys.insert(NodeId(i as u32), index);
        }
        self.keys = keys;
    }

    /// The children of a mapping or list, in order.
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        match &self.node(id).value {
            Value::Map(children) | Value::Seq(children) => children,
            _ => &[],
        }
    }

    /// The value under `key` in a mapping.
    pub fn child(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match &self.node(id).value {
            Value::Map(children) if children.len() >= INDEXED => match self.keys.get(&id) {
                Some(index) => index.get(key).copied(),
                None => self.scan(children, key),
            },
            Value::Map(children) => self.scan(children, key),
            _ => None,
        }
    }

    /// The first of `children` stored under `key`.
    fn scan(&self, children: &[NodeId], key: &str) -> Option<NodeId> {
        children
            .iter()
            .copied()
            .find(|&c| matches!(&self.node(c).place, Place::Key(k) if k.text.is(key)))
    }

    /// The item at `index` in a list.
    pub fn item(&self, id: NodeId, index: usize) -> Option<NodeId> {
        match &self.node(id).value {
            Value::Seq(children) => children.get(index).copied(),
            _ => None,
        }
    }

    pub fn figure(&self, id: NodeId) -> Option<&Figure> {
        match &self.node(id).value {
            Value::Scalar(s) => {
                if s.figure.is_some()
                    && let Ok(mut watched) = self.watched.try_borrow_mut()
                    && let Some(read) = watched.as_mut()
                {
                    read.push(id);
                }
                s.figure.as_ref()
            }
            _ => None,
        }
    }

    /// The node as written: for a copy a YAML alias made of a node, that node; else itself.
    pub fn written(&self, id: NodeId) -> NodeId {
        self.alias_of.get(&id).copied().unwrap_or(id)
    }

    /// Starts (with a list to fill) or stops (`None`) noting the figures read through
    /// [`Report::figure`]; returns the list filled since the last start. The engine
    /// counts with it which figures the checks that applied read ([`crate::coverage`]).
    pub fn watch(&self, start: Option<Vec<NodeId>>) -> Option<Vec<NodeId>> {
        std::mem::replace(&mut *self.watched.borrow_mut(), start)
    }

    pub fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).value {
            Value::Scalar(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The key a node is stored under, if it is a mapping value.
    pub fn key(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).place {
            Place::Key(k) => Some(&k.text),
            _ => None,
        }
    }

    /// Sets what a label calls `id` (a table cell: its row and column).
    pub fn set_title(&mut self, id: NodeId, title: String) {
        self.titles.insert(id, title);
    }

    /// What a label calls `id`, when its reader named it by row and column.
    pub fn title(&self, id: NodeId) -> Option<&str> {
        self.titles.get(&id).map(String::as_str)
    }

    /// The name a diagnostic gives a node: its key, or its parent's key and index.
    pub fn name(&self, id: NodeId) -> String {
        match &self.node(id).place {
            Place::Key(k) => k.text.to_string(),
            Place::Index(i) => match self.node(id).parent.and_then(|p| self.key(p)) {
                Some(parent) => format!("{parent}[{i}]"),
                None => format!("[{i}]"),
            },
            Place::Root => "（根）".to_string(),
        }
    }

    /// The node's path from its root: `县本级.其中[0].办结`. Keys that would not read
    /// back as a path are quoted: `a["b c"]`.
    pub fn path(&self, id: NodeId) -> String {
        let mut steps = Vec::new();
        let mut cursor = Some(id);
        while let Some(current) = cursor {
            let node = self.node(current);
            match &node.place {
                Place::Key(k) => steps.push(key_step(&k.text)),
                Place::Index(i) => steps.push(format!("[{i}]")),
                Place::Root => {}
            }
            cursor = node.parent;
        }
        let mut path = String::new();
        for step in steps.iter().rev() {
            if !path.is_empty() && !step.starts_with('[') {
                path.push('.');
            }
            path.push_str(step);
        }
        if path.is_empty() {
            ".".to_string()
        } else {
            path
        }
    }

    /// The span a label on this node should underline: the value, or for an empty value
    /// its key, since an empty span cannot be seen.
    pub fn label_span(&self, id: NodeId) -> Range<usize> {
        let node = self.node(id);
        match (&node.value, &node.place) {
            (Value::Null, Place::Key(k)) => k.span.clone(),
            (Value::Map(_) | Value::Seq(_), Place::Key(k)) => k.span.clone(),
            _ if node.span.is_empty() => node.span.start..node.span.start,
            _ => node.span.clone(),
        }
    }

    /// Every node under `id` (itself included), depth first, in document order.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            report: self,
            stack: vec![id],
        }
    }
}

/// Characters of a key a path shows; past them the key is cut with `…`, so that paths
/// stay short on hostile data (granit already refuses implicit keys over 1,024).
const MAX_KEY_SHOWN: usize = 100;

fn key_step(key: &str) -> String {
    let key = match key.char_indices().nth(MAX_KEY_SHOWN) {
        Some((cut, _)) => format!("{}…", &key[..cut]),
        None => key.to_string(),
    };
    let plain = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(crate::expr::is_name_char);
    if plain { key } else { format!("[{key:?}]") }
}

pub struct Descendants<'a> {
    report: &'a Report,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack.extend(self.report.children(id).iter().rev());
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<Key> {
        Some(Key {
            text: Text::from(text),
            span: 0..0,
        })
    }

    #[test]
    fn a_child_is_found_by_its_key_in_small_and_indexed_mappings() {
        for n in [3, INDEXED + 5] {
            let mut r = Report::default();
            let root = r.add(None, None, 0..0, Value::Map(Vec::new()));
            let list = r.add(Some(root), key("列表"), 0..0, Value::Seq(Vec::new()));
            let item = r.add(Some(list), None, 0..0, Value::Null);
            let mut ids = Vec::new();
            for i in 0..n {
                // Keys of one length and of others, and a key written twice.
                ids.push(r.add(Some(root), key(&format!("k{i}")), 0..0, Value::Null));
                ids.push(r.add(Some(root), key(&format!("键{i}")), 0..0, Value::Null));
            }
            let twice = r.add(Some(root), key("k0"), 0..0, Value::Null);
            r.finish();
            assert_eq!(r.child(root, "列表"), Some(list));
            for i in 0..n {
                assert_eq!(r.child(root, &format!("k{i}")), Some(ids[2 * i]), "{n}");
                assert_eq!(
                    r.child(root, &format!("键{i}")),
                    Some(ids[2 * i + 1]),
                    "{n}"
                );
            }
            assert_ne!(
                r.child(root, "k0"),
                Some(twice),
                "the first of two is found"
            );
            for absent in ["", "k", "键", "k00", "列"] {
                assert_eq!(r.child(root, absent), None, "{absent}");
            }
            assert_eq!(r.child(list, "列表"), None, "a list has no keys");
            assert_eq!(r.child(item, "k0"), None);
        }
    }
}
