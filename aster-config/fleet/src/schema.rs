//! The fleet file's JSON Schema, derived from [`crate::model::FleetFile`] and checked in as
//! `schema/aster-fleet.schema.json` (a test fails when it is stale).

use crate::model::FleetFile;

/// The file name of the fleet file's JSON Schema: a `#:schema` line naming it marks a fleet file.
pub const SCHEMA_FILE: &str = "aster-fleet.schema.json";

/// The schema as a JSON value (what the language server reads).
pub fn derived_schema() -> serde_json::Value {
    schemars::schema_for!(FleetFile).to_value()
}

/// The schema as pretty-printed JSON with a trailing newline. Printed from schemars' own schema,
/// not from [`derived_schema`]: schemars writes its keywords in a fixed order (`$schema`,
/// `title`, … first), which a `serde_json::Value` without `preserve_order` would sort away.
pub fn derived_schema_text() -> String {
    let schema = schemars::schema_for!(FleetFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
