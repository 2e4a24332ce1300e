//! Emitted configurations type-check against the real NixOS option types.
//!
//! Needs the real nixpkgs `lib`: `NIXPKGS_LIB`, or the vendored copy in `../shared/vendor` (see
//! `common::nixpkgs_lib`); under `CI=true` a missing lib fails the test. For every example, the
//! emitted `configuration.nix` is evaluated with `lib.evalModules`, with the distro module
//! replaced by declarations of every option in the option table (`options::table`, each with its
//! declared type written out over `lib.types`) and a stub `pkgs`. Every definition is forced, so a value of the wrong type
//! — a port out of range, a host name NixOS's regex rejects, a multi-line key — fails here.

// The skip notice goes to stderr, where cargo test shows it.
#![allow(clippy::print_stderr)]

mod common;

use aster_compiler::options::table;
use aster_compiler::{Input, build, nix::string_literal};
use common::{nixpkgs_lib, root, toml_files};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

#[derive(Default)]
struct OptionTree {
    leaf: Option<String>,
    children: BTreeMap<String, OptionTree>,
    any_name: Option<Box<OptionTree>>,
}

fn option_tree() -> OptionTree {
    let mut tree = OptionTree::default();
    for row in table::all() {
        let mut node = &mut tree;
        for segment in row.segments() {
            node = if segment.starts_with('<') {
                node.any_name.get_or_insert_with(Box::default)
            } else {
                node.children.entry(segment.to_owned()).or_default()
            };
        }
        node.leaf = Some(row.nix_type.to_owned());
    }
    tree
}

/// The `options` attribute set for `node`'s children.
fn render_options(node: &OptionTree) -> String {
    let mut out = String::from("{ ");
    for (name, child) in &node.children {
        let _ = write!(out, "{} = {}; ", string_literal(name), render_node(child));
    }
    out.push('}');
    out
}

fn render_node(node: &OptionTree) -> String {
    if let Some(element) = &node.any_name {
        // Sub-options the table does not list (set through `[nixos]`) are accepted as they are.
        let inner = format!(
            "types.attrsOf (types.submodule {{ freeformType = types.lazyAttrsOf types.anything; options = {}; }})",
            render_options(element)
        );
        return format!("lib.mkOption {{ type = types.nullOr ({inner}); default = null; }}");
    }
    match &node.leaf {
        Some(kind) => format!("lib.mkOption {{ type = types.nullOr ({kind}); default = null; }}"),
        None => render_options(node),
    }
}

fn stub_pkgs(spec: &aster_compiler::Spec) -> String {
    let mut attrs: Vec<String> = spec.packages.install.clone();
    attrs.extend(
        spec.users
            .values()
            .filter_map(|u| u.shell)
            .map(|s| s.package().to_owned()),
    );
    let mut out = String::from(
        "let drv = name: { type = \"derivation\"; inherit name; outPath = \"/nix/store/00000000000000000000000000000000-${name}\"; shellPath = \"/bin/${name}\"; }; in lib.foldl' lib.recursiveUpdate { } [ ",
    );
    for attr in attrs {
        let path: Vec<String> = attr.split('.').map(string_literal).collect();
        let _ = write!(
            out,
            "(lib.setAttrByPath [ {} ] (drv {})) ",
            path.join(" "),
            string_literal(&attr)
        );
    }
    out.push(']');
    out
}

#[test]
fn emitted_configurations_type_check_with_the_real_lib() {
    let Some(lib) = nixpkgs_lib() else {
        return;
    };
    let declarations = render_options(&option_tree());
    let scratch = tempfile::tempdir().unwrap();
    for example in toml_files(&root().join("examples")) {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&example).unwrap();
        let built = build(Input {
            name: "spec.toml",
            bytes: &bytes,
            base_dir: example.parent(),
        });
        let spec = built.checked.spec.clone().unwrap();
        let output = built.output.expect("example builds");
        let dir = scratch.path().join(&stem);
        aster_compiler::output::write(&output, &dir).unwrap();
        let stub = format!(
            "{{ lib, ... }}:\nlet types = lib.types; in\n{{\n  options = {declarations};\n  config._module.check = false;\n  config._module.args.pkgs = {};\n}}\n",
            stub_pkgs(&spec)
        );
        std::fs::write(dir.join("aster_configuration.nix"), stub).unwrap();
        let expression = format!(
            "let lib = import {lib}; eval = lib.evalModules {{ modules = [ {dir}/configuration.nix ]; }}; config = builtins.removeAttrs eval.config [ \"_module\" ]; in builtins.deepSeq config {{ hostName = config.networking.hostName; stateVersion = config.system.stateVersion; }}",
            lib = string_literal(&lib.to_string_lossy()),
            dir = dir.display(),
        );
        let result = Command::new("nix-instantiate")
            .args(["--eval", "--strict", "--json", "--expr", &expression])
            .env("NIX_REMOTE", "dummy://")
            .output()
            .expect("nix-instantiate is needed (apt-get install nix-bin)");
        assert!(
            result.status.success(),
            "{stem}: evaluation failed:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let values: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
        assert_eq!(values["hostName"], spec.system.hostname, "{stem}");
        assert_eq!(values["stateVersion"], spec.system.state_version, "{stem}");
    }
}
