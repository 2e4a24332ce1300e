//! Which TOML files the server speaks about. Editors start it for every TOML file (they have no
//! finer file type), so it recognises specs and fleet files itself and stays silent on the rest:
//! no diagnostics, hover, completion or edits for a `Cargo.toml` or a `pyproject.toml`.
//!
//! The rule, first match wins (docs/src/editors.md repeats it for users):
//!
//! 1. a `#:schema` line among the leading comments decides: a schema named
//!    `aster-fleet.schema.json` makes a fleet file, `aster-config.schema.json` a spec (a path or
//!    URL ending in that name, as `init` writes it), any other schema some other tool's file;
//! 2. a top-level `fleet-version`, `[pins]` or `[[host]]` makes a fleet file (the fleet crate's
//!    [`aster_fleet::is_fleet_file`], the rule `aster-config lock` goes by);
//! 3. a top-level key or `[section]` the spec declares (`spec-version`, `[system]`,
//!    `[packages]`, `[services]`, … — read from the spec's JSON Schema) makes a spec;
//! 4. anything else, an empty file included, is not ours.
//!
//! It reads lines, not the parsed document, so a spec stays a spec while it is broken mid-edit.

use aster_compiler::schema::{SCHEMA_FILE, spec_schema};
use aster_fleet::recognise::{is_fleet_file, top_level_keys};
use aster_fleet::schema::SCHEMA_FILE as FLEET_SCHEMA_FILE;

/// What an open TOML document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A system spec.
    Spec,
    /// A fleet file.
    Fleet,
    /// Some other tool's TOML: the server says nothing about it.
    Other,
}

/// Recognises `text` by the rule in the module documentation.
pub fn recognise(text: &str) -> Kind {
    if let Some(kind) = by_schema_line(text) {
        return kind;
    }
    if is_fleet_file(text) {
        return Kind::Fleet;
    }
    let keys = top_level_keys(text);
    let spec_keys = spec_schema()
        .get("properties")
        .and_then(serde_json::Value::as_object);
    if keys
        .iter()
        .any(|k| spec_keys.is_some_and(|declared| declared.contains_key(k)))
    {
        return Kind::Spec;
    }
    Kind::Other
}

/// The kind a `#:schema` line among the leading comment lines names, if there is one.
fn by_schema_line(text: &str) -> Option<Kind> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let directive = text
        .lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .find_map(|l| l.strip_prefix("#:schema"))?;
    let target = directive.trim();
    let name = target
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    Some(match name {
        FLEET_SCHEMA_FILE => Kind::Fleet,
        SCHEMA_FILE => Kind::Spec,
        _ => Kind::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_specs_fleets_and_other_toml() {
        assert_eq!(
            recognise("#:schema ./aster-config.schema.json\n"),
            Kind::Spec
        );
        assert_eq!(
            recognise("# a fleet\n#:schema ../../schema/aster-fleet.schema.json\n[[host]]\n"),
            Kind::Fleet
        );
        assert_eq!(
            recognise("#:schema https://json.schemastore.org/cargo.json\n[system]\n"),
            Kind::Other
        );
        assert_eq!(recognise("fleet-version = 1\n[system]\n"), Kind::Fleet);
        assert_eq!(recognise("[system]\nhostname = \"a"), Kind::Spec);
        assert_eq!(recognise("spec-version = 1\n"), Kind::Spec);
        assert_eq!(recognise("services.openssh.enable = true\n"), Kind::Spec);
        assert_eq!(recognise("[[users.alice]]\n"), Kind::Spec);
        assert_eq!(
            recognise("[package]\nname = \"x\"\nsystem = 1\n\n[dependencies]\nserde = \"1\"\n"),
            Kind::Other
        );
        assert_eq!(recognise(""), Kind::Other);
    }
}
