//! The JSON Schema read for editors: the documentation of a key, the keys a table accepts, the
//! values an enum allows. The same checked-in schema the compiler validates against.

use aster_compiler::schema::spec_schema;
use serde_json::Value;

/// Follows `$ref` (and an `anyOf` that wraps one, as optional sections do) to the definition.
fn resolve(node: &Value) -> &Value {
    let schema = spec_schema();
    if let Some(name) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
    {
        return schema
            .get("definitions")
            .and_then(|d| d.get(name))
            .unwrap_or(node);
    }
    if let Some(inner) = ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
        .find(|n| n.get("$ref").is_some())
    {
        return resolve(inner);
    }
    node
}

/// The schema node of the key at `path`, as written (its own description), or `None` past what
/// the schema describes.
pub fn node_at(path: &[String]) -> Option<&'static Value> {
    let mut node = spec_schema();
    for segment in path {
        let table = resolve(node);
        node = match table.get("properties").and_then(|p| p.get(segment)) {
            Some(child) => child,
            None => table
                .get("additionalProperties")
                .filter(|a| a.is_object())?,
        };
    }
    Some(node)
}

/// The documentation of the key at `path`: its own description, else its type's.
pub fn description(path: &[String]) -> Option<&'static str> {
    let node = node_at(path)?;
    node.get("description")
        .or_else(|| resolve(node).get("description"))
        .and_then(Value::as_str)
}

/// The keys the table at `path` declares, each with its description.
pub fn keys(path: &[String]) -> Vec<(&'static str, Option<&'static str>)> {
    let Some(node) = node_at(path) else {
        return Vec::new();
    };
    resolve(node)
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| {
            properties
                .iter()
                .map(|(k, v)| {
                    let doc = v
                        .get("description")
                        .or_else(|| resolve(v).get("description"))
                        .and_then(Value::as_str);
                    (k.as_str(), doc)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// True when the key at `path` holds a table (a `[section]`).
pub fn is_table(path: &[String]) -> bool {
    node_at(path).is_some_and(|n| {
        let n = resolve(n);
        n.get("properties").is_some() || n.get("additionalProperties").is_some_and(Value::is_object)
    })
}

/// The values the key at `path` allows when it is an enum or a boolean, with their docs.
pub fn choices(path: &[String]) -> Vec<(String, Option<&'static str>)> {
    let Some(node) = node_at(path) else {
        return Vec::new();
    };
    let node = resolve(node);
    let node = node.get("items").map_or(node, |items| resolve(items));
    if node.get("type").and_then(Value::as_str) == Some("boolean") {
        return vec![("true".to_owned(), None), ("false".to_owned(), None)];
    }
    let mut found = Vec::new();
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        found.extend(
            values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| (format!("\"{v}\""), None)),
        );
    }
    for variant in ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| node.get(*k).and_then(Value::as_array))
        .flatten()
    {
        if let Some(value) = variant.get("const").and_then(Value::as_str) {
            let doc = variant.get("description").and_then(Value::as_str);
            found.push((format!("\"{value}\""), doc));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn reads_docs_keys_and_choices() {
        assert!(description(&path(&["system", "hostname"])).is_some());
        assert!(
            keys(&path(&["users", "alice"]))
                .iter()
                .any(|(k, _)| *k == "ssh-keys")
        );
        assert!(
            choices(&path(&["kernel", "log-level"]))
                .iter()
                .any(|(v, _)| v == "\"warn\"")
        );
        assert!(is_table(&path(&["services", "openssh"])));
        assert!(!is_table(&path(&["system", "hostname"])));
    }
}
