//! Input and output at the edges of the process, through the real binary.
//!
//! Inputs are read with a cap applied while reading (never more than the cap plus one byte), so
//! an endless input — `/dev/zero`, a pipe that never ends — is refused at once with exit 2
//! instead of filling memory. Output goes through one writer that ends the command quietly with
//! exit 0 when the reader has gone away (`aster-config man | head -1`), as `cat` does.

mod common;

use aster_compiler::MAX_SPEC_BYTES;
use common::aster_config;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Stdio};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aster-config"));
    command.env("NO_COLOR", "1");
    command
}

#[test]
fn an_endless_device_as_the_spec_is_refused_at_once_with_exit_2() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let out = scratch.path().join("out");
    for args in [
        vec!["check", "/dev/zero"],
        vec!["check", "--format", "json", "/dev/zero"],
        vec!["build", "/dev/zero", "-o", out.to_str().unwrap()],
        vec![
            "plan",
            "/dev/zero",
            "--root",
            scratch.path().to_str().unwrap(),
        ],
    ] {
        let run = aster_config(&args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("/dev/zero") && stderr.contains(&MAX_SPEC_BYTES.to_string()),
            "{args:?}: the message names the input and the cap: {stderr}"
        );
        // An uncapped read of the device would never end (nor exit 2): no time is asserted.
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(!out.exists(), "build wrote output for /dev/zero");
}

#[test]
fn an_endless_standard_input_is_refused_with_exit_2() {
    let mut child = binary()
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aster-config");
    let mut stdin = child.stdin.take().expect("stdin");
    // Writes until the command stops reading; the broken pipe that ends this is expected.
    let writer = std::thread::spawn(move || {
        let block = vec![b'#'; 64 * 1024];
        while stdin.write_all(&block).is_ok() {}
    });
    let output = child.wait_with_output().expect("wait");
    writer.join().expect("writer thread");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("standard input"), "{stderr}");
}

#[test]
fn a_regular_file_over_the_cap_is_a_spec_error_with_its_code() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec = scratch.path().join("huge.toml");
    let mut text = String::from("[system]\nhostname = \"big\"\n#");
    text.push_str(&"x".repeat(3 * MAX_SPEC_BYTES));
    std::fs::write(&spec, text).expect("write spec");
    let run = aster_config(&["check", spec.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("AC0103"), "{stderr}");
    assert!(
        stderr.contains(&format!("at most {MAX_SPEC_BYTES}")),
        "{stderr}"
    );
}

/// Runs `args` with stdout piped, reads one line (when `read_first_line`), closes the pipe and
/// checks the command ended quietly with success.
fn ends_quietly_when_the_reader_goes_away(args: &[&str], read_first_line: bool) {
    let mut child = binary()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aster-config");
    let stdout = child.stdout.take().expect("stdout");
    if read_first_line {
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        assert!(!line.is_empty(), "{args:?} printed nothing");
    } else {
        drop(stdout);
    }
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?} (first line read: {read_first_line}): {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(stderr.trim().is_empty(), "{args:?} is not quiet: {stderr}");
}

#[test]
fn a_closed_output_pipe_ends_every_printing_command_quietly() {
    for args in [
        &["completions", "fish"][..],
        &["completions", "bash"],
        &["completions", "zsh"],
        &["man"],
        &["schema"],
        &["explain"],
        &["caps"],
        &["packages"],
    ] {
        ends_quietly_when_the_reader_goes_away(args, true);
        ends_quietly_when_the_reader_goes_away(args, false);
    }
}
