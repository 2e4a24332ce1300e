//! Handing the compiled output to `nixos-rebuild`, safely: plan, apply, rollback, generations.
//!
//! This is the last step of the pipeline (`… ─emit─▶ OutputTree ─deploy─▶ /etc/nixos +
//! nixos-rebuild`). Unlike `aster_compiler::output`, which replaces a whole folder it owns, deploying
//! shares `/etc/nixos` with files aster-config does not own (`hardware-configuration.nix`, the
//! distro's `aster_configuration.nix` and `asterinas/`), so it replaces *managed files only*:
//!
//! ```text
//! <root>/etc/nixos/                       the target; only managed files are ever written
//!   .aster-config-staging-<pid>-<start>/   new files, staged beside the target (same file system)
//! <root>/var/lib/aster-config/            state, see docs/src/deploy.md
//!   lock                                  flock(2) + owner (pid, start time, command)
//!   transaction.json                      present only while files are being replaced or rebuilt
//!   current                               the generation whose files are in /etc/nixos
//!   rebuild.out, rebuild.err              output of the last nixos-rebuild
//!   generations/<N>/manifest.json         owned files + hashes, spec hash, spec JSON, time, summary
//!   generations/<N>/files/…               copies of the managed files of generation N
//! ```
//!
//! The modules follow an apply from start to end: [`files`] reads what is installed, [`summary`]
//! and [`plan`] compare it with the new output ([`install_time`]: what cannot be added to a
//! running system), [`stage`] writes the new files beside the target,
//! [`lock`] keeps two runs apart, [`generations`] records every set of managed files, [`swap`]
//! replaces them under a journal, [`rebuild`] runs `nixos-rebuild` (with the locked nixpkgs of
//! [`pin`], and [`pin`] reads the system it built), [`recover`] finishes or undoes
//! whatever an interrupted run left, and [`session`] strings the steps together. Nothing here
//! prints: the CLI (`aster-config plan|apply|rollback|generations`) renders every result.

pub mod fault;
pub mod files;
pub mod generations;
pub mod install_time;
pub mod lock;
pub mod pin;
pub mod plan;
pub mod proc;
pub mod rebuild;
pub mod recover;
pub mod session;
pub mod stage;
pub mod summary;
pub mod swap;
pub mod time;

use std::io;
use std::path::{Path, PathBuf};

/// The machine (or a copy of its file tree) that `apply` installs into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    root: PathBuf,
}

impl Target {
    /// The target whose file system starts at `root` (`/` for this machine).
    pub fn new(root: &Path) -> Self {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Self { root }
    }

    /// The root folder, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// True when the target is this machine's own `/`.
    pub fn is_system_root(&self) -> bool {
        self.root == Path::new("/")
    }

    /// `<root>/etc/nixos`, where the managed files go.
    pub fn config_dir(&self) -> PathBuf {
        self.root.join("etc/nixos")
    }

    /// `<root>/etc/nixos/configuration.nix`, the file `nixos-rebuild` is pointed at.
    pub fn configuration(&self) -> PathBuf {
        self.config_dir()
            .join(aster_compiler::layout::CONFIGURATION)
    }

    /// `<root>/var/lib/aster-config`, where generations, the lock and the journal live.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join("var/lib/aster-config")
    }
}

/// Why a deploy step could not go on. Every variant says what to do next.
#[derive(Debug)]
pub enum DeployError {
    /// A file system operation failed.
    Io(PathBuf, io::Error),
    /// A managed path is a symbolic link, a folder, or goes through one.
    NotARegularFile(PathBuf),
    /// A path the compiler produced is not allowed in `/etc/nixos`.
    ForbiddenPath(String),
    /// Another run holds the lock.
    LockHeld {
        /// The lock file.
        path: PathBuf,
        /// Who holds it, when recorded.
        owner: Option<lock::LockOwner>,
    },
    /// An interrupted run's `nixos-rebuild` is still running.
    RebuildStillRunning {
        /// Its process id.
        pid: u32,
    },
    /// The installed files changed between the plan and the lock.
    ChangedSincePlan,
    /// A generation is missing, damaged or not usable for this operation.
    Generation(String),
    /// `nixos-rebuild` could not be started.
    Spawn(String, io::Error),
}

impl DeployError {
    /// A closure mapping an I/O error at `path` into [`DeployError::Io`].
    pub fn io(path: &Path) -> impl FnOnce(io::Error) -> DeployError + '_ {
        move |error| DeployError::Io(path.to_path_buf(), error)
    }
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeployError::Io(path, error) => write!(f, "{}: {error}", path.display()),
            DeployError::NotARegularFile(path) => write!(
                f,
                "{} is a symbolic link or a folder (or lies inside one); aster-config only replaces regular files and never follows links in /etc/nixos — move it away and run again",
                path.display()
            ),
            DeployError::ForbiddenPath(path) => write!(
                f,
                "the output contains `{path}`, which aster-config never manages in /etc/nixos; this is a bug, please report it with your spec"
            ),
            DeployError::LockHeld { path, owner } => {
                write!(
                    f,
                    "another aster-config run holds the lock {}",
                    path.display()
                )?;
                match owner {
                    Some(owner) => write!(f, " ({owner})")?,
                    None => write!(f, " (owner not recorded yet)")?,
                }
                write!(
                    f,
                    "; wait for it to finish and run again. If that process is stuck, stop it and run again: a lock whose process is gone is released automatically"
                )
            }
            DeployError::RebuildStillRunning { pid } => write!(
                f,
                "nixos-rebuild (pid {pid}) started by an interrupted aster-config run is still running; wait for it to finish (or stop it with `kill {pid}`), then run again"
            ),
            DeployError::ChangedSincePlan => write!(
                f,
                "the installed files changed after the plan was shown (another apply, or an edit); nothing was changed — run again to see the new plan"
            ),
            DeployError::Generation(message) => f.write_str(message),
            DeployError::Spawn(program, error) if error.kind() == io::ErrorKind::NotFound => {
                write!(
                    f,
                    "`{program}` was not found on PATH; apply and rollback run on NixOS (use `--dry-run` to see the command elsewhere)"
                )
            }
            DeployError::Spawn(program, error) => write!(f, "cannot start `{program}`: {error}"),
        }
    }
}

impl std::error::Error for DeployError {}
