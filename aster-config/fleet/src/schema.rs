//! The fleet file's JSON Schema, derived from [`crate::model::FleetFile`] and checked in as
//! `schema/aster-fleet.schema.json` (a test fails when it is stale).

use crate::model::FleetFile;

/// The file name of the fleet file's JSON Schema: a `#:schema` line naming it marks a fleet file.
pub const SCHEMA_FILE: &str = "aster-fleet.schema.json";

/// The schema as pretty-printed JSON with a trailing newline.
pub fn derived_schema_text() -> String {
    let schema = schemars::schema_for!(FleetFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
