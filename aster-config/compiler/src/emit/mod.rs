//! From the checked spec to the output files.
//!
//! `configuration` wraps the option assignments of the `options` pass into the module text of
//! `configuration.nix`; `overlay` writes one overlay per override. [`emit`] returns the
//! whole output as an in-memory [`OutputTree`]; nothing is written here, and every Nix file is
//! re-parsed with rnix before it is returned.

mod configuration;
mod overlay;
mod tree;

pub use tree::{MANIFEST_FILE, OutputTree};

use crate::check::Attachments;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::layout;
use crate::source::SourceFile;
use crate::spec::Spec;

/// Everything `build` writes, keyed by path relative to the output folder; with `pin` (the locked
/// nixpkgs' text) also `nixpkgs.nix`.
pub fn emit(
    source: &SourceFile,
    spec: &Spec,
    attachments: &Attachments,
    pin: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<OutputTree> {
    let mut tree = OutputTree::new(source);
    tree.insert_nix(
        layout::CONFIGURATION,
        configuration::render(source, spec, attachments, pin.is_some()),
    );
    if let Some(pin) = pin {
        tree.insert_nix(layout::NIXPKGS_PIN, pin.to_owned());
    }
    for (name, over) in &spec.overrides {
        tree.insert_nix(
            &layout::overlay_output_path(name),
            overlay::render(source, name, over),
        );
    }
    for attachment in attachments {
        tree.insert(&attachment.output_path, attachment.bytes.clone());
    }
    let mut ok = true;
    for (path, text) in tree.nix_files() {
        let parsed = rnix::Root::parse(text);
        if let Some(error) = parsed.errors().first() {
            ok = false;
            diagnostics.push(Diagnostic::new(
                Code::Internal,
                format!("aster-config produced {path} that does not parse as Nix ({error}); this is a bug, please report it with your spec"),
            ));
        }
    }
    ok.then_some(tree)
}

/// Adds the distro's own `/etc/nixos` files (`aster_configuration.nix`, `asterinas/…`) to `tree`,
/// for `build --full`. They never share a path with the compiler's own files.
pub fn add_distro_tree(tree: &mut OutputTree, diagnostics: &mut Diagnostics) {
    for (path, bytes) in aster_distro::etc_nixos::ETC_NIXOS {
        if tree.files().contains_key(*path) {
            diagnostics.push(Diagnostic::new(
                Code::Internal,
                format!("the distro's {path} collides with a generated file; this is a bug, please report it"),
            ));
            continue;
        }
        tree.insert(path, bytes.to_vec());
    }
}
