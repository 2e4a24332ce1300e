//! Loads the catalog files into one [`Catalog`] and answers lookups.
//!
//! The TOML files under `distro/catalog/` are embedded with `include_str!` and parsed once,
//! on first use of [`catalog()`]. Parsing checks each file's own rules (no duplicates, a
//! `source` everywhere, a `reason` for every broken entry) and the references between files
//! (every `requires` and `alternative` names a catalog entry).

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::forced::{self, ForcedSetting};
use crate::limitations::{self, Limitation};
use crate::packages::{self, Package};
use crate::rebuild::{self, RebuildAction};
use crate::services::{self, Service};

/// The text of the five catalog files.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSources<'a> {
    /// Contents of `packages.toml`.
    pub packages: &'a str,
    /// Contents of `services.toml`.
    pub services: &'a str,
    /// Contents of `forced.toml`.
    pub forced: &'a str,
    /// Contents of `rebuild.toml`.
    pub rebuild: &'a str,
    /// Contents of `limitations.toml`.
    pub limitations: &'a str,
}

impl CatalogSources<'static> {
    /// The catalog files embedded in this crate at build time.
    #[must_use]
    pub fn embedded() -> Self {
        Self {
            packages: include_str!("../catalog/packages.toml"),
            services: include_str!("../catalog/services.toml"),
            forced: include_str!("../catalog/forced.toml"),
            rebuild: include_str!("../catalog/rebuild.toml"),
            limitations: include_str!("../catalog/limitations.toml"),
        }
    }
}

/// A catalog file that does not parse or breaks a catalog rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// File name, e.g. `packages.toml`.
    pub file: &'static str,
    /// What is wrong (for parse errors, with line and column).
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for CatalogError {}

/// Everything the distro knows about what works on Asterinas NixOS.
#[derive(Debug, Clone)]
pub struct Catalog {
    packages: Vec<Package>,
    services: Vec<Service>,
    forced: Vec<ForcedSetting>,
    rebuild_actions: Vec<RebuildAction>,
    limitations: Vec<Limitation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackagesFile {
    package: Vec<Package>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    service: Vec<Service>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForcedFile {
    setting: Vec<ForcedSetting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RebuildFile {
    action: Vec<RebuildAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitationsFile {
    limitation: Vec<Limitation>,
}

/// The catalog built from the embedded files, parsed on first call.
///
/// # Panics
///
/// If the embedded files are invalid; the crate's tests prove they are not.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::load_embedded)
}

impl Catalog {
    /// Loads the embedded catalog afresh. [`catalog()`] calls it once and keeps the result;
    /// it is public so that `benches/load.rs` can time it.
    ///
    /// # Panics
    ///
    /// If the embedded files are invalid; the crate's tests prove they are not.
    #[must_use]
    pub fn load_embedded() -> Self {
        match Catalog::from_sources(&CatalogSources::embedded()) {
            Ok(catalog) => catalog,
            Err(error) => panic!("embedded distro catalog is invalid: {error}"),
        }
    }

    /// Parses and checks catalog files given as text.
    pub fn from_sources(sources: &CatalogSources<'_>) -> Result<Self, CatalogError> {
        let packages = parse::<PackagesFile>("packages.toml", sources.packages)?.package;
        check("packages.toml", packages::validate(&packages))?;
        let services = parse::<ServicesFile>("services.toml", sources.services)?.service;
        check("services.toml", services::validate(&services))?;
        let forced = parse::<ForcedFile>("forced.toml", sources.forced)?.setting;
        check("forced.toml", forced::validate(&forced))?;
        let rebuild_actions = parse::<RebuildFile>("rebuild.toml", sources.rebuild)?.action;
        check("rebuild.toml", rebuild::validate(&rebuild_actions))?;
        let limitations =
            parse::<LimitationsFile>("limitations.toml", sources.limitations)?.limitation;
        check("limitations.toml", limitations::validate(&limitations))?;
        let catalog = Self {
            packages,
            services,
            forced,
            rebuild_actions,
            limitations,
        };
        catalog.check_references()?;
        Ok(catalog)
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

    /// True when `name` is a package attribute or a service name in this catalog.
    fn knows(&self, name: &str) -> bool {
        self.package(name).is_some() || self.service(name).is_some()
    }

    /// Every `requires` and `alternative` must name a catalog entry, and an alternative must
    /// not itself be broken.
    fn check_references(&self) -> Result<(), CatalogError> {
        for package in &self.packages {
            let name = package.display_name();
            if let Some(required) = &package.requires
                && self.service(required).is_none()
            {
                return reference_error(
                    "packages.toml",
                    format!("package `{name}` requires unknown service `{required}`"),
                );
            }
            if let Some(alternative) = &package.alternative {
                self.check_alternative("packages.toml", name, alternative)?;
            }
        }
        for service in &self.services {
            if let Some(alternative) = &service.alternative {
                self.check_alternative("services.toml", &service.name, alternative)?;
            }
        }
        Ok(())
    }

    fn check_alternative(
        &self,
        file: &'static str,
        name: &str,
        alternative: &str,
    ) -> Result<(), CatalogError> {
        if !self.knows(alternative) {
            return reference_error(
                file,
                format!("`{name}` names unknown alternative `{alternative}`"),
            );
        }
        let broken = self
            .package(alternative)
            .is_some_and(|p| p.status == crate::Status::Broken)
            || self
                .service(alternative)
                .is_some_and(|s| s.status == crate::Status::Broken);
        if broken {
            return reference_error(
                file,
                format!("`{name}` names alternative `{alternative}`, which is broken itself"),
            );
        }
        Ok(())
    }
}

fn parse<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<T, CatalogError> {
    toml::from_str(text).map_err(|error| CatalogError {
        file,
        message: error.to_string(),
    })
}

fn check(file: &'static str, result: Result<(), String>) -> Result<(), CatalogError> {
    result.map_err(|message| CatalogError { file, message })
}

fn reference_error(file: &'static str, message: String) -> Result<(), CatalogError> {
    Err(CatalogError { file, message })
}
