//! `[packages]`: attribute paths that can be looked up in nixpkgs, listed once.
//! (Whether Asterinas supports them is checked by `asterinas`.)

use super::{Context, names};
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::tree::key_path;
use std::collections::BTreeMap;

pub fn check(cx: &mut Context<'_>) {
    let packages = &cx.spec.packages;
    let mut first_seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, attr) in packages.install.iter().enumerate() {
        let here = key_path![keys::PACKAGES, keys::INSTALL, index];
        if let Err(why) = names::attr_path(attr) {
            cx.report(
                Diagnostic::new(Code::InvalidAttrPath, format!("`{}` is not a nixpkgs attribute path: {why}", attr.escape_debug()))
                    .at(cx.span(&here), "not a package name")
                    .help("write the package's attribute name as on search.nixos.org, e.g. \"git\" or \"xfce.mousepad\""),
            );
        }
        if let Some(bare) = attr
            .strip_prefix("pkgs.")
            .filter(|b| names::attr_path(b).is_ok())
        {
            cx.report(
                Diagnostic::new(
                    Code::InvalidAttrPath,
                    format!("`{attr}` names the package with Nix's `pkgs.` in front; the list takes the bare name"),
                )
                .at(cx.span(&here), "would become pkgs.pkgs.…")
                .suggest(cx.span(&here), format!("\"{bare}\"")),
            );
        }
        if let Some(first) = first_seen.insert(attr, index) {
            first_seen.insert(attr, first);
            cx.report(
                Diagnostic::new(
                    Code::Duplicate,
                    format!("`{attr}` is listed twice in `packages.install`"),
                )
                .at(cx.span(&here), "listed again here")
                .also(
                    cx.span(&key_path![keys::PACKAGES, keys::INSTALL, first]),
                    "first listed here",
                )
                .help("remove the second entry"),
            );
        }
    }
    for (index, attr) in packages.allow_untested.iter().enumerate() {
        if !packages.install.contains(attr) {
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!("`{attr}` is in `allow-untested` but not in `install`"),
                )
                .at(
                    cx.span(&key_path![keys::PACKAGES, keys::ALLOW_UNTESTED, index]),
                    "not installed",
                )
                .help("add it to `install`, or remove it here"),
            );
        }
    }
}
