//! Every NixOS option the emitter writes is one the project has read in nixpkgs: the path of
//! each emitted binding (for every example and ok fixture) must match a row of
//! `aster-config/data/nixos-options.toml`. The option mapping in `docs/mapping.md` is generated
//! from the same rows.

mod common;

use aster_compiler::nix::{Binding, Expr};
use aster_compiler::options::sections;
use aster_compiler::{Input, build};
use common::{root, toml_files};

struct Row {
    path: String,
    kind: String,
    module: String,
    spec: String,
}

fn rows() -> Vec<Row> {
    let text =
        std::fs::read_to_string(root().join("aster-config/compiler/data/nixos-options.toml"))
            .unwrap();
    let document = text.parse::<toml_edit::DocumentMut>().expect("valid TOML");
    let field = |table: &toml_edit::Table, key: &str| {
        table
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    document["option"]
        .as_array_of_tables()
        .expect("[[option]] tables")
        .iter()
        .map(|t| Row {
            path: field(t, "path"),
            kind: field(t, "type"),
            module: field(t, "module"),
            spec: field(t, "spec"),
        })
        .collect()
}

fn matches(pattern: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = pattern.split('.').collect();
    parts.len() == path.len()
        && parts
            .iter()
            .zip(path)
            .all(|(p, s)| p.starts_with('<') || p == s)
}

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
    let rows = rows();
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
        for section in sections(&spec) {
            let mut paths = Vec::new();
            section
                .bindings
                .iter()
                .for_each(|b| leaves(&[], b, &mut paths));
            for path in paths {
                match rows.iter().find(|r| matches(&r.path, &path)) {
                    Some(row) => {
                        used.insert(row.path.clone());
                    }
                    None => unlisted.push(format!("{}: {}", spec_file.display(), path.join("."))),
                }
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "options not in data/nixos-options.toml:\n{}",
        unlisted.join("\n")
    );
    assert!(
        used.len() >= 40,
        "the examples exercise only {} of the listed options",
        used.len()
    );
}

#[test]
fn mapping_reference_is_current() {
    let mut text = String::from(
        "# Spec keys and the NixOS options they become\n\n\
         Generated from `aster-config/data/nixos-options.toml` by `cargo test -p aster-config --test options`\n\
         (set `ASTER_UPDATE=1` to rewrite). Every option was read in its declaring nixpkgs module.\n\n\
         | spec key | NixOS option | type | declared in |\n|---|---|---|---|\n",
    );
    for row in rows() {
        text.push_str(&format!(
            "| `{}` | `{}` | `{}` | `{}` |\n",
            row.spec,
            row.path,
            row.kind.replace('|', "\\|"),
            row.module
        ));
    }
    let path = root().join("docs/mapping.md");
    if std::env::var_os("ASTER_UPDATE").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == text,
        "docs/mapping.md is stale; run with ASTER_UPDATE=1"
    );
}
