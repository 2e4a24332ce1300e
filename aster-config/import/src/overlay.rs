//! `nixpkgs.overlays = [ (import ./overlays/NAME.nix) … ]` back into `[overrides.NAME]`, for the
//! overlays aster-config itself wrote: their header names the override and the package, and their
//! body holds only `version`, `src = final.fetchurl { url; hash; }` and `patches`. Any other
//! overlay stays in the kept module.

use crate::nix;
use rnix::ast;
use rowan::ast::AstNode;
use std::path::Path;
use toml_edit::{Array, DocumentMut, Item, Table};

/// One override read back from its overlay file.
struct Override {
    name: String,
    attr: String,
    version: Option<String>,
    src_url: Option<String>,
    src_hash: Option<String>,
    patches: Vec<String>,
}

/// The overlay files a `nixpkgs.overlays` value imports, when it is nothing but such imports.
fn imported_files(value_text: &str) -> Option<Vec<String>> {
    let parse = rnix::Root::parse(value_text);
    let ast::Expr::List(list) = parse.tree().expr()? else {
        return None;
    };
    list.items()
        .map(|item| {
            let item = match item {
                ast::Expr::Paren(paren) => paren.expr()?,
                other => other,
            };
            let ast::Expr::Apply(apply) = item else { return None };
            let is_import = matches!(apply.lambda(), Some(ast::Expr::Ident(i)) if i.syntax().to_string() == "import");
            match apply.argument() {
                Some(ast::Expr::PathRel(path)) if is_import => {
                    Some(path.syntax().to_string())
                }
                _ => None,
            }
        })
        .collect()
}

/// Reads an overlay aster-config wrote.
fn read(text: &str) -> Option<Override> {
    let header = text.lines().find_map(|l| l.strip_prefix("# Override `"))?;
    let (name, rest) = header.split_once("` of package `")?;
    let attr = rest.strip_suffix("`.")?;
    let mut found = Override {
        name: name.to_owned(),
        attr: attr.to_owned(),
        version: None,
        src_url: None,
        src_hash: None,
        patches: Vec::new(),
    };
    let root = rnix::Root::parse(text).tree();
    for node in root.syntax().descendants() {
        let Some(binding) = ast::AttrpathValue::cast(node) else {
            continue;
        };
        let Some(key) = binding.attrpath().map(|p| p.syntax().to_string()) else {
            continue;
        };
        let value = binding.value();
        let string = || match value.as_ref().map(nix::convert) {
            Some(nix::NixValue::Str(s)) => Some(s),
            _ => None,
        };
        match key.as_str() {
            "version" => found.version = string(),
            "url" => found.src_url = string(),
            "hash" => found.src_hash = string(),
            "patches" => {
                found.patches = value
                    .iter()
                    .flat_map(|v| v.syntax().descendants())
                    .filter(|n| n.kind() == rnix::SyntaxKind::NODE_PATH_REL)
                    .map(|n| n.to_string().trim_start_matches("../").to_owned())
                    .collect();
            }
            _ => {}
        }
    }
    Some(found)
}

/// Writes `[overrides.NAME]` for every overlay of `value_text`; false (and nothing written) when
/// one of them is not an overlay aster-config wrote.
pub fn map(document: &mut DocumentMut, value_text: &str, folder: Option<&Path>) -> bool {
    let (Some(files), Some(folder)) = (imported_files(value_text), folder) else {
        return false;
    };
    let mut overrides = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(folder.join(&file)) else {
            return false;
        };
        let Some(found) = read(&text) else {
            return false;
        };
        overrides.push(found);
    }
    let table = document.entry("overrides").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    let Some(table) = table.as_table_mut() else {
        return false;
    };
    for found in overrides {
        let mut entry = Table::new();
        entry.insert("attr", toml_edit::value(found.attr));
        for (key, value) in [
            ("version", found.version),
            ("src-url", found.src_url),
            ("src-hash", found.src_hash),
        ] {
            if let Some(value) = value {
                entry.insert(key, toml_edit::value(value));
            }
        }
        if !found.patches.is_empty() {
            entry.insert(
                "patches",
                toml_edit::value(found.patches.into_iter().collect::<Array>()),
            );
        }
        table.insert(&found.name, Item::Table(entry));
    }
    true
}
