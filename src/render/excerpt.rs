//! Diagnostics about hostile text, printed from an excerpt of the file.
//!
//! codespan prints every labelled line whole and underlines a label over all its lines.
//! On a 50 MB single-line JSON file, under a 1 MB scalar, or on a line with terminal
//! escape sequences, that prints megabytes per diagnostic or lets the file drive the
//! terminal. So a diagnostic about a file [`SourceFile::is_hostile`] flags, or with a
//! label over many lines, is printed from an excerpt: each label cut to at most
//! [`MAX_LABEL`] bytes of its first line, long lines cut to windows around the labels
//! (`…` where text is left out), and characters a terminal acts on shown as `?`. Line and
//! column numbers stay those of the file.

use crate::source::{MAX_LINE, SourceFile, is_unsafe_char};
use codespan_reporting::diagnostic::Diagnostic;
use codespan_reporting::files::{Error, Files};
use std::collections::BTreeMap;
use std::ops::Range;

/// Most bytes of a label underlined.
const MAX_LABEL: usize = 120;
/// Bytes of text shown either side of a label on a long line.
const CONTEXT: usize = 60;
/// A label over more lines than this is cut to its first line.
const MAX_LABEL_LINES: usize = 20;

/// Whether `diagnostic` must be printed from an [`Excerpt`].
pub fn needed(file: &SourceFile, diagnostic: &Diagnostic<()>) -> bool {
    file.is_hostile()
        || diagnostic.labels.iter().any(|l| {
            file.line_index(l.range.end) - file.line_index(l.range.start) > MAX_LABEL_LINES
        })
}

/// The lines of a file a diagnostic shows, cut and made safe to print.
pub struct Excerpt<'a> {
    file: &'a SourceFile,
    text: String,
    lines: Vec<Line>,
}

struct Line {
    /// Where the line starts in the excerpt.
    start: usize,
    /// The 0-based line of the file it shows.
    file_line: usize,
    /// The pieces of the file it shows: (start in the excerpt, start in the file, length).
    pieces: Vec<(usize, usize, usize)>,
}

impl<'a> Excerpt<'a> {
    /// The excerpt `diagnostic` needs, and the diagnostic with its labels moved onto it.
    pub fn new(file: &'a SourceFile, diagnostic: &Diagnostic<()>) -> (Excerpt<'a>, Diagnostic<()>) {
        let clipped: Vec<Range<usize>> = diagnostic
            .labels
            .iter()
            .map(|l| clip(file, &l.range))
            .collect();
        let mut by_line: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
        for range in &clipped {
            by_line
                .entry(file.line_index(range.start))
                .or_default()
                .push(range.clone());
        }
        let mut excerpt = Excerpt {
            file,
            text: String::new(),
            lines: Vec::new(),
        };
        let mut previous: Option<usize> = None;
        for (&line, ranges) in &by_line {
            match previous.map(|p| line - p) {
                // One line between two labelled lines: codespan shows it.
                Some(2) => {
                    let span = file.line_span(line - 1);
                    let window =
                        span.start..floor(&file.text, span.start + MAX_LINE.min(span.len()));
                    excerpt.push_line(line - 1, std::slice::from_ref(&window));
                }
                // More: two empty lines make codespan draw a break.
                Some(gap) if gap > 2 => {
                    excerpt.push_line(line - 1, &[]);
                    excerpt.push_line(line - 1, &[]);
                }
                _ => {}
            }
            excerpt.push_line(line, &windows(file, line, ranges));
            previous = Some(line);
        }
        let mut moved = diagnostic.clone();
        for (label, range) in moved.labels.iter_mut().zip(&clipped) {
            label.range = excerpt.to_excerpt(range.start)..excerpt.to_excerpt(range.end);
        }
        (excerpt, moved)
    }

    /// Appends the pieces of a file line as one excerpt line, `…` where text is left out.
    fn push_line(&mut self, file_line: usize, windows: &[Range<usize>]) {
        let span = self.file.line_span(file_line);
        let start = self.text.len();
        let mut pieces = Vec::new();
        let mut at = span.start;
        for window in windows {
            if window.start > at {
                self.text
                    .push_str(if at == span.start { "…" } else { " … " });
            }
            pieces.push((self.text.len(), window.start, window.len()));
            for c in self.file.text[window.clone()].chars() {
                if is_unsafe_char(c) || c == '\r' {
                    // Same length, so offsets within the piece still hold.
                    self.text.push_str(match c.len_utf8() {
                        1 => "?",
                        2 => "¿",
                        _ => "\u{FFFD}",
                    });
                } else {
                    self.text.push(c);
                }
            }
            at = window.end;
        }
        if !windows.is_empty() && at < span.end {
            self.text.push('…');
        }
        self.text.push('\n');
        self.lines.push(Line {
            start,
            file_line,
            pieces,
        });
    }

    /// Where a file offset within one of the excerpt's pieces is in the excerpt.
    fn to_excerpt(&self, byte: usize) -> usize {
        let line = &self.lines[self.line_at_file(byte)];
        line.pieces
            .iter()
            .find(|&&(_, from, len)| from <= byte && byte <= from + len)
            .map_or(line.start, |&(at, from, _)| at + byte - from)
    }

    /// The excerpt line that shows the file line of `byte`.
    fn line_at_file(&self, byte: usize) -> usize {
        let file_line = self.file.line_index(byte);
        self.lines
            .iter()
            .rposition(|l| l.file_line == file_line && !l.pieces.is_empty())
            .unwrap_or(0)
    }

    /// Where an excerpt offset is in the file.
    fn to_file(&self, line: usize, byte: usize) -> usize {
        let line = &self.lines[line];
        line.pieces
            .iter()
            .find(|&&(at, _, len)| at <= byte && byte <= at + len)
            .or(line.pieces.first())
            .map_or(
                self.file.line_span(line.file_line).start,
                |&(at, from, len)| from + byte.saturating_sub(at).min(len),
            )
    }
}

/// A label's range cut to its first line and to [`MAX_LABEL`] bytes, on characters.
fn clip(file: &SourceFile, range: &Range<usize>) -> Range<usize> {
    let text = &file.text;
    let start = floor(text, range.start.min(text.len()));
    let line = file.line_span(file.line_index(start));
    let end = range
        .end
        .min(line.end)
        .min(floor(text, start.saturating_add(MAX_LABEL).min(text.len())));
    start..floor(text, end).max(start)
}

/// The windows of a file line to show: the whole line when it is short, otherwise the
/// labels with [`CONTEXT`] bytes either side, merged where they meet.
fn windows(file: &SourceFile, line: usize, labels: &[Range<usize>]) -> Vec<Range<usize>> {
    let span = file.line_span(line);
    if span.len() <= MAX_LINE {
        return vec![span];
    }
    let text = &file.text;
    let mut windows: Vec<Range<usize>> = labels
        .iter()
        .map(|r| {
            let start = floor(text, r.start.saturating_sub(CONTEXT).max(span.start));
            let end = ceil(text, (r.end + CONTEXT).min(span.end));
            start..end
        })
        .collect();
    windows.sort_by_key(|w| w.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    merged
}

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.file.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|l| l.start <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        let line = self.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })?;
        Ok(self.file.line_number(line.file_line))
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let byte = self.to_file(line_index, byte_index);
        Ok(self.file.position(byte).column)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let line = self.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: self.lines.len().saturating_sub(1),
        })?;
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.text.len(), |next| next.start);
        Ok(line.start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::human::emit;
    use codespan_reporting::diagnostic::Label;

    fn render(file: &SourceFile, labels: Vec<Label<()>>) -> String {
        let diagnostic = Diagnostic::error().with_message("m").with_labels(labels);
        let mut out = Vec::new();
        emit(&mut out, file, &diagnostic, false);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_long_line_is_cut_around_the_labels() {
        let text = format!(
            "[{}\"信访\", 7, {}]\n",
            "1, ".repeat(100_000),
            "2, ".repeat(100_000)
        );
        let file = SourceFile::new("long.json", text.clone());
        let at = text.find("7,").unwrap();
        let out = render(
            &file,
            vec![
                Label::primary((), at..at + 1).with_message("这里"),
                Label::secondary((), at - 9..at - 3).with_message("信访"),
            ],
        );
        assert!(out.len() < 1000, "{out}");
        let column = text[..at].chars().count() + 1;
        assert!(out.contains(&format!("long.json:1:{column}")), "{out}");
        assert!(out.contains("│ …, 1, 1, "), "{out}");
        assert!(out.contains("1, \"信访\", 7, 2,"), "{out}");
        assert!(out.contains(", 2…\n"), "{out}");
        assert!(out.contains("^ 这里"), "{out}");
    }

    #[test]
    fn a_label_over_a_huge_scalar_is_cut() {
        let text = format!("a: |\n{}b: 1\n", "  长长的说明\n".repeat(100_000));
        let file = SourceFile::new("big.yaml", text.clone());
        assert!(!file.is_hostile());
        let out = render(&file, vec![Label::primary((), 3..text.len() - 5)]);
        assert!(out.len() < 1000, "{out}");
        assert!(out.contains("big.yaml:1:4"), "{out}");
    }

    #[test]
    fn control_characters_are_not_printed() {
        let text = "a: 1\nb: \u{1b}[2J\u{9b}x\u{202e}y\rz\nc: 2\nd: 4\n\n\ne: 5\n";
        let file = SourceFile::new("esc.yaml", text);
        let b = text.find("b:").unwrap();
        let d = text.find("d:").unwrap();
        let e = text.find("e:").unwrap();
        let out = render(
            &file,
            vec![
                Label::primary((), b..b + 1),
                Label::secondary((), d..d + 1),
                Label::secondary((), e..e + 1),
                Label::secondary((), 0..1),
            ],
        );
        assert!(
            !out.contains(['\u{1b}', '\u{9b}', '\u{202e}', '\r']),
            "{out:?}"
        );
        // A lone carriage return ends a line, as in an editor.
        assert!(out.contains("2 │ b: ?[2J¿x\u{FFFD}y\n"), "{out}");
        assert!(out.contains("esc.yaml:2:1"), "{out}");
        // The lines between labelled lines are a break.
        assert!(out.contains("  ·\n5 │ d: 4"), "{out}");
        assert!(out.contains("  ·\n8 │ e: 5"), "{out}");
    }
}
