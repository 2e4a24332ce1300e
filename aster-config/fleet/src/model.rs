//! The fleet file, typed: pins, the default spec, deploy settings and the hosts.
//!
//! These types are both what [`crate::read`] builds from a fleet file and the source of the
//! fleet file's JSON Schema (`schema/aster-fleet.schema.json`, derived with `schemars`), so the
//! schema documents exactly the keys the reader accepts. A test compares the two.

use crate::layer::At;
use schemars::JsonSchema;
use serde::Serialize;

/// The only fleet-file format version there is.
pub const FLEET_VERSION: i64 = 1;

/// Seconds a host waits for the deployer before it goes back to its previous generation.
pub const DEFAULT_ROLLBACK_TIMEOUT: u32 = 120;

/// A fleet of Asterinas NixOS machines: one shared base, small per-host differences.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(title = "aster-config fleet file")]
pub struct FleetFile {
    /// Version of the fleet-file format. Only `1` exists.
    pub fleet_version: i64,
    /// A line describing the fleet (shown in the hive's `meta.description`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where nixpkgs (and colmena, for the flake) come from. `aster-config lock` pins them.
    pub pins: Pins,
    /// The spec every host starts from.
    #[serde(default)]
    pub defaults: Defaults,
    /// How `aster-config fleet apply` deploys.
    #[serde(default)]
    pub deploy: DeploySettings,
    /// The machines, one `[[host]]` table each.
    pub host: Vec<Host>,
}

/// Tarball URLs of the sources every host is built from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pins {
    /// A nixpkgs tarball, e.g.
    /// `https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz`
    /// (the revision upstream Asterinas NixOS uses).
    pub nixpkgs: String,
    /// A colmena source tarball, for the flake's `colmenaHive` output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colmena: Option<String>,
}

/// The base layer of every host.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Defaults {
    /// A spec file (relative to the fleet file) every host starts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// Spec settings every host starts from, on top of `spec` (any spec key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Deploy settings shared by all hosts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DeploySettings {
    /// Seconds a host waits, after activation, for the deployer to reach it again; when nobody
    /// does, the host goes back to its previous generation by itself.
    #[schemars(range(min = 10, max = 86400))]
    pub rollback_timeout: u32,
}

impl Default for DeploySettings {
    fn default() -> Self {
        Self {
            rollback_timeout: DEFAULT_ROLLBACK_TIMEOUT,
        }
    }
}

/// One machine.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Host {
    /// The host's name: its colmena node, its folder under `hosts/`, and its `system.hostname`
    /// unless a layer sets one. Lower-case letters, digits and `-`.
    pub name: String,
    /// The host's own spec file (relative to the fleet file), on top of the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// Spec settings on top of everything else (any spec key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
    /// Where to deploy: `host` or `user@host` (SSH). Default: the host's name, user `root`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The SSH port. Default: 22, or what your SSH configuration says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: Option<u16>,
    /// Tags, for `--on @tag`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Dotted paths of lists that this host's layers add to instead of replacing
    /// (e.g. `packages.install`).
    #[serde(default)]
    pub append: Vec<String>,
    /// Commands run on the host after activation; any failure puts it back.
    #[serde(default)]
    pub health: Vec<HealthCheck>,
}

/// A command run on the host after activation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HealthCheck {
    /// A short name shown in the summary.
    pub name: String,
    /// A shell command run on the host (through `colmena exec`); exit 0 means healthy.
    pub command: String,
}

/// A fleet file as read: the typed values plus where each was written.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// The fleet file's index in [`crate::Files`].
    pub file: usize,
    /// The values.
    pub value: FleetFile,
    /// Where `pins.nixpkgs` and `pins.colmena` are written.
    pub pin_at: PinPlaces,
    /// The default layers: the spec file (if any) and the inline settings.
    pub defaults: Vec<crate::layer::Table>,
    /// Per host (same order as `value.host`): places and layers.
    pub hosts: Vec<HostPlaces>,
}

/// Where the pins are written.
#[derive(Debug, Clone, Default)]
pub struct PinPlaces {
    /// `pins.nixpkgs`.
    pub nixpkgs: Option<At>,
    /// `pins.colmena`.
    pub colmena: Option<At>,
}

/// Where a host's values are written, and its own layers.
#[derive(Debug, Clone)]
pub struct HostPlaces {
    /// The `name` value.
    pub name: Option<At>,
    /// The `target` value.
    pub target: Option<At>,
    /// Each tag.
    pub tags: Vec<Option<At>>,
    /// Each `append` path.
    pub append: Vec<Option<At>>,
    /// The host's layers above the defaults: its spec file, then its inline settings.
    pub layers: Vec<crate::layer::Table>,
}
