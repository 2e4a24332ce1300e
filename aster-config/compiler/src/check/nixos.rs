//! `[nixos]` and `[overrides]` names: raw option paths that parse and do not fight the spec, and
//! override names that are safe file names with a real attribute path.

use super::{Context, names};
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use crate::options::owned_paths;
use crate::spec::keys;
use crate::tree::key_path;
use std::collections::HashMap;

/// Top-level names of a NixOS module that are not options.
const MODULE_KEYWORDS: &[&str] = &[
    "config",
    "options",
    "imports",
    "disabledModules",
    "_module",
    "_file",
    "key",
    "meta",
];

pub fn check(cx: &mut Context<'_>) {
    let owned = owned_paths(cx.spec);
    // Every path seen so far, and every proper prefix of one: finding an overlap costs a few
    // lookups per path instead of a comparison with every earlier path.
    let mut seen: HashMap<Vec<String>, &String> = HashMap::new();
    let mut prefixes: HashMap<Vec<String>, &String> = HashMap::new();
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
        if MODULE_KEYWORDS.contains(&segments[0].as_str()) {
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
            continue;
        }
        if let Some(owner) = owned.iter().find(|o| overlaps(o, &segments)) {
            let dotted = owner.join(".");
            cx.report(
                Diagnostic::new(Code::OptionOwnedBySpec, format!("`{}` overlaps `{dotted}`, which the spec's sections already set", key.escape_debug()))
                    .at(cx.key_span(&here), "set twice")
                    .help(format!("set it through the spec section that emits `{dotted}` (see `aster-config build` output), or remove it here")),
            );
        }
        let earlier = seen
            .get(&segments)
            .or_else(|| (1..segments.len()).find_map(|n| seen.get(&segments[..n])))
            .or_else(|| prefixes.get(&segments))
            .copied();
        if let Some(other) = earlier {
            cx.report(
                Diagnostic::new(
                    Code::Conflict,
                    format!(
                        "`{}` and `{}` set the same option",
                        key.escape_debug(),
                        other.escape_debug()
                    ),
                )
                .at(cx.key_span(&here), "second definition")
                .also(
                    cx.key_span(&key_path![keys::NIXOS, other]),
                    "first definition",
                )
                .help("merge them into one entry"),
            );
        }
        plaintext_passwords(cx, key, &segments, &cx.spec.nixos[key]);
        for n in 1..segments.len() {
            prefixes.entry(segments[..n].to_vec()).or_insert(key);
        }
        seen.entry(segments).or_insert(key);
    }
    overrides(cx);
}

/// Two option paths overlap when one is a prefix of the other.
fn overlaps(a: &[String], b: &[String]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
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
        if over.version.is_none() && over.patches.is_empty() {
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

/// `users.users.<name>.password` / `initialPassword` set through `[nixos]` are as plaintext as
/// the `[users]` keys refused by the users check, so they are refused here too.
fn plaintext_passwords(
    cx: &mut Context<'_>,
    key: &String,
    path: &[String],
    value: &serde_json::Value,
) {
    let mut found = false;
    visit_leaves(path, value, 0, &mut |leaf| {
        found |= matches!(leaf, [a, b, _, last] if a == "users" && b == "users" && (last == "password" || last == "initialPassword"));
    });
    if found {
        cx.report(
            Diagnostic::new(
                Code::PlaintextPassword,
                format!(
                    "`{}` sets a plaintext password; it would be world-readable in the Nix store",
                    key.escape_debug()
                ),
            )
            .at(
                cx.key_span(&key_path![keys::NIXOS, key]),
                "plaintext password",
            )
            .help("use `hashed-password-file` in [users.NAME] instead"),
        );
    }
}

/// Calls `f` with the full option path of every leaf of `value` (tables are descended, up to the
/// spec's nesting cap).
fn visit_leaves(
    path: &[String],
    value: &serde_json::Value,
    depth: usize,
    f: &mut dyn FnMut(&[String]),
) {
    match value {
        serde_json::Value::Object(members) if depth < crate::tree::MAX_DEPTH => {
            for (name, member) in members {
                let mut deeper = path.to_vec();
                deeper.push(name.clone());
                visit_leaves(&deeper, member, depth + 1, f);
            }
        }
        _ => f(path),
    }
}
