//! Checks the distro's Nix files with the real `nix-instantiate`.
//!
//! Every file parses; the pure parts (the kernel command line renderer, the
//! overlay aggregator, the table of pinned fetches) are evaluated; every pin
//! is compared with the shared reference table of upstream's hashes; the
//! store-path trick `fetchUpstream.source` relies on is checked against a
//! scratch store. `aster_configuration.nix` is evaluated with nixpkgs' real
//! `lib.evalModules` (stub declarations for the NixOS options it sets, a stub
//! `pkgs`): option defaults, enums, the boot files, root's password, IPv6,
//! file systems, containers, Xfce and the assertions. The lib comes from
//! `NIXPKGS_LIB` or `<workspace>/../shared/vendor/nixpkgs-lib/lib`, the
//! reference table from `<workspace>/../shared/reference`; when they are
//! missing these tests print a note and pass, except under CI (`CI` set),
//! where they fail.

mod common;

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
    assert_eq!(dirs.len(), 8, "overlay directories: {dirs:?}");
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

/// Names of `upstream-patches.nix` entries that the overlays and modules
/// mention (as string literals: `fetchUpstream.source "x"` or in a list).
fn referenced_upstream_entries(table: &BTreeSet<String>) -> BTreeSet<String> {
    let mut files = Vec::new();
    collect_files(&overlays_dir(), "nix", &mut files);
    collect_files(&etc_nixos().join("asterinas/modules"), "nix", &mut files);
    let mut names = BTreeSet::new();
    for file in files {
        if file.ends_with("upstream-patches.nix") {
            continue;
        }
        let text = fs::read_to_string(&file).expect("read overlay");
        for (index, quoted) in text.split('"').enumerate() {
            if index % 2 == 1 && table.contains(quoted) {
                names.insert(quoted.to_owned());
            }
        }
    }
    names
}

/// `name -> [url, hash]` of every entry in `upstream-patches.nix`.
fn upstream_table() -> Vec<(String, String, String)> {
    let json = eval_json(
        "let t = import ./etc-nixos/asterinas/overlays/upstream-patches.nix; in \
         map (name: [ name t.${name}.url t.${name}.hash ]) (builtins.attrNames t)",
    )
    .expect("table evaluates with every hash a string");
    json.trim_start_matches("[[")
        .trim_end_matches("]]")
        .split("],[")
        .map(|row| {
            let fields: Vec<&str> = row.split('"').collect();
            (
                fields[1].to_owned(),
                fields[3].to_owned(),
                fields[5].to_owned(),
            )
        })
        .collect()
}

const COMMIT: &str = "604948581512d83734377974d4c34adb4530f2d7";

#[test]
fn every_fetch_is_pinned_by_hash_and_used() {
    let rows = upstream_table();
    assert_eq!(rows.len(), 26, "entries: {rows:?}");
    let mut names = BTreeSet::new();
    for (name, url, hash) in &rows {
        assert!(url.starts_with("https://"), "{name}: {url}");
        if url.contains("/asterinas/asterinas/") {
            assert!(
                url.starts_with(&format!(
                    "https://github.com/asterinas/asterinas/raw/{COMMIT}/"
                )),
                "{name} is not pinned to the facts' commit: {url}"
            );
        }
        let digest = hash
            .strip_prefix("sha256-")
            .unwrap_or_else(|| panic!("{name}: hash must be an SRI sha256, got {hash:?}"));
        assert_eq!(digest.len(), 44, "{name}: {hash} is not 32 bytes of base64");
        assert!(digest.ends_with('='), "{name}: {hash} lacks its padding");
        names.insert(name.clone());
    }
    assert_eq!(referenced_upstream_entries(&names), names);

    // Nothing under distro/nixos names a null hash any more.
    let mut files = Vec::new();
    collect_files(&nixos_dir(), "nix", &mut files);
    for file in files {
        let text = fs::read_to_string(&file).expect("read");
        for needle in [
            "hash = null",
            "sha256 = null",
            "lib.fakeHash;",
            "lib.fakeSha256",
        ] {
            assert!(
                !text.contains(needle),
                "{} contains {needle:?}",
                file.display()
            );
        }
    }
}

/// Entries whose hash the shared reference table does not list; each is
/// checked by hand against the upstream file named here when updated.
const PINNED_OUTSIDE_THE_REFERENCE: [(&str, &str); 7] = [
    (
        "jtreg-source",
        "distro/etc_nixos/overlays/jtreg/default.nix",
    ),
    (
        "junit-console-standalone-jar",
        "distro/etc_nixos/overlays/jtreg/default.nix",
    ),
    (
        "junit-license",
        "distro/etc_nixos/overlays/jtreg/default.nix",
    ),
    ("testng-jar", "distro/etc_nixos/overlays/jtreg/default.nix"),
    (
        "testng-license",
        "distro/etc_nixos/overlays/jtreg/default.nix",
    ),
    (
        "jcommander-jar",
        "distro/etc_nixos/overlays/jtreg/default.nix",
    ),
    ("guice-jar", "distro/etc_nixos/overlays/jtreg/default.nix"),
];

/// Compares every pin with the shared reference table, in Nix (the JSON
/// reader at hand): files by their raw URL, the other pins by URL or
/// revision. Returns the mismatches and the entries it found no row for.
const COMPARE_WITH_REFERENCE: &str = r#"{ referencePath }:
let
  reference = builtins.fromJSON (builtins.readFile referencePath);
  table = import ./etc-nixos/asterinas/overlays/upstream-patches.nix;
  # SRI with or without base64 padding
  unpadded = hash: builtins.head (builtins.match "([^=]*)=*" hash);
  byUrl = builtins.listToAttrs (
    map (file: { name = file.raw_url; value = file.sha256_sri; }) (builtins.attrValues reference.files)
    ++ map (pin: {
      name = pin.url or "https://github.com/${pin.owner}/${pin.repo}/archive/${pin.rev}.tar.gz";
      value = pin.hash or pin.sha256;
    }) (builtins.attrValues reference.other_upstream_pins)
  );
  check = name: entry:
    if byUrl ? ${entry.url} then
      (if unpadded byUrl.${entry.url} == unpadded entry.hash then "same" else "DIFFERENT ${byUrl.${entry.url}}")
    else "unlisted";
  referenceUrls = builtins.attrNames byUrl;
  usedUrls = map (e: e.url) (builtins.attrValues table);
in {
  results = builtins.mapAttrs check table;
  missing = builtins.filter (url: !(builtins.elem url usedUrls)) referenceUrls;
  inherit (reference) commit;
}"#;

/// `<workspace>/../shared/<relative>`, or `None` after saying why a test is
/// skipped. Under CI (`CI` set) a missing file fails instead.
#[allow(clippy::print_stderr)] // tests report skips on stderr, where cargo shows them
fn shared_path(relative: &str, env_override: Option<&str>) -> Option<String> {
    if let Some(path) = env_override.and_then(|name| std::env::var(name).ok()) {
        return Some(path);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let path = workspace.join("..").join("shared").join(relative);
    if path.exists() {
        return Some(path.to_string_lossy().into_owned());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing; CI must have shared/ beside the workspace{}",
        path.display(),
        env_override.map_or(String::new(), |name| format!(" (or set {name})"))
    );
    eprintln!("skipped: {} not found", path.display());
    None
}

#[test]
fn every_pin_matches_the_shared_reference_table() {
    let Some(reference) = shared_path("reference/asterinas-upstream-files.json", None) else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("compare.nix");
    // The expression names the table relative to distro/nixos; the copy in
    // the scratch directory names it by absolute path.
    let text =
        COMPARE_WITH_REFERENCE.replace("./etc-nixos/", &format!("{}/", etc_nixos().display()));
    fs::write(&file, text).expect("write");
    let output = nix_instantiate(&[
        "--eval",
        "--strict",
        "--json",
        "-E",
        &format!(
            "import {} {{ referencePath = {reference}; }}",
            file.display()
        ),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(json.contains(&format!("\"commit\":\"{COMMIT}\"")), "{json}");
    assert!(
        json.contains("\"missing\":[]"),
        "reference pins not used: {json}"
    );
    assert!(!json.contains("DIFFERENT"), "{json}");
    let unlisted: BTreeSet<&str> = json
        .split(',')
        .filter(|pair| pair.ends_with("\"unlisted\"") || pair.ends_with("\"unlisted\"}"))
        .filter_map(|pair| pair.rsplit('{').next())
        .filter_map(|pair| pair.split('"').nth(1))
        .collect();
    let expected: BTreeSet<&str> = PINNED_OUTSIDE_THE_REFERENCE
        .iter()
        .map(|(name, _)| *name)
        .chain(["xfce-wallpaper"])
        .collect();
    assert_eq!(unlisted, expected, "{json}");
    // 15 files + codex's nixpkgs + jtharness + asmtools are the same.
    assert_eq!(json.matches("\"same\"").count(), 18, "{json}");
}

/// What `fetchUpstream.source` relies on: a file fetched with
/// builtins.fetchurl and added again with builtins.path under its own name
/// gets the store path a path literal `./name` gets, and a derivation that
/// uses it is the same derivation. Run with the real Nix against a scratch
/// store (a `file://` URL, no network); the file is written by the test.
#[test]
fn a_fetched_upstream_file_has_the_store_path_of_upstream_path_literal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = dir.path().join("0001-Example.patch");
    fs::write(&patch, "--- a/x\n+++ b/x\n").expect("write");
    let sri = {
        let output = Command::new("nix-hash")
            .args(["--type", "sha256", "--flat", "--base32"])
            .arg(&patch)
            .output()
            .expect("nix-hash runs");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    let fetch = fs::read_to_string(overlays_dir().join("fetch-upstream.nix")).expect("read");
    assert!(fetch.contains("builtins.path {\n      name = baseNameOf entry.url;"));
    let expr = format!(
        r#"let
  url = "file://{patch}";
  viaFetch = builtins.path {{
    name = baseNameOf url;
    path = builtins.unsafeDiscardStringContext (builtins.fetchurl {{ inherit url; sha256 = "{sri}"; }});
  }};
  drv = patches: derivation {{ name = "patched"; system = "x86_64-linux"; builder = "/bin/sh"; inherit patches; }};
in {{
  samePath = viaFetch == "${{{literal}}}";
  sameDerivation = (drv [ viaFetch ]).outPath == (drv [ {literal} ]).outPath;
}}"#,
        patch = patch.display(),
        literal = patch.display(),
    );
    let store = dir.path().join("store");
    let output = Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json", "--store"])
        .arg(&store)
        .args(["-E", &expr])
        .env_remove("NIX_REMOTE")
        .output()
        .expect("nix-instantiate runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        r#"{"sameDerivation":true,"samePath":true}"#
    );
}

#[test]
fn an_unknown_or_unhashed_entry_stops_evaluation() {
    let stub_lib = r"{ hasPrefix = p: s: builtins.substring 0 (builtins.stringLength p) s == p; }";
    let unknown = format!(
        "(import ./etc-nixos/asterinas/overlays/fetch-upstream.nix {{ lib = {stub_lib}; \
         fetchurl = a: a; fetchzip = a: a; }}).file \"no-such-patch\""
    );
    let error = eval_json(&unknown).expect_err("unknown entry");
    assert!(error.contains("no entry \"no-such-patch\""), "{error}");
    let via_file = eval_json(&format!(
        "(import ./etc-nixos/asterinas/overlays/fetch-upstream.nix {{ lib = {stub_lib}; \
         fetchurl = a: a; fetchzip = a: a; }}).file \"testng-jar\""
    ))
    .expect("a pinned entry passes url and hash on");
    assert!(
        via_file.contains("\"hash\":\"sha256-Y3J0iPlxfVfw0KD+5aH8EKK+nPz/LsOnGHZW1mPAd04=\""),
        "{via_file}"
    );
}

#[test]
fn overlays_follow_upstreams_patch_order_and_names() {
    let read =
        |dir: &str| fs::read_to_string(overlays_dir().join(dir).join("default.nix")).expect("read");
    let podman = read("podman");
    let order = [
        "runc-no-container-state-check",
        "runc-no-dev-mqueue",
        "runc-no-ebpf-device-filter",
        "runc-tolerate-user-and-capability-setup",
        "runc-ms-slave-to-ms-private",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|name| podman.find(&format!("\"{name}\"")).expect(name))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "runc patch order"
    );
    let systemd = read("systemd");
    assert!(
        !systemd.contains("pname ="),
        "aster_systemd keeps systemdMinimal's pname"
    );
    assert!(systemd.contains("mkdir -p /run/user/%i"));
    for unit in [
        "systemd-logind.service",
        "systemd-user-sessions.service",
        "dbus-org.freedesktop.login1.service",
        "user@.service",
        "user-runtime-dir@.service",
        "local-fs.target.wants/tmp.mount",
        "systemd-firstboot.service",
        "systemd-random-seed.service",
    ] {
        assert!(systemd.contains(&format!("\"{unit}\" =")), "{unit}");
    }
    let desktop = read("desktop");
    for needle in [
        "xorg = prev.xorg // {",
        "xfce = prev.xfce // {",
        "-Dudev=false",
        "-Dudev_kms=false",
        "-Dglamor=true",
        "final.libudev-zero",
        "final.dri-pkgconfig-stub",
        "final.libtirpc",
        "xorg.conf.d/10-fbdev.conf",
        "version = \"4.16.1\"",
        "version = \"4.16.0\"",
    ] {
        assert!(desktop.contains(needle), "desktop overlay lacks {needle}");
    }
    assert!(!desktop.contains("src ="), "Xfce keeps nixpkgs' sources");
    let hello = fs::read_to_string(etc_nixos().join("asterinas/pkgs/hello-asterinas/default.nix"))
        .expect("read");
    assert!(hello.contains("echo \"Hello Asterinas!\"\n"));
    let jtreg = read("jtreg");
    assert!(jtreg.contains("version = \"7.3.1\"") && jtreg.contains("BUILD_NUMBER=1"));
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
    networking.enableIPv6 = mkOption { type = types.bool; default = true; };
    networking.useDHCP = mkOption { type = types.bool; default = true; };
    networking.dhcpcd.enable = mkOption { type = types.bool; default = true; };
    systemd.package = mkOption { type = types.unspecified; };
    systemd.services = mkOption { type = types.attrsOf types.anything; default = { }; };
    environment.systemPackages = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    services.xserver.enable = mkOption { type = types.bool; default = false; };
    services.xserver.desktopManager.xfce.enable = mkOption { type = types.bool; default = false; };
    virtualisation.containers.enable = mkOption { type = types.bool; default = false; };
    # As some nixpkgs versions declare it: the three values as the option's
    # default, which any definition replaces wholesale.
    virtualisation.containers.storage.settings = mkOption {
      type = types.attrsOf types.anything;
      default.storage = { driver = "overlay"; graphroot = "/var/lib/containers/storage"; runroot = "/run/containers/storage"; };
    };
    # As nixos/modules/tasks/filesystems.nix declares the fields read here.
    fileSystems = mkOption {
      default = { };
      type = types.attrsOf (types.submodule ({ name, ... }: { options = {
        mountPoint = mkOption { type = types.str; default = name; };
        device = mkOption { type = types.nullOr types.str; default = null; };
        fsType = mkOption { type = types.str; default = "auto"; };
        options = mkOption { type = types.listOf types.str; default = [ "defaults" ]; };
      }; }));
    };
    # As nixos/modules/config/users-groups.nix declares the password fields,
    # with root's locked default.
    users.users = mkOption {
      default = { };
      type = types.attrsOf (types.submodule { freeformType = types.attrsOf types.anything; options = {
        hashedPassword = mkOption { type = types.nullOr types.str; default = null; };
        initialHashedPassword = mkOption { type = types.nullOr types.str; default = null; };
      }; });
    };
  };
  usersGroupsDefaults.config.users.users.root.initialHashedPassword = lib.mkDefault "!";
  stubPkgs = {
    busybox = "/nix/store/00000000000000000000000000000000-busybox";
    bash = "/nix/store/00000000000000000000000000000000-bash";
    aster_systemd = "aster_systemd";
    stdenv.hostPlatform.parsed.cpu.name = "x86_64";
    coreutils = "/nix/store/00000000000000000000000000000000-coreutils";
    dbus = "/nix/store/00000000000000000000000000000000-dbus";
    xorg.xorgserver = "/nix/store/00000000000000000000000000000000-xorg-server";
    xorg.xf86videofbdev = "/nix/store/00000000000000000000000000000000-xf86-video-fbdev";
    xfce.xfce4-session = "/nix/store/00000000000000000000000000000000-xfce4-session";
    inherit lib;
    fetchurl = args: { outPath = "/nix/store/00000000000000000000000000000000-fetched"; inherit args; };
    fetchzip = args: args;
    writeText = name: text: { outPath = "/nix/store/00000000000000000000000000000000-${name}"; inherit text; };
    writeShellScriptBin = name: text: { outPath = "/nix/store/00000000000000000000000000000000-${name}"; inherit text; };
    writeScript = name: text: { outPath = "/nix/store/00000000000000000000000000000000-${name}"; inherit text; };
    makeInitrd = args: { outPath = "/nix/store/00000000000000000000000000000000-initrd"; inherit args; };
  };
  eval = lib.evalModules {
    modules = [ configFile stubOptions usersGroupsDefaults settings
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
  root = { inherit (c.users.users.root) hashedPassword initialHashedPassword; };
  inherit (c.networking) enableIPv6;
  dhcp = { inherit (c.networking) useDHCP; dhcpcd = c.networking.dhcpcd.enable; };
  fileSystems = builtins.attrNames c.fileSystems;
  containerStorage = c.virtualisation.containers.storage.settings;
  xfceUnit = c.systemd.services.xfce-desktop.serviceConfig or null;
  xfceUnitWantedBy = c.systemd.services.xfce-desktop.wantedBy or null;
  startXfce = (c.systemd.services.xfce-desktop.serviceConfig.ExecStart or null);
  startXfceText = (lib.findFirst (p: (p.outPath or "") == "/nix/store/00000000000000000000000000000000-start_xfce")
    { text = null; } c.environment.systemPackages).text;
  xfceDesktopXml = (c.environment.etc."xdg/xfce4/xfconf/xfce-perchannel-xml/xfce4-desktop.xml".source.text or null);
}"#;

/// The nixpkgs `lib` directory: `NIXPKGS_LIB`, else the vendored copy in
/// `<workspace>/../shared/vendor/nixpkgs-lib/lib`. Missing, the test is
/// skipped with a note, except under CI, where it fails.
fn nixpkgs_lib() -> Option<String> {
    shared_path("vendor/nixpkgs-lib/lib", Some("NIXPKGS_LIB"))
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
            r#""stage-2-hook":"/bin/sh -l","#,
            r#""substituters":"https://aster-nixos-release.cachix.org https://aster-nixos-dev.cachix.org","#,
            r#""trusted-public-keys":"aster-nixos-release.cachix.org-1:xB6U/f5ck5vGDJZ04kPp3zGpZ4Nro9X4+TSSMAETVFE= "#,
            r#"aster-nixos-dev.cachix.org-1:xrCbE2flfliFTQCY/2HeJoT2tCO+5kMTZeLIUH9lnIA="}"#
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
    assert!(
        hook.ends_with("\n/bin/sh -l\n"),
        "the hook runs once: {hook}"
    );
    assert!(!hook.contains("while"), "the hook runs once: {hook}");

    // A stage 2 without the expected lines must fail the build, not pass silently.
    let error = run_builder_commands(&plain.replace("exec > >(tee", "exec >(nothing"))
        .expect_err("missing redirection must fail");
    assert!(error.contains("nixpkgs changed"), "{error}");
}

#[test]
fn stage_1_script_is_valid_posix_shell() {
    let Some(lib) = nixpkgs_lib() else { return };
    let script = json_text(&harness(&lib, "{ }", "stage1Text").expect("evaluates"));
    assert!(script.starts_with("#!/nix/store/00000000000000000000000000000000-busybox/bin/sh\n"));
    for expected in [
        "mount -t ext2 \"$root\" /sysroot",
        "exec switch_root /sysroot \"$init\" \"$@\"",
        "*) set -- \"$@\" \"$arg\" ;;",
        "if [ \"$rd_break\" = 1 ]; then",
    ] {
        assert!(script.contains(expected), "missing {expected:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("stage-1");
    fs::write(&file, &script).expect("write");
    common::shellcheck(&file, Some("sh"));
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
    assert_eq!(harness(&lib, &settings, "overlayCount").as_deref(), Ok("8"));
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

#[test]
fn caches_default_to_upstreams_and_can_be_turned_off() {
    let Some(lib) = nixpkgs_lib() else { return };
    let nix = harness(&lib, &format!("{{ {A_KERNEL} }}"), "nixSettings").expect("evaluates");
    assert!(
        nix.contains(concat!(
            r#""substituters":["https://aster-nixos-release.cachix.org","#,
            r#""https://aster-nixos-dev.cachix.org"]"#
        )),
        "{nix}"
    );
    assert!(
        nix.contains(concat!(
            r#""trusted-public-keys":["aster-nixos-release.cachix.org-1:xB6U/f5ck5vGDJZ04kPp3zGpZ4Nro9X4+TSSMAETVFE=","#,
            r#""aster-nixos-dev.cachix.org-1:xrCbE2flfliFTQCY/2HeJoT2tCO+5kMTZeLIUH9lnIA="]"#
        )),
        "{nix}"
    );
    let off = format!(
        r#"{{ {A_KERNEL} aster_nixos.substituters = ""; aster_nixos.trusted-public-keys = ""; }}"#
    );
    let nix = harness(&lib, &off, "nixSettings").expect("evaluates");
    assert!(
        nix.contains(r#""substituters":[],"trusted-public-keys":[]"#),
        "{nix}"
    );
}

#[test]
fn root_stays_locked() {
    let Some(lib) = nixpkgs_lib() else { return };
    assert_eq!(
        harness(&lib, &format!("{{ {A_KERNEL} }}"), "root").as_deref(),
        Ok(r#"{"hashedPassword":null,"initialHashedPassword":"!"}"#),
        "no empty password: users-groups.nix's locked default applies"
    );
    // A spec or the user may still give root a password.
    let with_hash = format!(r#"{{ {A_KERNEL} users.users.root.hashedPassword = "$6$x$y"; }}"#);
    assert_eq!(
        harness(&lib, &with_hash, "root").as_deref(),
        Ok(r#"{"hashedPassword":"$6$x$y","initialHashedPassword":"!"}"#)
    );
}

#[test]
fn ipv6_is_off_because_the_kernel_has_no_af_inet6() {
    let Some(lib) = nixpkgs_lib() else { return };
    for settings in [
        format!("{{ {A_KERNEL} }}"),
        format!("{{ {A_KERNEL} networking.enableIPv6 = true; }}"),
    ] {
        assert_eq!(
            harness(&lib, &settings, "enableIPv6").as_deref(),
            Ok("false"),
            "{settings}"
        );
    }
}

#[test]
fn dhcp_is_off_because_no_dhcp_client_can_run() {
    let Some(lib) = nixpkgs_lib() else { return };
    for settings in [
        format!("{{ {A_KERNEL} }}"),
        format!("{{ {A_KERNEL} networking.useDHCP = true; networking.dhcpcd.enable = true; }}"),
    ] {
        assert_eq!(
            harness(&lib, &settings, "dhcp").as_deref(),
            Ok(r#"{"dhcpcd":false,"useDHCP":false}"#),
            "{settings}"
        );
    }
}

/// What nixos-generate-config writes for the installer's disk layout: a
/// plain-priority root and /boot by UUID.
const HARDWARE_CONFIGURATION: &str = r#"
  fileSystems."/" = { device = "/dev/disk/by-uuid/0b1e5a8c-3f2d-4c1b-9d7e-2a6f8e4c1d3b"; fsType = "ext4"; };
  fileSystems."/boot" = { device = "/dev/disk/by-uuid/1A2B-3C4D"; fsType = "vfat"; options = [ "fmask=0077" "dmask=0077" ]; };
"#;

#[test]
fn a_generated_hardware_configuration_cannot_take_over_the_root() {
    let Some(lib) = nixpkgs_lib() else { return };
    // The distro declares no file systems of its own (stage 1 mounts root).
    assert_eq!(
        harness(&lib, &format!("{{ {A_KERNEL} }}"), "fileSystems").as_deref(),
        Ok("[]")
    );
    let generated = format!("{{ {A_KERNEL} {HARDWARE_CONFIGURATION} }}");
    let failed = harness(&lib, &generated, "failedAssertions").expect("evaluates");
    for expected in [
        "Asterinas NixOS cannot mount these file systems at boot",
        "/: /dev/disk/by-uuid/0b1e5a8c-3f2d-4c1b-9d7e-2a6f8e4c1d3b is a udev link",
        "/boot: /dev/disk/by-uuid/1A2B-3C4D is a udev link",
        "hardware-configuration.nix",
        "delete that file",
    ] {
        assert!(
            failed.contains(expected),
            "missing {expected:?} in {failed}"
        );
    }
    let by_name = format!(
        r#"{{ {A_KERNEL} fileSystems."/" = {{ device = "/dev/vda2"; fsType = "ext4"; }}; }}"#
    );
    let failed = harness(&lib, &by_name, "failedAssertions").expect("evaluates");
    assert!(
        failed.contains("/: the kernel cannot mount ext4"),
        "{failed}"
    );

    // Mounts the kernel can do pass, and so does an entry not mounted at boot.
    let fine = format!(
        r#"{{ {A_KERNEL}
           fileSystems."/" = {{ device = "/dev/vda2"; fsType = "ext2"; }};
           fileSystems."/data" = {{ device = "/dev/vdb"; fsType = "ext2"; }};
           fileSystems."/tmp" = {{ device = "tmpfs"; fsType = "tmpfs"; }};
           fileSystems."/boot" = {{ device = "/dev/vda1"; fsType = "vfat"; options = [ "noauto" ]; }}; }}"#
    );
    assert_eq!(
        harness(&lib, &fine, "failedAssertions").as_deref(),
        Ok("[]")
    );
}

#[test]
fn container_storage_keeps_runroot_and_graphroot() {
    let Some(lib) = nixpkgs_lib() else { return };
    let settings = format!("{{ {A_KERNEL} virtualisation.containers.enable = true; }}");
    assert_eq!(
        harness(&lib, &settings, "containerStorage").as_deref(),
        Ok(concat!(
            r#"{"storage":{"driver":"vfs","graphroot":"/var/lib/containers/storage","#,
            r#""runroot":"/run/containers/storage"}}"#
        ))
    );
}

#[test]
fn xfce_starts_as_upstream_starts_it() {
    let Some(lib) = nixpkgs_lib() else { return };
    assert_eq!(
        harness(&lib, &format!("{{ {A_KERNEL} }}"), "xfceUnit").as_deref(),
        Ok("null")
    );
    let settings = format!(
        "{{ {A_KERNEL} services.xserver.enable = true; services.xserver.desktopManager.xfce.enable = true; }}"
    );
    assert_eq!(
        harness(&lib, &settings, "xfceUnit").as_deref(),
        Ok(concat!(
            r#"{"Delegate":"yes","Environment":"DISPLAY=:0","#,
            r#""ExecStart":"/nix/store/00000000000000000000000000000000-start_xfce/bin/start_xfce","#,
            r#""KillMode":"process","Restart":"no","StandardError":"tty","StandardOutput":"tty","#,
            r#""Type":"simple"}"#
        ))
    );
    assert_eq!(
        harness(&lib, &settings, "xfceUnitWantedBy").as_deref(),
        Ok(r#"["multi-user.target"]"#)
    );
    let script = json_text(&harness(&lib, &settings, "startXfceText").expect("evaluates"));
    for expected in [
        "dbus-launch --sh-syntax",
        "-xorg-server/bin/Xorg :0 vt1 \\",
        "-keyboard keyboard \\",
        "-pointer mouse0 \\",
        "-novtswitch \\",
        "-keeptty \\",
        "xfce4-session >>\"$log\" 2>&1 &",
    ] {
        assert!(
            script.contains(expected),
            "missing {expected:?} in\n{script}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("start_xfce");
    fs::write(&file, format!("#!/usr/bin/env bash\n{script}")).expect("write");
    common::shellcheck(&file, None);

    let xml = json_text(&harness(&lib, &settings, "xfceDesktopXml").expect("evaluates"));
    for expected in [
        r#"<channel name="xfce4-desktop" version="1.0">"#,
        r#"<property name="monitor0" type="empty">"#,
        r#"<property name="monitordefault" type="empty">"#,
        r#"<property name="last-image" type="string" value="/nix/store/00000000000000000000000000000000-fetched"/>"#,
        r#"<property name="image-style" type="int" value="5"/>"#,
        r#"<property name="show-trash" type="bool" value="true"/>"#,
        r#"<property name="icon-size" type="uint" value="48"/>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected:?} in\n{xml}");
    }
}
