//! `[system]`: host name, time zone, locale, state version and target architecture.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identity and locale of the machine.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct System {
    /// The machine's host name: one DNS label of letters, digits and `-`, at most 63 characters
    /// (an empty string takes the name from DHCP).
    pub hostname: String,
    /// Time zone from the tz database, e.g. `"Europe/Berlin"` or `"UTC"`. Unset means UTC.
    pub timezone: Option<String>,
    /// Default locale, e.g. `"en_US.UTF-8"`.
    pub locale: Option<String>,
    /// The NixOS release this system was first installed with. Keep it unchanged after the first
    /// install: it is not the version you run, it protects stateful data from format changes.
    pub state_version: String,
    /// The CPU architecture of the machine.
    pub architecture: Architecture,
}

impl Default for System {
    fn default() -> Self {
        Self {
            hostname: "asterinas".to_owned(),
            timezone: None,
            locale: None,
            state_version: "25.05".to_owned(),
            architecture: Architecture::X86_64,
        }
    }
}

/// CPU architectures Asterinas knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
pub enum Architecture {
    /// 64-bit x86 (Tier 1; the only architecture with a published Asterinas NixOS image).
    #[default]
    #[serde(rename = "x86_64")]
    X86_64,
    /// 64-bit RISC-V (Tier 2 kernel; no Asterinas NixOS image yet).
    #[serde(rename = "riscv64")]
    Riscv64,
    /// 64-bit `LoongArch` (Tier 3 kernel; no Asterinas NixOS image yet).
    #[serde(rename = "loongarch64")]
    Loongarch64,
}

impl Architecture {
    /// The name as written in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Riscv64 => "riscv64",
            Architecture::Loongarch64 => "loongarch64",
        }
    }

    /// The nixpkgs platform string (`nixpkgs.hostPlatform`).
    pub fn nixos_platform(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64-linux",
            Architecture::Riscv64 => "riscv64-linux",
            Architecture::Loongarch64 => "loongarch64-linux",
        }
    }
}
