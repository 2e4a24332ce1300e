//! `aster-config import`: an existing NixOS `configuration.nix` as an aster-config spec.
//!
//! The file is read with rnix into flat option assignments ([`nix`]). Options a spec section owns
//! become that section's keys ([`mapping`]); the spec written so far is then built with the real
//! compiler, and every remaining assignment that the build writes identically is recognised as
//! derived (aster-config writes `programs.fish.enable` for a fish user, say). What is left goes to
//! `[nixos]` when it is plain data, and otherwise — functions, `pkgs.` expressions, `mkIf`, paths —
//! into a module kept beside the spec and listed under `[imports]`. A `[nixos]` entry that the
//! compiler says a section owns (`AC0313`) moves to the module too. A body wrapped in `let … in`
//! or `with …;` is split the same way; the module keeps the wrappers for the settings that use
//! them ([`scope`]). Every assignment, `inherit` and wrapper gets a line in the [`Report`]: where
//! it went and why.
//!
//! A crate of its own (not a compiler pass): it runs the whole compiler as a black box to check
//! its own guesses, so it sits above `aster-compiler` like the CLI does.

mod mapping;
mod names;
pub mod nix;
mod overlay;
mod scope;

use aster_compiler::{Code, Diagnostic, Input, build};
use nix::{Binding, Module, NixValue, OpaqueReason};
use std::collections::BTreeSet;
use std::path::Path;
use toml_edit::{DocumentMut, Item, Table};

/// The file name of the module that keeps what the spec cannot say.
pub const MODULE_FILE: &str = "imported-module.nix";

/// Where one assignment went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A spec key.
    Spec,
    /// Nowhere: the spec's build writes it by itself.
    Derived,
    /// A `[nixos]` entry.
    Nixos,
    /// The kept module.
    Module,
    /// Nowhere: the distro provides it.
    Dropped,
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The option path (or the import's path).
    pub option: String,
    /// Where it went.
    pub destination: Destination,
    /// Why, in words.
    pub why: String,
}

/// What went where.
pub type Report = Vec<Placement>;

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The spec, formatted.
    pub spec: String,
    /// The module to write beside it as [`MODULE_FILE`], when one is needed.
    pub module: Option<String>,
    /// Every assignment and where it went.
    pub report: Report,
}

/// Imports `text`, the contents of a `configuration.nix` in `folder` (where its imports are).
pub fn import(text: &str, folder: Option<&Path>) -> Result<Imported, Vec<Diagnostic>> {
    let module = nix::read(text)?;
    let mut state = State::new(&module);
    state.place_imports(&module);
    for binding in &module.bindings {
        let overlays = binding.path == ["nixpkgs", "overlays"]
            && overlay::map(&mut state.document, &binding.text, folder);
        if overlays || mapping::map(&mut state.document, &binding.path, &binding.value) {
            state.report(
                binding,
                Destination::Spec,
                "a spec section owns this option",
            );
        } else {
            state.pending.push(binding.clone());
        }
    }
    let built = state.built_options(folder);
    for binding in std::mem::take(&mut state.pending) {
        if built.contains(&key(&binding)) {
            state.report(
                &binding,
                Destination::Derived,
                "the spec's build writes it by itself",
            );
        } else if binding.value.is_plain() && binding.value != NixValue::Null {
            state.nixos.push(binding);
        } else {
            state.kept.push(binding);
        }
    }
    state.move_owned_to_module(folder);
    for binding in state.nixos.clone() {
        state.report(
            &binding,
            Destination::Nixos,
            "plain data that no spec section covers",
        );
    }
    for binding in state.kept.clone() {
        state.report(&binding, Destination::Module, "not plain data (a function, `pkgs.` expression, path, `mkIf`, or a name the `let`/`with` around the module provides), or owned by a section in a form the spec cannot write");
    }
    for entry in &module.opaque {
        let why = match entry.reason {
            OpaqueReason::Inherit => {
                "an `inherit` copies names from the scope around it, so it stays in the module"
            }
            OpaqueReason::ComputedName => {
                "not a plain assignment (a name computed with `${…}`), so it stays in the module"
            }
            OpaqueReason::ScopedImports => {
                "an `imports` list that uses names of the `let`/`with` around it, so it stays in the module"
            }
        };
        state.placements.push(Placement {
            option: entry.text.split_whitespace().collect::<Vec<_>>().join(" "),
            destination: Destination::Module,
            why: why.to_owned(),
        });
    }
    let module_text = state.module_text(&module);
    for wrapper in &module.wrappers {
        let (destination, why) = if module_text.is_some() {
            (
                Destination::Module,
                format!(
                    "the module keeps the `{}` for the settings that stay there",
                    wrapper.keyword()
                ),
            )
        } else {
            (
                Destination::Dropped,
                "every setting it wraps became spec data that does not use it".to_owned(),
            )
        };
        let option = if wrapper.is_with {
            format!("with {};", wrapper.names.join(" "))
        } else {
            format!("let {}", wrapper.names.join(", "))
        };
        state.placements.push(Placement {
            option,
            destination,
            why,
        });
    }
    if module_text.is_some() {
        add_module(&mut state.document, &format!("./{MODULE_FILE}"));
    }
    let spec = state.spec_text();
    let spec = aster_compiler::format::format(&spec).map_err(|_| {
        vec![Diagnostic::new(
            Code::Internal,
            "the imported spec could not be formatted",
        )]
    })?;
    Ok(Imported {
        spec,
        module: module_text,
        report: state.placements,
    })
}

/// The identity of an assignment, to compare the input with what a build writes.
fn key(binding: &Binding) -> (Vec<String>, String) {
    (binding.path.clone(), format!("{:?}", binding.value))
}

/// The work in progress.
struct State {
    document: DocumentMut,
    pending: Vec<Binding>,
    nixos: Vec<Binding>,
    kept: Vec<Binding>,
    opaque: Vec<String>,
    placements: Report,
}

impl State {
    fn new(module: &Module) -> Self {
        let mut document = DocumentMut::new();
        document.insert("spec-version", toml_edit::value(1));
        Self {
            document,
            pending: Vec::new(),
            nixos: Vec::new(),
            kept: Vec::new(),
            opaque: module.opaque.iter().map(|o| o.text.clone()).collect(),
            placements: Vec::new(),
        }
    }

    fn report(&mut self, binding: &Binding, destination: Destination, why: &str) {
        self.placements.push(Placement {
            option: nix_path(&binding.path),
            destination,
            why: why.to_owned(),
        });
    }

    fn place_imports(&mut self, module: &Module) {
        for path in &module.imports {
            let file = path.rsplit('/').next().unwrap_or(path);
            let (destination, why) =
                if file == "aster_configuration.nix" || file == "hardware-configuration.nix" {
                    (
                        Destination::Dropped,
                        "aster-config imports it in every configuration.nix it writes",
                    )
                } else {
                    add_module(&mut self.document, path);
                    (Destination::Spec, "listed under `[imports] modules`")
                };
            self.placements.push(Placement {
                option: format!("imports: {path}"),
                destination,
                why: why.to_owned(),
            });
        }
    }

    fn spec_text(&self) -> String {
        let mut document = self.document.clone();
        if !self.nixos.is_empty() {
            let mut table = Table::new();
            for binding in &self.nixos {
                if let Some(value) = mapping::toml_value(&binding.value) {
                    table.insert(&nixos_key(&binding.path), Item::Value(value));
                }
            }
            document.insert("nixos", Item::Table(table));
        }
        document.to_string()
    }

    /// The assignments the spec written so far builds to.
    fn built_options(&self, folder: Option<&Path>) -> BTreeSet<(Vec<String>, String)> {
        let text = self.spec_text();
        let built = build(Input {
            name: "imported.toml",
            bytes: text.as_bytes(),
            base_dir: folder,
        });
        let Some(output) = built.output else {
            return BTreeSet::new();
        };
        let Some(configuration) = output
            .files()
            .get(aster_compiler::layout::CONFIGURATION)
            .map(|b| String::from_utf8_lossy(b).into_owned())
        else {
            return BTreeSet::new();
        };
        nix::read(&configuration)
            .map(|m| m.bindings.iter().map(key).collect())
            .unwrap_or_default()
    }

    /// `[nixos]` entries the compiler says a section owns go to the module instead.
    fn move_owned_to_module(&mut self, folder: Option<&Path>) {
        for _ in 0..3 {
            let text = self.spec_text();
            let checked = aster_compiler::check(Input {
                name: "imported.toml",
                bytes: text.as_bytes(),
                base_dir: folder,
            });
            let Ok(parsed) = toml_edit::Document::parse(text.as_str()) else {
                return;
            };
            let Some(nixos) = parsed.get("nixos").and_then(Item::as_table) else {
                return;
            };
            let owned: Vec<String> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::OptionOwnedBySpec)
                .filter_map(|d| d.primary_span().cloned())
                .filter_map(|span| {
                    nixos.iter().find_map(|(name, _)| {
                        let key_span = nixos.key(name)?.span()?;
                        (key_span.start <= span.start && span.start <= key_span.end)
                            .then(|| name.to_owned())
                    })
                })
                .collect();
            if owned.is_empty() {
                return;
            }
            let (moved, stay): (Vec<_>, Vec<_>) = std::mem::take(&mut self.nixos)
                .into_iter()
                .partition(|b| owned.contains(&nixos_key(&b.path)));
            self.nixos = stay;
            self.kept.extend(moved);
        }
    }

    /// The module that keeps what the spec cannot say; `None` when nothing is left.
    fn module_text(&self, module: &Module) -> Option<String> {
        if self.kept.is_empty() && self.opaque.is_empty() {
            return None;
        }
        let arguments = module
            .arguments
            .clone()
            .unwrap_or_else(|| "{ config, lib, pkgs, ... }".to_owned());
        let mut text = String::from(
            "# Kept by `aster-config import`: settings of the original configuration.nix that are not\n\
             # plain data, or that a spec section owns in a form the spec cannot write.\n",
        );
        text.push_str(&format!("{arguments}:\n\n"));
        for wrapper in &module.wrappers {
            text.push_str(&wrapper.text);
        }
        text.push_str("{\n");
        for binding in &self.kept {
            text.push_str(&format!(
                "  {} = {};\n",
                nix_path(&binding.path),
                binding.text
            ));
        }
        for entry in &self.opaque {
            text.push_str(&format!("  {entry}\n"));
        }
        text.push_str("}\n");
        Some(text)
    }
}

/// Adds `path` to `[imports] modules`.
fn add_module(document: &mut DocumentMut, path: &str) {
    let imports = document
        .entry("imports")
        .or_insert_with(|| Item::Table(Table::new()));
    if let Some(table) = imports.as_table_mut() {
        let modules = table
            .entry("modules")
            .or_insert_with(|| toml_edit::value(toml_edit::Array::new()));
        if let Some(array) = modules.as_array_mut()
            && !array.iter().any(|v| v.as_str() == Some(path))
        {
            array.push(path);
        }
    }
}

/// True for a name Nix accepts without quotes.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "_-'".contains(c))
        && ![
            "if", "then", "else", "let", "in", "with", "rec", "inherit", "assert", "or",
        ]
        .contains(&name)
}

/// A name quoted for Nix: `"…"` with `\`, `"` and `${` escaped.
fn nix_quoted(name: &str) -> String {
    let escaped = name
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "\\${")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t");
    format!("\"{escaped}\"")
}

/// An option path as Nix writes it.
fn nix_path(path: &[String]) -> String {
    path.iter()
        .map(|n| {
            if is_identifier(n) {
                n.clone()
            } else {
                nix_quoted(n)
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// An option path as a `[nixos]` key writes it: names that are not identifiers in `"…"`.
fn nixos_key(path: &[String]) -> String {
    nix_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_derived_options_nixos_and_module() {
        let imported = import(
            "{ config, pkgs, ... }:\n{\n  imports = [ ./hardware-configuration.nix ];\n  \
             networking.hostName = \"box\";\n  users.users.ann = { isNormalUser = true; shell = pkgs.fish; };\n  \
             programs.fish.enable = true;\n  services.redis.servers.\"\".appendOnly = true;\n  \
             systemd.services.x.script = lib.mkForce \"true\";\n}\n",
            None,
        )
        .unwrap();
        let go = |option: &str| {
            imported
                .report
                .iter()
                .find(|p| p.option == option)
                .map(|p| p.destination.clone())
        };
        assert_eq!(go("networking.hostName"), Some(Destination::Spec));
        assert_eq!(go("programs.fish.enable"), Some(Destination::Derived));
        assert_eq!(
            go("services.redis.servers.\"\".appendOnly"),
            Some(Destination::Nixos)
        );
        assert_eq!(go("systemd.services.x.script"), Some(Destination::Module));
        assert!(
            imported.spec.contains("hostname = \"box\""),
            "{}",
            imported.spec
        );
        assert!(
            imported.spec.contains("'services.redis.servers."),
            "{}",
            imported.spec
        );
        let module = imported.module.unwrap();
        assert!(
            module.contains("systemd.services.x.script = lib.mkForce \"true\";"),
            "{module}"
        );
    }
}
