//! Linux namespace types and whether the kernel can create them, from `data/namespaces.toml`.

use serde::{Deserialize, Serialize};

/// One row of `data/namespaces.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Namespace {
    /// Short name: `mount`, `uts`, `ipc`, `cgroup`, `pid`, `net`, `user` or `time`.
    pub name: String,
    /// The `CLONE_NEW*` flag that creates or joins one.
    pub clone_flag: String,
    /// Whether unshare(2)/setns(2) accept the flag.
    pub supported: bool,
    /// What this means for software that wants the namespace.
    pub note: String,
    /// Upstream file the facts come from.
    pub source: String,
}
