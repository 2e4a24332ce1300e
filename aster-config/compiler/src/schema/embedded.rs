//! The checked-in schema as static Rust data, so no run parses JSON or builds a value from it.
//!
//! `build.rs` parses `schema/aster-config.schema.json` when the crate is built and writes it as
//! [`SCHEMA`], one [`SchemaValue`] literal with every object's members sorted by key. The shape
//! check walks it where it lies in the binary; the `serde_json` form is built only for readers
//! that ask for it. A unit test compares that form with `serde_json::from_str` of the same file.

use super::value::SchemaValue;

include!(concat!(env!("OUT_DIR"), "/spec_schema.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_static_data_is_the_checked_in_file() {
        let parsed: Value =
            serde_json::from_str(super::super::SPEC_SCHEMA_TEXT).expect("the schema is JSON");
        assert_eq!(SCHEMA.to_json(), parsed);
    }

    #[test]
    fn members_are_sorted_for_binary_search() {
        fn sorted(value: &SchemaValue) -> bool {
            match value {
                SchemaValue::Object(members) => {
                    members.windows(2).all(|pair| pair[0].0 < pair[1].0)
                        && members.iter().all(|(_, member)| sorted(member))
                }
                SchemaValue::Array(items) => items.iter().all(sorted),
                _ => true,
            }
        }
        assert!(sorted(&SCHEMA));
    }

    #[test]
    fn every_member_is_found_by_its_key() {
        fn found(value: &SchemaValue) -> bool {
            match value {
                SchemaValue::Object(members) => members.iter().all(|(key, member)| {
                    value.get(key).is_some_and(|got| std::ptr::eq(got, member))
                        && value.get(&format!("{key}~")).is_none()
                        && found(member)
                }),
                SchemaValue::Array(items) => items.iter().all(found),
                _ => true,
            }
        }
        assert!(found(&SCHEMA));
        assert!(
            SCHEMA
                .get("definitions")
                .and_then(SchemaValue::as_object)
                .is_some_and(|d| d.len() > 8),
            "the binary search is tried too"
        );
    }
}
