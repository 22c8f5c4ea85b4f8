//! A fast reader for the YAML that reports are written in: block mappings and lists, each
//! key and scalar on one line, comments. It gives the YAML reader's tree builder the
//! events granit-parser would give for the same text, with the same spans, as the JSON
//! scanner ([`super::json`]) does for JSON.
//!
//! What it reads, and nothing more:
//! - a mapping or a list at the top, starting in the first column;
//! - mappings whose keys are plain, double-quoted or single-quoted scalars on one line,
//!   followed by `: ` (or `:` at the end of the line);
//! - lists written `- item`, indented under their key or level with it;
//!   an item may be a scalar, a mapping whose first key is on the `- ` line, or a list
//!   whose first item is (`- - x`);
//! - values that are plain scalars (ended by the line or by ` #`), double-quoted
//!   scalars with JSON's escapes, or single-quoted scalars, each on one line, or a list
//!   of such scalars on one line (`[村, "乡"]`); a value on the lines below its key is a
//!   mapping or a list; none at all is null;
//! - comments and blank lines anywhere, a byte order mark at the start;
//! - lines ended by `\n` or by `\r\n` (files written on Windows), mixed as they come;
//! - tabs where YAML takes them as separators: between a key and its colon, after the
//!   colon, before a comment, at the end of a line, inside a scalar, and on lines that
//!   are blank or hold only a comment.
//!
//! Anything else makes [`load`] give `None`, and the caller reads the text with the YAML
//! reader, which then gives exactly what it always gave: a multi-line scalar, `|` and
//! `>` blocks, anchors, aliases, tags, flow collections other than a list of
//! scalars on one line, `---` and `...`, directives, a tab in the indentation of a line
//! with content or after a list's `-`, a carriage return with no `\n` after it (a line
//! break of its own in YAML 1.2), characters YAML refuses or that other YAML
//! versions read as line breaks, a key longer than an implicit key may be, inconsistent
//! indentation, nesting near the depth limit, every syntax error, and any problem that
//! stops the tree builder. What differs is only the speed: granit-parser is a full YAML
//! 1.2 parser with a token queue, and most of a check's time went to it. `tests/block_yaml.rs`
//! compares both readers node by node over every sample, generated batches and
//! generated and mutated YAML.
//!
//! Spans follow granit-parser's, with `\r\n` where `\n` would be: a scalar's span is
//! its characters (quotes included, trailing spaces and tabs not); a mapping's or list's
//! start event is empty, where its first key or first item begins; every end event is
//! empty, where the next line's content begins (comments and blank lines skipped), or at
//! the end of the text; a missing value is an empty span at its key's colon.

use super::Limits;
use super::json::quoted;
use super::yaml::{Builder, Loaded};
use std::borrow::Cow;
use std::ops::Range;

/// Reads `text` as block YAML, or gives `None` when the YAML reader must read it (see the
/// module's documentation).
pub fn load(text: &str, limits: &Limits) -> Option<Loaded> {
    let bytes = text.as_bytes();
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut scanner = Scanner {
        text,
        bytes,
        at: start,
    };
    // Leave at once what the YAML reader must read anyway (an empty text, an indented
    // top, JSON the JSON scanner left, a directive), before the builder copies the text.
    let first = scanner.next_content()?;
    if first == bytes.len() || first != scanner.at || matches!(bytes[first], b'{' | b'[' | b'%') {
        return None;
    }
    let mut builder = Builder::new(text, limits);
    scanner.document(first, &mut builder, limits)?;
    Some(builder.finish(None))
}

/// What a byte means inside a scalar or a comment on one line.
const PLAIN: u8 = 0;
const NEWLINE: u8 = 1;
const COLON: u8 = 2;
const HASH: u8 = 3;
/// Control characters other than tab and carriage return, and DEL.
const REFUSED: u8 = 4;
/// Lead bytes of characters that need a look: U+0080–U+009F (0xC2); the line and
/// paragraph separators and bidirectional controls (0xE2); the byte order mark and
/// U+FFFE–U+FFFF (0xEF).
const LEAD_C2: u8 = 5;
const LEAD_E2: u8 = 6;
const LEAD_EF: u8 = 7;
/// A tab: a separator like a space after the indentation, refused in it.
const TAB: u8 = 8;
/// A carriage return: with the `\n` after it, a line break (files written on Windows); a
/// lone one (a break too in YAML 1.2) is left to the YAML reader.
const CR: u8 = 9;

static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        class[b] = REFUSED;
        b += 1;
    }
    class[0x7f] = REFUSED;
    class[b'\n' as usize] = NEWLINE;
    class[b'\t' as usize] = TAB;
    class[b'\r' as usize] = CR;
    class[b':' as usize] = COLON;
    class[b'#' as usize] = HASH;
    class[0xc2] = LEAD_C2;
    class[0xe2] = LEAD_E2;
    class[0xef] = LEAD_EF;
    class
};

/// Whether the character whose lead byte is at `i` (of class `class`) is one this scanner
/// leaves to the YAML reader: C1 controls (U+0085 too, a line break in YAML 1.1), the
/// line and paragraph separators and bidirectional controls, a byte order mark inside
/// the text, U+FFFE and U+FFFF; and any byte of another class that the caller does not
/// take (a control character, or a tab or carriage return where it has no place).
fn refused_char(bytes: &[u8], i: usize, class: u8) -> bool {
    let next = bytes.get(i + 1).copied().unwrap_or(0);
    let third = bytes.get(i + 2).copied().unwrap_or(0);
    match class {
        LEAD_C2 => (0x80..=0x9f).contains(&next),
        LEAD_E2 => matches!((next, third), (0x80, 0xa8..=0xae) | (0x81, 0xa6..=0xa9)),
        LEAD_EF => matches!((next, third), (0xbb, 0xbf) | (0xbf, 0xbe..=0xbf)),
        _ => true,
    }
}

/// The most bytes from a key's start to its colon: YAML limits an implicit key to 1,024
/// characters, so a longer key is left to the YAML reader (which reports it).
const MAX_KEY_BYTES: usize = 1000;

/// How a scan of a plain scalar on one line stopped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At the end of the line or of the text (the position of the `\n`, or the length).
    Line,
    /// At a `:` followed by a space or the end of the line: the scalar is a key.
    Colon,
    /// At a `#` after a space: a comment begins.
    Comment,
}

/// An open mapping or list and the column of its keys or its `-`.
#[derive(Clone, Copy)]
struct Frame {
    is_map: bool,
    column: usize,
}

/// A key, read and not yet given to the builder.
struct Key<'t> {
    text: Cow<'t, str>,
    span: Range<usize>,
    /// The colon's position, where a missing value is placed.
    colon: usize,
    /// Where the value begins on the key's line (spaces after the colon skipped).
    value: usize,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The start of the line being read.
    at: usize,
}

impl<'t> Scanner<'t> {
    /// Where the spaces from `i` end: indentation, which YAML allows no tab in.
    fn spaces(&self, mut i: usize) -> usize {
        while self.bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    }

    /// Where the spaces and tabs from `i` end: a separator after the indentation.
    fn blanks(&self, mut i: usize) -> usize {
        while matches!(self.bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    }

    /// The length of the line break at `i`: 1 for `\n`, 2 for `\r\n`, 0 for none (a lone
    /// `\r` is none: the YAML reader reads it).
    fn line_break(&self, i: usize) -> usize {
        match self.bytes.get(i) {
            Some(b'\n') => 1,
            Some(b'\r') if self.bytes.get(i + 1) == Some(&b'\n') => 2,
            _ => 0,
        }
    }

    /// The start of the next line, if a line break is at `i`.
    fn after_break(&self, i: usize) -> Option<usize> {
        match self.line_break(i) {
            0 => None,
            n => Some(i + n),
        }
    }

    /// Whether what is at `i` ends an indicator (`:`, `-`): a space, a tab, a line break
    /// or the end of the text.
    fn ends_indicator(&self, i: usize) -> bool {
        match self.bytes.get(i) {
            None | Some(b' ' | b'\t') => true,
            _ => self.line_break(i) > 0,
        }
    }

    /// Whether the byte before `i` is a space or a tab, as a comment's `#` needs.
    fn after_blank(&self, i: usize) -> bool {
        i > 0 && matches!(self.bytes[i - 1], b' ' | b'\t')
    }

    /// Skips blank lines and comment lines from `self.at` (a line's start), leaving
    /// `self.at` at the start of the next line with content; gives where its content
    /// begins, or the length of the text at its end. `None` for a tab in the indentation
    /// of a line with content, a lone carriage return, or a refused character in a comment.
    fn next_content(&mut self) -> Option<usize> {
        loop {
            let i = self.spaces(self.at);
            match self.bytes.get(i) {
                None => {
                    self.at = i;
                    return Some(i);
                }
                Some(b'\n') => self.at = i + 1,
                Some(b'#') => self.at = self.comment(i)?,
                Some(b'\t' | b'\r') => self.at = self.blank_line(i)?,
                Some(_) => return Some(i),
            }
        }
    }

    /// A line whose indentation ends at `i` with a tab or a carriage return: tabs may
    /// stand in a line that is blank or holds only a comment (the YAML reader reads
    /// these as such), not before content. Gives the next line's start.
    fn blank_line(&self, i: usize) -> Option<usize> {
        let i = self.blanks(i);
        match self.bytes.get(i) {
            None => Some(i),
            Some(b'#') => self.comment(i),
            _ => self.after_break(i),
        }
    }

    /// A comment from `i` (its `#`) to the end of its line; gives the next line's start
    /// (or the length of the text).
    fn comment(&self, mut i: usize) -> Option<usize> {
        loop {
            let Some(&b) = self.bytes.get(i) else {
                return Some(i);
            };
            match CLASS[b as usize] {
                PLAIN | COLON | HASH | TAB => i += 1,
                NEWLINE => return Some(i + 1),
                CR if self.line_break(i) == 2 => return Some(i + 2),
                class => {
                    if refused_char(self.bytes, i, class) {
                        return None;
                    }
                    i += 1;
                }
            }
        }
    }

    /// After a value or a key with nothing after its colon: spaces, then a comment after
    /// a space or nothing, to the end of the line. Gives the next line's start.
    fn end_of_line(&self, from: usize) -> Option<usize> {
        let i = self.blanks(from);
        match self.bytes.get(i) {
            None => Some(i),
            Some(b'#') if self.after_blank(i) => self.comment(i),
            _ => self.after_break(i),
        }
    }

    /// A plain scalar's characters from `start` (checked to begin one): where and how
    /// the scan stopped.
    fn plain(&self, start: usize) -> Option<(usize, Stop)> {
        let bytes = self.bytes;
        let mut i = start;
        loop {
            let Some(&b) = bytes.get(i) else {
                return Some((i, Stop::Line));
            };
            match CLASS[b as usize] {
                PLAIN | TAB => i += 1,
                NEWLINE => return Some((i, Stop::Line)),
                CR if self.line_break(i) == 2 => return Some((i, Stop::Line)),
                COLON => {
                    if self.ends_indicator(i + 1) {
                        return Some((i, Stop::Colon));
                    }
                    i += 1;
                }
                HASH => {
                    if self.after_blank(i) {
                        return Some((i, Stop::Comment));
                    }
                    i += 1;
                }
                class => {
                    if refused_char(bytes, i, class) {
                        return None;
                    }
                    i += 1;
                }
            }
        }
    }

    /// The end of a plain scalar that stopped at `stop`: trailing spaces and tabs are not
    /// part of it.
    fn trim_end(&self, start: usize, mut stop: usize) -> usize {
        while stop > start && matches!(self.bytes[stop - 1], b' ' | b'\t') {
            stop -= 1;
        }
        stop
    }

    /// A single-quoted scalar on one line at `start` (its quote): its text and span.
    fn single_quoted(&self, start: usize) -> Option<(Cow<'t, str>, Range<usize>)> {
        let bytes = self.bytes;
        let mut i = start + 1;
        let mut run = i;
        let mut out: Option<String> = None;
        loop {
            let b = *bytes.get(i)?;
            match b {
                b'\'' if bytes.get(i + 1) == Some(&b'\'') => {
                    // `''` is one quote.
                    let out = out.get_or_insert_with(String::new);
                    out.push_str(&self.text[run..=i]);
                    i += 2;
                    run = i;
                }
                b'\'' => break,
                _ => match CLASS[b as usize] {
                    PLAIN | COLON | HASH | TAB => i += 1,
                    class => {
                        if class == NEWLINE || refused_char(bytes, i, class) {
                            return None;
                        }
                        i += 1;
                    }
                },
            }
        }
        let text = match out {
            Some(mut out) => {
                out.push_str(&self.text[run..i]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(&self.text[run..i]),
        };
        Some((text, start..i + 1))
    }

    /// A quoted scalar at `start` (double or single quote).
    fn quoted(&self, start: usize) -> Option<(Cow<'t, str>, Range<usize>)> {
        if self.bytes[start] == b'"' {
            quoted(self.text, start)
        } else {
            self.single_quoted(start)
        }
    }

    /// Whether a plain scalar may begin at `i`: not an indicator. `-`, `?` and `:` begin
    /// one when a character other than a space follows (`-12.5`).
    fn plain_starts(&self, i: usize) -> bool {
        match self.bytes.get(i) {
            None => false,
            Some(b'-' | b'?' | b':') => !matches!(
                self.bytes.get(i + 1),
                None | Some(b' ' | b'\n' | b'\t' | b'\r')
            ),
            Some(b) => !b",[]{}#&*!|>'\"%@`".contains(b) && !b.is_ascii_whitespace(),
        }
    }

    /// A key at `start`, if what is there is one. `Some(None)`: a scalar, not a key (the
    /// caller decides whether that may be); `None`: the YAML reader must read the text.
    fn key(&self, start: usize) -> Option<Option<Key<'t>>> {
        let (text, span, colon) = match self.bytes[start] {
            b'"' | b'\'' => {
                let (text, span) = self.quoted(start)?;
                let i = self.blanks(span.end);
                if self.bytes.get(i) != Some(&b':') || !self.ends_indicator(i + 1) {
                    return Some(None);
                }
                (text, span, i)
            }
            _ if self.plain_starts(start) => {
                let (stop, how) = self.plain(start)?;
                if how != Stop::Colon {
                    return Some(None);
                }
                let end = self.trim_end(start, stop);
                (Cow::Borrowed(&self.text[start..end]), start..end, stop)
            }
            // A list on one line is a value (as a key, the YAML reader reports it).
            b'[' => return Some(None),
            _ => return None,
        };
        if colon - start > MAX_KEY_BYTES {
            return None;
        }
        let value = self.blanks(colon + 1);
        Some(Some(Key {
            text,
            span,
            colon,
            value,
        }))
    }

    /// A scalar value at `start` to the end of its line, given to the builder; gives the
    /// next line's start.
    fn value(&self, start: usize, builder: &mut Builder<'_>) -> Option<usize> {
        if self.bytes[start] == b'[' {
            return self.flow_list(start, builder);
        }
        let (text, span, plain) = match self.bytes[start] {
            b'"' | b'\'' => {
                let (text, span) = self.quoted(start)?;
                (text, span, false)
            }
            _ if self.plain_starts(start) => {
                let (stop, how) = self.plain(start)?;
                if how == Stop::Colon {
                    // `a: b: c` is a syntax error.
                    return None;
                }
                let end = self.trim_end(start, stop);
                (Cow::Borrowed(&self.text[start..end]), start..end, true)
            }
            _ => return None,
        };
        let end = span.end;
        builder.scalar(text, plain, 0, span).ok()?;
        self.end_of_line(end)
    }

    /// A list written on one line, `[村, 乡, 区]` or `["村", '乡']`, at `start` (its `[`),
    /// of quoted scalars and of plain scalars with none of `,[]{}#:'"` in them; gives the
    /// next line's start. Spans: the start event's is the `[`, the end event's the `]`.
    fn flow_list(&self, start: usize, builder: &mut Builder<'_>) -> Option<usize> {
        let bytes = self.bytes;
        builder.open(false, 0, start..start + 1).ok()?;
        let mut i = self.blanks(start + 1);
        if bytes.get(i) != Some(&b']') {
            loop {
                i = self.flow_item(i, builder)?;
                if bytes[i] == b']' {
                    break;
                }
                // After a comma, the next item (`[x,]` is left to the YAML reader).
                i = self.blanks(i + 1);
                if bytes.get(i) == Some(&b']') {
                    return None;
                }
            }
        }
        builder.close(i..i + 1);
        self.end_of_line(i + 1)
    }

    /// An item of a list on one line at `i`, given to the builder; gives where the `,` or
    /// `]` after it is. Anything else after a quoted item (`"x": 1` is a mapping, `"x"y`
    /// an error) is left to the YAML reader.
    fn flow_item(&self, mut i: usize, builder: &mut Builder<'_>) -> Option<usize> {
        let bytes = self.bytes;
        if matches!(bytes.get(i), Some(b'"' | b'\'')) {
            let (text, span) = self.quoted(i)?;
            i = self.blanks(span.end);
            if !matches!(bytes.get(i), Some(b',' | b']')) {
                return None;
            }
            builder.scalar(text, false, 0, span).ok()?;
            return Some(i);
        }
        if !self.plain_starts(i) {
            return None;
        }
        let item = i;
        loop {
            let b = *bytes.get(i)?;
            match CLASS[b as usize] {
                _ if b",]".contains(&b) => break,
                PLAIN | TAB if !b"[{}\"'".contains(&b) => i += 1,
                PLAIN | NEWLINE | COLON | HASH => return None,
                class => {
                    if refused_char(bytes, i, class) {
                        return None;
                    }
                    i += 1;
                }
            }
        }
        let end = self.trim_end(item, i);
        let text = Cow::Borrowed(&self.text[item..end]);
        builder.scalar(text, true, 0, item..end).ok()?;
        Some(i)
    }

    /// Whether the content at `i` is a list item's `-`.
    fn is_entry(&self, i: usize) -> bool {
        self.bytes[i] == b'-' && self.ends_indicator(i + 1)
    }

    /// Where the item whose `-` is at `i` begins; `None` if nothing follows the `-` on
    /// its line (the item is below it, or missing: left to the YAML reader), or a tab
    /// does (its column would count it).
    fn entry_content(&self, i: usize) -> Option<usize> {
        let at = self.spaces(i + 1);
        match self.bytes.get(at) {
            None | Some(b'\n' | b'#' | b'\t' | b'\r') => None,
            Some(_) => Some(at),
        }
    }

    /// Gives a key to the builder, and its value if it is on the key's line; gives the
    /// next line's start. A key with nothing after its colon is left `pending`.
    fn give_key(
        &self,
        key: Key<'t>,
        column: usize,
        pending: &mut Option<(usize, usize)>,
        deepest: &mut usize,
        builder: &mut Builder<'_>,
    ) -> Option<usize> {
        builder.scalar(key.text, false, 0, key.span).ok()?;
        match self.bytes.get(key.value) {
            None | Some(b'\n' | b'\r' | b'#') => {
                *pending = Some((column, key.colon));
                self.end_of_line(key.colon + 1)
            }
            Some(_) => {
                *deepest = column;
                self.value(key.value, builder)
            }
        }
    }

    /// The whole text, its first content at `first` (column 0). The explicit stack keeps
    /// deep nesting off the call stack.
    fn document(&mut self, first: usize, builder: &mut Builder<'_>, limits: &Limits) -> Option<()> {
        let len = self.bytes.len();
        let mut stack: Vec<Frame> = Vec::new();
        // A key whose value is on the lines below it: its column and colon.
        let mut pending: Option<(usize, usize)> = None;
        // Lines after a scalar value may not be indented past this column: such a line
        // would continue the scalar (or be an error).
        let mut deepest = 0;
        let mut content = first;
        loop {
            let at_end = content == len;
            let column = content - self.at;
            let entry = !at_end && self.is_entry(content);
            if let Some((key_column, colon)) = pending.take() {
                // A list may be level with its key: `a:` then `- x` below it.
                if !at_end && (column > key_column || (column == key_column && entry)) {
                    // granit-parser starts a list level with its key where its first
                    // item begins, any other at its first `-`.
                    let first = if column == key_column {
                        self.entry_content(content)?
                    } else {
                        content
                    };
                    self.open(!entry, column, first, &mut stack, builder, limits)?;
                } else {
                    builder
                        .scalar(Cow::Borrowed("~"), true, 0, colon..colon)
                        .ok()?;
                }
            } else if !at_end && column > deepest {
                return None;
            }
            if column == 0
                && (self.bytes[content..].starts_with(b"---")
                    || self.bytes[content..].starts_with(b"..."))
            {
                // A document marker, maybe: left to the YAML reader.
                return None;
            }
            if at_end {
                for _ in stack.drain(..) {
                    builder.close(content..content);
                }
                return Some(());
            }
            if stack.is_empty() {
                self.open(!entry, column, content, &mut stack, builder, limits)?;
            }
            // Close what this line is outside of: deeper levels, and a list level with
            // its key when the line is the next key.
            while let Some(&top) = stack.last() {
                let indentless = stack.len() >= 2
                    && !top.is_map
                    && !entry
                    && top.column == column
                    && stack[stack.len() - 2].column == column;
                if top.column <= column && !indentless {
                    break;
                }
                builder.close(content..content);
                stack.pop();
            }
            let top = *stack.last()?;
            if top.column != column || top.is_map == entry {
                // Indentation that matches no open level, a key among list items, or an
                // item among keys: the YAML reader says which.
                return None;
            }
            let next = if entry {
                // `- - x`: each `-` after the first opens a list in the item, started at
                // that `-`; the last one's column is the one lines below may not pass.
                let mut dash = content;
                let mut item = self.entry_content(dash)?;
                while self.is_entry(item) {
                    let dash_column = column + (item - content);
                    self.open(false, dash_column, item, &mut stack, builder, limits)?;
                    dash = item;
                    item = self.entry_content(dash)?;
                }
                let item_column = column + (item - content);
                match self.key(item)? {
                    Some(key) => {
                        // An item that is a mapping, its first key on the `- ` line.
                        self.open(true, item_column, item, &mut stack, builder, limits)?;
                        self.give_key(key, item_column, &mut pending, &mut deepest, builder)?
                    }
                    None => {
                        deepest = column + (dash - content);
                        self.value(item, builder)?
                    }
                }
            } else {
                let key = self.key(content)??;
                self.give_key(key, column, &mut pending, &mut deepest, builder)?
            };
            self.at = next;
            content = self.next_content()?;
        }
    }

    /// Opens a mapping (`is_map`) or a list whose keys or `-` are at `column`, its start
    /// event placed at `first`.
    fn open(
        &self,
        is_map: bool,
        column: usize,
        first: usize,
        stack: &mut Vec<Frame>,
        builder: &mut Builder<'_>,
        limits: &Limits,
    ) -> Option<()> {
        if stack.len() + 2 > limits.max_depth {
            return None;
        }
        builder.open(is_map, 0, first..first).ok()?;
        stack.push(Frame { is_map, column });
        Some(())
    }
}
