//! Package existence: every attribute the spec installs or overrides, looked up in a
//! [`PackageIndex`] the caller provides (the `aster-nixpkgs` crate asks the user's real nixpkgs).
//!
//! The compiler never starts a process itself; it only turns the index's answer into
//! diagnostics, with "did you mean" from the real attribute names.

use crate::spec::keys;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::spec::Spec;
use crate::tree::Node;
use crate::util::suggest::closest;

/// Answers which attribute names a package set has. `Sync`, so that one index can serve many
/// specs compiled at once (the hosts of a fleet).
pub trait PackageIndex: Sync {
    /// For each parent attribute path (dotted; `""` is the top level of `pkgs`), the names of the
    /// attributes in that set, or `None` when the path is not a set. `Err` says why the index
    /// could not be asked at all (no Nix, no nixpkgs); the check is then skipped, not failed.
    fn attribute_names(&self, parents: &[&str]) -> Result<IndexAnswer, String>;
}

/// What a [`PackageIndex`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexAnswer {
    /// Parent path → the names in it (`None`: not a package set).
    pub names: BTreeMap<String, Option<Vec<String>>>,
    /// The nixpkgs revision (or a fingerprint) the names come from.
    pub revision: String,
    /// True when the names came from a cache rather than a fresh evaluation.
    pub cached: bool,
}

/// What the package lookup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageLookup {
    /// No index was given, or the spec names no packages.
    NotRequested,
    /// Packages were checked against this nixpkgs revision (or path fingerprint).
    Checked {
        /// The revision or fingerprint.
        revision: String,
        /// True when the names came from the cache.
        cached: bool,
    },
    /// The index could not be asked; the reason says why.
    Skipped(String),
}

/// An attribute path the spec names, and where.
struct Wanted<'a> {
    attr: &'a str,
    span: Option<Span>,
}

/// Looks every package reference up in `index` and reports the ones that do not exist.
pub fn check(
    spec: &Spec,
    tree: &Node,
    index: Option<&dyn PackageIndex>,
    diagnostics: &mut Diagnostics,
) -> PackageLookup {
    let wanted = references(spec, tree);
    let Some(index) = index else {
        return PackageLookup::NotRequested;
    };
    if wanted.is_empty() {
        return PackageLookup::NotRequested;
    }
    let parents: BTreeSet<&str> = wanted.iter().map(|w| parent_of(w.attr).0).collect();
    let parents: Vec<&str> = parents.into_iter().collect();
    let answer = match index.attribute_names(&parents) {
        Ok(answer) => answer,
        Err(reason) => return PackageLookup::Skipped(reason),
    };
    for item in &wanted {
        let (parent, last) = parent_of(item.attr);
        let Some(Some(siblings)) = answer.names.get(parent) else {
            diagnostics.push(unknown(
                item,
                None,
                &format!("`{parent}` is not a package set in this nixpkgs"),
            ));
            continue;
        };
        if !siblings.iter().any(|n| n == last) {
            let suggestion = closest(last, siblings.iter().map(String::as_str)).map(|best| {
                if parent.is_empty() {
                    best.to_owned()
                } else {
                    format!("{parent}.{best}")
                }
            });
            diagnostics.push(unknown(
                item,
                suggestion.as_deref(),
                "nixpkgs has no such attribute",
            ));
        }
    }
    PackageLookup::Checked {
        revision: answer.revision,
        cached: answer.cached,
    }
}

/// `("python3Packages", "requests")` for `python3Packages.requests`; `("", "vim")` for `vim`.
fn parent_of(attr: &str) -> (&str, &str) {
    attr.rsplit_once('.').unwrap_or(("", attr))
}

fn unknown(item: &Wanted<'_>, suggestion: Option<&str>, why: &str) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::UnknownPackage,
        format!("there is no package `{}` in nixpkgs", item.attr),
    )
    .at(item.span.clone(), why);
    match suggestion {
        Some(best) => diagnostic.suggest(item.span.clone(), format!("\"{best}\"")),
        None => diagnostic
            .help("search for the right attribute name on search.nixos.org (channel 25.05)"),
    }
}

/// The nixpkgs attributes the spec names (installed packages and overridden ones), with spans,
/// leaving out the packages the distro's own overlays add.
fn references<'a>(spec: &'a Spec, tree: &Node) -> Vec<Wanted<'a>> {
    let added_by_distro = |attr: &str| {
        aster_distro::catalog()
            .package(attr)
            .is_some_and(|p| p.overlay.is_some() && p.status == aster_distro::Status::Verified)
    };
    let mut wanted = Vec::new();
    for (index, attr) in spec.packages.install.iter().enumerate() {
        if super::names::attr_path(attr).is_ok() && !added_by_distro(attr) {
            wanted.push(Wanted {
                attr,
                span: tree.span_of(&crate::tree::key_path![
                    keys::PACKAGES,
                    keys::INSTALL,
                    index
                ]),
            });
        }
    }
    for (name, over) in &spec.overrides {
        if super::names::attr_path(&over.attr).is_ok() {
            wanted.push(Wanted {
                attr: &over.attr,
                span: tree.span_of(&crate::tree::key_path![keys::OVERRIDES, name, keys::ATTR]),
            });
        }
    }
    wanted
}
