//! `aster-config build SPEC -o DIR`: check, then write the output folder atomically.
//!
//! When the spec has a lock beside it (`aster-config lock`), the output also holds
//! `nixpkgs.nix`, the locked nixpkgs as `builtins.fetchTarball { url; sha256; }`. A lock that is
//! stale, or none under `--locked`, stops the build before the spec is compiled: nothing written.

use super::{
    EXIT_OK, EXIT_SPEC_ERRORS, EXIT_USAGE, read_spec,
    render::{Style, usage_error},
};
use std::path::PathBuf;

/// Arguments of `build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`-` reads standard input).
    spec: PathBuf,
    /// The output folder; created, or replaced when it holds an earlier aster-config output.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Write a complete /etc/nixos tree: also the distro's `aster_configuration.nix`, modules and
    /// overlays, ready for nixos-install.
    #[arg(long)]
    full: bool,
    /// Refuse to build without a current lock beside the spec (`aster-config lock`), so the
    /// output never names an unpinned nixpkgs.
    #[arg(long)]
    locked: bool,
    #[command(flatten)]
    nixpkgs: super::check::NixpkgsArgs,
}

pub fn run(args: &Args, style: &Style) -> u8 {
    let (bytes, name, dir) = match read_spec(&args.spec) {
        Ok(read) => read,
        Err(message) => return usage_error(&message),
    };
    let shown = super::render::spec_path(&args.spec);
    let pin = match super::lock::spec_pin(&args.spec, args.locked) {
        Ok(pin) => pin,
        Err(problem) => return problem.report(style, &shown, "nothing written"),
    };
    let index = args.nixpkgs.index(pin.as_ref());
    let built = aster_compiler::build_with(
        aster_compiler::Input {
            name: &name,
            bytes: &bytes,
            base_dir: dir.as_deref(),
        },
        &aster_compiler::Options {
            packages: index
                .as_ref()
                .map(|i| i as &dyn aster_compiler::PackageIndex),
            full: args.full,
            pin: pin.as_ref().map(|pin| pin.file.as_str()),
        },
    );
    let checked = &built.checked;
    style.diagnostics(&shown, checked.source.as_ref(), &checked.diagnostics);
    super::check::report_lookup(style, &checked.package_lookup);
    let Some(output) = built.output else {
        style.status(&format!("{shown}: nothing written"));
        return EXIT_SPEC_ERRORS;
    };
    match aster_compiler::output::write(&output, &args.output) {
        Ok(()) => {
            let pinned = pin.as_ref().map_or_else(String::new, |pin| {
                format!(", nixpkgs pinned to {}", pin.nixpkgs.name())
            });
            style.status(&format!(
                "{shown}: wrote {} file(s) to {} ({} warning(s){pinned})",
                output.files().len(),
                args.output.display(),
                checked.diagnostics.warning_count()
            ));
            EXIT_OK
        }
        Err(error) => {
            usage_error(&format!("cannot write the output: {error}"));
            EXIT_USAGE
        }
    }
}
