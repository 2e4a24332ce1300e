//! The meaning checks: what the values of a well-shaped spec mean, and whether they can work.
//!
//! Each module checks one concern and reports through the shared [`Context`], which turns paths in
//! the spec back into spans. All checks always run; none stops another. The files a spec refers to
//! (patches, modules) are read here, once, into [`Attachments`], so the emitter never touches the
//! file system.
//!
//! Besides the typed spec, the context holds the final option set ([`final_options`]): every NixOS
//! option the output sets, from the spec's sections, `[nixos]` and the imported modules alike, so
//! that the capability rules see an option whichever road it took.

mod asterinas;
mod consistency;
mod files;
mod final_options;
mod imports;
mod ipv6;
mod kernel;
mod names;
mod networking;
mod nixos;
pub mod nixpkgs;
mod packages;
mod services;
mod strings;
mod system;
mod tls;
mod users;

pub use files::{Attachment, AttachmentKind, Attachments};

use crate::diagnostic::{Diagnostic, Diagnostics, Span};
use crate::spec::Spec;
use crate::tree::{Node, Segment};
use std::path::Path;

/// Top-level names of a NixOS module that are its structure, not options (`config` aside: in a
/// module it holds the options; `imports` reads it, `[nixos]` refuses it).
const MODULE_STRUCTURE: &[&str] = &[
    "options",
    "imports",
    "disabledModules",
    "_module",
    "_file",
    "key",
    "meta",
];

/// What every check reads and writes.
pub struct Context<'a> {
    /// The typed spec.
    pub spec: &'a Spec,
    /// The parsed document, used as the source map.
    pub tree: &'a Node,
    /// The folder the spec's relative file references start from; `None` when the spec came from
    /// standard input, in which case file references are refused.
    pub base_dir: Option<&'a Path>,
    /// The final option set: every option the sections, `[nixos]` and the modules set.
    pub leaves: Vec<final_options::Leaf>,
    diagnostics: &'a mut Diagnostics,
}

impl Context<'_> {
    /// The span of the value at `path`.
    pub fn span(&self, path: &[Segment]) -> Option<Span> {
        self.tree.span_of(path)
    }

    /// The span of the key at `path`.
    pub fn key_span(&self, path: &[Segment]) -> Option<Span> {
        self.tree.key_span_of(path)
    }

    /// Records a diagnostic.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// Runs every meaning check and reads the referenced files.
pub fn run(
    spec: &Spec,
    tree: &Node,
    base_dir: Option<&Path>,
    diagnostics: &mut Diagnostics,
) -> Attachments {
    let mut cx = Context {
        spec,
        tree,
        base_dir,
        leaves: Vec::new(),
        diagnostics,
    };
    cx.leaves = final_options::collect(&cx);
    let mut attachments = files::collect(&mut cx);
    imports::check(&mut cx, &mut attachments);
    strings::check(&mut cx);
    system::check(&mut cx);
    kernel::check(&mut cx);
    packages::check(&mut cx);
    services::check(&mut cx);
    tls::check(&mut cx);
    users::check(&mut cx);
    networking::check(&mut cx);
    ipv6::check(&mut cx);
    nixos::check(&mut cx);
    asterinas::check(&mut cx);
    consistency::check(&mut cx);
    attachments
}
