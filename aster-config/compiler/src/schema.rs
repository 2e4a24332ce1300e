//! The spec's JSON Schema, derived from the spec types.
//!
//! The same schema serves three readers: editors (through the `#:schema` comment, for completion
//! and hover docs), the independent validators run in tests, and this compiler's own shape check
//! (`validate`). It targets JSON Schema draft 07, which Taplo and Tombi understand. TOML has no
//! `null`, so the `null` that `Option` fields would add is removed.
//!
//! Deriving it with schemars costs about a fifth of a whole `check` run, so a run does not: it
//! uses the checked-in `schema/aster-config.schema.json`, which a test (`tests/schema.rs`)
//! keeps byte-identical to [`derived_schema_text`]. Change a spec type, and that test fails
//! until `ASTER_UPDATE=1` regenerates the file. Parsing that JSON was the next fifth, and
//! building a `serde_json::Value` from Rust data the next sixth (and most of the heap), so
//! `build.rs` turns the file into one static [`SchemaValue`] when the crate is built
//! ([`embedded`]) and the shape check walks that in place ([`spec_schema_data`]). The
//! `serde_json` form ([`spec_schema`]) is built only for readers that want one.

use crate::spec::Spec;
use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::Value;

mod embedded;
mod value;

pub use value::SchemaValue;

/// The `$id` of the published schema file.
pub const SCHEMA_FILE: &str = "aster-config.schema.json";

/// The checked-in schema, as `aster-config schema` prints it.
pub const SPEC_SCHEMA_TEXT: &str = include_str!("../../../schema/aster-config.schema.json");

/// The spec's JSON Schema: [`SPEC_SCHEMA_TEXT`] as static data, written by `build.rs` from the
/// same file. The shape check walks this; nothing is built at run time.
pub fn spec_schema_data() -> &'static SchemaValue {
    &embedded::SCHEMA
}

/// The spec's JSON Schema as a `serde_json` value (built once per process from
/// [`spec_schema_data`]), for readers that walk it with `serde_json`.
pub fn spec_schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| embedded::SCHEMA.to_json())
}

/// The schema derived from the spec types now, pretty-printed as it is checked in.
pub fn derived_schema_text() -> String {
    let mut settings = SchemaSettings::draft07();
    settings.transforms.insert(0, Box::new(DropNull));
    let schema = settings
        .into_generator()
        .into_root_schema_for::<Spec>()
        .to_value();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Removes `null` from `type` lists, `{"type": "null"}` from `anyOf`/`oneOf`, and `"default": null`.
#[derive(Clone)]
struct DropNull;

impl Transform for DropNull {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        match object.get_mut("default") {
            Some(Value::Null) => {
                object.remove("default");
            }
            Some(default) => drop_null_members(default),
            None => {}
        }
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let single = types[0].clone();
                object.insert("type".to_owned(), single);
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(alternatives)) = object.get_mut(keyword) else {
                continue;
            };
            alternatives.retain(|alt| alt.get("type").and_then(Value::as_str) != Some("null"));
            if alternatives.len() == 1 {
                let Some(Value::Object(only)) = alternatives.pop() else {
                    continue;
                };
                object.remove(keyword);
                for (key, value) in only {
                    object.entry(key).or_insert(value);
                }
            }
        }
    }
}

/// Removes `null` members from a default value (an unset `Option` inside a default table).
fn drop_null_members(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(drop_null_members);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_members),
        _ => {}
    }
}
