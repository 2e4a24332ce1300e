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
    /// Check package names against this nixpkgs (default: the spec's locked nixpkgs when it has
    /// a lock, else `<nixpkgs>` from `NIX_PATH`, if any).
    #[arg(long, value_name = "PATH", conflicts_with = "no_nixpkgs")]
    nixpkgs: Option<PathBuf>,
    /// Do not look package names up in nixpkgs.
    #[arg(long)]
    no_nixpkgs: bool,
}

impl NixpkgsArgs {
    /// The package index these flags stand for (`None`: names are not looked up). Without
    /// `--nixpkgs`, a spec with a lock (`pin`) is checked against its locked nixpkgs, the tree
    /// its build will use, when the Nix store has it.
    pub fn index(&self, pin: Option<&super::lock::Pin>) -> Option<aster_nixpkgs::Nixpkgs> {
        let lookup = match (&self.nixpkgs, self.no_nixpkgs, pin) {
            (_, true, _) => aster_nixpkgs::Lookup::Off,
            (Some(path), false, _) => aster_nixpkgs::Lookup::Path(path.clone()),
            (None, false, Some(pin)) => pinned(&pin.nixpkgs),
            (None, false, None) => aster_nixpkgs::Lookup::NixPath,
        };
        aster_nixpkgs::Nixpkgs::new(lookup, None)
    }
}

/// The locked nixpkgs as a lookup: its unpacked tree in the Nix store, or why it is not there.
fn pinned(nixpkgs: &aster_deploy::pin::Nixpkgs) -> aster_nixpkgs::Lookup {
    let tree = aster_fleet::lock::on_disk(&nixpkgs.store_path);
    if tree.join("default.nix").is_file() {
        aster_nixpkgs::Lookup::Path(tree)
    } else {
        aster_nixpkgs::Lookup::Unavailable(format!(
            "the locked nixpkgs {} is not in the Nix store yet (`aster-config lock` fetches it)",
            nixpkgs.name()
        ))
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
    // A lock that is missing or stale is `build`'s to refuse; here it only picks the nixpkgs
    // package names are checked against.
    let pin = super::lock::spec_pin(&args.spec, false).ok().flatten();
    let index = args.nixpkgs.index(pin.as_ref());
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
            ..aster_compiler::Options::default()
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
