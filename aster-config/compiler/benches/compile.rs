//! Compile speed and memory, as ratios against named anchors (`cargo bench -p aster-config`).
//!
//! Anchors: `toml-parse` is `toml_edit` parsing the same text — the least any TOML tool must do —
//! so "check/toml-parse = 6.0x" means the whole check costs six parses. Memory is the process's
//! peak resident set (`VmHWM`) after compiling a large generated spec, against the peak before.
//! Numbers are printed, never asserted: timings belong in benchmarks, not tests.

// A benchmark reports by printing; the sizes printed are far below f64's exact range.
#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn time_per_run(mut run: impl FnMut()) -> Duration {
    run(); // warm up
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < Duration::from_millis(400) || runs < 5 {
        run();
        runs += 1;
    }
    start.elapsed() / runs
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn large_spec() -> String {
    let mut text = String::from("[packages]\ninstall = [\n");
    for i in 0..20_000 {
        text.push_str(&format!("  \"pkg{i}\",\n"));
    }
    text.push_str("]\nallow-untested = [\"pkg0\"]\n");
    for i in 0..500 {
        text.push_str(&format!("[users.user{i}]\ngroups = [\"wheel\"]\nssh-keys = [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyMaterial{i} u@h\"]\n"));
    }
    text
}

fn main() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    println!(
        "{:<28} {:>12} {:>12} {:>12} {:>10} {:>10}",
        "spec", "toml-parse", "check", "build", "check/x", "build/x"
    );
    let mut specs: Vec<(String, Vec<u8>, Option<std::path::PathBuf>)> = files
        .iter()
        .map(|f| {
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(f).unwrap(),
                f.parent().map(Path::to_path_buf),
            )
        })
        .collect();
    specs.push((
        "large (20k packages)".to_owned(),
        large_spec().into_bytes(),
        None,
    ));
    let before = peak_rss_kib();
    for (name, bytes, dir) in &specs {
        let text = std::str::from_utf8(bytes).unwrap();
        let input = aster_compiler::Input {
            name,
            bytes,
            base_dir: dir.as_deref(),
        };
        let anchor = time_per_run(|| {
            black_box(text.parse::<toml_edit::Document<String>>().ok());
        });
        let check = time_per_run(|| {
            black_box(aster_compiler::check(input));
        });
        let build = time_per_run(|| {
            black_box(aster_compiler::build(input));
        });
        let ratio = |d: Duration| d.as_secs_f64() / anchor.as_secs_f64();
        println!(
            "{name:<28} {anchor:>12.2?} {check:>12.2?} {build:>12.2?} {:>9.1}x {:>9.1}x",
            ratio(check),
            ratio(build)
        );
    }
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        println!(
            "peak RSS: {before} KiB before, {after} KiB after the large spec ({:.1}x the anchor 'process start')",
            after as f64 / before as f64
        );
    }
}
