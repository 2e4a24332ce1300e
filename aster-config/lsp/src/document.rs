//! One open spec: its text as the editor has it, and the compiler's verdict on that text.

use crate::text::{LineIndex, uri_to_path};
use aster_compiler::{Checked, Input};
use std::path::PathBuf;

/// True for a fleet file (`fleet-version = …` at the top level): it gets the fleet check's
/// diagnostics (`crate::fleet`), not a spec's (which would call every fleet key unknown).
fn is_fleet_file(text: &str) -> bool {
    text.len() <= aster_compiler::MAX_SPEC_BYTES
        && toml_edit::Document::parse(text).is_ok_and(|d| d.contains_key("fleet-version"))
}

/// An open document, checked on every change.
#[derive(Debug)]
pub struct Document {
    /// The document's URI, as the client sent it.
    pub uri: String,
    /// The file on disk, for `file://` URIs: file references start from its folder.
    pub path: Option<PathBuf>,
    /// The text the editor holds (not necessarily saved).
    pub text: String,
    /// Line starts of `text`.
    pub index: LineIndex,
    /// What `check` says about `text`.
    pub checked: Checked,
}

impl Document {
    /// Checks `text` as the spec at `uri`.
    pub fn new(uri: String, text: String) -> Self {
        let path = uri_to_path(&uri);
        let name = path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| uri.clone(), |n| n.to_string_lossy().into_owned());
        let base_dir = path.as_ref().and_then(|p| p.parent());
        let fleet_path = path.clone().unwrap_or_else(|| PathBuf::from("fleet.toml"));
        let checked = if is_fleet_file(&text) {
            crate::fleet::check(&fleet_path, &text)
        } else {
            aster_compiler::check(Input {
                name: &name,
                bytes: text.as_bytes(),
                base_dir,
            })
        };
        let index = LineIndex::new(&text);
        Self {
            uri,
            path,
            text,
            index,
            checked,
        }
    }

    /// The folder file references start from.
    pub fn folder(&self) -> Option<&std::path::Path> {
        self.path.as_deref().and_then(std::path::Path::parent)
    }
}
