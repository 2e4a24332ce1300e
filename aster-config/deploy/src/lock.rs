//! The lock that keeps two applies (or an apply and a rollback) from interleaving.
//!
//! `<state>/lock` is locked with `flock(2)` (through [`std::fs::File::try_lock`]), which the
//! kernel releases when the process ends however it ends, so a crashed run can never leave the
//! lock *held*. While a run holds it, the file also records who holds it (process id and start
//! time, command, time, and the `nixos-rebuild` child once started) — for the "held by" message,
//! and as the mark of a run that died: a lock that is free but still names an owner is *stale*,
//! reported by the next run, which then recovers what that run left (see [`super::recover`]).

use super::DeployError;
use super::proc::{Liveness, liveness, this_process};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// Who holds (or held) the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LockOwner {
    /// Process id.
    pub pid: u32,
    /// Process start time (clock ticks since boot), to tell a recycled id apart.
    pub start: Option<u64>,
    /// The command, e.g. `apply`.
    pub command: String,
    /// When the lock was taken (seconds since 1970).
    pub since: u64,
    /// The `nixos-rebuild` process, once started.
    #[serde(default)]
    pub rebuild_pid: Option<u32>,
    /// Its start time.
    #[serde(default)]
    pub rebuild_start: Option<u64>,
}

impl std::fmt::Display for LockOwner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {}, `aster-config {}`, since {}",
            self.pid,
            self.command,
            super::time::format_utc(self.since)
        )
    }
}

/// What a look at the lock finds, without taking it for long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockState {
    /// Nobody holds it and nobody died holding it.
    Free,
    /// Another process holds it.
    Held(Option<LockOwner>),
    /// It is free but names an owner: that run ended without finishing.
    Stale(LockOwner),
}

/// The held lock. Dropping it clears the owner record and releases it.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
    owner: LockOwner,
}

/// A freshly taken lock, with the owner of a run that died holding it, if any.
#[derive(Debug)]
pub struct Acquired {
    /// The lock.
    pub lock: Lock,
    /// The stale owner found in the file.
    pub stale: Option<LockOwner>,
}

/// The lock file of a target's state folder.
pub fn lock_path(state_dir: &Path) -> PathBuf {
    state_dir.join("lock")
}

/// Takes the lock for `command`, or says who holds it. Refuses (without touching the record)
/// when a stale owner's `nixos-rebuild` is still running.
pub fn acquire(state_dir: &Path, command: &str) -> Result<Acquired, DeployError> {
    fs::create_dir_all(state_dir).map_err(DeployError::io(state_dir))?;
    let path = lock_path(state_dir);
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(DeployError::io(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let owner = read_owner(&mut file);
            return Err(DeployError::LockHeld { path, owner });
        }
        Err(TryLockError::Error(error)) => return Err(DeployError::Io(path, error)),
    }
    let stale = read_owner(&mut file);
    if let Some(rebuild) = stale
        .as_ref()
        .and_then(|s| s.rebuild_pid.map(|p| (p, s.rebuild_start)))
        && liveness(rebuild.0, rebuild.1) == Liveness::Running
    {
        return Err(DeployError::RebuildStillRunning { pid: rebuild.0 });
    }
    let (pid, start) = this_process();
    let owner = LockOwner {
        pid,
        start,
        command: command.to_owned(),
        since: super::time::now(),
        rebuild_pid: None,
        rebuild_start: None,
    };
    let mut lock = Lock { file, path, owner };
    lock.write_owner()?;
    Ok(Acquired { lock, stale })
}

/// Looks at the lock without keeping it: free, held (by whom) or stale.
pub fn peek(state_dir: &Path) -> LockState {
    let Ok(mut file) = File::open(lock_path(state_dir)) else {
        return LockState::Free;
    };
    match file.try_lock() {
        Ok(()) => match read_owner(&mut file) {
            Some(owner) => LockState::Stale(owner),
            None => LockState::Free,
        },
        Err(_) => LockState::Held(read_owner(&mut file)),
    }
}

impl Lock {
    /// Records the `nixos-rebuild` child, so a later run can tell whether it still runs.
    pub fn record_rebuild(&mut self, pid: u32) -> Result<(), DeployError> {
        self.owner.rebuild_pid = Some(pid);
        self.owner.rebuild_start = super::proc::start_time(pid);
        self.write_owner()
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_owner(&mut self) -> Result<(), DeployError> {
        let text = serde_json::to_string(&self.owner).unwrap_or_default();
        let path = self.path.clone();
        self.file
            .set_len(0)
            .and_then(|()| self.file.seek(SeekFrom::Start(0)).map(drop))
            .and_then(|()| self.file.write_all(format!("{text}\n").as_bytes()))
            .and_then(|()| self.file.sync_all())
            .map_err(DeployError::io(&path))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.sync_all();
        let _ = self.file.unlock();
    }
}

fn read_owner(file: &mut File) -> Option<LockOwner> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    if text.trim().is_empty() {
        return None;
    }
    Some(serde_json::from_str(&text).unwrap_or(LockOwner {
        pid: 0,
        start: None,
        command: "(unreadable lock record)".to_owned(),
        since: 0,
        rebuild_pid: None,
        rebuild_start: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::{LockState, acquire, peek};

    #[test]
    fn a_second_acquire_is_refused_and_a_released_lock_is_free() {
        let scratch = tempfile::tempdir().unwrap();
        let first = acquire(scratch.path(), "apply").unwrap();
        assert!(first.stale.is_none());
        match acquire(scratch.path(), "apply") {
            Err(crate::DeployError::LockHeld {
                owner: Some(owner), ..
            }) => {
                assert_eq!(owner.pid, std::process::id());
            }
            other => panic!("expected LockHeld, got {other:?}"),
        }
        assert!(matches!(peek(scratch.path()), LockState::Held(Some(_))));
        drop(first);
        assert_eq!(peek(scratch.path()), LockState::Free);
    }

    #[test]
    fn an_owner_left_in_a_free_lock_is_stale() {
        let scratch = tempfile::tempdir().unwrap();
        std::fs::write(
            scratch.path().join("lock"),
            r#"{"pid":4294967294,"start":1,"command":"apply","since":0}"#,
        )
        .unwrap();
        assert!(matches!(peek(scratch.path()), LockState::Stale(_)));
        let acquired = acquire(scratch.path(), "apply").unwrap();
        assert_eq!(acquired.stale.map(|s| s.pid), Some(4_294_967_294));
    }
}
