//! The README's tour, run verbatim: the commands are read from README.md's two tour blocks (so
//! this test breaks when the README changes) and run in order through `/bin/sh` in an empty
//! folder, with the real binary as `aster-config` on a `PATH` that has no `nixos-rebuild`.
//!
//! Each line runs as written, except:
//! - the SSH key is pasted into `system.toml` where the README's comment says, after checking
//!   that `check` refuses the placeholder as the README warns (AC0206);
//! - `lock … --nixpkgs URL` is skipped: it downloads nixpkgs;
//! - `import /etc/nixos/configuration.nix` reads the `configuration.nix` the tour's own
//!   `build --full` wrote, since this machine has no `/etc/nixos`;
//! - `sudo` needs root: those lines run without it under `--root MACHINE` (the practice the README
//!   describes), `passwd` reading the password from `--stdin`, `apply` and `rollback` with
//!   `--yes` since there is no terminal to confirm on;
//! - `lsp` talks to an editor on standard input: it gets an initialize/shutdown/exit session.
//!
//! The deploy block runs against a practice root holding an installer's `configuration.nix`, as a
//! freshly installed machine has, so `rollback` has the installer's files to go back to.

mod common;

use common::root;
use std::path::Path;
use std::process::{Command, Output};

/// A syntactically valid Ed25519 public key line (not anyone's key).
const TEST_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl tour@example";

/// The `sh` code block that follows the first line of `readme` starting with `after`.
fn block_after<'a>(readme: &'a str, after: &str) -> Vec<&'a str> {
    let start = readme
        .lines()
        .position(|l| l.starts_with(after))
        .unwrap_or_else(|| panic!("README.md has no line starting with {after:?}"));
    let mut lines = readme.lines().skip(start).skip_while(|l| *l != "```sh");
    assert_eq!(lines.next(), Some("```sh"), "no sh block after {after:?}");
    lines.take_while(|l| *l != "```").collect()
}

/// The command of a line, without its trailing comment (two or more spaces, then `#`).
fn command_of(line: &str) -> &str {
    let mut end = line.len();
    if let Some(at) = line.find("  #") {
        end = at;
    }
    line[..end].trim()
}

/// One LSP session: initialize, initialized, shutdown, exit.
fn lsp_session() -> String {
    let messages = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ];
    let mut session = String::new();
    for body in messages {
        session.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    }
    session
}

struct Tour {
    dir: tempfile::TempDir,
    path: std::ffi::OsString,
}

impl Tour {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = dir.path().join(".bin");
        std::fs::create_dir_all(&bin).expect("bin");
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_aster-config"), bin.join("aster-config"))
            .expect("link the binary");
        let path = std::env::join_paths([bin]).expect("PATH");
        Tour { dir, path }
    }

    fn folder(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `command` with `sh -c` in the tour's folder, feeding `stdin`.
    fn sh(&self, command: &str, stdin: &str) -> Output {
        common::output_with_stdin(
            Command::new("/bin/sh")
                .args(["-c", command])
                .current_dir(self.folder())
                .env("PATH", &self.path)
                .env("NO_COLOR", "1"),
            stdin,
        )
    }

    /// Runs `command` and panics with its output unless it exits 0.
    fn ok(&self, command: &str, stdin: &str) -> Output {
        let output = self.sh(command, stdin);
        assert_eq!(
            output.status.code(),
            Some(0),
            "`{command}` failed\n--- stdout\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Pastes the key the way the README's comment says: the `ssh-keys` line of `system.toml`
    /// becomes the line the comment shows, with a whole key.
    fn paste_key(&self, comments: &[&str]) {
        let shown = comments
            .iter()
            .find_map(|c| {
                c.trim_start_matches('#')
                    .trim()
                    .strip_prefix("ssh-keys = [\"ssh-ed25519 ")
            })
            .expect("the tour shows the `ssh-keys = [\"ssh-ed25519 …\"]` line to write");
        assert!(shown.ends_with("\"]"), "{shown}");
        assert!(
            comments.iter().any(|c| c.contains("[users.admin]")),
            "the tour says where the key goes"
        );
        let spec = self.folder().join("system.toml");
        let text = std::fs::read_to_string(&spec).expect("system.toml");
        let mut in_admin = false;
        let mut pasted = 0;
        let edited: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with('[') {
                    in_admin = line == "[users.admin]";
                }
                if in_admin && line.starts_with("ssh-keys = ") {
                    pasted += 1;
                    format!("ssh-keys = [\"{TEST_KEY}\"]")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        assert_eq!(
            pasted, 1,
            "system.toml has one ssh-keys line under [users.admin]"
        );
        std::fs::write(&spec, edited.join("\n") + "\n").expect("write system.toml");
    }
}

#[test]
fn the_readme_tour_works_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let tour = Tour::new();
    let mut comments = Vec::new();
    let mut ran = Vec::new();
    for line in block_after(&readme, "## A short tour") {
        if line.trim_start().starts_with('#') {
            comments.push(line);
            continue;
        }
        let command = command_of(line);
        if command.is_empty() {
            continue;
        }
        if command.contains("--nixpkgs URL") {
            continue; // downloads nixpkgs
        }
        let first_check = command.starts_with("aster-config check ")
            && !ran
                .iter()
                .any(|c: &String| c.starts_with("aster-config check "));
        if first_check {
            // The README's warning holds: the placeholder key is refused until it is replaced.
            let refused = tour.sh(command, "");
            assert_eq!(refused.status.code(), Some(1));
            let said =
                String::from_utf8_lossy(&refused.stdout) + String::from_utf8_lossy(&refused.stderr);
            assert!(said.contains("AC0206"), "{said}");
            tour.paste_key(&comments);
        }
        let (command, stdin) = if let Some(rest) = command.strip_prefix("sudo ") {
            assert!(
                rest.starts_with("aster-config passwd "),
                "unexpected sudo line: {line}"
            );
            (
                format!("{rest} --stdin --root machine"),
                "a long practice password\n".to_owned(),
            )
        } else if command == "aster-config lsp" {
            (command.to_owned(), lsp_session())
        } else if command.contains(" /etc/nixos/configuration.nix") {
            assert!(tour.folder().join("etc-nixos/configuration.nix").is_file());
            (
                command.replace(
                    " /etc/nixos/configuration.nix",
                    " etc-nixos/configuration.nix",
                ),
                String::new(),
            )
        } else {
            (command.to_owned(), String::new())
        };
        tour.ok(&command, &stdin);
        ran.push(command);
    }
    assert!(
        ran.iter().any(|c| c.starts_with("aster-config check ")),
        "the tour checks the spec"
    );
    for made in [
        "system.toml",
        "aster-config.schema.json",
        "out/configuration.nix",
        "etc-nixos/configuration.nix",
        "imported.toml",
        "man/aster-config.1",
        "machine/etc/secrets/alice.hash",
    ] {
        assert!(
            tour.folder().join(made).is_file(),
            "the tour made no {made}"
        );
    }
    practise_the_deploy_block(&readme, &tour);
}

/// The deploy block, practised under `--root machine` on a machine with the installer's files.
fn practise_the_deploy_block(readme: &str, tour: &Tour) {
    let etc = tour.folder().join("machine/etc/nixos");
    std::fs::create_dir_all(&etc).expect("etc/nixos");
    let installer =
        std::fs::read(root().join("tests/fixtures/import/configuration.nix")).expect("fixture");
    std::fs::write(etc.join("configuration.nix"), &installer).expect("installer's file");
    let mut ran = Vec::new();
    for line in block_after(readme, "Then hand it to the machine") {
        let command = command_of(line);
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        let command = command.strip_prefix("sudo ").unwrap_or(command);
        let confirm = if command.starts_with("aster-config apply ")
            || command.starts_with("aster-config rollback")
        {
            " --yes"
        } else {
            ""
        };
        let output = tour.ok(&format!("{command} --root machine{confirm}"), "");
        ran.push((command.to_owned(), output));
    }
    let names: Vec<&str> = ran.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "aster-config plan system.toml",
            "aster-config apply system.toml",
            "aster-config generations",
            "aster-config rollback",
        ]
    );
    let stderr = |i: usize| String::from_utf8_lossy(&ran[i].1.stderr).into_owned();
    assert!(
        stderr(1).contains("the rebuild step is skipped"),
        "{}",
        stderr(1)
    );
    assert!(
        stderr(3).contains("the files of generation 1 are back"),
        "{}",
        stderr(3)
    );
    // The rollback put the installer's file back, byte for byte.
    assert_eq!(
        std::fs::read(etc.join("configuration.nix")).expect("configuration.nix"),
        installer
    );
}
