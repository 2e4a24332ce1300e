//! Cargo features of the upstream kernel crate, from `data/features.toml`.

use serde::{Deserialize, Serialize};

use crate::Arch;

/// One row of `data/features.toml`: a build feature of the kernel.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// Feature name, e.g. `cvm_guest`.
    pub name: String,
    /// Whether it is on unless default features are turned off.
    pub default: bool,
    /// Architectures it applies to.
    pub arches: Vec<Arch>,
    /// OSDK scheme that turns it on, if any.
    pub scheme: Option<String>,
    /// What it builds in.
    pub description: String,
    /// Caveats, if any.
    pub note: Option<String>,
    /// Upstream file the facts come from.
    pub source: String,
}
