//! `aster-config fmt [--check] FILES…`: rewrite specs in the canonical layout.
//!
//! A file that does not parse is never rewritten: its read or TOML diagnostics are printed and
//! the run ends with 1. `--check` writes nothing and prints a unified diff of every file that
//! would change (exit 1 when one would). `-` formats standard input to standard output.

use super::{
    EXIT_OK, EXIT_SPEC_ERRORS, read_spec,
    render::{Style, usage_error},
};
use aster_compiler::format::{FormatError, format};
use std::path::{Path, PathBuf};

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write nothing; print a diff and exit 1 when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// The spec files (`-` formats standard input to standard output).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Changed,
    Failed(u8),
}

pub fn run(args: &Args, style: &Style) -> u8 {
    let mut worst = EXIT_OK;
    let mut changed = 0;
    for path in &args.files {
        match one(path, args.check, style) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Failed(code) => worst = worst.max(code),
        }
    }
    if args.check && changed > 0 {
        style.status(&format!(
            "{changed} file(s) would be reformatted; run `aster-config fmt` without --check"
        ));
        worst = worst.max(EXIT_SPEC_ERRORS);
    }
    worst
}

fn one(path: &Path, check: bool, style: &Style) -> Outcome {
    let (bytes, name, dir) = match read_spec(path) {
        Ok(read) => read,
        Err(message) => return Outcome::Failed(usage_error(&message)),
    };
    let formatted = match std::str::from_utf8(&bytes)
        .ok()
        .filter(|_| bytes.len() <= aster_compiler::MAX_SPEC_BYTES)
        .map(format)
    {
        Some(Ok(formatted)) => formatted,
        Some(Err(FormatError::ChangedMeaning)) => {
            return Outcome::Failed(usage_error(&format!(
                "{name}: formatting would change what the file means, so it was left alone; \
                 this is a bug in aster-config (AC0001), please report it with the file"
            )));
        }
        Some(Err(FormatError::NotToml)) | None => {
            return not_formattable(&bytes, &name, dir.as_deref(), style);
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    if path.as_os_str() == "-" {
        if !check {
            say_raw!("{formatted}");
        }
        return changed_or_not(check, &text, &formatted, &name);
    }
    if formatted == text {
        return Outcome::Unchanged;
    }
    if check {
        return changed_or_not(check, &text, &formatted, &name);
    }
    match aster_compiler::output::atomic::write_atomic(path, formatted.as_bytes()) {
        Ok(()) => {
            style.status(&format!("{name}: formatted"));
            Outcome::Changed
        }
        Err(error) => Outcome::Failed(usage_error(&format!(
            "cannot write {}: {error}",
            path.display()
        ))),
    }
}

/// Under `--check`, prints the diff of a file that would change.
fn changed_or_not(check: bool, text: &str, formatted: &str, name: &str) -> Outcome {
    if text == formatted {
        return Outcome::Unchanged;
    }
    if check {
        let diff = similar::TextDiff::from_lines(text, formatted);
        say_raw!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&format!("a/{name}"), &format!("b/{name}"))
        );
    }
    Outcome::Changed
}

/// Prints why a file cannot be formatted: the diagnostics `check` gives for reading and parsing.
fn not_formattable(bytes: &[u8], name: &str, dir: Option<&Path>, style: &Style) -> Outcome {
    let checked = aster_compiler::check(aster_compiler::Input {
        name,
        bytes,
        base_dir: dir,
    });
    let mut read_problems = aster_compiler::Diagnostics::new();
    for diagnostic in checked.diagnostics.iter().filter(|d| {
        d.code.phase() == aster_compiler::diagnostic::Phase::Read
            && d.severity == aster_compiler::Severity::Error
    }) {
        read_problems.push(diagnostic.clone());
    }
    style.diagnostics(name, checked.source.as_ref(), &read_problems);
    style.status(&format!("{name}: not formatted (it does not parse)"));
    Outcome::Failed(EXIT_SPEC_ERRORS)
}
