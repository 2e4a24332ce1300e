//! Services and desktops a spec can turn on, each identified by the NixOS option that turns
//! its module on.
//!
//! Read from `distro/catalog/services.toml` (at build time, see `source.rs`). Which further
//! options a spec sets is the compiler's business, not the catalog's. The status of a service
//! is about its NixOS module (the systemd unit and everything it sets up), which can differ
//! from the status of the package it runs: a verified package whose module was never tried is
//! an untested service.
//!
//! [`Service::name`] is the spec's name for the service; lookups by the module itself go
//! through [`Service::enable_option`]. Entries of kind [`ServiceKind::Module`] are NixOS modules
//! without a spec section (Samba, Tailscale, containerd, …): the compiler finds them by their
//! enable option wherever the final option set turns them on. An enable option may contain the
//! placeholder `<name>` for an attribute name the user chooses
//! (`services.redis.servers.<name>.enable`).

use serde::{Deserialize, Serialize};

use crate::status::Status;

/// Whether an entry is an ordinary system service or a graphical desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// A background system service (`services.*` or `virtualisation.*`).
    Service,
    /// A graphical desktop environment.
    Desktop,
    /// A NixOS module the spec has no section for, turned on through `[nixos]` or an imported
    /// module; its `name` is only a label for messages and `allow-untested`.
    Module,
}

impl ServiceKind {
    /// The kind as the CLI shows it: `service`, `desktop` or `NixOS module`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Desktop => "desktop",
            Self::Module => "NixOS module",
        }
    }
}

/// One service or desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Service {
    /// Name used in a spec, e.g. `openssh`, `podman`, `xfce`.
    pub name: String,
    /// Service or desktop.
    pub kind: ServiceKind,
    /// How well the NixOS module works on Asterinas NixOS.
    pub status: Status,
    /// The NixOS option whose `true` turns the module on, e.g. `services.openssh.enable`
    /// (as the compiler writes it: redis is `services.redis.servers."".enable`).
    pub enable: String,
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
    /// For install-time-only entries: how the distro starts it, from its Nix code, which is why
    /// it cannot be turned on later (the technical side of the first limitation).
    pub mechanism: Option<String>,
    /// Anything else a user should know.
    pub note: Option<String>,
    /// Upstream Asterinas file the facts come from.
    pub source: String,
}

impl Service {
    /// How well the lower-cased `query` matches (0 best): name, then enable option or packages.
    fn match_rank(&self, query: &str) -> Option<u8> {
        crate::search::name_rank(&[self.name.as_str()], query).or_else(|| {
            (self.enable.to_lowercase().contains(query)
                || self
                    .packages
                    .iter()
                    .any(|p| p.to_lowercase().contains(query)))
            .then_some(3)
        })
    }

    /// The NixOS option path whose `true` turns this service's module on.
    #[must_use]
    pub fn enable_option(&self) -> &str {
        &self.enable
    }
}

/// Entries matching `query` case-insensitively: by name (exact, then prefix, then substring), then
/// by the option that turns them on or the packages they run; ties in name order. An empty query
/// matches nothing.
pub(crate) fn search<'a>(services: &'a [Service], query: &str) -> Vec<&'a Service> {
    crate::search::ranked(services, query, Service::match_rank, |s| s.name.as_str())
}
