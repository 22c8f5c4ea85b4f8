//! `matches` patterns: a regular expression, and the characters one of which any match
//! must contain, to skip the regex on text that has none of them.
//!
//! The placeholder rules run a pattern on every value of a report, and nearly every value
//! has no `XX`: a scan for the few characters a match needs answers for those at a
//! fraction of the cost of a regex search, with the same result.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::cell::{Cell, RefCell};
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
        self.lacks_needs(text) != Some(true) && self.regex.is_match(text)
    }

    /// Whether `text` has none of the characters a match needs (then it cannot match);
    /// `None` when the pattern needs no particular character.
    fn lacks_needs(&self, text: &str) -> Option<bool> {
        let needs = self.needs.as_ref()?;
        Some(
            !text
                .chars()
                .any(|c| self.sieve >> (c as u32 % 64) & 1 == 1 && needs.binary_search(&c).is_ok()),
        )
    }

    /// Whether every character this pattern needs is one `other` needs too: a text that
    /// lacks `other`'s characters cannot match this pattern either.
    fn needs_within(&self, other: &Pattern) -> bool {
        match (&self.needs, &other.needs) {
            (Some(mine), Some(theirs)) => mine.iter().all(|c| theirs.binary_search(c).is_ok()),
            _ => false,
        }
    }
}

/// Answers of [`Pattern::is_match`] remembered while one report is checked: the same
/// pattern on the same text (a unit name, a value two rules look at) is answered once,
/// and a text found to lack the characters one pattern needs is not scanned again for a
/// pattern that needs only some of them (the placeholder rules' patterns). Small tables
/// indexed by the text's address; a clash forgets the older entry.
pub struct Memo {
    slots: Box<[Cell<Remembered>]>,
    /// For each text, the last pattern whose needed characters it lacks.
    lacking: Box<[Cell<Lacking>]>,
    /// The patterns met, by address, to compare their needed characters.
    patterns: RefCell<Vec<(usize, Pattern)>>,
}

/// The addresses of a pattern and a text, the text's length, and the answer.
type Remembered = (usize, usize, usize, bool);

/// The address and length of a text, and the address of a pattern it cannot match.
type Lacking = (usize, usize, usize);

const SLOTS: usize = 256;

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            slots: (0..SLOTS).map(|_| Cell::new((0, 0, 0, false))).collect(),
            lacking: (0..SLOTS).map(|_| Cell::new((0, 0, 0))).collect(),
            patterns: RefCell::new(Vec::new()),
        }
    }
}

impl Memo {
    /// `pattern.is_match(text)`, remembered; `text` must not change while the memo lives
    /// (the texts of a report and unit names do not).
    pub fn is_match(&self, pattern: &Pattern, text: &str) -> bool {
        let (p, t, n) = (
            Arc::as_ptr(&pattern.regex) as usize,
            text.as_ptr() as usize,
            text.len(),
        );
        let slot = &self.slots[(t ^ p >> 4) % SLOTS];
        let (sp, st, sn, answer) = slot.get();
        if (sp, st, sn) == (p, t, n) {
            return answer;
        }
        let lacking = &self.lacking[t % SLOTS];
        let (lt, ln, lp) = lacking.get();
        let known = (lt, ln) == (t, n) && self.needs_within(pattern, lp);
        let answer = !known
            && match pattern.lacks_needs(text) {
                Some(true) => {
                    lacking.set((t, n, p));
                    self.meet(p, pattern);
                    false
                }
                _ => pattern.regex.is_match(text),
            };
        slot.set((p, t, n, answer));
        answer
    }

    /// Whether the characters `pattern` needs are among those of the pattern at `other`.
    fn needs_within(&self, pattern: &Pattern, other: usize) -> bool {
        let patterns = self.patterns.borrow();
        patterns
            .iter()
            .find(|(address, _)| *address == other)
            .is_some_and(|(_, o)| pattern.needs_within(o))
    }

    fn meet(&self, address: usize, pattern: &Pattern) {
        let mut patterns = self.patterns.borrow_mut();
        if !patterns.iter().any(|(a, _)| *a == address) {
            patterns.push((address, pattern.clone()));
        }
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

    #[test]
    fn the_memo_answers_as_the_pattern_does() {
        let wide = Pattern::new(Regex::new("(XX|××)件|^XX$").unwrap());
        let narrow = Pattern::new(Regex::new("XX").unwrap());
        let memo = Memo::default();
        for text in ["办结 5 件", "XX件", "XX", "××", "说明：无"] {
            for _ in 0..2 {
                assert_eq!(memo.is_match(&wide, text), wide.is_match(text), "{text}");
                assert_eq!(
                    memo.is_match(&narrow, text),
                    narrow.is_match(text),
                    "{text}"
                );
            }
        }
        assert!(narrow.needs_within(&wide));
        assert!(!wide.needs_within(&narrow));
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
