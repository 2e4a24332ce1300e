//! Replacing the managed files, under a journal that makes the whole set old-or-new.
//!
//! One `rename(2)` replaces one file atomically, but `/etc/nixos` is shared with files
//! aster-config does not own, so a set of files cannot be swapped with a single rename. Instead:
//!
//! 1. the complete new set is staged beside the target ([`super::stage`]) and the old set is a
//!    recorded generation, so both sets are on disk, whole, before anything is replaced;
//! 2. `transaction.json` records the swap (`from` generation, `to` generation, phase) *before*
//!    the first rename and is updated after the last one;
//! 3. files are renamed into place with `configuration.nix` — the entry point that imports all
//!    the others — last, then files that are no longer managed are removed.
//!
//! A run that dies between the first and the last rename leaves the journal in phase
//! `swapping`; every later run (even `plan`) sees it, and `apply`/`rollback` put the `from` set
//! back before doing anything else ([`super::recover`]). `nixos-rebuild` only ever runs after
//! the swap is complete, so it never builds a mixture.

use super::DeployError;
use super::fault::{Fault, hit};
use super::files::{FileSet, parents_are_plain_folders, sync_dir, write_atomic};
use super::stage::Staging;
use aster_compiler::sha256_hex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// How far an apply or rollback got, as written in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// The new generation is recorded; no managed file was touched.
    Recorded,
    /// Files are being replaced.
    Swapping,
    /// Every file is replaced; `nixos-rebuild` has not started.
    Swapped,
    /// `nixos-rebuild` is (or may be) running.
    Rebuilding,
    /// The rebuild failed; the `from` files are being put back.
    Restoring,
}

impl Phase {
    /// The phase as written in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Recorded => "recorded",
            Phase::Swapping => "swapping",
            Phase::Swapped => "swapped",
            Phase::Rebuilding => "rebuilding",
            Phase::Restoring => "restoring",
        }
    }
}

/// The journal of a run that is changing the managed files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Transaction {
    /// The process that wrote it.
    pub pid: u32,
    /// `apply` or `rollback`.
    pub command: String,
    /// The generation whose files were installed before (`None`: no managed files).
    pub from: Option<u32>,
    /// The generation being installed.
    pub to: u32,
    /// Whether `to` was recorded by this run (and is abandoned when the run is undone).
    pub new_generation: bool,
    /// How far it got.
    pub phase: Phase,
    /// The `nixos-rebuild` action.
    pub action: String,
}

/// The journal file.
pub fn journal_path(state_dir: &Path) -> PathBuf {
    state_dir.join("transaction.json")
}

/// Reads the journal, if a run left one.
pub fn read(state_dir: &Path) -> Result<Option<Transaction>, DeployError> {
    let path = journal_path(state_dir);
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|error| {
            DeployError::Generation(format!(
                "{} is damaged ({error}); compare /etc/nixos with `aster-config generations`, restore one with `aster-config rollback N`, and delete the file",
                path.display()
            ))
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(DeployError::Io(path, error)),
    }
}

/// Writes the journal (atomically).
pub fn write(state_dir: &Path, transaction: &Transaction) -> Result<(), DeployError> {
    let text = serde_json::to_string_pretty(transaction).unwrap_or_default();
    write_atomic(&journal_path(state_dir), format!("{text}\n").as_bytes())
}

/// Removes the journal: the run is finished.
pub fn clear(state_dir: &Path) -> Result<(), DeployError> {
    let path = journal_path(state_dir);
    match fs::remove_file(&path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(DeployError::Io(path, error))
        }
        _ => {
            sync_dir(state_dir);
            Ok(())
        }
    }
}

/// Makes the managed files in `config_dir` exactly the staged set: staged files are renamed into
/// place (unchanged ones are left alone), and paths in `managed` that are not staged are removed.
/// Files outside `managed` and the staged set are never touched. `fault` is the test-only point
/// hit after the first file is replaced. The staging folder is removed at the end.
pub fn install(
    config_dir: &Path,
    staging: Staging,
    managed: &BTreeSet<String>,
    fault: Option<Fault>,
) -> Result<(), DeployError> {
    let mut order: Vec<&String> = staging.files().keys().collect();
    // configuration.nix imports every other file: replace it last.
    order.sort_by_key(|path| {
        (
            path.as_str() == aster_compiler::layout::CONFIGURATION,
            path.as_str(),
        )
    });
    for relative in &order {
        check_destination(config_dir, relative)?;
    }
    let mut first = true;
    for relative in order {
        let destination = config_dir.join(relative);
        let wanted = sha256_hex(&staging.files()[relative]);
        if fs::read(&destination).is_ok_and(|bytes| sha256_hex(&bytes) == wanted) {
            continue;
        }
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent).map_err(DeployError::io(parent))?;
        }
        fs::rename(staging.dir().join(relative), &destination)
            .map_err(DeployError::io(&destination))?;
        if first {
            first = false;
            if let Some(fault) = fault {
                hit(fault);
            }
        }
    }
    for relative in managed.iter().filter(|p| !staging.files().contains_key(*p)) {
        remove_managed(config_dir, relative)?;
    }
    sync_dir(config_dir);
    staging.discard();
    Ok(())
}

/// Refuses a destination that is (or lies under) a link or a folder.
fn check_destination(config_dir: &Path, relative: &str) -> Result<(), DeployError> {
    parents_are_plain_folders(config_dir, relative)?;
    let destination = config_dir.join(relative);
    match fs::symlink_metadata(&destination) {
        Ok(meta) if !meta.file_type().is_file() => Err(DeployError::NotARegularFile(destination)),
        _ => Ok(()),
    }
}

/// Removes a managed file that is no longer generated, then its folders when they became empty.
fn remove_managed(config_dir: &Path, relative: &str) -> Result<(), DeployError> {
    if !parents_are_plain_folders(config_dir, relative)? {
        return Ok(());
    }
    let path = config_dir.join(relative);
    match fs::symlink_metadata(&path) {
        Err(_) => return Ok(()),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(DeployError::NotARegularFile(path));
        }
        Ok(_) => fs::remove_file(&path).map_err(DeployError::io(&path))?,
    }
    let mut parent = path.parent();
    while let Some(dir) = parent {
        if dir == config_dir || fs::remove_dir(dir).is_err() {
            break;
        }
        parent = dir.parent();
    }
    Ok(())
}

/// Puts `files` in place of the managed paths `managed ∪ files`, staging them first.
pub fn restore(
    config_dir: &Path,
    files: &FileSet,
    managed: &BTreeSet<String>,
    fault: Option<Fault>,
) -> Result<(), DeployError> {
    let staging = Staging::create(config_dir, files)?;
    install(config_dir, staging, managed, fault)
}
