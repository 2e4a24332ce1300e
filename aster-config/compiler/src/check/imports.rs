//! `[imports]` modules, read as Nix: they must parse, the files they name by relative path travel
//! with them into the output, and the options they set literally join the final option set so the
//! capability rules see them.
//!
//! A module is copied to `modules/<file>`; a relative path such as `./hardening.nix` in it is read
//! from beside the module and copied to the same place relative to the copy, so the built tree
//! resolves it as the source tree did. A path that climbs above the module's folder, or one built
//! with `${…}`, cannot be copied faithfully and is refused. aster-config reads only literal option
//! paths (`services.samba.enable = true;`); where a module computes which options it sets
//! (`config = lib.mkIf …`, `${name}` keys, a module that is not an attribute set) it says so.
//!
//! A problem inside a module file is reported twice over: the spec's label points at the
//! `modules` entry that brings the file in, and the diagnostic's [`Elsewhere`] at the place in
//! the file itself. `imports = [ ./sub ]` names a folder's `default.nix`, as Nix reads it.

use super::Context;
use super::files::{self, Attachment, AttachmentKind, Attachments};
use super::final_options::{Leaf, Origin};
use crate::diagnostic::{Code, Diagnostic, Elsewhere, Span, line_column};
use crate::layout::module_output_path;
use crate::nix::{describe_parse_error, parse_error_range};
use crate::spec::keys;
use crate::tree::key_path;
use rnix::{SyntaxKind, SyntaxNode};
use serde_json::Value as Json;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Most files the relative paths of all modules may pull in (modules importing modules).
const MAX_MODULE_FILES: usize = 64;

/// One Nix file to read: where the spec names it and where its copy goes.
struct Pending {
    /// The index in `imports.modules` of the module that (maybe indirectly) brings it.
    index: usize,
    /// Path relative to the spec's folder.
    source: PathBuf,
    /// Path relative to the output folder.
    output: String,
    /// True for listed modules and files listed in an `imports` of one: their options count.
    module: bool,
    /// The bytes, read already (listed modules are read by the files check).
    bytes: Option<Vec<u8>>,
}

pub fn check(cx: &mut Context<'_>, attachments: &mut Attachments) {
    let mut queue: Vec<Pending> = Vec::new();
    for (index, module) in cx.spec.imports.modules.iter().enumerate() {
        let output = module_output_path(module);
        if let Some(attachment) = attachments
            .iter()
            .find(|a| a.kind == AttachmentKind::Module && a.output_path == output)
        {
            queue.push(Pending {
                index,
                source: PathBuf::from(module),
                output,
                module: true,
                bytes: Some(attachment.bytes.clone()),
            });
        }
    }
    let mut done = 0;
    while let Some(pending) = queue.pop() {
        done += 1;
        if done > MAX_MODULE_FILES {
            let here = key_path![keys::IMPORTS, keys::MODULES, pending.index];
            cx.report(
                Diagnostic::new(
                    Code::InvalidModule,
                    format!("the imported modules refer to more than {MAX_MODULE_FILES} files"),
                )
                .at(cx.span(&here), "too many files"),
            );
            return;
        }
        read_one(cx, attachments, pending, &mut queue);
    }
}

fn read_one(
    cx: &mut Context<'_>,
    attachments: &mut Attachments,
    pending: Pending,
    queue: &mut Vec<Pending>,
) {
    let here = key_path![keys::IMPORTS, keys::MODULES, pending.index].to_vec();
    let name = pending.source.display().to_string();
    let Some(bytes) = pending.bytes else { return };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(error) => {
            // Shown with the bad bytes replaced; the text before the first one is unchanged, so
            // the span points at its replacement character.
            let shown: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes));
            let at = error.valid_up_to();
            cx.report(
                Diagnostic::new(
                    Code::InvalidModule,
                    format!(
                        "`{}` is not UTF-8 text, so it cannot be a Nix file",
                        name.escape_debug()
                    ),
                )
                .at(cx.span(&here), "not a Nix file")
                .in_file(
                    &name,
                    &shown,
                    at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                    "not UTF-8",
                )
                .help("save the module as UTF-8 (most editors offer the encoding when saving)"),
            );
            return;
        }
    };
    let source: Arc<str> = Arc::from(text);
    let parsed = rnix::Root::parse(text);
    if let Some(error) = parsed.errors().first() {
        cx.report(
            Diagnostic::new(
                Code::InvalidModule,
                format!(
                    "`{}` is not valid Nix: {}",
                    name.escape_debug(),
                    describe_parse_error(error)
                ),
            )
            .at(cx.span(&here), "fails to parse")
            .in_file(
                &name,
                &source,
                parse_error_range(error, text),
                "the Nix parser stopped here",
            )
            .help("fix the module; `nix-instantiate --parse FILE` shows the same error"),
        );
        return;
    }
    let root = parsed.syntax();
    let file = File {
        name: &name,
        source: &source,
    };
    let imported = relative_paths(cx, &here, &file, &root, &pending.source, &pending.output);
    for (path, output, is_module, span) in imported {
        let at = file.at(span, "this path");
        if let Some(bytes) = files::read_dependency(cx, &path, &here, &at) {
            let source = path;
            attachments.push(Attachment {
                kind: AttachmentKind::ModuleFile,
                output_path: output.clone(),
                bytes: bytes.clone(),
            });
            if source.extension().is_some_and(|e| e == "nix") {
                queue.push(Pending {
                    index: pending.index,
                    source,
                    output,
                    module: is_module,
                    bytes: Some(bytes),
                });
            }
        }
    }
    if pending.module {
        options(cx, &here, &file, &root);
    }
}

/// A Nix file being read: its name (relative to the spec's folder) and its text.
struct File<'a> {
    name: &'a str,
    source: &'a Arc<str>,
}

impl File<'_> {
    /// The place `span` in this file, labelled `text`.
    fn at(&self, span: Span, text: &str) -> Elsewhere {
        Elsewhere {
            file: self.name.to_owned(),
            source: Arc::clone(self.source),
            span,
            text: text.to_owned(),
        }
    }
}

/// The relative paths a file uses: (source relative to the spec, output path, is it imported as
/// a module, its place in the file). A folder in an `imports` list stands for its `default.nix`,
/// as Nix reads it. Paths that cannot travel are reported.
fn relative_paths(
    cx: &mut Context<'_>,
    here: &[crate::tree::Segment],
    file: &File<'_>,
    root: &SyntaxNode,
    source: &Path,
    output: &str,
) -> Vec<(PathBuf, String, bool, Span)> {
    let mut found = Vec::new();
    let source_dir = source.parent().unwrap_or(Path::new(""));
    let output_dir = Path::new(output).parent().unwrap_or(Path::new(""));
    for node in root.descendants() {
        if node.kind() != SyntaxKind::NODE_PATH_REL {
            continue;
        }
        let literal = node.text().to_string();
        let span = span_of(&node);
        let refuse = |cx: &mut Context<'_>, why: &str| {
            cx.report(
                Diagnostic::new(
                    Code::InvalidModule,
                    format!(
                        "`{}` uses the path `{}`, which {why}",
                        file.name.escape_debug(),
                        literal.escape_debug()
                    ),
                )
                .at(cx.span(here), "refers to a file aster-config cannot copy")
                .elsewhere_at(file.at(span.clone(), "this path"))
                .help("keep the files a module uses in its own folder (or below it) and name them with plain relative paths such as ./hardening.nix"),
            );
        };
        if literal.contains("${") {
            refuse(
                cx,
                "is computed with `${…}`, so aster-config cannot tell which file to copy",
            );
            continue;
        }
        let Some(mut relative) = below(Path::new(&literal)) else {
            refuse(
                cx,
                "climbs above the module's folder; in the output the module sits in modules/",
            );
            continue;
        };
        let is_module = in_imports_list(&node);
        if is_module
            && cx
                .base_dir
                .is_some_and(|base| base.join(source_dir).join(&relative).is_dir())
        {
            relative.push("default.nix");
        }
        found.push((
            source_dir.join(&relative),
            output_dir.join(&relative).display().to_string(),
            is_module,
            span,
        ));
    }
    found
}

/// The bytes a syntax node covers.
fn span_of(node: &SyntaxNode) -> Span {
    let range = node.text_range();
    usize::from(range.start())..usize::from(range.end())
}

/// `./a/./b.nix` as `a/b.nix`; `None` when it climbs out (`../x`) or is empty.
fn below(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => out.push(part),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// True when the path is an item of the list bound to `imports`.
fn in_imports_list(node: &SyntaxNode) -> bool {
    let Some(list) = node.parent().filter(|p| p.kind() == SyntaxKind::NODE_LIST) else {
        return false;
    };
    let Some(binding) = list
        .parent()
        .filter(|p| p.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
    else {
        return false;
    };
    attr_names(&binding).is_some_and(|names| names == ["imports"])
}

/// The literal option paths a module sets, added to the final option set.
fn options(
    cx: &mut Context<'_>,
    here: &[crate::tree::Segment],
    file: &File<'_>,
    root: &SyntaxNode,
) {
    let text: &str = file.source;
    let name = file.name;
    let mut opaque: Vec<Span> = Vec::new();
    let mut leaves = Vec::new();
    let body = root.first_child().map(strip_wrappers);
    match body {
        Some(set) if set.kind() == SyntaxKind::NODE_ATTR_SET => {
            let config = bindings(&set)
                .find(|(names, _)| names.as_slice() == ["config"])
                .map(|(_, value)| strip_wrappers(value));
            let (top, skip_structure) = match config {
                Some(config) if config.kind() == SyntaxKind::NODE_ATTR_SET => (config, false),
                Some(config) => {
                    opaque.push(span_of(&config));
                    (set, true)
                }
                None => (set, true),
            };
            walk(&top, &[], skip_structure, &mut leaves, &mut opaque);
        }
        other => opaque.push(other.as_ref().map_or(0..0, span_of)),
    }
    let span = cx.span(here);
    for (path, value, at) in leaves {
        cx.leaves.push(Leaf {
            path,
            value,
            span: span.clone(),
            origin: Origin::Module(file.at(at, "set here")),
        });
    }
    if let Some(first) = opaque.first() {
        let places: Vec<String> = opaque
            .iter()
            .map(|at| {
                let (line, column) = line_column(text, at.start);
                format!("line {line}, column {column}")
            })
            .collect();
        cx.report(
            Diagnostic::new(
                Code::UnanalysedModule,
                format!(
                    "aster-config cannot see every option `{}` sets ({})",
                    name.escape_debug(),
                    places.join("; ")
                ),
            )
            .at(cx.span(here), "partly computed")
            .elsewhere_at(file.at(first.clone(), "computed here"))
            .help("options set there (through lib.mkIf, lib.mkMerge, `${…}` names or a function) are not checked against what Asterinas supports; write them as literal `a.b.c = value;` bindings to have them checked"),
        );
    }
}

type Found = (Vec<String>, Json, Span);

fn walk(
    set: &SyntaxNode,
    prefix: &[String],
    skip_structure: bool,
    leaves: &mut Vec<Found>,
    opaque: &mut Vec<Span>,
) {
    for child in set.children() {
        let at = span_of(&child);
        if child.kind() == SyntaxKind::NODE_INHERIT {
            continue;
        }
        if child.kind() != SyntaxKind::NODE_ATTRPATH_VALUE {
            continue;
        }
        let Some(names) = attr_names(&child) else {
            opaque.push(at);
            continue;
        };
        // At the top of a module: its structure, and a computed `config` (already reported).
        if skip_structure
            && prefix.is_empty()
            && (names[0] == "config" || super::MODULE_STRUCTURE.contains(&names[0].as_str()))
        {
            continue;
        }
        let Some(value) = child.children().nth(1).map(strip_wrappers) else {
            continue;
        };
        let mut path = prefix.to_vec();
        path.extend(names);
        if value.kind() == SyntaxKind::NODE_ATTR_SET && value.children().next().is_some() {
            walk(&value, &path, false, leaves, opaque);
            continue;
        }
        let literal = literal(&value);
        if literal.is_null() && path.len() <= 2 {
            opaque.push(at.clone()); // `services = lib.mkIf …`: which options is unknown
        }
        leaves.push((path, literal, at));
    }
}

/// The bindings of an attribute set with literal names.
fn bindings(set: &SyntaxNode) -> impl Iterator<Item = (Vec<String>, SyntaxNode)> + '_ {
    set.children()
        .filter(|c| c.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
        .filter_map(|c| Some((attr_names(&c)?, c.children().nth(1)?)))
}

/// The names of a binding's attribute path, when all are literal.
fn attr_names(binding: &SyntaxNode) -> Option<Vec<String>> {
    let attrpath = binding
        .children()
        .find(|c| c.kind() == SyntaxKind::NODE_ATTRPATH)?;
    attrpath
        .children()
        .map(|attr| match attr.kind() {
            SyntaxKind::NODE_IDENT => Some(attr.text().to_string()),
            SyntaxKind::NODE_STRING => plain_string(&attr),
            _ => None,
        })
        .collect()
}

/// The text of a `"…"` string without interpolation, escapes undone; `None` for anything else
/// (interpolated or indented strings).
fn plain_string(node: &SyntaxNode) -> Option<String> {
    if !node.text().to_string().starts_with('"')
        || node
            .children()
            .any(|c| c.kind() == SyntaxKind::NODE_INTERPOL)
    {
        return None;
    }
    let mut text = String::new();
    for token in node
        .children_with_tokens()
        .filter_map(rnix::NodeOrToken::into_token)
    {
        if token.kind() == SyntaxKind::TOKEN_STRING_CONTENT {
            text.push_str(token.text());
        }
    }
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                other => out.push(other),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// `(x)`, `lib.mkForce x` and `lib.mkDefault x` read as `x`; lambdas and `let … in` as their body.
fn strip_wrappers(node: SyntaxNode) -> SyntaxNode {
    let mut node = node;
    loop {
        let next = match node.kind() {
            SyntaxKind::NODE_PAREN | SyntaxKind::NODE_LAMBDA | SyntaxKind::NODE_LET_IN => {
                node.children().last()
            }
            SyntaxKind::NODE_APPLY => {
                let mut children = node.children();
                let function = children.next().map(|f| f.text().to_string());
                let plain = function
                    .is_some_and(|f| matches!(f.rsplit('.').next(), Some("mkForce" | "mkDefault")));
                if plain { children.next() } else { None }
            }
            _ => None,
        };
        match next {
            Some(inner) => node = inner,
            None => return node,
        }
    }
}

/// The JSON form of a literal value; `Null` for anything computed.
fn literal(node: &SyntaxNode) -> Json {
    match node.kind() {
        SyntaxKind::NODE_IDENT => match node.text().to_string().as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::Null,
        },
        SyntaxKind::NODE_LITERAL => node
            .text()
            .to_string()
            .parse::<i64>()
            .map_or(Json::Null, Json::from),
        SyntaxKind::NODE_STRING => plain_string(node).map_or(Json::Null, Json::String),
        SyntaxKind::NODE_LIST => Json::Array(
            node.children()
                .map(|c| literal(&strip_wrappers(c)))
                .collect(),
        ),
        SyntaxKind::NODE_ATTR_SET if node.children().next().is_none() => {
            Json::Object(serde_json::Map::new())
        }
        _ => Json::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_keeps_paths_inside_the_folder() {
        assert_eq!(
            below(Path::new("./a/./b.nix")),
            Some(PathBuf::from("a/b.nix"))
        );
        assert_eq!(
            below(Path::new("./a/../b.nix")),
            Some(PathBuf::from("b.nix"))
        );
        assert_eq!(below(Path::new("../b.nix")), None);
        assert_eq!(below(Path::new("./.")), None);
    }
}
