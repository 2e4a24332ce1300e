//! The kernel catalog as one value: a table per data file.
//!
//! `build.rs` fills a [`Kernel`] from `data/*.toml` (see `source.rs`) and writes it to
//! `OUT_DIR` as postcard bytes; `catalog.rs` decodes those bytes at run time. Both sides
//! compile this same file, so the layout they agree on is written down exactly once.

use serde::{Deserialize, Serialize};

use crate::{Architecture, Capability, Feature, Filesystem, Namespace, ParamSpec, Syscall};

/// The whole kernel catalog. Get it with [`crate::kernel()`].
#[derive(Debug, Serialize, Deserialize)]
pub struct Kernel {
    pub(crate) architectures: Vec<Architecture>,
    pub(crate) features: Vec<Feature>,
    pub(crate) params: Vec<ParamSpec>,
    pub(crate) syscalls: Vec<Syscall>,
    pub(crate) filesystems: Vec<Filesystem>,
    pub(crate) namespaces: Vec<Namespace>,
    pub(crate) capabilities: Vec<Capability>,
}
