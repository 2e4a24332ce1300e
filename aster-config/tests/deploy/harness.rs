//! A throwaway machine for the deploy tests: a temporary root, the recording `nixos-rebuild`
//! first on `PATH`, specs copied from `examples/`, and helpers to run the real binary and read
//! what it left.

#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use crate::common::root as workspace;

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None`: killed by a signal, e.g. the fault injection's abort).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: &Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the exit code is `code`.
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// A temporary machine.
pub struct Machine {
    _dir: tempfile::TempDir,
    pub base: PathBuf,
    pub root: PathBuf,
    bin: PathBuf,
    control: PathBuf,
    log: PathBuf,
    specs: PathBuf,
}

impl Machine {
    /// A root with nothing in it.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().to_path_buf();
        fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).unwrap();
        let root = base.join("root");
        let bin = base.join("bin");
        let control = base.join("control");
        let specs = base.join("specs");
        for folder in [&root, &bin, &control, &specs] {
            fs::create_dir_all(folder).unwrap();
        }
        let fake = bin.join("nixos-rebuild");
        fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/deploy/fake-nixos-rebuild.sh"),
            &fake,
        )
        .unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
        Machine {
            log: base.join("rebuild.log"),
            _dir: dir,
            base,
            root,
            bin,
            control,
            specs,
        }
    }

    /// A freshly installed Asterinas NixOS: the installer's configuration.nix, the machine's
    /// hardware-configuration.nix and the distro's files.
    pub fn installed() -> Self {
        let machine = Machine::empty();
        let etc = machine.etc();
        fs::create_dir_all(etc.join("asterinas/modules")).unwrap();
        fs::write(etc.join("hardware-configuration.nix"), HARDWARE).unwrap();
        fs::write(
            etc.join("aster_configuration.nix"),
            "{ ... }: { imports = [ ./asterinas/modules/core.nix ]; }\n",
        )
        .unwrap();
        fs::write(etc.join("asterinas/modules/core.nix"), "{ ... }: { }\n").unwrap();
        fs::write(etc.join("configuration.nix"), INSTALLER_CONFIGURATION).unwrap();
        machine
    }

    /// `<root>/etc/nixos`.
    pub fn etc(&self) -> PathBuf {
        self.root.join("etc/nixos")
    }

    /// `<root>/var/lib/aster-config`.
    pub fn state(&self) -> PathBuf {
        self.root.join("var/lib/aster-config")
    }

    /// Copies `examples/<name>` (and the files it references) into this machine's spec folder.
    pub fn spec(&self, name: &str) -> PathBuf {
        let examples = workspace().join("examples");
        copy_tree(&examples, &self.specs);
        self.specs.join(name)
    }

    /// Replaces `from` with `to` in a copied spec (or a file beside it); panics when absent.
    pub fn edit(file: &Path, from: &str, to: &str) {
        let text = fs::read_to_string(file).unwrap();
        assert!(text.contains(from), "{} has no {from:?}", file.display());
        fs::write(file, text.replacen(from, to, 1)).unwrap();
    }

    /// Runs `aster-config ARGS` with the fake first on PATH.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// Runs `aster-config ARGS` with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        Run::from(&self.command(args, env).output().expect("run aster-config"))
    }

    /// The command, not started.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(env!("CARGO_BIN_EXE_aster-config"));
        command
            .args(args)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("FAKE_REBUILD_LOG", &self.log)
            .env("FAKE_REBUILD_DIR", &self.control)
            .env_remove("ASTER_CONFIG_FAULT");
        for (key, value) in env {
            command.env(key, value);
        }
        command
    }

    /// `apply SPEC --root ROOT --yes` plus `extra`.
    pub fn apply(&self, spec: &Path, extra: &[&str]) -> Run {
        let mut args = vec![
            "apply",
            spec.to_str().unwrap(),
            "--root",
            self.root.to_str().unwrap(),
            "--yes",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `SUBCOMMAND ... --root ROOT`.
    pub fn at_root(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--root", self.root.to_str().unwrap()]);
        self.run(&all)
    }

    /// Makes the next rebuilds exit with `code`.
    pub fn rebuild_exits(&self, code: i32) {
        fs::write(self.control.join("exit"), code.to_string()).unwrap();
    }

    /// Makes the next rebuilds sleep `seconds` first.
    pub fn rebuild_sleeps(&self, seconds: u32) {
        fs::write(self.control.join("sleep"), seconds.to_string()).unwrap();
    }

    /// The fake's log, one entry per line.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The `args:` lines of the log.
    pub fn rebuild_calls(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter_map(|l| l.strip_prefix("args: "))
            .map(str::to_owned)
            .collect()
    }

    /// Every regular file under `<root>/etc/nixos` (staging folders included), by path.
    pub fn etc_files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.etc(), &self.etc(), &mut files);
        files
    }

    /// The managed files as aster-config would install them: `etc_files` without the
    /// machine's and the distro's files.
    pub fn managed_files(&self) -> BTreeMap<String, Vec<u8>> {
        self.etc_files()
            .into_iter()
            .filter(|(path, _)| {
                !["hardware-configuration.nix", "aster_configuration.nix"].contains(&path.as_str())
                    && !path.starts_with("asterinas/")
            })
            .collect()
    }

    /// A hash of every path, type, mode and content under the root: "nothing was touched".
    pub fn root_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hash_tree(&self.root, &self.root, &mut hasher);
        format!("{:x}", hasher.finalize())
    }
}

/// Polls `condition` for up to 10 seconds.
pub fn wait_for(condition: impl Fn() -> bool) {
    for _ in 0..200 {
        if condition() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out");
}

/// The files `aster-config build` produces for `spec`, as the library computes them.
pub fn compiled(spec: &Path) -> BTreeMap<String, Vec<u8>> {
    let bytes = fs::read(spec).unwrap();
    let name = spec.file_name().unwrap().to_string_lossy().into_owned();
    let built = aster_compiler::build(aster_compiler::Input {
        name: &name,
        bytes: &bytes,
        base_dir: spec.parent(),
    });
    built.output.expect("the spec builds").files().clone()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if !target.exists() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.insert(relative, fs::read(&path).unwrap());
        }
    }
}

fn hash_tree(base: &Path, dir: &Path, hasher: &mut Sha256) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = fs::symlink_metadata(&path).unwrap();
        hasher.update(
            path.strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(format!(" {:o}\n", meta.permissions().mode()).as_bytes());
        if meta.is_dir() {
            hash_tree(base, &path, hasher);
        } else if meta.is_file() {
            hasher.update(fs::read(&path).unwrap());
        }
    }
}

const HARDWARE: &str = "# Do not modify this file! It was generated by nixos-generate-config.\n{ ... }: {\n  fileSystems.\"/\" = { device = \"/dev/vda2\"; fsType = \"ext2\"; };\n}\n";

const INSTALLER_CONFIGURATION: &str = "# Written by the Asterinas NixOS installer.\n{ ... }: {\n  imports = [ ./aster_configuration.nix ./hardware-configuration.nix ];\n}\n";
