//! `matches` patterns: a regular expression, and the characters one of which any match
//! must contain, to skip the regex on text that has none of them.
//!
//! The placeholder rules run a pattern on every value of a report, and nearly every value
//! has no `XX`: a scan for the few characters a match needs answers for those at a
//! fraction of the cost of a regex search, with the same result.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A `matches` pattern. Compared by its text.
///
/// The regex, and the characters a match needs, are made on first use: a built-in pack's
/// patterns are compiled only when a report's text may match them (most reports never
/// need some of them), which is most of a cold process's start. A test compiles every
/// built-in pattern, so none can fail then; a user's pattern is compiled when its rule
/// file loads ([`Pattern::compile`]), so that its errors are reported there.
#[derive(Clone)]
pub struct Pattern {
    inner: Arc<Inner>,
}

/// The pattern's text: whether its regex is made yet is no part of what it is.
impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.inner.text).finish()
    }
}

#[derive(Debug)]
struct Inner {
    text: Box<str>,
    regex: OnceLock<Regex>,
    needs: OnceLock<Needs>,
}

/// The characters one of which any match contains.
#[derive(Debug)]
struct Needs {
    /// Sorted; a text with none of these characters does not match. `None` when a match
    /// may do without any particular character (or there would be too many to scan for).
    chars: Option<Box<[char]>>,
    /// Bit `c % 64` is set for every needed character `c`: most characters are ruled out
    /// by one test.
    sieve: u64,
}

/// Sets of needed characters larger than this are not worth scanning for.
const MAX_NEEDS: usize = 32;

/// Patterns made so far, by their text: the built-in packs share patterns between rules.
static MADE: Mutex<Option<HashMap<String, Pattern>>> = Mutex::new(None);

/// The regex compiled from a pattern's text.
fn build(text: &str) -> Result<Regex, regex::Error> {
    // The regex crate runs in time linear in the text; the size limit bounds what a
    // pathological pattern can cost to compile.
    regex::RegexBuilder::new(text).size_limit(1 << 20).build()
}

impl Pattern {
    /// Compiles `text`, or returns the pattern compiled before from the same text (the
    /// built-in packs share patterns between rules).
    pub(crate) fn compile(text: &str) -> Result<Pattern, regex::Error> {
        let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
        let made = made.get_or_insert_with(HashMap::new);
        if let Some(pattern) = made.get(text) {
            if pattern.inner.regex.get().is_none() {
                // Made lazily before: compiled now, once.
                let _ = pattern.inner.regex.set(build(text)?);
            }
            return Ok(pattern.clone());
        }
        let pattern = Pattern::new(build(text)?);
        made.insert(text.to_string(), pattern.clone());
        Ok(pattern)
    }

    /// The pattern of `text`, compiled on first use: for the built-in packs only, whose
    /// patterns a test compiles (`every_builtin_pattern_compiles`), so that compiling one
    /// cannot fail when it is first used.
    pub(crate) fn lazy(text: &str) -> Pattern {
        let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
        let made = made.get_or_insert_with(HashMap::new);
        if let Some(pattern) = made.get(text) {
            return pattern.clone();
        }
        let pattern = Pattern {
            inner: Arc::new(Inner {
                text: text.into(),
                regex: OnceLock::new(),
                needs: OnceLock::new(),
            }),
        };
        made.insert(text.to_string(), pattern.clone());
        pattern
    }

    pub(crate) fn new(regex: Regex) -> Pattern {
        let pattern = Pattern {
            inner: Arc::new(Inner {
                text: regex.as_str().into(),
                regex: OnceLock::new(),
                needs: OnceLock::new(),
            }),
        };
        let _ = pattern.inner.regex.set(regex);
        pattern
    }

    pub(crate) fn regex(&self) -> &Regex {
        self.inner.regex.get_or_init(|| {
            build(&self.inner.text).expect("a built-in pattern compiles (a test checks each)")
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.inner.text
    }

    fn needs(&self) -> &Needs {
        self.inner.needs.get_or_init(|| {
            let chars = regex_syntax::parse(&self.inner.text)
                .ok()
                .and_then(|hir| needed_chars(&hir))
                .map(|mut chars| {
                    chars.sort_unstable();
                    chars.dedup();
                    chars.into_boxed_slice()
                });
            let sieve = chars
                .iter()
                .flat_map(|chars| chars.iter())
                .fold(0, |sieve, &c| sieve | 1 << (c as u32 % 64));
            Needs { chars, sieve }
        })
    }

    /// Whether the pattern matches somewhere in `text`; the same as the regex's answer.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let needs = self.needs();
        if let Some(chars) = &needs.chars
            && !text
                .chars()
                .any(|c| needs.sieve >> (c as u32 % 64) & 1 == 1 && chars.binary_search(&c).is_ok())
        {
            return false;
        }
        self.regex().is_match(text)
    }
}

/// Answers of [`Pattern::is_match`] remembered while one report is checked: the same
/// pattern on the same text (a unit name, a value two rules look at) is answered once. A
/// small table indexed by the text's address; a clash forgets the older answer.
pub(crate) struct Memo {
    slots: Box<[Cell<Remembered>]>,
}

/// The addresses of a pattern and a text, the text's length, and the answer.
type Remembered = (usize, usize, usize, bool);

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            slots: (0..256).map(|_| Cell::new((0, 0, 0, false))).collect(),
        }
    }
}

impl Memo {
    /// `pattern.is_match(text)`, remembered; `text` must not change while the memo lives
    /// (the texts of a report and unit names do not).
    pub(crate) fn is_match(&self, pattern: &Pattern, text: &str) -> bool {
        let key = (
            Arc::as_ptr(&pattern.inner) as usize,
            text.as_ptr() as usize,
            text.len(),
        );
        let slot = &self.slots[(key.1 ^ key.0 >> 4) % self.slots.len()];
        let (p, t, n, answer) = slot.get();
        if (p, t, n) == key {
            return answer;
        }
        let answer = pattern.is_match(text);
        slot.set((key.0, key.1, key.2, answer));
        answer
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.as_str() == other.as_str()
    }
}

/// Characters one of which every match of `hir` contains, if there is such a small set.
fn needed_chars(hir: &Hir) -> Option<Vec<char>> {
    let set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(literal) => std::str::from_utf8(&literal.0)
            .ok()?
            .chars()
            .next()
            .map(|c| vec![c]),
        HirKind::Class(Class::Unicode(class)) => {
            let mut chars = Vec::new();
            for range in class.ranges() {
                chars.extend(range.start()..=range.end());
                if chars.len() > MAX_NEEDS {
                    return None;
                }
            }
            Some(chars)
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(rep) if rep.min == 0 => None,
        HirKind::Repetition(rep) => needed_chars(&rep.sub),
        HirKind::Capture(capture) => needed_chars(&capture.sub),
        // Any one part's characters will do; the fewest make the quickest scan.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(needed_chars)
            .min_by_key(|chars| chars.len()),
        // Every branch needs one of its characters: one of them all is needed.
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(needed_chars(branch)?);
            }
            Some(all)
        }
    };
    set.filter(|chars| !chars.is_empty() && chars.len() <= MAX_NEEDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn needs(pattern: &str) -> Option<String> {
        let p = Pattern::new(Regex::new(pattern).unwrap());
        p.needs().chars.as_ref().map(|chars| chars.iter().collect())
    }

    #[test]
    fn needed_characters() {
        assert_eq!(needs("XX|××|○○").as_deref(), Some("X×○"));
        assert_eq!(needs("^(人|名|人次)$").as_deref(), Some("人名"));
        assert_eq!(needs(r"\s*(XX|□□)\s*(元|%)").as_deref(), Some("X□"));
        assert_eq!(needs("(XX)?a").as_deref(), Some("a"));
        assert_eq!(needs("^$"), None);
        assert_eq!(needs(r"\d+|X"), None, "too many digits to scan for");
        assert_eq!(needs("a*"), None);
        assert_eq!(needs("(?i)x").as_deref(), Some("Xx"));
    }

    proptest! {
        /// The scan never changes the answer.
        #[test]
        fn same_answer_as_the_regex(
            pattern in prop::sample::select(vec![
                "XX|××", "(XX|□□)\\s*(件|元)|^\\s*(XX)\\s*$", "^(人|名|人次)$", "(?i)ab?c", "a+b",
            ]),
            text in "[aAbcX×□人名次件元 ]{0,8}",
        ) {
            let p = Pattern::new(Regex::new(pattern).unwrap());
            prop_assert_eq!(p.is_match(&text), p.regex().is_match(&text));
        }
    }
}
