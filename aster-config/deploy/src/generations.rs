//! Generations: every set of managed files that was ever in `/etc/nixos`, numbered.
//!
//! Generation `N` lives in `<state>/generations/N/`: `manifest.json` (the owned files with their
//! hashes, the spec's name, hash and normalized JSON, the time, a one-line summary, and every
//! rebuild run on it) and `files/` (copies of the managed files). A generation is written into a
//! hidden `.incomplete-N-<pid>` folder and renamed into place, so a half-written generation never
//! has a number. `<state>/current` names the generation whose files are installed.
//!
//! Generations come from a spec (`apply`) or are *found*: the files that were in `/etc/nixos`
//! before the first apply, or hand edits found in place, are recorded before they are replaced,
//! so `rollback` can always bring them back.

use super::DeployError;
use super::files::{FileSet, Hashes, hashes, write_atomic, write_new};
use super::pin::Nixpkgs;
use aster_compiler::sha256_hex;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

/// Version of the manifest format.
pub const MANIFEST_FORMAT: u32 = 1;

/// Where a generation's files came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Compiled from a spec by `apply`.
    Spec,
    /// Found in `/etc/nixos` (files from before aster-config, or hand edits) and kept.
    Found,
}

/// How far a generation got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Recorded; its files are being installed.
    Pending,
    /// Its files were installed (see `rebuilds` for what happened next).
    Installed,
    /// Recorded, but its files were never installed (the run stopped or was undone first).
    Abandoned,
}

/// The outcome of one `nixos-rebuild` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RebuildResult {
    /// It exited successfully.
    Ok,
    /// It failed; the previous files were put back.
    Failed,
    /// aster-config stopped while it ran; the outcome is unknown.
    Interrupted,
}

/// One `nixos-rebuild` run on a generation's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RebuildRecord {
    /// The action, e.g. `test`.
    pub action: String,
    /// When it started (seconds since 1970).
    pub at: u64,
    /// How it ended.
    pub result: RebuildResult,
    /// Whether it was `nixos-rebuild --rollback`.
    #[serde(default)]
    pub rollback: bool,
    /// The `--target-host`, when one was given.
    #[serde(default)]
    pub target_host: Option<String>,
    /// The locked nixpkgs it was built from (`None`: the machine's `<nixpkgs>`, no lock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nixpkgs: Option<Nixpkgs>,
    /// The store path of the system it built, when it succeeded and left a link to read
    /// (see [`super::pin::built_system`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
}

/// The manifest of one generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Generation {
    /// Manifest format version.
    pub format: u32,
    /// The generation number, from 1.
    pub number: u32,
    /// When it was recorded (seconds since 1970).
    pub created: u64,
    /// Spec or found files.
    pub origin: Origin,
    /// How far it got.
    pub state: State,
    /// The spec's file name, for spec generations.
    pub spec_name: Option<String>,
    /// SHA-256 of the spec text, for spec generations.
    pub spec_sha256: Option<String>,
    /// One line saying what changed, for `aster-config generations`.
    pub summary: String,
    /// The files aster-config owns in this generation, with their SHA-256.
    pub files: Hashes,
    /// Every rebuild run on these files, oldest first.
    pub rebuilds: Vec<RebuildRecord>,
    /// The spec as normalized JSON (`serde_json::to_value(&spec)`), for spec generations.
    pub spec: Option<serde_json::Value>,
}

impl Generation {
    /// A short status for listings: `applied (test)`, `failed (switch)`, `found`, …
    pub fn status(&self) -> String {
        match (self.state, self.rebuilds.last()) {
            (State::Pending, _) => "pending".to_owned(),
            (State::Abandoned, _) => "abandoned".to_owned(),
            (State::Installed, None) if self.origin == Origin::Found => "found".to_owned(),
            (State::Installed, None) => "not built".to_owned(),
            (State::Installed, Some(last)) => {
                let word = match last.result {
                    RebuildResult::Ok => "applied",
                    RebuildResult::Failed => "failed",
                    RebuildResult::Interrupted => "interrupted",
                };
                let rollback = if last.rollback { " --rollback" } else { "" };
                format!("{word} ({}{rollback})", last.action)
            }
        }
    }

    /// True when the last rebuild on these files succeeded with `action` on `target_host`.
    pub fn last_rebuild_succeeded(&self, action: &str, target_host: Option<&str>) -> bool {
        self.rebuilds.last().is_some_and(|last| {
            last.result == RebuildResult::Ok
                && !last.rollback
                && last.action == action
                && last.target_host.as_deref() == target_host
        })
    }

    /// The last successful rebuild that built these files (not a `--rollback`), if any.
    pub fn last_built(&self) -> Option<&RebuildRecord> {
        self.rebuilds
            .iter()
            .rev()
            .find(|r| r.result == RebuildResult::Ok && !r.rollback)
    }

    /// The store path of the system these files last built, when recorded.
    pub fn system(&self) -> Option<&str> {
        self.last_built().and_then(|r| r.system.as_deref())
    }

    /// The locked nixpkgs these files were last built from (`None`: unpinned, or never built).
    pub fn nixpkgs(&self) -> Option<&Nixpkgs> {
        self.rebuilds
            .iter()
            .rev()
            .filter(|r| !r.rollback)
            .find_map(|r| r.nixpkgs.as_ref())
    }

    /// True when the generation can be rolled back to (its files were installed and built, or
    /// were found in place).
    pub fn is_restorable(&self) -> bool {
        self.state == State::Installed
            && (self.origin == Origin::Found
                || self
                    .rebuilds
                    .iter()
                    .any(|r| r.result != RebuildResult::Failed))
    }

    /// True when the generation's files can be put back by a rollback that runs no rebuild
    /// (practising under `--root DIR`, or `--no-rebuild`): besides every
    /// [restorable](Self::is_restorable) generation, one whose files were installed with the
    /// rebuild skipped ("not built"). No system is claimed for it, only its files; a generation
    /// whose rebuild failed stays out, since its files were put back at once.
    pub fn is_restorable_files(&self) -> bool {
        self.is_restorable() || (self.state == State::Installed && self.rebuilds.is_empty())
    }
}

/// What a new generation records, before it has a number.
#[derive(Debug, Clone)]
pub struct NewGeneration {
    /// Spec or found files.
    pub origin: Origin,
    /// The spec's file name.
    pub spec_name: Option<String>,
    /// SHA-256 of the spec text.
    pub spec_sha256: Option<String>,
    /// One line saying what changed.
    pub summary: String,
    /// The spec as normalized JSON.
    pub spec: Option<serde_json::Value>,
    /// The state to record it in.
    pub state: State,
}

/// The generations of one target.
#[derive(Debug, Clone)]
pub struct Store {
    state_dir: PathBuf,
}

impl Store {
    /// The store under `state_dir` (`<root>/var/lib/aster-config`).
    pub fn new(state_dir: &Path) -> Self {
        Self {
            state_dir: state_dir.to_path_buf(),
        }
    }

    fn generations_dir(&self) -> PathBuf {
        self.state_dir.join("generations")
    }

    fn dir(&self, number: u32) -> PathBuf {
        self.generations_dir().join(number.to_string())
    }

    /// Every generation, oldest first. A damaged manifest is an error naming it.
    pub fn list(&self) -> Result<Vec<Generation>, DeployError> {
        let dir = self.generations_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(DeployError::Io(dir, error)),
        };
        let mut numbers: Vec<u32> = entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
            .collect();
        numbers.sort_unstable();
        numbers.into_iter().map(|n| self.get(n)).collect()
    }

    /// Generation `number`.
    pub fn get(&self, number: u32) -> Result<Generation, DeployError> {
        let path = self.dir(number).join("manifest.json");
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(DeployError::Generation(format!(
                    "there is no generation {number} (see `aster-config generations`)"
                )));
            }
            Err(error) => return Err(DeployError::Io(path, error)),
        };
        serde_json::from_str(&text).map_err(|error| {
            DeployError::Generation(format!(
                "{} is damaged ({error}); move that generation folder away to go on",
                path.display()
            ))
        })
    }

    /// The files of `generation`, checked against the hashes in its manifest.
    pub fn files(&self, generation: &Generation) -> Result<FileSet, DeployError> {
        let dir = self.dir(generation.number).join("files");
        let mut files = FileSet::new();
        for (relative, hash) in &generation.files {
            let path = dir.join(relative);
            let bytes = fs::read(&path).map_err(DeployError::io(&path))?;
            if sha256_hex(&bytes) != *hash {
                return Err(DeployError::Generation(format!(
                    "the copy of {relative} in generation {} is damaged (its hash does not match the manifest); that generation cannot be restored",
                    generation.number
                )));
            }
            files.insert(relative.clone(), bytes);
        }
        Ok(files)
    }

    /// Records `files` as the next generation; returns its manifest.
    pub fn record(&self, new: NewGeneration, files: &FileSet) -> Result<Generation, DeployError> {
        let number = self.list()?.last().map_or(1, |g| g.number + 1);
        let generation = Generation {
            format: MANIFEST_FORMAT,
            number,
            created: super::time::now(),
            origin: new.origin,
            state: new.state,
            spec_name: new.spec_name,
            spec_sha256: new.spec_sha256,
            summary: new.summary,
            files: hashes(files),
            rebuilds: Vec::new(),
            spec: new.spec,
        };
        let parent = self.generations_dir();
        fs::create_dir_all(&parent).map_err(DeployError::io(&parent))?;
        let incomplete = parent.join(format!(".incomplete-{number}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&incomplete);
        for (relative, bytes) in files {
            write_new(&incomplete.join("files").join(relative), bytes)?;
        }
        fs::create_dir_all(&incomplete).map_err(DeployError::io(&incomplete))?;
        write_new(
            &incomplete.join("manifest.json"),
            &manifest_bytes(&generation),
        )?;
        let final_dir = self.dir(number);
        fs::rename(&incomplete, &final_dir).map_err(DeployError::io(&final_dir))?;
        super::files::sync_dir(&parent);
        Ok(generation)
    }

    /// Rewrites the manifest of `generation` (state and rebuild history change; files never do).
    pub fn update(&self, generation: &Generation) -> Result<(), DeployError> {
        write_atomic(
            &self.dir(generation.number).join("manifest.json"),
            &manifest_bytes(generation),
        )
    }

    /// The generation whose files are installed, if any.
    pub fn current(&self) -> Result<Option<u32>, DeployError> {
        let path = self.state_dir.join("current");
        match fs::read_to_string(&path) {
            Ok(text) if text.trim() == "none" => Ok(None),
            Ok(text) => text.trim().parse().map(Some).map_err(|_| {
                DeployError::Generation(format!(
                    "{} is damaged (expected a generation number or `none`)",
                    path.display()
                ))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(DeployError::Io(path, error)),
        }
    }

    /// Records which generation's files are installed.
    pub fn set_current(&self, number: Option<u32>) -> Result<(), DeployError> {
        fs::create_dir_all(&self.state_dir).map_err(DeployError::io(&self.state_dir))?;
        let text = number.map_or_else(|| "none".to_owned(), |n| n.to_string());
        write_atomic(
            &self.state_dir.join("current"),
            format!("{text}\n").as_bytes(),
        )
    }

    /// Half-written generation folders left by an interrupted run.
    pub fn incomplete(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.generations_dir()) else {
            return Vec::new();
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".incomplete-"))
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }

    /// Appends a rebuild record to generation `number`.
    pub fn add_rebuild(
        &self,
        number: u32,
        record: RebuildRecord,
    ) -> Result<Generation, DeployError> {
        let mut generation = self.get(number)?;
        generation.rebuilds.push(record);
        self.update(&generation)?;
        Ok(generation)
    }

    /// Sets the state of generation `number`.
    pub fn set_state(&self, number: u32, state: State) -> Result<Generation, DeployError> {
        let mut generation = self.get(number)?;
        generation.state = state;
        self.update(&generation)?;
        Ok(generation)
    }

    /// Marks the last rebuild of generation `number` with `result` and the system it built
    /// (when it is still open).
    pub fn finish_rebuild(
        &self,
        number: u32,
        result: RebuildResult,
        system: Option<String>,
    ) -> Result<(), DeployError> {
        let mut generation = self.get(number)?;
        if let Some(last) = generation.rebuilds.last_mut() {
            last.result = result;
            last.system = system;
        }
        self.update(&generation)
    }
}

fn manifest_bytes(generation: &Generation) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(generation).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(origin: Origin, state: State, rebuilds: &[RebuildResult]) -> Generation {
        Generation {
            format: MANIFEST_FORMAT,
            number: 1,
            created: 0,
            origin,
            state,
            spec_name: None,
            spec_sha256: None,
            summary: String::new(),
            files: Hashes::new(),
            rebuilds: rebuilds
                .iter()
                .map(|&result| RebuildRecord {
                    action: "test".to_owned(),
                    at: 0,
                    result,
                    rollback: false,
                    target_host: None,
                    nixpkgs: None,
                    system: None,
                })
                .collect(),
            spec: None,
        }
    }

    #[test]
    fn a_generation_never_built_is_a_target_only_for_a_rollback_of_files() {
        let not_built = generation(Origin::Spec, State::Installed, &[]);
        assert_eq!(not_built.status(), "not built");
        assert!(!not_built.is_restorable());
        assert!(not_built.is_restorable_files());
        let built = generation(Origin::Spec, State::Installed, &[RebuildResult::Ok]);
        assert!(built.is_restorable() && built.is_restorable_files());
        let failed = generation(Origin::Spec, State::Installed, &[RebuildResult::Failed]);
        assert!(!failed.is_restorable() && !failed.is_restorable_files());
        let abandoned = generation(Origin::Spec, State::Abandoned, &[]);
        assert!(!abandoned.is_restorable_files());
        let found = generation(Origin::Found, State::Installed, &[]);
        assert!(found.is_restorable() && found.is_restorable_files());
    }
}
