//! Completion on half-typed text: read from lines, not from the parsed document, because the
//! document rarely parses while a key is being typed.
//!
//! The section is the nearest `[header]` above the cursor; on a line with `=` before the cursor
//! (or inside an array that such a line opened) the value is completed, otherwise a key, and after
//! a line-leading `[` a section name.
//!
//! Keys, sections and values come from the document's schema view (`schema::View`): a fleet
//! file's from the fleet schema, the spec tables inside its `settings` from the spec schema,
//! with the same catalog names as in a spec.

use crate::{document::Document, facts, schema::View};
use lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind, Position,
};

/// Splits a dotted key (`sites."example.org".root`) into its parts, unquoting them.
fn split_key(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => parts.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    parts.push(current.trim().to_owned());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The key path of the section the line at `line_start` belongs to.
fn section_at(text: &str, line_start: usize) -> Vec<String> {
    text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|header| {
            let inner = header
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default();
            split_key(inner)
        })
        .unwrap_or_default()
}

/// Where the cursor is, for completion.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// After a line-leading `[`.
    Section,
    /// A key of the table at this path.
    Key(Vec<String>),
    /// A value of the key at this path; true inside a string.
    Value(Vec<String>, bool),
}

fn context(text: &str, offset: usize) -> Context {
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let before = &text[line_start..offset];
    if before.trim_start().starts_with('[') && !before.contains(']') {
        return Context::Section;
    }
    let section = section_at(text, line_start);
    // The assignment the cursor is in: this line's, or an earlier one whose array is still open.
    let mut start = line_start;
    loop {
        let line = &text[start..text[start..].find('\n').map_or(text.len(), |e| start + e)];
        if line.trim_start().starts_with('[') && start != line_start {
            break;
        }
        if let Some(equals) = line.find('=') {
            let value_start = start + equals + 1;
            if value_start <= offset {
                let value = &text[value_start..offset];
                let open = value.matches('[').count() > value.matches(']').count();
                if start == line_start || open {
                    let mut path = section.clone();
                    path.extend(split_key(&line[..equals]));
                    let in_string = value.matches('"').count() % 2 == 1;
                    return Context::Value(path, in_string);
                }
            }
            break;
        }
        if start == 0 {
            break;
        }
        start = text[..start - 1].rfind('\n').map_or(0, |at| at + 1);
    }
    let mut path = section;
    let typed = before.trim();
    if typed.contains('.') {
        let mut parts = split_key(typed);
        if !typed.ends_with('.') {
            parts.pop();
        }
        path.extend(parts);
    }
    Context::Key(path)
}

fn item(
    label: &str,
    insert: String,
    kind: CompletionItemKind,
    doc: Option<&str>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        insert_text: Some(insert),
        documentation: doc.map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d.to_owned(),
            })
        }),
        ..CompletionItem::default()
    }
}

/// Section names: every table two levels deep (`system`, `services.openssh`; in a fleet file
/// `pins`, `host.health`, and two levels into each `settings`: `host.settings.services.openssh`).
fn sections(view: View) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    add_sections(view, &mut Vec::new(), 2, &mut items);
    items
}

/// Adds the tables under `path`, `depth` levels down; a spec layer of a fleet file counts anew.
fn add_sections(view: View, path: &mut Vec<String>, depth: usize, items: &mut Vec<CompletionItem>) {
    if depth == 0 {
        return;
    }
    for (key, doc) in view.keys(path) {
        path.push(key.to_owned());
        if view.is_table(path) {
            let name = path.join(".");
            items.push(item(&name, name.clone(), CompletionItemKind::MODULE, doc));
            let entered_spec = view.at(path).is_spec_root();
            add_sections(view, path, if entered_spec { 2 } else { depth - 1 }, items);
        }
        path.pop();
    }
}

/// Names from a catalog, quoted unless the cursor is already inside a string.
fn names<'a>(
    names: impl Iterator<Item = (&'a str, &'a str)>,
    in_string: bool,
    suffix: &str,
) -> Vec<CompletionItem> {
    names
        .map(|(name, detail)| {
            let insert = if in_string {
                format!("{name}{suffix}")
            } else {
                format!("\"{name}{suffix}\"")
            };
            let mut entry = item(name, insert, CompletionItemKind::VALUE, None);
            entry.detail = Some(detail.to_owned());
            entry
        })
        .collect()
}

/// The completions at `position`.
pub fn complete(document: &Document, position: Position) -> Vec<CompletionItem> {
    let offset = document.index.offset(&document.text, position);
    let view = View::of(document.kind);
    match context(&document.text, offset) {
        Context::Section => sections(view),
        Context::Key(path) => view
            .keys(&path)
            .into_iter()
            .map(|(key, doc)| {
                let mut full = path.clone();
                full.push(key.to_owned());
                let insert = if view.is_table(&full) {
                    format!("{key}.")
                } else {
                    format!("{key} = ")
                };
                item(key, insert, CompletionItemKind::PROPERTY, doc)
            })
            .collect(),
        Context::Value(path, in_string) => {
            let place = view.at(&path);
            match place.spec_path().as_slice() {
                ["packages", "install" | "allow-untested"] => names(
                    facts::package_names().chain(facts::cached_nixpkgs_names()),
                    in_string,
                    "",
                ),
                ["kernel", "params"] => names(facts::param_names(), in_string, "="),
                ["kernel", "features"] => names(facts::feature_names(), in_string, ""),
                ["services", "allow-untested"] => names(
                    aster_distro::catalog()
                        .services()
                        .iter()
                        .map(|s| (s.name.as_str(), s.status.as_str())),
                    in_string,
                    "",
                ),
                _ => view
                    .choices(&path)
                    .into_iter()
                    .map(|(value, doc)| {
                        let insert = if in_string {
                            value.trim_matches('"').to_owned()
                        } else {
                            value.clone()
                        };
                        item(&value, insert, CompletionItemKind::ENUM_MEMBER, doc)
                    })
                    .collect(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> Context {
        context(text, text.len())
    }

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn reads_the_context_from_lines() {
        assert_eq!(at_end("[sys"), Context::Section);
        assert_eq!(at_end("[system]\nhost"), Context::Key(path(&["system"])));
        assert_eq!(
            at_end("[kernel]\nlog-level = \"w"),
            Context::Value(path(&["kernel", "log-level"]), true)
        );
        assert_eq!(
            at_end("[packages]\ninstall = [\n  \"git\",\n  "),
            Context::Value(path(&["packages", "install"]), false)
        );
        assert_eq!(
            at_end("[services.nginx]\nsites.\"a.org\"."),
            Context::Key(path(&["services", "nginx", "sites", "a.org"]))
        );
        assert_eq!(at_end("spec-version = 1\n"), Context::Key(Vec::new()));
    }
}
