//! The compiler's passes import in one direction only, and no two sibling files import each other
//! (docs/src/architecture.md draws the same picture).
//!
//! Read from the source text: every `crate::MODULE` a file names outside its `#[cfg(test)]` module
//! is an import of that top-level module. A pass may use the shared modules and the passes before
//! it; a shared module may use only shared modules. Within every crate of the workspace, two files
//! of the same folder never import each other.

mod common;

use common::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The passes, in pipeline order.
const PASSES: [&str; 8] = [
    "source", "tree", "validate", "lower", "options", "check", "emit", "output",
];

/// Modules every pass may use. Their own order: later ones may use earlier ones.
const SHARED: [&str; 7] = [
    "util",
    "diagnostic",
    "nix",
    "spec",
    "layout",
    "schema",
    "format",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code before its test module, without comment lines (doc links name modules too).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(end) => &text[..end],
        None => &text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers that follow `prefix` (`crate::options::table` → `options`, then `table`).
fn named_after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let path: Vec<String> = rest
            .split("::")
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|s| !s.is_empty())
            .collect();
        found.push(path);
    }
    found
}

/// `0` for shared modules (ordered among themselves), pass index + 1 for passes.
fn rank(module: &str) -> Option<(usize, usize)> {
    if let Some(i) = SHARED.iter().position(|m| *m == module) {
        return Some((0, i));
    }
    PASSES.iter().position(|m| *m == module).map(|i| (1, i))
}

#[test]
fn compiler_passes_import_only_earlier_passes_and_shared_modules() {
    let src = root().join("aster-config/compiler/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let own = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if own == "lib" {
            continue;
        }
        let Some(own_rank) = rank(&own) else {
            problems.push(format!(
                "{}: module `{own}` is neither a pass nor shared",
                relative.display()
            ));
            continue;
        };
        for path in named_after(&code(file), "crate::") {
            let Some(used) = path.first() else { continue };
            if *used == own {
                continue;
            }
            // Same kind: only earlier ones. A pass may use any shared module; a shared module
            // no pass; anything else is not a module of the pipeline.
            let allowed = match (own_rank, rank(used)) {
                ((mine_kind, mine), Some((their_kind, theirs))) if mine_kind == their_kind => {
                    theirs < mine
                }
                ((1, _), Some((0, _))) => true,
                _ => false,
            };
            if !allowed {
                problems.push(format!(
                    "{}: `{own}` uses `crate::{used}`",
                    relative.display()
                ));
            }
        }
    }
    let problems: BTreeSet<String> = problems.into_iter().collect();
    assert!(
        problems.is_empty(),
        "imports against the pipeline's direction:\n{}",
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn no_two_sibling_files_import_each_other() {
    let crates = [
        "aster-config/src",
        "aster-config/compiler/src",
        "aster-config/deploy/src",
        "aster-config/nixpkgs/src",
        "aster-config/lsp/src",
        "aster-config/import/src",
        "kernel/src",
        "distro/src",
    ];
    let mut cycles = Vec::new();
    for krate in crates {
        let mut files = Vec::new();
        let crate_root = root().join(krate);
        rust_files(&crate_root, &mut files);
        // folder -> file stem -> sibling stems it names through `super::`.
        let mut uses: BTreeMap<PathBuf, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for file in &files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            if stem == "mod" || stem == "lib" || stem == "main" {
                continue;
            }
            let folder = file.parent().unwrap().to_path_buf();
            let text = code(file);
            let mut names: BTreeSet<String> = named_after(&text, "super::")
                .into_iter()
                .filter_map(|p| p.first().cloned())
                .collect();
            if folder == crate_root {
                // Files beside lib.rs name each other as `crate::sibling` too.
                names.extend(
                    named_after(&text, "crate::")
                        .into_iter()
                        .filter_map(|p| p.first().cloned()),
                );
            }
            uses.entry(folder).or_default().insert(stem, names);
        }
        for (folder, stems) in &uses {
            for (a, names) in stems {
                for b in names {
                    if a < b && stems.get(b).is_some_and(|theirs| theirs.contains(a)) {
                        cycles.push(format!("{}: {a}.rs <-> {b}.rs", folder.display()));
                    }
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "files that import each other:\n{}",
        cycles.join("\n")
    );
}
