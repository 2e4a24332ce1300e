//! Loads the embedded `data/*.toml` files into one [`Kernel`] value, once per process.
//!
//! The data is compiled in with `include_str!`, so loading cannot fail at run time unless the
//! files themselves are broken, which the crate's tests rule out. Lookups are linear scans:
//! the largest table has a few hundred rows.

use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{Arch, Architecture, Capability, Feature, Filesystem, Namespace, ParamSpec, Syscall};

/// The whole kernel catalog. Get it with [`kernel()`].
#[derive(Debug)]
pub struct Kernel {
    architectures: Vec<Architecture>,
    features: Vec<Feature>,
    params: Vec<ParamSpec>,
    syscalls: Vec<Syscall>,
    filesystems: Vec<Filesystem>,
    namespaces: Vec<Namespace>,
    capabilities: Vec<Capability>,
}

/// The kernel catalog, parsed on first use.
#[must_use]
pub fn kernel() -> &'static Kernel {
    static KERNEL: OnceLock<Kernel> = OnceLock::new();
    KERNEL.get_or_init(Kernel::load_embedded)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchitectureFile {
    architecture: Vec<Architecture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeatureFile {
    feature: Vec<Feature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    param: Vec<ParamSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SyscallFile {
    syscall: Vec<Syscall>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesystemFile {
    filesystem: Vec<Filesystem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamespaceFile {
    namespace: Vec<Namespace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CapabilityFile {
    capability: Vec<Capability>,
}

/// Parses one embedded data file; a broken file is a bug in this crate, caught by its tests.
fn parse_embedded<T: DeserializeOwned>(file: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|error| panic!("kernel/data/{file} is invalid: {error}"))
}

impl Kernel {
    /// Loads the embedded catalog afresh. [`kernel()`] calls it once and keeps the result;
    /// it is public so that `benches/load.rs` can time it.
    #[must_use]
    pub fn load_embedded() -> Kernel {
        Kernel {
            architectures: parse_embedded::<ArchitectureFile>(
                "architectures.toml",
                include_str!("../data/architectures.toml"),
            )
            .architecture,
            features: parse_embedded::<FeatureFile>(
                "features.toml",
                include_str!("../data/features.toml"),
            )
            .feature,
            params: parse_embedded::<ParamFile>("params.toml", include_str!("../data/params.toml"))
                .param,
            syscalls: parse_embedded::<SyscallFile>(
                "syscalls.toml",
                include_str!("../data/syscalls.toml"),
            )
            .syscall,
            filesystems: parse_embedded::<FilesystemFile>(
                "filesystems.toml",
                include_str!("../data/filesystems.toml"),
            )
            .filesystem,
            namespaces: parse_embedded::<NamespaceFile>(
                "namespaces.toml",
                include_str!("../data/namespaces.toml"),
            )
            .namespace,
            capabilities: parse_embedded::<CapabilityFile>(
                "capabilities.toml",
                include_str!("../data/capabilities.toml"),
            )
            .capability,
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

    /// All system calls: the book's 335 rows plus the extra rows described in
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_rejected() {
        let text = "[[namespace]]\nname = \"pid\"\nclone_flag = \"CLONE_NEWPID\"\n\
                    supported = false\nnote = \"\"\nsource = \"x\"\ncolour = \"red\"\n";
        let error = toml::from_str::<NamespaceFile>(text)
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|message| message.contains("colour")));
    }

    #[test]
    fn unknown_status_words_are_rejected() {
        let text = "[[capability]]\nid = \"x\"\ntitle = \"x\"\narea = \"system\"\n\
                    support = \"maybe\"\nreason = \"x\"\nsyscalls = []\nsource = \"x\"\n";
        assert!(toml::from_str::<CapabilityFile>(text).is_err());
    }

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
}
