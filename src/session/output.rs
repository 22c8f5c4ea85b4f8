//! Where a command's output goes: standard output, or a file (`--output FILE`).
//!
//! A closed pipe (`hecha check … | head`) is not an error: output stops and the run ends
//! with the exit code its findings give. Any other write error ends it with 2.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};

pub struct Output {
    sink: Box<dyn Write>,
    /// For a file: the temporary file written, renamed over the target by
    /// [`Output::finish`] only when every byte was written.
    file: Option<Atomic>,
    /// Whether the output is the terminal standard error may be drawing on.
    pub(crate) terminal: bool,
    /// The reader went away (a closed pipe): further output is dropped.
    closed: bool,
    failed: Option<io::Error>,
    /// While set, output goes to this temporary file, to follow a head made at the end.
    spool: Option<BufWriter<File>>,
}

impl Output {
    /// Standard output, or the file at `path`, created (or emptied) now.
    pub fn open(path: Option<&Path>) -> io::Result<Output> {
        let mut file = None;
        let (sink, terminal): (Box<dyn Write>, bool) = match path {
            Some(path) => {
                let atomic = Atomic::create(path)?;
                let sink = atomic.file.try_clone()?;
                file = Some(atomic);
                (Box::new(BufWriter::new(sink)), false)
            }
            None => (
                Box::new(BufWriter::new(io::stdout())),
                io::stdout().is_terminal(),
            ),
        };
        Ok(Output {
            sink,
            file,
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

    /// Flushes what is buffered; the error, if writing failed at any point. A file is
    /// put in place only now, whole: if anything failed (a full disk), the file that was
    /// there before is left as it was.
    pub fn finish(mut self) -> Result<(), io::Error> {
        if !self.closed && self.failed.is_none() {
            let result = self.sink.flush();
            self.note(result);
        }
        drop(self.sink);
        match (self.failed, self.file) {
            (Some(e), Some(file)) => {
                file.abandon();
                Err(e)
            }
            (Some(e), None) => Err(e),
            (None, Some(file)) => file.commit(),
            (None, None) => Ok(()),
        }
    }
}

/// A file written beside its target under a temporary name and renamed over it once
/// complete, so that a reader never sees half of it and a failed write loses nothing.
pub struct Atomic {
    file: File,
    temporary: PathBuf,
    target: PathBuf,
}

impl Atomic {
    pub fn create(target: &Path) -> io::Result<Atomic> {
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let mut temporary_name = std::ffi::OsString::from(".");
        temporary_name.push(name);
        temporary_name.push(format!(".hecha-{}.tmp", std::process::id()));
        let temporary = target.with_file_name(temporary_name);
        let file = File::create(&temporary)?;
        Ok(Atomic {
            file,
            temporary,
            target: target.to_path_buf(),
        })
    }

    /// Puts the file in place.
    pub fn commit(self) -> io::Result<()> {
        let result = self
            .file
            .sync_all()
            .and_then(|()| std::fs::rename(&self.temporary, &self.target));
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temporary);
        }
        result
    }

    /// Leaves the target as it was.
    pub fn abandon(self) {
        let _ = std::fs::remove_file(&self.temporary);
    }
}

/// Writes `bytes` to `path` atomically ([`Atomic`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut atomic = Atomic::create(path)?;
    match atomic.file.write_all(bytes) {
        Ok(()) => atomic.commit(),
        Err(e) => {
            atomic.abandon();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_previous_file() {
        let dir = std::env::temp_dir().join(format!("hecha-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.json");
        std::fs::write(&path, "previous").unwrap();
        let mut output = Output::open(Some(&path)).unwrap();
        output.write(b"new, half");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "previous",
            "not in place yet"
        );
        output.failed = Some(io::Error::other("disk full"));
        assert!(output.finish().is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous");
        let mut output = Output::open(Some(&path)).unwrap();
        output.write(b"new, whole");
        output.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new, whole");
        write_atomically(&path, b"baseline").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "baseline");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
