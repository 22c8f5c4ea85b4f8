//! The text of a key or a scalar, without a heap allocation of its own where the file
//! writes it verbatim.
//!
//! A reader that builds a tree from a file's text shares that text once per file
//! ([`Text::part`]), and a key or a value written as it reads (most of them: plain
//! scalars, quoted ones without escapes) is a range of it; text made by unescaping or
//! folding, and text from readers that compose it (cells, sentences), is held whole. Either
//! way a [`Text`] reads as the `&str` it holds ([`std::ops::Deref`]), compares, hashes and
//! prints as that `&str` does, and cloning it copies no text.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

#[derive(Clone)]
pub struct Text {
    /// The text this is a part of (a whole file's, or this text alone).
    shared: Arc<str>,
    start: u32,
    end: u32,
}

impl Text {
    /// The part `range` of `shared`, if it is one (`range` within it and on character
    /// boundaries, which fit in `u32`); `None` otherwise.
    pub fn part(shared: &Arc<str>, range: Range<usize>) -> Option<Text> {
        shared.get(range.clone())?;
        Some(Text {
            shared: Arc::clone(shared),
            start: u32::try_from(range.start).ok()?,
            end: u32::try_from(range.end).ok()?,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.shared[self.start as usize..self.end as usize]
    }

    /// The text's length in bytes, without slicing it.
    pub fn byte_len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the text is `other`: the lengths compared first (most keys a lookup passes
    /// differ in length), then the bytes, without the character-boundary checks of
    /// [`Text::as_str`] (a text is on boundaries by construction).
    pub fn is(&self, other: &str) -> bool {
        self.byte_len() == other.len()
            && self.shared.as_bytes()[self.start as usize..self.end as usize] == *other.as_bytes()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(Arc::<str>::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::from(Arc::<str>::from(text))
    }
}

impl From<Arc<str>> for Text {
    /// The whole of `shared`; a text longer than 4 GiB is cut at the last character that
    /// fits (no reader makes one: files are limited far below that).
    fn from(shared: Arc<str>) -> Text {
        let mut end = shared.len().min(u32::MAX as usize);
        while !shared.is_char_boundary(end) {
            end -= 1;
        }
        Text {
            shared,
            start: 0,
            end: end as u32,
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.as_str().to_string()
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from("")
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.is(other.as_str())
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.is(other)
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.is(other)
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Hash for Text {
    /// As the `&str` it holds, so that a map keyed by texts is looked up by `&str`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    /// As a `String` of the same text: quoted and escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_part_of_a_shared_text_reads_compares_and_hashes_as_its_str() {
        let file: Arc<str> = Arc::from("交办: 1022件\n办结: \"961件\"\n");
        let key = Text::part(&file, 0..6).unwrap();
        assert_eq!(key, "交办");
        assert!(Arc::ptr_eq(&key.shared, &file), "a part copies no text");
        let value = Text::part(&file, 8..15).unwrap();
        assert_eq!(value.as_str(), "1022件");
        assert_eq!(format!("{value:?}"), format!("{:?}", "1022件"));
        assert_eq!(value.to_string(), "1022件");
        // Equal text held whole equals the part.
        let whole = Text::from(String::from("1022件"));
        assert_eq!(whole, value);
        let mut map = HashMap::new();
        map.insert(value.clone(), 1);
        assert_eq!(map.get("1022件"), Some(&1));
        assert_eq!(map.get(&whole), Some(&1));
        // Not a range of the file, or not on character boundaries: no part.
        assert!(Text::part(&file, 0..100).is_none());
        assert!(Text::part(&file, 1..6).is_none());
        assert_eq!(Text::default(), "");
        // Compared by length, then bytes.
        assert!(key.is("交办") && !key.is("交") && !key.is("交办 ") && !key.is("办结"));
        assert_eq!(value.byte_len(), "1022件".len());
        assert_ne!(
            Text::part(&file, 0..3).unwrap(),
            Text::part(&file, 3..6).unwrap()
        );
        assert_ne!(key, value);
        assert_eq!(String::from(Text::from("一")), "一");
    }
}
