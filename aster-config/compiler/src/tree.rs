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
    let span = error.span().map(|s| clamp(s, text)).or_else(|| {
        message
            .contains("recursion")
            .then(|| long_dotted_key(text))
            .flatten()
    });
    if message.contains("recursion") {
        // toml_edit stops at its own limit (80 levels of arrays, inline tables or dotted-key
        // segments) before the tree is built; say so in the same words as `MAX_DEPTH`.
        return Diagnostic::new(
            Code::TooDeep,
            format!(
                "tables, arrays or dotted keys are nested too deeply for the TOML parser (its limit is {PARSER_DEPTH} levels; aster-config accepts {MAX_DEPTH})"
            ),
        )
        .at(span, "too deep from here on")
        .help("flatten the value; no part of a spec needs this much nesting");
    }
    if message.contains("duplicate key")
        && let Some(diagnostic) = span.clone().and_then(|s| duplicate_table(text, s))
    {
        return diagnostic;
    }
    let help = if message.contains("duplicate key") {
        "a key may appear only once in a table; remove or rename one of them"
    } else {
        "fix the TOML syntax; strings need quotes, tables need [brackets]"
    };
    Diagnostic::new(Code::TomlSyntax, format!("invalid TOML: {message}"))
        .at(span, "here")
        .help(help)
}

/// A `[table]` header written twice: `toml_edit` only says "duplicate key", so name the table,
/// point at its first header as well, and say how to fix it (merge the two).
fn duplicate_table(text: &str, span: Span) -> Option<Diagnostic> {
    let name = table_header(line_at(text, span.start)?.1)?;
    let (first, _) = text
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .find(|(_, line)| table_header(line).as_deref() == Some(name.as_str()))?;
    let (second, _) = line_at(text, span.start)?;
    if first == second {
        return None;
    }
    let header_span = |start: usize| {
        let line = line_at(text, start).map_or("", |(_, l)| l);
        start..start + line.trim_end().len()
    };
    Some(
        Diagnostic::new(
            Code::TomlSyntax,
            format!("the table `[{name}]` is written twice"),
        )
        .at(Some(header_span(second)), "written again here")
        .also(Some(header_span(first)), "first written here")
        .help(format!(
            "merge the two: move the keys under this second `[{name}]` up into the first one, then delete this header"
        )),
    )
}

/// The start offset and text of the line holding byte `at`.
fn line_at(text: &str, at: usize) -> Option<(usize, &str)> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    Some((start, &text[start..end]))
}

/// The normalized name of a `[table]` header line (`[ users . alice ]` → `users.alice`); `None`
/// for any other line, array-of-tables headers included.
fn table_header(line: &str) -> Option<String> {
    let line = line.trim();
    let inner = line.strip_prefix('[')?;
    if inner.starts_with('[') {
        return None;
    }
    let inner = inner.split(']').next()?;
    let without_comment = line.split('#').next().unwrap_or(line).trim_end();
    if !without_comment.ends_with(']') {
        return None;
    }
    Some(
        inner
            .split('.')
            .map(|part| part.trim().trim_matches('"'))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The nesting limit of `toml_edit`'s parser.
const PARSER_DEPTH: usize = 80;

/// `toml_edit` reports a key with too many dotted segments without a span; this finds the first
/// line whose key (before `=`, or a `[header]`) has that many dots.
fn long_dotted_key(text: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or(line);
        if key.matches('.').count() + 1 >= PARSER_DEPTH {
            let start = offset + (line.len() - line.trim_start().len());
            return Some(start..offset + key.trim_end().len());
        }
        offset += line.len();
    }
    None
}

/// A parser span made safe to show: inside the text and on character boundaries.
fn clamp(span: Span, text: &str) -> Span {
    let start = text.floor_char_boundary(span.start.min(text.len()));
    let end = text.ceil_char_boundary(span.end.min(text.len()).max(start));
    start..end
}

struct Converter {
    too_deep: Option<Span>,
}

impl Converter {
    /// True (and the first place noted) when a table or array at `depth` is past the cap.
    /// Scalars are not levels: `a = { b = 1 }` nests one table, not two.
    fn past_cap(&mut self, depth: usize, span: Option<Span>) -> bool {
        if depth <= MAX_DEPTH {
            return false;
        }
        self.too_deep.get_or_insert_with(|| span.unwrap_or(0..0));
        true
    }

    fn table(&mut self, table: &toml_edit::Table, depth: usize) -> Node {
        let mut entries = Vec::new();
        for (key, item) in table {
            let key_span = table.key(key).and_then(toml_edit::Key::span);
            if let Some(mut node) = self.item(item, depth + 1, key_span.clone()) {
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

    /// `key_span` stands in for the span of tables that have none (those made by dotted keys).
    fn item(&mut self, item: &Item, depth: usize, key_span: Option<Span>) -> Option<Node> {
        match item {
            Item::None => None,
            Item::Value(value) => self.nested(value, depth, key_span),
            Item::Table(table) => {
                if self.past_cap(depth, table.span().or(key_span)) {
                    return None;
                }
                Some(self.table(table, depth))
            }
            Item::ArrayOfTables(array) => {
                if self.past_cap(depth, array.span().or(key_span.clone())) {
                    return None;
                }
                let mut items = Vec::new();
                for table in array {
                    if self.past_cap(depth + 1, table.span().or(key_span.clone())) {
                        return None;
                    }
                    items.push(self.table(table, depth + 1));
                }
                Some(Node {
                    value: Value::Array(items),
                    span: array.span(),
                    key_span: None,
                })
            }
        }
    }

    fn nested(&mut self, value: &TomlValue, depth: usize, key_span: Option<Span>) -> Option<Node> {
        let container = matches!(value, TomlValue::Array(_) | TomlValue::InlineTable(_));
        if container && self.past_cap(depth, value.span().or(key_span)) {
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
                    .filter_map(|v| self.nested(v, depth + 1, None))
                    .collect(),
            ),
            TomlValue::InlineTable(table) => {
                let mut entries = Vec::new();
                for (key, v) in table {
                    let key_span = table.key(key).and_then(toml_edit::Key::span);
                    if let Some(mut node) = self.nested(v, depth + 1, key_span.clone()) {
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

/// Builds a [`Path`] from keys and indexes: `key_path![keys::USERS, name, keys::SSH_KEYS, 0]`.
///
/// Fixed keys come from `spec::keys`, whose constants a test checks against the spec's schema;
/// a string literal is refused at compile time, so a misspelt key cannot fall back to the span
/// of its parent unnoticed. Names the user chose (a user, a site) are passed as variables.
macro_rules! key_path {
    (@segments [$($out:expr),*]) => {
        [$($out),*]
    };
    (@segments [$($out:expr),*] $literal:literal $(, $($rest:tt)*)?) => {
        compile_error!(concat!(
            "path!: write the key `", $literal, "` as a constant of spec::keys"
        ))
    };
    (@segments [$($out:expr),*] $segment:expr $(, $($rest:tt)*)?) => {
        $crate::tree::key_path!(@segments [$($out,)* $crate::tree::Segment::from($segment)] $($($rest)*)?)
    };
    ($($rest:tt)*) => {
        $crate::tree::key_path!(@segments [] $($rest)*)
    };
}
pub(crate) use key_path;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_spans_are_kept_on_character_boundaries() {
        let text = "a = \"é\"";
        assert_eq!(clamp(5..6, text), 5..7);
        assert_eq!(clamp(6..6, text), 5..7);
        assert_eq!(clamp(3..99, text), 3..text.len());
    }

    #[test]
    fn a_key_too_long_for_the_parser_is_found() {
        let key = vec!["a"; PARSER_DEPTH].join(".");
        let text = format!("[nixos]\nx = 1\n  {key} = 1\n");
        let span = long_dotted_key(&text).expect("found");
        assert_eq!(&text[span], key);
        assert_eq!(long_dotted_key("a.b.c = 1\n"), None);
    }

    #[test]
    fn scalars_are_not_nesting_levels() {
        let source = |text: &str| SourceFile {
            name: "t.toml".into(),
            text: text.into(),
        };
        let tables =
            |levels: usize| format!("x = {}1{}", "{ a = ".repeat(levels), " }".repeat(levels));
        let mut diagnostics = Diagnostics::new();
        assert!(parse(&source(&tables(MAX_DEPTH)), &mut diagnostics).is_some());
        assert!(diagnostics.is_empty());
        assert!(parse(&source(&tables(MAX_DEPTH + 1)), &mut diagnostics).is_none());
        assert_eq!(
            diagnostics.iter().next().map(|d| d.code),
            Some(Code::TooDeep)
        );
    }
}
