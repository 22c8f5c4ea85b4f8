//! A figure's number and unit as written (`25.50`, `万元`, `余人次`): a few bytes, kept
//! in the figure itself rather than on the heap, since every figure of a report has them
//! and they are read only when a message quotes the figure.

use std::fmt;

/// Bytes kept in place; longer text goes on the heap.
const INLINE: usize = 22;

/// Text of up to [`INLINE`] bytes stored inline, longer text boxed.
#[derive(Clone)]
pub(super) enum Short {
    Inline(u8, [u8; INLINE]),
    Heap(Box<str>),
}

impl Short {
    pub(super) fn new(text: &str) -> Short {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Short::Inline(text.len() as u8, bytes)
        } else {
            Short::Heap(text.into())
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            Short::Inline(len, bytes) => std::str::from_utf8(&bytes[..usize::from(*len)])
                .expect("an inline text is the bytes of a str"),
            Short::Heap(text) => text,
        }
    }
}

impl Default for Short {
    fn default() -> Short {
        Short::Inline(0, [0; INLINE])
    }
}

impl PartialEq for Short {
    fn eq(&self, other: &Short) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for Short {
    /// As the `String` it replaced: quoted and escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_texts_read_back() {
        for text in [
            "",
            "25.50",
            "万元",
            "余人次",
            "一二三四五六七",
            "一二三四五六七八",
            "≥50",
        ] {
            let short = Short::new(text);
            assert_eq!(short.as_str(), text);
            assert_eq!(format!("{short:?}"), format!("{text:?}"));
            assert_eq!(
                matches!(short, Short::Inline(..)),
                text.len() <= INLINE,
                "{text}"
            );
        }
        assert_eq!(Short::new("万元"), Short::new("万元"));
        assert_ne!(Short::new("万元"), Short::new("元"));
        assert_eq!(Short::default().as_str(), "");
        assert_eq!(std::mem::size_of::<Short>(), std::mem::size_of::<String>());
    }
}
