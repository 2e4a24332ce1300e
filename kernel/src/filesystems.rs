//! Filesystems the kernel knows about, from `data/filesystems.toml`.

use serde::{Deserialize, Serialize};

/// Whether and how a filesystem is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FsStatus {
    /// Registered with the VFS: mount(2) accepts its type name.
    Mountable,
    /// No such type; the kernel provides the behaviour itself (e.g. `/dev`).
    Emulated,
    /// Exists inside the kernel only (pipes, sockets, ...); never mountable.
    Internal,
    /// No driver at all.
    Unsupported,
}

impl FsStatus {
    /// The word the data file uses, e.g. `"mountable"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FsStatus::Mountable => "mountable",
            FsStatus::Emulated => "emulated",
            FsStatus::Internal => "internal",
            FsStatus::Unsupported => "unsupported",
        }
    }
}

/// One row of `data/filesystems.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filesystem {
    /// Catalog name, e.g. `ext2` or `cgroupfs`.
    pub name: String,
    /// Type string for mount(2) and `fileSystems.<path>.fsType`, when it has one.
    pub fs_type: Option<String>,
    /// Availability.
    pub status: FsStatus,
    /// Whether the kernel can mount it as the root filesystem (only ext2).
    pub can_be_root: bool,
    /// Whether mounting it needs a block device.
    pub needs_block_device: bool,
    /// What it is.
    pub summary: String,
    /// Upstream file the facts come from.
    pub source: String,
}
