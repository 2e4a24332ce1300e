//! Guards for the hand-written JSON Schema validator (`aster-compiler`'s `validate` pass).
//!
//! The validator implements only the part of JSON Schema that `schemars` writes for the spec
//! types. Two things could make it quietly wrong: the schema starting to use a keyword it does
//! not know (it would be ignored, and the spec would accept too much), and a keyword it knows
//! but gets wrong. So:
//!
//! 1. the generated schema is walked and every keyword must be in
//!    [`aster_compiler::SUPPORTED_KEYWORDS`], within the limits that list documents;
//! 2. every fixture and example is validated by the `jsonschema` crate as well, and the two
//!    must reject the same places (JSON Pointers into the document).
//!
//! The differences the comparison allows, each on purpose and each narrow:
//!
//! - `x-aster-refused` names keys left out of `properties` so that a later check can refuse them
//!   with a reason (`users.*.password`): `jsonschema` calls them additional properties, the shape
//!   check lets them through and the meaning checks report them (`AC03xx`). Those keys are left
//!   out of `jsonschema`'s reports.
//! - Integer `format`s (`uint16`, `uint32`, …) are bounds for the hand-written validator (a value
//!   must fit the Rust field), but unknown formats to `jsonschema`. The copy of the schema given
//!   to `jsonschema` carries those bounds as explicit `minimum`/`maximum`.
//! - Other `format`s (`ipv4`, `ipv4-cidr`, …) are annotations for the hand-written validator;
//!   a meaning check refuses a bad address with its own code (`AC0318`). `jsonschema` runs with
//!   format assertions off, as JSON Schema allows.
//! - TOML tells `22.0` from `22`; JSON Schema counts `22.0` as an integer. A float with no
//!   fraction where an integer belongs is a shape error (`AC0202`) only for the hand-written
//!   validator; such places are left out.
//! - Inside `anyOf`/`oneOf`, `jsonschema` reports the value that no alternative accepts, while
//!   the hand-written validator explains why the closest alternative failed, deeper in the value.
//!   Its places below such a value are counted as that value.
//! - An unknown key is reported by `jsonschema` on its table (`additionalProperties`, listing the
//!   keys) and by the hand-written validator on the key; the table's report is spread onto its
//!   keys. A missing key is reported on its table by both.

mod common;

use aster_compiler::{Code, SUPPORTED_KEYWORDS, located_shape_diagnostics};
use common::{root, toml_files};
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

// ---- 1. keywords --------------------------------------------------------------------------

/// Keywords whose value is one schema.
const SCHEMA_VALUED: &[&str] = &["items", "additionalProperties", "not"];

/// Keys some table schema names in `x-aster-refused` (refused by a meaning check, not the shape).
fn refused_keys(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(members) => {
            // `aster-compiler`'s `validate::REFUSED_KEYWORD`.
            if let Some(Value::Object(keys)) = members.get("x-aster-refused") {
                out.extend(keys.keys().cloned());
            }
            members.values().for_each(|v| refused_keys(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refused_keys(v, out)),
        _ => {}
    }
}
/// Keywords whose value is a list of schemas.
const LIST_VALUED: &[&str] = &["allOf", "anyOf", "oneOf"];
/// Keywords whose value maps names to schemas.
const MAP_VALUED: &[&str] = &["properties", "definitions", "$defs"];

/// Walks a schema and names every keyword use the validator would not honour.
fn unsupported(schema: &Value, at: &str, problems: &mut Vec<String>) {
    let Value::Object(members) = schema else {
        if !schema.is_boolean() {
            problems.push(format!("{at}: a schema must be an object or a boolean"));
        }
        return;
    };
    for (keyword, value) in members {
        let here = format!("{at}/{keyword}");
        if !SUPPORTED_KEYWORDS.contains(&keyword.as_str()) {
            problems.push(format!(
                "{here}: keyword `{keyword}` is not implemented by the validator"
            ));
            continue;
        }
        if let Some(problem) = limit_broken(keyword, value) {
            problems.push(format!("{here}: {problem}"));
        }
        if SCHEMA_VALUED.contains(&keyword.as_str()) {
            unsupported(value, &here, problems);
        } else if LIST_VALUED.contains(&keyword.as_str()) {
            for (index, part) in value.as_array().into_iter().flatten().enumerate() {
                unsupported(part, &format!("{here}/{index}"), problems);
            }
        } else if MAP_VALUED.contains(&keyword.as_str()) {
            for (name, part) in value.as_object().into_iter().flatten() {
                unsupported(part, &format!("{here}/{name}"), problems);
            }
        }
    }
}

/// The limits `SUPPORTED_KEYWORDS` documents, checked on one keyword's value.
fn limit_broken(keyword: &str, value: &Value) -> Option<String> {
    let strings_only = |values: &[Value]| values.iter().all(Value::is_string);
    let broken = match keyword {
        "enum" => !value.as_array().is_some_and(|v| strings_only(v)),
        // Integer formats are bounds; other formats are annotations (see SUPPORTED_KEYWORDS).
        "const" | "format" => !value.is_string(),
        "items" => value.is_array(),
        "$ref" => !value.as_str().is_some_and(|r| r.starts_with("#/")),
        "type" => {
            let known = |t: &Value| {
                matches!(
                    t.as_str(),
                    Some("string" | "integer" | "number" | "boolean" | "array" | "object")
                )
            };
            match value {
                Value::Array(types) => !types.iter().all(known),
                single => !known(single),
            }
        }
        _ => false,
    };
    broken.then(|| format!("`{keyword}: {value}` is outside what the validator implements"))
}

/// The range of an integer `format` (`uint16` → 0..=65535); `None` for any other format.
fn integer_format_bounds(format: &str) -> Option<(i128, i128)> {
    if let Some(bits) = format.strip_prefix("uint") {
        let bits: u32 = bits.parse().ok().filter(|b| (8..=64).contains(b))?;
        return Some((0, (1_i128 << bits) - 1));
    }
    let bits: u32 = format
        .strip_prefix("int")?
        .parse()
        .ok()
        .filter(|b| (8..=64).contains(b))?;
    Some((-(1_i128 << (bits - 1)), (1_i128 << (bits - 1)) - 1))
}

#[test]
fn the_spec_schema_uses_only_keywords_the_validator_implements() {
    let schema = aster_compiler::schema::spec_schema();
    let mut problems = Vec::new();
    unsupported(schema, "#", &mut problems);
    assert!(
        problems.is_empty(),
        "the spec schema uses JSON Schema the hand-written validator does not implement \
         (extend compiler/src/validate and SUPPORTED_KEYWORDS, or change the spec types):\n{}",
        problems.join("\n")
    );
    // The checked-in text is the same schema (the schema test keeps it fresh); walk it too, so
    // this test does not depend on the order the two run in.
    let text: Value = serde_json::from_str(aster_compiler::schema::SPEC_SCHEMA_TEXT)
        .expect("the schema text is JSON");
    unsupported(&text, "#", &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_keyword_walk_names_what_it_does_not_know() {
    let schema = serde_json::json!({
        "properties": {
            "a": { "type": "string", "pattern": "^x" },
            "b": { "not": { "type": "string" } },
            "c": { "items": [{ "type": "string" }] }
        }
    });
    let mut problems = Vec::new();
    unsupported(&schema, "#", &mut problems);
    for place in [
        "#/properties/a/pattern:",
        "#/properties/b/not:",
        "#/properties/c/items:",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(place)),
            "{place} not named: {problems:#?}"
        );
    }
}

// ---- 2. differential ----------------------------------------------------------------------

/// Every fixture and example.
fn documents() -> Vec<PathBuf> {
    let root = root();
    let mut files = Vec::new();
    for dir in ["tests/fixtures/ok", "tests/fixtures/err", "examples"] {
        files.extend(toml_files(&root.join(dir)));
    }
    files
}

/// A copy of the spec schema in which integer `format`s are also explicit bounds.
fn schema_for_jsonschema() -> Value {
    fn add_bounds(schema: &mut Value) {
        match schema {
            Value::Object(members) => {
                let bounds = members
                    .get("format")
                    .and_then(Value::as_str)
                    .and_then(integer_format_bounds);
                if let Some((low, high)) = bounds {
                    let clamp = |key: &str, bound: i128, members: &mut Map<String, Value>| {
                        let tighter = members.get(key).and_then(Value::as_f64).is_none_or(|b| {
                            #[allow(clippy::cast_precision_loss)] // bounds up to 2^64
                            let bound = bound as f64;
                            if key == "minimum" {
                                b < bound
                            } else {
                                b > bound
                            }
                        });
                        if tighter {
                            let number = i64::try_from(bound)
                                .map(Value::from)
                                .or_else(|_| u64::try_from(bound).map(Value::from))
                                .expect("a 64-bit bound");
                            members.insert(key.to_owned(), number);
                        }
                    };
                    clamp("minimum", low, members);
                    clamp("maximum", high, members);
                }
                members.values_mut().for_each(add_bounds);
            }
            Value::Array(items) => items.iter_mut().for_each(add_bounds),
            _ => {}
        }
    }
    let mut schema = aster_compiler::schema::spec_schema().clone();
    add_bounds(&mut schema);
    schema
}

/// TOML to the JSON a TOML-aware editor would validate. A date-time becomes an object (JSON has
/// no date-time type; like the hand-written validator, no string schema accepts it); a NaN or
/// infinite float becomes `null`. The places of floats with no fraction go to `whole_floats`.
fn toml_to_json(value: toml::Value, at: &str, whole_floats: &mut BTreeSet<String>) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 {
                whole_floats.insert(at.to_owned());
            }
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        toml::Value::Boolean(b) => Value::from(b),
        toml::Value::Datetime(d) => serde_json::json!({ "$datetime": d.to_string() }),
        toml::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| toml_to_json(v, &format!("{at}/{i}"), whole_floats))
                .collect(),
        ),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| {
                    let here = format!("{at}/{}", escape(&k));
                    (k, toml_to_json(v, &here, whole_floats))
                })
                .collect(),
        ),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Where `jsonschema` rejects `instance`, and where an `anyOf`/`oneOf` found no alternative.
fn jsonschema_places(
    validator: &jsonschema::Validator,
    instance: &Value,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut places = BTreeSet::new();
    let mut alternatives = BTreeSet::new();
    let mut refused = BTreeSet::new();
    refused_keys(aster_compiler::schema::spec_schema(), &mut refused);
    for error in validator.iter_errors(instance) {
        let at = error.instance_path().as_str().to_owned();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                places.extend(
                    unexpected
                        .iter()
                        .filter(|key| !refused.contains(key.as_str()))
                        .map(|key| format!("{at}/{}", escape(key))),
                );
            }
            ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
                alternatives.insert(at.clone());
                places.insert(at);
            }
            _ => {
                places.insert(at);
            }
        }
    }
    (places, alternatives)
}

/// Whether pointer `inner` is `outer` or below it.
fn within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner.starts_with(outer) && inner.as_bytes().get(outer.len()) == Some(&b'/'))
}

/// Where the hand-written validator reports shape errors (`AC02xx`), with places below a failed
/// `anyOf`/`oneOf` counted as that value.
fn own_places(located: &[(Code, String)], alternatives: &BTreeSet<String>) -> BTreeSet<String> {
    located
        .iter()
        .filter(|(code, _)| code.as_str().starts_with("AC02"))
        .map(|(_, at)| {
            alternatives
                .iter()
                .filter(|outer| within(at, outer))
                .min_by_key(|outer| outer.len())
                .unwrap_or(at)
                .clone()
        })
        .collect()
}

#[test]
fn the_validator_rejects_the_same_places_as_the_jsonschema_crate() {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(false)
        .build(&schema_for_jsonschema())
        .expect("schema compiles");
    let mut compared = 0;
    let mut with_errors = 0;
    let mut mismatches = Vec::new();
    for file in documents() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let name = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        // Only documents both sides can read: syntax errors, a byte-order mark or too deep a
        // nesting end the pipeline before the shape check.
        let (Some(located), Ok(document)) = (
            located_shape_diagnostics(&text),
            toml::from_str::<toml::Table>(&text),
        ) else {
            continue;
        };
        let mut whole_floats = BTreeSet::new();
        let instance = toml_to_json(toml::Value::Table(document), "", &mut whole_floats);
        let (theirs, alternatives) = jsonschema_places(&validator, &instance);
        let mut ours = own_places(&located, &alternatives);
        ours.retain(|at| theirs.contains(at) || !whole_floats.contains(at));
        compared += 1;
        with_errors += usize::from(!theirs.is_empty());
        if ours != theirs {
            mismatches.push(format!(
                "{name}:\n  only aster-config: {:?}\n  only jsonschema:  {:?}",
                ours.difference(&theirs).collect::<Vec<_>>(),
                theirs.difference(&ours).collect::<Vec<_>>()
            ));
        }
    }
    assert!(compared >= 120, "only {compared} documents compared");
    assert!(
        with_errors >= 25,
        "only {with_errors} documents with shape errors"
    );
    assert!(
        mismatches.is_empty(),
        "the hand-written validator and jsonschema disagree on {} of {compared} documents:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
