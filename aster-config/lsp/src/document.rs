//! One open document: its text as the editor has it, what kind of file it is, and the
//! compiler's verdict on that text.
//!
//! A spec gets `check`'s diagnostics; a fleet file the fleet check's (`crate::fleet`), not a
//! spec's, which would call every fleet key unknown; other TOML none at all (`crate::kind`).

use crate::kind::{self, Kind};
use crate::text::{LineIndex, path_to_uri, uri_to_path};
use aster_compiler::{Checked, Input};
use lsp_types::Uri;
use std::path::PathBuf;

/// An open document, checked on every change.
#[derive(Debug)]
pub struct Document {
    /// The document's URI, as the client sent it.
    pub uri: String,
    /// The file on disk, for `file://` URIs: file references start from its folder.
    pub path: Option<PathBuf>,
    /// The text the editor holds (not necessarily saved).
    pub text: String,
    /// A spec, a fleet file, or some other tool's TOML.
    pub kind: Kind,
    /// Line starts of `text`.
    pub index: LineIndex,
    /// What `check` says about `text`.
    pub checked: Checked,
}

impl Document {
    /// Recognises `text` and checks it as the spec or fleet file at `uri`.
    pub fn new(uri: String, text: String) -> Self {
        let path = uri_to_path(&uri);
        let name = path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| uri.clone(), |n| n.to_string_lossy().into_owned());
        let base_dir = path.as_ref().and_then(|p| p.parent());
        let fleet_path = path.clone().unwrap_or_else(|| PathBuf::from("fleet.toml"));
        let kind = kind::recognise(&text);
        let checked = match kind {
            Kind::Fleet if text.len() <= aster_compiler::MAX_SPEC_BYTES => {
                crate::fleet::check(&fleet_path, &text)
            }
            Kind::Fleet | Kind::Spec => aster_compiler::check(Input {
                name: &name,
                bytes: text.as_bytes(),
                base_dir,
            }),
            Kind::Other => Checked::default(),
        };
        let index = LineIndex::new(&text);
        Self {
            uri,
            path,
            text,
            kind,
            index,
            checked,
        }
    }

    /// A document whose text was too large to receive (`length` bytes of message): no text,
    /// one `AC0103` diagnostic on its first line.
    pub fn too_large(uri: String, length: usize) -> Self {
        let mut checked = Checked::default();
        checked
            .diagnostics
            .push(aster_compiler::file_too_large(format!(
                "the document's message has {length} bytes, more than the language server \
                 reads ({} bytes); aster-config reads specs of at most {} bytes",
                crate::transport::MAX_BODY_BYTES,
                aster_compiler::MAX_SPEC_BYTES
            )));
        Self {
            path: uri_to_path(&uri),
            uri,
            text: String::new(),
            kind: Kind::Spec,
            index: LineIndex::new(""),
            checked,
        }
    }

    /// The folder file references start from.
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.path.as_deref().and_then(std::path::Path::parent)
    }

    /// The URI of the file `relative` names beside this document, when that file exists (and the
    /// document has a folder).
    pub fn file_uri(&self, relative: impl AsRef<std::path::Path>) -> Option<Uri> {
        let file = self.folder()?.join(relative);
        if !file.is_file() {
            return None;
        }
        path_to_uri(&file.canonicalize().ok()?).parse().ok()
    }
}
