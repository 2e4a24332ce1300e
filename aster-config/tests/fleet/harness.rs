//! A fleet to test with: examples/fleet copied into a temporary folder, pinned to a local
//! stand-in for nixpkgs (a tarball the harness writes: a copy of the real nixpkgs `lib` and an
//! `eval-config.nix` that calls `lib.evalModules` without checks), locked with the real
//! `nix-prefetch-url` into a private Nix store under the same folder. The stand-in alone
//! ([`standin_tarball`]) is what the single-spec lock tests (tests/lock.rs) pin to.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use crate::common::root as workspace;

/// The real nixpkgs lib ([`crate::common::find_nixpkgs_lib`]); required here, in CI or not.
pub fn nixpkgs_lib() -> PathBuf {
    let lib = crate::common::find_nixpkgs_lib().unwrap_or_else(|candidate| {
        panic!(
            "the fleet tests need the nixpkgs lib: {} has no default.nix (set NIXPKGS_LIB)",
            candidate.display()
        )
    });
    lib.canonicalize().expect("nixpkgs lib")
}

/// A fleet in a temporary folder.
pub struct Fleet {
    _dir: tempfile::TempDir,
    /// The temporary folder.
    pub base: PathBuf,
    /// The fleet's folder (a copy of examples/fleet).
    pub dir: PathBuf,
    /// The private Nix store (`NIX_REMOTE`).
    pub store: PathBuf,
}

/// Copies the folder `from` into `to` as plain files (no executable bits, whatever the checkout
/// gave them), so a copy's contents are the same on every machine.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::write(&target, std::fs::read(entry.path()).expect("read")).expect("write");
        }
    }
}

/// Writes the stand-in for nixpkgs into `base/standin/` and packs it as `base/standin.tar.gz`;
/// returns the tarball's `file://` URL. Its contents (and so its NAR hash) are the same on every
/// machine.
pub fn standin_tarball(base: &Path) -> String {
    let lib = nixpkgs_lib();
    let standin = base.join("standin");
    std::fs::create_dir_all(standin.join("nixos/lib")).expect("mkdir");
    // The stand-in carries its own copy of the lib, so its content (and so the lock's hashes)
    // is the same wherever the checkout and the vendored lib live.
    copy_dir(&lib, &standin.join("lib"));
    std::fs::write(
        standin.join("default.nix"),
        concat!(
            "{ system ? \"x86_64-linux\", overlays ? [ ], config ? { }, ... }:\n{\n",
            "  lib = import ./lib;\n  path = ./.;\n  inherit system overlays config;\n",
            // Package names a build checks against the locked tree (tests/lock.rs).
            "  hello = { };\n  htop = { };\n  vim = { };\n}\n",
        ),
    )
    .expect("write");
    std::fs::write(
        standin.join("nixos/lib/eval-config.nix"),
        "{ modules ? [ ], specialArgs ? { }, ... }:\n(import ../../lib).evalModules {\n  inherit specialArgs;\n  modules = modules ++ [ { _module.check = false; } ];\n}\n",
    )
    .expect("write");
    let status = Command::new("tar")
        .args(["-czf", "standin.tar.gz", "standin"])
        .current_dir(base)
        .status()
        .expect("tar");
    assert!(status.success());
    format!("file://{}/standin.tar.gz", base.display())
}

impl Fleet {
    /// examples/fleet, pinned to the stand-in tarball (colmena pin dropped: no network here).
    pub fn example() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().canonicalize().expect("canonical");
        let url = standin_tarball(&base);
        let fleet_dir = base.join("fleet");
        copy_dir(&workspace().join("examples/fleet"), &fleet_dir);
        let file = fleet_dir.join("fleet.toml");
        let text = std::fs::read_to_string(&file).expect("read");
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("colmena = "))
            .map(|l| {
                if l.starts_with("nixpkgs = ") {
                    format!("nixpkgs = \"{url}\"\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(&file, text).expect("write");
        Fleet {
            store: base.join("store"),
            dir: fleet_dir,
            base,
            _dir: dir,
        }
    }

    /// The fleet file.
    pub fn file(&self) -> PathBuf {
        self.dir.join("fleet.toml")
    }

    /// Runs the real binary in the fleet's folder with the private store.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run aster-config")
    }

    /// The command, for callers that change its environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_aster-config"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .env("NIX_REMOTE", &self.store)
            .stdin(std::process::Stdio::null());
        command
    }

    /// Locks the fleet with the real nix-prefetch-url; panics when that fails.
    pub fn lock(&self) {
        let output = self.run(&["lock", "fleet.toml"]);
        assert!(
            output.status.success(),
            "lock failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Replaces the base folder by `<base>` in `text` (snapshots do not depend on it).
    pub fn scrub(&self, text: &str) -> String {
        text.replace(&self.base.display().to_string(), "<base>")
    }
}
