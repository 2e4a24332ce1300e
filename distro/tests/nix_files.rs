//! Checks the distro's Nix files with the real `nix-instantiate`.
//!
//! Without nixpkgs on the machine (CI has only Debian's `nix-bin`), these
//! tests parse every file, evaluate the pure parts (the kernel command line
//! renderer, the overlay aggregator, the upstream patch table) and check the
//! layout the compiler depends on. When `NIXPKGS_LIB` points at a nixpkgs
//! `lib` directory, they also evaluate `aster_configuration.nix` with the real
//! module system (stub declarations for the NixOS options it sets, a stub
//! `pkgs`) and check option defaults, enums, the rendered boot files and the
//! assertions; without it those tests print a note and pass.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `distro/nixos`, the root of everything checked here.
fn nixos_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("nixos")
}

fn etc_nixos() -> PathBuf {
    nixos_dir().join("etc-nixos")
}

fn overlays_dir() -> PathBuf {
    etc_nixos().join("asterinas/overlays")
}

/// Runs `nix-instantiate` with a store that never touches the disk.
fn nix_instantiate(args: &[&str]) -> Output {
    Command::new("nix-instantiate")
        .args(args)
        .env("NIX_REMOTE", "dummy://")
        .current_dir(nixos_dir())
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run nix-instantiate ({error}); install Debian's nix-bin \
                 (apt-get install nix-bin), which CI installs too"
            )
        })
}

/// Evaluates `expr` strictly and returns its JSON text, or the error text.
fn eval_json(expr: &str) -> Result<String, String> {
    let output = nix_instantiate(&["--eval", "--strict", "--json", "-E", expr]);
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(stderr)
    }
}

fn collect_files(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, extension, found);
        } else if path.extension().is_some_and(|ext| ext == extension) {
            found.push(path);
        }
    }
}

// --- every file parses -------------------------------------------------------

/// The number of `.nix` files under distro/nixos when this test was written;
/// fewer means files went missing (or the walk broke).
const MIN_NIX_FILES: usize = 25;

#[test]
fn every_nix_file_parses() {
    let mut files = Vec::new();
    collect_files(&nixos_dir(), "nix", &mut files);
    let mut failures = String::new();
    for file in &files {
        let path = file.to_string_lossy();
        let output = nix_instantiate(&["--parse", &path]);
        if !output.status.success() {
            let _ = writeln!(
                failures,
                "{}:\n{}",
                file.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    assert!(failures.is_empty(), "files that do not parse:\n{failures}");
    assert!(
        files.len() >= MIN_NIX_FILES,
        "checked only {} .nix files, expected at least {MIN_NIX_FILES}",
        files.len()
    );
}

// --- the kernel command line ---------------------------------------------------

fn render_cmdline(args: &str) -> Result<String, String> {
    eval_json(&format!("import ./lib/cmdline.nix {{ {args} }}"))
}

const ROOT_AND_INIT: &str = r#"root = "/dev/vda2"; init = "/nix/var/nix/profiles/system/init";"#;

#[test]
fn cmdline_defaults_match_the_upstream_template() {
    let rendered = render_cmdline(&format!(
        r#"console = "hvc0"; logLevel = "error"; {ROOT_AND_INIT}"#
    ));
    assert_eq!(
        rendered.as_deref(),
        Ok(concat!(
            r#""PATH=/bin:/nix/var/nix/profiles/system/sw/bin earlycon loglevel=error console=hvc0"#,
            r#" -- root=/dev/vda2 init=/nix/var/nix/profiles/system/init rd.break=0""#
        ))
    );
}

#[test]
fn cmdline_puts_extra_parameters_before_the_stage_1_part() {
    let rendered = render_cmdline(&format!(
        r#"console = "tty0"; logLevel = "info"; {ROOT_AND_INIT} extra = [ "i8042.exist=0" "lsm=capability" ];"#
    ));
    assert_eq!(
        rendered.as_deref(),
        Ok(concat!(
            r#""PATH=/bin:/nix/var/nix/profiles/system/sw/bin earlycon loglevel=info console=tty0"#,
            r#" i8042.exist=0 lsm=capability"#,
            r#" -- root=/dev/vda2 init=/nix/var/nix/profiles/system/init rd.break=0""#
        ))
    );
}

#[test]
fn cmdline_renders_trace_as_debug_and_the_stage_1_shell() {
    let rendered = render_cmdline(
        r#"console = "hvc0"; logLevel = "trace"; root = "/dev/sda2"; init = "/init2"; breakIntoStage1Shell = true;"#,
    );
    assert_eq!(
        rendered.as_deref(),
        Ok(concat!(
            r#""PATH=/bin:/nix/var/nix/profiles/system/sw/bin earlycon loglevel=debug console=hvc0"#,
            r#" -- root=/dev/sda2 init=/init2 rd.break=1""#
        ))
    );
}

#[test]
fn cmdline_rejects_what_the_kernel_would_misread() {
    let cases = [
        (r#"extra = [ "a b" ];"#, "contains whitespace"),
        (r#"extra = [ "--" ];"#, "hand the rest of the line"),
        (r#"extra = [ "" ];"#, "empty entry"),
        (r#"extra = [ "say=\"hi\"" ];"#, "double quote"),
        (r#"extra = "quiet";"#, "must be a list"),
    ];
    for (extra, expected) in cases {
        let result = render_cmdline(&format!(
            r#"console = "hvc0"; logLevel = "error"; {ROOT_AND_INIT} {extra}"#
        ));
        let error = result.expect_err(extra);
        assert!(error.contains(expected), "{extra}: {error}");
    }
}

#[test]
fn cmdline_rejects_unknown_console_level_and_relative_paths() {
    let cases = [
        (
            r#"console = "ttyAMA0"; logLevel = "error"; root = "/dev/vda2"; init = "/init";"#,
            "console must be one of tty0, hvc0, ttyS0",
        ),
        (
            r#"console = "hvc0"; logLevel = "verbose"; root = "/dev/vda2"; init = "/init";"#,
            "logLevel must be one of",
        ),
        (
            r#"console = "hvc0"; logLevel = "error"; root = "vda2"; init = "/init";"#,
            "root must be an absolute path",
        ),
        (
            r#"console = "hvc0"; logLevel = "error"; root = "/dev/vda2"; init = "/my init";"#,
            "init must be an absolute path",
        ),
    ];
    for (args, expected) in cases {
        let error = render_cmdline(args).expect_err(args);
        assert!(error.contains(expected), "{args}: {error}");
    }
}

#[test]
fn cmdline_in_lib_is_the_one_installed_systems_use() {
    let text = fs::read_to_string(nixos_dir().join("lib/cmdline.nix")).expect("lib/cmdline.nix");
    let code: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .collect();
    assert_eq!(code, ["import ../etc-nixos/asterinas/lib/cmdline.nix"]);
}

// --- layout the compiler depends on -------------------------------------------

#[test]
fn etc_nixos_leaves_the_compilers_names_free() {
    for name in [
        "configuration.nix",
        "overlays",
        "patches",
        "hardware-configuration.nix",
    ] {
        assert!(
            !etc_nixos().join(name).exists(),
            "etc-nixos/{name} would collide with what aster-config writes"
        );
    }
    let mut top: Vec<String> = fs::read_dir(etc_nixos())
        .expect("etc-nixos")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    top.sort();
    assert_eq!(top, ["aster_configuration.nix", "asterinas"]);
}

#[test]
fn aster_configuration_imports_every_module_and_nothing_else() {
    let text = fs::read_to_string(etc_nixos().join("aster_configuration.nix")).expect("read");
    let imported: BTreeSet<String> = text
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("./asterinas/modules/"))
        .map(str::to_owned)
        .collect();
    let mut files = Vec::new();
    collect_files(&etc_nixos().join("asterinas/modules"), "nix", &mut files);
    let present: BTreeSet<String> = files
        .iter()
        .map(|file| {
            file.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(imported, present);
    assert!(text.contains("nixpkgs.overlays = import ./asterinas/overlays;"));
}

// --- overlays ----------------------------------------------------------------

fn overlay_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = fs::read_dir(overlays_dir())
        .expect("overlays dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("default.nix").is_file())
        .map(|path| {
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn aggregator_lists_one_overlay_function_per_directory() {
    let dirs = overlay_dirs();
    assert_eq!(dirs.len(), 7, "overlay directories: {dirs:?}");
    let flags = eval_json("map builtins.isFunction (import ./etc-nixos/asterinas/overlays)")
        .expect("aggregator evaluates");
    let expected = format!("[{}]", vec!["true"; dirs.len()].join(","));
    assert_eq!(flags, expected);

    let text = fs::read_to_string(overlays_dir().join("default.nix")).expect("read");
    for dir in &dirs {
        assert!(
            text.contains(&format!("(import ./{dir})")),
            "aggregator does not import {dir}"
        );
    }
}

/// Names passed to `fetchUpstream.file`/`.tarball` in the overlays.
fn referenced_upstream_entries() -> BTreeSet<String> {
    let mut files = Vec::new();
    collect_files(&overlays_dir(), "nix", &mut files);
    let mut names = BTreeSet::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("read overlay");
        let mut rest = text.as_str();
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let Some(end) = after.find('"') else { break };
            let before = rest[..start].trim_end();
            let name = &after[..end];
            let is_call =
                before.ends_with("fetchUpstream.file") || before.ends_with("fetchUpstream.tarball");
            let in_list = file.ends_with("podman/default.nix")
                && (name.starts_with("runc-") || name.starts_with("podman-"));
            if is_call || in_list {
                names.insert(name.to_owned());
            }
            rest = &after[end + 1..];
        }
    }
    names
}

#[test]
fn upstream_table_is_pinned_unhashed_and_fully_used() {
    let json = eval_json(
        "builtins.mapAttrs (name: e: [ e.url (if e.hash == null then \"\" else e.hash) ]) \
         (import ./etc-nixos/asterinas/overlays/upstream-patches.nix)",
    )
    .expect("table evaluates");
    let commit = "604948581512d83734377974d4c34adb4530f2d7";
    let mut names = BTreeSet::new();
    for entry in json.trim_matches(|c| c == '{' || c == '}').split("],") {
        let (name, rest) = entry.split_once(":[").expect("name:[url,hash]");
        let name = name.trim_matches('"').to_owned();
        let url = rest.split('"').nth(1).expect("url");
        let hash = rest.split('"').nth(3).expect("hash");
        assert!(url.starts_with("https://"), "{name}: {url}");
        if url.contains("asterinas/asterinas") {
            assert!(
                url.starts_with(&format!(
                    "https://github.com/asterinas/asterinas/raw/{commit}/"
                )),
                "{name} is not pinned to the facts' commit: {url}"
            );
        }
        assert!(
            hash.is_empty() || hash.starts_with("sha256-"),
            "{name}: hash must be null or SRI sha256, got {hash}"
        );
        names.insert(name);
    }
    assert_eq!(names.len(), 15, "entries: {names:?}");
    assert_eq!(referenced_upstream_entries(), names);
}

/// A few builtins-only stand-ins for the nixpkgs `lib` functions that
/// fetch-upstream.nix uses, so it can be evaluated without nixpkgs.
const STUB_LIB: &str = r#"{
  optionalString = cond: s: if cond then s else "";
  hasSuffix = suffix: s:
    let ls = builtins.stringLength s; lx = builtins.stringLength suffix;
    in ls >= lx && builtins.substring (ls - lx) lx s == suffix;
}"#;

#[test]
fn missing_hash_stops_with_the_command_and_the_file_to_edit() {
    let expr = format!(
        "(import ./etc-nixos/asterinas/overlays/fetch-upstream.nix {{ lib = {STUB_LIB}; \
         fetchurl = a: a; }}).file \"systemd-ms-slave-to-ms-private\""
    );
    let error = eval_json(&expr).expect_err("unhashed entry must not evaluate");
    for expected in [
        "nix-prefetch-url https://github.com/asterinas/asterinas/raw/",
        "0003-Switch-MS_SLAVE-to-MS_PRIVATE.patch",
        "distro/nixos/etc-nixos/asterinas/overlays/upstream-patches.nix",
        "/etc/nixos/asterinas/overlays/upstream-patches.nix",
    ] {
        assert!(
            error.contains(expected),
            "missing {expected:?} in:\n{error}"
        );
    }

    let tarball = format!(
        "(import ./etc-nixos/asterinas/overlays/fetch-upstream.nix {{ lib = {STUB_LIB}; \
         fetchurl = a: a; }}).tarball \"nixpkgs-for-codex\""
    );
    let error = eval_json(&tarball).expect_err("unhashed tarball must not evaluate");
    assert!(error.contains("nix-prefetch-url --unpack "), "{error}");

    let unknown = format!(
        "(import ./etc-nixos/asterinas/overlays/fetch-upstream.nix {{ lib = {STUB_LIB}; \
         fetchurl = a: a; }}).file \"no-such-patch\""
    );
    let error = eval_json(&unknown).expect_err("unknown entry");
    assert!(error.contains("no entry \"no-such-patch\""), "{error}");
}

// --- with nixpkgs lib: the real module system ---------------------------------

/// Evaluates `aster_configuration.nix` with `lib.evalModules`. The stub
/// declarations cover exactly the NixOS options these tests read;
/// definitions of all other NixOS options are accepted unchecked.
const HARNESS: &str = r#"{ libPath, configFile, settings }:
let
  lib = import libPath;
  inherit (lib) mkOption types;
  stubOptions.options = {
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    warnings = mkOption { type = types.listOf types.str; default = [ ]; };
    system.systemBuilderCommands = mkOption { type = types.lines; default = ""; };
    system.build = mkOption { type = types.lazyAttrsOf types.unspecified; default = { }; };
    boot.postBootCommands = mkOption { type = types.lines; default = ""; };
    boot.kernel.enable = mkOption { type = types.bool; default = true; };
    boot.initrd.enable = mkOption { type = types.bool; default = true; };
    nix.settings = mkOption { type = types.attrsOf types.anything; default = { }; };
    nix.nixPath = mkOption { type = types.listOf types.str; default = [ "nixpkgs=/stub" ]; };
    nixpkgs.overlays = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    environment.etc = mkOption { type = types.attrsOf (types.attrsOf types.anything); default = { }; };
    networking.nameservers = mkOption { type = types.listOf types.str; default = [ ]; };
    systemd.package = mkOption { type = types.unspecified; };
  };
  stubPkgs = {
    busybox = "/nix/store/00000000000000000000000000000000-busybox";
    bash = "/nix/store/00000000000000000000000000000000-bash";
    aster_systemd = "aster_systemd";
    stdenv.hostPlatform.parsed.cpu.name = "x86_64";
    writeScript = name: text: { outPath = "/nix/store/00000000000000000000000000000000-${name}"; inherit text; };
    makeInitrd = args: { outPath = "/nix/store/00000000000000000000000000000000-initrd"; inherit args; };
  };
  eval = lib.evalModules {
    modules = [ configFile stubOptions settings
      { _module.check = false; _module.args.pkgs = stubPkgs; } ];
  };
  c = eval.config;
  o = eval.options.aster_nixos;
in {
  defaults = lib.mapAttrs (_: opt: opt.default) o;
  types = lib.mapAttrs (_: opt: opt.type.description) o;
  values = c.aster_nixos;
  failedAssertions = map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  inherit (c) warnings;
  builderCommands = c.system.systemBuilderCommands;
  postBootCommands = c.boot.postBootCommands;
  stage1Text = (builtins.head c.system.build.asterinasInitrd.args.contents).object.text;
  boot = { kernel = c.boot.kernel.enable; initrd = c.boot.initrd.enable; };
  nixSettings = c.nix.settings;
  nixPath = c.nix.nixPath;
  overlayCount = builtins.length c.nixpkgs.overlays;
  resolvConf = c.environment.etc."resolv.conf".text;
  systemdPackage = c.systemd.package;
}"#;

/// The nixpkgs `lib` directory from `NIXPKGS_LIB`, or `None` after printing
/// why the test is skipped.
#[allow(clippy::print_stderr)] // tests report skips on stderr, where cargo shows them
fn nixpkgs_lib() -> Option<String> {
    if let Ok(path) = std::env::var("NIXPKGS_LIB") {
        Some(path)
    } else {
        eprintln!("skipped: NIXPKGS_LIB unset");
        None
    }
}

/// Evaluates one attribute of the harness with `settings` (a Nix module).
fn harness(lib: &str, settings: &str, attribute: &str) -> Result<String, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("harness.nix");
    fs::write(&file, HARNESS).expect("write harness");
    let config = etc_nixos().join("aster_configuration.nix");
    let output = nix_instantiate(&[
        "--eval",
        "--strict",
        "--json",
        &file.to_string_lossy(),
        "--arg",
        "libPath",
        lib,
        "--arg",
        "configFile",
        &config.to_string_lossy(),
        "--arg",
        "settings",
        settings,
        "-A",
        attribute,
    ]);
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Unquotes a JSON string value (only the escapes Nix's toJSON emits here).
fn json_text(json: &str) -> String {
    let inner = json
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .expect("JSON string");
    inner
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
}

const A_KERNEL: &str =
    r#"aster_nixos.kernel = "/nix/store/11111111111111111111111111111111-asterinas-osdk-bin";"#;

#[test]
fn options_have_upstream_defaults_and_types() {
    let Some(lib) = nixpkgs_lib() else { return };
    let defaults = harness(&lib, "{ }", "defaults").expect("defaults evaluate");
    assert_eq!(
        defaults,
        concat!(
            r#"{"break-into-stage-1-shell":false,"console":"hvc0","disable-systemd":"false","#,
            r#""kernel":null,"kernel-features":[],"kernel-params":[],"log-level":"error","#,
            r#""stage-2-hook":"/bin/sh -l","substituters":"","trusted-public-keys":""}"#
        )
    );
    let types = harness(&lib, "{ }", "types").expect("types evaluate");
    for expected in [
        r#""console":"one of \"tty0\", \"hvc0\"""#,
        r#""disable-systemd":"one of \"true\", \"false\"""#,
        r#""log-level":"one of \"error\", \"warn\", \"info\", \"debug\", \"trace\"""#,
        r#""kernel-features":"list of (one of \"cvm_guest\", \"coverage\", \"riscv_sv39_mode\")""#,
        r#""kernel":"null or absolute path""#,
        r#""kernel-params":"list of string""#,
        r#""break-into-stage-1-shell":"boolean""#,
    ] {
        assert!(types.contains(expected), "missing {expected} in {types}");
    }
}

#[test]
fn options_reject_values_outside_their_enums() {
    let Some(lib) = nixpkgs_lib() else { return };
    for bad in [
        r#"{ aster_nixos.console = "ttyS0"; }"#,
        r#"{ aster_nixos.log-level = "verbose"; }"#,
        r"{ aster_nixos.disable-systemd = true; }",
        r#"{ aster_nixos.kernel-features = [ "tdx" ]; }"#,
        r#"{ aster_nixos.kernel = "relative/path"; }"#,
    ] {
        let error = harness(&lib, bad, "values").expect_err(bad);
        assert!(error.contains("is not of type"), "{bad}: {error}");
    }
}

#[test]
fn boot_files_carry_kernel_initrd_and_rendered_parameters() {
    let Some(lib) = nixpkgs_lib() else { return };
    let settings = format!(
        r#"{{ {A_KERNEL} aster_nixos.console = "tty0"; aster_nixos.log-level = "warn";
           aster_nixos.kernel-params = [ "i8042.exist=0" ]; }}"#
    );
    let commands = json_text(&harness(&lib, &settings, "builderCommands").expect("evaluates"));
    let lines: Vec<&str> = commands
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(
        &lines[..3],
        [
            "ln -s /nix/store/11111111111111111111111111111111-asterinas-osdk-bin $out/kernel",
            "ln -s /nix/store/00000000000000000000000000000000-initrd/initrd $out/initrd",
            concat!(
                "printf '%s' 'PATH=/bin:/nix/var/nix/profiles/system/sw/bin earlycon loglevel=warn",
                " console=tty0 i8042.exist=0 -- root=/dev/vda2",
                " init=/nix/var/nix/profiles/system/init rd.break=0' > $out/kernel-params"
            ),
        ]
    );
    assert!(
        !commands.contains("disable-systemd"),
        "systemd stays on by default"
    );
    let boot = harness(&lib, &settings, "boot").expect("evaluates");
    assert_eq!(boot, r#"{"initrd":false,"kernel":false}"#);
    assert_eq!(
        harness(&lib, &settings, "postBootCommands").as_deref(),
        Ok(r#""""#)
    );
}

/// The lines of NixOS's stage-2 init that the boot module edits, in the
/// shape nixpkgs 25.05 has them (output redirection through tee, then the
/// final exec of systemd). Written for this test, not copied.
const STAGE2_SHAPE: &str = r#"#! /bin/sh
exec {logOutFd}>&1 {logErrFd}>&2
if test -w /dev/kmsg; then
    exec > >(tee -i /proc/self/fd/"$logOutFd" | while read -r line; do
        echo "<7>stage-2-init: $line" > /dev/kmsg
    done) 2>&1
else
    mkdir -p /run/log
    exec > >(tee -i /run/log/stage-2-init.log) 2>&1
fi
echo "starting systemd..."
exec /run/current-system/systemd/lib/systemd/systemd "$@"
"#;

/// Runs the module's builder commands against `STAGE2_SHAPE` in a scratch
/// `$out` and returns the edited init, or the builder's stderr.
fn run_builder_commands(commands: &str) -> Result<String, String> {
    let out = tempfile::tempdir().expect("tempdir");
    fs::write(out.path().join("init"), STAGE2_SHAPE).expect("write init");
    let output = Command::new("bash")
        .args(["-euc", commands])
        .env("out", out.path())
        .output()
        .expect("bash runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let init = fs::read_to_string(out.path().join("init")).expect("read init");
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(out.path().join("init"))
        .output()
        .expect("bash -n");
    assert!(
        syntax.status.success(),
        "edited init does not parse:\n{init}"
    );
    Ok(init)
}

#[test]
fn stage_2_logging_is_silenced_and_systemd_can_be_disabled() {
    let Some(lib) = nixpkgs_lib() else { return };
    let plain = json_text(
        &harness(&lib, &format!("{{ {A_KERNEL} }}"), "builderCommands").expect("evaluates"),
    );
    let init = run_builder_commands(&plain).expect("builder commands succeed");
    assert_eq!(init.matches("true || exec > >(tee").count(), 2, "{init}");
    assert!(init.contains("exec /run/current-system/systemd/lib/systemd/systemd \"$@\""));

    let settings = format!(
        r#"{{ {A_KERNEL} aster_nixos.disable-systemd = "true"; aster_nixos.stage-2-hook = "/bin/sh -l"; }}"#
    );
    let disabled = json_text(&harness(&lib, &settings, "builderCommands").expect("evaluates"));
    let init = run_builder_commands(&disabled).expect("builder commands succeed");
    assert!(
        !init.contains("exec /run/current-system/systemd/lib/systemd/systemd"),
        "{init}"
    );
    assert!(init.contains(": aster_nixos.disable-systemd: not starting /run/current-system/systemd/lib/systemd/systemd"));
    let hook = json_text(&harness(&lib, &settings, "postBootCommands").expect("evaluates"));
    assert!(hook.contains("while true; do\n  /bin/sh -l\n"), "{hook}");

    // A stage 2 without the expected lines must fail the build, not pass silently.
    let error = run_builder_commands(&plain.replace("exec > >(tee", "exec >(nothing"))
        .expect_err("missing redirection must fail");
    assert!(error.contains("nixpkgs changed"), "{error}");
}

#[allow(clippy::print_stderr)] // tests report skips on stderr
#[test]
fn stage_1_script_is_valid_posix_shell() {
    let Some(lib) = nixpkgs_lib() else { return };
    let script = json_text(&harness(&lib, "{ }", "stage1Text").expect("evaluates"));
    assert!(script.starts_with("#!/nix/store/00000000000000000000000000000000-busybox/bin/sh\n"));
    for expected in [
        "mount -t ext2 \"$root\" /sysroot",
        "exec switch_root /sysroot \"$init\"",
        "if [ \"$rd_break\" = 1 ]; then",
    ] {
        assert!(script.contains(expected), "missing {expected:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("stage-1");
    fs::write(&file, &script).expect("write");
    match Command::new("shellcheck")
        .args(["-s", "sh"])
        .arg(&file)
        .output()
    {
        Ok(output) => assert!(
            output.status.success(),
            "shellcheck:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ),
        Err(_) => eprintln!("shellcheck not installed; only checked the script's content"),
    }
}

#[test]
fn nix_settings_follow_the_kernel_and_the_caches() {
    let Some(lib) = nixpkgs_lib() else { return };
    let settings = format!(
        r#"{{ {A_KERNEL} aster_nixos.substituters = "https://a.example  https://b.example";
           aster_nixos.trusted-public-keys = "a:1 b:2";
           nix.settings.sandbox = true; }}"#
    );
    let nix = harness(&lib, &settings, "nixSettings").expect("evaluates");
    assert_eq!(
        nix,
        concat!(
            r#"{"build-users-group":"","filter-syscalls":false,"require-sigs":false,"#,
            r#""sandbox":false,"substituters":["https://a.example","https://b.example"],"#,
            r#""trusted-public-keys":["a:1","b:2"]}"#
        ),
        "a user's sandbox = true must lose to the kernel's limits"
    );
    assert_eq!(
        harness(&lib, &settings, "nixPath").as_deref(),
        Ok(r#"["nixpkgs=/stub","nixpkgs-overlays=/etc/nixos/asterinas/overlays/default.nix"]"#)
    );
    assert_eq!(harness(&lib, &settings, "overlayCount").as_deref(), Ok("7"));
    assert_eq!(
        harness(&lib, &settings, "systemdPackage").as_deref(),
        Ok(r#""aster_systemd""#)
    );
    assert_eq!(
        harness(&lib, &settings, "resolvConf").as_deref(),
        Ok(r#""nameserver 8.8.8.8\n""#)
    );
    let with_dns = format!(r#"{{ {A_KERNEL} networking.nameservers = [ "10.0.2.3" ]; }}"#);
    assert_eq!(
        harness(&lib, &with_dns, "resolvConf").as_deref(),
        Ok(r#""nameserver 10.0.2.3\n""#)
    );
}

#[test]
fn kernel_choice_is_asserted_with_instructions() {
    let Some(lib) = nixpkgs_lib() else { return };
    let none = harness(&lib, "{ }", "failedAssertions").expect("evaluates");
    assert!(none.contains("aster_nixos.kernel is not set"), "{none}");
    assert!(none.contains("pkgs.asterinasKernelRelease"), "{none}");
    assert_eq!(
        harness(&lib, &format!("{{ {A_KERNEL} }}"), "failedAssertions").as_deref(),
        Ok("[]")
    );

    let package = |features: &str, wanted: &str| {
        format!(
            r#"{{ aster_nixos.kernel = {{ type = "derivation"; name = "asterinas-kernel";
                 outPath = "/nix/store/22222222222222222222222222222222-asterinas-kernel";
                 features = {features}; }};
               aster_nixos.kernel-features = {wanted}; }}"#
        )
    };
    let ok = package(r#"[ "cvm_guest" "coverage" ]"#, r#"[ "coverage" ]"#);
    assert_eq!(harness(&lib, &ok, "failedAssertions").as_deref(), Ok("[]"));
    assert_eq!(harness(&lib, &ok, "warnings").as_deref(), Ok("[]"));

    let missing = package(r#"[ "cvm_guest" ]"#, r#"[ "coverage" ]"#);
    let failed = harness(&lib, &missing, "failedAssertions").expect("evaluates");
    assert!(failed.contains("asks for coverage"), "{failed}");

    let wrong_arch = package(r#"[ "riscv_sv39_mode" ]"#, r#"[ "riscv_sv39_mode" ]"#);
    let failed = harness(&lib, &wrong_arch, "failedAssertions").expect("evaluates");
    assert!(failed.contains("riscv_sv39_mode"), "{failed}");

    let plain = format!(r#"{{ {A_KERNEL} aster_nixos.kernel-features = [ "cvm_guest" ]; }}"#);
    let warnings = harness(&lib, &plain, "warnings").expect("evaluates");
    assert!(warnings.contains("cannot be\\nchecked"), "{warnings}");
}
