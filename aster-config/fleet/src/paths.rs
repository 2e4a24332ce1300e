//! Paths as the user sees them, and file references moved from a layer's folder to the fleet's.
//!
//! Diagnostics name files relative to the working directory. A spec layer refers to modules and
//! patches relative to its own folder; the merged spec is compiled from the fleet's folder, so
//! each reference is rewritten to the same file seen from there. A reference may go anywhere
//! inside the fleet's folder — that is where shared modules live — but not out of it.

use crate::layer::{Node, Table};
use std::path::{Component, Path, PathBuf};

/// `path` relative to the working directory when it lies below it, else as given; `./` dropped.
pub fn shown(path: &Path) -> PathBuf {
    let relative = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path
            .strip_prefix(&cwd)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf),
        _ => path.to_path_buf(),
    };
    normalize(&relative)
}

/// A path for messages: normalized, `/`-separated.
pub fn display(path: &Path) -> String {
    normalize(path).to_string_lossy().into_owned()
}

/// Drops `.` components and folds `name/..` pairs (lexically; fleet paths are checked to stay
/// inside the fleet's folder).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// True when `name` is a relative path that stays inside its folder.
pub fn inside(name: &str) -> bool {
    let path = Path::new(name);
    !name.is_empty()
        && !path.is_absolute()
        && normalize(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Rewrites the file references of a layer read from `folder` (relative to the fleet's folder):
/// `imports.modules` items and `overrides.<name>.patches` items.
pub fn rebase_references(table: &mut Table, folder: &Path) {
    if folder.as_os_str().is_empty() {
        return;
    }
    if let Some(imports) = table.get_mut("imports")
        && let Node::Table(imports) = &mut imports.node
        && let Some(modules) = imports.get_mut("modules")
    {
        rebase_list(&mut modules.node, folder);
    }
    if let Some(overrides) = table.get_mut("overrides")
        && let Node::Table(overrides) = &mut overrides.node
    {
        for entry in &mut overrides.entries {
            if let Node::Table(over) = &mut entry.node
                && let Some(patches) = over.get_mut("patches")
            {
                rebase_list(&mut patches.node, folder);
            }
        }
    }
}

fn rebase_list(node: &mut Node, folder: &Path) {
    let Node::Array(items, _) = node else {
        return;
    };
    for item in items {
        let Node::Scalar(text, _) = item else {
            continue;
        };
        let Ok(value) = text.parse::<toml_edit::Value>() else {
            continue;
        };
        let Some(reference) = value.as_str() else {
            continue;
        };
        if Path::new(reference).is_absolute() {
            continue;
        }
        let moved = display(&folder.join(reference));
        *text = crate::layer::string_text(&moved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_move_to_the_fleet_folder() {
        let text = "[imports]\nmodules = [\"../../shared/base.nix\", \"./own.nix\"]\n";
        let document = toml_edit::Document::parse(text).expect("toml");
        let mut table =
            crate::layer::from_toml(document.as_table(), crate::layer::Origin::whole(0, text));
        rebase_references(&mut table, Path::new("hosts/web-01"));
        let (merged, _) = crate::layer::write(&table);
        assert!(merged.contains("\"shared/base.nix\""), "{merged}");
        assert!(merged.contains("\"hosts/web-01/own.nix\""), "{merged}");
    }

    #[test]
    fn inside_refuses_paths_that_leave_the_folder() {
        assert!(inside("hosts/a.toml"));
        assert!(inside("./a.toml"));
        assert!(!inside("../a.toml"));
        assert!(!inside("/etc/a.toml"));
        assert!(!inside("a/../../b"));
    }
}
