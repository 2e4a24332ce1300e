//! Go to definition for file references: imported modules, patches, and a fleet's host specs.

use crate::{document::Document, locate};
use lsp_types::{Location, Position, Range};

/// True for the keys whose strings name a file beside the spec (or, in a fleet file, a host's
/// spec or a shared module).
fn names_a_file(path: &[&str]) -> bool {
    matches!(path, ["imports", "modules"] | ["overrides", _, "patches"])
        || matches!(path.last(), Some(&("spec" | "modules")))
}

/// The file the string under the cursor names, when it exists.
pub fn definition(document: &Document, position: Position) -> Option<Location> {
    let offset = document.index.offset(&document.text, position);
    let spot = locate::spot_at(&document.text, offset)?;
    let (value, _) = spot.string?;
    let path: Vec<&str> = spot.path.iter().map(String::as_str).collect();
    if !names_a_file(&path) {
        return None;
    }
    let uri = document.file_uri(&value)?;
    Some(Location::new(uri, Range::default()))
}
