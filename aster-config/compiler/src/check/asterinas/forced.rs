//! The final option set (`[nixos]` in any TOML shape, imported modules) against what Asterinas
//! NixOS forces, and file systems the kernel cannot mount: a raw option that fights a forced distro setting is an error that says why the distro
//! forces it.

use super::super::Context;
use super::super::final_options::{Leaf, Origin};
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::nix::parse_option_path;
use aster_distro::{ForcedKind, ForcedValue, catalog};
use serde_json::Value as Json;

pub fn check(cx: &mut Context<'_>) {
    let leaves: Vec<Leaf> = cx
        .leaves
        .iter()
        .filter(|l| !matches!(l.origin, Origin::Section(_)) && !l.value.is_null())
        .cloned()
        .collect();
    if leaves.is_empty() {
        return; // nothing outside the sections to compare: leave the catalog undecoded
    }
    let forced = forced_settings();
    for leaf in &leaves {
        for (option, setting) in &forced {
            let literal = match &setting.value {
                ForcedValue::Literal(literal) => serde_json::to_value(literal).ok(),
                ForcedValue::Expression(_) => None,
            };
            // Compare the two values at the deeper of the two paths.
            let (given, forced_value) = if option.starts_with(&leaf.path) {
                (
                    descend(&leaf.value, &option[leaf.path.len()..]),
                    literal.as_ref(),
                )
            } else if leaf.path.starts_with(option) {
                (
                    Some(&leaf.value),
                    literal
                        .as_ref()
                        .and_then(|l| descend(l, &leaf.path[option.len()..])),
                )
            } else {
                (None, None)
            };
            let Some(given) = given else { continue };
            if forced_value.is_some_and(|f| f == given) {
                continue;
            }
            let shown = match &setting.value {
                ForcedValue::Literal(literal) => literal.to_string(),
                ForcedValue::Expression(text) => text.clone(),
            };
            cx.report(
                Diagnostic::new(
                    Code::ForcedSetting,
                    format!(
                        "Asterinas NixOS forces `{}` to {shown}; `{}` ({}) contradicts it",
                        setting.option,
                        leaf.dotted(),
                        leaf.place()
                    ),
                )
                .at_leaf(leaf, "contradicts the distro")
                .help(format!("{} (source: {})", setting.reason, setting.source)),
            );
        }
        filesystems(cx, leaf);
    }
}

/// The part of `value` at `rest` (a path below the option the value was given for).
fn descend<'v>(value: &'v Json, rest: &[String]) -> Option<&'v Json> {
    rest.iter().try_fold(value, |value, name| value.get(name))
}

/// `fileSystems.<mount point>.fsType` values the kernel cannot mount (or boot from, for `/`),
/// however the spec or a module wrote them.
fn filesystems(cx: &mut Context<'_>, leaf: &Leaf) {
    let mut found: Vec<(String, String)> = Vec::new();
    if leaf.under(&["fileSystems", "*", "fsType"])
        && leaf.path.len() == 3
        && let Some(kind) = leaf.value.as_str()
    {
        found.push((leaf.path[1].clone(), kind.to_owned()));
    }
    for (mount, kind) in found {
        let entry = aster_kernel::kernel().filesystem(&kind);
        let mountable = entry.is_some_and(|f| f.status == aster_kernel::FsStatus::Mountable);
        let roots: Vec<&str> = aster_kernel::kernel()
            .filesystems()
            .iter()
            .filter(|f| f.can_be_root)
            .map(|f| f.name.as_str())
            .collect();
        if mount == "/" && !entry.is_some_and(|f| f.can_be_root) {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedFilesystem,
                    format!("the Asterinas kernel cannot boot from a `{kind}` root file system"),
                )
                .at_leaf(leaf, "not a root file system Asterinas can mount")
                .help(format!(
                    "the root must be one of: {}; the installer formats it as ext2",
                    roots.join(", ")
                )),
            );
        } else if !mountable {
            cx.report(
                Diagnostic::new(
                    Code::UnsupportedFilesystem,
                    format!("the Asterinas kernel cannot mount `{kind}` file systems"),
                )
                .at_leaf(leaf, "unsupported file system")
                .help("see `aster-config caps filesystem` for the file systems it mounts"),
            );
        }
    }
}

/// The settings the distro forces (not those it only defaults or extends), each with its option
/// path as segments.
pub(super) fn forced_settings() -> Vec<(Vec<String>, &'static aster_distro::ForcedSetting)> {
    catalog()
        .forced()
        .iter()
        .filter(|f| f.kind == ForcedKind::Forced)
        .filter_map(|f| Some((parse_option_path(&f.option).ok()?, f)))
        .collect()
}
