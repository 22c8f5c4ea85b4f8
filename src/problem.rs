//! Problems: why a data file or a rule file could not be used (fully), located in it.
//!
//! A problem is data, like a finding; `render` turns it into a diagnostic. Problems make
//! the run exit 2, except notices (such as a file decoded from GB18030), which only inform.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// A stable, ASCII name for the kind of problem: `yaml-syntax`, `unknown-field`.
    pub code: &'static str,
    pub message: String,
    /// Where in the file; `None` for problems with the file as a whole.
    pub span: Option<Range<usize>>,
    /// The primary label, short.
    pub label: String,
    /// Other places that explain the problem (the first of two duplicate keys).
    pub secondary: Vec<(Range<usize>, String)>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// A notice informs and does not make the run fail.
    pub notice: bool,
}

impl Problem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            span: None,
            label: String::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            notice: false,
        }
    }

    pub fn at(mut self, span: Range<usize>, label: impl Into<String>) -> Problem {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Range<usize>, label: impl Into<String>) -> Problem {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Problem {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn as_notice(mut self) -> Problem {
        self.notice = true;
        self
    }
}

/// Names longer than this get no suggestion: a typo is looked for in names people type,
/// and the distance costs the product of the two lengths.
const MAX_SIMILAR_LEN: usize = 64;

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn similar<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_SIMILAR_LEN {
        return None;
    }
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        // One edit changes the length by at most 4 bytes: skip what is surely too far.
        .filter(|c| c.len().abs_diff(word.len()) <= 4 * limit)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over characters, counting a swap of neighbours as one edit (the
/// optimal string alignment distance): `lwo` is one edit from `low`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names() {
        let fields = ["id", "title", "severity", "check", "explained_by"];
        assert_eq!(similar("severty", fields), Some("severity"));
        assert_eq!(similar("chek", fields), Some("check"));
        assert_eq!(similar("explained-by", fields), Some("explained_by"));
        assert_eq!(similar("zzzzzz", fields), None);
        assert_eq!(similar("办结", ["办结率"]), Some("办结率"));
        let long = "x".repeat(1 << 20);
        assert_eq!(similar(&long, [long.as_str()]), None, "no quadratic work");
        assert_eq!(edit_distance("办结率", "办结"), 1);
        assert_eq!(edit_distance("f/lwo", "f/low"), 1);
    }
}

/// A system error as a Chinese message says it: `文件不存在`, not `No such file or
/// directory (os error 2)`; what has no Chinese wording here keeps the system's words,
/// in brackets.
pub fn system_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match e.kind() {
        ErrorKind::NotFound => "文件不存在",
        ErrorKind::PermissionDenied => "没有权限",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::IsADirectory => "这是目录，不是文件",
        ErrorKind::NotADirectory => "路径中有一段不是目录",
        ErrorKind::InvalidData => "内容无法读取",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::ReadOnlyFilesystem => "文件系统只读",
        ErrorKind::Interrupted => "读写被中断",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::InvalidFilename => "文件名无效",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::ResourceBusy => "文件正被占用",
        _ => return format!("系统错误（{e}）"),
    };
    words.to_string()
}

#[cfg(test)]
mod system_error_tests {
    #[test]
    fn system_errors_are_worded_in_chinese() {
        let e = std::fs::File::open("/nonexistent/hecha/a.yaml").unwrap_err();
        assert_eq!(super::system_error(&e), "文件不存在");
        let other = std::io::Error::other("boom");
        assert_eq!(super::system_error(&other), "系统错误（boom）");
    }
}
