//! Layering specs: the fleet default beneath, a host's spec file above it, the host's inline
//! settings on top — merged as TOML documents, with every value remembering where it was written.
//!
//! The rules, in full (also in `docs/src/fleets.md`):
//!
//! - tables merge key by key, at any depth;
//! - a scalar (string, number, boolean, date) from a higher layer replaces the one beneath;
//! - a list from a higher layer replaces the one beneath, unless the host lists its path under
//!   `append` (e.g. `append = ["packages.install"]`): then the higher layer's items follow the
//!   lower layer's.
//!
//! The merged tree is written back as TOML text for the compiler ([`write`]). Every scalar is
//! copied as written in its own file, and each piece of the merged text is recorded in a
//! [`SourceMap`], so a diagnostic the compiler reports on the merged text is moved back to the
//! file and place that set the value.

use std::ops::Range;

/// A place in one of the fleet's files: the file's index in [`crate::Files`] and a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// Index of the file in the fleet's [`crate::Files`].
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<usize>,
}

/// A merged value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A table (a `[header]` table or an inline one): merges key by key.
    Table(Table),
    /// An array: replaced as a whole, or appended to when asked.
    Array(Vec<Node>, Option<At>),
    /// Any other value, as TOML text (copied from its file, or written by the fleet).
    Scalar(String, Option<At>),
}

/// A table's entries, in the order they were first written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The entries.
    pub entries: Vec<Entry>,
}

/// One `key = value` of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Where the key was written.
    pub key_at: Option<At>,
    /// The value.
    pub node: Node,
}

impl Table {
    /// The entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// The entry named `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.key == key)
    }

    /// The node at a dotted path of table keys.
    pub fn find(&self, path: &[&str]) -> Option<&Node> {
        let (first, rest) = path.split_first()?;
        let node = &self.get(first)?.node;
        match (rest.is_empty(), node) {
            (true, node) => Some(node),
            (false, Node::Table(table)) => table.find(rest),
            (false, _) => None,
        }
    }
}

/// Where the spans of a parsed table point: the file, its whole text, and where the parsed text
/// starts in it (a fleet file is parsed in pieces, see [`crate::pieces`]; a spec file whole).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// Index of the file in the fleet's [`crate::Files`].
    pub file: usize,
    /// The file's whole text.
    pub text: &'a str,
    /// Byte offset of the parsed text in the file.
    pub offset: usize,
}

impl Origin<'_> {
    /// The whole text of file `file`, parsed whole.
    pub fn whole(file: usize, text: &str) -> Origin<'_> {
        Origin {
            file,
            text,
            offset: 0,
        }
    }

    /// A span of the parsed text, as a place in the file.
    pub fn at(&self, span: Option<Range<usize>>) -> Option<At> {
        span.map(|span| At {
            file: self.file,
            span: span.start + self.offset..span.end + self.offset,
        })
    }
}

/// Converts a `toml_edit` table parsed from `origin` into a layer.
pub fn from_toml(table: &toml_edit::Table, origin: Origin<'_>) -> Table {
    let mut out = Table::default();
    for (key, item) in table {
        let key_at = origin.at(table.get_key_value(key).and_then(|(k, _)| k.span()));
        if let Some(node) = item_node(item, origin) {
            out.entries.push(Entry {
                key: key.to_owned(),
                key_at,
                node,
            });
        }
    }
    out
}

fn item_node(item: &toml_edit::Item, origin: Origin<'_>) -> Option<Node> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Table(table) => Some(Node::Table(from_toml(table, origin))),
        toml_edit::Item::ArrayOfTables(array) => Some(Node::Array(
            array
                .iter()
                .map(|t| Node::Table(from_toml(t, origin)))
                .collect(),
            origin.at(array.span()),
        )),
        toml_edit::Item::Value(value) => Some(from_value(value, origin)),
    }
}

/// Converts one `toml_edit` value parsed from `origin`.
pub fn from_value(value: &toml_edit::Value, origin: Origin<'_>) -> Node {
    let at = origin.at(value.span());
    match value {
        toml_edit::Value::Array(array) => {
            Node::Array(array.iter().map(|v| from_value(v, origin)).collect(), at)
        }
        toml_edit::Value::InlineTable(inline) => {
            let mut out = Table::default();
            for (key, value) in inline {
                let key_at = origin.at(inline.get_key_value(key).and_then(|(k, _)| k.span()));
                out.entries.push(Entry {
                    key: key.to_owned(),
                    key_at,
                    node: from_value(value, origin),
                });
            }
            Node::Table(out)
        }
        scalar => {
            let written = at
                .as_ref()
                .and_then(|at| origin.text.get(at.span.clone()))
                .map_or_else(
                    || scalar.clone().decorated("", "").to_string(),
                    str::to_owned,
                );
            Node::Scalar(written, at)
        }
    }
}

/// Puts `over` on top of `base`, following the layering rules. `append` says, for a dotted path,
/// whether a list there is appended to instead of replaced.
pub fn overlay(base: &mut Table, over: Table, append: &dyn Fn(&str) -> bool) {
    overlay_at(base, over, append, "");
}

fn overlay_at(base: &mut Table, over: Table, append: &dyn Fn(&str) -> bool, prefix: &str) {
    for entry in over.entries {
        let path = if prefix.is_empty() {
            entry.key.clone()
        } else {
            format!("{prefix}.{}", entry.key)
        };
        let Some(existing) = base.get_mut(&entry.key) else {
            base.entries.push(entry);
            continue;
        };
        match (&mut existing.node, entry.node) {
            (Node::Table(below), Node::Table(above)) => overlay_at(below, above, append, &path),
            (Node::Array(below, _), Node::Array(above, _)) if append(&path) => {
                below.extend(above);
            }
            (_, node) => {
                existing.key_at = entry.key_at;
                existing.node = node;
            }
        }
    }
}

/// A piece of the merged text and the place in a fleet file it was copied from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the merged text.
    pub merged: Range<usize>,
    /// Where it came from.
    pub at: At,
}

/// The merged text's pieces; inner pieces come after the pieces that contain them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    pieces: Vec<Piece>,
}

impl SourceMap {
    /// Moves a range of the merged text back to a fleet file: the innermost piece that holds its
    /// start decides the file; the range is shifted into that piece's place and kept inside it.
    pub fn locate(&self, range: &Range<usize>) -> Option<At> {
        let piece = self
            .pieces
            .iter()
            .filter(|p| {
                p.merged.start <= range.start && range.start < p.merged.end.max(p.merged.start + 1)
            })
            .min_by_key(|p| p.merged.end - p.merged.start)?;
        let shift = |offset: usize| {
            let inside = offset.saturating_sub(piece.merged.start);
            (piece.at.span.start + inside).min(piece.at.span.end)
        };
        let start = shift(range.start);
        let end = shift(range.end.max(range.start)).max(start);
        Some(At {
            file: piece.at.file,
            span: start..end,
        })
    }
}

/// Writes a merged table as TOML text, with the map back to the files.
pub fn write(root: &Table) -> (String, SourceMap) {
    let mut writer = Writer::default();
    writer.leaves(root);
    let mut path = Vec::new();
    writer.tables(root, &mut path);
    (writer.text, writer.map)
}

#[derive(Default)]
struct Writer {
    text: String,
    map: SourceMap,
}

impl Writer {
    fn piece(&mut self, text: &str, at: Option<&At>) {
        let start = self.text.len();
        self.text.push_str(text);
        if let Some(at) = at {
            self.map.pieces.push(Piece {
                merged: start..self.text.len(),
                at: at.clone(),
            });
        }
    }

    /// The entries of `table` that are not tables, one `key = value` line each.
    fn leaves(&mut self, table: &Table) {
        for entry in &table.entries {
            if !matches!(entry.node, Node::Table(_)) {
                self.piece(&key_text(&entry.key), entry.key_at.as_ref());
                self.text.push_str(" = ");
                self.value(&entry.node);
                self.text.push('\n');
            }
        }
    }

    /// Every sub-table of `table`, as a `[header]` followed by its leaves, depth first.
    fn tables<'a>(&mut self, table: &'a Table, path: &mut Vec<&'a Entry>) {
        for entry in &table.entries {
            let Node::Table(sub) = &entry.node else {
                continue;
            };
            path.push(entry);
            let has_leaves = sub
                .entries
                .iter()
                .any(|e| !matches!(e.node, Node::Table(_)));
            if has_leaves || sub.entries.is_empty() {
                self.text.push_str("\n[");
                for (i, segment) in path.iter().enumerate() {
                    if i > 0 {
                        self.text.push('.');
                    }
                    self.piece(&key_text(&segment.key), segment.key_at.as_ref());
                }
                self.text.push_str("]\n");
                self.leaves(sub);
            }
            self.tables(sub, path);
            path.pop();
        }
    }

    fn value(&mut self, node: &Node) {
        let start = self.text.len();
        match node {
            Node::Scalar(text, at) => self.piece(text, at.as_ref()),
            Node::Array(items, at) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.value(item);
                }
                self.text.push(']');
                if let Some(at) = at {
                    // The whole array maps to its brackets; its items map more precisely.
                    self.map.pieces.push(Piece {
                        merged: start..self.text.len(),
                        at: at.clone(),
                    });
                }
            }
            Node::Table(table) => {
                self.text.push('{');
                for (i, entry) in table.entries.iter().enumerate() {
                    self.text.push_str(if i > 0 { ", " } else { " " });
                    self.piece(&key_text(&entry.key), entry.key_at.as_ref());
                    self.text.push_str(" = ");
                    self.value(&entry.node);
                }
                self.text
                    .push_str(if table.entries.is_empty() { "}" } else { " }" });
            }
        }
    }
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
pub fn key_text(key: &str) -> String {
    toml_edit::Key::new(key).display_repr().into_owned()
}

/// A string as a TOML basic string.
pub fn string_text(text: &str) -> String {
    toml_edit::Value::from(text).decorated("", "").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(text: &str, file: usize) -> Table {
        let document = toml_edit::Document::parse(text).expect("toml");
        from_toml(document.as_table(), Origin::whole(file, text))
    }

    #[test]
    fn tables_merge_scalars_override_lists_replace_or_append() {
        let mut base = layer(
            "[system]\nhostname = \"a\"\ntimezone = \"UTC\"\n[packages]\ninstall = [\"git\"]\n[users.x]\ngroups = [\"wheel\"]\n",
            0,
        );
        let over = layer(
            "[system]\nhostname = \"b\"\n[packages]\ninstall = [\"htop\"]\n[users.x]\ngroups = [\"audio\"]\n",
            1,
        );
        overlay(&mut base, over, &|path| path == "packages.install");
        let (text, _) = write(&base);
        let merged: toml_edit::DocumentMut = text.parse().expect("merged text is TOML");
        assert_eq!(merged["system"]["hostname"].as_str(), Some("b"));
        assert_eq!(merged["system"]["timezone"].as_str(), Some("UTC"));
        let install: Vec<_> = merged["packages"]["install"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(install, ["git", "htop"]);
        assert_eq!(
            merged["users"]["x"]["groups"].to_string().trim(),
            "[\"audio\"]"
        );
    }

    #[test]
    fn a_range_of_the_merged_text_goes_back_to_the_file_that_wrote_it() {
        let base_text = "[system]\nhostname = \"a\"\ntimezone = \"UTC\"\n";
        let over_text = "[system]\nhostname = \"bad name\"\n";
        let mut base = layer(base_text, 0);
        overlay(&mut base, layer(over_text, 1), &|_| false);
        let (text, map) = write(&base);
        let start = text.find("\"bad name\"").expect("value");
        let at = map.locate(&(start..start + 10)).expect("mapped");
        assert_eq!(at.file, 1);
        assert_eq!(&over_text[at.span], "\"bad name\"");
        let start = text.find("timezone").expect("key");
        let at = map.locate(&(start..start + 8)).expect("mapped");
        assert_eq!(at.file, 0);
        assert_eq!(&base_text[at.span], "timezone");
    }

    #[test]
    fn keys_and_strings_are_quoted_only_when_needed() {
        assert_eq!(key_text("web-01"), "web-01");
        assert_eq!(key_text("a.b"), "\"a.b\"");
        assert_eq!(string_text("x\"y"), "'x\"y'");
    }
}
