//! Figure parsing: any text is a figure, plain text or an overflow, never a panic.
#![no_main]

use hecha::figure::{Bound, Figure};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(Some(figure)) = Figure::parse(text) {
        let _ = figure.display();
        let _ = figure.dimension();
        if figure.bound == Bound::Stated {
            assert!(
                figure.interval.contains(figure.value),
                "{text:?}: {:?} outside {:?}",
                figure.value,
                figure.interval
            );
        }
    }
});
