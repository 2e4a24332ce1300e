//! The nixpkgs a rebuild is built from and the system it produced, as `apply` passes the one to
//! `nixos-rebuild` and records both in the generation.
//!
//! When the spec has a lock, the rebuild gets `-I nixpkgs=<store path of the locked tarball>`
//! (the CLI computes the path from the lock's hash and has `nix-prefetch-url` fetch and verify
//! it first), so `<nixpkgs/nixos>` and every `<nixpkgs>` in the configuration resolve to exactly
//! the locked tree, whatever `NIX_PATH` and the channels say.
//!
//! After a successful rebuild the built system is read from the link the action leaves under the
//! target's root: `run/current-system` after `test` and `switch` (which activate it now),
//! `nix/var/nix/profiles/system` after `boot` (which makes it the boot default without
//! activating it), and `./result` in the working directory after `build`. With `--target-host`
//! those links are on the other machine, so nothing is recorded.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// nixpkgs pinned by a lock, as a rebuild uses it and a generation records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Nixpkgs {
    /// The tarball's URL.
    pub url: String,
    /// The git revision, when the URL names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rev: Option<String>,
    /// The NAR hash of the unpacked tree, in Nix's base-32.
    pub sha256: String,
    /// Where the unpacked tree is in the Nix store (what `-I nixpkgs=` names).
    pub store_path: String,
}

impl Nixpkgs {
    /// The revision when known, else the URL: how listings name it.
    pub fn name(&self) -> &str {
        self.rev.as_deref().unwrap_or(&self.url)
    }
}

/// The store path of the system a successful `nixos-rebuild <action>` built, read from the link
/// the action leaves (see the module's documentation); `None` when the action leaves none here.
pub fn built_system(root: &Path, action: &str, remote: bool) -> Option<String> {
    if remote {
        return None;
    }
    let link = match action {
        "test" | "switch" => root.join("run/current-system"),
        "boot" => root.join("nix/var/nix/profiles/system"),
        "build" => PathBuf::from("result"),
        _ => return None,
    };
    resolve(root, &link)
}

/// Follows `link` until a link names an absolute path outside the links it went through: the
/// store path. Relative links (`system` → `system-42-link`) resolve beside the link.
fn resolve(root: &Path, link: &Path) -> Option<String> {
    let mut path = link.to_path_buf();
    for _ in 0..8 {
        let target = std::fs::read_link(&path).ok()?;
        if target.is_absolute() {
            let under_root = root.join(target.strip_prefix("/").ok()?);
            if std::fs::symlink_metadata(&under_root).is_ok_and(|m| m.file_type().is_symlink())
                && under_root != path
            {
                path = under_root;
                continue;
            }
            return Some(target.to_string_lossy().into_owned());
        }
        path = path.parent()?.join(target);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::built_system;
    use std::os::unix::fs::symlink;

    #[test]
    fn the_system_is_read_from_the_link_the_action_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("run")).unwrap();
        std::fs::create_dir_all(root.join("nix/var/nix/profiles")).unwrap();
        symlink(
            "/nix/store/aaa-nixos-system-a",
            root.join("run/current-system"),
        )
        .unwrap();
        symlink(
            "/nix/store/bbb-nixos-system-b",
            root.join("nix/var/nix/profiles/system-2-link"),
        )
        .unwrap();
        symlink("system-2-link", root.join("nix/var/nix/profiles/system")).unwrap();
        let test = built_system(root, "test", false);
        assert_eq!(test.as_deref(), Some("/nix/store/aaa-nixos-system-a"));
        let boot = built_system(root, "boot", false);
        assert_eq!(boot.as_deref(), Some("/nix/store/bbb-nixos-system-b"));
        assert_eq!(built_system(root, "test", true), None);
        assert_eq!(built_system(root, "dry-build", false), None);
    }
}
