//! Fleets: many Asterinas NixOS machines from one fleet file.
//!
//! ```text
//! fleet.toml ─read─▶ Fleet (pins, default layers, hosts with their layers)
//!            ─compile─▶ per host: layers merged (layer) → aster-compiler → diagnostics in their files
//!            ─lock─▶ the pinned nixpkgs (fleet.lock)
//!            ─emit─▶ hive.nix, flake.nix, hosts/<host>/, distro/ ─write─▶ disk ─▶ colmena (deploy)
//! ```
//!
//! [`read`] reads the fleet file (a large one in [`pieces`]) and the spec files it names,
//! [`layer`] merges a host's layers keeping where each value came from, [`compile`] checks the
//! fleet and compiles each host, [`lock`] pins nixpkgs, [`emit`] writes colmena's hive and a
//! flake, [`write`] puts each host's files on disk as it compiles ([`build`]), [`select`] resolves
//! `--on`, and [`deploy`] drives colmena with a dead-man's switch; [`recognise`] tells a fleet file
//! from a spec by its text. Nothing here prints; the CLI
//! (`aster-config fleet …`, `aster-config lock`) renders every result.

pub mod compile;
pub mod deploy;
pub mod emit;
pub mod layer;
pub mod lock;
pub mod model;
pub mod paths;
mod pieces;
pub mod read;
pub mod recognise;
pub mod report;
#[doc(hidden)]
pub mod sample;
pub mod schema;
pub mod select;
pub mod validate;
mod write;

pub use compile::Wanted;
pub use recognise::is_fleet_file;
pub use report::{Files, FleetDiagnostic, Report};

use std::path::Path;

/// A fleet, read and compiled.
#[derive(Debug)]
pub struct Checked {
    /// Where it is.
    pub location: read::Location,
    /// Every file read, for rendering diagnostics.
    pub files: Files,
    /// The fleet, when the fleet file could be read.
    pub fleet: Option<model::Fleet>,
    /// The hosts that compiled.
    pub hosts: Vec<compile::HostBuild>,
    /// The lock, when it was asked for and matches.
    pub lock: Option<lock::Lock>,
    /// Everything found.
    pub report: Report,
}

/// Reads, checks and compiles a fleet, keeping what is `wanted` of each host; with `need_lock`,
/// also reads and checks its lock.
pub fn check(
    path: &Path,
    options: &aster_compiler::Options<'_>,
    need_lock: bool,
    wanted: Wanted,
) -> Checked {
    let location = read::Location::of(path);
    let mut files = Files::default();
    let mut report = Report::default();
    let fleet = read::read(&location, &mut files, &mut report);
    finish(location, files, fleet, report, options, need_lock, wanted)
}

/// Like [`check`], for a fleet file whose text is at hand (the language server's open buffer):
/// the fleet file is always `Files` entry 0; spec files and the lock are read from disk. Only the
/// diagnostics are kept.
pub fn check_text(path: &Path, text: &str, options: &aster_compiler::Options<'_>) -> Checked {
    let location = read::Location::of(path);
    let mut files = Files::default();
    let mut report = Report::default();
    let fleet = read::read_from(&location, text, &mut files, &mut report);
    finish(
        location,
        files,
        fleet,
        report,
        options,
        false,
        Wanted::NOTHING,
    )
}

/// Checks and compiles what was read.
fn finish(
    location: read::Location,
    mut files: Files,
    fleet: Option<model::Fleet>,
    mut report: Report,
    options: &aster_compiler::Options<'_>,
    need_lock: bool,
    wanted: Wanted,
) -> Checked {
    let mut hosts = Vec::new();
    let mut lock = None;
    if let Some(fleet) = &fleet {
        compile::check_fleet(fleet, &mut report);
        hosts = compile::compile(fleet, &location, &files, options, wanted, None, &mut report);
        if need_lock {
            lock = lock::load(&location.dir, fleet, &mut files, &mut report);
        }
    }
    Checked {
        location,
        files,
        fleet,
        hosts,
        lock,
        report,
    }
}

/// The output tree of a fleet checked with [`Wanted::outputs`] and without errors (`None`
/// otherwise).
pub fn output(checked: &Checked) -> Option<aster_compiler::OutputTree> {
    if checked.report.has_errors() {
        return None;
    }
    let fleet = checked.fleet.as_ref()?;
    let lock = checked.lock.as_ref()?;
    emit::tree(checked.files.get(fleet.file), fleet, lock, &checked.hosts)
}

/// A fleet built into an output folder by [`build`].
#[derive(Debug)]
pub struct Built {
    /// The fleet, checked (its hosts keep no output and no spec).
    pub checked: Checked,
    /// `None` when there were errors and nothing was written; otherwise the number of files
    /// written, or why the folder could not be written.
    pub written: Option<Result<usize, aster_compiler::output::WriteError>>,
}

/// Reads, checks and compiles a fleet and writes its output folder to `target`, each host's files
/// as soon as it compiled (see [`write`]). The folder only takes `target`'s place when the whole
/// fleet compiled without errors.
pub fn build(path: &Path, options: &aster_compiler::Options<'_>, target: &Path) -> Built {
    let location = read::Location::of(path);
    let mut files = Files::default();
    let mut report = Report::default();
    let Some(fleet) = read::read(&location, &mut files, &mut report) else {
        let checked = finish(
            location,
            files,
            None,
            report,
            options,
            true,
            Wanted::NOTHING,
        );
        return Built {
            checked,
            written: None,
        };
    };
    compile::check_fleet(&fleet, &mut report);
    // The lock is read first, to write nothing when it is missing or stale; its diagnostics still
    // come after the hosts', as `check` reports them.
    let mut lock_report = Report::default();
    let lock = lock::load(&location.dir, &fleet, &mut files, &mut lock_report);
    let writable = lock.is_some() && !report.has_errors() && !lock_report.has_errors();
    let staging = writable.then(|| aster_compiler::output::Staging::new(target));
    let writer = match &staging {
        Some(Ok(staging)) => Some(write::HostWriter::new(staging)),
        _ => None,
    };
    let hosts = compile::compile(
        &fleet,
        &location,
        &files,
        options,
        Wanted::NOTHING,
        writer.as_ref(),
        &mut report,
    );
    for diagnostic in lock_report.diagnostics {
        report.push(diagnostic);
    }
    let failed = writer.and_then(write::HostWriter::into_error);
    let written = if report.has_errors() {
        None
    } else {
        match (staging, &lock) {
            (Some(Ok(staging)), Some(lock)) => Some(if let Some(error) = failed {
                Err(error)
            } else {
                let rest = emit::rest(files.get(fleet.file), &fleet, lock, &hosts);
                let count = staging.len() + rest.files().len();
                staging.commit(&rest).map(|()| count)
            }),
            (Some(Err(error)), _) => Some(Err(error)),
            // Without a staging folder there were errors.
            _ => None,
        }
    };
    Built {
        checked: Checked {
            location,
            files,
            fleet: Some(fleet),
            hosts,
            lock,
            report,
        },
        written,
    }
}
