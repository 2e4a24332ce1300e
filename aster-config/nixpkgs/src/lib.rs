//! Package names from the user's real nixpkgs, for the compiler's package check.
//!
//! When `nix-instantiate` and a nixpkgs are available (`--nixpkgs PATH`, or `<nixpkgs>` on the
//! `NIX_PATH`), the attribute names of every package set the spec draws from are read in ONE
//! evaluation. They are cached per nixpkgs revision in the user cache folder, so later runs do not
//! evaluate nixpkgs again. [`Nixpkgs`] implements the compiler's [`PackageIndex`]; the compiler
//! turns its answer into diagnostics. Without Nix the lookup says why it could not run.

use aster_compiler::nix::string_literal;
use aster_compiler::{IndexAnswer, PackageIndex, sha256_hex};
use std::collections::BTreeMap;
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
    /// The nixpkgs to use is known but cannot be read here, for the reason given (the spec's
    /// locked nixpkgs is not in the Nix store yet, say): names are not looked up and the run says
    /// why.
    Unavailable(String),
}

/// The user's nixpkgs as a [`PackageIndex`].
#[derive(Debug, Clone)]
pub struct Nixpkgs {
    lookup: Lookup,
    cache_dir: Option<PathBuf>,
}

impl Nixpkgs {
    /// An index over the nixpkgs `lookup` names, caching under `cache_dir` (default:
    /// `$XDG_CACHE_HOME/aster-config/nixpkgs`). `None` when `lookup` is [`Lookup::Off`].
    pub fn new(lookup: Lookup, cache_dir: Option<PathBuf>) -> Option<Self> {
        (lookup != Lookup::Off).then_some(Self { lookup, cache_dir })
    }
}

impl PackageIndex for Nixpkgs {
    fn attribute_names(&self, parents: &[&str]) -> Result<IndexAnswer, String> {
        let path = resolve_path(&self.lookup)?;
        let revision = revision(&path);
        let cache_file = self
            .cache_dir
            .clone()
            .or_else(default_cache_dir)
            .map(|dir| dir.join(format!("{}.json", sha256_hex(revision.as_bytes()))));
        let mut names: BTreeMap<String, Option<Vec<String>>> = cache_file
            .as_ref()
            .and_then(|file| std::fs::read(file).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let missing: Vec<&str> = parents
            .iter()
            .copied()
            .filter(|p| !names.contains_key(*p))
            .collect();
        let cached = missing.is_empty();
        if !cached {
            let found = evaluate(&path, &missing)?;
            for (parent, list) in missing.iter().zip(found) {
                names.insert((*parent).to_owned(), list);
            }
            if let (Some(file), Ok(text)) = (&cache_file, serde_json::to_vec(&names)) {
                if let Some(dir) = file.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = std::fs::write(file, text);
            }
        }
        Ok(IndexAnswer {
            names,
            revision,
            cached,
        })
    }
}

fn resolve_path(lookup: &Lookup) -> Result<PathBuf, String> {
    match lookup {
        Lookup::Off => Err("not requested".into()),
        Lookup::Unavailable(reason) => Err(reason.clone()),
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
        Lookup::NixPath => match find_on_nix_path() {
            Found::Path(path) => Ok(path),
            Found::Nothing => Err("<nixpkgs> is not on the NIX_PATH; pass --nixpkgs PATH".into()),
            // Only entries Nix itself must resolve (URLs, `channel:…`) need Nix to find it.
            Found::AskNix => {
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
        },
    }
}

/// Where `<nixpkgs>` is, found without starting Nix.
enum Found {
    Path(PathBuf),
    Nothing,
    AskNix,
}

/// Resolves `<nixpkgs>` as Nix does, from `NIX_PATH` (or Nix's default search path when it is
/// unset): `nixpkgs=DIR` entries name it, plain `DIR` entries hold it as `DIR/nixpkgs`. A run on a
/// machine without nixpkgs (most CI machines, every editor keystroke) so costs a few `stat`s
/// instead of a Nix process.
fn find_on_nix_path() -> Found {
    let from_env = std::env::var("NIX_PATH").unwrap_or_default();
    let entries: Vec<String> = if from_env.trim().is_empty() {
        let mut defaults = Vec::new();
        if let Some(home) = std::env::var_os("HOME") {
            defaults.push(format!(
                "{}/.nix-defexpr/channels",
                PathBuf::from(home).display()
            ));
        }
        defaults.push("nixpkgs=/nix/var/nix/profiles/per-user/root/channels/nixpkgs".into());
        defaults.push("/nix/var/nix/profiles/per-user/root/channels".into());
        defaults
    } else {
        from_env.split(':').map(str::to_owned).collect()
    };
    let mut remote = false;
    for entry in &entries {
        let (prefix, target) = entry.split_once('=').unwrap_or(("", entry));
        if target.contains("://") || target.starts_with("channel") || target.starts_with("flake") {
            remote |= prefix.is_empty() || prefix == "nixpkgs";
            continue;
        }
        let candidate = match prefix {
            "nixpkgs" => PathBuf::from(target),
            "" => Path::new(target).join("nixpkgs"),
            _ => continue,
        };
        if candidate.exists() {
            return Found::Path(candidate);
        }
    }
    if remote {
        Found::AskNix
    } else {
        Found::Nothing
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

/// The top-level package names of the nixpkgs most recently looked up (the newest file in the
/// cache folder, default `$XDG_CACHE_HOME/aster-config/nixpkgs`), without starting Nix; empty
/// when nothing was ever looked up. For completion in editors, which must never wait for Nix.
pub fn cached_top_level_names(cache_dir: Option<&Path>) -> Vec<String> {
    let Some(dir) = cache_dir.map(Path::to_path_buf).or_else(default_cache_dir) else {
        return Vec::new();
    };
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "json"))
        .max_by_key(|entry| entry.metadata().and_then(|m| m.modified()).ok());
    let names: Option<BTreeMap<String, Option<Vec<String>>>> = newest
        .and_then(|entry| std::fs::read(entry.path()).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    names
        .and_then(|mut names| names.remove(""))
        .flatten()
        .unwrap_or_default()
}

fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("aster-config").join("nixpkgs"))
}

/// One evaluation: for each parent path, the attribute names of that set (or null).
fn evaluate(nixpkgs: &Path, parents: &[&str]) -> Result<Vec<Option<Vec<String>>>, String> {
    let lists: Vec<String> = parents
        .iter()
        .map(|p| {
            format!(
                "[ {} ]",
                p.split('.')
                    .filter(|n| !n.is_empty())
                    .map(string_literal)
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
