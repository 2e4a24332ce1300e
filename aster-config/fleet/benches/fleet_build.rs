//! Benchmark: `fleet build` of generated fleets of 1,000 and 10,000 hosts (a shared base, small
//! per-host differences), in process: read, merge, compile every host, emit, write.
//!
//! `cargo bench -p aster-fleet --bench fleet_build` builds each size `FLEET_BENCH_RUNS` times
//! (default 3) and prints each time, the median, the best, the peak resident set of the process
//! during a build, and the ratio of the medians;
//! `cargo bench -p aster-fleet --bench fleet_build -- --generate DIR N` only writes a fleet of N
//! hosts to DIR (with a lock), to measure the real binary's peak memory with `/usr/bin/time -v`.
//! Figures are recorded in docs/src/benchmarks.md. Not a test: nothing here asserts a time.

#![allow(clippy::print_stdout, missing_docs)]

use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        let dir = Path::new(&args[at + 1]);
        let hosts: usize = args[at + 2].parse().expect("a host count");
        aster_fleet::sample::generate(dir, hosts).expect("write the fleet");
        println!("wrote a fleet of {hosts} hosts to {}", dir.display());
        return;
    }
    let runs: usize = std::env::var("FLEET_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut medians = Vec::new();
    for hosts in [1_000, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        aster_fleet::sample::generate(dir.path(), hosts).expect("write the fleet");
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        // Every run writes a folder of its own: removing one makes the next run's file creation
        // slower on some file systems (ext4 skips recently freed inodes).
        for run in 0..runs {
            reset_peak_memory();
            let start = Instant::now();
            let built = aster_fleet::build(
                &dir.path().join("fleet.toml"),
                &aster_compiler::Options::default(),
                &dir.path().join(format!("out-{run}")),
            );
            let elapsed = start.elapsed().as_secs_f64();
            match built.written {
                Some(Ok(files)) => println!(
                    "fleet build, {hosts} hosts, run {}: {elapsed:.3} s ({files} files)",
                    run + 1
                ),
                Some(Err(error)) => panic!("cannot write the output: {error}"),
                None => panic!(
                    "the generated fleet does not build: {:?}",
                    built.checked.report.codes()
                ),
            }
            times.push(elapsed);
            peaks.extend(peak_memory_mib());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let peak = peaks
            .iter()
            .copied()
            .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
        println!(
            "fleet build, {hosts} hosts: median {median:.3} s, best {:.3} s, peak resident {}",
            times[0],
            peak.map_or_else(|| "unknown".to_owned(), |p| format!("{p:.1} MiB")),
        );
        medians.push(median);
    }
    println!(
        "10,000 / 1,000 hosts: {:.2}x the time (medians)",
        medians[1] / medians[0]
    );
}

/// Resets the process's peak resident set (Linux: `/proc/self/clear_refs`), so that each run
/// reports its own peak.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident set since the last reset, in MiB (Linux: `VmHWM`).
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
