//! CPU architectures: the [`Arch`] names used across the catalog and the per-architecture
//! support facts in `data/architectures.toml`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A CPU architecture, named as the kernel build and the spec spell it.
// With the `schema` feature it derives `schemars::JsonSchema`; each variant's doc comment is the
// hover text an editor shows for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// 64-bit x86 (nixpkgs `x86_64-linux`). Tier 1 upstream, and the only architecture with an
    /// Asterinas NixOS installer image.
    X86_64,
    /// 64-bit RISC-V (nixpkgs `riscv64-linux`). Tier 2 upstream: the kernel builds and passes
    /// basic tests, but no Asterinas NixOS image is published.
    Riscv64,
    /// 64-bit `LoongArch` (nixpkgs `loongarch64-linux`). Tier 3 upstream (experimental); no
    /// Asterinas NixOS image is published.
    Loongarch64,
    /// 64-bit ARM (nixpkgs `aarch64-linux`). Named by the tooling, but the Asterinas kernel has
    /// no port, so nothing can be built for it.
    Aarch64,
}

impl Arch {
    /// Every architecture the catalog knows, in catalog order.
    pub const ALL: [Arch; 4] = [
        Arch::X86_64,
        Arch::Riscv64,
        Arch::Loongarch64,
        Arch::Aarch64,
    ];

    /// The architecture's name, e.g. `"x86_64"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Riscv64 => "riscv64",
            Arch::Loongarch64 => "loongarch64",
            Arch::Aarch64 => "aarch64",
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for [`Arch::from_str`]: the text names no known architecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownArch(pub String);

impl fmt::Display for UnknownArch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown architecture `{}` (expected x86_64, riscv64, loongarch64 or aarch64)",
            self.0
        )
    }
}

impl std::error::Error for UnknownArch {}

impl FromStr for Arch {
    type Err = UnknownArch;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Arch::ALL
            .into_iter()
            .find(|arch| arch.as_str() == text)
            .ok_or_else(|| UnknownArch(text.to_owned()))
    }
}

/// How far upstream supports an architecture (the book's deployment tiers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Tier {
    /// Fully supported; CI runs the full test suite on every pull request.
    #[serde(rename = "tier-1")]
    Tier1,
    /// Basic functionality works; CI runs build and basic tests.
    #[serde(rename = "tier-2")]
    Tier2,
    /// Experimental: boots and does basic operations; limited CI.
    #[serde(rename = "tier-3")]
    Tier3,
    /// The kernel cannot be built for it.
    #[serde(rename = "unsupported")]
    Unsupported,
}

impl Tier {
    /// The word the data file uses, e.g. `"tier-1"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Tier1 => "tier-1",
            Tier::Tier2 => "tier-2",
            Tier::Tier3 => "tier-3",
            Tier::Unsupported => "unsupported",
        }
    }
}

/// One row of `data/architectures.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Architecture {
    /// The architecture.
    pub name: Arch,
    /// The nixpkgs platform string, e.g. `x86_64-linux`.
    pub nixos_platform: String,
    /// The Rust target the kernel is built for; `None` when there is no kernel port.
    pub rust_target: Option<String>,
    /// Upstream support tier.
    pub tier: Tier,
    /// Whether Asterinas NixOS can be installed on it (a published ISO exists).
    pub distro_supported: bool,
    /// What else a newcomer should know.
    pub note: String,
    /// Upstream file the facts come from.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_from_str() {
        for arch in Arch::ALL {
            assert_eq!(arch.as_str().parse::<Arch>(), Ok(arch));
        }
        assert_eq!("arm64".parse::<Arch>(), Err(UnknownArch("arm64".into())));
    }

    #[cfg(feature = "schema")]
    #[test]
    fn schema_lists_the_serde_names_with_hover_docs() {
        let schema = serde_json::to_value(schemars::schema_for!(Arch)).expect("schema is JSON");
        let variants = schema["oneOf"]
            .as_array()
            .expect("one subschema per documented variant");
        let names: Vec<&str> = variants
            .iter()
            .filter_map(|v| v["const"].as_str())
            .collect();
        assert_eq!(names, ["x86_64", "riscv64", "loongarch64", "aarch64"]);
        assert!(
            variants.iter().all(|v| v["description"]
                .as_str()
                .is_some_and(|d| d.contains("-linux"))),
            "{schema}"
        );
    }
}
