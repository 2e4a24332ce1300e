//! The distro catalog at run time: [`catalog()`] decodes it once per process, and
//! [`Catalog`] answers lookups.
//!
//! The TOML files under `distro/catalog/` are parsed and checked at build time by `build.rs`
//! (see `source.rs`: duplicates, sources, reasons for broken entries, references between
//! files), which writes the result as [postcard] bytes into `OUT_DIR`; this module embeds those
//! bytes and decodes them. Why postcard rather than generated Rust statics: the entry types
//! keep their owned `String`/`Vec` fields (and `toml::Value` for forced literals), so the
//! public API stays as it was, and decoding takes tens of microseconds
//! (`cargo bench -p aster-distro --bench load`) where parsing the TOML took most of a
//! millisecond.
//!
//! [postcard]: https://docs.rs/postcard

use std::sync::OnceLock;

use crate::forced::{self, ForcedSetting};
use crate::limitations::Limitation;
use crate::packages::{self, Package};
use crate::rebuild::RebuildAction;
use crate::services::Service;
pub use crate::tables::Catalog;

/// The catalog as `build.rs` encoded it from `catalog/*.toml`.
static ENCODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/distro-catalog.postcard"));

/// The catalog built from the embedded files, decoded on first call.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::load_embedded)
}

impl Catalog {
    /// Decodes the embedded catalog afresh. [`catalog()`] calls it once and keeps the result;
    /// it is public so that `benches/load.rs` can time it.
    ///
    /// # Panics
    ///
    /// Never in practice: the bytes were written by this crate's own build script from the
    /// same types.
    #[must_use]
    pub fn load_embedded() -> Self {
        postcard::from_bytes(ENCODED)
            .unwrap_or_else(|error| panic!("embedded distro catalog does not decode: {error}"))
    }

    /// Every package entry, in file order.
    #[must_use]
    pub fn packages(&self) -> &[Package] {
        &self.packages
    }

    /// The entry whose nixpkgs attribute path is exactly `attr`.
    #[must_use]
    pub fn package(&self, attr: &str) -> Option<&Package> {
        self.packages
            .iter()
            .find(|p| p.attr.as_deref() == Some(attr))
    }

    /// Every service and desktop, in file order.
    #[must_use]
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service or desktop called `name` (e.g. `openssh`, `xfce`).
    #[must_use]
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The service whose NixOS module the option `path` turns on, e.g.
    /// `services.openssh.enable` or `virtualisation.podman.enable`.
    #[must_use]
    pub fn service_by_enable_option(&self, path: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.enable == path)
    }

    /// Every setting the distro forces, in file order.
    #[must_use]
    pub fn forced(&self) -> &[ForcedSetting] {
        &self.forced
    }

    /// The forced setting for the NixOS option `option_path`; when the distro sets it both
    /// always and conditionally, the unconditional entry.
    #[must_use]
    pub fn forced_option(&self, option_path: &str) -> Option<&ForcedSetting> {
        forced::find(&self.forced, option_path)
    }

    /// Every `nixos-rebuild` action, in file order.
    #[must_use]
    pub fn rebuild_actions(&self) -> &[RebuildAction] {
        &self.rebuild_actions
    }

    /// The `nixos-rebuild` action called `name` (e.g. `test`).
    #[must_use]
    pub fn rebuild_action(&self, name: &str) -> Option<&RebuildAction> {
        self.rebuild_actions.iter().find(|a| a.name == name)
    }

    /// Every known limitation, in file order.
    #[must_use]
    pub fn limitations(&self) -> &[Limitation] {
        &self.limitations
    }

    /// Packages matching `query` case-insensitively over attribute, upstream application
    /// names and categories; exact matches first, then prefix, substring and category
    /// matches. An empty query matches nothing.
    #[must_use]
    pub fn search_packages(&self, query: &str) -> Vec<&Package> {
        packages::search(&self.packages, query)
    }
}
