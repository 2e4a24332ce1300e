//! Every string in the spec must be representable in Nix: no NUL characters anywhere, keys
//! included.

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::tree::{Node, Path, Segment, Value, display_path};

pub fn check(cx: &mut Context<'_>) {
    let mut found = Vec::new();
    walk(cx.tree, &mut Vec::new(), &mut found);
    for (path, span) in found {
        cx.report(
            Diagnostic::new(
                Code::Unrepresentable,
                format!(
                    "`{}` contains a NUL character, which Nix strings cannot hold",
                    display_path(&path)
                ),
            )
            .at(span, "contains \\u0000")
            .help("remove the NUL character"),
        );
    }
}

fn walk(node: &Node, path: &mut Path, found: &mut Vec<(Path, Option<crate::diagnostic::Span>)>) {
    match &node.value {
        Value::String(s) if s.contains('\0') => found.push((path.clone(), node.span.clone())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Segment::Index(index));
                walk(item, path, found);
                path.pop();
            }
        }
        Value::Table(entries) => {
            for (key, child) in entries {
                path.push(Segment::Key(key.clone()));
                if key.contains('\0') {
                    found.push((path.clone(), child.key_span.clone()));
                }
                walk(child, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}
