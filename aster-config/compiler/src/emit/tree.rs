//! The output as an in-memory tree of files, with the manifest that records what aster-config owns.

use crate::source::SourceFile;
use crate::util::hash::sha256_hex;
use std::collections::BTreeMap;

/// Name of the manifest file written beside the output.
pub const MANIFEST_FILE: &str = ".aster-config-manifest.json";

/// Output files by relative path (`/`-separated), in sorted order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTree {
    files: BTreeMap<String, Vec<u8>>,
    spec_name: String,
    spec_sha256: String,
}

impl OutputTree {
    /// An empty tree for the output of `source`.
    pub fn new(source: &SourceFile) -> Self {
        Self {
            files: BTreeMap::new(),
            spec_name: source.name.clone(),
            spec_sha256: sha256_hex(source.text.as_bytes()),
        }
    }

    /// Adds a file.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_owned(), bytes);
    }

    /// Adds a Nix file.
    pub fn insert_nix(&mut self, path: &str, text: String) {
        self.insert(path, text.into_bytes());
    }

    /// The files, sorted by path.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The `.nix` files as text.
    pub fn nix_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(|(path, _)| {
                std::path::Path::new(path)
                    .extension()
                    .is_some_and(|e| e == "nix")
            })
            .filter_map(|(path, bytes)| Some((path.as_str(), std::str::from_utf8(bytes).ok()?)))
    }

    /// The SHA-256 of the spec text, in hex.
    pub fn spec_sha256(&self) -> &str {
        &self.spec_sha256
    }

    /// The manifest: generator, spec hash and the list of owned files.
    pub fn manifest(&self) -> String {
        self.manifest_of(self.files.keys().map(String::as_str))
    }

    /// The manifest of this tree's generator and spec, listing `files` (sorted) instead of the
    /// tree's own: a staged output lists what was staged.
    pub fn manifest_of<'f>(&self, files: impl IntoIterator<Item = &'f str>) -> String {
        let files: std::collections::BTreeSet<&str> = files.into_iter().collect();
        let manifest = serde_json::json!({
            "generator": format!("aster-config {}", env!("CARGO_PKG_VERSION")),
            "spec": self.spec_name,
            "spec-sha256": self.spec_sha256,
            "files": files,
        });
        let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        text.push('\n');
        text
    }
}
