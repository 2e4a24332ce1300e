//! Tests for `distro/nixos/installer/aster-nixos-install`.
//!
//! Nothing here touches a disk: every run uses `--dry-run`, which prints the
//! plan instead of running it, or stops at argument checking. What the
//! target disk holds is decided by the script's test seam
//! `ASTER_INSTALL_ASSUME_DISK=blank|installed|foreign` (honoured only with
//! `--dry-run`). Temporary directories go to a per-test `TMPDIR`, so the tests
//! can both normalise the printed paths and check that the script cleaned up.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("nixos/installer/aster-nixos-install")
}

/// `--dry-run --config CONFIG --disk DISK`, then `extra`.
fn dry_run_args<'a>(config: &'a str, disk: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--dry-run", "--config", config, "--disk", disk];
    args.extend_from_slice(extra);
    args
}

/// One run of the installer in its own scratch area.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("tmp")).expect("tmp dir");
        fs::create_dir(dir.path().join("bin")).expect("bin dir");
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The TMPDIR the installer uses; must be empty again after every run.
    fn tmp(&self) -> PathBuf {
        self.path("tmp")
    }

    fn write(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        fs::write(&path, text).expect("write file");
        path.to_string_lossy().into_owned()
    }

    /// Writes an executable `aster-config` stand-in into `bin/` that records
    /// its arguments in `args.txt`, then runs `body`.
    fn fake_aster_config(&self, body: &str) {
        let path = self.path("bin/aster-config");
        let record = self.path("args.txt");
        let text = format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '{}'\n{body}\n",
            record.display()
        );
        fs::write(&path, text).expect("write fake");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    fn recorded_args(&self) -> Vec<String> {
        fs::read_to_string(self.path("args.txt"))
            .expect("fake aster-config was not run")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Runs the installer with `args`; `bin/` comes first on PATH.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(script());
        command
            .args(args)
            .env("TMPDIR", self.tmp())
            .env("PATH", path)
            .env_remove("ASTER_CONFIG")
            .env_remove("ASTER_ETC_NIXOS")
            .env_remove("ASTER_INSTALL_ASSUME_DISK")
            .env_remove("ASTER_SUBSTITUTERS")
            .env_remove("ASTER_TRUSTED_PUBLIC_KEYS")
            .env_remove("ASTER_SYSTEM");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("installer runs");
        Run::new(&output, &self.tmp())
    }

    fn assert_cleaned_up(&self) {
        let left: Vec<_> = fs::read_dir(self.tmp())
            .expect("read tmp")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert!(left.is_empty(), "temporary files left behind: {left:?}");
    }
}

/// The outcome of one run, with the random temporary paths replaced by
/// `$TMP/root` (the mount point) and `$TMP/work` (the staging directory).
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn new(output: &Output, tmp: &Path) -> Self {
        let tmp = tmp.to_string_lossy();
        let normalise = |bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes);
            let text = replace_random(
                &text,
                &format!("{tmp}/aster-nixos-install-root."),
                "$TMP/root",
            );
            replace_random(&text, &format!("{tmp}/aster-nixos-install."), "$TMP/work")
        };
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: normalise(&output.stdout),
            stderr: normalise(&output.stderr),
        }
    }

    fn plan(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Replaces `prefix` followed by mktemp's six random characters.
fn replace_random(text: &str, prefix: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        let after = &rest[at + prefix.len()..];
        let random = after.char_indices().nth(6).map_or(after.len(), |(i, _)| i);
        rest = &after[random..];
    }
    out.push_str(rest);
    out
}

const CONFIGURATION_NIX: &str = "{ ... }: { imports = [ ./aster_configuration.nix ]; }\n";

/// The nix options the installer passes by default: upstream's caches.
const UPSTREAM_CACHE_OPTIONS: [&str; 6] = [
    "--option",
    "extra-substituters",
    "'https://aster-nixos-release.cachix.org https://aster-nixos-dev.cachix.org'",
    "--option",
    "extra-trusted-public-keys",
    "'aster-nixos-release.cachix.org-1:xB6U/f5ck5vGDJZ04kPp3zGpZ4Nro9X4+TSSMAETVFE= \
     aster-nixos-dev.cachix.org-1:xrCbE2flfliFTQCY/2HeJoT2tCO+5kMTZeLIUH9lnIA='",
];

/// The commands that wipe a disk, then those that partition it.
fn plan_after_formatting(disk: &str, esp: &str, root: &str) -> Vec<String> {
    let mut plan = vec![
        format!("+ sgdisk --zap-all {disk}"),
        format!("+ partprobe {disk}"),
    ];
    plan.extend(plan_after_partitioning(disk, esp, root));
    plan
}

/// Partitioning and formatting a disk, then the rest of the installation
/// with the default system and caches.
fn plan_after_partitioning(disk: &str, esp: &str, root: &str) -> Vec<String> {
    let mut plan: Vec<String> = [
        format!("+ parted --script {disk} mklabel gpt"),
        format!("+ parted --script {disk} mkpart ESP fat32 1MB 512MB"),
        format!("+ parted --script {disk} set 1 esp on"),
        format!("+ parted --script {disk} mkpart root ext2 512MB 100%"),
        format!("+ partprobe {disk}"),
        format!("+ mkfs.fat -F 32 -n boot {esp}"),
        format!("+ mkfs.ext2 -F -L nixos {root}"),
    ]
    .into();
    plan.extend(plan_from_mount(
        esp,
        root,
        "x86_64-linux",
        &UPSTREAM_CACHE_OPTIONS,
    ));
    plan
}

fn plan_from_mount(esp: &str, root: &str, system: &str, nix_options: &[&str]) -> Vec<String> {
    let options = nix_options
        .iter()
        .fold(String::new(), |acc, option| acc + " " + option);
    vec![
        format!("+ mount -o sync,dirsync {root} $TMP/root"),
        "+ mkdir -p $TMP/root/boot".to_owned(),
        format!("+ mount -o umask=077,sync,dirsync {esp} $TMP/root/boot"),
        "+ mkdir -p $TMP/root/etc/nixos".to_owned(),
        "+ cp -R $TMP/work/etc-nixos/. $TMP/root/etc/nixos/".to_owned(),
        format!(
            "+ nix-build '<nixpkgs/nixos>' -A system \
             --option extra-platforms {system} --argstr system {system} \
             -I nixos-config=$TMP/root/etc/nixos/configuration.nix --no-out-link{options}"
        ),
        format!("+ nixos-install --root $TMP/root --no-root-passwd --system '<system>'{options}"),
        "+ nix-env --store $TMP/root -p $TMP/root/nix/var/nix/profiles/system --delete-generations old"
            .to_owned(),
        "+ nix-store --store $TMP/root --gc".to_owned(),
        "+ umount $TMP/root/boot".to_owned(),
        "+ umount $TMP/root".to_owned(),
    ]
}

// --- the script itself ---------------------------------------------------------

#[test]
fn script_is_shellcheck_clean() {
    common::shellcheck(&script(), None);
}

#[test]
fn script_is_executable_and_strict() {
    let mode = fs::metadata(script())
        .expect("script exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "script must be executable");
    let text = fs::read_to_string(script()).expect("read");
    assert!(text.starts_with("#!/usr/bin/env bash\n"));
    assert!(text.contains("\nset -euo pipefail\n"));
    assert!(text.contains("\ntrap cleanup EXIT\n"));
}

// --- arguments -----------------------------------------------------------------

#[test]
fn help_exits_zero_and_documents_every_flag() {
    let scratch = Scratch::new();
    for flag in ["--help", "-h"] {
        let run = scratch.run(&[flag], &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        for expected in [
            "Usage: aster-nixos-install --config PATH --disk DEVICE",
            "--force-format-disk",
            "--dry-run",
            "--substituters URLS",
            "--trusted-public-keys K",
            "--system SYSTEM",
            "ASTER_CONFIG",
        ] {
            assert!(run.stdout.contains(expected), "{flag}: missing {expected}");
        }
    }
    scratch.assert_cleaned_up();
}

#[test]
fn usage_errors_exit_two_with_a_message() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let cases: [(Vec<&str>, &str); 7] = [
        (vec!["--disk", "/dev/vda"], "missing required --config PATH"),
        (vec!["--config", &config], "missing required --disk DEVICE"),
        (vec!["--config", &config, "--disk"], "--disk needs a value"),
        (
            vec!["--config", &config, "--disk", "/dev/vda", "--bogus"],
            "unknown argument: --bogus",
        ),
        (
            vec!["--config", "/no/such/file.nix", "--disk", "/dev/vda"],
            "no such file",
        ),
        (
            vec!["--config", &config, "--disk", "vda"],
            "must be a device under /dev",
        ),
        (vec![], "missing required --config PATH"),
    ];
    for (args, expected) in cases {
        let run = scratch.run(&args, &[]);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} printed a plan");
    }
    scratch.assert_cleaned_up();
}

// --- the plan ------------------------------------------------------------------

#[test]
fn dry_run_on_a_loop_device_prints_the_whole_plan_with_p_partitions() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(&config, "/dev/loop7", &["--force-format-disk"]),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_after_formatting("/dev/loop7", "/dev/loop7p1", "/dev/loop7p2")
    );
    assert!(
        run.stderr
            .contains("dry run: nothing was changed on /dev/loop7")
    );
    scratch.assert_cleaned_up();
}

#[test]
fn dry_run_on_a_virtio_disk_uses_plain_partition_numbers() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &[
            "--config",
            &config,
            "--disk",
            "/dev/vda",
            "--force-format-disk",
            "--dry-run",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_after_formatting("/dev/vda", "/dev/vda1", "/dev/vda2")
    );
    scratch.assert_cleaned_up();
}

#[test]
fn existing_partitions_are_reused_without_formatting() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(
            &config,
            "/dev/vda",
            &[
                "--substituters",
                "https://a.example https://b.example",
                "--trusted-public-keys=a:1",
            ],
        ),
        &[("ASTER_INSTALL_ASSUME_DISK", "installed")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let options = [
        "--option",
        "extra-substituters",
        "'https://a.example https://b.example'",
        "--option",
        "extra-trusted-public-keys",
        "a:1",
    ];
    assert_eq!(
        run.plan(),
        plan_from_mount("/dev/vda1", "/dev/vda2", "x86_64-linux", &options)
    );
    assert!(
        run.stderr
            .contains("reusing the existing partitions on /dev/vda")
    );
    scratch.assert_cleaned_up();
}

#[test]
fn a_blank_disk_is_partitioned_without_force_format_disk() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(&config, "/dev/loop3", &[]),
        &[("ASTER_INSTALL_ASSUME_DISK", "blank")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Partitioned and formatted as upstream does, with nothing to wipe first.
    assert_eq!(
        run.plan(),
        plan_after_partitioning("/dev/loop3", "/dev/loop3p1", "/dev/loop3p2")
    );
    assert!(
        run.stderr
            .contains("/dev/loop3 is blank; creating the partitions")
    );
    scratch.assert_cleaned_up();
}

#[test]
fn a_disk_with_other_partitions_is_refused_unless_formatting_is_asked_for() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &[]),
        &[("ASTER_INSTALL_ASSUME_DISK", "foreign")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "refused run printed commands:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "/dev/vda has partitions or file systems other than the installer's 'boot' and \
             'nixos' (/dev/vda1, /dev/vda2); pass --force-format-disk to ERASE /dev/vda and \
             create them"
        ),
        "{}",
        run.stderr
    );
    scratch.assert_cleaned_up();

    // With the flag the same disk is wiped and partitioned.
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--force-format-disk"]),
        &[("ASTER_INSTALL_ASSUME_DISK", "foreign")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_after_formatting("/dev/vda", "/dev/vda1", "/dev/vda2")
    );
    scratch.assert_cleaned_up();

    // Formatting is what was asked for, even over an installed layout.
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--force-format-disk"]),
        &[("ASTER_INSTALL_ASSUME_DISK", "installed")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.plan()[0], "+ sgdisk --zap-all /dev/vda");
}

#[test]
fn the_target_system_and_caches_reach_nix_build_and_nixos_install() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--system", "riscv64-linux"]),
        &[("ASTER_INSTALL_ASSUME_DISK", "installed")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_from_mount(
            "/dev/vda1",
            "/dev/vda2",
            "riscv64-linux",
            &UPSTREAM_CACHE_OPTIONS
        )
    );

    // "" turns the caches off; the environment sets defaults (the package
    // and the ISO use it), flags still win.
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--substituters", ""]),
        &[
            ("ASTER_INSTALL_ASSUME_DISK", "installed"),
            ("ASTER_TRUSTED_PUBLIC_KEYS", ""),
            ("ASTER_SYSTEM", "aarch64-linux"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_from_mount("/dev/vda1", "/dev/vda2", "aarch64-linux", &[])
    );

    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--system", "x86"]),
        &[("ASTER_INSTALL_ASSUME_DISK", "installed")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--system must look like x86_64-linux"));
    scratch.assert_cleaned_up();
}

#[test]
fn the_test_seam_only_accepts_known_disk_states() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &[]),
        &[("ASTER_INSTALL_ASSUME_DISK", "yes")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("must be 'blank', 'installed' or 'foreign'")
    );
    assert!(run.stdout.is_empty());
    scratch.assert_cleaned_up();
}

#[test]
fn a_tree_without_aster_configuration_is_refused() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let empty = scratch.path("empty-etc-nixos");
    fs::create_dir(&empty).expect("mkdir");
    let run = scratch.run(
        &dry_run_args(&config, "/dev/vda", &["--force-format-disk"]),
        &[("ASTER_ETC_NIXOS", &empty.to_string_lossy())],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no aster_configuration.nix in"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    scratch.assert_cleaned_up();
}

// --- TOML specs ------------------------------------------------------------------

const SPEC: &str = "spec-version = 1\n[system]\nhostname = \"asterinas\"\n";

#[test]
fn a_failing_compile_stops_before_any_disk_command() {
    let scratch = Scratch::new();
    let spec = scratch.write("system.toml", SPEC);
    scratch.fake_aster_config("echo 'error[AC0101]: unknown key' >&2\nexit 1");
    let run = scratch.run(
        &dry_run_args(&spec, "/dev/vda", &["--force-format-disk"]),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "commands printed after a failed compile:\n{}",
        run.stdout
    );
    assert!(run.stderr.contains("error[AC0101]: unknown key"));
    assert!(
        run.stderr.contains("could not compile")
            && run.stderr.contains("nothing was changed on /dev/vda"),
        "{}",
        run.stderr
    );
    let args = scratch.recorded_args();
    assert_eq!(&args[..3], ["build", "--full", spec.as_str()]);
    assert_eq!(args[3], "-o");
    scratch.assert_cleaned_up();
}

#[test]
fn a_compiled_spec_is_installed_like_a_configuration() {
    let scratch = Scratch::new();
    let spec = scratch.write("system.toml", SPEC);
    scratch.fake_aster_config(
        "out=\"$5\"\nmkdir -p \"$out\"\necho '{ ... }: { }' > \"$out/configuration.nix\"",
    );
    let run = scratch.run(
        &dry_run_args(&spec, "/dev/loop0", &["--force-format-disk"]),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.plan(),
        plan_after_formatting("/dev/loop0", "/dev/loop0p1", "/dev/loop0p2")
    );
    let tmp = scratch.tmp();
    let args = scratch.recorded_args();
    let output_dir = replace_random(
        &args[4],
        &format!("{}/aster-nixos-install.", tmp.display()),
        "$TMP/work",
    );
    assert_eq!(args[..4], ["build", "--full", spec.as_str(), "-o"]);
    assert_eq!(output_dir, "$TMP/work/etc-nixos");
    scratch.assert_cleaned_up();
}

/// The line the compiler writes for a spec's architecture, read from the
/// snapshot of an example's configuration.nix so the installer's reading of
/// it breaks this test when the compiler's output changes.
fn host_platform_line(system: &str) -> String {
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/snapshots/examples/minimal__configuration.nix.snap");
    let text = std::fs::read_to_string(&snapshot).expect("the minimal example's snapshot");
    let line = text
        .lines()
        .find(|line| line.trim_start().starts_with("nixpkgs.hostPlatform = "))
        .expect("the compiler writes nixpkgs.hostPlatform");
    line.replace("x86_64-linux", system)
}

#[test]
fn a_spec_decides_the_system_unless_told_otherwise() {
    let scratch = Scratch::new();
    let spec = scratch.write("system.toml", SPEC);
    scratch.fake_aster_config(&format!(
        "out=\"$5\"\nmkdir -p \"$out\"\nprintf '%s\\n' '{{ ... }}: {{' '{}' '}}' > \"$out/configuration.nix\"",
        host_platform_line("riscv64-linux")
    ));
    let args = dry_run_args(&spec, "/dev/vda", &["--force-format-disk"]);
    // No --system: the spec's architecture is built.
    let run = scratch.run(&args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let build = run
        .plan()
        .into_iter()
        .find(|line| line.starts_with("+ nix-build"))
        .expect("a nix-build line")
        .to_owned();
    assert!(
        build.contains("--option extra-platforms riscv64-linux --argstr system riscv64-linux"),
        "{build}"
    );
    assert!(
        run.stderr.contains("is for riscv64-linux"),
        "{}",
        run.stderr
    );

    // A --system (or ASTER_SYSTEM) that disagrees is refused before any
    // disk command, instead of building for a machine nobody asked for.
    for (flags, env) in [
        (&["--system", "x86_64-linux"][..], &[][..]),
        (&[][..], &[("ASTER_SYSTEM", "x86_64-linux")][..]),
    ] {
        let run = scratch.run(&[args.as_slice(), flags].concat(), env);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.stderr.contains(
                "is for riscv64-linux (its [system] architecture) but --system is x86_64-linux"
            ),
            "{}",
            run.stderr
        );
    }

    // Agreeing is fine.
    let agreeing = [args.as_slice(), &["--system", "riscv64-linux"]].concat();
    let run = scratch.run(&agreeing, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    scratch.assert_cleaned_up();
}

#[test]
fn a_spec_that_yields_no_configuration_is_refused() {
    let scratch = Scratch::new();
    let spec = scratch.write("system.toml", SPEC);
    scratch.fake_aster_config("mkdir -p \"$5\"");
    let run = scratch.run(
        &dry_run_args(&spec, "/dev/vda", &["--force-format-disk"]),
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("produced no configuration.nix"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    scratch.assert_cleaned_up();
}

#[test]
fn aster_config_can_come_from_the_environment_or_is_asked_for() {
    let scratch = Scratch::new();
    let spec = scratch.write("system.toml", SPEC);
    // Not on PATH (PATH is only the system directories) and not in ASTER_CONFIG.
    let run = {
        let output = Command::new(script())
            .args(dry_run_args(&spec, "/dev/vda", &["--force-format-disk"]))
            .env("TMPDIR", scratch.tmp())
            .env("PATH", "/usr/bin:/bin")
            .env_remove("ASTER_CONFIG")
            .output()
            .expect("installer runs");
        Run::new(&output, &scratch.tmp())
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("put it on PATH or set ASTER_CONFIG"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    scratch.assert_cleaned_up();

    scratch.fake_aster_config("mkdir -p \"$5\" && : > \"$5/configuration.nix\"");
    let elsewhere = scratch.path("bin/aster-config");
    let moved = scratch.path("aster-config-elsewhere");
    fs::rename(&elsewhere, &moved).expect("move fake");
    let run = scratch.run(
        &dry_run_args(&spec, "/dev/vda", &["--force-format-disk"]),
        &[("ASTER_CONFIG", &moved.to_string_lossy())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(scratch.recorded_args()[0], "build");
    scratch.assert_cleaned_up();
}

// --- the real disk probe ------------------------------------------------------

/// An image file under /dev/shm: a path under /dev, as `--disk` demands,
/// that the real `blkid -p` and `lsblk` can be pointed at (without root and
/// without a loop device, since `--dry-run` skips the block-device check).
fn image(fill: impl FnOnce(&Path)) -> tempfile::NamedTempFile {
    let disk = tempfile::Builder::new()
        .prefix("aster-probe-")
        .tempfile_in("/dev/shm")
        .expect("a file in /dev/shm");
    disk.as_file().set_len(4 << 20).expect("4 MiB image");
    fill(disk.path());
    disk
}

#[test]
fn the_real_probe_partitions_only_a_blank_disk() {
    let scratch = Scratch::new();
    let config = scratch.write("configuration.nix", CONFIGURATION_NIX);
    let probe = |disk: &Path| {
        let disk = disk.to_str().expect("utf-8 path");
        scratch.run(&dry_run_args(&config, disk, &[]), &[])
    };

    // All zeros: no partition table, no file system.
    let blank = image(|_| {});
    let run = probe(blank.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("is blank; creating the partitions"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.plan()[0],
        format!("+ parted --script {} mklabel gpt", blank.path().display())
    );

    // A file system written straight onto the disk.
    let ext2 = image(|path| {
        let status = Command::new("mkfs.ext2")
            .args(["-q", "-F"])
            .arg(path)
            .status()
            .expect("mkfs.ext2 (Debian package e2fsprogs)");
        assert!(status.success());
    });
    // A DOS partition table with one partition (type 0x83), as another
    // system's installer leaves it.
    let dos = image(|path| {
        let mut sector = vec![0_u8; 512];
        let entry = &mut sector[446..462];
        entry[4] = 0x83;
        entry[8..12].copy_from_slice(&2048_u32.to_le_bytes());
        entry[12..16].copy_from_slice(&4096_u32.to_le_bytes());
        sector[510] = 0x55;
        sector[511] = 0xaa;
        let mut disk = fs::read(path).expect("read image");
        disk[..512].copy_from_slice(&sector);
        fs::write(path, disk).expect("write image");
    });
    for disk in [&ext2, &dos] {
        let run = probe(disk.path());
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(
            run.stderr
                .contains("has partitions or file systems other than"),
            "{}",
            run.stderr
        );
    }
    scratch.assert_cleaned_up();
}
