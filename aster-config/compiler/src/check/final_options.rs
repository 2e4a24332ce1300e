//! The final option set: every NixOS option the output sets, whichever road it took.
//!
//! A NixOS option can reach the machine through a spec section (lowered by the options pass),
//! through `[nixos]` (in any TOML shape: a quoted path, dotted keys, nested or inline tables), or
//! through an `[imports]` module. Capability rules must see all three alike, so this module
//! flattens them into [`Leaf`]s: the full option path down to a value that is not an attribute
//! set, the value, where it was written and by whom. Nix merges `a.b = { c = 1; }` and
//! `a.b.c = 1` into the same thing, so flattening loses nothing a rule needs; a rule that asks
//! about an option whose value is an attribute set (`fileSystems."/"`) matches a path prefix.

use super::Context;
use crate::diagnostic::{Diagnostic, Elsewhere, Span};
use crate::nix::{Expr, parse_option_path};
use crate::options;
use crate::spec::keys;
use crate::tree::{Node, Segment, Value as TreeValue, key_path};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Who wrote an option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A spec section, e.g. `[services.openssh]`.
    Section(String),
    /// The `[nixos]` escape hatch.
    Nixos,
    /// An `[imports]` module (or a file it imports): the binding in that file.
    Module(Elsewhere),
}

/// One option set to a value that is not an attribute set (or an empty one).
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// The full option path, e.g. `["fileSystems", "/", "fsType"]`.
    pub path: Vec<String>,
    /// The value; `Json::Null` stands for an expression aster-config does not evaluate (it is
    /// never a Nix `null` from the spec, which `[nixos]` cannot write).
    pub value: Json,
    /// Where the spec writes it: the key of the `[nixos]` leaf, the section's key, or the
    /// module's entry in `[imports]`.
    pub span: Option<Span>,
    /// Who wrote it.
    pub origin: Origin,
}

impl Leaf {
    /// True when the path starts with `prefix` (`*` matches any one segment).
    pub fn under(&self, prefix: &[&str]) -> bool {
        self.path.len() >= prefix.len()
            && prefix
                .iter()
                .zip(&self.path)
                .all(|(p, s)| *p == "*" || p == s)
    }

    /// True when the option is set to the boolean `true`.
    pub fn is_true(&self) -> bool {
        self.value == Json::Bool(true)
    }

    /// The path as NixOS documentation writes it (`services.redis.servers."".enable`).
    pub fn dotted(&self) -> String {
        dotted(&self.path)
    }

    /// Where it was written, for messages: "in [nixos]", "in modules/extra.nix line 3".
    pub fn place(&self) -> String {
        match &self.origin {
            Origin::Section(title) => format!("by {title}"),
            Origin::Nixos => "in [nixos]".to_owned(),
            Origin::Module(at) => {
                let (line, column) = at.line_column();
                format!("in {} (line {line}, column {column})", at.file)
            }
        }
    }
}

/// Points a diagnostic at an option of the final set, in a builder chain: `.at_leaf(leaf, "…")`
/// is `.at(leaf.span, "…")` (a `[nixos]` key, a section, or a module's `[imports]` entry) plus,
/// for an option a module sets, the binding in the module file.
pub trait AtLeaf {
    /// The primary label at `leaf`, with `text`.
    #[must_use]
    fn at_leaf(self, leaf: &Leaf, text: impl Into<String>) -> Self;
}

impl AtLeaf for Diagnostic {
    fn at_leaf(self, leaf: &Leaf, text: impl Into<String>) -> Self {
        let diagnostic = self.at(leaf.span.clone(), text);
        match &leaf.origin {
            Origin::Module(at) => diagnostic.elsewhere_at(at.clone()),
            Origin::Section(_) | Origin::Nixos => diagnostic,
        }
    }
}

/// A path as NixOS documentation writes it: segments that are not plain names are quoted.
pub fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|s| crate::nix::attr_name(s))
        .collect::<Vec<_>>()
        .join(".")
}

/// The leaves of the spec's sections and of `[nixos]` (modules are added by the imports check).
pub fn collect(cx: &Context<'_>) -> Vec<Leaf> {
    let mut leaves = Vec::new();
    let spans = SectionSpans::of(cx.tree);
    for section in options::sections(cx.spec) {
        let span = spans.of_title(&section.title);
        for binding in section.bindings {
            expr_leaves(&binding.path, &binding.value, &mut |path, value| {
                leaves.push(Leaf {
                    path,
                    value,
                    span: span.clone(),
                    origin: Origin::Section(section.title.clone()),
                });
            });
        }
    }
    if let Some(overlays) = options::overlays(cx.spec) {
        let span = spans.of_title("[overrides]");
        expr_leaves(&overlays.path, &overlays.value, &mut |path, value| {
            leaves.push(Leaf {
                path,
                value,
                span: span.clone(),
                origin: Origin::Section("[overrides]".to_owned()),
            });
        });
    }
    leaves.extend(nixos_leaves(cx));
    leaves
}

/// The leaves `[nixos]` writes, each with the span of its own key, in file order. The document
/// tree and the typed values are walked side by side (the tree for spans and order, the values
/// for what survived the shape check), so each leaf costs a few lookups, not a search.
pub fn nixos_leaves(cx: &Context<'_>) -> Vec<Leaf> {
    let mut leaves = Vec::new();
    let Some(Node {
        value: TreeValue::Table(entries),
        ..
    }) = cx.tree.find(&key_path![keys::NIXOS])
    else {
        return leaves;
    };
    for (key, node) in entries {
        let (Some(value), Ok(path)) = (cx.spec.nixos.get(key), parse_option_path(key)) else {
            continue; // pruned by the shape check, or reported by the [nixos] check
        };
        walk(path, node, value, 0, &mut leaves);
    }
    leaves
}

fn walk(path: Vec<String>, node: &Node, value: &Json, depth: usize, out: &mut Vec<Leaf>) {
    match (&node.value, value) {
        (TreeValue::Table(entries), Json::Object(members))
            if !members.is_empty() && depth < crate::tree::MAX_DEPTH =>
        {
            for (name, child) in entries {
                if let Some(member) = members.get(name) {
                    let mut deeper = path.clone();
                    deeper.push(name.clone());
                    walk(deeper, child, member, depth + 1, out);
                }
            }
        }
        _ => out.push(Leaf {
            path,
            value: value.clone(),
            span: node.key_span.clone().or_else(|| node.span.clone()),
            origin: Origin::Nixos,
        }),
    }
}

/// Calls `f` with every leaf of a binding the options pass built.
fn expr_leaves(path: &[String], value: &Expr, f: &mut dyn FnMut(Vec<String>, Json)) {
    match value {
        Expr::Attrs(bindings) if !bindings.is_empty() => {
            for binding in bindings {
                let mut deeper = path.to_vec();
                deeper.extend(binding.path.iter().cloned());
                expr_leaves(&deeper, &binding.value, f);
            }
        }
        other => f(path.to_vec(), literal(other)),
    }
}

/// The span of the spec key that writes the section option `path` (`services.openssh.ports` →
/// the `ports` key of `[services.openssh]`), found through the option table's `spec` column;
/// `None` when the option has no single key or the spec leaves it at its default.
pub fn spec_key_span(tree: &Node, path: &[String]) -> Option<Span> {
    let row = options::table::all().iter().find(|row| row.matches(path))?;
    // The names the option's placeholders stand for, in order (`users.users.<name>…`).
    let names: Vec<&str> = row
        .segments()
        .zip(path)
        .filter(|(own, _)| own.starts_with('<'))
        .map(|(_, name)| name.as_str())
        .collect();
    let key = row.spec_key.split([' ', '(']).next()?;
    let mut names = names.into_iter();
    let segments: Vec<Segment> = key
        .split('.')
        .map(|part| {
            let part = if part.starts_with('<') {
                names.next()?
            } else {
                part
            };
            Some(Segment::Key(part.to_owned()))
        })
        .collect::<Option<_>>()?;
    let node = tree.find(&segments)?;
    node.key_span.clone().or_else(|| node.span.clone())
}

/// The JSON form of a literal expression; anything computed is `Null`.
pub fn literal(expr: &Expr) -> Json {
    match expr {
        Expr::Bool(b) => Json::Bool(*b),
        Expr::Int(i) => Json::from(*i),
        Expr::Str(s) => Json::String(s.clone()),
        Expr::List(items) => Json::Array(items.iter().map(literal).collect()),
        Expr::Attrs(bindings) if bindings.is_empty() => Json::Object(serde_json::Map::new()),
        _ => Json::Null,
    }
}

/// The key spans of the document's tables one and two levels down (`[system]`,
/// `[users.alice]`), looked up by a section's title: one pass over the tree, so a spec with
/// thousands of users costs no more than one search per section.
struct SectionSpans(HashMap<(String, Option<String>), Option<Span>>);

impl SectionSpans {
    fn of(tree: &Node) -> Self {
        let mut spans = HashMap::new();
        if let TreeValue::Table(sections) = &tree.value {
            for (section, node) in sections {
                spans.insert(
                    (section.clone(), None),
                    node.key_span.clone().or(node.span.clone()),
                );
                if let TreeValue::Table(entries) = &node.value {
                    for (name, child) in entries {
                        spans.insert(
                            (section.clone(), Some(name.clone())),
                            child.key_span.clone().or(child.span.clone()),
                        );
                    }
                }
            }
        }
        Self(spans)
    }

    /// `[services.openssh]`, `[users."a b"]`, `[users]: login shells` → the span of that table.
    fn of_title(&self, title: &str) -> Option<Span> {
        let inner = title.strip_prefix('[')?.split(']').next()?;
        let key = match inner.split_once('.') {
            Some((section, rest)) => (section.to_owned(), Some(rest.trim_matches('"').to_owned())),
            None => (inner.to_owned(), None),
        };
        self.0.get(&key).cloned().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_keeps_only_what_it_can_read() {
        assert_eq!(literal(&Expr::Bool(true)), Json::Bool(true));
        assert_eq!(literal(&Expr::str("x")), Json::String("x".into()));
        assert_eq!(literal(&Expr::Var("pkgs")), Json::Null);
    }

    #[test]
    fn under_matches_prefixes_with_wildcards() {
        let leaf = Leaf {
            path: vec!["fileSystems".into(), "/".into(), "fsType".into()],
            value: Json::String("btrfs".into()),
            span: None,
            origin: Origin::Nixos,
        };
        assert!(leaf.under(&["fileSystems", "*", "fsType"]));
        assert!(leaf.under(&["fileSystems"]));
        assert!(!leaf.under(&["fileSystems", "*", "device"]));
        assert_eq!(leaf.dotted(), "fileSystems.\"/\".fsType");
    }
}
