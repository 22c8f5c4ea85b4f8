//! Many independent jobs on every core, their results handed on in job order.
//!
//! Workers take jobs in order and may finish them in any order; each result waits in a
//! reorder buffer until every earlier one has been handed on. A worker does not start a
//! job more than a window of jobs ahead of the next one to hand on, so the results held
//! at any time are bounded by the window — by the number of threads, not of jobs —
//! however long one slow job takes.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How far ahead of the next result to hand on a worker may start, per thread.
const AHEAD_PER_THREAD: usize = 8;

/// Runs `work(i)` for every `i` in `0..count` on `threads` threads, and calls
/// `emit(i, result)` in order of `i` on the calling thread, as soon as each result and
/// all before it are ready. `idle` is called on the calling thread about every `tick`
/// while it waits (for a progress display). A panic in `work` is resumed here once the
/// other workers have stopped.
///
/// A worker thread that cannot be started (the system is out of threads or memory) is
/// not a panic: the jobs run on the threads that did start, or on the calling thread if
/// none did, and the first error is returned for the caller to report.
pub fn ordered<T: Send>(
    count: usize,
    threads: usize,
    work: impl Fn(usize) -> T + Sync,
    emit: impl FnMut(usize, T),
    tick: Duration,
    idle: impl FnMut(),
) -> Option<std::io::Error> {
    ordered_with(count, threads, None, work, emit, tick, idle)
}

/// [`ordered`], with workers of the given stack size (for tests: a size the system
/// refuses makes a thread that cannot be started).
fn ordered_with<T: Send>(
    count: usize,
    threads: usize,
    stack: Option<usize>,
    work: impl Fn(usize) -> T + Sync,
    mut emit: impl FnMut(usize, T),
    tick: Duration,
    mut idle: impl FnMut(),
) -> Option<std::io::Error> {
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        for i in 0..count {
            emit(i, work(i));
            idle();
        }
        return None;
    }
    let window = threads * AHEAD_PER_THREAD;
    // The next job to start, the next result to hand on, and whether to stop.
    let state = Mutex::new((0usize, 0usize, false));
    let wake = Condvar::new();
    let (send, receive) = mpsc::channel();
    let mut refused = None;
    let mut started = 0;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let send = send.clone();
            let (state, wake, work) = (&state, &wake, &work);
            let mut builder = std::thread::Builder::new();
            if let Some(size) = stack {
                builder = builder.stack_size(size);
            }
            let spawned = builder.spawn_scoped(scope, move || {
                loop {
                    let i = {
                        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                        while !s.2 && s.0 < count && s.0 >= s.1 + window {
                            s = wake.wait(s).unwrap_or_else(|e| e.into_inner());
                        }
                        if s.2 || s.0 >= count {
                            return;
                        }
                        s.0 += 1;
                        s.0 - 1
                    };
                    let result = panic::catch_unwind(AssertUnwindSafe(|| work(i)));
                    let failed = result.is_err();
                    if send.send((i, result)).is_err() || failed {
                        return;
                    }
                }
            });
            match spawned {
                Ok(_) => started += 1,
                Err(e) => {
                    refused.get_or_insert(e);
                }
            }
        }
        drop(send);
        if started == 0 {
            // No worker: the calling thread does the work, in order.
            for i in 0..count {
                emit(i, work(i));
                idle();
            }
            return;
        }
        let mut pending = BTreeMap::new();
        let mut next = 0;
        let stop = |state: &Mutex<(usize, usize, bool)>| {
            state.lock().unwrap_or_else(|e| e.into_inner()).2 = true;
            wake.notify_all();
        };
        while next < count {
            let (i, result) = match receive.recv_timeout(tick) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    idle();
                    continue;
                }
                // Every worker has stopped: only a panic can leave results missing.
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            match result {
                Ok(value) => {
                    pending.insert(i, value);
                }
                Err(payload) => {
                    stop(&state);
                    panic::resume_unwind(payload);
                }
            }
            let before = next;
            while let Some(value) = pending.remove(&next) {
                emit(next, value);
                next += 1;
            }
            if next != before {
                state.lock().unwrap_or_else(|e| e.into_inner()).1 = next;
                wake.notify_all();
                idle();
            }
        }
        stop(&state);
    });
    refused
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_thread_that_cannot_start_is_an_error_not_a_panic() {
        let mut seen = Vec::new();
        let refused = ordered_with(
            20,
            4,
            Some(1 << 50),
            |i| i * 2,
            |i, v| seen.push((i, v)),
            Duration::from_millis(10),
            || {},
        );
        assert!(refused.is_some(), "a 1 PiB stack cannot be had");
        assert_eq!(seen, (0..20).map(|i| (i, i * 2)).collect::<Vec<_>>());
    }

    #[test]
    fn results_come_in_order_whatever_finishes_first() {
        for threads in [1, 2, 7] {
            let mut seen = Vec::new();
            ordered(
                100,
                threads,
                |i| {
                    // Early jobs take longest.
                    std::thread::sleep(Duration::from_micros(((100 - i) * 20) as u64));
                    i * 2
                },
                |i, v| seen.push((i, v)),
                Duration::from_millis(10),
                || {},
            );
            let expected: Vec<_> = (0..100).map(|i| (i, i * 2)).collect();
            assert_eq!(seen, expected, "{threads} threads");
        }
    }

    #[test]
    fn a_slow_job_holds_back_at_most_a_window_of_results() {
        let started = AtomicUsize::new(0);
        let most_ahead = AtomicUsize::new(0);
        let emitted = AtomicUsize::new(0);
        ordered(
            200,
            2,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                let ahead = i - emitted.load(Ordering::SeqCst).min(i);
                most_ahead.fetch_max(ahead, Ordering::SeqCst);
                if i == 0 {
                    std::thread::sleep(Duration::from_millis(50));
                }
            },
            |_, ()| {
                emitted.fetch_add(1, Ordering::SeqCst);
            },
            Duration::from_millis(5),
            || {},
        );
        assert_eq!(started.load(Ordering::SeqCst), 200);
        assert!(most_ahead.load(Ordering::SeqCst) <= 2 * AHEAD_PER_THREAD);
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller() {
        let result = panic::catch_unwind(|| {
            ordered(
                50,
                2,
                |i| assert!(i != 20, "job 20 fails"),
                |_, ()| {},
                Duration::from_millis(5),
                || {},
            )
        });
        assert!(result.is_err());
    }
}
