//! Hover: the key's documentation from the schema; for a package, service, kernel parameter or
//! kernel feature, its catalog facts; for a diagnostic under the cursor, its `explain` text.
//!
//! In a fleet file the keys are documented from the fleet schema, and the spec keys inside a
//! host's or the defaults' `settings` as in a spec, with the same catalog facts.

use crate::{document::Document, facts, locate, schema::View};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// The hover text at `position`, if there is anything to say.
pub fn hover(document: &Document, position: Position) -> Option<Hover> {
    let offset = document.index.offset(&document.text, position);
    let mut parts = Vec::new();
    if let Some(spot) = locate::spot_at(&document.text, offset) {
        parts.extend(about_spot(View::of(document.kind), &spot));
    }
    for diagnostic in &document.checked.diagnostics {
        if diagnostic
            .primary_span()
            .is_some_and(|s| s.start <= offset && offset <= s.end)
        {
            parts.push(format!(
                "---\n**{}**: {}\n\n{}",
                diagnostic.code,
                diagnostic.message,
                diagnostic.code.explanation()
            ));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n"),
        }),
        range: None,
    })
}

/// What the catalogs and the schema say about the key or value under the cursor.
fn about_spot(view: View, spot: &locate::Spot) -> Vec<String> {
    let place = view.at(&spot.path);
    let path = place.spec_path();
    let path = path.as_slice();
    let mut parts = Vec::new();
    if let Some((value, _)) = &spot.string {
        let fact = match path {
            ["packages", "install" | "allow-untested"] => Some(facts::package(value)),
            ["kernel", "params"] => facts::kernel_param(value),
            ["kernel", "features"] => facts::kernel_feature(value),
            _ => None,
        };
        parts.extend(fact);
    }
    if let ["services", name] = path
        && let Some(fact) = facts::service(name)
    {
        parts.push(fact);
    }
    if let Some(doc) = view.description(&spot.path) {
        parts.push(format!("`{}`\n\n{doc}", spot.path.join(".")));
    }
    parts
}
