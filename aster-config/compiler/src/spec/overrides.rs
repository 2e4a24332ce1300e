//! `[overrides.NAME]`: a patched or re-versioned nixpkgs package, compiled to an overlay.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One package override; its table name becomes `overlays/<name>.nix`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// The nixpkgs attribute path of the package, e.g. `"xfce.xfdesktop"`.
    pub attr: String,
    /// A new version string for the package. It needs `src-url` and `src-hash`: a version
    /// without its source would only relabel the old source.
    #[serde(default)]
    pub version: Option<String>,
    /// Where the source of `version` is downloaded from (`https://…`, `http://…` or
    /// `mirror://…`), fetched with `fetchurl`, e.g.
    /// `"https://ftpmirror.gnu.org/hello/hello-2.12.3.tar.gz"`.
    #[serde(default)]
    pub src_url: Option<String>,
    /// The SRI hash of the file at `src-url`, e.g. `"sha256-…="`
    /// (`nix hash to-sri --type sha256 $(nix-prefetch-url URL)` prints it).
    #[serde(default)]
    pub src_hash: Option<String>,
    /// Patch files, relative to the spec's folder, applied after the package's own patches.
    #[serde(default)]
    pub patches: Vec<String>,
}
