//! System calls and how completely the kernel implements them, from `data/syscalls.toml`.

use serde::{Deserialize, Serialize};

use crate::Arch;

/// How completely a system call's flags and modes are implemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// Every flag and mode works.
    Full,
    /// The call works but some flags or modes are missing (see [`Syscall::gaps`]).
    Partial,
    /// The call is not implemented.
    None,
}

/// System-call numbers per architecture (only `x86_64` numbers are recorded upstream).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SyscallNumbers {
    /// The `x86_64` number.
    pub x86_64: Option<u32>,
}

/// A group of missing or ignored flags, e.g. "Silently-ignored flags": `O_SYNC`, ...
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlagGap {
    /// The group's heading as the upstream coverage page words it.
    pub kind: String,
    /// The flags, modes or limitations in the group.
    pub items: Vec<String>,
}

/// One row of `data/syscalls.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Syscall {
    /// Linux name, e.g. `openat`.
    pub name: String,
    /// Numbers per architecture.
    pub numbers: SyscallNumbers,
    /// Whether the kernel implements it at all.
    pub supported: bool,
    /// How completely.
    pub coverage: Coverage,
    /// Upstream page detailing the flag coverage.
    pub coverage_doc: Option<String>,
    /// Missing or ignored flags.
    #[serde(default)]
    pub gaps: Vec<FlagGap>,
    /// Whether the book's compatibility table lists it (335 rows do).
    #[serde(default = "listed_by_default")]
    pub listed_in_book: bool,
    /// Anything the fields above do not say.
    pub note: Option<String>,
    /// Upstream file the facts come from.
    pub source: String,
}

fn listed_by_default() -> bool {
    true
}

impl Syscall {
    /// The call's number on `arch`, when recorded.
    #[must_use]
    pub fn number(&self, arch: Arch) -> Option<u32> {
        match arch {
            Arch::X86_64 => self.numbers.x86_64,
            Arch::Riscv64 | Arch::Loongarch64 | Arch::Aarch64 => None,
        }
    }
}
