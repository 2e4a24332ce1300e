//! The plan: what an apply or rollback would change, as a semantic summary and per-file diffs.
//!
//! Only managed paths appear: the files the installed generation owns and the files the new set
//! writes. A file aster-config does not own is never listed as removed; when the new set writes
//! a path that holds a file aster-config did not write (the installer's `configuration.nix`), the
//! plan says it takes that file over and keeps a copy as a generation.

use super::files::FileSet;
use super::summary::SpecChanges;
use similar::TextDiff;
use std::collections::BTreeSet;

/// What happens to one managed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChangeKind {
    /// Written where there was no file.
    Added,
    /// Replaced with different contents.
    Modified,
    /// An owned file the new set no longer has: deleted.
    Removed,
    /// Already as wanted.
    Unchanged,
}

/// Why a replaced file deserves a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileNote {
    /// The file there was not written by aster-config; it is kept in a found generation.
    TakesOver,
    /// The file was edited by hand since its generation was installed; the edit is kept.
    HandEdited(u32),
}

/// One managed path in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to `/etc/nixos`.
    pub path: String,
    /// What happens to it.
    pub kind: FileChangeKind,
    /// A note for a replaced file.
    pub note: Option<FileNote>,
    /// Its contents now.
    pub before: Option<Vec<u8>>,
    /// Its contents after.
    pub after: Option<Vec<u8>>,
}

impl FileChange {
    /// A unified diff (`--- a/PATH`, `+++ b/PATH`), or one line for a binary file; empty when
    /// unchanged.
    pub fn unified_diff(&self) -> String {
        if self.kind == FileChangeKind::Unchanged {
            return String::new();
        }
        let text = |bytes: &Option<Vec<u8>>| match bytes {
            None => Some(String::new()),
            Some(bytes) => String::from_utf8(bytes.clone()).ok(),
        };
        let (Some(before), Some(after)) = (text(&self.before), text(&self.after)) else {
            return format!("Binary file {} differs\n", self.path);
        };
        let old_name = if self.before.is_some() {
            format!("a/{}", self.path)
        } else {
            "/dev/null".to_owned()
        };
        let new_name = if self.after.is_some() {
            format!("b/{}", self.path)
        } else {
            "/dev/null".to_owned()
        };
        let diff = TextDiff::from_lines(&before, &after);
        let mut out = diff
            .unified_diff()
            .context_radius(3)
            .missing_newline_hint(true)
            .header(&old_name, &new_name)
            .to_string();
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

/// What the previous state is, for the summary's heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// No generation is installed: compared with the empty spec.
    Nothing,
    /// The installed generation holds found files, without a spec: compared with the empty spec.
    Found(u32),
    /// The installed generation's spec.
    Spec {
        /// The generation.
        number: u32,
        /// Its spec file name.
        name: Option<String>,
    },
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// What the summary compares with.
    pub baseline: Baseline,
    /// The semantic summary.
    pub changes: SpecChanges,
    /// Every managed path, sorted.
    pub files: Vec<FileChange>,
    /// Things to know before applying (missing distro files, leftovers of interrupted runs).
    pub warnings: Vec<String>,
    /// Install-time-only entries the new spec adds to a running system; `apply` refuses them.
    pub install_time: Vec<super::install_time::InstallTimeOnly>,
}

impl Plan {
    /// True when some managed file would change.
    pub fn changes_files(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.kind != FileChangeKind::Unchanged)
    }

    /// The managed paths whose contents change, sorted.
    pub fn changed_paths(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.kind != FileChangeKind::Unchanged)
            .map(|f| f.path.as_str())
            .collect()
    }

    /// One line for `aster-config generations`: the spec's changes, or, when no setting of the
    /// spec changed but files did (an imported module, a patch), the files that changed.
    pub fn one_line(&self) -> String {
        let changed = self.changed_paths();
        if self.changes.is_empty() && !changed.is_empty() {
            format!("files changed: {}", changed.join(", "))
        } else {
            self.changes.one_line()
        }
    }

    /// Compares the installed managed files with `desired`.
    ///
    /// `owned` are the paths the installed generation owns; `recorded` their contents as
    /// recorded in that generation (to tell hand edits apart); `installed` what is on disk now at
    /// `owned ∪ desired`.
    pub fn files(
        owned: &BTreeSet<String>,
        recorded: Option<(u32, &super::files::Hashes)>,
        installed: &FileSet,
        desired: &FileSet,
    ) -> Vec<FileChange> {
        let paths: BTreeSet<&String> = owned.iter().chain(desired.keys()).collect();
        let mut changes = Vec::new();
        for path in paths {
            let before = installed.get(path).cloned();
            let after = desired.get(path).cloned();
            let kind = match (&before, &after) {
                (None, None) => continue,
                (None, Some(_)) => FileChangeKind::Added,
                (Some(_), None) => FileChangeKind::Removed,
                (Some(a), Some(b)) if a == b => FileChangeKind::Unchanged,
                (Some(_), Some(_)) => FileChangeKind::Modified,
            };
            let note = match (kind, &before) {
                (FileChangeKind::Modified | FileChangeKind::Removed, Some(bytes)) => {
                    if owned.contains(path) {
                        recorded.and_then(|(number, hashes)| {
                            let now = aster_compiler::sha256_hex(bytes);
                            (hashes.get(path) != Some(&now)).then_some(FileNote::HandEdited(number))
                        })
                    } else {
                        Some(FileNote::TakesOver)
                    }
                }
                _ => None,
            };
            changes.push(FileChange {
                path: path.clone(),
                kind,
                note,
                before,
                after,
            });
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::{FileChangeKind, FileNote, Plan};
    use crate::files::{FileSet, hashes};
    use std::collections::BTreeSet;

    #[test]
    fn unowned_files_are_taken_over_never_removed() {
        let installed = FileSet::from([
            ("configuration.nix".to_owned(), b"old\n".to_vec()),
            ("overlays/gone.nix".to_owned(), b"x\n".to_vec()),
        ]);
        let owned = BTreeSet::from(["overlays/gone.nix".to_owned()]);
        let recorded = hashes(&FileSet::from([(
            "overlays/gone.nix".to_owned(),
            b"x\n".to_vec(),
        )]));
        let desired = FileSet::from([("configuration.nix".to_owned(), b"new\n".to_vec())]);
        let files = Plan::files(&owned, Some((1, &recorded)), &installed, &desired);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].kind, FileChangeKind::Modified);
        assert_eq!(files[0].note, Some(FileNote::TakesOver));
        assert_eq!(files[1].kind, FileChangeKind::Removed);
        assert_eq!(files[1].note, None);
        assert_eq!(
            files[0].unified_diff(),
            "--- a/configuration.nix\n+++ b/configuration.nix\n@@ -1 +1 @@\n-old\n+new\n"
        );
    }
}
