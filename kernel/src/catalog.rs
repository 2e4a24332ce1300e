//! The kernel catalog at run time: [`kernel()`] decodes it once per process, and [`Kernel`]
//! answers lookups.
//!
//! The data files (`data/*.toml`) are parsed and checked at build time by `build.rs` (see
//! `source.rs`), which writes the result as [postcard] bytes into `OUT_DIR`; this module
//! embeds those bytes and decodes them. Why postcard rather than generated Rust statics: the
//! row types keep their owned `String`/`Vec` fields, so the public API stays as it was, the
//! generated artefact is a few hundred kilobytes of data instead of thousands of lines of Rust
//! for rustc to compile, and decoding takes tens of microseconds (`cargo bench --bench load`)
//! where parsing the TOML took over a millisecond. Lookups are linear scans: the largest table
//! has a few hundred rows.
//!
//! [postcard]: https://docs.rs/postcard

use std::sync::OnceLock;

pub use crate::tables::Kernel;
use crate::tables::Table;
use crate::{Arch, Architecture, Capability, Feature, Filesystem, Namespace, ParamSpec, Syscall};

/// One table as `build.rs` encoded it from `data/*.toml`.
macro_rules! embedded_table {
    ($name:literal) => {
        Table::embedded(
            $name,
            include_bytes!(concat!(env!("OUT_DIR"), "/kernel-", $name, ".postcard")),
        )
    };
}

/// The kernel catalog; each table is decoded the first time it is read.
#[must_use]
pub fn kernel() -> &'static Kernel {
    static KERNEL: OnceLock<Kernel> = OnceLock::new();
    KERNEL.get_or_init(Kernel::embedded)
}

impl Kernel {
    /// Decodes the embedded catalog afresh. [`kernel()`] calls it once and keeps the result;
    /// it is public so that `distro/benches/load.rs` can time it.
    ///
    /// # Panics
    ///
    /// Never in practice: the bytes were written by this crate's own build script from the
    /// same types.
    #[must_use]
    pub fn load_embedded() -> Kernel {
        let kernel = Kernel::embedded();
        let _ = (
            kernel.architectures.len(),
            kernel.features.len(),
            kernel.params.len(),
            kernel.syscalls.len(),
            kernel.filesystems.len(),
            kernel.namespaces.len(),
            kernel.capabilities.len(),
        );
        kernel
    }

    /// The embedded catalog with no table decoded yet.
    fn embedded() -> Kernel {
        Kernel {
            architectures: embedded_table!("architectures"),
            features: embedded_table!("features"),
            params: embedded_table!("params"),
            syscalls: embedded_table!("syscalls"),
            filesystems: embedded_table!("filesystems"),
            namespaces: embedded_table!("namespaces"),
            capabilities: embedded_table!("capabilities"),
        }
    }

    /// All architectures, in catalog order.
    #[must_use]
    pub fn architectures(&self) -> &[Architecture] {
        &self.architectures
    }

    /// The architecture called `name` (e.g. `"x86_64"`).
    #[must_use]
    pub fn architecture(&self, name: &str) -> Option<&Architecture> {
        self.architectures
            .iter()
            .find(|entry| entry.name.as_str() == name)
    }

    /// The facts for `arch`.
    #[must_use]
    pub fn architecture_of(&self, arch: Arch) -> &Architecture {
        self.architectures
            .iter()
            .find(|entry| entry.name == arch)
            .expect("data/architectures.toml lists every Arch (tested)")
    }

    /// All build features.
    #[must_use]
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The build feature called `name`.
    #[must_use]
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|entry| entry.name == name)
    }

    /// All command-line parameters the kernel recognizes.
    #[must_use]
    pub fn params(&self) -> &[ParamSpec] {
        &self.params
    }

    /// The parameter registered as exactly `name` (see [`crate::cmdline::validate`] for the
    /// kernel's `-` to `_` normalization).
    #[must_use]
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|entry| entry.name == name)
    }

    /// All system calls: the book's table plus the extra rows described in
    /// `data/syscalls.toml`.
    #[must_use]
    pub fn syscalls(&self) -> &[Syscall] {
        &self.syscalls
    }

    /// The system call called `name`.
    #[must_use]
    pub fn syscall(&self, name: &str) -> Option<&Syscall> {
        self.syscalls.iter().find(|entry| entry.name == name)
    }

    /// All filesystems.
    #[must_use]
    pub fn filesystems(&self) -> &[Filesystem] {
        &self.filesystems
    }

    /// The filesystem whose catalog name or mount type is `name` (`proc` finds `procfs`).
    #[must_use]
    pub fn filesystem(&self, name: &str) -> Option<&Filesystem> {
        self.filesystems
            .iter()
            .find(|entry| entry.name == name)
            .or_else(|| {
                self.filesystems
                    .iter()
                    .find(|entry| entry.fs_type.as_deref() == Some(name))
            })
    }

    /// All namespace types.
    #[must_use]
    pub fn namespaces(&self) -> &[Namespace] {
        &self.namespaces
    }

    /// The namespace type called `name` (e.g. `"pid"`).
    #[must_use]
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|entry| entry.name == name)
    }

    /// All capabilities.
    #[must_use]
    pub fn capabilities(&self) -> &[Capability] {
        &self.capabilities
    }

    /// The capability with id `id` (e.g. `"seccomp"`).
    #[must_use]
    pub fn capability(&self, id: &str) -> Option<&Capability> {
        self.capabilities.iter().find(|entry| entry.id == id)
    }
}

/// Facts about an [`Arch`] that live in `data/architectures.toml` (here, not in `arch.rs`,
/// because `build.rs` compiles `arch.rs` without the decoded catalog).
impl Arch {
    /// The nixpkgs platform string (`nixpkgs.hostPlatform`), e.g. `"x86_64-linux"`, from
    /// `data/architectures.toml`.
    #[must_use]
    pub fn nixos_platform(self) -> &'static str {
        &kernel().architecture_of(self).nixos_platform
    }

    /// Whether Asterinas NixOS publishes an installer image for it (today only `x86_64`), from
    /// `data/architectures.toml`.
    #[must_use]
    pub fn has_distro_image(self) -> bool {
        kernel().architecture_of(self).distro_supported
    }

    /// Whether the Asterinas kernel can be built for it at all (every architecture but
    /// `aarch64`), from `data/architectures.toml`.
    #[must_use]
    pub fn has_kernel_port(self) -> bool {
        kernel().architecture_of(self).tier != crate::Tier::Unsupported
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_find_entries_by_name() {
        let kernel = kernel();
        assert_eq!(
            kernel.architecture("riscv64").map(|a| a.name),
            Some(Arch::Riscv64)
        );
        assert_eq!(
            kernel.architecture_of(Arch::Aarch64).tier,
            crate::Tier::Unsupported
        );
        assert!(kernel.feature("cvm_guest").is_some_and(|f| f.default));
        assert!(kernel.param("virtio_mmio.device").is_some());
        assert!(kernel.param("virtio-mmio.device").is_none());
        assert_eq!(
            kernel.syscall("openat").and_then(|s| s.numbers.x86_64),
            Some(257)
        );
        assert_eq!(
            kernel.filesystem("proc").map(|f| f.name.as_str()),
            Some("procfs")
        );
        assert!(kernel.namespace("user").is_some_and(|n| !n.supported));
        assert!(kernel.capability("no-such-capability").is_none());
    }

    #[test]
    fn arch_facts_come_from_the_catalog() {
        assert_eq!(Arch::X86_64.nixos_platform(), "x86_64-linux");
        assert_eq!(Arch::Riscv64.nixos_platform(), "riscv64-linux");
        assert_eq!(Arch::Loongarch64.nixos_platform(), "loongarch64-linux");
        assert_eq!(Arch::Aarch64.nixos_platform(), "aarch64-linux");
        let with_image: Vec<Arch> = Arch::ALL
            .into_iter()
            .filter(|arch| arch.has_distro_image())
            .collect();
        assert_eq!(with_image, [Arch::X86_64]);
        assert!(Arch::Loongarch64.has_kernel_port());
        assert!(!Arch::Aarch64.has_kernel_port());
    }
}
