//! The spec, version 1: the typed form of an aster-config TOML file.
//!
//! These types are the single source of truth for the format. The JSON Schema (for editors and for
//! the shape check) is derived from them with `schemars`; the lowering pass deserializes a checked
//! document into them with `serde`. Every field has a `///` doc comment because it becomes the
//! hover text in editors. Keys are kebab-case, almost everything has a default, and unknown keys
//! are rejected (`deny_unknown_fields`).
//!
//! The spec is composable: [`Spec`] sections are independent tables, so a later fleet format can
//! merge a base spec and per-host specs table by table with a clear precedence.

mod kernel;
pub mod keys;
mod networking;
mod overrides;
mod services;
mod system;
mod users;
pub mod value;

pub use kernel::{Console, Init, Kernel, LogLevel};
pub use networking::{Firewall, Interface, Networking};
pub use overrides::Override;
pub use services::{
    Docker, HttpMode, Nginx, NginxSite, Openssh, PermitRootLogin, Podman, Postgresql, Prometheus,
    Redis, ServiceName, Services,
};
pub use system::System;
pub use users::{Shell, User};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only spec format version this aster-config reads and writes.
pub const CURRENT_SPEC_VERSION: u32 = 1;

/// An Asterinas NixOS system, described for aster-config.
///
/// Start with `aster-config init`, check with `aster-config check`, and compile with
/// `aster-config build SPEC -o DIR`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
#[schemars(title = "aster-config system spec")]
pub struct Spec {
    /// Version of this file's format. Only `1` exists today; newer aster-config releases migrate
    /// older versions.
    #[schemars(range(min = 1))]
    pub spec_version: Option<u32>,
    /// Host name, time zone, locale and NixOS state version.
    pub system: System,
    /// The Asterinas kernel: logging, console, init system, command-line parameters and build
    /// features.
    pub kernel: Kernel,
    /// Software to install from nixpkgs.
    pub packages: Packages,
    /// System services, each a table such as `[services.openssh]`.
    pub services: Services,
    /// A graphical desktop.
    pub desktop: Option<Desktop>,
    /// Login users, by name: `[users.alice]`.
    pub users: BTreeMap<String, User>,
    /// Name servers, firewall, DHCP and static addresses.
    pub networking: Networking,
    /// Patched or re-versioned packages, by overlay name: `[overrides.xfdesktop]`.
    pub overrides: BTreeMap<String, Override>,
    /// Escape hatch: any NixOS option by its path, for what the spec does not cover yet, e.g.
    /// `"services.redis.servers.cache.port" = 6380`. Values are TOML strings, numbers, booleans,
    /// arrays and tables.
    // In the order the options are first written (kept by the lowering pass, which reads the
    // order from the document), so `configuration.nix` lists them as the spec does.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub nixos: IndexMap<String, serde_json::Value>,
    /// Escape hatch: hand-written NixOS modules that sit beside the spec.
    pub imports: Imports,
}

/// Software to install.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Packages {
    /// nixpkgs attribute paths to install system-wide, e.g. `"git"` or `"xfce.mousepad"`.
    pub install: Vec<String>,
    /// Packages from `install` that are not verified on Asterinas NixOS and that you accept as
    /// they are: aster-config stops warning about them.
    pub allow_untested: Vec<String>,
}

/// The graphical desktop.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Desktop {
    /// Which desktop environment to run. Asterinas NixOS supports Xfce.
    pub environment: DesktopEnvironment,
}

/// The desktop environments aster-config can set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DesktopEnvironment {
    /// The Xfce desktop on the X server (framebuffer driver).
    Xfce,
}

/// Hand-written NixOS modules.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Imports {
    /// Paths of `.nix` modules, relative to the spec's folder (e.g. `"./extra.nix"`). They are
    /// copied into the output under `modules/` and imported by `configuration.nix`.
    pub modules: Vec<String>,
}
