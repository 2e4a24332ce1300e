//! The distro catalog as one value: a lazily decoded table per catalog file.
//!
//! `build.rs` reads `catalog/*.toml` (see `source.rs`), encodes every row of a table as its own
//! postcard bytes, one after another, and writes where each row starts (and the keys lookups go
//! by) as Rust statics. A [`Table`] decodes the whole table the first time a caller iterates
//! it, or a single row the first time that row is looked up by name, so a `check` that asks for
//! two services and three packages decodes five rows, not the catalog.

use std::fmt;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use crate::forced::ForcedSetting;
use crate::limitations::Limitation;
use crate::packages::Package;
use crate::rebuild::RebuildAction;
use crate::services::Service;

/// Everything the distro knows about what works on Asterinas NixOS. Get it with
/// [`crate::catalog()`].
#[derive(Debug)]
pub struct Catalog {
    pub(crate) packages: Table<Package>,
    pub(crate) services: Table<Service>,
    pub(crate) forced: Table<ForcedSetting>,
    pub(crate) rebuild_actions: Table<RebuildAction>,
    pub(crate) limitations: Table<Limitation>,
}

/// One table's rows, encoded back to back, each decoded on first use.
pub(crate) struct Table<T> {
    name: &'static str,
    /// The rows' postcard bytes, one after another.
    encoded: &'static [u8],
    /// Where each row starts in `encoded`, then where the last one ends.
    starts: &'static [u32],
    /// Every row, once a caller iterated the table.
    all: OnceLock<Vec<T>>,
    /// Rows looked up one at a time before that, each boxed: a slot is a pointer wide, so a
    /// run that reads two rows of a table does not fill pages with empty rows.
    single: OnceLock<Box<[OnceLock<Box<T>>]>>,
}

impl<T> Table<T> {
    /// A table over `encoded`, with row `i` at `encoded[starts[i]..starts[i + 1]]`.
    pub(crate) const fn embedded(
        name: &'static str,
        encoded: &'static [u8],
        starts: &'static [u32],
    ) -> Self {
        Self {
            name,
            encoded,
            starts,
            all: OnceLock::new(),
            single: OnceLock::new(),
        }
    }

    /// How many rows the table has.
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }
}

impl<T: DeserializeOwned> Table<T> {
    /// Every row, in file order.
    pub(crate) fn all(&self) -> &[T] {
        self.all
            .get_or_init(|| (0..self.len()).map(|index| self.decode(index)).collect())
    }

    /// Row `index` (in file order), decoded alone unless the whole table already is.
    pub(crate) fn row(&self, index: usize) -> &T {
        if let Some(all) = self.all.get() {
            return &all[index];
        }
        let single = self
            .single
            .get_or_init(|| (0..self.len()).map(|_| OnceLock::new()).collect());
        single[index].get_or_init(|| Box::new(self.decode(index)))
    }

    fn decode(&self, index: usize) -> T {
        let bytes = &self.encoded[self.starts[index] as usize..self.starts[index + 1] as usize];
        postcard::from_bytes(bytes).unwrap_or_else(|error| {
            panic!(
                "embedded distro table `{}`, row {index}, does not decode: {error}",
                self.name
            )
        })
    }
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("rows", &self.len())
            .field("decoded", &self.all.get().is_some())
            .finish_non_exhaustive()
    }
}
