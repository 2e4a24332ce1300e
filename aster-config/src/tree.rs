//! The parsed document with spans: a small owned tree of TOML values.
//!
//! `toml_edit` keeps spans but its tree is shaped for editing. This pass copies it into [`Node`]s
//! that carry both the value span and the key span, in file order. The tree is the source map of
//! later passes: [`Node::find`] turns a path such as `users.alice.shell` back into a span, so a
//! check on the typed spec can point into the TOML.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::source::SourceFile;
use std::fmt::Write as _;
use toml_edit::{Item, Value as TomlValue};

/// Deepest nesting of tables and arrays the compiler accepts. The spec itself is at most five
/// levels deep; the limit leaves room for `[nixos]` values.
pub const MAX_DEPTH: usize = 32;

/// One segment of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path from the document root, e.g. `services.openssh.ports[0]`.
pub type Path = Vec<Segment>;

/// Renders a path the way a user writes it in TOML (`users.alice.ssh-keys[0]`).
pub fn display_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    out.push_str(key);
                } else {
                    let _ = write!(out, "{key:?}");
                }
            }
            Segment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
        }
    }
    out
}

/// A TOML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A float (may be infinite or NaN: TOML allows both).
    Float(f64),
    /// A boolean.
    Boolean(bool),
    /// A date or time, kept as written.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table, in file order.
    Table(Vec<(String, Node)>),
}

/// A value with the span of the value and of the key that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is written, when the document has it (implicit tables have none).
    pub span: Option<Span>,
    /// Where the key naming this value is written (none for array items and the root).
    pub key_span: Option<Span>,
}

impl Node {
    /// The node at `path`, if there is one.
    pub fn find(&self, path: &[Segment]) -> Option<&Node> {
        let mut node = self;
        for segment in path {
            node = match (segment, &node.value) {
                (Segment::Key(key), Value::Table(entries)) => {
                    &entries.iter().find(|(k, _)| k == key)?.1
                }
                (Segment::Index(index), Value::Array(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span of the value at `path`, or of its nearest ancestor that has one.
    pub fn span_of(&self, path: &[Segment]) -> Option<Span> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.find(&path[..n]).and_then(|node| node.span.clone()))
    }

    /// The span of the key at `path` (falling back to the value's span).
    pub fn key_span_of(&self, path: &[Segment]) -> Option<Span> {
        self.find(path)
            .and_then(|n| n.key_span.clone())
            .or_else(|| self.span_of(path))
    }

    /// A short name for the kind of value, for messages ("a string", "a table").
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Boolean(_) => "a boolean",
            Value::Datetime(_) => "a date-time",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

/// Parses the spec text into a [`Node`] tree, reporting syntax errors and excessive nesting.
pub fn parse(source: &SourceFile, diagnostics: &mut Diagnostics) -> Option<Node> {
    let document = match toml_edit::Document::parse(source.text.as_str()) {
        Ok(document) => document,
        Err(error) => {
            diagnostics.push(syntax_error(&error, &source.text));
            return None;
        }
    };
    let mut converter = Converter { too_deep: None };
    let root = converter.table(document.as_table(), 0);
    if let Some(span) = converter.too_deep {
        diagnostics.push(
            Diagnostic::new(
                Code::TooDeep,
                format!("tables and arrays are nested more than {MAX_DEPTH} levels deep"),
            )
            .at(Some(span), "too deep from here on")
            .help("flatten the value; no part of a spec needs this much nesting"),
        );
        return None;
    }
    Some(root)
}

fn syntax_error(error: &toml_edit::TomlError, text: &str) -> Diagnostic {
    let message = error.message().trim().trim_end_matches('.').to_owned();
    let (code, help) = if message.contains("recursion limit") {
        (
            Code::TooDeep,
            "flatten the value; no part of a spec needs this much nesting",
        )
    } else if message.contains("duplicate key") {
        (
            Code::TomlSyntax,
            "a key may appear only once in a table; remove or rename one of them",
        )
    } else {
        (
            Code::TomlSyntax,
            "fix the TOML syntax; strings need quotes, tables need [brackets]",
        )
    };
    let span = error.span().map(|s| clamp(s, text.len()));
    Diagnostic::new(code, format!("invalid TOML: {message}"))
        .at(span, "here")
        .help(help)
}

fn clamp(span: Span, len: usize) -> Span {
    span.start.min(len)..span.end.min(len).max(span.start.min(len))
}

struct Converter {
    too_deep: Option<Span>,
}

impl Converter {
    fn table(&mut self, table: &toml_edit::Table, depth: usize) -> Node {
        let mut entries = Vec::new();
        for (key, item) in table {
            let key_span = table.key(key).and_then(toml_edit::Key::span);
            if let Some(mut node) = self.item(item, depth + 1) {
                node.key_span = key_span;
                entries.push((key.to_owned(), node));
            }
        }
        Node {
            value: Value::Table(entries),
            span: table.span(),
            key_span: None,
        }
    }

    fn item(&mut self, item: &Item, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            self.too_deep
                .get_or_insert_with(|| item.span().unwrap_or(0..0));
            return None;
        }
        match item {
            Item::None => None,
            Item::Value(value) => self.nested(value, depth),
            Item::Table(table) => Some(self.table(table, depth)),
            Item::ArrayOfTables(array) => {
                let items = array.iter().map(|t| self.table(t, depth + 1)).collect();
                Some(Node {
                    value: Value::Array(items),
                    span: array.span(),
                    key_span: None,
                })
            }
        }
    }

    fn nested(&mut self, value: &TomlValue, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            self.too_deep
                .get_or_insert_with(|| value.span().unwrap_or(0..0));
            return None;
        }
        Some(self.value(value, depth))
    }

    fn value(&mut self, value: &TomlValue, depth: usize) -> Node {
        let span = value.span();
        let value = match value {
            TomlValue::String(s) => Value::String(s.value().clone()),
            TomlValue::Integer(i) => Value::Integer(*i.value()),
            TomlValue::Float(f) => Value::Float(*f.value()),
            TomlValue::Boolean(b) => Value::Boolean(*b.value()),
            TomlValue::Datetime(d) => Value::Datetime(d.value().to_string()),
            TomlValue::Array(array) => Value::Array(
                array
                    .iter()
                    .filter_map(|v| self.nested(v, depth + 1))
                    .collect(),
            ),
            TomlValue::InlineTable(table) => {
                let mut entries = Vec::new();
                for (key, v) in table {
                    let key_span = table.key(key).and_then(toml_edit::Key::span);
                    if let Some(mut node) = self.nested(v, depth + 1) {
                        node.key_span = key_span;
                        entries.push((key.to_owned(), node));
                    }
                }
                Value::Table(entries)
            }
        };
        Node {
            value,
            span,
            key_span: None,
        }
    }
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Segment::Key(key.to_owned())
    }
}

impl From<&String> for Segment {
    fn from(key: &String) -> Self {
        Segment::Key(key.clone())
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Segment::Index(index)
    }
}

/// Builds a [`Path`] from keys and indexes: `path!["users", name, "ssh-keys", 0]`.
#[macro_export]
macro_rules! path {
    ($($segment:expr),* $(,)?) => {
        [$($crate::tree::Segment::from($segment)),*]
    };
}
