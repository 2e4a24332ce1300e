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
pub mod diagnostic;
pub mod emit;
pub mod layout;
pub mod lower;
pub mod nix;
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
}

/// The result of building a spec.
#[derive(Debug, Clone)]
pub struct Built {
    /// The check result.
    pub checked: Checked,
    /// The output, only when there were no errors.
    pub output: Option<OutputTree>,
}

/// Runs every check on a spec.
pub fn check(input: Input<'_>) -> Checked {
    let mut diagnostics = Diagnostics::new();
    let mut checked = Checked {
        source: None,
        spec: None,
        attachments: check::Attachments::default(),
        diagnostics: Diagnostics::new(),
    };
    let source = source::read(input.name, input.bytes, &mut diagnostics);
    if let Some(source) = &source
        && let Some(document) = tree::parse(source, &mut diagnostics) {
            let shaped = validate::check(&document, &schema::spec_schema(), &mut diagnostics);
            if let Some(spec) = lower::lower(shaped, &mut diagnostics) {
                checked.attachments =
                    check::run(&spec, &document, input.base_dir, &mut diagnostics);
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
    let mut checked = check(input);
    let output = match (&checked.source, &checked.spec) {
        (Some(source), Some(spec)) if !checked.diagnostics.has_errors() => {
            emit::emit(source, spec, &checked.attachments, &mut checked.diagnostics)
        }
        _ => None,
    };
    Built { checked, output }
}
