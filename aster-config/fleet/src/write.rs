//! Writing a fleet's output folder while its hosts compile (`fleet build`).
//!
//! Each host's files go into the output's staging folder as soon as the host compiled, so a fleet
//! of 10,000 hosts never holds every host's output in memory. Once every host compiled without
//! errors, the hive, the flake, the lock and the distro tree follow and the folder takes its
//! place (`aster_compiler::output::Staging`): the target shows the old output or the new one,
//! never a part. When a host does not compile nothing more is written and the staging folder is
//! removed.

use crate::emit;
use aster_compiler::OutputTree;
use aster_compiler::output::{Staging, WriteError};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Stages each compiled host's files; shared by the compiling threads.
#[derive(Debug)]
pub struct HostWriter<'a> {
    staging: &'a Staging,
    /// Every host's `aster_configuration.nix` (the same text for all).
    link: String,
    /// Set when a host did not compile or a write failed: the output will not be committed.
    stopped: AtomicBool,
    /// The first write that failed.
    error: Mutex<Option<WriteError>>,
}

impl<'a> HostWriter<'a> {
    /// A writer into `staging`.
    pub fn new(staging: &'a Staging) -> Self {
        Self {
            staging,
            link: emit::distro_link(),
            stopped: AtomicBool::new(false),
            error: Mutex::new(None),
        }
    }

    /// Stages the files of `hosts/<host>/`, unless the output will not be committed anyway.
    pub fn host(&self, host: &str, output: &OutputTree) {
        if self.stopped.load(Ordering::Relaxed) {
            return;
        }
        for (path, bytes) in emit::host_files(host, output, &self.link) {
            if let Err(error) = self.staging.add(&path, bytes) {
                self.stop();
                self.error
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(error);
                return;
            }
        }
    }

    /// A host did not compile: nothing more is written.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// The first write that failed, if any.
    pub fn into_error(self) -> Option<WriteError> {
        self.error
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn build(dir: &Path) -> crate::Built {
        crate::build(
            &dir.join("fleet.toml"),
            &aster_compiler::Options::default(),
            &dir.join("out"),
        )
    }

    #[test]
    fn a_fleet_is_written_host_by_host_and_appears_whole() {
        let dir = tempfile::tempdir().expect("temp");
        crate::sample::generate(dir.path(), 40).expect("fleet");
        let built = build(dir.path());
        // Two files per host, the hive, the flake, the lock and the distro tree.
        let files = 40 * 2 + 3 + aster_distro::etc_nixos::ETC_NIXOS.len();
        assert_eq!(built.written.expect("written").expect("no error"), files);
        let out = dir.path().join("out");
        let link = std::fs::read_to_string(out.join("hosts/h00007/aster_configuration.nix"));
        assert!(
            link.expect("link")
                .contains("../../distro/aster_configuration.nix")
        );
        assert!(out.join("hive.nix").is_file() && out.join("fleet.lock").is_file());
        assert!(
            built
                .checked
                .hosts
                .iter()
                .all(|h| h.output.is_none() && h.spec.is_none())
        );
        assert_eq!(
            names(dir.path()),
            ["base.toml", "fleet.lock", "fleet.toml", "out"]
        );
    }

    #[test]
    fn a_host_that_does_not_compile_leaves_nothing_written() {
        let dir = tempfile::tempdir().expect("temp");
        crate::sample::generate(dir.path(), 40).expect("fleet");
        let fleet = dir.path().join("fleet.toml");
        let mut text = std::fs::read_to_string(&fleet).expect("read");
        text.push_str("\n[[host]]\nname = \"broken\"\n[host.settings.system]\ntimezone = 3\n");
        std::fs::write(&fleet, text).expect("write");
        let built = build(dir.path());
        assert!(built.written.is_none());
        assert!(built.checked.report.has_errors());
        assert_eq!(names(dir.path()), ["base.toml", "fleet.lock", "fleet.toml"]);
    }
}
