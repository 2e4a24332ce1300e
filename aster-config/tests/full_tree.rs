//! The `--full` tree of an example, evaluated as one system with nixpkgs' real `lib.evalModules`:
//! the emitted `configuration.nix` together with the distro's `aster_configuration.nix` and every
//! `asterinas/modules/*.nix` it imports, exactly as `build --full` writes them.
//!
//! Snapshots show the text aster-config writes; this shows what that text means once the distro's
//! modules have had their say: IPv6 off (the kernel has no `AF_INET6`), the firewall off (no packet
//! filter) and the services the spec asked for on. Only the NixOS option declarations the vendored
//! lib lacks are stubbed (it has no `nixos/`), as in `distro/tests/nix_files.rs`; definitions of
//! other options are accepted unchecked. The lib comes from `common::nixpkgs_lib()`: under `CI`
//! a missing lib fails the test.

mod common;

use aster_compiler::{Input, Options, build_with};
use common::{nixpkgs_lib, root};
use std::path::Path;

/// Evaluates a full tree's `configuration.nix` and returns the settings these tests read. The
/// stub declarations give each option NixOS's own default (`networking.enableIPv6` and
/// `networking.firewall.enable` default to `true` in nixpkgs 25.05), so a `false` can only come
/// from the tree.
const HARNESS: &str = r#"{ libPath, configFile }:
let
  lib = import libPath;
  inherit (lib) mkOption types;
  stubOptions.options = {
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    warnings = mkOption { type = types.listOf types.str; default = [ ]; };
    networking.enableIPv6 = mkOption { type = types.bool; default = true; };
    networking.firewall.enable = mkOption { type = types.bool; default = true; };
    networking.useDHCP = mkOption { type = types.bool; default = true; };
    networking.dhcpcd.enable = mkOption { type = types.bool; default = true; };
    services.nginx.enable = mkOption { type = types.bool; default = false; };
    services.nginx.virtualHosts = mkOption { type = types.attrsOf types.anything; default = { }; };
    services.openssh.enable = mkOption { type = types.bool; default = false; };
  };
  stubPkgs = {
    inherit lib;
    stdenv.hostPlatform.parsed.cpu.name = "x86_64";
  };
  eval = lib.evalModules {
    modules = [ configFile stubOptions { _module.check = false; _module.args.pkgs = stubPkgs; } ];
  };
  c = eval.config;
in {
  inherit (c.networking) enableIPv6 useDHCP;
  dhcpcd = c.networking.dhcpcd.enable;
  firewall = c.networking.firewall.enable;
  nginx = c.services.nginx.enable;
  sites = builtins.attrNames c.services.nginx.virtualHosts;
  openssh = c.services.openssh.enable;
}"#;

/// `examples/<stem>.toml` built as `build --full` builds it, written under `dir`.
fn write_full_tree(stem: &str, dir: &Path) {
    let example = root().join("examples").join(format!("{stem}.toml"));
    let bytes = std::fs::read(&example).expect("read example");
    let options = Options {
        full: true,
        ..Options::default()
    };
    let built = build_with(
        Input {
            name: &format!("{stem}.toml"),
            bytes: &bytes,
            base_dir: example.parent(),
        },
        &options,
    );
    let output = built.output.unwrap_or_else(|| {
        panic!(
            "{stem} does not build: {:?}",
            built.checked.diagnostics.iter().collect::<Vec<_>>()
        )
    });
    for part in ["configuration.nix", "aster_configuration.nix"] {
        assert!(output.files().contains_key(part), "--full lacks {part}");
    }
    assert!(
        output.files().keys().any(|path| {
            path.starts_with("asterinas/modules/")
                && Path::new(path).extension().is_some_and(|ext| ext == "nix")
        }),
        "--full lacks the distro's modules"
    );
    aster_compiler::output::write(&output, dir).expect("write the full tree");
}

/// Evaluates the harness against `dir/configuration.nix`; the JSON text or the error.
fn evaluate(lib: &Path, dir: &Path) -> Result<String, String> {
    let harness = dir.join("full-tree-harness.nix");
    std::fs::write(&harness, HARNESS).expect("write harness");
    let stdout = common::try_nix_instantiate(
        "dummy://",
        &[
            &"--eval",
            &"--strict",
            &"--json",
            &harness,
            &"--arg",
            &"libPath",
            &lib,
            &"--arg",
            &"configFile",
            &dir.join("configuration.nix"),
        ],
    )?;
    Ok(stdout.trim().to_owned())
}

#[test]
fn web_server_full_tree_keeps_ipv6_dhcp_and_the_firewall_off_and_runs_nginx() {
    let Some(lib) = nixpkgs_lib() else { return };
    let scratch = tempfile::tempdir().expect("temp dir");
    let dir = scratch.path().join("etc-nixos");
    write_full_tree("web-server", &dir);
    let settings =
        evaluate(&lib, &dir).unwrap_or_else(|error| panic!("evaluation failed:\n{error}"));
    let settings: serde_json::Value = serde_json::from_str(&settings).expect("JSON");
    assert_eq!(settings["enableIPv6"], false, "{settings}");
    assert_eq!(settings["firewall"], false, "{settings}");
    assert_eq!(settings["nginx"], true, "{settings}");
    assert_eq!(settings["openssh"], true, "{settings}");
    // No DHCP client can run (no packet sockets; the kernel sets the address itself): the
    // distro's networking module turns DHCP off over NixOS's default.
    assert_eq!(settings["useDHCP"], false, "{settings}");
    assert_eq!(settings["dhcpcd"], false, "{settings}");
    assert_eq!(
        settings["sites"],
        serde_json::json!(["app.example.org", "example.org"]),
        "{settings}"
    );
}
