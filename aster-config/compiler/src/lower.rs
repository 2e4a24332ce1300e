//! Lowering: the shape-checked JSON form of the document → the typed [`Spec`].
//!
//! The shape check has already removed every invalid part, so this cannot fail on user input;
//! if it does, that is a bug in aster-config, reported as such instead of a panic.
//!
//! JSON objects have no order, but `[nixos]` is emitted as written: its options are put back in
//! the order their keys first appear in the document. A dotted key or a nested table counts once,
//! where its first part (`services` of `services.samba.enable`) first appears; inside a table
//! value, attributes are sorted by name, as Nix attribute sets are.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::spec::{Spec, keys};
use crate::tree::{Node, Value, key_path};

/// Builds the typed spec from the checked JSON value; `document` gives `[nixos]` its order.
pub fn lower(
    value: serde_json::Value,
    document: &Node,
    diagnostics: &mut Diagnostics,
) -> Option<Spec> {
    match serde_json::from_value::<Spec>(value) {
        Ok(mut spec) => {
            keep_nixos_order(&mut spec, document);
            Some(spec)
        }
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

/// Orders `spec.nixos` as the keys of the document's `[nixos]` table (document order).
fn keep_nixos_order(spec: &mut Spec, document: &Node) {
    let Some(Node {
        value: Value::Table(entries),
        ..
    }) = document.find(&key_path![keys::NIXOS])
    else {
        return;
    };
    let position = |key: &str| {
        entries
            .iter()
            .position(|(name, _)| name == key)
            .unwrap_or(usize::MAX)
    };
    spec.nixos.sort_by_cached_key(|key, _| position(key));
}

#[cfg(test)]
mod tests {
    use crate::{Input, check};

    fn nixos_keys(text: &str) -> Vec<String> {
        let checked = check(Input {
            name: "order.toml",
            bytes: text.as_bytes(),
            base_dir: None,
        });
        let spec = checked.spec.expect("the spec lowers");
        spec.nixos.keys().cloned().collect()
    }

    #[test]
    fn nixos_options_keep_the_order_they_are_first_written_in() {
        let text = "[nixos]\n\"users.motd\" = \"hi\"\nservices.samba.enable = true\n\"boot.tmp.cleanOnBoot\" = true\nservices.samba.openFirewall = false\n\n[nixos.environment.variables]\nEDITOR = \"vim\"\n";
        assert_eq!(
            nixos_keys(text),
            [
                "users.motd",
                "services",
                "boot.tmp.cleanOnBoot",
                "environment"
            ]
        );
    }
}
