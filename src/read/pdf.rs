//! A PDF's text layer → prose. Filled in below.

use crate::problem::Problem;
use crate::read::prose::lexicon::Lexicon;
use crate::read::{Limits, Read};
use crate::source::SourceFile;

/// Reads a PDF's text layer as a report written in prose.
pub fn read(name: String, bytes: &[u8], limits: &Limits, lexicon: &Lexicon) -> Read {
    let _ = (bytes, limits, lexicon);
    Read::unusable(
        SourceFile::new(name, ""),
        Problem::new(
            "format-not-read",
            "文件是PDF 文档，此版本的 hecha 还不能读取",
        ),
    )
}
