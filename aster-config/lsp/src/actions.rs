//! Code actions: apply a did-you-mean, accept an untested package or service in
//! `allow-untested`, swap a plaintext password for a `hashed-password-file`, format the document.
//!
//! Suggestions the compiler made are applied as they are (their span and replacement); the other
//! edits change the document with `toml_edit`, which keeps comments, and replace it whole.

use crate::{document::Document, locate};
use aster_compiler::{Code, Diagnostic};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use toml_edit::{Array, DocumentMut, Item, Value};

/// The code actions for `range`.
pub fn actions(document: &Document, range: Range) -> Vec<CodeActionOrCommand> {
    let Ok(uri) = document.uri.parse::<Uri>() else {
        return Vec::new();
    };
    let start = document.index.offset(&document.text, range.start);
    let end = document.index.offset(&document.text, range.end);
    let mut found = Vec::new();
    for diagnostic in &document.checked.diagnostics {
        let Some(span) = diagnostic.primary_span() else {
            continue;
        };
        if span.end < start || span.start > end {
            continue;
        }
        let lsp_diagnostic = crate::diagnostics::convert(document, &uri, diagnostic);
        for (title, edit) in fixes(document, diagnostic) {
            found.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(workspace_edit(&uri, edit)),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    if let Some(edit) = format_edit(document) {
        found.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Format the document (aster-config fmt)".to_owned(),
            kind: Some(CodeActionKind::SOURCE),
            edit: Some(workspace_edit(&uri, edit)),
            ..CodeAction::default()
        }));
    }
    found
}

fn workspace_edit(uri: &Uri, edit: TextEdit) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
        ..WorkspaceEdit::default()
    }
}

/// The edits that fix one diagnostic, each with its title.
fn fixes(document: &Document, diagnostic: &Diagnostic) -> Vec<(String, TextEdit)> {
    let mut fixes = Vec::new();
    if let Some(suggestion) = &diagnostic.suggestion {
        fixes.push((
            format!(
                "Replace with `{}`",
                suggestion.replacement.trim_matches('"')
            ),
            TextEdit::new(
                document.index.range(&document.text, &suggestion.span),
                suggestion.replacement.clone(),
            ),
        ));
    }
    let spot = diagnostic
        .primary_span()
        .and_then(|s| locate::spot_at(&document.text, s.start));
    let Some(spot) = spot else { return fixes };
    let path: Vec<&str> = spot.path.iter().map(String::as_str).collect();
    match (diagnostic.code, path.as_slice()) {
        (Code::UntestedPackage, ["packages", ..]) => {
            if let Some((name, _)) = &spot.string {
                fixes.extend(allow_untested(document, "packages", name));
            }
        }
        (Code::UntestedService, ["services", name, ..]) => {
            fixes.extend(allow_untested(document, "services", name));
        }
        (Code::PlaintextPassword, ["users", user, key]) => {
            fixes.extend(hashed_password_file(document, user, key));
        }
        _ => {}
    }
    fixes
}

/// Replaces the whole document with `edited`.
fn whole(document: &Document, edited: &DocumentMut) -> TextEdit {
    let all = document
        .index
        .range(&document.text, &(0..document.text.len()));
    TextEdit::new(all, edited.to_string())
}

/// Adds `name` to `[section] allow-untested`.
fn allow_untested(document: &Document, section: &str, name: &str) -> Option<(String, TextEdit)> {
    let mut edited: DocumentMut = document.text.parse().ok()?;
    let table = edited.get_mut(section)?.as_table_like_mut()?;
    let list = table
        .entry("allow-untested")
        .or_insert(Item::Value(Value::Array(Array::new())));
    let array = list.as_array_mut()?;
    if array.iter().any(|v| v.as_str() == Some(name)) {
        return None;
    }
    array.push(name);
    Some((
        format!("Accept `{name}` as untested: add it to `{section}.allow-untested`"),
        whole(document, &edited),
    ))
}

/// Replaces a plaintext password of `user` with a `hashed-password-file`.
fn hashed_password_file(document: &Document, user: &str, key: &str) -> Option<(String, TextEdit)> {
    let mut edited: DocumentMut = document.text.parse().ok()?;
    let table = edited
        .get_mut("users")?
        .get_mut(user)?
        .as_table_like_mut()?;
    if table.contains_key("hashed-password-file") {
        return None;
    }
    // The comments of the replaced line (above it and after its value) stay with the new one.
    let (above, after) = table.get_key_value(key).map(|(k, item)| {
        (
            k.leaf_decor().prefix().cloned(),
            item.as_value().and_then(|v| v.decor().suffix().cloned()),
        )
    })?;
    table.remove(key)?;
    let file = format!("/etc/secrets/{user}.hash");
    let mut value = Value::from(file.clone());
    if let Some(after) = after {
        value.decor_mut().set_suffix(after);
    }
    table.insert("hashed-password-file", Item::Value(value));
    if let (Some(above), Some(mut new_key)) = (above, table.key_mut("hashed-password-file")) {
        new_key.leaf_decor_mut().set_prefix(above);
    }
    Some((
        format!(
            "Replace `{key}` with `hashed-password-file = \"{file}\"` (create it with `aster-config passwd {user}`)"
        ),
        whole(document, &edited),
    ))
}

/// The edit that formats the whole document, when it is not formatted yet.
pub fn format_edit(document: &Document) -> Option<TextEdit> {
    if document.text.len() > aster_compiler::MAX_SPEC_BYTES {
        return None;
    }
    let formatted = aster_compiler::format::format(&document.text).ok()?;
    (formatted != document.text).then(|| {
        let all = document
            .index
            .range(&document.text, &(0..document.text.len()));
        TextEdit::new(all, formatted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_fix_keeps_the_comments_of_the_replaced_line() {
        let text = "spec-version = 1\n[system]\nhostname = \"a\"\n\n[users.bob]\ngroups = [\"wheel\"]\n\
                    # bob's first password\npassword = \"hunter2\" # change me\n";
        let document = Document::new("file:///nowhere/spec.toml".to_owned(), text.to_owned());
        let all = document.index.range(text, &(0..text.len()));
        let new_text = actions(&document, all)
            .into_iter()
            .find_map(|action| match action {
                CodeActionOrCommand::CodeAction(a) if a.title.starts_with("Replace `password`") => {
                    a.edit?
                        .changes?
                        .into_values()
                        .next()?
                        .pop()
                        .map(|e| e.new_text)
                }
                _ => None,
            })
            .expect("a password fix");
        assert!(
            new_text.ends_with(
                "# bob's first password\nhashed-password-file = \"/etc/secrets/bob.hash\" # change me\n"
            ),
            "{new_text}"
        );
    }
}
