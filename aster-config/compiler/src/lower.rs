//! Lowering: the shape-checked JSON form of the document → the typed [`Spec`].
//!
//! The shape check has already removed every invalid part, so this cannot fail on user input;
//! if it does, that is a bug in aster-config, reported as such instead of a panic.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::spec::Spec;

/// Builds the typed spec from the checked JSON value.
pub fn lower(value: serde_json::Value, diagnostics: &mut Diagnostics) -> Option<Spec> {
    match serde_json::from_value(value) {
        Ok(spec) => Some(spec),
        Err(error) => {
            if !diagnostics.has_errors() {
                diagnostics.push(Diagnostic::new(
                    Code::Internal,
                    format!("the checked spec could not be read into its types ({error}); this is a bug, please report it with your spec"),
                ));
            }
            None
        }
    }
}
