//! `[overrides.NAME]`: a patched or re-versioned nixpkgs package, compiled to an overlay.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One package override; its table name becomes `overlays/<name>.nix`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// The nixpkgs attribute path of the package, e.g. `"xfce.xfdesktop"`.
    pub attr: String,
    /// A new version string for the package.
    #[serde(default)]
    pub version: Option<String>,
    /// Patch files, relative to the spec's folder, applied after the package's own patches.
    #[serde(default)]
    pub patches: Vec<String>,
}
