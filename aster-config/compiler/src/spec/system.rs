//! `[system]`: host name, time zone, locale, state version and target architecture.

use aster_kernel::Arch;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identity and locale of the machine.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct System {
    /// The machine's host name: one DNS label of letters, digits and `-`, at most 63 characters.
    /// An empty string sets none, and no DHCP client runs on Asterinas NixOS to supply one, so
    /// the machine keeps the built-in name systemd falls back to.
    pub hostname: String,
    /// Time zone from the tz database, e.g. `"Europe/Berlin"` or `"UTC"`. Unset means UTC.
    pub timezone: Option<String>,
    /// Default locale, e.g. `"en_US.UTF-8"`.
    pub locale: Option<String>,
    /// The NixOS release this system was first installed with. Keep it unchanged after the first
    /// install: it is not the version you run, it protects stateful data from format changes.
    pub state_version: String,
    /// The CPU architecture of the machine.
    pub architecture: Arch,
}

impl Default for System {
    fn default() -> Self {
        Self {
            hostname: "asterinas".to_owned(),
            timezone: None,
            locale: None,
            state_version: "25.05".to_owned(),
            architecture: Arch::X86_64,
        }
    }
}
