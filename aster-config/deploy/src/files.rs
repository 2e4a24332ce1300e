//! Sets of managed files: reading what is installed, checking paths, writing durably.
//!
//! A managed path is relative to `/etc/nixos`, `/`-separated, made of plain components only, and
//! never one of the names the machine or the distro own. Reading never follows a symbolic link:
//! a managed path (or a folder on the way to it) that is a link or a folder is an error, so a
//! replacement can never write outside `/etc/nixos` or clobber a folder.

use super::DeployError;
use aster_compiler::output::atomic;
pub use aster_compiler::output::atomic::sync_dir;
use aster_compiler::sha256_hex;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Component, Path};

/// Name prefix of the folders new files are staged in (see `stage`); never a managed path.
pub const STAGING_PREFIX: &str = ".aster-config-staging-";

/// File contents by managed path.
pub type FileSet = BTreeMap<String, Vec<u8>>;

/// SHA-256 (hex) by managed path.
pub type Hashes = BTreeMap<String, String>;

/// First path components aster-config never manages: the machine's hardware module, the
/// distro's own files, and its own staging folders.
pub const NEVER_MANAGED: &[&str] = aster_compiler::layout::NOT_OURS;

/// The hashes of every file in `files`.
pub fn hashes(files: &FileSet) -> Hashes {
    files
        .iter()
        .map(|(path, bytes)| (path.clone(), sha256_hex(bytes)))
        .collect()
}

/// Checks that `path` may be managed: relative, plain components, not owned by someone else.
pub fn check_managed_path(path: &str) -> Result<(), DeployError> {
    let forbidden = || DeployError::ForbiddenPath(path.to_owned());
    let relative = Path::new(path);
    if path.is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(forbidden());
    }
    let first = path.split('/').next().unwrap_or(path);
    if NEVER_MANAGED.contains(&first) || first.starts_with(STAGING_PREFIX) {
        return Err(forbidden());
    }
    Ok(())
}

/// Reads the regular files at `paths` under `dir`; a missing file is simply absent.
pub fn read_installed<'a>(
    dir: &Path,
    paths: impl IntoIterator<Item = &'a String>,
) -> Result<FileSet, DeployError> {
    let mut files = FileSet::new();
    for relative in paths {
        check_managed_path(relative)?;
        let path = dir.join(relative);
        if !parents_are_plain_folders(dir, relative)? {
            continue;
        }
        match fs::symlink_metadata(&path) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(DeployError::Io(path, error)),
            Ok(meta) if !meta.file_type().is_file() => {
                return Err(DeployError::NotARegularFile(path));
            }
            Ok(_) => {
                let bytes = fs::read(&path).map_err(DeployError::io(&path))?;
                files.insert(relative.clone(), bytes);
            }
        }
    }
    Ok(files)
}

/// True when every folder between `dir` and `relative` is a real folder; false when one is
/// missing (so the file cannot exist); an error when one is a link or a file.
pub fn parents_are_plain_folders(dir: &Path, relative: &str) -> Result<bool, DeployError> {
    let mut current = dir.to_path_buf();
    let components: Vec<&str> = relative.split('/').collect();
    for component in &components[..components.len().saturating_sub(1)] {
        current.push(component);
        match fs::symlink_metadata(&current) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(error) => return Err(DeployError::Io(current, error)),
            Ok(meta) if !meta.file_type().is_dir() => {
                return Err(DeployError::NotARegularFile(current));
            }
            Ok(_) => {}
        }
    }
    Ok(true)
}

/// Writes a new file (it must not exist) and flushes it to disk.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), DeployError> {
    atomic::write_new(path, bytes).map_err(DeployError::io(path))
}

/// Replaces `path` with `bytes` atomically: a temporary sibling, flushed, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DeployError> {
    atomic::write_atomic(path, bytes).map_err(DeployError::io(path))
}

/// The managed paths of `files` plus `others`, as one sorted set.
pub fn union<'a>(
    files: impl IntoIterator<Item = &'a String>,
    others: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut all = others.clone();
    all.extend(files.into_iter().cloned());
    all
}

#[cfg(test)]
mod tests {
    use super::check_managed_path;

    #[test]
    fn only_plain_relative_paths_outside_foreign_names_are_managed() {
        assert!(check_managed_path("configuration.nix").is_ok());
        assert!(check_managed_path("overlays/x.nix").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "hardware-configuration.nix",
            "asterinas/modules/core.nix",
            ".aster-config-staging-1-2/x",
        ] {
            assert!(check_managed_path(bad).is_err(), "{bad} accepted");
        }
    }
}
