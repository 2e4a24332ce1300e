//! `aster-config passwd USER` as a person runs it: on a terminal, the password typed twice with no
//! echo. The real binary runs under a pseudo-terminal made by `script` (util-linux); the test
//! waits for each prompt before typing, as a person would, and then checks that the password
//! never reached the screen, that the hash file is mode 0600 and that it holds a SHA-512 crypt
//! hash of exactly what was typed (compared with `openssl passwd -6`).
//!
//! Prerequisites: `script` and `openssl`. Outside CI a missing one skips the test with a note on
//! stderr; in CI (`CI` set) it fails.

#![allow(clippy::print_stderr)]

use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long to wait for a prompt before giving up: a guard against a hung test, not a
/// performance assertion.
const PROMPT_GUARD: Duration = Duration::from_mins(2);

fn available(program: &str, arg: &str) -> bool {
    let found = Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program}` is required in CI for the terminal test of `passwd`"
        );
        eprintln!("skipped: `{program}` is not installed");
    }
    found
}

/// `'…'` for `sh -c`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The terminal's output so far, read by a thread.
struct Screen {
    chunks: Receiver<Vec<u8>>,
    seen: Vec<u8>,
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    /// Reads until `needle` has appeared on the screen (after `from` bytes).
    fn wait_for(&mut self, needle: &str, from: usize) -> usize {
        let deadline = Instant::now() + PROMPT_GUARD;
        loop {
            if let Some(at) =
                String::from_utf8_lossy(&self.seen[from.min(self.seen.len())..]).find(needle)
            {
                return from + at + needle.len();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no `{needle}` on the terminal; it shows:\n{}", self.text())
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the terminal closed before `{needle}`; it shows:\n{}",
                    self.text()
                ),
            }
        }
    }

    /// Everything until the terminal closes.
    fn drain(&mut self) {
        while let Ok(chunk) = self.chunks.recv_timeout(PROMPT_GUARD) {
            self.seen.extend(chunk);
        }
    }
}

/// Starts `aster-config ARGS` on a pseudo-terminal; its keyboard and its screen.
fn on_terminal(args: &[&str]) -> (Child, ChildStdin, Screen) {
    let mut command_line = shell_quote(env!("CARGO_BIN_EXE_aster-config"));
    for arg in args {
        command_line.push(' ');
        command_line.push_str(&shell_quote(arg));
    }
    let mut child = Command::new("script")
        .args([
            "--quiet",
            "--return",
            "--command",
            &command_line,
            "/dev/null",
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start script");
    let keyboard = child.stdin.take().expect("stdin");
    let mut output = child.stdout.take().expect("stdout");
    let (send, chunks) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0_u8; 4096];
        while let Ok(n) = output.read(&mut buffer) {
            if n == 0 || send.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let screen = Screen {
        chunks,
        seen: Vec::new(),
    };
    (child, keyboard, screen)
}

#[test]
fn passwd_on_a_terminal_asks_twice_without_echo_and_writes_a_private_hash() {
    if !available("script", "--version") || !available("openssl", "version") {
        return;
    }
    let machine = tempfile::tempdir().expect("temp dir");
    let root_arg = machine.path().to_str().expect("utf-8 path");
    let password = "Tr0ub4dor&3 horse";
    let (mut child, mut keyboard, mut screen) =
        on_terminal(&["passwd", "alice", "--root", root_arg]);

    let after_first = screen.wait_for("New password for alice: ", 0);
    writeln!(keyboard, "{password}").expect("type the password");
    keyboard.flush().expect("flush");
    screen.wait_for("Type it again: ", after_first);
    writeln!(keyboard, "{password}").expect("type it again");
    keyboard.flush().expect("flush");
    screen.drain();
    drop(keyboard);
    let status = child.wait().expect("wait for script");
    let shown = screen.text();
    assert!(status.success(), "passwd failed on the terminal:\n{shown}");
    assert!(
        !shown.contains(password),
        "the password was shown on the terminal:\n{shown}"
    );
    assert!(
        shown.contains("hashed-password-file = \"/etc/secrets/alice.hash\""),
        "{shown}"
    );

    let file = machine.path().join("etc/secrets/alice.hash");
    let mode = std::fs::metadata(&file)
        .expect("the hash file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the hash file is mode {mode:o}");
    let hash = std::fs::read_to_string(&file).expect("read the hash");
    let hash = hash.trim_end();
    assert!(hash.starts_with("$6$"), "not a SHA-512 crypt hash: {hash}");
    let salt = hash.split('$').nth(2).expect("a salt");
    let reference = Command::new("openssl")
        .args(["passwd", "-6", "-salt", salt, password])
        .output()
        .expect("openssl passwd");
    assert_eq!(
        String::from_utf8_lossy(&reference.stdout).trim(),
        hash,
        "the hash does not verify against the password typed"
    );
}

#[test]
fn passwd_on_a_terminal_writes_nothing_when_the_two_passwords_differ() {
    if !available("script", "--version") {
        return;
    }
    let machine = tempfile::tempdir().expect("temp dir");
    let root_arg = machine.path().to_str().expect("utf-8 path");
    let (mut child, mut keyboard, mut screen) =
        on_terminal(&["passwd", "alice", "--root", root_arg]);
    let after_first = screen.wait_for("New password for alice: ", 0);
    writeln!(keyboard, "first secret").expect("type");
    keyboard.flush().expect("flush");
    screen.wait_for("Type it again: ", after_first);
    writeln!(keyboard, "second secret").expect("type");
    keyboard.flush().expect("flush");
    screen.drain();
    drop(keyboard);
    let status = child.wait().expect("wait for script");
    let shown = screen.text();
    assert_eq!(status.code(), Some(2), "{shown}");
    assert!(shown.contains("the two passwords differ"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(!machine.path().join("etc/secrets/alice.hash").exists());
}
