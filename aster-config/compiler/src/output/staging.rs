//! An output folder written piece by piece: files go into a hidden staging folder beside the
//! target as soon as they are ready, from any number of threads, and [`Staging::commit`] adds the
//! last files and the manifest, flushes everything and swaps the folder in.
//!
//! This is how `fleet build` writes 10,000 hosts without holding them all in memory: each host's
//! files are staged as it compiles. Until the commit nothing is visible at the target; a staging
//! folder that is dropped without a commit (an error, a host that did not compile) is removed.

use super::{WriteError, atomic, check_target, swap_in, unique_sibling};
use crate::emit::{MANIFEST_FILE, OutputTree};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// From this many files on, one `syncfs` of the file system flushes them instead of one `fsync`
/// per file: 20,000 `fsync`s take over a second even sixteen at a time, one `syncfs` a fraction
/// of that. Below it, per-file flushes do not wait for unrelated writes to the same file system.
#[cfg(target_os = "linux")]
const SYNCFS_FROM: usize = 512;

/// A staging folder for the output that will replace `target`.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// Every file staged so far: its path relative to the output folder, and on disk.
    staged: Mutex<Vec<(String, PathBuf)>>,
    committed: bool,
}

impl Staging {
    /// Checks that `target` may be replaced (missing, empty, or an earlier aster-config output)
    /// and creates an empty staging folder beside it.
    pub fn new(target: &Path) -> Result<Self, WriteError> {
        check_target(target)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        let dir = unique_sibling(&parent, &format!(".{name}.staging"));
        fs::create_dir(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
        Ok(Self {
            target: target.to_path_buf(),
            parent,
            name,
            dir,
            staged: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Writes one file (`relative`: `/`-separated, inside the output folder) into the staging
    /// folder. Safe to call from several threads at once; each path may be staged once.
    pub fn add(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.dir.join(inside(relative)?);
        atomic::write_unsynced(&path, bytes).map_err(|e| WriteError::Io(path.clone(), e))?;
        self.staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((relative.to_owned(), path));
        Ok(())
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.staged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// True when nothing is staged yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stages the files of `rest`, then the manifest of everything staged (its generator and spec
    /// from `rest`), flushes every file to disk and puts the folder in the target's place.
    pub fn commit(self, rest: &OutputTree) -> Result<(), WriteError> {
        for (relative, bytes) in rest.files() {
            self.add(relative, bytes)?;
        }
        // The manifest lists every staged file (`rest`'s are among them now).
        let manifest = {
            let staged = self.staged.lock().unwrap_or_else(PoisonError::into_inner);
            rest.manifest_of(staged.iter().map(|(relative, _)| relative.as_str()))
        };
        self.finish(&manifest)
    }

    /// Writes `manifest`, flushes every staged file and swaps the folder in.
    pub(super) fn finish(mut self, manifest: &str) -> Result<(), WriteError> {
        let manifest_path = self.dir.join(MANIFEST_FILE);
        atomic::write_unsynced(&manifest_path, manifest.as_bytes())
            .map_err(|e| WriteError::Io(manifest_path.clone(), e))?;
        let staged = std::mem::take(
            self.staged
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let mut paths: Vec<PathBuf> = staged.into_iter().map(|(_, path)| path).collect();
        paths.push(manifest_path);
        flush(&self.dir, &paths)?;
        swap_in(&self.dir, &self.target, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `relative` as a path that stays inside the output folder.
fn inside(relative: &str) -> Result<&Path, WriteError> {
    let path = Path::new(relative);
    if path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(WriteError::Io(
            path.to_path_buf(),
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "output paths must stay inside the output folder",
            ),
        ))
    }
}

/// Puts every staged file on disk before the folder is renamed into place.
fn flush(dir: &Path, paths: &[PathBuf]) -> Result<(), WriteError> {
    #[cfg(target_os = "linux")]
    if paths.len() >= SYNCFS_FROM {
        let handle = fs::File::open(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
        return rustix::fs::syncfs(&handle)
            .map_err(|e| WriteError::Io(dir.to_path_buf(), io::Error::from(e)));
    }
    let _ = dir;
    atomic::sync_all(paths).map_err(|(path, e)| WriteError::Io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("aster-staging-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    fn rest() -> OutputTree {
        let mut tree = OutputTree::new(&SourceFile {
            name: "fleet.toml".into(),
            text: "fleet-version = 1\n".into(),
        });
        tree.insert("hive.nix", b"{ }\n".to_vec());
        tree
    }

    #[test]
    fn files_staged_from_several_threads_appear_together_with_one_manifest() {
        let dir = scratch("commit");
        let target = dir.join("out");
        let staging = Staging::new(&target).expect("staging");
        std::thread::scope(|scope| {
            for worker in 0..4 {
                let staging = &staging;
                scope.spawn(move || {
                    for host in 0..25 {
                        let path = format!("hosts/h{worker}-{host}/configuration.nix");
                        staging.add(&path, b"{ }\n").expect("stage");
                    }
                });
            }
        });
        assert!(!target.exists(), "nothing is visible before the commit");
        staging.commit(&rest()).expect("commit");
        assert_eq!(fs::read(target.join("hive.nix")).expect("hive"), b"{ }\n");
        let manifest = fs::read_to_string(target.join(MANIFEST_FILE)).expect("manifest");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
        let listed = manifest["files"].as_array().expect("files");
        assert_eq!(listed.len(), 101);
        assert_eq!(listed[0], "hive.nix");
        assert_eq!(manifest["spec"], "fleet.toml");
        assert_eq!(
            fs::read_dir(&dir).expect("list").count(),
            1,
            "no staging folder is left beside the output"
        );
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn a_staging_folder_dropped_without_a_commit_is_removed_and_the_old_output_kept() {
        let dir = scratch("drop");
        let target = dir.join("out");
        super::super::write(&rest(), &target).expect("first output");
        let staging = Staging::new(&target).expect("staging");
        staging
            .add("hosts/a/configuration.nix", b"{ }\n")
            .expect("stage");
        assert!(staging.add("../escape.nix", b"").is_err());
        drop(staging);
        let names: Vec<_> = fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["out"]);
        assert!(target.join("hive.nix").is_file());
        assert!(!target.join("hosts").exists());
        fs::remove_dir_all(&dir).expect("clean up");
    }
}
