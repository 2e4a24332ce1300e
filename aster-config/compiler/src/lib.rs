//! The aster-config compiler: a simple TOML system spec, checked against what Asterinas NixOS
//! supports, compiled to `configuration.nix` plus overlays.
//!
//! The passes, one module each, every one importing only the passes before it:
//!
//! ```text
//! bytes ─source─▶ text ─tree─▶ document with spans ─validate─▶ shape-checked JSON
//!       ─lower─▶ typed Spec ─options─▶ NixOS option assignments (the IR)
//!       ─check─▶ diagnostics + attachments ─emit─▶ Nix AST ─nix─▶ printed files ─output─▶ disk
//! ```
//!
//! `spec` holds the typed spec the passes share, `diagnostic` the one diagnostic model, `layout`
//! the names of output files, `util` the helpers several passes use (hashes, suggestions), and
//! `nix` the Nix AST and printer, which any pass may use. Every pass reports into one
//! [`Diagnostics`] collection and the pipeline goes as far as it can, so one run shows every
//! problem. Nothing here prints, starts a process or takes a lock: the `aster-config` binary
//! renders, `aster-nixpkgs` asks the real nixpkgs, `aster-deploy` changes machines.
//!
//! The public surface is this file: [`check`], [`build`], their inputs and results, the spec
//! types, the option IR, the diagnostics and the schema.

mod check;
pub mod diagnostic;
mod emit;
pub mod format;
pub mod layout;
mod lower;
pub mod nix;
pub mod options;
pub mod output;
pub mod schema;
mod source;
pub mod spec;
mod tree;
mod util;
mod validate;

pub use check::nixpkgs::{IndexAnswer, PackageIndex, PackageLookup};
pub use check::{Attachment, AttachmentKind, Attachments};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Elsewhere, Severity, Span};
pub use emit::{MANIFEST_FILE, OutputTree};
pub use source::{MAX_SPEC_BYTES, SourceFile, file_too_large};
pub use spec::Spec;
pub use tree::MAX_DEPTH;
pub use util::hash::{sha256, sha256_hex, to_hex};
pub use util::read::{Capped, FileAt, read_capped};
pub use validate::{SUPPORTED_KEYWORDS, located_shape_diagnostics};

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
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Where to look package names up; `None` leaves them unchecked.
    pub packages: Option<&'a dyn PackageIndex>,
    /// Emit a complete `/etc/nixos` tree: the spec's files plus the distro's own module,
    /// overlays and the files they reference, ready for `nixos-install`.
    pub full: bool,
    /// The text of the spec's locked nixpkgs (from its lock): the output then holds it as
    /// `nixpkgs.nix`, and `configuration.nix` puts it first on the machine's `NIX_PATH`.
    pub pin: Option<&'a str>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("packages", &self.packages.map(|_| "PackageIndex"))
            .field("full", &self.full)
            .field("pin", &self.pin.is_some())
            .finish()
    }
}

/// The result of checking a spec.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The text, when it could be read.
    pub source: Option<SourceFile>,
    /// The typed spec, when the document could be lowered.
    pub spec: Option<Spec>,
    /// Referenced files, read.
    pub attachments: Attachments,
    /// Everything found, sorted by position.
    pub diagnostics: Diagnostics,
    /// What the package lookup did.
    pub package_lookup: PackageLookup,
}

impl Default for Checked {
    /// The verdict on nothing checked yet: no text, no spec, no attachments, no diagnostics, no
    /// package lookup.
    fn default() -> Self {
        Self {
            source: None,
            spec: None,
            attachments: Attachments::default(),
            diagnostics: Diagnostics::new(),
            package_lookup: PackageLookup::NotRequested,
        }
    }
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
pub fn check_with(input: Input<'_>, options: &Options<'_>) -> Checked {
    let mut diagnostics = Diagnostics::new();
    let mut checked = Checked::default();
    let source = source::read(input.name, input.bytes, &mut diagnostics);
    if let Some(source) = &source
        && let Some(document) = tree::parse(source, &mut diagnostics)
    {
        let shaped = validate::check(&document, schema::spec_schema_data(), &mut diagnostics);
        if let Some(spec) = lower::lower(shaped, &document, &mut diagnostics) {
            checked.attachments = check::run(&spec, &document, input.base_dir, &mut diagnostics);
            let mut unknown = Diagnostics::new();
            checked.package_lookup =
                check::nixpkgs::check(&spec, &document, options.packages, &mut unknown);
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
pub fn build_with(input: Input<'_>, options: &Options<'_>) -> Built {
    let mut checked = check_with(input, options);
    let output = match (&checked.source, &checked.spec) {
        (Some(source), Some(spec)) if !checked.diagnostics.has_errors() => emit::emit(
            source,
            spec,
            &checked.attachments,
            options.pin,
            &mut checked.diagnostics,
        )
        .map(|mut tree| {
            if options.full {
                emit::add_distro_tree(&mut tree, &mut checked.diagnostics);
            }
            tree
        }),
        _ => None,
    };
    Built { checked, output }
}
