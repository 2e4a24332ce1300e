//! The JSON Schemas read for editors: the documentation of a key, the keys a table accepts, the
//! values an enum allows. The same checked-in schemas the compiler and the fleet reader validate
//! against: the spec's, and the fleet file's (derived from the fleet model's types and docs).
//!
//! A fleet file embeds spec tables: the fleet schema's free-form tables (`[defaults.settings]`,
//! a host's `settings`) take any spec key. [`View::at`] follows a fleet path into such a table
//! and continues in the spec schema, so `host.settings.services.openssh` is documented, and
//! completed, as `services.openssh` is in a spec.

use crate::kind::Kind;
use aster_compiler::schema::spec_schema;
use serde_json::Value;
use std::sync::OnceLock;

/// One JSON Schema document.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    root: &'static Value,
}

/// Which schema a key path ends in, and its path within that schema.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The schema that describes the key.
    pub schema: Schema,
    /// True when that schema is the spec's (at the top of a spec, or inside a fleet's settings).
    pub in_spec: bool,
    /// The key path within `schema`.
    pub path: &'a [String],
    /// True when a fleet path led into a spec layer (a `settings` table) to get here.
    entered: bool,
}

impl<'a> Place<'a> {
    /// True at the top of a fleet file's spec layer (`host.settings` itself), where spec keys
    /// start anew.
    pub fn is_spec_root(&self) -> bool {
        self.entered && self.in_spec && self.path.is_empty()
    }

    /// The key path within the spec's schema, or nothing when the key is not a spec's.
    pub fn spec_path(&self) -> Vec<&'a str> {
        if self.in_spec {
            self.path.iter().map(String::as_str).collect()
        } else {
            Vec::new()
        }
    }
}

/// The schemas of one kind of document.
#[derive(Debug, Clone, Copy)]
pub struct View {
    kind: Kind,
}

impl View {
    /// The view of a spec or of a fleet file.
    pub fn of(kind: Kind) -> Self {
        Self { kind }
    }

    /// Where the key at `path` (from the document's root) is described.
    pub fn at(self, path: &[String]) -> Place<'_> {
        let spec = Place {
            schema: Schema::spec(),
            in_spec: true,
            path,
            entered: false,
        };
        if self.kind != Kind::Fleet {
            return spec;
        }
        let fleet = Schema::fleet();
        (1..=path.len())
            .find(|end| fleet.is_free_form(&path[..*end]))
            .map_or(
                Place {
                    schema: fleet,
                    in_spec: false,
                    path,
                    entered: false,
                },
                |end| Place {
                    path: &path[end..],
                    entered: true,
                    ..spec
                },
            )
    }

    /// The documentation of the key at `path`.
    pub fn description(self, path: &[String]) -> Option<&'static str> {
        let place = self.at(path);
        if place.is_spec_root() {
            // The free-form table itself (`settings`): its own description, from the fleet schema.
            return Schema::fleet().description(path);
        }
        place.schema.description(place.path)
    }

    /// The keys the table at `path` accepts.
    pub fn keys(self, path: &[String]) -> Vec<(&'static str, Option<&'static str>)> {
        let place = self.at(path);
        place.schema.keys(place.path)
    }

    /// True when the key at `path` holds a table.
    pub fn is_table(self, path: &[String]) -> bool {
        let place = self.at(path);
        place.path.is_empty() || place.schema.is_table(place.path)
    }

    /// The values the key at `path` allows.
    pub fn choices(self, path: &[String]) -> Vec<(String, Option<&'static str>)> {
        let place = self.at(path);
        place.schema.choices(place.path)
    }
}

impl Schema {
    /// The spec's schema.
    pub fn spec() -> Self {
        Self {
            root: spec_schema(),
        }
    }

    /// The fleet file's schema, derived once from the fleet model.
    pub fn fleet() -> Self {
        static FLEET: OnceLock<Value> = OnceLock::new();
        Self {
            root: FLEET.get_or_init(aster_fleet::schema::derived_schema),
        }
    }

    /// Follows `$ref` (and an `anyOf` that wraps one, as optional sections do) to the definition.
    fn resolve(self, node: &'static Value) -> &'static Value {
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.root.pointer(pointer))
        {
            return target;
        }
        if let Some(inner) = ["anyOf", "oneOf", "allOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Value::as_array))
            .flatten()
            .find(|n| n.get("$ref").is_some())
        {
            return self.resolve(inner);
        }
        node
    }

    /// The table a key's node stands for: itself, or its element type for an array of tables.
    fn table(self, node: &'static Value) -> &'static Value {
        let node = self.resolve(node);
        node.get("items").map_or(node, |items| self.resolve(items))
    }

    /// The schema node of the key at `path`, as written (its own description), or `None` past
    /// what the schema describes.
    fn node_at(self, path: &[String]) -> Option<&'static Value> {
        let mut node = self.root;
        for segment in path {
            let table = self.table(node);
            node = match table.get("properties").and_then(|p| p.get(segment)) {
                Some(child) => child,
                None => table
                    .get("additionalProperties")
                    .filter(|a| a.is_object())?,
            };
        }
        Some(node)
    }

    /// True for a table that takes any key (`additionalProperties: true`, no declared keys).
    fn is_free_form(self, path: &[String]) -> bool {
        self.node_at(path).is_some_and(|node| {
            let node = self.table(node);
            node.get("additionalProperties") == Some(&Value::Bool(true))
                && node.get("properties").is_none()
        })
    }

    /// The documentation of the key at `path`: its own description, else its type's.
    pub fn description(self, path: &[String]) -> Option<&'static str> {
        let node = self.node_at(path)?;
        node.get("description")
            .or_else(|| self.resolve(node).get("description"))
            .and_then(Value::as_str)
    }

    /// The keys the table at `path` declares, each with its description.
    pub fn keys(self, path: &[String]) -> Vec<(&'static str, Option<&'static str>)> {
        let Some(node) = self.node_at(path) else {
            return Vec::new();
        };
        self.table(node)
            .get("properties")
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .map(|(k, v)| {
                        let doc = v
                            .get("description")
                            .or_else(|| self.resolve(v).get("description"))
                            .and_then(Value::as_str);
                        (k.as_str(), doc)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// True when the key at `path` holds a table (a `[section]` or `[[section]]`).
    pub fn is_table(self, path: &[String]) -> bool {
        self.node_at(path).is_some_and(|n| {
            let n = self.table(n);
            n.get("properties").is_some()
                || n.get("additionalProperties")
                    .is_some_and(|a| a.is_object() || a == &Value::Bool(true))
        })
    }

    /// The values the key at `path` allows when it is an enum, a single constant or a boolean,
    /// with their docs.
    pub fn choices(self, path: &[String]) -> Vec<(String, Option<&'static str>)> {
        let Some(node) = self.node_at(path) else {
            return Vec::new();
        };
        let node = self.table(node);
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
        let variants = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| node.get(*k).and_then(Value::as_array))
            .flatten();
        for variant in std::iter::once(node).chain(variants) {
            if let Some(value) = variant.get("const").and_then(Value::as_str) {
                let doc = variant.get("description").and_then(Value::as_str);
                found.push((format!("\"{value}\""), doc));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn reads_docs_keys_and_choices() {
        let spec = Schema::spec();
        assert!(spec.description(&path(&["system", "hostname"])).is_some());
        assert!(
            spec.keys(&path(&["users", "alice"]))
                .iter()
                .any(|(k, _)| *k == "ssh-keys")
        );
        assert!(
            spec.choices(&path(&["kernel", "log-level"]))
                .iter()
                .any(|(v, _)| v == "\"warn\"")
        );
        assert!(spec.is_table(&path(&["services", "openssh"])));
        assert!(!spec.is_table(&path(&["system", "hostname"])));
    }

    #[test]
    fn a_single_constant_is_a_choice() {
        let choices = Schema::spec().choices(&path(&["desktop", "environment"]));
        assert_eq!(
            choices.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(),
            ["\"xfce\""]
        );
    }

    #[test]
    fn a_fleet_file_is_read_with_the_fleet_schema_and_its_settings_with_the_spec_schema() {
        let fleet = View::of(Kind::Fleet);
        let top: Vec<&str> = fleet.keys(&[]).iter().map(|(k, _)| *k).collect();
        assert!(top.contains(&"pins") && top.contains(&"host"), "{top:?}");
        assert!(!top.contains(&"system"), "{top:?}");
        assert!(
            fleet
                .keys(&path(&["deploy"]))
                .iter()
                .any(|(k, _)| *k == "rollback-timeout")
        );
        assert!(
            fleet
                .keys(&path(&["host"]))
                .iter()
                .any(|(k, _)| *k == "target")
        );
        assert!(
            fleet
                .description(&path(&["host", "health", "command"]))
                .is_some()
        );
        let settings = path(&["host", "settings", "services", "openssh"]);
        let place = fleet.at(&settings);
        assert!(place.in_spec);
        assert_eq!(place.path, path(&["services", "openssh"]));
        assert!(fleet.is_table(&settings));
        assert_eq!(
            fleet.description(&path(&["defaults", "settings", "system", "hostname"])),
            Schema::spec().description(&path(&["system", "hostname"]))
        );
        assert!(
            fleet
                .description(&path(&["host", "settings"]))
                .is_some_and(|d| d.contains("spec"))
        );
    }

    /// The tables of the fleet schema that hold spec keys are exactly the `settings` layers the
    /// fleet reader merges as specs: a new free-form table in the fleet model must be one too.
    #[test]
    fn the_fleet_schemas_free_form_tables_are_its_spec_layers() {
        let fleet = Schema::fleet();
        let mut free_form = Vec::new();
        for (key, _) in fleet.keys(&[]) {
            for (sub, _) in fleet.keys(&path(&[key])) {
                let at = path(&[key, sub]);
                if fleet.is_free_form(&at) {
                    free_form.push(at.join("."));
                }
            }
        }
        assert_eq!(free_form, ["defaults.settings", "host.settings"]);
    }
}
