//! Where a command's output goes: standard output, or a file (`--output FILE`).
//!
//! A closed pipe (`hecha check … | head`) is not an error: output stops and the run ends
//! with the exit code its findings give. Any other write error ends it with 2.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Seek, Write};
use std::path::Path;

pub struct Output {
    sink: Box<dyn Write>,
    /// Whether the output is the terminal standard error may be drawing on.
    pub terminal: bool,
    /// The reader went away (a closed pipe): further output is dropped.
    closed: bool,
    failed: Option<io::Error>,
    /// While set, output goes to this temporary file, to follow a head made at the end.
    spool: Option<BufWriter<File>>,
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
            spool: None,
        })
    }

    /// Sends what is written from now on to a temporary file (unlinked at once, so nothing
    /// is left behind), until [`Output::unspool`]: for a format whose head holds what is
    /// known only at the end (JUnit's totals), with memory still bounded.
    pub fn spool(&mut self) -> io::Result<()> {
        let path = std::env::temp_dir().join(format!(
            "hecha-spool-{}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        let _ = std::fs::remove_file(&path);
        self.spool = Some(BufWriter::new(file));
        Ok(())
    }

    /// Writes `head`, then what was spooled, and stops spooling.
    pub fn unspool(&mut self, head: &[u8]) {
        let Some(spool) = self.spool.take() else {
            self.write(head);
            return;
        };
        self.write(head);
        let result = spool
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .and_then(|mut file| {
                file.rewind()?;
                if self.closed || self.failed.is_some() {
                    return Ok(());
                }
                io::copy(&mut file, &mut self.sink).map(|_| ())
            });
        self.note(result);
    }

    pub fn write(&mut self, bytes: &[u8]) {
        if self.closed || self.failed.is_some() || bytes.is_empty() {
            return;
        }
        if let Some(spool) = &mut self.spool {
            let result = spool.write_all(bytes);
            self.note(result);
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
