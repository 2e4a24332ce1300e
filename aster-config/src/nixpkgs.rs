//! Package existence against the user's real nixpkgs.
//!
//! When `nix-instantiate` and a nixpkgs are available (`--nixpkgs PATH`, or `<nixpkgs>` on the
//! `NIX_PATH`), every attribute path the spec names is resolved in ONE evaluation that returns the
//! attribute names of each parent set involved. The names are cached per nixpkgs revision in the
//! user cache folder, so later runs do not evaluate nixpkgs again. Unknown packages become
//! diagnostics with "did you mean" from the real list. Without Nix, the lookup is skipped and the
//! caller is told why, once.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::emit::tree::sha256_hex;
use crate::nix::string_literal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where to find nixpkgs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Lookup {
    /// Do not look packages up.
    #[default]
    Off,
    /// Use `<nixpkgs>` from the `NIX_PATH`, when there is one.
    NixPath,
    /// Use the nixpkgs at this path.
    Path(PathBuf),
}

/// What the lookup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The lookup was not asked for.
    NotRequested,
    /// Packages were checked against this nixpkgs revision (or path fingerprint).
    Checked {
        /// The revision or fingerprint the cache is keyed by.
        revision: String,
        /// True when the attribute names came from the cache.
        cached: bool,
    },
    /// The lookup could not run; the reason says why.
    Skipped(String),
}

/// An attribute path to resolve and where the spec names it.
pub struct Wanted<'a> {
    /// The dotted attribute path.
    pub attr: &'a str,
    /// Where the spec names it.
    pub span: Option<Span>,
}

/// Checks that every wanted attribute exists, reporting those that do not.
/// Attribute names are cached under `cache_dir` (default: `$XDG_CACHE_HOME/aster-config/nixpkgs`).
pub fn check(
    lookup: &Lookup,
    cache_dir: Option<&Path>,
    wanted: &[Wanted<'_>],
    diagnostics: &mut Diagnostics,
) -> Outcome {
    if wanted.is_empty() || *lookup == Lookup::Off {
        return Outcome::NotRequested;
    }
    let path = match resolve_path(lookup) {
        Ok(path) => path,
        Err(reason) => return Outcome::Skipped(reason),
    };
    let revision = revision(&path);
    let parents: BTreeSet<Vec<&str>> = wanted
        .iter()
        .map(|w| {
            let mut parts: Vec<&str> = w.attr.split('.').collect();
            parts.pop();
            parts
        })
        .collect();
    let cache_file = cache_dir
        .map(Path::to_path_buf)
        .or_else(default_cache_dir)
        .map(|dir| dir.join(format!("{}.json", sha256_hex(revision.as_bytes()))));
    let mut names: BTreeMap<String, Option<Vec<String>>> = cache_file
        .as_ref()
        .and_then(|file| std::fs::read(file).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let missing: Vec<&Vec<&str>> = parents
        .iter()
        .filter(|p| !names.contains_key(&p.join(".")))
        .collect();
    let cached = missing.is_empty();
    if !cached {
        match evaluate(&path, &missing) {
            Ok(found) => {
                for (parent, list) in missing.iter().zip(found) {
                    names.insert(parent.join("."), list);
                }
                if let (Some(file), Ok(text)) = (&cache_file, serde_json::to_vec(&names)) {
                    if let Some(dir) = file.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    let _ = std::fs::write(file, text);
                }
            }
            Err(reason) => return Outcome::Skipped(reason),
        }
    }
    for item in wanted {
        let (parent, last) = item.attr.rsplit_once('.').unwrap_or(("", item.attr));
        let Some(Some(siblings)) = names.get(parent) else {
            diagnostics.push(unknown(
                item,
                None,
                &format!("`{parent}` is not a package set in this nixpkgs"),
            ));
            continue;
        };
        if !siblings.iter().any(|n| n == last) {
            let best = crate::validate::suggest::closest(last, siblings.iter().map(String::as_str));
            let suggestion = best.map(|b| {
                if parent.is_empty() {
                    b.to_owned()
                } else {
                    format!("{parent}.{b}")
                }
            });
            diagnostics.push(unknown(
                item,
                suggestion.as_deref(),
                "nixpkgs has no such attribute",
            ));
        }
    }
    Outcome::Checked { revision, cached }
}

fn unknown(item: &Wanted<'_>, suggestion: Option<&str>, why: &str) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::UnknownPackage,
        format!("there is no package `{}` in nixpkgs", item.attr),
    )
    .at(item.span.clone(), why);
    match suggestion {
        Some(best) => diagnostic.suggest(item.span.clone(), format!("\"{best}\"")),
        None => diagnostic
            .help("search for the right attribute name on search.nixos.org (channel 25.05)"),
    }
}

fn resolve_path(lookup: &Lookup) -> Result<PathBuf, String> {
    match lookup {
        Lookup::Off => Err("not requested".into()),
        Lookup::Path(path) => {
            if path.join("default.nix").is_file() || path.is_file() {
                path.canonicalize()
                    .map_err(|e| format!("{}: {e}", path.display()))
            } else {
                Err(format!(
                    "{} is not a nixpkgs (no default.nix)",
                    path.display()
                ))
            }
        }
        Lookup::NixPath => {
            let output = nix_instantiate()
                .args(["--find-file", "nixpkgs"])
                .output()
                .map_err(|_| "nix-instantiate is not installed".to_owned())?;
            if !output.status.success() {
                return Err("<nixpkgs> is not on the NIX_PATH; pass --nixpkgs PATH".into());
            }
            Ok(PathBuf::from(
                String::from_utf8_lossy(&output.stdout).trim(),
            ))
        }
    }
}

fn nix_instantiate() -> Command {
    let mut command = Command::new("nix-instantiate");
    command.env(
        "NIX_REMOTE",
        std::env::var("NIX_REMOTE").unwrap_or_else(|_| "dummy://".into()),
    );
    command
}

/// The nixpkgs revision when the tree records one, otherwise a fingerprint of its location and
/// the modification time of its entry file.
fn revision(path: &Path) -> String {
    for file in [".git-revision", ".version-suffix"] {
        if let Ok(text) = std::fs::read_to_string(path.join(file)) {
            return format!("{}:{}", file, text.trim());
        }
    }
    let entry = if path.is_file() {
        path.to_path_buf()
    } else {
        path.join("default.nix")
    };
    let modified = std::fs::metadata(&entry).and_then(|m| m.modified()).ok();
    let stamp = modified
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("path:{}:{stamp}", path.display())
}

fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("aster-config").join("nixpkgs"))
}

/// One evaluation: for each parent path, the attribute names of that set (or null).
fn evaluate(nixpkgs: &Path, parents: &[&Vec<&str>]) -> Result<Vec<Option<Vec<String>>>, String> {
    let lists: Vec<String> = parents
        .iter()
        .map(|p| {
            format!(
                "[ {} ]",
                p.iter()
                    .map(|n| string_literal(n))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        })
        .collect();
    let expression = format!(
        "let pkgs = import {} {{ config = {{ }}; overlays = [ ]; }};\n\
         get = path: builtins.foldl' (set: name: if builtins.isAttrs set && builtins.hasAttr name set then builtins.getAttr name set else null) pkgs path;\n\
         names = path: let set = get path; in if builtins.isAttrs set then builtins.attrNames set else null;\n\
         in map names [ {} ]",
        string_literal(&nixpkgs.display().to_string()),
        lists.join(" ")
    );
    let output = nix_instantiate()
        .args(["--eval", "--strict", "--json", "--expr"])
        .arg(&expression)
        .output()
        .map_err(|_| "nix-instantiate is not installed".to_owned())?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("unknown error");
        return Err(format!("evaluating nixpkgs failed: {first}"));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("unexpected output from nix-instantiate: {e}"))
}
