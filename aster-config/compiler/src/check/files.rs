//! Files the spec refers to — override patches and `[imports]` modules — resolved, confined to
//! the spec's folder, and read once.
//!
//! A reference must be relative, must not climb out of the spec's folder (also not through a
//! symbolic link), and must name an existing regular file. Each becomes an [`Attachment`] with the
//! bytes to copy and its place in the output.

use super::Context;
use crate::diagnostic::{Code, Diagnostic, Elsewhere};
use crate::layout::{module_output_path, patch_output_path};
use crate::spec::keys;
use crate::tree::Path as TreePath;
use crate::tree::key_path;
use crate::util::read::{Capped, FileAt, read_capped};
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// Largest file the spec may refer to (8 MiB).
pub const MAX_ATTACHMENT_BYTES: u64 = 8 * 1024 * 1024;

/// What an attached file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// A patch of an override.
    Patch,
    /// A hand-written NixOS module from `[imports]`.
    Module,
    /// A file an imported module names by relative path (`./hardening.nix`), copied beside it.
    ModuleFile,
}

/// A file copied into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// What it is.
    pub kind: AttachmentKind,
    /// Where it goes, relative to the output folder.
    pub output_path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// All attached files, in spec order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attachments(Vec<Attachment>);

impl Attachments {
    /// The attachments.
    pub fn iter(&self) -> std::slice::Iter<'_, Attachment> {
        self.0.iter()
    }

    /// Adds a file, unless one with the same output path is there already (a module file two
    /// modules share is copied once).
    pub(super) fn push(&mut self, attachment: Attachment) {
        if !self
            .0
            .iter()
            .any(|a| a.output_path == attachment.output_path)
        {
            self.0.push(attachment);
        }
    }
}

impl<'a> IntoIterator for &'a Attachments {
    type Item = &'a Attachment;
    type IntoIter = std::slice::Iter<'a, Attachment>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

pub fn collect(cx: &mut Context<'_>) -> Attachments {
    let mut attachments = Attachments::default();
    let mut taken: BTreeMap<String, TreePath> = BTreeMap::new();
    let mut wanted = Vec::new();
    for (name, over) in &cx.spec.overrides {
        for (index, patch) in over.patches.iter().enumerate() {
            wanted.push((
                AttachmentKind::Patch,
                patch.clone(),
                patch_output_path(name, patch),
                key_path![keys::OVERRIDES, name, keys::PATCHES, index].to_vec(),
            ));
        }
    }
    for (index, module) in cx.spec.imports.modules.iter().enumerate() {
        wanted.push((
            AttachmentKind::Module,
            module.clone(),
            module_output_path(module),
            key_path![keys::IMPORTS, keys::MODULES, index].to_vec(),
        ));
    }
    for (kind, reference, output_path, here) in wanted {
        if kind == AttachmentKind::Module
            && Path::new(&reference).extension().is_none_or(|e| e != "nix")
        {
            cx.report(
                Diagnostic::new(
                    Code::BadFormat,
                    format!(
                        "`{}` is not a Nix module file (it does not end in .nix)",
                        reference.escape_debug()
                    ),
                )
                .at(cx.span(&here), "expected a .nix file"),
            );
            continue;
        }
        if let Some(first) = taken.get(&output_path) {
            let first = first.clone();
            cx.report(
                Diagnostic::new(
                    Code::Conflict,
                    format!("two referenced files would both be copied to `{output_path}`"),
                )
                .at(cx.span(&here), "same file name")
                .also(cx.span(&first), "as this one")
                .help("rename one of the files"),
            );
            continue;
        }
        if let Some(bytes) = read_confined(cx, &reference, &here) {
            taken.insert(output_path.clone(), here);
            attachments.0.push(Attachment {
                kind,
                output_path,
                bytes,
            });
        }
    }
    attachments
}

/// Reads a file an imported module refers to (`source` relative to the spec's folder), confined
/// like every other reference; problems are reported at `here`, the module's entry, and at `from`,
/// the path in the module that names the file.
pub(super) fn read_dependency(
    cx: &mut Context<'_>,
    source: &Path,
    here: &[crate::tree::Segment],
    from: &Elsewhere,
) -> Option<Vec<u8>> {
    let reference = source.to_str()?.to_owned();
    let before = cx.diagnostics.len();
    let bytes = read_confined(cx, &reference, &here.to_vec());
    for diagnostic in cx.diagnostics.tail_mut(before) {
        diagnostic.elsewhere = Some(from.clone());
    }
    bytes
}

fn read_confined(cx: &mut Context<'_>, reference: &str, here: &TreePath) -> Option<Vec<u8>> {
    let relative = Path::new(reference);
    let escapes = relative.is_absolute()
        || relative.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
    if escapes || reference.is_empty() {
        cx.report(
            Diagnostic::new(
                Code::PathEscapes,
                format!(
                    "`{}` must be a relative path inside the spec's folder",
                    reference.escape_debug()
                ),
            )
            .at(
                cx.span(here),
                if relative.is_absolute() {
                    "absolute path"
                } else {
                    "leaves the spec's folder"
                },
            )
            .help("copy the file next to the spec (e.g. into patches/) and refer to it relatively"),
        );
        return None;
    }
    let Some(base) = cx.base_dir else {
        cx.report(
            Diagnostic::new(
                Code::MissingFile,
                format!(
                    "`{}` cannot be found: the spec was read from standard input",
                    reference.escape_debug()
                ),
            )
            .at(cx.span(here), "no folder to look in")
            .help("pass the spec as a file path"),
        );
        return None;
    };
    let Ok(base) = base.canonicalize() else {
        return missing(cx, reference, here);
    };
    let Ok(resolved) = base.join(relative).canonicalize() else {
        return missing(cx, reference, here);
    };
    if !resolved.starts_with(&base) {
        cx.report(
            Diagnostic::new(
                Code::PathEscapes,
                format!(
                    "`{}` is a symbolic link that leads out of the spec's folder",
                    reference.escape_debug()
                ),
            )
            .at(cx.span(here), format!("points to {}", sanitize(&resolved)))
            .help("copy the file itself into the spec's folder"),
        );
        return None;
    }
    let metadata = std::fs::metadata(&resolved).ok()?;
    if !metadata.is_file() {
        return missing(cx, reference, here);
    }
    if metadata.len() > MAX_ATTACHMENT_BYTES {
        cx.report(
            Diagnostic::new(
                Code::FileTooLarge,
                format!(
                    "`{}` is larger than {MAX_ATTACHMENT_BYTES} bytes",
                    reference.escape_debug()
                ),
            )
            .at(cx.span(here), "too large"),
        );
        return None;
    }
    // Bounded again while reading: the file may have grown since `metadata`.
    let read = read_capped(FileAt(&resolved), MAX_ATTACHMENT_BYTES);
    match read.and_then(Capped::whole) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            cx.report(
                Diagnostic::new(
                    Code::MissingFile,
                    format!("`{}` cannot be read: {error}", reference.escape_debug()),
                )
                .at(cx.span(here), "unreadable"),
            );
            None
        }
    }
}

fn missing(cx: &mut Context<'_>, reference: &str, here: &TreePath) -> Option<Vec<u8>> {
    cx.report(
        Diagnostic::new(
            Code::MissingFile,
            format!(
                "`{}` does not exist or is not a regular file",
                reference.escape_debug()
            ),
        )
        .at(cx.span(here), "file not found")
        .help("paths are relative to the folder that holds the spec"),
    );
    None
}

fn sanitize(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
