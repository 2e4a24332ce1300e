//! Finding and cleaning up what an interrupted run left behind.
//!
//! [`inspect`] only looks (for `plan`, `generations` and `--dry-run`, which change nothing);
//! [`recover`] runs under the lock at the start of every `apply` and `rollback` and brings the
//! target back to a consistent state, following the journal ([`super::swap`]):
//!
//! | journal phase | files on disk            | recovery                                          |
//! |---------------|--------------------------|---------------------------------------------------|
//! | `recorded`    | old                      | the new generation is marked abandoned            |
//! | `swapping`    | old, new, or a mixture   | the old generation's files are put back           |
//! | `swapped`     | new (never rebuilt)      | the old generation's files are put back           |
//! | `rebuilding`  | new (rebuild unknown)    | kept; the rebuild is recorded as interrupted      |
//! | `restoring`   | mixture after a failure  | the old generation's files are put back           |
//!
//! Leftover staging folders and half-written generations are removed; a stale lock is reported.

use super::generations::{RebuildResult, State, Store};
use super::lock::{LockOwner, LockState, peek};
use super::stage::{LeftoverStaging, leftovers};
use super::swap::{self, Phase, Transaction};
use super::{DeployError, Target};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Something an interrupted or concurrent run left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Another run holds the lock right now.
    LockHeld(Option<LockOwner>),
    /// A run ended while holding the lock.
    StaleLock(LockOwner),
    /// A staging folder whose process is gone.
    LeftoverStaging(LeftoverStaging),
    /// A half-written generation folder.
    IncompleteGeneration(PathBuf),
    /// A run stopped while changing the managed files or rebuilding.
    Interrupted(Transaction),
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::LockHeld(Some(owner)) => {
                write!(f, "another aster-config run is in progress ({owner})")
            }
            Finding::LockHeld(None) => write!(f, "another aster-config run is in progress"),
            Finding::StaleLock(owner) => write!(
                f,
                "stale lock: an earlier run ({owner}) stopped without finishing"
            ),
            Finding::LeftoverStaging(leftover) => {
                write!(f, "leftover staging folder {}", leftover.path.display())?;
                match leftover.pid {
                    Some(pid) => write!(f, " from process {pid}, which is no longer running"),
                    None => Ok(()),
                }
            }
            Finding::IncompleteGeneration(path) => {
                write!(f, "half-written generation folder {}", path.display())
            }
            Finding::Interrupted(t) => write!(
                f,
                "an earlier `aster-config {}` (pid {}) stopped in phase `{}` while installing generation {}",
                t.command,
                t.pid,
                t.phase.as_str(),
                t.to
            ),
        }
    }
}

/// What recovery did about one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// A stale lock, reported (the lock itself was taken over).
    StaleLock(LockOwner),
    /// A leftover folder (staging or half-written generation), removed.
    Removed(Finding),
    /// The journal was followed: the files of `restored` (none: no managed files) are in place.
    Restored {
        /// The interrupted run.
        transaction: Transaction,
        /// The generation whose files were put back.
        restored: Option<u32>,
    },
    /// A recorded generation that never got installed, marked abandoned.
    Abandoned(Transaction),
    /// The rebuild was interrupted; the new files stay.
    RebuildInterrupted(Transaction),
    /// A generation left pending without a journal (the run stopped right after recording it).
    PendingAbandoned(u32),
}

fn generation_name(number: Option<u32>) -> String {
    number.map_or_else(
        || "no managed files (as before the first apply)".to_owned(),
        |n| format!("generation {n}"),
    )
}

impl std::fmt::Display for Recovered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovered::StaleLock(owner) => write!(
                f,
                "stale lock: an earlier run ({owner}) stopped without finishing; its process is gone, so the lock was taken over"
            ),
            Recovered::Removed(finding) => write!(f, "removed {finding}"),
            Recovered::Restored {
                transaction,
                restored,
            } => {
                let what = match transaction.phase {
                    Phase::Swapped => "it had replaced the files but never started nixos-rebuild",
                    Phase::Restoring => {
                        "its rebuild had failed and it was putting the old files back"
                    }
                    _ => "it had not finished replacing the files",
                };
                write!(
                    f,
                    "{}: {what}, so the files of {} were put back in place",
                    Finding::Interrupted(transaction.clone()),
                    generation_name(*restored),
                )
            }
            Recovered::PendingAbandoned(number) => write!(
                f,
                "generation {number} was recorded by a run that stopped before replacing any file; it is marked abandoned"
            ),
            Recovered::Abandoned(transaction) => write!(
                f,
                "{}: no managed file had been replaced; generation {} is marked abandoned",
                Finding::Interrupted(transaction.clone()),
                transaction.to
            ),
            Recovered::RebuildInterrupted(transaction) => {
                write!(
                    f,
                    "{}: `nixos-rebuild {}` did not finish, so it is unknown whether the system runs it. The files of generation {} are in place; run the same `aster-config apply` again to finish, or `aster-config rollback",
                    Finding::Interrupted(transaction.clone()),
                    transaction.action,
                    transaction.to
                )?;
                if let Some(from) = transaction.from {
                    write!(f, " {from}")?;
                }
                write!(f, "` to go back")
            }
        }
    }
}

/// Everything left behind, without changing anything.
pub fn inspect(target: &Target) -> Result<Vec<Finding>, DeployError> {
    let state_dir = target.state_dir();
    let mut findings = Vec::new();
    match peek(&state_dir) {
        LockState::Free => {}
        LockState::Held(owner) => findings.push(Finding::LockHeld(owner)),
        LockState::Stale(owner) => findings.push(Finding::StaleLock(owner)),
    }
    if let Some(transaction) = swap::read(&state_dir)? {
        findings.push(Finding::Interrupted(transaction));
    }
    findings.extend(
        leftovers(&target.config_dir())
            .into_iter()
            .map(Finding::LeftoverStaging),
    );
    findings.extend(
        Store::new(&state_dir)
            .incomplete()
            .into_iter()
            .map(Finding::IncompleteGeneration),
    );
    Ok(findings)
}

/// Recovers everything left behind. The caller holds the lock; `stale` is the owner it found.
pub fn recover(target: &Target, stale: Option<LockOwner>) -> Result<Vec<Recovered>, DeployError> {
    let state_dir = target.state_dir();
    let store = Store::new(&state_dir);
    let mut done = Vec::new();
    if let Some(owner) = stale {
        done.push(Recovered::StaleLock(owner));
    }
    if let Some(transaction) = swap::read(&state_dir)? {
        done.push(follow_journal(target, &store, transaction)?);
    }
    let journal_target = done.iter().find_map(|r| match r {
        Recovered::Abandoned(t)
        | Recovered::Restored { transaction: t, .. }
        | Recovered::RebuildInterrupted(t) => Some(t.to),
        _ => None,
    });
    for generation in store.list()? {
        if generation.state == State::Pending && Some(generation.number) != journal_target {
            store.set_state(generation.number, State::Abandoned)?;
            done.push(Recovered::PendingAbandoned(generation.number));
        }
    }
    for leftover in leftovers(&target.config_dir()) {
        let _ = std::fs::remove_dir_all(&leftover.path);
        done.push(Recovered::Removed(Finding::LeftoverStaging(leftover)));
    }
    for path in store.incomplete() {
        let _ = std::fs::remove_dir_all(&path);
        done.push(Recovered::Removed(Finding::IncompleteGeneration(path)));
    }
    Ok(done)
}

fn follow_journal(
    target: &Target,
    store: &Store,
    transaction: Transaction,
) -> Result<Recovered, DeployError> {
    let state_dir = target.state_dir();
    let recovered = match transaction.phase {
        Phase::Recorded => {
            if transaction.new_generation && store.get(transaction.to).is_ok() {
                store.set_state(transaction.to, State::Abandoned)?;
            }
            Recovered::Abandoned(transaction)
        }
        Phase::Swapping | Phase::Swapped | Phase::Restoring => {
            put_back(target, store, &transaction)?;
            if transaction.new_generation && transaction.phase != Phase::Restoring {
                store.set_state(transaction.to, State::Abandoned)?;
            }
            Recovered::Restored {
                restored: transaction.from,
                transaction,
            }
        }
        Phase::Rebuilding => {
            store.finish_rebuild(transaction.to, RebuildResult::Interrupted, None)?;
            store.set_current(Some(transaction.to))?;
            Recovered::RebuildInterrupted(transaction)
        }
    };
    swap::clear(&state_dir)?;
    Ok(recovered)
}

/// Puts the files of the journal's `from` generation back over `from ∪ to`.
fn put_back(target: &Target, store: &Store, transaction: &Transaction) -> Result<(), DeployError> {
    let to = store.get(transaction.to)?;
    let (files, from_paths) = match transaction.from {
        Some(number) => {
            let from = store.get(number)?;
            (store.files(&from)?, from.files.keys().cloned().collect())
        }
        None => (super::files::FileSet::new(), BTreeSet::new()),
    };
    let managed: BTreeSet<String> = super::files::union(to.files.keys(), &from_paths);
    swap::restore(&target.config_dir(), &files, &managed, None)?;
    store.set_current(transaction.from)
}
