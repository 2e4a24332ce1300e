//! The file-writing primitives every writer of aster-config uses: a new file flushed to disk, a
//! file replaced atomically (temporary sibling, flush, rename), a flushed folder entry list, and
//! many new files flushed at once.
//! [`super::write`] builds a whole output folder from them; `aster-deploy` replaces the managed
//! files of `/etc/nixos` with them.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Writes a new file (it must not exist yet; its parent folders are created) and flushes it.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_unsynced(path, bytes)?.sync_all()
}

/// Writes a new file like [`write_new`] but leaves flushing it to the caller ([`sync_all`]).
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> io::Result<fs::File> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    Ok(file)
}

/// How many files [`sync_all`] flushes at the same time.
const SYNC_WORKERS: usize = 16;

/// Flushes every file in `paths` to disk. One `fsync` after another costs a journal commit each
/// (5 s for 2,000 small files here); issued from several threads at once the file system commits
/// them together (0.3 s). Returns the first file that could not be flushed.
pub fn sync_all(paths: &[std::path::PathBuf]) -> Result<(), (std::path::PathBuf, io::Error)> {
    let sync = |path: &std::path::PathBuf| {
        fs::File::open(path)
            .and_then(|file| file.sync_all())
            .map_err(|e| (path.clone(), e))
    };
    if paths.len() <= 2 {
        return paths.iter().try_for_each(sync);
    }
    let chunk = paths.len().div_ceil(SYNC_WORKERS);
    std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().try_for_each(sync)))
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker.join().unwrap_or_else(|_| {
                Err((
                    std::path::PathBuf::new(),
                    io::Error::other("a thread flushing files stopped"),
                ))
            })
        })
    })
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
