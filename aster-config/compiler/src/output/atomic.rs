//! The file-writing primitives every writer of aster-config uses: a new file flushed to disk, a
//! file replaced atomically (temporary sibling, flush, rename), and a flushed folder entry list.
//! [`super::write`] builds a whole output folder from them; `aster-deploy` replaces the managed
//! files of `/etc/nixos` with them.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Writes a new file (it must not exist yet; its parent folders are created) and flushes it.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Replaces `path` with `bytes` atomically: a temporary sibling, flushed, then renamed over it.
/// A reader sees the old contents or the new ones, never a mixture.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let _ = fs::remove_file(&temporary);
    write_new(&temporary, bytes)?;
    if let Err(error) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    if let Some(parent) = path.parent() {
        sync_dir(parent);
    }
    Ok(())
}

/// Flushes a folder's entries (new names, renames) to disk; best effort.
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
