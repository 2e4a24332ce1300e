//! The checked-in schema as a [`Value`] built from Rust data, so no run parses JSON.
//!
//! `build.rs` parses `schema/aster-config.schema.json` when the crate is built and writes it as
//! [`STEPS`]: the value's nodes in pre-order, each object or array followed by its members. A run
//! replays them into a `serde_json::Value`, which allocates the same strings and maps that
//! parsing the text would, without reading it a byte at a time (about a fifth of the cost). A
//! unit test compares the result with `serde_json::from_str` of the same file.

use serde_json::{Map, Number, Value};

/// One node of the schema, in pre-order.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// `true` or `false`.
    Bool(bool),
    /// A number without sign or fraction (what `serde_json` parses into a `u64`).
    Unsigned(u64),
    /// A negative whole number.
    #[allow(dead_code, reason = "no such number in the schema today")]
    Negative(i64),
    /// A number with a fraction or exponent.
    #[allow(dead_code, reason = "no such number in the schema today")]
    Float(f64),
    /// A string, or the key of the object member whose value follows.
    String(&'static str),
    /// An array: its items follow.
    Array(usize),
    /// An object: each member follows as its key (a `String` step), then its value.
    Object(usize),
}

include!(concat!(env!("OUT_DIR"), "/spec_schema.rs"));

/// The schema, built from [`STEPS`].
pub(super) fn value() -> Value {
    let mut steps = STEPS.iter().copied();
    let value = next(&mut steps);
    debug_assert!(steps.next().is_none(), "one schema value");
    value
}

fn next(steps: &mut impl Iterator<Item = Step>) -> Value {
    match steps.next().expect("build.rs wrote a whole value") {
        Step::Bool(flag) => Value::Bool(flag),
        Step::Unsigned(number) => Value::Number(number.into()),
        Step::Negative(number) => Value::Number(number.into()),
        Step::Float(number) => Value::Number(Number::from_f64(number).expect("a finite number")),
        Step::String(text) => Value::String(text.to_owned()),
        Step::Array(length) => Value::Array((0..length).map(|_| next(steps)).collect()),
        Step::Object(length) => {
            // Inserted one by one: collecting would gather and sort the members in a vector
            // first, an allocation per object for members that are already in key order.
            let mut members = Map::new();
            for _ in 0..length {
                let Some(Step::String(key)) = steps.next() else {
                    panic!("build.rs wrote a key before each member");
                };
                members.insert(key.to_owned(), next(steps));
            }
            Value::Object(members)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_build_the_checked_in_file() {
        let parsed: Value =
            serde_json::from_str(super::super::SPEC_SCHEMA_TEXT).expect("the schema is JSON");
        assert_eq!(value(), parsed);
    }
}
