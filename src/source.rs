//! Source files: bytes decoded to text, with the line index that turns byte offsets into
//! the line and column a diagnostic shows.
//!
//! Every span in hecha is a byte range into [`SourceFile::text`]. For UTF-8 files (with or
//! without a BOM) that is the file itself; a UTF-16 or GB18030 file is decoded first and
//! its spans refer to the decoded text, which the file's [`SourceFile::encoding`] records.

use codespan_reporting::files::{Error as FilesError, Files};
use std::ops::Range;

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or `<builtin>/casework.yaml` for embedded rules).
    pub name: String,
    pub text: String,
    /// The encoding the bytes were decoded from, when it was not UTF-8.
    pub encoding: Option<&'static str>,
    line_starts: Vec<usize>,
}

/// Why a file's bytes are not text hecha can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A NUL byte at this offset: the file is binary (a spreadsheet, an archive, an image).
    Binary { offset: usize },
    /// Neither UTF-8 nor GB18030; the first byte that is not UTF-8 is at this offset.
    NotText { offset: usize },
}

impl DecodeError {
    pub fn message(&self) -> String {
        match self {
            DecodeError::Binary { offset } => {
                format!("not a text file (byte {offset} is NUL); expected YAML or JSON")
            }
            DecodeError::NotText { offset } => format!(
                "not valid UTF-8 or GB18030 text (invalid byte at offset {offset}); save the file as UTF-8"
            ),
        }
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            encoding: None,
            line_starts,
        }
    }

    /// Decodes a file's bytes: UTF-8 (a BOM is kept, the YAML parser skips it, so byte
    /// offsets stay those of the file), UTF-16 with a BOM, or GB18030 (which covers GBK),
    /// the encoding Chinese Windows editors and Excel exports use.
    pub fn decode(name: impl Into<String>, bytes: &[u8]) -> Result<SourceFile, DecodeError> {
        let utf16 = match bytes {
            [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
            [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
            _ => None,
        };
        if let Some(encoding) = utf16 {
            let (text, _, malformed) = encoding.decode(bytes);
            if malformed {
                return Err(DecodeError::NotText { offset: 0 });
            }
            let mut file = SourceFile::new(name, text.into_owned());
            file.encoding = Some(encoding.name());
            return Ok(file);
        }
        if let Some(offset) = bytes.iter().position(|&b| b == 0) {
            return Err(DecodeError::Binary { offset });
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(name, text)),
            Err(e) => {
                let (text, malformed) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                if malformed {
                    return Err(DecodeError::NotText {
                        offset: e.valid_up_to(),
                    });
                }
                let mut file = SourceFile::new(name, text.into_owned());
                file.encoding = Some(encoding_rs::GB18030.name());
                Ok(file)
            }
        }
    }

    /// The 0-based line that holds `byte`.
    pub fn line_index(&self, byte: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1)
    }

    /// 1-based line and column of `byte`; the column counts characters, not bytes.
    pub fn line_column(&self, byte: usize) -> (usize, usize) {
        let line = self.line_index(byte);
        let start = self.line_starts[line];
        let end = byte.min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    pub fn slice(&self, span: Range<usize>) -> &str {
        self.text.get(span).unwrap_or("")
    }
}

impl<'a> Files<'a> for SourceFile {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(SourceFile::line_index(self, byte_index))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts.len() - 1,
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(self.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_on_chinese_lines() {
        let f = SourceFile::new("a.yaml", "名称: 信访\n交办: 1022件\n");
        let offset = f.text.find("1022").unwrap();
        assert_eq!(f.line_column(offset), (2, 5));
        assert_eq!(f.line_column(0), (1, 1));
    }

    #[test]
    fn decodes_utf16_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("交办: 1022件\n");
        let f = SourceFile::decode("g.yaml", &gbk).unwrap();
        assert_eq!(f.text, "交办: 1022件\n");
        assert_eq!(f.encoding, Some("gb18030"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "办结: 5件".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let f = SourceFile::decode("u.yaml", &utf16).unwrap();
        assert_eq!(f.text, "办结: 5件");
        assert_eq!(f.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn binary_and_garbage_are_refused_with_an_offset() {
        assert_eq!(
            SourceFile::decode("b", b"PK\x03\x04\x00\x00").unwrap_err(),
            DecodeError::Binary { offset: 4 }
        );
        assert!(matches!(
            SourceFile::decode("x", b"a: \xff\xff\xff").unwrap_err(),
            DecodeError::NotText { offset: 3 }
        ));
    }
}
