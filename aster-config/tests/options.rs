//! Every NixOS option the emitter writes is a row of the option table
//! (`aster-config/compiler/data/nixos-options.toml`, compiled into `options::table`), and every
//! row is written by at least one example or ok fixture, so no option goes untested. The option
//! mapping in `docs/src/mapping.md` is generated from the same rows.

mod common;

use aster_compiler::nix::{Binding, Expr};
use aster_compiler::options::{overlays, pinned_nixpkgs, sections, table};
use aster_compiler::{Input, build};
use common::{root, toml_files};

/// The leaf option paths of a binding: nested attribute sets are options of their own.
fn leaves(prefix: &[String], binding: &Binding, out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    path.extend(binding.path.iter().cloned());
    match &binding.value {
        Expr::Attrs(inner) if !inner.is_empty() => inner.iter().for_each(|b| leaves(&path, b, out)),
        _ => out.push(path),
    }
}

#[test]
fn every_emitted_option_was_read_in_nixpkgs() {
    let rows = table::all();
    let mut specs = toml_files(&root().join("examples"));
    specs.extend(toml_files(&root().join("tests/fixtures/ok")));
    let mut unlisted = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for spec_file in &specs {
        let bytes = std::fs::read(spec_file).unwrap();
        let built = build(Input {
            name: "spec.toml",
            bytes: &bytes,
            base_dir: spec_file.parent(),
        });
        let Some(spec) = built.checked.spec else {
            continue;
        };
        let bindings = sections(&spec)
            .into_iter()
            .flat_map(|s| s.bindings)
            .chain(overlays(&spec));
        for binding in bindings {
            let mut paths = Vec::new();
            leaves(&[], &binding, &mut paths);
            for path in paths {
                // A leaf uses its own row and the rows of the attribute sets around it
                // (`services.nginx.virtualHosts` for a site's `root`).
                let around =
                    (1..path.len()).filter_map(|n| rows.iter().find(|r| r.matches(&path[..n])));
                used.extend(around.map(|r| r.path));
                match rows.iter().find(|r| r.matches(&path)) {
                    Some(row) => {
                        used.insert(row.path);
                    }
                    None => unlisted.push(format!("{}: {}", spec_file.display(), path.join("."))),
                }
            }
        }
    }
    // What a locked spec adds (tests/lock.rs evaluates it with the real lib).
    let mut pinned = Vec::new();
    leaves(&[], &pinned_nixpkgs(), &mut pinned);
    for path in pinned {
        match rows.iter().find(|r| r.matches(&path)) {
            Some(row) => {
                used.insert(row.path);
            }
            None => unlisted.push(format!("a locked spec: {}", path.join("."))),
        }
    }
    assert!(
        unlisted.is_empty(),
        "options not in data/nixos-options.toml:\n{}",
        unlisted.join("\n")
    );
    let unused: Vec<&str> = rows
        .iter()
        .map(|r| r.path)
        .filter(|p| !used.contains(p))
        .collect();
    assert!(
        unused.is_empty(),
        "no example or ok fixture writes these options, so nothing tests them:\n{}",
        unused.join("\n")
    );
}

#[test]
fn mapping_reference_is_current() {
    let mut text = String::from(
        "# Spec keys and the NixOS options they become\n\n\
         Generated from `aster-config/compiler/data/nixos-options.toml` by `cargo test -p aster-config --test options`\n\
         (set `ASTER_UPDATE=1` to rewrite). Every option was read in its declaring nixpkgs module.\n\n\
         | spec key | NixOS option | type | declared in |\n|---|---|---|---|\n",
    );
    for row in table::all() {
        text.push_str(&format!(
            "| `{}` | `{}` | `{}` | `{}` |\n",
            row.spec_key,
            row.path,
            row.declared_type.replace('|', "\\|"),
            row.module
        ));
    }
    let path = root().join("docs/src/mapping.md");
    if std::env::var_os("ASTER_UPDATE").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == text,
        "docs/src/mapping.md is stale; run with ASTER_UPDATE=1"
    );
}
