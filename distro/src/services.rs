//! Services and desktops a spec can turn on, with the NixOS options they set.
//!
//! Loaded from `distro/catalog/services.toml`. The status of a service is about its NixOS
//! module (the systemd unit and everything it sets up), which can differ from the status of
//! the package it runs: a verified package whose module was never tried is an untested
//! service.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::status::Status;

/// Whether an entry is an ordinary system service or a graphical desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// A background system service (`services.*` or `virtualisation.*`).
    Service,
    /// A graphical desktop environment.
    Desktop,
}

/// One service or desktop.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Service {
    /// Name used in a spec, e.g. `openssh`, `podman`, `xfce`.
    pub name: String,
    /// Service or desktop.
    pub kind: ServiceKind,
    /// How well the NixOS module works on Asterinas NixOS.
    pub status: Status,
    /// NixOS option paths the compiler sets for it (`<name>` marks a user-chosen attribute).
    pub options: Vec<String>,
    /// nixpkgs attributes it runs (look them up in the package catalog for their status).
    #[serde(default)]
    pub packages: Vec<String>,
    /// Kernel capability ids (as in `aster-kernel`) it needs; for broken entries, the missing
    /// ones.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Why it is broken, in plain words.
    pub reason: Option<String>,
    /// For broken entries: a catalog service name or package attribute to use instead.
    pub alternative: Option<String>,
    /// Distro overlay that patches what it runs.
    pub overlay: Option<String>,
    /// Things that work differently from stock NixOS, one sentence each.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// True when it can only be turned on when installing, not by `nixos-rebuild` afterwards.
    #[serde(default)]
    pub install_time_only: bool,
    /// Anything else a user should know.
    pub note: Option<String>,
    /// Upstream Asterinas file the facts come from.
    pub source: String,
}

/// Checks the rules a service list must follow; returns the first broken one.
pub(crate) fn validate(services: &[Service]) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for service in services {
        let name = service.name.as_str();
        if !names.insert(name) {
            return Err(format!("duplicate service `{name}`"));
        }
        if service.options.is_empty() {
            return Err(format!("service `{name}` sets no NixOS options"));
        }
        if service.source.trim().is_empty() {
            return Err(format!("service `{name}` has an empty `source`"));
        }
        if service.status == Status::Broken
            && service
                .reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(format!("broken service `{name}` needs a `reason`"));
        }
    }
    Ok(())
}
