//! `nixos-rebuild` actions and whether they work on Asterinas NixOS.
//!
//! Loaded from `distro/catalog/rebuild.toml`. `aster-config apply` uses this to pick its
//! default action (the one verified action) and to warn about the others.

use serde::{Deserialize, Serialize};

/// How well a `nixos-rebuild` action works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    /// Upstream tests it on Asterinas NixOS.
    Verified,
    /// Not tested upstream, but it does not touch the running system, so the kernel does not
    /// matter.
    Works,
    /// Nobody has tried it.
    Untested,
    /// Upstream says it does not work yet.
    Unsupported,
}

/// One `nixos-rebuild` action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct RebuildAction {
    /// The action word, e.g. `test` in `nixos-rebuild test`.
    pub name: String,
    /// How well it works.
    pub status: ActionStatus,
    /// True when it changes the running system now.
    pub activates: bool,
    /// True when it makes the new configuration the one the next boot starts.
    pub boot_default: bool,
    /// What it does, in one sentence.
    pub summary: String,
    /// Why it has this status.
    pub reason: String,
    /// Anything else a user should know.
    pub note: Option<String>,
    /// Upstream Asterinas file the facts come from.
    pub source: String,
}
