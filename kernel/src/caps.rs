//! Capabilities software commonly needs (seccomp, IPv6, user namespaces, ...) and whether the
//! kernel provides them, from `data/capabilities.toml`. Package and service catalogs refer to
//! these by id.

use serde::{Deserialize, Serialize};

/// Whether the kernel provides a capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Works as on Linux for common use.
    Supported,
    /// Works, with gaps listed in the reason.
    Partial,
    /// Not available at all.
    Unsupported,
}

impl Support {
    /// The word the data file uses, e.g. `"partial"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Partial => "partial",
            Support::Unsupported => "unsupported",
        }
    }

    /// Whether software can use the capability at all (supported or partial).
    #[must_use]
    pub fn is_available(self) -> bool {
        !matches!(self, Support::Unsupported)
    }
}

/// Rough grouping of capabilities, for listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Sandboxing, LSMs, credentials.
    Security,
    /// Inter-process communication.
    Ipc,
    /// Sockets and protocols.
    Networking,
    /// Filesystems and mounts.
    Filesystems,
    /// Memory management.
    Memory,
    /// Processes, threads, tracing.
    Processes,
    /// Namespaces and cgroups.
    Namespaces,
    /// Clocks and timers.
    Time,
    /// Devices and graphics.
    Devices,
    /// Hardware virtualization.
    Virtualization,
    /// Everything else that is kernel-wide.
    System,
}

/// One row of `data/capabilities.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Capability {
    /// Stable kebab-case id, e.g. `user-namespace`.
    pub id: String,
    /// Short human name.
    pub title: String,
    /// Grouping.
    pub area: Area,
    /// Whether the kernel provides it.
    pub support: Support,
    /// Why, for a newcomer.
    pub reason: String,
    /// What to do instead, when there is something.
    pub alternative: Option<String>,
    /// Related system calls (names of [`crate::Syscall`] rows).
    pub syscalls: Vec<String>,
    /// Upstream file the fact comes from.
    pub source: String,
}
