//! What is under the cursor: the key path of the key or value at a byte offset of a spec.
//!
//! Read from `toml_edit`'s span-keeping document, so it needs text that parses; completion, which
//! must work on half-typed text, reads lines instead (`completion`).

use toml_edit::{Item, Table, Value};

/// Where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// Keys from the document root to the key or value under the cursor.
    pub path: Vec<String>,
    /// On a key (its name) rather than on its value.
    pub on_key: bool,
    /// For a string under the cursor: its contents and byte span.
    pub string: Option<(String, std::ops::Range<usize>)>,
}

fn contains(span: Option<std::ops::Range<usize>>, offset: usize) -> bool {
    span.is_some_and(|s| s.start <= offset && offset <= s.end)
}

/// The spot at `offset` in `text`; `None` when the text does not parse or nothing is there.
pub fn spot_at(text: &str, offset: usize) -> Option<Spot> {
    if text.len() > aster_compiler::MAX_SPEC_BYTES {
        return None;
    }
    let document = toml_edit::Document::parse(text).ok()?;
    in_table(document.as_table(), offset, &mut Vec::new())
}

fn in_table(table: &Table, offset: usize, path: &mut Vec<String>) -> Option<Spot> {
    for (name, item) in table {
        path.push(name.to_owned());
        let key_span = table.key(name).and_then(toml_edit::Key::span);
        if contains(key_span, offset) {
            return Some(Spot {
                path: path.clone(),
                on_key: true,
                string: None,
            });
        }
        let found = match item {
            Item::Table(child) => in_table(child, offset, path),
            Item::ArrayOfTables(array) => array.iter().find_map(|t| in_table(t, offset, path)),
            Item::Value(value) => in_value(value, offset, path),
            Item::None => None,
        };
        if found.is_some() {
            return found;
        }
        path.pop();
    }
    None
}

fn in_value(value: &Value, offset: usize, path: &mut Vec<String>) -> Option<Spot> {
    if !contains(value.span(), offset) {
        return None;
    }
    match value {
        Value::Array(array) => array.iter().find_map(|v| in_value(v, offset, path)),
        Value::InlineTable(table) => {
            for (name, inner) in table {
                path.push(name.to_owned());
                if contains(table.key(name).and_then(toml_edit::Key::span), offset) {
                    return Some(Spot {
                        path: path.clone(),
                        on_key: true,
                        string: None,
                    });
                }
                if let Some(found) = in_value(inner, offset, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        Value::String(string) => Some(Spot {
            path: path.clone(),
            on_key: false,
            string: value.span().map(|s| (string.value().clone(), s)),
        }),
        _ => Some(Spot {
            path: path.clone(),
            on_key: false,
            string: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_values_and_array_elements() {
        let text = "[services.openssh]\nports = [22]\n[packages]\ninstall = [\"git\", \"vim\"]\n";
        let on_ssh = spot_at(text, text.find("openssh").unwrap() + 2).unwrap();
        assert_eq!(on_ssh.path, ["services", "openssh"]);
        assert!(on_ssh.on_key);
        let on_vim = spot_at(text, text.find("vim").unwrap()).unwrap();
        assert_eq!(on_vim.path, ["packages", "install"]);
        assert_eq!(on_vim.string.unwrap().0, "vim");
        assert!(spot_at("[broken", 2).is_none());
    }
}
