//! A one-line progress counter on standard error, for long batches: shown only when
//! standard error is a terminal, and only once a run has taken long enough to need one.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long a run goes before the counter appears, and how often it is redrawn.
const DELAY: Duration = Duration::from_millis(300);
const EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    total: usize,
    enabled: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            enabled: std::io::stderr().is_terminal(),
            started: Instant::now(),
            drawn: None,
        }
    }

    /// Redraws the counter if it is due.
    pub fn update(&mut self, done: usize) {
        if !self.enabled || self.started.elapsed() < DELAY {
            return;
        }
        if self.drawn.is_some_and(|at| at.elapsed() < EVERY) {
            return;
        }
        let percent = done * 100 / self.total.max(1);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[Khecha: checked {done}/{} files ({percent}%)",
            self.total
        );
        let _ = err.flush();
        self.drawn = Some(Instant::now());
    }

    /// Erases the counter, at the end, or before output that goes to the same terminal.
    pub fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}
