//! Where a command's output goes: standard output, or a file (`--output FILE`).
//!
//! A closed pipe (`hecha check … | head`) is not an error: output stops and the run ends
//! with the exit code its findings give. Any other write error ends it with 2.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

pub struct Output {
    sink: Box<dyn Write>,
    /// Whether the output is the terminal standard error may be drawing on.
    pub terminal: bool,
    /// The reader went away (a closed pipe): further output is dropped.
    closed: bool,
    failed: Option<io::Error>,
}

impl Output {
    /// Standard output, or the file at `path`, created (or emptied) now.
    pub fn open(path: Option<&Path>) -> io::Result<Output> {
        let (sink, terminal): (Box<dyn Write>, bool) = match path {
            Some(path) => (Box::new(BufWriter::new(File::create(path)?)), false),
            None => (
                Box::new(BufWriter::new(io::stdout())),
                io::stdout().is_terminal(),
            ),
        };
        Ok(Output {
            sink,
            terminal,
            closed: false,
            failed: None,
        })
    }

    pub fn write(&mut self, bytes: &[u8]) {
        if self.closed || self.failed.is_some() || bytes.is_empty() {
            return;
        }
        let result = self.sink.write_all(bytes);
        // A person watching a terminal sees each file's diagnostics as they come.
        let result = result.and_then(|()| {
            if self.terminal {
                self.sink.flush()
            } else {
                Ok(())
            }
        });
        self.note(result);
    }

    fn note(&mut self, result: io::Result<()>) {
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.closed = true,
            Err(e) => self.failed = Some(e),
        }
    }

    /// Flushes what is buffered; the error, if writing failed at any point.
    pub fn finish(mut self) -> Result<(), io::Error> {
        if !self.closed && self.failed.is_none() {
            let result = self.sink.flush();
            self.note(result);
        }
        match self.failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
