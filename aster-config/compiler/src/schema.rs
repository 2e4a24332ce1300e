//! The spec's JSON Schema, derived from the spec types.
//!
//! The same schema serves three readers: editors (through the `#:schema` comment, for completion
//! and hover docs), the independent validators run in tests, and this compiler's own shape check
//! (`validate`). It targets JSON Schema draft 07, which Taplo and Tombi understand. TOML has no
//! `null`, so the `null` that `Option` fields would add is removed.

use crate::spec::Spec;
use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::Value;

/// The `$id` of the published schema file.
pub const SCHEMA_FILE: &str = "aster-config.schema.json";

/// The spec's JSON Schema (built once per process).
pub fn spec_schema() -> &'static Value {
    static SCHEMA: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut settings = SchemaSettings::draft07();
        settings.transforms.insert(0, Box::new(DropNull));
        settings
            .into_generator()
            .into_root_schema_for::<Spec>()
            .to_value()
    })
}

/// The schema as the pretty-printed text checked in under `schema/`.
pub fn spec_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(spec_schema()).unwrap_or_default();
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
