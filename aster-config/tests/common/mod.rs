//! Helpers shared by the integration tests: paths and folder listings, the real binary (also on a
//! practice root), the required tools (nixpkgs lib, check-jsonschema), and the real Nix.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Where the real nixpkgs `lib` folder is: `NIXPKGS_LIB`, else the vendored copy beside the
/// checkout (`../shared/vendor/nixpkgs-lib/lib`, which CI has); `Err` names the folder that has
/// no `default.nix`. A pure lookup: it neither prints nor fails (see [`nixpkgs_lib`]).
pub fn find_nixpkgs_lib() -> Result<PathBuf, PathBuf> {
    let candidate = std::env::var_os("NIXPKGS_LIB").map_or_else(
        || root().join("../shared/vendor/nixpkgs-lib/lib"),
        PathBuf::from,
    );
    if candidate.join("default.nix").is_file() {
        Ok(candidate)
    } else {
        Err(candidate)
    }
}

/// The real nixpkgs `lib` folder ([`find_nixpkgs_lib`]). Without it, under `CI` the test fails;
/// elsewhere it says on stderr that it was skipped and returns `None`.
#[allow(clippy::print_stderr)] // the skip notice goes where cargo test shows it
pub fn nixpkgs_lib() -> Option<PathBuf> {
    match find_nixpkgs_lib() {
        Ok(lib) => Some(lib),
        Err(candidate) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "the nixpkgs lib is required in CI: {} has no default.nix (set NIXPKGS_LIB)",
                candidate.display()
            );
            eprintln!(
                "skipped: no nixpkgs lib at {} (set NIXPKGS_LIB)",
                candidate.display()
            );
            None
        }
    }
}

/// `check-jsonschema` (from `PyPI`), the independent JSON Schema validator: `CHECK_JSONSCHEMA` or on the
/// `PATH`. Under `CI` a missing validator fails the test; elsewhere it says on stderr that the test
/// was skipped and returns `None`.
#[allow(clippy::print_stderr)] // the skip notice goes where cargo test shows it
pub fn json_schema_validator() -> Option<Command> {
    let candidates = [
        std::env::var("CHECK_JSONSCHEMA").ok(),
        Some("check-jsonschema".to_owned()),
    ];
    for candidate in candidates.into_iter().flatten() {
        if Command::new(&candidate)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(Command::new(candidate));
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "check-jsonschema is required in CI (.ci/test installs it)"
    );
    eprintln!("skipped: check-jsonschema not installed (the README's test command installs it)");
    None
}

/// `*.toml` files directly in `dir`, sorted.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Every file under `dir`, relative to it, sorted. With `with_folders` the folders are listed
/// too. Symbolic links are listed, never followed.
pub fn paths_under(dir: &Path, with_folders: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("dir entry").path();
            let is_folder = std::fs::symlink_metadata(&path).expect("metadata").is_dir();
            if !is_folder || with_folders {
                let relative = path.strip_prefix(dir).expect("below the folder");
                found.push(relative.display().to_string());
            }
            if is_folder {
                pending.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Every file under `dir`, relative to it, sorted ([`paths_under`] without folders).
pub fn files_under(dir: &Path) -> Vec<String> {
    paths_under(dir, false)
}

/// Runs the real `aster-config` binary with colour off.
pub fn aster_config(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run aster-config")
}

/// Runs the real binary as `aster-config ARGS --root MACHINE` on a practice root: no
/// `nixos-rebuild` on `PATH` (so the rebuild step is skipped under `--root`), no terminal, colour
/// off.
pub fn practise<I>(machine: &Path, args: I) -> Output
where
    I: IntoIterator,
    I::Item: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_aster-config"))
        .args(args)
        .arg("--root")
        .arg(machine)
        .env("NO_COLOR", "1")
        .env("PATH", machine.join("no-bin"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run aster-config")
}

/// Runs `command` with `stdin` written to its standard input and its output captured. A command
/// that refuses before reading (no terminal, no `--stdin`) may have closed its input already:
/// that broken pipe is expected, any other write error fails the test.
pub fn output_with_stdin(command: &mut Command, stdin: &str) -> Output {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    if let Err(error) = written {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "write stdin: {error}"
        );
    }
    child.wait_with_output().expect("wait")
}

/// Runs the real `nix-instantiate` with `args` against the store `store` (`NIX_REMOTE`, e.g.
/// `dummy://`): its standard output, or its standard error when it fails. Fails the test when
/// Nix is missing: the test command installs `nix-bin`.
pub fn try_nix_instantiate(
    store: impl AsRef<std::ffi::OsStr>,
    args: &[&dyn AsRef<std::ffi::OsStr>],
) -> Result<String, String> {
    let output = Command::new("nix-instantiate")
        .args(args)
        .env("NIX_REMOTE", store)
        .output()
        .unwrap_or_else(|e| panic!("nix-instantiate is needed (apt-get install nix-bin): {e}"));
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// [`try_nix_instantiate`] that must succeed: its standard output; a failure fails the test with
/// Nix's error.
pub fn nix_instantiate(
    store: impl AsRef<std::ffi::OsStr>,
    args: &[&dyn AsRef<std::ffi::OsStr>],
) -> String {
    try_nix_instantiate(store, args).unwrap_or_else(|stderr| panic!("{stderr}"))
}

/// Parses every file with the real `nix-instantiate --parse` (one process per batch) and returns
/// the failures. Fails the test when Nix is missing: the test command installs `nix-bin`.
pub fn nix_parse_failures(files: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let output = Command::new("nix-instantiate")
            .arg("--parse")
            .arg(file)
            .env("NIX_REMOTE", "dummy://")
            .output()
            .unwrap_or_else(|e| panic!("nix-instantiate is needed (apt-get install nix-bin): {e}"));
        if !output.status.success() {
            failures.push(format!(
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    failures
}

/// Replaces machine-specific paths in tool output.
pub fn scrub(text: &str, replacements: &[(&Path, &str)]) -> String {
    let mut text = text.to_owned();
    for (path, name) in replacements {
        text = text.replace(&path.display().to_string(), name);
    }
    text
}
