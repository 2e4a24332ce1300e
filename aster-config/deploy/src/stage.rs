//! Staging: the new managed files, written in full beside the target before anything is replaced.
//!
//! The staging folder lives *inside* `/etc/nixos` (`.aster-config-staging-<pid>-<start>`), so
//! moving a staged file into place is a `rename(2)` on one file system — atomic per file — even
//! when `/etc/nixos` is its own mount. Its name records the process that made it; a staging
//! folder whose process is gone is a leftover of an interrupted run, found by [`leftovers`].

use super::DeployError;
use super::files::{FileSet, STAGING_PREFIX, check_managed_path, sync_dir, write_new};
use super::proc::{Liveness, liveness, this_process};
use std::fs;
use std::path::{Path, PathBuf};

/// A staging folder holding a complete set of files.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    files: FileSet,
}

impl Staging {
    /// Writes `files` into a new staging folder in `config_dir` (created when missing).
    pub fn create(config_dir: &Path, files: &FileSet) -> Result<Staging, DeployError> {
        fs::create_dir_all(config_dir).map_err(DeployError::io(config_dir))?;
        let (pid, start) = this_process();
        let mut name = format!("{STAGING_PREFIX}{pid}-{}", start.unwrap_or(0));
        let mut counter = 0;
        while fs::symlink_metadata(config_dir.join(&name)).is_ok() {
            counter += 1;
            name = format!("{STAGING_PREFIX}{pid}-{}.{counter}", start.unwrap_or(0));
        }
        let dir = config_dir.join(name);
        fs::create_dir(&dir).map_err(DeployError::io(&dir))?;
        let staging = Staging {
            dir,
            files: files.clone(),
        };
        for (relative, bytes) in files {
            check_managed_path(relative)?;
            write_new(&staging.dir.join(relative), bytes)?;
        }
        sync_dir(&staging.dir);
        Ok(staging)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The staged files.
    pub fn files(&self) -> &FileSet {
        &self.files
    }

    /// Removes the staging folder and whatever is still in it.
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A staging folder left by a process that no longer runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftoverStaging {
    /// The folder.
    pub path: PathBuf,
    /// The process that made it, when its name records one.
    pub pid: Option<u32>,
}

/// Staging folders in `config_dir` whose process is gone (or whose name cannot be read).
pub fn leftovers(config_dir: &Path) -> Vec<LeftoverStaging> {
    let Ok(entries) = fs::read_dir(config_dir) else {
        return Vec::new();
    };
    let mut found: Vec<LeftoverStaging> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner = name.strip_prefix(STAGING_PREFIX)?;
            let (pid, start) = parse_owner(owner);
            let alive = pid.is_some_and(|pid| liveness(pid, start) != Liveness::Gone);
            (!alive).then(|| LeftoverStaging {
                path: entry.path(),
                pid,
            })
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn parse_owner(owner: &str) -> (Option<u32>, Option<u64>) {
    let mut parts = owner.splitn(2, '-');
    let pid = parts.next().and_then(|p| p.parse().ok());
    let start = parts
        .next()
        .and_then(|s| s.split('.').next())
        .and_then(|s| s.parse().ok())
        .filter(|&s| s != 0);
    (pid, start)
}

#[cfg(test)]
mod tests {
    use super::{Staging, leftovers};
    use crate::files::FileSet;

    #[test]
    fn a_live_staging_folder_is_not_a_leftover_and_a_dead_one_is() {
        let scratch = tempfile::tempdir().unwrap();
        let files = FileSet::from([("overlays/a.nix".to_owned(), b"{ }".to_vec())]);
        let staging = Staging::create(scratch.path(), &files).unwrap();
        assert_eq!(
            std::fs::read(staging.dir().join("overlays/a.nix")).unwrap(),
            b"{ }"
        );
        assert!(leftovers(scratch.path()).is_empty());
        let dead = scratch.path().join(".aster-config-staging-4294967294-7");
        std::fs::create_dir(&dead).unwrap();
        let found = leftovers(scratch.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pid, Some(4_294_967_294));
        staging.discard();
    }
}
