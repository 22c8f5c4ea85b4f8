//! A fast reader for JSON text: a byte-level scanner that gives the YAML reader's tree
//! builder the events granit-parser would give for the same text, with the same spans.
//!
//! JSON is YAML 1.2, so a JSON file read by [`super::yaml`] is already read correctly;
//! this scanner only makes it faster (JSON's grammar needs no indentation, no implicit
//! keys, no lookahead). It takes the subset of JSON it can read exactly as granit-parser
//! does and nothing more: a mapping or list at the top, strings with JSON's escapes,
//! numbers, `true`, `false`, `null`, whitespace between tokens. Anything else — YAML
//! written in flow style (`{a: 1}`), a comment, a trailing comma, a syntax error, a
//! character YAML does not allow in a string, a key longer than YAML's implicit keys may
//! be, nesting near the depth limit, any problem that stops the tree builder — makes
//! [`load`] give `None`, and the caller reads the text with the YAML reader, which then
//! gives exactly what it always gave: the same tree, or the same located problem in
//! Chinese. What differs is only the speed; `tests/json.rs` compares both readers node
//! by node over every sample, generated batches and generated JSON.
//!
//! Spans follow granit-parser's: a string's span includes its quotes, a number's or
//! literal's is its characters, a mapping's or list's opening event spans its `{` or `[`
//! and its end event its `}` or `]`.

use super::Limits;
use super::yaml::{Builder, Loaded};
use std::borrow::Cow;
use std::ops::Range;

/// Reads `text` as JSON, or gives `None` when the YAML reader must read it (see the
/// module's documentation). Only text whose first character after a byte order mark and
/// whitespace is `{` or `[` is tried.
pub fn load(text: &str, limits: &Limits) -> Option<Loaded> {
    let bytes = text.as_bytes();
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    at = skip_ws(bytes, at);
    if !matches!(bytes.get(at), Some(b'{' | b'[')) {
        return None;
    }
    let mut builder = Builder::new(text, limits);
    let mut scanner = Scanner { text, bytes, at };
    scanner.document(&mut builder, limits)?;
    Some(builder.finish(None))
}

/// Whitespace between JSON tokens.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_ws) {
        at += 1;
    }
    at
}

/// Bytes in a string that need a look: the end, an escape, control characters (YAML
/// refuses them, JSON too), and the lead bytes of U+0080–U+009F (but U+0085, which YAML
/// allows) and U+FFFE–U+FFFF, which YAML refuses but JSON allows (the text is read by the YAML reader then).
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const ESCAPE: u8 = 2;
const REFUSED: u8 = 3;
const LEAD_C2: u8 = 4;
const LEAD_EF: u8 = 5;

static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        class[b] = REFUSED;
        b += 1;
    }
    class[0x7f] = REFUSED;
    class[b'"' as usize] = QUOTE;
    class[b'\\' as usize] = ESCAPE;
    class[0xc2] = LEAD_C2;
    class[0xef] = LEAD_EF;
    class
};

/// The most bytes from a key's opening quote to its colon: YAML limits an implicit key to
/// 1,024 characters, so a longer key is left to the YAML reader (which reports it).
const MAX_KEY_BYTES: usize = 1000;

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Scanner<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn ws(&mut self) {
        self.at = skip_ws(self.bytes, self.at);
    }

    /// The whole text: one mapping or list, then only whitespace. The explicit stack
    /// (`true` for a mapping) keeps deep nesting off the call stack.
    fn document(&mut self, builder: &mut Builder<'_>, limits: &Limits) -> Option<()> {
        let mut stack: Vec<bool> = Vec::new();
        loop {
            // A value is expected at `self.at` (whitespace skipped).
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    if stack.len() + 2 > limits.max_depth {
                        return None;
                    }
                    let is_map = open == b'{';
                    let span = self.at..self.at + 1;
                    builder.open(is_map, 0, span).ok()?;
                    self.at += 1;
                    self.ws();
                    let close = if is_map { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        builder.close(self.at..self.at + 1);
                        self.at += 1;
                    } else {
                        stack.push(is_map);
                        if is_map {
                            self.key(builder)?;
                        }
                        continue;
                    }
                }
                b'"' => {
                    let (text, span) = self.string()?;
                    builder.scalar(text, false, 0, span).ok()?;
                }
                b'-' | b'0'..=b'9' => {
                    let span = self.number()?;
                    let text = Cow::Borrowed(&self.text[span.clone()]);
                    builder.scalar(text, true, 0, span).ok()?;
                }
                b't' | b'f' | b'n' => {
                    let rest = &self.bytes[self.at..];
                    let len = [&b"true"[..], b"false", b"null"]
                        .into_iter()
                        .find(|word| rest.starts_with(word))?
                        .len();
                    let span = self.at..self.at + len;
                    self.at += len;
                    builder
                        .scalar(Cow::Borrowed(&self.text[span.clone()]), true, 0, span)
                        .ok()?;
                }
                _ => return None,
            }
            // After a value: a comma and the next one, or the end of collections.
            loop {
                self.ws();
                let Some(&is_map) = stack.last() else {
                    return (self.at == self.bytes.len()).then_some(());
                };
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.ws();
                        if is_map {
                            self.key(builder)?;
                        }
                        break;
                    }
                    b'}' if is_map => {}
                    b']' if !is_map => {}
                    _ => return None,
                }
                builder.close(self.at..self.at + 1);
                self.at += 1;
                stack.pop();
            }
        }
    }

    /// A key, its colon, and the whitespace before its value.
    fn key(&mut self, builder: &mut Builder<'_>) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        let (text, span) = self.string()?;
        let end = span.end;
        self.ws();
        if self.peek()? != b':'
            || self.at - span.start > MAX_KEY_BYTES
            || self.bytes[end..self.at].contains(&b'\n')
            || self.bytes[end..self.at].contains(&b'\r')
        {
            return None;
        }
        builder.scalar(text, false, 0, span).ok()?;
        self.at += 1;
        self.ws();
        Some(())
    }

    /// A string at `self.at` (its opening quote): its text, and its span with the quotes.
    fn string(&mut self) -> Option<(Cow<'t, str>, Range<usize>)> {
        let (text, span) = quoted(self.text, self.at)?;
        self.at = span.end;
        Some((text, span))
    }

    /// A number at `self.at`: a `-` or digit, then digits, `.`, `e`, `E`, `+`, `-` (what
    /// follows is checked by the caller: a comma or a closing bracket).
    fn number(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        let mut i = start;
        if self.bytes[i] == b'-' {
            i += 1;
        }
        if !self.bytes.get(i)?.is_ascii_digit() {
            return None;
        }
        while self
            .bytes
            .get(i)
            .is_some_and(|b| matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            i += 1;
        }
        self.at = i;
        Some(start..i)
    }
}

/// A double-quoted string on one line whose opening quote is at `start`: its text, and
/// its span with the quotes; `None` for anything [`CLASS`] refuses, an escape that is not
/// JSON's, or no closing quote. YAML's double-quoted scalars have JSON's escapes with the
/// same meanings (and more, which give `None`), so the block YAML scanner reads its
/// double-quoted scalars with this too.
pub(super) fn quoted(text: &str, start: usize) -> Option<(Cow<'_, str>, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let mut run = i;
    let mut out: Option<String> = None;
    loop {
        let b = *bytes.get(i)?;
        match CLASS[b as usize] {
            PLAIN => i += 1,
            QUOTE => break,
            ESCAPE => {
                let out = out.get_or_insert_with(String::new);
                out.push_str(&text[run..i]);
                i = escape(bytes, i, out)?;
                run = i;
            }
            LEAD_C2 => {
                let next = *bytes.get(i + 1)?;
                if (0x80..=0x9f).contains(&next) && next != 0x85 {
                    return None;
                }
                i += 2;
            }
            LEAD_EF => {
                if bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf))
                {
                    return None;
                }
                i += 3;
            }
            _ => return None,
        }
    }
    let text = match out {
        Some(mut out) => {
            out.push_str(&text[run..i]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(&text[run..i]),
    };
    Some((text, start..i + 1))
}

/// The escape at `i` (its backslash), appended to `out`; gives where it ends.
fn escape(bytes: &[u8], i: usize, out: &mut String) -> Option<usize> {
    let c = match *bytes.get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(bytes, i + 2)?;
            let (c, end) = match high {
                0xd800..=0xdbff => {
                    if bytes.get(i + 6..i + 8)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(bytes, i + 8)?;
                    if !(0xdc00..=0xdfff).contains(&low) {
                        return None;
                    }
                    let c = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                    (char::from_u32(c)?, i + 12)
                }
                0xdc00..=0xdfff => return None,
                _ => (char::from_u32(high)?, i + 6),
            };
            out.push(c);
            return Some(end);
        }
        _ => return None,
    };
    out.push(c);
    Some(i + 2)
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits.iter().try_fold(0u32, |n, &d| {
        let v = (d as char).to_digit(16)?;
        Some(n * 16 + v)
    })
}
