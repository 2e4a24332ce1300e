//! A JSON value held as static data: the form the spec schema takes in the binary.
//!
//! `build.rs` writes the checked-in schema as one [`SchemaValue`] literal, so the shape check
//! walks it in place: no run allocates a node of it. Object members are sorted by key (the order
//! `serde_json`'s map keeps), so a member is found by binary search and listed in the same order
//! a `serde_json::Value` would list it. The accessors mirror `serde_json::Value`'s, with the same
//! results, and [`SchemaValue::to_json`] builds the `serde_json` form for readers that want one
//! (the language server, `fmt`, tests).

use serde_json::{Map, Number, Value};

/// A JSON value as static data. TOML has no `null`, so neither does the schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SchemaValue {
    /// `true` or `false`.
    Bool(bool),
    /// A number without sign or fraction (what `serde_json` parses into a `u64`).
    Unsigned(u64),
    /// A negative whole number.
    Negative(i64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// A string.
    String(&'static str),
    /// An array.
    Array(&'static [SchemaValue]),
    /// An object: its members sorted by key, each key once.
    Object(&'static [(&'static str, SchemaValue)]),
}

impl SchemaValue {
    /// The member `key` of an object; `None` for a missing key or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&SchemaValue> {
        let members = self.as_object()?;
        // Most schema objects have a handful of keywords: comparing lengths first settles nearly
        // every one of those without reading a byte, where ordering them must read the bytes.
        if members.len() <= 8 {
            return members
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, member)| member);
        }
        members
            .binary_search_by(|(name, _)| (*name).cmp(key))
            .ok()
            .map(|at| &members[at].1)
    }

    /// The members of an object, sorted by key.
    pub fn as_object(&self) -> Option<&'static [(&'static str, SchemaValue)]> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&'static [SchemaValue]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&'static str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// A number that fits an `i64` (as `serde_json::Value::as_i64`).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Unsigned(number) => i64::try_from(number).ok(),
            Self::Negative(number) => Some(number),
            _ => None,
        }
    }

    /// A number that fits a `u64` (as `serde_json::Value::as_u64`).
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::Unsigned(number) => Some(number),
            _ => None,
        }
    }

    /// Any number as an `f64` (as `serde_json::Value::as_f64`).
    #[allow(clippy::cast_precision_loss)] // what serde_json does too
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::Unsigned(number) => Some(number as f64),
            Self::Negative(number) => Some(number as f64),
            Self::Float(number) => Some(number),
            _ => None,
        }
    }

    /// The value a JSON Pointer (RFC 6901) names, as `serde_json::Value::pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<&SchemaValue> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut target = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            target = if token.contains('~') {
                let token = token.replace("~1", "/").replace("~0", "~");
                step(target, &token)?
            } else {
                step(target, token)?
            };
        }
        Some(target)
    }

    /// The same value as a `serde_json::Value`.
    pub fn to_json(&self) -> Value {
        match *self {
            Self::Bool(flag) => Value::Bool(flag),
            Self::Unsigned(number) => Value::Number(number.into()),
            Self::Negative(number) => Value::Number(number.into()),
            Self::Float(number) => Number::from_f64(number).map_or(Value::Null, Value::Number),
            Self::String(text) => Value::String(text.to_owned()),
            Self::Array(items) => Value::Array(items.iter().map(Self::to_json).collect()),
            Self::Object(members) => {
                // Inserted one by one: collecting would gather and sort the members in a vector
                // first, for members that are already in key order.
                let mut map = Map::new();
                for (key, member) in members {
                    map.insert((*key).to_owned(), member.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

/// One step of a JSON Pointer: an object's member, or an array's item by decimal index.
fn step<'v>(value: &'v SchemaValue, token: &str) -> Option<&'v SchemaValue> {
    match value {
        SchemaValue::Object(_) => value.get(token),
        SchemaValue::Array(items) => {
            if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
                return None;
            }
            items.get(token.parse::<usize>().ok()?)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SAMPLE: SchemaValue = SchemaValue::Object(&[
        ("a/b", SchemaValue::Bool(true)),
        (
            "list",
            SchemaValue::Array(&[SchemaValue::Unsigned(7), SchemaValue::Negative(-2)]),
        ),
        ("m~n", SchemaValue::Float(1.5)),
        ("name", SchemaValue::String("x")),
    ]);

    #[test]
    fn accessors_answer_as_serde_json_does() {
        let json = SAMPLE.to_json();
        for pointer in [
            "", "/a~1b", "/list", "/list/0", "/list/1", "/list/2", "/list/01", "/m~0n", "/name",
            "/nope", "name", "/name/x",
        ] {
            let ours = SAMPLE.pointer(pointer);
            let theirs = json.pointer(pointer);
            assert_eq!(ours.map(SchemaValue::to_json).as_ref(), theirs, "{pointer}");
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                assert_eq!(ours.as_i64(), theirs.as_i64(), "{pointer}");
                assert_eq!(ours.as_u64(), theirs.as_u64(), "{pointer}");
                assert_eq!(ours.as_f64(), theirs.as_f64(), "{pointer}");
                assert_eq!(ours.as_str(), theirs.as_str(), "{pointer}");
            }
        }
        let keys: Vec<&str> = SAMPLE
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| *k)
            .collect();
        let json_keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, json_keys);
    }
}
