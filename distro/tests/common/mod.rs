//! Helpers shared by the distro's integration tests.
//!
//! `shellcheck` lints one script and fails the test when shellcheck is not
//! installed: `.ci/test` installs it, so a missing linter is a broken set-up,
//! never a reason to pass quietly.

use std::path::Path;
use std::process::Command;

/// Runs shellcheck on `path`, as `shell` (`-s sh`, `-s bash`) when given,
/// else by the script's shebang, and fails the test on any finding or when
/// shellcheck cannot be run.
pub fn shellcheck(path: &Path, shell: Option<&str>) {
    let mut command = Command::new("shellcheck");
    if let Some(shell) = shell {
        command.args(["-s", shell]);
    }
    let output = command.arg(path).output().unwrap_or_else(|error| {
        panic!("cannot run shellcheck ({error}); apt-get install shellcheck, as .ci/test does")
    });
    assert!(
        output.status.success(),
        "shellcheck:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
