//! Catalog facts in Markdown, for hover: a package's, service's, kernel parameter's or kernel
//! feature's status on Asterinas NixOS, the reason, and the upstream source it comes from.

use aster_distro::{Package, Service, catalog};
use aster_kernel::{Feature, ParamSpec, kernel};

/// The catalog entry of a package, or the rule for packages the catalog does not list.
pub fn package(attr: &str) -> String {
    match catalog().package(attr) {
        Some(entry) => package_entry(attr, entry),
        None => format!(
            "**package `{attr}`** — status: **untested**\n\nThe Asterinas NixOS catalog does not list \
             it, so nobody has verified it there. Add it to `allow-untested` to accept it as it is."
        ),
    }
}

fn package_entry(attr: &str, entry: &Package) -> String {
    let mut text = format!(
        "**package `{attr}`** — status: **{}** ({})",
        entry.status, entry.category
    );
    push(&mut text, "Why", entry.reason.as_deref());
    push(&mut text, "Instead", entry.alternative.as_deref());
    push(&mut text, "Note", entry.note.as_deref());
    push(&mut text, "Source", Some(&entry.source));
    text
}

/// The catalog entry of a service.
pub fn service(name: &str) -> Option<String> {
    let entry: &Service = catalog().service(name)?;
    let mut text = format!(
        "**service `{name}`** — status: **{}**\n\nEnables `{}`.",
        entry.status,
        entry.enable_option()
    );
    push(&mut text, "Why", entry.reason.as_deref());
    push(&mut text, "Instead", entry.alternative.as_deref());
    if !entry.needs.is_empty() {
        push(&mut text, "Needs", Some(&entry.needs.join(", ")));
    }
    push(&mut text, "Note", entry.note.as_deref());
    push(&mut text, "Source", Some(&entry.source));
    Some(text)
}

/// The kernel's record of a command-line parameter (`name=value` or a bare flag).
pub fn kernel_param(written: &str) -> Option<String> {
    let name = written.split('=').next().unwrap_or(written).trim();
    let param: &ParamSpec = kernel().param(name)?;
    let arches: Vec<&str> = param.arches.iter().map(|a| a.as_str()).collect();
    let mut text = format!(
        "**kernel parameter `{}`** — {}\n\n{}\n\nValue: {}. Architectures: {}.",
        param.name,
        param.status.as_str(),
        param.summary,
        param.value.describe(),
        arches.join(", ")
    );
    push(&mut text, "Default", param.default.as_deref());
    push(&mut text, "Source", Some(&param.source));
    Some(text)
}

/// The kernel's record of a build feature.
pub fn kernel_feature(name: &str) -> Option<String> {
    let feature: &Feature = kernel().feature(name)?;
    let arches: Vec<&str> = feature.arches.iter().map(|a| a.as_str()).collect();
    let mut text = format!(
        "**kernel feature `{}`**{}\n\n{}\n\nArchitectures: {}.",
        feature.name,
        if feature.default {
            " (on by default)"
        } else {
            ""
        },
        feature.description,
        arches.join(", ")
    );
    push(&mut text, "Note", feature.note.as_deref());
    push(&mut text, "Source", Some(&feature.source));
    Some(text)
}

fn push(text: &mut String, label: &str, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        text.push_str(&format!("\n\n{label}: {value}"));
    }
}

/// Every package attribute the catalog names, with its status.
pub fn package_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    catalog()
        .packages()
        .iter()
        .filter_map(|p| p.attr.as_deref().map(|a| (a, p.status.as_str())))
}

/// Package names from the nixpkgs that `check` last looked packages up in (its cache; read once
/// per server, never by starting Nix), without the ones the catalog already names.
pub fn cached_nixpkgs_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| aster_nixpkgs::cached_top_level_names(None))
        .iter()
        .filter(|name| catalog().package(name).is_none())
        .map(|name| {
            (
                name.as_str(),
                "in nixpkgs, not in the Asterinas catalog (untested)",
            )
        })
}

/// Every kernel parameter name, with its summary.
pub fn param_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    kernel()
        .params()
        .iter()
        .map(|p| (p.name.as_str(), p.summary.as_str()))
}

/// Every kernel feature name, with its description.
pub fn feature_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    kernel()
        .features()
        .iter()
        .map(|f| (f.name.as_str(), f.description.as_str()))
}
