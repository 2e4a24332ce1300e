//! The distro catalog at run time: [`catalog()`] hands out the embedded catalog, and
//! [`Catalog`] answers lookups, decoding only the rows they reach.
//!
//! The TOML files under `distro/catalog/` are parsed and checked at build time by `build.rs`
//! (see `source.rs`: duplicates, sources, reasons for broken entries, references between
//! files), which writes each table as [postcard] bytes, row after row, into `OUT_DIR`, and the
//! row offsets and lookup keys (package attributes, service names and enable options, forced
//! option paths, action names) as Rust statics; this module embeds both. Why postcard rather
//! than generated Rust statics for the rows themselves: the entry types keep their owned
//! `String`/`Vec` fields (and `toml::Value` for forced literals), so the public API stays as it
//! was. A lookup by name searches the generated keys and decodes that one row; iterating a
//! table decodes all of it, once (`cargo bench -p aster-distro --bench load` times the whole
//! catalog).
//!
//! [postcard]: https://docs.rs/postcard

use crate::forced::{self, ForcedSetting};
use crate::limitations::Limitation;
use crate::packages::{self, Package};
use crate::rebuild::RebuildAction;
use crate::services::Service;
pub use crate::tables::Catalog;
use crate::tables::Table;

/// Row offsets and lookup keys, as `build.rs` wrote them from `catalog/*.toml`.
mod index {
    include!(concat!(env!("OUT_DIR"), "/distro_index.rs"));
}

/// One table's rows as `build.rs` encoded them.
macro_rules! embedded_table {
    ($name:literal, $starts:expr) => {
        Table::embedded(
            $name,
            include_bytes!(concat!(env!("OUT_DIR"), "/distro-", $name, ".postcard")),
            $starts,
        )
    };
}

/// The catalog built from the embedded files; each row is decoded the first time it is read.
pub fn catalog() -> &'static Catalog {
    static CATALOG: Catalog = Catalog::embedded();
    &CATALOG
}

impl Catalog {
    /// Decodes the embedded catalog afresh, every table. [`catalog()`] decodes only what it is
    /// asked for; this is public so that `benches/load.rs` can time the whole catalog.
    ///
    /// # Panics
    ///
    /// Never in practice: the bytes were written by this crate's own build script from the
    /// same types.
    #[must_use]
    pub fn load_embedded() -> Self {
        let catalog = Self::embedded();
        let _ = (
            catalog.packages.all(),
            catalog.services.all(),
            catalog.forced.all(),
            catalog.rebuild_actions.all(),
            catalog.limitations.all(),
        );
        catalog
    }

    /// The embedded catalog with nothing decoded yet.
    pub(crate) const fn embedded() -> Self {
        Self {
            packages: embedded_table!("packages", index::PACKAGE_STARTS),
            services: embedded_table!("services", index::SERVICE_STARTS),
            forced: embedded_table!("forced", index::FORCED_STARTS),
            rebuild_actions: embedded_table!("rebuild", index::REBUILD_STARTS),
            limitations: embedded_table!("limitations", index::LIMITATION_STARTS),
        }
    }

    /// Every package entry, in file order.
    #[must_use]
    pub fn packages(&self) -> &[Package] {
        self.packages.all()
    }

    /// The entry whose nixpkgs attribute path is exactly `attr`.
    #[must_use]
    pub fn package(&self, attr: &str) -> Option<&Package> {
        row_of(index::PACKAGES_BY_ATTR, attr).map(|row| self.packages.row(row))
    }

    /// Every service and desktop, in file order.
    #[must_use]
    pub fn services(&self) -> &[Service] {
        self.services.all()
    }

    /// The service or desktop called `name` (e.g. `openssh`, `xfce`).
    #[must_use]
    pub fn service(&self, name: &str) -> Option<&Service> {
        row_of(index::SERVICES_BY_NAME, name).map(|row| self.services.row(row))
    }

    /// The service whose NixOS module the option `path` turns on, e.g.
    /// `services.openssh.enable` or `virtualisation.podman.enable`.
    #[must_use]
    pub fn service_by_enable_option(&self, path: &str) -> Option<&Service> {
        let found = index::SERVICE_ENABLES
            .iter()
            .position(|enable| *enable == path);
        found.map(|row| self.services.row(row))
    }

    /// Every setting the distro forces, in file order.
    #[must_use]
    pub fn forced(&self) -> &[ForcedSetting] {
        self.forced.all()
    }

    /// The forced setting for the NixOS option `option_path`; when the distro sets it both
    /// always and conditionally, the unconditional entry.
    #[must_use]
    pub fn forced_option(&self, option_path: &str) -> Option<&ForcedSetting> {
        forced::find(index::FORCED_OPTIONS, option_path).map(|row| self.forced.row(row))
    }

    /// Every `nixos-rebuild` action, in file order.
    #[must_use]
    pub fn rebuild_actions(&self) -> &[RebuildAction] {
        self.rebuild_actions.all()
    }

    /// The `nixos-rebuild` action called `name` (e.g. `test`).
    #[must_use]
    pub fn rebuild_action(&self, name: &str) -> Option<&RebuildAction> {
        let found = index::REBUILD_NAMES
            .iter()
            .position(|action| *action == name);
        found.map(|row| self.rebuild_actions.row(row))
    }

    /// Every known limitation, in file order.
    #[must_use]
    pub fn limitations(&self) -> &[Limitation] {
        self.limitations.all()
    }

    /// Packages matching `query` case-insensitively over attribute, upstream application
    /// names and categories; exact matches first, then prefix, substring and category
    /// matches. An empty query matches nothing.
    #[must_use]
    pub fn search_packages(&self, query: &str) -> Vec<&Package> {
        packages::search(self.packages(), query)
    }

    /// Services, desktops and NixOS modules matching `query` by name, enable option or package.
    #[must_use]
    pub fn search_services(&self, query: &str) -> Vec<&Service> {
        crate::services::search(self.services(), query)
    }
}

/// The row a sorted `(key, row)` index gives `key`.
fn row_of(index: &[(&str, u32)], key: &str) -> Option<usize> {
    let at = index.binary_search_by(|(k, _)| (*k).cmp(key)).ok()?;
    Some(index[at].1 as usize)
}
