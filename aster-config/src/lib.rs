//! aster-config: compile a simple TOML system spec into a checked `configuration.nix` (plus
//! overlays) for Asterinas NixOS.
//!
//! The pipeline, one module per step, data flowing one way:
//!
//! ```text
//! bytes ─source─▶ text ─tree─▶ parsed document with spans ─validate─▶ shape-checked JSON
//!       ─lower─▶ typed Spec (+ the tree as source map) ─check─▶ diagnostics + attachments
//!       ─emit─▶ Nix IR (emit::options) ─nix─▶ printed files (OutputTree) ─output─▶ written
//! ```
//!
//! Every step reports into one [`Diagnostics`] collection and the pipeline goes as far as it can,
//! so one run shows every problem. Nothing here prints: the `aster-config` binary renders.

#![warn(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod check;
pub mod deploy;
pub mod diagnostic;
pub mod emit;
pub mod layout;
pub mod lower;
pub mod nix;
pub mod nixpkgs;
pub mod output;
pub mod schema;
pub mod source;
pub mod spec;
pub mod tree;
pub mod validate;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Severity};
pub use emit::OutputTree;
pub use source::SourceFile;
pub use spec::Spec;

use std::path::Path;

/// A spec to compile: its bytes, the name to show, and the folder its file references start from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Name shown in diagnostics and the generated header.
    pub name: &'a str,
    /// The raw file contents.
    pub bytes: &'a [u8],
    /// The spec's folder; `None` for standard input.
    pub base_dir: Option<&'a Path>,
}

/// Choices that change what `check` looks at beyond the spec itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Whether and where to look packages up in a real nixpkgs.
    pub nixpkgs: nixpkgs::Lookup,
    /// Where looked-up attribute names are cached (default: the user cache folder).
    pub cache_dir: Option<std::path::PathBuf>,
    /// Emit a complete `/etc/nixos` tree: the spec's files plus the distro's own module,
    /// overlays and the files they reference, ready for `nixos-install`.
    pub full: bool,
}

/// The result of checking a spec.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The text, when it could be read.
    pub source: Option<SourceFile>,
    /// The typed spec, when the document could be lowered.
    pub spec: Option<Spec>,
    /// Referenced files, read.
    pub attachments: check::Attachments,
    /// Everything found, sorted by position.
    pub diagnostics: Diagnostics,
    /// What the package lookup in nixpkgs did.
    pub package_lookup: nixpkgs::Outcome,
}

/// The result of building a spec.
#[derive(Debug, Clone)]
pub struct Built {
    /// The check result.
    pub checked: Checked,
    /// The output, only when there were no errors.
    pub output: Option<OutputTree>,
}

/// Runs every check on a spec (without looking packages up in nixpkgs).
pub fn check(input: Input<'_>) -> Checked {
    check_with(input, &Options::default())
}

/// Runs every check on a spec, with `options`.
pub fn check_with(input: Input<'_>, options: &Options) -> Checked {
    let mut diagnostics = Diagnostics::new();
    let mut checked = Checked {
        source: None,
        spec: None,
        attachments: check::Attachments::default(),
        diagnostics: Diagnostics::new(),
        package_lookup: nixpkgs::Outcome::NotRequested,
    };
    let source = source::read(input.name, input.bytes, &mut diagnostics);
    if let Some(source) = &source
        && let Some(document) = tree::parse(source, &mut diagnostics)
    {
        let shaped = validate::check(&document, schema::spec_schema(), &mut diagnostics);
        if let Some(spec) = lower::lower(shaped, &mut diagnostics) {
            checked.attachments = check::run(&spec, &document, input.base_dir, &mut diagnostics);
            let wanted = check::package_references(&spec, &document);
            let mut unknown = Diagnostics::new();
            checked.package_lookup = nixpkgs::check(
                &options.nixpkgs,
                options.cache_dir.as_deref(),
                &wanted,
                &mut unknown,
            );
            // A package that does not exist at all needs no "untested" warning besides.
            let missing: Vec<_> = unknown
                .iter()
                .filter_map(|d| d.primary_span().cloned())
                .collect();
            diagnostics.retain(|d| {
                d.code != Code::UntestedPackage
                    || d.primary_span().is_none_or(|s| !missing.contains(s))
            });
            diagnostics.extend(unknown);
            checked.spec = Some(spec);
        }
    }
    diagnostics.sort_by_position();
    checked.source = source;
    checked.diagnostics = diagnostics;
    checked
}

/// Checks a spec and, when it has no errors, emits its output files (in memory).
pub fn build(input: Input<'_>) -> Built {
    build_with(input, &Options::default())
}

/// [`build`] with `options`.
pub fn build_with(input: Input<'_>, options: &Options) -> Built {
    let mut checked = check_with(input, options);
    let output = match (&checked.source, &checked.spec) {
        (Some(source), Some(spec)) if !checked.diagnostics.has_errors() => {
            emit::emit(source, spec, &checked.attachments, &mut checked.diagnostics).map(
                |mut tree| {
                    if options.full {
                        emit::add_distro_tree(&mut tree, &mut checked.diagnostics);
                    }
                    tree
                },
            )
        }
        _ => None,
    };
    Built { checked, output }
}
