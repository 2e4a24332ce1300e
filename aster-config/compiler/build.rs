//! Turns two data files into Rust data at build time, so nothing is parsed at run time:
//!
//! - `data/nixos-options.toml` — every NixOS option the emitter may write, with its declared
//!   type and module: one `NixOption` row each, and one constant per option
//!   (`NETWORKING_HOST_NAME` for `networking.hostName`), so the emitter names options by
//!   constant and a misspelt option cannot compile.
//! - the checked-in `schema/aster-config.schema.json`: one static `SchemaValue` literal
//!   (`src/schema/value.rs`), which the shape check walks in place.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    nixos_options();
    spec_schema();
}

/// Writes `OUT_DIR/nixos_options.rs` from `data/nixos-options.toml`.
fn nixos_options() {
    let data = manifest_dir().join("data/nixos-options.toml");
    println!("cargo:rerun-if-changed={}", data.display());
    let text = std::fs::read_to_string(&data).expect("read data/nixos-options.toml");
    let document: toml::Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("data/nixos-options.toml is not valid TOML: {e}"));
    let rows = document
        .get("option")
        .and_then(toml::Value::as_array)
        .expect("data/nixos-options.toml: [[option]] tables");
    let mut table = String::from("pub(crate) static ALL: &[NixOption] = &[\n");
    let mut constants = String::new();
    let mut names = std::collections::BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let field = |key: &str| -> String {
            row.get(key)
                .and_then(toml::Value::as_str)
                .unwrap_or_else(|| panic!("data/nixos-options.toml: option {index} has no `{key}`"))
                .to_owned()
        };
        let path = field("path");
        let name = constant_name(&path);
        assert!(
            names.insert(name.clone()),
            "data/nixos-options.toml: `{path}` is listed twice"
        );
        let _ = writeln!(
            table,
            "    NixOption {{ path: {path:?}, declared_type: {:?}, nix_type: {:?}, module: {:?}, spec_key: {:?}, read: {:?} }},",
            field("type"),
            field("nix-type"),
            field("module"),
            field("spec"),
            field("read"),
        );
        let _ = writeln!(
            constants,
            "/// `{path}` (declared in `{}`).\npub const {name}: &NixOption = &ALL[{index}];",
            field("module")
        );
    }
    table.push_str("];\n\n");
    table.push_str(&constants);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("nixos_options.rs");
    std::fs::write(out, table).expect("write nixos_options.rs");
}

/// Writes `OUT_DIR/spec_schema.rs`: the checked-in schema as `SCHEMA`, one `SchemaValue` literal.
fn spec_schema() {
    let path = manifest_dir().join("../../schema/aster-config.schema.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("schema/aster-config.schema.json is not JSON: {e}"));
    let mut literal = String::from(
        "/// `schema/aster-config.schema.json` as static data (written by build.rs).\npub(super) static SCHEMA: SchemaValue = ",
    );
    schema_literal(&schema, &mut literal);
    literal.push_str(";\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("spec_schema.rs");
    std::fs::write(out, literal).expect("write spec_schema.rs");
}

/// Appends `value` as a `SchemaValue` expression, each object's members sorted by key (byte
/// order, as `str`'s `Ord` compares them, so that a run can find a member by binary search).
fn schema_literal(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => panic!("schema/aster-config.schema.json: TOML has no null"),
        Value::Bool(flag) => {
            let _ = write!(out, "SchemaValue::Bool({flag})");
        }
        Value::Number(number) => {
            let _ = if let Some(unsigned) = number.as_u64() {
                write!(out, "SchemaValue::Unsigned({unsigned})")
            } else if let Some(negative) = number.as_i64() {
                write!(out, "SchemaValue::Negative({negative})")
            } else {
                let float = number.as_f64().expect("a JSON number");
                write!(out, "SchemaValue::Float({float:?})")
            };
        }
        Value::String(text) => {
            let _ = write!(out, "SchemaValue::String({text:?})");
        }
        Value::Array(items) => {
            out.push_str("SchemaValue::Array(&[\n");
            for item in items {
                schema_literal(item, out);
                out.push_str(",\n");
            }
            out.push_str("])");
        }
        Value::Object(members) => {
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push_str("SchemaValue::Object(&[\n");
            for (key, member) in sorted {
                let _ = write!(out, "({key:?}, ");
                schema_literal(member, out);
                out.push_str("),\n");
            }
            out.push_str("])");
        }
    }
}

/// `services.nginx.virtualHosts.<name>.root` → `SERVICES_NGINX_VIRTUAL_HOSTS_NAME_ROOT`.
fn constant_name(path: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in path.chars() {
        match c {
            '.' | '-' | '_' => {
                if !name.ends_with('_') {
                    name.push('_');
                }
                previous_lower = false;
            }
            '<' | '>' | '"' => {}
            c if c.is_ascii_uppercase() => {
                if previous_lower {
                    name.push('_');
                }
                name.push(c);
                previous_lower = false;
            }
            c => {
                name.push(c.to_ascii_uppercase());
                previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            }
        }
    }
    name
}

/// The crate's folder, read when the script runs: a build script binary compiled for one checkout
/// may be reused for another (same target folder), and a path baked in at compile time would then
/// read the wrong data.
fn manifest_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}
