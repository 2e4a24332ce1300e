//! `aster-config lock FLEET.toml`: pin the fleet's nixpkgs (and colmena) by NAR hash.
//!
//! Needs the real Nix and, for remote URLs, the network: `nix-prefetch-url --unpack` downloads
//! each pin once. The lock is written beside the fleet file, atomically.

use super::{EXIT_OK, EXIT_SPEC_ERRORS, Format, render::Style, render::usage_error};
use std::path::PathBuf;

/// Arguments of `lock`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The fleet file whose `[pins]` to lock.
    fleet: PathBuf,
}

pub fn run(args: &Args, style: &Style, format: Format) -> u8 {
    let location = aster_fleet::read::Location::of(&args.fleet);
    let mut files = aster_fleet::Files::default();
    let mut report = aster_fleet::Report::default();
    let fleet = aster_fleet::read::read(&location, &mut files, &mut report);
    let checked = aster_fleet::Checked {
        location: location.clone(),
        files,
        fleet: None,
        hosts: Vec::new(),
        lock: None,
        report,
    };
    if checked.report.has_errors() {
        super::fleet::render(style, format, &checked);
        return EXIT_SPEC_ERRORS;
    }
    let Some(fleet) = fleet else {
        return EXIT_SPEC_ERRORS;
    };
    style.status(&format!("fetching {}", fleet.value.pins.nixpkgs));
    let lock = match aster_fleet::lock::compute(&fleet) {
        Ok(lock) => lock,
        Err(reason) => return usage_error(&reason),
    };
    let path = location.dir.join(aster_fleet::lock::LOCK_FILE);
    let text = aster_fleet::lock::to_text(&lock);
    if let Err(error) = aster_compiler::output::atomic::write_atomic(&path, text.as_bytes()) {
        return usage_error(&format!("cannot write {}: {error}", path.display()));
    }
    style.status(&format!(
        "{}: nixpkgs {} ({})",
        aster_fleet::paths::display(&path),
        lock.nixpkgs.rev.as_deref().unwrap_or(&lock.nixpkgs.url),
        lock.nixpkgs.nar_hash
    ));
    EXIT_OK
}
