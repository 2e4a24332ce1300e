//! The Asterinas kernel as aster-config sees it.
//!
//! Two things live here:
//!
//! - **The catalog** ([`kernel()`]): architectures, build features, command-line parameters,
//!   system calls, filesystems, namespaces and the capabilities software needs, read from the
//!   TOML files in `kernel/data/`. `build.rs` parses and checks them (`source.rs`) and embeds
//!   the result in a compact binary form that [`kernel()`] decodes in microseconds, once per
//!   process. Every entry records the upstream Asterinas file it comes from in `source`.
//! - **The command-line model** ([`cmdline`]): split a kernel command line into parameters the
//!   way the kernel does, print it back, and check each parameter against the catalog with typed
//!   errors and "did you mean" suggestions.
//!
//! [`Arch`] is the project's one architecture type; the optional `schema` feature derives
//! `schemars::JsonSchema` for it, with each variant's doc comment as editor hover text.
//!
//! ```
//! use aster_kernel::{Arch, kernel, cmdline};
//!
//! let seccomp = kernel().capability("seccomp").expect("catalogued");
//! assert!(!seccomp.support.is_available());
//!
//! let params = cmdline::parse("console=hvc0 rootfstype=ext4");
//! assert!(cmdline::validate(&params[0], Arch::X86_64).is_ok());
//! assert!(cmdline::validate(&params[1], Arch::X86_64).is_err());
//! ```

mod arch;
mod caps;
mod catalog;
pub mod cmdline;
mod features;
mod filesystems;
mod namespaces;
mod params;
mod search;
// The TOML reader runs in build.rs; unit tests include it to prove broken text is rejected.
#[cfg(test)]
mod source;
mod syscalls;
mod tables;

pub use arch::{Arch, Architecture, Tier, UnknownArch};
pub use caps::{Area, Capability, Support};
pub use catalog::{Kernel, kernel};
pub use features::Feature;
pub use filesystems::{Filesystem, FsStatus};
pub use namespaces::Namespace;
pub use params::{Origin, ParamKind, ParamSpec, ParamStatus, ValueGrammar};
pub use search::{Entry, Hit, MatchRank};
pub use syscalls::{Coverage, FlagGap, Syscall, SyscallNumbers};
