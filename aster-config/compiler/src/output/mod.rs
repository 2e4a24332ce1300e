//! Writing an [`OutputTree`] to disk, all or nothing.
//!
//! The files are written into a fresh staging folder beside the target, then the staging folder
//! takes the target's place by rename, so a reader sees either the old output or the new one,
//! never a mixture, and a failed build leaves the old output untouched. An existing target is only
//! replaced when it is an earlier aster-config output (it holds the manifest); anything else —
//! an `/etc/nixos` with a `hardware-configuration.nix`, a home folder — is refused. Paths come
//! from the tree, which only holds relative paths without `..`; symbolic links are never followed.

pub mod atomic;
mod staging;

pub use staging::Staging;

use crate::emit::{MANIFEST_FILE, OutputTree};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The target exists and is not an aster-config output folder.
    NotOurs(PathBuf),
    /// The target is a symbolic link or not a folder.
    NotADirectory(PathBuf),
    /// A file system operation failed.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(path) => write!(
                f,
                "{} exists and was not written by aster-config (no {MANIFEST_FILE}); choose a new or empty folder",
                path.display()
            ),
            WriteError::NotADirectory(path) => write!(
                f,
                "{} is a symbolic link or a file, not a folder",
                path.display()
            ),
            WriteError::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `tree` (and its manifest) to `target`, replacing an earlier aster-config output there.
pub fn write(tree: &OutputTree, target: &Path) -> Result<(), WriteError> {
    let staging = Staging::new(target)?;
    for (relative, bytes) in tree.files() {
        staging.add(relative, bytes)?;
    }
    staging.finish(&tree.manifest())
}

fn check_target(target: &Path) -> Result<(), WriteError> {
    match fs::symlink_metadata(target) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(WriteError::Io(target.to_path_buf(), error)),
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotADirectory(target.to_path_buf())),
        Ok(_) => {
            let empty = fs::read_dir(target)
                .map_err(|e| WriteError::Io(target.to_path_buf(), e))?
                .next()
                .is_none();
            let ours = fs::symlink_metadata(target.join(MANIFEST_FILE)).is_ok_and(|m| m.is_file());
            if empty || ours {
                Ok(())
            } else {
                Err(WriteError::NotOurs(target.to_path_buf()))
            }
        }
    }
}

fn unique_sibling(parent: &Path, stem: &str) -> PathBuf {
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    parent.join(format!("{stem}-{pid}-{nanos}"))
}

fn swap_in(staging: &Path, target: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| WriteError::Io(path, e)
    };
    if fs::symlink_metadata(target).is_ok() {
        let old = unique_sibling(parent, &format!(".{name}.old"));
        fs::rename(target, &old).map_err(io(target))?;
        if let Err(error) = fs::rename(staging, target) {
            let _ = fs::rename(&old, target);
            return Err(WriteError::Io(target.to_path_buf(), error));
        }
        fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        fs::rename(staging, target).map_err(io(target))?;
    }
    atomic::sync_dir(parent);
    Ok(())
}
