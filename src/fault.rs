//! Faults injected on purpose, so tests can prove that a build that fails
//! or dies at a bad moment loses nothing.
//!
//! Debug builds (the binary the tests run) read `HTTPCODES_FAULT`:
//!
//! | value | effect |
//! | --- | --- |
//! | `panic-in-render` | a panic while pages are rendered |
//! | `disk-full:N` | writing fails with "no space left" after N files |
//! | `abort-before-swap` | the process dies once the new site is staged |
//! | `abort-after-swap` | the process dies once the new site is in place |
//!
//! Release builds compile all of this out.

use std::io;

/// The fault asked for, in debug builds only.
fn requested() -> Option<String> {
    if cfg!(debug_assertions) {
        std::env::var("HTTPCODES_FAULT").ok()
    } else {
        None
    }
}

/// Panics or aborts here if the fault named `point` is requested.
pub fn inject(point: &str) {
    if requested().as_deref() != Some(point) {
        return;
    }
    if point.starts_with("abort") {
        std::process::abort();
    }
    panic!("fault injected for a test: {point}");
}

/// Fails like a full disk when `disk-full:N` is requested and `written`
/// files are already written.
pub fn disk_full(written: usize) -> io::Result<()> {
    let limit =
        requested().and_then(|fault| fault.strip_prefix("disk-full:")?.parse::<usize>().ok());
    match limit {
        Some(limit) if written >= limit => Err(io::Error::from(io::ErrorKind::StorageFull)),
        _ => Ok(()),
    }
}
