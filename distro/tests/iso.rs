//! Tests for the installer ISO's login hook, `distro/nixos/iso/login.sh`.
//!
//! The ISO itself needs nixpkgs to evaluate; what it does at a login is this
//! script, which `iso/default.nix` puts into `environment.loginShellInit`
//! after `aster_auto_install=0|1`. Each test sources it in a real `sh` with
//! stand-ins on `PATH` for `id`, `tty`, `aster-nixos-install` and `poweroff`
//! that record what they were asked, and with the starter spec and the
//! once-per-boot marker moved into a scratch folder.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

fn login_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("nixos/iso/login.sh")
}

/// What one login did.
struct Login {
    stdout: String,
    /// Lines the stand-ins wrote: `install ARGS…` and `poweroff`.
    calls: Vec<String>,
    code: i32,
}

/// A scratch machine: a home, the starter spec, the marker and the stand-ins.
struct Iso {
    dir: TempDir,
}

impl Iso {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("home")).expect("home");
        fs::create_dir(dir.path().join("bin")).expect("bin");
        fs::write(dir.path().join("starter.toml"), "spec-version = 1\n").expect("starter");
        let iso = Self { dir };
        iso.stand_in("id", "echo \"$FAKE_UID\"");
        iso.stand_in("tty", "echo \"$FAKE_TTY\"");
        iso.stand_in(
            "aster-nixos-install",
            "echo \"install $*\" >> \"$CALLS\"\nexit \"$FAKE_INSTALL_STATUS\"",
        );
        iso.stand_in("poweroff", "echo poweroff >> \"$CALLS\"");
        iso
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn stand_in(&self, name: &str, body: &str) {
        let path = self.path("bin").join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write stand-in");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    /// Sources the hook as `/etc/profile` would, after the line default.nix
    /// writes before it.
    fn login(&self, auto_install: bool, uid: u32, tty: &str, install_status: i32) -> Login {
        let calls = self.path("calls.txt");
        let _ = fs::remove_file(&calls);
        let script = format!(
            "aster_auto_install={}\n. '{}'\necho \"after: ${{aster_auto_install-unset}}\"\n",
            u8::from(auto_install),
            login_script().display()
        );
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("sh")
            .args(["-c", &script])
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.path("home"))
            .env("CALLS", &calls)
            .env("FAKE_UID", uid.to_string())
            .env("FAKE_TTY", tty)
            .env("FAKE_INSTALL_STATUS", install_status.to_string())
            .env("aster_starter", self.path("starter.toml"))
            .env("aster_started", self.path("started"))
            .output()
            .expect("run sh");
        Login {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            calls: fs::read_to_string(&calls)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect(),
            code: output.status.code().unwrap_or(-1),
        }
    }
}

const INSTALL: &str = "install --config HOME/aster-config.toml --disk /dev/vda --force-format-disk";

fn calls(iso: &Iso, login: &Login) -> Vec<String> {
    let home = iso.path("home");
    login
        .calls
        .iter()
        .map(|call| call.replace(&home.display().to_string(), "HOME"))
        .collect()
}

#[test]
fn the_hook_is_posix_sh_and_shellcheck_clean() {
    common::shellcheck(&login_script(), Some("sh"));
}

#[test]
fn default_nix_chooses_auto_install_and_reads_the_hook() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("nixos/iso/default.nix"))
            .expect("iso/default.nix");
    assert!(
        text.contains("aster_auto_install=${if autoInstall then \"1\" else \"0\"}"),
        "default.nix no longer sets aster_auto_install from autoInstall"
    );
    assert!(text.contains("builtins.readFile ./login.sh"));
}

#[test]
fn a_failed_unattended_install_still_powers_off() {
    let iso = Iso::new();
    let login = iso.login(true, 0, "/dev/hvc0", 1);
    assert_eq!(login.code, 0, "{}", login.stdout);
    assert_eq!(calls(&iso, &login), [INSTALL, "poweroff"]);
    assert!(
        login
            .stdout
            .contains("aster-nixos-install failed; see the messages above")
    );
    // The starter spec was put in place first, for the installer to read.
    assert_eq!(
        fs::read_to_string(iso.path("home/aster-config.toml")).expect("starter copied"),
        "spec-version = 1\n"
    );
}

#[test]
fn a_successful_unattended_install_powers_off() {
    let iso = Iso::new();
    let login = iso.login(true, 0, "/dev/hvc0", 0);
    assert_eq!(calls(&iso, &login), [INSTALL, "poweroff"]);
    assert!(!login.stdout.contains("failed"), "{}", login.stdout);
}

#[test]
fn the_install_runs_once_per_boot() {
    let iso = Iso::new();
    iso.login(true, 0, "/dev/hvc0", 1);
    // The machine did not power off (say poweroff failed): the next login on
    // the console gets a shell instead of a second installation.
    let again = iso.login(true, 0, "/dev/hvc0", 1);
    assert!(again.calls.is_empty(), "{:?}", again.calls);
    assert!(iso.path("started").exists());
}

#[test]
fn only_root_on_the_virtio_console_installs_unattended() {
    let iso = Iso::new();
    let tty1 = iso.login(true, 0, "/dev/tty1", 0);
    assert!(tty1.calls.is_empty(), "{:?}", tty1.calls);
    assert!(!iso.path("started").exists());

    let user = iso.login(true, 1000, "/dev/hvc0", 0);
    assert!(user.calls.is_empty(), "{:?}", user.calls);
}

#[test]
fn without_auto_install_root_gets_the_starter_spec_and_the_command() {
    let iso = Iso::new();
    let login = iso.login(false, 0, "/dev/hvc0", 0);
    assert!(login.calls.is_empty(), "{:?}", login.calls);
    assert!(
        login.stdout.contains(
            "Edit ~/aster-config.toml, then run:\n  aster-nixos-install --config ~/aster-config.toml --disk /dev/vda --force-format-disk"
        ),
        "{}",
        login.stdout
    );
    // The hook cleans up the variables it used in the user's shell.
    assert!(login.stdout.contains("after: unset"), "{}", login.stdout);

    // An edited spec is never replaced by the starter at the next login.
    fs::write(iso.path("home/aster-config.toml"), "# mine\n").expect("edit");
    let again = iso.login(false, 0, "/dev/hvc0", 0);
    assert!(!again.stdout.contains("Edit ~/aster-config.toml"));
    assert_eq!(
        fs::read_to_string(iso.path("home/aster-config.toml")).expect("spec"),
        "# mine\n"
    );
}
