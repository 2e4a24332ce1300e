//! The steps of an apply or a rollback, as values the CLI strings together.
//!
//! ```text
//! prepare()  read what is installed, plan, stage the new files      (steps 2–3: nothing replaced)
//!   │  the CLI shows the plan and asks
//! lock()     take the lock, recover leftovers, re-check the plan    (step 4)
//! install()  keep the installed files as a generation, record the   (steps 5–7)
//!            new one, swap, run nixos-rebuild, put the old files
//!            back if it fails
//! ```
//!
//! Nothing is written before `lock()` except the staging folder; a run that stops anywhere is
//! recovered by the next one ([`super::recover`]).

use super::fault::{Fault, hit};
use super::files::{FileSet, Hashes, check_managed_path, hashes, read_installed, union};
use super::generations::{
    Generation, NewGeneration, Origin, RebuildRecord, RebuildResult, State, Store,
};
use super::lock::{self, Lock};
use super::plan::{Baseline, Plan};
use super::rebuild::{self, Event, Outcome, RebuildCommand};
use super::recover::{self, Recovered};
use super::stage::Staging;
use super::summary::SpecChanges;
use super::swap::{self, Phase, Transaction};
use super::{DeployError, Target};
use std::collections::BTreeSet;
use std::path::Path;

/// The files to install and where they come from.
#[derive(Debug, Clone)]
pub struct Desired {
    /// Contents by managed path.
    pub files: FileSet,
    /// A freshly compiled spec, or a recorded generation (rollback).
    pub source: Source,
}

/// Where desired files come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Compiled from a spec.
    Spec {
        /// Its file name.
        name: String,
        /// SHA-256 of its text.
        sha256: String,
        /// Its normalized JSON.
        spec: serde_json::Value,
    },
    /// A recorded generation.
    Generation(Box<Generation>),
}

impl Desired {
    /// The output of a successful build of `spec`.
    pub fn compiled(
        name: &str,
        output: &aster_compiler::OutputTree,
        spec: &aster_compiler::Spec,
    ) -> Self {
        Desired {
            files: output.files().clone(),
            source: Source::Spec {
                name: name.to_owned(),
                sha256: output.spec_sha256().to_owned(),
                spec: serde_json::to_value(spec).unwrap_or(serde_json::Value::Null),
            },
        }
    }

    fn spec(&self) -> Option<&serde_json::Value> {
        match &self.source {
            Source::Spec { spec, .. } => Some(spec),
            Source::Generation(generation) => generation.spec.as_ref(),
        }
    }
}

/// What is installed now.
#[derive(Debug, Clone, PartialEq)]
pub struct Installed {
    /// The generation whose files are installed.
    pub current: Option<Generation>,
    /// The paths it owns.
    pub owned: BTreeSet<String>,
    /// What is on disk at the owned and the desired paths.
    pub files: FileSet,
}

impl Installed {
    /// Reads the current generation and the files at its paths and at `desired`.
    pub fn read(target: &Target, desired: &FileSet) -> Result<Self, DeployError> {
        let store = Store::new(&target.state_dir());
        let current = store.current()?.map(|n| store.get(n)).transpose()?;
        let owned: BTreeSet<String> = current
            .as_ref()
            .map(|g| g.files.keys().cloned().collect())
            .unwrap_or_default();
        let paths = union(desired.keys(), &owned);
        let files = read_installed(&target.config_dir(), &paths)?;
        Ok(Installed {
            current,
            owned,
            files,
        })
    }

    /// True when the disk holds exactly the current generation's files: no hand edits, and no
    /// file aster-config does not own at a path it is about to write.
    pub fn matches_record(&self) -> bool {
        let recorded: Hashes = self
            .current
            .as_ref()
            .map(|g| g.files.clone())
            .unwrap_or_default();
        hashes(&self.files) == recorded
    }
}

/// What an apply has to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// The files match and the last rebuild with this action succeeded.
    NothingToDo,
    /// The files match their generation; only the rebuild is needed.
    RebuildOnly,
    /// Files change.
    Install,
}

/// The plan, with the new files staged.
#[derive(Debug)]
pub struct Prepared {
    target: Target,
    desired: Desired,
    installed: Installed,
    plan: Plan,
    staging: Option<Staging>,
    /// The highest folder on the way to `/etc/nixos` that staging created, to remove again.
    created: Option<std::path::PathBuf>,
}

/// Steps 2–3: reads what is installed, computes the plan, and (when `stage`) writes the new
/// files into a staging folder beside the target.
pub fn prepare(target: &Target, desired: Desired, stage: bool) -> Result<Prepared, DeployError> {
    for path in desired.files.keys() {
        check_managed_path(path)?;
    }
    let installed = Installed::read(target, &desired.files)?;
    let plan = plan(target, &installed, &desired);
    let config_dir = target.config_dir();
    let created = if stage {
        config_dir
            .ancestors()
            .take_while(|dir| std::fs::symlink_metadata(dir).is_err())
            .last()
            .map(Path::to_path_buf)
    } else {
        None
    };
    let staging = if stage && plan.changes_files() {
        Some(Staging::create(&config_dir, &desired.files)?)
    } else {
        None
    };
    hit(Fault::AfterStage);
    Ok(Prepared {
        target: target.clone(),
        desired,
        installed,
        plan,
        staging,
        created,
    })
}

/// Takes the lock just long enough to recover what interrupted runs left, so the plan that
/// follows is made against a consistent target.
pub fn recover_now(target: &Target, command: &str) -> Result<Vec<Recovered>, DeployError> {
    let acquired = lock::acquire(&target.state_dir(), command)?;
    recover::recover(target, acquired.stale)
}

/// The plan of installing `desired` over `installed`.
pub fn plan(target: &Target, installed: &Installed, desired: &Desired) -> Plan {
    let baseline = match &installed.current {
        None => Baseline::Nothing,
        Some(g) if g.origin == Origin::Found => Baseline::Found(g.number),
        Some(g) => Baseline::Spec {
            number: g.number,
            name: g.spec_name.clone(),
        },
    };
    let before = installed.current.as_ref().and_then(|g| g.spec.as_ref());
    let empty = serde_json::to_value(aster_compiler::Spec::default()).unwrap_or_default();
    let changes = SpecChanges::between(before, desired.spec().unwrap_or(&empty));
    let recorded = installed.current.as_ref().map(|g| (g.number, &g.files));
    let files = Plan::files(&installed.owned, recorded, &installed.files, &desired.files);
    let mut warnings = Vec::new();
    let distro = target.config_dir().join("aster_configuration.nix");
    if desired
        .files
        .contains_key(aster_compiler::layout::CONFIGURATION)
        && !distro.is_file()
    {
        warnings.push(format!(
            "{} is missing: the generated configuration.nix imports it. It comes with the Asterinas NixOS installer; without it nixos-rebuild fails",
            distro.display()
        ));
    }
    let install_time = super::install_time::added(before, desired.spec().unwrap_or(&empty));
    Plan {
        baseline,
        changes,
        files,
        warnings,
        install_time,
    }
}

impl Prepared {
    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The target it was prepared for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// What is installed.
    pub fn installed(&self) -> &Installed {
        &self.installed
    }

    /// The generation this run puts back (a rollback), or `None` for freshly compiled files.
    pub fn restores(&self) -> Option<u32> {
        match &self.desired.source {
            Source::Spec { .. } => None,
            Source::Generation(generation) => Some(generation.number),
        }
    }

    /// What installing needs for `action` on `target_host`.
    pub fn intent(&self, action: &str, target_host: Option<&str>) -> Intent {
        let Some(current) = &self.installed.current else {
            return Intent::Install;
        };
        if self.plan.changes_files() || !self.installed.matches_record() {
            Intent::Install
        } else if current.last_rebuild_succeeded(action, target_host) {
            Intent::NothingToDo
        } else {
            Intent::RebuildOnly
        }
    }

    /// Removes the staging folder (and `/etc/nixos` when this run created it empty).
    pub fn discard(mut self) {
        self.discard_staging();
    }

    fn discard_staging(&mut self) {
        if let Some(staging) = self.staging.take() {
            staging.discard();
        }
        if let Some(top) = self.created.take() {
            // Only empty folders go; `remove_dir` refuses anything else.
            for dir in self.target.config_dir().ancestors() {
                if std::fs::remove_dir(dir).is_err() || dir == top {
                    break;
                }
            }
        }
    }

    /// Step 4: takes the lock, recovers what interrupted runs left, and re-reads what is
    /// installed to check that the plan still holds.
    pub fn lock(mut self, command: &str) -> Result<Locked, DeployError> {
        let acquired = match lock::acquire(&self.target.state_dir(), command) {
            Ok(acquired) => acquired,
            Err(error) => {
                self.discard_staging();
                return Err(error);
            }
        };
        hit(Fault::AfterLock);
        let recovered = recover::recover(&self.target, acquired.stale)?;
        let now = Installed::read(&self.target, &self.desired.files)?;
        let as_planned = now == self.installed;
        Ok(Locked {
            prepared: self,
            lock: acquired.lock,
            recovered,
            as_planned,
        })
    }
}

/// The lock is held; the plan is checked.
#[derive(Debug)]
pub struct Locked {
    prepared: Prepared,
    lock: Lock,
    recovered: Vec<Recovered>,
    as_planned: bool,
}

/// How an install or rebuild ended.
#[derive(Debug)]
pub enum RebuildEnd {
    /// `nixos-rebuild` succeeded.
    Succeeded(Outcome),
    /// It failed; the previous files are back.
    Failed(Outcome),
    /// It could not be started; the previous files are back.
    NotStarted(DeployError),
    /// It was not run (`--no-rebuild`, or practising under `--root DIR` where there is no
    /// `nixos-rebuild`): the new files are installed and recorded, nothing was built.
    Skipped,
}

/// The result of steps 5–7.
#[derive(Debug)]
pub struct Report {
    /// The generation now installed (on success) or tried (on failure).
    pub generation: u32,
    /// A generation recorded to keep files found in place, if any.
    pub found: Option<u32>,
    /// The generation installed before (`None`: no managed files).
    pub previous: Option<u32>,
    /// Whether files were replaced (false for a rebuild only).
    pub replaced_files: bool,
    /// How the rebuild ended.
    pub end: RebuildEnd,
}

impl Locked {
    /// What recovery did before this run went on.
    pub fn recovered(&self) -> &[Recovered] {
        &self.recovered
    }

    /// True when the installed files are still those the plan was made against.
    pub fn as_planned(&self) -> bool {
        self.as_planned
    }

    /// Gives up: removes the staging folder and releases the lock.
    pub fn abandon(mut self) {
        self.prepared.discard_staging();
    }

    /// Steps 5–7: keeps the installed files as a generation (when they are not recorded yet),
    /// records the new generation, replaces the managed files, runs `nixos-rebuild`, and puts
    /// the previous files back when it fails.
    pub fn install(
        mut self,
        program: Option<&Path>,
        command: &RebuildCommand,
        on_event: impl FnMut(Event<'_>),
    ) -> Result<Report, DeployError> {
        let target = self.prepared.target.clone();
        let state_dir = target.state_dir();
        let store = Store::new(&state_dir);
        let installed = self.prepared.installed.clone();
        let (previous, found) = keep_installed(&store, &installed, &target)?;
        let (to, new_generation) = match &self.prepared.desired.source {
            Source::Spec { name, sha256, spec } => {
                let generation = store.record(
                    NewGeneration {
                        origin: Origin::Spec,
                        spec_name: Some(name.clone()),
                        spec_sha256: Some(sha256.clone()),
                        summary: self.prepared.plan.one_line(),
                        spec: Some(spec.clone()),
                        state: State::Pending,
                    },
                    &self.prepared.desired.files,
                )?;
                (generation.number, true)
            }
            Source::Generation(generation) => (generation.number, false),
        };
        let mut journal = Transaction {
            pid: std::process::id(),
            command: self.lock_command(),
            from: previous,
            to,
            new_generation,
            phase: Phase::Recorded,
            action: command.action.clone(),
        };
        swap::write(&state_dir, &journal)?;
        hit(Fault::AfterGeneration);
        journal.phase = Phase::Swapping;
        swap::write(&state_dir, &journal)?;
        let staging = match self.prepared.staging.take() {
            Some(staging) => staging,
            None => Staging::create(&target.config_dir(), &self.prepared.desired.files)?,
        };
        let managed = union(installed.files.keys(), &installed.owned);
        swap::install(
            &target.config_dir(),
            staging,
            &managed,
            Some(Fault::MidSwap),
        )?;
        if new_generation {
            store.set_state(to, State::Installed)?;
        }
        store.set_current(Some(to))?;
        journal.phase = Phase::Swapped;
        swap::write(&state_dir, &journal)?;
        hit(Fault::AfterSwap);
        let end = match program {
            Some(program) => self.rebuild(&store, &mut journal, program, command, on_event)?,
            None => RebuildEnd::Skipped,
        };
        if !matches!(end, RebuildEnd::Succeeded(_) | RebuildEnd::Skipped) {
            journal.phase = Phase::Restoring;
            swap::write(&state_dir, &journal)?;
            let managed = union(self.prepared.desired.files.keys(), &managed);
            swap::restore(
                &target.config_dir(),
                &installed.files,
                &managed,
                Some(Fault::MidRestore),
            )?;
            store.set_current(previous)?;
        }
        swap::clear(&state_dir)?;
        Ok(Report {
            generation: to,
            found,
            previous,
            replaced_files: true,
            end,
        })
    }

    /// Runs `nixos-rebuild` on the files already installed (the current generation).
    pub fn rebuild_only(
        mut self,
        program: &Path,
        command: &RebuildCommand,
        on_event: impl FnMut(Event<'_>),
    ) -> Result<Report, DeployError> {
        self.prepared.discard_staging();
        let state_dir = self.prepared.target.state_dir();
        let store = Store::new(&state_dir);
        let current = self
            .prepared
            .installed
            .current
            .as_ref()
            .map(|g| g.number)
            .ok_or_else(|| DeployError::Generation("no generation is installed".to_owned()))?;
        let mut journal = Transaction {
            pid: std::process::id(),
            command: self.lock_command(),
            from: Some(current),
            to: current,
            new_generation: false,
            phase: Phase::Swapped,
            action: command.action.clone(),
        };
        let end = self.rebuild(&store, &mut journal, program, command, on_event)?;
        swap::clear(&state_dir)?;
        Ok(Report {
            generation: current,
            found: None,
            previous: Some(current),
            replaced_files: false,
            end,
        })
    }

    fn lock_command(&self) -> String {
        match self.prepared.desired.source {
            Source::Spec { .. } => "apply".to_owned(),
            Source::Generation(_) => "rollback".to_owned(),
        }
    }

    /// Step 6: records the rebuild, runs it, records how it ended.
    fn rebuild(
        &mut self,
        store: &Store,
        journal: &mut Transaction,
        program: &Path,
        command: &RebuildCommand,
        on_event: impl FnMut(Event<'_>),
    ) -> Result<RebuildEnd, DeployError> {
        let state_dir = self.prepared.target.state_dir();
        store.add_rebuild(
            journal.to,
            RebuildRecord {
                action: command.action.clone(),
                at: super::time::now(),
                result: RebuildResult::Interrupted,
                rollback: command.rollback,
                target_host: command.target_host.clone(),
                nixpkgs: command.nixpkgs.clone(),
                system: None,
            },
        )?;
        journal.phase = Phase::Rebuilding;
        swap::write(&state_dir, journal)?;
        hit(Fault::BeforeRebuild);
        let lock = &mut self.lock;
        let run = rebuild::run(
            program,
            command,
            &state_dir,
            |pid| lock.record_rebuild(pid),
            on_event,
        );
        let end = match run {
            Ok(outcome) if outcome.success => RebuildEnd::Succeeded(outcome),
            Ok(outcome) => RebuildEnd::Failed(outcome),
            Err(error) => RebuildEnd::NotStarted(error),
        };
        let (result, system) = if matches!(end, RebuildEnd::Succeeded(_)) {
            let root = self.prepared.target.root();
            let remote = command.target_host.is_some();
            (
                RebuildResult::Ok,
                super::pin::built_system(root, &command.action, remote),
            )
        } else {
            (RebuildResult::Failed, None)
        };
        store.finish_rebuild(journal.to, result, system)?;
        Ok(end)
    }
}

/// Records the installed files as a found generation unless the current generation already
/// holds exactly them. Returns the generation whose files are installed, and the found one.
fn keep_installed(
    store: &Store,
    installed: &Installed,
    target: &Target,
) -> Result<(Option<u32>, Option<u32>), DeployError> {
    if installed.matches_record() {
        return Ok((installed.current.as_ref().map(|g| g.number), None));
    }
    let paths: Vec<&str> = installed.files.keys().map(String::as_str).collect();
    let summary = match &installed.current {
        None => format!(
            "found in {} before aster-config managed it: {}",
            target.config_dir().display(),
            paths.join(", ")
        ),
        Some(g) => format!(
            "found in place of generation {} (edited by hand): {}",
            g.number,
            paths.join(", ")
        ),
    };
    let generation = store.record(
        NewGeneration {
            origin: Origin::Found,
            spec_name: None,
            spec_sha256: None,
            summary,
            spec: None,
            state: State::Installed,
        },
        &installed.files,
    )?;
    store.set_current(Some(generation.number))?;
    Ok((Some(generation.number), Some(generation.number)))
}
