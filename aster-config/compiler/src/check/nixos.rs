//! `[nixos]` and `[overrides]` names: raw option paths that parse and do not fight the spec, and
//! override names that are safe file names with a real attribute path.
//!
//! `[nixos]` is compared option by option with what the spec's sections set (both flattened into
//! the final option set, so a quoted path, dotted keys and nested tables mean the same): it may add
//! options under a section's module (`enableACME` for a site the spec declares) and is refused only
//! where both set the same option, with both places shown.

use super::final_options::{Leaf, Origin, spec_key_span};
use super::{Context, names};
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use crate::spec::keys;
use crate::tree::key_path;
use std::collections::HashMap;

/// Top-level names that are not options in `[nixos]`: a module's structure, and `config`, which
/// `[nixos]` paths leave out (they start at the option itself).
fn module_keyword(name: &str) -> bool {
    name == "config" || super::MODULE_STRUCTURE.contains(&name)
}

pub fn check(cx: &mut Context<'_>) {
    for key in cx.spec.nixos.keys() {
        let here = key_path![keys::NIXOS, key];
        let segments = match parse_option_path(key) {
            Ok(segments) => segments,
            Err(why) => {
                cx.report(
                    Diagnostic::new(Code::InvalidOptionPath, format!("`{}` is not a NixOS option path: {why}", key.escape_debug()))
                        .at(cx.key_span(&here), "malformed path")
                        .help("write the option as on search.nixos.org, quoted as a TOML key: \"services.redis.servers.cache.port\" = 6380"),
                );
                continue;
            }
        };
        if module_keyword(&segments[0]) {
            cx.report(
                Diagnostic::new(
                    Code::InvalidOptionPath,
                    format!(
                        "`{}` is part of a module's structure, not an option",
                        segments[0]
                    ),
                )
                .at(cx.key_span(&here), "not an option")
                .help("for hand-written modules use `[imports] modules = [\"./extra.nix\"]`"),
            );
        }
    }
    // Taken out of the context while the checks below report through it, and put back after.
    let leaves = std::mem::take(&mut cx.leaves);
    options(cx, &leaves);
    cx.leaves = leaves;
    overrides(cx);
}

/// Compares the `[nixos]` leaves with the sections' and with each other. The sections' index is
/// built only when `[nixos]` sets something: most specs leave it empty.
fn options(cx: &mut Context<'_>, leaves: &[Leaf]) {
    let nixos: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| l.origin == Origin::Nixos)
        .filter(|l| !module_keyword(&l.path[0]))
        .collect();
    if nixos.is_empty() {
        return;
    }
    let sections: Vec<&Leaf> = leaves
        .iter()
        .filter(|l| matches!(l.origin, Origin::Section(_)))
        .collect();
    let owned = PathIndex::of(&sections);
    let mut earlier = PathIndex::default();
    for (position, &leaf) in nixos.iter().enumerate() {
        if let Some(owner) = owned.clash(&sections, leaf) {
            let Origin::Section(title) = &owner.origin else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    Code::OptionOwnedBySpec,
                    format!(
                        "`{}` in [nixos] and `{}` from {title} set the same option",
                        leaf.dotted(),
                        owner.dotted()
                    ),
                )
                .at_leaf(leaf, "set here")
                .also(
                    spec_key_span(cx.tree, &owner.path).or_else(|| owner.span.clone()),
                    format!("and by {title}"),
                )
                .help(format!("keep one: change the key of {title}, or remove this entry (adding options the section does not set is fine)")),
            );
        }
        if let Some(other) = earlier.clash(&nixos, leaf) {
            let message = if other.path == leaf.path {
                format!("`{}` is set twice in [nixos]", leaf.dotted())
            } else {
                format!(
                    "`{}` and `{}` set the same option",
                    leaf.dotted(),
                    other.dotted()
                )
            };
            cx.report(
                Diagnostic::new(Code::Conflict, message)
                    .at_leaf(leaf, "second definition")
                    .also(other.span.clone(), "first definition")
                    .help("merge them into one entry"),
            );
        }
        earlier.add(leaf, position);
        plaintext_password(cx, leaf);
    }
}

/// Leaves by path, and every proper prefix of a leaf's path, so that finding a clash costs a few
/// lookups per leaf instead of a comparison with every other leaf. The keys borrow the leaves'
/// paths.
#[derive(Default)]
struct PathIndex<'l> {
    leaves: HashMap<&'l [String], usize>,
    prefixes: HashMap<&'l [String], usize>,
}

impl<'l> PathIndex<'l> {
    fn of(leaves: &[&'l Leaf]) -> Self {
        let mut index = Self::default();
        for (position, leaf) in leaves.iter().enumerate() {
            index.add(leaf, position);
        }
        index
    }

    fn add(&mut self, leaf: &'l Leaf, position: usize) {
        for n in 1..leaf.path.len() {
            self.prefixes.entry(&leaf.path[..n]).or_insert(position);
        }
        self.leaves.entry(&leaf.path).or_insert(position);
    }

    /// The indexed leaf that fights `leaf`: the same option, or one sets a value where the other
    /// goes on below it (an empty table merges with anything).
    fn clash(&self, all: &[&'l Leaf], leaf: &Leaf) -> Option<&'l Leaf> {
        let empty = |l: &Leaf| l.value.as_object().is_some_and(serde_json::Map::is_empty);
        if let Some(&at) = self.leaves.get(leaf.path.as_slice()) {
            return Some(all[at]);
        }
        if !empty(leaf)
            && let Some(&at) = self.prefixes.get(leaf.path.as_slice())
        {
            return Some(all[at]);
        }
        (1..leaf.path.len())
            .filter_map(|n| self.leaves.get(&leaf.path[..n]))
            .map(|&at| all[at])
            .find(|shorter| !empty(shorter))
    }
}

fn overrides(cx: &mut Context<'_>) {
    for (name, over) in &cx.spec.overrides {
        let here = key_path![keys::OVERRIDES, name];
        if let Err(why) = names::file_name(name) {
            cx.report(
                Diagnostic::new(
                    Code::InvalidFileName,
                    format!(
                        "override name `{}` cannot be a file name: {why}",
                        name.escape_debug()
                    ),
                )
                .at(cx.key_span(&here), "becomes overlays/<name>.nix")
                .help("name the override after the package, e.g. [overrides.xfdesktop]"),
            );
        }
        if let Err(why) = names::attr_path(&over.attr) {
            cx.report(
                Diagnostic::new(
                    Code::InvalidAttrPath,
                    format!(
                        "`{}` is not a nixpkgs attribute path: {why}",
                        over.attr.escape_debug()
                    ),
                )
                .at(
                    cx.span(&key_path![keys::OVERRIDES, name, keys::ATTR]),
                    "not a package attribute",
                ),
            );
        }
        if let Some(version) = &over.version
            && (version.is_empty() || names::single_line(version).is_err())
        {
            cx.report(
                Diagnostic::new(
                    Code::BadFormat,
                    format!("the version of override `{name}` must be a non-empty single line"),
                )
                .at(
                    cx.span(&key_path![keys::OVERRIDES, name, keys::VERSION]),
                    "unusable version",
                ),
            );
        }
        source(cx, name, over);
        if over.version.is_none() && over.patches.is_empty() && over.src_url.is_none() {
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!("override `{name}` changes nothing"),
                )
                .at(cx.key_span(&here), "no `version` and no `patches`")
                .help(
                    "add `version = \"…\"` or `patches = [\"patches/…\"]`, or remove the override",
                ),
            );
        }
    }
}

/// A new version needs its own source: `version` alone relabels the old source (for Xfce
/// packages `src` is computed from the version the package was defined with).
fn source(cx: &mut Context<'_>, name: &str, over: &crate::spec::Override) {
    let here = key_path![keys::OVERRIDES, name];
    match (&over.version, &over.src_url, &over.src_hash) {
        (Some(version), None, None) if !version.is_empty() && names::single_line(version).is_ok() => cx.report(
            Diagnostic::new(
                Code::VersionWithoutSource,
                format!("override `{name}` changes the version but not the source: the package would keep its old source under the new version"),
            )
            .at(cx.span(&key_path![keys::OVERRIDES, name, keys::VERSION]), "only the label changes")
            .help("add `src-url = \"https://…/NAME-VERSION.tar.gz\"` and `src-hash = \"sha256-…\"` (`nix hash to-sri --type sha256 $(nix-prefetch-url URL)` prints it), or remove `version` and keep only `patches`"),
        ),
        (_, Some(_), None) | (_, None, Some(_)) => cx.report(
            Diagnostic::new(
                Code::VersionWithoutSource,
                format!("override `{name}` needs both `src-url` and `src-hash`"),
            )
            .at(cx.key_span(&here), "half a source")
            .help("a download without its hash cannot be built by Nix, and a hash without its URL names nothing"),
        ),
        _ => {}
    }
    if let Some(url) = &over.src_url
        && (names::single_line(url).is_err()
            || !["https://", "http://", "mirror://"]
                .iter()
                .any(|scheme| url.starts_with(scheme)))
    {
        cx.report(
            Diagnostic::new(
                Code::BadFormat,
                format!("`{}` is not a download URL", url.escape_debug()),
            )
            .at(
                cx.span(&key_path![keys::OVERRIDES, name, keys::SRC_URL]),
                "expected https://…",
            )
            .help(
                "give the URL of the source archive, starting with https://, http:// or mirror://",
            ),
        );
    }
    if let Some(hash) = &over.src_hash
        && !sri_sha256(hash)
    {
        cx.report(
            Diagnostic::new(
                Code::BadFormat,
                format!("`{}` is not an SRI sha256 hash", hash.escape_debug()),
            )
            .at(cx.span(&key_path![keys::OVERRIDES, name, keys::SRC_HASH]), "expected sha256-… (44 base64 characters)")
            .help("`nix hash to-sri --type sha256 $(nix-prefetch-url URL)` prints the hash of the file"),
        );
    }
}

/// `sha256-` followed by the 44-character base64 form of 32 bytes.
fn sri_sha256(hash: &str) -> bool {
    hash.strip_prefix("sha256-").is_some_and(|body| {
        body.len() == 44
            && body.ends_with('=')
            && body[..43]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
    })
}

/// `users.users.<name>.password` / `initialPassword` set through `[nixos]` are as plaintext as
/// the `[users]` keys refused by the users check, so they are refused here too.
fn plaintext_password(cx: &mut Context<'_>, leaf: &Leaf) {
    if leaf.under(&["users", "users", "*"])
        && leaf.path.len() == 4
        && (leaf.path[3] == "password" || leaf.path[3] == "initialPassword")
    {
        cx.report(
            Diagnostic::new(
                Code::PlaintextPassword,
                format!(
                    "`{}` sets a plaintext password; it would be world-readable in the Nix store",
                    leaf.dotted()
                ),
            )
            .at_leaf(leaf, "plaintext password")
            .help("use `hashed-password-file` in [users.NAME] instead"),
        );
    }
}
