//! The kernel catalog as one value: a table per data file.
//!
//! `build.rs` fills a [`Kernel`] from `data/*.toml` (see `source.rs`) and writes each table to
//! `OUT_DIR` as its own postcard bytes; `catalog.rs` embeds them, and each [`Table`] decodes its
//! bytes the first time it is read, so a run that needs the parameters never decodes the
//! syscalls. Both sides compile this same file, so the layout they agree on is written down
//! exactly once.

use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::{Architecture, Capability, Feature, Filesystem, Namespace, ParamSpec, Syscall};

/// The whole kernel catalog. Get it with [`crate::kernel()`].
#[derive(Debug)]
pub struct Kernel {
    pub(crate) architectures: Table<Architecture>,
    pub(crate) features: Table<Feature>,
    pub(crate) params: Table<ParamSpec>,
    pub(crate) syscalls: Table<Syscall>,
    pub(crate) filesystems: Table<Filesystem>,
    pub(crate) namespaces: Table<Namespace>,
    pub(crate) capabilities: Table<Capability>,
}

/// One table of rows: read from its data file (build time, tests), or decoded from embedded
/// postcard bytes on first use (run time).
pub(crate) struct Table<T> {
    rows: OnceLock<Vec<T>>,
    encoded: &'static [u8],
    name: &'static str,
}

impl<T> Table<T> {
    /// A table whose rows are already at hand.
    #[allow(dead_code, reason = "only build.rs and the tests read the TOML files")]
    pub(crate) fn new(name: &'static str, rows: Vec<T>) -> Self {
        Self {
            rows: OnceLock::from(rows),
            encoded: &[],
            name,
        }
    }

    /// A table decoded from `encoded` when it is first read.
    #[allow(dead_code, reason = "build.rs never decodes")]
    pub(crate) const fn embedded(name: &'static str, encoded: &'static [u8]) -> Self {
        Self {
            rows: OnceLock::new(),
            encoded,
            name,
        }
    }
}

impl<T: DeserializeOwned> Deref for Table<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        self.rows.get_or_init(|| {
            postcard::from_bytes(self.encoded).unwrap_or_else(|error| {
                panic!(
                    "embedded kernel table `{}` does not decode: {error}",
                    self.name
                )
            })
        })
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("decoded", &self.rows.get().is_some())
            .finish_non_exhaustive()
    }
}
