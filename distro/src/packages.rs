//! Packages: nixpkgs attributes with their status on Asterinas NixOS.
//!
//! Loaded from `distro/catalog/packages.toml`. Verified entries cover every application that
//! upstream documents as working; broken entries name the kernel capabilities they lack and,
//! where there is one, an alternative. A package missing from the catalog is untested.

use serde::{Deserialize, Serialize};

use crate::status::Status;

/// One catalog entry: a nixpkgs attribute (or, rarely, a named thing without one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub struct Package {
    /// nixpkgs attribute path, e.g. `python3`, `xfce.mousepad`, `qemu_kvm`.
    ///
    /// Absent only for things that have no single attribute (the Xfce desktop); such an entry
    /// names the service that provides it in [`Package::requires`].
    pub attr: Option<String>,
    /// How well it works on Asterinas NixOS.
    pub status: Status,
    /// Upstream category name (from the book's "popular applications" chapters).
    pub category: String,
    /// Further upstream categories that list applications of this entry.
    #[serde(default)]
    pub other_categories: Vec<String>,
    /// Upstream application names that this entry installs (each application appears in
    /// exactly one entry; empty for entries that are not an upstream application).
    pub applications: Vec<String>,
    /// Kernel capability ids (as in `aster-kernel`) it needs; for broken entries, the missing
    /// ones.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Why it is broken or limited, in plain words.
    pub reason: Option<String>,
    /// Name of the distro overlay that patches or provides it (e.g. `podman`, `desktop`).
    pub overlay: Option<String>,
    /// For broken entries: a catalog package attribute or service name to use instead.
    pub alternative: Option<String>,
    /// NixOS option that installs it instead of `environment.systemPackages`.
    pub via_option: Option<String>,
    /// Catalog service or desktop that must be on for it to work (or that provides it).
    pub requires: Option<String>,
    /// Python packages verified through `python3.withPackages`.
    #[serde(default)]
    pub with_packages: Vec<String>,
    /// Upstream NixOS CI test suite that exercises it, if any.
    pub test_suite: Option<String>,
    /// Anything else a user should know.
    pub note: Option<String>,
    /// Upstream Asterinas file the facts come from.
    pub source: String,
}

impl Package {
    /// The attribute path, or the first application name for entries without one.
    #[must_use]
    pub fn display_name(&self) -> &str {
        self.attr
            .as_deref()
            .or_else(|| self.applications.first().map(String::as_str))
            .unwrap_or("")
    }

    /// The primary category followed by [`Package::other_categories`].
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.category.as_str())
            .chain(self.other_categories.iter().map(String::as_str))
    }

    /// How well `query` (already lower-cased) matches this entry; lower is better.
    fn match_rank(&self, query: &str) -> Option<u8> {
        let mut names = vec![self.attr.as_deref().unwrap_or("")];
        names.extend(self.applications.iter().map(String::as_str));
        crate::search::name_rank(&names, query).or_else(|| {
            self.categories()
                .any(|c| c.to_lowercase().contains(query))
                .then_some(3)
        })
    }
}

/// Entries matching `query` case-insensitively over attribute, application names and
/// categories: exact matches first, then prefixes, substrings and category matches; ties in
/// attribute order. An empty query matches nothing.
pub(crate) fn search<'a>(packages: &'a [Package], query: &str) -> Vec<&'a Package> {
    crate::search::ranked(packages, query, Package::match_rank, Package::display_name)
}
