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
use std::sync::{Arc, Mutex};

/// A compiled `matches` pattern. Compared by its text.
#[derive(Clone, Debug)]
pub struct Pattern {
    regex: Arc<Regex>,
    /// Sorted; a text with none of these characters does not match. `None` when a match
    /// may do without any particular character (or there would be too many to scan for).
    needs: Option<Arc<[char]>>,
    /// Bit `c % 64` is set for every needed character `c`: most characters are ruled out
    /// by one test.
    sieve: u64,
}

/// Sets of needed characters larger than this are not worth scanning for.
const MAX_NEEDS: usize = 32;

impl Pattern {
    /// Compiles `text`, or returns the pattern compiled before from the same text (the
    /// built-in packs share patterns between rules).
    pub fn compile(text: &str) -> Result<Pattern, regex::Error> {
        static COMPILED: Mutex<Option<HashMap<String, Pattern>>> = Mutex::new(None);
        let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
        let compiled = compiled.get_or_insert_with(HashMap::new);
        if let Some(pattern) = compiled.get(text) {
            return Ok(pattern.clone());
        }
        // The regex crate runs in time linear in the text; the size limit bounds what a
        // pathological pattern can cost to compile.
        let regex = regex::RegexBuilder::new(text).size_limit(1 << 20).build()?;
        let pattern = Pattern::new(regex);
        compiled.insert(text.to_string(), pattern.clone());
        Ok(pattern)
    }

    pub fn new(regex: Regex) -> Pattern {
        let needs = regex_syntax::parse(regex.as_str())
            .ok()
            .and_then(|hir| needed_chars(&hir))
            .map(|mut chars| {
                chars.sort_unstable();
                chars.dedup();
                Arc::from(chars)
            });
        let sieve = needs
            .iter()
            .flat_map(|chars: &Arc<[char]>| chars.iter())
            .fold(0, |sieve, &c| sieve | 1 << (c as u32 % 64));
        Pattern {
            regex: Arc::new(regex),
            needs,
            sieve,
        }
    }

    pub fn regex(&self) -> &Regex {
        &self.regex
    }

    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }

    /// Whether the pattern matches somewhere in `text`; the same as the regex's answer.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(needs) = &self.needs
            && !text
                .chars()
                .any(|c| self.sieve >> (c as u32 % 64) & 1 == 1 && needs.binary_search(&c).is_ok())
        {
            return false;
        }
        self.regex.is_match(text)
    }
}

/// Answers of [`Pattern::is_match`] remembered while one report is checked: the same
/// pattern on the same text (a unit name, a value two rules look at) is answered once. A
/// small table indexed by the text's address; a clash forgets the older answer.
pub struct Memo {
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
    pub fn is_match(&self, pattern: &Pattern, text: &str) -> bool {
        let key = (
            Arc::as_ptr(&pattern.regex) as usize,
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
        p.needs.map(|chars| chars.iter().collect())
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
