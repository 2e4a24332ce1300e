//! Times loading the embedded catalogs, the distro's and the kernel's (all tables decoded):
//! `cargo bench -p aster-distro --bench load`.
//!
//! Prints the fastest and the median of many loads, in microseconds. `aster_distro::catalog()`
//! and `aster_kernel::kernel()` pay this at most once per process (the kernel per table, on first
//! use), so it bounds how fast any `aster-config` command can start.
//! A plain program (`harness = false`) keeps the workspace free of a benchmark framework.

#![allow(clippy::print_stdout, reason = "a benchmark program reports on stdout")]

use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let times = time(200, || {
        black_box(aster_distro::Catalog::load_embedded());
    });
    report("aster_distro::Catalog::load_embedded", &times);
    let times = time(200, || {
        black_box(aster_kernel::Kernel::load_embedded());
    });
    report("aster_kernel::Kernel::load_embedded", &times);
}

/// Runs `load` `runs` times (after one warm-up run) and returns the sorted durations.
fn time(runs: usize, mut load: impl FnMut()) -> Vec<Duration> {
    load();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            load();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, sorted: &[Duration]) {
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{what}: min {:.1} µs, median {:.1} µs over {} runs",
        micros(sorted[0]),
        micros(sorted[sorted.len() / 2]),
        sorted.len()
    );
}
