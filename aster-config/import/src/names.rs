//! Static names in Nix source: an attribute-path part or a string without `${…}`, read by both
//! the module reader (`nix`) and the scope reader (`scope`).

use rnix::ast::{self, InterpolPart};
use rowan::ast::AstNode;

/// The name of one attribute-path part, when it is static.
pub fn attr_name(attr: &ast::Attr) -> Option<String> {
    match attr {
        ast::Attr::Ident(ident) => Some(ident.syntax().to_string()),
        ast::Attr::Str(string) => static_string(string),
        ast::Attr::Dynamic(_) => None,
    }
}

/// The text of a string without interpolation.
pub fn static_string(string: &ast::Str) -> Option<String> {
    let mut text = String::new();
    for part in string.normalized_parts() {
        match part {
            InterpolPart::Literal(literal) => text.push_str(&literal),
            InterpolPart::Interpolation(_) => return None,
        }
    }
    Some(text)
}
