//! The canonical order of keys: the order the spec types declare their fields in.
//!
//! The checked-in JSON Schema lists properties alphabetically, so the declaration order is read
//! from the types themselves: serde's derived `Deserialize` hands every struct's field list, in
//! declaration order and already renamed to kebab-case, to `deserialize_struct`. A recording
//! deserializer catches that list; the schema tells which struct a table path stands for.

use crate::schema::spec_schema;
use crate::spec;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Catches the name and field list a derived `Deserialize` passes to `deserialize_struct`.
struct FieldRecorder<'a>(&'a mut Option<(&'static str, &'static [&'static str])>);

impl<'de> Deserializer<'de> for FieldRecorder<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only structs are recorded"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some((name, fields));
        Err(de::Error::custom("recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The declared field order of the struct `T`.
fn fields_of<T: de::DeserializeOwned>(into: &mut BTreeMap<&'static str, &'static [&'static str]>) {
    let mut recorded = None;
    let _ = T::deserialize(FieldRecorder(&mut recorded));
    if let Some((name, fields)) = recorded {
        into.insert(name, fields);
    }
}

/// Every spec struct's field order, by the struct's name (which is also its schema definition).
pub(crate) fn field_orders() -> &'static BTreeMap<&'static str, &'static [&'static str]> {
    static ORDERS: OnceLock<BTreeMap<&'static str, &'static [&'static str]>> = OnceLock::new();
    ORDERS.get_or_init(|| {
        let mut orders = BTreeMap::new();
        fields_of::<spec::Spec>(&mut orders);
        fields_of::<spec::System>(&mut orders);
        fields_of::<spec::Kernel>(&mut orders);
        fields_of::<spec::Packages>(&mut orders);
        fields_of::<spec::Services>(&mut orders);
        fields_of::<spec::Desktop>(&mut orders);
        fields_of::<spec::User>(&mut orders);
        fields_of::<spec::Networking>(&mut orders);
        fields_of::<spec::Firewall>(&mut orders);
        fields_of::<spec::Interface>(&mut orders);
        fields_of::<spec::Override>(&mut orders);
        fields_of::<spec::Imports>(&mut orders);
        fields_of::<spec::Openssh>(&mut orders);
        fields_of::<spec::Nginx>(&mut orders);
        fields_of::<spec::NginxSite>(&mut orders);
        fields_of::<spec::Docker>(&mut orders);
        fields_of::<spec::Podman>(&mut orders);
        fields_of::<spec::Postgresql>(&mut orders);
        fields_of::<spec::Prometheus>(&mut orders);
        fields_of::<spec::Redis>(&mut orders);
        orders
    })
}

/// The name of the struct a schema node stands for, following `$ref` and `anyOf` (optional
/// sections are `anyOf [{ $ref }, { type: null }]`).
fn definition_name(node: &Value) -> Option<&str> {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next();
    }
    ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
        .find_map(definition_name)
}

/// The schema node (resolved to its definition) of the table at `path`; `None` past what the
/// schema describes (inside `[nixos]`, say).
fn node_at<'s>(schema: &'s Value, path: &[&str]) -> Option<&'s Value> {
    let resolve = |node: &'s Value| match definition_name(node) {
        Some(name) => schema.get("definitions").and_then(|d| d.get(name)),
        None => Some(node),
    };
    let mut node = schema;
    for segment in path {
        node = resolve(node)?;
        node = match node.get("properties").and_then(|p| p.get(*segment)) {
            Some(child) => child,
            None => node.get("additionalProperties").filter(|a| a.is_object())?,
        };
    }
    Some(node)
}

/// The struct name of the table at `path` (`Spec` for the document itself).
pub(crate) fn struct_at(path: &[&str]) -> Option<&'static str> {
    if path.is_empty() {
        return Some("Spec");
    }
    let node = node_at(spec_schema(), path)?;
    let name = definition_name(node)?;
    field_orders().keys().copied().find(|k| *k == name)
}

/// Where `key` goes among the keys of the table at `path`: its declaration index, or `None` for
/// a key the table's struct does not declare (names in maps such as `[users]`, and typos), which
/// keep the user's order after the declared ones.
pub(crate) fn rank(path: &[&str], key: &str) -> Option<usize> {
    let fields = field_orders().get(struct_at(path)?)?;
    fields.iter().position(|f| *f == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_object_has_a_recorded_order() {
        let definitions = spec_schema()["definitions"].as_object().unwrap();
        for (name, definition) in definitions {
            if definition.get("properties").is_some() {
                assert!(
                    field_orders().contains_key(name.as_str()),
                    "format/order.rs does not record the field order of `{name}`"
                );
            }
        }
    }

    #[test]
    fn ranks_follow_declaration_order() {
        assert_eq!(rank(&[], "spec-version"), Some(0));
        assert!(rank(&[], "system") < rank(&[], "kernel"));
        assert_eq!(struct_at(&["users", "alice"]), Some("User"));
        assert_eq!(
            struct_at(&["services", "nginx", "sites", "a"]),
            Some("NginxSite")
        );
        assert_eq!(rank(&["users"], "alice"), None);
        assert_eq!(rank(&["nixos"], "a.b"), None);
    }
}
