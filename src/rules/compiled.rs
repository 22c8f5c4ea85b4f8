//! The built-in packs compiled ahead of time: their rules as [`load`](super::load) makes
//! them from the YAML, in a compact form (`src/rules/builtin.bin`) that loads without
//! the YAML reader, the expression parser or the type checker.
//!
//! Reading the packs' YAML and compiling their expressions was most of a cold check of
//! one report. The compiled form is made by a test from the packs' YAML
//! (`the_compiled_packs_are_current`, which fails when a pack has any problem or the
//! committed form is not what the packs compile to now; `every_builtin_pattern_compiles`
//! loads each pack as a user's file, every pattern compiled), so no rule error can wait
//! for a user's check. It is used only when it was made from the packs and the
//! code that compiles them as they are built into this binary: `build.rs` hashes both
//! ([`super::BUILTIN_COMPILED_FROM`]); on any difference, or anything it cannot read, the
//! packs are loaded from their YAML as before, so a stale form is slower, never wrong.
//!
//! To make it again: `UPDATE_PACKS=1 cargo test --lib compiled_packs`.

use super::load::{LoadedRules, ParamOverride};
use super::{Rule, Severity, Template, TemplatePart};
use crate::expr::check::{ParamValue, Params};
use crate::expr::pattern::Pattern;
use crate::expr::{ArithOp, CmpOp, Expr, ExprKind, Func, LogicOp, Path, Step};
use crate::figure::Figure;
use crate::source::SourceFile;
use std::ops::Range;
use std::sync::Arc;

/// Each operator's tag is its place in its table: one list read both ways, so writing
/// and reading cannot disagree.
const ARITH_OPS: &[ArithOp] = &[ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div];
const CMP_OPS: &[CmpOp] = &[
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Gt,
    CmpOp::Ge,
];
const LOGIC_OPS: &[LogicOp] = &[LogicOp::And, LogicOp::Or];

/// The tag of `op`: its place in `table` (every operator is in its table). The packs are
/// written only by a test.
#[cfg(test)]
fn tag_of<T: PartialEq>(table: &[T], op: &T) -> u8 {
    let place = table.iter().position(|t| t == op);
    u8::try_from(place.expect("every operator is in its table")).expect("a short table")
}

/// The committed compiled form.
const COMPILED: &[u8] = include_bytes!("builtin.bin");

/// What a compiled form starts with; the number changes with the layout.
const MAGIC: &[u8] = b"hecha-packs-1\n";

/// The rules of the built-in pack `name` from the compiled form, each with `source` (the
/// pack's text); `None` when the form is not that of these packs and this code, or does
/// not hold the pack.
pub(super) fn pack(name: &str, source: &Arc<SourceFile>) -> Option<LoadedRules> {
    read_pack(COMPILED, super::BUILTIN_COMPILED_FROM, name, source)
}

fn read_pack(bytes: &[u8], from: u64, name: &str, source: &Arc<SourceFile>) -> Option<LoadedRules> {
    let mut r = Reader {
        bytes: bytes.strip_prefix(MAGIC)?,
        source,
    };
    if r.u64()? != from {
        return None;
    }
    for _ in 0..r.len()? {
        let pack = r.str()?;
        let size = r.len()?;
        if pack != name {
            r.bytes = r.bytes.get(size..)?;
            continue;
        }
        let mut body = Reader {
            bytes: r.bytes.get(..size)?,
            source,
        };
        let loaded = body.pack()?;
        return body.bytes.is_empty().then_some(loaded);
    }
    None
}

/// The compiled form of `packs` (name, text, what it loaded as a built-in pack), made
/// `from` the hash of the packs and code. An error names what cannot be compiled.
#[cfg(test)]
fn write(from: u64, packs: &[(&str, &str, &LoadedRules)]) -> Result<Vec<u8>, String> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&from.to_le_bytes());
    len(&mut out, packs.len());
    for (name, text, loaded) in packs {
        if !loaded.problems.is_empty() {
            return Err(format!("{name}: {:?}", loaded.problems));
        }
        let mut w = Writer {
            out: Vec::new(),
            source: text,
        };
        w.pack(loaded).map_err(|e| format!("{name}: {e}"))?;
        string(&mut out, name);
        len(&mut out, w.out.len());
        out.extend_from_slice(&w.out);
    }
    Ok(out)
}

#[cfg(test)]
fn len(out: &mut Vec<u8>, mut n: usize) {
    // LEB128: seven bits a byte, the high bit set on every byte but the last.
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
fn string(out: &mut Vec<u8>, s: &str) {
    len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// Writes rules in the compiled form; an error names what has no compiled form.
#[cfg(test)]
struct Writer<'s> {
    out: Vec<u8>,
    /// The pack's text: a string is written as the parts of it found there.
    source: &'s str,
}

#[cfg(test)]
type Written = Result<(), String>;

#[cfg(test)]
impl Writer<'_> {
    fn len(&mut self, n: usize) {
        len(&mut self.out, n);
    }

    /// A string, as its length and pieces: each line (or what is left of it) found in the pack's text
    /// as its place there, else as its bytes. Reading a place back is a slice of text
    /// known to be UTF-8, not bytes to check again, and most of a pack's strings are
    /// its lines.
    fn str(&mut self, s: &str) {
        let mut pieces = Vec::new();
        for line in s.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            match (self.source.find(line), self.source.find(body)) {
                (Some(at), _) => pieces.push(Ok(at..at + line.len())),
                (None, Some(at)) if !body.is_empty() => {
                    pieces.push(Ok(at..at + body.len()));
                    pieces.push(Err(&line[body.len()..]));
                }
                _ => pieces.push(Err(line)),
            }
        }
        self.len(s.len());
        self.len(pieces.len());
        for piece in pieces {
            match piece {
                Ok(place) => {
                    self.tag(1);
                    self.span(&place);
                }
                Err(text) => {
                    self.tag(0);
                    string(&mut self.out, text);
                }
            }
        }
    }

    fn tag(&mut self, tag: u8) {
        self.out.push(tag);
    }

    fn span(&mut self, span: &Range<usize>) {
        self.len(span.start);
        self.len(span.end);
    }

    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            None => self.tag(0),
            Some(s) => {
                self.tag(1);
                self.str(s);
            }
        }
    }

    fn pack(&mut self, loaded: &LoadedRules) -> Written {
        self.len(loaded.rules.len());
        for rule in &loaded.rules {
            self.rule(rule)?;
        }
        self.len(loaded.overrides.len());
        for o in &loaded.overrides {
            self.str(&o.rule);
            self.span(&o.rule_span);
            self.str(&o.name);
            self.span(&o.name_span);
            self.param(&o.value)?;
            self.span(&o.value_span);
        }
        Ok(())
    }

    fn rule(&mut self, r: &Rule) -> Written {
        self.str(&r.id);
        self.span(&r.id_span);
        self.str(&r.title);
        self.tag(match r.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        });
        self.path(&r.selector);
        self.opt_expr(&r.when)?;
        self.opt_str(&r.when_text);
        self.expr(&r.check)?;
        self.str(&r.check_text);
        for path in [&r.explained_by, &r.at] {
            match path {
                None => self.tag(0),
                Some(p) => {
                    self.tag(1);
                    self.path(p);
                }
            }
        }
        match &r.tolerance {
            None => self.tag(0),
            Some(figure) => {
                self.tag(1);
                let text = format!("{}{}", figure.number_text(), figure.unit_text());
                self.figure(figure, &text)?;
            }
        }
        for template in [&r.message, &r.help] {
            match template {
                None => self.tag(0),
                Some(t) => {
                    self.tag(1);
                    self.template(t)?;
                }
            }
        }
        self.opt_str(&r.doc);
        self.params(&r.params)
    }

    fn params(&mut self, params: &Params) -> Written {
        self.len(params.len());
        for (name, value) in params {
            self.str(name);
            self.param(value)?;
        }
        Ok(())
    }

    fn param(&mut self, value: &ParamValue) -> Written {
        match value {
            ParamValue::Figure(figure, text) => {
                self.tag(0);
                self.figure(figure, text)
            }
            ParamValue::Text(text) => {
                self.tag(1);
                self.str(text);
                Ok(())
            }
        }
    }

    /// A figure as the text it is read from, which must read as that figure again.
    fn figure(&mut self, figure: &Figure, text: &str) -> Written {
        if Figure::parse(text).ok().flatten().as_ref() != Some(figure) {
            return Err(format!(
                "the figure {figure:?} does not read back from「{text}」"
            ));
        }
        self.str(text);
        Ok(())
    }

    fn template(&mut self, t: &Template) -> Written {
        self.str(&t.raw);
        self.len(t.parts.len());
        for part in &t.parts {
            match part {
                TemplatePart::Text(text) => {
                    self.tag(0);
                    self.str(text);
                }
                TemplatePart::Expr(e) => {
                    self.tag(1);
                    self.expr(e)?;
                }
            }
        }
        Ok(())
    }

    fn path(&mut self, path: &Path) {
        self.len(path.steps.len());
        for step in &path.steps {
            match step {
                Step::Key(key) => {
                    self.tag(0);
                    self.str(key);
                }
                Step::Index(i) => {
                    self.tag(1);
                    self.len(*i);
                }
                Step::Children => self.tag(2),
                Step::Parent => self.tag(3),
                Step::Descendants => self.tag(4),
                Step::VisitedKey => self.tag(5),
            }
        }
    }

    fn opt_expr(&mut self, e: &Option<Expr>) -> Written {
        match e {
            None => {
                self.tag(0);
                Ok(())
            }
            Some(e) => {
                self.tag(1);
                self.expr(e)
            }
        }
    }

    fn expr(&mut self, e: &Expr) -> Written {
        self.span(&e.span);
        match &e.kind {
            ExprKind::Path(p) => {
                self.tag(0);
                self.path(p);
            }
            ExprKind::Number(figure, text) => {
                self.tag(1);
                self.figure(figure, text)?;
            }
            ExprKind::Str(s) => {
                self.tag(2);
                self.str(s);
            }
            ExprKind::Pattern(p) => {
                self.tag(3);
                self.str(p.as_str());
            }
            ExprKind::Bool(b) => self.tag(4 + u8::from(*b)),
            ExprKind::Param(name) => {
                self.tag(6);
                self.str(name);
            }
            ExprKind::Neg(a) => {
                self.tag(7);
                self.expr(a)?;
            }
            ExprKind::Not(a) => {
                self.tag(8);
                self.expr(a)?;
            }
            ExprKind::Arith(op, a, b) => {
                self.tag(9);
                self.tag(tag_of(ARITH_OPS, op));
                self.expr(a)?;
                self.expr(b)?;
            }
            ExprKind::Compare(op, a, b) => {
                self.tag(10);
                self.tag(tag_of(CMP_OPS, op));
                self.expr(a)?;
                self.expr(b)?;
            }
            ExprKind::Logic(op, a, b) => {
                self.tag(11);
                self.tag(tag_of(LOGIC_OPS, op));
                self.expr(a)?;
                self.expr(b)?;
            }
            ExprKind::Call(func, args) => {
                self.tag(12);
                self.str(func.spec().name);
                self.len(args.len());
                for a in args {
                    self.expr(a)?;
                }
            }
        }
        Ok(())
    }
}

/// Reads the compiled form; `None` on anything it does not hold as written.
struct Reader<'a> {
    bytes: &'a [u8],
    source: &'a Arc<SourceFile>,
}

/// Deeper expressions than this are not in any pack (and would not be read back).
const MAX_DEPTH: usize = 200;

impl<'a> Reader<'a> {
    fn tag(&mut self) -> Option<u8> {
        let (&first, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(first)
    }

    fn len(&mut self) -> Option<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.tag()?;
            n |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.bytes.split_first_chunk::<8>()?;
        self.bytes = rest;
        Some(u64::from_le_bytes(*head))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        let (text, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        std::str::from_utf8(text).ok()
    }

    /// A string written by [`Writer::str`]: its length, then its pieces, places in the
    /// pack's text or bytes.
    fn string(&mut self) -> Option<String> {
        let size = self.len()?;
        let pieces = self.len()?;
        let mut out = String::with_capacity(size.min(self.bytes.len() + self.source.text.len()));
        for _ in 0..pieces {
            match self.tag()? {
                0 => out.push_str(self.str()?),
                1 => out.push_str(self.source.text.get(self.span()?)?),
                _ => return None,
            }
        }
        Some(out)
    }

    fn span(&mut self) -> Option<Range<usize>> {
        Some(self.len()?..self.len()?)
    }

    fn some<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.tag()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn pack(&mut self) -> Option<LoadedRules> {
        let rules = (0..self.len()?)
            .map(|_| self.rule())
            .collect::<Option<Vec<_>>>()?;
        let overrides = (0..self.len()?)
            .map(|_| {
                Some(ParamOverride {
                    rule: self.string()?,
                    rule_span: self.span()?,
                    name: self.string()?,
                    name_span: self.span()?,
                    value: self.param()?,
                    value_span: self.span()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(LoadedRules {
            rules,
            overrides,
            problems: Vec::new(),
        })
    }

    fn rule(&mut self) -> Option<Rule> {
        let id = self.string()?;
        let id_span = self.span()?;
        let title = self.string()?;
        let severity = match self.tag()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Info,
            _ => return None,
        };
        let selector = self.path()?;
        let when = self.some(|r| r.expr(0))?;
        let when_text = self.some(Self::string)?;
        let check = self.expr(0)?;
        let check_text = self.string()?;
        let explained_by = self.some(Self::path)?;
        let at = self.some(Self::path)?;
        let tolerance = self.some(|r| Figure::parse(&r.string()?).ok().flatten())?;
        let message = self.some(Self::template)?;
        let help = self.some(Self::template)?;
        let doc = self.some(Self::string)?;
        let params = (0..self.len()?)
            .map(|_| Some((self.string()?, self.param()?)))
            .collect::<Option<Params>>()?;
        Some(Rule {
            id,
            title,
            severity,
            selector,
            when,
            when_text,
            check,
            check_text,
            explained_by,
            at,
            tolerance,
            message,
            help,
            doc,
            params,
            source: Arc::clone(self.source),
            id_span,
        })
    }

    fn param(&mut self) -> Option<ParamValue> {
        match self.tag()? {
            0 => {
                let text = self.string()?;
                let figure = Figure::parse(&text).ok()??;
                Some(ParamValue::Figure(Box::new(figure), text))
            }
            1 => Some(ParamValue::Text(self.string()?)),
            _ => None,
        }
    }

    fn template(&mut self) -> Option<Template> {
        let raw = self.string()?;
        let parts = (0..self.len()?)
            .map(|_| match self.tag()? {
                0 => Some(TemplatePart::Text(self.string()?)),
                1 => Some(TemplatePart::Expr(self.expr(0)?)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Template { parts, raw })
    }

    fn path(&mut self) -> Option<Path> {
        let steps = (0..self.len()?)
            .map(|_| {
                Some(match self.tag()? {
                    0 => Step::Key(self.string()?),
                    1 => Step::Index(self.len()?),
                    2 => Step::Children,
                    3 => Step::Parent,
                    4 => Step::Descendants,
                    5 => Step::VisitedKey,
                    _ => return None,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Path { steps })
    }

    fn expr(&mut self, depth: usize) -> Option<Expr> {
        if depth > MAX_DEPTH {
            return None;
        }
        let span = self.span()?;
        let sub = |r: &mut Self| r.expr(depth + 1).map(Box::new);
        let kind = match self.tag()? {
            0 => ExprKind::Path(self.path()?),
            1 => {
                let text = self.string()?;
                let figure = Figure::parse(&text).ok()??;
                ExprKind::Number(Box::new(figure), text)
            }
            2 => ExprKind::Str(self.string()?),
            3 => ExprKind::Pattern(Pattern::lazy(&self.string()?)),
            4 => ExprKind::Bool(false),
            5 => ExprKind::Bool(true),
            6 => ExprKind::Param(self.string()?),
            7 => ExprKind::Neg(sub(self)?),
            8 => ExprKind::Not(sub(self)?),
            9 => {
                let op = *ARITH_OPS.get(usize::from(self.tag()?))?;
                ExprKind::Arith(op, sub(self)?, sub(self)?)
            }
            10 => {
                let op = *CMP_OPS.get(usize::from(self.tag()?))?;
                ExprKind::Compare(op, sub(self)?, sub(self)?)
            }
            11 => {
                let op = *LOGIC_OPS.get(usize::from(self.tag()?))?;
                ExprKind::Logic(op, sub(self)?, sub(self)?)
            }
            12 => {
                let func = Func::from_name(&self.string()?)?;
                let args = (0..self.len()?)
                    .map(|_| self.expr(depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                ExprKind::Call(func, args)
            }
            _ => return None,
        };
        Some(Expr { kind, span })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::BUILTIN_PACKS;

    fn source(name: &str, text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(format!("builtin:rules/{name}"), text))
    }

    /// What the packs compile to now, from their YAML.
    fn compiled_now() -> Vec<u8> {
        let loaded: Vec<(&str, &str, LoadedRules)> = BUILTIN_PACKS
            .iter()
            .map(|(name, text)| {
                let loaded = super::super::load::load_pack(&source(name, text), true);
                (*name, *text, loaded)
            })
            .collect();
        let packs: Vec<_> = loaded.iter().map(|(n, t, l)| (*n, *t, l)).collect();
        write(super::super::BUILTIN_COMPILED_FROM, &packs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The committed compiled form is what the packs compile to with this code, and reads
    /// back as the same rules. To make it again, run
    /// `UPDATE_PACKS=1 cargo test --lib compiled_packs`.
    #[test]
    fn the_compiled_packs_are_current() {
        let now = compiled_now();
        if now != COMPILED && std::env::var_os("UPDATE_PACKS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/builtin.bin");
            std::fs::write(path, &now).unwrap();
            return;
        }
        assert!(
            now == COMPILED,
            "src/rules/builtin.bin is out of date; make it again with\n  \
             UPDATE_PACKS=1 cargo test --lib compiled_packs"
        );
        // Read back, every pack writes the same bytes: nothing is lost on the way.
        let mut again = Vec::new();
        for (name, text) in BUILTIN_PACKS {
            let read = pack(name, &source(name, text)).expect(name);
            again.push((*name, *text, read));
        }
        let packs: Vec<_> = again.iter().map(|(n, t, l)| (*n, *t, l)).collect();
        assert!(write(super::super::BUILTIN_COMPILED_FROM, &packs).unwrap() == COMPILED);
    }

    #[test]
    fn the_compiled_packs_load_as_their_yaml_does() {
        // The built-in rule set is the one the YAML gives, rule for rule.
        let compiled = crate::rules::RuleSet::builtin();
        let mut yaml = crate::rules::RuleSet::default();
        for (name, text) in BUILTIN_PACKS {
            let source = source(name, text);
            let loaded = super::super::load::load_pack(&source, true);
            yaml.add_rules(source, loaded);
        }
        yaml.finish();
        assert!(compiled.problems.is_empty() && yaml.problems.is_empty());
        let show = |set: &crate::rules::RuleSet| {
            set.rules
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r.source = source("", "");
                    format!("{r:?}")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&compiled), show(&yaml));
        assert!(compiled.rules.len() >= 30, "{}", compiled.rules.len());
    }

    #[test]
    fn a_stale_or_damaged_form_is_not_used() {
        let (name, text) = BUILTIN_PACKS[0];
        let source = source(name, text);
        let from = super::super::BUILTIN_COMPILED_FROM;
        assert!(read_pack(COMPILED, from, name, &source).is_some());
        // Made from other packs or other code.
        assert!(read_pack(COMPILED, from ^ 1, name, &source).is_none());
        // No such pack.
        assert!(read_pack(COMPILED, from, "none.yaml", &source).is_none());
        // Cut short anywhere, or bytes changed: never a panic.
        for cut in (0..COMPILED.len()).step_by(5) {
            let _ = read_pack(&COMPILED[..cut], from, name, &source);
        }
        let mut damaged = COMPILED.to_vec();
        for at in (0..damaged.len()).step_by(11) {
            damaged[at] ^= 0x5a;
            let _ = read_pack(&damaged, from, name, &source);
            damaged[at] ^= 0x5a;
        }
    }
}
