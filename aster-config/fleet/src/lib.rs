//! Fleets: many Asterinas NixOS machines from one fleet file.
//!
//! ```text
//! fleet.toml ─read─▶ Fleet (pins, default layers, hosts with their layers)
//!            ─compile─▶ per host: layers merged (layer) → aster-compiler → diagnostics in their files
//!            ─lock─▶ the pinned nixpkgs (fleet.lock)
//!            ─emit─▶ hive.nix, flake.nix, hosts/<host>/, distro/ ─▶ colmena (deploy)
//! ```
//!
//! [`read`] reads the fleet file and the spec files it names, [`layer`] merges a host's layers
//! keeping where each value came from, [`compile`] checks the fleet and compiles each host,
//! [`lock`] pins nixpkgs, [`emit`] writes colmena's hive and a flake, [`select`] resolves
//! `--on`, and [`deploy`] drives colmena with a dead-man's switch. Nothing here prints; the CLI
//! (`aster-config fleet …`, `aster-config lock`) renders every result.

pub mod compile;
pub mod deploy;
pub mod emit;
pub mod layer;
pub mod lock;
pub mod model;
pub mod paths;
pub mod read;
pub mod report;
pub mod schema;
pub mod select;
pub mod validate;

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

/// Reads, checks and compiles a fleet; with `need_lock`, also reads and checks its lock.
pub fn check(path: &Path, options: &aster_compiler::Options<'_>, need_lock: bool) -> Checked {
    let location = read::Location::of(path);
    let mut files = Files::default();
    let mut report = Report::default();
    let fleet = read::read(&location, &mut files, &mut report);
    finish(location, files, fleet, report, options, need_lock)
}

/// Like [`check`], for a fleet file whose text is at hand (the language server's open buffer):
/// the fleet file is always `Files` entry 0; spec files and the lock are read from disk.
pub fn check_text(path: &Path, text: &str, options: &aster_compiler::Options<'_>) -> Checked {
    let location = read::Location::of(path);
    let mut files = Files::default();
    let mut report = Report::default();
    let fleet = read::read_from(&location, text, &mut files, &mut report);
    finish(location, files, fleet, report, options, false)
}

/// Checks and compiles what was read.
fn finish(
    location: read::Location,
    mut files: Files,
    fleet: Option<model::Fleet>,
    mut report: Report,
    options: &aster_compiler::Options<'_>,
    need_lock: bool,
) -> Checked {
    let mut hosts = Vec::new();
    let mut lock = None;
    if let Some(fleet) = &fleet {
        compile::check_fleet(fleet, &mut report);
        hosts = compile::compile(fleet, &location, &files, options, &mut report);
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

/// The output tree of a checked fleet without errors (`None` otherwise).
pub fn output(checked: &Checked) -> Option<aster_compiler::OutputTree> {
    if checked.report.has_errors() {
        return None;
    }
    let fleet = checked.fleet.as_ref()?;
    let lock = checked.lock.as_ref()?;
    Some(emit::tree(
        checked.files.get(fleet.file),
        fleet,
        lock,
        &checked.hosts,
    ))
}
