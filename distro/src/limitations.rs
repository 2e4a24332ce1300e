//! Known unsupported or limited areas of Asterinas NixOS that users run into.
//!
//! Loaded from `distro/catalog/limitations.toml`. These explain diagnostics and go into the
//! generated documentation; the compiler's checks use packages, services and forced settings.

use serde::{Deserialize, Serialize};

/// Where a limitation lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitationArea {
    /// The Asterinas kernel itself.
    Kernel,
    /// Booting.
    Boot,
    /// The distro as a whole.
    Distro,
    /// NixOS machinery (activation, rebuild).
    Nixos,
    /// The Nix package manager.
    Nix,
    /// systemd and its units.
    Systemd,
    /// The graphical desktop.
    Desktop,
    /// Containers (podman).
    Containers,
    /// Individual applications.
    Apps,
}

/// How the limitation shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitationStatus {
    /// Not available (yet).
    Unsupported,
    /// Turned off by the distro.
    Disabled,
    /// Present but crashes or fails.
    Broken,
    /// Works around a problem instead of fixing it.
    Workaround,
    /// Replaced by a placeholder that does nothing.
    Stubbed,
    /// Accepted but has no effect.
    Ignored,
    /// Will never be supported by design.
    Never,
    /// Works only in part.
    Limited,
    /// Not ready for the purpose named.
    NotReady,
}

/// One known limitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Limitation {
    /// Where it lives.
    pub area: LimitationArea,
    /// What is limited, e.g. `seccomp` or `nixos-rebuild switch`.
    pub item: String,
    /// How it shows.
    pub status: LimitationStatus,
    /// What it means for a user, in plain words.
    pub detail: String,
    /// Kernel capability ids (as in `aster-kernel`) it is about, if any.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Upstream Asterinas file the facts come from.
    pub source: String,
}
