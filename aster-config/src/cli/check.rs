//! `aster-config check SPEC`: report every problem in a spec.

use super::{
    EXIT_OK, EXIT_SPEC_ERRORS, read_spec,
    render::{Style, usage_error},
};
use std::path::PathBuf;

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec file (`-` reads standard input).
    spec: PathBuf,
    #[command(flatten)]
    nixpkgs: NixpkgsArgs,
}

/// Where package names are looked up (shared by `check`, `build` and the deploy commands).
#[derive(Debug, Clone, clap::Args)]
pub struct NixpkgsArgs {
    /// Check package names against this nixpkgs (default: `<nixpkgs>` from `NIX_PATH`, if any).
    #[arg(long, value_name = "PATH", conflicts_with = "no_nixpkgs")]
    nixpkgs: Option<PathBuf>,
    /// Do not look package names up in nixpkgs.
    #[arg(long)]
    no_nixpkgs: bool,
}

impl NixpkgsArgs {
    /// The package index these flags stand for (`None`: names are not looked up).
    pub fn index(&self) -> Option<aster_nixpkgs::Nixpkgs> {
        let lookup = match (&self.nixpkgs, self.no_nixpkgs) {
            (_, true) => aster_nixpkgs::Lookup::Off,
            (Some(path), false) => aster_nixpkgs::Lookup::Path(path.clone()),
            (None, false) => aster_nixpkgs::Lookup::NixPath,
        };
        aster_nixpkgs::Nixpkgs::new(lookup, None)
    }
}

/// Tells the user, once, when package names could not be checked.
pub fn report_lookup(style: &Style, outcome: &aster_compiler::PackageLookup) {
    if let aster_compiler::PackageLookup::Skipped(reason) = outcome {
        style.status(&format!(
            "note: package names were not checked against nixpkgs: {reason}"
        ));
    }
}

pub fn run(args: &Args, style: &Style) -> u8 {
    let (bytes, name, dir) = match read_spec(&args.spec) {
        Ok(read) => read,
        Err(message) => return usage_error(&message),
    };
    let shown = super::render::spec_path(&args.spec);
    let index = args.nixpkgs.index();
    let checked = aster_compiler::check_with(
        aster_compiler::Input {
            name: &name,
            bytes: &bytes,
            base_dir: dir.as_deref(),
        },
        &aster_compiler::Options {
            packages: index
                .as_ref()
                .map(|i| i as &dyn aster_compiler::PackageIndex),
            full: false,
        },
    );
    style.diagnostics(&shown, checked.source.as_ref(), &checked.diagnostics);
    report_lookup(style, &checked.package_lookup);
    if checked.diagnostics.has_errors() {
        EXIT_SPEC_ERRORS
    } else {
        style.status(&format!(
            "{shown}: ok ({} warning(s))",
            checked.diagnostics.warning_count()
        ));
        EXIT_OK
    }
}
