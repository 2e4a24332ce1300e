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

/// System-call numbers per dispatch table.
///
/// Upstream has two tables: `x86_64`'s own (`kernel/core/src/syscall/arch/x86.rs`) and the
/// generic one that riscv64 and loongarch64 share (`kernel/core/src/syscall/arch/generic.rs`,
/// Linux's asm-generic numbering).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SyscallNumbers {
    /// The `x86_64` number (the Linux `x86_64` ABI; recorded for every row).
    pub x86_64: Option<u32>,
    /// The number in the generic table used by riscv64 and loongarch64; recorded for the calls
    /// upstream's generic table dispatches, absent for the rest (legacy calls such as `open`
    /// or `fork` have no generic number at all, and unimplemented ones are not recorded).
    #[serde(default)]
    pub generic: Option<u32>,
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
    /// Whether the book's compatibility table lists it.
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
    /// The call's number on `arch`, when recorded: `x86_64`'s own table, or the generic table
    /// for riscv64 and loongarch64. aarch64 has no kernel port, so no number.
    #[must_use]
    pub fn number(&self, arch: Arch) -> Option<u32> {
        match arch {
            Arch::X86_64 => self.numbers.x86_64,
            Arch::Riscv64 | Arch::Loongarch64 => self.numbers.generic,
            Arch::Aarch64 => None,
        }
    }

    /// The recorded numbers in words, e.g. `"257 on x86_64, 56 on riscv64 and loongarch64"`.
    #[must_use]
    pub fn numbers_text(&self) -> String {
        let x86_64 = self.numbers.x86_64.map(|n| format!("{n} on x86_64"));
        let generic = self
            .numbers
            .generic
            .map(|n| format!("{n} on riscv64 and loongarch64"));
        x86_64
            .into_iter()
            .chain(generic)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Coverage {
    /// The word the data file uses, e.g. `"partial"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Full => "full",
            Coverage::Partial => "partial",
            Coverage::None => "none",
        }
    }
}
