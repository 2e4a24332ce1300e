//! Running `nixos-rebuild <action>` and streaming its output.
//!
//! The command is `nixos-rebuild <action> -I nixos-config=<root>/etc/nixos/configuration.nix
//! [-I nixpkgs=<store path>] [--target-host HOST] [--rollback]`. `-I nixos-config=…` is always
//! passed, also for `/`, so the rebuild builds exactly the files that were just installed,
//! whatever `NIX_PATH` says; `-I nixpkgs=…` when the spec has a lock (see [`super::pin`]).
//!
//! The child writes to two log files in the state folder (`rebuild.out`, `rebuild.err`) rather
//! than to pipes: if aster-config dies, `nixos-rebuild` is not killed by a broken pipe halfway
//! through an activation, and the full output stays on disk. This module follows the files and
//! hands each line to a callback, with a tick when the child has been quiet for a while; the CLI
//! decides how to show them (and draws the spinner).

use super::DeployError;
use super::pin::Nixpkgs;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The program, looked up on `PATH`.
pub const PROGRAM: &str = "nixos-rebuild";

/// How long the child may be silent before the callback gets [`Event::Quiet`].
pub const QUIET_AFTER: Duration = Duration::from_millis(800);

const POLL: Duration = Duration::from_millis(50);

/// One `nixos-rebuild` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildCommand {
    /// The action, e.g. `test`.
    pub action: String,
    /// The `configuration.nix` to build.
    pub configuration: PathBuf,
    /// Deploy to this host over SSH instead of this machine.
    pub target_host: Option<String>,
    /// Go back to the previous system generation instead of building.
    pub rollback: bool,
    /// Build from this locked nixpkgs (`-I nixpkgs=<store path>`) instead of `<nixpkgs>`.
    pub nixpkgs: Option<Nixpkgs>,
}

impl RebuildCommand {
    /// The arguments after the program name.
    pub fn args(&self) -> Vec<OsString> {
        let mut config = OsString::from("nixos-config=");
        config.push(&self.configuration);
        let mut args = vec![OsString::from(&self.action), "-I".into(), config];
        if let Some(nixpkgs) = &self.nixpkgs {
            args.push("-I".into());
            args.push(format!("nixpkgs={}", nixpkgs.store_path).into());
        }
        if let Some(host) = &self.target_host {
            args.push("--target-host".into());
            args.push(host.into());
        }
        if self.rollback {
            args.push("--rollback".into());
        }
        args
    }

    /// The command as a shell line, quoted where needed.
    pub fn display(&self) -> String {
        std::iter::once(OsString::from(PROGRAM))
            .chain(self.args())
            .map(|arg| shell_quote(&arg.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The program's full path on `PATH`, if it is there.
pub fn find_program() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(PROGRAM))
        .find(|candidate| {
            fs::metadata(candidate).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt as _;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            })
        })
}

/// What the child did, as it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'a> {
    /// A line on its standard output.
    Stdout(&'a str),
    /// A line on its standard error.
    Stderr(&'a str),
    /// No output for a while; the time since it started.
    Quiet(Duration),
}

/// How the rebuild ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// True when it exited with status 0.
    pub success: bool,
    /// Its exit status, in words (`exit status 1`, `signal 9`).
    pub status: String,
    /// The last lines of its standard error (at most [`TAIL_LINES`]).
    pub stderr_tail: Vec<String>,
    /// How long it ran.
    pub elapsed: Duration,
    /// Where its full output is.
    pub logs: (PathBuf, PathBuf),
}

/// How many lines of standard error an [`Outcome`] keeps.
pub const TAIL_LINES: usize = 25;

/// Starts the rebuild with its output in `log_dir`, calls `started` with its process id, then
/// `on_event` for every line and quiet spell until it exits.
pub fn run(
    program: &Path,
    command: &RebuildCommand,
    log_dir: &Path,
    started: impl FnOnce(u32) -> Result<(), DeployError>,
    mut on_event: impl FnMut(Event<'_>),
) -> Result<Outcome, DeployError> {
    fs::create_dir_all(log_dir).map_err(DeployError::io(log_dir))?;
    let out_path = log_dir.join("rebuild.out");
    let err_path = log_dir.join("rebuild.err");
    let out_file = File::create(&out_path).map_err(DeployError::io(&out_path))?;
    let err_file = File::create(&err_path).map_err(DeployError::io(&err_path))?;
    let spawn_error = |e| DeployError::Spawn(program.display().to_string(), e);
    let mut child = Command::new(program)
        .args(command.args())
        .stdin(Stdio::null())
        .stdout(out_file)
        .stderr(err_file)
        .spawn()
        .map_err(spawn_error)?;
    let begun = Instant::now();
    started(child.id())?;
    super::fault::hit(super::fault::Fault::DuringRebuild);
    let mut out = Follower::open(&out_path)?;
    let mut err = Follower::open(&err_path)?;
    let mut tail: Vec<String> = Vec::new();
    let mut last_output = Instant::now();
    let status = loop {
        let exited = child.try_wait().map_err(spawn_error)?;
        let mut any = out.poll(exited.is_some(), |line| on_event(Event::Stdout(line)));
        any |= err.poll(exited.is_some(), |line| {
            tail.push(line.to_owned());
            if tail.len() > TAIL_LINES {
                tail.remove(0);
            }
            on_event(Event::Stderr(line));
        });
        if let Some(status) = exited {
            break status;
        }
        if any {
            last_output = Instant::now();
        } else {
            if last_output.elapsed() >= QUIET_AFTER {
                on_event(Event::Quiet(begun.elapsed()));
            }
            std::thread::sleep(POLL);
        }
    };
    Ok(Outcome {
        success: status.success(),
        status: describe(status),
        stderr_tail: tail,
        elapsed: begun.elapsed(),
        logs: (out_path, err_path),
    })
}

fn describe(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit status {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => "unknown status".to_owned(),
    }
}

/// Reads new complete lines from a growing file.
struct Follower {
    file: File,
    pending: Vec<u8>,
}

impl Follower {
    fn open(path: &Path) -> Result<Self, DeployError> {
        Ok(Self {
            file: File::open(path).map_err(DeployError::io(path))?,
            pending: Vec::new(),
        })
    }

    /// Hands every new complete line (and, when `finished`, the last partial one) to `each`;
    /// true when there was new output.
    fn poll(&mut self, finished: bool, mut each: impl FnMut(&str)) -> bool {
        let mut chunk = Vec::new();
        let _ = self.file.read_to_end(&mut chunk);
        let any = !chunk.is_empty();
        self.pending.extend_from_slice(&chunk);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            each(String::from_utf8_lossy(&line[..end]).trim_end_matches('\r'));
        }
        if finished && !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            each(&String::from_utf8_lossy(&line));
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::RebuildCommand;
    use std::path::PathBuf;

    #[test]
    fn the_command_names_the_configuration_and_quotes_for_the_shell() {
        let command = RebuildCommand {
            action: "test".to_owned(),
            configuration: PathBuf::from("/tmp/my root/etc/nixos/configuration.nix"),
            target_host: Some("root@web-01".to_owned()),
            rollback: false,
            nixpkgs: None,
        };
        assert_eq!(
            command.display(),
            "nixos-rebuild test -I 'nixos-config=/tmp/my root/etc/nixos/configuration.nix' --target-host root@web-01"
        );
        let pinned = RebuildCommand {
            nixpkgs: Some(crate::pin::Nixpkgs {
                url: "https://example.org/n.tar.gz".to_owned(),
                rev: None,
                sha256: "0".repeat(52),
                store_path: "/nix/store/ms37m6i4z2hfa1lm7a6lch7lw9vcr26l-source".to_owned(),
            }),
            target_host: None,
            ..command
        };
        assert_eq!(
            pinned.display(),
            "nixos-rebuild test -I 'nixos-config=/tmp/my root/etc/nixos/configuration.nix' -I nixpkgs=/nix/store/ms37m6i4z2hfa1lm7a6lch7lw9vcr26l-source"
        );
    }
}
